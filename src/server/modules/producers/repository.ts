import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { escapeLike, searchTokens } from '../../../shared/text.js';
import { unitScopeSql } from '../geo/repository.js';
import { producers } from './tables.js';
import type { ProducerListQuery } from './schema.js';

const withUnit = {
  producer: producers,
  unitName: sql<string>`u.name`,
  unitType: sql<string>`u.type`,
  unitCode: sql<string | null>`u.code`,
  productCount: sql<number>`(select count(*)::int from products p where p.producer_id = ${producers.id})`,
};

export type ProducerWithUnit = Awaited<ReturnType<typeof findProducerById>> & object;

export async function findProducerById(db: Db, id: string) {
  const rows = await db
    .select(withUnit)
    .from(producers)
    .innerJoin(sql`admin_units u`, sql`u.id = ${producers.unitId}`)
    .where(eq(producers.id, id))
    .limit(1);
  return rows[0];
}

export async function findProducerRow(db: Db, id: string) {
  return (await db.select().from(producers).where(eq(producers.id, id)).limit(1))[0];
}

export async function findProducerByRegistration(db: Db, registrationNumber: string) {
  return (await db.select().from(producers).where(eq(producers.registrationNumber, registrationNumber)).limit(1))[0];
}

export async function findProducersByRegistration(db: Db, numbers: string[]) {
  if (!numbers.length) return [];
  return db.select().from(producers).where(inArray(producers.registrationNumber, numbers));
}

export function producerConditions(q: Partial<ProducerListQuery>, onlyId?: string): SQL | undefined {
  const conds: SQL[] = [];
  for (const t of searchTokens(q.q ?? '')) conds.push(sql`${producers}.search_text like ${`%${escapeLike(t)}%`}`);
  if (q.kind?.length) conds.push(inArray(producers.kind, q.kind));
  if (q.unitId) conds.push(sql`${producers.unitId} in ${unitScopeSql([q.unitId])}`);
  if (onlyId) conds.push(eq(producers.id, onlyId));
  return conds.length ? and(...conds) : undefined;
}

const COUNT_CAP = 10000;

/** Page of ids first (narrow, index-friendly), then the joined columns for those ids; total counted up to COUNT_CAP. */
export async function findProducers(db: Db, q: ProducerListQuery, onlyId?: string) {
  const where = producerConditions(q, onlyId);
  const d = q.dir === 'desc' ? sql`desc` : sql`asc`;
  const order =
    q.sort === 'updatedAt' ? sql`${producers.updatedAt} ${d}` :
    q.sort === 'registrationNumber' ? sql`${producers.registrationNumber} ${d}` :
    sql`${producers}.legal_name_norm ${d}`;
  const offset = (q.page - 1) * q.pageSize;
  let ids: string[];
  let n: number;
  if (searchTokens(q.q ?? '').length) {
    // Scan the matches once (trigram-filtered), then sort, page and count them in the same statement.
    const r = await db.execute(sql`with m as materialized (select ${producers.id} as id, ${producers}.legal_name_norm, ${producers.updatedAt} as updated_at,
        ${producers.registrationNumber} as registration_number from ${producers} where ${where})
      select id, (select count(*)::int from m) as n from m as ${producers} order by ${order}, id limit ${q.pageSize} offset ${offset}`);
    const rows = rowsOf<{ id: string; n: number }>(r);
    ids = rows.map((x) => x.id);
    n = rows.length ? Number(rows[0].n) : Number(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from (select 1 from ${producers} where ${where} limit ${COUNT_CAP + 1}) s`))[0].n);
  } else {
    const [page, total] = await Promise.all([
      db.select({ id: producers.id }).from(producers).where(where).orderBy(order, asc(producers.id)).limit(q.pageSize).offset(offset),
      db.execute(sql`select count(*)::int as n from (select 1 from ${producers} where ${where ?? sql`true`} limit ${COUNT_CAP + 1}) s`),
    ]);
    ids = page.map((r) => r.id);
    n = Number(rowsOf<{ n: number }>(total)[0].n);
  }
  const rows = ids.length
    ? await db.select(withUnit).from(producers).innerJoin(sql`admin_units u`, sql`u.id = ${producers.unitId}`).where(inArray(producers.id, ids))
    : [];
  const byId = new Map(rows.map((r) => [r.producer.id, r]));
  return { items: ids.map((id) => byId.get(id)!), total: Math.min(n, COUNT_CAP), totalCapped: n > COUNT_CAP };
}

export async function insertProducer(db: Db, v: typeof producers.$inferInsert) {
  return (await db.insert(producers).values(v).returning())[0];
}

export async function updateProducer(db: Db, id: string, v: Partial<typeof producers.$inferInsert>) {
  return (
    await db
      .update(producers)
      .set({ ...v, updatedAt: new Date(), version: sql`${producers.version} + 1` })
      .where(eq(producers.id, id))
      .returning()
  )[0];
}
