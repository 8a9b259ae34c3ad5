import { isProvinceWide, type Actor } from '../../lib/actor.js';

/** Officers see registration requests: province-wide staff all of them, commune officers those of their communes. */
export const canListRegistrations = (a: Actor) => isProvinceWide(a) || a.role === 'commune_officer';

/** Approving or rejecting: province-wide staff anywhere, a commune officer for requests of a unit in scope. */
export const canDecideRegistration = (a: Actor, r: { unitId: number }) =>
  isProvinceWide(a) || (a.role === 'commune_officer' && a.scopeUnitIds.has(r.unitId));

/**
 * Linking a new account to a producer already in the registry hands that producer's records to the applicant:
 * the officer must be responsible for the producer too (a commune officer cannot bind accounts to producers elsewhere).
 */
export const canLinkRegistrationToProducer = (a: Actor, p: { unitId: number }) =>
  isProvinceWide(a) || (a.role === 'commune_officer' && a.scopeUnitIds.has(p.unitId));
