import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem, scalar } from '../../../../test/helpers/http.js';

let t: TestApp;
let province: Session;
let viewer: Session;
let council: Session;
let chu: number;
let oldChu: number;
let kienLao: number;
beforeAll(async () => {
  t = await buildTestApp();
  [province, viewer, council] = await Promise.all([signIn(t, 'province_officer'), signIn(t, 'viewer'), signIn(t, 'council_member')]);
  [chu, oldChu, kienLao] = await Promise.all([unitId(t, 'bn-p-chu'), unitId(t, 'chu-p-chu'), unitId(t, 'bn-x-kien-lao')]);
});
afterAll(async () => { await t?.close(); });

/** A unique code in the authority's style (VN-BGLN-0123), lower-cased to show the API upper-cases it. */
const code = () => `vn-bgln-${unique('').slice(-10)}`;

const CLOSED_RING = [[106.52, 21.37], [106.53, 21.37], [106.53, 21.38], [106.52, 21.37]];

const area = (over: Record<string, unknown> = {}) => ({
  code: code(), crop: 'Vải thiều', areaHa: 12.5, households: 34, ownerName: 'HTX Vải thiều Hồng Giang', unitId: chu,
  location: { type: 'Point', coordinates: [106.55, 21.38] }, markets: ['cn', 'jp', 'cn'], issuingAuthority: 'Cục Bảo vệ thực vật',
  issuedOn: '2024-04-15', validTo: '2027-04-15', ...over,
});
const house = (over: Record<string, unknown> = {}) => ({
  code: code(), name: `Cơ sở đóng gói ${unique()}`, ownerName: 'Công ty TNHH Quả Việt', unitId: chu, markets: ['us', 'au'],
  issuingAuthority: 'Cục Bảo vệ thực vật', issuedOn: '2024-05-01', validTo: '2026-05-01', ...over,
});
/** What a form sends back for an existing growing area. */
const areaEditable = (a: Record<string, any>) => ({
  code: a.code, crop: a.crop, areaHa: a.areaHa, households: a.households, ownerProducerId: a.owner.producerId, ownerName: a.owner.name,
  unitId: a.unit.id, location: a.location, markets: a.markets, issuingAuthority: a.issuingAuthority, issuedOn: a.issuedOn, validTo: a.validTo,
  version: a.version,
});
const houseEditable = (h: Record<string, any>) => ({
  code: h.code, name: h.name, ownerProducerId: h.owner.producerId, ownerName: h.owner.name, unitId: h.unit.id, markets: h.markets,
  issuingAuthority: h.issuingAuthority, issuedOn: h.issuedOn, validTo: h.validTo, version: h.version,
});
const audits = (entityType: string, id: string) =>
  t.dbh.query<{ action: string; actor_label: string; before: any; after: any }>(
    'select action, actor_label, before, after from audit_log where entity_type = $1 and entity_id = $2 order by at, id', [entityType, id]);

