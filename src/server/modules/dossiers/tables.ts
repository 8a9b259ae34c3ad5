import { bigserial, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ProductResult } from '../evaluation/tables.js';

/** Registration form fields (mẫu phiếu đăng ký) kept as one JSON document validated by ZDossierForm. */
export type DossierForm = Record<string, unknown>;
export interface DossierSample { quantity: number; unit: string; description: string | null; deliveredOn: string | null }
export interface PreAssessment { items: Record<string, { met: boolean; note: string }>; formatChecked: boolean; conclusion: string; by: string; at: string }

export interface LevelResult {
  roundId: string;
  roundName: string;
  level: string;
  unitId: number | null;
  outcome: ProductResult['outcome'];
  meanScore: number | null;
  finalStar: number | null;
  forwardTo: string | null;
  issuingLevel: string | null;
  at: string;
}

export const dossiers = pgTable('dossiers', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull(),
  producerId: uuid('producer_id').notNull(),
  kind: text('kind').notNull(),
  procedureCode: text('procedure_code').notNull(),
  intakeUnitId: integer('intake_unit_id').notNull(),
  status: text('status').notNull().default('draft'),
  targetStar: smallint('target_star'),
  form: jsonb('form').$type<DossierForm>().notNull().default({}),
  sample: jsonb('sample').$type<DossierSample | null>(),
  preAssessment: jsonb('pre_assessment').$type<PreAssessment | null>(),
  previousDossierId: uuid('previous_dossier_id'),
  baseCertificateId: uuid('base_certificate_id'),
  roundId: uuid('round_id'),
  result: jsonb('result').$type<ProductResult | null>(),
  /** The round that forwarded the dossier to the level it now waits at (or was assigned to). */
  forwardedFromRoundId: uuid('forwarded_from_round_id'),
  /** Every level's result, oldest first: the timeline shows every council the dossier went through. */
  levelResults: jsonb('level_results').$type<LevelResult[]>().notNull().default([]),
  submittedAt: timestamp('submitted_at', { withTimezone: true }),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const dossierEvidence = pgTable('dossier_evidence', {
  dossierId: uuid('dossier_id').notNull(),
  evidenceId: uuid('evidence_id').notNull(),
  requirement: text('requirement').notNull(),
  attachedAt: timestamp('attached_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.dossierId, t.evidenceId] })]);

export const dossierEvents = pgTable('dossier_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  dossierId: uuid('dossier_id').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status').notNull(),
  actorId: uuid('actor_id'),
  actorLabel: text('actor_label').notNull(),
  comment: text('comment'),
  reasons: jsonb('reasons').$type<string[] | null>(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

export type DossierRow = typeof dossiers.$inferSelect;
export type DossierEventRow = typeof dossierEvents.$inferSelect;
