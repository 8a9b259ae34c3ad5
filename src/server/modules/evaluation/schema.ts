import { z } from 'zod';
import { ZSheetDoc } from '../criteria/schema.js';

export const ROUND_LEVELS = ['commune', 'district', 'province', 'central'] as const;
export const MEMBER_ROLES = ['chair', 'vice_chair', 'member', 'secretary', 'advisor'] as const;
/** Roles that score; the secretary and the advisory team do not. */
export const SCORING_ROLES = ['chair', 'vice_chair', 'member'] as const;
export const CONFLICT_REASONS = ['same_producer', 'family', 'business_partner', 'other'] as const;

export const ZCreateRound = z.object({
  name: z.string().trim().min(3).max(200),
  level: z.enum(ROUND_LEVELS),
  /** The unit holding the round; none for the central council. */
  unitId: z.number().int().positive().max(2147483647).nullable().default(null),
  startsOn: z.iso.date().nullable().default(null),
  endsOn: z.iso.date().nullable().default(null),
  procedureCode: z.string().trim().min(1).max(30),
  criteriaSetId: z.number().int().positive(),
  spreadThreshold: z.number().positive().max(100).default(10),
  quorumRatio: z.number().gt(0).max(1).default(0.75),
  /** Valid sheets a product's result needs, above the procedure's rule (more than half of the scoring members, at least 3). */
  minValidSheets: z.number().int().min(1).max(40).nullable().default(null),
  members: z
    .array(z.object({ userId: z.string().uuid(), role: z.enum(MEMBER_ROLES) }))
    .min(1)
    .max(40)
    .refine((ms) => ms.filter((m) => m.role === 'chair').length === 1, 'Hội đồng cần đúng một chủ tịch')
    .refine((ms) => new Set(ms.map((m) => m.userId)).size === ms.length, 'Một người chỉ giữ một vai trò trong hội đồng'),
  productIds: z.array(z.string().uuid()).max(2000).default([]),
});
export type CreateRound = z.infer<typeof ZCreateRound>;

export const ZAddProducts = z.object({ productIds: z.array(z.string().uuid()).min(1).max(2000) });

export const ZConflict = z.object({ reason: z.enum(CONFLICT_REASONS), note: z.string().trim().max(1000).nullable().default(null) });

/** What a member sends: the chosen option per criterion and notes. Points and totals are never read from here. */
export const ZAnswersBody = z.object({
  answers: z.record(z.string().max(30), z.number().int().min(0).max(50)),
  notes: z.record(z.string().max(30), z.string().max(2000)).default({}),
});

export const ZSubstitute = z.object({
  userId: z.string().uuid(),
  /** The member the substitute replaces (who stays on record), if any. */
  replaces: z.string().uuid().nullable().default(null),
  reason: z.string().trim().min(3, 'Cần ghi lý do bổ sung thành viên').max(1000),
});
export const ZLateConflict = z.object({
  memberId: z.string().uuid(),
  reason: z.enum(CONFLICT_REASONS),
  note: z.string().trim().min(3, 'Cần ghi lý do (xung đột lợi ích phát hiện sau khi chấm)').max(1000),
});

export const ZReopen = z.object({ reason: z.string().trim().min(3, 'Cần ghi lý do chấm lại').max(1000) });
export const ZFinalise = z.object({ discussionNotes: z.record(z.string().uuid(), z.string().trim().min(3).max(2000)).default({}) });

const ZResult = z.object({
  meanScore: z.number().nullable(),
  submittedCount: z.number().int(),
  eligibleCount: z.number().int(),
  quorumMet: z.boolean(),
  spread: z.number(),
  spreadFlag: z.boolean(),
  starByScore: z.number().int().nullable(),
  mandatoryCap: z.number().int().nullable(),
  finalStar: z.number().int().nullable(),
  outcome: z.enum(['recognised', 'forwarded', 'not_recognised']),
  forwardTo: z.string().nullable(),
  requiredSheets: z.number().int().optional(),
  issuingLevel: z.string().nullable().optional(),
  reasons: z.array(z.string()),
});

