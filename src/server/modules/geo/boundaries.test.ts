import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, signIn, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem, fileUpload, pngOf, scalar } from '../../../../test/helpers/http.js';
import { ringSignedArea, type Ring } from '../../../shared/geojson.js';

let t: TestApp;
let viewer: Session;
let province: Session;
let caoBang: number;
/** Communes of Cao Bằng (no other test draws or imports there, so a shared PostgreSQL database stays predictable). */
let cbCommunes: { id: number; code: string; name: string }[];

beforeAll(async () => {
  t = await buildTestApp();
  [viewer, province] = await Promise.all([signIn(t, 'viewer'), signIn(t, 'province_officer')]);
  const provinces: { id: number; code: string }[] = (await call(t, viewer, 'GET', '/api/geo/units?asOf=2025-08-01&level=1')).json();
  caoBang = provinces.find((p) => p.code === '04')!.id;
  cbCommunes = (await call(t, viewer, 'GET', `/api/geo/units?asOf=2025-08-01&level=3&parentId=${caoBang}`)).json();
});
afterAll(async () => { await t?.close(); });

type Feature = { type: 'Feature'; id: number; properties: { unitId: number; code: string; name: string; level: number; parentId: number | null; source: string }; geometry: { type: string; coordinates: unknown } };
const square = (i: number, d = 0.02) => {
  const x = 106 + i * 0.03, y = 22.6;
  return [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
};
const geojson = (features: { code?: string; name?: string; i: number }[]) => Buffer.from(JSON.stringify({
  type: 'FeatureCollection',
  features: features.map((f) => ({ type: 'Feature', properties: { ...(f.code ? { code: f.code } : {}), ...(f.name ? { name: f.name } : {}) }, geometry: { type: 'Polygon', coordinates: square(f.i) } })),
}));
const upload = (s: Session | null, data: Buffer, query = '') => {
  const u = fileUpload(data, 'ranh-gioi.geojson', 'application/geo+json');
  return t.app.inject({ method: 'POST', url: `/api/geo/boundaries/import${query}`, payload: u.payload, headers: { ...u.headers, ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}) } });
};

describe('boundaries served for offline maps', () => {
  it('34 provinces (Khánh Hoà with Trường Sa, Đà Nẵng with Hoàng Sa) and Bắc Ninh’s 99 communes, RFC 7946 winding', async () => {
    const res = await call(t, viewer, 'GET', '/api/geo/boundaries?level=1');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/geo+json');
    const provinces: Feature[] = res.json().features;
    expect(provinces).toHaveLength(34);
    expect(provinces.find((f) => f.properties.code === '56')!.geometry.type).toBe('MultiPolygon');
    expect(provinces.find((f) => f.properties.code === '48')!.geometry.type).toBe('MultiPolygon');
    const bn = await unitId(t, 'bn2025');
    const communes: Feature[] = (await call(t, viewer, 'GET', `/api/geo/boundaries?parentId=${bn}`)).json().features;
    expect(communes).toHaveLength(99);
    expect(communes.every((f) => f.id === f.properties.unitId && f.properties.parentId === bn && f.properties.level === 3 && f.properties.source === 'seed')).toBe(true);
    expect(communes.find((f) => f.properties.code === '07525')!.properties.unitId).toBe(await unitId(t, 'bn-p-chu'));
    const ring = (communes[0].geometry.coordinates as Ring[])[0];
    expect(ringSignedArea(ring)).toBeGreaterThan(0);
  });

  it('is cacheable: an ETag (304 when unchanged), no-cache revalidation, gzip when accepted', async () => {
    const bn = await unitId(t, 'bn2025');
    const url = `/api/geo/boundaries?parentId=${bn}`;
    const first = await call(t, viewer, 'GET', url);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"b-/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await call(t, viewer, 'GET', url, undefined, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const gz = await t.app.inject({ method: 'GET', url, headers: { cookie: viewer.cookie, 'accept-encoding': 'gzip, deflate, br' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.rawPayload.length).toBeLessThan(first.rawPayload.length / 2);
    expect(gunzipSync(gz.rawPayload).toString()).toBe(first.body);
  });

  it('needs a signed-in user and a level or a parent', async () => {
    expectProblem(await call(t, null, 'GET', '/api/geo/boundaries?level=1'), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, viewer, 'GET', '/api/geo/boundaries'), 400, 'VALIDATION');
    expectProblem(await call(t, viewer, 'GET', '/api/geo/boundaries?level=9'), 400, 'VALIDATION');
  });
});

