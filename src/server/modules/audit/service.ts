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

export async function getHistory(db: Db, entityType: string, entityId: string) {
  const rows = await listAuditEntries(db, entityType, entityId);
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actorLabel,
    action: r.action,
    before: r.before as Record<string, unknown> | null,
    after: r.after as Record<string, unknown> | null,
  }));
}
