import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { evidence } from './tables.js';

export async function findEvidenceRow(db: Db, id: string) {
  return (await db.select().from(evidence).where(eq(evidence.id, id)).limit(1))[0];
}

export async function findEvidenceRowsByIds(db: Db, ids: string[]) {
  if (!ids.length) return [];
  return db.select().from(evidence).where(inArray(evidence.id, ids)).orderBy(asc(evidence.type), desc(evidence.createdAt), asc(evidence.id));
}

export async function findEvidenceRowsOfProducer(db: Db, producerId: string) {
  return db.select().from(evidence).where(eq(evidence.producerId, producerId)).orderBy(asc(evidence.type), desc(evidence.createdAt), asc(evidence.id));
}

export async function insertEvidence(db: Db, v: typeof evidence.$inferInsert) {
  return (await db.insert(evidence).values(v).returning())[0];
}

/** Updates when the version still matches; undefined otherwise (someone else saved first). */
export async function updateEvidence(db: Db, id: string, version: number, v: Partial<typeof evidence.$inferInsert>) {
  return (
    await db
      .update(evidence)
      .set({ ...v, updatedAt: new Date(), version: sql`${evidence.version} + 1` })
      .where(and(eq(evidence.id, id), eq(evidence.version, version)))
      .returning()
  )[0];
}

export async function deleteEvidenceRow(db: Db, id: string) {
  return (await db.delete(evidence).where(eq(evidence.id, id)).returning({ id: evidence.id }))[0];
}

export interface UsageRow {
  evidenceId: string;
  dossierId: string;
  productName: string;
  status: string;
}

/** The dossiers each evidence is linked to, with the product's name. */
export async function findUsage(db: Db, evidenceIds: string[]): Promise<UsageRow[]> {
  if (!evidenceIds.length) return [];
  const ids = sql.join(evidenceIds.map((id) => sql`${id}::uuid`), sql`, `);
  const r = await db.execute(sql`select de.evidence_id, d.id as dossier_id, p.name as product_name, d.status
    from dossier_evidence de join dossiers d on d.id = de.dossier_id join products p on p.id = d.product_id
    where de.evidence_id in (${ids}) order by d.created_at, d.id`);
  return rowsOf<{ evidence_id: string; dossier_id: string; product_name: string; status: string }>(r).map((x) => ({
    evidenceId: x.evidence_id, dossierId: x.dossier_id, productName: x.product_name, status: x.status,
  }));
}

/** Of the given evidence, those linked to a dossier in a round the user is a member of. */
export async function findInRoundsOf(db: Db, evidenceIds: string[], userId: string): Promise<Set<string>> {
  if (!evidenceIds.length) return new Set();
  const ids = sql.join(evidenceIds.map((id) => sql`${id}::uuid`), sql`, `);
  const r = await db.execute(sql`select distinct de.evidence_id from dossier_evidence de
    join dossiers d on d.id = de.dossier_id
    join round_members rm on rm.round_id = d.round_id
    where de.evidence_id in (${ids}) and rm.user_id = ${userId}`);
  return new Set(rowsOf<{ evidence_id: string }>(r).map((x) => x.evidence_id));
}

/**
 * Statuses of the dossiers the evidence is linked to, with those dossiers locked until the end of the transaction:
 * a dossier cannot be submitted between the check and the delete.
 */
export async function lockLinkedDossiers(db: Db, evidenceId: string) {
  const r = await db.execute(sql`select d.id, d.status from dossiers d
    where d.id in (select dossier_id from dossier_evidence where evidence_id = ${evidenceId}) order by d.id for update`);
  return rowsOf<{ id: string; status: string }>(r);
}

export async function deleteLinksOf(db: Db, evidenceId: string) {
  await db.execute(sql`delete from dossier_evidence where evidence_id = ${evidenceId}`);
}
