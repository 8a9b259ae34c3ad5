/**
 * The public resolver's read: everything a scan page shows, in ONE statement and one round trip (the scan page is
 * the hottest path of the platform). Two entry statements share one body: by GS1 Digital Link (GTIN-14 + lot
 * [+ serial]) and by short code (platform-wide stamp number). On PostgreSQL they run as named prepared statements
 * on the scan path's own pool with generic plans (openScanClient); on PGlite as plain parameterised queries.
 *
 * With the in-process cache on (scan-cache.ts, SCAN_CACHE_LOTS > 0) a miss loads a lot's "bundle" instead: the same
 * lot part plus all its ranges and exceptions, in one statement too; most scans then reach no database at all.
 */
import pg from 'pg';
import type { Db } from '../../db/client.js';
import { upstreamLotsCte } from '../lots/repository.js';

/** Events shown on a page: a lot's journey is a handful of events; the cap keeps a pathological lot's page small. */
export const MAX_JOURNEY_EVENTS = 40;

/**
 * One event of a lot's journey as the page shows it: `step` / `disp` are the bare CBV business step and disposition
 * (shown through labels, never raw), `codes` the growing-area codes a harvest names (its ILMD), `from` / `to` the
 * source and destination place URIs of a shipment.
 */
export type JourneyEvent = {
  kind: string; time: string; tz: string; place: string | null; lots: string | null; own: boolean;
  step?: string | null; disp?: string | null; codes?: string[] | null; from?: string | null; to?: string | null;
  /** Declared wrong by an EPCIS error declaration (lots/corrections.ts). */
  corrected?: boolean;
};
/** The lot part of a scan page: the same for every stamp of the lot (the scan cache keeps one per lot). */
export type LotPart = {
  lotId: string;
  lotNumber: string;
  gtin: string | null;
  producedOn: string;
  bestBefore: string | null;
  productId: string;
  productName: string;
  brand: string | null;
  producerId: string;
  producerName: string;
  producerAddress: string | null;
  producerUnit: string | null;
  photo: { id: string; w: number; h: number } | null;
  /** Stored status and dates: whether it is valid today is decided when the page renders. */
  cert: { number: string; star: number; status: 'active' | 'superseded' | 'revoked'; expiresOn: string } | null;
  standards: { type: string; name: string | null; issuer: string | null; validTo: string | null }[];
  /** `verified`: true / false when the growing-area register records an officer's verification, null when it does not. */
  areas: { id: string; code: string; crop: string; ha: number; unit: string | null; issuer?: string | null; validTo?: string | null; verified?: boolean | null }[];
  journey: JourneyEvent[];
};
/** A resolution: the stamp (range, serial, exception) and its lot's part. */
export type ResolvedStamp = {
  lotId: string;
  productId: string;
  rangeId: string | null;
  rangeStatus: 'active' | 'inactive' | null;
  rangeReason: string | null;
  firstSerial: number | null;
  firstNo: number | null;
  serial: number | null;
  exceptionStatus: 'inactive' | 'lost' | null;
  exceptionReason: string | null;
  /** Scans of this stamp recorded before this one (scan log and this process's counter); null for no stamp. */
  scans: number | null;
  lot: LotPart;
};

/** What every page of a lot reads, given `t` with a `lot_id` column: upstream lots (through transformations) and
 *  their events (the journey). */
const UP_EV = `,
${upstreamLotsCte('select lot_id from t')},
ev as (
  select e.id, e.kind, e.event_time, e.event_tz, e.biz_location, e.read_point, e.biz_step, e.disposition,
    e.document->'ilmd'->'ocop:growingAreaCodes' as codes, e.document->'sourceList'->0->>'source' as src,
    e.document->'destinationList'->0->>'destination' as dst
  from trace_events e
  where e.id in (select tel.event_id from trace_event_lots tel where tel.lot_id in (select lot_id from up))
  order by e.event_time, e.id
  limit ${MAX_JOURNEY_EVENTS}
)`;

/** The lot part of a page (product, producer, current certificate, photo, standards, areas, journey). The
 *  certificate is read with its dates and stored status; "valid today" is decided when the page is rendered. */
