import type { JoinedRegistration } from './repository.js';
import { referenceOf } from './reference.js';
import type { Registration } from './schema.js';
import type { RegistrationRequestRow } from './tables.js';

/** Never the password hash. */
export function presentRegistration(j: JoinedRegistration): Registration {
  const r = j.request;
  return {
    id: r.id,
    legalName: r.legalName,
    kind: r.kind as Registration['kind'],
    registrationNumber: r.registrationNumber,
    unit: { id: r.unitId, name: j.unitName },
    address: r.address,
    representative: r.representative,
    phone: r.phone,
    email: r.email,
    login: r.login,
    loginTaken: r.loginTaken,
    reference: referenceOf(r.id),
    note: r.note,
    status: r.status as Registration['status'],
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null,
    decisionNote: r.decisionNote,
    producerId: r.producerId,
    existingProducer: j.existingId ? { id: j.existingId, legalName: j.existingLegalName ?? '' } : null,
  };
}

/** What the audit trail keeps of a request: never the password hash. */
export function auditableRegistration(r: RegistrationRequestRow) {
  const { passwordHash: _p, createdAt: _c, ...rest } = r;
  return { ...rest, decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null } as Record<string, unknown>;
}
