import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { upstreamLotsCte } from '../lots/repository.js';
import { lots } from '../lots/tables.js';
import { products } from '../products/tables.js';
import type { OversightScope } from './policy.js';
import { scanReports, stampExceptions, stampFlags, stampRanges, type FlagKind, type ScanReportRow, type StampFlagRow, type StampRangeRow } from './tables.js';

// ─── Lots and ranges ────────────────────────────────────────────────────────────────────────────────────────────

export type LotForStamps = {
  id: string; lotNumber: string; gtin: string | null; producerId: string; productId: string; productName: string; registeredUnitId: number;
};

const lotFields = {
  id: lots.id, lotNumber: lots.lotNumber, gtin: lots.gtin, producerId: lots.producerId, productId: lots.productId,
  productName: products.name, registeredUnitId: products.registeredUnitId,
};

export async function findLotForStamps(db: Db, lotId: string): Promise<LotForStamps | undefined> {
  return (await db.select(lotFields).from(lots).innerJoin(products, eq(products.id, lots.productId)).where(eq(lots.id, lotId)).limit(1))[0];
}

export async function findRangeWithLot(db: Db, rangeId: string): Promise<{ range: StampRangeRow; lot: LotForStamps } | undefined> {
  const r = (await db.select({ range: stampRanges, lot: lotFields }).from(stampRanges)
    .innerJoin(lots, eq(lots.id, stampRanges.lotId)).innerJoin(products, eq(products.id, lots.productId))
    .where(eq(stampRanges.id, rangeId)).limit(1))[0];
  return r;
}

/**
 * Takes `count` serials of a GTIN from its counter (gtin_serial_counters) with one INSERT … ON CONFLICT DO UPDATE …
 * RETURNING: the row lock makes concurrent issuers of the same GTIN take turns, so GTIN + serial (SGTIN) names one
 * stamp across all lots of the product. A GTIN's first counter starts after the highest serial any of its lots has
 * (ranges issued before the counter existed). Returns the first serial taken.
 */
export async function takeGtinSerials(tx: Db, gtin: string, count: number): Promise<number> {
  const [{ first }] = rowsOf<{ first: number }>(await tx.execute(sql`
    insert into gtin_serial_counters as c (gtin, next_serial)
    values (${gtin}, coalesce((select max(r.last_serial) from stamp_ranges r join lots l on l.id = r.lot_id where l.gtin = ${gtin}), 0) + 1 + ${count}::int)
    on conflict (gtin) do update set next_serial = c.next_serial + ${count}::int
    returning c.next_serial - ${count}::int as first`));
  return Number(first);
}

/**
 * Allocates serials and platform-wide stamp numbers (after the highest ever issued) and inserts the range. Serials:
 * from the GTIN's counter when the lot has a GTIN (unique per GTIN across lots), else after the lot's highest (the
 * lot's own URI names it). The table lock (SHARE ROW EXCLUSIVE conflicts with itself, not with readers) makes
 * concurrent issuances, in this process or another, take turns: numbers never overlap and leave no gaps. Call
 * inside a transaction.
 */
export async function allocateRange(tx: Db, lotId: string, count: number, issuedBy: string | null): Promise<StampRangeRow> {
  await tx.execute(sql`lock table stamp_ranges in share row exclusive mode`);
  const [{ serial, no, gtin }] = rowsOf<{ serial: number; no: number; gtin: string | null }>(await tx.execute(sql`select
      coalesce((select max(last_serial) from stamp_ranges where lot_id = ${lotId}), 0)::int as serial,
      coalesce((select last_no from stamp_ranges order by first_no desc limit 1), 0)::bigint as no,
      (select gtin from lots where id = ${lotId}) as gtin`));
  const firstSerial = gtin ? await takeGtinSerials(tx, gtin, count) : Number(serial) + 1;
  const firstNo = Number(no) + 1;
  return (await tx.insert(stampRanges).values({ lotId, firstSerial, lastSerial: firstSerial + count - 1, firstNo, issuedBy }).returning())[0];
}

export type RangeListRow = StampRangeRow & { exceptions: { serial: number; status: 'lost' | 'inactive'; reason: string | null }[]; scanCount: number };

const rangeExtras = {
  exceptions: sql<RangeListRow['exceptions'] | string>`(select coalesce(json_agg(json_build_object('serial', x.serial, 'status', x.status, 'reason', x.reason) order by x.serial), '[]')
    from stamp_exceptions x where x.range_id = stamp_ranges.id)`,
  scanCount: sql<number>`(select count(*)::int from stamp_scans s where s.range_id = stamp_ranges.id)`,
};
const json = <T>(v: T | string): T => (typeof v === 'string' ? JSON.parse(v) : v);

export async function findRangesOfLot(db: Db, lotId: string): Promise<RangeListRow[]> {
  const rows = await db.select({ r: stampRanges, ...rangeExtras }).from(stampRanges).where(eq(stampRanges.lotId, lotId)).orderBy(asc(stampRanges.firstSerial));
  return rows.map((x) => ({ ...x.r, exceptions: json(x.exceptions), scanCount: Number(x.scanCount) }));
}

