import { z } from 'zod';

export const CRAFT_VILLAGE_KINDS = ['craft_village', 'traditional'] as const;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày phải có dạng yyyy-mm-dd');
const optText = (max: number) => z.string().trim().max(max).transform((s) => (s === '' ? null : s)).nullable().default(null);

export const ZCraftVillageInput = z.object({
  name: z.string().trim().min(2, 'Cần tên làng nghề').max(300),
  unitId: z.number().int().positive(),
  kind: z.enum(CRAFT_VILLAGE_KINDS).default('craft_village'),
  craft: optText(300),
  decision: optText(200),
  recognisedOn: isoDate.nullable().default(null),
  revokedOn: isoDate.nullable().default(null),
  note: optText(2000),
  isDemo: z.boolean().default(false),
}).refine((v) => !v.revokedOn || !v.recognisedOn || v.revokedOn >= v.recognisedOn, { message: 'Ngày thu hồi trước ngày công nhận', path: ['revokedOn'] });
export type CraftVillageInput = z.infer<typeof ZCraftVillageInput>;
export const ZCraftVillageUpdate = z.object({ version: z.number().int().positive() }).and(ZCraftVillageInput);

export const ZCraftVillageListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  unitId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
});
export type CraftVillageListQuery = z.infer<typeof ZCraftVillageListQuery>;

export const ZCraftVillage = z.object({
  id: z.string(), name: z.string(), unit: z.object({ id: z.number(), name: z.string(), type: z.string() }), kind: z.enum(CRAFT_VILLAGE_KINDS),
  craft: z.string().nullable(), decision: z.string().nullable(), recognisedOn: z.string().nullable(), revokedOn: z.string().nullable(),
  note: z.string().nullable(), isDemo: z.boolean(), producerCount: z.number(), version: z.number(), canEdit: z.boolean(),
});
export type CraftVillage = z.infer<typeof ZCraftVillage>;
export const ZCraftVillageList = z.object({ items: z.array(ZCraftVillage), canManage: z.boolean() });
export type CraftVillageList = z.infer<typeof ZCraftVillageList>;
