import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp, call, loginWith, makeProducer, signIn, TEST_PASSWORD, unique, unitId, type Session, type TestApp,
} from '../../../../test/helpers/app.js';
import { expectProblem, scalar } from '../../../../test/helpers/http.js';

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  t = await buildTestApp();
  admin = await signIn(t, 'admin');
});
afterAll(async () => { await t?.close(); });

const login = (l: string, password: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: l, password }, headers });

describe('auth: login, session cookie, me, logout', () => {
  it('signs in with the right password: httpOnly SameSite=Lax cookie, the actor and a CSRF token', async () => {
    const s = await signIn(t, 'viewer');
    const res = await login(s.login, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'ocop_sid')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    expect(c.path).toBe('/');
    expect(c.value.length).toBeGreaterThanOrEqual(40);
    const body = res.json();
    expect(body).toEqual({
      id: s.userId, login: s.login, fullName: `Người dùng ${s.login}`, role: 'viewer', producerId: null, unitIds: [], locale: 'vi',
      csrfToken: expect.any(String), mustChangePassword: false, mustEnrolTotp: false, totpEnabled: false, operations: expect.any(Array),
    });
    // The token itself is never stored: the sessions table holds its hash.
    expect(await scalar(t, 'select count(*) from sessions where id = $1', [c.value])).toBe(0);
    expect(await scalar(t, 'select count(*) from sessions where user_id = $1', [s.userId])).toBe(2);
  });

  it('login is case-insensitive on the login name', async () => {
    const s = await signIn(t, 'viewer');
    expect((await login(s.login.toUpperCase(), TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('a wrong password → 401 problem+json with a Vietnamese title and no cookie', async () => {
    const s = await signIn(t, 'viewer');
    const res = await login(s.login, 'sai-mat-khau-123');
    const p = expectProblem(res, 401, 'INVALID_CREDENTIALS');
    expect(p.title).toBe('Tên đăng nhập hoặc mật khẩu không đúng');
    expect(res.cookies.find((c) => c.name === 'ocop_sid')).toBeUndefined();
  });

  it('an unknown login answers exactly like a wrong password', async () => {
    const res = await login(unique('nobody'), 'whatever-123');
    const p = expectProblem(res, 401, 'INVALID_CREDENTIALS');
    expect(p.title).toBe('Tên đăng nhập hoặc mật khẩu không đúng');
  });

  it('an English Accept-Language gets the English title', async () => {
    const res = await login(unique('nobody'), 'whatever-123', { 'accept-language': 'en-GB,en;q=0.9' });
    expect(expectProblem(res, 401).title).toBe('Wrong login or password');
  });

  it('an empty body → 400 problem+json naming the fields', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: {} });
    const p = expectProblem(res, 400, 'VALIDATION');
    expect(p.errors!.map((e) => e.path).sort()).toEqual(['body.login', 'body.password']);
  });

  it('GET /api/auth/me returns the actor and the same CSRF token; anonymous → 401', async () => {
    const s = await signIn(t, 'province_officer');
    const me = await call(t, s, 'GET', '/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: s.userId, login: s.login, role: 'province_officer', csrfToken: s.csrf });
    const anon = await call(t, null, 'GET', '/api/auth/me');
    expect(expectProblem(anon, 401, 'UNAUTHENTICATED').title).toBe('Bạn cần đăng nhập');
    const bogus = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'ocop_sid=not-a-session' } });
    expectProblem(bogus, 401, 'UNAUTHENTICATED');
  });

  it('me lists the operations the role may call, from the access table: a producer is offered no user management, no criteria, no rounds', async () => {
    const p = await makeProducer(t);
    const producer = (await call(t, await signIn(t, 'producer', { producerId: p.id }), 'GET', '/api/auth/me')).json();
    expect(producer.operations).toEqual(expect.arrayContaining(['POST /api/products', 'POST /api/dossiers', 'GET /api/auth/me']));
    for (const op of ['GET /api/users', 'POST /api/criteria/sets', 'POST /api/rounds', 'POST /api/import/registry', 'GET /api/registrations', 'GET /api/products/export.xlsx']) {
      expect(producer.operations, op).not.toContain(op);
    }
    const viewer = (await call(t, await signIn(t, 'viewer'), 'GET', '/api/auth/me')).json();
    expect(viewer.operations).toContain('GET /api/products/export.xlsx');
    expect(viewer.operations.filter((op: string) => !op.startsWith('GET ') && !op.startsWith('POST /api/auth/') && !op.startsWith('POST /api/notifications') && !op.includes('/report/') && op !== 'POST /api/criteria/validate')).toEqual([]);
    const admin = (await call(t, await signIn(t, 'admin'), 'GET', '/api/auth/me')).json();
    expect(admin.operations).toEqual(expect.arrayContaining(['GET /api/users', 'POST /api/criteria/sets', 'POST /api/certificates/{id}/revoke']));
    // Public operations are not listed (they need no account).
    expect(admin.operations).not.toContain('POST /api/auth/login');
  });

  it('a commune officer’s me lists the assigned units', async () => {
    const s = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
    const me = await call(t, s, 'GET', '/api/auth/me');
    expect(me.json().unitIds).toEqual([await unitId(t, 'bn-p-chu')]);
  });

  it('logout deletes the session: the old cookie no longer works', async () => {
    const s = await signIn(t, 'viewer');
    const out = await call(t, s, 'POST', '/api/auth/logout');
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ ok: true });
    const cleared = out.cookies.find((c) => c.name === 'ocop_sid')!;
    expect(cleared.value).toBe('');
    expect(await scalar(t, 'select count(*) from sessions where user_id = $1', [s.userId])).toBe(0);
    expectProblem(await call(t, s, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
  });

  it('logout without a session is harmless', async () => {
    const res = await call(t, null, 'POST', '/api/auth/logout');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
  });

  it('an inactive account cannot sign in, and locking it ends its sessions at once', async () => {
    const s = await signIn(t, 'viewer');
    const admin = await signIn(t, 'admin');
    expect((await call(t, s, 'GET', '/api/auth/me')).statusCode).toBe(200);
    const u = (await call(t, admin, 'GET', `/api/users/${s.userId}`)).json();
    const res = await call(t, admin, 'PUT', `/api/users/${s.userId}`, {
      fullName: u.fullName, email: u.email, phone: u.phone, role: u.role, producerId: u.producerId, unitIds: u.unitIds, locale: u.locale, isActive: false, version: u.version,
    });
    expect(res.statusCode, res.body).toBe(200);
    expectProblem(await login(s.login, TEST_PASSWORD), 401, 'INVALID_CREDENTIALS');
    expectProblem(await call(t, s, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
  });
});

describe('auth: CSRF', () => {
  it('a cookie-authenticated POST without the x-csrf-token header → 403 CSRF', async () => {
    const s = await signIn(t, 'viewer');
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie } });
    const p = expectProblem(res, 403, 'CSRF');
    expect(p.title).toContain('CSRF');
    // The session survived: the forged logout did nothing.
    expect((await call(t, s, 'GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('a wrong x-csrf-token → 403 CSRF, and nothing is written', async () => {
    const s = await signIn(t, 'admin');
    const newLogin = unique('csrf').toLowerCase();
    const res = await t.app.inject({
      method: 'POST', url: '/api/users', headers: { cookie: s.cookie, 'x-csrf-token': `${s.csrf}x` },
      payload: { login: newLogin, password: 'mot-mat-khau-dai', fullName: 'Không được tạo', role: 'viewer' },
    });
    expectProblem(res, 403, 'CSRF');
    expect(await scalar(t, 'select count(*) from users where login = $1', [newLogin])).toBe(0);
  });

  it('the CSRF token of another session is refused', async () => {
    const a = await signIn(t, 'viewer');
    const b = await signIn(t, 'viewer');
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: a.cookie, 'x-csrf-token': b.csrf } });
    expectProblem(res, 403, 'CSRF');
  });

  it('GET needs no CSRF token', async () => {
    const s = await signIn(t, 'viewer');
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(200);
  });
});

