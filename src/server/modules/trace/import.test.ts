import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem, fileUpload, scalar } from '../../../../test/helpers/http.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
let province: Session;
let areaTemplate: Buffer;
let houseTemplate: Buffer;
let chu: number;
let kienLao: number;
beforeAll(async () => {
  t = await buildTestApp();
  province = await signIn(t, 'province_officer');
  [chu, kienLao] = await Promise.all([unitId(t, 'bn-p-chu'), unitId(t, 'bn-x-kien-lao')]);
  areaTemplate = (await call(t, province, 'GET', '/api/growing-areas/import-template')).rawPayload;
  houseTemplate = (await call(t, province, 'GET', '/api/packing-houses/import-template')).rawPayload;
});
afterAll(async () => { await t?.close(); });

type Row = (string | number | Date | null)[];
/** The downloaded template with rows filled in, as officers do it. */
async function fill(template: Buffer, sheet: string, rows: Row[]) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as unknown as ArrayBuffer);
  rows.forEach((r, i) => { wb.getWorksheet(sheet)!.getRow(i + 2).values = r; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const importFile = (s: Session | null, kind: 'growing-areas' | 'packing-houses', data: Buffer) => {
  const { payload, headers } = fileUpload(data, 'nhap.xlsx', XLSX);
  return call(t, s, 'POST', `/api/${kind}/import`, payload, headers);
};
const code = () => `VN-BGLN-${unique('').slice(-10).toUpperCase()}`;
const areasWith = (codes: string[]) => scalar(t, 'select count(*) from growing_areas where code = any($1::text[])', [codes]);
const housesWith = (codes: string[]) => scalar(t, 'select count(*) from packing_houses where code = any($1::text[])', [codes]);
const areaByCode = async (c: string) => (await t.dbh.query<Record<string, any>>('select * from growing_areas where code = $1', [c]))[0];

// Area columns: mã, cây trồng, diện tích, số hộ, chủ sở hữu, xã, vĩ độ, kinh độ, đa giác, thị trường, cơ quan cấp, ngày cấp, hiệu lực đến.
const areaRow = (c: string, over: Record<number, string | number | Date | null> = {}): Row => {
  const r: Row = [c, 'Vải thiều', 12.5, 34, 'HTX Vải thiều Hồng Giang', 'Phường Chũ', 21.38, 106.55, null, 'Trung Quốc, Nhật Bản', 'Cục Bảo vệ thực vật', '15/04/2024', '15/04/2027'];
  for (const [i, v] of Object.entries(over)) r[Number(i)] = v;
  return r;
};
// House columns: mã, tên, chủ sở hữu, xã, thị trường, cơ quan cấp, ngày cấp, hiệu lực đến.
const houseRow = (c: string, over: Record<number, string | number | Date | null> = {}): Row => {
  const r: Row = [c, `Cơ sở đóng gói ${c}`, 'Công ty TNHH Quả Việt', '07525', 'us, au', 'Cục Bảo vệ thực vật', '01/05/2024', '01/05/2026'];
  for (const [i, v] of Object.entries(over)) r[Number(i)] = v;
  return r;
};

describe('places import: templates', () => {
  it('officers download both templates: instructions, Vietnamese headers, communes, markets and drop-downs', async () => {
    const officer = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
    for (const [url, file, sheet, first] of [
      ['/api/growing-areas/import-template', 'mau-nhap-vung-trong.xlsx', 'Vùng trồng', ['Mã số vùng trồng *', 'Cây trồng *', 'Diện tích (ha) *']],
      ['/api/packing-houses/import-template', 'mau-nhap-co-so-dong-goi.xlsx', 'Cơ sở đóng gói', ['Mã số cơ sở đóng gói *', 'Tên cơ sở *', 'Chủ sở hữu (mã số đăng ký chủ thể hoặc tên) *']],
    ] as const) {
      const res = await call(t, officer, 'GET', url);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe(XLSX);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${file}"`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Hướng dẫn', sheet, 'Đơn vị hành chính', 'Thị trường']);
      const ws = wb.getWorksheet(sheet)!;
      expect((ws.getRow(1).values as unknown[]).slice(1, 4)).toEqual(first);
      const marketsCol = (ws.getRow(1).values as unknown[]).indexOf('Thị trường (Trung Quốc, Nhật Bản, Mỹ, EU, …)');
      expect(ws.getCell(2, marketsCol).dataValidation).toMatchObject({ type: 'list', formulae: ['"Trung Quốc,Nhật Bản,Mỹ,EU,Úc,Hàn Quốc,Nội địa,Khác"'] });
      const units = wb.getWorksheet('Đơn vị hành chính')!.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1));
      expect(units).toContainEqual(['Chũ', '07525', 'ward']);
      expect(String(wb.getWorksheet('Hướng dẫn')!.getCell('A1').value)).toMatch(/^MẪU NHẬP/);
    }
  });
});

