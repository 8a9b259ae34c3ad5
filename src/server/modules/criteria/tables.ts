import { boolean, date, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import type { CriteriaSheetDoc, StarBands } from '../../../shared/criteria.js';

export const criteriaSets = pgTable('criteria_sets', {
  id: serial('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  decision: text('decision').notNull(),
  signedOn: date('signed_on'),
  effectiveFrom: date('effective_from'),
  taxonomyVersion: text('taxonomy_version').notNull(),
  partMaxima: jsonb('part_maxima').$type<Record<string, number>>().notNull(),
  starBands: jsonb('star_bands').$type<StarBands>().notNull(),
  status: text('status').notNull().default('draft'),
  isDemo: boolean('is_demo').notNull().default(false),
  note: text('note'),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const criteriaSheets = pgTable('criteria_sheets', {
  id: serial('id').primaryKey(),
  setId: integer('set_id').notNull(),
  taxonomyNodeId: integer('taxonomy_node_id').notNull(),
  title: text('title').notNull(),
  doc: jsonb('doc').$type<CriteriaSheetDoc>().notNull(),
  isDemo: boolean('is_demo').notNull().default(false),
  note: text('note'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const procedureVersions = pgTable('procedure_versions', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  decision: text('decision').notNull(),
  effectiveFrom: date('effective_from'),
  effectiveTo: date('effective_to'),
  doc: jsonb('doc').$type<ProcedureDoc>().notNull(),
  note: text('note'),
});

export type RecognitionLevel = 'commune' | 'district' | 'province' | 'central';

export interface ProcedureLevel {
  level: RecognitionLevel;
  name: string;
  recognisesStars: number[];
  forwardFrom: number | null;
  forwardTo: string | null;
  preAssessment?: { criteria: string[] } | null;
  /** Administrative unit types that may hold a round at this level (none for the central council). */
  unitTypes?: string[];
  /** Who signs the recognition decision, by date; `{unit}` = the unit's type and name ("tỉnh Bắc Ninh"). */
  issuers?: { from: string | null; to: string | null; name: string }[];
}
export interface ProcedureDoc {
  levels: ProcedureLevel[];
  intake?: string;
  /** Valid sheets a product's result needs: more than minValidShare of the scoring members, and at least minValidSheets. */
  council?: { minValidShare: number; minValidSheets: number };
  /** What happens when a higher council scores a forwarded product below the stars it recognises. */
  belowBand?: { rule: 'return_to_sender' | 'not_recognised' };
  /** Under 148 + 1489 a failed commune pre-assessment stops the dossier at the commune. */
  preAssessmentMustPass?: boolean;
}

export type CriteriaSetRow = typeof criteriaSets.$inferSelect;
export type CriteriaSheetRow = typeof criteriaSheets.$inferSelect;
export type ProcedureRow = typeof procedureVersions.$inferSelect;
