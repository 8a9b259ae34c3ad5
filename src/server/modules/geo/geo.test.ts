import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem, scalar } from '../../../../test/helpers/http.js';

let t: TestApp;
let admin: Session;
let viewer: Session;
beforeAll(async () => {
  t = await buildTestApp();
  [admin, viewer] = await Promise.all([signIn(t, 'admin'), signIn(t, 'viewer')]);
});
afterAll(async () => { await t?.close(); });

type U = { id: number; key: string; name: string; type: string; level: number; validFrom: string | null; validTo: string | null; effectiveOn?: string; kind?: string };
const keys = (us: U[]) => us.map((u) => u.key);
const unitKey = () => unique('t').toLowerCase();

describe('geo: units over time', () => {
  it('asOf 2023-01-01 returns only units valid that day: xã Hồng Giang but not phường Chũ (2025)', async () => {
    const res = await call(t, viewer, 'GET', '/api/geo/units?asOf=2023-01-01&level=3');
    expect(res.statusCode).toBe(200);
    const us: U[] = res.json();
    expect(keys(us)).toContain('ln-hong-giang');
    expect(keys(us)).toContain('ln-chu');
    expect(keys(us)).not.toContain('bn-p-chu');
    expect(keys(us)).not.toContain('chu-p-chu');
    expect(keys(us)).not.toContain('chu-p-hong-giang');
    for (const u of us) {
      expect(u.level).toBe(3);
      expect(u.validFrom === null || u.validFrom <= '2023-01-01').toBe(true);
      expect(u.validTo === null || u.validTo >= '2023-01-01').toBe(true);
    }
    expect(us.find((u) => u.key === 'ln-hong-giang')).toMatchObject({ name: 'Hồng Giang', type: 'commune', validFrom: null, validTo: '2024-10-31' });
  });

  it('asOf a 2025 date returns phường Chũ and not its predecessors; boundaries are inclusive', async () => {
    const us: U[] = (await call(t, viewer, 'GET', '/api/geo/units?asOf=2025-07-01&level=3')).json();
    expect(keys(us)).toContain('bn-p-chu');
    expect(keys(us)).not.toContain('chu-p-chu');
    expect(keys(us)).not.toContain('ln-hong-giang');
    const lastDay: U[] = (await call(t, viewer, 'GET', '/api/geo/units?asOf=2025-06-30&level=3')).json();
    expect(keys(lastDay)).toContain('chu-p-chu');
    expect(keys(lastDay)).not.toContain('bn-p-chu');
  });

  it('without asOf lists every period; level and parentId filter', async () => {
    const all: U[] = (await call(t, viewer, 'GET', '/api/geo/units')).json();
    expect(keys(all)).toEqual(expect.arrayContaining(['bg', 'bn2025', 'ln', 'ln-hong-giang', 'chu-p-hong-giang', 'bn-p-chu']));
    const provinces: U[] = (await call(t, viewer, 'GET', '/api/geo/units?level=1')).json();
    expect(keys(provinces)).toEqual(expect.arrayContaining(['bg', 'bn2025']));
    expect(provinces.every((u) => u.level === 1)).toBe(true);
    const chuTx = await unitId(t, 'chu-tx');
    const children: U[] = (await call(t, viewer, 'GET', `/api/geo/units?parentId=${chuTx}`)).json();
    expect(keys(children).sort()).toEqual([
      'chu-p-chu', 'chu-p-hong-giang', 'chu-p-phuong-son', 'chu-p-thanh-hai', 'chu-p-tru-huu',
      'chu-x-kien-lao', 'chu-x-kien-thanh', 'chu-x-my-an', 'chu-x-nam-duong', 'chu-x-quy-son',
    ]);
  });

  it('a malformed asOf → 400 problem+json on querystring.asOf', async () => {
    const p = expectProblem(await call(t, viewer, 'GET', '/api/geo/units?asOf=01/01/2023'), 400, 'VALIDATION');
    expect(p.errors![0].path).toBe('querystring.asOf');
  });

  it('detail of phường Chũ shows its parent and its four predecessors; a predecessor shows its successor', async () => {
    const id = await unitId(t, 'bn-p-chu');
    const res = await call(t, viewer, 'GET', `/api/geo/units/${id}`);
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({ id, key: 'bn-p-chu', name: 'Chũ', type: 'ward', level: 3, validFrom: '2025-07-01', validTo: null, code: '07525' });
    expect(d.parent.key).toBe('bn2025');
    expect(d.predecessors.map((p: U) => p.key).sort()).toEqual(['chu-p-chu', 'chu-p-hong-giang', 'chu-p-thanh-hai', 'chu-p-tru-huu']);
    expect(d.predecessors.every((p: U) => p.effectiveOn === '2025-07-01' && p.kind === 'merge')).toBe(true);
    expect(d.successors).toEqual([]);
    expect(d.children).toEqual([]);

    const hg = (await call(t, viewer, 'GET', `/api/geo/units/${await unitId(t, 'chu-p-hong-giang')}`)).json();
    expect(hg.predecessors.map((p: U) => p.key)).toEqual(['ln-hong-giang']);
    expect(hg.predecessors[0]).toMatchObject({ kind: 'reclassify', effectiveOn: '2024-11-01' });
    expect(hg.successors.map((p: U) => p.key)).toEqual(['bn-p-chu']);
    expect(hg.parent.key).toBe('chu-tx');
  });

  it('an unknown unit → 404; a non-numeric id → 400', async () => {
    expectProblem(await call(t, viewer, 'GET', '/api/geo/units/99999999'), 404, 'NOT_FOUND');
    expectProblem(await call(t, viewer, 'GET', '/api/geo/units/abc'), 400, 'VALIDATION');
  });

  it('anonymous → 401 on every geo route', async () => {
    expectProblem(await call(t, null, 'GET', '/api/geo/units'), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, null, 'GET', `/api/geo/units/${await unitId(t, 'bn-p-chu')}`), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, null, 'POST', '/api/geo/units', { key: unitKey(), name: 'X', type: 'commune' }), 401, 'UNAUTHENTICATED');
  });
});

