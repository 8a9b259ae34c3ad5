import { sql } from 'drizzle-orm';
import { bigint, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Mirrors migrations/0008_trace_lots_events_stamps.sql (the SQL is the source of truth). */
export const stampRanges = pgTable('stamp_ranges', {
  id: uuid('id').primaryKey().defaultRandom(),
  lotId: uuid('lot_id').notNull(),
  firstSerial: integer('first_serial').notNull(),
  lastSerial: integer('last_serial').notNull(),
  firstNo: bigint('first_no', { mode: 'number' }).notNull(),
  /** Generated: first_no + (last_serial − first_serial). */
  lastNo: bigint('last_no', { mode: 'number' }).generatedAlwaysAs(sql`first_no + (last_serial - first_serial)`),
  status: text('status').$type<'active' | 'inactive'>().notNull().default('active'),
  statusReason: text('status_reason'),
  statusAt: timestamp('status_at', { withTimezone: true }),
  statusBy: uuid('status_by'),
  issuedBy: uuid('issued_by'),
  issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
});
export type StampRangeRow = typeof stampRanges.$inferSelect;

export const stampExceptions = pgTable('stamp_exceptions', {
  rangeId: uuid('range_id').notNull(),
  serial: integer('serial').notNull(),
  status: text('status').$type<'inactive' | 'lost'>().notNull(),
  reason: text('reason'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  byUser: uuid('by_user'),
}, (t) => [primaryKey({ columns: [t.rangeId, t.serial] })]);
export type StampExceptionRow = typeof stampExceptions.$inferSelect;

export type ScanOutcome = 'ok' | 'inactive' | 'lost' | 'unknown_serial' | 'unknown_lot' | 'lot_only';
export type ClientClass = 'mobile' | 'desktop' | 'bot' | 'other';

export const stampScans = pgTable('stamp_scans', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull().defaultNow(),
  outcome: text('outcome').$type<ScanOutcome>().notNull(),
  lotId: uuid('lot_id'),
  productId: uuid('product_id'),
  rangeId: uuid('range_id'),
  serial: integer('serial'),
  client: text('client').$type<ClientClass>().notNull(),
  lang: text('lang').$type<'vi' | 'en'>().notNull(),
});

export type FlagKind = 'too_many_scans' | 'inactive' | 'lost' | 'unknown_serial' | 'unknown_lot';

export const stampFlags = pgTable('stamp_flags', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').$type<FlagKind>().notNull(),
  ref: text('ref').notNull(),
  lotId: uuid('lot_id'),
  productId: uuid('product_id'),
  rangeId: uuid('range_id'),
  serial: integer('serial'),
  scanCount: integer('scan_count').notNull().default(1),
  firstAt: timestamp('first_at', { withTimezone: true }).notNull().defaultNow(),
  lastAt: timestamp('last_at', { withTimezone: true }).notNull().defaultNow(),
  status: text('status').$type<'open' | 'dismissed'>().notNull().default('open'),
  handledBy: uuid('handled_by'),
  handledAt: timestamp('handled_at', { withTimezone: true }),
  note: text('note'),
  /** When the officers in scope were notified of this flag (migration 0019); null until its count reaches the threshold. */
  notifiedAt: timestamp('notified_at', { withTimezone: true }),
});
export type StampFlagRow = typeof stampFlags.$inferSelect;

export const REPORT_CATEGORIES = ['counterfeit', 'quality', 'label', 'price', 'other'] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export const scanReports = pgTable('scan_reports', {
  id: uuid('id').primaryKey().defaultRandom(),
  category: text('category').$type<ReportCategory>().notNull(),
  message: text('message').notNull(),
  contact: text('contact'),
  ref: text('ref'),
  lotId: uuid('lot_id'),
  productId: uuid('product_id'),
  rangeId: uuid('range_id'),
  serial: integer('serial'),
  lang: text('lang').$type<'vi' | 'en'>().notNull().default('vi'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  status: text('status').$type<'new' | 'reviewed' | 'closed'>().notNull().default('new'),
  handledBy: uuid('handled_by'),
  handledAt: timestamp('handled_at', { withTimezone: true }),
  note: text('note'),
});
export type ScanReportRow = typeof scanReports.$inferSelect;

/** Mirrors migrations/0017_identifiers.sql: the next serial of each GTIN (serials are unique per GTIN across lots). */
export const gtinSerialCounters = pgTable('gtin_serial_counters', {
  gtin: text('gtin').primaryKey(),
  nextSerial: integer('next_serial').notNull(),
});
