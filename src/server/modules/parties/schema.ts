import { z } from 'zod';
import { checkGln } from '../../../shared/gs1-prefixes.js';
import { cleanText } from '../../../shared/text.js';

export const PARTY_KINDS = ['buyer', 'processor', 'packer', 'transporter', 'retailer', 'other'] as const;
export const ZPartyKind = z.enum(PARTY_KINDS, { error: 'Loại đối tác không hợp lệ' });
export type PartyKind = z.infer<typeof ZPartyKind>;

/** GLN (13 digits with its GS1 check digit) or null. */
export const ZGln = z.string().trim().superRefine((s, ctx) => {
  const r = checkGln(s);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
}).nullable().default(null);

export const ZPartyInput = z.object({
  producerId: z.string().uuid('Mã chủ thể không hợp lệ'),
  name: z.string().max(300).transform(cleanText).pipe(z.string().min(1, 'Chưa nhập tên đối tác')),
  kind: ZPartyKind,
  gln: ZGln,
  unitId: z.number().int().positive().nullable().default(null),
  address: z.string().max(500).transform(cleanText).transform((s) => (s === '' ? null : s)).nullable().default(null),
});
export type PartyInput = z.infer<typeof ZPartyInput>;
/** What a client sends (defaults not yet applied). */
export type PartyInputBody = z.input<typeof ZPartyInput>;
export const ZPartyUpdate = ZPartyInput.extend({ version: z.number().int().positive() });

export const ZParty = z.object({
  id: z.string().uuid(),
  producerId: z.string().uuid(),
  name: z.string(),
  kind: ZPartyKind,
  gln: z.string().nullable(),
  unitId: z.number().int().nullable(),
  address: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type Party = z.infer<typeof ZParty>;

export const ZPartyListQuery = z.object({
  producerId: z.string().uuid('Mã chủ thể không hợp lệ').optional(),
  kind: ZPartyKind.optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type PartyListQuery = z.infer<typeof ZPartyListQuery>;
export const ZPartyPage = z.object({ items: z.array(ZParty), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
