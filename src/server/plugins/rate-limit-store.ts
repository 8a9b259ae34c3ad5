import { sql } from 'drizzle-orm';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { rowsOf, type Db } from '../db/client.js';

/**
 * A @fastify/rate-limit store whose counters live in the `rate_limits` table (migration 0011): every app process on
 * the same database shares them, and a restart does not reset them. One upsert per counted request: a window that
 * has ended starts again at 1. Expired rows are swept now and then.
 */
export function databaseRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  let calls = 0;
  class DatabaseStore implements FastifyRateLimitStore {
    incr(key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void, timeWindow: number) {
      void (async () => {
        const rows = rowsOf<{ hits: number; ttl: number }>(
          await db.execute(sql`
            insert into rate_limits (key, hits, reset_at) values (${key}, 1, now() + ${Math.ceil(timeWindow)}::int * interval '1 millisecond')
            on conflict (key) do update set
              hits = case when rate_limits.reset_at <= now() then 1 else rate_limits.hits + 1 end,
              reset_at = case when rate_limits.reset_at <= now() then excluded.reset_at else rate_limits.reset_at end
            returning hits, greatest(0, ceil(extract(epoch from (reset_at - now())) * 1000))::int as ttl`),
        );
        if (++calls % 500 === 0) await db.execute(sql`delete from rate_limits where reset_at < now() - interval '1 hour'`);
        return { current: Number(rows[0].hits), ttl: Number(rows[0].ttl) };
      })().then((r) => cb(null, r), (err: Error) => cb(err));
    }
    child() {
      return this;
    }
  }
  return DatabaseStore;
}
