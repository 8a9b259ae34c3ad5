import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { generateSecret, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';
import type { Db } from '../../db/client.js';
import type { Actor, Role } from '../../lib/actor.js';
import { AppError, fromDbError, notFound } from '../../lib/errors.js';
import { recordAudit, type Writer } from '../audit/service.js';
import { findUnits } from '../geo/repository.js';
import { findUnitScope } from '../geo/service.js';
import { notify } from '../notifications/service.js';
import { findProducerRow } from '../producers/repository.js';
import { assertStrongPassword } from './password-policy.js';
import * as repo from './repository.js';
import { auditableUser, presentUser } from './presenter.js';
import type { CreateUser, UpdateUser } from './schema.js';

/** Session lifetimes (config SESSION_IDLE_HOURS / SESSION_MAX_DAYS) and whether admins must use TOTP (real deployment). */
export interface SessionSettings {
  idleMs: number;
  maxMs: number;
  adminTotpRequired: boolean;
}
export const sessionSettingsOf = (c: { sessionIdleMs: number; sessionMaxMs: number; realDeployment: boolean }): SessionSettings => ({
  idleMs: c.sessionIdleMs,
  maxMs: c.sessionMaxMs,
  adminTotpRequired: c.realDeployment,
});
const TOUCH_EVERY_MS = 60 * 1000;

/** Per login name, whatever the client address: 10 failures within 15 minutes lock the name for 15 minutes. */
export const LOGIN_MAX_FAILURES = 10;
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_LOCK_MS = 15 * 60 * 1000;

// argon2id with the library's defaults (19 MiB, t=2): OWASP's minimum recommendation.
export const hashPassword = (pw: string) => hash(pw);
let dummyHash: Promise<string> | undefined;

export const sessionIdOf = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
const loginKeyOf = (login: string) => login.trim().toLowerCase();
const timeOfDay = (d: Date) => d.toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit' });

function lockedError(until: Date) {
  return new AppError('ACCOUNT_LOCKED', {
    detail: `Đăng nhập sai quá ${LOGIN_MAX_FAILURES} lần trong ${LOGIN_FAILURE_WINDOW_MS / 60000} phút: tên đăng nhập này bị tạm khoá đến ${timeOfDay(until)}`,
    extra: { lockedUntil: until.toISOString() },
  });
}

/** Counts a failure; when it locks the name, the account holder (if the login exists) is told in the app. */
async function failLogin(db: Db, key: string, user: { id: string } | undefined, code: 'INVALID_CREDENTIALS' | 'TOTP_INVALID'): Promise<never> {
  const lockedUntil = await db.transaction(async (tx) => {
    const until = await repo.recordLoginFailure(tx, key, LOGIN_MAX_FAILURES, LOGIN_FAILURE_WINDOW_MS, LOGIN_LOCK_MS);
    if (until && user) {
      await notify(tx, [user.id], {
        kind: 'account_locked',
        title: 'Tài khoản của bạn bị tạm khoá do đăng nhập sai nhiều lần',
        body: `Có ${LOGIN_MAX_FAILURES} lần đăng nhập sai vào tài khoản của bạn trong ${LOGIN_FAILURE_WINDOW_MS / 60000} phút. Tài khoản bị tạm khoá đến ${timeOfDay(until)}. Nếu không phải bạn, hãy đổi mật khẩu sau khi đăng nhập.`,
        link: '/tai-khoan',
        entityType: 'user',
        entityId: user.id,
      });
    }
    return until;
  });
  if (lockedUntil) throw lockedError(lockedUntil);
  throw new AppError(code);
}

/** A TOTP code's time step when it is valid now (±1 step of 30 s) and newer than the last one accepted. */
function totpStep(secret: string, code: string, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const r = verifySync({ secret, token: code, epochTolerance: 30, ...(lastStep != null ? { afterTimeStep: lastStep } : {}) });
    return r.valid && 'timeStep' in r ? r.timeStep : null;
  } catch {
    return null;
  }
}

