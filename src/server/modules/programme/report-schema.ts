/**
 * Contracts of the annual programme report (#11 item 8): the period and unit a report is asked for, the officer's
 * text for the assessment, and the report itself as data (the JSON preview; the DOCX, PDF and Excel files are
 * rendered from the same object, so they cannot disagree).
 */
import { z } from 'zod';
import { zIntId, zIntParam } from '../../../shared/int.js';
import { MARKS, TARGET_UNITS } from './schema.js';

export const REPORT_FORMATS = ['docx', 'pdf', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const isoDate = z.iso.date({ error: 'Ngày phải có dạng yyyy-mm-dd và là một ngày có thật' });
/** A report covers at most this many days (ten years): longer periods are not a programme report. */
export const MAX_REPORT_DAYS = 3660;

interface PeriodFields { year?: number; from?: string; to?: string }
const periodRules = <T extends z.ZodType<PeriodFields>>(s: T) => s
  .refine((q) => q.year === undefined || (q.from === undefined && q.to === undefined), { message: 'Chọn một năm hoặc một khoảng ngày, không cả hai', path: ['year'] })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'Khoảng ngày cần cả ngày bắt đầu và ngày kết thúc', path: ['to'] })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'Ngày kết thúc trước ngày bắt đầu', path: ['to'] })
  .refine((q) => q.from === undefined || q.to === undefined || (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_REPORT_DAYS, { message: 'Kỳ báo cáo dài tối đa 10 năm', path: ['to'] });

/** GET: the period (a year, or from–to; absent = the plan's year that contains today) and optionally one commune. */
export const ZReportQuery = periodRules(z.object({
  year: z.coerce.number({ error: 'Năm phải là một số' }).int('Năm phải là số nguyên').min(2000, 'Năm từ 2000').max(2100, 'Năm đến 2100').optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Narrows the report to one commune of the plan's area (as the commune was on the report's last day). */
  communeUnitId: zIntParam().optional(),
}));
export type ReportQuery = z.infer<typeof ZReportQuery>;

const officerText = z.string().trim().max(20_000, 'Tối đa 20.000 ký tự').nullable().default(null);
/** The officer's own words for the assessment part ("Đánh giá chung", "Tồn tại, hạn chế", "Phương hướng"). */
export const ZReportAssessment = z.object({
  general: officerText,
  shortcomings: officerText,
  directions: officerText,
});
export type ReportAssessment = z.infer<typeof ZReportAssessment>;

/** POST: the same choice as the query, plus the officer's text (a write-free request: nothing is stored). */
export const ZReportRequest = periodRules(z.object({
  year: z.number().int('Năm phải là số nguyên').min(2000, 'Năm từ 2000').max(2100, 'Năm đến 2100').optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  communeUnitId: zIntId().optional(),
  assessment: ZReportAssessment.default({ general: null, shortcomings: null, directions: null }),
}));
export type ReportRequest = z.infer<typeof ZReportRequest>;

export const ZReportFileParams = z.object({ id: z.string().uuid('Mã không hợp lệ'), format: z.enum(REPORT_FORMATS, { error: 'Định dạng phải là docx, pdf hoặc xlsx' }) });

// ─── The report as data ───

const ZUnit = z.object({ id: z.number(), key: z.string(), name: z.string(), type: z.string(), fullName: z.string() });
const ZStars = z.object({ star3: z.number(), star4: z.number(), star5: z.number(), total: z.number() });
const ZShare = z.object({ code: z.string(), name: z.string(), value: z.number(), numerator: z.number(), denominator: z.number() });

export const ZReportTargetRow = z.object({
  no: z.number(),
  kind: z.enum(['indicator', 'per_commune', 'commune']),
  code: z.string(),
  name: z.string(),
  /** The plan's own words for the target, when it has some. */
  label: z.string().nullable(),
  unit: z.enum(TARGET_UNITS),
  unitWord: z.string(),
  fundingSource: z.string().nullable(),
  targetMin: z.number().nullable(),
  targetMax: z.number().nullable(),
  targetText: z.string(),
  /** The target of the report's year when the plan sets one and the report is one calendar year. */
  yearTargetText: z.string().nullable(),
  /** Stocks on the report's last day; flows counted within the report's period. */
  inPeriod: z.number().nullable(),
  /** The panel's number: stocks on the panel's date, flows since the start of the plan's period. */
  actual: z.number().nullable(),
  actualText: z.string(),
  projection: z.number().nullable(),
  mark: z.enum(MARKS).nullable(),
  markText: z.string(),
  note: z.string().nullable(),
});

