import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Mirrors migrations/0017_identifiers.sql: the buyers, processors, packers … a producer deals with. */
export const parties = pgTable('parties', {
  id: uuid('id').primaryKey().defaultRandom(),
  producerId: uuid('producer_id').notNull(),
  name: text('name').notNull(),
  kind: text('kind').$type<'buyer' | 'processor' | 'packer' | 'transporter' | 'retailer' | 'other'>().notNull(),
  gln: text('gln'),
  unitId: integer('unit_id'),
  address: text('address'),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type PartyRow = typeof parties.$inferSelect;
