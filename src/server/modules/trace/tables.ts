import { date, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { GeoLocation } from './schema.js';

export const growingAreas = pgTable('growing_areas', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull(),
  crop: text('crop').notNull(),
  areaHa: numeric('area_ha', { precision: 10, scale: 2 }).notNull(),
  households: integer('households'),
  ownerProducerId: uuid('owner_producer_id'),
  ownerName: text('owner_name'),
  unitId: integer('unit_id').notNull(),
  location: jsonb('location').$type<GeoLocation | null>(),
  markets: text('markets').array().notNull().default([]),
  issuingAuthority: text('issuing_authority'),
  issuedOn: date('issued_on'),
  validTo: date('valid_to'),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type GrowingAreaRow = typeof growingAreas.$inferSelect;

export const packingHouses = pgTable('packing_houses', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  ownerProducerId: uuid('owner_producer_id'),
  ownerName: text('owner_name'),
  unitId: integer('unit_id').notNull(),
  markets: text('markets').array().notNull().default([]),
  issuingAuthority: text('issuing_authority'),
  issuedOn: date('issued_on'),
  validTo: date('valid_to'),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type PackingHouseRow = typeof packingHouses.$inferSelect;
