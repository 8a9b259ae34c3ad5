import { z } from 'zod';
import { OPERATIONS, type Operation } from '../../lib/access-policy.js';
import { ROLES } from '../../lib/actor.js';

export const ZRole = z.enum(ROLES);

/** Passwords: at least 10 characters here; the strength rules (password-policy.ts) run in the service. */
const ZNewPassword = z.string().min(10, 'Mật khẩu cần ít nhất 10 ký tự').max(200);

export const ZLoginBody = z.object({
  login: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
  /** The 6-digit code of the authenticator app, for accounts with two-step verification. */
  totpCode: z.string().trim().max(10).nullish(),
});

export const ZMe = z.object({
  id: z.string().uuid(),
  login: z.string(),
  fullName: z.string(),
  role: ZRole,
  producerId: z.string().uuid().nullable(),
  unitIds: z.array(z.number().int()),
  locale: z.enum(['vi', 'en']),
  csrfToken: z.string(),
  /** The session may only change the password (demo account on a real deployment, password reset by an admin). */
  mustChangePassword: z.boolean(),
  /** An administrator on a real deployment must enrol two-step verification before anything else. */
  mustEnrolTotp: z.boolean(),
  totpEnabled: z.boolean(),
  /** The API operations this account's role may call (lib/access-policy.ts): what the web app offers. */
  operations: z.array(z.enum(OPERATIONS as [Operation, ...Operation[]])),
});
export type Me = z.infer<typeof ZMe>;

export const ZTotpEnrolment = z.object({ secret: z.string(), otpauthUri: z.string(), qrDataUrl: z.string() });
export type TotpEnrolment = z.infer<typeof ZTotpEnrolment>;
export const ZTotpConfirm = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'Mã gồm 6 chữ số') });

export const ZChangePassword = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: ZNewPassword,
});

export const ZUser = z.object({
  id: z.string().uuid(),
  login: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: ZRole,
  producerId: z.string().uuid().nullable(),
  unitIds: z.array(z.number().int()),
  isActive: z.boolean(),
  locale: z.enum(['vi', 'en']),
  lastLoginAt: z.string().nullable(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  version: z.number().int(),
});
export type User = z.infer<typeof ZUser>;

const userFields = {
  fullName: z.string().trim().min(1).max(120),
  email: z.string().trim().email('Email không hợp lệ').max(200).nullable().default(null),
  phone: z.string().trim().regex(/^[0-9+ .-]{8,20}$/, 'Số điện thoại không hợp lệ').nullable().default(null),
  role: ZRole,
  producerId: z.string().uuid().nullable().default(null),
  unitIds: z.array(z.number().int().positive()).max(50).default([]),
  locale: z.enum(['vi', 'en']).default('vi'),
};

function roleBindings(v: { role: string; producerId: string | null; unitIds: number[] }, ctx: z.RefinementCtx) {
  if (v.role === 'producer' && !v.producerId) ctx.addIssue({ code: 'custom', path: ['producerId'], message: 'Tài khoản chủ thể phải gắn với một chủ thể' });
  if (v.role !== 'producer' && v.producerId) ctx.addIssue({ code: 'custom', path: ['producerId'], message: 'Chỉ tài khoản chủ thể mới gắn với chủ thể' });
  if (v.role === 'commune_officer' && v.unitIds.length === 0) ctx.addIssue({ code: 'custom', path: ['unitIds'], message: 'Cán bộ cấp xã cần ít nhất một xã phụ trách' });
}

export const ZCreateUser = z
  .object({ login: z.string().trim().regex(/^[a-zA-Z0-9._@-]{3,60}$/, 'Tên đăng nhập 3–60 ký tự: chữ không dấu, số, . _ @ -'), password: ZNewPassword, mustChangePassword: z.boolean().optional(), ...userFields })
  .superRefine(roleBindings);
export type CreateUser = z.infer<typeof ZCreateUser>;

export const ZUpdateUser = z
  .object({ ...userFields, isActive: z.boolean(), version: z.number().int().positive() })
  .superRefine(roleBindings);
export type UpdateUser = z.infer<typeof ZUpdateUser>;

export const ZResetPassword = z.object({ newPassword: ZNewPassword, mustChangePassword: z.boolean().default(true) });
