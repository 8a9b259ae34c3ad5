import { and, asc, eq, inArray, isNull, lte, or, gte, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { adminUnits, adminUnitSuccessions, referenceLoads, unitBoundaries } from './tables.js';

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

// ─── Reference loads and national units (migration 0014) ────────────────────────────────────────────────────

export async function findReferenceLoad(db: Db, name: string) {
  return (await db.select().from(referenceLoads).where(eq(referenceLoads.name, name)).limit(1))[0];
}

export async function recordReferenceLoad(db: Db, name: string, checksum: string, rowCount: number) {
  await db.insert(referenceLoads).values({ name, checksum, rowCount })
    .onConflictDoUpdate({ target: referenceLoads.name, set: { checksum, rowCount, loadedAt: new Date() } });
}

export interface NewUnitRow {
  key: string; code: string; name: string; type: string; level: number; parent_id: number | null; valid_from: string; source: string;
}

/**
 * Many units in one statement: the rows travel as one jsonb parameter (3,321 communes cost one round trip, which is
 * what keeps a fresh database cheap). Rows whose key, or code on the same start date, already exist are skipped.
 */
export async function insertUnitsBulk(db: Db, rows: NewUnitRow[]): Promise<number> {
  if (!rows.length) return 0;
  const r = await db.execute(sql`insert into admin_units (key, code, code_status, name, type, level, parent_id, valid_from, valid_to, source)
    select x.key, x.code, 'official', x.name, x.type, x.level, x.parent_id, x.valid_from, null, x.source
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(key text, code text, name text, type text, level smallint, parent_id integer, valid_from date, source text)
    on conflict do nothing
    returning id`);
  return rowsOf(r).length;
}

/** Units in force on a date that carry a code, by level: what a national file is matched against. */
export async function findCodedUnitsOn(db: Db, asOf: string) {
  const r = await db.execute(sql`select id, key, code, name, type, level, parent_id from admin_units
    where code is not null and (valid_from is null or valid_from <= ${asOf}) and (valid_to is null or valid_to >= ${asOf})`);
  return rowsOf<{ id: number; key: string; code: string; name: string; type: string; level: number; parent_id: number | null }>(r)
    .map((u) => ({ id: Number(u.id), key: u.key, code: u.code, name: u.name, type: u.type, level: Number(u.level), parentId: u.parent_id === null ? null : Number(u.parent_id) }));
}

// ─── Boundaries ──────────────────────────────────────────────────────────────────────────────────────────────

export interface BoundaryRow {
  unit_id: number; geometry: unknown; min_lng: number; min_lat: number; max_lng: number; max_lat: number;
  point_count: number; area_km2: number | null; source: string; imported_by: string | null;
}

/**
 * Upserts boundaries in one statement. `keepImports`: a seed never replaces a boundary a province imported.
 * Returns the unit ids written.
 */
export async function upsertBoundaries(db: Db, rows: BoundaryRow[], opts: { keepImports: boolean }): Promise<number[]> {
  if (!rows.length) return [];
  const r = await db.execute(sql`insert into unit_boundaries (unit_id, geometry, min_lng, min_lat, max_lng, max_lat, point_count, area_km2, source, imported_by, updated_at)
    select x.unit_id, x.geometry, x.min_lng, x.min_lat, x.max_lng, x.max_lat, x.point_count, x.area_km2, x.source, x.imported_by, now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(unit_id integer, geometry jsonb, min_lng float8, min_lat float8, max_lng float8, max_lat float8, point_count integer, area_km2 numeric, source text, imported_by uuid)
    on conflict (unit_id) do update set geometry = excluded.geometry, min_lng = excluded.min_lng, min_lat = excluded.min_lat,
      max_lng = excluded.max_lng, max_lat = excluded.max_lat, point_count = excluded.point_count, area_km2 = excluded.area_km2,
      source = excluded.source, imported_by = excluded.imported_by, updated_at = now()
      ${opts.keepImports ? sql`where unit_boundaries.source <> 'import'` : sql``}
    returning unit_id`);
  return rowsOf<{ unit_id: number }>(r).map((x) => Number(x.unit_id));
}

/** Summary of the boundaries (and units) as they are: changes whenever either changes, so it versions the cache. */
export async function boundariesVersion(db: Db): Promise<string> {
  const r = await db.execute(sql`select (select count(*) from unit_boundaries)::text || '.' ||
      coalesce((select floor(extract(epoch from max(updated_at)) * 1000) from unit_boundaries), 0)::text || '.' ||
      (select count(*) from admin_units)::text || '.' || coalesce((select max(id) from admin_units), 0)::text as v`);
  return String(rowsOf<{ v: string }>(r)[0].v);
}

export interface BoundaryFilter { level?: number; parentId?: number; unitIds?: number[] }

/** Boundaries with their unit's identity, for serving. */
export async function findBoundaries(db: Db, f: BoundaryFilter) {
  const conds: SQL[] = [sql`true`];
  if (f.level) conds.push(sql`u.level = ${f.level}`);
  if (f.parentId) conds.push(sql`u.parent_id = ${f.parentId}`);
  if (f.unitIds) conds.push(f.unitIds.length ? sql`u.id in (${sql.join(f.unitIds.map((id) => sql`${id}::int`), sql`, `)})` : sql`false`);
  const r = await db.execute(sql`select u.id, u.code, u.name, u.type, u.level, u.parent_id, b.geometry::text as geometry, b.area_km2::float8 as area_km2, b.source
    from unit_boundaries b join admin_units u on u.id = b.unit_id where ${sql.join(conds, sql` and `)} order by u.code nulls last, u.id`);
  return rowsOf<{ id: number; code: string | null; name: string; type: string; level: number; parent_id: number | null; geometry: string; area_km2: number | null; source: string }>(r);
}

export async function findBoundarySummaries(db: Db, unitIds: number[]) {
  if (!unitIds.length) return [];
  return db.select({ unitId: unitBoundaries.unitId, source: unitBoundaries.source, pointCount: unitBoundaries.pointCount })
    .from(unitBoundaries).where(inArray(unitBoundaries.unitId, unitIds));
}
