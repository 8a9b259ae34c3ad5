import { isProvinceWide, type Actor } from '../../lib/actor.js';

/** What the lot rules look at: the lot's producer and its product's registered unit. */
export type LotScope = { producerId: string; registeredUnitId: number };

/**
 * Lots and their events: province-wide officers, council members and viewers read all; commune officers read the
 * lots of products registered in their communes (with the units those replaced); producer users their own lots.
 */
export const canReadLot = (a: Actor, l: LotScope) =>
  isProvinceWide(a) ||
  a.role === 'central_officer' || // ministry staff read everything (the lot list and EPCIS export already show them every lot)
  a.role === 'council_member' ||
  a.role === 'viewer' ||
  (a.role === 'commune_officer' && a.scopeUnitIds.has(l.registeredUnitId)) ||
  (a.role === 'producer' && a.producerId !== null && a.producerId === l.producerId);

/** Writing a lot or recording an event on it: the same as reading, without council members and viewers. */
export const canWriteLot = (a: Actor, l: LotScope) =>
  isProvinceWide(a) ||
  (a.role === 'commune_officer' && a.scopeUnitIds.has(l.registeredUnitId)) ||
  (a.role === 'producer' && a.producerId !== null && a.producerId === l.producerId);

/** Roles that may write lots at all (the rest are refused before anything is looked up). */
export const mayWriteLots = (a: Actor) => isProvinceWide(a) || a.role === 'commune_officer' || a.role === 'producer';

/** Importing an EPCIS document writes events: the same roles; each event's lots are then checked with canWriteLot. */
export const canImportEpcis = mayWriteLots;
