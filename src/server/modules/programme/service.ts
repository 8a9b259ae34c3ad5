import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, notFound } from '../../lib/errors.js';
import { todayInVietnam } from '../../../shared/certificate-dates.js';
import { recordAudit, type Writer, isActor } from '../audit/service.js';
import { findUnitById, findUnitByKey } from '../geo/service.js';
import {
  communeOn, INDICATOR_BY_CODE, INDICATORS, markOf, project, type Evaluation, type Facts, type IndicatorDef,
} from './indicators.js';
import { canReadProgramme, canWritePlan, programmeProductScope } from './policy.js';
import * as repo from './repository.js';
import { cachedPanel } from './panel-cache.js';
import type { PlanRow, TargetRow } from './tables.js';
import type { Panel, Plan, PlanInput, TargetInput } from './schema.js';
import { z } from 'zod';
import { FUNDING_SOURCES, ZTargetInput, type ZPlanCopy } from './schema.js';

type UnitRef = { id: number; key: string; name: string; type: string };
const unitRef = (u: { id: number; key: string; name: string; type: string }): UnitRef => ({ id: u.id, key: u.key, name: u.name, type: u.type });

const vi = (a: Actor | null) => (a?.locale ?? 'vi') === 'vi';
export function presentIndicator(def: IndicatorDef | undefined, code: string, actor: Actor | null) {
  if (!def) return { code, name: code, unit: 'count' as const, nature: 'stock' as const, rule: 'Chỉ tiêu chưa có định nghĩa', measurable: false, notMeasured: 'Chưa có định nghĩa cho mã chỉ tiêu này.' };
  return {
    code: def.code, name: vi(actor) ? def.nameVi : def.nameEn, unit: def.unit, nature: def.nature, rule: vi(actor) ? def.ruleVi : def.ruleEn,
    measurable: def.evaluate !== null, notMeasured: def.evaluate ? null : def.notMeasuredVi ?? null,
  };
}
export const listIndicators = (actor: Actor) => INDICATORS.map((d) => presentIndicator(d, d.code, actor));

// ─── Plans ─────────────────────────────────────────────────────────────────────────────────────────────────────

async function unitRefOf(db: Db, id: number | null, cache: Map<number, UnitRef>) {
  if (id === null) return null;
  if (!cache.has(id)) {
    const u = await findUnitById(db, id);
    if (!u) throw new AppError('UNIT_NOT_VALID', { errors: [{ path: 'unitId', message: `Không có đơn vị ${id}` }] });
    cache.set(id, unitRef(u));
  }
  return cache.get(id)!;
}

/** What the user may do with a plan: the same policy the writes check. */
const planActions = (actor: Actor | null): Plan['allowedActions'] => (actor && canWritePlan(actor) ? ['edit', 'copy', 'setStatus'] : []);

async function presentPlan(db: Db, actor: Actor | null, p: PlanRow, targets: TargetRow[], communes: Plan['communes'] = []): Promise<Plan> {
  const cache = new Map<number, UnitRef>();
  return {
    allowedActions: planActions(actor), communes,
    id: p.id, code: p.code, title: p.title, issuingUnit: p.issuingUnit, documentNumber: p.documentNumber, issuedOn: p.issuedOn, legalBasis: p.legalBasis,
    areaUnit: (await unitRefOf(db, p.areaUnitId, cache))!, periodFrom: p.periodFrom, periodTo: p.periodTo, status: p.status as Plan['status'],
    copiedFromId: p.copiedFromId, note: p.note, isDemo: p.isDemo, version: p.version, canEdit: actor ? canWritePlan(actor) : false,
    targets: await Promise.all(targets.map(async (t) => ({
      id: t.id, indicator: t.indicator, indicatorName: presentIndicator(INDICATOR_BY_CODE.get(t.indicator), t.indicator, actor).name, year: t.year,
      communeUnit: await unitRefOf(db, t.communeUnitId, cache), perCommune: t.perCommune, valueMin: t.valueMin, valueMax: t.valueMax,
      unit: t.unit as Plan['targets'][number]['unit'], fundingSource: t.fundingSource, label: t.label, note: t.note,
    }))),
  };
}

export const assertRead = (a: Actor) => { if (!canReadProgramme(a)) throw forbidden('Bảng điều hành chương trình dành cho cán bộ, hội đồng và người xem'); };
const assertWrite = (a: Actor) => { if (!canWritePlan(a)) throw forbidden('Chỉ cán bộ cấp tỉnh được lập và sửa kế hoạch'); };