async function newSession(tx: Db, userId: string, settings: SessionSettings, meta: { ip?: string; userAgent?: string }) {
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  const now = Date.now();
  await repo.insertSession(tx, {
    id: sessionIdOf(token),
    userId,
    csrfToken,
    expiresAt: new Date(now + Math.min(settings.idleMs, settings.maxMs)),
    absoluteExpiresAt: new Date(now + settings.maxMs),
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { token, csrfToken };
}

/**
 * Signs in. Refused while the login name is locked (before the password is even checked); a wrong password, an
 * unknown login or a wrong TOTP code counts towards the lock. With TOTP enabled, a missing code answers TOTP_REQUIRED
 * (not a failure). The browser's previous session (`replacesSessionId`) ends: a new sign-in always gets a new token.
 */
export async function login(
  db: Db,
  input: { login: string; password: string; totpCode?: string | null },
  meta: { ip?: string; userAgent?: string; replacesSessionId?: string | null },
  settings: SessionSettings,
) {
  const key = loginKeyOf(input.login);
  const lockedUntil = await repo.findLoginLock(db, key);
  if (lockedUntil) throw lockedError(lockedUntil);
  const user = await repo.findUserByLogin(db, input.login);
  // Verify against a dummy hash for unknown logins so timing does not reveal which logins exist.
  dummyHash ??= hashPassword('not-a-real-password-0');
  const ok = await verify(user?.passwordHash ?? (await dummyHash), input.password).catch(() => false);
  if (!user || !ok || !user.isActive) return failLogin(db, key, user, 'INVALID_CREDENTIALS');
  let step: number | null = null;
  if (user.totpEnabledAt && user.totpSecret) {
    if (!input.totpCode) throw new AppError('TOTP_REQUIRED');
    step = totpStep(user.totpSecret, input.totpCode, user.totpLastStep);
    if (step == null) return failLogin(db, key, user, 'TOTP_INVALID');
  }
  return db.transaction(async (tx) => {
    if (meta.replacesSessionId) {
      sessionCache.delete(meta.replacesSessionId);
      await repo.deleteSession(tx, meta.replacesSessionId);
    }
    const s = await newSession(tx, user.id, settings, meta);
    await repo.clearLoginFailures(tx, key);
    await repo.updateUser(tx, user.id, { lastLoginAt: new Date(), ...(step != null ? { totpLastStep: step } : {}) });
    return s;
  });
}

/** What a session may do until the user acts: change the password first, or (admins, real deployment) enrol TOTP. */
export type SessionRestriction = 'change_password' | 'enrol_totp' | null;

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
  sessionId: string;
  restriction: SessionRestriction;
  totpEnabled: boolean;
}

/**
 * Resolved sessions are kept a few seconds per process: most requests then need no session query. Logout, password
 * and account changes evict them here at once; another app process (PostgreSQL mode) notices within SESSION_CACHE_MS.
 */
const SESSION_CACHE_MS = 5000;
const sessionCache = new Map<string, { at: number; value: ResolvedSession }>();
function forgetSessions(pred: (v: ResolvedSession, id: string) => boolean) {
  for (const [id, e] of sessionCache) if (pred(e.value, id)) sessionCache.delete(id);
}

/** Resolves the cookie token to an actor; slides the expiry at most once a minute. */
export async function resolveSession(db: Db, token: string, settings: SessionSettings): Promise<ResolvedSession | undefined> {
  const sessionId = sessionIdOf(token);
  const cached = sessionCache.get(sessionId);
  if (cached && Date.now() - cached.at < SESSION_CACHE_MS) return cached.value;
  const value = await loadSession(db, sessionId, settings);
  if (value) {
    if (sessionCache.size > 10000) sessionCache.clear();
    sessionCache.set(sessionId, { at: Date.now(), value });
  } else sessionCache.delete(sessionId);
  return value;
}

async function loadSession(db: Db, sessionId: string, settings: SessionSettings): Promise<ResolvedSession | undefined> {
  const found = await repo.findLiveSession(db, sessionId);
  if (!found) return undefined;
  const { session, user } = found;
  if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await repo.touchSession(db, sessionId, new Date(Date.now() + settings.idleMs));
  }
  const restriction: SessionRestriction = user.mustChangePassword
    ? 'change_password'
    : settings.adminTotpRequired && user.role === 'admin' && !user.totpEnabledAt
      ? 'enrol_totp'
      : null;
  return { sessionId, csrfToken: session.csrfToken, actor: await actorOfUser(db, user), restriction, totpEnabled: Boolean(user.totpEnabledAt) };
}