const LOT_COLUMNS = `
  l.lot_number as "lotNumber", l.gtin, l.produced_on::text as "producedOn", l.best_before::text as "bestBefore",
  p.id as "productId", p.name as "productName", p.brand,
  l.producer_id as "producerId", pr.legal_name as "producerName", pr.address as "producerAddress", u.name as "producerUnit",
  (select json_build_object('id', ph.id, 'w', ph.width, 'h', ph.height) from product_photos ph
    where ph.product_id = p.id order by ph.position, ph.created_at, ph.id limit 1) as photo,
  (select json_build_object('number', c.number, 'star', c.star, 'status', c.status, 'expiresOn', c.expires_on::text) from certificates c
    where c.product_id = p.id order by (c.status = 'active') desc, c.decision_date desc, c.created_at desc limit 1) as cert,
  (select coalesce(json_agg(json_build_object('type', pc.type, 'name', pc.name, 'issuer', pc.issuer, 'validTo', pc.valid_to::text) order by pc.type, pc.id), '[]')
    from product_certifications pc where pc.product_id = p.id) as standards,
  (select coalesce(json_agg(json_build_object('id', ga.id, 'code', ga.code, 'crop', ga.crop, 'ha', ga.area_ha, 'unit', au.name,
      'issuer', ga.issuing_authority, 'validTo', ga.valid_to::text,
      -- Read through to_jsonb: the register may or may not record an officer's verification (verified_at / verified).
      'verified', case when to_jsonb(ga) ? 'verified_at' then (to_jsonb(ga)->>'verified_at') is not null
                       when to_jsonb(ga) ? 'verified' then coalesce((to_jsonb(ga)->>'verified')::boolean, false) end) order by ga.code), '[]')
    from growing_areas ga left join admin_units au on au.id = ga.unit_id
    where ga.id in (select lga.growing_area_id from lot_growing_areas lga where lga.lot_id in (select lot_id from up))) as areas,
  (select coalesce(json_agg(json_build_object(
      'kind', ev.kind,
      'time', to_char(ev.event_time at time zone 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI'),
      'tz', ev.event_tz,
      'place', coalesce(ev.read_point, ev.biz_location),
      'lots', (select string_agg(distinct l3.lot_number, ', ') from trace_event_lots t3 join lots l3 on l3.id = t3.lot_id
                where t3.event_id = ev.id and t3.lot_id in (select lot_id from up)),
      'own', exists (select 1 from trace_event_lots t4 where t4.event_id = ev.id and t4.lot_id = t.lot_id),
      'step', ev.biz_step, 'disp', ev.disposition, 'codes', case when jsonb_typeof(ev.codes) = 'array' then ev.codes end, 'from', ev.src, 'to', ev.dst,
      'corrected', exists (select 1 from trace_event_corrections tc where tc.event_id = ev.id)
    ) order by ev.event_time, ev.id), '[]') from ev) as journey`;

const LOT_FROM = `
from t
join lots l on l.id = t.lot_id
join products p on p.id = l.product_id
join producers pr on pr.id = l.producer_id
left join admin_units u on u.id = pr.unit_id`;

/** `t` = (lot_id, range_id, range_status, range_reason, first_serial, first_no, serial): at most one row. */
const BODY = `${UP_EV}
select t.lot_id as "lotId", t.range_id as "rangeId", t.range_status as "rangeStatus", t.range_reason as "rangeReason",
  t.first_serial as "firstSerial", t.first_no as "firstNo", t.serial,
  x.status as "exceptionStatus", x.reason as "exceptionReason",
  (select count(*)::int from stamp_scans sc where sc.range_id = t.range_id and sc.serial = t.serial) as scans,${LOT_COLUMNS}${LOT_FROM}
left join stamp_exceptions x on x.range_id = t.range_id and x.serial = t.serial`;

/** $1 GTIN-14, $2 lot number, $3 serial (null for the lot page). Ranges of a lot never overlap: the candidate is the
 *  range with the greatest first serial ≤ the serial (index stamp_ranges_lot_idx), kept if its last serial reaches it. */
const BY_LINK = `with recursive
l0 as (select id from lots where gtin = $1 and lot_number = $2 order by created_at, id limit 1),
t as (
  select l0.id as lot_id, r.id as range_id, r.status as range_status, r.status_reason as range_reason, r.first_serial, r.first_no, $3::int as serial
  from l0 left join lateral (
    select c.* from (select sr.* from stamp_ranges sr where sr.lot_id = l0.id and sr.first_serial <= $3::int order by sr.first_serial desc limit 1) c
    where c.last_serial >= $3::int
  ) r on true
)${BODY}`;

