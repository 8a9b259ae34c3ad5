import { z } from 'zod';
import { cleanText } from '../../../shared/text.js';

export const PREFIX_STATUSES = ['declared', 'verified', 'rejected'] as const;
export const ZPrefixStatus = z.enum(PREFIX_STATUSES);

const optNote = z.string().max(1000).transform(cleanText).transform((s) => (s === '' ? null : s)).nullable().default(null);

export const ZGs1PrefixInput = z.object({
  prefix: z.string().trim().regex(/^[0-9]{6,12}$/, 'Mã doanh nghiệp GS1 gồm 6 đến 12 chữ số (Việt Nam: bắt đầu bằng 893)'),
  evidenceId: z.string().uuid('Mã tài liệu không hợp lệ').nullable().default(null),
  note: optNote,
});
export type Gs1PrefixInput = z.infer<typeof ZGs1PrefixInput>;

/** An officer's decision on a declaration (prefix, place, place link): a rejection needs a reason. */
export const ZVerificationInput = z
  .object({ decision: z.enum(['verified', 'rejected']), note: optNote })
  .refine((v) => v.decision === 'verified' || !!v.note, { path: ['note'], message: 'Cần ghi lý do từ chối' });
export type VerificationInput = z.infer<typeof ZVerificationInput>;

export const ZWarning = z.object({ code: z.string(), message: z.string() });
export type Warning = z.infer<typeof ZWarning>;

export const ZGs1Prefix = z.object({
  id: z.string().uuid(),
  producerId: z.string().uuid(),
  prefix: z.string(),
  status: ZPrefixStatus,
  evidenceId: z.string().uuid().nullable(),
  verifiedAt: z.string().nullable(),
  note: z.string().nullable(),
  warnings: z.array(ZWarning),
  createdAt: z.string(),
});
export type Gs1Prefix = z.infer<typeof ZGs1Prefix>;
/** The prefixes with what the caller may do (from the identifiers policy): declare one, decide declared ones. */
export const ZGs1PrefixList = z.object({ items: z.array(ZGs1Prefix), canDeclare: z.boolean(), canDecide: z.boolean() });
export type Gs1PrefixList = z.infer<typeof ZGs1PrefixList>;

export const ZProducerIdParams = z.object({ id: z.string().uuid('Mã chủ thể không hợp lệ') });
