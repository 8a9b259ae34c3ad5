import { date, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { GeoLocation } from './schema.js';

export type VerificationStatus = 'declared' | 'verified' | 'rejected';

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
  gln: text('gln'),
  verificationStatus: text('verification_status').$type<VerificationStatus>().notNull().default('declared'),
  verifiedBy: uuid('verified_by'),
  verifiedAt: timestamp('verified_at', { withTimezone: true }),
  verificationNote: text('verification_note'),
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
  gln: text('gln'),
  verificationStatus: text('verification_status').$type<VerificationStatus>().notNull().default('declared'),
  verifiedBy: uuid('verified_by'),
  verifiedAt: timestamp('verified_at', { withTimezone: true }),
  verificationNote: text('verification_note'),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type PackingHouseRow = typeof packingHouses.$inferSelect;

/** Mirrors migrations/0017_identifiers.sql: a producer's right to cite a place it does not own (a contract). */
export const placeLinks = pgTable('place_links', {
  id: uuid('id').primaryKey().defaultRandom(),
  producerId: uuid('producer_id').notNull(),
  growingAreaId: uuid('growing_area_id'),
  packingHouseId: uuid('packing_house_id'),
  evidenceId: uuid('evidence_id'),
  status: text('status').$type<VerificationStatus>().notNull().default('declared'),
  verifiedBy: uuid('verified_by'),
  verifiedAt: timestamp('verified_at', { withTimezone: true }),
  note: text('note'),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type PlaceLinkRow = typeof placeLinks.$inferSelect;
