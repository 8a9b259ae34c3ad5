import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../../db/client.js';
import type { Actor, Role } from '../../lib/actor.js';
import { AppError, fromDbError, notFound } from '../../lib/errors.js';
import { recordAudit, type Writer } from '../audit/service.js';
import { findUnits } from '../geo/repository.js';
import { findUnitScope } from '../geo/service.js';
import { findProducerRow } from '../producers/repository.js';
import * as repo from './repository.js';
import { auditableUser, presentUser } from './presenter.js';
import type { CreateUser, UpdateUser } from './schema.js';

/** Idle lifetime of a session; every request within it extends it. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

// argon2id with the library's defaults (19 MiB, t=2): OWASP's minimum recommendation.
export const hashPassword = (pw: string) => hash(pw);
let dummyHash: Promise<string> | undefined;

export const sessionIdOf = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export async function login(db: Db, loginName: string, password: string, meta: { ip?: string; userAgent?: string }) {
  const user = await repo.findUserByLogin(db, loginName);
  // Verify against a dummy hash for unknown logins so timing does not reveal which logins exist.
  dummyHash ??= hashPassword('not-a-real-password-0');
  const ok = await verify(user?.passwordHash ?? (await dummyHash), password).catch(() => false);
  if (!user || !ok || !user.isActive) throw new AppError('INVALID_CREDENTIALS');
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  await db.transaction(async (tx) => {
    await repo.insertSession(tx, {
      id: sessionIdOf(token),
      userId: user.id,
      csrfToken,
      expiresAt: new Date(Date.now() + SESSION_IDLE_MS),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    });
    await repo.updateUser(tx, user.id, { lastLoginAt: new Date() });
  });
  return { token, csrfToken };
}

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
  sessionId: string;
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
export async function resolveSession(db: Db, token: string): Promise<ResolvedSession | undefined> {
  const sessionId = sessionIdOf(token);
  const cached = sessionCache.get(sessionId);
  if (cached && Date.now() - cached.at < SESSION_CACHE_MS) return cached.value;
  const value = await loadSession(db, sessionId);
  if (value) {
    if (sessionCache.size > 10000) sessionCache.clear();
    sessionCache.set(sessionId, { at: Date.now(), value });
  } else sessionCache.delete(sessionId);
  return value;
}

async function loadSession(db: Db, sessionId: string): Promise<ResolvedSession | undefined> {
  const found = await repo.findLiveSession(db, sessionId);
  if (!found) return undefined;
  const { session, user } = found;
  if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await repo.touchSession(db, sessionId, new Date(Date.now() + SESSION_IDLE_MS));
  }
  return { sessionId, csrfToken: session.csrfToken, actor: await actorOfUser(db, user) };
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

export async function changeOwnPassword(db: Db, actor: Actor, sessionId: string, current: string, next: string) {
  const user = await repo.findUserById(db, actor.id);
  if (!user || !(await verify(user.passwordHash, current).catch(() => false))) throw new AppError('WRONG_PASSWORD');
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await repo.updateUser(tx, user.id, { passwordHash, passwordChangedAt: new Date() });
    // Other devices signed in with the old password are signed out.
    await repo.deleteSessionsOfUser(tx, user.id, sessionId);
    forgetSessions((v, id) => v.actor.id === user.id && id !== sessionId);
    await recordAudit(tx, actor, 'change_password', 'user', user.id, null, { passwordChanged: true });
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

export async function createUser(db: Db, writer: Writer, input: CreateUser) {
  await checkBindings(db, input);
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

export async function resetPassword(db: Db, writer: Writer, id: string, newPassword: string) {
  const passwordHash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    const u = await repo.findUserById(tx, id);
    if (!u) throw notFound('Không tìm thấy tài khoản');
    await repo.updateUser(tx, id, { passwordHash, passwordChangedAt: new Date() });
    await repo.deleteSessionsOfUser(tx, id);
    forgetSessions((v) => v.actor.id === id);
    await recordAudit(tx, writer, 'reset_password', 'user', id, null, { passwordReset: true });
  });
}

export const countUsers = repo.countUsers;

// Reads other modules use (they never query this module's tables themselves).
export const findUserById = repo.findUserById;
export const findUsers = repo.findUsers;
