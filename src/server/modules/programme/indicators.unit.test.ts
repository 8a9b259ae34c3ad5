import { describe, expect, it } from 'vitest';
import {
  classifyCertificate, communeOn, effectiveCertificate, INDICATOR_BY_CODE, INDICATORS, markOf, project,
  type CertificateFact, type EvalContext, type Facts,
} from './indicators.js';

// Hand-built area: old commune A (ended 30/6/2025) merged with old commune B into new commune N from 1/7/2025.
const units: Facts['units'] = [
  { id: 1, key: 'd', name: 'Huyện D', type: 'district', level: 2, parentId: null, validFrom: null, validTo: '2025-06-30' },
  { id: 10, key: 'a', name: 'Xã A', type: 'commune', level: 3, parentId: 1, validFrom: null, validTo: '2025-06-30' },
  { id: 11, key: 'b', name: 'Xã B', type: 'commune', level: 3, parentId: 1, validFrom: null, validTo: '2025-06-30' },
  { id: 12, key: 'c', name: 'Xã C', type: 'commune', level: 3, parentId: 1, validFrom: null, validTo: null },
  { id: 20, key: 'n', name: 'Xã N', type: 'commune', level: 3, parentId: null, validFrom: '2025-07-01', validTo: null },
];
const successions: Facts['successions'] = [
  { predecessorId: 10, successorId: 20, effectiveOn: '2025-07-01' },
  { predecessorId: 11, successorId: 20, effectiveOn: '2025-07-01' },
];
const product = (id: string, over: Partial<Facts['products'][number]> = {}): Facts['products'][number] => ({
  id, name: `SP ${id}`, producerId: `pr-${id}`, producerName: `Chủ thể ${id}`, registeredUnitId: 10, processingLevel: 'fresh', keyProduct: false, ...over,
});
const cert = (id: string, productId: string, over: Partial<CertificateFact> = {}): CertificateFact => ({
  id, number: `OCOP-${id}`, productId, star: 3, decisionDate: '2023-03-01', expiresOn: '2026-03-01', status: 'active', revokedOn: null, supersededById: null, dossierKind: null, ...over,
});

/**
 * p1: 3★ (2022, paper) superseded by 4★ (2024-05-10, upgrade dossier) — changed commune in the 2025 reform (A → N).
 * p2: 4★ decided 2021-06-15, expired 2024-06-15 (mid-year), never renewed.
 * p3: 3★ first in 2023, revoked on 2024-09-01.
 * p4: 5★ first in 2023 (dossier kind first), processed, VietGAP valid, on a marketplace, key product, in commune C.
 * p5: 3★ re-evaluated on paper in 2024 after a 3★ of 2021 (same star), registered under the NEW commune N.
 * p6: no certificate, key product in commune B.
 */
