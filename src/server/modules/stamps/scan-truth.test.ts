/**
 * The scan page tells the truth (#14 item 5): an expired lot, an expired standard, a revoked certificate or a failed
 * inspection is shown first and the page is then never green; journey steps in Vietnamese with their place codes and
 * inspection results; the stamp's scan count; stamps need a product photo; officers in scope (and only they) are
 * notified of buyers' reports and of flags past the threshold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, todayInVietnam } from '../../../shared/certificate-dates.js';
import { freshGtin14 } from '../../../../test/helpers/gs1.js';
import { buildTestApp, call, makeProducer, makeProduct, signIn, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { recordLegacy } from '../../../../test/helpers/certificates.js';
import { addProductPhoto, expectProblem } from '../../../../test/helpers/http.js';
import { flushScanLogs } from './scan-log.js';

let t: TestApp;
let province: Session;
let communeIn: Session;
let communeOut: Session;
let prod: Session;
let otherProd: Session;
let producer: { id: string };
/** Serials are unique per GTIN across lots (migration 0017): each lot gets a GTIN of its own, so its serials start at 1. */
const gtinOfLot = new Map<string, string>();
const freshGtin = () => freshGtin14('08936');
let seq = 0;
const today = todayInVietnam();
const past = addMonths(today, -2);
const future = addMonths(today, 6);

async function makeLot(productId: string, bestBefore: string | null) {
  const lotNumber = `T-${Math.random().toString(36).slice(2, 8).toUpperCase()}${(seq++).toString(36)}`;
  const gtin = freshGtin();
  gtinOfLot.set(lotNumber, gtin);
  const [row] = await t.dbh.query<{ id: string }>(
    `insert into lots (product_id, producer_id, lot_number, gtin, produced_on, quantity, quantity_unit, best_before)
     values ($1, $2, $3, $4, '2025-06-10', 100, 'KGM', $5) returning id`, [productId, producer.id, lotNumber, gtin, bestBefore]);
  return { id: row.id, lotNumber };
}
async function issue(lotId: string, count = 10) {
  const res = await call(t, prod, 'POST', `/api/lots/${lotId}/stamp-ranges`, { count });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; firstNo: number };
}
async function product(over: Record<string, unknown> = {}) {
  const p = await makeProduct(t, producer.id, { name: `Vải thiều kiểm tra ${seq++}`, ...over });
  await addProductPhoto(t, prod, p.id);
  return p;
}
const dl = (lotNumber: string, serial: number) => `/01/${gtinOfLot.get(lotNumber)}/10/${encodeURIComponent(lotNumber)}/21/${serial}`;
let ip = 1;
const page = (url: string) => t.app.inject({ method: 'GET', url, remoteAddress: `198.19.0.${(ip++ % 250) + 1}`, headers: { accept: 'text/html' } });
const notesOf = (s: Session, kind: string) => t.dbh.query<{ title: string; link: string | null; entity_id: string | null }>(
  'select title, link, entity_id from notifications where user_id = $1 and kind = $2 order by created_at', [s.userId, kind]);

/** The page's first banner comes before the first green one, and there is no green "valid" banner at all. */
function expectWarningFirst(body: string, warning: string) {
  const main = body.slice(body.indexOf('</header>'));
  const w = main.indexOf(warning);
  expect(w, warning).toBeGreaterThan(0);
  expect(main).not.toContain('class="s ok"');
  expect(main).not.toContain('Tem hợp lệ');
  // Nothing of the product card (or any other banner) before the warning.
  expect(main.indexOf('<div class="s ')).toBe(main.lastIndexOf('<div', w));
  expect(main.indexOf('<div class="card">')).toBeGreaterThan(w);
}

