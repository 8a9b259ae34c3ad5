// `node bench/scan.mjs`: the public stamp resolver (scan pages) at national scale on PostgreSQL — 100,000 lots,
// 500,000 EPCIS trace events, 1,000,000 stamps in 100,000 ranges, 300,000 earlier scans, over 9,000 producers and
// 17,000 products — against a bare node:http server returning a page of the same size, in the same run. Every request
// is a random stamp: GS1 Digital Link `/01/<GTIN-14>/10/<lot>/21/<serial>` for lots with a GTIN, `/t/<short code>`
// for lots without, a few percent unknown serials/codes. Records throughput, the ratio to the bare server, exact
// p50/p97.5/p99 latency, non-2xx and errors, the page weight, and where the time goes (the resolver's one statement
// on its own, EXPLAIN ANALYZE); writes its section of bench/README.md. Traffic goes only to 127.0.0.1.
// The app is measured twice, each time freshly started: with the in-process scan cache off (SCAN_CACHE_LOTS=0: every
// scan runs the resolver statement on PostgreSQL) and on (SCAN_CACHE_LOTS=BENCH_CACHE_LOTS, cold at the start of
// the warm-up); the report states how many distinct lots the request set touches against the cache size.
//
// Env: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:55432/ocop_bench — created if missing; its schema `public`
// is dropped and recreated unless BENCH_REUSE=1 and it already holds the scan data) · BENCH_LOTS (100000) ·
// BENCH_STAMPS_PER_LOT (10) · BENCH_PRODUCERS / BENCH_PRODUCTS (9000 / 17000) · BENCH_PATHS (20000 random request
// paths) · BENCH_UNKNOWN_PCT (3) · BENCH_WARMUP (3 s) · BENCH_ROUNDS × BENCH_SLICE (5 × 5 s: bare and app alternate) · BENCH_CONNECTIONS (50) ·
// BENCH_PORT (3957; the bare server uses BENCH_BARE_PORT, default port + 1) · BENCH_NODE_ARGS (flags for the app's node) · BENCH_CACHE_LOTS (20000, the app's default) · BENCH_SEED_ONLY=1 (stop after seeding) · BENCH_PROFILE_ONLY=1 (only
// time and EXPLAIN the resolver statement) · BENCH_NO_README=1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { register } from 'tsx/esm/api';
import { childProcesses, ensureTestPostgres, fetchPage as fetchWith, portFree, stopTestPostgres, waitHealthy as waitUp, writeReadmeSection } from './lib.mjs';

register();
const gs1 = await import('../src/shared/gs1.ts');

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const env = process.env;
const PG_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/ocop_bench';
const LOTS = Number(env.BENCH_LOTS ?? 100000);
const PER_LOT = Number(env.BENCH_STAMPS_PER_LOT ?? 10);
const PRODUCERS = Number(env.BENCH_PRODUCERS ?? 9000);
const PRODUCTS = Number(env.BENCH_PRODUCTS ?? 17000);
const N_PATHS = Number(env.BENCH_PATHS ?? 20000);
const UNKNOWN_PCT = Number(env.BENCH_UNKNOWN_PCT ?? 3);
const WARMUP = Number(env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 50);
const PORT = Number(env.BENCH_PORT ?? 3957);
const BASE_PORT = Number(env.BENCH_BARE_PORT ?? PORT + 1);
const CACHE_LOTS = Number(env.BENCH_CACHE_LOTS ?? 20000);
/** The bare baseline is measured interleaved with the app: ROUNDS × (bare SLICE s, app SLICE s), same conditions. */
const ROUNDS = Number(env.BENCH_ROUNDS ?? 5);
const SLICE = Number(env.BENCH_SLICE ?? 5);
const PUBLIC_BASE = `http://127.0.0.1:${PORT}`;
const PAGE_LIMIT = 30 * 1024;
const TARGET = { ratio: 0.3, p99: 50 };
if (LOTS % 10 !== 0) throw new Error('BENCH_LOTS must be a multiple of 10');

const log = (...a) => console.error(`[bench:scan ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const f1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const { startChild, stopChild, runNode, killAll } = childProcesses({ root, env });

// ---------------------------------------------------------------- database
async function prepareDatabase() {
  const u = new URL(PG_URL);
  const startedPg = await ensureTestPostgres({ root, url: PG_URL, explicit: Boolean(env.BENCH_DATABASE_URL), log });
  const dbName = decodeURIComponent(u.pathname.slice(1));
  const admin = new pg.Client({ connectionString: Object.assign(new URL(PG_URL), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [dbName]);
    if (!exists.rowCount) await admin.query(`create database "${dbName.replace(/"/g, '')}"`);
  } finally { await admin.end(); }
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const version = (await c.query('show server_version')).rows[0].server_version;
    if (env.BENCH_REUSE) {
      const have = await c.query(`select (select count(*) from lots)::int as lots, (select count(*) from trace_events)::int as events,
        (select coalesce(sum(last_serial - first_serial + 1), 0) from stamp_ranges)::int as stamps`).catch(() => null);
      if (have?.rows[0].lots === LOTS && have.rows[0].stamps === LOTS * PER_LOT) {
        log('reusing the seeded database', have.rows[0]);
        return { startedPg, version, reused: true };
      }
    }
    await c.query('drop schema if exists public cascade; create schema public; drop schema if exists pgboss cascade;');
    return { startedPg, version, reused: false };
  } finally { await c.end(); }
}

