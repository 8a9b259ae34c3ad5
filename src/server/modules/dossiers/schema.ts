import { z } from 'zod';
import { DOSSIER_KINDS, DOSSIER_STATUSES, EVIDENCE_TYPES, PRE_ASSESSMENT_ITEMS } from '../../../shared/dossier.js';
import { cleanText } from '../../../shared/text.js';
import { zIntParam } from '../../../shared/int.js';

const optText = (max: number) => z.string().max(max).transform(cleanText).transform((s) => (s === '' ? null : s)).nullable().optional();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày theo dạng yyyy-mm-dd');

/** Registration form (phiếu đăng ký sản phẩm): what the council needs beyond the registry record. */
export const ZDossierForm = z.object({
  productionCapacity: optText(300),
  annualOutput: optText(300),
  markets: optText(1000),
  rawMaterialSource: optText(1000),
  workers: z.number().int().min(0).max(1_000_000).nullable().optional(),
  localWorkers: z.number().int().min(0).max(1_000_000).nullable().optional(),
  description: optText(4000),
  developmentPlan: optText(4000),
  contactPerson: optText(120),
  contactPhone: z.string().trim().regex(/^[0-9+ .()-]{8,20}$/, 'Số điện thoại không hợp lệ').nullable().optional(),
}).strict();
export type DossierFormInput = z.infer<typeof ZDossierForm>;
/** The form as stored and answered: the input's fields, without its transforms (a response schema must not transform). */
const text = z.string().nullable().optional();
const count = z.number().int().nullable().optional();
export const ZDossierFormOut = z.object({
  productionCapacity: text, annualOutput: text, markets: text, rawMaterialSource: text, workers: count, localWorkers: count,
  description: text, developmentPlan: text, contactPerson: text, contactPhone: text,
}) satisfies z.ZodType<Partial<z.output<typeof ZDossierForm>>>;
export type DossierForm = z.output<typeof ZDossierFormOut>;
/** Compile-time: a field added to the input form and not to the answer fails type-checking. */
type MissingFromOut = Exclude<keyof z.output<typeof ZDossierForm>, keyof DossierForm>;
export const DOSSIER_FORM_OUT_COMPLETE: MissingFromOut extends never ? true : never = true;

export const ZSample = z.object({
  quantity: z.number().int().min(1, 'Số lượng mẫu phải lớn hơn 0').max(1000),
  unit: z.string().trim().min(1).max(40),
  description: optText(1000).transform((v) => v ?? null),
  deliveredOn: isoDate.nullable().default(null),
});

