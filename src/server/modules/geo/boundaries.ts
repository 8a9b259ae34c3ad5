/**
 * Boundaries for offline maps (#11 item 4): served as compact GeoJSON with an ETag (gzipped once per version and kept,
 * rather than compressed again by the app's compression plugin at every request: a province's communes are ~300 KB of
 * text, ~90 KB gzipped), and imported by
 * a province from its own GeoJSON file.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden } from '../../lib/errors.js';
import { recordAudit } from '../audit/service.js';
import { todayInVietnam } from '../../../shared/certificate-dates.js';
import { matchFeatures, parseBoundaryFile, type CandidateUnit } from './boundary-file.js';
import { canImportBoundaries } from './policy.js';
import { boundaryRow } from './reference.js';
import * as repo from './repository.js';
import type { BoundaryImportResult, BoundaryQuery } from './schema.js';

export interface BoundaryBody { etag: string; json: Buffer; gzip: Buffer; features: number }

/** Per process: bodies by query, valid while the database's boundaries version is the one they were built from. */
const cache = new Map<string, { version: string; body: BoundaryBody }>();
const CACHE_MAX = 200;

/**
 * The boundaries of units (a level, or the children of a unit) as a GeoJSON FeatureCollection; feature ids and
 * `properties.unitId` are unit ids. Built once per boundaries version (one cheap aggregate query per request decides).
 */
export async function getBoundaries(db: Db, q: BoundaryQuery): Promise<BoundaryBody> {
  if (q.level === undefined && q.parentId === undefined) {
    throw new AppError('VALIDATION', { errors: [{ path: 'querystring', message: 'Cần chọn cấp (level) hoặc đơn vị cha (parentId)' }] });
  }
  const key = `${q.level ?? ''}|${q.parentId ?? ''}`;
  const version = await repo.boundariesVersion(db);
  const hit = cache.get(key);
  if (hit && hit.version === version) return hit.body;
  const rows = await repo.findBoundaries(db, { level: q.level, parentId: q.parentId });
  // Each geometry is spliced in as stored text (compacted), not parsed and re-serialised by the response schema.
  const features = rows.map((r) => `{"type":"Feature","id":${Number(r.id)},"properties":${JSON.stringify({
    unitId: Number(r.id), code: r.code, name: r.name, type: r.type, level: Number(r.level), parentId: r.parent_id === null ? null : Number(r.parent_id),
    areaKm2: r.area_km2 === null ? null : Number(r.area_km2), source: r.source.startsWith('seed:') ? 'seed' : 'import',
  })},"geometry":${JSON.stringify(JSON.parse(r.geometry))}}`);
  const json = Buffer.from(`{"type":"FeatureCollection","features":[${features.join(',')}]}`);
  const body = { etag: `"b-${createHash('sha1').update(json).digest('base64url').slice(0, 20)}"`, json, gzip: gzipSync(json, { level: 6 }), features: rows.length };
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, { version, body });
  return body;
}

const featureIndex = (path: string) => Number(/^features\.(\d+)/.exec(path)?.[1] ?? -1);

/** The province whose communes a file is matched against: given, else the importer's one assigned province. */
async function targetProvince(db: Db, actor: Actor, provinceId: number | undefined) {
  const assigned = actor.unitIds.length ? (await repo.findUnits(db, { ids: actor.unitIds, level: 1 })) : [];
  const id = provinceId ?? (assigned.length === 1 ? assigned[0].id : undefined);
  if (id === undefined) {
    throw new AppError('VALIDATION', { errors: [{ path: 'querystring.provinceId', message: 'Chọn tỉnh/thành phố có ranh giới xã trong tệp' }] });
  }
  const province = await repo.findUnitById(db, id);
  if (!province || province.level !== 1) throw new AppError('VALIDATION', { errors: [{ path: 'querystring.provinceId', message: 'Không có tỉnh/thành phố này' }] });
  // A province officer assigned to provinces imports only for those; one without an assignment is province-wide.
  if (actor.role !== 'admin' && actor.unitIds.length && !actor.scopeUnitIds.has(province.id)) throw forbidden('Chỉ nhập ranh giới cho tỉnh bạn phụ trách');
  return province;
}

/**
 * Imports a province's commune boundaries: every feature matched to a commune of the province in force on `asOf`
 * (by GSO code, else by name), all written in one transaction or none, one audit entry with what was replaced.
 */
export async function importBoundaries(db: Db, actor: Actor, file: Buffer, q: { provinceId?: number; asOf?: string }): Promise<BoundaryImportResult> {
  if (!canImportBoundaries(actor)) throw forbidden('Chỉ quản trị viên và cán bộ cấp tỉnh được nhập ranh giới');
  const province = await targetProvince(db, actor, q.provinceId);
  const asOf = q.asOf ?? todayInVietnam();
  const parsed = parseBoundaryFile(file);
  if (parsed.errors.some((e) => e.path.startsWith('file'))) throw new AppError('BOUNDARY_IMPORT_INVALID', { errors: parsed.errors });
  const provinceLabel = `${province.type === 'city' ? 'thành phố' : 'tỉnh'} ${province.name}`;
  const communes = (await repo.findUnits(db, { asOf, level: 3, parentId: province.id }));
  const candidates: CandidateUnit[] = communes.map((u) => ({ id: u.id, code: u.code, name: u.name, type: u.type, provinceName: province.name }));
  // The valid features are matched too, so one answer lists every problem of the file (in file order).
  const matched = matchFeatures(parsed.features, candidates, { codeWidth: 5, where: provinceLabel });
  const errors = [...parsed.errors, ...matched.errors].sort((a, b) => featureIndex(a.path) - featureIndex(b.path));
  if (errors.length) {
    throw new AppError('BOUNDARY_IMPORT_INVALID', {
      errors: errors.slice(0, 100),
      detail: `Ranh giới chưa được ghi: ${errors.length} đối tượng có lỗi hoặc không khớp xã/phường của ${provinceLabel} tại ngày ${asOf.split('-').reverse().join('/')}`,
    });
  }

  return db.transaction(async (tx) => {
    const ids = matched.matches.map((m) => m.unit.id);
    const before = await repo.findBoundarySummaries(tx, ids);
    const written = await repo.upsertBoundaries(tx, matched.matches.map(({ feature, unit }) => boundaryRow(unit.id, feature.geometry, feature.areaKm2, 'import', actor.id)), { keepImports: false });
    const beforeById = new Map(before.map((b) => [b.unitId, b]));
    const units = matched.matches.map(({ feature, unit }) => ({
      unitId: unit.id, code: unit.code, name: unit.name, replaced: beforeById.has(unit.id), pointsIn: feature.pointsIn, pointsOut: feature.pointsOut,
    }));
    await recordAudit(tx, actor, 'import', 'unit_boundaries', String(province.id),
      before.length ? { units: before.map((b) => ({ unitId: b.unitId, source: b.source, points: b.pointCount })) } : null,
      { province: province.name, asOf, units: units.map((u) => ({ unitId: u.unitId, code: u.code, points: u.pointsOut })) });
    return {
      province: { id: province.id, name: province.name },
      imported: written.length,
      replaced: units.filter((u) => u.replaced).length,
      communesNotInFile: communes.filter((c) => !ids.includes(c.id)).map((c) => ({ unitId: c.id, code: c.code, name: c.name })),
      pointsIn: units.reduce((s, u) => s + u.pointsIn, 0),
      pointsOut: units.reduce((s, u) => s + u.pointsOut, 0),
      units,
    };
  });
}
