import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { producerGs1Prefixes, type Gs1PrefixRow } from './tables.js';

export async function findPrefixesOfProducer(db: Db, producerId: string): Promise<Gs1PrefixRow[]> {
  return db.select().from(producerGs1Prefixes).where(eq(producerGs1Prefixes.producerId, producerId)).orderBy(asc(producerGs1Prefixes.prefix), asc(producerGs1Prefixes.createdAt));
}

export async function findPrefixRow(db: Db, id: string): Promise<Gs1PrefixRow | undefined> {
  return (await db.select().from(producerGs1Prefixes).where(eq(producerGs1Prefixes.id, id)).limit(1))[0];
}

/** Live claims (declared or verified) that overlap a prefix: one starts with the other. */
export async function findLiveOverlapping(db: Db, prefix: string): Promise<Gs1PrefixRow[]> {
  return db.select().from(producerGs1Prefixes).where(and(
    ne(producerGs1Prefixes.status, 'rejected'),
    sql`(${producerGs1Prefixes.prefix} = left(${prefix}, length(${producerGs1Prefixes.prefix})) or left(${producerGs1Prefixes.prefix}, ${prefix.length}) = ${prefix})`,
  ));
}

/** Live claims whose prefix starts the GTIN-13 view `g13` (at most a handful: prefixes do not overlap). */
export async function findLiveClaimsOfGtin(db: Db, g13: string): Promise<Gs1PrefixRow[]> {
  return db.select().from(producerGs1Prefixes).where(and(
    ne(producerGs1Prefixes.status, 'rejected'),
    sql`${producerGs1Prefixes.prefix} = left(${g13}, length(${producerGs1Prefixes.prefix}))`,
  ));
}

export async function insertPrefix(tx: Db, v: typeof producerGs1Prefixes.$inferInsert) {
  return (await tx.insert(producerGs1Prefixes).values(v).returning())[0];
}

export async function decidePrefix(tx: Db, id: string, status: 'verified' | 'rejected', by: string | null, note: string | null) {
  return (await tx.update(producerGs1Prefixes)
    .set({ status, verifiedBy: by, verifiedAt: new Date(), note, version: sql`${producerGs1Prefixes.version} + 1`, updatedAt: new Date() })
    .where(and(eq(producerGs1Prefixes.id, id), eq(producerGs1Prefixes.status, 'declared'))).returning())[0];
}

export async function deletePrefix(tx: Db, id: string) {
  await tx.delete(producerGs1Prefixes).where(eq(producerGs1Prefixes.id, id));
}
