import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generateSync } from 'otplib';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { openPglite, openPostgres, type DbHandle } from '../../db/client.js';
import { LocalDiskStorage } from '../files/storage.js';
import { createUser } from './service.js';
import { passwordProblem } from './password-policy.js';
import {
  buildTestApp, call, loginWith, signIn, TEST_PASSWORD, unique, type Session, type TestApp,
} from '../../../../test/helpers/app.js';
import { expectProblem, scalar } from '../../../../test/helpers/http.js';

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  t = await buildTestApp();
  admin = await signIn(t, 'admin');
});
afterAll(async () => { await t?.close(); });
afterEach(() => { vi.useRealTimers(); });

const SYSTEM = { system: 'test' };
const login = (app: FastifyInstance, l: string, password: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: l, password, ...extra }, headers });

/** A user made by the service (no sign-in), for tests that need its first login. */
async function makeUser(dbh: DbHandle, role: 'admin' | 'viewer' | 'province_officer' | 'producer', over: { mustChangePassword?: boolean } = {}) {
  const l = unique('s').toLowerCase();
  const u = await createUser(dbh.db, SYSTEM, {
    login: l, password: TEST_PASSWORD, role, fullName: `Người thử ${l}`, email: null, phone: null, locale: 'vi', unitIds: [], producerId: null, ...over,
  });
  return { id: u.id, login: l };
}

/** The app with other settings (https address, proxies, …) on its own database clone (or the shared PostgreSQL). */
async function buildAppWith(env: Record<string, string>) {
  const url = process.env.TEST_DATABASE_URL;
  const dbh = url ? await openPostgres(url, 2) : await openPglite(null, new Blob([fs.readFileSync(inject('pgliteTemplate'))]));
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-files-'));
  const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }), filesDir };
  const app = await buildApp({ config, dbh, storage: new LocalDiskStorage(filesDir), logger: false });
  await app.ready();
  return { app, dbh, config, close: async () => { await app.close(); await dbh.close(); fs.rmSync(filesDir, { recursive: true, force: true }); } };
}

