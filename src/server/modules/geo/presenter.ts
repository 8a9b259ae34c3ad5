import type { AdminUnitRow } from './tables.js';
import type { Unit } from './schema.js';

export function presentUnit(r: AdminUnitRow): Unit {
  return {
    id: r.id,
    key: r.key,
    code: r.code,
    codeStatus: r.codeStatus as Unit['codeStatus'],
    name: r.name,
    type: r.type as Unit['type'],
    level: r.level,
    parentId: r.parentId,
    validFrom: r.validFrom,
    validTo: r.validTo,
    note: r.note,
    source: r.source,
  };
}
