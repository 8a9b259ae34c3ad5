/**
 * The annual programme report (#11 item 8), computed from live data at request time: nothing here is typed in and
 * nothing is stored. Every number comes from the programme's own definitions (indicators.ts) evaluated on the same
 * facts the panel reads, from getPanel (targets vs actuals, appendix 02), from getBudget (appendix 03) and from the
 * events service (outcomes of events); the DOCX, PDF and Excel renderers only lay this object out.
 */
import type { Db } from '../../db/client.js';
import { unitTitle } from '../../../shared/unit-names.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, notFound } from '../../lib/errors.js';
import { formatViDate, todayInVietnam } from '../../../shared/certificate-dates.js';
import { vi } from '../../../shared/i18n/vi.js';
import { findProductRows } from '../products/service.js';
import { listTaxonomies } from '../taxonomy/service.js';
import { getBudget } from './budget.js';
import { getEvent } from './events.js';
import { classifyCertificate, communeOn, effectiveCertificate, INDICATOR_BY_CODE, type CertificateFact, type DossierKind, type Evaluation, type UnitFact } from './indicators.js';
import { canReadProgramme } from './policy.js';
import * as repo from './repository.js';
import type { ProgrammeReport, ReportAssessment } from './report-schema.js';
import { FUNDING_SOURCES } from './schema.js';
import { communesOn, factsFor, getPanel, productsByCommune, unitsOfCommune } from './service.js';
import { foldAccents } from '../../../shared/text.js';

// ─── Words of the report (Vietnamese: the document is an official's) ───

export const unitFullName = unitTitle;

export const EVENT_TYPE_VI: Record<string, string> = {
  fair: 'Hội chợ', exhibition: 'Triển lãm', trade_conference: 'Hội nghị xúc tiến thương mại', training: 'Đào tạo, tập huấn',
  awareness: 'Tuyên truyền, nâng cao nhận thức', live_selling: 'Bán hàng trực tuyến (livestream)',
};
const catalogue = vi as Record<string, string>;
export const fundingLabel = (s: string | null) => (s === null ? 'Tổng cộng' : catalogue[`funding.${s}`] ?? s);
export const supportTypeLabel = (s: string) => catalogue[`support.type.${s}`] ?? s;
export const KIND_VI: Record<DossierKind, string> = { first: 'Công nhận mới', reevaluation: 'Đánh giá lại', upgrade: 'Nâng hạng sao' };
export const MARK_VI = { on_track: 'Đúng hướng', at_risk: 'Có nguy cơ', off_track: 'Chệch hướng' } as const;

const UNIT_WORD: Record<string, string> = { producers_recognised: 'chủ thể', awareness_sessions: 'cuộc', events_held: 'sự kiện' };
const unitWordOf = (code: string, unit: string) => (unit === 'percent' ? '%' : unit === 'million_vnd' ? 'triệu đồng' : UNIT_WORD[code] ?? 'sản phẩm');

export const fmtNum = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '—' : n.toLocaleString('vi-VN', { maximumFractionDigits: digits }));
/** VND as million VND, to the đồng (three decimals). */
export const fmtMillion = (vnd: number | null | undefined) => (vnd === null || vnd === undefined ? '—' : (vnd / 1_000_000).toLocaleString('vi-VN', { maximumFractionDigits: 3 }));
export function fmtRange(min: number | null, max: number | null) {
  if (min !== null && max !== null) return min === max ? fmtNum(min) : `${fmtNum(min)}–${fmtNum(max)}`;
  // Words, not ≥/≤: the PDF font (Noto Sans) has no glyph for them.
  if (min !== null) return `ít nhất ${fmtNum(min)}`;
  if (max !== null) return `tối đa ${fmtNum(max)}`;
  return '—';
}

// ─── Period ───

const yearEnd = (y: number) => `${y}-12-31`;
const dayBefore = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

export interface ReportChoice { year?: number; from?: string; to?: string; communeUnitId?: number }

