import { z } from 'zod';
import { cleanText } from '../../../shared/text.js';
import { zIntId, zIntParam } from '../../../shared/int.js';
import { checkGln } from '../../../shared/gs1-prefixes.js';

export const MARKETS = ['cn', 'jp', 'us', 'eu', 'au', 'kr', 'domestic', 'other'] as const;
export const ZMarket = z.enum(MARKETS, { error: 'Thị trường không hợp lệ' });
export type Market = z.infer<typeof ZMarket>;

/** Roughly Vietnam's bounding box (mainland and islands): a point outside it is a typo or swapped lat/lng. */
export const VN_BBOX = { minLng: 102, maxLng: 110, minLat: 8, maxLat: 24 } as const;
const OUTSIDE_VN = 'Toạ độ nằm ngoài lãnh thổ Việt Nam (kinh độ 102–110, vĩ độ 8–24; thứ tự [kinh độ, vĩ độ])';

const ZPosition = z
  .tuple([z.number(), z.number()], { error: 'Toạ độ phải là [kinh độ, vĩ độ]' })
  .refine(([lng, lat]) => lng >= VN_BBOX.minLng && lng <= VN_BBOX.maxLng && lat >= VN_BBOX.minLat && lat <= VN_BBOX.maxLat, OUTSIDE_VN);

const ZRing = z
  .array(ZPosition)
  .min(4, 'Vùng đa giác cần ít nhất 4 điểm (điểm đầu lặp lại ở cuối)')
  .max(5000, 'Vùng đa giác có quá nhiều điểm')
  .refine((r) => r.length < 4 || (r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1]), 'Vùng đa giác phải khép kín: điểm cuối trùng điểm đầu');

export const ZGeoPoint = z.object({ type: z.literal('Point'), coordinates: ZPosition });
export const ZGeoPolygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(ZRing).min(1, 'Vùng đa giác chưa có điểm nào').max(20) });
export const ZGeoLocation = z.discriminatedUnion('type', [ZGeoPoint, ZGeoPolygon], { error: 'Vị trí phải là GeoJSON Point hoặc Polygon' });
export type GeoLocation = z.infer<typeof ZGeoLocation>;

const optText = (max: number) =>
  z.string().max(max).transform(cleanText).transform((s) => (s === '' ? null : s)).nullable().default(null);
const reqText = (max: number, msg: string) => z.string().max(max).transform(cleanText).pipe(z.string().min(1, msg));
const optDate = z.iso.date('Ngày không hợp lệ (YYYY-MM-DD)').nullable().default(null);

export const ZPlaceCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{3,40}$/, 'Mã số chỉ gồm chữ cái không dấu, chữ số và dấu gạch ngang (3–40 ký tự)');

/** Fields growing areas and packing houses share: owner, unit, markets, issuing authority and validity. */
const placeFields = {
  code: ZPlaceCode,
  ownerProducerId: z.string().uuid('Mã chủ thể không hợp lệ').nullable().default(null),
  ownerName: optText(300),
  unitId: zIntId(),
  markets: z.array(ZMarket).max(MARKETS.length * 2).default([]).transform((m) => [...new Set(m)]),
  issuingAuthority: optText(300),
  issuedOn: optDate,
  validTo: optDate,
  /** GS1 Global Location Number when the place has one (13 digits, check digit); otherwise its URI is the platform's. */
  gln: z.string().trim().superRefine((s, ctx) => {
    const r = checkGln(s);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
  }).nullable().default(null),
};

type PlaceCommon = { ownerProducerId: string | null; ownerName: string | null; issuedOn: string | null; validTo: string | null };
function checkPlace(v: PlaceCommon, ctx: z.RefinementCtx) {
  if (!v.ownerProducerId && !v.ownerName) {
    ctx.addIssue({ code: 'custom', path: ['ownerName'], message: 'Cần chọn chủ thể sở hữu hoặc ghi tên chủ sở hữu' });
  }
  if (v.issuedOn && v.validTo && v.validTo < v.issuedOn) {
    ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'Ngày hết hiệu lực không được trước ngày cấp' });
  }
}

export const ZGrowingAreaInput = z
  .object({
    ...placeFields,
    crop: reqText(120, 'Chưa nhập loại cây trồng'),
    areaHa: z.number().positive('Diện tích phải lớn hơn 0').max(99_999_999, 'Diện tích quá lớn'),
    households: z.number().int().min(0, 'Số hộ không được âm').max(1_000_000).nullable().default(null),
    location: ZGeoLocation.nullable().default(null),
  })
  .superRefine(checkPlace);
