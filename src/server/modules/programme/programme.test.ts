import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { recordLegacy } from '../../../../test/helpers/certificates.js';
import { makeRound } from '../../../../test/helpers/evaluation.js';
import { addMonths, todayInVietnam } from '../../../shared/certificate-dates.js';
import { createUnit } from '../geo/service.js';
import { pruneProgrammeChanges } from './panel-cache.js';

const SYSTEM = { system: 'test' };
let t: TestApp;
let province: Session;
let viewer: Session;

// A hand-built area only this file uses: district D with communes A and B (until 30/6/2025), merged into N from 1/7/2025.
const keys = { d: '', a: '', b: '', n: '' };
const ids = { d: 0, a: 0, b: 0, n: 0 };
const products: Record<string, string> = {};
const certs: Record<string, string> = {};
let planId = '';

beforeAll(async () => {
  t = await buildTestApp();
  province = await signIn(t, 'province_officer');
  viewer = await signIn(t, 'viewer');
  const k = unique('t').toLowerCase();
  Object.assign(keys, { d: `${k}-d`, a: `${k}-a`, b: `${k}-b`, n: `${k}-n` });
  const bg = await unitId(t, 'bg');
  const bn = await unitId(t, 'bn2025');
  ids.d = (await createUnit(t.dbh.db, SYSTEM, { key: keys.d, code: null, codeStatus: 'none', name: `Huyện thử ${k}`, type: 'district', parentId: bg, validFrom: null, validTo: '2025-06-30', note: null, source: null, predecessors: [] })).id;
  ids.a = (await createUnit(t.dbh.db, SYSTEM, { key: keys.a, code: null, codeStatus: 'none', name: `Xã A ${k}`, type: 'commune', parentId: ids.d, validFrom: null, validTo: '2025-06-30', note: null, source: null, predecessors: [] })).id;
  ids.b = (await createUnit(t.dbh.db, SYSTEM, { key: keys.b, code: null, codeStatus: 'none', name: `Xã B ${k}`, type: 'commune', parentId: ids.d, validFrom: null, validTo: '2025-06-30', note: null, source: null, predecessors: [] })).id;
  ids.n = (await createUnit(t.dbh.db, SYSTEM, {
    key: keys.n, code: null, codeStatus: 'none', name: `Xã N ${k}`, type: 'commune', parentId: bn, validFrom: '2025-07-01', validTo: null, note: null, source: null,
    predecessors: [{ unitId: ids.a, kind: 'merge' }, { unitId: ids.b, kind: 'merge' }],
  })).id;

  // Producer x belongs to a craft village of the reference list (its products p1, p2 count as from a craft village).
  const village = await call(t, province, 'POST', '/api/craft-villages', { name: `Làng nghề thử ${k}`, unitId: ids.a, kind: 'traditional', recognisedOn: '2020-01-01' });
  expect(village.statusCode, village.body).toBe(201);
  const x = await makeProducer(t, { unitId: ids.a, craftVillageId: village.json().id });
  const y = await makeProducer(t, { unitId: ids.b });
  // p1: registered under old commune A (follows it into N), 4★ 2023, processed, key product, on a marketplace.
  products.p1 = (await makeProduct(t, x.id, { registeredUnitId: ids.a, processingLevel: 'processed', keyProduct: true, channels: [{ kind: 'marketplace', name: 'Postmart', url: null }] })).id;
  // p2: registered under the new commune N, first recognised 4★ on 1/8/2025.
  products.p2 = (await makeProduct(t, x.id, { registeredUnitId: ids.n })).id;
  // p3: 4★ of 15/7/2022, expires 15/7/2025 (mid-year), never renewed.
  products.p3 = (await makeProduct(t, y.id, { registeredUnitId: ids.b })).id;
  // p4: 4★ in 2023, superseded by 5★ in 2024 (upgrade).
  products.p4 = (await makeProduct(t, y.id, { registeredUnitId: ids.a, certifications: [{ type: 'vietgap', name: null, issuer: null, number: null, validFrom: '2023-01-01', validTo: '2026-12-31' }] })).id;
  certs.p1 = (await recordLegacy(t, products.p1, { star: 4, decisionDate: '2023-03-01' })).id;
  certs.p2 = (await recordLegacy(t, products.p2, { star: 4, decisionDate: '2025-08-01' })).id;
  certs.p3 = (await recordLegacy(t, products.p3, { star: 4, decisionDate: '2022-07-15' })).id;
  certs.p4a = (await recordLegacy(t, products.p4, { star: 4, decisionDate: '2023-05-01' })).id;
  certs.p4b = (await recordLegacy(t, products.p4, { star: 5, decisionDate: '2024-06-01' })).id;
  // Support: p1 packaging done in 2024 (counts), p4 testing only planned (does not).
  for (const [pid, producerId, status] of [[products.p1, x.id, 'done'], [products.p4, y.id, 'planned']] as const) {
    const s = await call(t, province, 'POST', '/api/support-activities', { producerId, productId: pid, type: status === 'done' ? 'labels_packaging' : 'testing', description: 'Hỗ trợ', amountVnd: 10_000_000, fundingSource: 'district_budget', activityDate: '2024-03-01', status });
    expect(s.statusCode, s.body).toBe(201);
  }
  // p1's certificate is revoked today: it still counted at the end of 2025.
  const rev = await call(t, province, 'POST', `/api/certificates/${certs.p1}/revoke`, { reason: 'producer_request' });
  expect(rev.statusCode, rev.body).toBe(200);

  const res = await call(t, province, 'POST', '/api/programme/plans', {
    code: `${k}-plan`, title: 'Kế hoạch OCOP thử nghiệm 2023-2025', issuingUnit: 'UBND huyện thử', areaUnitId: ids.d, periodFrom: 2023, periodTo: 2025, status: 'in_force',
    legalBasis: ['QĐ 919/QĐ-TTg'],
    targets: [
      { indicator: 'products_recognised', valueMin: 4, unit: 'count' },
      { indicator: 'products_new', valueMin: 3, valueMax: 3, unit: 'count' },
      { indicator: 'products_new', year: 2024, valueMin: 1, valueMax: 2, unit: 'count' },
      { indicator: 'products_upgraded', valueMin: 1, unit: 'count' },
      { indicator: 'products_5star', valueMin: 1, valueMax: 2, unit: 'count' },
      { indicator: 'share_processed', valueMin: 40, unit: 'percent' },
      { indicator: 'products_supported', valueMin: 3, unit: 'count' },
      { indicator: 'key_products', perCommune: true, valueMin: 1, valueMax: 2, unit: 'count' },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  planId = res.json().id;
}, 120_000);
afterAll(async () => t?.close());

const panel = async (s: Session, q = '') => {
  const res = await call(t, s, 'GET', `/api/programme/plans/${planId}/panel${q}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const row = (p: { rows: { indicator: { code: string } }[] }, code: string) => p.rows.find((r) => r.indicator.code === code) as Record<string, any>;

describe('the seeded Lục Ngạn 2023–2025 plan', () => {
  it('holds every number of section II.2 and IV as targets of huyện Lục Ngạn, loaded once', async () => {
    const list = await call(t, viewer, 'GET', '/api/programme/plans');
    expect(list.statusCode).toBe(200);
    const seeded = list.json().find((p: { code: string }) => p.code === 'luc-ngan-ocop-2023-2025');
    expect(seeded).toMatchObject({ periodFrom: 2023, periodTo: 2025, status: 'in_force', issuingUnit: 'UBND huyện Lục Ngạn', areaUnit: { key: 'ln' }, targetCount: 19 });
    const plan = (await call(t, viewer, 'GET', `/api/programme/plans/${seeded.id}`)).json();
    const target = (code: string, year: number | null = null) => {
      const x = plan.targets.find((tg: { indicator: string; year: number | null }) => tg.indicator === code && tg.year === year);
      return [x.valueMin, x.valueMax, x.unit];
    };
    expect(target('products_recognised')).toEqual([50, null, 'count']);
    expect(target('products_new')).toEqual([20, 20, 'count']);
    expect(target('products_reevaluated')).toEqual([22, 22, 'count']);
    expect(target('products_upgraded')).toEqual([8, 8, 'count']);
    expect(target('products_3star')).toEqual([15, 20, 'count']);
    expect(target('products_4star')).toEqual([33, 34, 'count']);
    expect(target('products_5star')).toEqual([1, 2, 'count']);
    for (const y of [2023, 2024, 2025]) expect(target('products_new', y)).toEqual([6, 7, 'count']);
    expect(target('producers_recognised')).toEqual([15, 20, 'count']);
    expect(target('share_processed')).toEqual([40, null, 'percent']);
    expect(target('share_certified')).toEqual([80, null, 'percent']);
    expect(target('share_modern_channels')).toEqual([90, null, 'percent']);
    expect(target('share_craft_village')).toEqual([50, null, 'percent']);
    expect(target('products_supported')).toEqual([30, 33, 'count']);
    expect(target('awareness_sessions')).toEqual([10, 12, 'count']);
    expect(target('budget_total')).toEqual([2110, 2110, 'million_vnd']);
    expect(plan.targets.find((x: { indicator: string }) => x.indicator === 'key_products')).toMatchObject({ perCommune: true, valueMin: 1, valueMax: 2 });
    expect(plan.legalBasis).toHaveLength(4);
  });

  it('its panel answers for every target row; unmeasurable ones say why instead of a number', async () => {
    const seeded = (await call(t, viewer, 'GET', '/api/programme/plans')).json().find((p: { code: string }) => p.code === 'luc-ngan-ocop-2023-2025');
    const res = await call(t, viewer, 'GET', `/api/programme/plans/${seeded.id}/panel`);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p.rows.length).toBe(15); // 19 targets: the yearly products_new fold into their row, key products are per commune
    const villages = row(p, 'share_craft_village');
    expect(villages.actual).toEqual(expect.any(Number)); // measured since craft villages are reference data
    expect(villages.indicator.notMeasured).toBeNull();
    expect(row(p, 'awareness_sessions').actual).toEqual(expect.any(Number));
    expect(row(p, 'budget_total')).toMatchObject({ target: { min: 2110, max: 2110 }, indicator: { unit: 'million_vnd' } });
    expect(typeof row(p, 'products_recognised').actual).toBe('number');
  });
});

describe('a plan on a hand-built area through the 2025 reform', () => {
  it('counts products registered under old and new communes with the certificate in force at the end of the period', async () => {
    const p = await panel(viewer);
    expect(p.asOf <= '2025-12-31').toBe(true);
    expect(p.scope).toBe('area');
    const rec = row(p, 'products_recognised');
    // p1 (revoked only in 2026), p2 (2025), p4 (5★); p3 expired on 15/7/2025.
    expect(rec.actual).toBe(3);
    expect(rec.target).toEqual({ min: 4, max: null });
    expect(rec.baseline).toBe(1); // end 2022: p3 only
    expect(rec.years.map((y: { year: number; actual: number }) => [y.year, y.actual])).toEqual([[2022, 1], [2023, 3], [2024, 3], [2025, 3]]);
    expect(rec.projection).toBe(3);
    expect(rec.mark).toBe('off_track'); // 3 < 0.8 × 4
    expect(row(p, 'products_new').actual).toBe(3);
    expect(row(p, 'products_new').years.find((y: { year: number }) => y.year === 2024)).toMatchObject({ actual: 0, target: { min: 1, max: 2 }, mark: 'off_track' });
    expect(row(p, 'products_upgraded').actual).toBe(1);
    expect(row(p, 'products_5star')).toMatchObject({ actual: 1, mark: 'on_track' });
    expect(row(p, 'share_processed')).toMatchObject({ numerator: 1, denominator: 3, actual: 33.3, mark: 'at_risk' });
    expect(row(p, 'products_supported')).toMatchObject({ actual: 1, target: { min: 3, max: null } });
    // By commune on 31/12/2025: A and B are gone, everything belongs to N.
    expect(p.communes.map((c: { unit: { key: string } }) => c.unit.key)).toEqual([keys.n]);
    expect(p.communes[0].values.products_recognised).toBe(3);
    expect(p.communes[0].targets).toEqual([{ indicator: 'key_products', min: 1, max: 2, actual: 1, met: true }]);
    expect(p.perCommuneSummary).toEqual([{ indicator: 'key_products', min: 1, max: 2, met: 1, total: 1 }]);
  });

  it('a kept panel is computed again as soon as a table it reads changes, whoever wrote (here: SQL straight into the database)', async () => {
    const first = row(await panel(viewer), 'share_processed');
    expect(row(await panel(viewer), 'share_processed')).toEqual(first);
    const before = Number((await t.dbh.query<{ n: string }>('select count(*) as n from programme_changes'))[0].n);
    const [{ level }] = await t.dbh.query<{ level: string }>('select processing_level as level from products where id = $1', [products.p4]);
    expect(level).not.toBe('processed');
    // Another process records p4 (recognised, 5★) as processed: one more processed product among the recognised.
    await t.dbh.query(`update products set processing_level = 'processed' where id = $1`, [products.p4]);
    try {
      expect(Number((await t.dbh.query<{ n: string }>('select count(*) as n from programme_changes'))[0].n)).toBe(before + 1);
      expect(row(await panel(viewer), 'share_processed').numerator).toBe(first.numerator + 1);
    } finally {
      await t.dbh.query('update products set processing_level = $2 where id = $1', [products.p4, level]);
    }
    expect(row(await panel(viewer), 'share_processed')).toEqual(first);
  });

  it('the change log keeps two days: older rows are pruned, the panel is computed again and stays right', async () => {
    const [{ id: old }] = await t.dbh.query<{ id: string }>(`insert into programme_changes (tbl, at) values ('test', clock_timestamp() - interval '3 days') returning id::text as id`);
    const [{ id: recent }] = await t.dbh.query<{ id: string }>(`insert into programme_changes (tbl) values ('test') returning id::text as id`);
    const first = row(await panel(viewer), 'products_recognised');
    expect(await pruneProgrammeChanges(t.dbh.db)).toBeGreaterThanOrEqual(1);
    const left = await t.dbh.query<{ id: string }>('select id::text as id from programme_changes where id = any($1::bigint[])', [[old, recent]]);
    expect(left.map((r) => r.id)).toEqual([recent]);
    expect(row(await panel(viewer), 'products_recognised')).toEqual(first);
  });

  it('reads any date: before the reform the communes are A and B, and p3 still counts', async () => {
    const p = await panel(viewer, '?asOf=2024-12-31');
    expect(row(p, 'products_recognised').actual).toBe(3);
    expect(p.communes.map((c: { unit: { key: string } }) => c.unit.key).sort()).toEqual([keys.a, keys.b].sort());
    const a = p.communes.find((c: { unit: { key: string } }) => c.unit.key === keys.a);
    expect(a.values).toMatchObject({ products_recognised: 2, products_5star: 1, key_products: 1 });
  });

  it('every drill-down adds up to its number, by period, by year and by commune', async () => {
    const p = await panel(viewer);
    for (const r of p.rows.filter((x: { actual: number | null }) => x.actual !== null)) {
      const d = (await call(t, viewer, 'GET', `/api/programme/plans/${planId}/indicators/${r.indicator.code}`)).json();
      expect(d.value).toBe(r.actual);
      expect(d.records.length).toBe(d.numerator ?? d.value);
      for (const y of r.years) {
        const dy = (await call(t, viewer, 'GET', `/api/programme/plans/${planId}/indicators/${r.indicator.code}?year=${y.year}`)).json();
        expect(dy.value, `${r.indicator.code} ${y.year}`).toBe(y.actual);
        expect(dy.records.length).toBe(dy.numerator ?? dy.value);
      }
    }
    const byCommune = (await call(t, viewer, 'GET', `/api/programme/plans/${planId}/indicators/products_recognised?communeUnitId=${ids.n}`)).json();
    expect(byCommune.records.map((x: { productId: string }) => x.productId).sort()).toEqual([products.p1, products.p2, products.p4].sort());
    const upgraded = (await call(t, viewer, 'GET', `/api/programme/plans/${planId}/indicators/products_upgraded`)).json();
    expect(upgraded.records).toEqual([expect.objectContaining({ kind: 'certificate', id: certs.p4b, star: 5, date: '2024-06-01' })]);
    const supported = (await call(t, viewer, 'GET', `/api/programme/plans/${planId}/indicators/products_supported`)).json();
    expect(supported.records.map((x: { productId: string }) => x.productId)).toEqual([products.p1]);
    // From craft villages at the end of 2025: p1 and p2 (producer x's village) of the 3 recognised (p1, p2, p4).
    const villages = (await call(t, viewer, 'GET', `/api/programme/plans/${planId}/indicators/share_craft_village`)).json();
    expect([villages.numerator, villages.denominator, villages.value]).toEqual([2, 3, 66.7]);
    expect(villages.records.map((x: { productId: string }) => x.productId).sort()).toEqual([products.p1, products.p2].sort());
    expect(villages.records[0].detail).toMatch(/^Làng nghề thử/);
  });

  it('copies a plan into a new draft with the targets shifted to the new period', async () => {
    const res = await call(t, province, 'POST', `/api/programme/plans/${planId}/copy`, { code: `${keys.d}-2026`, title: 'Kế hoạch 2026-2030', periodFrom: 2026, periodTo: 2030, areaUnitId: ids.n });
    expect(res.statusCode, res.body).toBe(201);
    const copy = res.json();
    expect(copy).toMatchObject({ status: 'draft', periodFrom: 2026, periodTo: 2030, copiedFromId: planId, areaUnit: { key: keys.n } });
    expect(copy.targets.find((x: { year: number | null }) => x.year !== null).year).toBe(2027);
    expect(copy.targets).toHaveLength(8);
    // …and edits it (optimistic concurrency: a stale version is refused).
    const body = { ...copy, areaUnitId: copy.areaUnit.id, targets: copy.targets.map((x: any) => ({ indicator: x.indicator, year: x.year, perCommune: x.perCommune, communeUnitId: x.communeUnit?.id ?? null, valueMin: x.valueMin, valueMax: x.valueMax, unit: x.unit })) };
    for (const f of ['id', 'areaUnit', 'copiedFromId', 'isDemo', 'canEdit']) delete body[f];
    const ok = await call(t, province, 'PUT', `/api/programme/plans/${copy.id}`, { ...body, status: 'in_force', targets: [...body.targets.slice(1)] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().targets).toHaveLength(7);
    const stale = await call(t, province, 'PUT', `/api/programme/plans/${copy.id}`, body);
    expect(stale.statusCode).toBe(409);
    const badYear = await call(t, province, 'PUT', `/api/programme/plans/${copy.id}`, { ...body, version: ok.json().version, targets: [{ indicator: 'products_new', year: 2024, valueMin: 1, unit: 'count' }] });
    expect(badYear.statusCode).toBe(400);
    expect(badYear.json().errors[0].path).toBe('targets.0.year');
  });
});

describe('permissions', () => {
  it('anonymous users are refused', async () => {
    expect((await call(t, null, 'GET', '/api/home')).statusCode).toBe(401);
    expect((await call(t, null, 'GET', `/api/programme/plans/${planId}/panel`)).statusCode).toBe(401);
  });

  it('viewers, council members and commune officers read but cannot create, edit or copy plans', async () => {
    for (const role of ['viewer', 'council_member', 'commune_officer'] as const) {
      const s = role === 'viewer' ? viewer : await signIn(t, role);
      expect((await call(t, s, 'GET', `/api/programme/plans/${planId}`)).statusCode).toBe(200);
      const create = await call(t, s, 'POST', '/api/programme/plans', { code: unique('x').toLowerCase(), title: 'x', issuingUnit: 'x', areaUnitId: ids.d, periodFrom: 2026, periodTo: 2030 });
      expect(create.statusCode, role).toBe(403);
      const copy = await call(t, s, 'POST', `/api/programme/plans/${planId}/copy`, { code: unique('x').toLowerCase(), title: 'x' });
      expect(copy.statusCode, role).toBe(403);
      const put = await call(t, s, 'PUT', `/api/programme/plans/${planId}`, { version: 1, code: unique('x').toLowerCase(), title: 'x', issuingUnit: 'x', areaUnitId: ids.d, periodFrom: 2023, periodTo: 2025 });
      expect(put.statusCode, role).toBe(403);
    }
  });

  it('producers see neither plans, panels nor drill-downs (other producers’ products)', async () => {
    const producer = await makeProducer(t);
    const s = await signIn(t, 'producer', { producerId: producer.id });
    expect((await call(t, s, 'GET', '/api/programme/plans')).statusCode).toBe(403);
    expect((await call(t, s, 'GET', `/api/programme/plans/${planId}`)).statusCode).toBe(403);
    expect((await call(t, s, 'GET', `/api/programme/plans/${planId}/panel`)).statusCode).toBe(403);
    expect((await call(t, s, 'GET', `/api/programme/plans/${planId}/indicators/products_recognised`)).statusCode).toBe(403);
  });

  it('a commune officer counts only their communes (and the units those replaced)', async () => {
    const mine = await signIn(t, 'commune_officer', { unitKeys: [keys.n] });
    const p = await panel(mine);
    expect(p.scope).toBe('communes');
    expect(row(p, 'products_recognised').actual).toBe(3);
    const other = await signIn(t, 'commune_officer', { unitKeys: ['bn-x-sa-ly'] });
    const q = await panel(other);
    expect(row(q, 'products_recognised').actual).toBe(0);
    expect(q.communes).toEqual([]);
    const drill = await call(t, other, 'GET', `/api/programme/plans/${planId}/indicators/products_recognised?communeUnitId=${ids.n}`);
    expect(drill.statusCode).toBe(403);
    const all = (await call(t, other, 'GET', `/api/programme/plans/${planId}/indicators/products_recognised`)).json();
    expect(all.records).toEqual([]);
  });
});

describe('GET /api/home', () => {
  it('officers: certificates expiring within 90 days without a re-evaluation dossier, rounds in progress, the programme', async () => {
    const producer = await makeProducer(t);
    const product = await makeProduct(t, producer.id);
    // Decided 36 months minus 30 days ago → expires in about 30 days.
    const decisionDate = addMonths(todayInVietnam(), -35);
    const cert = await recordLegacy(t, product.id, { star: 4, decisionDate });
    const home = await call(t, province, 'GET', '/api/home');
    expect(home.statusCode, home.body).toBe(200);
    const h = home.json();
    expect(h.role).toBe('province_officer');
    expect(h.officer.expiringWithoutDossier.map((c: { id: string }) => c.id)).toContain(cert.id);
    expect(h.officer.dossiersByStatus.map((g: { status: string }) => g.status)).toEqual(['submitted', 'returned', 'accepted', 'assigned', 'evaluated', 'forwarded']);
    expect(h.producer).toBeNull();
    expect(h.programme.rows.length).toBeGreaterThan(0);
    // A commune officer elsewhere does not see it.
    const other = await signIn(t, 'commune_officer', { unitKeys: ['bn-x-sa-ly'] });
    const ho = (await call(t, other, 'GET', '/api/home')).json();
    expect(ho.officer.expiringWithoutDossier.map((c: { id: string }) => c.id)).not.toContain(cert.id);
    expect(ho.programme.scope).toBe('communes');
  });

  it('council members: the rounds they sit on and the sheets left to score', async () => {
    const producer = await makeProducer(t);
    const p1 = await makeProduct(t, producer.id);
    const p2 = await makeProduct(t, producer.id);
    const chair = await signIn(t, 'council_member');
    const member = await signIn(t, 'council_member');
    const roundId = await makeRound(t, province, { members: [{ s: chair, role: 'chair' }, { s: member, role: 'member' }], productIds: [p1.id, p2.id], minValidSheets: 2 });
    const h = (await call(t, member, 'GET', '/api/home')).json();
    expect(h.officer).toBeNull();
    expect(h.producer).toBeNull();
    expect(h.council.rounds).toEqual([expect.objectContaining({ id: roundId, status: 'scoring', role: 'member', products: 2, submitted: 0, left: 2 })]);
    expect(h.council.sheetsLeft).toBe(2);
    const stranger = (await call(t, await signIn(t, 'council_member'), 'GET', '/api/home')).json();
    expect(stranger.council.rounds).toEqual([]);
  });

  it('producers: only their own certificates, next steps, no programme panel', async () => {
    const mine = await makeProducer(t);
    const theirs = await makeProducer(t);
    const s = await signIn(t, 'producer', { producerId: mine.id });
    const fresh = (await call(t, s, 'GET', '/api/home')).json();
    expect(fresh.producer.nextSteps.map((x: { key: string }) => x.key)).toEqual(['register_product']);
    const p = await makeProduct(t, mine.id);
    const q = await makeProduct(t, theirs.id);
    const c = await recordLegacy(t, p.id, { star: 4, decisionDate: addMonths(todayInVietnam(), -12) });
    const other = await recordLegacy(t, q.id, { star: 4, decisionDate: addMonths(todayInVietnam(), -12) });
    const h = (await call(t, s, 'GET', '/api/home')).json();
    expect(h.officer).toBeNull();
    expect(h.programme).toBeNull();
    expect(h.producer.products).toBe(1);
    expect(h.producer.certificates.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect(h.producer.certificates.map((x: { id: string }) => x.id)).not.toContain(other.id);
    expect(h.producer.nextSteps.map((x: { key: string }) => x.key)).toEqual(['create_dossier']);
  });

  it('viewers: the programme summary only', async () => {
    const h = (await call(t, viewer, 'GET', '/api/home')).json();
    expect(h.officer).toBeNull();
    expect(h.council).toBeNull();
    expect(h.producer).toBeNull();
    expect(h.programme).not.toBeNull();
  });
});
