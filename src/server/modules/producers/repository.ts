import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { chunked } from '../../db/chunks.js';
import { findPageIds, inOrderOf } from '../../db/paging.js';
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

export async function findProducerRows(db: Db, ids: string[]) {
  const out: (typeof producers.$inferSelect)[] = [];
  for (const part of chunked(ids, 1000)) out.push(...(await db.select().from(producers).where(inArray(producers.id, part))));
  return out;
}

export async function findProducerByRegistration(db: Db, registrationNumber: string) {
  return (await db.select().from(producers).where(eq(producers.registrationNumber, registrationNumber)).limit(1))[0];
}

export async function findProducersByRegistration(db: Db, numbers: string[]) {
  const out: (typeof producers.$inferSelect)[] = [];
  for (const part of chunked([...new Set(numbers)], 1000)) out.push(...(await db.select().from(producers).where(inArray(producers.registrationNumber, part))));
  return out;
}

export function producerConditions(q: Partial<ProducerListQuery>, onlyId?: string): SQL | undefined {
  const conds: SQL[] = [];
  for (const t of searchTokens(q.q ?? '')) conds.push(sql`${producers}.search_text like ${`%${escapeLike(t)}%`}`);
  if (q.kind?.length) conds.push(inArray(producers.kind, q.kind));
  if (q.unitId) conds.push(sql`${producers.unitId} in ${unitScopeSql([q.unitId])}`);
  if (onlyId) conds.push(eq(producers.id, onlyId));
  return conds.length ? and(...conds) : undefined;
}

export async function findProducers(db: Db, q: ProducerListQuery, onlyId?: string) {
  const d = q.dir === 'desc' ? sql`desc` : sql`asc`;
  const order =
    q.sort === 'updatedAt' ? sql`${producers.updatedAt} ${d}` :
    q.sort === 'registrationNumber' ? sql`${producers.registrationNumber} ${d}` :
    sql`${producers}.legal_name_norm ${d}`;
  const page = await findPageIds(db, {
    table: producers,
    where: producerConditions(q, onlyId),
    order: [order],
    searchColumns: searchTokens(q.q ?? '').length
      ? sql`${producers.id} as id, ${producers}.legal_name_norm, ${producers.updatedAt} as updated_at, ${producers.registrationNumber} as registration_number`
      : undefined,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const rows = page.ids.length
    ? await db.select(withUnit).from(producers).innerJoin(sql`admin_units u`, sql`u.id = ${producers.unitId}`).where(inArray(producers.id, page.ids))
    : [];
  return { items: inOrderOf(page.ids, rows, (r) => r.producer.id), total: page.total, totalCapped: page.totalCapped };
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

/**
 * Creates or updates many producers keyed by registration number (bulk import): one INSERT ... ON CONFLICT per 500
 * rows. `version` is the version the caller read (1 for a new producer): an existing row is updated only while it
 * still has that version, so a concurrent edit is not overwritten — the caller compares the rows returned.
 */
export async function upsertProducers(db: Db, rows: (typeof producers.$inferInsert & { version: number })[]) {
  const out: (typeof producers.$inferSelect)[] = [];
  const ex = (c: string) => sql.raw(`excluded.${c}`);
  for (const part of chunked(rows)) {
    out.push(...(await db.insert(producers).values(part).onConflictDoUpdate({
      target: producers.registrationNumber,
      set: {
        kind: ex('kind'), legalName: ex('legal_name'), shortName: ex('short_name'), unitId: ex('unit_id'), address: ex('address'),
        representative: ex('representative'), representativeTitle: ex('representative_title'), phone: ex('phone'), email: ex('email'),
        website: ex('website'), foundedYear: ex('founded_year'), memberCount: ex('member_count'), workerCount: ex('worker_count'),
        craftVillage: ex('craft_village'), craftVillageId: ex('craft_village_id'), notes: ex('notes'), isDemo: ex('is_demo'), sources: ex('sources'),
        version: sql`${producers.version} + 1`, updatedAt: sql`now()`,
      },
      setWhere: sql`${producers.version} = excluded.version`,
    }).returning()));
  }
  return out;
}
