import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { criteriaSets, criteriaSheets, procedureVersions } from './tables.js';

export const findSets = (db: Db) => db.select().from(criteriaSets).orderBy(asc(criteriaSets.effectiveFrom), asc(criteriaSets.id));
export async function findSet(db: Db, id: number) {
  return (await db.select().from(criteriaSets).where(eq(criteriaSets.id, id)).limit(1))[0];
}
export async function findSetByCode(db: Db, code: string) {
  return (await db.select().from(criteriaSets).where(eq(criteriaSets.code, code)).limit(1))[0];
}
export const findSheetsOfSets = (db: Db, setIds: number[]) =>
  setIds.length ? db.select().from(criteriaSheets).where(inArray(criteriaSheets.setId, setIds)).orderBy(asc(criteriaSheets.id)) : Promise.resolve([]);
export async function findSheet(db: Db, id: number) {
  return (await db.select().from(criteriaSheets).where(eq(criteriaSheets.id, id)).limit(1))[0];
}
export const findSheetsByIds = (db: Db, ids: number[]) =>
  ids.length ? db.select().from(criteriaSheets).where(inArray(criteriaSheets.id, ids)) : Promise.resolve([]);
export async function findSheetFor(db: Db, setId: number, taxonomyNodeId: number) {
  return (await db.select().from(criteriaSheets).where(and(eq(criteriaSheets.setId, setId), eq(criteriaSheets.taxonomyNodeId, taxonomyNodeId))).limit(1))[0];
}
export async function insertSet(db: Db, v: typeof criteriaSets.$inferInsert) {
  return (await db.insert(criteriaSets).values(v).returning())[0];
}
export async function publishSet(db: Db, id: number) {
  return (await db.update(criteriaSets).set({ status: 'published', publishedAt: new Date() }).where(eq(criteriaSets.id, id)).returning())[0];
}
export async function upsertSheet(db: Db, v: typeof criteriaSheets.$inferInsert) {
  const existing = await findSheetFor(db, v.setId, v.taxonomyNodeId);
  if (existing) {
    return (await db.update(criteriaSheets).set({ title: v.title, doc: v.doc, isDemo: v.isDemo, note: v.note, updatedAt: new Date() }).where(eq(criteriaSheets.id, existing.id)).returning())[0];
  }
  return (await db.insert(criteriaSheets).values(v).returning())[0];
}
export async function deleteSheet(db: Db, id: number) {
  await db.delete(criteriaSheets).where(eq(criteriaSheets.id, id));
}

export const findProcedures = (db: Db) => db.select().from(procedureVersions).orderBy(asc(procedureVersions.effectiveFrom));
export async function findProcedure(db: Db, code: string) {
  return (await db.select().from(procedureVersions).where(eq(procedureVersions.code, code)).limit(1))[0];
}
export const upsertProcedure = (db: Db, v: typeof procedureVersions.$inferInsert) =>
  db.insert(procedureVersions).values(v).onConflictDoUpdate({
    target: procedureVersions.code,
    set: { name: v.name, decision: v.decision, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo, doc: v.doc, note: v.note },
  });
