import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp, call, loginWith, makeProducer, signIn, unique, uniqueTaxCode, unitId, type Session, type TestApp,
} from '../../../../test/helpers/app.js';
import { expectProblem, scalar } from '../../../../test/helpers/http.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';

let t: TestApp;
let province: Session;
let chuOfficer: Session;
let kienLaoOfficer: Session;
let chu: number;
let kienLao: number;
beforeAll(async () => {
  t = await buildTestApp();
  chu = await unitId(t, 'bn-p-chu');
  kienLao = await unitId(t, 'bn-x-kien-lao');
  [province, chuOfficer, kienLaoOfficer] = await Promise.all([
    signIn(t, 'province_officer'),
    signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] }),
    signIn(t, 'commune_officer', { unitKeys: ['bn-x-kien-lao'] }),
  ]);
});
afterAll(async () => { await t?.close(); });

const PASSWORD = 'mat-khau-dang-ky-2025';
let ipSeq = 0;
/** A fresh client address per request unless told: the per-address rate limit only matters in its own test. */
const nextIp = () => `10.9.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`;

function body(over: Record<string, unknown> = {}) {
  return {
    kind: 'cooperative',
    legalName: `HTX Vải thiều ${unique()}`,
    registrationNumber: uniqueTaxCode(),
    unitId: chu,
    address: 'Thôn Kép, phường Chũ',
    representative: 'Nguyễn Văn Đăng',
    phone: '0912 345 678',
    email: 'htx@example.vn',
    login: unique('dk').toLowerCase(),
    password: PASSWORD,
    note: 'Xin cấp tài khoản để nộp hồ sơ OCOP',
    ...over,
  };
}
const register = (payload: unknown, ip = nextIp()) =>
  t.app.inject({ method: 'POST', url: '/api/registrations', payload: payload as object, remoteAddress: ip });

