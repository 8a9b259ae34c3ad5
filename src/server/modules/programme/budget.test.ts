import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';

let t: TestApp;
let province: Session;
let planId = '';
let supportId = '';
const entry = (over: Record<string, unknown> = {}) => ({ kind: 'commitment', fundingSource: 'district_budget', entryDate: '2026-03-01', amountVnd: 100_000_000, description: 'Phân bổ hỗ trợ bao bì', ...over });

beforeAll(async () => {
  t = await buildTestApp();
  province = await signIn(t, 'province_officer');
  const res = await call(t, province, 'POST', '/api/programme/plans', {
    code: unique('b').toLowerCase(), title: 'Kế hoạch có kinh phí', issuingUnit: 'UBND tỉnh Bắc Ninh', areaUnitId: await unitId(t, 'bn-p-chu'), periodFrom: 2026, periodTo: 2028,
    targets: [
      { indicator: 'budget_total', valueMin: 500, valueMax: 500, unit: 'million_vnd' },
      { indicator: 'budget_total', fundingSource: 'district_budget', valueMin: 300, valueMax: 300, unit: 'million_vnd' },
      { indicator: 'budget_total', fundingSource: 'district_budget', year: 2026, valueMin: 150, valueMax: 150, unit: 'million_vnd' },
      { indicator: 'budget_total', fundingSource: 'trade_promotion', valueMin: 200, valueMax: 200, unit: 'million_vnd' },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  planId = res.json().id;
  const producer = await makeProducer(t);
  const product = await makeProduct(t, producer.id);
  const s = await call(t, province, 'POST', '/api/support-activities', { producerId: producer.id, productId: product.id, type: 'labels_packaging', description: 'Bao bì', amountVnd: 100_000_000, fundingSource: 'district_budget', activityDate: '2026-03-01', status: 'in_progress' });
  supportId = s.json().id;
});
afterAll(async () => t?.close());

describe('budget', () => {
  it('commitments within the plan pass; going over the source’s yearly plan warns with the figures, and a reason records it', async () => {
    const ok = await call(t, province, 'POST', `/api/programme/plans/${planId}/budget-entries`, entry({ supportActivityId: supportId }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().overrideReason).toBeNull();
    const over = await call(t, province, 'POST', `/api/programme/plans/${planId}/budget-entries`, entry({ amountVnd: 60_000_000 }));
    expect(over.statusCode).toBe(409);
    expect(over.json().code).toBe('BUDGET_EXCEEDED');
    expect(over.json().detail).toMatch(/district_budget năm 2026: 150 triệu đồng, đã cam kết 100 triệu đồng, thêm khoản này thành 160 triệu đồng/);
    const tooShort = await call(t, province, 'POST', `/api/programme/plans/${planId}/budget-entries`, entry({ amountVnd: 60_000_000, overrideReason: 'ok' }));
    expect(tooShort.statusCode).toBe(400);
    const goOn = await call(t, province, 'POST', `/api/programme/plans/${planId}/budget-entries`, entry({ amountVnd: 60_000_000, overrideReason: 'UBND tỉnh bổ sung vốn theo QĐ 123' }));
    expect(goOn.statusCode, goOn.body).toBe(201);
    expect(goOn.json().overrideReason).toBe('UBND tỉnh bổ sung vốn theo QĐ 123');
    // Another year of the same source: within its period plan (300) but 2027 has no yearly line → only the period cap applies.
    expect((await call(t, province, 'POST', `/api/programme/plans/${planId}/budget-entries`, entry({ entryDate: '2027-02-01', amountVnd: 100_000_000 }))).statusCode).toBe(201);
    // A source without any plan line warns too (the 500 total still applies, and the source is unplanned).
    const unplanned = await call(t, province, 'POST', `/api/programme/plans/${planId}/budget-entries`, entry({ fundingSource: 'mobilised', amountVnd: 1_000_000 }));
    expect(unplanned.statusCode).toBe(409);
    expect(unplanned.json().detail).toMatch(/chưa có kế hoạch vốn/);
  });

  it('a disbursement beyond what was committed warns; within it passes', async () => {
    const ok = await call(t, province, 'POST', `/api/programme/plans/${planId}/budget-entries`, entry({ kind: 'disbursement', amountVnd: 90_000_000, supportActivityId: supportId }));
    expect(ok.statusCode, ok.body).toBe(201);
    const over = await call(t, province, 'POST', `/api/programme/plans/${planId}/budget-entries`, entry({ kind: 'disbursement', fundingSource: 'trade_promotion', amountVnd: 5_000_000 }));
    expect(over.statusCode).toBe(409);
    expect(over.json().detail).toMatch(/trade_promotion: đã cam kết 0 triệu đồng/);
    const wrongSource = await call(t, province, 'POST', `/api/programme/plans/${planId}/budget-entries`, entry({ kind: 'disbursement', fundingSource: 'trade_promotion', amountVnd: 1, supportActivityId: supportId }));
    expect(wrongSource.statusCode).toBe(400);
  });

  it('the budget view: planned vs committed vs disbursed per source and year, balance, overspend flagged', async () => {
    const b = (await call(t, province, 'GET', `/api/programme/plans/${planId}/budget`)).json();
    const line = (s: string | null, y: number | null) => b.lines.find((l: { fundingSource: string | null; year: number | null }) => l.fundingSource === s && l.year === y);
    expect(line('district_budget', 2026)).toMatchObject({ plannedVnd: 150_000_000, committedVnd: 160_000_000, disbursedVnd: 90_000_000, balanceVnd: -10_000_000, overspent: true });
    expect(line('district_budget', null)).toMatchObject({ plannedVnd: 300_000_000, committedVnd: 260_000_000, balanceVnd: 40_000_000, overspent: false });
    expect(line('trade_promotion', null)).toMatchObject({ plannedVnd: 200_000_000, committedVnd: 0, overspent: false });
    expect(b.total).toMatchObject({ plannedVnd: 500_000_000, committedVnd: 260_000_000, disbursedVnd: 90_000_000, balanceVnd: 240_000_000 });
    expect(b.entries).toHaveLength(4);
    expect(b.rule).toMatch(/lý do/);
    // The panel's money row counts the same disbursements; its drill-down adds up to the đồng.
    const p = (await call(t, province, 'GET', `/api/programme/plans/${planId}/panel?asOf=2028-12-31`)).json();
    const row = p.rows.find((r: { indicator: { code: string }; fundingSource: string | null }) => r.indicator.code === 'budget_total' && r.fundingSource === null);
    expect(row.actual).toBe(90);
    const d = (await call(t, province, 'GET', `/api/programme/plans/${planId}/indicators/budget_total?asOf=2028-12-31`)).json();
    expect(d.records.reduce((a: number, r: { amountVnd: number }) => a + r.amountVnd, 0)).toBe(90_000_000);
    const bySource = p.rows.find((r: { indicator: { code: string }; fundingSource: string | null }) => r.indicator.code === 'budget_total' && r.fundingSource === 'trade_promotion');
    expect(bySource.actual).toBe(0);
  });

  it('only province officers write entries; viewers read; producers neither', async () => {
    for (const role of ['commune_officer', 'viewer', 'council_member'] as const) {
      const s = await signIn(t, role);
      expect((await call(t, s, 'POST', `/api/programme/plans/${planId}/budget-entries`, entry({ amountVnd: 1 }))).statusCode, role).toBe(403);
    }
    const viewer = await signIn(t, 'viewer');
    const b = await call(t, viewer, 'GET', `/api/programme/plans/${planId}/budget`);
    expect(b.statusCode).toBe(200);
    expect(b.json().canWrite).toBe(false);
    const producer = await signIn(t, 'producer', { producerId: (await makeProducer(t)).id });
    expect((await call(t, producer, 'GET', `/api/programme/plans/${planId}/budget`)).statusCode).toBe(403);
  });

  it('budget targets name a known funding source; other indicators have none', async () => {
    const bad = await call(t, province, 'POST', '/api/programme/plans', {
      code: unique('b').toLowerCase(), title: 'x', issuingUnit: 'x', areaUnitId: await unitId(t, 'bn-p-chu'), periodFrom: 2026, periodTo: 2028,
      targets: [{ indicator: 'budget_total', fundingSource: 'lottery', valueMin: 1, unit: 'million_vnd' }, { indicator: 'products_new', fundingSource: 'district_budget', valueMin: 1, unit: 'count' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(['targets.0.fundingSource', 'targets.1.fundingSource']);
  });
});
