/**
 * Budget (#11 item 6): the plan's budget is its targets in million VND (indicator budget_total) by funding source
 * and year; commitments and disbursements are entries in VND. Before a commitment goes over a planned amount, or a
 * disbursement over what was committed, the officer is warned (BUDGET_EXCEEDED, 409, with the figures); sending the
 * entry again with a reason records it with that reason.
 */
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/service.js';
import { canReadBudget, canWriteBudget } from './policy.js';
import * as repo from './repository.js';
import { FUNDING_SOURCES, type BudgetEntryInput } from './schema.js';
import type { BudgetEntryRow, TargetRow } from './tables.js';

export const BUDGET_RULE_VI = 'Kế hoạch vốn là các chỉ tiêu "kinh phí" (triệu đồng) của kế hoạch theo nguồn vốn và năm (để trống = cả giai đoạn, mọi nguồn). Một khoản cam kết bị cảnh báo khi làm tổng cam kết vượt bất kỳ mức kế hoạch nào áp dụng cho nó (nguồn và năm; nguồn cả giai đoạn; tổng theo năm; tổng cả giai đoạn) hoặc khi kế hoạch chia vốn theo nguồn mà nguồn này chưa có dòng kế hoạch; một khoản giải ngân bị cảnh báo khi làm tổng giải ngân của nguồn vượt tổng đã cam kết. Cán bộ vẫn có thể ghi khi nêu lý do; lý do được lưu cùng khoản chi.';

const M = 1_000_000;
const yearOf = (d: string) => Number(d.slice(0, 4));
const capOf = (t: TargetRow) => (t.valueMax ?? t.valueMin ?? 0) * M;

interface Cap { label: string; plannedVnd: number; usedVnd: number }

/** Every planned amount a commitment of (source, year) must stay within, with what is already committed against it. */
function capsFor(targets: TargetRow[], entries: BudgetEntryRow[], source: string, year: number): Cap[] {
  const budget = targets.filter((t) => t.indicator === 'budget_total' && t.communeUnitId === null && !t.perCommune);
  const committed = (pred: (e: BudgetEntryRow) => boolean) => entries.filter((e) => e.kind === 'commitment' && pred(e)).reduce((a, e) => a + Number(e.amountVnd), 0);
  const caps: Cap[] = [];
  for (const t of budget) {
    if (t.fundingSource !== null && t.fundingSource !== source) continue;
    if (t.year !== null && t.year !== year) continue;
    const label = `${t.fundingSource ?? 'mọi nguồn'}${t.year !== null ? ` năm ${t.year}` : ' cả giai đoạn'}`;
    caps.push({
      label, plannedVnd: capOf(t),
      usedVnd: committed((e) => (t.fundingSource === null || e.fundingSource === t.fundingSource) && (t.year === null || yearOf(e.entryDate) === t.year)),
    });
  }
  return caps;
}

const fmt = (n: number) => `${(n / M).toLocaleString('vi-VN')} triệu đồng`;

function present(e: BudgetEntryRow) {
  return {
    id: e.id, kind: e.kind as BudgetEntryInput['kind'], fundingSource: e.fundingSource as BudgetEntryInput['fundingSource'], entryDate: e.entryDate,
    amountVnd: Number(e.amountVnd), supportActivityId: e.supportActivityId, eventId: e.eventId, description: e.description, overrideReason: e.overrideReason,
    createdAt: new Date(e.createdAt).toISOString(),
  };
}