const facts: Facts = {
  units, successions,
  products: [
    product('p1', { producerId: 'pr-x', producerName: 'HTX X', craftVillageId: 'v1' }),
    product('p2', { processingLevel: 'processed' }),
    product('p3', { craftVillageId: 'v3' }),
    product('p4', { registeredUnitId: 12, processingLevel: 'deep_processed', keyProduct: true, producerId: 'pr-x', producerName: 'HTX X', craftVillageId: 'v1' }),
    product('p5', { registeredUnitId: 20, processingLevel: 'pre_processed', craftVillageId: 'v2' }),
    product('p6', { registeredUnitId: 11, keyProduct: true }),
  ],
  certificates: [
    cert('c1a', 'p1', { star: 3, decisionDate: '2022-05-01', expiresOn: '2025-05-01', status: 'superseded', supersededById: 'c1b' }),
    cert('c1b', 'p1', { star: 4, decisionDate: '2024-05-10', expiresOn: '2027-05-10', dossierKind: 'upgrade' }),
    cert('c2', 'p2', { star: 4, decisionDate: '2021-06-15', expiresOn: '2024-06-15' }),
    cert('c3', 'p3', { star: 3, decisionDate: '2023-04-01', expiresOn: '2026-04-01', status: 'revoked', revokedOn: '2024-09-01' }),
    cert('c4', 'p4', { star: 5, decisionDate: '2023-08-01', expiresOn: '2026-08-01', dossierKind: 'first' }),
    cert('c5a', 'p5', { star: 3, decisionDate: '2021-02-01', expiresOn: '2024-02-01', status: 'superseded', supersededById: 'c5b' }),
    cert('c5b', 'p5', { star: 3, decisionDate: '2024-01-20', expiresOn: '2027-01-20' }),
  ],
  certifications: [
    { productId: 'p4', type: 'vietgap', validFrom: '2023-01-01', validTo: '2025-12-31' },
    { productId: 'p1', type: 'globalgap', validFrom: '2020-01-01', validTo: '2023-12-31' },
  ],
  channels: [
    { productId: 'p4', kind: 'marketplace' },
    { productId: 'p1', kind: 'ocop_point' },
    { productId: 'p5', kind: 'supermarket' },
  ],
  support: [
    { id: 's1', productId: 'p1', producerId: 'pr-x', type: 'labels_packaging', activityDate: '2023-05-01', status: 'done', amountVnd: 20_000_000 },
    { id: 's2', productId: 'p1', producerId: 'pr-x', type: 'testing', activityDate: '2024-02-01', status: 'done', amountVnd: 5_000_000 },
    { id: 's3', productId: 'p2', producerId: 'pr-p2', type: 'website_ecommerce', activityDate: '2024-03-01', status: 'planned', amountVnd: 10_000_000 },
    { id: 's4', productId: null, producerId: 'pr-x', type: 'training', activityDate: '2024-03-01', status: 'done', amountVnd: 3_000_000 },
    { id: 's5', productId: 'p6', producerId: 'pr-p6', type: 'trademark_gi', activityDate: '2022-12-31', status: 'done', amountVnd: 1_000_000 },
  ],
  budget: [
    { id: 'b1', kind: 'commitment', fundingSource: 'district_budget', entryDate: '2023-04-01', amountVnd: 300_000_000, description: 'Phân bổ bao bì' },
    { id: 'b2', kind: 'disbursement', fundingSource: 'district_budget', entryDate: '2023-06-01', amountVnd: 120_500_000, description: 'Chi bao bì đợt 1' },
    { id: 'b3', kind: 'disbursement', fundingSource: 'trade_promotion', entryDate: '2024-09-01', amountVnd: 50_000_000, description: 'Chi hội chợ' },
    { id: 'b4', kind: 'disbursement', fundingSource: 'district_budget', entryDate: '2022-12-31', amountVnd: 9_000_000, description: 'Trước kỳ' },
  ],
  // v1 recognised long ago; v2 recognised on 1/7/2024; v3 without a recognition date, revoked on 1/8/2024.
  craftVillages: [
    { id: 'v1', name: 'Làng nghề mỳ Chũ', recognisedOn: '2015-05-01', revokedOn: null },
    { id: 'v2', name: 'Làng nghề nuôi ong', recognisedOn: '2024-07-01', revokedOn: null },
    { id: 'v3', name: 'Làng nghề đan lát', recognisedOn: null, revokedOn: '2024-08-01' },
  ],
  events: [
    { id: 'e1', type: 'awareness', title: 'Hội nghị tuyên truyền OCOP xã A', startsOn: '2023-03-10', status: 'held', unitId: 10, attendance: 80 },
    { id: 'e2', type: 'awareness', title: 'Tuyên truyền xã N', startsOn: '2025-08-10', status: 'held', unitId: 20, attendance: 60 },
    { id: 'e3', type: 'awareness', title: 'Tuyên truyền dự kiến', startsOn: '2025-09-10', status: 'planned', unitId: 20, attendance: null },
    { id: 'e4', type: 'fair', title: 'Hội chợ vải thiều', startsOn: '2024-06-20', status: 'held', unitId: 12, attendance: 500 },
  ],
};

const run = (code: string, asOf: string, from = '2023-01-01', productIds?: Set<string>) => {
  const ctx: EvalContext = { facts, asOf, from, productIds };
  return INDICATOR_BY_CODE.get(code)!.evaluate!(ctx);
};
const ids = (r: { records: { kind: string; productId: string | null; id: string }[] }) => r.records.map((x) => (x.kind === 'product' ? x.productId! : x.id)).sort();

describe('effective certificate', () => {
  const all = new Map(facts.certificates.map((c) => [c.id, c]));
  const of = (p: string) => facts.certificates.filter((c) => c.productId === p);
  it('a superseded certificate counts until the superseding decision, then the new one', () => {
    expect(effectiveCertificate(of('p1'), all, '2024-05-09')?.id).toBe('c1a');
    expect(effectiveCertificate(of('p1'), all, '2024-05-10')?.id).toBe('c1b');
  });
  it('a certificate that expired mid-year counts through its expiry date only', () => {
    expect(effectiveCertificate(of('p2'), all, '2024-06-15')?.id).toBe('c2');
    expect(effectiveCertificate(of('p2'), all, '2024-06-16')).toBeUndefined();
  });
  it('a revoked certificate stops counting on the day of revocation', () => {
    expect(effectiveCertificate(of('p3'), all, '2024-08-31')?.id).toBe('c3');
    expect(effectiveCertificate(of('p3'), all, '2024-09-01')).toBeUndefined();
  });
  it('nothing before the decision date', () => {
    expect(effectiveCertificate(of('p4'), all, '2023-07-31')).toBeUndefined();
  });
});

