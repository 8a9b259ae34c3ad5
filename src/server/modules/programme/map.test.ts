import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { recordLegacy } from '../../../../test/helpers/certificates.js';
import { expectProblem } from '../../../../test/helpers/http.js';
import { createUnit } from '../geo/service.js';
import type { PlanMap } from './map.js';

const SYSTEM = { system: 'test' };
let t: TestApp;
let province: Session;
let viewer: Session;
// A hand-built area only this file uses: district D with commune A (until 30/6/2025), A merged into N from 1/7/2025.
const ids = { d: 0, a: 0, n: 0 };
const names: Record<string, string> = {};
const areas: Record<string, string> = {};
let planId = '';

beforeAll(async () => {
  t = await buildTestApp();
  [province, viewer] = await Promise.all([signIn(t, 'province_officer'), signIn(t, 'viewer')]);
  const k = unique('m').toLowerCase();
  const base = { code: null, codeStatus: 'none' as const, note: null, source: null };
  ids.d = (await createUnit(t.dbh.db, SYSTEM, { ...base, key: `${k}-d`, name: `Huyện bản đồ ${k}`, type: 'district', parentId: await unitId(t, 'bg'), validFrom: null, validTo: '2025-06-30', predecessors: [] })).id;
  ids.a = (await createUnit(t.dbh.db, SYSTEM, { ...base, key: `${k}-a`, name: `Xã A ${k}`, type: 'commune', parentId: ids.d, validFrom: null, validTo: '2025-06-30', predecessors: [] })).id;
  ids.n = (await createUnit(t.dbh.db, SYSTEM, { ...base, key: `${k}-n`, name: `Xã N ${k}`, type: 'commune', parentId: await unitId(t, 'bn2025'), validFrom: '2025-07-01', validTo: null, predecessors: [{ unitId: ids.a, kind: 'merge' }] })).id;

  const x = await makeProducer(t, { unitId: ids.a });
  // p1: under old commune A (follows it into N), key product, 4★ 2023. p2: under N, 4★ 2025. p3: under N, key, not recognised.
  const p1 = await makeProduct(t, x.id, { registeredUnitId: ids.a, keyProduct: true });
  const p2 = await makeProduct(t, x.id, { registeredUnitId: ids.n });
  const p3 = await makeProduct(t, x.id, { registeredUnitId: ids.n, keyProduct: true });
  Object.assign(names, { p1: p1.name, p2: p2.name, p3: p3.name });
  await recordLegacy(t, p1.id, { star: 4, decisionDate: '2023-03-01' });
  await recordLegacy(t, p2.id, { star: 4, decisionDate: '2025-08-01' });
  // Growing areas: a point under A, a polygon under N.
  const area = (code: string, unitIdOf: number, location: unknown) => call(t, province, 'POST', '/api/growing-areas', {
    code, ownerProducerId: x.id, unitId: unitIdOf, crop: 'Vải thiều', areaHa: 4.5, households: 6, markets: ['domestic'], location,
  });
  const g1 = await area(`VT-${k}-1`.toUpperCase(), ids.a, { type: 'Point', coordinates: [106.57, 21.38] });
  const g2 = await area(`VT-${k}-2`.toUpperCase(), ids.n, { type: 'Polygon', coordinates: [[[106.58, 21.39], [106.585, 21.39], [106.585, 21.386], [106.58, 21.39]]] });
  expect(g1.statusCode, g1.body).toBe(201);
  expect(g2.statusCode, g2.body).toBe(201);
  Object.assign(areas, { g1: g1.json().id, g2: g2.json().id });

  const res = await call(t, province, 'POST', '/api/programme/plans', {
    code: `${k}-plan`, title: 'Kế hoạch bản đồ thử', issuingUnit: 'UBND huyện thử', areaUnitId: ids.d, periodFrom: 2023, periodTo: 2025, status: 'in_force', legalBasis: [],
    targets: [{ indicator: 'products_recognised', valueMin: 2, unit: 'count' }, { indicator: 'key_products', perCommune: true, valueMin: 1, valueMax: 2, unit: 'count' }],
  });
  expect(res.statusCode, res.body).toBe(201);
  planId = res.json().id;
}, 120_000);
afterAll(async () => t?.close());

