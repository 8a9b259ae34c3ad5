import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { findPageIds, inOrderOf } from '../../db/paging.js';
import { escapeLike } from '../../../shared/text.js';
import { lotGrowingAreas, lots, traceEventLots, traceEvents, type LotRow, type TraceEventRow } from './tables.js';
import type { LotListQuery } from './schema.js';

/** Who may read what, as SQL: a producer's own lots, or lots of products registered in a set of units. */
export type ReadFilter = { producerId?: string; unitIds?: number[] } | null;

const idList = (ids: readonly (string | number)[]) => sql.join(ids.map((i) => sql`${i}`), sql`, `);

/** Condition on a lots row (by its id column) for the filter; undefined = everything. */
function lotReadable(lotIdCol: SQL, f: ReadFilter): SQL | undefined {
  if (!f) return undefined;
  if (f.producerId) return sql`exists (select 1 from lots rl where rl.id = ${lotIdCol} and rl.producer_id = ${f.producerId})`;
  if (!f.unitIds?.length) return sql`false`;
  return sql`exists (select 1 from lots rl join products rp on rp.id = rl.product_id where rl.id = ${lotIdCol} and rp.registered_unit_id in (${idList(f.unitIds)}))`;
}

// ─── Lots ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** Lots with what their policy and presentation need: product, registered unit, producer, event count. */
const selectLotsJoined = (db: Db) =>
  db
    .select({
      lot: lots,
      productName: sql<string>`p.name`,
      registeredUnitId: sql<number>`p.registered_unit_id`,
      producerName: sql<string>`pr.legal_name`,
      eventCount: sql<number>`(select count(*)::int from trace_event_lots tel where tel.lot_id = ${lots.id})`,
    })
    .from(lots)
    .innerJoin(sql`products p`, sql`p.id = ${lots.productId}`)
    .innerJoin(sql`producers pr`, sql`pr.id = ${lots.producerId}`);

/** A lot with what its policy and presentation need. */
export async function findLotJoined(db: Db, id: string) {
  const rows = await selectLotsJoined(db).where(eq(lots.id, id)).limit(1);
  if (!rows[0]) return undefined;
  const [withPlaces] = await withPlacesOf(db, rows);
  return withPlaces;
}
export type LotJoined = NonNullable<Awaited<ReturnType<typeof findLotJoined>>>;

type Base = { lot: LotRow; productName: string; registeredUnitId: number; producerName: string; eventCount: number };

async function withPlacesOf<T extends Base>(db: Db, rows: T[]) {
  const ids = rows.map((r) => r.lot.id);
  const areas = ids.length
    ? rowsOf<{ lot_id: string; id: string; code: string; crop: string }>(
        await db.execute(sql`select lga.lot_id, g.id, g.code, g.crop from lot_growing_areas lga join growing_areas g on g.id = lga.growing_area_id
          where lga.lot_id in (${idList(ids)}) order by g.code`),
      )
    : [];
  const houseIds = [...new Set(rows.map((r) => r.lot.packingHouseId).filter((x): x is string => !!x))];
  const houses = houseIds.length
    ? rowsOf<{ id: string; code: string; name: string }>(await db.execute(sql`select id, code, name from packing_houses where id in (${idList(houseIds)})`))
    : [];
  const houseById = new Map(houses.map((h) => [h.id, h]));
  return rows.map((r) => ({
    ...r,
    eventCount: Number(r.eventCount),
    registeredUnitId: Number(r.registeredUnitId),
    growingAreas: areas.filter((a) => a.lot_id === r.lot.id).map((a) => ({ id: a.id, code: a.code, crop: a.crop })),
    packingHouse: r.lot.packingHouseId ? (houseById.get(r.lot.packingHouseId) ?? null) : null,
  }));
}