/** The period asked for: a year, a range, or (nothing) the plan's year that contains today, clamped to the plan. */
export function resolvePeriod(q: ReportChoice, plan: { periodFrom: number; periodTo: number }, today = todayInVietnam()) {
  let from: string;
  let to: string;
  if (q.year !== undefined) { from = `${q.year}-01-01`; to = yearEnd(q.year); }
  else if (q.from !== undefined && q.to !== undefined) { from = q.from; to = q.to; }
  else {
    const y = Math.min(Math.max(Number(today.slice(0, 4)), plan.periodFrom), plan.periodTo);
    from = `${y}-01-01`; to = yearEnd(y);
  }
  if (from > today) throw new AppError('VALIDATION', { errors: [{ path: 'from', message: `Kỳ báo cáo bắt đầu sau hôm nay (${formatViDate(today)}): chưa có số liệu` }] });
  const y = Number(from.slice(0, 4));
  const year = from === `${y}-01-01` && to === yearEnd(y) ? y : null;
  const asOf = to < today ? to : today;
  let label: string;
  let nextLabel = 'THỜI GIAN TỚI';
  if (year !== null) { label = `năm ${year}`; nextLabel = `NĂM ${year + 1}`; }
  else if (from === `${y}-01-01` && to === `${y}-06-30`) { label = `6 tháng đầu năm ${y}`; nextLabel = `6 THÁNG CUỐI NĂM ${y}`; }
  else if (from === `${y}-01-01` && to === `${y}-09-30`) { label = `9 tháng đầu năm ${y}`; nextLabel = `QUÝ IV NĂM ${y}`; }
  else label = `từ ngày ${formatViDate(from)} đến ngày ${formatViDate(to)}`;
  return { from, to, asOf, baselineDate: dayBefore(from), year, label, nextLabel };
}

// ─── The report ───

type Narrow = { productIds?: Set<string>; unitIds?: Set<number> };
const stars = (xs: { star: number | null }[]) => {
  const n = (s: number) => xs.filter((x) => x.star === s).length;
  return { star3: n(3), star4: n(4), star5: n(5), total: xs.length };
};

/**
 * Builds the report for a plan, a period and (optionally) one commune, as the actor may see it: commune officers
 * count only their communes (as on the panel) and may narrow only to one of them.
 */
