import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { escapeLike, searchTokens } from '../../../shared/text.js';
import { dossierEvents, dossierEvidence, dossiers, type DossierRow } from './tables.js';
import type { DossierListQuery } from './schema.js';

export async function findDossier(db: Db, id: string) {
  return (await db.select().from(dossiers).where(eq(dossiers.id, id)).limit(1))[0];
}
/** Row locked for the rest of the transaction: two officers acting at once cannot both move it. */
export async function findDossierForUpdate(db: Db, id: string) {
  return (await db.select().from(dossiers).where(eq(dossiers.id, id)).limit(1).for('update'))[0];
}
export async function insertDossier(db: Db, v: typeof dossiers.$inferInsert) {
  return (await db.insert(dossiers).values(v).returning())[0];
}
export async function updateDossier(db: Db, id: string, v: Partial<typeof dossiers.$inferInsert>) {
  return (await db.update(dossiers).set({ ...v, updatedAt: new Date(), version: sql`${dossiers.version} + 1` }).where(eq(dossiers.id, id)).returning())[0];
}
export async function insertEvent(db: Db, v: typeof dossierEvents.$inferInsert) {
  await db.insert(dossierEvents).values(v);
}
export const findEvents = (db: Db, dossierId: string) => db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, dossierId)).orderBy(dossierEvents.id);

export interface DossierContext {
  product_name: string;
  taxonomy_code: string;
  registered_unit_id: number;
  producer_name: string;
  intake_unit_name: string;
  procedure_name: string;
  procedure_intake: 'commune' | 'district';
  round_name: string | null;
  round_status: string | null;
}
export async function findContext(db: Db, d: DossierRow) {
  const r = await db.execute(sql`select p.name as product_name, t.code as taxonomy_code, p.registered_unit_id, pr.legal_name as producer_name,
      u.name as intake_unit_name, pv.name as procedure_name, coalesce(pv.doc->>'intake', 'commune') as procedure_intake,
      r.name as round_name, r.status as round_status
    from products p join taxonomy_nodes t on t.id = p.taxonomy_node_id join producers pr on pr.id = p.producer_id
    join admin_units u on u.id = ${d.intakeUnitId} join procedure_versions pv on pv.code = ${d.procedureCode}
    left join rounds r on r.id = ${d.roundId}
    where p.id = ${d.productId}`);
  return rowsOf<DossierContext>(r)[0];
}

export interface LinkedEvidenceRow {
  id: string;
  type: string;
  title: string;
  expires_on: string | null;
  requirement: string;
  dossier_id: string;
}
export async function findLinkedEvidence(db: Db, dossierIds: string[]) {
  if (!dossierIds.length) return [];
  const r = await db.execute(sql`select e.id, e.type, e.title, e.expires_on::text as expires_on, de.requirement, de.dossier_id
    from dossier_evidence de join evidence e on e.id = de.evidence_id
    where de.dossier_id in (${sql.join(dossierIds.map((id) => sql`${id}::uuid`), sql`, `)}) order by de.attached_at, e.title`);
  return rowsOf<LinkedEvidenceRow>(r);
}
export async function insertLink(db: Db, dossierId: string, evidenceId: string, requirement: string) {
  await db.insert(dossierEvidence).values({ dossierId, evidenceId, requirement }).onConflictDoUpdate({ target: [dossierEvidence.dossierId, dossierEvidence.evidenceId], set: { requirement } });
}
export async function deleteLink(db: Db, dossierId: string, evidenceId: string) {
  const r = await db.delete(dossierEvidence).where(and(eq(dossierEvidence.dossierId, dossierId), eq(dossierEvidence.evidenceId, evidenceId))).returning();
  return r.length > 0;
}

