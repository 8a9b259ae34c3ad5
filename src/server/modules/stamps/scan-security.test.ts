/**
 * Security review of the scan pages (#13 part B): shoppers' contacts stay with officers, scan pages are rate limited
 * per client, unknown serials cannot flood a real lot with flags.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshGtin14, withCheckDigit } from '../../../../test/helpers/gs1.js';
import { buildTestApp, call, makeProducer, makeProduct, signIn, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { addProductPhoto, expectProblem } from '../../../../test/helpers/http.js';
import { flushScanLogs } from './scan-log.js';
import { SCAN_LIMIT_PER_MINUTE } from './scan-limit.js';

let t: TestApp;
let province: Session;
let communeIn: Session;
let viewer: Session;
let council: Session;
let producerS: Session;
let producer: { id: string };
let product: { id: string };

const gtin = withCheckDigit('0893500099887');
let seq = 0;
/** Serials are unique per GTIN across lots (migration 0017): each lot gets a GTIN of its own, so its serials start at 1. */
const gtinOfLot = new Map<string, string>();
const freshGtin = () => freshGtin14('08935');
async function makeLot() {
  const lotNumber = `S-${Math.random().toString(36).slice(2, 8).toUpperCase()}${(seq++).toString(36)}`;
  const lotGtin = freshGtin();
  gtinOfLot.set(lotNumber, lotGtin);
  const [row] = await t.dbh.query<{ id: string }>(
    `insert into lots (product_id, producer_id, lot_number, gtin, produced_on, quantity, quantity_unit)
     values ($1, $2, $3, $4, '2025-06-10', 100, 'KGM') returning id`, [product.id, producer.id, lotNumber, lotGtin]);
  const res = await call(t, province, 'POST', `/api/lots/${row.id}/stamp-ranges`, { count: 10 });
  expect(res.statusCode, res.body).toBe(201);
  return { id: row.id, lotNumber };
}
const dl = (lotNumber: string, serial: number | string) => `/01/${gtinOfLot.get(lotNumber) ?? gtin}/10/${encodeURIComponent(lotNumber)}/21/${serial}`;
let ipSeq = 1;
/** A scan from its own client address (each call a new one unless given). */
const scan = (url: string, ip = `198.18.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`) =>
  t.app.inject({ method: 'GET', url, remoteAddress: ip, headers: { accept: 'text/html' } });

beforeAll(async () => {
  t = await buildTestApp();
  [province, communeIn, viewer, council] = await Promise.all([signIn(t, 'province_officer'), signIn(t, 'commune_officer'), signIn(t, 'viewer'), signIn(t, 'council_member')]);
  producer = await makeProducer(t);
  product = await makeProduct(t, producer.id);
  producerS = await signIn(t, 'producer', { producerId: producer.id });
  await addProductPhoto(t, producerS, product.id);
});
afterAll(async () => { await t?.close(); });

describe('a shopper’s report: the contact is for officers only', () => {
  it('the reported producer (and council members, viewers) see the report without the shopper’s phone; officers see it', async () => {
    const lot = await makeLot();
    const form = await t.app.inject({
      method: 'POST', url: '/bao-cao', remoteAddress: '198.51.100.201',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ref: dl(lot.lotNumber, 3), lang: 'vi', category: 'counterfeit', message: 'Hàng giả bán ở chợ', contact: '0987 654 321' }).toString(),
    });
    expect(form.statusCode, form.body).toBe(200);

    const find = async (s: Session) => {
      const res = await call(t, s, 'GET', `/api/scan-reports?productId=${product.id}&pageSize=200`);
      expect(res.statusCode, res.body).toBe(200);
      return res;
    };
    const own = await find(producerS);
    const item = own.json().items.find((r: { message: string }) => r.message === 'Hàng giả bán ở chợ');
    expect(item).toBeDefined();
    expect(item).not.toHaveProperty('contact');
    expect(own.body).not.toContain('0987 654 321');
    for (const s of [viewer, council]) expect((await find(s)).body).not.toContain('0987 654 321');
    for (const s of [province, communeIn]) {
      const r = (await find(s)).json().items.find((x: { id: string }) => x.id === item.id);
      expect(r.contact).toBe('0987 654 321');
    }
  });
});

