import { bigint, boolean, date, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const programmePlans = pgTable('programme_plans', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull(),
  title: text('title').notNull(),
  issuingUnit: text('issuing_unit').notNull(),
  documentNumber: text('document_number'),
  issuedOn: date('issued_on'),
  legalBasis: jsonb('legal_basis').$type<string[]>().notNull().default([]),
  areaUnitId: integer('area_unit_id').notNull(),
  periodFrom: integer('period_from').notNull(),
  periodTo: integer('period_to').notNull(),
  status: text('status').notNull().default('draft'),
  copiedFromId: uuid('copied_from_id'),
  note: text('note'),
  isDemo: boolean('is_demo').notNull().default(false),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const programmeTargets = pgTable('programme_targets', {
  id: uuid('id').primaryKey().defaultRandom(),
  planId: uuid('plan_id').notNull(),
  indicator: text('indicator').notNull(),
  year: integer('year'),
  communeUnitId: integer('commune_unit_id'),
  perCommune: boolean('per_commune').notNull().default(false),
  valueMin: numeric('value_min', { mode: 'number' }),
  valueMax: numeric('value_max', { mode: 'number' }),
  unit: text('unit').notNull(),
  fundingSource: text('funding_source'),
  label: text('label'),
  note: text('note'),
  position: integer('position').notNull().default(0),
});

export type PlanRow = typeof programmePlans.$inferSelect;
export type TargetRow = typeof programmeTargets.$inferSelect;

export const supportActivities = pgTable('support_activities', {
  id: uuid('id').primaryKey().defaultRandom(),
  producerId: uuid('producer_id').notNull(),
  productId: uuid('product_id'),
  type: text('type').notNull(),
  description: text('description').notNull(),
  amountVnd: bigint('amount_vnd', { mode: 'number' }).notNull(),
  fundingSource: text('funding_source').notNull(),
  activityDate: date('activity_date').notNull(),
  status: text('status').notNull().default('planned'),
  note: text('note'),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type SupportRow = typeof supportActivities.$inferSelect;

/** Evidence of a support activity: links to documents of the supported producer's locker (evidence module). */
export const supportEvidence = pgTable('support_evidence', {
  supportActivityId: uuid('support_activity_id').notNull(),
  evidenceId: uuid('evidence_id').notNull(),
  linkedBy: uuid('linked_by'),
  linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
});

export const budgetEntries = pgTable('budget_entries', {
  id: uuid('id').primaryKey().defaultRandom(),
  planId: uuid('plan_id').notNull(),
  kind: text('kind').notNull(),
  fundingSource: text('funding_source').notNull(),
  entryDate: date('entry_date').notNull(),
  amountVnd: bigint('amount_vnd', { mode: 'number' }).notNull(),
  supportActivityId: uuid('support_activity_id'),
  eventId: uuid('event_id'),
  description: text('description').notNull(),
  overrideReason: text('override_reason'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
export type BudgetEntryRow = typeof budgetEntries.$inferSelect;

export const programmeEvents = pgTable('programme_events', {
  id: uuid('id').primaryKey().defaultRandom(),
  type: text('type').notNull(),
  title: text('title').notNull(),
  startsOn: date('starts_on').notNull(),
  endsOn: date('ends_on').notNull(),
  place: text('place'),
  organiser: text('organiser'),
  unitId: integer('unit_id').notNull(),
  costVnd: bigint('cost_vnd', { mode: 'number' }).notNull().default(0),
  fundingSource: text('funding_source'),
  attendance: integer('attendance'),
  salesVnd: bigint('sales_vnd', { mode: 'number' }),
  contractsSigned: integer('contracts_signed'),
  followUp: text('follow_up'),
  status: text('status').notNull().default('planned'),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export const programmeEventParticipants = pgTable('programme_event_participants', {
  eventId: uuid('event_id').notNull(),
  producerId: uuid('producer_id').notNull(),
  productId: uuid('product_id'),
});
export type EventRow = typeof programmeEvents.$inferSelect;
