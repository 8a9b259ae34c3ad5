import { isProvinceWide, type Actor } from '../../lib/actor.js';

type ProductLike = { producerId: string; registeredUnitId: number };

/** Officers, council members and viewers read the registry; a producer user reads its own products. */
export const canReadProduct = (a: Actor, p: { producerId: string }) => a.role !== 'producer' || a.producerId === p.producerId;

/** Province-wide staff anywhere; commune officers inside their communes; producer users for their own producer. */
export const canWriteProduct = (a: Actor, p: ProductLike) =>
  isProvinceWide(a) ||
  (a.role === 'commune_officer' && a.scopeUnitIds.has(p.registeredUnitId)) ||
  (a.role === 'producer' && a.producerId === p.producerId);

// Star and certificate fields are not written through products: see the certificates module's policy.

/** Excel export of lists: everyone who reads the whole registry. */
export const canExportProducts = (a: Actor) => a.role !== 'producer';

/** Excel import writes many records: officers only (rows are then checked one by one against the scope). */
export const canImport = (a: Actor) => isProvinceWide(a) || a.role === 'commune_officer';