/** The actor a user acts as (role, producer binding, commune scope): for sessions, and for the demo seed's journeys. */
export async function actorOfUser(db: Db, user: { id: string; login: string; fullName: string; role: string; producerId: string | null; locale: string }): Promise<Actor> {
  const unitIds = user.role === 'commune_officer' ? await repo.findUnitIdsOfUser(db, user.id) : [];
  const scope = unitIds.length ? await findUnitScope(db, unitIds) : [];
  return {
    id: user.id,
    login: user.login,
    fullName: user.fullName,
    role: user.role as Role,
    producerId: user.producerId,
    unitIds,
    scopeUnitIds: new Set(scope),
    locale: user.locale as 'vi' | 'en',
  };
}

export async function logout(db: Db, sessionId: string) {
  sessionCache.delete(sessionId);
  await repo.deleteSession(db, sessionId);
}

/**
 * Changes the own password (strength rules apply; the same password again is refused). Every session of the user
 * ends, this one included, and a new session is returned: the token that was used with the old password is gone.
 */
export async function changeOwnPassword(
  db: Db, actor: Actor, current: string, next: string, meta: { ip?: string; userAgent?: string }, settings: SessionSettings,
) {
  const user = await repo.findUserById(db, actor.id);
  if (!user || !(await verify(user.passwordHash, current).catch(() => false))) throw new AppError('WRONG_PASSWORD');
  if (next === current) {
    throw new AppError('WEAK_PASSWORD', { detail: 'Mật khẩu mới phải khác mật khẩu hiện tại', errors: [{ path: 'newPassword', message: 'Mật khẩu mới phải khác mật khẩu hiện tại' }] });
  }
  assertStrongPassword(next, user, 'newPassword');
  const passwordHash = await hashPassword(next);
  return db.transaction(async (tx) => {
    await repo.updateUser(tx, user.id, { passwordHash, passwordChangedAt: new Date(), mustChangePassword: false });
    await repo.deleteSessionsOfUser(tx, user.id);
    forgetSessions((v) => v.actor.id === user.id);
    const s = await newSession(tx, user.id, settings, meta);
    await recordAudit(tx, actor, 'change_password', 'user', user.id, null, { passwordChanged: true, wasRequired: user.mustChangePassword });
    return s;
  });
}

/** Starts (or restarts) TOTP enrolment: a new secret, not active until confirmed with a code. */
export async function startTotpEnrolment(db: Db, actor: Actor) {
  const user = await repo.findUserById(db, actor.id);
  if (!user) throw notFound('Không tìm thấy tài khoản');
  if (user.totpEnabledAt) throw new AppError('TOTP_STATE', { detail: 'Xác thực hai bước đã được bật cho tài khoản này' });
  const secret = generateSecret();
  await db.transaction(async (tx) => {
    await repo.updateUser(tx, user.id, { totpSecret: secret, totpLastStep: null });
  });
  const otpauthUri = generateURI({ issuer: 'OCOP Hub', label: user.login, secret });
  const qrDataUrl = await QRCode.toDataURL(otpauthUri, { margin: 1, width: 220 });
  return { secret, otpauthUri, qrDataUrl };
}

