/**
 * Per-client limit of the public scan pages, in process memory: one Map lookup and an increment per scan (the scan
 * path is benchmarked; @fastify/rate-limit's hook and headers cost more than the page's cache hit).
 *
 * Fixed one-minute windows per client address. Generous on purpose: a shop scanning goods at the till, or many
 * shoppers behind one mobile carrier NAT, stay far below 120 a minute; a script enumerating serials does not.
 * Loopback clients are not limited: that is this machine (the benchmark, a health check) or a reverse proxy on it
 * whose address TRUST_PROXY has not been told to look through, where one shared counter would lock out every
 * shopper at once. The map is bounded: past `maxClients` addresses in one window, new ones share one counter.
 */
export interface ScanLimiter {
  /** True when the client may have one more page now. */
  take(ip: string): boolean;
  /** Seconds until the current window ends (Retry-After). */
  retryAfter(): number;
}

export const SCAN_LIMIT_PER_MINUTE = 120;

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

export function createScanLimiter(opts: { perMinute?: number; maxClients?: number; now?: () => number } = {}): ScanLimiter {
  const max = opts.perMinute ?? SCAN_LIMIT_PER_MINUTE;
  const maxClients = opts.maxClients ?? 100_000;
  const now = opts.now ?? Date.now;
  let window = 0;
  let counts = new Map<string, number>();
  return {
    take(ip) {
      if (max <= 0 || LOOPBACK.test(ip)) return true;
      const w = Math.floor(now() / 60_000);
      if (w !== window) { window = w; counts = new Map(); }
      const key = counts.size >= maxClients && !counts.has(ip) ? '*' : ip;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      return n <= (key === '*' ? max * 10 : max);
    },
    retryAfter() {
      return Math.max(1, 60 - Math.floor((now() % 60_000) / 1000));
    },
  };
}
