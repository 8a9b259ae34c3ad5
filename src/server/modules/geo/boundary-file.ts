/**
 * Reading a boundary GeoJSON file (a province's own commune boundaries, or the files shipped in seed/geo) and matching
 * its features to administrative units. Pure: no database, so every rule is unit-tested (boundary-file.unit.test.ts).
 *
 * Bounded on purpose — the file comes from a user: size is limited by the upload, nesting depth is measured on the
 * text before JSON.parse, the feature and position counts are capped, and coordinates are checked by a plain loop
 * inside the zod schema (a zod tuple per position would cost seconds on a large file).
 */
import { z } from 'zod';
import { normalizeForSearch } from '../../../shared/text.js';
import { countPositions, prepareBoundary, approxAreaKm2, type BoundaryGeometry } from '../../../shared/geojson.js';
import type { FieldError } from '../../lib/errors.js';

export const BOUNDARY_LIMITS = {
  /** Larger uploads are refused while streaming (a province's unsimplified communes are ~5–8 MB). */
  maxBytes: 10 * 1024 * 1024,
  /** FeatureCollection › features › Feature › geometry › coordinates › polygon › ring › position = 8 (+ properties). */
  maxDepth: 12,
  maxFeatures: 1000,
  maxPositions: 2_000_000,
  maxRingsPerFeature: 2000,
  maxErrors: 100,
} as const;

/** Vietnam with Hoàng Sa and Trường Sa, generously (a trace location uses a tighter box: mainland only). */
export const BOUNDARY_BBOX = { minLng: 100, maxLng: 119, minLat: 5, maxLat: 25 } as const;

/** ~20 m: invisible on a commune map, and it brings an unsimplified survey boundary down by 10–50×. */
export const IMPORT_TOLERANCE_DEG = 0.0002;

/** Maximum nesting of arrays/objects in JSON text, ignoring brackets inside strings; stops counting past `limit`. */
export function jsonDepth(text: string, limit = 64): number {
  let depth = 0, max = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) { max = depth; if (max > limit) return max; }
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

const { minLng, maxLng, minLat, maxLat } = BOUNDARY_BBOX;
const OUTSIDE = `toạ độ ngoài lãnh thổ Việt Nam (kinh độ ${minLng}–${maxLng}, vĩ độ ${minLat}–${maxLat}; thứ tự [kinh độ, vĩ độ])`;

/** Checks polygon coordinates ([ring][position][lng, lat(, z)]) and reports the first problem with its path. */
function checkPolygon(poly: unknown, path: (string | number)[], ctx: z.RefinementCtx) {
  if (!Array.isArray(poly) || poly.length === 0) return ctx.addIssue({ code: 'custom', path, message: 'Vùng (Polygon) phải là danh sách các vòng toạ độ' });
  for (let r = 0; r < poly.length; r++) {
    const ring = poly[r];
    if (!Array.isArray(ring) || ring.length < 4) {
      return ctx.addIssue({ code: 'custom', path: [...path, r], message: 'Mỗi vòng cần ít nhất 4 điểm (điểm đầu lặp lại ở cuối)' });
    }
    for (let i = 0; i < ring.length; i++) {
      const p = ring[i];
      if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        return ctx.addIssue({ code: 'custom', path: [...path, r, i], message: 'Toạ độ phải là [kinh độ, vĩ độ]' });
      }
      if (p[0] < minLng || p[0] > maxLng || p[1] < minLat || p[1] > maxLat) return ctx.addIssue({ code: 'custom', path: [...path, r, i], message: `Điểm [${p[0]}, ${p[1]}]: ${OUTSIDE}` });
    }
    const a = ring[0] as number[], b = ring[ring.length - 1] as number[];
    if (a[0] !== b[0] || a[1] !== b[1]) return ctx.addIssue({ code: 'custom', path: [...path, r], message: 'Vòng toạ độ phải khép kín: điểm cuối trùng điểm đầu' });
  }
}

const ZPolygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(z.unknown()).max(BOUNDARY_LIMITS.maxRingsPerFeature) })
  .superRefine((g, ctx) => checkPolygon(g.coordinates, ['coordinates'], ctx));
const ZMultiPolygon = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.unknown()).min(1).max(BOUNDARY_LIMITS.maxRingsPerFeature) })
  .superRefine((g, ctx) => {
    for (let i = 0; i < g.coordinates.length; i++) checkPolygon(g.coordinates[i], ['coordinates', i], ctx);
  });

