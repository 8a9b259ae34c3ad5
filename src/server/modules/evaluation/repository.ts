import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { conflicts, roundMembers, roundProducts, rounds, scoreSheetReopenings, scoreSheets, selfAssessments, type ProductResult } from './tables.js';

export async function findRound(db: Db, id: string) {
  return (await db.select().from(rounds).where(eq(rounds.id, id)).limit(1))[0];
}
export const findRounds = (db: Db) => db.select().from(rounds).orderBy(sql`${rounds.createdAt} desc`);
export async function insertRound(db: Db, v: typeof rounds.$inferInsert) {
  return (await db.insert(rounds).values(v).returning())[0];
}
export async function setRoundStatus(db: Db, id: string, status: string, extra: Partial<typeof rounds.$inferInsert> = {}) {
  return (await db.update(rounds).set({ status, ...extra, version: sql`${rounds.version} + 1` }).where(eq(rounds.id, id)).returning())[0];
}

export const findMembers = (db: Db, roundId: string) =>
  db.select({
    userId: roundMembers.userId, role: roundMembers.role, fullName: sql<string>`(select full_name from users u where u.id = ${roundMembers.userId})`,
    substituteFor: roundMembers.substituteFor, addedReason: roundMembers.addedReason,
  })
    .from(roundMembers).where(eq(roundMembers.roundId, roundId)).orderBy(asc(roundMembers.role));
export const findMembershipsOf = (db: Db, userId: string) => db.select().from(roundMembers).where(eq(roundMembers.userId, userId));
export async function insertMembers(db: Db, roundId: string, ms: { userId: string; role: string; substituteFor?: string | null; addedReason?: string | null; addedAt?: Date | null; addedBy?: string | null }[]) {
  if (ms.length) await db.insert(roundMembers).values(ms.map((m) => ({ roundId, ...m })));
}

export const findRoundProducts = (db: Db, roundId: string) =>
  db.select({
    rp: roundProducts,
    name: sql<string>`p.name`,
    producerId: sql<string>`p.producer_id`,
    registeredUnitId: sql<number>`p.registered_unit_id`,
    producerName: sql<string>`pr.legal_name`,
    taxonomyCode: sql<string>`t.code`,
    sheetTitle: sql<string>`cs.title`,
    isDemoSheet: sql<boolean>`cs.is_demo`,
  })
    .from(roundProducts)
    .innerJoin(sql`products p`, sql`p.id = ${roundProducts.productId}`)
    .innerJoin(sql`producers pr`, sql`pr.id = p.producer_id`)
    .innerJoin(sql`taxonomy_nodes t`, sql`t.id = p.taxonomy_node_id`)
    .innerJoin(sql`criteria_sheets cs`, sql`cs.id = ${roundProducts.sheetId}`)
    .where(eq(roundProducts.roundId, roundId))
    .orderBy(sql`p.name_norm`);
export async function findRoundProduct(db: Db, roundId: string, productId: string) {
  return (await db.select().from(roundProducts).where(and(eq(roundProducts.roundId, roundId), eq(roundProducts.productId, productId))).limit(1))[0];
}
export async function insertRoundProducts(db: Db, rows: { roundId: string; productId: string; sheetId: number }[]) {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(roundProducts).values(rows.slice(i, i + 1000)).onConflictDoNothing();
}
export async function countRoundProducts(db: Db, roundId: string) {
  const r = await db.select({ n: sql<number>`count(*)::int` }).from(roundProducts).where(eq(roundProducts.roundId, roundId));
  return Number(r[0].n);
}
/** One statement for all results: finalising 500 products is one round trip, not 500. */
export async function saveResults(db: Db, roundId: string, results: { productId: string; result: ProductResult; note: string | null }[]) {
  for (let i = 0; i < results.length; i += 500) {
    const chunk = results.slice(i, i + 500);
    const values = sql.join(chunk.map((r) => sql`(${r.productId}::uuid, ${JSON.stringify(r.result)}::jsonb, ${r.note}::text)`), sql`, `);
    await db.execute(sql`update round_products rp set result = v.result, discussion_note = coalesce(v.note, rp.discussion_note)
      from (values ${values}) as v(product_id, result, note) where rp.round_id = ${roundId} and rp.product_id = v.product_id`);
  }
}

