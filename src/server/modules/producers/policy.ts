import { isProvinceWide, type Actor } from '../../lib/actor.js';

type HasUnit = { unitId: number };
type HasId = { id: string };

/** Officers, council members and viewers read every producer; a producer user reads its own. */
export const canReadProducer = (a: Actor, p: HasId) => a.role !== 'producer' || a.producerId === p.id;

/** Commune officers work inside their communes (including the units those communes replaced). */
export const canCreateProducer = (a: Actor, unitId: number) =>
  isProvinceWide(a) || (a.role === 'commune_officer' && a.scopeUnitIds.has(unitId));

export const canEditProducer = (a: Actor, p: HasUnit & HasId) =>
  isProvinceWide(a) ||
  (a.role === 'commune_officer' && a.scopeUnitIds.has(p.unitId)) ||
  (a.role === 'producer' && a.producerId === p.id);

/** Identity fields (kind, registration number, unit, demo flag) are the officers' to change, not the producer's. */
export const canEditProducerIdentity = (a: Actor, p: HasUnit) =>
  isProvinceWide(a) || (a.role === 'commune_officer' && a.scopeUnitIds.has(p.unitId));