export async function findLots(db: Db, q: LotListQuery, f: ReadFilter) {
  const conds: SQL[] = [];
  if (q.productId) conds.push(eq(lots.productId, q.productId));
  if (q.producerId) conds.push(eq(lots.producerId, q.producerId));
  const text = q.q?.trim();
  if (text) conds.push(sql`${lots.lotNumber} ilike ${`%${escapeLike(text)}%`}`);
  if (q.from) conds.push(sql`${lots.producedOn} >= ${q.from}`);
  if (q.to) conds.push(sql`${lots.producedOn} <= ${q.to}`);
  const readable = lotReadable(sql`${lots.id}`, f);
  if (readable) conds.push(readable);
  const page = await findPageIds(db, {
    table: lots,
    where: conds.length ? and(...conds) : undefined,
    order: [sql`produced_on desc`, sql`created_at desc`],
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  if (!page.ids.length) return { items: [], total: page.total, totalCapped: page.totalCapped };
  const rows = await selectLotsJoined(db).where(inArray(lots.id, page.ids));
  return { items: inOrderOf(page.ids, await withPlacesOf(db, rows), (r) => r.lot.id), total: page.total, totalCapped: page.totalCapped };
}

export async function findLotRow(db: Db, id: string) {
  return (await db.select().from(lots).where(eq(lots.id, id)).limit(1))[0];
}

/** Lot rows with their product's registered unit (the commune scope), by id. */
export async function findLotScopes(db: Db, ids: string[]) {
  if (!ids.length) return [];
  return db
    .select({ lot: lots, registeredUnitId: sql<number>`p.registered_unit_id`, productName: sql<string>`p.name` })
    .from(lots)
    .innerJoin(sql`products p`, sql`p.id = ${lots.productId}`)
    .where(inArray(lots.id, ids));
}

/** Lots by GTIN-14 and lot number pairs (EPCIS import of Digital Link class URIs from any domain). */
export async function findLotScopesByGtinLot(db: Db, pairs: { gtin: string; lotNumber: string }[]) {
  if (!pairs.length) return [];
  const tuples = sql.join(pairs.map((p) => sql`(${p.gtin}, ${p.lotNumber})`), sql`, `);
  return db
    .select({ lot: lots, registeredUnitId: sql<number>`p.registered_unit_id`, productName: sql<string>`p.name` })
    .from(lots)
    .innerJoin(sql`products p`, sql`p.id = ${lots.productId}`)
    .where(sql`(${lots.gtin}, ${lots.lotNumber}) in (${tuples})`);
}

export async function findLotByProductAndNumber(db: Db, productId: string, lotNumber: string) {
  return (await db.select({ id: lots.id }).from(lots).where(and(eq(lots.productId, productId), eq(lots.lotNumber, lotNumber))).limit(1))[0];
}

export async function insertLot(db: Db, v: typeof lots.$inferInsert) {
  return (await db.insert(lots).values(v).returning())[0];
}

export async function updateLot(db: Db, id: string, v: Partial<typeof lots.$inferInsert>) {
  return (await db.update(lots).set({ ...v, updatedAt: new Date(), version: sql`${lots.version} + 1` }).where(eq(lots.id, id)).returning())[0];
}

export async function deleteLot(db: Db, id: string) {
  return (await db.delete(lots).where(eq(lots.id, id)).returning({ id: lots.id }))[0];
}

export async function findLotGrowingAreaIds(db: Db, lotId: string) {
  return (await db.select({ id: lotGrowingAreas.growingAreaId }).from(lotGrowingAreas).where(eq(lotGrowingAreas.lotId, lotId))).map((r) => r.id);
}

export async function replaceLotGrowingAreas(db: Db, lotId: string, areaIds: string[]) {
  await db.delete(lotGrowingAreas).where(eq(lotGrowingAreas.lotId, lotId));
  if (areaIds.length) await db.insert(lotGrowingAreas).values(areaIds.map((growingAreaId) => ({ lotId, growingAreaId })));
}

/** How many events and stamp ranges use a lot (a lot in use keeps its identity). */
export async function lotUsage(db: Db, lotId: string) {
  const r = rowsOf<{ events: number; stamps: number }>(
    await db.execute(sql`select (select count(*)::int from trace_event_lots where lot_id = ${lotId}) as events,
      (select count(*)::int from stamp_ranges where lot_id = ${lotId}) as stamps`),
  )[0];
  return { events: Number(r.events), stamps: Number(r.stamps) };
}

export async function findGrowingAreasByIds(db: Db, ids: string[]) {
  if (!ids.length) return [];
  return rowsOf<{ id: string; code: string }>(await db.execute(sql`select id, code from growing_areas where id in (${idList(ids)}) order by code`));
}

export async function findPackingHouseById(db: Db, id: string) {
  return rowsOf<{ id: string; code: string; name: string }>(await db.execute(sql`select id, code, name from packing_houses where id = ${id}`))[0];
}

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────────────

export async function insertEvent(db: Db, v: typeof traceEvents.$inferInsert) {
  return (await db.insert(traceEvents).values(v).returning())[0];
}

export async function insertEventLots(db: Db, rows: (typeof traceEventLots.$inferInsert)[]) {
  if (rows.length) await db.insert(traceEventLots).values(rows);
}

export async function existingEventIds(db: Db, eventIds: string[]) {
  if (!eventIds.length) return new Set<string>();
  const rows = await db.select({ eventId: traceEvents.eventId }).from(traceEvents).where(inArray(traceEvents.eventId, eventIds));
  return new Set(rows.map((r) => r.eventId));
}

type EventJoined = { event: TraceEventRow; recordedByName: string | null };

async function eventsByIds(db: Db, ids: string[]): Promise<EventJoined[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({ event: traceEvents, recordedByName: sql<string | null>`u.full_name` })
    .from(traceEvents)
    .leftJoin(sql`users u`, sql`u.id = ${traceEvents.recordedBy}`)
    .where(inArray(traceEvents.id, ids));
  return inOrderOf(ids, rows, (r) => r.event.id);
}

/** The lots of events, with lot number and product name, for presentation. */
export async function findEventLots(db: Db, eventIds: string[]) {
  if (!eventIds.length) return [];
  return rowsOf<{ event_id: string; lot_id: string; lot_number: string; product_name: string; role: 'subject' | 'input' | 'output' | 'child'; quantity: string | null; uom: string | null }>(
    await db.execute(sql`select tel.event_id, tel.lot_id, l.lot_number, p.name as product_name, tel.role, tel.quantity, tel.uom
      from trace_event_lots tel join lots l on l.id = tel.lot_id join products p on p.id = l.product_id
      where tel.event_id in (${idList(eventIds)})
      order by case tel.role when 'input' then 0 when 'subject' then 1 when 'child' then 2 else 3 end, l.lot_number`),
  );
}

export async function findEventsJoined(db: Db, ids: string[]) {
  const events = await eventsByIds(db, ids);
  const lotsOf = await findEventLots(db, ids);
  return events.map((e) => ({ ...e, lots: lotsOf.filter((l) => l.event_id === e.event.id) }));
}
export type EventWithLots = Awaited<ReturnType<typeof findEventsJoined>>[number];

/**
 * The lot's journey: its events and, recursively, those of the lots it was made from (a lot that is the output of
 * a transformation has that transformation's inputs upstream). Oldest first. `union` stops on cycles.
 */
/** Transformations followed upstream from a lot (fresh lots → dried lot → packed lot …). */
export const MAX_UPSTREAM_DEPTH = 8;

/**
 * The lineage rule, in one place (journey, public scan page, scan statistics): a CTE `up(origin, lot_id, depth)` of
 * a `with recursive` that gives, for each lot of `seed` (SQL with a `lot_id` column), the lot itself and the lots it
 * was made from — inputs of the transformations that output it — up to MAX_UPSTREAM_DEPTH steps.
 */
export const upstreamLotsCte = (seed: string) => `up(origin, lot_id, depth) as (
  select s.lot_id, s.lot_id, 0 from (${seed}) s
  union
  select up.origin, i.lot_id, up.depth + 1 from up
    join trace_event_lots o on o.lot_id = up.lot_id and o.role = 'output'
    join trace_event_lots i on i.event_id = o.event_id and i.role = 'input'
  where up.depth < ${MAX_UPSTREAM_DEPTH}
)`;

export async function findJourneyEventIds(db: Db, lotId: string, cap = 5000) {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`with recursive seed as (select ${lotId}::uuid as lot_id), ${sql.raw(upstreamLotsCte('select lot_id from seed'))}
      select e.id from trace_events e
      where e.id in (select tel.event_id from trace_event_lots tel where tel.lot_id in (select lot_id from up))
      order by e.event_time, e.record_time, e.id
      limit ${cap}`),
  );
  return rows.map((r) => r.id);
}

