import { z } from 'zod';
import { cleanText } from '../../../shared/text.js';
import { TRACE_KINDS } from '../../../shared/epcis.js';

export const QUANTITY_UNITS = ['KGM', 'TNE', 'GRM', 'LTR', 'MLT', 'H87'] as const;
export const ZQuantityUnit = z.enum(QUANTITY_UNITS, { error: 'Đơn vị tính không hợp lệ (KGM, TNE, GRM, LTR, MLT, H87)' });
export type QuantityUnit = z.infer<typeof ZQuantityUnit>;

const optText = (max: number) =>
  z.string().max(max).transform(cleanText).transform((s) => (s === '' ? null : s)).nullable().default(null);
const reqText = (max: number, msg: string) => z.string().max(max, `Tối đa ${max} ký tự`).transform(cleanText).pipe(z.string().min(1, msg));
const ZDate = z.iso.date('Ngày không hợp lệ (YYYY-MM-DD)');
const ZId = (msg: string) => z.string().uuid(msg);
const ZQuantity = z.number({ error: 'Số lượng phải là số' }).positive('Số lượng phải lớn hơn 0').max(99_999_999_999, 'Số lượng quá lớn');

// GTIN and lot number are checked by the service against the GS1 rules (422 naming the expected check digit);
// here only their shape as text.
const lotFields = {
  productId: ZId('Mã sản phẩm không hợp lệ'),
  lotNumber: z.string().trim().max(100, 'Số lô quá dài'),
  gtin: z.string().trim().max(40).transform((s) => (s === '' ? null : s)).nullable().default(null),
  producedOn: ZDate,
  quantity: ZQuantity,
  quantityUnit: ZQuantityUnit,
  bestBefore: ZDate.nullable().default(null),
  growingAreaIds: z.array(ZId('Mã vùng trồng không hợp lệ')).max(50).default([]).transform((ids) => [...new Set(ids)]),
  packingHouseId: ZId('Mã cơ sở đóng gói không hợp lệ').nullable().default(null),
  notes: optText(2000),
};

function checkDates(v: { producedOn: string; bestBefore: string | null }, ctx: z.RefinementCtx) {
  if (v.bestBefore && v.bestBefore < v.producedOn) {
    ctx.addIssue({ code: 'custom', path: ['bestBefore'], message: 'Hạn dùng không được trước ngày sản xuất/thu hoạch' });
  }
}

export const ZLotInput = z.object(lotFields).superRefine(checkDates);
export type LotInput = z.infer<typeof ZLotInput>;
export const ZLotUpdate = z.object({ ...lotFields, version: z.number().int().positive() }).superRefine(checkDates);

