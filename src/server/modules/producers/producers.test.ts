import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp, call, makeProducer, signIn, unique, uniqueTaxCode, unitId, type Session, type TestApp,
} from '../../../../test/helpers/app.js';
import { expectProblem, scalar } from '../../../../test/helpers/http.js';

let t: TestApp;
let officer: Session;
let viewer: Session;
let chu: number;
beforeAll(async () => {
  t = await buildTestApp();
  [officer, viewer] = await Promise.all([signIn(t, 'province_officer'), signIn(t, 'viewer')]);
  chu = await unitId(t, 'bn-p-chu');
});
afterAll(async () => { await t?.close(); });

type P = { id: string; version: number; registrationNumber: string; legalName: string; unit: { id: number } };

const body = async (over: Record<string, unknown> = {}) => ({
  kind: 'cooperative', legalName: `HTX Nông sản ${unique()}`, registrationNumber: uniqueTaxCode(), unitId: chu,
  address: 'Tổ dân phố Thủ Dương, phường Chũ', representative: 'Nguyễn Văn A', phone: '0204 3882 123', email: 'htx@example.vn', ...over,
});
/** The editable body of an existing producer (what a form sends back), with its version. */
const editable = (p: P & Record<string, unknown>) => ({
  kind: p.kind, legalName: p.legalName, shortName: p.shortName, registrationNumber: p.registrationNumber, unitId: p.unit.id,
  address: p.address, representative: p.representative, representativeTitle: p.representativeTitle, phone: p.phone, email: p.email,
  website: p.website, foundedYear: p.foundedYear, memberCount: p.memberCount, workerCount: p.workerCount, craftVillage: p.craftVillage,
  notes: p.notes, isDemo: p.isDemo, sources: p.sources, version: p.version,
});
const countByReg = (reg: string) => scalar(t, 'select count(*) from producers where registration_number = $1', [reg]);