describe('indicator definitions', () => {
  it('every definition has a Vietnamese name and rule, and a code matching the target column', () => {
    for (const d of INDICATORS) {
      expect(d.code).toMatch(/^[a-z0-9_]{2,60}$/);
      expect(d.nameVi.length).toBeGreaterThan(5);
      expect(d.ruleVi.length).toBeGreaterThan(20);
      if (!d.evaluate) expect(d.notMeasuredVi).toBeTruthy();
    }
  });

  it('products_recognised and stars at the end of each year follow expiry, revocation and supersession', () => {
    // end 2023: p1 (3★ c1a), p2 (4★), p3 (3★), p4 (5★), p5 (3★ c5a)
    expect(ids(run('products_recognised', '2023-12-31'))).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(ids(run('products_3star', '2023-12-31'))).toEqual(['p1', 'p3', 'p5']);
    expect(ids(run('products_4star', '2023-12-31'))).toEqual(['p2']);
    expect(ids(run('products_5star', '2023-12-31'))).toEqual(['p4']);
    // end 2024: p2 expired mid-year, p3 revoked, p1 upgraded to 4★, p5 re-evaluated 3★
    expect(ids(run('products_recognised', '2024-12-31'))).toEqual(['p1', 'p4', 'p5']);
    expect(ids(run('products_3star', '2024-12-31'))).toEqual(['p5']);
    expect(ids(run('products_4star', '2024-12-31'))).toEqual(['p1']);
    const r = run('products_recognised', '2024-12-31');
    expect(r.value).toBe(r.records.length);
  });

  it('new / re-evaluated / upgraded in a period: dossier kind first, paper certificates by comparison', () => {
    expect(classifyCertificate(facts.certificates.find((c) => c.id === 'c5b')!, facts.certificates.filter((c) => c.productId === 'p5'))).toBe('reevaluation');
    expect(classifyCertificate(facts.certificates.find((c) => c.id === 'c1a')!, facts.certificates.filter((c) => c.productId === 'p1'))).toBe('first');
    // 2023–2025: c3 is first but revoked by the end → excluded; c4 first (dossier)
    expect(ids(run('products_new', '2025-12-31'))).toEqual(['c4']);
    expect(ids(run('products_new', '2024-08-31'))).toEqual(['c3', 'c4']);
    expect(ids(run('products_upgraded', '2025-12-31'))).toEqual(['c1b']);
    expect(ids(run('products_reevaluated', '2025-12-31'))).toEqual(['c5b']);
    // Only 2024
    expect(run('products_new', '2024-12-31', '2024-01-01').value).toBe(0);
    expect(run('products_upgraded', '2024-12-31', '2024-01-01').value).toBe(1);
  });

  it('producers with recognised products are counted once each', () => {
    const r = run('producers_recognised', '2023-12-31');
    expect(r.value).toBe(4); // HTX X (p1, p4), p2, p3, p5
    expect(r.records.find((x) => x.label === 'HTX X')!.detail).toContain('SP p4');
    expect(run('producers_recognised', '2024-12-31').value).toBe(2);
  });

  it('shares: processed, certified on the date, modern channels — numerator is the list, denominator the recognised', () => {
    const p = run('share_processed', '2024-12-31'); // p1 fresh, p4 deep, p5 pre → 2/3
    expect([p.numerator, p.denominator, p.value]).toEqual([2, 3, 66.7]);
    expect(ids(p)).toEqual(['p4', 'p5']);
    const c = run('share_certified', '2023-12-31'); // p1 globalgap until 2023-12-31, p4 vietgap → 2 of 5
    expect([c.numerator, c.denominator, c.value]).toEqual([2, 5, 40]);
    expect(run('share_certified', '2024-01-01').numerator).toBe(1); // p1's GlobalGAP lapsed
    const m = run('share_modern_channels', '2024-12-31'); // p4 marketplace, p5 supermarket; p1's OCOP point does not count
    expect(ids(m)).toEqual(['p4', 'p5']);
    expect(m.denominator).toBe(3);
  });

  it('share from craft villages: the producer’s village must be recognised on the date (not before its decision, not after revocation)', () => {
    // 30/6/2024: recognised p1 (4★), p3, p4, p5 (p2 expired 15/6). p1, p4 in v1 (HTX X, p1 moved commune in 2025: no
    // matter), p3 in v3 (no recognition date, not yet revoked), p5 in v2 (recognised only from 1/7/2024) → 3 of 4.
    const june = run('share_craft_village', '2024-06-30');
    expect([june.numerator, june.denominator, june.value]).toEqual([3, 4, 75]);
    expect(ids(june)).toEqual(['p1', 'p3', 'p4']);
    expect(june.records.find((r) => r.productId === 'p1')!.detail).toBe('Làng nghề mỳ Chũ');
    // 31/7/2024: v2 recognised → all 4.
    expect(run('share_craft_village', '2024-07-31').value).toBe(100);
    // 31/8/2024: v3 revoked on 1/8 → p3 no longer counts (its certificate, revoked 1/9, still does) → 3 of 4.
    const aug = run('share_craft_village', '2024-08-31');
    expect(ids(aug)).toEqual(['p1', 'p4', 'p5']);
    expect(aug.denominator).toBe(4);
    // The list is the numerator; without village data nothing counts (and nothing breaks).
    expect(aug.numerator).toBe(aug.records.length);
    const none = INDICATOR_BY_CODE.get('share_craft_village')!.evaluate!({ facts: { ...facts, craftVillages: undefined }, asOf: '2024-08-31', from: '2023-01-01' });
    expect([none.numerator, none.denominator, none.value]).toEqual([0, 4, 0]);
  });

  it('products supported: distinct products with a done activity in the period (planned, producer-level and earlier ones excluded)', () => {
    const r = run('products_supported', '2025-12-31');
    expect(ids(r)).toEqual(['p1']);
    expect(r.records[0].detail).toBe('labels_packaging, testing');
    expect(run('products_supported', '2025-12-31', '2024-01-01').value).toBe(1);
    expect(run('products_supported', '2023-12-31', '2023-06-01').value).toBe(0);
  });

  it('sessions and events held in the period, by the units given', () => {
    expect(ids(run('awareness_sessions', '2025-12-31'))).toEqual(['e1', 'e2']);
    expect(ids(run('events_held', '2025-12-31'))).toEqual(['e4']);
    const ctx: EvalContext = { facts, asOf: '2025-12-31', from: '2023-01-01', unitIds: new Set([20]) };
    expect(INDICATOR_BY_CODE.get('awareness_sessions')!.evaluate!(ctx).value).toBe(1);
  });

  it('money disbursed and committed in million VND, by source; the entries add up to the đồng', () => {
    const d = run('budget_total', '2025-12-31');
    expect(d.value).toBe(170.5);
    expect(d.records.reduce((a, r) => a + r.amountVnd!, 0)).toBe(170_500_000);
    const bySource = INDICATOR_BY_CODE.get('budget_total')!.evaluate!({ facts, asOf: '2025-12-31', from: '2023-01-01', fundingSource: 'trade_promotion' });
    expect(bySource.value).toBe(50);
    expect(run('budget_committed', '2025-12-31').value).toBe(300);
  });

  it('key products and a restriction to some products (a commune)', () => {
    expect(ids(run('key_products', '2025-12-31'))).toEqual(['p4', 'p6']);
    expect(run('products_recognised', '2024-12-31', '2023-01-01', new Set(['p1', 'p2'])).value).toBe(1);
  });
});

