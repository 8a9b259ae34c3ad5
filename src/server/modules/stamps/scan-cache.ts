/**
 * The scan pages' in-process read cache: most scans are answered without reaching the database.
 *
 * One entry per lot (bounded LRU of SCAN_CACHE_LOTS entries, each kept at most SCAN_CACHE_TTL_MS): the lot part of
 * its pages (product, producer, current certificate with its dates, photo, standards, growing areas, journey), all
 * its stamp ranges and exceptions, and the lots its page shows data of (itself and its upstream lots). Lookups:
 * (GTIN-14, lot number) → lot, for Digital Links (only as the database chose it, see `links`); stamp number → range
 * → lot, for short codes, over the ranges of the cached lots (a sorted index; numbers never change once issued),
 * otherwise one tiny indexed query.
 *
 * Freshness, two ways. (1) What this process writes is dropped at once (lib/changes.ts: stamps issued, a range or
 * stamp's status changed, an event recorded or imported, a lot edited or deleted, a certificate issued, recorded or
 * revoked, a product or its photos edited). (2) Every write, by anyone (another app process, an import, the demo
 * seed, a hand-made fix), leaves a row in `scan_changes` (triggers, migration 0009: lots, their growing-area links,
 * events, stamp ranges and exceptions, products, photos, standards, certificates, producers, growing areas); each
 * process polls it every CHANGES_POLL_MS and drops what changed. A change to a lot also drops every cached lot
 * downstream of it (its journey and areas show upstream lots). The TTL is only a safety net. A serial the cached lot
 * does not know is checked against the database before the page says "unknown". "Valid today" of a certificate is
 * never cached: the page decides it from the certificate's dates when it renders.
 *
 * Scan counts (shown on the page): a bundle carries the count of every scanned stamp of the lot (up to
 * SCAN_COUNTS_MAX; beyond, a stamp's count is read once from the log), and each page this process serves adds one
 * (`noteScan`); scans served by other processes are seen when the lot is loaded again (a change, or the TTL).
 *
 * A load that raced with an announced change (it started before the change and ended after it) serves its request
 * but is not kept. Concurrent misses of the same lot share one load.
 */
import { onChange } from '../../lib/changes.js';
import {
  exec, loadBundleById, loadBundleByLink, lotOfNumber, resolveByLink, resolveByNumber,
  serialIssued, stampScanCount, type BundleRange, type LotBundle, type LotPart, type ResolvedStamp, type ScanClient,
} from './resolve.js';

/** Safety net only: changes reach the cache through lib/changes.ts and the scan_changes log (about a second). */
export const SCAN_CACHE_TTL_MS = 5 * 60_000;
/** How often each process reads scan_changes. */
export const CHANGES_POLL_MS = 1_000;
/** Rows read again before the newest seen: a transaction may commit a little after the time it wrote in its row. */
const CHANGES_LOOKBACK_MS = 10_000;
const CHANGES_BATCH = 5_000;
const CHANGES_SINCE = `select id, kind, ref::text as ref, at from scan_changes
  where at > $1::timestamptz - interval '${CHANGES_LOOKBACK_MS} milliseconds' order by at, id limit ${CHANGES_BATCH}`;
const CHANGES_RECENT = `select id, kind, ref::text as ref, at from scan_changes
  where at > clock_timestamp() - interval '${CHANGES_LOOKBACK_MS} milliseconds' order by at, id limit ${CHANGES_BATCH}`;

type Entry = {
  lotId: string;
  expires: number;
  /** More ranges/exceptions than a bundle holds: scans of this lot use the one-statement database path. */
  oversize: boolean;
  lot: LotPart | null;
  /** Sorted by first serial; ranges of a lot never overlap. */
  ranges: BundleRange[];
  exceptions: Map<string, { status: 'inactive' | 'lost'; reason: string | null }>;
  upLots: string[];
  productId: string | null;
  producerId: string | null;
  areaIds: string[];
  /** The Digital Link key this entry answers, when it was loaded by that link. */
  linkKey: string | null;
  /** `${rangeId}:${serial}` → scans: the log's count when loaded plus the scans this process served since. */
  scanCounts: Map<string, number>;
  /** False: the bundle did not carry every scanned stamp's count; a missing one is read once from the log. */
  countsComplete: boolean;
};

