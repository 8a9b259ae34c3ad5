import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, signIn, unique, uniqueTaxCode, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem, fileUpload, multipart, pngOf, scalar } from '../../../../test/helpers/http.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
let template: Buffer;
beforeAll(async () => {
  t = await buildTestApp();
  const s = await signIn(t, 'province_officer');
  const res = await call(t, s, 'GET', '/api/import/template.xlsx');
  template = res.rawPayload;
});
afterAll(async () => { await t?.close(); });

type Row = (string | number | null)[];
/** The downloaded template with rows filled in, as officers do it. */
async function fill(producers: Row[], products: Row[]) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as unknown as ArrayBuffer);
  producers.forEach((r, i) => { wb.getWorksheet('Chủ thể')!.getRow(i + 2).values = r; });
  products.forEach((r, i) => { wb.getWorksheet('Sản phẩm')!.getRow(i + 2).values = r; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
function importFile(s: Session | null, data: Buffer, filename = 'nhap.xlsx', type = XLSX) {
  const { payload, headers } = fileUpload(data, filename, type);
  return call(t, s, 'POST', '/api/import/registry', payload, headers);
}
const producersWith = (regs: string[]) => scalar(t, 'select count(*) from producers where registration_number = any($1::text[])', [regs]);
const productsNamed = (tag: string) => scalar(t, "select count(*) from products where name like '%' || $1", [tag]);
const auditBy = (s: Session) => scalar(t, "select count(*) from audit_log where actor_id = $1 and entity_type <> 'import'", [s.userId]);
const importEntries = (s: Session) => t.dbh.query<{ entity_id: string; after: Record<string, unknown> }>("select entity_id, after from audit_log where actor_id = $1 and entity_type = 'import' order by id", [s.userId]);

// Producer columns: MST, tên, viết tắt, loại hình, xã, địa chỉ, đại diện, chức vụ, điện thoại, email, năm TL, TV, LĐ, làng nghề, ghi chú.
const producerRow = (reg: string, name: string, unit: string, over: Record<number, string | number | null> = {}): Row => {
  const r: Row = [reg, name, null, 'Hợp tác xã', unit, 'Thôn Thủ Dương', 'Nguyễn Văn Bình', 'Giám đốc', '0912345678', 'htx@example.vn', 2015, 12, 30, null, null];
  for (const [i, v] of Object.entries(over)) r[Number(i)] = v;
  return r;
};
// Product columns: MST chủ thể, tên, mã phân nhóm, mức chế biến, xã, nhãn hiệu, mô tả, vùng NL, chủ lực, sao, năm, số QĐ, ngày QĐ, số GCN, cơ quan cấp, ngày hết hạn, chứng nhận, kênh.
const productRow = (reg: string, name: string, unit: string, over: Record<number, string | number | null> = {}): Row => {
  const r: Row = [reg, name, 'I.1.a', 'Tươi sống', unit, null, null, null, 'Không', null, null, null, null, null, null, null, null, null];
  for (const [i, v] of Object.entries(over)) r[Number(i)] = v;
  return r;
};

describe('import: template', () => {
  it('an officer downloads the .xlsx template with the two data sheets, current units and QĐ 148 leaves', async () => {
    const s = await signIn(t, 'commune_officer');
    const res = await call(t, s, 'GET', '/api/import/template.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe('attachment; filename="mau-nhap-ocop.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Hướng dẫn', 'Chủ thể', 'Sản phẩm', 'Đơn vị hành chính', 'Phân nhóm']);
    const headers = (name: string) => (wb.getWorksheet(name)!.getRow(1).values as unknown[]).slice(1);
    expect(headers('Chủ thể').slice(0, 5)).toEqual(['Mã số đăng ký/MST *', 'Tên chủ thể *', 'Tên viết tắt', 'Loại hình *', 'Xã/phường/thị trấn *']);
    expect(headers('Sản phẩm')).toHaveLength(18);
    expect(headers('Sản phẩm')[2]).toBe('Mã phân nhóm QĐ 148 *');
    const units = wb.getWorksheet('Đơn vị hành chính')!.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1));
    expect(units).toContainEqual(['Chũ', '07525', 'ward']);
    expect(units.some((u) => u[0] === 'Hồng Giang')).toBe(false); // ended in 2024
    const leaves = wb.getWorksheet('Phân nhóm')!.getSheetValues().slice(2).map((r) => (r as unknown[])[1]);
    expect(leaves).toContain('I.1.a');
    expect(leaves).not.toContain('I.1');
  });

  it.each(['viewer', 'council_member'] as const)('%s cannot download the template or import (403)', async (role) => {
    const s = await signIn(t, role);
    expectProblem(await call(t, s, 'GET', '/api/import/template.xlsx'), 403, 'FORBIDDEN');
    const reg = uniqueTaxCode();
    expectProblem(await importFile(s, await fill([producerRow(reg, 'HTX Không Được', 'Phường Chũ')], [])), 403, 'FORBIDDEN');
    expect(await producersWith([reg])).toBe(0);
  });

  it('a producer user cannot import (403)', async () => {
    const s = await signIn(t, 'producer', { producerId: (await makeProducer(t)).id });
    expectProblem(await call(t, s, 'GET', '/api/import/template.xlsx'), 403, 'FORBIDDEN');
    expectProblem(await importFile(s, await fill([], [])), 403, 'FORBIDDEN');
  });

  it('anonymous → 401', async () => {
    expectProblem(await call(t, null, 'GET', '/api/import/template.xlsx'), 401, 'UNAUTHENTICATED');
    expectProblem(await importFile(null, template), 401, 'UNAUTHENTICATED');
  });
});

describe('import: registry', () => {
  it('imports producers and products; re-importing the same file changes nothing and writes no audit rows', async () => {
    const s = await signIn(t, 'province_officer');
    const tag = unique('i').toLowerCase();
    const [r1, r2] = [uniqueTaxCode(), uniqueTaxCode()];
    const existing = await makeProducer(t);
    const file = await fill(
      [producerRow(r1, `HTX Vải Thiều ${tag}`, 'Phường Chũ'), producerRow(r2, `Công ty Gạo ${tag}`, 'bn-x-luc-ngan', { 3: 'Doanh nghiệp', 9: null })],
      [
        productRow(r1, `Vải thiều tươi ${tag}`, 'Chũ', {
          5: 'Vải Chũ', 8: 'Có', 9: 4, 10: 2024, 11: '123/QĐ-UBND', 12: '10/05/2024', 13: `GCN-${tag}`, 14: 'UBND tỉnh Bắc Giang', 15: '10/05/2027',
          16: 'VietGAP, Hữu cơ', 17: 'Shopee, Siêu thị',
        }),
        productRow(r2, `Gạo nếp cái hoa vàng ${tag}`, 'Lục Ngạn', { 2: 'I.2.a', 3: 'Sơ chế' }),
        productRow(existing.registrationNumber, `Mật ong ${tag}`, '07525', { 2: 'I.2.b', 3: 'Chế biến' }),
      ],
    );
    const res = await importFile(s, file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ producers: { created: 2, updated: 0, unchanged: 0 }, products: { created: 3, updated: 0, unchanged: 0 }, certificates: { created: 1 } });

    const viewer = await signIn(t, 'viewer');
    const list = (await call(t, viewer, 'GET', `/api/products?q=${tag}&pageSize=50`)).json();
    expect(list.total).toBe(3);
    const vai = list.items.find((i: { name: string }) => i.name === `Vải thiều tươi ${tag}`);
    const detail = (await call(t, viewer, 'GET', `/api/products/${vai.id}`)).json();
    expect(detail).toMatchObject({
      brand: 'Vải Chũ', keyProduct: true, processingLevel: 'fresh', stars: 4, unit: { id: await unitId(t, 'bn-p-chu') },
      recognition: { stars: 4, recognitionYear: 2024, decisionNumber: '123/QĐ-UBND', decisionDate: '2024-05-10', certificateNumber: `GCN-${tag}`, certificateIssuer: 'UBND tỉnh Bắc Giang', certificateExpiresOn: '2027-05-10' },
    });
    // The stars came in as a paper certificate, recorded by the certificates service.
    const certs = (await call(t, viewer, 'GET', `/api/certificates?productId=${vai.id}`)).json();
    expect(certs.items).toMatchObject([{ number: `GCN-${tag}`, star: 4, isLegacy: true, decisionNumber: '123/QĐ-UBND', issuingUnitName: 'tỉnh Bắc Giang', storedStatus: 'active' }]);
    expect(detail.certifications.map((c: { type: string }) => c.type)).toEqual(['organic', 'vietgap']);
    expect(detail.channels.map((c: { kind: string; name: string }) => [c.kind, c.name])).toEqual([['marketplace', 'Shopee'], ['supermarket', '']]);
    const producers = (await call(t, viewer, 'GET', `/api/producers?q=${tag}`)).json();
    expect(producers.items.map((p: { registrationNumber: string; kind: string; unit: { id: number }; phone: string; foundedYear: number }) => [p.registrationNumber, p.kind, p.unit.id, p.phone, p.foundedYear]).sort())
      .toEqual([[r1, 'cooperative', await unitId(t, 'bn-p-chu'), '0912345678', 2015], [r2, 'enterprise', await unitId(t, 'bn-x-luc-ngan'), '0912345678', 2015]].sort());
    expect((await call(t, viewer, 'GET', `/api/products/${list.items.find((i: { name: string }) => i.name.startsWith('Mật ong')).id}`)).json().producer.id).toBe(existing.id);

    const auditAfterFirst = await auditBy(s);
    expect(auditAfterFirst).toBe(7); // 2 producers, 3 products, 1 certificate and the product's recognition
    const again = await importFile(s, file);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ producers: { created: 0, updated: 0, unchanged: 2 }, products: { created: 0, updated: 0, unchanged: 3 }, certificates: { created: 0 } });
    expect(await auditBy(s)).toBe(auditAfterFirst);
    expect(await productsNamed(tag)).toBe(3);
    expect(await producersWith([r1, r2])).toBe(2);
  });

  it('a changed cell updates just that record; fields the template lacks keep their values', async () => {
    const s = await signIn(t, 'province_officer');
    const tag = unique('u').toLowerCase();
    const reg = uniqueTaxCode();
    const rows = (address: string, stars: number, decision: [string, string]) => ({
      producers: [producerRow(reg, `HTX Cam ${tag}`, 'Phường Chũ', { 5: address })],
      products: [
        productRow(reg, `Cam sành ${tag}`, 'Phường Chũ', { 9: stars, 10: Number(decision[1].slice(-4)), 11: decision[0], 12: decision[1], 14: 'UBND tỉnh Bắc Ninh', 16: 'VietGAP' }),
        productRow(reg, `Bưởi ${tag}`, 'Phường Chũ'),
      ],
    });
    // Both certificates still in force (the daily expiry job, run by other tests on a shared database, leaves them).
    const first = rows('Thôn A', 3, ['01/QĐ-UBND', '01/08/2025']);
    expect((await importFile(s, await fill(first.producers, first.products))).statusCode).toBe(200);
    const officer = await signIn(t, 'province_officer');
    const [cam] = (await call(t, officer, 'GET', `/api/products?q=${encodeURIComponent(`cam sanh ${tag}`)}`)).json().items;
    // A story and a certificate issuer entered in the app are not in the template: an import must keep them.
    const full = (await call(t, officer, 'GET', `/api/products/${cam.id}`)).json();
    const edit = {
      producerId: full.producer.id, name: full.name, taxonomyNodeId: full.taxonomy.id, registeredUnitId: full.unit.id, processingLevel: full.processingLevel,
      brand: full.brand, description: full.description, story: 'Câu chuyện vùng cam', rawMaterialArea: full.rawMaterialArea, keyProduct: full.keyProduct,
      isDemo: false, sources: [], recognition: full.recognition, channels: [], version: full.version,
      certifications: [{ type: 'vietgap', name: null, issuer: 'Trung tâm Chứng nhận Phù hợp', number: 'VG-7', validFrom: null, validTo: null }],
    };
    expect((await call(t, officer, 'PUT', `/api/products/${cam.id}`, edit)).statusCode).toBe(200);

    const same = await importFile(s, await fill(first.producers, first.products));
    expect(same.json()).toEqual({ producers: { created: 0, updated: 0, unchanged: 1 }, products: { created: 0, updated: 0, unchanged: 2 }, certificates: { created: 0 } });

    // A new decision (re-evaluated at 4★, still in force today): a new certificate that supersedes the first.
    const second = rows('Thôn B', 4, ['02/QĐ-UBND', '01/12/2025']);
    const res = await importFile(s, await fill(second.producers, second.products));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ producers: { created: 0, updated: 1, unchanged: 0 }, products: { created: 0, updated: 1, unchanged: 1 }, certificates: { created: 1 } });
    const after = (await call(t, officer, 'GET', `/api/products/${cam.id}`)).json();
    expect(after).toMatchObject({ stars: 4, story: 'Câu chuyện vùng cam', producer: { address: 'Thôn B' } });
    expect(after.certifications).toMatchObject([{ type: 'vietgap', issuer: 'Trung tâm Chứng nhận Phù hợp', number: 'VG-7' }]);
    const hist = (await call(t, officer, 'GET', `/api/products/${cam.id}/history`)).json();
    expect(hist[0]).toMatchObject({ action: 'recognition', actor: s.login, before: { stars: 3, decisionNumber: '01/QĐ-UBND' }, after: { stars: 4, decisionNumber: '02/QĐ-UBND', decisionDate: '2025-12-01' } });
    expect(Object.keys(hist[0].after).sort()).toEqual(['certificateExpiresOn', 'certificateNumber', 'decisionDate', 'decisionNumber', 'stars']);
    const certs = (await call(t, officer, 'GET', `/api/certificates?productId=${cam.id}`)).json().items;
    expect(certs.map((c: { star: number; storedStatus: string }) => [c.star, c.storedStatus])).toEqual([[4, 'active'], [3, 'superseded']]);
  });

  it('stars need the decision and the issuer; year and expiry must agree with the decision date; nothing is written otherwise', async () => {
    const s = await signIn(t, 'province_officer');
    const tag = unique('r').toLowerCase();
    const reg = uniqueTaxCode();
    const res = await importFile(s, await fill([producerRow(reg, `HTX Sao ${tag}`, 'Phường Chũ')], [
      productRow(reg, `Không quyết định ${tag}`, 'Phường Chũ', { 9: 4 }),
      productRow(reg, `Sai năm ${tag}`, 'Phường Chũ', { 9: 3, 10: 2022, 11: '9/QĐ', 12: '05/01/2023', 14: 'UBND tỉnh Bắc Giang', 15: '05/01/2025' }),
      productRow(reg, `Sao bảy ${tag}`, 'Phường Chũ', { 9: 7, 11: '10/QĐ', 12: '05/01/2023', 14: 'UBND tỉnh Bắc Giang' }),
      productRow(reg, `Hai sao ${tag}`, 'Phường Chũ', { 9: 2, 11: '11/QĐ', 12: '05/01/2023', 14: 'UBND tỉnh Bắc Giang' }),
    ]));
    const p = expectProblem(res, 422, 'IMPORT_INVALID');
    expect(p.errors).toEqual(expect.arrayContaining([
      { path: 'Sản phẩm!L2', message: expect.stringMatching(/^Số quyết định: cần có/) },
      { path: 'Sản phẩm!M2', message: expect.stringMatching(/^Ngày quyết định: cần có/) },
      { path: 'Sản phẩm!O2', message: expect.stringMatching(/^Cơ quan cấp: cần có/) },
      { path: 'Sản phẩm!K3', message: 'Năm công nhận phải là năm của ngày quyết định (2023)' },
      { path: 'Sản phẩm!P3', message: 'Ngày hết hạn phải là 36 tháng sau ngày quyết định: 05/01/2026' },
      { path: 'Sản phẩm!J4', message: expect.stringMatching(/^Hạng sao: ghi 3, 4 hoặc 5/) },
      { path: 'Sản phẩm!J5', message: expect.stringMatching(/^Hạng sao: ghi 3, 4 hoặc 5/) },
    ]));
    expect(p.errors).toHaveLength(7);
    expect(await producersWith([reg])).toBe(0);
  });

  it('a row whose issuer had no authority for that star on that date is refused on the row (recognition rules), nothing written', async () => {
    const s = await signIn(t, 'province_officer');
    const tag = unique('q').toLowerCase();
    const reg = uniqueTaxCode();
    const res = await importFile(s, await fill([producerRow(reg, `HTX Quyền ${tag}`, 'Phường Chũ')], [
      // Under QĐ 148 (2023–2025) the district recognised 3★, not the province.
      productRow(reg, `Ba sao tỉnh ${tag}`, 'Phường Chũ', { 9: 3, 11: '12/QĐ', 12: '12/08/2024', 14: 'UBND tỉnh Bắc Giang' }),
    ]));
    const p = expectProblem(res, 422, 'IMPORT_INVALID');
    expect(p.errors).toEqual([{ path: 'Sản phẩm!J2', message: expect.stringMatching(/cấp tỉnh công nhận 4★; 3★ do cấp huyện công nhận/) }]);
    expect(await producersWith([reg])).toBe(0);
  });

  it('an older decision imported after a newer one is kept as history; a commune officer cannot import stars', async () => {
    const s = await signIn(t, 'province_officer');
    const tag = unique('h').toLowerCase();
    const reg = uniqueTaxCode();
    const row = (n: string, date: string, star: number) => productRow(reg, `Na ${tag}`, 'Phường Chũ', { 9: star, 11: n, 12: date, 14: 'UBND tỉnh Bắc Giang' });
    expect((await importFile(s, await fill([producerRow(reg, `HTX Na ${tag}`, 'Phường Chũ')], [row('20/QĐ', '10/10/2024', 4)]))).statusCode).toBe(200);
    const res = await importFile(s, await fill([], [row('10/QĐ', '10/10/2021', 3)]));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().certificates).toEqual({ created: 1 });
    const viewer = await signIn(t, 'viewer');
    const [na] = (await call(t, viewer, 'GET', `/api/products?q=na ${tag}`)).json().items;
    expect(na.stars).toBe(4);
    const certs = (await call(t, viewer, 'GET', `/api/certificates?productId=${na.id}`)).json().items;
    expect(certs.map((c: { decisionNumber: string; storedStatus: string }) => [c.decisionNumber, c.storedStatus])).toEqual([['20/QĐ', 'active'], ['10/QĐ', 'superseded']]);

    const co = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
    const reg2 = uniqueTaxCode();
    const refused = expectProblem(await importFile(co, await fill([producerRow(reg2, `HTX Xã ${tag}`, 'Phường Chũ')], [productRow(reg2, `Ổi ${tag}`, 'Phường Chũ', { 9: 3, 11: '1/QĐ', 12: '01/01/2024', 14: 'UBND' })])), 422, 'IMPORT_INVALID');
    expect(refused.errors).toEqual([{ path: 'Sản phẩm!J2', message: 'Chỉ cán bộ OCOP cấp tỉnh nhập hạng sao và giấy chứng nhận' }]);
    expect(await producersWith([reg2])).toBe(0);
  });

  it('a file with bad rows → 422 IMPORT_INVALID naming sheet!cell, and NOTHING is written', async () => {
    const s = await signIn(t, 'province_officer');
    const tag = unique('b').toLowerCase();
    const [good, good2] = [uniqueTaxCode(), uniqueTaxCode()];
    const file = await fill(
      [producerRow(good, `HTX Tốt ${tag}`, 'Phường Chũ'), producerRow('0101234567', `HTX Sai Mã ${tag}`, 'Phường Chũ'), producerRow(good2, `HTX Tốt Hai ${tag}`, 'Phường Chũ')],
      [
        productRow(good, `Sản phẩm tốt ${tag}`, 'Phường Chũ'),
        productRow(good, `Sản phẩm sai nhóm ${tag}`, 'Phường Chũ', { 2: 'Z.9.z' }),
        productRow(good2, `Sản phẩm sai xã ${tag}`, 'Xã Không Tồn Tại'),
        productRow(good2, `Sản phẩm sai ngày ${tag}`, 'Phường Chũ', { 12: '31/02/2023' }),
      ],
    );
    const producersBefore = await scalar(t, 'select count(*) from producers where legal_name like $1', [`%${tag}`]);
    const auditBefore = await auditBy(s);
    const res = await importFile(s, file);
    const p = expectProblem(res, 422, 'IMPORT_INVALID');
    expect(p.title).toBe('Tệp Excel có lỗi, chưa có dòng nào được ghi');
    const byPath = Object.fromEntries(p.errors!.map((e) => [e.path, e.message]));
    expect(Object.keys(byPath).sort()).toEqual(['Chủ thể!A3', 'Sản phẩm!C3', 'Sản phẩm!E4', 'Sản phẩm!M5'].sort());
    expect(byPath['Chủ thể!A3']).toMatch(/^Mã số đăng ký\/MST: Mã số thuế\/mã số doanh nghiệp không hợp lệ/);
    expect(byPath['Sản phẩm!C3']).toBe('Mã phân nhóm "Z.9.z" không có trong QĐ 148 (xem trang "Phân nhóm")');
    expect(byPath['Sản phẩm!E4']).toBe('Không có xã/phường/thị trấn "Xã Không Tồn Tại"');
    expect(byPath['Sản phẩm!M5']).toBe('Ngày "31/02/2023" không hợp lệ (dd/mm/yyyy)');
    expect(p.errorCount).toBe(4);
    expect(await producersWith([good, good2, '0101234567'])).toBe(0);
    expect(await scalar(t, 'select count(*) from producers where legal_name like $1', [`%${tag}`])).toBe(producersBefore);
    expect(await productsNamed(tag)).toBe(0);
    expect(await auditBy(s)).toBe(auditBefore);
  });

  it('duplicates inside the file and unknown producers are reported', async () => {
    const s = await signIn(t, 'province_officer');
    const tag = unique('d').toLowerCase();
    const reg = uniqueTaxCode();
    const unknownReg = uniqueTaxCode();
    const res = await importFile(s, await fill(
      [producerRow(reg, `HTX A ${tag}`, 'Phường Chũ'), producerRow(reg, `HTX A bis ${tag}`, 'Phường Chũ')],
      [productRow(reg, `Na ${tag}`, 'Phường Chũ'), productRow(reg, `NA ${tag}`, 'Phường Chũ'), productRow(unknownReg, `Ổi ${tag}`, 'Phường Chũ')],
    ));
    const p = expectProblem(res, 422, 'IMPORT_INVALID');
    expect(p.errors).toEqual(expect.arrayContaining([
      { path: 'Chủ thể!A3', message: 'Mã số trùng với dòng 2' },
      { path: 'Sản phẩm!B3', message: 'Sản phẩm trùng với dòng 2' },
      { path: 'Sản phẩm!A4', message: `Chưa có chủ thể mã số ${unknownReg} (trong hệ thống hoặc trang "Chủ thể")` },
    ]));
    expect(await producersWith([reg])).toBe(0);
  });

  it('an ambiguous commune name (several units today) asks for the code', async () => {
    const s = await signIn(t, 'admin');
    const twin = `Song Sinh ${unique()}`;
    for (let i = 0; i < 2; i++) {
      expect((await call(t, s, 'POST', '/api/geo/units', { key: unique('k').toLowerCase(), name: twin, type: 'commune' })).statusCode).toBe(201);
    }
    const reg = uniqueTaxCode();
    const p = expectProblem(await importFile(s, await fill([producerRow(reg, 'HTX Song Sinh', twin)], [])), 422, 'IMPORT_INVALID');
    expect(p.errors).toHaveLength(1);
    expect(p.errors![0].path).toBe('Chủ thể!E2');
    expect(p.errors![0].message).toMatch(/ứng với nhiều đơn vị .*: ghi mã đơn vị$/);
  });

  it('wrong header row → 422 naming the header cell', async () => {
    const s = await signIn(t, 'province_officer');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template as unknown as ArrayBuffer);
    wb.getWorksheet('Chủ thể')!.getCell('B1').value = 'Tên';
    const p = expectProblem(await importFile(s, Buffer.from(await wb.xlsx.writeBuffer())), 422, 'IMPORT_INVALID');
    expect(p.errors).toEqual([{ path: 'Chủ thể!B1', message: 'Tiêu đề cột phải là "Tên chủ thể *" — hãy dùng mẫu của hệ thống' }]);
  });

  it('a workbook without the data sheets → 422', async () => {
    const s = await signIn(t, 'province_officer');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').getCell('A1').value = 'x';
    const p = expectProblem(await importFile(s, Buffer.from(await wb.xlsx.writeBuffer())), 422, 'IMPORT_INVALID');
    expect(p.errors![0].path).toBe('file');
  });

  it('a non-xlsx upload → 415, whatever its name says; a broken zip too', async () => {
    const s = await signIn(t, 'province_officer');
    expectProblem(await importFile(s, Buffer.from('STT,Tên\n1,Vải\n'), 'danh-sach.xlsx'), 415, 'UNSUPPORTED_FILE');
    expectProblem(await importFile(s, await pngOf(), 'anh.xlsx', 'image/png'), 415, 'UNSUPPORTED_FILE');
    expectProblem(await importFile(s, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)])), 415, 'UNSUPPORTED_FILE');
  });

  it('an upload without a file → 400', async () => {
    const s = await signIn(t, 'province_officer');
    const mp = multipart([{ name: 'note', data: 'x' }]);
    expectProblem(await call(t, s, 'POST', '/api/import/registry', mp.payload, mp.headers), 400, 'VALIDATION');
  });

  describe('commune officer of phường Chũ', () => {
    it('imports rows inside the commune, including under its predecessors', async () => {
      const s = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
      const tag = unique('c').toLowerCase();
      const reg = uniqueTaxCode();
      const res = await importFile(s, await fill([producerRow(reg, `HTX Chũ ${tag}`, 'Phường Chũ')], [productRow(reg, `Na ${tag}`, 'ln-hong-giang')]));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ producers: { created: 1, updated: 0, unchanged: 0 }, products: { created: 1, updated: 0, unchanged: 0 }, certificates: { created: 0 } });
    });

    it('rows outside the commune → 422 naming the cell, nothing written', async () => {
      const s = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
      const tag = unique('o').toLowerCase();
      const [inside, outside] = [uniqueTaxCode(), uniqueTaxCode()];
      const res = await importFile(s, await fill(
        [producerRow(inside, `HTX Trong ${tag}`, 'Phường Chũ'), producerRow(outside, `HTX Ngoài ${tag}`, 'bn-x-luc-ngan')],
        [productRow(inside, `Na ${tag}`, 'bn-x-luc-ngan')],
      ));
      const p = expectProblem(res, 422, 'IMPORT_INVALID');
      expect(p.errors).toEqual([
        { path: 'Chủ thể!E3', message: 'Chủ thể nằm ngoài phạm vi bạn phụ trách' },
        { path: 'Sản phẩm!E2', message: 'Sản phẩm nằm ngoài phạm vi bạn phụ trách' },
      ]);
      expect(await producersWith([inside, outside])).toBe(0);
    });

    it('cannot update through an import a producer of another commune', async () => {
      const s = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
      const other = await makeProducer(t, { unitId: await unitId(t, 'bn-x-luc-ngan') });
      const p = expectProblem(await importFile(s, await fill([producerRow(other.registrationNumber, other.legalName, 'Phường Chũ')], [])), 422, 'IMPORT_INVALID');
      expect(p.errors).toEqual([{ path: 'Chủ thể!E2', message: 'Chủ thể nằm ngoài phạm vi bạn phụ trách' }]);
      expect(await scalar(t, 'select unit_id from producers where id = $1', [other.id])).toBe(await unitId(t, 'bn-x-luc-ngan'));
    });
  });
});

