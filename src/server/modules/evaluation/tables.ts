import { bigserial, boolean, integer, smallint, jsonb, numeric, pgTable, primaryKey, text, timestamp, uuid, date } from 'drizzle-orm/pg-core';
import type { Answers } from '../../../shared/criteria.js';

export const rounds = pgTable('rounds', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  level: text('level').notNull(),
  /** Null only for the central council (the ministry has no administrative unit). */
  unitId: integer('unit_id'),
  startsOn: date('starts_on'),
  endsOn: date('ends_on'),
  procedureCode: text('procedure_code').notNull(),
  criteriaSetId: integer('criteria_set_id').notNull(),
  spreadThreshold: numeric('spread_threshold', { mode: 'number' }).notNull().default(10),
  quorumRatio: numeric('quorum_ratio', { mode: 'number' }).notNull().default(0.75),
  minValidSheets: smallint('min_valid_sheets'),
  status: text('status').notNull().default('draft'),
  resultsOpenedAt: timestamp('results_opened_at', { withTimezone: true }),
  finalisedAt: timestamp('finalised_at', { withTimezone: true }),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const roundMembers = pgTable('round_members', {
  roundId: uuid('round_id').notNull(),
  userId: uuid('user_id').notNull(),
  role: text('role').notNull(),
  substituteFor: uuid('substitute_for'),
  addedReason: text('added_reason'),
  addedAt: timestamp('added_at', { withTimezone: true }),
  addedBy: uuid('added_by'),
}, (t) => [primaryKey({ columns: [t.roundId, t.userId] })]);

export interface ProductResult {
  meanScore: number | null;
  submittedCount: number;
  eligibleCount: number;
  quorumMet: boolean;
  spread: number;
  spreadFlag: boolean;
  starByScore: number | null;
  mandatoryCap: number | null;
  finalStar: number | null;
  outcome: 'recognised' | 'forwarded' | 'not_recognised';
  forwardTo: string | null;
  /** Valid sheets this product needed (the procedure's rule and the round's parameters). */
  requiredSheets?: number;
  /**
   * The level whose authority recognises the star: the round's own, or — when a higher council scored a forwarded
   * product below its own stars — the level down the forwarding chain that recognises it (procedure's belowBand).
   */
  issuingLevel?: string | null;
  reasons: string[];
}

export const roundProducts = pgTable('round_products', {
  roundId: uuid('round_id').notNull(),
  productId: uuid('product_id').notNull(),
  sheetId: integer('sheet_id').notNull(),
  discussionNote: text('discussion_note'),
  result: jsonb('result').$type<ProductResult>(),
}, (t) => [primaryKey({ columns: [t.roundId, t.productId] })]);

export const conflicts = pgTable('conflicts', {
  roundId: uuid('round_id').notNull(),
  productId: uuid('product_id').notNull(),
  userId: uuid('user_id').notNull(),
  reason: text('reason').notNull(),
  note: text('note'),
  declaredAt: timestamp('declared_at', { withTimezone: true }).notNull().defaultNow(),
  /** Set when the chair recorded a conflict discovered after the member submitted (it voids that sheet). */
  recordedBy: uuid('recorded_by'),
  voidsSheet: boolean('voids_sheet').notNull().default(false),
}, (t) => [primaryKey({ columns: [t.roundId, t.productId, t.userId] })]);

export const scoreSheets = pgTable('score_sheets', {
  id: uuid('id').primaryKey().defaultRandom(),
  roundId: uuid('round_id').notNull(),
  productId: uuid('product_id').notNull(),
  memberId: uuid('member_id').notNull(),
  sheetId: integer('sheet_id').notNull(),
  answers: jsonb('answers').$type<Answers>().notNull().default({}),
  notes: jsonb('notes').$type<Record<string, string>>().notNull().default({}),
  total: numeric('total', { mode: 'number' }).notNull().default(0),
  partTotals: jsonb('part_totals').$type<Record<string, number>>().notNull().default({}),
  status: text('status').notNull().default('draft'),
  submittedAt: timestamp('submitted_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  version: integer('version').notNull().default(1),
});

export const scoreSheetReopenings = pgTable('score_sheet_reopenings', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  scoreSheetId: uuid('score_sheet_id').notNull(),
  reopenedBy: uuid('reopened_by').notNull(),
  reason: text('reason').notNull(),
  previousTotal: numeric('previous_total', { mode: 'number' }).notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

export const selfAssessments = pgTable('self_assessments', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull(),
  sheetId: integer('sheet_id').notNull(),
  answers: jsonb('answers').$type<Answers>().notNull().default({}),
  notes: jsonb('notes').$type<Record<string, string>>().notNull().default({}),
  total: numeric('total', { mode: 'number' }).notNull().default(0),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type RoundRow = typeof rounds.$inferSelect;
export type ScoreSheetRow = typeof scoreSheets.$inferSelect;