export async function findLatestDossierOfProduct(db: Db, productId: string) {
  return (await db.select().from(dossiers).where(eq(dossiers.productId, productId)).orderBy(desc(dossiers.createdAt)).limit(1))[0];
}
/** The producer's latest self-assessment of the product (any sheet version). */
export async function findSelfAssessmentSummary(db: Db, productId: string) {
  const r = await db.execute(sql`select total::float8 as total, updated_at from self_assessments where product_id = ${productId} order by updated_at desc limit 1`);
  return rowsOf<{ total: number; updated_at: Date | string }>(r)[0];
}
/**
 * The unit that is the given one today: itself while valid, otherwise its successor (followed through renames and
 * mergers, e.g. thị trấn Chũ → thị xã Chũ → phường Chũ), so dossiers reach today's commune.
 */
export async function findCurrentUnitOf(db: Db, unitId: number, today: string) {
  const r = await db.execute(sql`with recursive chain(id, depth) as (
      select ${unitId}::int, 0
      union
      select s.successor_id, c.depth + 1 from admin_unit_successions s join chain c on s.predecessor_id = c.id where c.depth < 10
    )
    select u.id from chain c join admin_units u on u.id = c.id
    where (u.valid_from is null or u.valid_from <= ${today}::date) and (u.valid_to is null or u.valid_to >= ${today}::date)
    order by c.depth, u.id limit 1`);
  return rowsOf<{ id: number }>(r)[0]?.id ?? unitId;
}

export async function findProcedureInForce(db: Db, today: string) {
  const r = await db.execute(sql`select code, name, coalesce(doc->>'intake', 'commune') as intake from procedure_versions
    where (effective_from is null or effective_from <= ${today}::date) and (effective_to is null or effective_to >= ${today}::date)
    order by effective_from desc nulls last limit 1`);
  return rowsOf<{ code: string; name: string; intake: 'commune' | 'district' }>(r)[0];
}

export async function findDossiersOfRound(db: Db, roundId: string, status: string) {
  return db.select().from(dossiers).where(and(eq(dossiers.roundId, roundId), eq(dossiers.status, status)));
}
export interface DossierListRow {
  id: string; kind: string; status: string; product_id: string; product_name: string; producer_id: string; producer_name: string;
  intake_unit_id: number; intake_unit_name: string; procedure_code: string; target_star: number | null; submitted_at: Date | string | null;
  updated_at: Date | string; taxonomy_code: string; total: number;
}
/** One page of dossiers; `scope` narrows to what the caller may see (producer's own, or units in scope). */
export async function findDossiers(db: Db, q: DossierListQuery, scope: { producerId?: string; unitIds?: number[]; reachedCentral?: boolean }) {
  const conds: SQL[] = [];
  if (q.status) conds.push(sql`d.status = ${q.status}`);
  if (q.kind) conds.push(sql`d.kind = ${q.kind}`);
  if (q.productId) conds.push(sql`d.product_id = ${q.productId}`);
  if (scope.producerId) conds.push(sql`d.producer_id = ${scope.producerId}`);
  if (scope.reachedCentral) conds.push(sql`(d.level_results @> '[{"forwardTo": "central"}]'::jsonb or d.level_results @> '[{"level": "central"}]'::jsonb)`);
  if (scope.unitIds) {
    const ids = scope.unitIds.length ? sql.join(scope.unitIds.map((i) => sql`${i}`), sql`, `) : sql`null`;
    conds.push(sql`(d.intake_unit_id in (${ids}) or p.registered_unit_id in (${ids}))`);
  }
  for (const w of searchTokens(q.q ?? '')) conds.push(sql`p.search_text like ${`%${escapeLike(w)}%`}`);
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const r = await db.execute(sql`select d.id, d.kind, d.status, d.product_id, p.name as product_name, d.producer_id, pr.legal_name as producer_name,
      d.intake_unit_id, u.name as intake_unit_name, d.procedure_code, d.target_star, d.submitted_at, d.updated_at, t.code as taxonomy_code,
      count(*) over ()::int as total
    from dossiers d join products p on p.id = d.product_id join producers pr on pr.id = d.producer_id
    join admin_units u on u.id = d.intake_unit_id join taxonomy_nodes t on t.id = p.taxonomy_node_id
    ${where}
    order by d.updated_at desc, d.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  return rowsOf<DossierListRow>(r);
}
