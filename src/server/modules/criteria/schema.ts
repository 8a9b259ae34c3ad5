import { z } from 'zod';

export const ZOption = z.object({ label: z.string().trim().min(1).max(500), points: z.number().min(0).max(100), disqualifies: z.boolean().optional() });

type Node = { code: string; title: string; max?: number; mandatoryFromStar?: number | null; children?: Node[]; options?: z.infer<typeof ZOption>[] };
export const ZCriteriaNode: z.ZodType<Node> = z.lazy(() =>
  z.object({
    code: z.string().trim().min(1).max(30),
    title: z.string().trim().min(1).max(500),
    max: z.number().min(0).max(100).optional(),
    mandatoryFromStar: z.number().int().min(1).max(5).nullable().optional(),
    children: z.array(ZCriteriaNode).max(100).optional(),
    options: z.array(ZOption).max(20).optional(),
  }),
);
export const ZSheetDoc = z.object({ parts: z.array(ZCriteriaNode).min(1).max(10) });
export const ZStarBands = z.array(z.object({ star: z.number().int().min(1).max(5), min: z.number().min(0).max(100) })).min(1).max(5);

export const ZIssue = z.object({ code: z.string(), severity: z.enum(['error', 'warning']), message: z.string() });

export const ZCriteriaSheetSummary = z.object({
  id: z.number().int(),
  setId: z.number().int(),
  taxonomyNodeId: z.number().int(),
  taxonomyCode: z.string(),
  title: z.string(),
  isDemo: z.boolean(),
  criteriaCount: z.number().int(),
  issues: z.array(ZIssue),
});
export const ZCriteriaSheet = ZCriteriaSheetSummary.extend({ doc: ZSheetDoc, note: z.string().nullable() });

export const ZCriteriaSet = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  decision: z.string(),
  signedOn: z.string().nullable(),
  effectiveFrom: z.string().nullable(),
  taxonomyVersion: z.string(),
  partMaxima: z.record(z.string(), z.number()),
  starBands: ZStarBands,
  status: z.enum(['draft', 'published']),
  isDemo: z.boolean(),
  note: z.string().nullable(),
  publishedAt: z.string().nullable(),
  sheets: z.array(ZCriteriaSheetSummary),
});
export type CriteriaSet = z.infer<typeof ZCriteriaSet>;

export const ZCreateSet = z.object({
  code: z.string().trim().regex(/^[a-z0-9.+-]{2,40}$/, 'Mã bộ tiêu chí: chữ thường không dấu, số, . + -'),
  name: z.string().trim().min(2).max(200),
  decision: z.string().trim().min(2).max(100),
  signedOn: z.iso.date().nullable().default(null),
  effectiveFrom: z.iso.date().nullable().default(null),
  taxonomyVersion: z.string().trim().min(1).max(20),
  partMaxima: z.record(z.string().regex(/^[A-Z]$/), z.number().min(0).max(100)),
  starBands: ZStarBands.default([{ star: 1, min: 0 }, { star: 2, min: 30 }, { star: 3, min: 50 }, { star: 4, min: 70 }, { star: 5, min: 90 }]),
  isDemo: z.boolean().default(false),
  note: z.string().max(2000).nullable().default(null),
});
export type CreateSet = z.infer<typeof ZCreateSet>;

/** A sheet as our document, or in the transcription format (parts → sections → criteria → [label, points]). */
export const ZPutSheet = z.object({
  taxonomyNodeId: z.number().int().positive(),
  title: z.string().trim().min(2).max(300),
  doc: ZSheetDoc,
  isDemo: z.boolean().default(false),
  note: z.string().max(2000).nullable().default(null),
});
export type PutSheet = z.infer<typeof ZPutSheet>;

export const ZProcedure = z.object({
  code: z.string(),
  name: z.string(),
  decision: z.string(),
  effectiveFrom: z.string().nullable(),
  effectiveTo: z.string().nullable(),
  levels: z.array(z.object({
    level: z.enum(['commune', 'district', 'province', 'central']),
    name: z.string(),
    recognisesStars: z.array(z.number().int()),
    forwardFrom: z.number().nullable(),
    forwardTo: z.string().nullable(),
    preAssessment: z.object({ criteria: z.array(z.string()) }).nullable().optional(),
  })),
  note: z.string().nullable(),
});
