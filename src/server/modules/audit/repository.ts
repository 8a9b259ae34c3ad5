import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { chunked } from '../../db/chunks.js';
import { auditLog } from './tables.js';

export interface AuditEntryInput {
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

export async function insertAuditEntry(db: Db, e: AuditEntryInput): Promise<void> {
  await db.insert(auditLog).values({ ...e, before: e.before ?? null, after: e.after ?? null });
}

/** Many entries in multi-row inserts (bulk imports): one statement per 500 entries. */
export async function insertAuditEntries(db: Db, entries: AuditEntryInput[]): Promise<void> {
  for (const part of chunked(entries)) {
    await db.insert(auditLog).values(part.map((e) => ({ ...e, before: e.before ?? null, after: e.after ?? null })));
  }
}

export async function listAuditEntries(db: Db, entityType: string, entityId: string, limit = 200) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
}
