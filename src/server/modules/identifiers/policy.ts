import { isProvinceWide, type Actor } from '../../lib/actor.js';

type ProducerScope = { producerId: string; producerUnitId: number };

/** Officers, council members and viewers read every producer's prefixes; a producer user only its own. */
export const canReadPrefixes = (a: Actor, p: ProducerScope) => a.role !== 'producer' || a.producerId === p.producerId;

/** The producer declares its own prefixes; officers in the producer's scope may declare on its behalf. */
export const canDeclarePrefix = (a: Actor, p: ProducerScope) =>
  isProvinceWide(a) || (a.role === 'commune_officer' && a.scopeUnitIds.has(p.producerUnitId)) || (a.role === 'producer' && a.producerId === p.producerId);

/** Verifying (or rejecting) a prefix against the GS1 Vietnam certificate: officers in the producer's scope, never producers. */
export const canVerifyPrefix = (a: Actor, p: ProducerScope) =>
  isProvinceWide(a) || (a.role === 'commune_officer' && a.scopeUnitIds.has(p.producerUnitId));
