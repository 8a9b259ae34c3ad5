import { z } from 'zod';
import { cleanText } from '../../../shared/text.js';
import { ZProducerKind } from '../producers/schema.js';
import { zHttpUrl } from '../../../shared/url.js';
import { zIntParam } from '../../../shared/int.js';

export const PROCESSING_LEVELS = ['fresh', 'pre_processed', 'processed', 'deep_processed'] as const;
export const CERTIFICATION_TYPES = ['vietgap', 'globalgap', 'organic', 'haccp', 'iso22000', 'gmp', 'other'] as const;
export const CHANNEL_KINDS = ['supermarket', 'convenience_store', 'ocop_point', 'marketplace', 'other'] as const;
export const MARKETPLACES = ['Voso', 'Postmart', 'Sendo', 'Tiki', 'Shopee', 'Lazada', 'TikTok Shop'] as const;

const optText = (max: number) =>
  z.string().max(max).transform(cleanText).transform((s) => (s === '' ? null : s)).nullable().default(null);
const ZDate = z.iso.date('Ngày phải có dạng yyyy-mm-dd');

export const ZCertificationInput = z
  .object({
    type: z.enum(CERTIFICATION_TYPES),
    name: optText(200),
    issuer: optText(300),
    number: optText(100),
    validFrom: ZDate.nullable().default(null),
    validTo: ZDate.nullable().default(null),
  })
  .refine((c) => !c.validFrom || !c.validTo || c.validTo >= c.validFrom, { path: ['validTo'], message: 'Ngày hết hạn phải sau ngày cấp' });

export const ZChannelInput = z.object({
  kind: z.enum(CHANNEL_KINDS),
  name: z.string().max(200).transform(cleanText).default(''),
  url: zHttpUrl(500).nullable().default(null),
});

export const ZRecognitionInput = z
  .object({
    stars: z.number().int().min(1).max(5).nullable().default(null),
    recognitionYear: z.number().int().min(2018).max(2100).nullable().default(null),
    decisionNumber: optText(100),
    decisionDate: ZDate.nullable().default(null),
    certificateNumber: optText(100),
    certificateIssuer: optText(200),
    certificateExpiresOn: ZDate.nullable().default(null),
  })
  .refine((r) => !r.decisionDate || !r.certificateExpiresOn || r.certificateExpiresOn > r.decisionDate, {
    path: ['certificateExpiresOn'],
    message: 'Ngày hết hạn phải sau ngày quyết định',
  });
export type RecognitionInput = z.infer<typeof ZRecognitionInput>;

export const ZProductInput = z.object({
  producerId: z.string().uuid(),
  name: z.string().max(200).transform(cleanText).pipe(z.string().min(2, 'Tên sản phẩm quá ngắn')),
  taxonomyNodeId: z.number().int().positive(),
  registeredUnitId: z.number().int().positive(),
  processingLevel: z.enum(PROCESSING_LEVELS),
  brand: optText(200),
  description: optText(4000),
  story: optText(8000),
  rawMaterialArea: optText(1000),
  /**
   * GTIN of the trade item (8, 12, 13 or 14 digits; stored as GTIN-14). Omitted = unchanged, null = none. It must be
   * allocated under one of the producer's GS1 company prefixes and not be another product's.
   */
  gtin: z.string().trim().max(14, 'Mã GTIN tối đa 14 chữ số').regex(/^[0-9]+$/, 'Mã GTIN chỉ gồm chữ số').nullable().optional(),
  keyProduct: z.boolean().default(false),
  isDemo: z.boolean().default(false),
  sources: z.array(zHttpUrl(500)).max(50).default([]),
  certifications: z.array(ZCertificationInput).max(30).default([]),
  channels: z
    .array(ZChannelInput)
    .max(30)
    .default([])
    .refine((cs) => new Set(cs.map((c) => `${c.kind}|${c.name}`)).size === cs.length, 'Kênh bán hàng bị trùng'),
  /**
   * Read-only here: the current star and certificate are written by the certificates module (issue from a round,
   * record a paper certificate, revoke). A client may send back what it read (or omit it); a different value is
   * refused with a field error.
   */
  recognition: ZRecognitionInput.optional(),
});
export type ProductInput = z.infer<typeof ZProductInput>;

