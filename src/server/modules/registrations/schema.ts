import { z } from 'zod';
import { cleanText } from '../../../shared/text.js';
import { checkRegistrationNumber, ZProducerKind } from '../producers/schema.js';

export const REGISTRATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const ZRegistrationStatus = z.enum(REGISTRATION_STATUSES);

const text = (max: number) => z.string().max(max).transform(cleanText);
/** Optional text: absent, null or blank → null. */
const optText = (max: number) =>
  z.string().max(max).transform(cleanText).transform((s) => (s === '' ? null : s)).nullable().optional().transform((v) => v ?? null);

/** What the public form sends: the producer's identity, a contact and the account it asks for. */
export const ZRegistrationInput = z
  .object({
    kind: ZProducerKind,
    legalName: text(300).pipe(z.string().min(2, 'Tên chủ thể quá ngắn')),
    registrationNumber: z.string().trim().toUpperCase().max(20),
    unitId: z.number().int().positive(),
    address: optText(300),
    representative: text(120).pipe(z.string().min(2, 'Cần họ tên người đại diện')),
    // The accounts' rule (no parentheses), so the phone is valid on the producer and on the user.
    phone: z.string().trim().regex(/^[0-9+ .-]{8,20}$/, 'Số điện thoại không hợp lệ'),
    email: z
      .string().trim().max(200)
      .refine((s) => s === '' || z.email().safeParse(s).success, 'Email không hợp lệ')
      .transform((s) => (s === '' ? null : s))
      .nullable().optional().transform((v) => v ?? null),
    // Same rule as accounts created by an administrator (users/schema.ts ZCreateUser).
    login: z.string().trim().regex(/^[a-zA-Z0-9._@-]{3,60}$/, 'Tên đăng nhập 3–60 ký tự: chữ không dấu, số, . _ @ -'),
    // Length here; strength (users/password-policy.ts) in the service.
    password: z.string().min(10, 'Mật khẩu cần ít nhất 10 ký tự').max(200),
    note: optText(2000),
  })
  // Same rule and messages as the producer record.
  .superRefine(checkRegistrationNumber);
export type RegistrationInput = z.infer<typeof ZRegistrationInput>;
/** What a client sends (before the schema's transforms). */
export type RegistrationInputBody = z.input<typeof ZRegistrationInput>;

/** The same answer whether or not the login was free (the applicant keeps the reference number). */
export const ZRegistrationCreated = z.object({ id: z.string().uuid(), reference: z.string(), status: z.literal('pending') });

export const ZRegistrationUnit = z.object({ id: z.number().int(), name: z.string(), parentName: z.string().nullable() });
export type RegistrationUnit = z.infer<typeof ZRegistrationUnit>;
export type RegistrationCreated = z.infer<typeof ZRegistrationCreated>;

export const ZRegistration = z.object({
  id: z.string().uuid(),
  legalName: z.string(),
  kind: ZProducerKind,
  registrationNumber: z.string(),
  unit: z.object({ id: z.number().int(), name: z.string() }),
  address: z.string().nullable(),
  representative: z.string(),
  phone: z.string(),
  email: z.string().nullable(),
  login: z.string(),
  /** The login was already taken when the request came in: approving it under this login is refused. */
  loginTaken: z.boolean(),
  reference: z.string(),
  note: z.string().nullable(),
  status: ZRegistrationStatus,
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  producerId: z.string().uuid().nullable(),
  /** A pending request whose registration number is already in the registry: approving links to this producer. */
  existingProducer: z.object({ id: z.string().uuid(), legalName: z.string() }).nullable(),
});
export type Registration = z.infer<typeof ZRegistration>;

export const ZRegistrationListQuery = z.object({ status: ZRegistrationStatus.optional() });
export type RegistrationListQuery = z.infer<typeof ZRegistrationListQuery>;

export const ZApproveBody = z.object({}).optional();
export const ZRejectBody = z.object({
  reason: z.string().max(2000).transform(cleanText).pipe(z.string().min(1, 'Cần nêu lý do từ chối')),
});