describe('producers: create and read', () => {
  it('a province officer registers a producer; text is cleaned; the audit entry names the officer', async () => {
    const input = await body({ legalName: '  HTX   Vải thiều  Thanh Hà ', shortName: '' });
    const res = await call(t, officer, 'POST', '/api/producers', input);
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({
      kind: 'cooperative', legalName: 'HTX Vải thiều Thanh Hà', shortName: null, registrationNumber: input.registrationNumber,
      unit: { id: chu, name: 'Chũ', type: 'ward', code: '07525' }, productCount: 0, version: 1, isDemo: false, sources: [],
    });
    const read = await call(t, viewer, 'GET', `/api/producers/${p.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(p);
    const hist = (await call(t, viewer, 'GET', `/api/producers/${p.id}/history`)).json();
    expect(hist).toHaveLength(1);
    expect(hist[0]).toMatchObject({ action: 'create', actor: officer.login, before: null, after: { legalName: 'HTX Vải thiều Thanh Hà', registrationNumber: input.registrationNumber } });
  });

  it('an invalid tax code → 400 problem+json with errors on registrationNumber in Vietnamese; nothing written', async () => {
    const input = await body({ registrationNumber: '0101234567' });
    const p = expectProblem(await call(t, officer, 'POST', '/api/producers', input), 400, 'VALIDATION');
    expect(p.title).toBe('Dữ liệu không hợp lệ');
    expect(p.errors).toEqual([{ path: 'body.registrationNumber', message: 'Mã số thuế/mã số doanh nghiệp không hợp lệ (10 chữ số, chữ số cuối là số kiểm tra)' }]);
    expect(await countByReg('0101234567')).toBe(0);
  });

  it('a household may use a household-business certificate number, a cooperative may not', async () => {
    const reg = `20A${String(Date.now()).slice(-8)}`;
    const coop = expectProblem(await call(t, officer, 'POST', '/api/producers', await body({ registrationNumber: reg })), 400, 'VALIDATION');
    expect(coop.errors![0].path).toBe('body.registrationNumber');
    const hh = await call(t, officer, 'POST', '/api/producers', await body({ kind: 'household', registrationNumber: reg.toLowerCase() }));
    expect(hh.statusCode).toBe(201);
    expect(hh.json().registrationNumber).toBe(reg);
  });

  it('other field errors are reported with their paths and Vietnamese messages', async () => {
    const p = expectProblem(await call(t, officer, 'POST', '/api/producers', await body({ email: 'khong-phai-email', phone: 'abc', legalName: 'X' })), 400, 'VALIDATION');
    expect(p.errors!.map((e) => e.path).sort()).toEqual(['body.email', 'body.legalName', 'body.phone']);
    expect(p.errors!.find((e) => e.path === 'body.email')!.message).toBe('Email không hợp lệ');
    expect(p.errors!.find((e) => e.path === 'body.legalName')!.message).toBe('Tên chủ thể quá ngắn');
  });

  it('a duplicate registration number → 409 DUPLICATE_REGISTRATION_NUMBER', async () => {
    const existing = await makeProducer(t);
    const res = await call(t, officer, 'POST', '/api/producers', await body({ registrationNumber: existing.registrationNumber }));
    expect(expectProblem(res, 409, 'DUPLICATE_REGISTRATION_NUMBER').title).toBe('Mã số đăng ký đã được dùng cho chủ thể khác');
    expect(await countByReg(existing.registrationNumber)).toBe(1);
  });

  it('a unit that is not commune level → 422 UNIT_NOT_VALID; an unknown unit too', async () => {
    const district = await unitId(t, 'ln');
    const input = await body({ unitId: district });
    const p = expectProblem(await call(t, officer, 'POST', '/api/producers', input), 422, 'UNIT_NOT_VALID');
    expect(p.errors).toEqual([{ path: 'unitId', message: 'Chọn một xã, phường hoặc thị trấn' }]);
    expect(await countByReg(input.registrationNumber)).toBe(0);
    expectProblem(await call(t, officer, 'POST', '/api/producers', await body({ unitId: 99999999 })), 422, 'UNIT_NOT_VALID');
  });

  it('unknown producer → 404; malformed id → 400', async () => {
    expectProblem(await call(t, viewer, 'GET', '/api/producers/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    expectProblem(await call(t, viewer, 'GET', '/api/producers/00000000-0000-4000-8000-000000000000/history'), 404, 'NOT_FOUND');
    expectProblem(await call(t, viewer, 'GET', '/api/producers/nope'), 400, 'VALIDATION');
  });
});

describe('producers: update', () => {
  it('an update bumps the version; history shows only the changed fields with the actor', async () => {
    const p = (await call(t, officer, 'POST', '/api/producers', await body())).json();
    const res = await call(t, officer, 'PUT', `/api/producers/${p.id}`, { ...editable(p), address: 'Thôn Mới', memberCount: 12 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ address: 'Thôn Mới', memberCount: 12, version: 2 });
    const hist = (await call(t, officer, 'GET', `/api/producers/${p.id}/history`)).json();
    expect(hist[0]).toMatchObject({ action: 'update', actor: officer.login });
    expect(hist[0].before).toEqual({ address: 'Tổ dân phố Thủ Dương, phường Chũ', memberCount: null });
    expect(hist[0].after).toEqual({ address: 'Thôn Mới', memberCount: 12 });
  });

  it('saving without changes writes no audit entry', async () => {
    const p = (await call(t, officer, 'POST', '/api/producers', await body())).json();
    expect((await call(t, officer, 'PUT', `/api/producers/${p.id}`, editable(p))).statusCode).toBe(200);
    expect((await call(t, officer, 'GET', `/api/producers/${p.id}/history`)).json()).toHaveLength(1);
  });

  it('a stale version → 409 VERSION_CONFLICT and the newer data stays', async () => {
    const p = (await call(t, officer, 'POST', '/api/producers', await body())).json();
    expect((await call(t, officer, 'PUT', `/api/producers/${p.id}`, { ...editable(p), notes: 'lần 1' })).statusCode).toBe(200);
    const stale = await call(t, officer, 'PUT', `/api/producers/${p.id}`, { ...editable(p), notes: 'lần 2' });
    expect(expectProblem(stale, 409, 'VERSION_CONFLICT').title).toBe('Bản ghi vừa được người khác sửa; hãy tải lại rồi sửa tiếp');
    expect((await call(t, officer, 'GET', `/api/producers/${p.id}`)).json()).toMatchObject({ notes: 'lần 1', version: 2 });
  });

  it('changing to another producer’s registration number → 409', async () => {
    const a = (await call(t, officer, 'POST', '/api/producers', await body())).json();
    const b = await makeProducer(t);
    expectProblem(await call(t, officer, 'PUT', `/api/producers/${a.id}`, { ...editable(a), registrationNumber: b.registrationNumber }), 409, 'DUPLICATE_REGISTRATION_NUMBER');
  });

  it('an invalid tax code on PUT → 400 on body.registrationNumber, nothing changed', async () => {
    const a = (await call(t, officer, 'POST', '/api/producers', await body())).json();
    const p = expectProblem(await call(t, officer, 'PUT', `/api/producers/${a.id}`, { ...editable(a), registrationNumber: '123' }), 400, 'VALIDATION');
    expect(p.errors!.map((e) => e.path)).toEqual(['body.registrationNumber']);
    expect((await call(t, officer, 'GET', `/api/producers/${a.id}`)).json()).toMatchObject({ registrationNumber: a.registrationNumber, version: 1 });
  });

  it('moving to a non-commune unit → 422', async () => {
    const a = (await call(t, officer, 'POST', '/api/producers', await body())).json();
    expectProblem(await call(t, officer, 'PUT', `/api/producers/${a.id}`, { ...editable(a), unitId: await unitId(t, 'chu-tx') }), 422, 'UNIT_NOT_VALID');
  });

  it('PUT on an unknown producer → 404', async () => {
    const input = await body();
    expectProblem(await call(t, officer, 'PUT', '/api/producers/00000000-0000-4000-8000-000000000000', { ...input, version: 1 }), 404, 'NOT_FOUND');
  });
});

describe('producers: permissions', () => {
  it.each(['viewer', 'council_member'] as const)('%s cannot create or edit producers (403)', async (role) => {
    const s = await signIn(t, role);
    const input = await body();
    expectProblem(await call(t, s, 'POST', '/api/producers', input), 403, 'FORBIDDEN');
    expect(await countByReg(input.registrationNumber)).toBe(0);
    const p = (await call(t, officer, 'POST', '/api/producers', await body())).json();
    expectProblem(await call(t, s, 'PUT', `/api/producers/${p.id}`, { ...editable(p), notes: 'x' }), 403, 'FORBIDDEN');
    // …but they read the registry.
    expect((await call(t, s, 'GET', `/api/producers/${p.id}`)).statusCode).toBe(200);
  });

  describe('commune officer of phường Chũ', () => {
    let co: Session;
    beforeAll(async () => { co = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] }); });

    it('creates a producer in phường Chũ', async () => {
      expect((await call(t, co, 'POST', '/api/producers', await body())).statusCode).toBe(201);
    });

    it('cannot create a producer in another commune (xã Lục Ngạn) → 403, nothing written', async () => {
      const input = await body({ unitId: await unitId(t, 'bn-x-luc-ngan') });
      expectProblem(await call(t, co, 'POST', '/api/producers', input), 403, 'FORBIDDEN');
      expect(await countByReg(input.registrationNumber)).toBe(0);
    });

    it('cannot edit a producer of another commune, nor move one there', async () => {
      const other = await makeProducer(t, { unitId: await unitId(t, 'bn-x-luc-ngan') });
      const p = (await call(t, viewer, 'GET', `/api/producers/${other.id}`)).json();
      expectProblem(await call(t, co, 'PUT', `/api/producers/${p.id}`, { ...editable(p), notes: 'x' }), 403, 'FORBIDDEN');
      const mine = (await call(t, co, 'POST', '/api/producers', await body())).json();
      expectProblem(await call(t, co, 'PUT', `/api/producers/${mine.id}`, { ...editable(mine), unitId: await unitId(t, 'bn-x-luc-ngan') }), 403, 'FORBIDDEN');
      expect((await call(t, viewer, 'GET', `/api/producers/${mine.id}`)).json().unit.id).toBe(chu);
    });

    it('CAN create and edit a producer registered under a predecessor of phường Chũ (pre-2024 xã Hồng Giang)', async () => {
      const hongGiang = await unitId(t, 'ln-hong-giang');
      const created = await call(t, co, 'POST', '/api/producers', await body({ unitId: hongGiang }));
      expect(created.statusCode).toBe(201);
      const old = await makeProducer(t, { unitId: hongGiang });
      const p = (await call(t, co, 'GET', `/api/producers/${old.id}`)).json();
      const res = await call(t, co, 'PUT', `/api/producers/${old.id}`, { ...editable(p), notes: 'Đã xác minh', unitId: chu });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ notes: 'Đã xác minh', unit: { id: chu } });
    });

    it('also covers the 2024 phường Chũ and the pre-2024 thị trấn Chũ, but not xã Kiên Lao', async () => {
      for (const key of ['chu-p-chu', 'ln-chu', 'chu-p-tru-huu', 'ln-nghia-ho']) {
        expect((await call(t, co, 'POST', '/api/producers', await body({ unitId: await unitId(t, key) }))).statusCode, key).toBe(201);
      }
      expectProblem(await call(t, co, 'POST', '/api/producers', await body({ unitId: await unitId(t, 'ln-kien-lao') })), 403, 'FORBIDDEN');
    });
  });

  describe('producer user', () => {
    let mine: P & Record<string, unknown>;
    let s: Session;
    beforeAll(async () => {
      const created = await makeProducer(t);
      s = await signIn(t, 'producer', { producerId: created.id });
      mine = (await call(t, s, 'GET', `/api/producers/${created.id}`)).json();
    });

    it('edits its own contact data', async () => {
      const cur = (await call(t, s, 'GET', `/api/producers/${mine.id}`)).json();
      const res = await call(t, s, 'PUT', `/api/producers/${mine.id}`, { ...editable(cur), phone: '0912 000 111', website: 'https://vaithieu.example.vn' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ phone: '0912 000 111', website: 'https://vaithieu.example.vn' });
    });

    it('cannot change its registration number, kind, unit or demo flag (403)', async () => {
      const cur = (await call(t, s, 'GET', `/api/producers/${mine.id}`)).json();
      for (const change of [{ registrationNumber: uniqueTaxCode() }, { kind: 'enterprise' }, { unitId: await unitId(t, 'bn-x-luc-ngan') }, { unitId: await unitId(t, 'chu-p-chu') }, { isDemo: true }]) {
        const res = await call(t, s, 'PUT', `/api/producers/${mine.id}`, { ...editable(cur), ...change });
        expectProblem(res, 403, 'FORBIDDEN');
      }
      const after = (await call(t, s, 'GET', `/api/producers/${mine.id}`)).json();
      expect(after).toMatchObject({ registrationNumber: cur.registrationNumber, kind: cur.kind, unit: { id: cur.unit.id }, isDemo: false, version: cur.version });
    });

    it('cannot read, edit or see the history of another producer (403); cannot create producers', async () => {
      const theirs = await makeProducer(t);
      const full = (await call(t, viewer, 'GET', `/api/producers/${theirs.id}`)).json();
      expectProblem(await call(t, s, 'GET', `/api/producers/${theirs.id}`), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'GET', `/api/producers/${theirs.id}/history`), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'PUT', `/api/producers/${theirs.id}`, { ...editable(full), notes: 'chiếm' }), 403, 'FORBIDDEN');
      const input = await body();
      expectProblem(await call(t, s, 'POST', '/api/producers', input), 403, 'FORBIDDEN');
      expect(await countByReg(input.registrationNumber)).toBe(0);
    });

    it('lists only itself', async () => {
      const res = await call(t, s, 'GET', '/api/producers?pageSize=200');
      expect(res.json().total).toBe(1);
      expect(res.json().items.map((p: P) => p.id)).toEqual([mine.id]);
    });
  });

  it('anonymous → 401 on every producer route', async () => {
    const p = await makeProducer(t);
    expectProblem(await call(t, null, 'GET', '/api/producers'), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, null, 'GET', `/api/producers/${p.id}`), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, null, 'GET', `/api/producers/${p.id}/history`), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, null, 'POST', '/api/producers', await body()), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, null, 'PUT', `/api/producers/${p.id}`, { ...(await body()), version: 1 }), 401, 'UNAUTHENTICATED');
  });
});

describe('producers: list', () => {
  it('searches accent-insensitively, filters by kind and unit scope, sorts and pages with totals', async () => {
    const tag = unique('Z').toLowerCase();
    const hongGiang = await unitId(t, 'ln-hong-giang');
    const a = await makeProducer(t, { legalName: `Hợp tác xã Đông Anh ${tag}`, kind: 'cooperative' });
    const b = await makeProducer(t, { legalName: `Công ty Bắc Sơn ${tag}`, kind: 'enterprise', unitId: hongGiang });
    const c = await makeProducer(t, { legalName: `Hộ Cao Lộc ${tag}`, kind: 'household', unitId: await unitId(t, 'bn-x-luc-ngan') });
    const list = async (qs: string) => (await call(t, viewer, 'GET', `/api/producers?q=${tag}&${qs}`)).json();

    const byName = await list('');
    expect(byName.total).toBe(3);
    expect(byName.items.map((p: P) => p.id)).toEqual([b.id, c.id, a.id]); // Công…, Hộ…, Hợp… by unaccented name
    expect((await list('dir=desc')).items.map((p: P) => p.id)).toEqual([a.id, c.id, b.id]);
    expect((await call(t, viewer, 'GET', `/api/producers?q=${encodeURIComponent(`dong anh ${tag}`)}`)).json().items.map((p: P) => p.id)).toEqual([a.id]);
    expect((await call(t, viewer, 'GET', `/api/producers?q=${b.registrationNumber}`)).json().items.map((p: P) => p.id)).toEqual([b.id]);

    expect((await list('kind=enterprise,household')).items.map((p: P) => p.id).sort()).toEqual([b.id, c.id].sort());
    // Today's phường Chũ also finds the producer registered under xã Hồng Giang (its predecessor).
    expect((await list(`unitId=${chu}`)).items.map((p: P) => p.id).sort()).toEqual([a.id, b.id].sort());
    expect((await list(`unitId=${hongGiang}`)).items.map((p: P) => p.id)).toEqual([b.id]);

    const page1 = await list('pageSize=2&page=1');
    const page2 = await list('pageSize=2&page=2');
    expect(page1).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page1.items.map((p: P) => p.id)).toEqual([b.id, c.id]);
    expect(page2).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page2.items.map((p: P) => p.id)).toEqual([a.id]);

    const byReg = (await list('sort=registrationNumber')).items.map((p: P) => p.registrationNumber);
    expect(byReg).toEqual([...byReg].sort());
  });

  it('a bad query parameter → 400 naming it', async () => {
    const p = expectProblem(await call(t, viewer, 'GET', '/api/producers?kind=bank'), 400, 'VALIDATION');
    expect(p.errors![0].path).toMatch(/^querystring\.kind/);
    expectProblem(await call(t, viewer, 'GET', '/api/producers?pageSize=1000'), 400, 'VALIDATION');
  });
});
