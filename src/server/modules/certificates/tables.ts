import { boolean, date, integer, numeric, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const certificates = pgTable('certificates', {
  id: uuid('id').primaryKey().defaultRandom(),
  number: text('number').notNull(),
  productId: uuid('product_id').notNull(),
  producerId: uuid('producer_id').notNull(),
  roundId: uuid('round_id'),
  dossierId: uuid('dossier_id'),
  star: smallint('star').notNull(),
  score: numeric('score', { mode: 'number' }),
  decisionNumber: text('decision_number').notNull(),
  decisionDate: date('decision_date').notNull(),
  issuingAuthority: text('issuing_authority').notNull(),
  issuingUnitId: integer('issuing_unit_id'),
  issuingUnitName: text('issuing_unit_name').notNull(),
  criteriaSetCode: text('criteria_set_code'),
  procedureCode: text('procedure_code'),
  expiresOn: date('expires_on').notNull(),
  status: text('status').notNull().default('active'),
  revokedReason: text('revoked_reason'),
  revokedNote: text('revoked_note'),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  supersededBy: uuid('superseded_by'),
  isLegacy: boolean('is_legacy').notNull().default(false),
  /** The level whose authority issued it (migration 0010). */
  issuingLevel: text('issuing_level'),
  issuedBy: uuid('issued_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const certificateReminders = pgTable('certificate_reminders', {
  certificateId: uuid('certificate_id').notNull(),
  thresholdDays: integer('threshold_days').notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  skipped: boolean('skipped').notNull().default(false),
}, (t) => [primaryKey({ columns: [t.certificateId, t.thresholdDays] })]);

export type CertificateRow = typeof certificates.$inferSelect;
