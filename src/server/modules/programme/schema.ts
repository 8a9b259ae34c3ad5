import { z } from 'zod';

export const PLAN_STATUSES = ['draft', 'in_force', 'closed'] as const;
export const TARGET_UNITS = ['count', 'percent', 'million_vnd'] as const;
export const MARKS = ['on_track', 'at_risk', 'off_track'] as const;

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
});
export type Plan = z.infer<typeof ZPlan>;
export const ZPlanSummary = ZPlan.omit({ targets: true }).extend({ targetCount: z.number() });

export const ZIndicatorDef = z.object({
  code: z.string(), name: z.string(), unit: z.enum(TARGET_UNITS), nature: z.enum(['stock', 'flow']), rule: z.string(), measurable: z.boolean(), notMeasured: z.string().nullable(),
});

export const ZPanelQuery = z.object({ asOf: isoDate.optional() });
export const ZDrillQuery = z.object({
  asOf: isoDate.optional(),
  /** A year of the plan: stocks on 31/12 (or asOf), flows within that year. Absent = the period up to asOf. */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  communeUnitId: z.coerce.number().int().positive().optional(),
});

export const ZRecord = z.object({
  kind: z.enum(['product', 'certificate', 'producer']), id: z.string(), label: z.string(), productId: z.string().nullable(), productName: z.string().nullable(),
  producerName: z.string().nullable(), unitName: z.string().nullable(), star: z.number().nullable(), date: z.string().nullable(), detail: z.string().nullable(),
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
});
export const ZSupportPage = z.object({ items: z.array(ZSupport), total: z.number(), totalAmountVnd: z.number() });
