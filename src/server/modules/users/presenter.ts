import type { UserRow } from './tables.js';
import type { User } from './schema.js';

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
    version: u.version,
  };
}

/** What the audit trail keeps of a user: business fields only (never the password hash, nor the row version). */
export function auditableUser(u: UserRow, unitIds: number[]) {
  const { passwordHash: _omit, lastLoginAt: _l, updatedAt: _u, createdAt: _c, passwordChangedAt: _p, version: _v, ...rest } = u;
  return { ...rest, unitIds };
}
