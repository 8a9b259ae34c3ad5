/**
 * The GS1 resolver (public/resolver.ts) through app.inject on a real database: primary key forms, canonical
 * redirects, fallback serial → lot → GTIN, linkType, linksets and the Link header, content negotiation, the
 * resolver description, compressed links and data attributes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, todayInVietnam } from '../../../shared/certificate-dates.js';
import { buildTestApp, call, makeProducer, makeProduct, signIn, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { recordLegacy } from '../../../../test/helpers/certificates.js';
import { addProductPhoto, expectProblem } from '../../../../test/helpers/http.js';
import { compressForTest } from '../../../../test/helpers/gs1-compress.js';
import { freshGtin14, giveGtin } from '../../../../test/helpers/gs1.js';
import { flushScanLogs } from '../stamps/scan-log.js';

let t: TestApp;
let prod: Session;
let product: { id: string; name: string };
let lot: { id: string; lotNumber: string };
let certNumber: string;
const BASE = 'http://localhost:3000';

/** A GTIN-14 with a leading zero (so it has a GTIN-13 form) no other test file uses (PostgreSQL runs share a database). */
const freshGtin = () => freshGtin14('0952');
const gtin = freshGtin();
const otherGtin = freshGtin(); // a well-formed GTIN nobody declares

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });

beforeAll(async () => {
  t = await buildTestApp();
  const producer = await makeProducer(t, { address: 'Thôn Đông, xã Tân Mộc' });
  product = await makeProduct(t, producer.id, { name: `Mật ong rừng ${Date.now()}`, brand: 'Ong Tân Mộc' });
  prod = await signIn(t, 'producer', { producerId: producer.id });
  const lotNumber = `LOT-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
  const [row] = await t.dbh.query<{ id: string }>(
    `insert into lots (product_id, producer_id, lot_number, gtin, produced_on, quantity, quantity_unit, best_before)
     values ($1, $2, $3, $4, '2026-06-10', 100, 'KGM', '2027-06-10') returning id`, [product.id, producer.id, lotNumber, gtin]);
  lot = { id: row.id, lotNumber };
  await addProductPhoto(t, prod, product.id); // stamps are issued only for products with a photo
  const issued = await call(t, prod, 'POST', `/api/lots/${lot.id}/stamp-ranges`, { count: 10 });
  expect(issued.statusCode, issued.body).toBe(201);
  const cert = await recordLegacy(t, product.id, { star: 4, decisionDate: addMonths(todayInVietnam(), -2) });
  certNumber = (cert as { number: string }).number;
  const put = await call(t, prod, 'PUT', `/api/products/${product.id}/links`, { links: [
    { linkType: 'gs1:instructions', href: 'https://ongtanmoc.vn/huong-dan', title: 'Hướng dẫn sử dụng', lang: 'vi', isDefault: true },
    { linkType: 'gs1:instructions', href: 'https://ongtanmoc.vn/en/instructions', title: 'Instructions', lang: 'en' },
    { linkType: 'ocop:catalogue', href: 'https://cho.ocop.vn/mat-ong', title: 'Mua trên chợ OCOP', lang: 'vi' },
  ] });
  expect(put.statusCode, put.body).toBe(200);
});
afterAll(async () => { await t?.close(); });

describe('primary key forms and canonical URIs', () => {
  it('/01/<GTIN>: the GTIN-level page (product, certificate, links); no lot, no stamp', async () => {
    const res = await get(`/01/${gtin}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Thông tin sản phẩm');
    expect(res.body).toContain(product.name);
    expect(res.body).toContain('Ong Tân Mộc');
    expect(res.body).toContain(certNumber);
    expect(res.body).toContain('https://ongtanmoc.vn/huong-dan');
    expect(res.body).not.toContain('Tem hợp lệ');
    expect(res.body).not.toContain('<script');
  });

  it('a product that carries its GTIN but has no lot yet: the GTIN page still finds it (the GTIN belongs to the product)', async () => {
    const producer = await makeProducer(t);
    const fresh = await makeProduct(t, producer.id, { name: `Trà hoa vàng ${Date.now()}` });
    const { gtin14 } = await giveGtin(t, producer.id, fresh.id);
    const res = await get(`/01/${gtin14}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain(fresh.name);
  });

  it('/01/<GTIN>/10/<lot>: the lot page; /10/<lot>/21/<serial>: the stamp page', async () => {
    const lotPage = await get(`/01/${gtin}/10/${lot.lotNumber}`);
    expect(lotPage.statusCode).toBe(200);
    expect(lotPage.body).toContain('Thông tin lô hàng');
    const stamp = await get(`/01/${gtin}/10/${lot.lotNumber}/21/3`);
    expect(stamp.statusCode).toBe(200);
    expect(stamp.body).toContain('Tem hợp lệ');
  });

  it('/01/<GTIN>/21/<serial> without the lot finds the stamp by its serial', async () => {
    const res = await get(`/01/${gtin}/21/4`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Tem hợp lệ');
    expect(res.body).toContain(lot.lotNumber);
    // The report form names the full address, so the report finds the stamp again.
    expect(res.body).toContain(`value="/01/${gtin}/10/${lot.lotNumber}/21/4"`);
    const unknown = await get(`/01/${gtin}/21/999`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('Không tìm thấy tem số &quot;999&quot; của sản phẩm này');
    expect(unknown.body).not.toContain('Tem hợp lệ');
  });

  it('GTIN-13 and the alphabetic codes → 308 to the canonical GTIN-14 URI, query kept', async () => {
    const short = await get(`/01/${gtin.slice(1)}/10/${lot.lotNumber}?17=271231`);
    expect(short.statusCode).toBe(308);
    expect(short.headers.location).toBe(`/01/${gtin}/10/${lot.lotNumber}?17=271231`);
    const alpha = await get(`/gtin/${gtin}/lot/${lot.lotNumber}`);
    expect(alpha.statusCode).toBe(308);
    expect(alpha.headers.location).toBe(`/01/${gtin}/10/${lot.lotNumber}`);
    const slash = await get(`/01/${gtin}/`);
    expect(slash.statusCode).toBe(308);
    expect(slash.headers.location).toBe(`/01/${gtin}`);
  });

  it('a wrong check digit or qualifiers out of order → 400 (HTML in Vietnamese, problem+json for a linkset)', async () => {
    const wrong = `${gtin.slice(0, 13)}${(Number(gtin[13]) + 1) % 10}`;
    const bad = await get(`/01/${wrong}/10/${lot.lotNumber}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Mã GTIN sai số kiểm tra');
    const order = await get(`/01/${gtin}/21/1/10/${lot.lotNumber}`);
    expect(order.statusCode).toBe(400);
    expect(order.body).toContain('Thứ tự định danh phụ sai');
    expectProblem(await get(`/01/${wrong}?linkType=all`), 400, 'VALIDATION');
  });
});

