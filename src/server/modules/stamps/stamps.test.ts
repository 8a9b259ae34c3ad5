import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, todayInVietnam } from '../../../shared/certificate-dates.js';
import { makeShortCode } from '../../../shared/gs1.js';
import { freshGtin14, withCheckDigit } from '../../../../test/helpers/gs1.js';
import { buildTestApp, call, makeProducer, makeProduct, productInput, signIn, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { recordLegacy } from '../../../../test/helpers/certificates.js';
import { addProductPhoto, expectProblem, fileUpload, pngOf, scalar } from '../../../../test/helpers/http.js';
import { openScanClient } from './resolve.js';
import { createScanResolver } from './scan-cache.js';
import { flushScanLogs, SCAN_FLAG_THRESHOLD } from './scan-log.js';

let t: TestApp;
let province: Session;
let viewer: Session;
let council: Session;
let communeIn: Session;
let communeOut: Session;
let prodA: Session;
let prodB: Session;
let producerA: { id: string };
let productA: { id: string; name: string };
let productB: { id: string };
const BASE = 'http://localhost:3000';

let seq = 0;
const lotNo = () => `L-${Math.random().toString(36).slice(2, 9).toUpperCase()}${(seq++).toString(36)}`;
const gtin = withCheckDigit('0893500012345');

/** Serials are unique per GTIN across lots (migration 0017): each lot made here gets a GTIN of its own unless told,
 *  so its serials start at 1; `dl` finds the lot's GTIN by its number. */
const gtinOfLot = new Map<string, string>();
const freshGtin = () => freshGtin14('08939');

async function makeLot(productId: string, producerId: string, over: { gtin?: string | null; bestBefore?: string | null } = {}) {
  const lotNumber = lotNo();
  const lotGtin = over.gtin === undefined ? freshGtin() : over.gtin;
  if (lotGtin) gtinOfLot.set(lotNumber, lotGtin);
  const [row] = await t.dbh.query<{ id: string }>(
    `insert into lots (product_id, producer_id, lot_number, gtin, produced_on, quantity, quantity_unit, best_before)
     values ($1, $2, $3, $4, '2025-06-10', 1200, 'KGM', $5) returning id`,
    [productId, producerId, lotNumber, lotGtin, over.bestBefore === undefined ? '2030-12-31' : over.bestBefore]);
  return { id: row.id, lotNumber };
}

async function addEvent(kind: string, time: string, links: { lotId: string; role: string }[], place: string | null = null) {
  const type = kind === 'processing' ? 'TransformationEvent' : 'ObjectEvent';
  const [e] = await t.dbh.query<{ id: string }>(
    `insert into trace_events (event_id, type, action, kind, event_time, event_tz, document, source, read_point)
     values ($1, $2, $3, $4, $5, '+07:00', '{}'::jsonb, 'api', $6) returning id`,
    [`urn:uuid:${crypto.randomUUID()}`, type, type === 'TransformationEvent' ? null : 'ADD', kind, time, place]);
  for (const l of links) await t.dbh.query('insert into trace_event_lots (event_id, lot_id, role) values ($1, $2, $3)', [e.id, l.lotId, l.role]);
  return e.id;
}

async function issue(s: Session, lotId: string, count: number) {
  const res = await call(t, s, 'POST', `/api/lots/${lotId}/stamp-ranges`, { count });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const page = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });
const dl = (lotNumber: string, serial?: number | string) => `/01/${gtinOfLot.get(lotNumber) ?? gtin}/10/${encodeURIComponent(lotNumber)}${serial !== undefined ? `/21/${serial}` : ''}`;
const flagsOf = (ref: string) => t.dbh.query<{ kind: string; scan_count: number; status: string; product_id: string | null }>('select kind, scan_count, status, product_id from stamp_flags where ref = $1 order by kind', [ref]);

beforeAll(async () => {
  t = await buildTestApp();
  [province, viewer, council, communeIn] = await Promise.all([signIn(t, 'province_officer'), signIn(t, 'viewer'), signIn(t, 'council_member'), signIn(t, 'commune_officer')]);
  communeOut = await signIn(t, 'commune_officer', { unitKeys: ['bn-x-kien-lao'] });
  producerA = await makeProducer(t, { address: 'Thôn Hạ, xã Hồng Giang' });
  const producerB = await makeProducer(t);
  productA = await makeProduct(t, producerA.id, {
    name: `Vải thiều Lục Ngạn <sấy> ${seq++}`, brand: 'Vải Hồng Giang',
    certifications: [{ type: 'vietgap', name: null, issuer: 'Trung tâm Chứng nhận', number: 'VG-01', validFrom: '2024-01-01', validTo: '2027-01-01' }],
  });
  productB = await makeProduct(t, producerB.id);
  [prodA, prodB] = await Promise.all([signIn(t, 'producer', { producerId: producerA.id }), signIn(t, 'producer', { producerId: producerB.id })]);
  await addProductPhoto(t, prodA, productA.id);
  await addProductPhoto(t, prodB, productB.id);
});
afterAll(async () => { await t?.close(); });

