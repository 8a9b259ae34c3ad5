import { z } from 'zod';
import { zIntParam } from '../../../shared/int.js';

export const UNIT_TYPES = ['province', 'district', 'town', 'commune', 'ward', 'township'] as const;
export const ZUnitType = z.enum(UNIT_TYPES);
export const LEVEL_OF_TYPE: Record<(typeof UNIT_TYPES)[number], 1 | 2 | 3> = {
  province: 1, district: 2, town: 2, commune: 3, ward: 3, township: 3,
};
export const SUCCESSION_KINDS = ['merge', 'split', 'rename', 'reclassify', 'transfer'] as const;

const ZIsoDate = z.iso.date();

export const ZUnit = z.object({
  id: z.number().int(),
  key: z.string(),
  code: z.string().nullable(),
  codeStatus: z.enum(['official', 'inferred', 'none']),
  name: z.string(),
  type: ZUnitType,
  level: z.number().int(),
  parentId: z.number().int().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  note: z.string().nullable(),
  source: z.string().nullable(),
});
export type Unit = z.infer<typeof ZUnit>;

export const ZSuccession = z.object({
  id: z.number().int(),
  predecessorId: z.number().int(),
  successorId: z.number().int(),
  effectiveOn: z.string(),
  kind: z.enum(SUCCESSION_KINDS),
  note: z.string().nullable(),
});

export const ZUnitListQuery = z.object({
  asOf: ZIsoDate.optional().describe('Only units valid on this date (yyyy-mm-dd)'),
  level: z.coerce.number().int().min(1).max(3).optional(),
  parentId: zIntParam().optional(),
});

export const ZUnitDetail = ZUnit.extend({
  parent: ZUnit.nullable(),
  predecessors: z.array(ZUnit.extend({ effectiveOn: z.string(), kind: z.string() })),
  successors: z.array(ZUnit.extend({ effectiveOn: z.string(), kind: z.string() })),
  children: z.array(ZUnit),
});

export const ZCreateUnit = z.object({
  key: z.string().trim().regex(/^[a-z0-9-]{2,60}$/, 'Chỉ dùng chữ thường không dấu, số và dấu gạch ngang'),
  code: z.string().trim().regex(/^\d{2,5}$/, 'Mã gồm 2–5 chữ số').nullable().default(null),
  codeStatus: z.enum(['official', 'inferred', 'none']).default('none'),
  name: z.string().trim().min(1).max(120),
  type: ZUnitType,
  parentId: z.number().int().positive().nullable().default(null),
  validFrom: ZIsoDate.nullable().default(null),
  validTo: ZIsoDate.nullable().default(null),
  note: z.string().max(1000).nullable().default(null),
  source: z.string().max(1000).nullable().default(null),
  /** Units this one replaces, ended the day before validFrom. */
  predecessors: z
    .array(z.object({ unitId: z.number().int().positive(), kind: z.enum(SUCCESSION_KINDS) }))
    .max(50)
    .default([]),
});
export type CreateUnit = z.infer<typeof ZCreateUnit>;
