import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const producers = pgTable('producers', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').notNull(),
  legalName: text('legal_name').notNull(),
  shortName: text('short_name'),
  registrationNumber: text('registration_number').notNull(),
  unitId: integer('unit_id').notNull(),
  address: text('address'),
  representative: text('representative'),
  representativeTitle: text('representative_title'),
  phone: text('phone'),
  email: text('email'),
  website: text('website'),
  foundedYear: integer('founded_year'),
  memberCount: integer('member_count'),
  workerCount: integer('worker_count'),
  craftVillage: text('craft_village'),
  /** The craft village (reference data, craft-villages module) the producer belongs to; officers set it. */
  craftVillageId: uuid('craft_village_id'),
  notes: text('notes'),
  isDemo: boolean('is_demo').notNull().default(false),
  sources: jsonb('sources').$type<string[]>().notNull().default([]),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type ProducerRow = typeof producers.$inferSelect;