describe('geo: reorganisation (admin creates a unit replacing others)', () => {
  const createCommune = (s: Session, over: Record<string, unknown> = {}) =>
    call(t, s, 'POST', '/api/geo/units', { key: unitKey(), name: `Xã Thử ${unique()}`, type: 'commune', ...over });

  it('the new unit links its predecessors, which end the day before; everything is audited', async () => {
    const a = (await createCommune(admin)).json();
    const b = (await createCommune(admin, { validTo: '2030-12-31' })).json();
    expect(a).toMatchObject({ type: 'commune', level: 3, validFrom: null, validTo: null, codeStatus: 'none', code: null, parentId: null });
    const key = unitKey();
    const res = await call(t, admin, 'POST', '/api/geo/units', {
      key, name: 'Phường Hợp Nhất', type: 'ward', validFrom: '2026-03-01', code: null,
      predecessors: [{ unitId: a.id, kind: 'merge' }, { unitId: b.id, kind: 'merge' }],
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ key, name: 'Phường Hợp Nhất', type: 'ward', level: 3, validFrom: '2026-03-01', validTo: null });

    const aNow = (await call(t, viewer, 'GET', `/api/geo/units/${a.id}`)).json();
    expect(aNow.validTo).toBe('2026-02-28');
    expect(aNow.successors.map((s: U) => s.key)).toEqual([key]);
    expect((await call(t, viewer, 'GET', `/api/geo/units/${b.id}`)).json().validTo).toBe('2026-02-28');
    const d = (await call(t, viewer, 'GET', `/api/geo/units/${created.id}`)).json();
    expect(d.predecessors.map((p: U) => p.id).sort()).toEqual([a.id, b.id].sort());

    // The period boundary works with asOf.
    const before: U[] = (await call(t, viewer, 'GET', '/api/geo/units?asOf=2026-02-28&level=3')).json();
    expect(keys(before)).toContain(a.key);
    expect(keys(before)).not.toContain(key);
    const after: U[] = (await call(t, viewer, 'GET', '/api/geo/units?asOf=2026-03-01&level=3')).json();
    expect(keys(after)).toContain(key);
    expect(keys(after)).not.toContain(a.key);

    expect(await scalar(t, "select count(*) from audit_log where entity_type = 'admin_unit' and entity_id = $1", [String(created.id)])).toBe(1);
    expect(await scalar(t, "select count(*) from audit_log where entity_type = 'admin_unit' and entity_id = $1 and action = 'update'", [String(a.id)])).toBe(1);
  });

  it('a record registered under a replaced unit is found by its successor (list scope)', async () => {
    const old = (await createCommune(admin)).json();
    const successor = (await createCommune(admin, { validFrom: '2026-05-01', predecessors: [{ unitId: old.id, kind: 'rename' }] })).json();
    const producer = await makeProducer(t, { unitId: old.id });
    const res = await call(t, viewer, 'GET', `/api/producers?unitId=${successor.id}`);
    expect(res.json().items.map((p: { id: string }) => p.id)).toEqual([producer.id]);
  });

  it('replacing needs a validFrom, and nothing is half-written when it is missing', async () => {
    const a = (await createCommune(admin)).json();
    const key = unitKey();
    const res = await createCommune(admin, { key, predecessors: [{ unitId: a.id, kind: 'merge' }] });
    const p = expectProblem(res, 400, 'VALIDATION');
    expect(p.errors).toEqual([{ path: 'validFrom', message: 'Cần ngày hiệu lực khi thay thế đơn vị cũ' }]);
    expect(await scalar(t, 'select count(*) from admin_units where key = $1', [key])).toBe(0);
    expect((await call(t, viewer, 'GET', `/api/geo/units/${a.id}`)).json().validTo).toBeNull();
  });

  it('an unknown predecessor → 400 and nothing written', async () => {
    const key = unitKey();
    const p = expectProblem(await createCommune(admin, { key, validFrom: '2026-01-01', predecessors: [{ unitId: 99999999, kind: 'merge' }] }), 400, 'VALIDATION');
    expect(p.errors![0].path).toBe('predecessors');
    expect(await scalar(t, 'select count(*) from admin_units where key = $1', [key])).toBe(0);
  });

  it('parent rules: a commune under a commune is refused; a district needs a parent; a bad key is refused', async () => {
    const c = (await createCommune(admin)).json();
    expect(expectProblem(await createCommune(admin, { parentId: c.id }), 400, 'VALIDATION').errors![0].path).toBe('parentId');
    expect(expectProblem(await call(t, admin, 'POST', '/api/geo/units', { key: unitKey(), name: 'Huyện X', type: 'district' }), 400, 'VALIDATION').errors![0].path).toBe('parentId');
    const bad = expectProblem(await createCommune(admin, { key: 'Có Dấu' }), 400, 'VALIDATION');
    expect(bad.errors).toEqual([{ path: 'body.key', message: 'Chỉ dùng chữ thường không dấu, số và dấu gạch ngang' }]);
    const ok = await createCommune(admin, { parentId: await unitId(t, 'bn2025') });
    expect(ok.statusCode).toBe(201);
  });

  it('a duplicate key → problem+json, not a 500', async () => {
    const key = unitKey();
    expect((await createCommune(admin, { key })).statusCode).toBe(201);
    const res = await createCommune(admin, { key });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it.each(['province_officer', 'commune_officer', 'council_member', 'viewer'] as const)('%s cannot create units (403) and nothing is written', async (role) => {
    const s = await signIn(t, role);
    const a = (await createCommune(admin)).json();
    const key = unitKey();
    expectProblem(await createCommune(s, { key, validFrom: '2026-01-01', predecessors: [{ unitId: a.id, kind: 'merge' }] }), 403, 'FORBIDDEN');
    expect(await scalar(t, 'select count(*) from admin_units where key = $1', [key])).toBe(0);
    expect((await call(t, viewer, 'GET', `/api/geo/units/${a.id}`)).json().validTo).toBeNull();
  });

  it('a producer user cannot create units (403)', async () => {
    const s = await signIn(t, 'producer', { producerId: (await makeProducer(t)).id });
    expectProblem(await createCommune(s), 403, 'FORBIDDEN');
  });
});