describe('places import: growing areas', () => {
  it('creates, then updates by code (owner by registration number, polygon, Excel dates); unchanged rows are counted apart', async () => {
    const owner = await makeProducer(t);
    const [c1, c2, c3] = [code(), code(), code()];
    const polygon = JSON.stringify({ type: 'Polygon', coordinates: [[[106.52, 21.37], [106.53, 21.37], [106.53, 21.38], [106.52, 21.37]]] });
    const first = await fill(areaTemplate, 'Vùng trồng', [
      areaRow(c1),
      areaRow(c2.toLowerCase(), { 1: 'Nhãn', 2: '7,25', 4: owner.registrationNumber, 5: 'bn-x-kien-lao', 6: null, 7: null, 8: polygon, 9: 'eu; Mỹ, cn', 11: new Date(Date.UTC(2023, 5, 1)) }),
      areaRow(c3, { 3: null, 6: null, 7: null, 9: null, 10: null, 11: null, 12: null }),
    ]);
    const res = await importFile(province, 'growing-areas', first);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: 3, updated: 0, unchanged: 0, errors: [] });

    const a1 = await areaByCode(c1);
    expect(a1).toMatchObject({ crop: 'Vải thiều', area_ha: '12.50', households: 34, owner_name: 'HTX Vải thiều Hồng Giang', owner_producer_id: null, unit_id: chu,
      location: { type: 'Point', coordinates: [106.55, 21.38] }, markets: ['cn', 'jp'], issuing_authority: 'Cục Bảo vệ thực vật' });
    const read = (await call(t, province, 'GET', `/api/growing-areas/${a1.id}`)).json();
    expect(read).toMatchObject({ issuedOn: '2024-04-15', validTo: '2027-04-15', version: 1 });
    const a2 = (await call(t, province, 'GET', `/api/growing-areas/${(await areaByCode(c2)).id}`)).json();
    expect(a2).toMatchObject({ code: c2, crop: 'Nhãn', areaHa: 7.25, owner: { producerId: owner.id, producerName: owner.legalName, name: null },
      unit: { id: kienLao }, markets: ['eu', 'us', 'cn'], issuedOn: '2023-06-01', location: JSON.parse(polygon) });
    expect(await areaByCode(c3)).toMatchObject({ households: null, location: null, markets: [], issued_on: null });
    expect(await scalar(t, "select count(*) from audit_log where entity_type = 'growing_area' and action = 'create' and actor_id = $1 and after->>'code' = any($2::text[])", [province.userId, [c1, c2, c3]])).toBe(3);

    // Second file: c1 changes area and markets, c2 is the same, c4 is new.
    const c4 = code();
    const second = await fill(areaTemplate, 'Vùng trồng', [
      areaRow(c1, { 2: 20, 9: 'Trung Quốc, Nhật Bản, Mỹ, EU' }),
      areaRow(c2, { 1: 'Nhãn', 2: '7,25', 4: owner.registrationNumber, 5: 'bn-x-kien-lao', 6: null, 7: null, 8: polygon, 9: 'eu, us, cn', 11: '01/06/2023' }),
      areaRow(c4),
    ]);
    const res2 = await importFile(province, 'growing-areas', second);
    expect(res2.statusCode, res2.body).toBe(200);
    expect(res2.json()).toEqual({ created: 1, updated: 1, unchanged: 1, errors: [] });
    const a1after = (await call(t, province, 'GET', `/api/growing-areas/${a1.id}`)).json();
    expect(a1after).toMatchObject({ areaHa: 20, markets: ['cn', 'jp', 'us', 'eu'], version: 2 });
    expect((await areaByCode(c2)).version).toBe(1);
    const log = await t.dbh.query<{ action: string; before: any; after: any }>("select action, before, after from audit_log where entity_type = 'growing_area' and entity_id = $1 order by at, id", [a1.id]);
    expect(log.map((l) => l.action)).toEqual(['create', 'update']);
    expect(log[1].after).toEqual({ areaHa: '20.00', markets: ['cn', 'jp', 'us', 'eu'] });
  });

  it('one bad row writes nothing: 422 with row, column and a Vietnamese message for every error', async () => {
    const [good, bad, dup] = [code(), code(), code()];
    // Other test files share the database and may add places meanwhile: count what this officer wrote.
    const writtenBefore = await scalar(t, 'select count(*) from audit_log where actor_id = $1', [province.userId]);
    const file = await fill(areaTemplate, 'Vùng trồng', [
      areaRow(good),
      areaRow(bad, { 2: 'mười', 4: '0109999999', 5: 'Xã Không Có', 6: 106.55, 7: 21.38, 9: 'Trung Quốc, Sao Hỏa', 11: '31/02/2024' }),
      areaRow(dup),
      areaRow(dup),
    ]);
    const res = await importFile(province, 'growing-areas', file);
    const p = expectProblem(res, 422, 'IMPORT_INVALID');
    expect(p.title).toBe('Tệp Excel có lỗi, chưa có dòng nào được ghi');
    const errs = p.errors as unknown as { path: string; row: number; column: string; message: string }[];
    const byCol = Object.fromEntries(errs.filter((e) => e.row === 3).map((e) => [e.column, e.message]));
    expect(byCol).toEqual({
      C: 'Diện tích: "mười" không phải là số',
      E: 'Chủ sở hữu: không có chủ thể mã số "0109999999" trong hệ thống (ghi đúng mã số đăng ký/MST, hoặc ghi tên chủ sở hữu)',
      F: 'Không có xã/phường/thị trấn "Xã Không Có" (xem trang "Đơn vị hành chính")',
      G: 'Vĩ độ: Toạ độ nằm ngoài lãnh thổ Việt Nam (kinh độ 102–110, vĩ độ 8–24; thứ tự [kinh độ, vĩ độ])',
      J: 'Thị trường: không hiểu "Sao Hỏa" (ghi Trung Quốc, Nhật Bản, Mỹ, EU, Úc, Hàn Quốc, Nội địa, Khác hoặc mã cn/jp/us/eu/au/kr/domestic/other, cách nhau bởi dấu phẩy)',
      L: 'Ngày cấp: ngày "31/02/2024" không hợp lệ (dd/mm/yyyy)',
    });
    expect(errs.find((e) => e.row === 3 && e.column === 'C')!.path).toBe('Vùng trồng!C3');
    expect(errs.filter((e) => e.row === 5)).toEqual([{ path: 'Vùng trồng!A5', row: 5, column: 'A', message: `Mã số vùng trồng: mã ${dup} trùng với dòng 4` }]);
    expect(errs.some((e) => e.row === 2)).toBe(false);
    expect(await areasWith([good, bad, dup])).toBe(0);
    expect(await scalar(t, 'select count(*) from audit_log where actor_id = $1', [province.userId])).toBe(writtenBefore);
  });

  it('a point outside Vietnam (lat/lng swapped) and valid-to before issued-on are reported on their columns', async () => {
    const c = code();
    const file = await fill(areaTemplate, 'Vùng trồng', [areaRow(c, { 6: 106.55, 7: 21.38, 11: '15/04/2025', 12: '15/04/2024' })]);
    const errs = expectProblem(await importFile(province, 'growing-areas', file), 422, 'IMPORT_INVALID').errors as unknown as { column: string; message: string }[];
    expect(errs.map((e) => [e.column, e.message]).sort()).toEqual([
      ['G', 'Vĩ độ: Toạ độ nằm ngoài lãnh thổ Việt Nam (kinh độ 102–110, vĩ độ 8–24; thứ tự [kinh độ, vĩ độ])'],
      ['M', 'Có hiệu lực đến: Ngày hết hiệu lực không được trước ngày cấp'],
    ]);
    expect(await areasWith([c])).toBe(0);
  });
});