/** Lot URI as shared/epcis.ts lotUri writes it (Digital Link class URI, or the platform's /lot/<uuid>). */
const LOT_URI = `case when bl.gtin is not null then $1 || '/01/' || bl.gtin || '/10/' || replace(bl.lot_number, '/', '%2F') else $1 || '/lot/' || bl.id end`;
const CONTEXT = JSON.stringify(['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { ocop: 'urn:ocop-hub:epcis:', cbvmda: 'urn:epcglobal:cbv:mda:' }]);
const enc = (s) => encodeURIComponent(s).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const DESTINATIONS = ['Cửa khẩu Hữu Nghị, Lạng Sơn', 'Chợ đầu mối Long Biên, Hà Nội', 'Kho lạnh Đình Vũ, Hải Phòng', 'Siêu thị WinMart Times City', 'Cảng Cát Lái, TP. Hồ Chí Minh'];

/**
 * Event documents have the shape src/shared/epcis.ts toEpcisEvent gives the lots service's form events (readPoint a
 * growing area for harvests, a packing house for processing and packing, none for shipping/receiving/inspection whose
 * source and destination are text places), so the resolver reads what production holds.
 *
 * Set-based seeding (generate_series / insert … select), after bench/generate.ts made producers, products and their
 * certificates with the app's migrations and reference data. Lots in decades of ten: lots 7–10 of a decade are raw
 * (harvested) lots, lots 1–4 are processed from two raw lots of their decade (TransformationEvent), so a journey
 * crosses one transformation and never chains further.
 */
async function seedTrace(c) {
  const step = async (label, sql, params = []) => {
    const t = Date.now();
    const r = await c.query(sql, params);
    log(`  ${label}: ${r.rowCount ?? ''} rows in ${Date.now() - t} ms`);
  };
  await c.query('set synchronous_commit = off');
  await step('products numbered, GTIN-14 (prefix 893) for 60 %', `create temp table bp as
    select row_number() over (order by p.id)::int as n, p.id, p.producer_id, p.registered_unit_id as unit_id, null::text as gtin
    from products p`);
  await c.query(`update bp set gtin = body || ((10 - (select sum(substr(body, j, 1)::int * case when j % 2 = 1 then 3 else 1 end)
      from generate_series(1, 13) j) % 10) % 10)::text
    from (select n as bn, '0893' || lpad(n::text, 9, '0') as body from bp) b where b.bn = bp.n and bp.n % 5 < 3`);
  await c.query('create unique index on bp(n); analyze bp');
  const nProducts = Number((await c.query('select count(*) from bp')).rows[0].count);

  await step('growing areas', `insert into growing_areas (code, crop, area_ha, households, owner_producer_id, unit_id, location, markets, issuing_authority, issued_on, valid_to)
    select 'VN-BGLN-' || lpad(g::text, 5, '0'), (array['Vải thiều', 'Nhãn', 'Cam', 'Bưởi', 'Chè', 'Lúa'])[1 + g % 6], (10 + (g * 37) % 400)::numeric / 4,
      10 + g % 90, bp.producer_id, bp.unit_id,
      jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(round(106.3 + (g % 100) * 0.005, 5), round(21.2 + (g % 77) * 0.004, 5))),
      case g % 4 when 0 then '{cn}'::text[] when 1 then '{cn,jp}' when 2 then '{cn,us,eu}' else '{domestic}' end,
      'Cục Bảo vệ thực vật', date '2023-03-01' + g % 400, date '2026-03-01' + g % 400
    from generate_series(1, 3000) g join bp on bp.n = 1 + (g * 13) % $1`, [nProducts]);
  await step('packing houses', `insert into packing_houses (code, name, owner_producer_id, unit_id, markets, issuing_authority, issued_on, valid_to)
    select 'VN-PH-' || lpad(g::text, 4, '0'), 'Cơ sở đóng gói ' || g, bp.producer_id, bp.unit_id,
      case g % 3 when 0 then '{cn}'::text[] when 1 then '{cn,jp,us}' else '{eu,au}' end, 'Cục Bảo vệ thực vật', date '2023-05-01', date '2026-05-01'
    from generate_series(1, 600) g join bp on bp.n = 1 + (g * 29) % $1`, [nProducts]);
  await c.query(`create temp table ga as select row_number() over (order by code)::int as n, id, code from growing_areas;
    create temp table ph as select row_number() over (order by code)::int as n, id, code from packing_houses;
    create unique index on ga(n); create unique index on ph(n)`);

  // Lots: 1 % of lot numbers carry a "/" (percent-encoded as %2F in URIs).
  await step('lots (temp)', `create temp table bl as
    select i, (i - 1) % 10 as j, gen_random_uuid() as id, bp.id as product_id, bp.producer_id, bp.gtin,
      case when i % 100 = 0 then 'VT/' || to_char(d, 'YYMM') || '/' || i else 'L' || to_char(d, 'YYMMDD') || '-' || i end as lot_number, d as produced_on,
      (select id from ph where ph.n = 1 + (i * 7) % 600) as packing_house_id,
      (select code from ph where ph.n = 1 + (i * 7) % 600) as house_code,
      (select id from ga where ga.n = 1 + (i * 31) % 3000) as area_id,
      (select code from ga where ga.n = 1 + (i * 31) % 3000) as area_code,
      ((date '2024-05-01' + (i % 540)) + time '06:30') at time zone 'Asia/Ho_Chi_Minh' as t0
    from generate_series(1, $1::int) i
    cross join lateral (select date '2024-05-01' + (i % 540) as d) dd
    join bp on bp.n = 1 + ((i::bigint * 7919) % $2)`, [LOTS, nProducts]);
  await c.query('create unique index on bl(i); analyze bl');
  await step('lots', `insert into lots (id, product_id, producer_id, lot_number, gtin, produced_on, quantity, quantity_unit, best_before, packing_house_id, created_at, updated_at)
    select id, product_id, producer_id, lot_number, gtin, produced_on, 100 + i % 900, 'KGM', produced_on + 30 + i % 300,
      case when i % 10 < 7 then packing_house_id end, t0, t0 from bl`);
  await step('lot_growing_areas', `insert into lot_growing_areas (lot_id, growing_area_id)
    select id, area_id from bl union select id, (select id from ga where ga.n = 1 + (i * 17 + 5) % 3000) from bl where i % 20 = 7`);

  // Events: harvest for every lot, processing for lots 1–4 of a decade (inputs: two raw lots 7–10 of the decade),
  // packing, inspection (lots 1, 7 excepted), shipping, receiving (lots 1, 6 excepted): 500,000 for 100,000 lots.
  await step('events (temp)', `create temp table se as
    select gen_random_uuid() as id, k.kind, bl.i, bl.id as lot_id, bl.t0 + k.off as t
    from bl cross join (values ('harvest', interval '0'), ('processing', interval '20 hours'), ('packing', interval '1 day 2 hours'),
      ('inspection', interval '1 day 5 hours'), ('shipping', interval '2 days'), ('receiving', interval '3 days 4 hours')) k(kind, off)
    where case k.kind when 'processing' then bl.j < 4 when 'inspection' then bl.j not in (0, 6) when 'receiving' then bl.j not in (0, 5) else true end`);
  await c.query('create index on se(i, kind); analyze se');
  await step('processing inputs (temp)', `create temp table pin as
    select se.id as event_id, r.id as lot_id, r.lot_uri, 50 + se.i % 200 as qty
    from se join bl o on o.i = se.i
    cross join lateral (select x.id, ${LOT_URI.replace(/bl\./g, 'x.')} as lot_uri from bl x
      where x.i in (o.i - o.j + 6 + o.j % 4, o.i - o.j + 6 + (o.j + 1) % 4)) r
    where se.kind = 'processing'`, [PUBLIC_BASE]);
  await c.query('create index on pin(event_id); analyze pin');

  const qty = `jsonb_build_array(jsonb_build_object('epcClass', ${LOT_URI}, 'quantity', 100 + bl.i % 900, 'uom', 'KGM'))`;
  await step('trace_events', `insert into trace_events (id, event_id, type, action, kind, event_time, event_tz, record_time, biz_step, disposition, read_point, document, source)
    select se.id, 'urn:uuid:' || se.id, v.type, v.action, se.kind, se.t, '+07:00', se.t + interval '5 minutes', v.biz_step, v.disposition, v.read_point,
      jsonb_strip_nulls(jsonb_build_object(
        '@context', $2::jsonb, 'type', v.type, 'eventID', 'urn:uuid:' || se.id,
        'eventTime', to_char(se.t at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS') || '+07:00', 'eventTimeZoneOffset', '+07:00',
        'action', v.action, 'bizStep', v.biz_step, 'disposition', v.disposition,
        'readPoint', case when v.read_point is not null then jsonb_build_object('id', v.read_point) end,
        'quantityList', case when se.kind in ('harvest', 'inspection', 'shipping', 'receiving') then ${qty} end,
        'childQuantityList', case when se.kind = 'packing' then ${qty} end,
        'parentID', case when se.kind = 'packing' then 'urn:ocop-hub:parent:THUNG-' || se.i end,
        'inputQuantityList', case when se.kind = 'processing' then
          (select jsonb_agg(jsonb_build_object('epcClass', pin.lot_uri, 'quantity', pin.qty, 'uom', 'KGM')) from pin where pin.event_id = se.id) end,
        'outputQuantityList', case when se.kind = 'processing' then ${qty} end,
        'ilmd', case when se.kind = 'harvest' then jsonb_build_object(
          'cbvmda:harvestStartDate', bl.produced_on::text, 'cbvmda:harvestEndDate', bl.produced_on::text,
          'cbvmda:bestBeforeDate', (bl.produced_on + 30 + bl.i % 300)::text, 'cbvmda:countryOfOrigin', 'VN',
          'ocop:growingAreaCodes', jsonb_build_array(bl.area_code)) end,
        'bizTransactionList', case when se.kind = 'shipping' then jsonb_build_array(jsonb_build_object('type', 'desadv', 'bizTransaction', 'urn:ocop-hub:bt:PX-' || se.i)) end,
        'sourceList', case when se.kind = 'shipping' then jsonb_build_array(jsonb_build_object('type', 'location', 'source', $4 || bl.house_code)) end,
        'destinationList', case when se.kind = 'shipping' then jsonb_build_array(jsonb_build_object('type', 'location', 'destination', ($3::text[])[1 + se.i % 5])) end,
        'ocop:inspector', case when se.kind = 'inspection' then 'Chi cục Trồng trọt và Bảo vệ thực vật' end
      )), 'form'
    from se join bl on bl.i = se.i
    cross join lateral (select
      case se.kind when 'processing' then 'TransformationEvent' when 'packing' then 'AggregationEvent' else 'ObjectEvent' end as type,
      case se.kind when 'processing' then null when 'harvest' then 'ADD' when 'packing' then 'ADD' else 'OBSERVE' end as action,
      case se.kind when 'harvest' then 'commissioning' when 'processing' then 'commissioning' when 'packing' then 'packing'
        when 'inspection' then 'inspecting' else se.kind end as biz_step,
      case se.kind when 'harvest' then 'active' when 'processing' then 'active' when 'packing' then 'in_progress' when 'shipping' then 'in_transit'
        when 'receiving' then 'in_progress' else case when se.i % 50 = 0 then 'non_conformant' else 'conformant' end end as disposition,
      case se.kind when 'harvest' then $1 || '/vung-trong/' || bl.area_code when 'processing' then $1 || '/co-so-dong-goi/' || bl.house_code
        when 'packing' then $1 || '/co-so-dong-goi/' || bl.house_code end as read_point
    ) v`, [PUBLIC_BASE, CONTEXT, DESTINATIONS.map((d) => `urn:ocop-hub:place:${enc(d)}`), `urn:ocop-hub:place:${enc('Cơ sở đóng gói ')}`]);
  await step('trace_event_lots', `insert into trace_event_lots (event_id, lot_id, role, quantity, uom)
    select se.id, se.lot_id, case se.kind when 'processing' then 'output' when 'packing' then 'child' else 'subject' end, 100 + se.i % 900, 'KGM' from se
    union all
    select pin.event_id, pin.lot_id, 'input', pin.qty, 'KGM' from pin`);

  // Stamps: one range of PER_LOT per lot (stamp numbers contiguous platform-wide); 0.5 % of ranges deactivated,
  // one stamp in 500 lots reported lost.
  await step('stamp_ranges', `insert into stamp_ranges (lot_id, first_serial, last_serial, first_no, status, status_reason, status_at, issued_at)
    select id, 1, $1::int, (i - 1)::bigint * $1 + 1, case when i % 200 = 0 then 'inactive' else 'active' end,
      case when i % 200 = 0 then 'Lô bị thu hồi' end, case when i % 200 = 0 then t0 + interval '10 days' end, t0 + interval '1 day'
    from bl`, [PER_LOT]);
  await step('stamp_exceptions', `insert into stamp_exceptions (range_id, serial, status, reason)
    select r.id, 3, 'lost', 'Mất khi vận chuyển' from stamp_ranges r join bl on bl.id = r.lot_id where bl.i % 500 = 0`);
  await step('stamp_scans (history)', `insert into stamp_scans (scanned_at, outcome, lot_id, product_id, range_id, serial, client, lang)
    select now() - (g % 9000) * interval '1 hour' - (g % 60) * interval '1 minute', 'ok', bl.id, bl.product_id, r.id, 1 + g % $2, case when g % 5 = 0 then 'desktop' else 'mobile' end, 'vi'
    from generate_series(1, 300000) g join bl on bl.i = 1 + (g::bigint * 104729) % $1 join stamp_ranges r on r.lot_id = bl.id`, [LOTS, PER_LOT]);
  await step('analyze', 'analyze');
}

async function seed(pgInfo) {
  const r = {};
  if (pgInfo.reused) return r;
  log(`generating ${PRODUCERS} producers and ${PRODUCTS} products (bench/generate.ts: migrations, reference data, certificates)`);
  let t0 = Date.now();
  const gen = await runNode(['--import', 'tsx', 'bench/generate.ts'], { DATABASE_URL: PG_URL, BENCH_PRODUCERS: String(PRODUCERS), BENCH_PRODUCTS: String(PRODUCTS) }, 15 * 60000, 'generate');
  r.registry = JSON.parse(gen.trim().split('\n').pop());
  r.generateMs = Date.now() - t0;
  log(`registry generated in ${r.generateMs} ms`);
  t0 = Date.now();
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try { await seedTrace(c); } finally { await c.end(); }
  r.traceMs = Date.now() - t0;
  log(`trace data seeded in ${r.traceMs} ms`);
  return r;
}

async function dataCounts(c) {
  const q = async (sql) => Number((await c.query(sql)).rows[0].n);
  return {
    producers: await q('select count(*) as n from producers'), products: await q('select count(*) as n from products'),
    certificates: await q('select count(*) as n from certificates'), growingAreas: await q('select count(*) as n from growing_areas'),
    packingHouses: await q('select count(*) as n from packing_houses'), lots: await q('select count(*) as n from lots'),
    lotsWithGtin: await q('select count(*) as n from lots where gtin is not null'), events: await q('select count(*) as n from trace_events'),
    eventLots: await q('select count(*) as n from trace_event_lots'), ranges: await q('select count(*) as n from stamp_ranges'),
    stamps: await q('select sum(last_serial - first_serial + 1) as n from stamp_ranges'), scans: await q('select count(*) as n from stamp_scans'),
    dbMb: Math.round(await q('select pg_database_size(current_database()) as n') / 2 ** 20),
    eventsByKind: (await c.query('select kind, count(*)::int as n from trace_events group by kind order by kind')).rows,
  };
}

// ---------------------------------------------------------------- request paths
/** N random stamps (random range, random serial in it) as request paths; UNKNOWN_PCT % name no issued stamp. */
async function requestPaths(c) {
  const ranges = (await c.query(`select l.id as lot_id, l.gtin, l.lot_number, r.first_serial, r.last_serial, r.first_no::text as first_no, r.status
    from stamp_ranges r join lots l on l.id = r.lot_id`)).rows;
  const maxNo = Number((await c.query('select max(last_no)::text as n from stamp_ranges')).rows[0].n);
  const paths = [];
  const kinds = { link: 0, short: 0, unknownLink: 0, unknownShort: 0 };
  const lots = new Set(); // distinct lots the paths name (unknown serials of a known lot included; unknown codes name none)
  const rnd = (n) => Math.floor(Math.random() * n);
  for (let k = 0; k < N_PATHS; k++) {
    const r = ranges[rnd(ranges.length)];
    const unknown = Math.random() * 100 < UNKNOWN_PCT;
    if (r.gtin || !unknown) lots.add(r.lot_id);
    const serial = unknown ? r.last_serial + 1 + rnd(1000) : r.first_serial + rnd(r.last_serial - r.first_serial + 1);
    if (r.gtin) {
      const dl = gs1.buildDigitalLink({ base: 'http://x', gtin: r.gtin, lot: r.lot_number, serial: String(serial) });
      if (!dl.ok) throw new Error(`${r.gtin} ${r.lot_number}: ${dl.message}`);
      paths.push(dl.value.slice('http://x'.length));
      kinds[unknown ? 'unknownLink' : 'link']++;
    } else {
      const no = unknown ? maxNo + 1 + rnd(1_000_000) : Number(r.first_no) + (serial - r.first_serial);
      paths.push(`/t/${gs1.makeShortCode(no)}`);
      kinds[unknown ? 'unknownShort' : 'short']++;
    }
  }
  return { paths, kinds, distinctLots: lots.size, sample: {
    // Known stamps only (an unknown serial's 404 page is not the page the bare server should serve).
    link: paths.find((p) => p.startsWith('/01/') && !p.includes('%2F') && Number(/\/21\/(\d+)$/.exec(p)[1]) <= PER_LOT),
    encoded: paths.find((p) => p.includes('%2F') && Number(/\/21\/(\d+)$/.exec(p)[1]) <= PER_LOT),
    short: paths.find((p) => p.startsWith('/t/') && gs1.parseShortCode(p.slice(3)).value.value <= BigInt(LOTS * PER_LOT)),
  } };
}

// ---------------------------------------------------------------- http
const MOBILE = { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) Mobile' };
const fetchPage = (port, p) => fetchWith(port, p, MOBILE);
const waitHealthy = (port, child, p = '/healthz') => waitUp(port, child, { path: p, limitMs: 90000, everyMs: 50 });

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
/** autocannon with a per-request path from `nextPath`; exact percentiles from every response's latency. */
async function load(port, nextPath, seconds, amount) {
  const lat = [];
  const statuses = {};
  let bytes = 0;
  const result = await new Promise((resolve, reject) => {
    const inst = autocannon({
      url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, ...(amount ? { amount } : { duration: seconds }),
      headers: { accept: 'text/html', 'user-agent': 'Mozilla/5.0 (Linux; Android 14) Mobile' },
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: nextPath() }) }],
    }, (err, r) => (err ? reject(err) : resolve(r)));
    inst.on('response', (_c, status, resBytes, ms) => {
      lat.push(ms);
      bytes += resBytes;
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  lat.sort((a, b) => a - b);
  const non2xx = Object.entries(statuses).filter(([s]) => s[0] !== '2').reduce((a, [, n]) => a + n, 0);
  return {
    rps: result.requests.average, total: result.requests.total, errors: result.errors, timeouts: result.timeouts, non2xx, statuses,
    p50: pct(lat, 50), p975: pct(lat, 97.5), p99: pct(lat, 99), max: lat[lat.length - 1], avgBytes: lat.length ? bytes / lat.length : 0,
    ac: { p50: result.latency.p50, p975: result.latency.p97_5, p99: result.latency.p99 },
    lat, bytes, seconds: result.duration,
  };
}

/** Several runs of `load` as one: requests per second over their total time, exact percentiles over every response. */
function mergeLoads(runs) {
  const lat = runs.flatMap((x) => x.lat).sort((a, b) => a - b);
  const statuses = {};
  for (const x of runs) for (const [k, v] of Object.entries(x.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const total = runs.reduce((a, x) => a + x.total, 0);
  const seconds = runs.reduce((a, x) => a + x.seconds, 0);
  const bytes = runs.reduce((a, x) => a + x.bytes, 0);
  return {
    rps: total / seconds, total, errors: runs.reduce((a, x) => a + x.errors, 0), timeouts: runs.reduce((a, x) => a + x.timeouts, 0),
    non2xx: runs.reduce((a, x) => a + x.non2xx, 0), statuses,
    p50: pct(lat, 50), p975: pct(lat, 97.5), p99: pct(lat, 99), max: lat[lat.length - 1], avgBytes: lat.length ? bytes / lat.length : 0,
    lat: [], bytes, seconds, rounds: runs.map((x) => Math.round(x.rps)),
  };
}

const BARE_SERVER = `
const http = require('node:http');
const body = Buffer.from(process.env.BODY_B64, 'base64');
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' });
  res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

// ---------------------------------------------------------------- where the time goes
/**
 * The resolver's own statement(s) (src/server/modules/stamps/resolve.ts), called through its exported functions on a
 * pg Pool: timed sequentially on the idle database, and once under EXPLAIN (ANALYZE, BUFFERS) by rewriting the
 * statement the function sends.
 */
async function profileResolver(sample) {
  const resolve = await import('../src/server/modules/stamps/resolve.ts');
  // As the app's scan pool runs it (resolve.ts openScanClient): generic plans.
  const pool = new pg.Pool({ connectionString: PG_URL, max: 1, options: '-c plan_cache_mode=force_generic_plan' });
  const out = { timings: {} };
  try {
    const db = pool;
    const parse = (p) => {
      if (p.startsWith('/t/')) return { kind: 'short', no: gs1.parseShortCode(p.slice(3)).value.value };
      const m = /^\/01\/(\d{14})\/10\/([^/]+)\/21\/(\d+)$/.exec(p);
      return { kind: 'link', gtin: m[1], lot: decodeURIComponent(m[2]), serial: Number(m[3]) };
    };
    const call = (x) => (x.kind === 'short' ? resolve.resolveByNumber(db, x.no) : resolve.resolveByLink(db, x.gtin, x.lot, x.serial));
    for (const [label, list] of Object.entries(sample)) {
      const xs = list.map(parse);
      for (const x of xs.slice(0, 20)) await call(x); // warm the connection's prepared statement and the cache
      const ms = [];
      for (const x of xs) { const t = performance.now(); await call(x); ms.push(performance.now() - t); }
      ms.sort((a, b) => a - b);
      out.timings[label] = { n: ms.length, p50: pct(ms, 50), p99: pct(ms, 99) };
    }
    // EXPLAIN: the same call, with the statement text prefixed and the plan captured.
    const origQuery = pool.query.bind(pool);
    let plan = '';
    pool.query = async (q, values) => {
      const text = typeof q === 'string' ? q : q.text;
      const v = typeof q === 'string' ? values : q.values;
      const r = await origQuery(`explain (analyze, buffers, costs off) ${text}`, v);
      plan = r.rows.map((x) => x['QUERY PLAN']).join('\n');
      return { rows: [] };
    };
    out.plans = {};
    for (const [label, list] of Object.entries(sample)) {
      await call(parse(list[0]));
      out.plans[label] = plan;
    }
  } finally { await pool.end(); }
  return out;
}

// ---------------------------------------------------------------- run
async function main() {
  const started = Date.now();
  const r = { loadBefore: os.loadavg().map((x) => x.toFixed(2)).join(' / ') };
  const pgInfo = await prepareDatabase();
  r.engine = `PostgreSQL ${pgInfo.version} (Debian, fsync=off, 127.0.0.1)`;
  r.seed = await seed(pgInfo);
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    r.data = await dataCounts(c);
    log('data', JSON.stringify(r.data));
    if (env.BENCH_SEED_ONLY) { log('BENCH_SEED_ONLY: stopping after the seed'); process.exit(0); }
    r.req = await requestPaths(c);
  } finally { await c.end(); }
  const { paths } = r.req;
  log(`${paths.length} request paths`, r.req.kinds);
  const pick = (f, k = 300) => paths.filter(f).slice(0, k);
  const profileSample = () => ({
    link: pick((p) => p.startsWith('/01/') && Number(/\/21\/(\d+)$/.exec(p)[1]) <= PER_LOT),
    short: pick((p) => p.startsWith('/t/') && gs1.parseShortCode(p.slice(3)).value.value <= BigInt(LOTS * PER_LOT)),
  });
  if (env.BENCH_PROFILE_ONLY) {
    const prof = await profileResolver(profileSample());
    console.log(JSON.stringify(prof.timings), '\n', Object.values(prof.plans).join('\n\n'));
    process.exit(0);
  }
  if (!(await portFree(PORT)) || !(await portFree(BASE_PORT))) throw new Error(`port ${PORT} or ${BASE_PORT} is busy (set BENCH_PORT)`);
  const startApp = (cacheLots) => {
    const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-scan-files-'));
    // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/scan-prof") go to the app's node: profile the served path.
    const nodeArgs = (env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = startChild([...nodeArgs, '--import', 'tsx', 'src/server/main.ts'], {
      DATABASE_URL: PG_URL, DATA_DIR: filesDir, PORT: String(PORT), HOST: '127.0.0.1', PUBLIC_BASE_URL: PUBLIC_BASE,
      SEED_DEMO: 'never', LOG_LEVEL: 'warn', NODE_ENV: 'production', JOBS: 'off', SCAN_CACHE_LOTS: String(cacheLots),
    }, `server (SCAN_CACHE_LOTS=${cacheLots})`);
    return { child, stop: async () => { await stopChild(child); fs.rmSync(filesDir, { recursive: true, force: true }); } };
  };
  const rssOf = (child) => {
    try {
      return Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
    } catch { return null; /* not Linux */ }
  };
  /**
   * A freshly started app, warm-up, then ROUNDS × (bare SLICE s, app SLICE s) — the bare server (started once, idle
   * while the app is measured and the other way round) is measured under the same conditions as each app slice, so
   * the ratio does not depend on what else the machine did before or after. The app walks the paths endlessly.
   */
  async function measureApp(label, cacheLots) {
    const app = startApp(cacheLots);
    try {
      const coldStartMs = await waitHealthy(PORT, app.child);
      log(`${label}: server up in ${coldStartMs} ms; ${CONNECTIONS} connections`);
      let cursor = 0;
      const next = () => paths[cursor++ % paths.length];
      // Cache on: the warm-up is one pass over every path (the cache starts empty: that pass is mostly misses and is
      // reported as the cold pass); cache off: WARMUP seconds.
      const w = cacheLots > 0 ? await load(PORT, next, 0, paths.length) : await load(PORT, next, WARMUP);
      if (cacheLots > 0) log(`${label}: cold pass over ${paths.length} paths: ${Math.round(w.rps)} req/s, p99 ${f1(w.p99)} ms`);
      await load(BASE_PORT, () => '/', WARMUP);
      const bares = [];
      const apps = [];
      for (let i = 0; i < ROUNDS; i++) {
        bares.push(await load(BASE_PORT, () => '/', SLICE));
        apps.push(await load(PORT, next, SLICE));
        log(`${label}: round ${i + 1}: bare ${Math.round(bares[i].rps)} req/s, app ${Math.round(apps[i].rps)} req/s (× ${(apps[i].rps / bares[i].rps).toFixed(3)}), app p99 ${f1(apps[i].p99)} ms`);
      }
      const x = mergeLoads(apps);
      x.base = mergeLoads(bares);
      x.ratio = x.rps / x.base.rps;
      x.roundRatios = apps.map((a, i) => a.rps / bares[i].rps);
      x.sent = w.total + x.total;
      w.lat = [];
      x.cold = cacheLots > 0 ? w : null;
      x.cacheLots = cacheLots;
      x.coldStartMs = coldStartMs;
      x.rssMb = rssOf(app.child);
      log(`${label}: ${Math.round(x.rps)} req/s vs bare ${Math.round(x.base.rps)} (× ${x.ratio.toFixed(3)}), p50 ${f1(x.p50)} p97.5 ${f1(x.p975)} p99 ${f1(x.p99)} ms, statuses ${JSON.stringify(x.statuses)}, errors ${x.errors}, RSS ${x.rssMb} MB`);
      await sleep(600); // let the scan log flush
      return x;
    } finally { await app.stop(); }
  }

  const first = startApp(CACHE_LOTS);
  let typical;
  try {
    r.coldStartMs = await waitHealthy(PORT, first.child);
    // Page weight and status of each kind of request, before the load.
    r.pages = {};
    const unknownLink = paths.find((p) => p.startsWith('/01/') && Number(/\/21\/(\d+)$/.exec(p)[1]) > PER_LOT);
    const unknownShort = paths.find((p) => p.startsWith('/t/') && gs1.parseShortCode(p.slice(3)).value.value > BigInt(LOTS * PER_LOT));
    for (const [k, p] of Object.entries({ ...r.req.sample, unknownLink, unknownShort })) {
      if (!p) continue;
      const page = await fetchPage(PORT, p);
      r.pages[k] = { path: p, status: page.status, bytes: page.bytes, headerBytes: page.headerBytes, type: page.type, cache: page.cache, script: /<script/i.test(page.body) };
      log(`  ${k} ${p} → ${page.status} ${page.bytes} B`);
    }
    typical = await fetchPage(PORT, r.req.sample.link);
    if (typical.status !== 200) throw new Error(`scan page ${r.req.sample.link} answered ${typical.status}: ${typical.body.slice(0, 500)}`);
  } finally { await first.stop(); }

  log('bare node:http with the same page (measured interleaved with each app run)');
  const bare = startChild(['-e', BARE_SERVER], { PORT: String(BASE_PORT), BODY_B64: Buffer.from(typical.body).toString('base64') }, 'bare node:http');
  try {
    await waitHealthy(BASE_PORT, bare, '/');
    r.off = await measureApp('app, cache off', 0);
    r.app = await measureApp(`app, cache on (${CACHE_LOTS} lots)`, CACHE_LOTS);
    r.base = r.app.base;
  } finally { await stopChild(bare); }
  r.loadAfter = os.loadavg().map((x) => x.toFixed(2)).join(' ');

  const c2 = new pg.Client({ connectionString: PG_URL });
  await c2.connect();
  try {
    r.scansAfter = Number((await c2.query('select count(*) as n from stamp_scans')).rows[0].n);
    r.flags = (await c2.query('select kind, count(*)::int as n from stamp_flags group by kind order by kind')).rows;
  } finally { await c2.end(); }

  log('profiling the resolver statement');
  r.profile = await profileResolver(profileSample());
  log('resolver alone', JSON.stringify(r.profile.timings));

  const section = report(r);
  console.log(section);
  if (!env.BENCH_NO_README) writeReadmeSection(path.join(root, 'bench/README.md'), { start: '<!-- scan:start (written by bench/scan.mjs) -->', end: '<!-- scan:end -->', heading: 'Public scan pages (stamp resolver) — latest results' }, section);
  if (pgInfo.startedPg && !env.BENCH_KEEP_PG) stopTestPostgres(root);
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(0);
}

function report(r) {
  const cpu = os.cpus();
  const d = r.data;
  const n = (x) => Number(x).toLocaleString('en');
  const ratio = r.app.ratio;
  const met = (ok) => (ok ? 'met' : '**missed**');
  const maxPage = Math.max(...Object.values(r.pages).map((p) => p.bytes));
  const L = [];
  L.push(`Run on ${new Date().toISOString().slice(0, 10)} · ${cpu.length} cores (${cpu[0]?.model?.trim() ?? 'unknown CPU'}) · ${Math.round(os.totalmem() / 2 ** 30)} GB RAM · Node ${process.version} · ${r.engine} · load average before the run ${r.loadBefore}`);
  L.push('');
  L.push(`Data (database ${n(d.dbMb)} MB): ${n(d.lots)} lots (${n(d.lotsWithGtin)} with a GTIN) · ${n(d.events)} EPCIS events (${d.eventsByKind.map((k) => `${n(k.n)} ${k.kind}`).join(', ')}) with ${n(d.eventLots)} event–lot links · ${n(d.stamps)} stamps in ${n(d.ranges)} ranges · ${n(d.scans)} earlier scans · ${n(d.growingAreas)} growing areas, ${n(d.packingHouses)} packing houses · ${n(d.products)} products of ${n(d.producers)} producers with ${n(d.certificates)} certificates.${r.seed.generateMs ? ` Registry by bench/generate.ts in ${(r.seed.generateMs / 1000).toFixed(0)} s, trace data by set-based SQL (generate_series, insert … select) in ${(r.seed.traceMs / 1000).toFixed(0)} s.` : ' (Database reused from an earlier seed.)'}`);
  L.push('');
  L.push(`Load: autocannon, after a warm-up, ${ROUNDS} rounds of (bare server ${SLICE} s, app ${SLICE} s) — the baseline is measured interleaved with the app under the same conditions, and each ratio is app requests / bare requests over the same number of seconds (per round: ${r.app.roundRatios.map((x) => x.toFixed(3)).join(', ')}; cache off: ${r.off.roundRatios.map((x) => x.toFixed(3)).join(', ')}); load average before ${r.loadBefore}, after ${r.loadAfter}; **${CONNECTIONS} connections**, each request the next of ${n(r.req.paths.length)} random stamp paths (random range, random serial): ${n(r.req.kinds.link)} \`/01/<GTIN-14>/10/<lot>/21/<serial>\`, ${n(r.req.kinds.short)} \`/t/<short code>\`, ${n(r.req.kinds.unknownLink + r.req.kinds.unknownShort)} unknown serials/codes (${UNKNOWN_PCT} %). App with \`NODE_ENV=production\`, \`JOBS=off\`, \`LOG_LEVEL=warn\`; load generator, app and PostgreSQL on the same machine. The bare \`node:http\` server answers every request with the page the app rendered for a known stamp (same bytes).`);
  L.push('');
  L.push('| scenario | req/s | × bare | p50 ms | p97.5 ms | p99 ms | max ms | responses (status) | errors / timeouts | bytes per response |');
  L.push('|---|---:|---:|---:|---:|---:|---:|---|---:|---:|');
  const row = (name, x, rat) => `| ${name} | ${n(Math.round(x.rps))} | ${rat} | ${f1(x.p50)} | ${f1(x.p975)} | ${f1(x.p99)} | ${f1(x.max)} | ${Object.entries(x.statuses).map(([s, k]) => `${n(k)} × ${s}`).join(', ')} | ${x.errors} / ${x.timeouts} | ${n(Math.round(x.avgBytes))} |`;
  const offRatio = r.off.ratio;
  L.push(row(`bare node:http, same page (baseline, ${ROUNDS} × ${SLICE} s interleaved with the cache-on run)`, r.base, '1'));
  L.push(row('GET random stamp URI (app), cache off: `SCAN_CACHE_LOTS=0`, every scan one statement on PostgreSQL', r.off, offRatio.toFixed(3)));
  L.push(row(`GET random stamp URI (app), cache on: \`SCAN_CACHE_LOTS=${r.app.cacheLots}\`, first pass over the paths from an empty cache (the warm-up)`, r.app.cold, (r.app.cold.rps / r.base.rps).toFixed(3)));
  L.push(row(`GET random stamp URI (app), cache on: \`SCAN_CACHE_LOTS=${r.app.cacheLots}\`, after that pass (${ROUNDS} × ${SLICE} s)`, r.app, `**${ratio.toFixed(3)}**`));
  L.push('');
  const fits = r.req.distinctLots <= r.app.cacheLots;
  L.push(`Request set vs cache: the ${n(r.req.paths.length)} paths name **${n(r.req.distinctLots)} distinct lots** (of ${n(d.lots)}); the cache holds ${n(r.app.cacheLots)} lots, so ${fits ? 'the whole set fits: after the first pass (about ' + n(r.req.distinctLots) + ' misses, one statement each; its own row above) scans of known stamps reach no database (nothing was written during the run, so no entry was dropped; the 5-minute TTL, a safety net behind the change log, did not expire within it); unknown serials of a cached lot still ask it (one indexed probe), unknown short codes run one indexed lookup, and each process reads the scan_changes log once a second' : '**the set does not fit**: evictions make part of the measured scans misses'}. Each app run starts a fresh process (empty cache) and walks the paths in the same order; the cache-off run warms up for ${WARMUP} s.`);
  L.push('');
  L.push(`Target (issue #5), cache on: ratio ≥ ${TARGET.ratio} — ${met(ratio >= TARGET.ratio)} (${ratio.toFixed(3)}); p99 < ${TARGET.p99} ms at ${CONNECTIONS} connections — ${met(r.app.p99 < TARGET.p99)} (${f1(r.app.p99)} ms). Cache off (the database path): ratio ${offRatio.toFixed(3)}, p99 ${f1(r.off.p99)} ms. Unknown serials/codes are ${UNKNOWN_PCT} % of the paths and answer ${[r.pages.unknownLink?.status, r.pages.unknownShort?.status].filter(Boolean).join(' / ') || '–'} (see the page table), so that share of non-2xx is expected. Scans logged during both runs: ${n(r.scansAfter - d.scans)} for ${n(r.off.sent + r.app.sent + Object.keys(r.pages).length + 1)} responses counted (warm-ups and page checks included); open flags after it: ${r.flags.map((f) => `${n(f.n)} ${f.kind}`).join(', ') || 'none'}. Server cold start ${r.coldStartMs} ms; RSS after load ${r.off.rssMb ?? '–'} MB (cache off) / ${r.app.rssMb ?? '–'} MB (cache on).`);
  L.push('');
  L.push(`Page weight — limit 30 KB (${n(PAGE_LIMIT)} bytes): ${met(maxPage <= PAGE_LIMIT)}, largest ${n(maxPage)} bytes.`);
  L.push('');
  L.push('| page | path | status | body bytes | header bytes | script | cache-control |');
  L.push('|---|---|---:|---:|---:|---|---|');
  for (const [k, p] of Object.entries(r.pages)) L.push(`| ${k} | \`${p.path}\` | ${p.status} | ${n(p.bytes)} | ${p.headerBytes} | ${p.script ? 'yes' : 'no'} | ${p.cache ?? ''} |`);
  L.push('');
  L.push(`Where the time goes: the resolver's one statement alone (src/server/modules/stamps/resolve.ts, the cache-off path and the statement a miss resembles; prepared with a generic plan as on the app's scan pool, sequential on the idle database, one connection): ${Object.entries(r.profile.timings).map(([k, t]) => `${k} p50 ${t.p50.toFixed(2)} ms / p99 ${t.p99.toFixed(2)} ms (${t.n} stamps)`).join('; ')}.`);
  L.push('');
  for (const [k, plan] of Object.entries(r.profile.plans)) {
    L.push(`<details><summary>EXPLAIN (ANALYZE, BUFFERS) — ${k}</summary>`);
    L.push('');
    L.push('```');
    L.push(plan.trim());
    L.push('```');
    L.push('');
    L.push('</details>');
  }
  L.push('');
  L.push('Rerun: `node bench/scan.mjs` (add `BENCH_REUSE=1` to keep an already seeded `ocop_bench`).');
  return L.join('\n');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  killAll();
  process.exit(1);
});