/** Confirms enrolment with a code from the app: TOTP is on from now; other sessions of the user end. */
export async function confirmTotpEnrolment(db: Db, actor: Actor, sessionId: string, code: string) {
  const user = await repo.findUserById(db, actor.id);
  if (!user) throw notFound('Không tìm thấy tài khoản');
  if (user.totpEnabledAt || !user.totpSecret) throw new AppError('TOTP_STATE', { detail: 'Chưa bắt đầu đăng ký xác thực hai bước, hoặc đã bật rồi' });
  const step = totpStep(user.totpSecret, code, null);
  if (step == null) throw new AppError('TOTP_INVALID', { errors: [{ path: 'code', message: 'Mã xác thực không đúng hoặc đã hết hạn' }] });
  await db.transaction(async (tx) => {
    await repo.updateUser(tx, user.id, { totpEnabledAt: new Date(), totpLastStep: step });
    await repo.deleteSessionsOfUser(tx, user.id, sessionId);
    forgetSessions((v) => v.actor.id === user.id);
    await recordAudit(tx, actor, 'enable_totp', 'user', user.id, { totpEnabled: false }, { totpEnabled: true });
  });
}

/** Recovery: an administrator turns another user's TOTP off (lost phone); the user's sessions end and they are told. */
export async function resetTotp(db: Db, writer: Actor, id: string) {
  if (writer.id === id) throw new AppError('TOTP_STATE', { detail: 'Không thể tự gỡ xác thực hai bước của chính mình; hãy nhờ một quản trị viên khác' });
  await db.transaction(async (tx) => {
    const u = await repo.findUserById(tx, id);
    if (!u) throw notFound('Không tìm thấy tài khoản');
    if (!u.totpSecret && !u.totpEnabledAt) throw new AppError('TOTP_STATE', { detail: 'Tài khoản chưa bật xác thực hai bước' });
    await repo.updateUser(tx, id, { totpSecret: null, totpEnabledAt: null, totpLastStep: null });
    await repo.deleteSessionsOfUser(tx, id);
    forgetSessions((v) => v.actor.id === id);
    await recordAudit(tx, writer, 'reset_totp', 'user', id, { totpEnabled: Boolean(u.totpEnabledAt) }, { totpEnabled: false });
    await notify(tx, [id], {
      kind: 'totp_reset',
      title: 'Xác thực hai bước của bạn đã được gỡ',
      body: `Quản trị viên ${writer.fullName} đã gỡ xác thực hai bước của tài khoản. Hãy đăng ký lại trong trang Tài khoản.`,
      link: '/tai-khoan',
      entityType: 'user',
      entityId: id,
    });
  });
}

export async function listUsers(db: Db) {
  const [rows, links] = await Promise.all([repo.findUsers(db), repo.findAllUserUnits(db)]);
  return rows.map((u) => presentUser(u, links.filter((l) => l.userId === u.id).map((l) => l.unitId)));
}

export async function getUser(db: Db, id: string) {
  const u = await repo.findUserById(db, id);
  if (!u) throw notFound('Không tìm thấy tài khoản');
  return presentUser(u, await repo.findUnitIdsOfUser(db, id));
}

/** A commune officer's units must be commune-level units, a producer user's producer must exist (else the FK says "in use"). */
async function checkBindings(db: Db, input: { role: string; producerId: string | null; unitIds: number[] }) {
  if (input.role === 'commune_officer') {
    const found = await findUnits(db, { ids: input.unitIds, level: 3 });
    if (found.length !== new Set(input.unitIds).size) {
      throw new AppError('VALIDATION', { errors: [{ path: 'unitIds', message: 'Chọn xã, phường hoặc thị trấn đang có trong danh mục' }] });
    }
  }
  if (input.producerId && !(await findProducerRow(db, input.producerId))) {
    throw new AppError('VALIDATION', { errors: [{ path: 'producerId', message: 'Không có chủ thể này' }] });
  }
}

/**
 * `opts.publishedDemoPassword`: the demo seed's accounts keep the passwords README publishes (they break the strength
 * rules on purpose: anyone may read them). Nothing else skips the rules.
 */
export async function createUser(db: Db, writer: Writer, input: CreateUser, opts: { publishedDemoPassword?: boolean } = {}) {
  await checkBindings(db, input);
  if (!opts.publishedDemoPassword) assertStrongPassword(input.password, input);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const u = await repo.insertUser(tx, {
        login: input.login,
        fullName: input.fullName,
        email: input.email,
        phone: input.phone,
        passwordHash,
        role: input.role,
        producerId: input.producerId,
        locale: input.locale,
        mustChangePassword: input.mustChangePassword ?? false,
      });
      const unitIds = input.role === 'commune_officer' ? input.unitIds : [];
      await repo.replaceUserUnits(tx, u.id, unitIds);
      await recordAudit(tx, writer, 'create', 'user', u.id, null, auditableUser(u, unitIds));
      return presentUser(u, unitIds);
    });
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

