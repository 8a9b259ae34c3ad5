import { and, asc, eq, inArray, isNull, lte, or, gte, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { adminUnits, adminUnitSuccessions } from './tables.js';

/**
 * Units "covered" by the given ones: themselves, their children, and — transitively — their predecessors,
 * so a list filtered by today's commune also finds records registered under the communes it replaced.
 */
export function unitScopeSql(unitIds: number[]): SQL {
  const ids = sql.join(unitIds.map((id) => sql`${id}::int`), sql`, `);
  return sql`(with recursive edges(parent, child) as (
      select parent_id, id from admin_units where parent_id is not null
      union all
      select successor_id, predecessor_id from admin_unit_successions
    ), scope(id) as (
      select unnest(array[${ids}])
      union
      select e.child from edges e join scope s on e.parent = s.id
    ) select id from scope)`;
}

export async function findUnitScope(db: Db, unitIds: number[]): Promise<number[]> {
  if (unitIds.length === 0) return [];
  const r = await db.execute(sql`select id from ${unitScopeSql(unitIds)} as s(id)`);
  return rowsOf<{ id: number }>(r).map((x) => Number(x.id));
}

export interface UnitFilter {
  asOf?: string;
  level?: number;
  parentId?: number;
  ids?: number[];
}

export async function findUnits(db: Db, f: UnitFilter) {
  const conds: SQL[] = [];
  if (f.asOf) {
    conds.push(or(isNull(adminUnits.validFrom), lte(adminUnits.validFrom, f.asOf))!);
    conds.push(or(isNull(adminUnits.validTo), gte(adminUnits.validTo, f.asOf))!);
  }
  if (f.level) conds.push(eq(adminUnits.level, f.level));
  if (f.parentId) conds.push(eq(adminUnits.parentId, f.parentId));
  if (f.ids) conds.push(inArray(adminUnits.id, f.ids.length ? f.ids : [-1]));
  return db
    .select()
    .from(adminUnits)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(adminUnits.level), asc(adminUnits.validFrom), asc(adminUnits.code), asc(adminUnits.name));
}

export async function findUnitById(db: Db, id: number) {
  const rows = await db.select().from(adminUnits).where(eq(adminUnits.id, id)).limit(1);
  return rows[0];
}

export async function findUnitByKey(db: Db, key: string) {
  const rows = await db.select().from(adminUnits).where(eq(adminUnits.key, key)).limit(1);
  return rows[0];
}

export async function findSuccessions(db: Db, unitId: number) {
  return db
    .select()
    .from(adminUnitSuccessions)
    .where(or(eq(adminUnitSuccessions.predecessorId, unitId), eq(adminUnitSuccessions.successorId, unitId)));
}

export async function findAllSuccessions(db: Db) {
  return db.select().from(adminUnitSuccessions).orderBy(asc(adminUnitSuccessions.effectiveOn));
}

export async function insertUnit(db: Db, v: typeof adminUnits.$inferInsert) {
  const [row] = await db.insert(adminUnits).values(v).returning();
  return row;
}

export async function updateUnit(db: Db, id: number, v: Partial<typeof adminUnits.$inferInsert>) {
  const [row] = await db.update(adminUnits).set(v).where(eq(adminUnits.id, id)).returning();
  return row;
}

export async function insertSuccession(db: Db, v: typeof adminUnitSuccessions.$inferInsert) {
  const [row] = await db.insert(adminUnitSuccessions).values(v).returning();
  return row;
}

export async function countUnits(db: Db): Promise<number> {
  const r = await db.execute(sql`select count(*)::int as n from admin_units`);
  return Number(rowsOf<{ n: number }>(r)[0].n);
}
