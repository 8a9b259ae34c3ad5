import { z } from 'zod';
import { cleanText } from '../../../shared/text.js';
import { REPORT_CATEGORIES } from './tables.js';
import { zIntParam } from '../../../shared/int.js';

/** Most stamps one issuance may create (the range's CHECK allows up to 100 000 serials). */
export const MAX_STAMPS_PER_RANGE = 100_000;
/** Most labels in one PDF: beyond this the sheet is split by `from`/`to`. */
export const MAX_LABELS_PER_PDF = 5_000;
export const LABEL_LAYOUTS = ['a4-65', 'a4-24', 'roll-50x30'] as const;
export type LabelLayout = (typeof LABEL_LAYOUTS)[number];

const optNote = (max: number) =>
  z.string().max(max, `Tối đa ${max} ký tự`).transform(cleanText).transform((s) => (s === '' ? null : s)).nullable().optional();

export const ZLotIdParams = z.object({ lotId: z.string().uuid('Mã lô không hợp lệ') });
export const ZSerialParams = z.object({
  id: z.string().uuid('Mã dải tem không hợp lệ'),
  serial: z.coerce.number({ error: 'Số sê-ri không hợp lệ' }).int('Số sê-ri không hợp lệ').min(1, 'Số sê-ri không hợp lệ').max(2_147_483_647, 'Số sê-ri không hợp lệ'),
});

export const ZIssueStamps = z.object({
  count: z.number({ error: 'Số lượng tem phải là số' }).int('Số lượng tem phải là số nguyên')
    .min(1, 'Phải phát hành ít nhất 1 tem').max(MAX_STAMPS_PER_RANGE, `Mỗi lần phát hành tối đa ${MAX_STAMPS_PER_RANGE.toLocaleString('vi-VN')} tem`),
});
export type IssueStamps = z.infer<typeof ZIssueStamps>;

export const ZRangeStatus = z.object({
  status: z.enum(['active', 'inactive'], { error: 'Trạng thái phải là active hoặc inactive' }),
  reason: optNote(500),
});
export type RangeStatusInput = z.infer<typeof ZRangeStatus>;

export const ZStampStatus = z.object({
  status: z.enum(['active', 'inactive', 'lost'], { error: 'Trạng thái phải là active, inactive hoặc lost' }),
  reason: optNote(500),
});
export type StampStatusInput = z.infer<typeof ZStampStatus>;

export const ZStampRange = z.object({
  id: z.string(),
  lotId: z.string(),
  firstSerial: z.number(),
  lastSerial: z.number(),
  count: z.number(),
  firstNo: z.number(),
  status: z.enum(['active', 'inactive']),
  statusReason: z.string().nullable(),
  issuedAt: z.string(),
  issuedBy: z.string().nullable(),
  exceptions: z.array(z.object({ serial: z.number(), status: z.enum(['lost', 'inactive']), reason: z.string().nullable() })),
  sampleUri: z.string(),
  scanCount: z.number(),
});
export type StampRangeOut = z.infer<typeof ZStampRange>;
export type StampRange = StampRangeOut;

export const ZLabelsQuery = z.object({
  layout: z.enum(LABEL_LAYOUTS, { error: 'Khổ nhãn phải là a4-65, a4-24 hoặc roll-50x30' }).default('a4-65'),
  from: zIntParam().optional(),
  to: zIntParam().optional(),
});
export type LabelsQuery = z.infer<typeof ZLabelsQuery>;

const page = {
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

export const ZFlagListQuery = z.object({
  status: z.enum(['open', 'dismissed']).default('open'),
  productId: z.string().uuid('Mã sản phẩm không hợp lệ').optional(),
  ...page,
});
export type FlagListQuery = z.infer<typeof ZFlagListQuery>;

const ZRef = z.object({ id: z.string(), lotNumber: z.string() }).nullable();
const ZProductRef = z.object({ id: z.string(), name: z.string() }).nullable();

export const ZStampFlag = z.object({
  id: z.string(),
  kind: z.enum(['too_many_scans', 'inactive', 'lost', 'unknown_serial', 'unknown_lot']),
  ref: z.string(),
  lot: ZRef,
  product: ZProductRef,
  serial: z.number().nullable(),
  scanCount: z.number(),
  firstAt: z.string(),
  lastAt: z.string(),
  status: z.enum(['open', 'dismissed']),
  note: z.string().nullable(),
  handledAt: z.string().nullable(),
});
export type StampFlag = z.infer<typeof ZStampFlag>;
export const ZStampFlagPage = z.object({ items: z.array(ZStampFlag), total: z.number(), page: z.number(), pageSize: z.number() });

export const ZDismissFlag = z.object({ note: z.string().max(1000, 'Tối đa 1000 ký tự').transform(cleanText).pipe(z.string().min(1, 'Cần ghi chú lý do bỏ qua')) });

export const ZReportListQuery = z.object({
  status: z.enum(['new', 'reviewed', 'closed']).optional(),
  productId: z.string().uuid('Mã sản phẩm không hợp lệ').optional(),
  ...page,
});
export type ReportListQuery = z.infer<typeof ZReportListQuery>;

export const ZScanReport = z.object({
  id: z.string(),
  category: z.enum(REPORT_CATEGORIES),
  /** Same as category (the web contract's name). */
  kind: z.enum(REPORT_CATEGORIES),
  message: z.string(),
  /** The reporter's phone/e-mail: officers only (absent for producers, council members and viewers). */
  contact: z.string().nullable().optional(),
  ref: z.string().nullable(),
  lot: ZRef,
  product: ZProductRef,
  serial: z.number().nullable(),
  lang: z.enum(['vi', 'en']),
  status: z.enum(['new', 'reviewed', 'closed']),
  note: z.string().nullable(),
  createdAt: z.string(),
  handledAt: z.string().nullable(),
});
export type ScanReport = z.infer<typeof ZScanReport>;
export const ZScanReportPage = z.object({ items: z.array(ZScanReport), total: z.number(), page: z.number(), pageSize: z.number() });

export const ZReportStatus = z.object({ status: z.enum(['reviewed', 'closed'], { error: 'Trạng thái phải là reviewed hoặc closed' }), note: optNote(1000) });
export type ReportStatusInput = z.infer<typeof ZReportStatus>;

export const ZScanStatsQuery = z.object({
  productId: z.string().uuid('Mã sản phẩm không hợp lệ').optional(),
  unitId: zIntParam().optional(),
  from: z.iso.date('Ngày không hợp lệ (YYYY-MM-DD)').optional(),
  to: z.iso.date('Ngày không hợp lệ (YYYY-MM-DD)').optional(),
});
export type ScanStatsQuery = z.infer<typeof ZScanStatsQuery>;

export const ZScanStats = z.object({
  days: z.array(z.object({ date: z.string(), scans: z.number(), flagged: z.number() })),
  byProduct: z.array(z.object({ productId: z.string(), productName: z.string(), scans: z.number() })),
  byUnit: z.array(z.object({ unitId: z.number(), unitName: z.string(), scans: z.number() })),
  byArea: z.array(z.object({ areaId: z.string(), code: z.string(), crop: z.string(), scans: z.number() })),
  total: z.number(),
});

export type ScanStats = z.infer<typeof ZScanStats>;

/** The public report form (urlencoded; validated by hand so the answer is an HTML page, not problem+json). */
export const REPORT_MESSAGE_MAX = 2000;
export const REPORT_CONTACT_MAX = 200;
