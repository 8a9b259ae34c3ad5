import { sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { rowsOf, type Db } from './client.js';

/** Beyond this many matches a list says "more than 10 000" instead of counting every row. */
export const COUNT_CAP = 10000;

export interface PageSpec {
  table: PgTable;
  where: SQL | undefined;
  /** ORDER BY terms written against the table's name; `id` is appended as the tie-breaker. */
  order: SQL[];
  /** For text searches: the columns the ORDER BY needs, selected into the materialised match set. */
  searchColumns?: SQL;
  limit: number;
  offset: number;
}

/**
 * The ids of one page of a filtered, sorted list, and the total counted up to COUNT_CAP. Callers then load the
 * joined columns for just these ids. A text search matches a few thousand rows at most: its matches are scanned
 * once and sorted, paged and counted in one statement (walking a sort index hoping to meet 20 matches early is
 * what made searches slow); other lists walk the sort index and count separately.
 */
export async function findPageIds(db: Db, s: PageSpec): Promise<{ ids: string[]; total: number; totalCapped: boolean }> {
  const where = s.where ?? sql`true`;
  const order = sql.join([...s.order, sql`id`], sql`, `);
  const cappedCount = async () =>
    Number(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from (select 1 from ${s.table} where ${where} limit ${COUNT_CAP + 1}) c`))[0].n);
  let ids: string[];
  let n: number;
  if (s.searchColumns) {
    const rows = rowsOf<{ id: string; n: number }>(
      await db.execute(sql`with m as materialized (select ${s.searchColumns} from ${s.table} where ${where})
        select id, (select count(*)::int from m) as n from m as ${s.table} order by ${order} limit ${s.limit} offset ${s.offset}`),
    );
    ids = rows.map((r) => r.id);
    n = rows.length ? Number(rows[0].n) : await cappedCount();
  } else {
    const [page, count] = await Promise.all([
      db.execute(sql`select id from ${s.table} where ${where} order by ${order} limit ${s.limit} offset ${s.offset}`),
      cappedCount(),
    ]);
    ids = rowsOf<{ id: string }>(page).map((r) => r.id);
    n = count;
  }
  return { ids, total: Math.min(n, COUNT_CAP), totalCapped: n > COUNT_CAP };
}

/** Rows loaded by id, back in the order of the ids. */
export function inOrderOf<T>(ids: string[], rows: T[], idOf: (r: T) => string): T[] {
  const byId = new Map(rows.map((r) => [idOf(r), r]));
  return ids.map((id) => byId.get(id)!);
}