export const findConflicts = (db: Db, roundId: string) => db.select().from(conflicts).where(eq(conflicts.roundId, roundId));
export async function hasConflict(db: Db, roundId: string, productId: string, userId: string) {
  const r = await db.select({ u: conflicts.userId }).from(conflicts).where(and(eq(conflicts.roundId, roundId), eq(conflicts.productId, productId), eq(conflicts.userId, userId))).limit(1);
  return r.length > 0;
}
export async function insertConflict(db: Db, v: typeof conflicts.$inferInsert) {
  await db.insert(conflicts).values(v).onConflictDoUpdate({ target: [conflicts.roundId, conflicts.productId, conflicts.userId], set: { reason: v.reason, note: v.note, recordedBy: v.recordedBy, voidsSheet: v.voidsSheet } });
}

export const findSheetsOfRound = (db: Db, roundId: string) => db.select().from(scoreSheets).where(eq(scoreSheets.roundId, roundId));
export async function findScoreSheet(db: Db, roundId: string, productId: string, memberId: string) {
  return (await db.select().from(scoreSheets).where(and(eq(scoreSheets.roundId, roundId), eq(scoreSheets.productId, productId), eq(scoreSheets.memberId, memberId))).limit(1))[0];
}
export async function findScoreSheetById(db: Db, id: string) {
  return (await db.select().from(scoreSheets).where(eq(scoreSheets.id, id)).limit(1))[0];
}
export async function upsertScoreSheet(db: Db, v: typeof scoreSheets.$inferInsert) {
  return (
    await db.insert(scoreSheets).values(v)
      .onConflictDoUpdate({
        target: [scoreSheets.roundId, scoreSheets.productId, scoreSheets.memberId],
        set: { answers: v.answers, notes: v.notes, total: v.total, partTotals: v.partTotals, status: v.status, submittedAt: v.submittedAt ?? null, updatedAt: new Date(), version: sql`${scoreSheets.version} + 1` },
      })
      .returning()
  )[0];
}
export async function reopenScoreSheet(db: Db, id: string) {
  return (await db.update(scoreSheets).set({ status: 'draft', submittedAt: null, updatedAt: new Date(), version: sql`${scoreSheets.version} + 1` }).where(eq(scoreSheets.id, id)).returning())[0];
}
export async function insertReopening(db: Db, v: typeof scoreSheetReopenings.$inferInsert) {
  await db.insert(scoreSheetReopenings).values(v);
}
export const findReopenings = (db: Db, ids: string[]) =>
  ids.length ? db.select().from(scoreSheetReopenings).where(inArray(scoreSheetReopenings.scoreSheetId, ids)) : Promise.resolve([]);

export async function findSelfAssessment(db: Db, productId: string, sheetId: number) {
  return (await db.select().from(selfAssessments).where(and(eq(selfAssessments.productId, productId), eq(selfAssessments.sheetId, sheetId))).limit(1))[0];
}
export async function upsertSelfAssessment(db: Db, v: typeof selfAssessments.$inferInsert) {
  return (
    await db.insert(selfAssessments).values(v)
      .onConflictDoUpdate({ target: [selfAssessments.productId, selfAssessments.sheetId], set: { answers: v.answers, notes: v.notes, total: v.total, updatedBy: v.updatedBy, updatedAt: new Date() } })
      .returning()
  )[0];
}

/** Latest published sheet for a taxonomy leaf (self-assessment uses the criteria in force). */
export async function findCurrentSheetForNode(db: Db, taxonomyNodeId: number) {
  const r = await db.execute(sql`select cs.id, cs.title, cs.is_demo, cs.doc, s.name as set_name, s.star_bands from criteria_sheets cs join criteria_sets s on s.id = cs.set_id
    where cs.taxonomy_node_id = ${taxonomyNodeId} and s.status = 'published' order by s.effective_from desc nulls last, s.id desc limit 1`);
  return (r as unknown as { rows: { id: number; title: string; is_demo: boolean; doc: unknown; set_name: string; star_bands: unknown }[] }).rows[0];
}

/** Rounds that hold at least one product registered in the given units (a commune officer's scope). */
export async function findRoundIdsWithProductsIn(db: Db, unitIds: number[]) {
  if (!unitIds.length) return new Set<string>();
  const rows = await db.execute(sql`select distinct rp.round_id from round_products rp join products p on p.id = rp.product_id
    where p.registered_unit_id in (${sql.join(unitIds.map((u) => sql`${u}`), sql`, `)})`);
  return new Set(rowsOf<{ round_id: string }>(rows).map((r) => r.round_id));
}