const map = async (s: Session, q = '') => {
  const res = await call(t, s, 'GET', `/api/programme/plans/${planId}/map${q}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as PlanMap;
};

describe('the commune map of a plan', () => {
  it('end of 2025: commune N with recognised and key products (named) and both growing areas, as the panel counts them', async () => {
    const m = await map(viewer);
    expect(m.asOf).toBe('2025-12-31');
    expect(m.scope).toBe('area');
    expect(m.indicators.recognised.code).toBe('products_recognised');
    expect(m.communes).toEqual([{
      unitId: ids.n, code: null, name: expect.stringContaining('Xã N'), type: 'commune', parentId: await unitId(t, 'bn2025'),
      recognised: 2, keyProducts: 2, keyProductNames: [names.p1, names.p3].sort((a, b) => a.localeCompare(b)), growingAreas: 2,
    }]);
    expect(m.provinces).toEqual([{ unitId: await unitId(t, 'bn2025'), name: 'Bắc Ninh' }]);
    const byId = new Map(m.growingAreas.map((g) => [g.id, g]));
    expect(byId.get(areas.g1)).toMatchObject({ unitId: ids.a, communeUnitId: ids.n, crop: 'Vải thiều', areaHa: 4.5, location: { type: 'Point', coordinates: [106.57, 21.38] } });
    expect(byId.get(areas.g2)).toMatchObject({ unitId: ids.n, communeUnitId: ids.n, location: { type: 'Polygon' } });
    // The panel's table by commune says the same.
    const panel = (await call(t, viewer, 'GET', `/api/programme/plans/${planId}/panel`)).json();
    const row = panel.communes.find((c: { unit: { id: number } }) => c.unit.id === ids.n);
    expect([row.values.products_recognised, row.values.key_products]).toEqual([2, 2]);
  });

  it('an earlier date: the commune as it was (A), and the polygon of N belongs to no commune of that day', async () => {
    const m = await map(viewer, '?asOf=2024-12-31');
    expect(m.communes.map((c) => [c.unitId, c.recognised, c.keyProducts, c.growingAreas])).toEqual([[ids.a, 1, 1, 1]]);
    expect(m.growingAreas.find((g) => g.id === areas.g2)!.communeUnitId).toBeNull();
  });

  it('the seeded Lục Ngạn plan maps onto the 11 communes of 2025, every one with a shipped boundary', async () => {
    const plans: { id: string; code: string }[] = (await call(t, viewer, 'GET', '/api/programme/plans')).json();
    const ln = plans.find((p) => p.code === 'luc-ngan-ocop-2023-2025')!;
    const m = (await call(t, viewer, 'GET', `/api/programme/plans/${ln.id}/map`)).json() as PlanMap;
    expect(m.communes).toHaveLength(11);
    const bn = await unitId(t, 'bn2025');
    expect(m.provinces).toEqual([{ unitId: bn, name: 'Bắc Ninh' }]);
    expect(m.communes.every((c) => c.parentId === bn && /^\d{5}$/.test(c.code!))).toBe(true);
    const features: { id: number }[] = (await call(t, viewer, 'GET', `/api/geo/boundaries?parentId=${bn}`)).json().features;
    const drawn = new Set(features.map((f) => f.id));
    expect(m.communes.filter((c) => !drawn.has(c.unitId))).toEqual([]);
  });

  it('a commune officer sees only their communes; producers and anonymous callers are refused', async () => {
    const mine = await signIn(t, 'commune_officer', { unitKeys: [(await t.dbh.query<{ key: string }>('select key from admin_units where id = $1', [ids.n]))[0].key] });
    const m = await map(mine);
    expect(m.scope).toBe('communes');
    expect(m.communes.map((c) => c.unitId)).toEqual([ids.n]);
    expect(m.growingAreas.map((g) => g.id).sort()).toEqual([areas.g1, areas.g2].sort());
    const other = await map(await signIn(t, 'commune_officer', { unitKeys: ['bn-x-sa-ly'] }));
    expect(other.communes).toEqual([]);
    expect(other.growingAreas).toEqual([]);
    const producer = await signIn(t, 'producer', { producerId: (await makeProducer(t)).id });
    expectProblem(await call(t, producer, 'GET', `/api/programme/plans/${planId}/map`), 403, 'FORBIDDEN');
    expectProblem(await call(t, null, 'GET', `/api/programme/plans/${planId}/map`), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, viewer, 'GET', `/api/programme/plans/${crypto.randomUUID()}/map`), 404, 'NOT_FOUND');
    expectProblem(await call(t, viewer, 'GET', `/api/programme/plans/${planId}/map?asOf=31/12/2025`), 400, 'VALIDATION');
  });
});