beforeAll(async () => {
  t = await buildTestApp();
  [province, communeIn] = await Promise.all([signIn(t, 'province_officer'), signIn(t, 'commune_officer')]);
  communeOut = await signIn(t, 'commune_officer', { unitKeys: ['bn-x-kien-lao'] });
  producer = await makeProducer(t);
  prod = await signIn(t, 'producer', { producerId: producer.id });
  const other = await makeProducer(t);
  otherProd = await signIn(t, 'producer', { producerId: other.id });
});
afterAll(async () => { await t?.close(); });

describe('warnings first, never green above them', () => {
  it('a lot past its best-before date: "đã hết hạn" first, the stamp only "genuine"; a lot still good is green', async () => {
    const p = await product();
    const old = await makeLot(p.id, past);
    await issue(old.id);
    const res = await page(dl(old.lotNumber, 3));
    expect(res.statusCode).toBe(200);
    expectWarningFirst(res.body, 'SẢN PHẨM ĐÃ HẾT HẠN SỬ DỤNG');
    expect(res.body).toContain('Tem số 3 thuộc lô');
    const en = await page(`${dl(old.lotNumber, 3)}?lang=en`);
    expectWarningFirst(en.body, 'PAST ITS BEST-BEFORE DATE');
    expect(en.body).not.toContain('Valid stamp');

    const good = await makeLot(p.id, future);
    await issue(good.id);
    const ok = await page(dl(good.lotNumber, 1));
    expect(ok.body).toContain('class="s ok"');
    expect(ok.body).toContain('Tem hợp lệ');
    expect(ok.body).not.toContain('HẾT HẠN');
    // The product's photo is on the page.
    expect(ok.body).toMatch(/<img src="\/anh\/[0-9a-f-]{36}"/);
  });

  it('an expired HACCP certification is a warning and listed as expired, never as applied', async () => {
    const p = await product({
      certifications: [
        { type: 'haccp', name: null, issuer: 'Tổ chức chứng nhận', number: 'HACCP-1', validFrom: '2022-01-01', validTo: past },
        { type: 'vietgap', name: null, issuer: 'Trung tâm', number: 'VG-9', validFrom: '2024-01-01', validTo: future },
      ],
    });
    const lot = await makeLot(p.id, future);
    await issue(lot.id);
    const res = await page(dl(lot.lotNumber, 2));
    expectWarningFirst(res.body, 'Chứng nhận tiêu chuẩn đã hết hiệu lực');
    expect(res.body).toMatch(/HACCP: hết hiệu lực từ ngày \d\d\/\d\d\/\d{4}/);
    expect(res.body).toMatch(/<span class="err">HACCP <small>\(hết hiệu lực từ/);
    expect(res.body).toMatch(/VietGAP <small>\(hiệu lực đến/);
  });

  it('a revoked OCOP certificate: "đã bị thu hồi" first, no stars, no green', async () => {
    const p = await product();
    const cert = await recordLegacy(t, p.id, { star: 4, decisionDate: addMonths(today, -3) });
    const lot = await makeLot(p.id, future);
    await issue(lot.id);
    expect((await page(dl(lot.lotNumber, 1))).body).toContain('Tem hợp lệ');
    const rev = await call(t, province, 'POST', `/api/certificates/${cert.id}/revoke`, { reason: 'inspection_violation' });
    expect(rev.statusCode, rev.body).toBe(200);
    const res = await page(dl(lot.lotNumber, 1));
    expectWarningFirst(res.body, 'GIẤY CHỨNG NHẬN OCOP ĐÃ BỊ THU HỒI');
    expect(res.body).not.toContain('4 sao');
  });
});

describe('journey, areas and scan count', () => {
  it('steps in Vietnamese (never raw CBV terms), place codes once, the inspection result; a failed inspection warns; areas show their issuer', async () => {
    const p = await product();
    const lot = await makeLot(p.id, future);
    const [area] = await t.dbh.query<{ id: string }>(
      "insert into growing_areas (code, crop, area_ha, unit_id, owner_name, issuing_authority) values ($1, 'Vải thiều', 3.5, $2, 'HTX', 'Chi cục Trồng trọt và BVTV') returning id",
      [`VN-T-${seq++}`, await unitId(t, 'bn-p-chu')]);
    await t.dbh.query('insert into lot_growing_areas (lot_id, growing_area_id) values ($1, $2)', [lot.id, area.id]);
    const ev = async (kind: string, time: string, over: { step?: string; disp?: string; place?: string; document?: unknown } = {}) => {
      const [e] = await t.dbh.query<{ id: string }>(
        `insert into trace_events (event_id, type, action, kind, event_time, event_tz, document, source, read_point, biz_step, disposition)
         values ($1, 'ObjectEvent', 'OBSERVE', $2, $3, '+07:00', $4::jsonb, 'import', $5, $6, $7) returning id`,
        [`urn:uuid:${crypto.randomUUID()}`, kind, time, JSON.stringify(over.document ?? {}), over.place ?? null, over.step ?? null, over.disp ?? null]);
      await t.dbh.query("insert into trace_event_lots (event_id, lot_id, role) values ($1, $2, 'subject')", [e.id, lot.id]);
    };
    await ev('harvest', '2025-06-10T05:30:00+07:00', {
      step: 'commissioning', place: 'http://localhost:3000/vung-trong/VN-A-01', document: { ilmd: { 'ocop:growingAreaCodes': ['VN-A-01', 'VN-A-02'] } },
    });
    await ev('inspection', '2025-06-10T10:00:00+07:00', { step: 'inspecting', disp: 'non_conformant' });
    await ev('other', '2025-06-11T08:00:00+07:00', { step: 'storing', place: 'http://localhost:3000/co-so-dong-goi/PH-9' });
    await ev('other', '2025-06-12T08:00:00+07:00', { step: 'receiving' });
    await issue(lot.id);
    const b = (await page(dl(lot.lotNumber, 4))).body;
    expectWarningFirst(b, 'Lô hàng có kết quả kiểm tra KHÔNG ĐẠT');
    expect(b).toContain('Thu hoạch — Vùng trồng VN-A-01, VN-A-02<');
    expect(b).not.toMatch(/Vùng trồng [^<]*Vùng trồng/);
    expect(b).toContain('Kiểm tra chất lượng: <b class="err">Không đạt</b>');
    expect(b).toContain('Lưu kho — Cơ sở đóng gói PH-9');
    expect(b).toContain('— Nhận hàng');
    const journey = b.slice(b.indexOf('Hành trình'), b.indexOf('id="bao-cao"'));
    for (const raw of ['commissioning', 'inspecting', 'storing', 'receiving', 'non_conformant']) expect(journey).not.toContain(raw);
    expect(b).toContain('Cơ quan cấp mã: Chi cục Trồng trọt và BVTV');
  });

  it('the page counts the scans of its stamp (this one included)', async () => {
    const p = await product();
    const lot = await makeLot(p.id, future);
    await issue(lot.id);
    expect((await page(dl(lot.lotNumber, 5))).body).toContain('Đây là lần đầu tiên tem này được quét');
    expect((await page(dl(lot.lotNumber, 5))).body).toContain('Tem này đã được quét 2 lần (kể cả lần này)');
    await flushScanLogs();
    expect((await page(dl(lot.lotNumber, 5))).body).toContain('đã được quét 3 lần');
    expect((await page(dl(lot.lotNumber, 6))).body).toContain('lần đầu tiên');
  });
});

describe('stamps need a product photo', () => {
  it('no photo: 422 with a Vietnamese title; another producer is refused (403) before that; with a photo it works', async () => {
    const p = await makeProduct(t, producer.id, { name: `Không ảnh ${seq++}` });
    const lot = await makeLot(p.id, future);
    expectProblem(await call(t, otherProd, 'POST', `/api/lots/${lot.id}/stamp-ranges`, { count: 5 }), 403);
    const body = expectProblem(await call(t, prod, 'POST', `/api/lots/${lot.id}/stamp-ranges`, { count: 5 }), 422, 'PRODUCT_PHOTO_REQUIRED');
    expect(body.title).toContain('chưa có ảnh');
    expect(await t.dbh.query('select 1 from stamp_ranges where lot_id = $1', [lot.id])).toHaveLength(0);
    await addProductPhoto(t, prod, p.id);
    await issue(lot.id, 5);
  });
});

describe('officers are notified, and only those in scope', () => {
  it('a buyer’s report reaches the commune officers covering the product’s commune, with a link; not another commune, not the province', async () => {
    const p = await product();
    const lot = await makeLot(p.id, future);
    await issue(lot.id);
    const form = await t.app.inject({
      method: 'POST', url: '/bao-cao', remoteAddress: '198.51.100.77',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ref: dl(lot.lotNumber, 2), lang: 'vi', category: 'counterfeit', message: 'Tem in mờ, nghi hàng giả' }).toString(),
    });
    expect(form.statusCode, form.body).toBe(200);
    const [report] = await t.dbh.query<{ id: string }>('select id from scan_reports where lot_id = $1', [lot.id]);
    const mine = (await notesOf(communeIn, 'scan_report')).filter((n) => n.entity_id === report.id);
    expect(mine).toEqual([expect.objectContaining({ link: `/trace/scans?productId=${p.id}`, title: expect.stringContaining('Nghi hàng giả') })]);
    expect((await notesOf(communeOut, 'scan_report')).filter((n) => n.entity_id === report.id)).toEqual([]);
    expect((await notesOf(province, 'scan_report')).filter((n) => n.entity_id === report.id)).toEqual([]);
    expect((await notesOf(prod, 'scan_report')).filter((n) => n.entity_id === report.id)).toEqual([]);
  });

  it('a lost stamp scanned up to the threshold (3) notifies the officers in scope once; another commune is not told', async () => {
    const p = await product();
    const lot = await makeLot(p.id, future);
    const range = await issue(lot.id);
    const lost = await call(t, prod, 'POST', `/api/stamp-ranges/${range.id}/stamps/4/status`, { status: 'lost', reason: 'Rơi mất khi vận chuyển' });
    expect(lost.statusCode, lost.body).toBe(200);
    const flagOf = async () => (await t.dbh.query<{ id: string; scan_count: number; notified_at: string | null }>(
      "select id, scan_count, notified_at from stamp_flags where kind = 'lost' and lot_id = $1", [lot.id]))[0];
    await page(dl(lot.lotNumber, 4));
    await page(dl(lot.lotNumber, 4));
    await flushScanLogs();
    const before = await flagOf();
    expect(before.scan_count).toBe(2);
    expect(before.notified_at).toBeNull();
    expect((await notesOf(communeIn, 'stamp_flag')).filter((n) => n.entity_id === before.id)).toEqual([]);
    await page(dl(lot.lotNumber, 4));
    await flushScanLogs();
    const after = await flagOf();
    expect(after.notified_at).not.toBeNull();
    const told = (await notesOf(communeIn, 'stamp_flag')).filter((n) => n.entity_id === after.id);
    expect(told).toEqual([expect.objectContaining({ link: `/trace/scans?productId=${p.id}`, title: expect.stringContaining('Quét tem đã báo mất') })]);
    expect((await notesOf(communeOut, 'stamp_flag')).filter((n) => n.entity_id === after.id)).toEqual([]);
    expect((await notesOf(province, 'stamp_flag')).filter((n) => n.entity_id === after.id)).toEqual([]);
    // Once: more scans do not notify again.
    await page(dl(lot.lotNumber, 4));
    await flushScanLogs();
    expect((await notesOf(communeIn, 'stamp_flag')).filter((n) => n.entity_id === after.id)).toHaveLength(1);
  });
});
