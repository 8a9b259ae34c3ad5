import { isProvinceWide, type Actor } from '../../lib/actor.js';

type Owner = { producerId: string; producerUnitId: number };

/** A producer's trading partners are its business: the producer itself and officers (staff and viewers) read them. */
export const canReadParties = (a: Actor, o: Pick<Owner, 'producerId'>) => a.role !== 'producer' || a.producerId === o.producerId;

/** The producer keeps its own list; officers in the producer's scope may keep it on its behalf. */
export const canWriteParties = (a: Actor, o: Owner) =>
  isProvinceWide(a) || (a.role === 'commune_officer' && a.scopeUnitIds.has(o.producerUnitId)) || (a.role === 'producer' && a.producerId === o.producerId);
