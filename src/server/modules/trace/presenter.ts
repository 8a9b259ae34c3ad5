import type { GrowingAreaJoined, PackingHouseJoined } from './repository.js';
import type { GrowingArea, Market, PackingHouse } from './schema.js';
import type { GrowingAreaRow, PackingHouseRow } from './tables.js';

type Joins = { unitName: string; unitType: string; unitCode: string | null; producerName: string | null };
type Common = GrowingAreaRow | PackingHouseRow;

function common(r: Common, j: Joins) {
  return {
    id: r.id,
    code: r.code,
    owner: { producerId: r.ownerProducerId, producerName: j.producerName, name: r.ownerName },
    unit: { id: r.unitId, name: j.unitName, type: j.unitType, code: j.unitCode },
    markets: r.markets as Market[],
    issuingAuthority: r.issuingAuthority,
    issuedOn: r.issuedOn,
    validTo: r.validTo,
    gln: r.gln,
    verificationStatus: r.verificationStatus,
    verifiedAt: r.verifiedAt?.toISOString() ?? null,
    verificationNote: r.verificationNote,
    publicPath: `/${'crop' in r ? 'vung-trong' : 'co-so-dong-goi'}/${encodeURIComponent(r.code)}`,
    version: r.version,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Staff and the owning producer see the same record (place codes are published by the authority anyway). */
export function presentGrowingArea(j: GrowingAreaJoined): GrowingArea {
  const a = j.area;
  return { ...common(a, j), crop: a.crop, areaHa: Number(a.areaHa), households: a.households, location: a.location ?? null };
}

export function presentPackingHouse(j: PackingHouseJoined): PackingHouse {
  return { ...common(j.house, j), name: j.house.name };
}

/** The audit trail keeps the business fields only. */
export function auditablePlace(r: Common) {
  const { createdAt: _c, updatedAt: _u, version: _v, verifiedAt: _va, ...rest } = r;
  return rest as Record<string, unknown>;
}