export const ZCreateDossier = z.object({
  productId: z.string().uuid(),
  kind: z.enum(DOSSIER_KINDS),
  targetStar: z.number().int().min(3).max(5).nullable().default(null),
});
export const ZUpdateDossier = z.object({
  version: z.number().int().positive(),
  form: ZDossierForm.default({}),
  sample: ZSample.nullable().default(null),
  targetStar: z.number().int().min(3).max(5).nullable().default(null),
});
export type DossierUpdateInput = z.input<typeof ZUpdateDossier>;
export const ZAttachEvidence = z.object({ evidenceId: z.string().uuid(), requirement: z.enum(EVIDENCE_TYPES).optional() });
/** Optional body: a bare POST (null body) is accepted. */
export const ZComment = z.object({ comment: z.string().trim().max(2000).optional() }).nullable();
export const ZReturnDossier = z.object({
  reasons: z.array(z.string().trim().min(3, 'Nêu rõ nội dung cần bổ sung').max(500)).min(1, 'Cần ít nhất một nội dung cần bổ sung').max(30),
  comment: z.string().trim().max(2000).optional(),
});
export const ZPreAssessment = z.object({
  items: z.object(Object.fromEntries(PRE_ASSESSMENT_ITEMS.map((k) => [k, z.object({ met: z.boolean(), note: z.string().trim().max(2000).default('') })])) as {
    [K in (typeof PRE_ASSESSMENT_ITEMS)[number]]: z.ZodObject<{ met: z.ZodBoolean; note: z.ZodDefault<z.ZodString> }>;
  }),
  formatChecked: z.boolean(),
  conclusion: z.string().trim().min(3, 'Ghi kết luận tiền đánh giá').max(4000),
});
export const ZAssign = z.object({ roundId: z.string().uuid() });
export const ZDossierListQuery = z.object({
  status: z.enum(DOSSIER_STATUSES).optional(),
  kind: z.enum(DOSSIER_KINDS).optional(),
  productId: z.string().uuid().optional(),
  q: z.string().trim().max(200).optional(),
  page: zIntParam(1, 100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type DossierListQuery = z.infer<typeof ZDossierListQuery>;

const ZRef = z.object({ id: z.string(), name: z.string() });
const ZEvidenceRef = z.object({ id: z.string(), title: z.string(), expiresOn: z.string().nullable(), expired: z.boolean() });
export const DOSSIER_ACTIONS = ['edit', 'submit', 'return', 'accept', 'preAssess', 'assign', 'withdraw'] as const;

export const ZDossier = z.object({
  id: z.string(),
  kind: z.enum(DOSSIER_KINDS),
  status: z.enum(DOSSIER_STATUSES),
  version: z.number(),
  product: z.object({ id: z.string(), name: z.string(), taxonomyCode: z.string(), sector: z.string() }),
  producer: z.object({ id: z.string(), legalName: z.string() }),
  procedure: z.object({ code: z.string(), name: z.string(), intake: z.enum(['commune', 'district']) }),
  intakeUnit: z.object({ id: z.number(), name: z.string() }),
  targetStar: z.number().nullable(),
  form: ZDossierFormOut,
  sample: z.object({ quantity: z.number(), unit: z.string(), description: z.string().nullable(), deliveredOn: z.string().nullable() }).nullable(),
  sampleRequired: z.boolean(),
  preAssessment: z.object({
    items: z.record(z.enum(PRE_ASSESSMENT_ITEMS), z.object({ met: z.boolean(), note: z.string() })), formatChecked: z.boolean(), conclusion: z.string(), by: z.string(), at: z.string(),
  }).nullable(),
  preAssessmentRequired: z.boolean(),
  checklist: z.array(z.object({ type: z.enum(EVIDENCE_TYPES), label: z.string(), required: z.boolean(), evidence: z.array(ZEvidenceRef), satisfied: z.boolean() })),
  missing: z.array(z.object({ type: z.enum([...EVIDENCE_TYPES, 'sample', 'selfAssessment']), label: z.string(), reason: z.enum(['missing', 'expired']) })),
  linkedEvidence: z.array(z.object({
    id: z.string(), type: z.enum(EVIDENCE_TYPES), title: z.string(), expiresOn: z.string().nullable(), expired: z.boolean(), requirement: z.string(), downloadUrl: z.string(),
  })),
  selfAssessment: z.object({ total: z.number(), star: z.number().nullable(), updatedAt: z.string() }).nullable(),
  round: z.object({ id: z.string(), name: z.string(), status: z.string() }).nullable(),
  result: z.object({
    outcome: z.string().optional(), finalStar: z.number().nullable().optional(), meanScore: z.number().nullable().optional(),
    reasons: z.array(z.string()).optional(), forwardTo: z.string().nullable().optional(), issuingLevel: z.string().nullable().optional(),
  }).passthrough().nullable(),
  /** Every council the dossier went through, oldest first (commune pre-assessment is in the events). */
  levelResults: z.array(z.object({
    roundId: z.string().uuid(), roundName: z.string(), level: z.string(), outcome: z.string(), meanScore: z.number().nullable(), finalStar: z.number().int().nullable(),
    forwardTo: z.string().nullable(), issuingLevel: z.string().nullable(), at: z.string(),
  })),
  certificate: z.object({ id: z.string(), number: z.string(), status: z.string() }).nullable(),
  baseCertificate: z.object({ id: z.string(), number: z.string(), star: z.number(), expiresOn: z.string() }).nullable(),
  events: z.array(z.object({
    id: z.number(), from: z.enum(DOSSIER_STATUSES).nullable(), to: z.enum(DOSSIER_STATUSES), actor: z.string(), at: z.string(), comment: z.string().nullable(), reasons: z.array(z.string()).nullable(),
  })),
  allowedActions: z.array(z.enum(DOSSIER_ACTIONS)),
  submittedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Dossier = z.infer<typeof ZDossier>;
export type DossierAllowedAction = (typeof DOSSIER_ACTIONS)[number];
export type DossierSample = NonNullable<Dossier['sample']>;
export type PreAssessment = NonNullable<Dossier['preAssessment']>;
export type PreAssessmentInput = z.input<typeof ZPreAssessment>;

export const ZDossierListItem = z.object({
  id: z.string(),
  kind: z.enum(DOSSIER_KINDS),
  status: z.enum(DOSSIER_STATUSES),
  product: ZRef,
  producer: z.object({ id: z.string(), legalName: z.string() }),
  intakeUnit: z.object({ id: z.number(), name: z.string() }),
  procedureCode: z.string(),
  targetStar: z.number().nullable(),
  submittedAt: z.string().nullable(),
  updatedAt: z.string(),
  missingCount: z.number(),
});
export type DossierSummary = z.infer<typeof ZDossierListItem>;
export const ZDossierPage = z.object({ items: z.array(ZDossierListItem), total: z.number() });
export type DossierPage = z.infer<typeof ZDossierPage>;