export const ZReport = z.object({
  title: z.string(),
  plan: z.object({
    id: z.string(), code: z.string(), title: z.string(), issuingUnit: z.string(), documentNumber: z.string().nullable(), issuedOn: z.string().nullable(),
    periodFrom: z.number(), periodTo: z.number(), area: ZUnit,
  }),
  period: z.object({
    from: z.string(), to: z.string(),
    /** The day the numbers are read on: the period's last day, or today while the period runs. */
    asOf: z.string(),
    /** The day before the period (the starting point of the comparison). */
    baselineDate: z.string(),
    year: z.number().nullable(),
    label: z.string(),
    nextLabel: z.string(),
  }),
  scope: z.object({
    kind: z.enum(['area', 'communes', 'commune']),
    /** "huyện Lục Ngạn", "phường Chũ", or the commune officer's communes. */
    name: z.string(),
    commune: ZUnit.nullable(),
    issuer: z.string(),
    place: z.string(),
  }),
  generatedOn: z.string(),
  /** Communes of the area on the report's last day that this user may narrow the report to. */
  communeOptions: z.array(ZUnit),
  results: z.object({
    baseline: ZStars,
    current: ZStars,
    producers: z.number(),
    newByStar: ZStars,
    reevaluatedByStar: ZStars,
    upgradedByStar: ZStars,
    producersNew: z.number(),
    shares: z.array(ZShare),
  }),
  byGroup: z.array(z.object({ code: z.string(), name: z.string(), star3: z.number(), star4: z.number(), star5: z.number(), total: z.number(), decidedInPeriod: z.number() })),
  byCommune: z.array(z.object({
    unit: ZUnit, recognised: z.number(), star3: z.number(), star4: z.number(), star5: z.number(), newInPeriod: z.number(), keyProducts: z.number(), supported: z.number(),
  })),
  support: z.object({
    productsSupported: z.number(),
    activities: z.number(),
    amountVnd: z.number(),
    byType: z.array(z.object({ type: z.string(), label: z.string(), activities: z.number(), products: z.number(), amountVnd: z.number() })),
  }),
  events: z.object({
    awarenessSessions: z.number(),
    eventsHeld: z.number(),
    attendance: z.number(),
    salesVnd: z.number(),
    contractsSigned: z.number(),
    costVnd: z.number(),
    byType: z.array(z.object({ type: z.string(), label: z.string(), count: z.number(), attendance: z.number(), salesVnd: z.number(), contractsSigned: z.number() })),
    list: z.array(z.object({
      id: z.string(), title: z.string(), type: z.string(), typeLabel: z.string(), startsOn: z.string(), endsOn: z.string(), place: z.string().nullable(), unitName: z.string(),
      attendance: z.number().nullable(), salesVnd: z.number().nullable(), contractsSigned: z.number().nullable(), participants: z.number(),
    })),
  }),
  budget: z.object({
    /** Budget lines are the plan's (not split by commune): said in the report when it is narrowed. */
    note: z.string().nullable(),
    rows: z.array(z.object({
      fundingSource: z.string().nullable(), label: z.string(),
      plannedVnd: z.number().nullable(), plannedYearVnd: z.number().nullable(),
      committedInPeriodVnd: z.number(), disbursedInPeriodVnd: z.number(), committedToDateVnd: z.number(), disbursedToDateVnd: z.number(),
      balanceVnd: z.number().nullable(),
    })),
    entries: z.array(z.object({ id: z.string(), entryDate: z.string(), kind: z.string(), kindLabel: z.string(), fundingSource: z.string(), sourceLabel: z.string(), description: z.string(), amountVnd: z.number() })),
  }),
  targets: z.object({
    /** The panel's date (capped at the plan's last day). */
    asOf: z.string(),
    yearColumn: z.number().nullable(),
    onTrack: z.number(),
    measured: z.number(),
    rows: z.array(ZReportTargetRow),
  }),
  products: z.array(z.object({
    no: z.number(), id: z.string(), name: z.string(), producerName: z.string(), communeName: z.string(), group: z.string(), star: z.number(),
    certificateNumber: z.string(), decisionDate: z.string(), expiresOn: z.string(),
    decidedInPeriod: z.enum(['first', 'reevaluation', 'upgrade']).nullable(),
  })),
  assessment: ZReportAssessment,
});
export type ProgrammeReport = z.infer<typeof ZReport>;