describe('issuing stamp ranges', () => {
  it('serials continue after the lot’s last; stamp numbers are platform-wide without gaps; the write is audited', async () => {
    const lot = await makeLot(productA.id, producerA.id);
    const a = await issue(prodA, lot.id, 100);
    expect(a).toMatchObject({ lotId: lot.id, firstSerial: 1, lastSerial: 100, count: 100, status: 'active', exceptions: [], scanCount: 0, issuedBy: prodA.userId });
    expect(a.sampleUri).toBe(`${BASE}/01/${gtinOfLot.get(lot.lotNumber)}/10/${lot.lotNumber}/21/1`);
    const b = await issue(communeIn, lot.id, 50);
    expect(b).toMatchObject({ firstSerial: 101, lastSerial: 150, count: 50 });
    expect(b.firstNo).toBeGreaterThanOrEqual(a.firstNo + 100);
    const list = await call(t, viewer, 'GET', `/api/lots/${lot.id}/stamp-ranges`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().map((r: { firstSerial: number }) => r.firstSerial)).toEqual([1, 101]);
    const audit = await t.dbh.query<{ action: string; after: Record<string, unknown> }>("select action, after from audit_log where entity_type = 'stamp_range' and entity_id = $1", [a.id]);
    expect(audit).toEqual([{ action: 'create', after: expect.objectContaining({ firstSerial: 1, lastSerial: 100, firstNo: a.firstNo }) }]);
  });

  it('two issuances at the same time neither overlap nor leave a gap (serials per lot, numbers platform-wide)', async () => {
    const lot1 = await makeLot(productA.id, producerA.id);
    const lot2 = await makeLot(productA.id, producerA.id);
    const res = await Promise.all([
      call(t, prodA, 'POST', `/api/lots/${lot1.id}/stamp-ranges`, { count: 300 }),
      call(t, province, 'POST', `/api/lots/${lot1.id}/stamp-ranges`, { count: 200 }),
      call(t, prodA, 'POST', `/api/lots/${lot2.id}/stamp-ranges`, { count: 250 }),
    ]);
    for (const r of res) expect(r.statusCode, r.body).toBe(201);
    const [x, y] = res.slice(0, 2).map((r) => r.json()).sort((p, q) => p.firstSerial - q.firstSerial);
    expect([x.firstSerial, x.lastSerial + 1]).toEqual([1, y.firstSerial]);
    expect(y.lastSerial).toBe(500);
    // Platform-wide: every range starts right after the previous one.
    expect(await scalar(t, `select count(*) from (select first_no, lag(last_no) over (order by first_no) as prev from stamp_ranges) z
      where prev is not null and first_no <> prev + 1`)).toBe(0);
    expect(await scalar(t, 'select min(first_no) from stamp_ranges')).toBe(1);
  });

  it('refuses a count outside 1..100 000 and an unknown lot', async () => {
    const lot = await makeLot(productA.id, producerA.id);
    expectProblem(await call(t, prodA, 'POST', `/api/lots/${lot.id}/stamp-ranges`, { count: 0 }), 400, 'VALIDATION');
    expectProblem(await call(t, prodA, 'POST', `/api/lots/${lot.id}/stamp-ranges`, { count: 100_001 }), 400, 'VALIDATION');
    expectProblem(await call(t, province, 'POST', `/api/lots/${crypto.randomUUID()}/stamp-ranges`, { count: 5 }), 404, 'NOT_FOUND');
  });

  it('permissions: another producer, a viewer, a council member and an out-of-scope commune officer are refused', async () => {
    const lot = await makeLot(productA.id, producerA.id);
    const range = await issue(prodA, lot.id, 10);
    for (const s of [prodB, viewer, council, communeOut]) {
      expectProblem(await call(t, s, 'POST', `/api/lots/${lot.id}/stamp-ranges`, { count: 5 }), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'POST', `/api/stamp-ranges/${range.id}/status`, { status: 'inactive', reason: 'thử' }), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'POST', `/api/stamp-ranges/${range.id}/stamps/3/status`, { status: 'lost' }), 403, 'FORBIDDEN');
    }
    // Producer B does not even read A's stamps or labels; nobody anonymous does.
    expectProblem(await call(t, prodB, 'GET', `/api/lots/${lot.id}/stamp-ranges`), 403, 'FORBIDDEN');
    expectProblem(await call(t, prodB, 'GET', `/api/stamp-ranges/${range.id}/labels.pdf`), 403, 'FORBIDDEN');
    expectProblem(await call(t, null, 'GET', `/api/lots/${lot.id}/stamp-ranges`), 401, 'UNAUTHENTICATED');
    // Nothing was written by the refused calls.
    expect(await scalar(t, 'select count(*) from stamp_ranges where lot_id = $1', [lot.id])).toBe(1);
    expect(await scalar(t, "select count(*) from stamp_ranges where lot_id = $1 and status = 'active'", [lot.id])).toBe(1);
    expect(await scalar(t, 'select count(*) from stamp_exceptions where range_id = $1', [range.id])).toBe(0);
    // Readers read; the commune officer in scope writes.
    expect((await call(t, council, 'GET', `/api/lots/${lot.id}/stamp-ranges`)).statusCode).toBe(200);
    expect((await call(t, communeIn, 'POST', `/api/stamp-ranges/${range.id}/stamps/3/status`, { status: 'lost' })).statusCode).toBe(200);
  });
});

