import { z } from 'zod';

export const PLAN_STATUSES = ['draft', 'in_force', 'closed'] as const;
export const TARGET_UNITS = ['count', 'percent', 'million_vnd'] as const;
export const MARKS = ['on_track', 'at_risk', 'off_track'] as const;
export const PLAN_ACTIONS = ['edit', 'copy', 'setStatus'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày phải có dạng yyyy-mm-dd');

export const ZTargetInput = z.object({
  indicator: z.string().regex(/^[a-z0-9_]{2,60}$/, 'Mã chỉ tiêu không hợp lệ'),
  year: z.number().int().min(2000).max(2100).nullable().default(null),
  communeUnitId: z.number().int().positive().nullable().default(null),
  perCommune: z.boolean().default(false),
  valueMin: z.number().nonnegative().nullable().default(null),
  valueMax: z.number().nonnegative().nullable().default(null),
  unit: z.enum(TARGET_UNITS),
  fundingSource: z.string().trim().min(1).max(200).nullable().default(null),
  label: z.string().trim().max(300).nullable().default(null),
  note: z.string().trim().max(2000).nullable().default(null),
}).refine((t) => t.valueMin !== null || t.valueMax !== null, { message: 'Cần giá trị hoặc khoảng giá trị', path: ['valueMin'] })
  .refine((t) => t.valueMin === null || t.valueMax === null || t.valueMin <= t.valueMax, { message: 'Giá trị tối thiểu lớn hơn tối đa', path: ['valueMax'] })
  .refine((t) => t.unit !== 'percent' || ((t.valueMin ?? 0) <= 100 && (t.valueMax ?? 0) <= 100), { message: 'Tỷ lệ không vượt quá 100 %', path: ['valueMax'] })
  .refine((t) => !(t.perCommune && t.communeUnitId !== null), { message: 'Chọn "mỗi xã" hoặc một xã, không cả hai', path: ['perCommune'] });
export type TargetInput = z.infer<typeof ZTargetInput>;

export const ZPlanInput = z.object({
  code: z.string().regex(/^[a-z0-9][a-z0-9-]{1,60}$/, 'Mã kế hoạch: chữ thường, số, gạch ngang'),
  title: z.string().trim().min(1, 'Cần tên kế hoạch').max(500),
  issuingUnit: z.string().trim().min(1, 'Cần cơ quan ban hành').max(300),
  documentNumber: z.string().trim().max(100).nullable().default(null),
  issuedOn: isoDate.nullable().default(null),
  legalBasis: z.array(z.string().trim().min(1).max(1000)).max(50).default([]),
  areaUnitId: z.number().int().positive(),
  periodFrom: z.number().int().min(2000).max(2100),
  periodTo: z.number().int().min(2000).max(2100),
  status: z.enum(PLAN_STATUSES).default('draft'),
  note: z.string().trim().max(4000).nullable().default(null),
  targets: z.array(ZTargetInput).max(2000).default([]),
}).refine((p) => p.periodTo >= p.periodFrom, { message: 'Năm kết thúc trước năm bắt đầu', path: ['periodTo'] });
export type PlanInput = z.infer<typeof ZPlanInput>;

export const ZPlanUpdate = z.object({ version: z.number().int().positive() }).and(ZPlanInput);
export const ZPlanCopy = z.object({
  code: ZPlanInput.shape.code,
  title: z.string().trim().min(1).max(500),
  periodFrom: z.number().int().min(2000).max(2100).optional(),
  periodTo: z.number().int().min(2000).max(2100).optional(),
  areaUnitId: z.number().int().positive().optional(),
  issuingUnit: z.string().trim().min(1).max(300).optional(),
});

export const ZUnitRef = z.object({ id: z.number(), key: z.string(), name: z.string(), type: z.string() });
export const ZTarget = z.object({
  id: z.string(), indicator: z.string(), indicatorName: z.string(), year: z.number().nullable(), communeUnit: ZUnitRef.nullable(), perCommune: z.boolean(),
  valueMin: z.number().nullable(), valueMax: z.number().nullable(), unit: z.enum(TARGET_UNITS), fundingSource: z.string().nullable(),
  label: z.string().nullable(), note: z.string().nullable(),
});
export const ZPlan = z.object({
  id: z.string(), code: z.string(), title: z.string(), issuingUnit: z.string(), documentNumber: z.string().nullable(), issuedOn: z.string().nullable(),
  legalBasis: z.array(z.string()), areaUnit: ZUnitRef, periodFrom: z.number(), periodTo: z.number(), status: z.enum(PLAN_STATUSES),
  copiedFromId: z.string().nullable(), note: z.string().nullable(), isDemo: z.boolean(), version: z.number(), targets: z.array(ZTarget),
  canEdit: z.boolean(),
  /** What this user may do with the plan (the server's policy; the web only shows these). */
  allowedActions: z.array(z.enum(PLAN_ACTIONS)),
  /** Communes of the plan's area over time (old ones and their successors), for targets by commune. */
  communes: z.array(ZUnitRef.extend({ validFrom: z.string().nullable(), validTo: z.string().nullable() })),
});
export type Plan = z.infer<typeof ZPlan>;
export const ZPlanSummary = ZPlan.omit({ targets: true, communes: true }).extend({ targetCount: z.number() });

export const ZIndicatorDef = z.object({
  code: z.string(), name: z.string(), unit: z.enum(TARGET_UNITS), nature: z.enum(['stock', 'flow']), rule: z.string(), measurable: z.boolean(), notMeasured: z.string().nullable(),
});

export const ZPanelQuery = z.object({ asOf: isoDate.optional() });
export const ZDrillQuery = z.object({
  asOf: isoDate.optional(),
  /** A year of the plan: stocks on 31/12 (or asOf), flows within that year. Absent = the period up to asOf. */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  communeUnitId: z.coerce.number().int().positive().optional(),
  /** Money indicators: one funding source. */
  fundingSource: z.string().regex(/^[a-z_]{2,40}$/).optional(),
});

export const ZRecord = z.object({
  kind: z.enum(['product', 'certificate', 'producer', 'event', 'budget_entry']), id: z.string(), label: z.string(), productId: z.string().nullable(), productName: z.string().nullable(),
  producerName: z.string().nullable(), unitName: z.string().nullable(), star: z.number().nullable(), date: z.string().nullable(), detail: z.string().nullable(),
  amountVnd: z.number().nullable(),
});
export const ZDrill = z.object({
  indicator: ZIndicatorDef, asOf: z.string(), from: z.string(), communeUnit: ZUnitRef.nullable(),
  value: z.number(), numerator: z.number().nullable(), denominator: z.number().nullable(), records: z.array(ZRecord),
});

const ZTargetValue = z.object({ min: z.number().nullable(), max: z.number().nullable() });
export const ZPanelRow = z.object({
  indicator: ZIndicatorDef,
  label: z.string().nullable(),
  fundingSource: z.string().nullable(),
  target: ZTargetValue,
  actual: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  baseline: z.number().nullable(),
  projection: z.number().nullable(),
  mark: z.enum(MARKS).nullable(),
  aboveRange: z.boolean(),
  years: z.array(z.object({ year: z.number(), asOf: z.string(), actual: z.number().nullable(), target: ZTargetValue.nullable(), mark: z.enum(MARKS).nullable() })),
});
export const ZCommuneRow = z.object({
  unit: ZUnitRef,
  values: z.record(z.string(), z.number()),
  targets: z.array(z.object({ indicator: z.string(), min: z.number().nullable(), max: z.number().nullable(), actual: z.number().nullable(), met: z.boolean().nullable() })),
});
export const ZPanel = z.object({
  plan: ZPlanSummary,
  asOf: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  scope: z.enum(['area', 'communes']),
  rule: z.string(),
  rows: z.array(ZPanelRow),
  communes: z.array(ZCommuneRow),
  communeIndicators: z.array(z.object({ code: z.string(), name: z.string() })),
  perCommuneSummary: z.array(z.object({ indicator: z.string(), min: z.number().nullable(), max: z.number().nullable(), met: z.number(), total: z.number() })),
});
export type Panel = z.infer<typeof ZPanel>;

// ─── Home ───
export const ZHomeDossier = z.object({
  id: z.string(), kind: z.string(), status: z.string(), productName: z.string(), producerName: z.string(), intakeUnitName: z.string(),
  waitingDays: z.number(), missingCount: z.number(),
});
export const ZHomeCertificate = z.object({ id: z.string(), number: z.string(), productId: z.string(), productName: z.string(), producerName: z.string(), star: z.number(), expiresOn: z.string(), daysLeft: z.number(), status: z.string() });
const ZSummaryRow = z.object({
  indicator: z.string(), name: z.string(), unit: z.string(), actual: z.number().nullable(), min: z.number().nullable(), max: z.number().nullable(), mark: z.string().nullable(), projection: z.number().nullable(),
});

export const ZHome = z.object({
  role: z.string(),
  today: z.string(),
  officer: z.object({
    dossiersByStatus: z.array(z.object({ status: z.string(), total: z.number(), byAge: z.record(z.string(), z.number()), items: z.array(ZHomeDossier) })),
    expiringWithoutDossier: z.array(ZHomeCertificate),
    roundsInProgress: z.array(z.object({ id: z.string(), name: z.string(), level: z.string(), status: z.string(), unitName: z.string() })),
    openFlags: z.number(),
    newReports: z.number(),
  }).nullable(),
  council: z.object({
    rounds: z.array(z.object({ id: z.string(), name: z.string(), status: z.string(), role: z.string(), products: z.number(), submitted: z.number(), left: z.number() })),
    sheetsLeft: z.number(),
  }).nullable(),
  producer: z.object({
    products: z.number(),
    dossiers: z.array(ZHomeDossier),
    certificates: z.array(ZHomeCertificate),
    nextSteps: z.array(z.object({ key: z.string(), text: z.string(), link: z.string() })),
  }).nullable(),
  programme: z.object({ planId: z.string(), title: z.string(), asOf: z.string(), scope: z.string(), rows: z.array(ZSummaryRow) }).nullable(),
});
export type Home = z.infer<typeof ZHome>;

// ─── Support activities ───
export const SUPPORT_TYPES = ['labels_packaging', 'traceability_stamps', 'trademark_gi', 'website_ecommerce', 'testing', 'quality_certification', 'trade_promotion', 'equipment_infrastructure', 'training'] as const;
/** Funding sources in the shape of a plan's budget appendix (appendix 03 of the Lục Ngạn plan). */
export const FUNDING_SOURCES = ['central_ntm', 'province_budget', 'district_budget', 'science_technology', 'agricultural_extension', 'industrial_extension', 'trade_promotion', 'mobilised', 'other'] as const;
export const SUPPORT_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;

export const ZSupportInput = z.object({
  producerId: z.string().uuid('Mã chủ thể không hợp lệ'),
  productId: z.string().uuid('Mã sản phẩm không hợp lệ').nullable().default(null),
  type: z.enum(SUPPORT_TYPES),
  description: z.string().trim().min(1, 'Cần nội dung hỗ trợ').max(2000),
  amountVnd: z.number().int('Số tiền tính bằng đồng, không lẻ').min(0).max(1e13),
  fundingSource: z.enum(FUNDING_SOURCES),
  activityDate: isoDate,
  status: z.enum(SUPPORT_STATUSES).default('planned'),
  note: z.string().trim().max(2000).nullable().default(null),
});
export type SupportInput = z.infer<typeof ZSupportInput>;
export const ZSupportUpdate = z.object({ version: z.number().int().positive() }).and(ZSupportInput);
export const ZSupportListQuery = z.object({
  producerId: z.string().uuid().optional(),
  productId: z.string().uuid().optional(),
  type: z.enum(SUPPORT_TYPES).optional(),
  status: z.enum(SUPPORT_STATUSES).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type SupportListQuery = z.infer<typeof ZSupportListQuery>;
export const ZSupport = z.object({
  id: z.string(), producer: z.object({ id: z.string(), legalName: z.string() }), product: z.object({ id: z.string(), name: z.string() }).nullable(),
  type: z.enum(SUPPORT_TYPES), description: z.string(), amountVnd: z.number(), fundingSource: z.enum(FUNDING_SOURCES), activityDate: z.string(),
  status: z.enum(SUPPORT_STATUSES), note: z.string().nullable(), unitName: z.string(), version: z.number(), canEdit: z.boolean(),
  /** May open the activity's documents (the supported producer, the officers responsible). */
  canSeeEvidence: z.boolean(),
});
export const ZSupportPage = z.object({ items: z.array(ZSupport), total: z.number(), totalAmountVnd: z.number() });
export const ZSupportEvidence = z.object({
  id: z.string(), type: z.string(), title: z.string(), issuer: z.string().nullable(), number: z.string().nullable(), issuedOn: z.string().nullable(),
  fileName: z.string(), contentType: z.string(), bytes: z.number(), createdAt: z.string(), downloadUrl: z.string(),
});
export const ZSupportEvidenceList = z.object({ canUpload: z.boolean(), producerId: z.string(), items: z.array(ZSupportEvidence) });
export const ZSupportEvidenceParams = z.object({ id: z.string().uuid('Mã không hợp lệ'), evidenceId: z.string().uuid('Mã không hợp lệ') });

// ─── Budget ───
export const BUDGET_KINDS = ['commitment', 'disbursement'] as const;
export const ZBudgetEntryInput = z.object({
  kind: z.enum(BUDGET_KINDS),
  fundingSource: z.enum(FUNDING_SOURCES),
  entryDate: isoDate,
  amountVnd: z.number().int('Số tiền tính bằng đồng, không lẻ').positive('Số tiền phải lớn hơn 0').max(1e13),
  supportActivityId: z.string().uuid().nullable().default(null),
  eventId: z.string().uuid().nullable().default(null),
  description: z.string().trim().min(1, 'Cần nội dung').max(1000),
  /** Required to go on past the overspending warning (BUDGET_EXCEEDED); recorded with the entry. */
  overrideReason: z.string().trim().min(5, 'Lý do cần ít nhất 5 ký tự').max(1000).nullable().default(null),
}).refine((e) => !(e.supportActivityId && e.eventId), { message: 'Chỉ gắn với một hoạt động hỗ trợ hoặc một sự kiện', path: ['eventId'] });
export type BudgetEntryInput = z.infer<typeof ZBudgetEntryInput>;
export const ZBudgetEntry = z.object({
  id: z.string(), kind: z.enum(BUDGET_KINDS), fundingSource: z.enum(FUNDING_SOURCES), entryDate: z.string(), amountVnd: z.number(),
  supportActivityId: z.string().nullable(), eventId: z.string().nullable(), description: z.string(), overrideReason: z.string().nullable(), createdAt: z.string(),
  /** What the entry pays for, in words (the support activity or the event); absent on the answer to a new entry. */
  linkLabel: z.string().nullable().optional(),
});
const ZMoneyCell = z.object({ plannedVnd: z.number().nullable(), committedVnd: z.number(), disbursedVnd: z.number() });
/** Appendix 03 of the plan: funding sources × years (and the whole period), planned vs committed vs disbursed. */
export const ZBudgetAppendix = z.object({
  years: z.array(z.number()),
  rows: z.array(z.object({
    /** null = the total of all sources. */
    fundingSource: z.enum(FUNDING_SOURCES).nullable(),
    cells: z.array(ZMoneyCell.extend({ year: z.number() })),
    total: ZMoneyCell.extend({ balanceVnd: z.number().nullable(), overspent: z.boolean() }),
  })),
});
const ZBudgetLine = z.object({
  fundingSource: z.string().nullable(), year: z.number().nullable(),
  plannedVnd: z.number().nullable(), committedVnd: z.number(), disbursedVnd: z.number(),
  /** planned − committed (null without a plan for the source). */
  balanceVnd: z.number().nullable(),
  overspent: z.boolean(),
});
export const ZBudget = z.object({
  planId: z.string(), canWrite: z.boolean(), lines: z.array(ZBudgetLine), total: ZBudgetLine, entries: z.array(ZBudgetEntry),
  rule: z.string(), appendix: ZBudgetAppendix,
});

// ─── Events ───
export const EVENT_TYPES = ['fair', 'exhibition', 'trade_conference', 'training', 'awareness', 'live_selling'] as const;
export const EVENT_STATUSES = ['planned', 'held', 'cancelled'] as const;
export const ZEventInput = z.object({
  type: z.enum(EVENT_TYPES),
  title: z.string().trim().min(1, 'Cần tên sự kiện').max(500),
  startsOn: isoDate,
  endsOn: isoDate,
  place: z.string().trim().max(500).nullable().default(null),
  organiser: z.string().trim().max(300).nullable().default(null),
  unitId: z.number().int().positive(),
  costVnd: z.number().int().min(0).max(1e13).default(0),
  fundingSource: z.enum(FUNDING_SOURCES).nullable().default(null),
  attendance: z.number().int().min(0).nullable().default(null),
  salesVnd: z.number().int().min(0).max(1e13).nullable().default(null),
  contractsSigned: z.number().int().min(0).nullable().default(null),
  followUp: z.string().trim().max(4000).nullable().default(null),
  status: z.enum(EVENT_STATUSES).default('planned'),
  participants: z.array(z.object({ producerId: z.string().uuid(), productId: z.string().uuid().nullable().default(null) })).max(500).default([]),
}).refine((e) => e.endsOn >= e.startsOn, { message: 'Ngày kết thúc trước ngày bắt đầu', path: ['endsOn'] })
  .refine((e) => new Set(e.participants.map((p) => p.producerId)).size === e.participants.length, { message: 'Chủ thể bị trùng', path: ['participants'] });
export type EventInput = z.infer<typeof ZEventInput>;
export const ZEventUpdate = z.object({ version: z.number().int().positive() }).and(ZEventInput);
export const ZEventListQuery = z.object({
  type: z.enum(EVENT_TYPES).optional(), status: z.enum(EVENT_STATUSES).optional(), from: isoDate.optional(), to: isoDate.optional(),
  page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type EventListQuery = z.infer<typeof ZEventListQuery>;
export const ZEvent = z.object({
  id: z.string(), type: z.enum(EVENT_TYPES), title: z.string(), startsOn: z.string(), endsOn: z.string(), place: z.string().nullable(), organiser: z.string().nullable(),
  unit: z.object({ id: z.number(), name: z.string() }), costVnd: z.number(), fundingSource: z.enum(FUNDING_SOURCES).nullable(), attendance: z.number().nullable(),
  salesVnd: z.number().nullable(), contractsSigned: z.number().nullable(), followUp: z.string().nullable(), status: z.enum(EVENT_STATUSES), version: z.number(),
  participants: z.array(z.object({ producerId: z.string(), producerName: z.string(), productId: z.string().nullable(), productName: z.string().nullable() })),
  canEdit: z.boolean(),
});
export const ZEventPage = z.object({ items: z.array(ZEvent), total: z.number(), canCreate: z.boolean() });
