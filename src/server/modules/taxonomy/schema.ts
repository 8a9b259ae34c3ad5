import { z } from 'zod';

export const ZTaxonomyNode = z.object({
  id: z.number().int(),
  version: z.string(),
  code: z.string(),
  name: z.string(),
  level: z.enum(['sector', 'group', 'subgroup']),
  parentId: z.number().int().nullable(),
  isLeaf: z.boolean(),
  verify: z.boolean(),
  /** For nodes of an older version: the leaves of the newer version they map to. */
  mapsTo: z.array(z.object({ id: z.number().int(), version: z.string(), code: z.string(), note: z.string().nullable() })),
});

export const ZTaxonomyVersion = z.object({
  code: z.string(),
  decision: z.string(),
  signedOn: z.string().nullable(),
  effectiveFrom: z.string().nullable(),
  effectiveTo: z.string().nullable(),
  note: z.string().nullable(),
  nodes: z.array(ZTaxonomyNode),
});
export type TaxonomyVersion = z.infer<typeof ZTaxonomyVersion>;