describe('the public scan page', () => {
  let lot: { id: string; lotNumber: string };
  let range: { id: string; firstNo: number };
  beforeAll(async () => {
    // Fresh lychee from a growing area, dried into this lot: the journey shows the upstream harvest.
    const fresh = await makeLot(productA.id, producerA.id);
    lot = await makeLot(productA.id, producerA.id);
    const [area] = await t.dbh.query<{ id: string }>(
      "insert into growing_areas (code, crop, area_ha, unit_id, owner_name) values ($1, 'Vải thiều', 12.5, $2, 'HTX') returning id",
      [`VN-BGLN-${Math.random().toString(36).slice(2, 8).toUpperCase()}`, await unitId(t, 'bn-p-chu')]);
    await t.dbh.query('insert into lot_growing_areas (lot_id, growing_area_id) values ($1, $2)', [fresh.id, area.id]);
    await addEvent('harvest', '2025-06-10T07:30:00+07:00', [{ lotId: fresh.id, role: 'subject' }], `${BASE}/vung-trong/VN-BGLN-0001`);
    await addEvent('processing', '2025-06-12T09:00:00+07:00', [{ lotId: fresh.id, role: 'input' }, { lotId: lot.id, role: 'output' }], `${BASE}/co-so-dong-goi/PH-01`);
    await addEvent('shipping', '2025-06-15T16:45:00+07:00', [{ lotId: lot.id, role: 'subject' }], null);
    await recordLegacy(t, productA.id, { star: 4, decisionDate: addMonths(todayInVietnam(), -2) });
    const up = fileUpload(await pngOf(800, 600), 'anh.png', 'image/png');
    const res = await t.app.inject({ method: 'POST', url: `/api/products/${productA.id}/photos`, payload: up.payload, headers: { ...up.headers, cookie: prodA.cookie, 'x-csrf-token': prodA.csrf } });
    expect(res.statusCode, res.body).toBe(201);
    range = await issue(prodA, lot.id, 30);
  });

  it('a valid stamp: product, producer, address, star and certificate valid today, standards, areas, journey with input lot; < 30 KB, no script', async () => {
    const res = await page(dl(lot.lotNumber, 7), { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148', 'x-forwarded-for': '203.0.113.9' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    // Security headers of their own (no script at all), fixed once instead of the app-wide per-request helmet build.
    expect(res.headers['content-security-policy']).toContain("script-src 'none'");
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['strict-transport-security']).toBeUndefined(); // PUBLIC_BASE_URL is http here
    const b = res.body;
    expect(b).toMatch(/^<!doctype html><html lang="vi">/);
    expect(Buffer.byteLength(b)).toBeLessThan(30 * 1024);
    expect(b).not.toMatch(/<script/i);
    expect(b).toContain('Tem hợp lệ');
    expect(b).toContain('Vải thiều Lục Ngạn &lt;sấy&gt;'); // escaped
    expect(b).not.toContain('<sấy>');
    expect(b).toContain('Vải Hồng Giang');
    expect(b).toContain('Thôn Hạ, xã Hồng Giang');
    expect(b).toContain(lot.lotNumber);
    expect(b).toContain(makeShortCode(range.firstNo + 6));
    expect(b).toContain('31/12/2030'); // best before
    expect(b).toContain('VietGAP');
    expect(b).toContain('4 sao');
    expect(b).toMatch(/Giấy chứng nhận còn hiệu lực đến \d\d\/\d\d\/\d{4}/);
    expect(b).toContain('Vùng trồng/vùng nguyên liệu');
    expect(b).toMatch(/VN-BGLN-[A-Z0-9]+<\/b> — Vải thiều, 12,5 ha/);
    // Journey: oldest first, Vietnam time, the input lot's harvest included.
    const i1 = b.indexOf('10/06/2025 07:30');
    const i2 = b.indexOf('12/06/2025 09:00');
    const i3 = b.indexOf('15/06/2025 16:45');
    expect(i1).toBeGreaterThan(0);
    expect(i1 < i2 && i2 < i3).toBe(true);
    expect(b).toContain('Thu hoạch — Vùng trồng VN-BGLN-0001');
    expect(b).toContain('Chế biến — Cơ sở đóng gói PH-01');
    expect(b).toMatch(/<img src="\/anh\/[0-9a-f-]{36}" width="480" height="360" loading="lazy"/);
    // The photo is served to anyone (its product carries stamps).
    const img = await page(b.match(/src="(\/anh\/[0-9a-f-]{36})"/)![1]);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/webp');
    // The scan row: outcome, stamp, coarse client, language; no IP, no user agent.
    await flushScanLogs();
    const rows = await t.dbh.query<Record<string, unknown>>('select * from stamp_scans where range_id = $1 and serial = 7', [range.id]);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]).sort()).toEqual(['client', 'id', 'lang', 'lot_id', 'outcome', 'product_id', 'range_id', 'scanned_at', 'serial']);
    expect(rows[0]).toMatchObject({ outcome: 'ok', client: 'mobile', lang: 'vi', lot_id: lot.id, product_id: productA.id });
    expect(JSON.stringify(rows)).not.toContain('203.0.113.9');
  });

  it('English with ?lang=en (html lang, switch link back), GS1 variants: GTIN-13, /22/ and query attributes', async () => {
    const en = await page(`${dl(lot.lotNumber, 8)}?lang=en`);
    expect(en.statusCode).toBe(200);
    expect(en.body).toMatch(/^<!doctype html><html lang="en">/);
    expect(en.body).toContain('Valid stamp');
    expect(en.body).toContain('Journey of the lot');
    expect(en.body).toContain(`href="${dl(lot.lotNumber, 8)}" hreflang="vi"`);
    const vi = await page(dl(lot.lotNumber, 8));
    expect(vi.body).toContain(`href="${dl(lot.lotNumber, 8)}?lang=en" hreflang="en"`);
    // A GTIN-13 is padded to the canonical GTIN-14 by a permanent redirect that keeps the query (public/resolver.ts).
    const short13 = await page(`/01/${gtinOfLot.get(lot.lotNumber)!.slice(1)}/22/A1/10/${lot.lotNumber}/21/8?17=261231&linkType=all`);
    expect(short13.statusCode, short13.body).toBe(308);
    expect(short13.headers.location).toBe(`/01/${gtinOfLot.get(lot.lotNumber)}/22/A1/10/${lot.lotNumber}/21/8?17=261231&linkType=all`);
    const canonical = await page(`/01/${gtinOfLot.get(lot.lotNumber)}/22/A1/10/${lot.lotNumber}/21/8?17=261231`);
    expect(canonical.statusCode, canonical.body).toBe(200);
    expect(canonical.body).toContain('Tem hợp lệ');
    expect(canonical.body).toContain('31/12/2026'); // the expiry date carried by the code, shown
    const lotPage = await page(dl(lot.lotNumber));
    expect(lotPage.statusCode).toBe(200);
    expect(lotPage.body).toContain('Thông tin lô hàng');
  });

  it('a deactivated range says so and raises an "inactive" flag; active again, the stamp is valid', async () => {
    const off = await call(t, prodA, 'POST', `/api/stamp-ranges/${range.id}/status`, { status: 'inactive', reason: 'In lỗi, đã huỷ' });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ status: 'inactive', statusReason: 'In lỗi, đã huỷ' });
    const res = await page(dl(lot.lotNumber, 9));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('TEM ĐÃ BỊ VÔ HIỆU HOÁ');
    expect(res.body).toContain('In lỗi, đã huỷ');
    expect(res.body).not.toContain('Tem hợp lệ');
    await page(dl(lot.lotNumber, 9));
    await flushScanLogs();
    expect(await flagsOf(`${lot.id}/9`)).toEqual([{ kind: 'inactive', scan_count: 2, status: 'open', product_id: productA.id }]);
    expectProblem(await call(t, prodA, 'POST', `/api/stamp-ranges/${range.id}/status`, { status: 'inactive' }), 400, 'VALIDATION'); // reason needed
    const on = await call(t, prodA, 'POST', `/api/stamp-ranges/${range.id}/status`, { status: 'active' });
    expect(on.json().status).toBe('active');
    expect((await page(dl(lot.lotNumber, 9))).body).toContain('Tem hợp lệ');
  });

  it('one stamp lost or inactive; active again removes the exception', async () => {
    const lost = await call(t, prodA, 'POST', `/api/stamp-ranges/${range.id}/stamps/11/status`, { status: 'lost', reason: 'Rơi khi vận chuyển' });
    expect(lost.statusCode, lost.body).toBe(200);
    expect(lost.json().exceptions).toEqual([{ serial: 11, status: 'lost', reason: 'Rơi khi vận chuyển' }]);
    const res = await page(dl(lot.lotNumber, 11));
    expect(res.body).toContain('TEM ĐÃ BỊ BÁO MẤT');
    const off = await call(t, prodA, 'POST', `/api/stamp-ranges/${range.id}/stamps/12/status`, { status: 'inactive', reason: 'Hỏng' });
    expect(off.statusCode).toBe(200);
    expect((await page(dl(lot.lotNumber, 12))).body).toContain('TEM ĐÃ BỊ VÔ HIỆU HOÁ');
    expect((await page(dl(lot.lotNumber, 10))).body).toContain('Tem hợp lệ');
    await flushScanLogs();
    expect((await flagsOf(`${lot.id}/11`)).map((f) => f.kind)).toEqual(['lost']);
    expect((await flagsOf(`${lot.id}/12`)).map((f) => f.kind)).toEqual(['inactive']);
    expectProblem(await call(t, prodA, 'POST', `/api/stamp-ranges/${range.id}/stamps/31/status`, { status: 'lost' }), 404, 'NOT_FOUND');
    const back = await call(t, prodA, 'POST', `/api/stamp-ranges/${range.id}/stamps/11/status`, { status: 'active' });
    expect(back.json().exceptions.map((x: { serial: number }) => x.serial)).toEqual([12]);
    expect((await page(dl(lot.lotNumber, 11))).body).toContain('Tem hợp lệ');
  });

  it('an unknown serial or lot: 404 page "có thể là hàng giả", flagged; a malformed code is not flagged', async () => {
    const res = await page(dl(lot.lotNumber, 31));
    expect(res.statusCode).toBe(404);
    // The resolver falls back to the lot (its page is public at its own address) under a warning (#14).
    expect(res.body).toContain('Không tìm thấy tem số &quot;31&quot; trong lô này — có thể là hàng giả');
    expect(res.body).not.toContain('Tem hợp lệ');
    expect((await page(dl(lot.lotNumber, '0031'))).statusCode).toBe(404);
    const noLot = await page(`/01/${gtinOfLot.get(lot.lotNumber)}/10/NO-SUCH-LOT/21/1`); // a known GTIN, an unknown lot
    expect(noLot.statusCode).toBe(404);
    // A known GTIN: the product's GTIN-level page under the warning (public/resolver.ts fallback).
    expect(noLot.body).toContain('Không tìm thấy lô hàng &quot;NO-SUCH-LOT&quot; của sản phẩm này — có thể là hàng giả');
    expect(noLot.body).not.toContain('Tem hợp lệ');
    const bad = await page('/01/08935000123450/10/X/21/1'); // wrong check digit
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Mã không hợp lệ');
    await flushScanLogs();
    // One open flag per lot for its unknown serials (31 and 0031), one per GTIN for its unknown lots.
    expect(await flagsOf(lot.id)).toEqual([{ kind: 'unknown_serial', scan_count: 2, status: 'open', product_id: productA.id }]);
    expect((await flagsOf(`/01/${gtinOfLot.get(lot.lotNumber)}`)).map((f) => f.kind)).toEqual(['unknown_lot']);
    expect(await scalar(t, "select count(*) from stamp_flags where ref like '%08935000123450%'")).toBe(0);
  });

  it('a stamp scanned more than the threshold in 24 hours is flagged, and the flag keeps counting', async () => {
    for (let i = 0; i < SCAN_FLAG_THRESHOLD; i++) await page(dl(lot.lotNumber, 20));
    await flushScanLogs();
    expect(await flagsOf(`${lot.id}/20`)).toEqual([]);
    await page(dl(lot.lotNumber, 20));
    await flushScanLogs();
    expect(await flagsOf(`${lot.id}/20`)).toEqual([{ kind: 'too_many_scans', scan_count: SCAN_FLAG_THRESHOLD + 1, status: 'open', product_id: productA.id }]);
    await page(dl(lot.lotNumber, 20));
    await page(`/t/${makeShortCode(range.firstNo + 19)}`); // the same stamp by its short code
    await flushScanLogs();
    expect((await flagsOf(`${lot.id}/20`))[0].scan_count).toBe(SCAN_FLAG_THRESHOLD + 3);
  });

  it('the report form: stored with the stamp found again from the address; 422 page in the chosen language', async () => {
    const form = (fields: Record<string, string>, ip = '198.51.100.7') => t.app.inject({
      method: 'POST', url: '/bao-cao', payload: new URLSearchParams(fields).toString(), remoteAddress: ip,
      // The client address is the socket's (TRUST_PROXY is off): a forged X-Forwarded-For changes nothing.
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.250' },
    });
    const page7 = (await page(dl(lot.lotNumber, 7))).body;
    expect(page7).toContain('<form method="post" action="/bao-cao">');
    const ref = page7.match(/name="ref" value="([^"]+)"/)![1];
    expect(ref).toBe(dl(lot.lotNumber, 7));
    const ok = await form({ ref, lang: 'vi', category: 'counterfeit', message: 'Tem trông khác  thường', contact: '0912 345 678' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.body).toContain('Cảm ơn bạn đã gửi phản ánh');
    expect(ok.body).not.toMatch(/<script/i);
    const [row] = await t.dbh.query<Record<string, unknown>>('select * from scan_reports where ref = $1', [ref]);
    expect(row).toMatchObject({ category: 'counterfeit', message: 'Tem trông khác  thường', contact: '0912 345 678', lot_id: lot.id, product_id: productA.id, range_id: range.id, serial: 7, lang: 'vi', status: 'new' });
    const bad = await form({ ref, lang: 'en', category: 'nonsense', message: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/<html lang="en">/);
    expect(bad.body).toContain('Choose the kind of problem');
    expect(bad.body).toContain('Write a message');
    // Rate limited per client address.
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await form({ ref, category: 'other', message: `m${i}` }, '192.0.2.44')).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 200)).toBe(true);
    expect(codes[10]).toBe(429);
  });
});

