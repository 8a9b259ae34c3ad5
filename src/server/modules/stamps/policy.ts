import { isProvinceWide, type Actor } from '../../lib/actor.js';

/** A lot as the policies see it: its producer and the unit its product was registered under. */
export type LotScope = { producerId: string; registeredUnitId: number };

/** Officers, council members and viewers read every lot's stamps; a producer user reads its own lots' stamps. */
export const canReadLotStamps = (a: Actor, l: Pick<LotScope, 'producerId'>) => a.role !== 'producer' || (a.producerId !== null && a.producerId === l.producerId);

/**
 * Issue, activate, deactivate, report lost: province-wide officers everywhere, commune officers for products registered
 * inside their communes (with the units those replaced), producer users for their own lots. Council members and
 * viewers only read.
 */
export const canWriteLotStamps = (a: Actor, l: LotScope) =>
  isProvinceWide(a) ||
  (a.role === 'commune_officer' && a.scopeUnitIds.has(l.registeredUnitId)) ||
  (a.role === 'producer' && a.producerId !== null && a.producerId === l.producerId);

/**
 * Which flags, reports and scan statistics a reader sees: everything (province-wide officers, council members,
 * viewers), the products registered in the commune officer's units, or a producer's own products.
 * Records without a product (a scan of an unknown lot) are visible only to the unrestricted readers.
 */
export type OversightScope = { all: true } | { all: false; unitIds: number[]; producerId: string | null };
export function oversightScope(a: Actor): OversightScope {
  if (a.role === 'commune_officer') return { all: false, unitIds: [...a.scopeUnitIds], producerId: null };
  if (a.role === 'producer') return { all: false, unitIds: [], producerId: a.producerId ?? '00000000-0000-0000-0000-000000000000' };
  return { all: true };
}

/** Dismissing flags and handling reports: officers, within their scope (checked on the record's product). */
export const canHandleOversight = (a: Actor, p: LotScope | null) =>
  isProvinceWide(a) || (a.role === 'commune_officer' && p !== null && a.scopeUnitIds.has(p.registeredUnitId));
