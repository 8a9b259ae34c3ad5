import { date, doublePrecision, integer, jsonb, numeric, pgTable, serial, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { BoundaryGeometry } from '../../../shared/geojson.js';

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

/** One simplified boundary per unit (migration 0014); GeoJSON Polygon | MultiPolygon, RFC 7946 winding. */
export const unitBoundaries = pgTable('unit_boundaries', {
  unitId: integer('unit_id').primaryKey(),
  geometry: jsonb('geometry').notNull().$type<BoundaryGeometry>(),
  minLng: doublePrecision('min_lng').notNull(),
  minLat: doublePrecision('min_lat').notNull(),
  maxLng: doublePrecision('max_lng').notNull(),
  maxLat: doublePrecision('max_lat').notNull(),
  pointCount: integer('point_count').notNull(),
  areaKm2: numeric('area_km2'),
  source: text('source').notNull(),
  importedBy: uuid('imported_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Reference files loaded at start, by checksum (skipped when unchanged). */
export const referenceLoads = pgTable('reference_loads', {
  name: text('name').primaryKey(),
  checksum: text('checksum').notNull(),
  rowCount: integer('row_count').notNull(),
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
});