export interface ScanResolver {
  /** As resolve.ts resolveByLink: the lot (and stamp) of a Digital Link; undefined when no such lot. */
  byLink(gtin14: string, lot: string, serial: number | null): Promise<ResolvedStamp | undefined>;
  /** As resolve.ts resolveByNumber: the stamp of a short code's number; undefined when no range holds it. */
  byNumber(no: bigint): Promise<ResolvedStamp | undefined>;
  /**
   * A scan page of this stamp was served: its cached count goes up by one (the scan log writes it to the database a
   * moment later; other processes' scans are seen when the lot is loaded again).
   */
  noteScan(r: ResolvedStamp): void;
  /** Reads scan_changes now and drops what changed (the timer does it every CHANGES_POLL_MS). */
  syncChanges(): Promise<void>;
  readonly size: number;
  readonly stats: { hits: number; misses: number; dropped: number };
  close(): void;
}

type LogChange = { lots?: readonly string[]; products?: readonly string[]; producers?: readonly string[]; areas?: readonly string[] };

/** Greatest index i with keys[i] ≤ x, or −1. */
function floorIndex(keys: number[], x: number) {
  let lo = 0;
  let hi = keys.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] <= x) { ans = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return ans;
}

/** The range holding a serial (ranges sorted by first serial, never overlapping), or null. */
function rangeOfSerial(ranges: BundleRange[], serial: number) {
  let lo = 0;
  let hi = ranges.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].first <= serial) { ans = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return ans >= 0 && ranges[ans].last >= serial ? ranges[ans] : null;
}

function compose(e: Entry, range: BundleRange | null, serial: number | null): ResolvedStamp {
  const x = range && serial !== null ? e.exceptions.get(`${range.id}:${serial}`) : undefined;
  return {
    lotId: e.lotId,
    productId: e.lot!.productId,
    rangeId: range?.id ?? null,
    rangeStatus: range?.status ?? null,
    rangeReason: range?.reason ?? null,
    firstSerial: range?.first ?? null,
    firstNo: range?.no ?? null,
    serial,
    exceptionStatus: x?.status ?? null,
    exceptionReason: x?.reason ?? null,
    scans: range && serial !== null ? (e.scanCounts.get(`${range.id}:${serial}`) ?? 0) : null,
    lot: e.lot!, // shared, never copied: the page renders its lot fragments once per lot and language
  };
}

/**
 * `maxLots` 0: no cache, every scan runs the one-statement resolver (resolve.ts). `now` and `ttlMs` for tests.
 */