describe('short codes (products without a GTIN)', () => {
  it('the stamp URI is /t/<code>; the code resolves; a mistyped code is refused', async () => {
    const lot = await makeLot(productA.id, producerA.id, { gtin: null, bestBefore: null });
    const r = await issue(prodA, lot.id, 5);
    const code = makeShortCode(r.firstNo);
    expect(r.sampleUri).toBe(`${BASE}/t/${code}`);
    const res = await page(`/t/${code.toLowerCase()}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Tem hợp lệ');
    expect(res.body).toContain('Không ghi'); // no best-before
    const typo = code.slice(0, -1) + (code.endsWith('0') ? '1' : '0');
    expect((await page(`/t/${typo}`)).statusCode).toBe(404);
    // A code beyond every range issued so far.
    const beyond = makeShortCode(10_000_000_000);
    const nf = await page(`/t/${beyond}`);
    expect(nf.statusCode).toBe(404);
    expect(nf.body).toContain('Không tìm thấy tem này');
    await flushScanLogs();
    expect((await flagsOf('/t/')).map((f) => f.kind)).toEqual(['unknown_serial']);
  });
});

describe('the scan pages cache (in-process, invalidated by this process’s writes)', () => {
  let product: { id: string; name: string };
  let raw: { id: string; lotNumber: string };
  let lot: { id: string; lotNumber: string };
  let range: { id: string; firstNo: number };
  beforeAll(async () => {
    product = await makeProduct(t, producerA.id, { name: `Vải sấy bộ nhớ đệm ${seq++}` });
    await addProductPhoto(t, prodA, product.id);
    raw = await makeLot(product.id, producerA.id);
    lot = await makeLot(product.id, producerA.id);
    await addEvent('processing', '2025-06-12T09:00:00+07:00', [{ lotId: raw.id, role: 'input' }, { lotId: lot.id, role: 'output' }], null);
    range = await issue(prodA, lot.id, 20);
  });

  it('a write by another process (straight into the database) reaches the cached page within about a second; deactivating through the app shows at once', async () => {
    expect((await page(dl(lot.lotNumber, 2))).body).toContain('Tem hợp lệ');
    // As another app process would: this process learns it from the scan_changes log (polled every second).
    await t.dbh.query("update stamp_ranges set status = 'inactive', status_reason = 'ghi trực tiếp' where id = $1", [range.id]);
    const started = Date.now();
    let body = '';
    while (Date.now() - started < 5000) {
      body = (await page(dl(lot.lotNumber, 2))).body;
      if (body.includes('ghi trực tiếp')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(body).toContain('TEM ĐÃ BỊ VÔ HIỆU HOÁ');
    expect(Date.now() - started).toBeLessThan(3000);
    await t.dbh.query("update stamp_ranges set status = 'active', status_reason = null where id = $1", [range.id]);
    // Through the service: announced after commit, the next scan says deactivated.
    const off = await call(t, prodA, 'POST', `/api/stamp-ranges/${range.id}/status`, { status: 'inactive', reason: 'Nghi bị sao chép' });
    expect(off.statusCode, off.body).toBe(200);
    const res = await page(dl(lot.lotNumber, 2));
    expect(res.body).toContain('TEM ĐÃ BỊ VÔ HIỆU HOÁ');
    expect(res.body).toContain('Nghi bị sao chép');
    expect((await page(`/t/${makeShortCode(range.firstNo + 4)}`)).body).toContain('TEM ĐÃ BỊ VÔ HIỆU HOÁ');
    expect((await call(t, prodA, 'POST', `/api/stamp-ranges/${range.id}/status`, { status: 'active' })).statusCode).toBe(200);
    expect((await page(dl(lot.lotNumber, 2))).body).toContain('Tem hợp lệ');
    // One stamp reported lost.
    expect((await call(t, prodA, 'POST', `/api/stamp-ranges/${range.id}/stamps/3/status`, { status: 'lost', reason: 'Rơi mất' })).statusCode).toBe(200);
    expect((await page(dl(lot.lotNumber, 3))).body).toContain('Rơi mất');
    expect((await page(dl(lot.lotNumber, 4))).body).toContain('Tem hợp lệ');
  });

  it('an event recorded on the lot, or on its input lot upstream, shows in the journey of a cached page', async () => {
    const before = await page(dl(lot.lotNumber, 5));
    expect(before.body).not.toContain('Xuất hàng');
    expect(before.body).not.toContain('Kiểm tra chất lượng');
    const ship = await call(t, prodA, 'POST', '/api/trace-events', { kind: 'shipping', lotId: lot.id, eventTime: '2025-06-20T08:00:00+07:00', destination: 'Chợ Long Biên' });
    expect(ship.statusCode, ship.body).toBe(201);
    const after = await page(dl(lot.lotNumber, 5));
    expect(after.body).toContain('20/06/2025 08:00');
    expect(after.body).toContain('Xuất hàng');
    // The input (fresh) lot's inspection appears on the dried lot's page too (the journey follows transformations).
    const insp = await call(t, prodA, 'POST', '/api/trace-events', { kind: 'inspection', lotId: raw.id, eventTime: '2025-06-11T10:15:00+07:00', result: 'conformant', inspector: 'Chi cục Trồng trọt' });
    expect(insp.statusCode, insp.body).toBe(201);
    const up = await page(dl(lot.lotNumber, 5));
    expect(up.body).toContain('11/06/2025 10:15');
    expect(up.body).toContain('Kiểm tra chất lượng');
  });

  it('a certificate revoked after the page was cached: the page says revoked; a product edit shows too', async () => {
    const cert = await recordLegacy(t, product.id, { star: 4, decisionDate: addMonths(todayInVietnam(), -3) });
    const other = await makeLot(product.id, producerA.id);
    const r = await issue(prodA, other.id, 3);
    const valid = await page(dl(other.lotNumber, 1));
    expect(valid.body).toContain('4 sao');
    expect(valid.body).not.toContain('Giấy chứng nhận đã bị thu hồi');
    const rev = await call(t, province, 'POST', `/api/certificates/${cert.id}/revoke`, { reason: 'inspection_violation' });
    expect(rev.statusCode, rev.body).toBe(200);
    for (const url of [dl(other.lotNumber, 1), `/t/${makeShortCode(r.firstNo + 1)}`]) {
      const res = await page(url);
      expect(res.body).toContain('Giấy chứng nhận đã bị thu hồi');
      expect(res.body).not.toContain('4 sao');
    }
    const p = (await call(t, prodA, 'GET', `/api/products/${product.id}`)).json();
    const { recognition: _r, ...input } = await productInput(t, producerA.id, { name: `${product.name} (đổi tên)` });
    const put = await call(t, prodA, 'PUT', `/api/products/${product.id}`, { ...input, version: p.version });
    expect(put.statusCode, put.body).toBe(200);
    expect((await page(dl(other.lotNumber, 1))).body).toContain(`${product.name} (đổi tên)`);
  });

  it('bounded (least recently used lot dropped); other processes’ writes arrive through the change log; the TTL is the safety net; 0 lots = no cache', async () => {
    let clock = 1_000_000;
    const scan = openScanClient(t.dbh.db);
    const cache = createScanResolver(scan.client, { maxLots: 1, ttlMs: 30_000, now: () => clock, pollMs: 0 });
    const off = createScanResolver(scan.client, { maxLots: 0 });
    try {
      const other = await makeLot(product.id, producerA.id);
      await issue(prodA, other.id, 2);
      expect((await cache.byLink(gtinOfLot.get(lot.lotNumber)!, lot.lotNumber, 1))?.rangeStatus).toBe('active');
      expect((await cache.byLink(gtinOfLot.get(other.lotNumber)!, other.lotNumber, 1))?.lotId).toBe(other.id);
      expect(cache.size).toBe(1);
      expect(cache.stats).toMatchObject({ hits: 0, misses: 2 });
      await cache.byLink(gtinOfLot.get(other.lotNumber)!, other.lotNumber, 2);
      expect(cache.stats).toMatchObject({ hits: 1, misses: 2 });
      // Written by another process: the cached page stays until the change log is read (here: by hand, no timer)…
      await t.dbh.query('update lots set best_before = $2 where id = $1', [other.id, '2030-01-02']);
      expect((await cache.byLink(gtinOfLot.get(other.lotNumber)!, other.lotNumber, 1))?.lot.bestBefore).toBe('2030-12-31');
      expect((await off.byLink(gtinOfLot.get(other.lotNumber)!, other.lotNumber, 1))?.lot.bestBefore).toBe('2030-01-02');
      await cache.syncChanges();
      expect((await cache.byLink(gtinOfLot.get(other.lotNumber)!, other.lotNumber, 1))?.lot.bestBefore).toBe('2030-01-02');
      // … and a producer's edit drops that producer's lots (the page shows its name and address).
      await t.dbh.query("update producers set address = 'Địa chỉ mới' where id = $1", [producerA.id]);
      await cache.syncChanges();
      expect((await cache.byLink(gtinOfLot.get(other.lotNumber)!, other.lotNumber, 1))?.lot.producerAddress).toBe('Địa chỉ mới');
      await t.dbh.query("update producers set address = 'Thôn Hạ, xã Hồng Giang' where id = $1", [producerA.id]);
      await cache.syncChanges();
      expect((await cache.byLink(gtinOfLot.get(other.lotNumber)!, other.lotNumber, 1))?.lot.producerAddress).toBe('Thôn Hạ, xã Hồng Giang');
      // A change the log missed is still seen after the TTL (the safety net), not before.
      await t.dbh.query('update lots set best_before = $2 where id = $1', [other.id, '2031-03-04']);
      await t.dbh.query("delete from scan_changes where kind = 'lot' and ref = $1", [other.id]);
      await cache.syncChanges();
      clock += 29_000;
      expect((await cache.byLink(gtinOfLot.get(other.lotNumber)!, other.lotNumber, 1))?.lot.bestBefore).toBe('2030-01-02');
      clock += 1_001;
      expect((await cache.byLink(gtinOfLot.get(other.lotNumber)!, other.lotNumber, 1))?.lot.bestBefore).toBe('2031-03-04');
    } finally {
      cache.close();
      await scan.close();
    }
  });

  it('stamps issued after the lot was cached resolve at once (Digital Link and short code), and so does a range another process inserted', async () => {
    expect((await page(dl(lot.lotNumber, 20))).statusCode).toBe(200);
    expect((await page(dl(lot.lotNumber, 21))).statusCode).toBe(404);
    const more = await issue(prodA, lot.id, 5); // serials 21–25
    // (The product's certificate was revoked above: the stamp is genuine, the page is not green.)
    expect((await page(dl(lot.lotNumber, 21))).body).toContain('Tem số 21 thuộc lô');
    expect((await page(`/t/${makeShortCode(more.firstNo + 4)}`)).body).toContain('Tem số 25 thuộc lô');
    // Another process's issuance is not announced here: the cached lot checks an unknown serial with the database.
    await t.dbh.query(`insert into stamp_ranges (lot_id, first_serial, last_serial, first_no)
      values ($1, 26, 27, (select max(last_no) + 1 from stamp_ranges))`, [lot.id]);
    expect((await page(dl(lot.lotNumber, 27))).body).toContain('Tem số 27 thuộc lô');
    expect((await page(dl(lot.lotNumber, 28))).statusCode).toBe(404);
  });
});

function pdfText(pdf: Buffer) {
  const f = path.join(os.tmpdir(), `labels-${process.pid}-${Date.now()}.pdf`);
  fs.writeFileSync(f, pdf);
  try {
    return {
      text: execFileSync('/usr/bin/pdftotext', [f, '-'], { encoding: 'utf8' }),
      pages: Number(/Pages:\s+(\d+)/.exec(execFileSync('/usr/bin/pdfinfo', [f], { encoding: 'utf8' }))![1]),
    };
  } finally {
    fs.rmSync(f, { force: true });
  }
}

describe('labels', () => {
  let lot: { id: string; lotNumber: string };
  let range: { id: string; firstNo: number };
  beforeAll(async () => {
    lot = await makeLot(productA.id, producerA.id);
    range = await issue(prodA, lot.id, 100);
  });

  it('a4-65: 100 labels on two pages, each with serial, code and the Vietnamese product name', async () => {
    const res = await call(t, viewer, 'GET', `/api/stamp-ranges/${range.id}/labels.pdf?layout=a4-65`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const { text, pages } = pdfText(res.rawPayload);
    expect(pages).toBe(2);
    expect(text.match(/Sê-ri: \d+/g)).toHaveLength(100);
    expect(text).toContain(`Mã: ${makeShortCode(range.firstNo + 99)}`);
    expect(text).toContain('Vải thiều');
  });

  it('a4-24 and roll-50x30 page counts; from/to; more than 5 000 labels or a range outside → 422', async () => {
    const a24 = pdfText((await call(t, prodA, 'GET', `/api/stamp-ranges/${range.id}/labels.pdf?layout=a4-24&from=11&to=40`)).rawPayload);
    expect(a24.pages).toBe(2);
    expect(a24.text.match(/Sê-ri: \d+/g)).toHaveLength(30);
    const roll = pdfText((await call(t, prodA, 'GET', `/api/stamp-ranges/${range.id}/labels.pdf?layout=roll-50x30&from=5&to=7`)).rawPayload);
    expect(roll.pages).toBe(3);
    expectProblem(await call(t, prodA, 'GET', `/api/stamp-ranges/${range.id}/labels.pdf?from=90&to=101`), 422, 'TRACE_INVALID');
    const big = await issue(prodA, lot.id, 6000);
    const tooMany = expectProblem(await call(t, prodA, 'GET', `/api/stamp-ranges/${big.id}/labels.pdf`), 422, 'TRACE_INVALID');
    expect(tooMany.detail).toContain('5.000');
  });

  it('one label as SVG carries the URI', async () => {
    const res = await call(t, prodA, 'GET', `/api/stamp-ranges/${range.id}/labels/42.svg`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.body).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(res.body).toContain(`<desc>${BASE}/01/${gtinOfLot.get(lot.lotNumber)}/10/${lot.lotNumber}/21/42</desc>`);
    expect(res.body).toContain('Sê-ri: 42');
    expect(res.body).not.toMatch(/<script/i);
    expectProblem(await call(t, prodA, 'GET', `/api/stamp-ranges/${range.id}/labels/101.svg`), 422, 'TRACE_INVALID');
  });
});

describe('officer views: flags, reports, statistics', () => {
  it('flags are listed in scope and dismissed only by officers in scope', async () => {
    const lotB = await makeLot(productB.id, (await t.dbh.query<{ producer_id: string }>('select producer_id from products where id = $1', [productB.id]))[0].producer_id);
    await issue(province, lotB.id, 3);
    await page(dl(lotB.lotNumber, 99)); // unknown serial of B's lot
    await flushScanLogs();
    const mine = await call(t, prodA, 'GET', '/api/stamp-flags?pageSize=200');
    expect(mine.statusCode, mine.body).toBe(200);
    // Producer A's products: productA and the cache tests' product.
    const ownIds = new Set((await t.dbh.query<{ id: string }>('select id from products where producer_id = $1', [producerA.id])).map((r) => r.id));
    expect(mine.json().items.every((f: { product: { id: string } | null }) => ownIds.has(f.product?.id ?? ''))).toBe(true);
    expect(mine.json().items.length).toBeGreaterThan(0);
    const out = await call(t, communeOut, 'GET', '/api/stamp-flags');
    expect(out.json().items.filter((f: { product: { id: string } | null }) => f.product?.id === productA.id)).toEqual([]);
    const all = await call(t, viewer, 'GET', `/api/stamp-flags?productId=${productB.id}`);
    const flag = all.json().items.find((f: { ref: string; kind: string }) => f.ref === lotB.id && f.kind === 'unknown_serial');
    expect(flag).toMatchObject({ kind: 'unknown_serial', lot: { id: lotB.id, lotNumber: lotB.lotNumber }, serial: 99, scanCount: 1, status: 'open' });
    for (const s of [viewer, council, prodB, communeOut]) expectProblem(await call(t, s, 'POST', `/api/stamp-flags/${flag.id}/dismiss`, { note: 'x' }), 403, 'FORBIDDEN');
    const d = await call(t, communeIn, 'POST', `/api/stamp-flags/${flag.id}/dismiss`, { note: 'Khách gõ nhầm' });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ status: 'dismissed', note: 'Khách gõ nhầm' });
    expectProblem(await call(t, communeIn, 'POST', `/api/stamp-flags/${flag.id}/dismiss`, { note: 'again' }), 409);
    // A new scan opens a new flag (the dismissed one stays dismissed).
    await page(dl(lotB.lotNumber, 99));
    await flushScanLogs();
    expect((await flagsOf(lotB.id)).filter((f) => f.kind === 'unknown_serial').map((f) => f.status).sort()).toEqual(['dismissed', 'open']);
  });

  it('reports are listed in scope; officers in scope mark them reviewed or closed', async () => {
    const list = await call(t, prodA, 'GET', '/api/scan-reports?pageSize=200');
    expect(list.statusCode, list.body).toBe(200);
    const rep = list.json().items.find((r: { category: string }) => r.category === 'counterfeit');
    expect(rep).toMatchObject({ kind: 'counterfeit', product: { id: productA.id }, serial: 7, status: 'new' });
    expect((await call(t, prodB, 'GET', '/api/scan-reports?pageSize=200')).json().items.filter((r: { id: string }) => r.id === rep.id)).toEqual([]);
    expectProblem(await call(t, prodA, 'POST', `/api/scan-reports/${rep.id}/status`, { status: 'closed' }), 403, 'FORBIDDEN');
    expectProblem(await call(t, communeOut, 'POST', `/api/scan-reports/${rep.id}/status`, { status: 'closed' }), 403, 'FORBIDDEN');
    const done = await call(t, province, 'POST', `/api/scan-reports/${rep.id}/status`, { status: 'reviewed', note: 'Đã liên hệ chủ thể' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'reviewed', note: 'Đã liên hệ chủ thể' });
  });

  it('scan statistics per day, product and unit, scoped', async () => {
    await flushScanLogs();
    const s = await call(t, province, 'GET', `/api/scan-stats?productId=${productA.id}`);
    expect(s.statusCode, s.body).toBe(200);
    const body = s.json();
    const n = await scalar(t, 'select count(*) from stamp_scans where product_id = $1', [productA.id]);
    expect(body.total).toBe(n);
    expect(body.byProduct).toEqual([{ productId: productA.id, productName: productA.name, scans: n }]);
    expect(body.byUnit).toEqual([{ unitId: await unitId(t, 'bn-p-chu'), unitName: expect.any(String), scans: n }]);
    // The growing area is the fresh lot's; the scans are of the dried lot made from it (one transformation upstream).
    const dried = await scalar(t, `select count(*) from stamp_scans s where s.product_id = $1 and exists (
      select 1 from trace_event_lots o join trace_event_lots i on i.event_id = o.event_id and i.role = 'input'
      join lot_growing_areas lga on lga.lot_id = i.lot_id where o.lot_id = s.lot_id and o.role = 'output')`, [productA.id]);
    expect(dried).toBeGreaterThan(0);
    expect(body.byArea).toEqual([{ areaId: expect.any(String), code: expect.stringMatching(/^VN-BGLN-/), crop: 'Vải thiều', scans: dried }]);
    expect(body.days.at(-1)).toMatchObject({ date: todayInVietnam(), scans: n });
    expect(body.days.at(-1).flagged).toBeGreaterThan(0);
    const other = await call(t, prodB, 'GET', `/api/scan-stats?productId=${productA.id}`);
    expect(other.json().total).toBe(0);
    const out = await call(t, communeOut, 'GET', '/api/scan-stats');
    expect(out.json().byProduct.find((p: { productId: string }) => p.productId === productA.id)).toBeUndefined();
    expectProblem(await call(t, province, 'GET', '/api/scan-stats?from=2026-01-10&to=2026-01-01'), 400, 'VALIDATION');
  });
});
