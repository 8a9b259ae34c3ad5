import type { ProducerRow } from './tables.js';
import type { Producer } from './schema.js';

interface Joined {
  producer: ProducerRow;
  unitName: string;
  unitType: string;
  unitCode: string | null;
  productCount: number;
}

export type VillageRef = { id: string; name: string; isDemo: boolean };

/** Staff and the producer's own users see the whole record (contact data is the producer's, shared with officers). */
export function presentProducer(j: Joined, villages: Map<string, VillageRef> = new Map()): Producer {
  const p = j.producer;
  return {
    id: p.id,
    kind: p.kind as Producer['kind'],
    legalName: p.legalName,
    shortName: p.shortName,
    registrationNumber: p.registrationNumber,
    unit: { id: p.unitId, name: j.unitName, type: j.unitType, code: j.unitCode },
    address: p.address,
    representative: p.representative,
    representativeTitle: p.representativeTitle,
    phone: p.phone,
    email: p.email,
    website: p.website,
    foundedYear: p.foundedYear,
    memberCount: p.memberCount,
    workerCount: p.workerCount,
    craftVillage: p.craftVillage,
    craftVillageRef: p.craftVillageId ? villages.get(p.craftVillageId) ?? { id: p.craftVillageId, name: p.craftVillageId, isDemo: false } : null,
    notes: p.notes,
    isDemo: p.isDemo,
    sources: p.sources ?? [],
    productCount: Number(j.productCount),
    version: p.version,
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** The audit trail keeps the business fields only. */
export function auditableProducer(p: ProducerRow) {
  const { createdAt: _c, updatedAt: _u, version: _v, ...rest } = p;
  return rest as Record<string, unknown>;
}
