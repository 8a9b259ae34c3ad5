import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { chunked } from '../../db/chunks.js';
import type { Db } from '../../db/client.js';
import { findPageIds, inOrderOf } from '../../db/paging.js';
import { escapeLike, searchTokens } from '../../../shared/text.js';
import { unitScopeSql } from '../geo/repository.js';
import { growingAreas, packingHouses } from './tables.js';
import type { PlaceListQuery } from './schema.js';

type PlaceTable = typeof growingAreas | typeof packingHouses;

/** The unit and the owning producer's name, joined for presentation. */
const joins = (t: PlaceTable) => ({
  unitName: sql<string>`u.name`,
  unitType: sql<string>`u.type`,
  unitCode: sql<string | null>`u.code`,
  producerName: sql<string | null>`(select p.legal_name from producers p where p.id = ${t.ownerProducerId})`,
});

/** Filters shared by both lists; `onlyProducerId` confines a producer user to its own places. */
function placeConditions(t: PlaceTable, q: PlaceListQuery, onlyProducerId?: string): SQL | undefined {
  const conds: SQL[] = [];
  for (const tok of searchTokens(q.q ?? '')) {
    const like = `%${escapeLike(tok)}%`;
    conds.push(sql`(${t}.search_text like ${like} or exists (select 1 from producers p where p.id = ${t.ownerProducerId} and p.search_text like ${like}))`);
  }
  if (q.unitId) conds.push(sql`${t.unitId} in ${unitScopeSql([q.unitId])}`);
  if (q.producerId) conds.push(eq(t.ownerProducerId, q.producerId));
  if (onlyProducerId) conds.push(eq(t.ownerProducerId, onlyProducerId));
  if (q.market) conds.push(sql`${q.market}::text = any(${t.markets})`);
  return conds.length ? and(...conds) : undefined;
}

function orderOf(t: PlaceTable, q: PlaceListQuery): SQL {
  const d = q.dir === 'desc' ? sql`desc` : sql`asc`;
  return q.sort === 'updatedAt' ? sql`${t.updatedAt} ${d}` : sql`${t.code} ${d}`;
}

// Growing areas

export async function findGrowingAreaById(db: Db, id: string) {
  const rows = await db
    .select({ area: growingAreas, ...joins(growingAreas) })
    .from(growingAreas)
    .innerJoin(sql`admin_units u`, sql`u.id = ${growingAreas.unitId}`)
    .where(eq(growingAreas.id, id))
    .limit(1);
  return rows[0];
}
export type GrowingAreaJoined = NonNullable<Awaited<ReturnType<typeof findGrowingAreaById>>>;

export async function findGrowingAreaRow(db: Db, id: string) {
  return (await db.select().from(growingAreas).where(eq(growingAreas.id, id)).limit(1))[0];
}