export const ZBoundaryFeature = z.object({
  type: z.literal('Feature', { error: 'Mỗi đối tượng phải có "type": "Feature"' }),
  id: z.union([z.string().max(200), z.number()]).optional(),
  properties: z.record(z.string(), z.unknown()).nullable().default(null),
  geometry: z.discriminatedUnion('type', [ZPolygon, ZMultiPolygon], { error: 'Ranh giới phải là GeoJSON Polygon hoặc MultiPolygon' }),
});

const ZEnvelope = z.discriminatedUnion('type', [
  z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()).min(1, 'Tệp không có đối tượng nào').max(BOUNDARY_LIMITS.maxFeatures, `Tối đa ${BOUNDARY_LIMITS.maxFeatures} đối tượng mỗi tệp`) }),
  z.looseObject({ type: z.literal('Feature') }),
], { error: 'Tệp phải là GeoJSON FeatureCollection (hoặc một Feature)' });

export interface BoundaryFeature {
  /** 0-based position in the file. */
  index: number;
  code: string | null;
  name: string | null;
  geometry: BoundaryGeometry;
  pointsIn: number;
  pointsOut: number;
  areaKm2: number;
}

/** Case- and separator-insensitive property lookup: "MA_XA", "maXa" and "ma_xa" are one key. */
function prop(props: Record<string, unknown> | null, keys: string[]): string | null {
  if (!props) return null;
  const want = new Set(keys.map((k) => k.toLowerCase().replace(/[_\s-]/g, '')));
  for (const [k, v] of Object.entries(props)) {
    if (!want.has(k.toLowerCase().replace(/[_\s-]/g, ''))) continue;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 200);
  }
  return null;
}
const CODE_KEYS = ['code', 'ma', 'maxa', 'matinh', 'madvhc', 'gso', 'gsocode', 'unitcode'];
const NAME_KEYS = ['name', 'ten', 'tenxa', 'tentinh', 'tendvhc', 'fullname', 'unitname'];

const fileError = (message: string): { features: BoundaryFeature[]; errors: FieldError[] } => ({ features: [], errors: [{ path: 'file', message }] });
const issuePath = (base: string, p: readonly PropertyKey[]) => [base, ...p.map(String)].join('.');

/**
 * Parses and validates a boundary file. Returns the valid features ready to store (rounded, simplified with
 * `tolerance`, RFC 7946 winding) and every problem found (up to BOUNDARY_LIMITS.maxErrors); a file-level problem
 * leaves no features. Callers write nothing unless `errors` is empty.
 */
export function parseBoundaryFile(input: Buffer | string, opts: { tolerance?: number } = {}): { features: BoundaryFeature[]; errors: FieldError[] } {
  let text: string;
  try {
    text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return fileError('Tệp không phải văn bản UTF-8 (cần tệp GeoJSON .geojson hoặc .json)');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) return fileError('Tệp rỗng');
  if (jsonDepth(text, BOUNDARY_LIMITS.maxDepth) > BOUNDARY_LIMITS.maxDepth) return fileError(`Tệp lồng quá sâu (tối đa ${BOUNDARY_LIMITS.maxDepth} cấp): không phải GeoJSON ranh giới`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return fileError(`Tệp không phải JSON hợp lệ: ${(err as Error).message.slice(0, 160)}`);
  }
  const env = ZEnvelope.safeParse(doc);
  if (!env.success) return { features: [], errors: env.error.issues.slice(0, 5).map((i) => ({ path: issuePath('file', i.path), message: i.message })) };
  const raw: unknown[] = env.data.type === 'FeatureCollection' ? (env.data as { features: unknown[] }).features : [doc];

  const errors: FieldError[] = [];
  const features: BoundaryFeature[] = [];
  let positions = 0;
  for (let i = 0; i < raw.length && errors.length < BOUNDARY_LIMITS.maxErrors; i++) {
    const f = ZBoundaryFeature.safeParse(raw[i]);
    const label = `Đối tượng thứ ${i + 1}`;
    if (!f.success) {
      const first = f.error.issues[0];
      errors.push({ path: issuePath(`features.${i}`, first.path), message: `${label}: ${first.message}` });
      continue;
    }
    const geometry = f.data.geometry as unknown as BoundaryGeometry;
    const pointsIn = countPositions(geometry);
    positions += pointsIn;
    if (positions > BOUNDARY_LIMITS.maxPositions) return fileError(`Tệp có quá nhiều điểm (tối đa ${BOUNDARY_LIMITS.maxPositions.toLocaleString('vi-VN')}): hãy đơn giản hoá ranh giới trước khi nhập`);
    const prepared = prepareBoundary(geometry, opts.tolerance ?? IMPORT_TOLERANCE_DEG);
    const declaredArea = Number(prop(f.data.properties, ['areaKm2', 'area_km2', 'dientich']));
    features.push({
      index: i,
      code: prop(f.data.properties, CODE_KEYS) ?? (f.data.id !== undefined && /^\d{2,5}$/.test(String(f.data.id)) ? String(f.data.id) : null),
      name: prop(f.data.properties, NAME_KEYS),
      geometry: prepared,
      pointsIn,
      pointsOut: countPositions(prepared),
      areaKm2: Number.isFinite(declaredArea) && declaredArea > 0 ? Math.round(declaredArea * 100) / 100 : approxAreaKm2(prepared),
    });
  }
  return { features, errors };
}

