import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { loginThrottle, sessions, userUnits, users } from './tables.js';

export async function findUserByLogin(db: Db, login: string) {
  return (await db.select().from(users).where(sql`lower(${users.login}) = lower(${login})`).limit(1))[0];
}
export async function findUserById(db: Db, id: string) {
  return (await db.select().from(users).where(eq(users.id, id)).limit(1))[0];
}
export const findUsers = (db: Db) => db.select().from(users).orderBy(asc(users.login));
export async function findUnitIdsOfUser(db: Db, userId: string) {
  return (await db.select({ unitId: userUnits.unitId }).from(userUnits).where(eq(userUnits.userId, userId))).map((r) => r.unitId);
}
export async function findAllUserUnits(db: Db) {
  return db.select().from(userUnits);
}
export async function insertUser(db: Db, v: typeof users.$inferInsert) {
  return (await db.insert(users).values(v).returning())[0];
}
export async function updateUser(db: Db, id: string, v: Partial<typeof users.$inferInsert>) {
  return (await db.update(users).set({ ...v, updatedAt: new Date(), version: sql`${users.version} + 1` }).where(eq(users.id, id)).returning())[0];
}
export async function replaceUserUnits(db: Db, userId: string, unitIds: number[]) {
  await db.delete(userUnits).where(eq(userUnits.userId, userId));
  if (unitIds.length) await db.insert(userUnits).values(unitIds.map((unitId) => ({ userId, unitId })));
}

export async function insertSession(db: Db, v: typeof sessions.$inferInsert) {
  await db.insert(sessions).values(v);
}
/** Session and its user in one query: this runs on every authenticated request. */
export async function findLiveSession(db: Db, id: string) {
  const rows = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, new Date()), gt(sessions.absoluteExpiresAt, new Date()), eq(users.isActive, true)))
    .limit(1);
  return rows[0];
}
/** Slides the idle expiry, never past the session's absolute end. */
export async function touchSession(db: Db, id: string, expiresAt: Date) {
  await db
    .update(sessions)
    .set({ lastSeenAt: new Date(), expiresAt: sql`least(${expiresAt}::timestamptz, ${sessions.absoluteExpiresAt})` })
    .where(eq(sessions.id, id));
}
export async function deleteSession(db: Db, id: string) {
  await db.delete(sessions).where(eq(sessions.id, id));
}
export async function deleteSessionsOfUser(db: Db, userId: string, exceptId?: string) {
  await db
    .delete(sessions)
    .where(exceptId ? and(eq(sessions.userId, userId), sql`${sessions.id} <> ${exceptId}`) : eq(sessions.userId, userId));
}
export async function countUsers(db: Db) {
  const r = await db.execute(sql`select count(*)::int as n from users`);
  return Number(rowsOf<{ n: number }>(r)[0].n);
}

/** The lockout of a login name, if one is running. */
export async function findLoginLock(db: Db, loginKey: string) {
  const r = (await db.select({ lockedUntil: loginThrottle.lockedUntil }).from(loginThrottle).where(eq(loginThrottle.loginKey, loginKey)).limit(1))[0];
  return r?.lockedUntil && r.lockedUntil > new Date() ? r.lockedUntil : null;
}

/**
 * Counts one failed sign-in of a login name in a window of `windowMs`; at `max` failures the name is locked for
 * `lockMs` (and the count starts again). One upsert, so concurrent processes count every failure. Returns the new
 * lock's end when this failure locked the name.
 */
export async function recordLoginFailure(db: Db, loginKey: string, max: number, windowMs: number, lockMs: number): Promise<Date | null> {
  const rows = rowsOf<{ failures: number }>(
    await db.execute(sql`
      insert into login_throttle as t (login_key, failures, window_start) values (${loginKey}, 1, now())
      on conflict (login_key) do update set
        failures = case when t.window_start <= now() - ${windowMs}::int * interval '1 millisecond' then 1 else t.failures + 1 end,
        window_start = case when t.window_start <= now() - ${windowMs}::int * interval '1 millisecond' then now() else t.window_start end
      returning failures`),
  );
  if (Number(rows[0].failures) < max) return null;
  const locked = rowsOf<{ locked_until: string | Date }>(
    await db.execute(sql`update login_throttle set failures = 0, window_start = now(), locked_until = now() + ${lockMs}::int * interval '1 millisecond'
      where login_key = ${loginKey} returning locked_until`),
  );
  return new Date(locked[0].locked_until);
}

export async function clearLoginFailures(db: Db, loginKey: string) {
  await db.delete(loginThrottle).where(eq(loginThrottle.loginKey, loginKey));
}

export async function hasActiveAdmin(db: Db) {
  const r = await db.execute(sql`select exists (select 1 from users where role = 'admin' and is_active) as yes`);
  return Boolean(rowsOf<{ yes: boolean }>(r)[0].yes);
}