export const ZProductUpdate = ZProductInput.extend({ version: z.number().int().positive() });

const ZRef = z.object({ id: z.number().int(), code: z.string().nullable(), name: z.string() });

export const ZProductSummary = z.object({
  id: z.string().uuid(),
  name: z.string(),
  producer: z.object({ id: z.string().uuid(), legalName: z.string(), kind: ZProducerKind, address: z.string().nullable() }),
  taxonomy: ZRef.extend({ version: z.string(), path: z.string() }),
  unit: ZRef.extend({ type: z.string() }),
  processingLevel: z.enum(PROCESSING_LEVELS),
  /** The star of the certificate in force today (null when none is). */
  stars: z.number().int().nullable(),
  /** The star of the product's last certificate when it has expired (shown as "expired", never counted). */
  expiredStars: z.number().int().nullable(),
  recognitionYear: z.number().int().nullable(),
  certificateNumber: z.string().nullable(),
  certificateExpiresOn: z.string().nullable(),
  keyProduct: z.boolean(),
  gtin: z.string().nullable(),
  isDemo: z.boolean(),
  thumbnailUrl: z.string().nullable(),
  updatedAt: z.string(),
});
export type ProductSummary = z.infer<typeof ZProductSummary>;

export const ZPhoto = z.object({
  id: z.string().uuid(),
  url: z.string(),
  thumbnailUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  caption: z.string().nullable(),
});

export const ZProduct = ZProductSummary.extend({
  brand: z.string().nullable(),
  description: z.string().nullable(),
  story: z.string().nullable(),
  rawMaterialArea: z.string().nullable(),
  sources: z.array(z.string()),
  certifications: z.array(z.object({
    id: z.string().uuid(), type: z.enum(CERTIFICATION_TYPES), name: z.string().nullable(), issuer: z.string().nullable(),
    number: z.string().nullable(), validFrom: z.string().nullable(), validTo: z.string().nullable(), expired: z.boolean(),
  })),
  channels: z.array(z.object({ id: z.string().uuid(), kind: z.enum(CHANNEL_KINDS), name: z.string(), url: z.string().nullable() })),
  recognition: z.object({
    stars: z.number().int().nullable(), recognitionYear: z.number().int().nullable(), decisionNumber: z.string().nullable(),
    decisionDate: z.string().nullable(), certificateNumber: z.string().nullable(), certificateIssuer: z.string().nullable(),
    certificateExpiresOn: z.string().nullable(),
  }),
  photos: z.array(ZPhoto),
  /** Whose GS1 prefix the GTIN is under and its status ("declared" = chưa xác minh), with the warnings to show. */
  gtinInfo: z.object({
    prefix: z.string().nullable(),
    prefixStatus: z.enum(['declared', 'verified']).nullable(),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  }).nullable(),
  version: z.number().int(),
});
export type Product = z.infer<typeof ZProduct>;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).max(20));

export const ZProductListQuery = z.object({
  q: z.string().max(200).optional().describe('Accent-insensitive words; all must match name, brand or producer'),
  stars: csv(z.coerce.number().int().min(0).max(5)).optional().describe('0 = not recognised'),
  taxonomyNodeId: zIntParam().optional().describe('A sector, group or leaf: matches everything under it'),
  unitId: zIntParam().optional().describe("Today's unit also finds records registered under its predecessors"),
  producerId: z.string().uuid().optional(),
  producerKind: csv(ZProducerKind).optional(),
  certification: csv(z.enum(CERTIFICATION_TYPES)).optional(),
  channel: csv(z.enum(CHANNEL_KINDS)).optional(),
  processingLevel: csv(z.enum(PROCESSING_LEVELS)).optional(),
  keyProduct: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  recognizedFrom: z.coerce.number().int().min(2018).max(2100).optional(),
  recognizedTo: z.coerce.number().int().min(2018).max(2100).optional(),
  sort: z.enum(['name', 'stars', 'recognitionYear', 'updatedAt', 'producer']).default('name'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ProductListQuery = z.infer<typeof ZProductListQuery>;

export const ZProductPage = z.object({
  items: z.array(ZProductSummary),
  /** Matches, counted up to 10,000; `totalCapped` says there are more. */
  total: z.number().int(),
  totalCapped: z.boolean(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
