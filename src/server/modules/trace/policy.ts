import { isProvinceWide, type Actor } from '../../lib/actor.js';

type Place = { unitId: number; ownerProducerId: string | null };

/** Officers, council members and viewers read every place; a producer user reads the places it owns. */
export const canReadPlace = (a: Actor, p: Pick<Place, 'ownerProducerId'>) =>
  a.role !== 'producer' || (a.producerId !== null && a.producerId === p.ownerProducerId);

/**
 * Province-wide officers write everywhere, commune officers inside their communes (with the units those replaced),
 * producer users only the places they own. Applied to the record before and after a change.
 */
export const canWritePlace = (a: Actor, p: Place) =>
  isProvinceWide(a) ||
  (a.role === 'commune_officer' && a.scopeUnitIds.has(p.unitId)) ||
  (a.role === 'producer' && a.producerId !== null && a.producerId === p.ownerProducerId);

/** The owner of a place is the officers' to change, never the producer's. */
export const canChangePlaceOwner = (a: Actor) => a.role !== 'producer';

/** Excel import writes many places at once: officers only (rows are then checked one by one against the scope). */
export const canImportPlaces = (a: Actor) => isProvinceWide(a) || a.role === 'commune_officer';