export async function findGrowingAreas(db: Db, q: PlaceListQuery, onlyProducerId?: string) {
  const page = await findPageIds(db, {
    table: growingAreas,
    where: placeConditions(growingAreas, q, onlyProducerId),
    order: [orderOf(growingAreas, q)],
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const rows = page.ids.length
    ? await db
        .select({ area: growingAreas, ...joins(growingAreas) })
        .from(growingAreas)
        .innerJoin(sql`admin_units u`, sql`u.id = ${growingAreas.unitId}`)
        .where(inArray(growingAreas.id, page.ids))
    : [];
  return { items: inOrderOf(page.ids, rows, (r) => r.area.id), total: page.total, totalCapped: page.totalCapped };
}

/** Every growing area registered under the given units (maps): at most `limit`, by code. */
export async function findGrowingAreasInUnits(db: Db, unitIds: number[], limit: number, onlyProducerId?: string) {
  if (!unitIds.length) return [];
  const conds: SQL[] = [inArray(growingAreas.unitId, unitIds)];
  if (onlyProducerId) conds.push(eq(growingAreas.ownerProducerId, onlyProducerId));
  return db
    .select({ area: growingAreas, ...joins(growingAreas) })
    .from(growingAreas)
    .innerJoin(sql`admin_units u`, sql`u.id = ${growingAreas.unitId}`)
    .where(and(...conds))
    .orderBy(growingAreas.code)
    .limit(limit);
}

export async function insertGrowingArea(db: Db, v: typeof growingAreas.$inferInsert) {
  return (await db.insert(growingAreas).values(v).returning())[0];
}

export async function updateGrowingArea(db: Db, id: string, v: Partial<typeof growingAreas.$inferInsert>) {
  return (
    await db
      .update(growingAreas)
      .set({ ...v, updatedAt: new Date(), version: sql`${growingAreas.version} + 1` })
      .where(eq(growingAreas.id, id))
      .returning()
  )[0];
}

export async function deleteGrowingArea(db: Db, id: string) {
  return (await db.delete(growingAreas).where(eq(growingAreas.id, id)).returning({ id: growingAreas.id }))[0];
}

// Packing houses

export async function findPackingHouseById(db: Db, id: string) {
  const rows = await db
    .select({ house: packingHouses, ...joins(packingHouses) })
    .from(packingHouses)
    .innerJoin(sql`admin_units u`, sql`u.id = ${packingHouses.unitId}`)
    .where(eq(packingHouses.id, id))
    .limit(1);
  return rows[0];
}
export type PackingHouseJoined = NonNullable<Awaited<ReturnType<typeof findPackingHouseById>>>;

export async function findPackingHouseRow(db: Db, id: string) {
  return (await db.select().from(packingHouses).where(eq(packingHouses.id, id)).limit(1))[0];
}

export async function findPackingHouses(db: Db, q: PlaceListQuery, onlyProducerId?: string) {
  const page = await findPageIds(db, {
    table: packingHouses,
    where: placeConditions(packingHouses, q, onlyProducerId),
    order: [orderOf(packingHouses, q)],
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const rows = page.ids.length
    ? await db
        .select({ house: packingHouses, ...joins(packingHouses) })
        .from(packingHouses)
        .innerJoin(sql`admin_units u`, sql`u.id = ${packingHouses.unitId}`)
        .where(inArray(packingHouses.id, page.ids))
    : [];
  return { items: inOrderOf(page.ids, rows, (r) => r.house.id), total: page.total, totalCapped: page.totalCapped };
}

export async function insertPackingHouse(db: Db, v: typeof packingHouses.$inferInsert) {
  return (await db.insert(packingHouses).values(v).returning())[0];
}

export async function updatePackingHouse(db: Db, id: string, v: Partial<typeof packingHouses.$inferInsert>) {
  return (
    await db
      .update(packingHouses)
      .set({ ...v, updatedAt: new Date(), version: sql`${packingHouses.version} + 1` })
      .where(eq(packingHouses.id, id))
      .returning()
  )[0];
}

export async function deletePackingHouse(db: Db, id: string) {
  return (await db.delete(packingHouses).where(eq(packingHouses.id, id)).returning({ id: packingHouses.id }))[0];
}

// Bulk (Excel import)

/** Places of one kind by code, 1,000 codes a statement. */
export async function findPlacesByCodes<T extends PlaceTable>(db: Db, table: T, codes: string[]): Promise<T['$inferSelect'][]> {
  const out: T['$inferSelect'][] = [];
  for (const part of chunked(codes, 1000)) out.push(...((await db.select().from(table as PlaceTable).where(inArray(table.code, part))) as T['$inferSelect'][]));
  return out;
}

/**
 * Creates or updates many places keyed by code: one INSERT ... ON CONFLICT (code) per 500 rows. `version` is the
 * version the caller read (1 when new); a stored row is updated only while it still has it, so fewer rows come back
 * when someone else wrote in between.
 */
export async function upsertGrowingAreas(db: Db, rows: (typeof growingAreas.$inferInsert & { version: number })[]) {
  const out: (typeof growingAreas.$inferSelect)[] = [];
  const ex = (c: string) => sql.raw(`excluded.${c}`);
  for (const part of chunked(rows)) {
    out.push(...(await db.insert(growingAreas).values(part).onConflictDoUpdate({
      target: growingAreas.code,
      set: {
        crop: ex('crop'), areaHa: ex('area_ha'), households: ex('households'), ownerProducerId: ex('owner_producer_id'), ownerName: ex('owner_name'),
        unitId: ex('unit_id'), location: ex('location'), markets: ex('markets'), issuingAuthority: ex('issuing_authority'), issuedOn: ex('issued_on'),
        validTo: ex('valid_to'), version: sql`${growingAreas.version} + 1`, updatedAt: sql`now()`,
      },
      setWhere: sql`${growingAreas.version} = excluded.version`,
    }).returning()));
  }
  return out;
}

export async function upsertPackingHouses(db: Db, rows: (typeof packingHouses.$inferInsert & { version: number })[]) {
  const out: (typeof packingHouses.$inferSelect)[] = [];
  const ex = (c: string) => sql.raw(`excluded.${c}`);
  for (const part of chunked(rows)) {
    out.push(...(await db.insert(packingHouses).values(part).onConflictDoUpdate({
      target: packingHouses.code,
      set: {
        name: ex('name'), ownerProducerId: ex('owner_producer_id'), ownerName: ex('owner_name'), unitId: ex('unit_id'), markets: ex('markets'),
        issuingAuthority: ex('issuing_authority'), issuedOn: ex('issued_on'), validTo: ex('valid_to'),
        version: sql`${packingHouses.version} + 1`, updatedAt: sql`now()`,
      },
      setWhere: sql`${packingHouses.version} = excluded.version`,
    }).returning()));
  }
  return out;
}
