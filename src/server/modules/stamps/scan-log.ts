/**
 * The scan log, off the response path: a resolution only pushes a small record into an in-process buffer; the
 * buffer is written every FLUSH_INTERVAL_MS (or as soon as FLUSH_MAX_ROWS wait) as ONE multi-row insert, and the
 * flags those scans raise are upserted in the same transaction. The app's onClose hook flushes what is left, so a
 * graceful shutdown (and every test) loses nothing; `flushScanLogs()` flushes on demand.
 * Nothing personal is kept: no IP address, no user agent beyond a coarse client class.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ClientClass, FlagKind, ScanOutcome } from './tables.js';

export const FLUSH_INTERVAL_MS = 250;
export const FLUSH_MAX_ROWS = 500;
/** A stamp scanned more often than this within 24 hours is flagged (a copied QR code is scanned everywhere). */
export const SCAN_FLAG_THRESHOLD = 20;
/**
 * Flag flooding (#13): anonymous requests choose what they scan, so flags are aggregated by the scan pages (one open
 * flag per lot — or per GTIN for unknown lots — and kind, its count bumped) and, here, each open flag is written at
 * most once per FLAG_WRITE_INTERVAL_MS per process (its scans add up in memory meanwhile, nothing is lost), and at
 * most NEW_FLAG_KEYS_PER_MINUTE different flags are started per process and minute: beyond that the scans are
 * counted on one "overflow" flag per kind (ref '*'), which is itself the alarm.
 */
export const FLAG_WRITE_INTERVAL_MS = 10_000;
export const NEW_FLAG_KEYS_PER_MINUTE = 120;
export const OVERFLOW_REF = '*';

export type ScanRecord = {
  at: Date;
  outcome: ScanOutcome;
  lotId: string | null;
  productId: string | null;
  rangeId: string | null;
  serial: number | null;
  client: ClientClass;
  lang: 'vi' | 'en';
  /** Set when the scan raises a flag of its own kind: unknown_serial / unknown_lot / inactive / lost. */
  flag?: { kind: Exclude<FlagKind, 'too_many_scans'>; ref: string };
};

/** Coarse client class from a User-Agent (which is then forgotten). */
export function clientClass(ua: string | undefined): ClientClass {
  if (!ua) return 'other';
  if (/bot|crawl|spider|slurp|facebookexternalhit|preview|curl|wget|python|java\/|go-http|headless|monitor|autocannon/i.test(ua)) return 'bot';
  if (/mobi|android|iphone|ipad|ipod|zalo|windows phone|opera mini/i.test(ua)) return 'mobile';
  if (/windows nt|macintosh|x11|linux|cros/i.test(ua)) return 'desktop';
  return 'other';
}

const INSERT_SCANS = `insert into stamp_scans (scanned_at, outcome, lot_id, product_id, range_id, serial, client, lang)
  select x.at, x.outcome, x.lot_id, x.product_id, x.range_id, x.serial, x.client, x.lang
  from json_to_recordset($1::json) as x(at timestamptz, outcome text, lot_id uuid, product_id uuid, range_id uuid, serial int, client text, lang text)`;

// A lot may be deleted between a scan of it (lot page) and the flush: such references are dropped, not the batch.
const INSERT_SCANS_CHECKED = `insert into stamp_scans (scanned_at, outcome, lot_id, product_id, range_id, serial, client, lang)
  select x.at, x.outcome, (select id from lots where id = x.lot_id), (select id from products where id = x.product_id),
    (select id from stamp_ranges where id = x.range_id), x.serial, x.client, x.lang
  from json_to_recordset($1::json) as x(at timestamptz, outcome text, lot_id uuid, product_id uuid, range_id uuid, serial int, client text, lang text)`;

const UPSERT_FLAGS = `insert into stamp_flags (kind, ref, lot_id, product_id, range_id, serial, scan_count, first_at, last_at)
  select x.kind, x.ref, (select id from lots where id = x.lot_id), (select id from products where id = x.product_id),
    (select id from stamp_ranges where id = x.range_id), x.serial, x.n, x.first_at, x.last_at
  from json_to_recordset($1::json) as x(kind text, ref text, lot_id uuid, product_id uuid, range_id uuid, serial int, n int, first_at timestamptz, last_at timestamptz)
  on conflict (kind, ref) where status = 'open'
  do update set scan_count = stamp_flags.scan_count + excluded.scan_count, last_at = greatest(stamp_flags.last_at, excluded.last_at)`;

/**
 * A stamp of this batch that already has an open too_many_scans flag: the flag counts this batch's scans of it (every
 * scan is in exactly one batch, so the count stays "scans since it opened" without recounting a busy stamp's history).
 */