export async function listPlans(db: Db, actor: Actor) {
  assertRead(actor);
  const plans = await repo.findPlans(db);
  const counts = await repo.countTargets(db, plans.map((p) => p.id));
  return Promise.all(plans.map(async (p) => {
    const { targets: _t, communes: _c, ...rest } = await presentPlan(db, actor, p, []);
    return { ...rest, targetCount: counts.get(p.id) ?? 0 };
  }));
}

export async function loadPlan(db: Db, id: string) {
  const p = await repo.findPlanById(db, id);
  if (!p) throw notFound('Không tìm thấy kế hoạch');
  return p;
}

export async function getPlan(db: Db, actor: Actor, id: string) {
  assertRead(actor);
  const p = await loadPlan(db, id);
  return presentPlan(db, actor, p, await repo.findTargets(db, id), await repo.findAreaCommunes(db, p.areaUnitId));
}

function validateTargets(targets: TargetInput[], periodFrom: number, periodTo: number) {
  const errors = targets.flatMap((t, i) => {
    const out: { path: string; message: string }[] = [];
    if (t.year !== null && (t.year < periodFrom || t.year > periodTo)) out.push({ path: `targets.${i}.year`, message: `Năm ${t.year} ngoài giai đoạn ${periodFrom}–${periodTo}` });
    const def = INDICATOR_BY_CODE.get(t.indicator);
    if (!def) out.push({ path: `targets.${i}.indicator`, message: `Không có chỉ tiêu "${t.indicator}"` });
    else if (def.unit !== t.unit) out.push({ path: `targets.${i}.unit`, message: `Chỉ tiêu "${def.nameVi}" tính bằng ${def.unit}` });
    if (t.fundingSource !== null && (def?.unit !== 'million_vnd' || !(FUNDING_SOURCES as readonly string[]).includes(t.fundingSource))) {
      out.push({ path: `targets.${i}.fundingSource`, message: 'Nguồn vốn chỉ dùng cho chỉ tiêu kinh phí và phải là một nguồn trong danh mục' });
    }
    return out;
  });
  const keys = targets.map((t) => `${t.indicator}|${t.year}|${t.communeUnitId}|${t.perCommune}|${t.fundingSource ?? ''}`);
  keys.forEach((k, i) => { if (keys.indexOf(k) !== i) errors.push({ path: `targets.${i}`, message: 'Chỉ tiêu bị trùng (cùng năm, xã, nguồn vốn)' }); });
  if (errors.length) throw new AppError('VALIDATION', { errors });
}

const targetValues = (t: TargetInput) => ({
  indicator: t.indicator, year: t.year, communeUnitId: t.communeUnitId, perCommune: t.perCommune, valueMin: t.valueMin, valueMax: t.valueMax,
  unit: t.unit, fundingSource: t.fundingSource, label: t.label, note: t.note,
});

async function createPlanTx(tx: Db, writer: Writer, input: PlanInput, extra: { copiedFromId?: string | null; isDemo?: boolean } = {}) {
  const area = await findUnitById(tx, input.areaUnitId);
  if (!area) throw new AppError('UNIT_NOT_VALID', { errors: [{ path: 'areaUnitId', message: 'Không có đơn vị hành chính này' }] });
  validateTargets(input.targets, input.periodFrom, input.periodTo);
  if (await repo.findPlanByCode(tx, input.code)) throw new AppError('VALIDATION', { errors: [{ path: 'code', message: 'Mã kế hoạch đã được dùng' }] });
  const { targets, ...plan } = input;
  const row = await repo.insertPlan(tx, { ...plan, copiedFromId: extra.copiedFromId ?? null, isDemo: extra.isDemo ?? false });
  await repo.replaceTargets(tx, row.id, targets.map(targetValues));
  await recordAudit(tx, writer, 'create', 'programme_plan', row.id, null, { ...plan, targets: targets.length });
  return row;
}

export async function createPlan(db: Db, actor: Actor, input: PlanInput) {
  assertWrite(actor);
  const row = await db.transaction((tx) => createPlanTx(tx, actor, input));
  return getPlan(db, actor, row.id);
}