export async function getBudget(db: Db, actor: Actor, planId: string) {
  if (!canReadBudget(actor)) throw forbidden('Kinh phí chương trình dành cho cán bộ, hội đồng và người xem');
  const plan = await repo.findPlanById(db, planId);
  if (!plan) throw notFound('Không tìm thấy kế hoạch');
  const [targets, entries] = await Promise.all([repo.findTargets(db, planId), repo.findBudgetEntries(db, planId)]);
  const budget = targets.filter((t) => t.indicator === 'budget_total' && t.communeUnitId === null && !t.perCommune);
  const sum = (kind: string, pred: (e: BudgetEntryRow) => boolean) => entries.filter((e) => e.kind === kind && pred(e)).reduce((a, e) => a + Number(e.amountVnd), 0);
  const keys = new Map<string, { fundingSource: string | null; year: number | null }>();
  for (const t of budget) keys.set(`${t.fundingSource}|${t.year}`, { fundingSource: t.fundingSource, year: t.year });
  for (const e of entries) if (!budget.some((t) => t.fundingSource === e.fundingSource && t.year === null)) keys.set(`${e.fundingSource}|null`, { fundingSource: e.fundingSource, year: null });
  const line = (k: { fundingSource: string | null; year: number | null }) => {
    const t = budget.find((x) => x.fundingSource === k.fundingSource && x.year === k.year);
    const pred = (e: BudgetEntryRow) => (k.fundingSource === null || e.fundingSource === k.fundingSource) && (k.year === null || yearOf(e.entryDate) === k.year);
    const plannedVnd = t ? capOf(t) : null;
    const committedVnd = sum('commitment', pred);
    const disbursedVnd = sum('disbursement', pred);
    return { ...k, plannedVnd, committedVnd, disbursedVnd, balanceVnd: plannedVnd === null ? null : plannedVnd - committedVnd, overspent: plannedVnd === null ? committedVnd > 0 : committedVnd > plannedVnd };
  };
  const lines = [...keys.values()].filter((k) => k.fundingSource !== null || k.year !== null)
    .sort((a, b) => (a.fundingSource ?? '').localeCompare(b.fundingSource ?? '') || (a.year ?? 0) - (b.year ?? 0)).map(line);
  const totalTarget = budget.find((t) => t.fundingSource === null && t.year === null);
  const totalLine = line({ fundingSource: null, year: null });
  const total = { ...totalLine, plannedVnd: totalTarget ? capOf(totalTarget) : null, balanceVnd: totalTarget ? capOf(totalTarget) - totalLine.committedVnd : null,
    overspent: totalTarget ? totalLine.committedVnd > capOf(totalTarget) : false };
  const labels = await repo.findBudgetLinkLabels(db, [...new Set(entries.flatMap((e) => (e.supportActivityId ? [e.supportActivityId] : [])))],
    [...new Set(entries.flatMap((e) => (e.eventId ? [e.eventId] : [])))]);
  return {
    planId, canWrite: canWriteBudget(actor), lines, total, rule: BUDGET_RULE_VI, appendix: appendixOf(plan.periodFrom, plan.periodTo, budget, entries),
    entries: entries.map((e) => ({ ...present(e), linkLabel: labels.get(e.supportActivityId ?? e.eventId ?? '') ?? null })),
  };
}

/**
 * The plan's appendix 03: every funding source (in the appendix's order) by year of the period, plus the whole
 * period and the total of all sources. A cell's plan is the target for that source and year; a row's plan is the
 * source's period target, else the sum of its yearly targets; the total row likewise from the all-sources targets.
 */
export function appendixOf(from: number, to: number, budget: TargetRow[], entries: BudgetEntryRow[]) {
  const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const planned = (source: string | null, year: number | null) => {
    const t = budget.find((x) => x.fundingSource === source && x.year === year);
    return t ? capOf(t) : null;
  };
  const money = (source: string | null, year: number | null) => {
    const pick = (kind: string) => entries.filter((e) => e.kind === kind && (source === null || e.fundingSource === source) && (year === null || yearOf(e.entryDate) === year))
      .reduce((a, e) => a + Number(e.amountVnd), 0);
    return { committedVnd: pick('commitment'), disbursedVnd: pick('disbursement') };
  };
  const sumOrNull = (xs: (number | null)[]) => (xs.some((x) => x !== null) ? xs.reduce<number>((a, x) => a + (x ?? 0), 0) : null);
  const row = (source: string | null) => {
    const cells = years.map((year) => ({ year, plannedVnd: planned(source, year) ?? (source === null ? sumOrNull(FUNDING_SOURCES.map((s) => planned(s, year))) : null), ...money(source, year) }));
    const plannedVnd = planned(source, null) ?? sumOrNull(cells.map((c) => c.plannedVnd)) ?? (source === null ? sumOrNull(FUNDING_SOURCES.map((s) => planned(s, null))) : null);
    const m = money(source, null);
    return {
      fundingSource: source as (typeof FUNDING_SOURCES)[number] | null, cells,
      total: { plannedVnd, ...m, balanceVnd: plannedVnd === null ? null : plannedVnd - m.committedVnd, overspent: plannedVnd !== null && m.committedVnd > plannedVnd },
    };
  };
  return { years, rows: [...FUNDING_SOURCES.map(row), row(null)] };
}

