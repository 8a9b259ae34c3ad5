/**
 * Programme bench data (#11), on top of bench/generate.ts's registry (products over the national communes, 50,000
 * certificates): one plan per province in force since 1/7/2025 (area = the province; the targets of the seeded Lục
 * Ngạn plan, years shifted to 2024–2026), 10,000 events over the communes with 1–5 participating producers each,
 * support activities for a third of the products, budget lines by source and year for each plan, and commitments and
 * disbursements against them. Multi-row INSERTs like generate.ts (bench data, not demo data: no services, no audit).
 *
 *   DATABASE_URL=… node --import tsx bench/generate-programme.ts     # BENCH_EVENTS=10000 BENCH_SEED=148
 *
 * Prints one JSON line: { plans, targets, events, participants, support, budgetEntries, ms }.
 */
import crypto from 'node:crypto';
import { openPostgres, openPglite, type DbHandle } from '../src/server/db/client.js';
import path from 'node:path';
import { insertRows } from './generate.js';

const N_EVENTS = Number(process.env.BENCH_EVENTS ?? 10000);
let seed = (Number(process.env.BENCH_SEED ?? 148) * 104729) >>> 0;
function rnd() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const uuid = () => crypto.randomUUID();
const date = (y0: number, y1: number) => `${int(y0, y1)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;

const SOURCES = ['central_ntm', 'province_budget', 'district_budget', 'science_technology', 'agricultural_extension', 'industrial_extension', 'trade_promotion', 'mobilised', 'other'] as const;
const EVENT_TYPES = [['fair', 'Hội chợ OCOP'], ['exhibition', 'Triển lãm sản phẩm'], ['trade_conference', 'Hội nghị xúc tiến thương mại'], ['training', 'Tập huấn OCOP'], ['awareness', 'Tuyên truyền OCOP'], ['live_selling', 'Phiên livestream bán hàng']] as const;
const SUPPORT_TYPES = ['labels_packaging', 'traceability_stamps', 'trademark_gi', 'website_ecommerce', 'testing', 'quality_certification', 'trade_promotion', 'equipment_infrastructure', 'training'] as const;

export async function generateProgramme(h: DbHandle) {
  const t0 = Date.now();
  const provinces = await h.query<{ id: number; name: string }>(`select id, name from admin_units where level = 1 and valid_from <= date '2025-07-01'
    and (valid_to is null or valid_to > date '2025-07-01') order by id`);
  if (provinces.length < 30) throw new Error(`only ${provinces.length} provinces in force on 1/7/2025: the national units are not loaded`);
  const communes = (await h.query<{ id: number }>(`select id from admin_units where level = 3 and (valid_to is null or valid_to > current_date)`)).map((r) => r.id);
  const seedPlan = (await h.query<{ id: string }>(`select id from programme_plans where code = 'luc-ngan-ocop-2023-2025'`))[0];
  if (!seedPlan) throw new Error('the seeded Lục Ngạn plan is missing');
  const producers = (await h.query<{ id: string; unit_id: number }>('select id, unit_id from producers')).map((r) => ({ id: r.id, unit: r.unit_id }));
  const products = await h.query<{ id: string; producer_id: string }>('select id, producer_id from products');

  // Plans: one per province, targets of the Lục Ngạn plan (per-commune targets kept: they apply to each commune).
  const plans: unknown[][] = [];
  const planIds: string[] = [];
  for (const p of provinces) {
    const id = uuid();
    planIds.push(id);
    plans.push([id, `bench-${p.id}-2024-2026`, `Kế hoạch phát triển sản phẩm OCOP ${p.name} giai đoạn 2024–2026 (bench)`, `UBND ${p.name}`, p.id, 2024, 2026, 'in_force']);
  }
  await insertRows(h, 'programme_plans', ['id', 'code', 'title', 'issuing_unit', 'area_unit_id', 'period_from', 'period_to', 'status'], plans);
  await h.query(`insert into programme_targets (plan_id, indicator, year, commune_unit_id, per_commune, value_min, value_max, unit, funding_source, label, note, position)
    select p.id, t.indicator, t.year + 1, null, t.per_commune,
      case when t.unit = 'percent' then t.value_min else t.value_min * 10 end, case when t.unit = 'percent' then t.value_max else t.value_max * 10 end, t.unit, t.funding_source, t.label, t.note, t.position
    from programme_plans p cross join programme_targets t
    where p.code like 'bench-%' and t.plan_id = $1 and t.commune_unit_id is null and (t.year is null or t.year + 1 <= 2026)`, [seedPlan.id]);
  // Budget lines by source and year (appendix 03's shape), then entries against them.
  const lines: unknown[][] = [];
  for (const planId of planIds) for (const s of SOURCES) for (const y of [2024, 2025, 2026]) lines.push([planId, 'budget_total', y, s, int(200, 2000), 'million_vnd', `Kinh phí ${s} năm ${y}`]);
  await insertRows(h, 'programme_targets', ['plan_id', 'indicator', 'year', 'funding_source', 'value_min', 'unit', 'label'], lines);

  // Events over the communes, most of them held; participants are producers of the event's commune where there are any.
  const byUnit = new Map<number, string[]>();
  for (const p of producers) byUnit.set(p.unit, [...(byUnit.get(p.unit) ?? []), p.id]);
  const events: unknown[][] = [];
  const participants: unknown[][] = [];
  const eventIds: string[] = [];
  for (let i = 0; i < N_EVENTS; i++) {
    const id = uuid();
    const [type, title] = pick(EVENT_TYPES);
    const starts = date(2023, 2026);
    const unit = pick(communes);
    const status = rnd() < 0.85 ? 'held' : rnd() < 0.5 ? 'planned' : 'cancelled';
    events.push([id, type, `${title} ${i + 1}`, starts, starts, `Nhà văn hoá xã`, 'UBND xã', unit, int(0, 200) * 1_000_000, pick(SOURCES), status === 'held' ? int(20, 400) : null,
      status === 'held' ? int(0, 500) * 1_000_000 : null, status === 'held' ? int(0, 12) : null, status]);
    eventIds.push(id);
    const local = byUnit.get(unit) ?? [];
    const pool = local.length ? local : [pick(producers).id];
    const seen = new Set<string>();
    for (let k = int(1, 5); k > 0; k--) {
      const pid = rnd() < 0.7 ? pick(pool) : pick(producers).id;
      if (seen.has(pid)) continue;
      seen.add(pid);
      participants.push([id, pid]);
    }
  }
  await insertRows(h, 'programme_events', ['id', 'type', 'title', 'starts_on', 'ends_on', 'place', 'organiser', 'unit_id', 'cost_vnd', 'funding_source', 'attendance', 'sales_vnd', 'contracts_signed', 'status'], events);
  await insertRows(h, 'programme_event_participants', ['event_id', 'producer_id'], participants);

  const support: unknown[][] = [];
  const supportIds: string[] = [];
  for (const p of products) {
    if (rnd() >= 0.33) continue;
    const id = uuid();
    supportIds.push(id);
    support.push([id, p.producer_id, p.id, pick(SUPPORT_TYPES), 'Hỗ trợ thiết kế, chứng nhận, xúc tiến (bench)', int(5, 80) * 1_000_000, pick(SOURCES), date(2023, 2026), pick(['planned', 'in_progress', 'done', 'done', 'done', 'cancelled'])]);
  }
  await insertRows(h, 'support_activities', ['id', 'producer_id', 'product_id', 'type', 'description', 'amount_vnd', 'funding_source', 'activity_date', 'status'], support);

  const entries: unknown[][] = [];
  for (const planId of planIds) {
    for (let k = 0; k < 150; k++) {
      const link = rnd();
      entries.push([uuid(), planId, rnd() < 0.5 ? 'commitment' : 'disbursement', pick(SOURCES), date(2024, 2026), int(1, 50) * 1_000_000,
        link < 0.4 ? pick(supportIds) : null, link >= 0.4 && link < 0.7 ? pick(eventIds) : null, 'Chi hỗ trợ (bench)']);
    }
  }
  await insertRows(h, 'budget_entries', ['id', 'plan_id', 'kind', 'funding_source', 'entry_date', 'amount_vnd', 'support_activity_id', 'event_id', 'description'], entries);
  await h.execScript('analyze');
  const targets = (await h.query<{ n: number }>(`select count(*)::int as n from programme_targets t join programme_plans p on p.id = t.plan_id where p.code like 'bench-%'`))[0].n;
  return { plans: plans.length, targets, events: events.length, participants: participants.length, support: support.length, budgetEntries: entries.length, ms: Date.now() - t0 };
}

async function main() {
  const url = process.env.DATABASE_URL;
  const h = url ? await openPostgres(url, 2) : await openPglite(path.join(path.resolve(process.env.DATA_DIR ?? './data'), 'db'));
  try {
    console.log(JSON.stringify(await generateProgramme(h)));
  } finally {
    await h.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  });
}
