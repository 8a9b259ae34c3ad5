import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { openPglite, type DbHandle } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { loadDemoData } from '../../seed/demo.js';
import { loadReferenceData } from '../../seed/reference.js';
import { LocalDiskStorage } from '../files/storage.js';

// The Lục Ngạn demo loads only into an empty database, so this file always uses its own fresh embedded one
// (the PostgreSQL run shares one database between files; programme.test.ts covers the same rules there).
let h: DbHandle;
let app: FastifyInstance;
let filesDir: string;
let cookie = '';
let planId = '';

beforeAll(async () => {
  h = await openPglite(null);
  await migrate(h);
  await loadReferenceData(h.db);
  filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-prog-demo-'));
  const storage = new LocalDiskStorage(filesDir);
  expect(await loadDemoData(h.db, { storage })).toBe(true);
  app = await buildApp({ config: { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), filesDir }, dbh: h, storage, logger: false });
  await app.ready();
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'xem', password: 'ocop-xem-2025' } });
  expect(login.statusCode, login.body).toBe(200);
  cookie = `ocop_sid=${login.cookies.find((c) => c.name === 'ocop_sid')!.value}`;
  const plans = (await app.inject({ method: 'GET', url: '/api/programme/plans', headers: { cookie } })).json();
  planId = plans.find((p: { code: string }) => p.code === 'luc-ngan-ocop-2023-2025').id;
}, 240_000);
afterAll(async () => {
  await app?.close();
  await h?.close();
  if (filesDir) fs.rmSync(filesDir, { recursive: true, force: true });
});

const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

/** The effective-certificate rule written a second time, in SQL, independently of indicators.ts. */
async function recognisedInSql(asOf: string) {
  return h.query<{ star: number; n: number }>(`
    with recursive edges(parent, child) as (
      select parent_id, id from admin_units where parent_id is not null
      union all select predecessor_id, successor_id from admin_unit_successions
    ), area(id) as (select id from admin_units where key = 'ln' union select e.child from edges e join area a on e.parent = a.id),
    eff as (
      select distinct on (c.product_id) c.product_id, c.star from certificates c join products p on p.id = c.product_id
      where p.registered_unit_id in (select id from area) and c.decision_date <= $1::date and c.expires_on >= $1::date
        and not (c.status = 'revoked' and (c.revoked_at at time zone 'Asia/Ho_Chi_Minh')::date <= $1::date)
        and not exists (select 1 from certificates s where s.id = c.superseded_by and s.decision_date <= $1::date)
      order by c.product_id, c.decision_date desc
    ) select star, count(*)::int as n from eff group by star order by star`, [asOf]);
}

describe('the seeded plan against the Lục Ngạn demo data', () => {
  it('actuals equal an independent count of certificates in force, for the end of the period and the baseline', async () => {
    const p = await get(`/api/programme/plans/${planId}/panel`);
    const row = (code: string) => p.rows.find((r: { indicator: { code: string } }) => r.indicator.code === code);
    const bySql = await recognisedInSql(p.asOf);
    expect(row('products_recognised').actual).toBe(bySql.reduce((a, r) => a + r.n, 0));
    for (const s of [3, 4, 5]) expect(row(`products_${s}star`).actual).toBe(bySql.find((r) => r.star === s)?.n ?? 0);
    const baseline = await recognisedInSql('2022-12-31');
    expect(row('products_recognised').baseline).toBe(baseline.reduce((a, r) => a + r.n, 0));
    expect(row('products_recognised').actual).toBeGreaterThan(0);
    // Targets are the plan's, whatever the data.
    expect(row('products_recognised').target).toEqual({ min: 50, max: null });
    expect(['on_track', 'at_risk', 'off_track']).toContain(row('products_recognised').mark);
  });

  it('every number of the panel has a drill-down that adds up to it, and the communes add up to the area', async () => {
    const p = await get(`/api/programme/plans/${planId}/panel`);
    for (const r of p.rows.filter((x: { actual: number | null }) => x.actual !== null)) {
      const d = await get(`/api/programme/plans/${planId}/indicators/${r.indicator.code}`);
      expect(d.value, r.indicator.code).toBe(r.actual);
      expect(d.records.length, r.indicator.code).toBe(d.numerator ?? d.value);
      expect(new Set(d.records.map((x: { id: string }) => x.id)).size).toBe(d.records.length);
    }
    for (const { code } of p.communeIndicators) {
      const sum = p.communes.reduce((a: number, c: { values: Record<string, number> }) => a + c.values[code], 0);
      const d = await get(`/api/programme/plans/${planId}/indicators/${code}`);
      expect(sum, code).toBe(d.value);
    }
    // After the reform the area is the successor communes (2 phường + 9 xã of the old Lục Ngạn).
    expect(p.communes.length).toBe(11);
    expect(p.perCommuneSummary[0]).toMatchObject({ indicator: 'key_products', min: 1, max: 2, total: 11 });
  });

  it('the demo commune officer (phường Chũ) sees the products of phường Chũ and the units it replaced', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'xa.chu', password: 'ocop-xa-2025' } });
    const officer = `ocop_sid=${login.cookies.find((c) => c.name === 'ocop_sid')!.value}`;
    const mine = (await app.inject({ method: 'GET', url: `/api/programme/plans/${planId}/indicators/products_recognised`, headers: { cookie: officer } })).json();
    const all = await get(`/api/programme/plans/${planId}/indicators/products_recognised`);
    expect(mine.value).toBeLessThan(all.value);
    const scope = await h.query<{ id: string }>(`
      select p.id from products p where p.registered_unit_id in (
        with recursive edges(parent, child) as (select parent_id, id from admin_units where parent_id is not null union all select successor_id, predecessor_id from admin_unit_successions),
        s(id) as (select id from admin_units where key = 'bn-p-chu' union select e.child from edges e join s on e.parent = s.id) select id from s)`);
    const ids = new Set(scope.map((r) => r.id));
    for (const r of mine.records) expect(ids.has(r.productId)).toBe(true);
    const home = (await app.inject({ method: 'GET', url: '/api/home', headers: { cookie: officer } })).json();
    expect(home.programme.scope).toBe('communes');
  });
});
