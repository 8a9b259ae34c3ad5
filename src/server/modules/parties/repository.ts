import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { parties, type PartyRow } from './tables.js';

/** One party by id (the EPCIS module names source/destination parties by id). */
export async function findParty(db: Db, id: string): Promise<PartyRow | undefined> {
  return (await db.select().from(parties).where(eq(parties.id, id)).limit(1))[0];
}

/** Several parties by id, in no particular order (missing ids are simply absent). */
export async function findParties(db: Db, ids: string[]): Promise<PartyRow[]> {
  return ids.length ? db.select().from(parties).where(inArray(parties.id, [...new Set(ids)])) : [];
}

export async function listParties(db: Db, f: { producerId?: string; kind?: PartyRow['kind'] }, page: number, pageSize: number) {
  const c: SQL[] = [];
  if (f.producerId) c.push(eq(parties.producerId, f.producerId));
  if (f.kind) c.push(eq(parties.kind, f.kind));
  const where = c.length ? and(...c) : undefined;
  const items = await db.select().from(parties).where(where).orderBy(asc(parties.name), asc(parties.id)).limit(pageSize).offset((page - 1) * pageSize);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(parties).where(where);
  return { items, total: Number(n) };
}

export async function insertParty(tx: Db, v: typeof parties.$inferInsert) {
  return (await tx.insert(parties).values(v).returning())[0];
}

export async function updateParty(tx: Db, id: string, v: Partial<typeof parties.$inferInsert>) {
  return (await tx.update(parties).set({ ...v, updatedAt: new Date(), version: sql`${parties.version} + 1` }).where(eq(parties.id, id)).returning())[0];
}

export async function deleteParty(tx: Db, id: string) {
  await tx.delete(parties).where(eq(parties.id, id));
}
