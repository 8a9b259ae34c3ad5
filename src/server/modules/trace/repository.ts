import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { chunked } from '../../db/chunks.js';
import { rowsOf, type Db } from '../../db/client.js';
import { findPageIds, inOrderOf } from '../../db/paging.js';
import { escapeLike, searchTokens } from '../../../shared/text.js';
import { unitScopeSql } from '../geo/repository.js';
import { growingAreas, packingHouses, placeLinks, type PlaceLinkRow, type VerificationStatus } from './tables.js';
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

// Verification and links (#14.6)

export async function setGrowingAreaVerification(tx: Db, id: string, v: { verificationStatus: VerificationStatus; verifiedBy: string | null; verifiedAt: Date | null; verificationNote: string | null }) {
  return (await tx.update(growingAreas).set({ ...v, updatedAt: new Date(), version: sql`${growingAreas.version} + 1` }).where(eq(growingAreas.id, id)).returning())[0];
}
export async function setPackingHouseVerification(tx: Db, id: string, v: { verificationStatus: VerificationStatus; verifiedBy: string | null; verifiedAt: Date | null; verificationNote: string | null }) {
  return (await tx.update(packingHouses).set({ ...v, updatedAt: new Date(), version: sql`${packingHouses.version} + 1` }).where(eq(packingHouses.id, id)).returning())[0];
}

/** Owner, status and code of places, for the lot rule (who may cite what). */
export async function findPlaceFacts(db: Db, areaIds: string[], houseIds: string[]) {
  const areas = areaIds.length ? await db.select({ id: growingAreas.id, code: growingAreas.code, owner: growingAreas.ownerProducerId, status: growingAreas.verificationStatus }).from(growingAreas).where(inArray(growingAreas.id, areaIds)) : [];
  const houses = houseIds.length ? await db.select({ id: packingHouses.id, code: packingHouses.code, owner: packingHouses.ownerProducerId, status: packingHouses.verificationStatus }).from(packingHouses).where(inArray(packingHouses.id, houseIds)) : [];
  return { areas, houses };
}

export async function findVerifiedLinks(db: Db, producerId: string, areaIds: string[], houseIds: string[]) {
  if (!areaIds.length && !houseIds.length) return [];
  const or: SQL[] = [];
  if (areaIds.length) or.push(inArray(placeLinks.growingAreaId, areaIds));
  if (houseIds.length) or.push(inArray(placeLinks.packingHouseId, houseIds));
  return db.select().from(placeLinks).where(and(eq(placeLinks.producerId, producerId), eq(placeLinks.status, 'verified'), sql`(${sql.join(or, sql` or `)})`));
}

const linkFields = {
  link: placeLinks,
  producerName: sql<string | null>`(select p.legal_name from producers p where p.id = ${placeLinks.producerId})`,
  areaCode: sql<string | null>`(select g.code from growing_areas g where g.id = ${placeLinks.growingAreaId})`,
  houseCode: sql<string | null>`(select h.code from packing_houses h where h.id = ${placeLinks.packingHouseId})`,
  placeUnitId: sql<number>`coalesce((select g.unit_id from growing_areas g where g.id = ${placeLinks.growingAreaId}), (select h.unit_id from packing_houses h where h.id = ${placeLinks.packingHouseId}))`,
};
export type PlaceLinkJoined = { link: PlaceLinkRow; producerName: string | null; areaCode: string | null; houseCode: string | null; placeUnitId: number };

export async function findPlaceLinks(db: Db, f: { producerId?: string; status?: VerificationStatus }): Promise<PlaceLinkJoined[]> {
  const c: SQL[] = [];
  if (f.producerId) c.push(eq(placeLinks.producerId, f.producerId));
  if (f.status) c.push(eq(placeLinks.status, f.status));
  return db.select(linkFields).from(placeLinks).where(c.length ? and(...c) : undefined).orderBy(desc(placeLinks.createdAt)).limit(1000);
}

export async function findPlaceLink(db: Db, id: string): Promise<PlaceLinkJoined | undefined> {
  return (await db.select(linkFields).from(placeLinks).where(eq(placeLinks.id, id)).limit(1))[0];
}

export async function insertPlaceLink(tx: Db, v: typeof placeLinks.$inferInsert) {
  return (await tx.insert(placeLinks).values(v).returning())[0];
}

export async function decidePlaceLink(tx: Db, id: string, status: 'verified' | 'rejected', by: string, note: string | null) {
  return (await tx.update(placeLinks).set({ status, verifiedBy: by, verifiedAt: new Date(), note, updatedAt: new Date(), version: sql`${placeLinks.version} + 1` }).where(eq(placeLinks.id, id)).returning())[0];
}

/** Public place pages: one place by code, with its unit as named today (successions followed) and its owner's name. */
export async function findPublicPlace(db: Db, kind: 'growing_area' | 'packing_house', code: string) {
  const t = kind === 'growing_area' ? 'growing_areas' : 'packing_houses';
  // The unit as named today: follow successions (merges, renames) from the registered unit to the newest successor.
  const rows = rowsOf<PublicPlaceRow>(await db.execute(sql`
    with recursive x as (select * from ${sql.raw(t)} where code = ${code} limit 1),
    chain(id, depth) as (
      select x.unit_id, 0 from x
      union all
      select su.successor_id, c.depth + 1 from admin_unit_successions su join chain c on su.predecessor_id = c.id where c.depth < 8
    )
    select x.code, ${kind === 'growing_area' ? sql`x.crop, x.area_ha::float8 as "areaHa", null::text as name` : sql`null::text as crop, null::float8 as "areaHa", x.name`},
      x.markets, x.issuing_authority as "issuingAuthority", x.issued_on::text as "issuedOn", x.valid_to::text as "validTo", x.gln,
      x.verification_status as "verificationStatus", x.owner_name as "ownerName", p.legal_name as "producerName",
      u.name as "unitName",
      (select cu.name from chain c join admin_units cu on cu.id = c.id order by c.depth desc, cu.id limit 1) as "todayUnitName",
      (select pu.name from admin_units cu join admin_units pu on pu.id = cu.parent_id
        where cu.id = (select c.id from chain c order by c.depth desc limit 1)) as "todayParentName"
    from x
    join admin_units u on u.id = x.unit_id
    left join producers p on p.id = x.owner_producer_id`));
  return rows[0];
}
export type PublicPlaceRow = {
  code: string; crop: string | null; areaHa: number | null; name: string | null; markets: string[]; issuingAuthority: string | null;
  issuedOn: string | null; validTo: string | null; gln: string | null; verificationStatus: VerificationStatus; ownerName: string | null;
  producerName: string | null; unitName: string; todayUnitName: string; todayParentName: string | null;
};

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
        validTo: ex('valid_to'), verificationStatus: ex('verification_status'), verifiedBy: ex('verified_by'), verifiedAt: ex('verified_at'),
        version: sql`${growingAreas.version} + 1`, updatedAt: sql`now()`,
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
        verificationStatus: ex('verification_status'), verifiedBy: ex('verified_by'), verifiedAt: ex('verified_at'),
        version: sql`${packingHouses.version} + 1`, updatedAt: sql`now()`,
      },
      setWhere: sql`${packingHouses.version} = excluded.version`,
    }).returning()));
  }
  return out;
}
