import { date, integer, pgTable, serial, smallint, text } from 'drizzle-orm/pg-core';

export const adminUnits = pgTable('admin_units', {
  id: serial('id').primaryKey(),
  key: text('key').notNull(),
  code: text('code'),
  codeStatus: text('code_status').notNull(),
  name: text('name').notNull(),
  type: text('type').notNull(),
  level: smallint('level').notNull(),
  parentId: integer('parent_id'),
  validFrom: date('valid_from'),
  validTo: date('valid_to'),
  note: text('note'),
  source: text('source'),
});

export const adminUnitSuccessions = pgTable('admin_unit_successions', {
  id: serial('id').primaryKey(),
  predecessorId: integer('predecessor_id').notNull(),
  successorId: integer('successor_id').notNull(),
  effectiveOn: date('effective_on').notNull(),
  kind: text('kind').notNull(),
  note: text('note'),
});

export type AdminUnitRow = typeof adminUnits.$inferSelect;
