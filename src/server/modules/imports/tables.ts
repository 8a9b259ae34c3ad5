import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { FieldError } from '../../lib/errors.js';

/** One background Excel import (migration 0021): who started it, and its outcome once finished. */
export const importRuns = pgTable('import_runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').notNull().$type<ImportKind>(),
  actorId: uuid('actor_id').notNull(),
  fileName: text('file_name'),
  status: text('status').notNull().$type<'running' | 'done' | 'failed'>().default('running'),
  total: integer('total').notNull().default(0),
  done: integer('done').notNull().default(0),
  result: jsonb('result').$type<Record<string, unknown>>(),
  errors: jsonb('errors').$type<FieldError[]>(),
  errorCount: integer('error_count').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});
export type ImportKind = 'registry' | 'growing_areas' | 'packing_houses';
export type ImportRunRow = typeof importRuns.$inferSelect;