export async function findRangeListRow(db: Db, rangeId: string): Promise<RangeListRow | undefined> {
  const x = (await db.select({ r: stampRanges, ...rangeExtras }).from(stampRanges).where(eq(stampRanges.id, rangeId)).limit(1))[0];
  return x ? { ...x.r, exceptions: json(x.exceptions), scanCount: Number(x.scanCount) } : undefined;
}

export async function lockRange(tx: Db, rangeId: string) {
  return rowsOf<{ id: string }>(await tx.execute(sql`select id from stamp_ranges where id = ${rangeId} for update`))[0];
}

export async function setRangeStatus(tx: Db, rangeId: string, status: 'active' | 'inactive', reason: string | null, by: string | null) {
  return (await tx.update(stampRanges).set({ status, statusReason: reason, statusAt: new Date(), statusBy: by }).where(eq(stampRanges.id, rangeId)).returning())[0];
}

export async function findException(db: Db, rangeId: string, serial: number) {
  return (await db.select().from(stampExceptions).where(and(eq(stampExceptions.rangeId, rangeId), eq(stampExceptions.serial, serial))).limit(1))[0];
}

export async function upsertException(tx: Db, rangeId: string, serial: number, status: 'inactive' | 'lost', reason: string | null, by: string | null) {
  await tx.insert(stampExceptions).values({ rangeId, serial, status, reason, byUser: by })
    .onConflictDoUpdate({ target: [stampExceptions.rangeId, stampExceptions.serial], set: { status, reason, at: new Date(), byUser: by } });
}

export async function deleteException(tx: Db, rangeId: string, serial: number) {
  await tx.delete(stampExceptions).where(and(eq(stampExceptions.rangeId, rangeId), eq(stampExceptions.serial, serial)));
}

// ─── Oversight: flags, reports, statistics ──────────────────────────────────────────────────────────────────────

/** Restricts rows carrying a product_id column (flags, reports, scans) to what the reader may see. */
function scopeSql(scope: OversightScope, productIdCol: SQL): SQL | undefined {
  if (scope.all) return undefined;
  if (scope.producerId) return sql`${productIdCol} in (select id from products where producer_id = ${scope.producerId})`;
  if (!scope.unitIds.length) return sql`false`;
  return sql`${productIdCol} in (select id from products where registered_unit_id in ${scope.unitIds})`;
}

export type FlagListRow = StampFlagRow & { lotNumber: string | null; productName: string | null };

export async function findFlags(db: Db, scope: OversightScope, f: { status: 'open' | 'dismissed'; productId?: string }, page: number, pageSize: number) {
  const where = and(eq(stampFlags.status, f.status), f.productId ? eq(stampFlags.productId, f.productId) : undefined, scopeSql(scope, sql`${stampFlags.productId}`));
  const rows = await db.select({ f: stampFlags, lotNumber: lots.lotNumber, productName: products.name }).from(stampFlags)
    .leftJoin(lots, eq(lots.id, stampFlags.lotId)).leftJoin(products, eq(products.id, stampFlags.productId))
    .where(where).orderBy(desc(stampFlags.lastAt), asc(stampFlags.id)).limit(pageSize).offset((page - 1) * pageSize);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(stampFlags).where(where);
  return { rows: rows.map((r) => ({ ...r.f, lotNumber: r.lotNumber, productName: r.productName })) as FlagListRow[], total: Number(n) };
}

export async function findFlagListRow(db: Db, id: string): Promise<FlagListRow | undefined> {
  const r = (await db.select({ f: stampFlags, lotNumber: lots.lotNumber, productName: products.name }).from(stampFlags)
    .leftJoin(lots, eq(lots.id, stampFlags.lotId)).leftJoin(products, eq(products.id, stampFlags.productId)).where(eq(stampFlags.id, id)).limit(1))[0];
  return r ? { ...r.f, lotNumber: r.lotNumber, productName: r.productName } : undefined;
}

export async function dismissFlag(tx: Db, id: string, by: string, note: string) {
  return (await tx.update(stampFlags).set({ status: 'dismissed', handledBy: by, handledAt: new Date(), note })
    .where(and(eq(stampFlags.id, id), eq(stampFlags.status, 'open'))).returning())[0];
}

/** The product of a record as the policies see it. */
export async function findProductScope(db: Db, productId: string | null) {
  if (!productId) return null;
  return (await db.select({ producerId: products.producerId, registeredUnitId: products.registeredUnitId }).from(products).where(eq(products.id, productId)).limit(1))[0] ?? null;
}

export type ReportListRow = ScanReportRow & { lotNumber: string | null; productName: string | null };

