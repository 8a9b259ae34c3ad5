import { inArray, or, sql } from 'drizzle-orm';
import { type Db } from '../../db/client.js';
import { traceEventCorrections, traceEvents } from './tables.js';

/** EPCIS error declarations kept beside the events they declare wrong (migration 0020). */

export type CorrectionInsert = typeof traceEventCorrections.$inferInsert;

/** Stores a declaration; false when the same declaration (event, declaration time) is already kept. */
export async function insertCorrection(db: Db, v: CorrectionInsert): Promise<boolean> {
  const rows = await db.insert(traceEventCorrections).values(v).onConflictDoNothing().returning({ id: traceEventCorrections.id });
  return rows.length > 0;
}

/** Stored events by eventID or by CBV hash ID: (event_id or hash) → row id. */
export async function findStoredEvents(db: Db, eventIds: string[], hashIds: string[]) {
  const byEventId = new Map<string, string>();
  const byHash = new Map<string, string>();
  if (!eventIds.length && !hashIds.length) return { byEventId, byHash };
  const conds = [];
  if (eventIds.length) conds.push(inArray(traceEvents.eventId, eventIds));
  if (hashIds.length) conds.push(inArray(traceEvents.hashId, hashIds));
  const rows = await db.select({ id: traceEvents.id, eventId: traceEvents.eventId, hashId: traceEvents.hashId }).from(traceEvents).where(or(...conds));
  for (const r of rows) {
    byEventId.set(r.eventId, r.id);
    if (r.hashId) byHash.set(r.hashId, r.id);
  }
  return { byEventId, byHash };
}

export type CorrectionView = { declarationTime: string; reason: string | null; correctiveEventIds: string[] };

/** The declarations about these events (latest first per event). */
export async function findCorrections(db: Db, rowIds: string[]): Promise<Map<string, CorrectionView[]>> {
  const out = new Map<string, CorrectionView[]>();
  if (!rowIds.length) return out;
  const rows = await db.select().from(traceEventCorrections).where(inArray(traceEventCorrections.eventId, rowIds))
    .orderBy(sql`${traceEventCorrections.declarationTime} desc`);
  for (const r of rows) {
    const list = out.get(r.eventId) ?? [];
    list.push({ declarationTime: r.declarationTime.toISOString(), reason: r.reason, correctiveEventIds: r.correctiveEventIds });
    out.set(r.eventId, list);
  }
  return out;
}

/** For corrective events: the eventIDs of the events they correct (declarations naming them in correctiveEventIDs). */
export async function findCorrected(db: Db, eventIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!eventIds.length) return out;
  const rows = await db.select({ corrective: traceEventCorrections.correctiveEventIds, eventId: traceEvents.eventId })
    .from(traceEventCorrections).innerJoin(traceEvents, sql`${traceEvents.id} = ${traceEventCorrections.eventId}`)
    .where(sql`${traceEventCorrections.correctiveEventIds} ?| array[${sql.join(eventIds.map((e) => sql`${e}`), sql`, `)}]::text[]`);
  for (const r of rows) {
    for (const c of r.corrective) {
      if (!eventIds.includes(c)) continue;
      const list = out.get(c) ?? [];
      if (!list.includes(r.eventId)) list.push(r.eventId);
      out.set(c, list);
    }
  }
  return out;
}

/** The latest stored declaration document of each event (export gives the event back with its errorDeclaration). */
export async function findDeclarations(db: Db, rowIds: string[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  if (!rowIds.length) return out;
  const rows = await db.select({ eventId: traceEventCorrections.eventId, declaration: traceEventCorrections.declaration })
    .from(traceEventCorrections).where(inArray(traceEventCorrections.eventId, rowIds)).orderBy(sql`${traceEventCorrections.declarationTime} asc`);
  for (const r of rows) out.set(r.eventId, r.declaration);
  return out;
}

/** Journey events with their corrections (declarations about them) and the events they correct. */
export async function withCorrections<T extends { id: string; eventId: string; corrections: CorrectionView[]; corrects: string[] }>(db: Db, events: T[]): Promise<T[]> {
  const [byRow, corrected] = [await findCorrections(db, events.map((e) => e.id)), await findCorrected(db, events.map((e) => e.eventId))];
  return events.map((e) => ({ ...e, corrections: byRow.get(e.id) ?? [], corrects: corrected.get(e.eventId) ?? [] }));
}

/** Stored event documents for an export: a corrected event goes out with its (latest) errorDeclaration. */
export async function withDeclarations(db: Db, rows: { id: string; document: Record<string, unknown> }[]): Promise<Record<string, unknown>[]> {
  const decl = await findDeclarations(db, rows.map((r) => r.id));
  return rows.map((r) => {
    const d = decl.get(r.id)?.errorDeclaration;
    return d ? { ...r.document, errorDeclaration: d } : r.document;
  });
}
