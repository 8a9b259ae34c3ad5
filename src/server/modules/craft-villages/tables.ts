import { boolean, date, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const craftVillages = pgTable('craft_villages', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  unitId: integer('unit_id').notNull(),
  kind: text('kind').notNull().default('craft_village'),
  craft: text('craft'),
  decision: text('decision'),
  recognisedOn: date('recognised_on'),
  revokedOn: date('revoked_on'),
  note: text('note'),
  isDemo: boolean('is_demo').notNull().default(false),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type CraftVillageRow = typeof craftVillages.$inferSelect;