export async function findReports(db: Db, scope: OversightScope, f: { status?: 'new' | 'reviewed' | 'closed'; productId?: string }, page: number, pageSize: number) {
  const where = and(f.status ? eq(scanReports.status, f.status) : undefined, f.productId ? eq(scanReports.productId, f.productId) : undefined, scopeSql(scope, sql`${scanReports.productId}`));
  const rows = await db.select({ r: scanReports, lotNumber: lots.lotNumber, productName: products.name }).from(scanReports)
    .leftJoin(lots, eq(lots.id, scanReports.lotId)).leftJoin(products, eq(products.id, scanReports.productId))
    .where(where).orderBy(desc(scanReports.createdAt), asc(scanReports.id)).limit(pageSize).offset((page - 1) * pageSize);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(scanReports).where(where);
  return { rows: rows.map((r) => ({ ...r.r, lotNumber: r.lotNumber, productName: r.productName })) as ReportListRow[], total: Number(n) };
}

export async function findReportListRow(db: Db, id: string): Promise<ReportListRow | undefined> {
  const r = (await db.select({ r: scanReports, lotNumber: lots.lotNumber, productName: products.name }).from(scanReports)
    .leftJoin(lots, eq(lots.id, scanReports.lotId)).leftJoin(products, eq(products.id, scanReports.productId)).where(eq(scanReports.id, id)).limit(1))[0];
  return r ? { ...r.r, lotNumber: r.lotNumber, productName: r.productName } : undefined;
}

export async function setReportStatus(tx: Db, id: string, status: 'reviewed' | 'closed', by: string, note: string | null) {
  return (await tx.update(scanReports).set({ status, handledBy: by, handledAt: new Date(), note }).where(eq(scanReports.id, id)).returning())[0];
}

export async function insertReport(db: Db, v: typeof scanReports.$inferInsert) {
  return (await db.insert(scanReports).values(v).returning({ id: scanReports.id }))[0];
}

/**
 * Scans per day (Vietnam calendar), per product, per the product's registered unit and per growing area over
 * [from, to]. A scan counts for the growing areas of its lot and of the lots it was made from (upstreamLotsCte: a
 * dried-lychee stamp counts for the orchards of the fresh lychee).
 */
export async function scanStats(db: Db, scope: OversightScope, f: { from: string; to: string; productId?: string; unitId?: number }) {
  const conds: SQL[] = [
    sql`s.scanned_at >= (${f.from}::date::timestamp at time zone 'Asia/Ho_Chi_Minh')`,
    sql`s.scanned_at < ((${f.to}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')`,
  ];
  if (f.productId) conds.push(sql`s.product_id = ${f.productId}`);
  if (f.unitId) conds.push(sql`s.product_id in (select id from products where registered_unit_id = ${f.unitId})`);
  const sc = scopeSql(scope, sql`s.product_id`);
  if (sc) conds.push(sc);
  const where = sql.join(conds, sql` and `);
  const [days, byProduct, byUnit, byArea] = await Promise.all([
    db.execute(sql`select to_char((s.scanned_at at time zone 'Asia/Ho_Chi_Minh')::date, 'YYYY-MM-DD') as date, count(*)::int as scans,
        count(*) filter (where s.outcome in ('inactive', 'lost', 'unknown_serial', 'unknown_lot'))::int as flagged
      from stamp_scans s where ${where} group by 1 order by 1`),
    db.execute(sql`select p.id as product_id, p.name as product_name, count(*)::int as scans
      from stamp_scans s join products p on p.id = s.product_id where ${where} group by p.id, p.name order by scans desc, p.name limit 100`),
    db.execute(sql`select u.id as unit_id, u.name as unit_name, count(*)::int as scans
      from stamp_scans s join products p on p.id = s.product_id join admin_units u on u.id = p.registered_unit_id where ${where}
      group by u.id, u.name order by scans desc, u.name limit 100`),
    db.execute(sql`with recursive s as (select s.lot_id from stamp_scans s where ${where} and s.lot_id is not null),
      ${sql.raw(upstreamLotsCte('select distinct lot_id from s'))},
      la as (select distinct up.origin as lot_id, lga.growing_area_id from up join lot_growing_areas lga on lga.lot_id = up.lot_id)
      select g.id as area_id, g.code, g.crop, count(*)::int as scans
      from s join la on la.lot_id = s.lot_id join growing_areas g on g.id = la.growing_area_id
      group by g.id, g.code, g.crop order by scans desc, g.code limit 100`),
  ]);
  return {
    days: rowsOf<{ date: string; scans: number; flagged: number }>(days).map((d) => ({ date: d.date, scans: Number(d.scans), flagged: Number(d.flagged) })),
    byProduct: rowsOf<{ product_id: string; product_name: string; scans: number }>(byProduct).map((r) => ({ productId: r.product_id, productName: r.product_name, scans: Number(r.scans) })),
    byUnit: rowsOf<{ unit_id: number; unit_name: string; scans: number }>(byUnit).map((r) => ({ unitId: Number(r.unit_id), unitName: r.unit_name, scans: Number(r.scans) })),
    byArea: rowsOf<{ area_id: string; code: string; crop: string; scans: number }>(byArea).map((r) => ({ areaId: r.area_id, code: r.code, crop: r.crop, scans: Number(r.scans) })),
  };
}

export type { FlagKind };
