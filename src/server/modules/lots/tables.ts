import { date, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Mirrors migrations/0008_trace_lots_events_stamps.sql and 0020_epcis_facts.sql (the SQL is the source of truth). */
export const lots = pgTable('lots', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull(),
  producerId: uuid('producer_id').notNull(),
  lotNumber: text('lot_number').notNull(),
  gtin: text('gtin'),
  producedOn: date('produced_on').notNull(),
  quantity: numeric('quantity', { precision: 14, scale: 3 }).notNull(),
  quantityUnit: text('quantity_unit').notNull(),
  bestBefore: date('best_before'),
  packingHouseId: uuid('packing_house_id'),
  notes: text('notes'),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type LotRow = typeof lots.$inferSelect;

export const lotGrowingAreas = pgTable('lot_growing_areas', {
  lotId: uuid('lot_id').notNull(),
  growingAreaId: uuid('growing_area_id').notNull(),
}, (t) => [primaryKey({ columns: [t.lotId, t.growingAreaId] })]);

export const traceEvents = pgTable('trace_events', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: text('event_id').notNull(),
  type: text('type').$type<'ObjectEvent' | 'AggregationEvent' | 'TransactionEvent' | 'TransformationEvent' | 'AssociationEvent'>().notNull(),
  action: text('action').$type<'ADD' | 'OBSERVE' | 'DELETE' | null>(),
  kind: text('kind').$type<'harvest' | 'processing' | 'packing' | 'shipping' | 'receiving' | 'inspection' | 'other'>().notNull(),
  eventTime: timestamp('event_time', { withTimezone: true }).notNull(),
  eventTz: text('event_tz').notNull(),
  recordTime: timestamp('record_time', { withTimezone: true }).notNull().defaultNow(),
  bizStep: text('biz_step'),
  disposition: text('disposition'),
  readPoint: text('read_point'),
  bizLocation: text('biz_location'),
  document: jsonb('document').$type<Record<string, unknown>>().notNull(),
  source: text('source').$type<'form' | 'api' | 'import'>().notNull(),
  recordedBy: uuid('recorded_by'),
  hashId: text('hash_id'),
});
export type TraceEventRow = typeof traceEvents.$inferSelect;

export const traceEventLots = pgTable('trace_event_lots', {
  eventId: uuid('event_id').notNull(),
  lotId: uuid('lot_id').notNull(),
  role: text('role').$type<'subject' | 'input' | 'output' | 'child'>().notNull(),
  quantity: numeric('quantity', { precision: 14, scale: 3 }),
  uom: text('uom'),
}, (t) => [primaryKey({ columns: [t.eventId, t.lotId, t.role] })]);

/** EPCIS error declarations about stored events (append-only, like the events). */
export const traceEventCorrections = pgTable('trace_event_corrections', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id').notNull(),
  declarationTime: timestamp('declaration_time', { withTimezone: true }).notNull(),
  reason: text('reason'),
  correctiveEventIds: jsonb('corrective_event_ids').$type<string[]>().notNull().default([]),
  declaration: jsonb('declaration').$type<Record<string, unknown>>().notNull(),
  source: text('source').$type<'form' | 'api' | 'import'>().notNull(),
  recordedBy: uuid('recorded_by'),
  recordTime: timestamp('record_time', { withTimezone: true }).notNull().defaultNow(),
});
export type TraceEventCorrectionRow = typeof traceEventCorrections.$inferSelect;