export async function updateUser(db: Db, writer: Writer, id: string, input: UpdateUser) {
  await checkBindings(db, input);
  try {
    return await db.transaction(async (tx) => {
      const before = await repo.findUserById(tx, id);
      if (!before) throw notFound('Không tìm thấy tài khoản');
      if (before.version !== input.version) throw new AppError('VERSION_CONFLICT');
      if ('id' in writer && writer.id === id && (!input.isActive || input.role !== 'admin')) {
        throw new AppError('VALIDATION', { errors: [{ path: 'role', message: 'Không thể tự khoá hoặc tự bỏ quyền quản trị của chính mình' }] });
      }
      const beforeUnits = await repo.findUnitIdsOfUser(tx, id);
      const u = await repo.updateUser(tx, id, {
        fullName: input.fullName,
        email: input.email,
        phone: input.phone,
        role: input.role,
        producerId: input.producerId,
        isActive: input.isActive,
        locale: input.locale,
      });
      const unitIds = input.role === 'commune_officer' ? input.unitIds : [];
      await repo.replaceUserUnits(tx, id, unitIds);
      // A changed role or a locked account takes effect now, not at the next login.
      if (!input.isActive || input.role !== before.role) await repo.deleteSessionsOfUser(tx, id);
      // Name, units, producer or locale may have changed: the next request reloads the actor.
      forgetSessions((v) => v.actor.id === id);
      await recordAudit(tx, writer, 'update', 'user', id, auditableUser(before, beforeUnits), auditableUser(u, unitIds));
      return presentUser(u, unitIds);
    });
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

/** The administrator knows the new password: the user must choose their own at the next sign-in (unless told not to). */
export async function resetPassword(db: Db, writer: Writer, id: string, newPassword: string, mustChangePassword = true) {
  const target = await repo.findUserById(db, id);
  if (!target) throw notFound('Không tìm thấy tài khoản');
  assertStrongPassword(newPassword, target, 'newPassword');
  const passwordHash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    const u = await repo.findUserById(tx, id);
    if (!u) throw notFound('Không tìm thấy tài khoản');
    await repo.updateUser(tx, id, { passwordHash, passwordChangedAt: new Date(), mustChangePassword });
    await repo.deleteSessionsOfUser(tx, id);
    forgetSessions((v) => v.actor.id === id);
    await recordAudit(tx, writer, 'reset_password', 'user', id, null, { passwordReset: true });
  });
}

export const countUsers = repo.countUsers;

// Reads other modules use (they never query this module's tables themselves).
export const findUserById = repo.findUserById;
export const findUsers = repo.findUsers;

/** Is there an active administrator? (first start of a real deployment tells how to create one) */
export const hasActiveAdmin = repo.hasActiveAdmin;

/**
 * Recovery from the command line (scripts/create-admin.ts --reset): an existing account becomes an active
 * administrator with the given password, two-step verification off, every session ended.
 */
export async function restoreAdminAccess(db: Db, login: string, password: string) {
  const u = await repo.findUserByLogin(db, login);
  if (!u) throw notFound(`Không có tài khoản "${login}"`);
  if (u.role !== 'admin') throw new AppError('VALIDATION', { detail: `Tài khoản "${login}" không phải quản trị viên` });
  assertStrongPassword(password, u);
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    await repo.updateUser(tx, u.id, { passwordHash, passwordChangedAt: new Date(), mustChangePassword: false, isActive: true, totpSecret: null, totpEnabledAt: null, totpLastStep: null });
    await repo.deleteSessionsOfUser(tx, u.id);
    await repo.clearLoginFailures(tx, loginKeyOf(login));
    await recordAudit(tx, { system: 'create-admin' }, 'restore_admin', 'user', u.id, null, { passwordReset: true, totpEnabled: false, isActive: true });
  });
}
