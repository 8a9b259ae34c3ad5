import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Mirrors migrations/0017_identifiers.sql (the SQL is the source of truth). */
export const producerGs1Prefixes = pgTable('producer_gs1_prefixes', {
  id: uuid('id').primaryKey().defaultRandom(),
  producerId: uuid('producer_id').notNull(),
  prefix: text('prefix').notNull(),
  status: text('status').$type<'declared' | 'verified' | 'rejected'>().notNull().default('declared'),
  evidenceId: uuid('evidence_id'),
  verifiedBy: uuid('verified_by'),
  verifiedAt: timestamp('verified_at', { withTimezone: true }),
  note: text('note'),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type Gs1PrefixRow = typeof producerGs1Prefixes.$inferSelect;