describe('places import: packing houses', () => {
  it('creates and updates packing houses by code; a bad row among good ones writes nothing', async () => {
    const [h1, h2] = [code(), code()];
    const res = await importFile(province, 'packing-houses', await fill(houseTemplate, 'Cơ sở đóng gói', [houseRow(h1), houseRow(h2, { 4: 'Hàn Quốc' })]));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: 2, updated: 0, unchanged: 0, errors: [] });
    const list = (await call(t, province, 'GET', `/api/packing-houses?q=${h1}`)).json();
    expect(list.items[0]).toMatchObject({ code: h1, name: `Cơ sở đóng gói ${h1}`, markets: ['us', 'au'], unit: { id: chu }, issuedOn: '2024-05-01', validTo: '2026-05-01' });

    const h3 = code();
    const bad = await fill(houseTemplate, 'Cơ sở đóng gói', [houseRow(h1, { 1: 'Tên mới' }), houseRow(h3, { 1: null })]);
    const p = expectProblem(await importFile(province, 'packing-houses', bad), 422, 'IMPORT_INVALID');
    expect(p.errors).toEqual([{ path: 'Cơ sở đóng gói!B3', row: 3, column: 'B', message: 'Tên cơ sở: Chưa nhập tên cơ sở đóng gói' }]);
    expect(await housesWith([h3])).toBe(0);
    expect((await call(t, province, 'GET', `/api/packing-houses?q=${h1}`)).json().items[0].name).toBe(`Cơ sở đóng gói ${h1}`);

    const ok = await importFile(province, 'packing-houses', await fill(houseTemplate, 'Cơ sở đóng gói', [houseRow(h1, { 1: 'Tên mới' }), houseRow(h2, { 4: 'kr' })]));
    expect(ok.json()).toEqual({ created: 0, updated: 1, unchanged: 1, errors: [] });
    expect((await call(t, province, 'GET', `/api/packing-houses?q=${h1}`)).json().items[0]).toMatchObject({ name: 'Tên mới', version: 2 });
  });

  it('a file that is not the template: wrong headers → 422, not an xlsx → 415', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Cơ sở đóng gói').addRow(['Mã', 'Tên']);
    const p = expectProblem(await importFile(province, 'packing-houses', Buffer.from(await wb.xlsx.writeBuffer())), 422, 'IMPORT_INVALID');
    expect(p.errors![0]).toMatchObject({ path: 'Cơ sở đóng gói!A1', message: 'Tiêu đề cột phải là "Mã số cơ sở đóng gói *" — hãy dùng mẫu của hệ thống' });
    expectProblem(await importFile(province, 'packing-houses', Buffer.from('not a spreadsheet')), 415, 'UNSUPPORTED_FILE');
  });
});