const BUMP_TOO_MANY = `with s as (
    select r.lot_id::text || '/' || x.serial as ref, count(*)::int as n, max(x.at) as last_at
    from json_to_recordset($1::json) as x(range_id uuid, serial int, at timestamptz) join stamp_ranges r on r.id = x.range_id
    group by r.lot_id, x.serial
  )
  update stamp_flags f set scan_count = f.scan_count + s.n, last_at = greatest(f.last_at, s.last_at)
  from s where f.kind = 'too_many_scans' and f.ref = s.ref and f.status = 'open'`;

/**
 * The other stamps of this batch scanned more than the threshold in the last 24 hours get an open too_many_scans
 * flag whose count is the number of scans since it opened (first_at = the first scan of the window that crossed).
 */
const UPSERT_TOO_MANY = `with s as (
    select distinct x.range_id, x.serial from json_to_recordset($1::json) as x(range_id uuid, serial int) join stamp_ranges r on r.id = x.range_id
    where not exists (select 1 from stamp_flags f where f.kind = 'too_many_scans' and f.ref = r.lot_id::text || '/' || x.serial and f.status = 'open')
  ), c as (
    select sc.range_id, sc.serial, count(*)::int as n, min(sc.scanned_at) as first_at, max(sc.scanned_at) as last_at
    from s join stamp_scans sc on sc.range_id = s.range_id and sc.serial = s.serial and sc.scanned_at > now() - interval '24 hours'
    group by sc.range_id, sc.serial having count(*) > $2::int
  )
  insert into stamp_flags (kind, ref, lot_id, product_id, range_id, serial, scan_count, first_at, last_at)
  select 'too_many_scans', r.lot_id::text || '/' || c.serial, r.lot_id, l.product_id, c.range_id, c.serial, c.n, c.first_at, c.last_at
  from c join stamp_ranges r on r.id = c.range_id join lots l on l.id = r.lot_id
  on conflict (kind, ref) where status = 'open'
  do update set last_at = greatest(stamp_flags.last_at, excluded.last_at),
    scan_count = (select count(*)::int from stamp_scans sc where sc.range_id = excluded.range_id and sc.serial = excluded.serial and sc.scanned_at >= stamp_flags.first_at)`;

export type Tx = { query: (text: string, values: unknown[]) => Promise<unknown> };

export interface ScanLog {
  push(r: ScanRecord): void;
  /** Writes what waits; `force` (the default, for tests and shutdown) also writes flags held back by the interval. */
  flush(force?: boolean): Promise<void>;
  close(): Promise<void>;
  readonly pending: number;
}

const live = new Set<ScanLog>();

/** Writes every buffered scan of every scan log of this process (tests call it before reading stamp_scans). */
export async function flushScanLogs(): Promise<void> {
  await Promise.all([...live].map((l) => l.flush(true)));
}

/**
 * `runTx(fn)` runs fn inside one transaction with a raw `query(text, values)`: one multi-row insert and two upserts.
 */