describe('fallback serial → lot → GTIN', () => {
  it('an unknown serial of a known lot: the lot page under a warning, 404, flagged as an unknown serial', async () => {
    const res = await get(`/01/${gtin}/10/${lot.lotNumber}/21/77`);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Không tìm thấy tem số &quot;77&quot; trong lô này');
    expect(res.body).toContain('Thông tin lô hàng');
    expect(res.body).toContain('Thôn Đông');
    expect(res.body).not.toContain('Tem hợp lệ');
    await flushScanLogs();
    const flags = await t.dbh.query<{ kind: string }>("select kind from stamp_flags where ref = $1 and status = 'open'", [lot.id]);
    expect(flags.map((f) => f.kind)).toEqual(['unknown_serial']);
  });

  it('an unknown lot of a known GTIN: the GTIN page under a warning, 404; an unknown GTIN: 404 page', async () => {
    const res = await get(`/01/${gtin}/10/NO-SUCH/21/1`);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Không tìm thấy lô hàng &quot;NO-SUCH&quot; của sản phẩm này');
    expect(res.body).toContain(product.name);
    expect(res.body).not.toContain('Tem hợp lệ');
    const none = await get(`/01/${otherGtin}`);
    expect(none.statusCode).toBe(404);
    expect(none.body).toContain('Không tìm thấy sản phẩm có mã này');
    const noneLot = await get(`/01/${otherGtin}/10/X1/21/1`);
    expect(noneLot.statusCode).toBe(404);
    expect(noneLot.body).toContain('Không tìm thấy lô hàng này');
  });
});

