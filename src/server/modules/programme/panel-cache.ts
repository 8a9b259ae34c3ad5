/**
 * The computed programme panel, kept per plan, date, user and language until any table it reads changes.
 *
 * Freshness: every write to those tables, by anyone, adds a row to `programme_changes` (statement triggers, migration
 * 0016). The stamp is count(*) and max(id) of that log. A panel is computed between two readings of the stamp and kept
 * only when both are equal (no change became visible while its facts were read); it is reused while the stamp is
 * still the same. A write whose transaction commits later raises the count when it becomes visible (even if its id is
 * lower than ids already seen), and a prune lowers it, so the stamp differs and the panel is computed again.
 * Per user: the answer carries what that user may do with the plan and counts only their communes.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/client.js';

const MAX_ENTRIES = 200;
const entries = new Map<string, { stamp: string; value: unknown }>();

async function changeStamp(db: Db): Promise<string> {
  const [r] = rowsOf<{ s: string }>(await db.execute(sql`select count(*)::text || ':' || coalesce(max(id), 0)::text as s from programme_changes`));
  return r.s;
}

export async function cachedPanel<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  const before = await changeStamp(db);
  const hit = entries.get(key);
  if (hit && hit.stamp === before) {
    entries.delete(key);
    entries.set(key, hit);
    return structuredClone(hit.value) as T;
  }
  const value = await compute();
  if ((await changeStamp(db)) === before) {
    entries.set(key, { stamp: before, value: structuredClone(value) });
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  }
  return value;
}

/** Tests: start from nothing. */
export const clearPanelCache = () => entries.clear();

/**
 * The change log only needs to reach back past the oldest kept panel's reading: rows older than two days go (daily
 * job, jobs/index.ts). The count drops, so every kept panel is computed once more — the price of a short log.
 */
export async function pruneProgrammeChanges(db: Db): Promise<number> {
  return rowsOf(await db.execute(sql`delete from programme_changes where at < clock_timestamp() - interval '2 days' returning id`)).length;
}
