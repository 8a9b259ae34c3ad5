import { eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { escapeLike, searchTokens } from '../../../shared/text.js';
import { craftVillages, type CraftVillageRow } from './tables.js';
import type { CraftVillageListQuery } from './schema.js';

export type CraftVillageListRow = CraftVillageRow & { unitName: string; unitType: string; producerCount: number };

/**
 * Villages with their unit and how many producers belong to each (a read-only count over producers, the one
 * column that refers here).
 */
const select = sql`select v.id, v.name, v.unit_id as "unitId", v.kind, v.craft, v.decision,
    to_char(v.recognised_on, 'YYYY-MM-DD') as "recognisedOn", to_char(v.revoked_on, 'YYYY-MM-DD') as "revokedOn", v.note, v.is_demo as "isDemo",
    v.version, v.created_at as "createdAt", v.updated_at as "updatedAt", u.name as "unitName", u.type as "unitType",
    (select count(*)::int from producers p where p.craft_village_id = v.id) as "producerCount"
  from craft_villages v join admin_units u on u.id = v.unit_id`;

export async function findCraftVillages(db: Db, q: CraftVillageListQuery) {
  const c = [sql`true`];
  for (const t of searchTokens(q.q ?? '')) c.push(sql`f_norm(v.name || ' ' || coalesce(v.craft, '') || ' ' || u.name) like ${`%${escapeLike(t)}%`}`);
  if (q.unitId) c.push(sql`v.unit_id = ${q.unitId}`);
  return rowsOf<CraftVillageListRow>(await db.execute(sql`${select} where ${sql.join(c, sql` and `)} order by u.name, v.name`));
}

export async function findCraftVillageById(db: Db, id: string) {
  return rowsOf<CraftVillageListRow>(await db.execute(sql`${select} where v.id = ${id}`))[0];
}

export async function findCraftVillageByName(db: Db, unitId: number, name: string) {
  return rowsOf<{ id: string }>(await db.execute(sql`select id from craft_villages where unit_id = ${unitId} and f_norm(name) = f_norm(${name})`))[0];
}

export const findCraftVillageRow = async (db: Db, id: string) => (await db.select().from(craftVillages).where(eq(craftVillages.id, id)).limit(1))[0];

export const insertCraftVillage = async (db: Db, v: typeof craftVillages.$inferInsert) => (await db.insert(craftVillages).values(v).returning())[0];

export const updateCraftVillageRow = async (db: Db, id: string, version: number, v: Partial<typeof craftVillages.$inferInsert>) =>
  (await db.update(craftVillages).set({ ...v, version: version + 1, updatedAt: new Date() })
    .where(sql`${craftVillages.id} = ${id} and ${craftVillages.version} = ${version}`).returning())[0];

export async function findCraftVillageRefs(db: Db, ids: string[]) {
  if (!ids.length) return [];
  return db.select({ id: craftVillages.id, name: craftVillages.name, isDemo: craftVillages.isDemo }).from(craftVillages).where(inArray(craftVillages.id, ids));
}