export async function updatePlan(db: Db, actor: Actor, id: string, version: number, input: PlanInput) {
  assertWrite(actor);
  await db.transaction(async (tx) => {
    const before = await loadPlan(tx, id);
    const area = await findUnitById(tx, input.areaUnitId);
    if (!area) throw new AppError('UNIT_NOT_VALID', { errors: [{ path: 'areaUnitId', message: 'Không có đơn vị hành chính này' }] });
    validateTargets(input.targets, input.periodFrom, input.periodTo);
    const { targets, ...plan } = input;
    if (plan.code !== before.code && await repo.findPlanByCode(tx, plan.code)) throw new AppError('VALIDATION', { errors: [{ path: 'code', message: 'Mã kế hoạch đã được dùng' }] });
    const updated = await repo.updatePlanRow(tx, id, version, plan);
    if (!updated) throw new AppError('VERSION_CONFLICT');
    const oldTargets = await repo.findTargets(tx, id);
    await repo.replaceTargets(tx, id, targets.map(targetValues));
    const pick = (p: PlanRow) => ({ code: p.code, title: p.title, issuingUnit: p.issuingUnit, status: p.status, periodFrom: p.periodFrom, periodTo: p.periodTo, areaUnitId: p.areaUnitId, legalBasis: p.legalBasis, note: p.note });
    await recordAudit(tx, actor, 'update', 'programme_plan', id, { ...pick(before), targets: oldTargets.map((t) => targetValues(t as unknown as TargetInput)) }, { ...pick(updated), targets: targets.map(targetValues) });
  });
  return getPlan(db, actor, id);
}

/** A new plan from an existing one: same targets, shifted by the difference in start year (years outside the new period dropped). */
export async function copyPlan(db: Db, actor: Actor, id: string, input: z.infer<typeof ZPlanCopy>) {
  assertWrite(actor);
  const row = await db.transaction(async (tx) => {
    const src = await loadPlan(tx, id);
    const targets = await repo.findTargets(tx, id);
    const periodFrom = input.periodFrom ?? src.periodFrom;
    const periodTo = input.periodTo ?? (src.periodTo - src.periodFrom + periodFrom);
    const shift = periodFrom - src.periodFrom;
    const copied: TargetInput[] = targets
      .map((t) => ({ ...(targetValues(t as unknown as TargetInput)), year: t.year === null ? null : t.year + shift }))
      .filter((t) => t.year === null || (t.year >= periodFrom && t.year <= periodTo)) as TargetInput[];
    return createPlanTx(tx, actor, {
      code: input.code, title: input.title, issuingUnit: input.issuingUnit ?? src.issuingUnit, documentNumber: null, issuedOn: null, legalBasis: src.legalBasis,
      areaUnitId: input.areaUnitId ?? src.areaUnitId, periodFrom, periodTo, status: 'draft', note: `Sao chép từ kế hoạch ${src.code}`, targets: copied,
    }, { copiedFromId: src.id });
  });
  return getPlan(db, actor, row.id);
}

// ─── Panel ─────────────────────────────────────────────────────────────────────────────────────────────────────

export const yearEnd = (y: number) => `${y}-12-31`;
export const minDate = (a: string, b: string) => (a < b ? a : b);

/** The facts of the plan's area, narrowed to what the actor may count (commune officers: their communes). */
export async function factsFor(db: Db, actor: Actor, plan: PlanRow) {
  const facts = await repo.loadFacts(db, plan.areaUnitId, plan.id);
  const scope = programmeProductScope(actor);
  const productIds = scope ? new Set(facts.products.filter((p) => scope.has(p.registeredUnitId)).map((p) => p.id)) : undefined;
  const unitIds = scope ? new Set(facts.units.filter((u) => scope.has(u.id)).map((u) => u.id)) : undefined;
  return { facts, productIds, unitIds };
}

interface Narrow { productIds?: Set<string>; unitIds?: Set<number>; fundingSource?: string | null }
export function evaluate(def: IndicatorDef, facts: Facts, asOf: string, from: string, narrow: Narrow = {}): Evaluation | null {
  return def.evaluate ? def.evaluate({ facts, asOf, from, ...narrow }) : null;
}