export function createScanResolver(client: ScanClient, opts: { maxLots: number; ttlMs?: number; now?: () => number; pollMs?: number }): ScanResolver {
  const stats = { hits: 0, misses: 0, dropped: 0 };
  if (opts.maxLots <= 0) {
    return {
      byLink: (g, l, s) => resolveByLink(client, g, l, s),
      byNumber: (no) => resolveByNumber(client, no),
      noteScan: () => undefined,
      syncChanges: async () => undefined,
      size: 0,
      stats,
      close: () => undefined,
    };
  }
  const max = opts.maxLots;
  const ttl = opts.ttlMs ?? SCAN_CACHE_TTL_MS;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>(); // insertion order = LRU order (a hit moves the entry to the end)
  const links = new Map<string, string>();
  const byProduct = new Map<string, Set<string>>();
  const byUpLot = new Map<string, Set<string>>();
  const byProducer = new Map<string, Set<string>>();
  const byArea = new Map<string, Set<string>>();
  // Number index over the ranges of cached lots, sorted by first number (numbers never overlap).
  const noKeys: number[] = [];
  const noRefs: { last: number; lotId: string }[] = [];
  const inflight = new Map<string, Promise<Entry | undefined>>();
  /** Bumped by every announced change: a load that spans a change is not kept. */
  let epoch = 0;

  const addTo = (m: Map<string, Set<string>>, k: string, v: string) => {
    let s = m.get(k);
    if (!s) m.set(k, (s = new Set()));
    s.add(v);
  };
  const removeFrom = (m: Map<string, Set<string>>, k: string, v: string) => {
    const s = m.get(k);
    if (s && s.delete(v) && s.size === 0) m.delete(k);
  };

  function remove(lotId: string) {
    const e = entries.get(lotId);
    if (!e) return;
    entries.delete(lotId);
    if (e.linkKey && links.get(e.linkKey) === lotId) links.delete(e.linkKey);
    if (e.productId) removeFrom(byProduct, e.productId, lotId);
    if (e.producerId) removeFrom(byProducer, e.producerId, lotId);
    for (const u of e.upLots) removeFrom(byUpLot, u, lotId);
    for (const a of e.areaIds) removeFrom(byArea, a, lotId);
    for (const r of e.ranges) {
      const i = floorIndex(noKeys, r.no);
      if (i >= 0 && noKeys[i] === r.no) { noKeys.splice(i, 1); noRefs.splice(i, 1); }
    }
  }

  function store(e: Entry) {
    remove(e.lotId);
    entries.set(e.lotId, e);
    if (e.linkKey) links.set(e.linkKey, e.lotId);
    if (e.productId) addTo(byProduct, e.productId, e.lotId);
    if (e.producerId) addTo(byProducer, e.producerId, e.lotId);
    for (const u of e.upLots) addTo(byUpLot, u, e.lotId);
    for (const a of e.areaIds) addTo(byArea, a, e.lotId);
    for (const r of e.ranges) {
      const i = floorIndex(noKeys, r.no);
      if (i >= 0 && noKeys[i] === r.no) continue;
      noKeys.splice(i + 1, 0, r.no);
      noRefs.splice(i + 1, 0, { last: r.no + (r.last - r.first), lotId: e.lotId });
    }
    while (entries.size > max) remove(entries.keys().next().value!);
  }

  function invalidate(c: LogChange) {
    epoch++;
    const drop = (ids: Set<string> | undefined) => {
      for (const d of [...(ids ?? [])]) { remove(d); stats.dropped++; }
    };
    for (const id of c.lots ?? []) { remove(id); drop(byUpLot.get(id)); }
    for (const p of c.products ?? []) drop(byProduct.get(p));
    for (const p of c.producers ?? []) drop(byProducer.get(p));
    for (const a of c.areas ?? []) drop(byArea.get(a));
  }
  const unsubscribe = onChange(invalidate);

  // The scan_changes log (every writer, every process): rows since the newest seen minus a look-back, each id once.
  let newest: Date | null = null;
  const seen = new Map<number, number>(); // id → its time (ms), forgotten once older than the look-back
  let polls = 0;
  let polling: Promise<void> | null = null;
  let closed = false;
  async function poll() {
    const rows = (newest
      ? await exec(client, 'scan_changes_since', CHANGES_SINCE, [newest.toISOString()])
      : await exec(client, 'scan_changes_recent', CHANGES_RECENT, [])).rows as { id: number | string; kind: string; ref: string; at: Date | string }[];
    const c = { lots: [] as string[], products: [] as string[], producers: [] as string[], areas: [] as string[] };
    const bucket: Record<string, string[]> = { lot: c.lots, product: c.products, producer: c.producers, area: c.areas };
    for (const r of rows) {
      const id = Number(r.id);
      const at = new Date(r.at);
      if (!newest || at > newest) newest = at;
      if (seen.has(id)) continue;
      seen.set(id, at.getTime());
      bucket[r.kind]?.push(r.ref);
    }
    if (rows.length >= CHANGES_BATCH) clear(); // a bulk write: start over rather than drop entry by entry
    else if (c.lots.length || c.products.length || c.producers.length || c.areas.length) invalidate(c);
    if (newest) for (const [id, t] of seen) if (t < newest.getTime() - CHANGES_LOOKBACK_MS * 2) seen.delete(id);
    if (++polls % 600 === 1) await exec(client, 'scan_changes_prune', "delete from scan_changes where at < clock_timestamp() - interval '1 hour'", []);
  }
  const syncChanges = () => {
    if (!polling) polling = poll().catch(() => undefined).finally(() => { polling = null; }); // missed now, read next time (look-back)
    return polling;
  };
  const pollMs = opts.pollMs ?? CHANGES_POLL_MS;
  const timer = pollMs > 0 ? setInterval(() => { if (!closed) void syncChanges(); }, pollMs) : null;
  timer?.unref();

  function clear() {
    epoch++;
    entries.clear();
    links.clear();
    byProduct.clear();
    byProducer.clear();
    byUpLot.clear();
    byArea.clear();
    noKeys.length = 0;
    noRefs.length = 0;
  }

  function entryOf(b: LotBundle, linkKey: string | null): Entry {
    const lotId = b.lot.lotId;
    if (!b.complete) {
      return {
        lotId, expires: now() + ttl, oversize: true, lot: null, ranges: [], exceptions: new Map(), upLots: [], productId: null, producerId: null, areaIds: [], linkKey,
        scanCounts: new Map(), countsComplete: false,
      };
    }
    return {
      lotId,
      expires: now() + ttl,
      oversize: false,
      lot: b.lot,
      ranges: b.ranges,
      exceptions: new Map(b.exceptions.map((x) => [`${x.range}:${x.serial}`, { status: x.status, reason: x.reason }])),
      upLots: b.upLots,
      productId: b.lot.productId,
      producerId: b.lot.producerId,
      areaIds: b.lot.areas.map((a) => a.id),
      linkKey,
      scanCounts: b.scanCounts,
      countsComplete: b.countsComplete,
    };
  }

  /** A fresh entry, counting hits; undefined when absent or expired (an expired one is dropped). */
  function fresh(lotId: string | undefined): Entry | undefined {
    if (!lotId) return undefined;
    const e = entries.get(lotId);
    if (!e) return undefined;
    if (e.expires <= now()) { remove(lotId); return undefined; }
    entries.delete(lotId);
    entries.set(lotId, e);
    return e;
  }

  function load(key: string, fn: () => Promise<LotBundle | undefined>, linkKey: string | null): Promise<Entry | undefined> {
    const running = inflight.get(key);
    if (running) return running;
    stats.misses++;
    const at = epoch;
    const p = fn().then((b) => {
      if (!b) return undefined;
      const e = entryOf(b, linkKey);
      if (epoch === at) store(e);
      return e;
    }).finally(() => inflight.delete(key));
    inflight.set(key, p);
    return p;
  }
  const loadById = (lotId: string, linkKey: string | null = null) => load(`id:${lotId}`, () => loadBundleById(client, lotId), linkKey);

  /** The resolution with its stamp's count read from the log first when the bundle did not carry it. */
  async function counted(e: Entry, range: BundleRange | null, serial: number | null): Promise<ResolvedStamp> {
    if (range && serial !== null && !e.countsComplete) {
      const key = `${range.id}:${serial}`;
      if (!e.scanCounts.has(key)) e.scanCounts.set(key, await stampScanCount(client, range.id, serial));
    }
    return compose(e, range, serial);
  }

  /** The page of `serial` in a (complete) entry; a serial the entry does not know is checked with the database. */
  async function stampOf(e: Entry, serial: number, uncached: () => Promise<ResolvedStamp | undefined>): Promise<ResolvedStamp | undefined> {
    const range = rangeOfSerial(e.ranges, serial);
    if (range) return counted(e, range, serial);
    if (!(await serialIssued(client, e.lotId, serial))) return compose(e, null, serial);
    // Issued since this entry was loaded (by another app process): reload the lot.
    remove(e.lotId);
    const again = await loadById(e.lotId, e.linkKey);
    if (!again) return undefined;
    if (again.oversize) return uncached();
    return counted(again, rangeOfSerial(again.ranges, serial), serial);
  }

  return {
    get size() { return entries.size; },
    stats,
    async byLink(gtin14, lotNumber, serial) {
      const key = `${gtin14}\u0000${lotNumber}`;
      let e = fresh(links.get(key));
      if (e) stats.hits++;
      else e = await load(`link:${key}`, () => loadBundleByLink(client, gtin14, lotNumber), key);
      if (!e) return undefined;
      const uncached = () => resolveByLink(client, gtin14, lotNumber, serial);
      if (e.oversize) return uncached();
      if (serial === null) return compose(e, null, null);
      return stampOf(e, serial, uncached);
    },
    async byNumber(no) {
      let lotId: string | undefined;
      const n = Number(no);
      if (Number.isSafeInteger(n)) {
        const i = floorIndex(noKeys, n);
        if (i >= 0 && noRefs[i].last >= n) lotId = noRefs[i].lotId;
      }
      let e = fresh(lotId);
      if (e) stats.hits++;
      else {
        if (!lotId) {
          lotId = await lotOfNumber(client, no);
          if (!lotId) return undefined;
        }
        e = await loadById(lotId);
        if (!e) return undefined;
      }
      if (e.oversize) return resolveByNumber(client, no);
      const range = e.ranges.find((r) => r.no <= n && r.no + (r.last - r.first) >= n);
      if (!range) {
        // The index named this lot, so its ranges hold the number unless the lot was just reloaded differently.
        return resolveByNumber(client, no);
      }
      const serial = range.first + (n - range.no);
      return counted(e, range, serial);
    },
    noteScan(r) {
      if (!r.rangeId || r.serial === null) return;
      const e = entries.get(r.lotId);
      if (!e || e.oversize) return;
      const key = `${r.rangeId}:${r.serial}`;
      e.scanCounts.set(key, (e.scanCounts.get(key) ?? r.scans ?? 0) + 1);
    },
    syncChanges,
    close() {
      closed = true;
      if (timer) clearInterval(timer);
      unsubscribe();
      clear();
    },
  };
}