export function createScanLog(
  runTx: (fn: (tx: Tx) => Promise<void>) => Promise<void>,
  log: FastifyBaseLogger,
  opts: { threshold?: number; afterFlags?: () => Promise<unknown> } = {},
): ScanLog {
  const threshold = opts.threshold ?? SCAN_FLAG_THRESHOLD;
  const buf: ScanRecord[] = [];
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  let queued = false;
  let forceQueued = false;
  let flagTimer: NodeJS.Timeout | null = null;

  type FlagAgg = { kind: string; ref: string; lot_id: string | null; product_id: string | null; range_id: string | null; serial: number | null; n: number; first_at: string; last_at: string };
  /** Flags counted but not yet written (held back by FLAG_WRITE_INTERVAL_MS). */
  const pendingFlags = new Map<string, FlagAgg>();
  /** When this process last wrote each flag key. */
  const lastFlagWrite = new Map<string, number>();
  let newKeysMinute = 0;
  let newKeysCount = 0;

  function countFlag(r: ScanRecord) {
    let key = `${r.flag!.kind}\u0000${r.flag!.ref}`;
    const at = r.at.toISOString();
    let f = pendingFlags.get(key);
    if (!f && !lastFlagWrite.has(key)) {
      const minute = Math.floor(Date.now() / 60_000);
      if (minute !== newKeysMinute) { newKeysMinute = minute; newKeysCount = 0; }
      if (++newKeysCount > NEW_FLAG_KEYS_PER_MINUTE) {
        key = `${r.flag!.kind}\u0000${OVERFLOW_REF}`;
        f = pendingFlags.get(key);
        if (!f) pendingFlags.set(key, (f = { kind: r.flag!.kind, ref: OVERFLOW_REF, lot_id: null, product_id: null, range_id: null, serial: null, n: 0, first_at: at, last_at: at }));
      }
    }
    if (f) { f.n += 1; f.last_at = at > f.last_at ? at : f.last_at; return; }
    pendingFlags.set(key, { kind: r.flag!.kind, ref: r.flag!.ref.slice(0, 300), lot_id: r.lotId, product_id: r.productId, range_id: r.rangeId, serial: r.serial, n: 1, first_at: at, last_at: at });
  }

  /** The pending flags due for writing (all of them when forced); they leave the pending map. */
  function dueFlags(force: boolean): FlagAgg[] {
    const now = Date.now();
    const due: FlagAgg[] = [];
    for (const [key, f] of pendingFlags) {
      const last = lastFlagWrite.get(key);
      if (force || last === undefined || now - last >= FLAG_WRITE_INTERVAL_MS) {
        due.push(f);
        pendingFlags.delete(key);
        lastFlagWrite.set(key, now);
      }
    }
    if (lastFlagWrite.size > 1000) for (const [k, t] of lastFlagWrite) if (now - t >= FLAG_WRITE_INTERVAL_MS && !pendingFlags.has(k)) lastFlagWrite.delete(k);
    if (pendingFlags.size && !flagTimer && !closed) {
      flagTimer = setTimeout(() => { flagTimer = null; void self.flush(false); }, FLAG_WRITE_INTERVAL_MS);
      flagTimer.unref();
    }
    return due;
  }

  async function write(batch: ScanRecord[], force: boolean) {
    const rows = batch.map((r) => ({ at: r.at.toISOString(), outcome: r.outcome, lot_id: r.lotId, product_id: r.productId, range_id: r.rangeId, serial: r.serial, client: r.client, lang: r.lang }));
    for (const r of batch) if (r.flag) countFlag(r);
    const flags = dueFlags(force);
    if (!rows.length && !flags.length) return;
    const stamps = batch.filter((r) => r.rangeId && r.serial !== null).map((r) => ({ range_id: r.rangeId, serial: r.serial, at: r.at.toISOString() }));
    const body = async (tx: Tx, checked: boolean) => {
      if (rows.length) await tx.query(checked ? INSERT_SCANS_CHECKED : INSERT_SCANS, [JSON.stringify(rows)]);
      if (flags.length) await tx.query(UPSERT_FLAGS, [JSON.stringify(flags)]);
      if (stamps.length) {
        const json = JSON.stringify(stamps);
        await tx.query(BUMP_TOO_MANY, [json]);
        await tx.query(UPSERT_TOO_MANY, [json, threshold]);
      }
    };
    try {
      await runTx((tx) => body(tx, false));
    } catch (err) {
      try {
        await runTx((tx) => body(tx, true));
      } catch (err2) {
        log.error({ err: err2, first: err, lost: batch.length }, 'scan log: batch could not be written');
        return;
      }
    }
    // Flags may have been opened or counted up: officers are told of those past the threshold (stamps/alerts.ts).
    if (opts.afterFlags && (flags.length || stamps.length)) {
      await opts.afterFlags().catch((err: unknown) => log.error({ err }, 'scan log: flag notifications failed'));
    }
  }

  function schedule() {
    if (timer || closed) return;
    timer = setTimeout(() => { timer = null; void self.flush(false); }, FLUSH_INTERVAL_MS);
    timer.unref();
  }

  const self: ScanLog = {
    get pending() { return buf.length; },
    push(r) {
      buf.push(r);
      if (buf.length >= FLUSH_MAX_ROWS) void self.flush(false);
      else schedule();
    },
    flush(force = true) {
      // One writer at a time: batches are written in order; a flush asked for while one waits to start joins it.
      forceQueued ||= force;
      if (queued) return running;
      queued = true;
      running = running.then(async () => {
        queued = false;
        const f = forceQueued;
        forceQueued = false;
        if (timer) { clearTimeout(timer); timer = null; }
        if (f && flagTimer) { clearTimeout(flagTimer); flagTimer = null; }
        do {
          const batch = buf.splice(0, FLUSH_MAX_ROWS * 4);
          await write(batch, f);
        } while (buf.length);
      });
      return running;
    },
    async close() {
      closed = true;
      if (flagTimer) { clearTimeout(flagTimer); flagTimer = null; }
      await self.flush(true);
      live.delete(self);
    },
  };
  live.add(self);
  return self;
}
