/**
 * Security review of uploads (#13 part B): zip bombs in every zip-based upload, EXIF/GPS in product photos.
 * Each test replays the attack through the real route and asserts the refusal.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { listFiles, uploadEvidence, xlsxOf } from '../../../../test/helpers/evidence.js';
import { expectProblem, fileUpload } from '../../../../test/helpers/http.js';
import { deflateZip, sharedStringBomb, xlsxLike } from '../../../../test/helpers/zip.js';
import { assertSafeZip } from '../../lib/zip-guard.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
let officer: Session;
beforeAll(async () => {
  t = await buildTestApp();
  officer = await signIn(t, 'province_officer');
});
afterAll(async () => { await t?.close(); });

const post = (url: string, data: Buffer, name = 'nhap.xlsx') => {
  const { payload, headers } = fileUpload(data, name, XLSX);
  return call(t, officer, 'POST', url, payload, headers);
};

describe('zip bombs are refused before any parser sees them', () => {
  // 20 MB of one character deflates to ~20 KB (≈1000:1), as the reviewed 477 KB → 450 MB workbook did.
  const bomb = sharedStringBomb(20);

  it('the bomb is small on the wire', () => {
    expect(bomb.length).toBeLessThan(100 * 1024);
  });

  for (const [what, url] of [
    ['registry import', '/api/import/registry'],
    ['growing-area import', '/api/growing-areas/import'],
    ['packing-house import', '/api/packing-houses/import'],
    ['criteria sheet import', '/api/criteria/sets/1/sheet/import?taxonomyNodeId=1&title=Phi%E1%BA%BFu%20th%E1%BB%AD'],
  ] as const) {
    it(`${what}: 422 UPLOAD_UNSAFE in Vietnamese, memory does not balloon`, async () => {
      const before = process.memoryUsage().rss;
      const res = await post(url, bomb);
      const p = expectProblem(res, 422, 'UPLOAD_UNSAFE');
      expect(p.title).toMatch(/không an toàn/);
      expect(p.detail).toMatch(/Tỉ lệ nén bất thường/);
      // exceljs would have held the 20 MB string several times over; the guard never inflates it into memory.
      expect(process.memoryUsage().rss - before).toBeLessThan(60 * 1024 * 1024);
    });
  }

  it('evidence: an .xlsx bomb is refused and nothing is stored', async () => {
    const producer = await makeProducer(t);
    const filesBefore = listFiles(t.filesDir);
    const res = await uploadEvidence(t, officer, producer.id, { data: bomb, fileName: 'bao-cao.xlsx', contentType: XLSX });
    expectProblem(res, 422, 'UPLOAD_UNSAFE');
    expect(listFiles(t.filesDir)).toEqual(filesBefore);
  });

  it('evidence: a .docx bomb is refused', async () => {
    const producer = await makeProducer(t);
    const docx = deflateZip([
      { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
      { name: 'word/document.xml', data: `<w:document>${'x'.repeat(8 * 1024 * 1024)}</w:document>` },
    ]);
    const res = await uploadEvidence(t, officer, producer.id, { data: docx, fileName: 'ho-so.docx' });
    expectProblem(res, 422, 'UPLOAD_UNSAFE');
  });

  it('many small entries whose total unpacks past the limit (each under the ratio rule) are refused', async () => {
    // 60 entries of 1 MB zeros: ~1 KB each on the wire, 60 MB unpacked.
    const zip = xlsxLike(Array.from({ length: 60 }, (_, i) => ({ name: `xl/media/p${i}.bin`, data: Buffer.alloc(1024 * 1024) })));
    const p = expectProblem(await post('/api/import/registry', zip), 422, 'UPLOAD_UNSAFE');
    expect(p.detail).toMatch(/vượt quá giới hạn 50 MB/);
  });

  it('more than 2,000 entries are refused', async () => {
    const zip = xlsxLike(Array.from({ length: 2001 }, (_, i) => ({ name: `xl/x/${i}.xml`, data: '<a/>' })));
    const p = expectProblem(await post('/api/import/registry', zip), 422, 'UPLOAD_UNSAFE');
    expect(p.detail).toMatch(/2\.00[0-9] mục/);
  });

  it('a header that lies about the size does not win: the inflated bytes are counted', async () => {
    // Declares 100 bytes (so neither the size nor the ratio rule fires) but inflates to 4 MB.
    const zip = xlsxLike([{ name: 'xl/sharedStrings.xml', data: 'B'.repeat(4 * 1024 * 1024), declaredSize: 100 }]);
    const p = expectProblem(await post('/api/import/registry', zip), 422, 'UPLOAD_UNSAFE');
    expect(p.detail).toMatch(/không khớp/);
  });

  it('a real workbook passes the guard (and the import then reads it)', async () => {
    const ok = await xlsxOf();
    await expect(assertSafeZip(ok)).resolves.toMatchObject({ entries: expect.any(Number) });
    const tpl = (await call(t, officer, 'GET', '/api/import/template.xlsx')).rawPayload;
    const res = await post('/api/import/registry', tpl);
    expect(res.statusCode, res.body).toBeLessThan(500);
    expect(res.statusCode).not.toBe(415);
    expect(res.json().code).not.toBe('UPLOAD_UNSAFE');
  });

  it('bytes that are not a zip are 415, not a crash', async () => {
    expectProblem(await post('/api/import/registry', Buffer.from('PK\x03\x04 not really a zip at all', 'latin1')), 415, 'UNSUPPORTED_FILE');
  });
});

describe('product photos lose their EXIF (GPS) on upload', () => {
  it('the stored original and thumbnail carry no EXIF/GPS/XMP, and the EXIF orientation is applied', async () => {
    const producer = await makeProducer(t);
    const product = await makeProduct(t, producer.id);
    const s = await signIn(t, 'producer', { producerId: producer.id });
    // 40×20 pixels, tagged "rotate 90°" (orientation 6), with the camera and a GPS position of the farm.
    const photo = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#3a3' } }).jpeg()
      .withExif({ IFD0: { Make: 'PhoneCam', Model: 'X1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '21/1 23/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '106/1 30/1 0/1' } })
      .withMetadata({ orientation: 6 }).toBuffer();
    const inMeta = await sharp(photo).metadata();
    expect(inMeta.exif?.toString('latin1')).toContain('PhoneCam');
    expect(inMeta.orientation).toBe(6);

    const { payload, headers } = fileUpload(photo, 'vuon.jpg', 'image/jpeg');
    const res = await call(t, s, 'POST', `/api/products/${product.id}/photos`, payload, headers);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ width: 20, height: 40 }); // upright

    const [row] = await t.dbh.query<{ storage_key: string; thumb_key: string }>('select storage_key, thumb_key from product_photos where id = $1', [res.json().id]);
    for (const key of [row.storage_key, row.thumb_key]) {
      const stored = fs.readFileSync(path.join(t.filesDir, key));
      expect(stored.toString('latin1')).not.toContain('PhoneCam');
      const m = await sharp(stored).metadata();
      expect(m.exif).toBeUndefined();
      expect(m.xmp).toBeUndefined();
      expect(m.iptc).toBeUndefined();
      expect(m.orientation).toBeUndefined();
      expect([m.width, m.height]).toEqual([20, 40]);
    }
    // What the API serves is the cleaned original.
    const full = await call(t, s, 'GET', `/api/photos/${res.json().id}/full`);
    expect((await sharp(full.rawPayload).metadata()).exif).toBeUndefined();
  });
});