describe('communes through the 2025 reform', () => {
  it('a product registered under an old commune belongs to its successor after the reform, and to the old one before', () => {
    expect(communeOn(facts, 10, '2025-06-30')).toBe(10);
    expect(communeOn(facts, 10, '2025-07-01')).toBe(20);
    expect(communeOn(facts, 11, '2025-12-31')).toBe(20);
    expect(communeOn(facts, 12, '2025-12-31')).toBe(12);
    expect(communeOn(facts, 20, '2025-12-31')).toBe(20);
  });
});

describe('projection and marks', () => {
  it('flows grow with elapsed time; stocks move from the baseline; after the end the actual stands', () => {
    // Half of 2023–2025 (about): 10 new products → about 20 by the end.
    expect(project({ nature: 'flow', unit: 'count', actual: 10, baseline: 0, start: '2023-01-01', end: '2025-12-31', asOf: '2024-07-01' })).toBeCloseTo(20, 0);
    expect(project({ nature: 'stock', unit: 'count', actual: 38, baseline: 26, start: '2023-01-01', end: '2025-12-31', asOf: '2024-07-01' })).toBeCloseTo(50, 0);
    expect(project({ nature: 'stock', unit: 'percent', actual: 90, baseline: 10, start: '2023-01-01', end: '2025-12-31', asOf: '2023-06-30' })).toBe(100);
    expect(project({ nature: 'flow', unit: 'count', actual: 7, baseline: 0, start: '2023-01-01', end: '2025-12-31', asOf: '2025-12-31' })).toBe(7);
  });
  it('on track at the minimum, at risk from 80 % of it, off track below; a maximum-only target is a ceiling', () => {
    expect(markOf(50, 50, null)).toBe('on_track');
    expect(markOf(40, 50, null)).toBe('at_risk');
    expect(markOf(39.9, 50, null)).toBe('off_track');
    expect(markOf(3, null, 2)).toBe('off_track');
    expect(markOf(2, null, 2)).toBe('on_track');
  });
});
