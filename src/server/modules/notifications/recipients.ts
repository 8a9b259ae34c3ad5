import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';

/** Who is told: the queries every module uses to address a notification. */

const ids = (r: unknown) => rowsOf<{ id: string }>(r).map((x) => x.id);

/** producerUserIds for many producers at once: producer id → its active users (producers without users absent). */
export async function producerUserIdsMany(db: Db, producerIds: string[]) {
  const out = new Map<string, string[]>();
  for (let i = 0; i < producerIds.length; i += 1000) {
    const part = producerIds.slice(i, i + 1000);
    const r = rowsOf<{ id: string; producer_id: string }>(await db.execute(sql`select id, producer_id from users where producer_id in ${part} and is_active and role = 'producer'`));
    for (const u of r) out.set(u.producer_id, [...(out.get(u.producer_id) ?? []), u.id]);
  }
  return out;
}

/** Active users of a producer. */
export async function producerUserIds(db: Db, producerId: string) {
  return ids(await db.execute(sql`select id from users where producer_id = ${producerId} and is_active and role = 'producer'`));
}

/**
 * Active commune officers responsible for a unit: assigned to it, to a unit above it, or to a successor of it
 * (the auth layer's scope rule walked upwards: parent and predecessor → successor edges), so records registered
 * under a commune that has since merged reach the officers of today's commune.
 */
export async function communeOfficerIdsCovering(db: Db, unitId: number) {
  return ids(await db.execute(sql`with recursive up(id) as (
      select ${unitId}::int
      union
      select e.up from (
        select id as down, parent_id as up from admin_units where parent_id is not null
        union all
        select predecessor_id, successor_id from admin_unit_successions
      ) e join up on e.down = up.id
    )
    select distinct u.id from users u join user_units uu on uu.user_id = u.id
    where u.role = 'commune_officer' and u.is_active and uu.unit_id in (select id from up)`));
}

export async function provinceOfficerIds(db: Db) {
  return ids(await db.execute(sql`select id from users where role = 'province_officer' and is_active`));
}

/** The ministry's officers (central level intake: dossiers forwarded for 5★). */
export async function centralOfficerIds(db: Db) {
  return ids(await db.execute(sql`select id from users where role = 'central_officer' and is_active`));
}