export interface CandidateUnit { id: number; code: string | null; name: string; type: string; provinceName: string | null }

/** "Xã Kiên Lao", "xa kien lao", "Kiên Lao" → "kien lao". */
export const unitNameKey = (s: string) =>
  normalizeForSearch(s).replace(/^(xa|phuong|thi tran|dac khu|tinh|thanh pho|tp\.?|tt\.?|p\.?)\s+/, '').replace(/\s+/g, ' ').trim();

/** GSO commune codes have 5 digits and province codes 2; numbers in spreadsheets lose their leading zeros. */
export const padCode = (code: string, width: 2 | 5) => (/^\d+$/.test(code) && code.length < width ? code.padStart(width, '0') : code);

/**
 * Matches each feature to one unit: by GSO code when the feature has one, else by name among the candidates (units of
 * the chosen province in force on the date). A code that matches nothing is an error, not a fall-back to the name:
 * a wrong code usually means a wrong file. Two features for one unit, an ambiguous name, or a unit outside the
 * officer's scope are errors too. All-or-nothing: any error and nothing matches.
 */
export function matchFeatures(
  features: BoundaryFeature[],
  candidates: CandidateUnit[],
  opts: { codeWidth: 2 | 5; where: string; inScope?: (unitId: number) => boolean },
): { matches: { feature: BoundaryFeature; unit: CandidateUnit }[]; errors: FieldError[] } {
  const byCode = new Map<string, CandidateUnit>();
  const byName = new Map<string, CandidateUnit[]>();
  for (const u of candidates) {
    if (u.code) byCode.set(u.code, u);
    const k = unitNameKey(u.name);
    byName.set(k, [...(byName.get(k) ?? []), u]);
  }
  const errors: FieldError[] = [];
  const matches: { feature: BoundaryFeature; unit: CandidateUnit }[] = [];
  const taken = new Map<number, number>();
  for (const f of features) {
    const what = `Đối tượng thứ ${f.index + 1}${f.name ? ` ("${f.name}"` : ''}${f.code ? `${f.name ? ', ' : ' ('}mã ${f.code})` : f.name ? ')' : ''}`;
    const path = `features.${f.index}`;
    let unit: CandidateUnit | undefined;
    if (f.code) {
      unit = byCode.get(padCode(f.code, opts.codeWidth));
      if (!unit) { errors.push({ path, message: `${what}: mã không khớp đơn vị nào của ${opts.where}` }); continue; }
    } else if (f.name) {
      const hits = byName.get(unitNameKey(f.name)) ?? [];
      if (hits.length > 1) { errors.push({ path, message: `${what}: tên trùng ${hits.length} đơn vị (${hits.map((h) => `mã ${h.code ?? '?'}`).join(', ')}) — ghi mã đơn vị vào thuộc tính "code"` }); continue; }
      unit = hits[0];
      if (!unit) { errors.push({ path, message: `${what}: tên không khớp đơn vị nào của ${opts.where}` }); continue; }
    } else {
      errors.push({ path, message: `${what}: không có mã ("code") hay tên ("name") để nhận ra đơn vị` });
      continue;
    }
    if (opts.inScope && !opts.inScope(unit.id)) { errors.push({ path, message: `${what}: ${unit.name} nằm ngoài địa bàn bạn phụ trách` }); continue; }
    const prev = taken.get(unit.id);
    if (prev !== undefined) { errors.push({ path, message: `${what}: trùng đơn vị với đối tượng thứ ${prev + 1} (${unit.name})` }); continue; }
    taken.set(unit.id, f.index);
    matches.push({ feature: f, unit });
  }
  return errors.length ? { matches: [], errors: errors.slice(0, BOUNDARY_LIMITS.maxErrors) } : { matches, errors: [] };
}