describe('a province imports its own commune boundaries', () => {
  it('happy path: matched by code or name, written in one transaction, audited, served at once', async () => {
    const [a, b, c] = cbCommunes;
    const before = (await call(t, viewer, 'GET', `/api/geo/boundaries?parentId=${caoBang}`)).json().features.length;
    const res = await upload(province, geojson([{ code: a.code, i: 0 }, { name: `Xã ${b.name}`, code: undefined, i: 1 }, { code: String(Number(c.code)), i: 2 }]), `?provinceId=${caoBang}&asOf=2025-08-01`);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out).toMatchObject({ province: { id: caoBang, name: 'Cao Bằng' }, imported: 3, pointsIn: 15, pointsOut: 15 });
    expect(out.units.map((u: { unitId: number }) => u.unitId)).toEqual([a.id, b.id, c.id]);
    expect(out.communesNotInFile).toHaveLength(cbCommunes.length - 3);
    const served: Feature[] = (await call(t, viewer, 'GET', `/api/geo/boundaries?parentId=${caoBang}`)).json().features;
    expect(served.length).toBeGreaterThanOrEqual(Math.max(before, 3));
    const fa = served.find((f) => f.properties.unitId === a.id)!;
    expect(fa.properties.source).toBe('import');
    expect(fa.geometry).toEqual({ type: 'Polygon', coordinates: square(0) });
    expect(await scalar(t, `select count(*) from audit_log where entity_type = 'unit_boundaries' and entity_id = $1 and actor_id = $2`, [String(caoBang), province.userId])).toBe(1);
    expect(await scalar(t, 'select count(*) from unit_boundaries where unit_id = $1 and imported_by = $2', [a.id, province.userId])).toBe(1);
  });

  it('an invalid file answers 422 problem+json in Vietnamese and writes nothing', async () => {
    const png = expectProblem(await upload(province, await pngOf(), `?provinceId=${caoBang}`), 422, 'BOUNDARY_IMPORT_INVALID');
    expect(png.title).toBe('Tệp ranh giới GeoJSON có lỗi, chưa có ranh giới nào được ghi');
    expect(png.errors![0].path).toBe('file');
    const broken = expectProblem(await upload(province, Buffer.from('{"type":"FeatureCollection","features":[{"type":"Feature"'), `?provinceId=${caoBang}`), 422, 'BOUNDARY_IMPORT_INVALID');
    expect(broken.errors![0].message).toMatch(/không phải JSON hợp lệ/);
    const point = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: cbCommunes[5].code }, geometry: { type: 'Point', coordinates: [106, 22.6] } }] }));
    const p = expectProblem(await upload(province, point, `?provinceId=${caoBang}`), 422, 'BOUNDARY_IMPORT_INVALID');
    expect(p.errors![0]).toMatchObject({ path: 'features.0.geometry.type' });
    expect(p.errors![0].message).toMatch(/Polygon hoặc MultiPolygon/);
    expect(await scalar(t, 'select count(*) from unit_boundaries where unit_id = $1', [cbCommunes[5].id])).toBe(0);
    // A bad geometry and an unmatched code in one file: both listed, in file order.
    const mixed = JSON.parse(geojson([{ code: '99999', i: 0 }, { code: cbCommunes[5].code, i: 1 }]).toString());
    mixed.features[1].geometry = { type: 'Polygon', coordinates: [[[106, 22.6], [106.1, 22.6], [106.1, 22.7], [106, 22.6]]].map((r) => r.slice(0, 3)) };
    const both = expectProblem(await upload(province, Buffer.from(JSON.stringify(mixed)), `?provinceId=${caoBang}`), 422, 'BOUNDARY_IMPORT_INVALID');
    expect(both.errors!.map((e) => e.path)).toEqual(['features.0', 'features.1.geometry.coordinates.0']);
  });

  it('an unmatched feature refuses the whole file, naming the feature', async () => {
    const good = cbCommunes[4];
    const res = await upload(province, geojson([{ code: good.code, i: 4 }, { code: '99999', name: 'Xã Không Có', i: 5 }, { name: 'Nơi Không Có', i: 6 }]), `?provinceId=${caoBang}&asOf=2025-08-01`);
    const p = expectProblem(res, 422, 'BOUNDARY_IMPORT_INVALID');
    expect(p.errors).toEqual([
      { path: 'features.1', message: 'Đối tượng thứ 2 ("Xã Không Có", mã 99999): mã không khớp đơn vị nào của tỉnh Cao Bằng' },
      { path: 'features.2', message: 'Đối tượng thứ 3 ("Nơi Không Có"): tên không khớp đơn vị nào của tỉnh Cao Bằng' },
    ]);
    expect(p.detail).toMatch(/2 đối tượng có lỗi hoặc không khớp/);
    expect(await scalar(t, 'select count(*) from unit_boundaries where unit_id = $1', [good.id])).toBe(0);
  });

  it('a province-wide officer says which province the file is for', async () => {
    const noProvince = expectProblem(await upload(province, geojson([{ code: cbCommunes[6].code, i: 0 }])), 400, 'VALIDATION');
    expect(noProvince.errors![0]).toEqual({ path: 'querystring.provinceId', message: 'Chọn tỉnh/thành phố có ranh giới xã trong tệp' });
    const commune = expectProblem(await upload(province, geojson([{ code: cbCommunes[6].code, i: 0 }]), `?provinceId=${cbCommunes[6].id}`), 400, 'VALIDATION');
    expect(commune.errors![0].message).toBe('Không có tỉnh/thành phố này');
  });

  it('refuses other roles (403) and anonymous callers (401)', async () => {
    const file = geojson([{ code: cbCommunes[7].code, i: 0 }]);
    for (const role of ['commune_officer', 'viewer', 'council_member', 'central_officer'] as const) {
      expectProblem(await upload(await signIn(t, role), file, `?provinceId=${caoBang}`), 403, 'FORBIDDEN');
    }
    expectProblem(await upload(null, file, `?provinceId=${caoBang}`), 401, 'UNAUTHENTICATED');
    expect(await scalar(t, 'select count(*) from unit_boundaries where unit_id = $1', [cbCommunes[7].id])).toBe(0);
  });
});