/** Events in [from, to) that touch at least one lot readable under the filter (optionally of one product). */
export async function findEventIdsInRange(db: Db, from: Date, to: Date, f: ReadFilter, productId: string | undefined, cap = 50000) {
  const lotConds: SQL[] = [sql`tel.event_id = e.id`];
  if (productId) lotConds.push(sql`exists (select 1 from lots pl where pl.id = tel.lot_id and pl.product_id = ${productId})`);
  const readable = lotReadable(sql`tel.lot_id`, f);
  if (readable) lotConds.push(readable);
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`select e.id from trace_events e
      where e.event_time >= ${from.toISOString()}::timestamptz and e.event_time < ${to.toISOString()}::timestamptz
        and exists (select 1 from trace_event_lots tel where ${and(...lotConds)})
      order by e.event_time, e.record_time, e.id
      limit ${cap}`),
  );
  return rows.map((r) => r.id);
}

export async function findEventDocuments(db: Db, ids: string[]) {
  return (await findEventRows(db, ids)).map((r) => r.document);
}

/** Stored documents with their row ids, in the order of `ids`. */
export async function findEventRows(db: Db, ids: string[]) {
  if (!ids.length) return [];
  const rows = await db.select({ id: traceEvents.id, document: traceEvents.document }).from(traceEvents).where(inArray(traceEvents.id, ids));
  return inOrderOf(ids, rows, (r) => r.id);
}