export async function buildReport(db: Db, actor: Actor, planId: string, choice: ReportChoice, assessment: ReportAssessment | null = null): Promise<ProgrammeReport> {
  if (!canReadProgramme(actor)) throw forbidden('Báo cáo chương trình dành cho cán bộ, hội đồng và người xem');
  const plan = await repo.findPlanById(db, planId);
  if (!plan) throw notFound('Không tìm thấy kế hoạch');
  const period = resolvePeriod(choice, plan);
  const { facts, productIds, unitIds } = await factsFor(db, actor, plan);
  const unitById = new Map(facts.units.map((u) => [u.id, u]));
  const area = unitById.get(plan.areaUnitId)!;
  const unitRef = (u: UnitFact) => ({ id: u.id, key: u.key, name: u.name, type: u.type, fullName: unitFullName(u) });

  // The unit: the plan's area (as this actor may count it), or one commune of it as it was on the report's last day.
  const byCommuneAll = productsByCommune(facts, period.asOf, productIds);
  const communes = communesOn(facts, period.asOf).filter((c) => !productIds || byCommuneAll.has(c.id) || actor.scopeUnitIds.has(c.id));
  let narrow: Narrow = { productIds, unitIds };
  let commune: UnitFact | null = null;
  if (choice.communeUnitId !== undefined) {
    commune = communes.find((c) => c.id === choice.communeUnitId) ?? null;
    if (!commune) {
      const known = unitById.get(choice.communeUnitId);
      if (known && productIds && communesOn(facts, period.asOf).some((c) => c.id === known.id)) throw forbidden('Xã, phường ngoài phạm vi bạn phụ trách');
      throw new AppError('VALIDATION', { errors: [{ path: 'communeUnitId', message: `Không phải xã, phường thuộc địa bàn kế hoạch vào ngày ${formatViDate(period.asOf)}` }] });
    }
    narrow = {
      productIds: byCommuneAll.get(commune.id) ?? new Set(),
      unitIds: new Set([...unitsOfCommune(facts, commune.id, period.asOf)].filter((x) => !unitIds || unitIds.has(x))),
    };
  }
  const scopeKind = commune ? 'commune' : productIds ? 'communes' : 'area';
  const scopeName = commune ? unitFullName(commune) : productIds ? communes.map(unitFullName).join(', ') || 'các xã, phường được phân công' : unitFullName(area);

  const ev = (code: string, from: string, asOf: string, n: Narrow = narrow, fundingSource: string | null = null): Evaluation => {
    const def = INDICATOR_BY_CODE.get(code)!;
    return def.evaluate!({ facts, asOf, from, productIds: n.productIds, unitIds: n.unitIds, fundingSource });
  };
  const { from, asOf, baselineDate } = period;

  // I.1 — results by number and star.
  const current = ev('products_recognised', from, asOf);
  const baseline = ev('products_recognised', from, baselineDate);
  const kinds = { first: ev('products_new', from, asOf), reevaluation: ev('products_reevaluated', from, asOf), upgrade: ev('products_upgraded', from, asOf) };
  const producers = ev('producers_recognised', from, asOf);
  const newProducerNames = new Set(kinds.first.records.map((r) => r.producerName));
  const shares = ['share_processed', 'share_certified', 'share_modern_channels'].map((code) => {
    const r = ev(code, from, asOf);
    return { code, name: INDICATOR_BY_CODE.get(code)!.nameVi, value: r.value, numerator: r.numerator ?? 0, denominator: r.denominator ?? 0 };
  });

  // Appendix 01 and I.2 — products in force on the last day, with group, commune and what happened in the period.
  const certsByProduct = new Map<string, CertificateFact[]>();
  for (const c of facts.certificates) certsByProduct.set(c.productId, [...(certsByProduct.get(c.productId) ?? []), c]);
  const allCerts = new Map(facts.certificates.map((c) => [c.id, c]));
  const productFacts = new Map(facts.products.map((p) => [p.id, p]));
  const groupOf = await productGroups(db, current.records.map((r) => r.id));
  const decidedKind = new Map<string, DossierKind>();
  for (const k of ['first', 'reevaluation', 'upgrade'] as const) for (const r of kinds[k].records) decidedKind.set(r.productId!, k);
  const products = current.records.map((r) => {
    const p = productFacts.get(r.id)!;
    const cert = effectiveCertificate(certsByProduct.get(p.id) ?? [], allCerts, asOf)!;
    const g = groupOf.get(p.id) ?? { code: '—', name: 'Chưa phân ngành' };
    const c = unitById.get(communeOn(facts, p.registeredUnitId, asOf));
    const kind = cert.decisionDate >= from ? classifyCertificate(cert, certsByProduct.get(p.id) ?? []) : null;
    return {
      id: p.id, name: p.name, producerName: p.producerName, communeName: c ? unitFullName(c) : '—', group: g.name, groupCode: g.code,
      star: cert.star, certificateNumber: cert.number, decisionDate: cert.decisionDate, expiresOn: cert.expiresOn, decidedInPeriod: kind,
    };
  }).sort((a, b) => a.communeName.localeCompare(b.communeName, 'vi') || b.star - a.star || a.name.localeCompare(b.name, 'vi'))
    .map((p, i) => ({ no: i + 1, ...p }));
  const groups = new Map<string, { code: string; name: string; list: typeof products }>();
  for (const p of products) {
    const g = groups.get(p.groupCode) ?? { code: p.groupCode, name: p.group, list: [] };
    g.list.push(p);
    groups.set(p.groupCode, g);
  }
  const byGroup = [...groups.values()].sort((a, b) => a.code.localeCompare(b.code, 'vi', { numeric: true }))
    .map((g) => ({ code: g.code, name: g.name, ...stars(g.list), decidedInPeriod: g.list.filter((p) => p.decidedInPeriod !== null).length }));

  // I.3 — by commune (the communes of the last day; each counted on the products that belonged there then).
  const communeRows = (commune ? [commune] : communes).map((c) => {
    const n: Narrow = commune ? narrow : { productIds: byCommuneAll.get(c.id) ?? new Set(), unitIds: unitsOfCommune(facts, c.id, asOf) };
    const rec = ev('products_recognised', from, asOf, n);
    return {
      unit: unitRef(c), recognised: rec.value, ...(({ star3, star4, star5 }) => ({ star3, star4, star5 }))(stars(rec.records)),
      newInPeriod: ev('products_new', from, asOf, n).value, keyProducts: ev('key_products', from, asOf, n).value, supported: ev('products_supported', from, asOf, n).value,
    };
  });

  // I.5 — support activities of the period (the facts the indicator counts: done, dated in the period, in scope).
  const supported = ev('products_supported', from, asOf);
  const producersInScope = new Set(facts.products.filter((p) => !narrow.productIds || narrow.productIds.has(p.id)).map((p) => p.producerId));
  const activities = facts.support.filter((s) => s.status === 'done' && s.activityDate >= from && s.activityDate <= asOf
    && (s.productId ? !narrow.productIds || narrow.productIds.has(s.productId) : !narrow.productIds || producersInScope.has(s.producerId)));
  const supportTypes = [...new Set(activities.map((s) => s.type))];
  const byType = supportTypes.map((type) => {
    const xs = activities.filter((s) => s.type === type);
    return { type, label: supportTypeLabel(type), activities: xs.length, products: new Set(xs.filter((s) => s.productId).map((s) => s.productId)).size, amountVnd: xs.reduce((a, s) => a + s.amountVnd, 0) };
  }).sort((a, b) => b.amountVnd - a.amountVnd || a.label.localeCompare(b.label, 'vi'));

  // I.6 — events held in the period by the area's units (the indicators' records), outcomes from the events service.
  const awareness = ev('awareness_sessions', from, asOf);
  const held = ev('events_held', from, asOf);
  const eventList: (ProgrammeReport['events']['list'][number] & { costVnd: number })[] = [];
  for (const r of [...awareness.records, ...held.records].sort((a, b) => (a.date! < b.date! ? -1 : 1))) {
    const e = await getEvent(db, actor, r.id);
    eventList.push({
      id: e.id, title: e.title, type: e.type, typeLabel: EVENT_TYPE_VI[e.type] ?? e.type, startsOn: e.startsOn, endsOn: e.endsOn, place: e.place, unitName: unitFullName(unitById.get(e.unit.id) ?? { name: e.unit.name, type: '' }),
      attendance: e.attendance, salesVnd: e.salesVnd, contractsSigned: e.contractsSigned, participants: e.participants.length, costVnd: e.costVnd,
    });
  }
  const total = (xs: (number | null)[]) => xs.reduce<number>((a, x) => a + (x ?? 0), 0);
  const eventTypes = [...new Set(eventList.map((e) => e.type))];

  // I.7 and appendix 03 — the plan's budget (by funding source) with what was committed and disbursed.
  const budget = await getBudget(db, actor, plan.id);
  const inPeriod = (d: string) => d >= from && d <= asOf;
  const sumOf = (kind: string, source: string | null, pred: (d: string) => boolean) =>
    budget.entries.filter((e) => e.kind === kind && (source === null || e.fundingSource === source) && pred(e.entryDate)).reduce((a, e) => a + e.amountVnd, 0);
  const sources = FUNDING_SOURCES.filter((s) => budget.lines.some((l) => l.fundingSource === s) || budget.entries.some((e) => e.fundingSource === s));
  const budgetRow = (source: string | null) => {
    const planned = source === null ? budget.total.plannedVnd : budget.lines.find((l) => l.fundingSource === source && l.year === null)?.plannedVnd ?? null;
    const plannedYear = period.year === null ? null : budget.lines.find((l) => l.fundingSource === source && l.year === period.year)?.plannedVnd ?? null;
    const committedToDate = sumOf('commitment', source, (d) => d <= asOf);
    return {
      fundingSource: source, label: fundingLabel(source), plannedVnd: planned, plannedYearVnd: plannedYear,
      committedInPeriodVnd: sumOf('commitment', source, inPeriod), disbursedInPeriodVnd: sumOf('disbursement', source, inPeriod),
      committedToDateVnd: committedToDate, disbursedToDateVnd: sumOf('disbursement', source, (d) => d <= asOf),
      balanceVnd: planned === null ? null : planned - committedToDate,
    };
  };

  // Appendix 02 — the panel's targets vs actuals on the report's last day (its own date is capped at the plan's end).
  const panel = await getPanel(db, actor, plan.id, { asOf });
  const periodStart = `${plan.periodFrom}-01-01`;
  const afterPlan = panel.asOf >= yearEnd(plan.periodTo);
  const targetRows: ProgrammeReport['targets']['rows'] = panel.rows.map((r, i) => {
    const def = INDICATOR_BY_CODE.get(r.indicator.code);
    const measurable = Boolean(def?.evaluate);
    const yearRow = period.year === null ? undefined : r.years.find((y) => y.year === period.year);
    const nature = def?.nature ?? 'stock';
    const inP = measurable ? ev(r.indicator.code, nature === 'flow' ? from : periodStart, asOf, narrow, r.fundingSource).value : null;
    const actual = commune ? (measurable ? ev(r.indicator.code, periodStart, panel.asOf, narrow, r.fundingSource).value : null) : r.actual;
    const mark = commune ? null : r.mark;
    const markText = !measurable ? `Chưa đo${r.indicator.notMeasured ? `: ${r.indicator.notMeasured}` : ''}`
      : mark === null ? '—' : afterPlan ? (mark === 'on_track' ? 'Đạt' : 'Không đạt') : MARK_VI[mark];
    return {
      no: i + 1, kind: 'indicator' as const, code: r.indicator.code, name: r.indicator.name + (r.fundingSource ? ` — ${fundingLabel(r.fundingSource)}` : ''), label: r.label,
      unit: r.indicator.unit, unitWord: unitWordOf(r.indicator.code, r.indicator.unit), fundingSource: r.fundingSource,
      targetMin: r.target.min, targetMax: r.target.max, targetText: fmtRange(r.target.min, r.target.max),
      yearTargetText: yearRow?.target ? fmtRange(yearRow.target.min, yearRow.target.max) : null,
      inPeriod: inP, actual, actualText: measurable ? fmtNum(actual) : 'Chưa đo', projection: commune ? null : r.projection, mark, markText,
      note: r.indicator.unit === 'million_vnd' && scopeKind !== 'area' ? 'Kinh phí của cả kế hoạch'
        : commune ? 'Mục tiêu của cả địa bàn kế hoạch; số thực hiện của xã, phường' : r.aboveRange ? 'Dự báo vượt khoảng mục tiêu' : null,
    };
  });
  // Targets set for each commune (e.g. 1–2 key products): how many communes meet them, or whether this one does.
  for (const s of panel.perCommuneSummary) {
    const def = INDICATOR_BY_CODE.get(s.indicator);
    const mine = commune ? panel.communes.find((c) => c.unit.id === commune!.id)?.targets.find((t) => t.indicator === s.indicator) : undefined;
    if (commune && !mine) continue;
    targetRows.push({
      no: targetRows.length + 1, kind: commune ? 'commune' : 'per_commune', code: s.indicator, name: `${def?.nameVi ?? s.indicator} (mỗi xã, phường)`, label: null,
      unit: def?.unit ?? 'count', unitWord: unitWordOf(s.indicator, def?.unit ?? 'count'), fundingSource: null,
      targetMin: s.min, targetMax: s.max, targetText: `${fmtRange(s.min, s.max)} mỗi xã`, yearTargetText: null,
      inPeriod: commune ? mine!.actual : s.met, actual: commune ? mine!.actual : s.met,
      actualText: commune ? fmtNum(mine!.actual) : `${s.met}/${s.total} xã đạt`, projection: null, mark: null,
      markText: commune ? (mine!.met === null ? '—' : mine!.met ? 'Đạt' : 'Chưa đạt') : s.met === s.total ? 'Đạt' : 'Chưa đạt', note: null,
    });
  }
  const measured = targetRows.filter((r) => r.kind === 'indicator' && r.mark !== null);

  const issuer = commune ? `UBND ${unitFullName(commune)}` : plan.issuingUnit;
  const title = `Kết quả thực hiện Chương trình OCOP ${period.label}`;
  return {
    title,
    plan: {
      id: plan.id, code: plan.code, title: plan.title, issuingUnit: plan.issuingUnit, documentNumber: plan.documentNumber, issuedOn: plan.issuedOn,
      periodFrom: plan.periodFrom, periodTo: plan.periodTo, area: unitRef(area),
    },
    period,
    scope: { kind: scopeKind, name: scopeName, commune: commune ? unitRef(commune) : null, issuer, place: commune ? commune.name : area.name },
    generatedOn: todayInVietnam(),
    communeOptions: communes.map(unitRef),
    results: {
      baseline: stars(baseline.records), current: stars(current.records), producers: producers.value,
      newByStar: stars(kinds.first.records), reevaluatedByStar: stars(kinds.reevaluation.records), upgradedByStar: stars(kinds.upgrade.records),
      producersNew: newProducerNames.size, shares,
    },
    byGroup,
    byCommune: communeRows,
    support: { productsSupported: supported.value, activities: activities.length, amountVnd: activities.reduce((a, s) => a + s.amountVnd, 0), byType },
    events: {
      awarenessSessions: awareness.value, eventsHeld: held.value, attendance: total(eventList.map((e) => e.attendance)), salesVnd: total(eventList.map((e) => e.salesVnd)),
      contractsSigned: total(eventList.map((e) => e.contractsSigned)), costVnd: total(eventList.map((e) => e.costVnd)),
      byType: eventTypes.map((type) => {
        const xs = eventList.filter((e) => e.type === type);
        return { type, label: EVENT_TYPE_VI[type] ?? type, count: xs.length, attendance: total(xs.map((e) => e.attendance)), salesVnd: total(xs.map((e) => e.salesVnd)), contractsSigned: total(xs.map((e) => e.contractsSigned)) };
      }),
      list: eventList.map(({ costVnd: _c, ...e }) => e),
    },
    budget: {
      note: commune || productIds ? 'Kinh phí là của cả kế hoạch (không phân bổ theo xã, phường).' : null,
      rows: [...sources.map(budgetRow), budgetRow(null)],
      entries: budget.entries.filter((e) => inPeriod(e.entryDate)).map((e) => ({
        id: e.id, entryDate: e.entryDate, kind: e.kind, kindLabel: e.kind === 'commitment' ? 'Cam kết' : 'Giải ngân', fundingSource: e.fundingSource,
        sourceLabel: fundingLabel(e.fundingSource), description: e.description, amountVnd: e.amountVnd,
      })),
    },
    targets: { asOf: panel.asOf, yearColumn: period.year, onTrack: measured.filter((r) => r.mark === 'on_track').length, measured: measured.length, rows: targetRows },
    products: products.map(({ groupCode: _g, ...p }) => p),
    assessment: assessment ?? { general: null, shortcomings: null, directions: null },
  };
}

