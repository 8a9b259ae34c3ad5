import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem } from '../../../../test/helpers/http.js';

let t: TestApp;
let province: Session;
let chu = 0;
const body = (over: Record<string, unknown> = {}) => ({ name: `Làng nghề thử ${unique()}`, unitId: chu, kind: 'traditional', craft: 'Chế biến mỳ gạo', recognisedOn: '2019-05-01', ...over });

beforeAll(async () => {
  t = await buildTestApp();
  province = await signIn(t, 'province_officer');
  chu = await unitId(t, 'bn-p-chu');
});
afterAll(async () => t?.close());

/** The producer's editable body as read (what the producer form sends back). */
function producerBody(p: Record<string, unknown>, over: Record<string, unknown> = {}) {
  const { id: _i, unit, productCount: _c, updatedAt: _u, craftVillageRef: _r, ...rest } = p as Record<string, unknown> & { unit: { id: number } };
  return { ...rest, unitId: unit.id, ...over };
}

describe('craft villages as reference data', () => {
  it('a province officer adds and edits a village; the list says who may manage it and counts its producers', async () => {
    const res = await call(t, province, 'POST', '/api/craft-villages', body({ note: 'Thử' }));
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json();
    expect(v).toMatchObject({ unit: { id: chu }, kind: 'traditional', recognisedOn: '2019-05-01', producerCount: 0, canEdit: true, isDemo: false, version: 1 });
    const edited = await call(t, province, 'PUT', `/api/craft-villages/${v.id}`, { ...body({ name: v.name }), version: 1, decision: '123/QĐ-UBND' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ decision: '123/QĐ-UBND', version: 2 });
    expectProblem(await call(t, province, 'PUT', `/api/craft-villages/${v.id}`, { ...body({ name: v.name }), version: 1 }), 409, 'VERSION_CONFLICT');
    const list = (await call(t, province, 'GET', `/api/craft-villages?q=${encodeURIComponent(v.name)}`)).json();
    expect(list.canManage).toBe(true);
    expect(list.items.map((x: { id: string }) => x.id)).toEqual([v.id]);
    // Accent-insensitive search, like the rest of the registry.
    const plain = v.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
    expect((await call(t, province, 'GET', `/api/craft-villages?q=${encodeURIComponent(plain)}`)).json().items).toHaveLength(1);
    // The audit trail has both writes.
    const audit = await t.dbh.query<{ action: string }>('select action from audit_log where entity_type = $1 and entity_id = $2', ['craft_village', v.id]);
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'update']);
  });

  it('refuses a duplicate name in the same commune, a unit that is not a commune, dates in the wrong order', async () => {
    const name = `Làng nghề trùng ${unique()}`;
    expect((await call(t, province, 'POST', '/api/craft-villages', body({ name }))).statusCode).toBe(201);
    const dup = expectProblem(await call(t, province, 'POST', '/api/craft-villages', body({ name: name.toUpperCase() })), 400, 'VALIDATION');
    expect(dup.errors?.[0].path).toBe('name');
    expectProblem(await call(t, province, 'POST', '/api/craft-villages', body({ unitId: await unitId(t, 'ln') })), 422, 'UNIT_NOT_VALID');
    const dates = expectProblem(await call(t, province, 'POST', '/api/craft-villages', body({ revokedOn: '2018-01-01' })), 400, 'VALIDATION');
    expect(dates.errors?.map((e) => e.path)).toContain('body.revokedOn');
  });

  it('commune officers, council members, viewers and producers read the list but cannot write it', async () => {
    const v = (await call(t, province, 'POST', '/api/craft-villages', body())).json();
    for (const role of ['commune_officer', 'council_member', 'viewer', 'central_officer', 'producer'] as const) {
      const s = await signIn(t, role, role === 'producer' ? { producerId: (await makeProducer(t)).id } : {});
      const list = await call(t, s, 'GET', '/api/craft-villages');
      expect(list.statusCode, role).toBe(200);
      expect(list.json().canManage, role).toBe(false);
      expectProblem(await call(t, s, 'POST', '/api/craft-villages', body()), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'PUT', `/api/craft-villages/${v.id}`, { ...body({ name: v.name }), version: v.version }), 403, 'FORBIDDEN');
    }
    expect((await call(t, null, 'GET', '/api/craft-villages')).statusCode).toBe(401);
  });
});

describe('a producer belongs to one craft village, set by officers', () => {
  it('an officer puts a producer in a village; the producer sees it but cannot change it; other edits keep it', async () => {
    const v = (await call(t, province, 'POST', '/api/craft-villages', body())).json();
    const other = (await call(t, province, 'POST', '/api/craft-villages', body())).json();
    const producer = await makeProducer(t);
    const read = (await call(t, province, 'GET', `/api/producers/${producer.id}`)).json();
    expect(read.craftVillageRef).toBeNull();
    const put = await call(t, province, 'PUT', `/api/producers/${producer.id}`, producerBody(read, { craftVillageId: v.id }));
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().craftVillageRef).toEqual({ id: v.id, name: v.name, isDemo: false });
    expect((await call(t, province, 'GET', `/api/craft-villages/${v.id}`)).json().producerCount).toBe(1);

    const own = await signIn(t, 'producer', { producerId: producer.id });
    const mine = (await call(t, own, 'GET', `/api/producers/${producer.id}`)).json();
    expect(mine.craftVillageRef.id).toBe(v.id);
    // Changing or clearing the village: refused to the producer, nothing written.
    expectProblem(await call(t, own, 'PUT', `/api/producers/${producer.id}`, producerBody(mine, { craftVillageId: other.id })), 403, 'FORBIDDEN');
    expectProblem(await call(t, own, 'PUT', `/api/producers/${producer.id}`, producerBody(mine, { craftVillageId: null })), 403, 'FORBIDDEN');
    // Its own fields, with the village sent back unchanged or not sent at all: accepted, the village stays.
    const same = await call(t, own, 'PUT', `/api/producers/${producer.id}`, producerBody(mine, { phone: '0204 3882 123' }));
    expect(same.statusCode, same.body).toBe(200);
    const { craftVillageId: _omit, ...withoutVillage } = producerBody(same.json(), { phone: '0204 3882 124' }) as Record<string, unknown>;
    const absent = await call(t, own, 'PUT', `/api/producers/${producer.id}`, withoutVillage);
    expect(absent.statusCode, absent.body).toBe(200);
    expect(absent.json().craftVillageRef.id).toBe(v.id);
    // A commune officer of another commune cannot either; an unknown village is a validation error.
    const elsewhere = await signIn(t, 'commune_officer', { unitKeys: ['bn-x-sa-ly'] });
    expect((await call(t, elsewhere, 'PUT', `/api/producers/${producer.id}`, producerBody(absent.json(), { craftVillageId: other.id }))).statusCode).toBe(403);
    const unknown = expectProblem(await call(t, province, 'PUT', `/api/producers/${producer.id}`, producerBody(absent.json(), { craftVillageId: crypto.randomUUID() })), 400, 'VALIDATION');
    expect(unknown.errors?.[0].path).toBe('craftVillageId');
    const [row] = await t.dbh.query<{ craft_village_id: string }>('select craft_village_id from producers where id = $1', [producer.id]);
    expect(row.craft_village_id).toBe(v.id);
  });
});