async function createArea(s: Session, over: Record<string, unknown> = {}) {
  const res = await call(t, s, 'POST', '/api/growing-areas', area(over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('growing areas: create, read, list, update, delete', () => {
  it('a province officer registers a growing area; the code is upper-cased, markets deduplicated, the write audited', async () => {
    const input = area({ areaHa: 12.345 });
    const res = await call(t, province, 'POST', '/api/growing-areas', input);
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      code: input.code.toUpperCase(), crop: 'Vải thiều', areaHa: 12.35, households: 34,
      owner: { producerId: null, producerName: null, name: 'HTX Vải thiều Hồng Giang' }, unit: { id: chu, name: 'Chũ' },
      location: { type: 'Point', coordinates: [106.55, 21.38] }, markets: ['cn', 'jp'], issuedOn: '2024-04-15', validTo: '2027-04-15', version: 1,
    });
    for (const s of [viewer, council, province]) {
      const read = await call(t, s, 'GET', `/api/growing-areas/${a.id}`);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual(a);
    }
    const log = await audits('growing_area', a.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'create', actor_label: province.login, before: null, after: { code: a.code, crop: 'Vải thiều' } });
  });

  it('a polygon location is accepted and returned as sent', async () => {
    const a = await createArea(province, { location: { type: 'Polygon', coordinates: [CLOSED_RING] } });
    expect(a.location).toEqual({ type: 'Polygon', coordinates: [CLOSED_RING] });
  });

  it('lists filter by text, unit (old communes included), producer and market, paged', async () => {
    const owner = await makeProducer(t);
    const crop = `Nhãn ${unique()}`;
    const a1 = await createArea(province, { crop, ownerProducerId: owner.id, ownerName: null, markets: ['us'] });
    const a2 = await createArea(province, { crop, unitId: oldChu, markets: ['cn'] });
    const a3 = await createArea(province, { crop, unitId: kienLao, markets: ['cn', 'eu'] });
    const list = async (qs: string) => {
      const res = await call(t, viewer, 'GET', `/api/growing-areas?q=${encodeURIComponent(crop)}&${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const all = await list('sort=code');
    expect(all.total).toBe(3);
    expect(all.items.map((i: any) => i.id)).toEqual([a1, a2, a3].sort((x, y) => (x.code < y.code ? -1 : 1)).map((x) => x.id));
    expect((await list(`unitId=${chu}`)).items.map((i: any) => i.id).sort()).toEqual([a1.id, a2.id].sort());
    expect((await list(`producerId=${owner.id}`)).items.map((i: any) => i.id)).toEqual([a1.id]);
    expect((await list('market=cn')).items.map((i: any) => i.id).sort()).toEqual([a2.id, a3.id].sort());
    const paged = await list('pageSize=2&page=2');
    expect(paged).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(paged.items).toHaveLength(1);
    // The owner's registered name finds its areas too.
    const byOwner = await call(t, viewer, 'GET', `/api/growing-areas?q=${encodeURIComponent(owner.legalName)}`);
    expect(byOwner.json().items.map((i: any) => i.id)).toEqual([a1.id]);
    expect(byOwner.json().items[0].owner).toEqual({ producerId: owner.id, producerName: owner.legalName, name: null });
    expectProblem(await call(t, viewer, 'GET', '/api/growing-areas?market=mars'), 400, 'VALIDATION');
  });

  it('an update with the version read succeeds and is audited with the changed fields; a stale version → 409', async () => {
    const a = await createArea(province);
    const res = await call(t, province, 'PUT', `/api/growing-areas/${a.id}`, { ...areaEditable(a), areaHa: 20, households: 40 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ areaHa: 20, households: 40, version: 2 });
    const stale = await call(t, province, 'PUT', `/api/growing-areas/${a.id}`, { ...areaEditable(a), areaHa: 30 });
    expect(expectProblem(stale, 409, 'VERSION_CONFLICT').title).toBe('Bản ghi vừa được người khác sửa; hãy tải lại rồi sửa tiếp');
    expect((await call(t, viewer, 'GET', `/api/growing-areas/${a.id}`)).json().areaHa).toBe(20);
    const log = await audits('growing_area', a.id);
    expect(log.map((l) => l.action)).toEqual(['create', 'update']);
    expect(log[1].before).toEqual({ areaHa: '12.50', households: 34 });
    expect(log[1].after).toEqual({ areaHa: '20.00', households: 40 });
  });

  it('delete removes the area and records it; a second delete → 404', async () => {
    const a = await createArea(province);
    const res = await call(t, province, 'DELETE', `/api/growing-areas/${a.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expectProblem(await call(t, viewer, 'GET', `/api/growing-areas/${a.id}`), 404, 'NOT_FOUND');
    expectProblem(await call(t, province, 'DELETE', `/api/growing-areas/${a.id}`), 404, 'NOT_FOUND');
    expect((await audits('growing_area', a.id)).map((l) => l.action)).toEqual(['create', 'delete']);
  });
});

describe('growing areas: validation', () => {
  const refused = async (over: Record<string, unknown>) => {
    const input = area(over);
    const p = expectProblem(await call(t, province, 'POST', '/api/growing-areas', input), 400, 'VALIDATION');
    expect(p.title).toBe('Dữ liệu không hợp lệ');
    expect(await scalar(t, 'select count(*) from growing_areas where code = $1', [String(input.code).toUpperCase()])).toBe(0);
    return p.errors!;
  };

  it('a point outside Vietnam (or lat/lng swapped) is refused in Vietnamese', async () => {
    const errors = await refused({ location: { type: 'Point', coordinates: [21.38, 106.55] } });
    expect(errors).toEqual([{ path: 'body.location.coordinates', message: 'Toạ độ nằm ngoài lãnh thổ Việt Nam (kinh độ 102–110, vĩ độ 8–24; thứ tự [kinh độ, vĩ độ])' }]);
  });

  it('bad GeoJSON: unknown type, open ring, too few points', async () => {
    const unknownType = await refused({ location: { type: 'LineString', coordinates: [[106.5, 21.3], [106.6, 21.4]] } });
    expect(unknownType).toEqual([{ path: 'body.location.type', message: 'Vị trí phải là GeoJSON Point hoặc Polygon' }]);
    const open = await refused({ location: { type: 'Polygon', coordinates: [[[106.52, 21.37], [106.53, 21.37], [106.53, 21.38], [106.52, 21.38]]] } });
    expect(open).toEqual([{ path: 'body.location.coordinates.0', message: 'Vùng đa giác phải khép kín: điểm cuối trùng điểm đầu' }]);
    const short = await refused({ location: { type: 'Polygon', coordinates: [[[106.52, 21.37], [106.53, 21.37], [106.52, 21.37]]] } });
    expect(short).toEqual([{ path: 'body.location.coordinates.0', message: 'Vùng đa giác cần ít nhất 4 điểm (điểm đầu lặp lại ở cuối)' }]);
  });

  it('valid_to before issued_on, a missing owner, a bad code, a non-positive area, an unknown market', async () => {
    expect(await refused({ issuedOn: '2025-01-10', validTo: '2025-01-09' }))
      .toEqual([{ path: 'body.validTo', message: 'Ngày hết hiệu lực không được trước ngày cấp' }]);
    expect(await refused({ ownerName: '  ' }))
      .toEqual([{ path: 'body.ownerName', message: 'Cần chọn chủ thể sở hữu hoặc ghi tên chủ sở hữu' }]);
    const errs = await refused({ code: 'VN BG/01', areaHa: 0, markets: ['cn', 'mars'] });
    expect(errs.map((e) => e.path).sort()).toEqual(['body.areaHa', 'body.code', 'body.markets.1']);
    expect(errs.find((e) => e.path === 'body.areaHa')!.message).toBe('Diện tích phải lớn hơn 0');
    expect(errs.find((e) => e.path === 'body.code')!.message).toBe('Mã số chỉ gồm chữ cái không dấu, chữ số và dấu gạch ngang (3–40 ký tự)');
  });

  it('an unknown owner producer or a unit that is not a commune → 4xx, nothing written', async () => {
    const p = expectProblem(await call(t, province, 'POST', '/api/growing-areas', area({ ownerProducerId: '00000000-0000-4000-8000-000000000000' })), 400, 'VALIDATION');
    expect(p.errors).toEqual([{ path: 'ownerProducerId', message: 'Chủ thể không tồn tại' }]);
    const [province_] = await t.dbh.query<{ id: number }>('select id from admin_units where level = 1 limit 1');
    expectProblem(await call(t, province, 'POST', '/api/growing-areas', area({ unitId: province_.id })), 422, 'UNIT_NOT_VALID');
  });

  it('a duplicate code (in any case) → 409 DUPLICATE_AREA_CODE with a Vietnamese title', async () => {
    const a = await createArea(province);
    const p = expectProblem(await call(t, province, 'POST', '/api/growing-areas', area({ code: a.code.toLowerCase() })), 409, 'DUPLICATE_AREA_CODE');
    expect(p.title).toBe('Mã số vùng trồng đã tồn tại');
    expect(await scalar(t, 'select count(*) from growing_areas where code = $1', [a.code])).toBe(1);
    const other = await createArea(province);
    expectProblem(await call(t, province, 'PUT', `/api/growing-areas/${other.id}`, { ...areaEditable(other), code: a.code }), 409, 'DUPLICATE_AREA_CODE');
  });
});

describe('growing areas: who may read and write', () => {
  it('producer users read, list and edit their own areas only, and cannot change the owner', async () => {
    const [pa, pb] = await Promise.all([makeProducer(t), makeProducer(t)]);
    const [userA, userB] = await Promise.all([signIn(t, 'producer', { producerId: pa.id }), signIn(t, 'producer', { producerId: pb.id })]);
    const own = await createArea(userA, { ownerProducerId: pa.id, ownerName: null });
    expect(own.owner.producerId).toBe(pa.id);
    const officerMade = await createArea(province);

    // B on A's area: read, update, delete refused; A's list shows only A's.
    expectProblem(await call(t, userB, 'GET', `/api/growing-areas/${own.id}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'PUT', `/api/growing-areas/${own.id}`, { ...areaEditable(own), crop: 'Vải sớm', ownerProducerId: pb.id }), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'DELETE', `/api/growing-areas/${own.id}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, userA, 'GET', `/api/growing-areas/${officerMade.id}`), 403, 'FORBIDDEN');
    const listA = (await call(t, userA, 'GET', '/api/growing-areas?pageSize=200')).json();
    expect(listA.items.map((i: any) => i.id)).toEqual([own.id]);
    const listB = (await call(t, userB, 'GET', `/api/growing-areas?producerId=${pa.id}`)).json();
    expect(listB.total).toBe(0);

    // B cannot create an area in A's name; A cannot hand its area to B or rename the owner.
    expectProblem(await call(t, userB, 'POST', '/api/growing-areas', area({ ownerProducerId: pa.id, ownerName: null })), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'POST', '/api/growing-areas', area()), 403, 'FORBIDDEN');
    const handOver = expectProblem(await call(t, userA, 'PUT', `/api/growing-areas/${own.id}`, { ...areaEditable(own), ownerProducerId: pb.id }), 403, 'FORBIDDEN');
    expect(handOver.detail).toBe('Chỉ cán bộ được đổi chủ sở hữu của vùng trồng/cơ sở đóng gói');
    expectProblem(await call(t, userA, 'PUT', `/api/growing-areas/${own.id}`, { ...areaEditable(own), ownerName: 'Người khác' }), 403, 'FORBIDDEN');

    const ok = await call(t, userA, 'PUT', `/api/growing-areas/${own.id}`, { ...areaEditable(own), households: 50 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ households: 50, version: 2, owner: { producerId: pa.id } });
    expect(await scalar(t, "select count(*) from audit_log where entity_type = 'growing_area' and entity_id = $1", [own.id])).toBe(2);
  });

  it('commune officers write inside their scope (old communes included) and are refused outside it', async () => {
    const officer = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
    const inScope = await createArea(officer, { unitId: oldChu });
    expect(inScope.unit.id).toBe(oldChu);
    const outside = expectProblem(await call(t, officer, 'POST', '/api/growing-areas', area({ unitId: kienLao })), 403, 'FORBIDDEN');
    expect(outside.detail).toBe('Đơn vị hành chính nằm ngoài phạm vi phụ trách');
    const elsewhere = await createArea(province, { unitId: kienLao });
    expectProblem(await call(t, officer, 'PUT', `/api/growing-areas/${elsewhere.id}`, { ...areaEditable(elsewhere), unitId: chu }), 403, 'FORBIDDEN');
    expectProblem(await call(t, officer, 'DELETE', `/api/growing-areas/${elsewhere.id}`), 403, 'FORBIDDEN');
    // Moving an area of its own out of scope is refused too.
    expectProblem(await call(t, officer, 'PUT', `/api/growing-areas/${inScope.id}`, { ...areaEditable(inScope), unitId: kienLao }), 403, 'FORBIDDEN');
    // Reading is not limited by scope.
    expect((await call(t, officer, 'GET', `/api/growing-areas/${elsewhere.id}`)).statusCode).toBe(200);
    expect((await call(t, officer, 'DELETE', `/api/growing-areas/${inScope.id}`)).statusCode).toBe(200);
  });

  it('viewers and council members read but cannot write; anonymous callers get 401', async () => {
    const a = await createArea(province);
    for (const s of [viewer, council]) {
      expectProblem(await call(t, s, 'POST', '/api/growing-areas', area()), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'PUT', `/api/growing-areas/${a.id}`, { ...areaEditable(a), crop: 'Khác' }), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'DELETE', `/api/growing-areas/${a.id}`), 403, 'FORBIDDEN');
    }
    expectProblem(await call(t, null, 'GET', '/api/growing-areas'), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, null, 'GET', `/api/growing-areas/${a.id}`), 401, 'UNAUTHENTICATED');
    expect((await call(t, viewer, 'GET', `/api/growing-areas/${a.id}`)).json().version).toBe(1);
  });
});

