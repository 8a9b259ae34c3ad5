import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { insertAuditEntries, insertAuditEntry, listAuditEntries, type AuditEntryInput } from './repository.js';

/** Who wrote: a user, or the system (seed, jobs). */
export type Writer = Actor | { system: string };

/** A signed-in user (policies apply), as opposed to the system (seed, jobs). */
export const isActor = (w: Writer): w is Actor => !('system' in w);

const label = (w: Writer) => ('system' in w ? `system:${w.system}` : w.login);
const actorIdOf = (w: Writer) => ('system' in w ? null : w.id);

/** One write to record: the changed fields are kept, an update that changed nothing is dropped. */
export interface AuditWrite {
  action: 'create' | 'update' | 'delete' | string;
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Records one write, inside the caller's transaction, with only the fields that changed. */
export async function recordAudit(
  tx: Db,
  writer: Writer,
  action: 'create' | 'update' | 'delete' | string,
  entityType: string,
  entityId: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Promise<void> {
  const e = entryOf(writer, { action, entityType, entityId, before, after });
  if (e) await insertAuditEntry(tx, e);
}

/** Records many writes (bulk imports) in multi-row inserts, inside the caller's transaction; same rules as recordAudit. */
export async function recordAuditMany(tx: Db, writer: Writer, writes: AuditWrite[]): Promise<number> {
  const entries = writes.map((w) => entryOf(writer, w)).filter((e): e is AuditEntryInput => e !== null);
  await insertAuditEntries(tx, entries);
  return entries.length;
}

function entryOf(writer: Writer, { action, entityType, entityId, before, after }: AuditWrite): AuditEntryInput | null {
  let b = before;
  let a = after;
  if (before && after) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    b = {};
    a = {};
    for (const k of keys) {
      if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
        b[k] = before[k] ?? null;
        a[k] = after[k] ?? null;
      }
    }
    if (Object.keys(a).length === 0) return null;
  }
  return { actorId: actorIdOf(writer), actorLabel: label(writer), action, entityType, entityId, before: b, after: a };
}

/** Names for the ids a history mentions: field → (ids → id → name), given by the module that owns the record. */
export type HistoryNameResolvers = Record<string, (ids: string[]) => Promise<Map<string, string>>>;

export async function getHistory(db: Db, entityType: string, entityId: string, resolvers: HistoryNameResolvers = {}) {
  const rows = await listAuditEntries(db, entityType, entityId);
  const wanted = new Map<string, Set<string>>();
  for (const r of rows) {
    for (const side of [r.before, r.after] as (Record<string, unknown> | null)[]) {
      for (const [field, v] of Object.entries(side ?? {})) {
        if (!resolvers[field] || v === null || v === undefined || v === '') continue;
        if (!wanted.has(field)) wanted.set(field, new Set());
        wanted.get(field)!.add(String(v));
      }
    }
  }
  const names: Record<string, string> = {};
  for (const [field, ids] of wanted) {
    const found = await resolvers[field]!([...ids]);
    for (const [id, name] of found) names[`${field}:${id}`] = name;
  }
  return rows.map((r) => {
    const before = r.before as Record<string, unknown> | null;
    const after = r.after as Record<string, unknown> | null;
    const own: Record<string, string> = {};
    for (const side of [before, after]) {
      for (const [field, v] of Object.entries(side ?? {})) {
        const k = `${field}:${String(v)}`;
        if (names[k]) own[k] = names[k];
      }
    }
    return { id: r.id, at: r.at.toISOString(), actor: r.actorLabel, action: r.action, before, after, names: own };
  });
}
