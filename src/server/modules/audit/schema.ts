import { z } from 'zod';

export const ZHistory = z.array(
  z.object({
    id: z.number(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    /** Names of referenced records, keyed "field:value" ("unitId:5" → "Phường Chũ — Bắc Ninh"): no ids on screen. */
    names: z.record(z.string(), z.string()),
  }),
);