describe('settings: demo data and first administrator', () => {
  it('a real deployment loads no demo unless SEED_DEMO=demo, and then its accounts must change their password', () => {
    expect(loadConfig({}).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemo).toBe(true);
    const real = loadConfig({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://ocop.example.vn' });
    expect(real.seedDemo).toBe(false);
    const forced = loadConfig({ PUBLIC_BASE_URL: 'https://ocop.example.vn', SEED_DEMO: 'demo' });
    expect([forced.seedDemo, forced.demoMustChangePassword]).toEqual([true, true]);
    expect(loadConfig({ SEED_DEMO: 'never' }).seedDemo).toBe(false);
    expect(loadConfig({}).demoMustChangePassword).toBe(false);
  });

  it('TRUST_PROXY: off by default; true, a hop count or a list of addresses; junk refused', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16' }).trustProxy).toEqual(['10.0.0.1', '192.168.0.0/16']);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });
});

describe('passwords: strength', () => {
  it('the rules, named in Vietnamese', () => {
    expect(passwordProblem('1111111111', { login: 'nguyenvana' })).toMatch(/quá dễ đoán/);
    expect(passwordProblem('password1234', { login: 'nguyenvana' })).toMatch(/quá dễ đoán/);
    expect(passwordProblem('ngan', {})).toMatch(/ít nhất 10 ký tự/);
    expect(passwordProblem('nguyenvana-rat-manh-2025', { login: 'nguyenvana' })).toMatch(/tên đăng nhập hoặc họ tên/);
    expect(passwordProblem('Hoàng-và-biển-xanh-77', { login: 'x1', fullName: 'Lê Thị Hoàng' })).toMatch(/tên đăng nhập hoặc họ tên/);
    expect(passwordProblem('vai-thieu-luc-ngan-chin-do', { login: 'nguyenvana', fullName: 'Nguyễn Văn A' })).toBeNull();
  });

  it('1111111111 is refused when an admin creates an account, a strong one accepted', async () => {
    const base = { login: unique('p').toLowerCase(), fullName: 'Trần Minh Thư', role: 'viewer' };
    const weak = expectProblem(await call(t, admin, 'POST', '/api/users', { ...base, password: '1111111111' }), 422, 'WEAK_PASSWORD');
    expect(weak.title).toBe('Mật khẩu chưa đủ mạnh');
    expect(weak.errors![0]).toMatchObject({ path: 'password', message: expect.stringMatching(/quá dễ đoán/) });
    expectProblem(await call(t, admin, 'POST', '/api/users', { ...base, password: `${base.login}-2025-abc` }), 422, 'WEAK_PASSWORD');
    expect((await call(t, admin, 'POST', '/api/users', { ...base, password: 'ga-gay-o-ben-song-cau' })).statusCode).toBe(201);
  });

  it('changing the own password and an admin reset follow the same rules', async () => {
    const s = await signIn(t, 'viewer');
    const p = expectProblem(await call(t, s, 'POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'qwertyuiop' }), 422, 'WEAK_PASSWORD');
    expect(p.errors![0].path).toBe('newPassword');
    expectProblem(await call(t, s, 'POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }), 422, 'WEAK_PASSWORD');
    expectProblem(await call(t, admin, 'POST', `/api/users/${s.userId}/password`, { newPassword: '1234567890' }), 422, 'WEAK_PASSWORD');
    expect((await call(t, admin, 'POST', `/api/users/${s.userId}/password`, { newPassword: 'ban-mai-tren-doi-che' })).statusCode).toBe(200);
  });
});

describe('login lockout per account, whatever the client address', () => {
  it('30 wrong passwords with rotating X-Forwarded-For, then the right one → locked; after the lock ends it works', async () => {
    const u = await makeUser(t.dbh, 'viewer');
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await login(t.app, u.login, `sai-mat-khau-${i}`, {}, { 'x-forwarded-for': `203.0.113.${i + 1}` });
      codes.push(res.json().code);
    }
    expect(codes.slice(0, 9).every((c) => c === 'INVALID_CREDENTIALS')).toBe(true);
    expect(codes.slice(9).every((c) => c === 'ACCOUNT_LOCKED')).toBe(true);
    const locked = expectProblem(await login(t.app, u.login, TEST_PASSWORD, {}, { 'x-forwarded-for': '198.51.100.7' }), 429, 'ACCOUNT_LOCKED');
    expect(locked.detail).toMatch(/tạm khoá đến \d\d:\d\d/);
    // The account holder is told once, in the app.
    expect(await scalar(t, "select count(*) from notifications where user_id = $1 and kind = 'account_locked'", [u.id])).toBe(1);
    // Without TRUST_PROXY the header is not the client: the session records the socket's address.
    await t.dbh.query("update login_throttle set locked_until = now() - interval '1 second' where login_key = $1", [u.login]);
    const ok = await login(t.app, u.login, TEST_PASSWORD, {}, { 'x-forwarded-for': '198.51.100.7' });
    expect(ok.statusCode).toBe(200);
    const [row] = await t.dbh.query<{ ip: string }>('select ip from sessions where user_id = $1', [u.id]);
    expect(row.ip).toBe('127.0.0.1');
    // A success clears the count.
    expect(await scalar(t, 'select count(*) from login_throttle where login_key = $1', [u.login])).toBe(0);
  });

  it('an unknown login is locked the same way (a lockout does not reveal which logins exist)', async () => {
    const ghost = unique('ghost').toLowerCase();
    for (let i = 0; i < 9; i++) expectProblem(await login(t.app, ghost, 'sai-mat-khau-x'), 401, 'INVALID_CREDENTIALS');
    expectProblem(await login(t.app, ghost, 'sai-mat-khau-x'), 429, 'ACCOUNT_LOCKED');
  });

  it('with TRUST_PROXY naming the proxy, X-Forwarded-For is the client address', async () => {
    const a = await buildAppWith({ TRUST_PROXY: '127.0.0.1' });
    try {
      const u = await makeUser(a.dbh, 'viewer');
      expect((await login(a.app, u.login, TEST_PASSWORD, {}, { 'x-forwarded-for': '198.51.100.9' })).statusCode).toBe(200);
      const [row] = await a.dbh.query<{ ip: string }>('select ip from sessions where user_id = $1', [u.id]);
      expect(row.ip).toBe('198.51.100.9');
    } finally {
      await a.close();
    }
  });
});

describe('sessions', () => {
  it('signing in again from the same browser replaces its session token', async () => {
    const s = await signIn(t, 'viewer');
    const res = await login(t.app, s.login, TEST_PASSWORD, {}, { cookie: s.cookie });
    expect(res.statusCode).toBe(200);
    const fresh = res.cookies.find((c) => c.name === 'ocop_sid')!.value;
    expect(`ocop_sid=${fresh}`).not.toBe(s.cookie);
    expectProblem(await call(t, s, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
    expect(await scalar(t, 'select count(*) from sessions where user_id = $1', [s.userId])).toBe(1);
  });

  it('a role change signs the user out', async () => {
    const s = await signIn(t, 'viewer');
    const u = (await call(t, admin, 'GET', `/api/users/${s.userId}`)).json();
    const put = await call(t, admin, 'PUT', `/api/users/${s.userId}`, { ...u, role: 'province_officer', unitIds: [] });
    expect(put.statusCode).toBe(200);
    expectProblem(await call(t, s, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
  });

  it('an active session still ends at its absolute lifetime (7 days by default)', async () => {
    const s = await signIn(t, 'viewer');
    // Keep the idle expiry out of the way: only the absolute end can stop this session.
    await t.dbh.query("update sessions set expires_at = now() + interval '30 days' where user_id = $1", [s.userId]);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6 * 86400_000);
    expect((await call(t, s, 'GET', '/api/auth/me')).statusCode).toBe(200);
    vi.setSystemTime(Date.now() + 1 * 86400_000 + 60_000);
    expectProblem(await call(t, s, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
  });

  it('on an https public address: cookie __Host-ocop_sid, Secure, Path=/, no Domain; CSRF still required and working', async () => {
    const a = await buildAppWith({ PUBLIC_BASE_URL: 'https://ocop.example.vn' });
    try {
      const u = await makeUser(a.dbh, 'viewer');
      const res = await login(a.app, u.login, TEST_PASSWORD);
      expect(res.statusCode).toBe(200);
      const c = res.cookies.find((x) => x.name === '__Host-ocop_sid')!;
      expect(c).toBeDefined();
      expect(res.cookies.find((x) => x.name === 'ocop_sid')).toBeUndefined();
      expect([c.secure, c.path, c.domain, c.httpOnly]).toEqual([true, '/', undefined, true]);
      const cookie = `__Host-ocop_sid=${c.value}`;
      expect((await a.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).json().login).toBe(u.login);
      // The old name is no longer read.
      expectProblem(await a.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `ocop_sid=${c.value}` } }), 401);
      expectProblem(await a.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } }), 403, 'CSRF');
      const out = await a.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-csrf-token': res.json().csrfToken } });
      expect(out.statusCode).toBe(200);
    } finally {
      await a.close();
    }
  });
});

describe('must change password', () => {
  it('the session may only read the own account, change the password or sign out until the password is changed', async () => {
    const u = await makeUser(t.dbh, 'province_officer', { mustChangePassword: true });
    const s = await loginWith(t, u.login, TEST_PASSWORD);
    const me = await call(t, s, 'GET', '/api/auth/me');
    expect(me.json()).toMatchObject({ mustChangePassword: true });
    const p = expectProblem(await call(t, s, 'GET', '/api/producers'), 403, 'PASSWORD_CHANGE_REQUIRED');
    expect(p.title).toBe('Bạn cần đổi mật khẩu trước khi tiếp tục');
    expectProblem(await call(t, s, 'GET', '/api/notifications'), 403, 'PASSWORD_CHANGE_REQUIRED');
    const changed = await call(t, s, 'POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'mua-vai-chin-tren-doi' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().mustChangePassword).toBe(false);
    const next = { ...s, cookie: `ocop_sid=${changed.cookies.find((c) => c.name === 'ocop_sid')!.value}`, csrf: changed.json().csrfToken };
    expect((await call(t, next, 'GET', '/api/producers')).statusCode).toBe(200);
  });
});

describe('two-step verification (TOTP)', () => {
  const codeAt = (secret: string, offsetS = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetS });

  it('enrol (QR + otpauth URI), confirm with a code; login then needs the code; a wrong or replayed code is refused', async () => {
    const s = await signIn(t, 'province_officer');
    const en = await call(t, s, 'POST', '/api/auth/totp/enrol');
    expect(en.statusCode).toBe(200);
    const { secret, otpauthUri, qrDataUrl } = en.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/OCOP%20Hub:/);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expectProblem(await call(t, s, 'POST', '/api/auth/totp/confirm', { code: '000000' === codeAt(secret) ? '111111' : '000000' }), 401, 'TOTP_INVALID');
    const ok = await call(t, s, 'POST', '/api/auth/totp/confirm', { code: codeAt(secret) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().totpEnabled).toBe(true);
    expectProblem(await call(t, s, 'POST', '/api/auth/totp/enrol'), 409, 'TOTP_STATE');

    expectProblem(await login(t.app, s.login, TEST_PASSWORD), 401, 'TOTP_REQUIRED');
    expectProblem(await login(t.app, s.login, TEST_PASSWORD, { totpCode: '12345' }), 401, 'TOTP_INVALID');
    // The confirmation's code cannot be used again; the next time step's code can.
    expectProblem(await login(t.app, s.login, TEST_PASSWORD, { totpCode: codeAt(secret) }), 401, 'TOTP_INVALID');
    const next = codeAt(secret, 30);
    expect((await login(t.app, s.login, TEST_PASSWORD, { totpCode: next })).statusCode).toBe(200);
    expectProblem(await login(t.app, s.login, TEST_PASSWORD, { totpCode: next }), 401, 'TOTP_INVALID');
    // A wrong password with a right code is still just a wrong password.
    expectProblem(await login(t.app, s.login, 'sai-mat-khau-1', { totpCode: codeAt(secret, 60) }), 401, 'INVALID_CREDENTIALS');

    // Recovery: an administrator removes it (the user is told); only administrators may.
    const other = await signIn(t, 'province_officer');
    expectProblem(await call(t, other, 'POST', `/api/users/${s.userId}/totp/reset`), 403, 'FORBIDDEN');
    expect((await call(t, admin, 'POST', `/api/users/${s.userId}/totp/reset`)).statusCode).toBe(200);
    expect((await login(t.app, s.login, TEST_PASSWORD)).statusCode).toBe(200);
    expect(await scalar(t, "select count(*) from notifications where user_id = $1 and kind = 'totp_reset'", [s.userId])).toBe(1);
    expectProblem(await call(t, admin, 'POST', `/api/users/${s.userId}/totp/reset`), 409, 'TOTP_STATE');
  });

  it('producers do not enrol', async () => {
    const u = await makeUser(t.dbh, 'viewer');
    const s = await loginWith(t, u.login, TEST_PASSWORD);
    expectProblem(await call(t, s, 'POST', '/api/auth/totp/enrol'), 403, 'FORBIDDEN');
  });

  it('on a real deployment an administrator must enrol before anything else', async () => {
    const a = await buildAppWith({ PUBLIC_BASE_URL: 'https://ocop.example.vn' });
    try {
      const u = await makeUser(a.dbh, 'admin');
      const res = await login(a.app, u.login, TEST_PASSWORD);
      expect(res.json()).toMatchObject({ mustEnrolTotp: true, totpEnabled: false });
      const cookie = `__Host-ocop_sid=${res.cookies.find((c) => c.name === '__Host-ocop_sid')!.value}`;
      const h = { cookie, 'x-csrf-token': res.json().csrfToken };
      expectProblem(await a.app.inject({ method: 'GET', url: '/api/users', headers: h }), 403, 'TOTP_ENROLMENT_REQUIRED');
      const { secret } = (await a.app.inject({ method: 'POST', url: '/api/auth/totp/enrol', headers: h })).json();
      const done = await a.app.inject({ method: 'POST', url: '/api/auth/totp/confirm', headers: h, payload: { code: codeAt(secret) } });
      expect(done.json()).toMatchObject({ mustEnrolTotp: false, totpEnabled: true });
      expect((await a.app.inject({ method: 'GET', url: '/api/users', headers: h })).statusCode).toBe(200);
    } finally {
      await a.close();
    }
  });
});
