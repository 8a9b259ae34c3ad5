import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { registrationRequests } from './tables.js';
import type { RegistrationListQuery } from './schema.js';

/** A request with its unit's name and, while pending, the producer that already carries its registration number. */
const joined = {
  request: registrationRequests,
  unitName: sql<string>`u.name`,
  existingId: sql<string | null>`ep.id`,
  existingLegalName: sql<string | null>`ep.legal_name`,
};
export type JoinedRegistration = Awaited<ReturnType<typeof findRegistrations>>[number];

function selectJoined(db: Db) {
  return db
    .select(joined)
    .from(registrationRequests)
    .innerJoin(sql`admin_units u`, sql`u.id = ${registrationRequests.unitId}`)
    .leftJoin(sql`producers ep`, sql`ep.registration_number = ${registrationRequests.registrationNumber} and ${registrationRequests.status} = 'pending'`);
}

/** `unitIds`: only requests of these units (commune officers); undefined: all. */
export async function findRegistrations(db: Db, q: RegistrationListQuery, unitIds?: number[]) {
  const conds: SQL[] = [];
  if (q.status) conds.push(eq(registrationRequests.status, q.status));
  if (unitIds) conds.push(inArray(registrationRequests.unitId, unitIds.length ? unitIds : [-1]));
  return selectJoined(db)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(registrationRequests.createdAt), desc(registrationRequests.id))
    .limit(1000);
}

export async function findRegistrationJoined(db: Db, id: string) {
  return (await selectJoined(db).where(eq(registrationRequests.id, id)).limit(1))[0];
}

/** The request row, locked until the end of the caller's transaction (one decision per request). */
export async function lockRegistration(db: Db, id: string) {
  return (await db.select().from(registrationRequests).where(eq(registrationRequests.id, id)).limit(1).for('update'))[0];
}

export async function insertRegistration(db: Db, v: typeof registrationRequests.$inferInsert) {
  return (await db.insert(registrationRequests).values(v).returning())[0];
}

/** Decides a pending request; undefined when it was no longer pending. */
export async function decideRegistration(db: Db, id: string, v: Partial<typeof registrationRequests.$inferInsert>) {
  return (
    await db
      .update(registrationRequests)
      .set(v)
      .where(and(eq(registrationRequests.id, id), eq(registrationRequests.status, 'pending')))
      .returning()
  )[0];
}

/** Is the login taken by an account or by a request still waiting for a decision (case-insensitive)? */
export async function isLoginTaken(db: Db, login: string) {
  const r = await db.execute(sql`select exists (select 1 from users where lower(login) = lower(${login}))
    or exists (select 1 from registration_requests where status = 'pending' and lower(login) = lower(${login})) as taken`);
  return Boolean(rowsOf<{ taken: boolean }>(r)[0].taken);
}

/** Commune-level units valid on the date, with the name of their parent (for the public form). */
export async function findCurrentCommunes(db: Db, asOf: string) {
  const r = await db.execute(sql`select u.id, u.name, p.name as parent_name from admin_units u left join admin_units p on p.id = u.parent_id
    where u.level = 3 and (u.valid_from is null or u.valid_from <= ${asOf}) and (u.valid_to is null or u.valid_to >= ${asOf})`);
  return rowsOf<{ id: number; name: string; parent_name: string | null }>(r).map((x) => ({ id: Number(x.id), name: x.name, parentName: x.parent_name }));
}

/** Is the login an account's already (case-insensitive)? */
export async function isLoginUsedByAccount(db: Db, login: string) {
  const r = await db.execute(sql`select exists (select 1 from users where lower(login) = lower(${login})) as taken`);
  return Boolean(rowsOf<{ taken: boolean }>(r)[0].taken);
}

/** Password hashes of the pending requests for a login (case-insensitive), for the sign-in screen's answer. */
export async function findPendingPasswordHashes(db: Db, login: string) {
  return db
    .select({ passwordHash: registrationRequests.passwordHash })
    .from(registrationRequests)
    .where(and(sql`lower(${registrationRequests.login}) = lower(${login})`, eq(registrationRequests.status, 'pending')))
    .limit(3);
}
