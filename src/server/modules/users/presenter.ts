import type { UserRow } from './tables.js';
import type { Actor } from '../../lib/actor.js';
import type { Me, User } from './schema.js';
import type { SessionRestriction } from './service.js';
import { operationsOf } from '../../lib/access-policy.js';

/** The signed-in user as the web app sees them: identity, what the session may do, the CSRF token. */
export function presentMe(s: { actor: Actor; restriction: SessionRestriction; totpEnabled: boolean }, csrfToken: string): Me {
  const a = s.actor;
  return {
    id: a.id, login: a.login, fullName: a.fullName, role: a.role, producerId: a.producerId, unitIds: a.unitIds, locale: a.locale, csrfToken,
    mustChangePassword: s.restriction === 'change_password',
    mustEnrolTotp: s.restriction === 'enrol_totp',
    totpEnabled: s.totpEnabled,
    operations: operationsOf(a.role),
  };
}

export function presentUser(u: UserRow, unitIds: number[]): User {
  return {
    id: u.id,
    login: u.login,
    fullName: u.fullName,
    email: u.email,
    phone: u.phone,
    role: u.role as User['role'],
    producerId: u.producerId,
    unitIds,
    isActive: u.isActive,
    locale: u.locale as 'vi' | 'en',
    lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
    mustChangePassword: u.mustChangePassword,
    totpEnabled: Boolean(u.totpEnabledAt),
    version: u.version,
  };
}

/** What the audit trail keeps of a user: business fields only (never the password hash, nor the row version). */
export function auditableUser(u: UserRow, unitIds: number[]) {
  const { passwordHash: _omit, totpSecret: _t, totpLastStep: _ts, lastLoginAt: _l, updatedAt: _u, createdAt: _c, passwordChangedAt: _p, version: _v, ...rest } = u;
  return { ...rest, totpEnabledAt: u.totpEnabledAt ? u.totpEnabledAt.toISOString() : null, unitIds };
}