/** An account that can sit on a council (GET /api/rounds/candidates). */
export const ZCouncilCandidate = z.object({ id: z.string().uuid(), fullName: z.string(), login: z.string(), role: z.string() });
export type CouncilCandidate = z.infer<typeof ZCouncilCandidate>;

export const ZRound = z.object({
  id: z.string().uuid(),
  name: z.string(),
  level: z.enum(ROUND_LEVELS),
  unit: z.object({ id: z.number().int().nullable(), name: z.string() }),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  procedure: z.object({ code: z.string(), name: z.string() }),
  criteriaSet: z.object({ id: z.number().int(), code: z.string(), name: z.string(), isDemo: z.boolean() }),
  spreadThreshold: z.number(),
  quorumRatio: z.number(),
  minValidSheets: z.number().int().nullable(),
  /** Valid sheets each product needs with the council as it stands (procedure rule + round parameters). */
  requiredSheets: z.number().int(),
  status: z.enum(['draft', 'scoring', 'results_open', 'finalised']),
  members: z.array(z.object({ userId: z.string().uuid(), fullName: z.string(), role: z.enum(MEMBER_ROLES), substituteFor: z.string().uuid().nullable(), addedReason: z.string().nullable() })),
  /** What the asking user may do on this round now (the UI shows only these). */
  allowedActions: z.array(z.enum(['manage', 'openScoring', 'addProducts', 'chair', 'addSubstitute', 'recordConflict'])),
  myRole: z.enum(MEMBER_ROLES).nullable(),
  productCount: z.number().int(),
  finalisedAt: z.string().nullable(),
});
export type Round = z.infer<typeof ZRound>;

export const ZRoundProduct = z.object({
  productId: z.string().uuid(),
  name: z.string(),
  producerName: z.string(),
  taxonomyCode: z.string(),
  sheetId: z.number().int(),
  sheetTitle: z.string(),
  isDemoSheet: z.boolean(),
  /** Progress (everyone in the round): counts only, never another member's score before results open. */
  eligibleCount: z.number().int(),
  submittedCount: z.number().int(),
  conflictCount: z.number().int(),
  myStatus: z.enum(['none', 'draft', 'submitted', 'conflict', 'not_scoring']),
  myTotal: z.number().nullable(),
  /** Chair, secretary and officers: spread and flags; everyone once results are open. */
  spread: z.number().nullable(),
  spreadFlag: z.boolean().nullable(),
  quorumMet: z.boolean().nullable(),
  discussionNote: z.string().nullable(),
  memberScores: z.array(z.object({ memberId: z.string().uuid(), fullName: z.string(), status: z.string(), total: z.number().nullable(), sheetId: z.string().uuid().nullable() })).nullable(),
  result: ZResult.nullable(),
});

export const ZMySheet = z.object({
  id: z.string().uuid().nullable(),
  status: z.enum(['none', 'draft', 'submitted']),
  roundStatus: z.string(),
  product: z.object({ id: z.string().uuid(), name: z.string(), producerName: z.string() }),
  sheet: z.object({ id: z.number().int(), title: z.string(), isDemo: z.boolean(), doc: ZSheetDoc }),
  answers: z.record(z.string(), z.number()),
  notes: z.record(z.string(), z.string()),
  total: z.number(),
  partTotals: z.record(z.string(), z.number()),
  missing: z.array(z.string()),
  version: z.number().int().nullable(),
  memberName: z.string(),
});

export const ZSelfAssessment = z.object({
  product: z.object({ id: z.string().uuid(), name: z.string() }),
  sheet: z.object({ id: z.number().int(), title: z.string(), isDemo: z.boolean(), setName: z.string(), doc: ZSheetDoc }),
  answers: z.record(z.string(), z.number()),
  notes: z.record(z.string(), z.string()),
  total: z.number(),
  partTotals: z.record(z.string(), z.number()),
  star: z.number().int(),
  missing: z.array(z.string()),
  nextStar: z.number().int().nullable(),
  pointsToNextStar: z.number().nullable(),
  reachable: z.boolean(),
  plan: z.array(z.object({ code: z.string(), title: z.string(), current: z.number(), best: z.number(), bestOption: z.string(), gain: z.number() })),
  updatedAt: z.string().nullable(),
});