/**
 * The product group (sector of the taxonomy: "I Thực phẩm", "II Đồ uống" …) of each product, through the products
 * and taxonomy services. Leaves of an older decision are grouped under their own sector, its decision named.
 */
async function productGroups(db: Db, productIds: string[]) {
  const [rows, taxonomies] = await Promise.all([findProductRows(db, productIds), listTaxonomies(db)]);
  const nodes = new Map(taxonomies.flatMap((v) => v.nodes.map((n) => [n.id, { ...n, current: v.effectiveTo === null, decision: v.decision }] as const)));
  const out = new Map<string, { code: string; name: string }>();
  for (const r of rows) {
    let n = nodes.get(r.taxonomyNodeId);
    for (let i = 0; n && n.parentId !== null && i < 10; i++) n = nodes.get(n.parentId);
    if (n) out.set(r.id, { code: n.code, name: `${n.code}. ${n.name}${n.current ? '' : ` (${n.decision})`}` });
  }
  return out;
}

// ─── File names ───


/** "Báo cáo OCOP năm 2025 - huyện Lục Ngạn.docx" and its ASCII fallback "Bao-cao-OCOP-nam-2025-huyen-Luc-Ngan.docx". */
export function reportFileName(r: ProgrammeReport, ext: string, prefix = 'Báo cáo OCOP') {
  const base = `${prefix} ${r.period.label.replace(/\//g, '-')} - ${r.scope.kind === 'communes' ? 'các xã phụ trách' : r.scope.name}`;
  // eslint-disable-next-line no-control-regex -- control characters are not allowed in a file name
  const unicode = `${base.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 150)}.${ext}`;
  const plain = `${foldAccents(base).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 120)}.${ext}`;
  return { unicode, plain };
}

/** RFC 6266 / RFC 5987: an ASCII fallback and the UTF-8 name. */
export function contentDisposition(name: { unicode: string; plain: string }) {
  const star = encodeURIComponent(name.unicode).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${name.plain}"; filename*=UTF-8''${star}`;
}

