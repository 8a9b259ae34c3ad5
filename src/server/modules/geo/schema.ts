import { z } from 'zod';
import { zIntParam } from '../../../shared/int.js';

/** `city`: a centrally-run city (thành phố trực thuộc trung ương); `special_zone`: đặc khu, commune level since 2025. */
export const UNIT_TYPES = ['province', 'city', 'district', 'town', 'commune', 'ward', 'township', 'special_zone'] as const;
export const ZUnitType = z.enum(UNIT_TYPES);
export const LEVEL_OF_TYPE: Record<(typeof UNIT_TYPES)[number], 1 | 2 | 3> = {
  province: 1, city: 1, district: 2, town: 2, commune: 3, ward: 3, township: 3, special_zone: 3,
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

// ─── Boundaries (#11 item 4) ─────────────────────────────────────────────────────────────────────────────────

export const ZBoundaryQuery = z.object({
  level: z.coerce.number().int().min(1).max(3).optional().describe('All units of this level that have a boundary (1 = provinces)'),
  parentId: zIntParam().optional().describe('The units directly under this one (e.g. a province’s communes)'),
});
export type BoundaryQuery = z.infer<typeof ZBoundaryQuery>;

export const ZBoundaryImportQuery = z.object({
  provinceId: zIntParam().optional().describe('The province whose communes the file describes (default: the importer’s assigned province)'),
  asOf: ZIsoDate.optional().describe('Match communes in force on this date (default: today)'),
});

export const ZBoundaryImportResult = z.object({
  province: z.object({ id: z.number().int(), name: z.string() }),
  imported: z.number().int(),
  replaced: z.number().int(),
  pointsIn: z.number().int(),
  pointsOut: z.number().int(),
  units: z.array(z.object({ unitId: z.number().int(), code: z.string().nullable(), name: z.string(), replaced: z.boolean(), pointsIn: z.number().int(), pointsOut: z.number().int() })),
  communesNotInFile: z.array(z.object({ unitId: z.number().int(), code: z.string().nullable(), name: z.string() })),
});
export type BoundaryImportResult = z.infer<typeof ZBoundaryImportResult>;