export type GrowingAreaInput = z.infer<typeof ZGrowingAreaInput>;
export const ZGrowingAreaUpdate = z.object({ version: z.number().int().positive() }).and(ZGrowingAreaInput);

export const ZPackingHouseInput = z
  .object({ ...placeFields, name: reqText(300, 'Chưa nhập tên cơ sở đóng gói') })
  .superRefine(checkPlace);
export type PackingHouseInput = z.infer<typeof ZPackingHouseInput>;
export const ZPackingHouseUpdate = z.object({ version: z.number().int().positive() }).and(ZPackingHouseInput);

const ZUnitRef = z.object({ id: z.number().int(), name: z.string(), type: z.string(), code: z.string().nullable() });
const ZOwner = z.object({ producerId: z.string().uuid().nullable(), producerName: z.string().nullable(), name: z.string().nullable() });
const placeOut = {
  id: z.string().uuid(),
  code: z.string(),
  owner: ZOwner,
  unit: ZUnitRef,
  markets: z.array(ZMarket),
  issuingAuthority: z.string().nullable(),
  issuedOn: z.string().nullable(),
  validTo: z.string().nullable(),
  gln: z.string().nullable(),
  /** declared = the producer's own word (shown as "do cơ sở tự khai"); verified by an officer; rejected. */
  verificationStatus: z.enum(['declared', 'verified', 'rejected']),
  verifiedAt: z.string().nullable(),
  verificationNote: z.string().nullable(),
  /** The place's public page on this platform (/vung-trong/<code>, /co-so-dong-goi/<code>): EPCIS place URIs are
   *  PUBLIC_BASE_URL + this path (shared/epcis.ts placeUri), and they dereference to the page. */
  publicPath: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
};

export const ZGrowingArea = z.object({
  ...placeOut,
  crop: z.string(),
  areaHa: z.number(),
  households: z.number().int().nullable(),
  location: ZGeoLocation.nullable(),
});
export type GrowingArea = z.infer<typeof ZGrowingArea>;

export const ZPackingHouse = z.object({ ...placeOut, name: z.string() });
export type PackingHouse = z.infer<typeof ZPackingHouse>;

export const ZPlaceListQuery = z.object({
  q: z.string().max(200).optional(),
  unitId: zIntParam().optional(),
  producerId: z.string().uuid('Mã chủ thể không hợp lệ').optional(),
  market: ZMarket.optional(),
  sort: z.enum(['code', 'updatedAt']).default('code'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type PlaceListQuery = z.infer<typeof ZPlaceListQuery>;

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), totalCapped: z.boolean(), page: z.number().int(), pageSize: z.number().int() });
export const ZGrowingAreaPage = page(ZGrowingArea);
export const ZPackingHousePage = page(ZPackingHouse);

export const ZPlaceLinkInput = z.object({
  producerId: z.string().uuid('Mã chủ thể không hợp lệ'),
  /** One growing area or one packing house of another owner. */
  place: z.object({ kind: z.enum(['growing_area', 'packing_house']), id: z.string().uuid('Mã địa điểm không hợp lệ') }),
  /** The contract with the place's owner, from the producer's evidence locker. */
  evidenceId: z.string().uuid('Mã tài liệu không hợp lệ').nullable().default(null),
  note: z.string().max(1000).transform(cleanText).transform((s) => (s === '' ? null : s)).nullable().default(null),
});
export type PlaceLinkInput = z.infer<typeof ZPlaceLinkInput>;

export const ZPlaceLink = z.object({
  id: z.string().uuid(),
  producerId: z.string().uuid(),
  producerName: z.string().nullable(),
  place: z.object({ kind: z.enum(['growing_area', 'packing_house']), id: z.string().uuid(), code: z.string() }),
  evidenceId: z.string().uuid().nullable(),
  status: z.enum(['declared', 'verified', 'rejected']),
  verifiedAt: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type PlaceLink = z.infer<typeof ZPlaceLink>;
export const ZPlaceLinkList = z.object({ items: z.array(ZPlaceLink) });
export const ZPlaceLinkQuery = z.object({ producerId: z.string().uuid().optional(), status: z.enum(['declared', 'verified', 'rejected']).optional() });
export type PlaceLinkQuery = z.infer<typeof ZPlaceLinkQuery>;