/** $1 stamp number. Stamp numbers never overlap: the candidate is the range with the greatest first number ≤ it. */
const BY_NUMBER = `with recursive
t as (
  select r.lot_id, r.id as range_id, r.status as range_status, r.status_reason as range_reason, r.first_serial, r.first_no,
    (r.first_serial + ($1::bigint - r.first_no))::int as serial
  from (select sr.* from stamp_ranges sr where sr.first_no <= $1::bigint order by sr.first_no desc limit 1) r
  where r.last_no >= $1::bigint
)${BODY}`;

/** More ranges or exceptions than this in one lot: the lot is not cached (scan-cache.ts), its scans use BY_LINK /
 *  BY_NUMBER. Real lots have a handful of each. */
export const BUNDLE_MAX_ITEMS = 2000;
/** Scanned stamps whose counts a bundle carries; a lot with more asks the database once per stamp (scan-cache.ts). */
export const SCAN_COUNTS_MAX = 20_000;

/** The lot part of a page plus everything its stamps' pages need: all ranges, all exceptions, and the lots whose
 *  data the page shows (itself and its upstream lots), for the in-process cache (scan-cache.ts). `t` = (lot_id). */
const BUNDLE_BODY = `${UP_EV}
select t.lot_id as "lotId",${LOT_COLUMNS},
  (select coalesce(json_agg(json_build_object('id', sr.id, 'first', sr.first_serial, 'last', sr.last_serial, 'no', sr.first_no,
      'status', sr.status, 'reason', sr.status_reason) order by sr.first_serial), '[]')
    from (select * from stamp_ranges r where r.lot_id = t.lot_id order by r.first_serial limit ${BUNDLE_MAX_ITEMS + 1}) sr) as ranges,
  (select coalesce(json_agg(json_build_object('range', x.range_id, 'serial', x.serial, 'status', x.status, 'reason', x.reason)), '[]')
    from (select x.* from stamp_ranges r join stamp_exceptions x on x.range_id = r.id where r.lot_id = t.lot_id limit ${BUNDLE_MAX_ITEMS + 1}) x) as exceptions,
  (select coalesce(json_agg(distinct up.lot_id), '[]') from up) as "upLots",
  (select coalesce(json_agg(json_build_array(c.range_id, c.serial, c.n)), '[]') from (
    select sc.range_id, sc.serial, count(*)::int as n from stamp_scans sc
    where sc.range_id in (select r.id from stamp_ranges r where r.lot_id = t.lot_id) and sc.serial is not null
    group by sc.range_id, sc.serial limit ${SCAN_COUNTS_MAX + 1}) c) as "scanCounts"${LOT_FROM}`;

const BUNDLE_BY_ID = `with recursive t as (select id as lot_id from lots where id = $1::uuid)${BUNDLE_BODY}`;
const BUNDLE_BY_LINK = `with recursive t as (select id as lot_id from lots where gtin = $1 and lot_number = $2 order by created_at, id limit 1)${BUNDLE_BODY}`;
/** Whether a lot has a range holding this serial (a cached lot that does not know the serial asks before saying
 *  "unknown": another app process may have issued it). */
const SERIAL_ISSUED = `select 1 as x from stamp_ranges where lot_id = $1::uuid and first_serial <= $2::int and last_serial >= $2::int limit 1`;
/** The lot of the range holding a stamp number (index stamp_ranges_first_no_uq: the greatest first number ≤ it). */
const LOT_OF_NUMBER = `select r.lot_id from (select sr.lot_id, sr.last_no from stamp_ranges sr where sr.first_no <= $1::bigint
  order by sr.first_no desc limit 1) r where r.last_no >= $1::bigint`;

