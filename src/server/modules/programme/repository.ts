import { asc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import type { Facts } from './indicators.js';
import { budgetEntries, programmeEventParticipants, programmeEvents, programmePlans, programmeTargets, supportActivities, supportEvidence, type EventRow, type PlanRow, type SupportRow, type TargetRow } from './tables.js';

export const findPlans = (db: Db) => db.select().from(programmePlans).orderBy(asc(programmePlans.periodFrom), asc(programmePlans.code));
export const findPlanById = async (db: Db, id: string) => (await db.select().from(programmePlans).where(eq(programmePlans.id, id)).limit(1))[0];
export const findPlanByCode = async (db: Db, code: string) => (await db.select().from(programmePlans).where(eq(programmePlans.code, code)).limit(1))[0];
export const findTargets = (db: Db, planId: string) =>
  db.select().from(programmeTargets).where(eq(programmeTargets.planId, planId)).orderBy(asc(programmeTargets.position));
export async function countTargets(db: Db, planIds: string[]) {
  if (!planIds.length) return new Map<string, number>();
  const rows = await db.select({ planId: programmeTargets.planId, n: sql<number>`count(*)::int` }).from(programmeTargets)
    .where(inArray(programmeTargets.planId, planIds)).groupBy(programmeTargets.planId);
  return new Map(rows.map((r) => [r.planId, Number(r.n)]));
}

export const insertPlan = async (db: Db, v: typeof programmePlans.$inferInsert) => (await db.insert(programmePlans).values(v).returning())[0];
export const updatePlanRow = async (db: Db, id: string, version: number, v: Partial<PlanRow>) =>
  (await db.update(programmePlans).set({ ...v, version: version + 1, updatedAt: new Date() })
    .where(sql`${programmePlans.id} = ${id} and ${programmePlans.version} = ${version}`).returning())[0];
export async function replaceTargets(db: Db, planId: string, targets: Omit<typeof programmeTargets.$inferInsert, 'planId'>[]) {
  await db.delete(programmeTargets).where(eq(programmeTargets.planId, planId));
  if (targets.length) await db.insert(programmeTargets).values(targets.map((t, i) => ({ ...t, planId, position: i })));
}
export type { TargetRow };

/**
 * The plan's area as it was and as it became: the area unit, its descendants, and every unit that succeeded any of
 * them (with their descendants), transitively. Records registered under any of these units count for the plan, so
 * the numbers follow products through the 2024 and 2025 reorganisations while the targets stay with the old area.
 */
export const areaUnitsSql = (areaUnitId: number) => sql`(with recursive edges(parent, child) as (
    select parent_id, id from admin_units where parent_id is not null
    union all
    select predecessor_id, successor_id from admin_unit_successions
  ), area(id) as (
    select ${areaUnitId}::int
    union
    select e.child from edges e join area a on e.parent = a.id
  ) select id from area)`;

export async function findAreaUnitIds(db: Db, areaUnitId: number): Promise<number[]> {
  return rowsOf<{ id: number }>(await db.execute(sql`select id from ${areaUnitsSql(areaUnitId)} as a(id)`)).map((r) => Number(r.id));
}

/** Commune-level units of the area over time (the old communes and the ones that succeeded them), by name. */
export async function findAreaCommunes(db: Db, areaUnitId: number) {
  return rowsOf<{ id: number; key: string; name: string; type: string; valid_from: string | null; valid_to: string | null }>(await db.execute(sql`
    select id, key, name, type, to_char(valid_from, 'YYYY-MM-DD') as valid_from, to_char(valid_to, 'YYYY-MM-DD') as valid_to
    from admin_units where level = 3 and id in ${areaUnitsSql(areaUnitId)} order by name, id`))
    .map((u) => ({ id: Number(u.id), key: u.key, name: u.name, type: u.type, validFrom: u.valid_from, validTo: u.valid_to }));
}

/**
 * Read model for the indicators (one query per table, all within the area): this module reads products,
 * certificates, dossiers' kinds, certifications and channels directly because the indicators aggregate across
 * all of them; no other module's rules are bypassed since nothing is written. See ARCHITECTURE.md.
 */
export async function loadFacts(db: Db, areaUnitId: number, planId: string | null = null): Promise<Facts> {
  // The area's units once, then as a list of ids: each query below can use the unit indexes (with the recursive
  // query inlined the planner guessed its size and scanned whole tables — 15–25 ms each at 20,000 products).
  const areaIds = await findAreaUnitIds(db, areaUnitId);
  const area = sql`(${sql.join(areaIds.map((id) => sql`${id}::int`), sql`, `)})`;
  const [units, successions, products, certificates, certifications, channels, support, budget, events, villages] = await Promise.all([
    db.execute(sql`select id, key, name, type, level, parent_id, to_char(valid_from, 'YYYY-MM-DD') as valid_from, to_char(valid_to, 'YYYY-MM-DD') as valid_to
      from admin_units where id in ${area}`),
    db.execute(sql`select predecessor_id, successor_id, to_char(effective_on, 'YYYY-MM-DD') as effective_on from admin_unit_successions
      where predecessor_id in ${area}`),
    db.execute(sql`select p.id, p.name, p.producer_id, pr.legal_name as producer_name, p.registered_unit_id, p.processing_level, p.key_product, pr.craft_village_id
      from products p join producers pr on pr.id = p.producer_id where p.registered_unit_id in ${area} order by p.name, p.id`),
    db.execute(sql`select c.id, c.number, c.product_id, c.star, to_char(c.decision_date, 'YYYY-MM-DD') as decision_date,
        to_char(c.expires_on, 'YYYY-MM-DD') as expires_on, c.status,
        to_char((c.revoked_at at time zone 'Asia/Ho_Chi_Minh')::date, 'YYYY-MM-DD') as revoked_on, c.superseded_by, d.kind as dossier_kind
      from certificates c join products p on p.id = c.product_id left join dossiers d on d.id = c.dossier_id
      where p.registered_unit_id in ${area}`),
    db.execute(sql`select pc.product_id, pc.type, to_char(pc.valid_from, 'YYYY-MM-DD') as valid_from, to_char(pc.valid_to, 'YYYY-MM-DD') as valid_to
      from product_certifications pc join products p on p.id = pc.product_id where p.registered_unit_id in ${area}`),
    db.execute(sql`select ch.product_id, ch.kind from product_channels ch join products p on p.id = ch.product_id where p.registered_unit_id in ${area}`),
    db.execute(sql`select s.id, s.product_id, s.producer_id, s.type, to_char(s.activity_date, 'YYYY-MM-DD') as activity_date, s.status, s.amount_vnd::float8 as amount_vnd
      from support_activities s join producers pr on pr.id = s.producer_id left join products p on p.id = s.product_id
      where coalesce(p.registered_unit_id, pr.unit_id) in ${area}`),
    planId
      ? db.execute(sql`select id, kind, funding_source, to_char(entry_date, 'YYYY-MM-DD') as entry_date, amount_vnd::float8 as amount_vnd, description from budget_entries where plan_id = ${planId}`)
      : Promise.resolve({ rows: [] }),
    db.execute(sql`select id, type, title, to_char(starts_on, 'YYYY-MM-DD') as starts_on, status, unit_id, attendance from programme_events where unit_id in ${area}`),
    db.execute(sql`select v.id, v.name, to_char(v.recognised_on, 'YYYY-MM-DD') as recognised_on, to_char(v.revoked_on, 'YYYY-MM-DD') as revoked_on
      from craft_villages v where v.id in (select pr.craft_village_id from producers pr join products p on p.producer_id = pr.id where p.registered_unit_id in ${area})`),
  ]);
  type U = { id: number; key: string; name: string; type: string; level: number; parent_id: number | null; valid_from: string | null; valid_to: string | null };
  return {
    units: rowsOf<U>(units).map((u) => ({ id: Number(u.id), key: u.key, name: u.name, type: u.type, level: Number(u.level), parentId: u.parent_id === null ? null : Number(u.parent_id), validFrom: u.valid_from, validTo: u.valid_to })),
    successions: rowsOf<{ predecessor_id: number; successor_id: number; effective_on: string }>(successions)
      .map((s) => ({ predecessorId: Number(s.predecessor_id), successorId: Number(s.successor_id), effectiveOn: s.effective_on })),
    products: rowsOf<{ id: string; name: string; producer_id: string; producer_name: string; registered_unit_id: number; processing_level: string; key_product: boolean; craft_village_id: string | null }>(products)
      .map((p) => ({ id: p.id, name: p.name, producerId: p.producer_id, producerName: p.producer_name, registeredUnitId: Number(p.registered_unit_id), processingLevel: p.processing_level, keyProduct: p.key_product, craftVillageId: p.craft_village_id })),
    certificates: rowsOf<{ id: string; number: string; product_id: string; star: number; decision_date: string; expires_on: string; status: string; revoked_on: string | null; superseded_by: string | null; dossier_kind: string | null }>(certificates)
      .map((c) => ({ id: c.id, number: c.number, productId: c.product_id, star: Number(c.star), decisionDate: c.decision_date, expiresOn: c.expires_on, status: c.status, revokedOn: c.revoked_on, supersededById: c.superseded_by, dossierKind: c.dossier_kind as Facts['certificates'][number]['dossierKind'] })),
    certifications: rowsOf<{ product_id: string; type: string; valid_from: string | null; valid_to: string | null }>(certifications)
      .map((c) => ({ productId: c.product_id, type: c.type, validFrom: c.valid_from, validTo: c.valid_to })),
    channels: rowsOf<{ product_id: string; kind: string }>(channels).map((c) => ({ productId: c.product_id, kind: c.kind })),
    support: rowsOf<{ id: string; product_id: string | null; producer_id: string; type: string; activity_date: string; status: string; amount_vnd: number }>(support)
      .map((s) => ({ id: s.id, productId: s.product_id, producerId: s.producer_id, type: s.type, activityDate: s.activity_date, status: s.status, amountVnd: Number(s.amount_vnd) })),
    budget: rowsOf<{ id: string; kind: string; funding_source: string; entry_date: string; amount_vnd: number; description: string }>(budget)
      .map((b) => ({ id: b.id, kind: b.kind, fundingSource: b.funding_source, entryDate: b.entry_date, amountVnd: Number(b.amount_vnd), description: b.description })),
    events: rowsOf<{ id: string; type: string; title: string; starts_on: string; status: string; unit_id: number; attendance: number | null }>(events)
      .map((e) => ({ id: e.id, type: e.type, title: e.title, startsOn: e.starts_on, status: e.status, unitId: Number(e.unit_id), attendance: e.attendance === null ? null : Number(e.attendance) })),
    craftVillages: rowsOf<{ id: string; name: string; recognised_on: string | null; revoked_on: string | null }>(villages)
      .map((v) => ({ id: v.id, name: v.name, recognisedOn: v.recognised_on, revokedOn: v.revoked_on })),
  };
}

/** Council home: the rounds a member sits on, with the products they have not submitted a sheet for (conflicts excepted). */
export async function findCouncilWork(db: Db, userId: string) {
  return rowsOf<{ round_id: string; name: string; status: string; role: string; level: string; products: number; submitted: number; conflicts: number }>(await db.execute(sql`
    select r.id as round_id, r.name, r.status, m.role, r.level,
      (select count(*)::int from round_products rp where rp.round_id = r.id) as products,
      (select count(*)::int from score_sheets s where s.round_id = r.id and s.member_id = ${userId} and s.status = 'submitted') as submitted,
      (select count(*)::int from conflicts c where c.round_id = r.id and c.user_id = ${userId}) as conflicts
    from round_members m join rounds r on r.id = m.round_id
    where m.user_id = ${userId} and r.status <> 'finalised'
    order by r.created_at desc`));
}

// ─── Support activities ───

export type SupportListRow = SupportRow & { producerName: string; productName: string | null; unitId: number; unitName: string };

const supportSelect = sql`select s.id, s.producer_id as "producerId", s.product_id as "productId", s.type, s.description, s.amount_vnd::float8 as "amountVnd",
    s.funding_source as "fundingSource", to_char(s.activity_date, 'YYYY-MM-DD') as "activityDate", s.status, s.note, s.version, s.created_by as "createdBy",
    s.created_at as "createdAt", s.updated_at as "updatedAt", pr.legal_name as "producerName", p.name as "productName",
    coalesce(p.registered_unit_id, pr.unit_id) as "unitId", u.name as "unitName"
  from support_activities s join producers pr on pr.id = s.producer_id left join products p on p.id = s.product_id
  join admin_units u on u.id = coalesce(p.registered_unit_id, pr.unit_id)`;

export interface SupportFilter { producerId?: string; productId?: string; type?: string; status?: string; from?: string; to?: string; onlyProducerId?: string; unitIds?: number[] }

function supportWhere(f: SupportFilter) {
  const c = [sql`true`];
  if (f.producerId) c.push(sql`s.producer_id = ${f.producerId}`);
  if (f.onlyProducerId) c.push(sql`s.producer_id = ${f.onlyProducerId}`);
  if (f.productId) c.push(sql`s.product_id = ${f.productId}`);
  if (f.type) c.push(sql`s.type = ${f.type}`);
  if (f.status) c.push(sql`s.status = ${f.status}`);
  if (f.from) c.push(sql`s.activity_date >= ${f.from}::date`);
  if (f.to) c.push(sql`s.activity_date <= ${f.to}::date`);
  if (f.unitIds) c.push(f.unitIds.length ? sql`coalesce(p.registered_unit_id, pr.unit_id) in (${sql.join(f.unitIds.map((i) => sql`${i}::int`), sql`, `)})` : sql`false`);
  return sql.join(c, sql` and `);
}

export async function findSupport(db: Db, f: SupportFilter, page: number, pageSize: number) {
  const where = supportWhere(f);
  const rows = rowsOf<SupportListRow>(await db.execute(sql`${supportSelect} where ${where} order by s.activity_date desc, s.created_at desc limit ${pageSize} offset ${(page - 1) * pageSize}`));
  const [agg] = rowsOf<{ n: number; amount: number }>(await db.execute(sql`select count(*)::int as n, coalesce(sum(s.amount_vnd), 0)::float8 as amount
    from support_activities s join producers pr on pr.id = s.producer_id left join products p on p.id = s.product_id where ${where}`));
  return { rows, total: Number(agg.n), totalAmountVnd: Number(agg.amount) };
}
export async function findSupportById(db: Db, id: string) {
  return rowsOf<SupportListRow>(await db.execute(sql`${supportSelect} where s.id = ${id}`))[0];
}
export const insertSupport = async (db: Db, v: typeof supportActivities.$inferInsert) => (await db.insert(supportActivities).values(v).returning())[0];
export const updateSupportRow = async (db: Db, id: string, version: number, v: Partial<SupportRow>) =>
  (await db.update(supportActivities).set({ ...v, version: version + 1, updatedAt: new Date() })
    .where(sql`${supportActivities.id} = ${id} and ${supportActivities.version} = ${version}`).returning())[0];

export async function findSupportEvidenceIds(db: Db, supportId: string) {
  return (await db.select({ id: supportEvidence.evidenceId }).from(supportEvidence).where(eq(supportEvidence.supportActivityId, supportId))
    .orderBy(asc(supportEvidence.linkedAt))).map((r) => r.id);
}
export async function insertSupportEvidence(db: Db, supportId: string, evidenceId: string, userId: string) {
  return (await db.insert(supportEvidence).values({ supportActivityId: supportId, evidenceId, linkedBy: userId }).onConflictDoNothing().returning())[0];
}
export async function deleteSupportEvidence(db: Db, supportId: string, evidenceId: string) {
  return (await db.delete(supportEvidence).where(sql`${supportEvidence.supportActivityId} = ${supportId} and ${supportEvidence.evidenceId} = ${evidenceId}`).returning())[0];
}

// ─── Budget ───

export const findBudgetEntries = (db: Db, planId: string) =>
  db.select().from(budgetEntries).where(eq(budgetEntries.planId, planId)).orderBy(asc(budgetEntries.entryDate), asc(budgetEntries.createdAt));
export const insertBudgetEntry = async (db: Db, v: typeof budgetEntries.$inferInsert) => (await db.insert(budgetEntries).values(v).returning())[0];
/** What budget entries pay for, in words: "<producer> — <support description>" and event titles, by id. */
export async function findBudgetLinkLabels(db: Db, supportIds: string[], eventIds: string[]) {
  const out = new Map<string, string>();
  if (supportIds.length) {
    for (const r of rowsOf<{ id: string; label: string }>(await db.execute(sql`select s.id, pr.legal_name || ' — ' || s.description as label
      from support_activities s join producers pr on pr.id = s.producer_id where s.id in (${sql.join(supportIds.map((i) => sql`${i}::uuid`), sql`, `)})`))) out.set(r.id, r.label);
  }
  if (eventIds.length) {
    for (const r of rowsOf<{ id: string; title: string }>(await db.execute(sql`select id, title from programme_events where id in (${sql.join(eventIds.map((i) => sql`${i}::uuid`), sql`, `)})`))) out.set(r.id, r.title);
  }
  return out;
}
/** Serialises budget checks per plan: two officers cannot both pass the same remaining balance. */
export async function lockPlan(db: Db, planId: string) {
  await db.execute(sql`select id from programme_plans where id = ${planId} for update`);
}

// ─── Events ───

export const findEventById = async (db: Db, id: string) => (await db.select().from(programmeEvents).where(eq(programmeEvents.id, id)).limit(1))[0];
export const insertEvent = async (db: Db, v: typeof programmeEvents.$inferInsert) => (await db.insert(programmeEvents).values(v).returning())[0];
export const updateEventRow = async (db: Db, id: string, version: number, v: Partial<EventRow>) =>
  (await db.update(programmeEvents).set({ ...v, version: version + 1, updatedAt: new Date() })
    .where(sql`${programmeEvents.id} = ${id} and ${programmeEvents.version} = ${version}`).returning())[0];
export async function replaceParticipants(db: Db, eventId: string, ps: { producerId: string; productId: string | null }[]) {
  await db.delete(programmeEventParticipants).where(eq(programmeEventParticipants.eventId, eventId));
  if (ps.length) await db.insert(programmeEventParticipants).values(ps.map((p) => ({ eventId, ...p })));
}
export async function findParticipants(db: Db, eventIds: string[]) {
  if (!eventIds.length) return [];
  return rowsOf<{ event_id: string; producer_id: string; producer_name: string; product_id: string | null; product_name: string | null }>(await db.execute(sql`
    select ep.event_id, ep.producer_id, pr.legal_name as producer_name, ep.product_id, p.name as product_name
    from programme_event_participants ep join producers pr on pr.id = ep.producer_id left join products p on p.id = ep.product_id
    where ep.event_id in (${sql.join(eventIds.map((i) => sql`${i}::uuid`), sql`, `)}) order by pr.legal_name`));
}
export async function findEvents(db: Db, f: { type?: string; status?: string; from?: string; to?: string; unitIds?: number[]; participantProducerId?: string }, page: number, pageSize: number) {
  const c = [sql`true`];
  if (f.type) c.push(sql`e.type = ${f.type}`);
  if (f.status) c.push(sql`e.status = ${f.status}`);
  if (f.from) c.push(sql`e.starts_on >= ${f.from}::date`);
  if (f.to) c.push(sql`e.starts_on <= ${f.to}::date`);
  if (f.unitIds) c.push(f.unitIds.length ? sql`e.unit_id in (${sql.join(f.unitIds.map((i) => sql`${i}::int`), sql`, `)})` : sql`false`);
  if (f.participantProducerId) c.push(sql`exists (select 1 from programme_event_participants ep where ep.event_id = e.id and ep.producer_id = ${f.participantProducerId})`);
  const where = sql.join(c, sql` and `);
  const rows = rowsOf<{ id: string }>(await db.execute(sql`select e.id from programme_events e where ${where} order by e.starts_on desc, e.created_at desc limit ${pageSize} offset ${(page - 1) * pageSize}`));
  const [n] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from programme_events e where ${where}`));
  return { ids: rows.map((r) => r.id), total: Number(n.n) };
}
