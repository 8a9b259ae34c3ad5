import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { taxonomyMappings, taxonomyNodes, taxonomyVersions } from './tables.js';

export const findVersions = (db: Db) => db.select().from(taxonomyVersions).orderBy(asc(taxonomyVersions.effectiveFrom));
export const findNodes = (db: Db, version: string) =>
  db.select().from(taxonomyNodes).where(eq(taxonomyNodes.version, version)).orderBy(asc(taxonomyNodes.id));
export const findAllNodes = (db: Db) => db.select().from(taxonomyNodes).orderBy(asc(taxonomyNodes.id));
export const findMappings = (db: Db) => db.select().from(taxonomyMappings);

export async function findNodeById(db: Db, id: number) {
  return (await db.select().from(taxonomyNodes).where(eq(taxonomyNodes.id, id)).limit(1))[0];
}
export async function findNodeByCode(db: Db, version: string, code: string) {
  return (await db.select().from(taxonomyNodes).where(and(eq(taxonomyNodes.version, version), eq(taxonomyNodes.code, code))).limit(1))[0];
}
export async function findVersion(db: Db, code: string) {
  return (await db.select().from(taxonomyVersions).where(eq(taxonomyVersions.code, code)).limit(1))[0];
}
export const insertVersion = (db: Db, v: typeof taxonomyVersions.$inferInsert) => db.insert(taxonomyVersions).values(v);
export async function insertNode(db: Db, v: typeof taxonomyNodes.$inferInsert) {
  return (await db.insert(taxonomyNodes).values(v).returning())[0];
}
export const insertMapping = (db: Db, v: typeof taxonomyMappings.$inferInsert) =>
  db.insert(taxonomyMappings).values(v).onConflictDoNothing();

/** A node and everything under it (filters by a sector or group match all its leaves). */
export function subtreeSql(nodeId: number) {
  return sql`(with recursive t(id) as (select ${nodeId}::int union select n.id from taxonomy_nodes n join t on n.parent_id = t.id) select id from t)`;
}