describe('auth: login lockout', () => {
  it('the 10th failure for one login within the window locks it → 429 ACCOUNT_LOCKED, even with the right password', async () => {
    const s = await signIn(t, 'viewer'); // a success: nothing counted
    for (let i = 1; i <= 9; i++) expect((await login(s.login, 'sai-mat-khau-123')).statusCode).toBe(401);
    expectProblem(await login(s.login, 'sai-mat-khau-123'), 429, 'ACCOUNT_LOCKED');
    const res = await login(s.login, TEST_PASSWORD);
    const p = expectProblem(res, 429, 'ACCOUNT_LOCKED');
    expect(p.title).toBe('Tài khoản tạm khoá do đăng nhập sai nhiều lần, vui lòng thử lại sau');
    // Other logins are not affected.
    const other = await signIn(t, 'viewer');
    expect(other.login).not.toBe(s.login);
  });
});

describe('auth: change own password', () => {
  it('a wrong current password → 403 WRONG_PASSWORD and the password stays', async () => {
    const s = await signIn(t, 'viewer');
    const res = await call(t, s, 'POST', '/api/auth/password', { currentPassword: 'khong-dung-123', newPassword: 'mat-khau-moi-12345' });
    expect(expectProblem(res, 403, 'WRONG_PASSWORD').title).toBe('Mật khẩu hiện tại không đúng');
    expect((await login(s.login, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('a too short new password → 400 with a Vietnamese message on newPassword', async () => {
    const s = await signIn(t, 'viewer');
    const p = expectProblem(await call(t, s, 'POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'ngan' }), 400, 'VALIDATION');
    expect(p.errors).toEqual([{ path: 'body.newPassword', message: 'Mật khẩu cần ít nhất 10 ký tự' }]);
  });

  it('the new password works, the old one does not, every old session ends, this browser continues under a new token', async () => {
    const s = await signIn(t, 'council_member');
    const other = await loginWith(t, s.login, TEST_PASSWORD);
    const res = await call(t, s, 'POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'mat-khau-moi-12345' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: s.userId, mustChangePassword: false, csrfToken: expect.any(String) });
    const rotated = res.cookies.find((c) => c.name === 'ocop_sid')!;
    expect(rotated.value).not.toBe(s.cookie.slice('ocop_sid='.length));
    expect((await call(t, { ...s, cookie: `ocop_sid=${rotated.value}`, csrf: res.json().csrfToken }, 'GET', '/api/auth/me')).statusCode).toBe(200);
    expectProblem(await call(t, s, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, other, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
    expectProblem(await login(s.login, TEST_PASSWORD), 401, 'INVALID_CREDENTIALS');
    expect((await login(s.login, 'mat-khau-moi-12345')).statusCode).toBe(200);
    const hist = await call(t, admin, 'GET', `/api/users/${s.userId}/history`);
    expect(hist.json()[0]).toMatchObject({ action: 'change_password', actor: s.login, after: { passwordChanged: true } });
    expect(JSON.stringify(hist.json())).not.toMatch(/argon2|passwordHash/);
  });

  it('anonymous → 401', async () => {
    expectProblem(await call(t, null, 'POST', '/api/auth/password', { currentPassword: 'x', newPassword: 'mat-khau-moi-12345' }), 401, 'UNAUTHENTICATED');
  });
});

describe('users: administration', () => {
  const newUser = (over: Record<string, unknown> = {}) => ({
    login: unique('nv').toLowerCase(), password: 'mat-khau-ban-dau-1', fullName: 'Nguyễn Văn Thử', email: 'thu@example.vn', phone: '0912 345 678', role: 'province_officer', ...over,
  });

  it('admin creates, reads, lists and updates an account; history has no password hash', async () => {
    const input = newUser();
    const created = await call(t, admin, 'POST', '/api/users', input);
    expect(created.statusCode).toBe(201);
    const u = created.json();
    expect(u).toEqual({
      id: expect.any(String), login: input.login, fullName: 'Nguyễn Văn Thử', email: 'thu@example.vn', phone: '0912 345 678', role: 'province_officer',
      producerId: null, unitIds: [], isActive: true, locale: 'vi', mustChangePassword: false, totpEnabled: false, lastLoginAt: null, version: 1,
    });
    expect(JSON.stringify(u)).not.toMatch(/passwordHash|argon2|"password"/);
    expect((await login(input.login, input.password)).statusCode).toBe(200);

    const read = await call(t, admin, 'GET', `/api/users/${u.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().lastLoginAt).not.toBeNull();
    const list = await call(t, admin, 'GET', '/api/users');
    expect(list.statusCode).toBe(200);
    expect(list.json().filter((x: { id: string }) => x.id === u.id)).toHaveLength(1);

    const chu = await unitId(t, 'bn-p-chu');
    const upd = await call(t, admin, 'PUT', `/api/users/${u.id}`, {
      fullName: 'Nguyễn Văn Thử', email: null, phone: null, role: 'commune_officer', unitIds: [chu], isActive: true, locale: 'vi', version: read.json().version,
    });
    expect(upd.statusCode).toBe(200);
    expect(upd.json()).toMatchObject({ role: 'commune_officer', unitIds: [chu], email: null, version: read.json().version + 1 });

    const hist = (await call(t, admin, 'GET', `/api/users/${u.id}/history`)).json();
    expect(hist.map((h: { action: string }) => h.action)).toEqual(['update', 'create']);
    expect(hist[0]).toMatchObject({ actor: admin.login, before: { role: 'province_officer', unitIds: [], email: 'thu@example.vn', phone: '0912 345 678' }, after: { role: 'commune_officer', unitIds: [chu], email: null, phone: null } });
    expect(Object.keys(hist[0].after).sort()).toEqual(['email', 'phone', 'role', 'unitIds']);
    expect(JSON.stringify(hist)).not.toMatch(/passwordHash|argon2/);
  });

  it('a changed role signs the user out everywhere', async () => {
    const s = await signIn(t, 'viewer');
    const u = (await call(t, admin, 'GET', `/api/users/${s.userId}`)).json();
    const upd = await call(t, admin, 'PUT', `/api/users/${s.userId}`, { fullName: u.fullName, role: 'council_member', isActive: true, version: u.version });
    expect(upd.statusCode).toBe(200);
    expectProblem(await call(t, s, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
  });

  it('locking an account signs it out and blocks login', async () => {
    const s = await signIn(t, 'viewer');
    const u = (await call(t, admin, 'GET', `/api/users/${s.userId}`)).json();
    expect((await call(t, admin, 'PUT', `/api/users/${s.userId}`, { fullName: u.fullName, role: 'viewer', isActive: false, version: u.version })).statusCode).toBe(200);
    expectProblem(await call(t, s, 'GET', '/api/auth/me'), 401);
    expectProblem(await login(s.login, TEST_PASSWORD), 401, 'INVALID_CREDENTIALS');
  });

  it('a stale version → 409 VERSION_CONFLICT', async () => {
    const u = (await call(t, admin, 'POST', '/api/users', newUser())).json();
    const body = { fullName: 'Tên mới', role: 'province_officer', isActive: true, version: u.version };
    expect((await call(t, admin, 'PUT', `/api/users/${u.id}`, body)).statusCode).toBe(200);
    expectProblem(await call(t, admin, 'PUT', `/api/users/${u.id}`, { ...body, fullName: 'Tên khác' }), 409, 'VERSION_CONFLICT');
  });

  it('an administrator cannot lock or demote themselves', async () => {
    const a = await signIn(t, 'admin');
    const me = (await call(t, a, 'GET', `/api/users/${a.userId}`)).json();
    const res = await call(t, a, 'PUT', `/api/users/${a.userId}`, { fullName: me.fullName, role: 'viewer', isActive: true, version: me.version });
    const p = expectProblem(res, 400, 'VALIDATION');
    expect(p.errors![0].path).toBe('role');
  });

  it('a duplicate login (any case) → 409 DUPLICATE_LOGIN', async () => {
    const input = newUser();
    expect((await call(t, admin, 'POST', '/api/users', input)).statusCode).toBe(201);
    const dup = await call(t, admin, 'POST', '/api/users', { ...input, login: input.login.toUpperCase() });
    expect(expectProblem(dup, 409, 'DUPLICATE_LOGIN').title).toBe('Tên đăng nhập đã tồn tại');
  });

  it('role bindings are validated: producer needs a producer, commune officer needs a commune', async () => {
    const p1 = expectProblem(await call(t, admin, 'POST', '/api/users', newUser({ role: 'producer' })), 400, 'VALIDATION');
    expect(p1.errors).toEqual([{ path: 'body.producerId', message: 'Tài khoản chủ thể phải gắn với một chủ thể' }]);
    const p2 = expectProblem(await call(t, admin, 'POST', '/api/users', newUser({ role: 'commune_officer' })), 400, 'VALIDATION');
    expect(p2.errors).toEqual([{ path: 'body.unitIds', message: 'Cán bộ cấp xã cần ít nhất một xã phụ trách' }]);
    const p3 = expectProblem(await call(t, admin, 'POST', '/api/users', newUser({ login: 'có dấu' })), 400, 'VALIDATION');
    expect(p3.errors![0].path).toBe('body.login');
    const producer = await makeProducer(t);
    const ok = await call(t, admin, 'POST', '/api/users', newUser({ role: 'producer', producerId: producer.id }));
    expect(ok.statusCode).toBe(201);
    expect(ok.json().producerId).toBe(producer.id);
  });

  it('unknown or non-commune units and unknown producers are refused with 400 on the field, not a database error', async () => {
    const p1 = expectProblem(await call(t, admin, 'POST', '/api/users', newUser({ role: 'commune_officer', unitIds: [99999999] })), 400, 'VALIDATION');
    expect(p1.errors).toEqual([{ path: 'unitIds', message: 'Chọn xã, phường hoặc thị trấn đang có trong danh mục' }]);
    const district = await unitId(t, 'ln');
    const p2 = expectProblem(await call(t, admin, 'POST', '/api/users', newUser({ role: 'commune_officer', unitIds: [district] })), 400, 'VALIDATION');
    expect(p2.errors![0].path).toBe('unitIds');
    const input = newUser({ role: 'producer', producerId: '00000000-0000-4000-8000-000000000000' });
    const p3 = expectProblem(await call(t, admin, 'POST', '/api/users', input), 400, 'VALIDATION');
    expect(p3.errors).toEqual([{ path: 'producerId', message: 'Không có chủ thể này' }]);
    expect(await scalar(t, 'select count(*) from users where login = $1', [input.login])).toBe(0);
    const u = (await call(t, admin, 'POST', '/api/users', newUser())).json();
    const upd = await call(t, admin, 'PUT', `/api/users/${u.id}`, { fullName: 'X', role: 'commune_officer', unitIds: [99999999], isActive: true, version: u.version });
    expectProblem(upd, 400, 'VALIDATION');
  });

  it('admin resets a password: the user’s sessions end, the new password works and must be changed first', async () => {
    const s = await signIn(t, 'viewer');
    const res = await call(t, admin, 'POST', `/api/users/${s.userId}/password`, { newPassword: 'dat-lai-mat-khau-1' });
    expect(res.statusCode).toBe(200);
    expectProblem(await call(t, s, 'GET', '/api/auth/me'), 401);
    expectProblem(await login(s.login, TEST_PASSWORD), 401);
    const again = await login(s.login, 'dat-lai-mat-khau-1');
    expect(again.statusCode).toBe(200);
    expect(again.json().mustChangePassword).toBe(true);
  });

  it('unknown or malformed ids → 404 / 400', async () => {
    expectProblem(await call(t, admin, 'GET', '/api/users/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    expectProblem(await call(t, admin, 'GET', '/api/users/abc'), 400, 'VALIDATION');
    expectProblem(await call(t, admin, 'POST', '/api/users/00000000-0000-4000-8000-000000000000/password', { newPassword: 'dat-lai-mat-khau-1' }), 404, 'NOT_FOUND');
  });
});

describe('users: refused', () => {
  it.each(['province_officer', 'commune_officer', 'council_member', 'producer', 'viewer'] as const)('%s cannot list, read, create, update or reset accounts (403)', async (role) => {
    const producer = role === 'producer' ? await makeProducer(t) : undefined;
    const s = await signIn(t, role, { producerId: producer?.id });
    const victim = await signIn(t, 'viewer');
    expectProblem(await call(t, s, 'GET', '/api/users'), 403, 'FORBIDDEN');
    expectProblem(await call(t, s, 'GET', `/api/users/${victim.userId}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, s, 'GET', `/api/users/${victim.userId}/history`), 403, 'FORBIDDEN');
    const newLogin = unique('x').toLowerCase();
    expectProblem(await call(t, s, 'POST', '/api/users', { login: newLogin, password: 'mat-khau-ban-dau-1', fullName: 'X', role: 'admin' }), 403, 'FORBIDDEN');
    expect(await scalar(t, 'select count(*) from users where login = $1', [newLogin])).toBe(0);
    expectProblem(await call(t, s, 'PUT', `/api/users/${victim.userId}`, { fullName: 'X', role: 'admin', isActive: true, version: 1 }), 403, 'FORBIDDEN');
    expectProblem(await call(t, s, 'POST', `/api/users/${victim.userId}/password`, { newPassword: 'chiem-quyen-123' }), 403, 'FORBIDDEN');
    expect((await login(victim.login, TEST_PASSWORD)).statusCode).toBe(200);
    expect(await scalar(t, "select count(*) from users where id = $1 and role = 'viewer'", [victim.userId])).toBe(1);
  });

  it('anonymous → 401 on every account route', async () => {
    const id = admin.userId;
    for (const [m, u] of [['GET', '/api/users'], ['GET', `/api/users/${id}`], ['GET', `/api/users/${id}/history`], ['POST', '/api/users'], ['PUT', `/api/users/${id}`], ['POST', `/api/users/${id}/password`]] as const) {
      const body = m === 'GET' ? undefined : m === 'POST' && u === '/api/users'
        ? { login: unique('a').toLowerCase(), password: 'mat-khau-ban-dau-1', fullName: 'X', role: 'admin' }
        : u.endsWith('password') ? { newPassword: 'chiem-quyen-123' } : { fullName: 'X', role: 'admin', isActive: true, version: 1 };
      expectProblem(await call(t, null, m, u, body), 401, 'UNAUTHENTICATED');
    }
  });
});

describe('errors', () => {
  it('unknown route → 404 problem+json', async () => {
    const p = expectProblem(await call(t, null, 'GET', '/api/khong-co'), 404, 'ROUTE_NOT_FOUND');
    expect(p.title).toBe('Không tìm thấy địa chỉ này');
    expectProblem(await call(t, admin, 'POST', '/api/khong-co', {}), 404, 'ROUTE_NOT_FOUND');
    // A browser navigation to an unknown API address still gets problem+json, never the web app's page.
    expectProblem(await call(t, admin, 'GET', '/api/khong-co', undefined, { accept: 'text/html' }), 404, 'ROUTE_NOT_FOUND');
  });

  it('malformed JSON → 400 problem+json without a stack trace', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: '{"login": "a", ', headers: { 'content-type': 'application/json' } });
    const p = expectProblem(res, 400, 'BAD_REQUEST');
    expect(p.title).toBe('Yêu cầu không hợp lệ');
    const withSession = await call(t, admin, 'POST', '/api/users', '{not json', { 'content-type': 'application/json' });
    expectProblem(withSession, 400, 'BAD_REQUEST');
  });

  it('an unsupported content type → 415 problem+json', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: 'login=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectProblem(res, 415, 'UNSUPPORTED_FILE');
  });

  it('the OpenAPI document lists every module’s routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of ['/api/auth/login', '/api/users', '/api/geo/units', '/api/taxonomy', '/api/producers', '/api/products', '/api/products/export.xlsx', '/api/import/registry']) {
      expect(paths).toContain(p);
    }
  });

  it('health check answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, db: t.dbh.kind });
  });
});