/** Units whose events count for a commune on a date: the commune and every unit that had become it by then. */
export function unitsOfCommune(facts: Facts, communeId: number, date: string) {
  // Grouped once per facts and date: the panel asks for every commune of a province.
  let byDate = communeUnits.get(facts);
  if (!byDate) communeUnits.set(facts, (byDate = new Map()));
  let groups = byDate.get(date);
  if (!groups) {
    groups = new Map();
    for (const u of facts.units) {
      const c = communeOn(facts, u.id, date);
      if (!groups.has(c)) groups.set(c, new Set());
      groups.get(c)!.add(u.id);
    }
    byDate.set(date, groups);
  }
  return new Set(groups.get(communeId) ?? []);
}
const communeUnits = new WeakMap<Facts, Map<string, Map<number, Set<number>>>>();

/** Communes of the area on a date (level 3, valid that day), in name order. */
export function communesOn(facts: Facts, date: string) {
  return facts.units.filter((u) => u.level === 3 && (u.validFrom === null || u.validFrom <= date) && (u.validTo === null || u.validTo >= date))
    .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}

export function productsByCommune(facts: Facts, date: string, productIds?: Set<string>) {
  const out = new Map<number, Set<string>>();
  for (const p of facts.products) {
    if (productIds && !productIds.has(p.id)) continue;
    const c = communeOn(facts, p.registeredUnitId, date);
    if (!out.has(c)) out.set(c, new Set());
    out.get(c)!.add(p.id);
  }
  return out;
}

export const PANEL_RULE_VI = 'Dự báo cuối kỳ theo nhịp hiện tại: chỉ tiêu cộng dồn (phát triển mới, đánh giá lại, nâng hạng) tăng tuyến tính theo số ngày đã qua của kỳ; chỉ tiêu trạng thái (số sản phẩm, hạng sao, chủ thể, tỷ lệ) đi tuyến tính từ giá trị ngày trước kỳ đến giá trị hôm nay. Đúng hướng: dự báo ≥ mức tối thiểu của chỉ tiêu; có nguy cơ: dự báo ≥ 80 % mức tối thiểu; chệch hướng: thấp hơn. Hết kỳ thì dự báo = thực tế.';

export async function getPanel(db: Db, actor: Actor, planId: string, q: { asOf?: string }): Promise<Panel> {
  assertRead(actor);
  // Kept until a table the panel reads changes (panel-cache.ts); the key carries the day, so "today" moves it on.
  const key = [planId, q.asOf ?? `today:${todayInVietnam()}`, actor.id, actor.role, actor.locale, [...actor.scopeUnitIds].sort((a, b) => a - b).join(',')].join('|');
  return cachedPanel(db, key, () => computePanel(db, actor, planId, q));
}