describe('places import: who may import', () => {
  it.each(['viewer', 'council_member'] as const)('%s may neither download the templates nor import (403)', async (role) => {
    const s = await signIn(t, role);
    expectProblem(await call(t, s, 'GET', '/api/growing-areas/import-template'), 403, 'FORBIDDEN');
    expectProblem(await call(t, s, 'GET', '/api/packing-houses/import-template'), 403, 'FORBIDDEN');
    const c = code();
    expectProblem(await importFile(s, 'growing-areas', await fill(areaTemplate, 'Vùng trồng', [areaRow(c)])), 403, 'FORBIDDEN');
    expect(await areasWith([c])).toBe(0);
  });

  it('producer users cannot import, not even their own places (403); anonymous → 401', async () => {
    const pa = await makeProducer(t);
    const s = await signIn(t, 'producer', { producerId: pa.id });
    const c = code();
    expectProblem(await call(t, s, 'GET', '/api/growing-areas/import-template'), 403, 'FORBIDDEN');
    expectProblem(await importFile(s, 'growing-areas', await fill(areaTemplate, 'Vùng trồng', [areaRow(c, { 4: pa.registrationNumber })])), 403, 'FORBIDDEN');
    expectProblem(await importFile(s, 'packing-houses', await fill(houseTemplate, 'Cơ sở đóng gói', [houseRow(c, { 2: pa.registrationNumber })])), 403, 'FORBIDDEN');
    expect(await areasWith([c]) + (await housesWith([c]))).toBe(0);
    expectProblem(await call(t, null, 'GET', '/api/growing-areas/import-template'), 401, 'UNAUTHENTICATED');
    expectProblem(await importFile(null, 'growing-areas', areaTemplate), 401, 'UNAUTHENTICATED');
  });

  it('a commune officer imports inside its commune only: a row outside, or an update of a place outside, refuses the whole file', async () => {
    const officer = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
    const [inside, outside, other] = [code(), code(), code()];
    // A place in Kiên Lao registered by the province.
    expect((await importFile(province, 'growing-areas', await fill(areaTemplate, 'Vùng trồng', [areaRow(other, { 5: 'Kiên Lao' })]))).statusCode).toBe(200);

    const res = await importFile(officer, 'growing-areas', await fill(areaTemplate, 'Vùng trồng', [
      areaRow(inside), areaRow(outside, { 5: 'Kiên Lao' }), areaRow(other, { 5: 'Phường Chũ' }),
    ]));
    const p = expectProblem(res, 422, 'IMPORT_INVALID');
    expect(p.errors).toEqual([
      { path: 'Vùng trồng!F3', row: 3, column: 'F', message: 'Xã/phường/thị trấn: đơn vị hành chính nằm ngoài phạm vi bạn phụ trách' },
      { path: 'Vùng trồng!A4', row: 4, column: 'A', message: `Mã số vùng trồng: vùng trồng ${other} thuộc đơn vị ngoài phạm vi bạn phụ trách, bạn không được sửa` },
    ]);
    expect(await areasWith([inside, outside])).toBe(0);
    expect((await areaByCode(other)).unit_id).toBe(kienLao);

    const ok = await importFile(officer, 'growing-areas', await fill(areaTemplate, 'Vùng trồng', [areaRow(inside)]));
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await areaByCode(inside)).unit_id).toBe(chu);
  });
});