describe('links: linkType, linkset, Link header, negotiation', () => {
  it('?linkType=all and Accept: application/linkset+json or application/json → RFC 9264 linkset', async () => {
    for (const [url, accept] of [[`/01/${gtin}/10/${lot.lotNumber}/21/2?linkType=all`, 'text/html'], [`/01/${gtin}/10/${lot.lotNumber}/21/2`, 'application/linkset+json'], [`/01/${gtin}/10/${lot.lotNumber}/21/2`, 'application/json']]) {
      const res = await get(url, { accept });
      expect(res.statusCode, url + accept).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/linkset\+json/);
      const body = res.json() as { linkset: Record<string, unknown>[] };
      const set = body.linkset[0];
      expect(set.anchor).toBe(`${BASE}/01/${gtin}/10/${lot.lotNumber}/21/2`);
      expect(set['https://gs1.org/voc/defaultLink']).toContainEqual({ href: `${BASE}/01/${gtin}/10/${lot.lotNumber}/21/2`, title: 'Trang truy xuất nguồn gốc', type: 'text/html', hreflang: ['vi'] });
      expect(set['https://gs1.org/voc/pip']).toContainEqual(expect.objectContaining({ href: `${BASE}/01/${gtin}`, hreflang: ['vi'] }));
      expect(set['https://gs1.org/voc/certificationInfo']).toContainEqual(expect.objectContaining({ href: `${BASE}/xac-thuc/${encodeURIComponent(certNumber)}` }));
      expect(set['https://gs1.org/voc/traceability']).toContainEqual(expect.objectContaining({ href: `${BASE}/01/${gtin}/10/${lot.lotNumber}` }));
      expect(set['https://gs1.org/voc/instructions']).toContainEqual({ href: 'https://ongtanmoc.vn/en/instructions', title: 'Instructions', type: 'text/html', hreflang: ['en'] });
      expect(set[`${BASE}/voc/catalogue`]).toHaveLength(1);
      expect(set[`${BASE}/voc/certificate`]).toHaveLength(1);
    }
    // A browser's Accept (HTML first) gets the page.
    const page = await get(`/01/${gtin}/10/${lot.lotNumber}/21/2`, { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('a Link header on every answer: the linkset and the default link, under the size limit', async () => {
    for (const url of [`/01/${gtin}`, `/01/${gtin}/10/${lot.lotNumber}`, `/01/${gtin}/10/${lot.lotNumber}/21/2`, `/01/${gtin}/10/${lot.lotNumber}/21/2?linkType=all`]) {
      const res = await get(url);
      const link = String(res.headers.link);
      const path = url.split('?')[0];
      expect(link, url).toContain(`<${BASE}${path}?linkType=all>; rel="linkset"; type="application/linkset+json"`);
      expect(link, url).toContain(`<${BASE}${path}>; rel="https://gs1.org/voc/defaultLink"; hreflang="vi"`);
      expect(link.length).toBeLessThanOrEqual(2048);
      expect(link).not.toContain('lang=en'); // the chosen language's links only
    }
  });

  it('?linkType=<type> → 307 to that link in the chosen language; unknown type → the default (the page)', async () => {
    const cert = await get(`/01/${gtin}/10/${lot.lotNumber}/21/2?linkType=gs1:certificationInfo`);
    expect(cert.statusCode).toBe(307);
    expect(cert.headers.location).toBe(`${BASE}/xac-thuc/${encodeURIComponent(certNumber)}`);
    const pip = await get(`/01/${gtin}/10/${lot.lotNumber}/21/2?linkType=gs1:pip`);
    expect(pip.statusCode).toBe(307);
    expect(pip.headers.location).toBe(`${BASE}/01/${gtin}`);
    const full = await get(`/01/${gtin}/21/2?linkType=${encodeURIComponent('https://gs1.org/voc/instructions')}`);
    expect(full.statusCode).toBe(307);
    expect(full.headers.location).toBe('https://ongtanmoc.vn/huong-dan');
    const en = await get(`/01/${gtin}/21/2?linkType=gs1:instructions`, { 'accept-language': 'en-GB,en;q=0.9' });
    expect(en.headers.location).toBe('https://ongtanmoc.vn/en/instructions');
    const enQ = await get(`/01/${gtin}/21/2?linkType=gs1:instructions&lang=en`);
    expect(enQ.headers.location).toBe('https://ongtanmoc.vn/en/instructions');
    const trace = await get(`/01/${gtin}/10/${lot.lotNumber}/21/2?linkType=gs1:traceability`);
    expect(trace.statusCode).toBe(307);
    expect(trace.headers.location).toBe(`${BASE}/01/${gtin}/10/${lot.lotNumber}`);
    for (const type of ['gs1:noSuchType', 'gs1:recallStatus', 'gs1:defaultLink']) {
      const res = await get(`/01/${gtin}/10/${lot.lotNumber}/21/2?linkType=${type}`);
      expect(res.statusCode, type).toBe(200);
      expect(res.body).toContain('Tem hợp lệ');
    }
    const nothing = await get(`/01/${otherGtin}?linkType=gs1:pip`);
    expectProblem(nothing, 404, 'NOT_FOUND');
  });

  it('language: Accept-Language or ?lang chooses English pages', async () => {
    const res = await get(`/01/${gtin}`, { 'accept-language': 'en-US,en;q=0.8,vi;q=0.5' });
    expect(res.body).toMatch(/^<!doctype html><html lang="en">/);
    expect(res.body).toContain('Product information');
    const stamp = await get(`/01/${gtin}/10/${lot.lotNumber}/21/5?lang=en`);
    expect(stamp.body).toContain('Valid stamp');
    const set = (await get(`/01/${gtin}/10/${lot.lotNumber}/21/5?linkType=all`)).json().linkset[0];
    expect(set[`${BASE}/voc/report`].map((l: { href: string }) => l.href)).toEqual([
      `${BASE}/01/${gtin}/10/${lot.lotNumber}/21/5#bao-cao`, `${BASE}/01/${gtin}/10/${lot.lotNumber}/21/5?lang=en#bao-cao`]);
    expect(String(stamp.headers.link)).toContain(`<${BASE}/01/${gtin}/10/${lot.lotNumber}/21/5?lang=en#bao-cao>`);
  });

  it('OPTIONS and CORS for clients of other origins', async () => {
    const res = await t.app.inject({ method: 'OPTIONS', url: `/01/${gtin}` });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-allow-methods'])).toContain('GET');
    const set = await get(`/01/${gtin}?linkType=all`);
    expect(set.headers['access-control-allow-origin']).toBe('*');
    expect(String(set.headers['access-control-expose-headers'])).toContain('Link');
  });
});

describe('data attributes', () => {
  it('AI 17 271340 is not a date: 400 with a clear message, never "Tem hợp lệ"', async () => {
    const res = await get(`/01/${gtin}/10/${lot.lotNumber}/21/6?17=271340`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Hạn sử dụng (AI 17)');
    expect(res.body).toContain('271340');
    expect(res.body).not.toContain('Tem hợp lệ');
    expect(res.body).toContain(`href="/01/${gtin}/10/${lot.lotNumber}/21/6"`); // the address without the bad data
    expectProblem(await get(`/01/${gtin}/10/${lot.lotNumber}/21/6?17=271340&linkType=all`), 400, 'VALIDATION');
    expect((await get(`/01/${gtin}/10/${lot.lotNumber}/21/6?3103=12`)).statusCode).toBe(400); // N6
  });

  it('valid attributes are shown (dates, net weight); a past expiry warns; unknown AIs are ignored with a note', async () => {
    const res = await get(`/01/${gtin}/10/${lot.lotNumber}/21/6?17=301231&3103=001250&15=300630&99=ABC&3923=12&10=X`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Tem hợp lệ');
    expect(res.body).toContain('31/12/2030');
    expect(res.body).toContain('30/06/2030');
    expect(res.body).toContain('1,25 kg');
    expect(res.body).toContain('AI 99: OCOP Hub chưa đọc loại thông tin này — bỏ qua.');
    expect(res.body).toContain('AI 10 là mã định danh');
    const old = await get(`/01/${gtin}/10/${lot.lotNumber}/21/6?17=200101`);
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain('SẢN PHẨM ĐÃ QUÁ HẠN');
    const day00 = await get(`/01/${gtin}/10/${lot.lotNumber}/21/6?17=300200`); // DD = 00: end of the month
    expect(day00.body).toContain('28/02/2030');
  });
});

describe('compressed links and the resolver description', () => {
  it('a compressed Digital Link is answered as its uncompressed URI (no redirect) with rel="owl:sameAs"', async () => {
    // The test compressor reproduces GS1's own vectors (src/shared/gs1-compression.test.ts).
    const seg = compressForTest([['01', gtin], ['10', lot.lotNumber], ['21', '7']]);
    const res = await get(`/${seg}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Tem hợp lệ');
    expect(String(res.headers.link)).toContain(`<${BASE}/01/${gtin}/10/${lot.lotNumber}/21/7>; rel="owl:sameAs"`);
    // A single segment that is not a compressed link is not the resolver's: the back office's routes answer.
    const other = await get('/dang-nhap');
    expect(other.statusCode).not.toBe(400);
    expect(String(other.headers.link ?? '')).not.toContain('owl:sameAs');
    expect(String(other.headers['content-security-policy'])).toContain('default-src');
    const head = await t.app.inject({ method: 'HEAD', url: `/01/${gtin}/10/${lot.lotNumber}/21/7` });
    expect(head.statusCode).toBe(200);
    expect(String(head.headers.link)).toContain('rel="linkset"');
  });

  it('/.well-known/gs1resolver describes the resolver, OCOP link types included', async () => {
    const res = await get('/.well-known/gs1resolver');
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({ resolverRoot: BASE, supportedPrimaryKeys: ['01'], linkTypeDefaultCanBeLinkset: false });
    expect(d.supportedLinkType).toContainEqual(expect.objectContaining({ namespace: 'https://gs1.org/voc/', prefix: 'gs1:' }));
    expect(d.supportedLinkType).toContainEqual(expect.objectContaining({ prefix: 'ocop:' }));
    expect(d.supportedDataAttributes).toEqual(expect.arrayContaining(['17', '3103', '7007']));
    expect(d.linkTypes.map((l: { type: string }) => l.type)).toEqual(expect.arrayContaining(['gs1:pip', 'gs1:certificationInfo', 'ocop:certificate', 'ocop:catalogue']));
  });
});
