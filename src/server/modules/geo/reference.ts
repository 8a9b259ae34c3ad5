/**
 * National reference data (#11 item 4): the 34 provinces and 3,321 communes in force since 1/7/2025 and the shipped
 * boundaries. Loaded at every start, by checksum: while a file is unchanged its load is one query.
 *
 * Units already in the database for the same GSO code on 1/7/2025 (the seed's tỉnh Bắc Ninh and the 11 communes that
 * succeeded Lục Ngạn's) are reused, never duplicated, so the successions of units.json keep pointing at the units the
 * national list names; the other units are added under their province in one statement each.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../audit/service.js';
import { bboxOf, countPositions, type BoundaryGeometry } from '../../../shared/geojson.js';
import { matchFeatures, parseBoundaryFile } from './boundary-file.js';
import * as repo from './repository.js';

/** The day the 2025 reorganisation took effect: every unit of the national file is valid from then. */
export const REFORM_2025 = '2025-07-01';
const SOURCE = 'vn-admin-units-2025.json — thanglequoc/vietnamese-provinces-database (MIT), GSO codes';

export const checksumOf = (text: string) => createHash('sha256').update(text).digest('hex');

const PROVINCE_TYPES: Record<string, 'province' | 'city'> = { 'Tỉnh': 'province', 'Thành phố': 'city' };
const COMMUNE_TYPES: Record<string, 'commune' | 'ward' | 'special_zone'> = { 'Xã': 'commune', 'Phường': 'ward', 'Đặc khu': 'special_zone' };

/** The shape of seed/geo/vn-admin-units-2025.json, checked before anything is written. */
export const ZNationalUnits = z.object({
  source: z.string(),
  licence: z.string(),
  provinces: z.array(z.object({
    code: z.string().regex(/^\d{2}$/),
    name: z.string().min(1).max(120),
    type: z.enum(Object.keys(PROVINCE_TYPES) as ['Tỉnh', 'Thành phố']),
    communes: z.array(z.object({
      code: z.string().regex(/^\d{5}$/),
      name: z.string().min(1).max(120),
      type: z.enum(Object.keys(COMMUNE_TYPES) as ['Xã', 'Phường', 'Đặc khu']),
    })).min(1),
  })).min(1).max(100),
});

export interface LoadResult { skipped: boolean; added: number }

/** Loads the national units file (text as shipped); idempotent, and skipped while its checksum is recorded. */
export async function loadNationalUnits(db: Db, text: string, name = 'geo/vn-admin-units-2025.json'): Promise<LoadResult> {
  const checksum = checksumOf(text);
  if ((await repo.findReferenceLoad(db, name))?.checksum === checksum) return { skipped: true, added: 0 };
  const doc = ZNationalUnits.parse(JSON.parse(text));
  return db.transaction(async (tx) => {
    const codeToId = async (level: 1 | 3) =>
      new Map((await repo.findCodedUnitsOn(tx, REFORM_2025)).filter((u) => u.level === level).map((u) => [u.code, u.id]));
    let provinces = await codeToId(1);
    const newProvinces = doc.provinces.filter((p) => !provinces.has(p.code)).map((p) => ({
      key: `vn2025-${p.code}`, code: p.code, name: p.name, type: PROVINCE_TYPES[p.type], level: 1, parent_id: null, valid_from: REFORM_2025, source: SOURCE,
    }));
    let added = await repo.insertUnitsBulk(tx, newProvinces);
    provinces = await codeToId(1);
    const communes = await codeToId(3);
    const newCommunes: repo.NewUnitRow[] = [];
    for (const p of doc.provinces) {
      const parent = provinces.get(p.code);
      if (!parent) throw new Error(`${name}: province ${p.code} could not be added (a unit with its key exists with another code?)`);
      for (const c of p.communes) {
        if (communes.has(c.code)) continue;
        newCommunes.push({ key: `vn2025-${c.code}`, code: c.code, name: c.name, type: COMMUNE_TYPES[c.type], level: 3, parent_id: parent, valid_from: REFORM_2025, source: SOURCE });
      }
    }
    added += await repo.insertUnitsBulk(tx, newCommunes);
    const total = doc.provinces.reduce((s, p) => s + 1 + p.communes.length, 0);
    await repo.recordReferenceLoad(tx, name, checksum, total);
    await recordAudit(tx, { system: 'reference' }, 'load', 'reference_file', name, null, { checksum, units: total, added });
    return { skipped: false, added };
  });
}

/**
 * Loads a shipped boundary file (features carry the GSO `code`) for the units of `level` in force on 1/7/2025.
 * The files are already simplified, so they are stored as they are (rounded, RFC 7946 winding); a boundary a
 * province imported is kept. Features whose code names no unit are an error: a shipped file must match the units.
 */
export async function loadBoundarySeed(db: Db, text: string, name: string, level: 1 | 3): Promise<LoadResult> {
  const checksum = checksumOf(text);
  if ((await repo.findReferenceLoad(db, name))?.checksum === checksum) return { skipped: true, added: 0 };
  const parsed = parseBoundaryFile(text, { tolerance: 0 });
  if (parsed.errors.length) throw new Error(`${name}: ${parsed.errors.slice(0, 3).map((e) => `${e.path} ${e.message}`).join('; ')}`);
  return db.transaction(async (tx) => {
    const units = (await repo.findCodedUnitsOn(tx, REFORM_2025)).filter((u) => u.level === level);
    const matched = matchFeatures(parsed.features, units.map((u) => ({ id: u.id, code: u.code, name: u.name, type: u.type, provinceName: null })), { codeWidth: level === 1 ? 2 : 5, where: 'danh mục 2025' });
    if (matched.errors.length) throw new Error(`${name}: ${matched.errors.slice(0, 3).map((e) => e.message).join('; ')}`);
    const written = await repo.upsertBoundaries(tx, matched.matches.map(({ feature, unit }) => boundaryRow(unit.id, feature.geometry, feature.areaKm2, `seed:${name}`, null)), { keepImports: true });
    await repo.recordReferenceLoad(tx, name, checksum, written.length);
    await recordAudit(tx, { system: 'reference' }, 'load', 'reference_file', name, null, { checksum, boundaries: written.length });
    return { skipped: false, added: written.length };
  });
}

export function boundaryRow(unitId: number, g: BoundaryGeometry, areaKm2: number | null, source: string, importedBy: string | null): repo.BoundaryRow {
  const [minLng, minLat, maxLng, maxLat] = bboxOf(g);
  return { unit_id: unitId, geometry: g, min_lng: minLng, min_lat: minLat, max_lng: maxLng, max_lat: maxLat, point_count: countPositions(g), area_km2: areaKm2, source, imported_by: importedBy };
}