describe('import: background runs', () => {
  function startRun(s: Session | null, data: Buffer, kind = 'registry') {
    const { payload, headers } = fileUpload(data, 'nhap-nen.xlsx', XLSX);
    return call(t, s, 'POST', `/api/import/runs?kind=${kind}`, payload, headers);
  }
  /** Polls the run as its importer until it has finished. */
  async function finished(s: Session, id: string) {
    for (let i = 0; i < 1200; i++) {
      const res = await call(t, s, 'GET', `/api/import/runs/${id}`);
      expect(res.statusCode, res.body).toBe(200);
      if (res.json().status !== 'running') return res.json();
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('import run did not finish');
  }

  it('answers 202 with a run; the run ends with the counts; one audit entry names the stored workbook', async () => {
    const s = await signIn(t, 'province_officer');
    const tag = unique('bg').toLowerCase();
    const reg = uniqueTaxCode();
    const file = await fill([producerRow(reg, `HTX Nền ${tag}`, 'Phường Chũ')], [productRow(reg, `Vải nền ${tag}`, 'Phường Chũ', { 9: 4, 11: '30/QĐ', 12: '10/10/2024', 14: 'UBND tỉnh Bắc Giang' })]);
    const res = await startRun(s, file);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ kind: 'registry', status: 'running', fileName: 'nhap-nen.xlsx', finishedAt: null });
    const run = await finished(s, res.json().id);
    expect(run).toMatchObject({
      status: 'done', phase: 'done', total: 2, done: 2, errors: [], errorCount: 0,
      result: { producers: { created: 1, updated: 0, unchanged: 0 }, products: { created: 1, updated: 0, unchanged: 0 }, certificates: { created: 1 } },
    });
    const entries = (await importEntries(s)).filter((e) => e.entity_id === run.id);
    expect(entries).toHaveLength(1);
    expect(entries[0].after).toMatchObject({ kind: 'registry', rows: 2, fileName: 'nhap-nen.xlsx', producers: { created: 1 } });
    const key = entries[0].after.workbook as string;
    expect(key).toMatch(/^imports\//);
    expect(fs.readFileSync(path.join(t.filesDir, key)).equals(file)).toBe(true);
    expect(await producersWith([reg])).toBe(1);
  });

  it('a refused workbook ends the run "failed" with every row and column; nothing is written, no workbook kept', async () => {
    const s = await signIn(t, 'province_officer');
    const tag = unique('bf').toLowerCase();
    const reg = uniqueTaxCode();
    const res = await startRun(s, await fill([producerRow(reg, `HTX Lỗi ${tag}`, 'Phường Chũ', { 3: 'Không rõ' })], [productRow(reg, `Hỏng ${tag}`, 'Phường Chũ', { 2: 'Z.9' })]));
    expect(res.statusCode, res.body).toBe(202);
    const run = await finished(s, res.json().id);
    expect(run.status).toBe('failed');
    expect(run.errors).toEqual(expect.arrayContaining([
      { path: 'Chủ thể!D2', message: expect.stringMatching(/^Loại hình "Không rõ" không hợp lệ/) },
      { path: 'Sản phẩm!C2', message: expect.stringMatching(/^Mã phân nhóm "Z.9"/) },
    ]));
    expect(run.errorCount).toBe(run.errors.length);
    expect(await producersWith([reg])).toBe(0);
    expect((await importEntries(s)).filter((e) => e.entity_id === run.id)).toHaveLength(0);
  });

  it('only its importer and administrators read a run; others 403, anonymous 401, unknown 404', async () => {
    const s = await signIn(t, 'commune_officer');
    const res = await startRun(s, await fill([producerRow(uniqueTaxCode(), `HTX Riêng ${unique('br')}`, 'Phường Chũ')], []));
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id;
    await finished(s, id);
    for (const role of ['province_officer', 'commune_officer', 'viewer'] as const) {
      expectProblem(await call(t, await signIn(t, role), 'GET', `/api/import/runs/${id}`), 403, 'FORBIDDEN');
    }
    const admin = await call(t, await signIn(t, 'admin'), 'GET', `/api/import/runs/${id}`);
    expect(admin.statusCode, admin.body).toBe(200);
    expect(admin.json().status).toBe('done');
    expect((await call(t, null, 'GET', `/api/import/runs/${id}`)).statusCode).toBe(401);
    expectProblem(await call(t, s, 'GET', '/api/import/runs/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
  });

  it('who may not import cannot start a run (403), for any kind', async () => {
    const file = await fill([producerRow(uniqueTaxCode(), 'HTX Không', 'Phường Chũ')], []);
    for (const role of ['viewer', 'council_member'] as const) {
      const s = await signIn(t, role);
      for (const kind of ['registry', 'growing_areas', 'packing_houses']) expectProblem(await startRun(s, file, kind), 403, 'FORBIDDEN');
    }
    expect((await startRun(null, file)).statusCode).toBe(401);
  });

  it('10,000 rows (5,000 producers + 5,000 products, half with stars) in one run, all written', { timeout: 600_000 }, async () => {
    const s = await signIn(t, 'province_officer');
    const tag = unique('k').toLowerCase();
    // Registration numbers of their own ("97…"), apart from uniqueTaxCode's "24…" that every other test file draws
    // from: 5,000 more there would make collisions between files likely on a shared database.
    const list: string[] = [];
    for (let n = Math.floor(Math.random() * 5e6); list.length < 5000; n++) {
      const body = `97${String(n).padStart(7, '0')}`;
      const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
      const c = 10 - (body.split('').reduce((a, d, i) => a + Number(d) * w[i], 0) % 11);
      if (c < 10) list.push(`${body}${c}`);
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template as unknown as ArrayBuffer);
    const ps = wb.getWorksheet('Chủ thể')!;
    const pr = wb.getWorksheet('Sản phẩm')!;
    list.forEach((reg, i) => {
      ps.getRow(i + 2).values = producerRow(reg, `HTX Lớn ${i} ${tag}`, 'Phường Chũ');
      pr.getRow(i + 2).values = productRow(reg, `Sản phẩm ${i} ${tag}`, 'Phường Chũ', i % 2 ? { 16: 'VietGAP', 17: 'Shopee' } : { 9: 4, 11: `${i}/QĐ`, 12: '10/10/2024', 14: 'UBND tỉnh Bắc Giang', 16: 'VietGAP', 17: 'Shopee' });
    });
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await startRun(s, file);
    expect(res.statusCode, res.body).toBe(202);
    const run = await finished(s, res.json().id);
    expect(run, JSON.stringify(run.errors?.slice(0, 3))).toMatchObject({
      status: 'done', total: 10_000, done: 10_000,
      result: { producers: { created: 5000, updated: 0, unchanged: 0 }, products: { created: 5000, updated: 0, unchanged: 0 }, certificates: { created: 2500 } },
    });
    expect(await producersWith(list)).toBe(5000);
    expect(await productsNamed(tag)).toBe(5000);
    expect(await scalar(t, "select count(*) from products where name like '%' || $1 and stars = 4 and certificate_number like 'OCOP-2024-%'", [tag])).toBe(2500);
    expect(await scalar(t, "select count(*) from certificates c join products p on p.id = c.product_id where p.name like '%' || $1 and c.status = 'active' and c.is_legacy", [tag])).toBe(2500);
    expect(await scalar(t, "select count(*) from product_certifications pc join products p on p.id = pc.product_id where p.name like '%' || $1", [tag])).toBe(5000);
    expect(await scalar(t, "select count(*) from product_channels pc join products p on p.id = pc.product_id where p.name like '%' || $1", [tag])).toBe(5000);
    // Every record has its own audit entry (5,000 + 5,000 + 2,500 certificates + 2,500 recognitions), plus the import's.
    expect(await auditBy(s)).toBe(15_000);
    expect((await importEntries(s)).map((e) => e.after.rows)).toEqual([10_000]);
  });
});