export const ZLotListQuery = z.object({
  productId: ZId('Mã sản phẩm không hợp lệ').optional(),
  producerId: ZId('Mã chủ thể không hợp lệ').optional(),
  q: z.string().max(100).optional(),
  from: ZDate.optional(),
  to: ZDate.optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type LotListQuery = z.infer<typeof ZLotListQuery>;

export const ZLot = z.object({
  id: z.string().uuid(),
  lotNumber: z.string(),
  gtin: z.string().nullable(),
  producedOn: z.string(),
  quantity: z.number(),
  quantityUnit: ZQuantityUnit,
  bestBefore: z.string().nullable(),
  notes: z.string().nullable(),
  product: z.object({ id: z.string().uuid(), name: z.string() }),
  producer: z.object({ id: z.string().uuid(), name: z.string() }),
  growingAreas: z.array(z.object({ id: z.string().uuid(), code: z.string(), crop: z.string() })),
  packingHouse: z.object({ id: z.string().uuid(), code: z.string(), name: z.string() }).nullable(),
  eventCount: z.number().int(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Lot = z.infer<typeof ZLot>;
export const ZLotPage = z.object({ items: z.array(ZLot), total: z.number().int(), totalCapped: z.boolean(), page: z.number().int(), pageSize: z.number().int() });

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** ISO 8601 date-time with an offset (Z or ±hh:mm), e.g. 2025-06-10T07:30:00+07:00. */
const ZEventTime = z.iso.datetime({ offset: true, error: 'Thời điểm phải có múi giờ, ví dụ 2025-06-10T07:30:00+07:00' });
const note = optText(1000).optional();
const lotId = ZId('Mã lô không hợp lệ');
/** Where a shipping (origin), receiving (destination) or inspection happened; default: the lot's packing house or growing area. */
const placeFields = {
  packingHouseId: ZId('Mã cơ sở đóng gói không hợp lệ').nullable().optional(),
  growingAreaId: ZId('Mã vùng trồng không hợp lệ').nullable().optional(),
};

export const ZTraceEventInput = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('harvest'), lotId, eventTime: ZEventTime, growingAreaIds: z.array(ZId('Mã vùng trồng không hợp lệ')).max(50).optional(), note }),
    z.object({
      kind: z.literal('processing'),
      inputs: z.array(z.object({ lotId, quantity: ZQuantity, uom: ZQuantityUnit })).min(1, 'Cần ít nhất một lô nguyên liệu').max(50),
      outputLotId: lotId,
      eventTime: ZEventTime,
      packingHouseId: ZId('Mã cơ sở đóng gói không hợp lệ').nullable().optional(),
      note,
    }),
    z.object({
      kind: z.literal('packing'),
      lotId,
      parentId: reqText(100, 'Chưa nhập mã thùng/pallet'),
      quantity: ZQuantity.nullable().optional(),
      eventTime: ZEventTime,
      packingHouseId: ZId('Mã cơ sở đóng gói không hợp lệ').nullable().optional(),
      note,
    }),
    ...(['shipping', 'receiving'] as const).map((kind) =>
      z.object({
        kind: z.literal(kind),
        lotId,
        quantity: ZQuantity.nullable().optional(),
        eventTime: ZEventTime,
        transaction: z.object({ type: z.enum(['po', 'inv', 'desadv', 'bol'], { error: 'Loại chứng từ không hợp lệ' }), id: reqText(100, 'Chưa nhập số chứng từ') }).nullable().optional(),
        source: optText(300).optional(),
        destination: optText(300).optional(),
        /** The partner that receives the goods (one of the producer's trading partners, /api/parties). */
        toPartyId: ZId('Mã đối tác không hợp lệ').nullable().optional(),
        ...placeFields,
        note,
      }),
    ),
    z.object({
      kind: z.literal('inspection'),
      lotId,
      eventTime: ZEventTime,
      result: z.enum(['conformant', 'non_conformant'], { error: 'Kết quả kiểm tra phải là đạt hoặc không đạt' }),
      inspector: reqText(300, 'Chưa nhập người/cơ quan kiểm tra'),
      ...placeFields,
      note,
    }),
  ],
  { error: 'Loại sự kiện không hợp lệ' },
);
export type TraceEventInput = z.infer<typeof ZTraceEventInput>;

export const ZTraceEvent = z.object({
  id: z.string().uuid(),
  eventId: z.string(),
  type: z.string(),
  action: z.string().nullable(),
  kind: z.enum(TRACE_KINDS),
  eventTime: z.string(),
  eventTz: z.string(),
  bizStep: z.string().nullable(),
  disposition: z.string().nullable(),
  readPoint: z.string().nullable(),
  bizLocation: z.string().nullable(),
  lots: z.array(z.object({
    lotId: z.string().uuid(), lotNumber: z.string(), productName: z.string(), role: z.enum(['subject', 'input', 'output', 'child']),
    quantity: z.number().nullable(), uom: z.string().nullable(),
  })),
  summary: z.string(),
  details: z.object({
    place: z.string().optional(),
    transaction: z.object({ type: z.string(), id: z.string() }).optional(),
    source: z.string().optional(),
    destination: z.string().optional(),
    result: z.enum(['conformant', 'non_conformant']).optional(),
    inspector: z.string().optional(),
    note: z.string().optional(),
    parentId: z.string().optional(),
    growingAreaCodes: z.array(z.string()).optional(),
    harvestDate: z.string().optional(),
    bestBefore: z.string().optional(),
    countryOfOrigin: z.string().optional(),
    productionDate: z.string().optional(),
    itemExpirationDate: z.string().optional(),
    readPointLabel: z.string().optional(),
    bizLocationLabel: z.string().optional(),
    parties: z.array(z.object({ direction: z.enum(['source', 'destination']), type: z.string(), label: z.string(), uri: z.string() })).optional(),
    certifications: z.array(z.object({ uri: z.string(), kind: z.enum(['ocop', 'standard', 'other']), label: z.string() })).optional(),
    sensors: z.array(z.object({
      type: z.string(), time: z.string().nullable(), value: z.number().nullable(), minValue: z.number().nullable(), maxValue: z.number().nullable(),
      meanValue: z.number().nullable(), stringValue: z.string().nullable(), booleanValue: z.boolean().nullable(), uom: z.string().nullable(),
      exception: z.string().nullable(), deviceId: z.string().nullable(),
    })).optional(),
  }),
  /** EPCIS error declarations about this event (latest first): the event stays, marked as corrected. */
  corrections: z.array(z.object({ declarationTime: z.string(), reason: z.string().nullable(), correctiveEventIds: z.array(z.string()) })),
  /** The eventIDs of the events this one corrects (it is named in their declarations' correctiveEventIDs). */
  corrects: z.array(z.string()),
  source: z.enum(['form', 'api', 'import']),
  recordedBy: z.string().nullable(),
  recordTime: z.string(),
});
export type TraceEvent = z.infer<typeof ZTraceEvent>;

/** CBV 2.0 error reasons an officer or producer may give for one of the platform's own events. */
export const ERROR_REASONS = ['incorrect_data', 'did_not_occur'] as const;
/** Declares a recorded event wrong (EPCIS errorDeclaration): the event stays, marked corrected; a later event may replace it. */
export const ZDeclareEventWrong = z.object({
  reason: z.enum(ERROR_REASONS, { error: 'Chọn lý do: thông tin sai, hoặc sự kiện không xảy ra' }),
  correctiveEventId: ZId('Mã sự kiện thay thế không hợp lệ').nullable().optional(),
});
export type DeclareEventWrong = z.infer<typeof ZDeclareEventWrong>;

export const ZEpcisRangeQuery = z
  .object({ from: ZDate, to: ZDate, productId: ZId('Mã sản phẩm không hợp lệ').optional() })
  .superRefine((v, ctx) => {
    if (v.to < v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Ngày kết thúc không được trước ngày bắt đầu' });
    else if ((Date.parse(v.to) - Date.parse(v.from)) / 86_400_000 > 366) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Khoảng thời gian tối đa 366 ngày' });
  });
export type EpcisRangeQuery = z.infer<typeof ZEpcisRangeQuery>;

/** One refused event of an EPCIS import (422 IMPORT_INVALID lists them). */
export const ZEpcisImportError = z.object({ index: z.number().int().nullable(), eventId: z.string().nullable(), path: z.string(), message: z.string() });
export type EpcisImportError = z.infer<typeof ZEpcisImportError>;
export const ZImportResult = z.object({ imported: z.number().int(), skipped: z.number().int(), corrected: z.number().int() });
export type EpcisImportResult = z.infer<typeof ZImportResult>;
