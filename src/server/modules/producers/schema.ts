import { z } from 'zod';
import { cleanText, isValidRegistrationNumber } from '../../../shared/text.js';
import { zHttpUrl } from '../../../shared/url.js';
import { zIntParam } from '../../../shared/int.js';

export const PRODUCER_KINDS = ['enterprise', 'cooperative', 'cooperative_group', 'household'] as const;
export const ZProducerKind = z.enum(PRODUCER_KINDS);
export type ProducerKind = z.infer<typeof ZProducerKind>;

const text = (max: number) => z.string().max(max).transform(cleanText);
const optText = (max: number) =>
  z.string().max(max).transform(cleanText).transform((s) => (s === '' ? null : s)).nullable().default(null);
const optInt = (min: number, max: number) => z.number().int().min(min).max(max).nullable().default(null);

/** The registration number must fit the producer's kind (tax code with check digit, or a household's identifiers). */
export function checkRegistrationNumber(v: { kind: ProducerKind; registrationNumber: string }, ctx: z.RefinementCtx) {
  if (!isValidRegistrationNumber(v.kind, v.registrationNumber)) {
    ctx.addIssue({
      code: 'custom',
      path: ['registrationNumber'],
      message:
        v.kind === 'household'
          ? 'Mã số không hợp lệ: cần mã số thuế 10 số, số định danh 12 số hoặc số giấy chứng nhận hộ kinh doanh'
          : 'Mã số thuế/mã số doanh nghiệp không hợp lệ (10 chữ số, chữ số cuối là số kiểm tra)',
    });
  }
}

export const ZProducerInput = z
  .object({
    kind: ZProducerKind,
    legalName: text(300).pipe(z.string().min(2, 'Tên chủ thể quá ngắn')),
    shortName: optText(120),
    registrationNumber: z.string().trim().toUpperCase().max(20),
    unitId: z.number().int().positive(),
    address: optText(300),
    representative: optText(120),
    representativeTitle: optText(80),
    phone: z.string().trim().regex(/^[0-9+ .()-]{8,20}$/, 'Số điện thoại không hợp lệ').nullable().default(null),
    email: z.string().trim().email('Email không hợp lệ').max(200).nullable().default(null),
    website: zHttpUrl(300).nullable().default(null),
    foundedYear: optInt(1900, new Date().getFullYear()),
    memberCount: optInt(0, 1_000_000),
    workerCount: optInt(0, 1_000_000),
    craftVillage: optText(200),
    /** The craft village the producer belongs to (officers only); absent = unchanged on edit, none on create. */
    craftVillageId: z.string().uuid('Mã làng nghề không hợp lệ').nullable().optional(),
    notes: optText(4000),
    isDemo: z.boolean().default(false),
    sources: z.array(zHttpUrl(500)).max(50).default([]),
  })
  .superRefine(checkRegistrationNumber);
export type ProducerInput = z.infer<typeof ZProducerInput>;

export const ZProducerUpdate = z.object({ version: z.number().int().positive() }).and(ZProducerInput);

const ZUnitRef = z.object({ id: z.number().int(), name: z.string(), type: z.string(), code: z.string().nullable() });

export const ZProducer = z.object({
  id: z.string().uuid(),
  kind: ZProducerKind,
  legalName: z.string(),
  shortName: z.string().nullable(),
  registrationNumber: z.string(),
  unit: ZUnitRef,
  address: z.string().nullable(),
  representative: z.string().nullable(),
  representativeTitle: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  foundedYear: z.number().nullable(),
  memberCount: z.number().nullable(),
  workerCount: z.number().nullable(),
  craftVillage: z.string().nullable(),
  craftVillageRef: z.object({ id: z.string(), name: z.string(), isDemo: z.boolean() }).nullable(),
  notes: z.string().nullable(),
  isDemo: z.boolean(),
  sources: z.array(z.string()),
  productCount: z.number().int(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type Producer = z.infer<typeof ZProducer>;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).max(20));

export const ZProducerListQuery = z.object({
  q: z.string().max(200).optional(),
  kind: csv(ZProducerKind).optional(),
  unitId: zIntParam().optional(),
  sort: z.enum(['name', 'updatedAt', 'registrationNumber']).default('name'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ProducerListQuery = z.infer<typeof ZProducerListQuery>;

export const ZProducerPage = z.object({ items: z.array(ZProducer), total: z.number().int(), totalCapped: z.boolean(), page: z.number().int(), pageSize: z.number().int() });