export async function addBudgetEntry(db: Db, actor: Actor, planId: string, input: BudgetEntryInput) {
  if (!canWriteBudget(actor)) throw forbidden('Chỉ cán bộ cấp tỉnh được ghi cam kết và giải ngân');
  const row = await db.transaction(async (tx) => {
    const plan = await repo.findPlanById(tx, planId);
    if (!plan) throw notFound('Không tìm thấy kế hoạch');
    await repo.lockPlan(tx, planId);
    if (input.supportActivityId) {
      const s = await repo.findSupportById(tx, input.supportActivityId);
      if (!s) throw new AppError('VALIDATION', { errors: [{ path: 'supportActivityId', message: 'Không có hoạt động hỗ trợ này' }] });
      if (s.fundingSource !== input.fundingSource) throw new AppError('VALIDATION', { errors: [{ path: 'fundingSource', message: 'Nguồn vốn khác với nguồn của hoạt động hỗ trợ' }] });
    }
    if (input.eventId && !(await repo.findEventById(tx, input.eventId))) throw new AppError('VALIDATION', { errors: [{ path: 'eventId', message: 'Không có sự kiện này' }] });
    const [targets, entries] = await Promise.all([repo.findTargets(tx, planId), repo.findBudgetEntries(tx, planId)]);
    const warnings: string[] = [];
    if (input.kind === 'commitment') {
      const caps = capsFor(targets, entries, input.fundingSource, yearOf(input.entryDate));
      // A plan that breaks its budget down by source plans every source it funds; a total-only plan caps the total.
      const bySource = targets.filter((t) => t.indicator === 'budget_total' && t.fundingSource !== null);
      if (caps.length === 0 || (bySource.length > 0 && !bySource.some((t) => t.fundingSource === input.fundingSource))) {
        warnings.push(`Nguồn ${input.fundingSource} chưa có kế hoạch vốn trong kế hoạch này`);
      }
      for (const c of caps) if (c.usedVnd + input.amountVnd > c.plannedVnd) warnings.push(`Kế hoạch ${c.label}: ${fmt(c.plannedVnd)}, đã cam kết ${fmt(c.usedVnd)}, thêm khoản này thành ${fmt(c.usedVnd + input.amountVnd)}`);
    } else {
      const committed = entries.filter((e) => e.kind === 'commitment' && e.fundingSource === input.fundingSource).reduce((a, e) => a + Number(e.amountVnd), 0);
      const disbursed = entries.filter((e) => e.kind === 'disbursement' && e.fundingSource === input.fundingSource).reduce((a, e) => a + Number(e.amountVnd), 0);
      if (disbursed + input.amountVnd > committed) warnings.push(`Nguồn ${input.fundingSource}: đã cam kết ${fmt(committed)}, đã giải ngân ${fmt(disbursed)}, thêm khoản này thành ${fmt(disbursed + input.amountVnd)}`);
    }
    if (warnings.length && !input.overrideReason) {
      throw new AppError('BUDGET_EXCEEDED', { detail: warnings.join('; '), errors: warnings.map((m) => ({ path: 'amountVnd', message: m })) });
    }
    const created = await repo.insertBudgetEntry(tx, { ...input, planId, overrideReason: warnings.length ? input.overrideReason : null, createdBy: actor.id });
    await recordAudit(tx, actor, 'create', 'budget_entry', created.id, null, { ...input, planId, warnings });
    return created;
  });
  return present(row);
}