/** A connection source for the scan path: a node-postgres Pool (named statements) or PGlite (text + values). */
export type ScanClient = { query: (q: unknown, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> };
const clientOf = (db: Db) => (db as unknown as { $client: ScanClient }).$client;
/** node-postgres (Pool) takes a named statement; PGlite takes text + values. */
const isPgPool = (c: ScanClient) => c instanceof pg.Pool;

/** Connections of the dedicated scan pool (PostgreSQL). */
export const SCAN_POOL_MAX = 8;

/**
 * The scan path's own connections. On PostgreSQL: a small pool of its own (the public hot path does not queue behind
 * the back office, nor the back office behind a scan storm) whose sessions use `plan_cache_mode=force_generic_plan`:
 * the resolver statements are named prepared statements, and with the default `auto` PostgreSQL kept re-planning
 * them on every execution (2–4 ms of planning per scan, bench/README.md). On PGlite: the app's one client.
 */
export function openScanClient(db: Db): { client: ScanClient; close: () => Promise<void> } {
  const c = clientOf(db) as unknown;
  if (!(c instanceof pg.Pool)) return { client: c as ScanClient, close: async () => undefined };
  const base = c.options as pg.PoolConfig;
  const pool = new pg.Pool({
    ...base,
    max: SCAN_POOL_MAX,
    options: [base.options, '-c plan_cache_mode=force_generic_plan'].filter(Boolean).join(' '),
  });
  pool.on('error', () => undefined); // an idle connection dropped by the server: the pool replaces it
  return { client: pool as unknown as ScanClient, close: () => pool.end() };
}

const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function lotPartOf(r: Record<string, unknown>): LotPart {
  return {
    lotId: r.lotId as string, lotNumber: r.lotNumber as string, gtin: r.gtin as string | null, producedOn: r.producedOn as string,
    bestBefore: r.bestBefore as string | null, productId: r.productId as string, productName: r.productName as string, brand: r.brand as string | null,
    producerId: r.producerId as string, producerName: r.producerName as string, producerAddress: r.producerAddress as string | null, producerUnit: r.producerUnit as string | null,
    photo: parseJson(r.photo), cert: parseJson(r.cert), standards: parseJson(r.standards), areas: parseJson(r.areas), journey: parseJson(r.journey),
  };
}

function normalise(r: Record<string, unknown>): ResolvedStamp {
  return {
    lotId: r.lotId as string,
    productId: r.productId as string,
    rangeId: r.rangeId as string | null,
    rangeStatus: r.rangeStatus as ResolvedStamp['rangeStatus'],
    rangeReason: r.rangeReason as string | null,
    firstSerial: numOrNull(r.firstSerial),
    firstNo: numOrNull(r.firstNo),
    serial: numOrNull(r.serial),
    exceptionStatus: r.exceptionStatus as ResolvedStamp['exceptionStatus'],
    exceptionReason: r.exceptionReason as string | null,
    scans: r.rangeId ? Number(r.scans ?? 0) : null,
    lot: lotPartOf(r),
  };
}

/** One statement on the scan client: named (prepared once per connection) on PostgreSQL, plain on PGlite. */
export async function exec(c: ScanClient, name: string, text: string, values: unknown[]) {
  return isPgPool(c) ? c.query({ name, text, values }) : c.query(text, values);
}

async function run(c: ScanClient, name: string, text: string, values: unknown[]) {
  const res = await exec(c, name, text, values);
  return res.rows[0] ? normalise(res.rows[0]) : undefined;
}

/** The lot (and the stamp, when `serial` is given and issued) of a Digital Link; undefined when no such lot. */
export const resolveByLink = (c: ScanClient, gtin14: string, lot: string, serial: number | null) => run(c, 'stamp_scan_link', BY_LINK, [gtin14, lot, serial]);

/** The stamp of a short code's number; undefined when no range holds it. */
export const resolveByNumber = (c: ScanClient, no: bigint) => run(c, 'stamp_scan_number', BY_NUMBER, [no.toString()]);

export type BundleRange = { id: string; first: number; last: number; no: number; status: 'active' | 'inactive'; reason: string | null };
export type BundleException = { range: string; serial: number; status: 'inactive' | 'lost'; reason: string | null };
/** A lot's page data with all its ranges and exceptions (`complete` false: more than BUNDLE_MAX_ITEMS of either). */
export type LotBundle = {
  lot: LotPart; ranges: BundleRange[]; exceptions: BundleException[]; upLots: string[]; complete: boolean;
  /** `${rangeId}:${serial}` → scans in the log; `countsComplete` false: more scanned stamps than SCAN_COUNTS_MAX. */
  scanCounts: Map<string, number>; countsComplete: boolean;
};

async function bundle(c: ScanClient, name: string, text: string, values: unknown[]): Promise<LotBundle | undefined> {
  const res = await exec(c, name, text, values);
  const r = res.rows[0];
  if (!r) return undefined;
  const ranges = parseJson<BundleRange[]>(r.ranges).map((x) => ({ ...x, first: Number(x.first), last: Number(x.last), no: Number(x.no) }));
  const exceptions = parseJson<BundleException[]>(r.exceptions).map((x) => ({ ...x, serial: Number(x.serial) }));
  const counts = parseJson<[string, number, number][]>(r.scanCounts ?? '[]');
  return {
    scanCounts: new Map(counts.map(([range, serial, n]) => [`${range}:${serial}`, Number(n)])),
    countsComplete: counts.length <= SCAN_COUNTS_MAX,
    lot: lotPartOf(r),
    ranges,
    exceptions,
    upLots: parseJson<string[]>(r.upLots),
    complete: ranges.length <= BUNDLE_MAX_ITEMS && exceptions.length <= BUNDLE_MAX_ITEMS,
  };
}

/** One statement each: a lot's bundle by id, by Digital Link (GTIN-14 + lot number). */
export const loadBundleById = (c: ScanClient, lotId: string) => bundle(c, 'stamp_bundle_id', BUNDLE_BY_ID, [lotId]);
export const loadBundleByLink = (c: ScanClient, gtin14: string, lot: string) => bundle(c, 'stamp_bundle_link', BUNDLE_BY_LINK, [gtin14, lot]);

export async function serialIssued(c: ScanClient, lotId: string, serial: number): Promise<boolean> {
  return (await exec(c, 'stamp_serial_issued', SERIAL_ISSUED, [lotId, serial])).rows.length > 0;
}

/** Scans of one stamp in the log (index stamp_scans_stamp_idx). */
export async function stampScanCount(c: ScanClient, rangeId: string, serial: number): Promise<number> {
  const res = await exec(c, 'stamp_scan_count', 'select count(*)::int as n from stamp_scans where range_id = $1::uuid and serial = $2::int', [rangeId, serial]);
  return Number(res.rows[0]?.n ?? 0);
}

/** SGTIN without a lot (GTIN + serial, e.g. /01/<GTIN>/21/<serial>): the lots whose ranges hold the serial. Since
 *  migration 0017 serials are unique per GTIN (stamps/repository.takeGtinSerials), so at most one for new stamps;
 *  ranges issued before may still give two (the caller then asks for the lot). */
const LOTS_OF_GTIN_SERIAL = `select l.id as lot_id, l.lot_number from lots l
  join lateral (select r.last_serial from stamp_ranges r where r.lot_id = l.id and r.first_serial <= $2::int order by r.first_serial desc limit 1) r on r.last_serial >= $2::int
  where l.gtin = $1 order by l.created_at, l.id limit 2`;
export async function lotsOfGtinSerial(c: ScanClient, gtin14: string, serial: number): Promise<{ lotId: string; lotNumber: string }[]> {
  return (await exec(c, 'stamp_lots_of_gtin_serial', LOTS_OF_GTIN_SERIAL, [gtin14, serial])).rows.map((r) => ({ lotId: r.lot_id as string, lotNumber: r.lot_number as string }));
}

export async function lotOfNumber(c: ScanClient, no: bigint): Promise<string | undefined> {
  return (await exec(c, 'stamp_lot_of_number', LOT_OF_NUMBER, [no.toString()])).rows[0]?.lot_id as string | undefined;
}

/** One transaction on one connection with raw parameterised statements (the scan log's batch writes). */
export function rawTransaction(db: Db) {
  const c = clientOf(db) as unknown;
  if (c instanceof pg.Pool) {
    return async (fn: (tx: { query: (text: string, values: unknown[]) => Promise<unknown> }) => Promise<void>) => {
      const conn = await c.connect();
      try {
        await conn.query('begin');
        await fn({ query: (text, values) => conn.query(text, values) });
        await conn.query('commit');
      } catch (err) {
        await conn.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        conn.release();
      }
    };
  }
  const lite = c as { transaction: (f: (tx: { query: (t: string, v: unknown[]) => Promise<unknown> }) => Promise<void>) => Promise<void> };
  return async (fn: (tx: { query: (text: string, values: unknown[]) => Promise<unknown> }) => Promise<void>) => {
    await lite.transaction(async (tx) => { await fn({ query: (text, values) => tx.query(text, values) }); });
  };
}

/** Storage key of a photo's thumbnail, only for products whose lots carry stamps (those the scan pages show). */
export async function findPublicPhotoKey(c: ScanClient, photoId: string): Promise<string | undefined> {
  const text = `select ph.thumb_key from product_photos ph where ph.id = $1
    and exists (select 1 from lots l join stamp_ranges sr on sr.lot_id = l.id where l.product_id = ph.product_id)`;
  const res = await exec(c, 'stamp_scan_photo', text, [photoId]);
  return (res.rows[0]?.thumb_key as string | undefined) ?? undefined;
}