describe('scan pages are rate limited per client', () => {
  it(`${SCAN_LIMIT_PER_MINUTE} pages a minute per address, then a friendly 429 page in both languages; other clients go on`, async () => {
    const lot = await makeLot();
    const ip = '203.0.113.77';
    const codes: number[] = [];
    for (let i = 0; i < SCAN_LIMIT_PER_MINUTE; i++) codes.push((await scan(dl(lot.lotNumber, (i % 10) + 1), ip)).statusCode);
    expect(codes.every((c) => c === 200)).toBe(true);
    const limited = await scan(dl(lot.lotNumber, 1), ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatch(/vui lòng|thử lại/i);
    expect(limited.body).toMatch(/try again|too many/i);
    expect(limited.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await scan(`/t/0000000000`, ip)).statusCode).toBe(429); // short codes share the budget
    expect((await scan(dl(lot.lotNumber, 1), '203.0.113.78')).statusCode).toBe(200);
    // This machine (the benchmark, a proxy TRUST_PROXY does not look through) is not limited.
    expect((await scan(dl(lot.lotNumber, 1), '127.0.0.1')).statusCode).toBe(200);
  });
});

describe('flag flooding: made-up serials of a real lot', () => {
  it('400 requests for unknown serials become ONE open flag on the lot counting 400, not 400 flags', async () => {
    const lot = await makeLot();
    const started = Date.now();
    for (let i = 0; i < 400; i++) {
      const res = await scan(dl(lot.lotNumber, 100_000 + i));
      expect(res.statusCode).toBe(404);
    }
    await flushScanLogs();
    const flags = await t.dbh.query<{ kind: string; ref: string; scan_count: number; lot_id: string }>('select kind, ref, scan_count, lot_id from stamp_flags where lot_id = $1', [lot.id]);
    expect(flags).toEqual([{ kind: 'unknown_serial', ref: lot.id, scan_count: 400, lot_id: lot.id }]);
    // Nor any flag naming the lot in its ref (the old per-serial refs were "<lot id>/<serial>").
    const named = await t.dbh.query<{ n: number }>("select count(*)::int as n from stamp_flags where ref like $1 || '%'", [lot.id]);
    expect(named[0].n).toBe(1);
    // Every scan is still in the log (the evidence), with its serial.
    const logged = await t.dbh.query<{ n: number }>("select count(*)::int as n from stamp_scans where lot_id = $1 and outcome = 'unknown_serial' and serial >= 100000", [lot.id]);
    expect(logged[0].n).toBe(400);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('made-up lots of one GTIN: one flag for the GTIN', async () => {
    for (let i = 0; i < 30; i++) expect((await scan(dl(`FAKE-${seq}-${i}`, 1))).statusCode).toBe(404);
    await flushScanLogs();
    const flags = await t.dbh.query<{ kind: string; scan_count: number }>("select kind, scan_count from stamp_flags where ref = $1 and status = 'open'", [`/01/${gtin}`]);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ kind: 'unknown_lot' });
    expect(flags[0].scan_count).toBeGreaterThanOrEqual(30);
  });

  it('the flags list of the producer shows the one aggregated flag', async () => {
    const res = await call(t, producerS, 'GET', '/api/stamp-flags?pageSize=200');
    expect(res.statusCode, res.body).toBe(200);
    const unknown = res.json().items.filter((f: { kind: string }) => f.kind === 'unknown_serial');
    expect(unknown.length).toBeLessThanOrEqual(2);
    expectProblem(await call(t, producerS, 'POST', `/api/stamp-flags/${unknown[0].id}/dismiss`, { note: 'x' }), 403, 'FORBIDDEN');
  });
});