async function registered(over: Record<string, unknown> = {}) {
  const b = body(over);
  const res = await register(b);
  expect(res.statusCode, res.body).toBe(202);
  return { ...b, id: res.json().id as string };
}
type Reg = { id: string; status: string; producerId: string | null; existingProducer: { id: string; legalName: string } | null };
async function listed(s: Session, id: string, status?: string): Promise<Reg | undefined> {
  const res = await call(t, s, 'GET', `/api/registrations${status ? `?status=${status}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().find((r: Reg) => r.id === id);
}
const approve = (s: Session, id: string) => call(t, s, 'POST', `/api/registrations/${id}/approve`, {});
const reject = (s: Session, id: string, reason: unknown) => call(t, s, 'POST', `/api/registrations/${id}/reject`, { reason });

describe('registrations: public form', () => {
  it('GET /api/registrations/units (anonymous) lists today’s communes with their province, not merged-away or district units', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/registrations/units' });
    expect(res.statusCode).toBe(200);
    const units: { id: number; name: string; parentName: string | null }[] = res.json();
    expect(units).toContainEqual({ id: chu, name: 'Chũ', parentName: 'Bắc Ninh' });
    expect(units).toContainEqual({ id: kienLao, name: 'Kiên Lao', parentName: 'Bắc Ninh' });
    const ids = units.map((u) => u.id);
    for (const key of ['ln-cam-son', 'ln-chu', 'ln', 'bn2025', 'chu-tx']) expect(ids).not.toContain(await unitId(t, key));
    expect(units.map((u) => u.name)).toEqual([...units.map((u) => u.name)].sort((a, b) => a.localeCompare(b, 'vi')));
  });

  it('an anonymous request → 201 pending; the password is stored as an argon2id hash and never answered', async () => {
    const b = body({ login: `  ${unique('Dk')}  `, legalName: '  HTX   Vải  thiều Chũ ', email: '' });
    const res = await register(b);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ id: expect.any(String), reference: expect.stringMatching(/^DK-[0-9A-F]{8}$/), status: 'pending' });
    const [row] = await t.dbh.query<{ password_hash: string; login: string; legal_name: string; email: string | null; status: string }>(
      'select password_hash, login, legal_name, email, status from registration_requests where id = $1', [res.json().id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row).toMatchObject({ login: b.login.trim(), legal_name: 'HTX Vải thiều Chũ', email: null, status: 'pending' });
    const item = await listed(province, res.json().id);
    expect(item).toMatchObject({ status: 'pending', legalName: 'HTX Vải thiều Chũ', unit: { id: chu, name: 'Chũ' }, producerId: null, decidedAt: null, existingProducer: null });
    expect(JSON.stringify(item)).not.toContain('argon2');
    expect(JSON.stringify(item)).not.toContain(PASSWORD);
  });

  it('the commune’s officers are notified of a new request', async () => {
    const r = await registered();
    const n = await call(t, chuOfficer, 'GET', '/api/notifications');
    expect(n.json().items.some((x: { kind: string; body: string }) => x.kind === 'registration_submitted' && x.body.includes(r.login))).toBe(true);
    const other = await call(t, kienLaoOfficer, 'GET', '/api/notifications');
    expect(other.json().items.some((x: { body: string }) => x.body.includes(r.login))).toBe(false);
  });

  it('a wrong tax code → 400 with the Vietnamese message on registrationNumber; nothing stored', async () => {
    const b = body({ registrationNumber: '0101234567' });
    const p = expectProblem(await register(b), 400, 'VALIDATION');
    expect(p.title).toBe('Dữ liệu không hợp lệ');
    expect(p.errors).toContainEqual({ path: 'body.registrationNumber', message: 'Mã số thuế/mã số doanh nghiệp không hợp lệ (10 chữ số, chữ số cuối là số kiểm tra)' });
    const h = expectProblem(await register(body({ kind: 'household', registrationNumber: 'ABC' })), 400, 'VALIDATION');
    expect(h.errors![0].message).toMatch(/^Mã số không hợp lệ: cần mã số thuế 10 số, số định danh 12 số/);
    expect(await scalar(t, 'select count(*) from registration_requests where lower(login) = lower($1)', [b.login])).toBe(0);
  });

  it('a household may use a 12-digit personal number', async () => {
    expect((await register(body({ kind: 'household', registrationNumber: `0${String(Date.now()).slice(-11)}` }))).statusCode).toBe(202);
  });

  it('a short password, a bad login, a bad phone or e-mail, missing fields → 400 with paths', async () => {
    const p = expectProblem(await register(body({ password: 'ngan-qua' })), 400, 'VALIDATION');
    expect(p.errors).toContainEqual({ path: 'body.password', message: 'Mật khẩu cần ít nhất 10 ký tự' });
    expect(expectProblem(await register(body({ login: 'có dấu' })), 400).errors![0].path).toBe('body.login');
    expect(expectProblem(await register(body({ phone: 'abc' })), 400).errors![0].path).toBe('body.phone');
    expect(expectProblem(await register(body({ email: 'not-an-email' })), 400).errors![0].path).toBe('body.email');
    expect(expectProblem(await register(body({ kind: 'company' })), 400).errors![0].path).toBe('body.kind');
    const { representative: _r, ...noRep } = body();
    expect(expectProblem(await register(noRep), 400).errors![0].path).toBe('body.representative');
  });

  it('optional fields may be left out', async () => {
    const { address: _a, email: _e, note: _n, ...minimal } = body();
    const res = await register(minimal);
    expect(res.statusCode, res.body).toBe(202);
    expect(await listed(province, res.json().id)).toMatchObject({ address: null, email: null, note: null });
  });

  it('a unit that is not a current commune (district, province, merged-away commune, unknown) → 422 UNIT_NOT_VALID', async () => {
    for (const key of ['ln', 'bn2025', 'ln-cam-son']) {
      const p = expectProblem(await register(body({ unitId: await unitId(t, key) })), 422, 'UNIT_NOT_VALID');
      expect(p.errors).toEqual([{ path: 'unitId', message: 'Chọn một xã, phường hoặc thị trấn hiện hành' }]);
    }
    expectProblem(await register(body({ unitId: 999999 })), 422, 'UNIT_NOT_VALID');
  });

  it('a login already used by an account (any case) or a pending request gets the same 202 answer; the officer sees the note and cannot approve it', async () => {
    const existing = await signIn(t, 'viewer');
    const free = await register(body());
    const taken = await register(body({ login: existing.login.toUpperCase() }));
    expect([free.statusCode, taken.statusCode]).toEqual([202, 202]);
    expect(Object.keys(taken.json()).sort()).toEqual(Object.keys(free.json()).sort());
    expect(taken.json()).toMatchObject({ status: 'pending', reference: expect.stringMatching(/^DK-/) });
    const seen = (await call(t, chuOfficer, 'GET', '/api/registrations?status=pending')).json().find((r: { id: string }) => r.id === taken.json().id);
    expect(seen).toMatchObject({ loginTaken: true, reference: taken.json().reference });
    const note = await t.dbh.query<{ body: string }>("select body from notifications where entity_id = $1 and kind = 'registration_submitted' limit 1", [taken.json().id]);
    expect(note[0].body).toMatch(/tên đăng nhập này đã có người dùng/);
    const p = expectProblem(await approve(chuOfficer, taken.json().id), 409, 'DUPLICATE_LOGIN');
    expect(p.detail).toMatch(/đã có người dùng/);
    // A second request for a login a pending request holds: recorded too, as a duplicate.
    const first = await registered();
    const again = await register(body({ login: first.login }));
    expect(again.statusCode).toBe(202);
    expect(await scalar(t, 'select count(*) from registration_requests where lower(login) = lower($1) and login_taken', [first.login])).toBe(1);
  });

  it('a weak password (or one containing the login) → 422 WEAK_PASSWORD naming the rule, whether or not the login exists', async () => {
    const weak = expectProblem(await register(body({ password: '1111111111' })), 422, 'WEAK_PASSWORD');
    expect(weak.errors![0]).toMatchObject({ path: 'password', message: expect.stringMatching(/quá dễ đoán/) });
    const l = unique('dk').toLowerCase();
    expectProblem(await register(body({ login: l, password: `${l}-vai-thieu` })), 422, 'WEAK_PASSWORD');
  });

  it('a rejected request frees its login for a new request', async () => {
    const r = await registered();
    expect((await reject(chuOfficer, r.id, 'Thiếu thông tin')).statusCode).toBe(200);
    const again = await register(body({ login: r.login }));
    expect(again.statusCode).toBe(202);
    expect(await scalar(t, 'select count(*) from registration_requests where id = $1 and not login_taken', [again.json().id])).toBe(1);
  });

  it('is rate-limited per client address: the 31st request within the hour → 429 RATE_LIMITED', async () => {
    const ip = '10.200.0.1';
    for (let i = 0; i < 30; i++) {
      // Invalid requests count too (the limit runs before validation).
      expect((await register({ kind: 'x' }, ip)).statusCode).toBe(400);
    }
    expectProblem(await register(body(), ip), 429, 'RATE_LIMITED');
    expect((await register(body(), '10.200.0.2')).statusCode).toBe(202);
  });

  it('with the database store (the default outside tests) the counters are rows every app process shares', async () => {
    const dbh = t.dbh;
    const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMIT_STORE: 'database' }), filesDir: t.filesDir };
    const apps = [await buildApp({ config, dbh, logger: false }), await buildApp({ config, dbh, logger: false })];
    try {
      const ip = `10.201.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
      // Two app processes on one database: 15 requests through each, the 31st through either is refused.
      for (let i = 0; i < 30; i++) {
        const res = await apps[i % 2].inject({ method: 'POST', url: '/api/registrations', payload: { kind: 'x' }, remoteAddress: ip });
        expect(res.statusCode).toBe(400);
      }
      expectProblem(await apps[0].inject({ method: 'POST', url: '/api/registrations', payload: body(), remoteAddress: ip }), 429, 'RATE_LIMITED');
      expectProblem(await apps[1].inject({ method: 'POST', url: '/api/registrations', payload: body(), remoteAddress: ip }), 429, 'RATE_LIMITED');
      expect(await scalar(t, 'select hits from rate_limits where key = $1', [`registration:${ip}`])).toBe(32);
      // When the window has passed, the count starts again.
      await dbh.query("update rate_limits set reset_at = now() - interval '1 second' where key = $1", [`registration:${ip}`]);
      expect((await apps[1].inject({ method: 'POST', url: '/api/registrations', payload: body(), remoteAddress: ip })).statusCode).toBe(202);
    } finally {
      for (const a of apps) await a.close();
    }
  });
});

describe('registrations: officers decide', () => {
  it('register → officer of another commune refused (403) → officer in scope approves → the producer signs in with the chosen password', async () => {
    const r = await registered();
    // Not in the other commune's list, and it cannot be decided there.
    expect(await listed(kienLaoOfficer, r.id)).toBeUndefined();
    expect(expectProblem(await approve(kienLaoOfficer, r.id), 403, 'FORBIDDEN').policy).toBe('canDecideRegistration');
    expectProblem(await reject(kienLaoOfficer, r.id, 'Không thuộc xã'), 403, 'FORBIDDEN');
    expect(await listed(chuOfficer, r.id, 'pending')).toMatchObject({ status: 'pending' });

    const res = await approve(chuOfficer, r.id);
    expect(res.statusCode, res.body).toBe(200);
    const decided = res.json();
    expect(decided).toMatchObject({ id: r.id, status: 'approved', decisionNote: null, existingProducer: null, login: r.login });
    expect(decided.decidedAt).toEqual(expect.any(String));
    expect(await listed(chuOfficer, r.id, 'pending')).toBeUndefined();
    expect(await listed(chuOfficer, r.id, 'approved')).toMatchObject({ status: 'approved', producerId: decided.producerId });

    const producer = (await call(t, chuOfficer, 'GET', `/api/producers/${decided.producerId}`)).json();
    expect(producer).toMatchObject({
      kind: 'cooperative', legalName: r.legalName, registrationNumber: r.registrationNumber, unit: { id: chu },
      address: r.address, representative: r.representative, phone: r.phone, email: r.email,
    });
    const [row] = await t.dbh.query<{ decided_by: string; user_id: string; producer_id: string }>('select decided_by, user_id, producer_id from registration_requests where id = $1', [r.id]);
    expect(row).toMatchObject({ decided_by: chuOfficer.userId, producer_id: decided.producerId });

    const s = await loginWith(t, r.login, PASSWORD);
    const me = (await call(t, s, 'GET', '/api/auth/me')).json();
    expect(me).toMatchObject({ id: row.user_id, login: r.login, role: 'producer', producerId: decided.producerId, fullName: r.representative, locale: 'vi' });
    // The new account sees its own producer, was welcomed, and cannot decide requests.
    expect((await call(t, s, 'GET', `/api/producers/${decided.producerId}`)).statusCode).toBe(200);
    const n = (await call(t, s, 'GET', '/api/notifications')).json();
    expect(n.items.map((x: { kind: string }) => x.kind)).toContain('registration_approved');
    expectProblem(await call(t, s, 'GET', '/api/registrations'), 403, 'FORBIDDEN');

    const hist = (await call(t, province, 'GET', `/api/producers/${decided.producerId}/history`)).json();
    expect(hist[0]).toMatchObject({ action: 'create', actor: chuOfficer.login });
    const audit = await t.dbh.query<{ action: string; actor_label: string; after: Record<string, unknown> }>(
      "select action, actor_label, after from audit_log where entity_type = 'registration_request' and entity_id = $1 order by id", [r.id]);
    expect(audit.map((a) => [a.action, a.actor_label])).toEqual([['create', 'system:public-registration'], ['approve', chuOfficer.login]]);
    expect(audit[1].after).toMatchObject({ status: 'approved', producerId: decided.producerId, userId: row.user_id, linkedExistingProducer: false });
    expect(JSON.stringify(audit)).not.toContain('argon2');
  });

  it('signing in before approval says the request waits for the commune officer (only with its own password)', async () => {
    const r = await registered();
    const login = (password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: r.login, password }, remoteAddress: nextIp() });
    const p = expectProblem(await login(PASSWORD), 403, 'REGISTRATION_PENDING');
    expect(p.title).toBe('Tài khoản đang chờ cán bộ xã/phường duyệt');
    // Someone else guessing the login learns nothing.
    expectProblem(await login('sai-mat-khau-123'), 401, 'INVALID_CREDENTIALS');
    expect((await reject(chuOfficer, r.id, 'Thiếu giấy đăng ký kinh doanh')).statusCode).toBe(200);
    expectProblem(await login(PASSWORD), 401, 'INVALID_CREDENTIALS');
  });

  it('a wrong password does not sign the new producer in', async () => {
    const r = await registered();
    expect((await approve(province, r.id)).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: r.login, password: 'sai-mat-khau-123' } });
    expectProblem(res, 401, 'INVALID_CREDENTIALS');
  });

  it('a registration number already in the registry links the account to that producer (no second producer)', async () => {
    const existing = await makeProducer(t, { unitId: chu });
    const r = await registered({ registrationNumber: existing.registrationNumber, legalName: 'Tên khác do người đăng ký gõ' });
    expect(await listed(chuOfficer, r.id)).toMatchObject({ existingProducer: { id: existing.id, legalName: existing.legalName } });
    const res = await approve(chuOfficer, r.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', producerId: existing.id, existingProducer: null });
    expect(await scalar(t, 'select count(*) from producers where registration_number = $1', [existing.registrationNumber])).toBe(1);
    const s = await loginWith(t, r.login, PASSWORD);
    expect((await call(t, s, 'GET', '/api/auth/me')).json().producerId).toBe(existing.id);
    // The registry record is not overwritten by what the applicant typed.
    expect((await call(t, province, 'GET', `/api/producers/${existing.id}`)).json().legalName).toBe(existing.legalName);
  });

  it('a commune officer cannot bind an account to a producer of another commune; a provincial officer can', async () => {
    const elsewhere = await makeProducer(t, { unitId: kienLao });
    const r = await registered({ registrationNumber: elsewhere.registrationNumber });
    expectProblem(await approve(chuOfficer, r.id), 403, 'FORBIDDEN');
    expect(await scalar(t, 'select count(*) from users where lower(login) = lower($1)', [r.login])).toBe(0);
    expect((await listed(province, r.id))!.status).toBe('pending');
    const res = await approve(province, r.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().producerId).toBe(elsewhere.id);
  });

  it('reject needs a reason; the reason is kept; no producer or account is created', async () => {
    const r = await registered();
    expect(expectProblem(await reject(chuOfficer, r.id, '   '), 400, 'VALIDATION').errors).toEqual([{ path: 'body.reason', message: 'Cần nêu lý do từ chối' }]);
    expectProblem(await call(t, chuOfficer, 'POST', `/api/registrations/${r.id}/reject`, {}), 400, 'VALIDATION');
    const res = await reject(chuOfficer, r.id, 'Mã số thuế không khớp với giấy đăng ký kinh doanh');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', decisionNote: 'Mã số thuế không khớp với giấy đăng ký kinh doanh', producerId: null });
    expect(await listed(province, r.id, 'rejected')).toMatchObject({ status: 'rejected' });
    expect(await scalar(t, 'select count(*) from producers where registration_number = $1', [r.registrationNumber])).toBe(0);
    expect(await scalar(t, 'select count(*) from users where lower(login) = lower($1)', [r.login])).toBe(0);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: r.login, password: PASSWORD } });
    expectProblem(login, 401, 'INVALID_CREDENTIALS');
  });

  it('a request decided once cannot be decided again → 409 REGISTRATION_STATE', async () => {
    const a = await registered();
    expect((await approve(chuOfficer, a.id)).statusCode).toBe(200);
    expect(expectProblem(await approve(chuOfficer, a.id), 409, 'REGISTRATION_STATE').title).toBe('Yêu cầu đăng ký đã được xử lý');
    expectProblem(await reject(province, a.id, 'Đổi ý'), 409, 'REGISTRATION_STATE');
    expect(await scalar(t, 'select count(*) from users where lower(login) = lower($1)', [a.login])).toBe(1);
    const b = await registered();
    expect((await reject(chuOfficer, b.id, 'Không đủ điều kiện')).statusCode).toBe(200);
    expectProblem(await approve(province, b.id), 409, 'REGISTRATION_STATE');
    expectProblem(await reject(chuOfficer, b.id, 'Lần hai'), 409, 'REGISTRATION_STATE');
  });

  it('two approvals at once: one wins, the other gets 409; one account, one producer', async () => {
    const r = await registered();
    const [x, y] = await Promise.all([approve(province, r.id), approve(chuOfficer, r.id)]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    expect(await scalar(t, 'select count(*) from users where lower(login) = lower($1)', [r.login])).toBe(1);
    expect(await scalar(t, 'select count(*) from producers where registration_number = $1', [r.registrationNumber])).toBe(1);
  });

  it('an account created meanwhile with the same login → approval refused with 409 DUPLICATE_LOGIN, nothing half-written', async () => {
    const r = await registered();
    await t.dbh.query(`insert into users (login, full_name, password_hash, role) values ($1, 'Trùng', 'x', 'viewer')`, [r.login.toUpperCase()]);
    expectProblem(await approve(province, r.id), 409, 'DUPLICATE_LOGIN');
    expect((await listed(province, r.id))!.status).toBe('pending');
    expect(await scalar(t, 'select count(*) from producers where registration_number = $1', [r.registrationNumber])).toBe(0);
  });

  it('producers, council members and viewers are refused (403); anonymous → 401; unknown request → 404', async () => {
    const r = await registered();
    const producer = await makeProducer(t);
    for (const s of [await signIn(t, 'producer', { producerId: producer.id }), await signIn(t, 'council_member'), await signIn(t, 'viewer')]) {
      expectProblem(await call(t, s, 'GET', '/api/registrations'), 403, 'FORBIDDEN');
      expectProblem(await approve(s, r.id), 403, 'FORBIDDEN');
      expectProblem(await reject(s, r.id, 'Không'), 403, 'FORBIDDEN');
    }
    expectProblem(await call(t, null, 'GET', '/api/registrations'), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, null, 'POST', `/api/registrations/${r.id}/approve`, {}), 401, 'UNAUTHENTICATED');
    expectProblem(await approve(province, '00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    expectProblem(await approve(province, 'not-a-uuid'), 400, 'VALIDATION');
    expect((await listed(province, r.id))!.status).toBe('pending');
  });

  it('a commune officer lists only requests of their communes; province-wide officers list all; status filter works', async () => {
    const here = await registered();
    const there = await registered({ unitId: kienLao });
    const chuList = (await call(t, chuOfficer, 'GET', '/api/registrations')).json().map((x: Reg) => x.id);
    expect(chuList).toContain(here.id);
    expect(chuList).not.toContain(there.id);
    const all = (await call(t, province, 'GET', '/api/registrations?status=pending')).json();
    expect(all.map((x: Reg) => x.id)).toEqual(expect.arrayContaining([here.id, there.id]));
    expect(all.every((x: Reg) => x.status === 'pending')).toBe(true);
    expectProblem(await call(t, province, 'GET', '/api/registrations?status=unknown'), 400, 'VALIDATION');
  });

  it('writes with a session need the CSRF token', async () => {
    const r = await registered();
    const res = await t.app.inject({ method: 'POST', url: `/api/registrations/${r.id}/approve`, payload: {}, headers: { cookie: province.cookie } });
    expectProblem(res, 403, 'CSRF');
  });
});
