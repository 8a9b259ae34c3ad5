import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';

/** What the back-office screens read from the server instead of re-implementing its rules. */
let t: TestApp;
let province: Session;
let planId = '';

beforeAll(async () => {
  t = await buildTestApp();
  province = await signIn(t, 'province_officer');
  const res = await call(t, province, 'POST', '/api/programme/plans', {
    code: unique('s').toLowerCase(), title: 'Kế hoạch màn hình', issuingUnit: 'UBND tỉnh', areaUnitId: await unitId(t, 'ln'), periodFrom: 2024, periodTo: 2026,
    targets: [
      { indicator: 'budget_total', valueMin: 900, valueMax: 900, unit: 'million_vnd' },
      { indicator: 'budget_total', fundingSource: 'district_budget', year: 2024, valueMin: 100, valueMax: 100, unit: 'million_vnd' },
      { indicator: 'budget_total', fundingSource: 'district_budget', year: 2025, valueMin: 150, valueMax: 150, unit: 'million_vnd' },
      { indicator: 'budget_total', fundingSource: 'trade_promotion', valueMin: 300, valueMax: 300, unit: 'million_vnd' },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  planId = res.json().id;
});
afterAll(async () => t?.close());

describe('flags and shapes for the screens', () => {
  it('a plan says what the user may do with it: everything for the province, nothing for readers', async () => {
    const mine = (await call(t, province, 'GET', `/api/programme/plans/${planId}`)).json();
    expect(mine.allowedActions).toEqual(['edit', 'copy', 'setStatus']);
    for (const role of ['commune_officer', 'viewer', 'council_member', 'central_officer'] as const) {
      const s = await signIn(t, role);
      const p = (await call(t, s, 'GET', `/api/programme/plans/${planId}`)).json();
      expect(p.allowedActions, role).toEqual([]);
      const list = (await call(t, s, 'GET', '/api/programme/plans')).json();
      expect(list.find((x: { id: string }) => x.id === planId).allowedActions, role).toEqual([]);
    }
  });

  it('a plan lists the communes of its area through the reorganisations (old communes and successors)', async () => {
    const p = (await call(t, province, 'GET', `/api/programme/plans/${planId}`)).json();
    const names = p.communes.map((c: { name: string }) => c.name);
    expect(names.length).toBeGreaterThan(20);
    expect(p.communes.some((c: { validTo: string | null }) => c.validTo !== null)).toBe(true); // old communes
    expect(p.communes.some((c: { validTo: string | null; validFrom: string | null }) => c.validTo === null && (c.validFrom ?? '') >= '2025-07-01')).toBe(true); // successors
    // Not in the list answer (kept small).
    expect((await call(t, province, 'GET', '/api/programme/plans')).json()[0].communes).toBeUndefined();
  });

  it('the budget in the shape of appendix 03: every source by year, totals, balance; entries say what they pay for', async () => {
    const producer = await makeProducer(t);
    const product = await makeProduct(t, producer.id);
    const s = (await call(t, province, 'POST', '/api/support-activities', { producerId: producer.id, productId: product.id, type: 'testing', description: 'Kiểm nghiệm mẫu', amountVnd: 40_000_000, fundingSource: 'district_budget', activityDate: '2025-03-01', status: 'done' })).json();
    const e = (await call(t, province, 'POST', '/api/programme-events', { type: 'fair', title: 'Hội chợ vải thiều thử', startsOn: '2025-06-10', endsOn: '2025-06-12', unitId: await unitId(t, 'bn-p-chu') })).json();
    const post = (body: Record<string, unknown>) => call(t, province, 'POST', `/api/programme/plans/${planId}/budget-entries`, body);
    expect((await post({ kind: 'commitment', fundingSource: 'district_budget', entryDate: '2025-02-01', amountVnd: 120_000_000, supportActivityId: s.id, description: 'Cam kết kiểm nghiệm' })).statusCode).toBe(201);
    expect((await post({ kind: 'disbursement', fundingSource: 'district_budget', entryDate: '2025-04-01', amountVnd: 40_000_000, supportActivityId: s.id, description: 'Chi kiểm nghiệm' })).statusCode).toBe(201);
    expect((await post({ kind: 'commitment', fundingSource: 'trade_promotion', entryDate: '2025-05-01', amountVnd: 50_000_000, eventId: e.id, description: 'Gian hàng hội chợ' })).statusCode).toBe(201);
    const b = (await call(t, province, 'GET', `/api/programme/plans/${planId}/budget`)).json();
    expect(b.appendix.years).toEqual([2024, 2025, 2026]);
    expect(b.appendix.rows).toHaveLength(10); // nine sources in the appendix's order + the total
    const row = (src: string | null) => b.appendix.rows.find((r: { fundingSource: string | null }) => r.fundingSource === src);
    const district = row('district_budget');
    expect(district.cells.map((c: { year: number; plannedVnd: number | null; committedVnd: number }) => [c.year, c.plannedVnd, c.committedVnd])).toEqual([[2024, 100e6, 0], [2025, 150e6, 120e6], [2026, null, 0]]);
    expect(district.total).toEqual({ plannedVnd: 250e6, committedVnd: 120e6, disbursedVnd: 40e6, balanceVnd: 130e6, overspent: false });
    expect(row('trade_promotion').total).toMatchObject({ plannedVnd: 300e6, committedVnd: 50e6, balanceVnd: 250e6 });
    expect(row('mobilised').total).toEqual({ plannedVnd: null, committedVnd: 0, disbursedVnd: 0, balanceVnd: null, overspent: false });
    expect(row(null).total).toMatchObject({ plannedVnd: 900e6, committedVnd: 170e6, disbursedVnd: 40e6, balanceVnd: 730e6 });
    expect(row(null).cells.find((c: { year: number }) => c.year === 2025)).toMatchObject({ plannedVnd: 150e6, committedVnd: 170e6 });
    const labels = b.entries.map((x: { linkLabel: string | null }) => x.linkLabel);
    expect(labels).toContain(`${producer.legalName} — Kiểm nghiệm mẫu`);
    expect(labels).toContain('Hội chợ vải thiều thử');
  });

  it('the events list says whether the user may record one', async () => {
    expect((await call(t, province, 'GET', '/api/programme-events')).json().canCreate).toBe(true);
    expect((await call(t, await signIn(t, 'commune_officer'), 'GET', '/api/programme-events')).json().canCreate).toBe(true);
    for (const role of ['viewer', 'council_member', 'central_officer'] as const) {
      expect((await call(t, await signIn(t, role), 'GET', '/api/programme-events')).json().canCreate, role).toBe(false);
    }
    const producer = await signIn(t, 'producer', { producerId: (await makeProducer(t)).id });
    expect((await call(t, producer, 'GET', '/api/programme-events')).json().canCreate).toBe(false);
  });
});
