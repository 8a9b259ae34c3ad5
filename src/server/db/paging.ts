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
  /** Count up to this many (default COUNT_CAP); tests use a small one. */
  countCap?: number;
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

export interface PageRowsSpec extends PageSpec {
  /** The columns of a list row, written against the table's name and the joins' aliases. */
  columns: SQL;
  /** Joins after `<table> join page` (e.g. `join producers p on p.id = products.producer_id`). */
  joins: SQL;
}

/**
 * One page of a filtered, sorted list WITH its joined columns and the (capped) total, in ONE statement: one round
 * trip and one plan instead of findPageIds + a second query for the page's rows. At national scale and under load
 * most of a list request's time was waiting for and planning the second statement, not running it.
 * Same semantics as findPageIds (ORDER BY plus `id`; the total counted up to COUNT_CAP, `totalCapped` beyond).
 * Rows come back in list order, each with `n__` (the uncapped count as counted) next to the caller's columns.
 */
export async function findPageRows<R>(db: Db, s: PageRowsSpec): Promise<{ rows: R[]; total: number; totalCapped: boolean }> {
  const cap = s.countCap ?? COUNT_CAP;
  const where = s.where ?? sql`true`;
  const order = sql.join([...s.order, sql`${s.table}.id`], sql`, `);
  const pageOrder = sql.join([...s.order, sql`id`], sql`, `);
  const cappedCount = sql`(select count(*)::int from (select 1 from ${s.table} where ${where} limit ${cap + 1}) c)`;
  const result = s.searchColumns
    // A text search: its matches scanned once, then sorted, paged and counted from the materialised set.
    ? await db.execute(sql`with m as materialized (select ${s.searchColumns} from ${s.table} where ${where}),
        page as (select id, (select count(*)::int from m) as n from m as ${s.table} order by ${pageOrder} limit ${s.limit} offset ${s.offset})
        select page.n as n__, ${s.columns} from page join ${s.table} on ${s.table}.id = page.id ${s.joins} order by ${order}`)
    // Other lists walk the sort index for the page and count up to the cap.
    : await db.execute(sql`with page as (select id from ${s.table} where ${where} order by ${pageOrder} limit ${s.limit} offset ${s.offset})
        select ${cappedCount} as n__, ${s.columns} from page join ${s.table} on ${s.table}.id = page.id ${s.joins} order by ${order}`);
  const rows = rowsOf<R & { n__: number }>(result);
  // A page past the end has no rows to carry the count: count on its own then (rare: a stale link, a deep page).
  const n = rows.length
    ? Number(rows[0].n__)
    : Number(rowsOf<{ n: number }>(await db.execute(sql`select ${cappedCount} as n`))[0].n);
  return { rows, total: Math.min(n, cap), totalCapped: n > cap };
}