async function computePanel(db: Db, actor: Actor, planId: string, q: { asOf?: string }): Promise<Panel> {
  const plan = await loadPlan(db, planId);
  const targets = await repo.findTargets(db, planId);
  const { facts, productIds, unitIds } = await factsFor(db, actor, plan);
  const periodStart = `${plan.periodFrom}-01-01`;
  const periodEnd = yearEnd(plan.periodTo);
  const asOf = minDate(q.asOf ?? todayInVietnam(), periodEnd);
  const baselineDate = yearEnd(plan.periodFrom - 1);
  const lastYear = Math.min(plan.periodTo, Number(asOf.slice(0, 4)));

  const areaTargets = targets.filter((t) => t.communeUnitId === null && !t.perCommune);
  const periodTargets = areaTargets.filter((t) => t.year === null);
  const rows: Panel['rows'] = [];
  // One row per indicator with a period target (or only yearly targets), in the plan's order.
  const seen = new Set<string>();
  for (const t of [...periodTargets, ...areaTargets.filter((x) => x.year !== null)]) {
    const key = `${t.indicator}|${t.fundingSource ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const def = INDICATOR_BY_CODE.get(t.indicator);
    const period = periodTargets.find((x) => x.indicator === t.indicator && (x.fundingSource ?? '') === (t.fundingSource ?? ''));
    const yearly = areaTargets.filter((x) => x.year !== null && x.indicator === t.indicator && (x.fundingSource ?? '') === (t.fundingSource ?? ''));
    const measurable = Boolean(def?.evaluate);
    const narrow: Narrow = { productIds, unitIds, fundingSource: t.fundingSource };
    const now = measurable ? evaluate(def!, facts, asOf, periodStart, narrow) : null;
    const base = measurable && def!.nature === 'stock' ? evaluate(def!, facts, baselineDate, periodStart, narrow) : null;
    const years: Panel['rows'][number]['years'] = [];
    for (let y = plan.periodFrom - (def?.nature === 'stock' ? 1 : 0); y <= lastYear; y++) {
      const yAsOf = minDate(yearEnd(y), asOf);
      const v = measurable ? evaluate(def!, facts, yAsOf, `${y}-01-01`, narrow) : null;
      const yt = yearly.find((x) => x.year === y);
      years.push({ year: y, asOf: yAsOf, actual: v?.value ?? null, target: yt ? { min: yt.valueMin, max: yt.valueMax } : null, mark: v && yt ? markOf(v.value, yt.valueMin, yt.valueMax) : null });
    }
    // Without a period target, the row's target is the sum of yearly targets for flows (e.g. +6–7 a year).
    const target = period ? { min: period.valueMin, max: period.valueMax }
      : def?.nature === 'flow' ? { min: sum(yearly.map((x) => x.valueMin)), max: sum(yearly.map((x) => x.valueMax)) } : { min: null, max: null };
    const projection = now ? project({ nature: def!.nature, unit: def!.unit, actual: now.value, baseline: base?.value ?? 0, start: periodStart, end: periodEnd, asOf }) : null;
    rows.push({
      indicator: presentIndicator(def, t.indicator, actor), label: (period ?? t).label, fundingSource: t.fundingSource, target,
      actual: now?.value ?? null, numerator: now?.numerator ?? null, denominator: now?.denominator ?? null, baseline: base?.value ?? null,
      projection, mark: projection === null ? null : markOf(projection, target.min, target.max),
      aboveRange: projection !== null && target.max !== null && projection > target.max,
      years,
    });
  }

  // By commune: communes of the area on the date, each indicator counted on the products that belong there then.
  const communeIndicators = ['products_recognised', 'products_3star', 'products_4star', 'products_5star', 'products_new', 'products_supported', 'key_products'];
  const byCommune = productsByCommune(facts, asOf, productIds);
  const communeTargets = targets.filter((t) => t.perCommune || t.communeUnitId !== null);
  const visibleCommunes = communesOn(facts, asOf).filter((c) => !productIds || byCommune.has(c.id) || actor.scopeUnitIds.has(c.id));
  const communes: Panel['communes'] = visibleCommunes.map((c) => {
    const ids = byCommune.get(c.id) ?? new Set<string>();
    const values: Record<string, number> = {};
    const units = unitsOfCommune(facts, c.id, asOf);
    for (const code of communeIndicators) values[code] = evaluate(INDICATOR_BY_CODE.get(code)!, facts, asOf, periodStart, { productIds: ids, unitIds: units })?.value ?? 0;
    const ts = communeTargets.filter((t) => t.perCommune || t.communeUnitId === c.id).filter((t) => t.year === null || t.year === Number(asOf.slice(0, 4)));
    return {
      unit: unitRef(c), values,
      targets: ts.map((t) => {
        const def = INDICATOR_BY_CODE.get(t.indicator);
        const v = def?.evaluate ? evaluate(def, facts, asOf, periodStart, { productIds: ids, unitIds: units })!.value : null;
        return { indicator: t.indicator, min: t.valueMin, max: t.valueMax, actual: v, met: v === null ? null : (t.valueMin === null || v >= t.valueMin) && (t.valueMax === null || v <= t.valueMax) };
      }),
    };
  });
  const perCommuneSummary = [...new Set(communeTargets.filter((t) => t.perCommune).map((t) => t.indicator))].map((code) => {
    const t = communeTargets.find((x) => x.perCommune && x.indicator === code)!;
    const results = communes.map((c) => c.targets.find((x) => x.indicator === code)?.met);
    return { indicator: code, min: t.valueMin, max: t.valueMax, met: results.filter((m) => m === true).length, total: communes.length };
  });

  const counts = await repo.countTargets(db, [plan.id]);
  const { targets: _t, communes: _c, ...planSummary } = await presentPlan(db, actor, plan, []);
  return {
    plan: { ...planSummary, targetCount: counts.get(plan.id) ?? 0 }, asOf, periodStart, periodEnd, scope: productIds ? 'communes' : 'area',
    rule: PANEL_RULE_VI, rows, communes, perCommuneSummary,
    communeIndicators: communeIndicators.map((code) => ({ code, name: presentIndicator(INDICATOR_BY_CODE.get(code), code, actor).name })),
  };
}

const sum = (xs: (number | null)[]) => (xs.length && xs.every((x) => x !== null) ? xs.reduce((a, b) => a! + b!, 0)! : null);

/** The records behind one number of the panel: same facts, same definition, so the list adds up to the number. */
export async function drillDown(db: Db, actor: Actor, planId: string, code: string, q: { asOf?: string; year?: number; communeUnitId?: number; fundingSource?: string }) {
  assertRead(actor);
  const plan = await loadPlan(db, planId);
  const def = INDICATOR_BY_CODE.get(code);
  if (!def) throw notFound('Không có chỉ tiêu này');
  if (!def.evaluate) throw new AppError('VALIDATION', { detail: def.notMeasuredVi ?? 'Chỉ tiêu chưa đo được' });
  if (q.year !== undefined && (q.year < plan.periodFrom - 1 || q.year > plan.periodTo)) throw new AppError('VALIDATION', { errors: [{ path: 'year', message: 'Năm ngoài giai đoạn của kế hoạch' }] });
  const { facts, productIds, unitIds } = await factsFor(db, actor, plan);
  const periodEnd = yearEnd(plan.periodTo);
  let asOf = minDate(q.asOf ?? todayInVietnam(), periodEnd);
  let from = `${plan.periodFrom}-01-01`;
  if (q.year !== undefined) { asOf = minDate(yearEnd(q.year), asOf); from = `${q.year}-01-01`; }
  let ids = productIds;
  let units = unitIds;
  let communeUnit: UnitRef | null = null;
  if (q.communeUnitId !== undefined) {
    const u = facts.units.find((x) => x.id === q.communeUnitId);
    if (!u) throw notFound('Xã không thuộc địa bàn của kế hoạch');
    if (productIds && !actor.scopeUnitIds.has(u.id) && !productsByCommune(facts, asOf, productIds).has(u.id)) throw forbidden('Xã ngoài phạm vi phụ trách');
    communeUnit = unitRef(u);
    ids = productsByCommune(facts, asOf, productIds).get(u.id) ?? new Set();
    units = new Set([...unitsOfCommune(facts, u.id, asOf)].filter((x) => !unitIds || unitIds.has(x)));
  }
  const r = def.evaluate({ facts, asOf, from, productIds: ids, unitIds: units, fundingSource: q.fundingSource ?? null });
  return {
    indicator: presentIndicator(def, code, actor), asOf, from, communeUnit, value: r.value, numerator: r.numerator ?? null, denominator: r.denominator ?? null, records: r.records,
  };
}

/** The plan a home page shows: in force and covering today, else the latest. */
export async function currentPlanId(db: Db): Promise<string | null> {
  const plans = await repo.findPlans(db);
  const year = Number(todayInVietnam().slice(0, 4));
  const pick = plans.filter((p) => p.status === 'in_force' && p.periodFrom <= year && p.periodTo >= year)[0]
    ?? [...plans].filter((p) => p.status !== 'draft').sort((a, b) => b.periodTo - a.periodTo)[0] ?? plans[0];
  return pick?.id ?? null;
}

// ─── Seed ──────────────────────────────────────────────────────────────────────────────────────────────────────

export interface PlanSeed extends Omit<PlanInput, 'areaUnitId' | 'targets'> {
  areaUnitKey: string;
  isDemo?: boolean;
  targets: (Omit<TargetInput, 'communeUnitId'> & { communeUnitKey?: string | null })[];
}

/** Loads a plan by its code once (idempotent): later edits by officers are never overwritten. */
export async function loadPlanSeed(db: Db, seed: PlanSeed): Promise<boolean> {
  if (await repo.findPlanByCode(db, seed.code)) return false;
  const area = await findUnitByKey(db, seed.areaUnitKey);
  if (!area) throw new Error(`plan seed ${seed.code}: unknown unit ${seed.areaUnitKey}`);
  const targets: TargetInput[] = [];
  for (const t of seed.targets) {
    const { communeUnitKey, ...rest } = t;
    const commune = communeUnitKey ? await findUnitByKey(db, communeUnitKey) : null;
    if (communeUnitKey && !commune) throw new Error(`plan seed ${seed.code}: unknown unit ${communeUnitKey}`);
    targets.push(ZTargetInput.parse({ ...rest, communeUnitId: commune?.id ?? null }));
  }
  const { areaUnitKey: _a, isDemo, ...plan } = seed;
  await db.transaction((tx) => createPlanTx(tx, { system: 'seed' }, { ...plan, areaUnitId: area.id, targets }, { isDemo: isDemo ?? false }));
  return true;
}

export { isActor };