describe('packing houses', () => {
  it('create, read, list by market and unit, update with version, stale version, delete — all audited', async () => {
    const input = house();
    const res = await call(t, province, 'POST', '/api/packing-houses', input);
    expect(res.statusCode, res.body).toBe(201);
    const h = res.json();
    expect(h).toMatchObject({ code: input.code.toUpperCase(), name: input.name, markets: ['us', 'au'], unit: { id: chu }, version: 1 });
    expect((await call(t, viewer, 'GET', `/api/packing-houses/${h.id}`)).json()).toEqual(h);
    const list = (await call(t, viewer, 'GET', `/api/packing-houses?q=${encodeURIComponent(input.name)}&market=au&unitId=${chu}`)).json();
    expect(list.items.map((i: any) => i.id)).toEqual([h.id]);
    expect((await call(t, viewer, 'GET', `/api/packing-houses?q=${encodeURIComponent(input.name)}&market=cn`)).json().total).toBe(0);

    const upd = await call(t, province, 'PUT', `/api/packing-houses/${h.id}`, { ...houseEditable(h), markets: ['us', 'au', 'kr'] });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json()).toMatchObject({ markets: ['us', 'au', 'kr'], version: 2 });
    expectProblem(await call(t, province, 'PUT', `/api/packing-houses/${h.id}`, houseEditable(h)), 409, 'VERSION_CONFLICT');
    expect((await call(t, province, 'DELETE', `/api/packing-houses/${h.id}`)).statusCode).toBe(200);
    expectProblem(await call(t, viewer, 'GET', `/api/packing-houses/${h.id}`), 404, 'NOT_FOUND');
    expect((await audits('packing_house', h.id)).map((l) => l.action)).toEqual(['create', 'update', 'delete']);
  });

  it('validation and duplicates: valid_to before issued_on, missing name, duplicate code → 409 in Vietnamese', async () => {
    const bad = expectProblem(await call(t, province, 'POST', '/api/packing-houses', house({ issuedOn: '2025-06-01', validTo: '2024-06-01', name: ' ' })), 400, 'VALIDATION');
    expect(bad.errors!.sort((x, y) => x.path.localeCompare(y.path))).toEqual([
      { path: 'body.name', message: 'Chưa nhập tên cơ sở đóng gói' },
      { path: 'body.validTo', message: 'Ngày hết hiệu lực không được trước ngày cấp' },
    ]);
    const h = (await call(t, province, 'POST', '/api/packing-houses', house())).json();
    const dup = expectProblem(await call(t, province, 'POST', '/api/packing-houses', house({ code: h.code })), 409, 'DUPLICATE_PACKING_HOUSE_CODE');
    expect(dup.title).toBe('Mã số cơ sở đóng gói đã tồn tại');
    // A growing area may carry the same code as a packing house: they are different registers.
    expect((await call(t, province, 'POST', '/api/growing-areas', area({ code: h.code }))).statusCode).toBe(201);
  });

  it('refusals: producer B on A\'s house, commune officer out of scope, viewer writes', async () => {
    const [pa, pb] = await Promise.all([makeProducer(t), makeProducer(t)]);
    const [userA, userB] = await Promise.all([signIn(t, 'producer', { producerId: pa.id }), signIn(t, 'producer', { producerId: pb.id })]);
    const created = await call(t, userA, 'POST', '/api/packing-houses', house({ ownerProducerId: pa.id, ownerName: null }));
    expect(created.statusCode, created.body).toBe(201);
    const h = created.json();
    expectProblem(await call(t, userB, 'GET', `/api/packing-houses/${h.id}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'PUT', `/api/packing-houses/${h.id}`, houseEditable(h)), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'DELETE', `/api/packing-houses/${h.id}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, userA, 'PUT', `/api/packing-houses/${h.id}`, { ...houseEditable(h), ownerProducerId: pb.id }), 403, 'FORBIDDEN');
    expect((await call(t, userB, 'GET', '/api/packing-houses')).json().items.map((i: any) => i.id)).not.toContain(h.id);

    const officer = await signIn(t, 'commune_officer', { unitKeys: ['bn-x-kien-lao'] });
    expectProblem(await call(t, officer, 'POST', '/api/packing-houses', house({ unitId: chu })), 403, 'FORBIDDEN');
    expectProblem(await call(t, officer, 'PUT', `/api/packing-houses/${h.id}`, houseEditable(h)), 403, 'FORBIDDEN');
    expect((await call(t, officer, 'POST', '/api/packing-houses', house({ unitId: kienLao }))).statusCode).toBe(201);

    expectProblem(await call(t, viewer, 'POST', '/api/packing-houses', house()), 403, 'FORBIDDEN');
    expectProblem(await call(t, viewer, 'DELETE', `/api/packing-houses/${h.id}`), 403, 'FORBIDDEN');
    expect((await call(t, userA, 'DELETE', `/api/packing-houses/${h.id}`)).statusCode).toBe(200);
  });
});
