// Start-up never waits for jobs (#18 item 4): on PGlite the reminder and expiry runs step aside for requests in
// flight between items (lib/activity.ts, jobs/index.ts), and stay idempotent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, todayInVietnam } from '../../../shared/certificate-dates.js';
import { loadConfig } from '../../config.js';
import { RequestActivity } from '../../lib/activity.js';
import { recordExpiries, sendDueReminders } from './service.js';
import { buildTestApp, call, makeProducer, makeProduct, signIn, type TestApp } from '../../../../test/helpers/app.js';
import { recordLegacy } from '../../../../test/helpers/certificates.js';
import { scalar } from '../../../../test/helpers/http.js';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RequestActivity: background work lets requests in flight go first', () => {
  it('an idle process yields at once', async () => {
    const a = new RequestActivity();
    const t0 = Date.now();
    await a.yieldToRequests(5000);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('a busy process yields until its last request has ended', async () => {
    const a = new RequestActivity();
    a.begin();
    a.begin();
    let done = false;
    const p = a.yieldToRequests(60_000).then(() => { done = true; });
    await settle(50);
    a.end();
    await settle(50);
    expect(done).toBe(false); // one request still in flight
    a.end();
    await p;
    expect(done).toBe(true);
    expect(a.busy).toBe(false);
  });

  it('a process that never gets quiet still gets its job done (bounded wait)', async () => {
    const a = new RequestActivity();
    a.begin();
    const t0 = Date.now();
    await a.yieldToRequests(80);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
    expect(a.busy).toBe(true);
  });
});

describe('jobs on the app: pacing by requests in flight', () => {
  let t: TestApp;
  let today: string;
  beforeAll(async () => {
    t = await buildTestApp();
    today = todayInVietnam();
  });
  afterAll(async () => { await t?.close(); });

  const expiringIn = (days: number) => addMonths(new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10), -36);

  it('the app counts requests in flight and forgets them when answered, also on errors', async () => {
    const officer = await signIn(t, 'province_officer');
    expect((await call(t, officer, 'GET', '/api/products')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/products' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/nothing-here' })).statusCode).toBe(404);
    // While a request is being answered (it waits for its queries) the app says it is busy.
    let finished = false;
    const req = call(t, officer, 'GET', '/api/products?q=mat ong').then((r) => { finished = true; return r; });
    let sawBusy = false;
    while (!finished && !sawBusy) {
      sawBusy = t.app.activity.busy;
      await new Promise((r) => setImmediate(r));
    }
    expect((await req).statusCode).toBe(200);
    expect(sawBusy).toBe(true);
    expect(t.app.activity.busy).toBe(false);
  });

  it('the reminder run waits while a request is in flight, then sends each reminder once', async () => {
    const certs: string[] = [];
    for (const days of [10, 20, 25]) {
      const p = await makeProduct(t, (await makeProducer(t)).id);
      certs.push((await recordLegacy(t, p.id, { decisionDate: expiringIn(days) })).id);
    }
    const recorded = async () => Number(await scalar(t, 'select count(*) from certificate_reminders where certificate_id = any($1::uuid[])', [certs]));
    const config = loadConfig({ NODE_ENV: 'test' });
    const activity = new RequestActivity();
    let paced = 0;
    const pace = () => { paced++; return activity.yieldToRequests(60_000); };
    activity.begin(); // a request is being answered
    const running = sendDueReminders(t.dbh.db, config, today, { pace });
    await settle(400);
    expect(await recorded()).toBe(0); // the run has not taken a single item while the request is in flight
    activity.end();
    const run = await running;
    expect(run.sent.map((s) => s.certificateId)).toEqual(expect.arrayContaining(certs));
    expect(paced).toBeGreaterThanOrEqual(certs.length); // once before each item
    expect(await recorded()).toBeGreaterThanOrEqual(certs.length);
    // Idempotent as before: a second paced run sends none of them again.
    const notes = () => scalar(t, "select count(*) from notifications where kind = 'certificate_expiring' and entity_id = any($1::text[])", [certs]);
    const before = Number(await notes());
    expect(before).toBeGreaterThanOrEqual(certs.length);
    const again = await sendDueReminders(t.dbh.db, config, today, { pace });
    expect(again.sent.map((s) => s.certificateId).filter((id) => certs.includes(id))).toEqual([]);
    expect(Number(await notes())).toBe(before);
  });

  it('the expiry run is paced the same way', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const c = await recordLegacy(t, p.id, { decisionDate: expiringIn(-3) });
    const activity = new RequestActivity();
    activity.begin();
    const running = recordExpiries(t.dbh.db, today, { pace: () => activity.yieldToRequests(60_000) });
    await settle(400);
    expect(Number(await scalar(t, 'select count(*) from certificate_expiries where certificate_id = $1', [c.id]))).toBe(0);
    activity.end();
    expect((await running).expired).toBeGreaterThanOrEqual(1);
    expect(Number(await scalar(t, 'select count(*) from certificate_expiries where certificate_id = $1', [c.id]))).toBe(1);
  });
});
