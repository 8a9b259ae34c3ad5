import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInVietnam } from '../../../shared/certificate-dates.js';
import {
  buildTestApp, call, makeProducer, makeProduct, signIn, unique, unitId, type Session, type TestApp,
} from '../../../../test/helpers/app.js';
import {
  docxOf, exeBytes, insertDossierRow, listFiles, makeEvidence, pdfOf, pngFile, uploadEvidence, xlsxOf, zipOf,
} from '../../../../test/helpers/evidence.js';
import { makeRound } from '../../../../test/helpers/evaluation.js';
import { expectProblem, jpegOf, multipart, scalar } from '../../../../test/helpers/http.js';
import { findEvidenceByIds, findEvidenceOfProducer } from './service.js';

let t: TestApp;
let province: Session;
let chuOfficer: Session;
let kienLaoOfficer: Session;
let viewer: Session;
beforeAll(async () => {
  t = await buildTestApp();
  [province, chuOfficer, kienLaoOfficer, viewer] = await Promise.all([
    signIn(t, 'province_officer'),
    signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] }),
    signIn(t, 'commune_officer', { unitKeys: ['bn-x-kien-lao'] }),
    signIn(t, 'viewer'),
  ]);
});
afterAll(async () => { await t?.close(); });

/** A producer in Chũ with one signed-in user. */
async function producerWithUser() {
  const producer = await makeProducer(t);
  const s = await signIn(t, 'producer', { producerId: producer.id });
  return { producer, s };
}
const rowsOf = (producerId: string) => scalar(t, 'select count(*) from evidence where producer_id = $1', [producerId]);
const shiftDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
type Item = { id: string; version: number; title: string; expired: boolean; usedIn: unknown[]; downloadUrl: string };

/** Asserts a refused upload: the status and code, no new row, no new file. */
async function expectRefused(producerId: string, res: Promise<Awaited<ReturnType<typeof call>>>, status: number, code: string) {
  const before = listFiles(t.filesDir);
  const rows = await rowsOf(producerId);
  const body = expectProblem(await res, status, code);
  expect(listFiles(t.filesDir)).toEqual(before);
  expect(await rowsOf(producerId)).toBe(rows);
  return body;
}

describe('evidence: upload and download', () => {
  it('a producer uploads a PDF to its locker; the list shows it; the download is the same bytes, as an attachment', async () => {
    const { producer, s } = await producerWithUser();
    const pdf = pdfOf('Giay DKKD');
    const filesBefore = listFiles(t.filesDir);
    const res = await uploadEvidence(t, s, producer.id, { data: pdf, fileName: 'Giấy  đăng ký kinh doanh (bản gốc).pdf', contentType: 'application/pdf' }, {
      type: 'business_registration', title: '  Giấy chứng nhận   ĐKKD ', issuer: 'Phòng Tài chính - Kế hoạch', number: '20A8000123', issuedOn: '2020-03-15', expiresOn: '',
    });
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json();
    expect(item).toEqual({
      id: expect.any(String), producerId: producer.id, type: 'business_registration', certificationType: null, title: 'Giấy chứng nhận ĐKKD',
      issuer: 'Phòng Tài chính - Kế hoạch', number: '20A8000123', issuedOn: '2020-03-15', expiresOn: null, expired: false,
      fileName: 'Giấy đăng ký kinh doanh (bản gốc).pdf', contentType: 'application/pdf', bytes: pdf.length, createdAt: expect.any(String),
      version: 1, downloadUrl: `/api/evidence/${item.id}/file`, usedIn: [],
    });
    const added = listFiles(t.filesDir).filter((f) => !filesBefore.includes(f));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^evidence\/[0-9a-f]{2}\/[0-9a-f-]{36}\.pdf$/);
    const [row] = await t.dbh.query<{ sha256: string; storage_key: string; uploaded_by: string }>('select sha256, storage_key, uploaded_by from evidence where id = $1', [item.id]);
    expect(row).toEqual({ sha256: crypto.createHash('sha256').update(pdf).digest('hex'), storage_key: added[0], uploaded_by: s.userId });

    expect((await call(t, s, 'GET', `/api/producers/${producer.id}/evidence`)).json()).toEqual([item]);
    expect((await call(t, s, 'GET', `/api/evidence/${item.id}`)).json()).toEqual(item);

    const dl = await call(t, s, 'GET', item.downloadUrl);
    expect(dl.statusCode).toBe(200);
    expect(Buffer.compare(dl.rawPayload, pdf)).toBe(0);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${'Gi%E1%BA%A5y%20%C4%91%C4%83ng%20k%C3%BD%20kinh%20doanh%20%28b%E1%BA%A3n%20g%E1%BB%91c%29.pdf'}`);
    expect(decodeURIComponent(String(dl.headers['content-disposition']).split("''")[1])).toBe(item.fileName);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['cache-control']).toMatch(/^private/);

    const [audit] = await t.dbh.query<{ action: string; actor_label: string; after: Record<string, unknown> }>(
      "select action, actor_label, after from audit_log where entity_type = 'evidence' and entity_id = $1", [item.id]);
    expect(audit).toMatchObject({ action: 'create', actor_label: s.login, after: { title: 'Giấy chứng nhận ĐKKD', sha256: row.sha256 } });
    expect(audit.after).not.toHaveProperty('storageKey');
  });

  it('PNG, JPEG, a real XLSX (exceljs) and a DOCX are accepted with the sniffed content type', async () => {
    const { producer, s } = await producerWithUser();
    const cases: [Buffer, string, string, string][] = [
      [await pngFile(), 'nhan-san-pham.png', 'photo', 'image/png'],
      [await jpegOf(), 'bao-bi.JPEG', 'photo', 'image/jpeg'],
      [await jpegOf(), 'vuon.jpg', 'photo', 'image/jpeg'],
      [await xlsxOf(), 'Báo cáo 3 năm.xlsx', 'three_year_report', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      [docxOf(), 'Câu chuyện sản phẩm.docx', 'product_story', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ];
    for (const [data, fileName, type, contentType] of cases) {
      // The client's content type is ignored: the bytes decide.
      const res = await uploadEvidence(t, s, producer.id, { data, fileName, contentType: 'application/octet-stream' }, { type, title: fileName });
      expect(res.statusCode, `${fileName}: ${res.body}`).toBe(201);
      expect(res.json()).toMatchObject({ contentType, fileName, bytes: data.length });
      const dl = await call(t, s, 'GET', res.json().downloadUrl);
      expect(dl.headers['content-type']).toBe(contentType);
      expect(Buffer.compare(dl.rawPayload, data)).toBe(0);
    }
    const keys = await t.dbh.query<{ storage_key: string }>('select storage_key from evidence where producer_id = $1', [producer.id]);
    expect(keys.map((k) => k.storage_key.split('.').pop()).sort()).toEqual(['docx', 'jpg', 'jpg', 'png', 'xlsx']);
  });

  it('a renamed executable ("MZ" bytes named x.pdf) → 415 and nothing stored', async () => {
    const { producer, s } = await producerWithUser();
    const p = await expectRefused(producer.id, uploadEvidence(t, s, producer.id, { data: exeBytes(), fileName: 'x.pdf', contentType: 'application/pdf' }), 415, 'UNSUPPORTED_FILE');
    expect(p.title).toBe('Định dạng tệp không được chấp nhận');
    expect(p.detail).toBe('Chỉ nhận tệp PDF, JPEG, PNG, Excel (.xlsx) hoặc Word (.docx)');
  });

  it('an ELF binary, plain text, a plain zip, an empty file → 415 whatever the name; nothing stored', async () => {
    const { producer, s } = await producerWithUser();
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(512)]);
    const cases: [Buffer, string][] = [
      [elf, 'giay-phep.pdf'],
      [Buffer.from('Giấy chứng nhận VietGAP số 123\n'), 'chung-nhan.pdf'],
      [zipOf([{ name: 'a.txt', data: 'x' }]), 'ho-so.docx'],
      [Buffer.alloc(0), 'rong.pdf'],
    ];
    for (const [data, fileName] of cases) {
      await expectRefused(producer.id, uploadEvidence(t, s, producer.id, { data, fileName }), 415, 'UNSUPPORTED_FILE');
    }
  });

  it('the name’s extension must agree with the content (PNG bytes named .pdf, PDF named .docx, no extension) → 415', async () => {
    const { producer, s } = await producerWithUser();
    const p = await expectRefused(producer.id, uploadEvidence(t, s, producer.id, { data: await pngFile(), fileName: 'giay.pdf' }), 415, 'UNSUPPORTED_FILE');
    expect(p.detail).toBe('Nội dung tệp là PNG nhưng tên tệp có đuôi .pdf; hãy dùng đúng đuôi .png');
    await expectRefused(producer.id, uploadEvidence(t, s, producer.id, { data: pdfOf(), fileName: 'giay.docx' }), 415, 'UNSUPPORTED_FILE');
    await expectRefused(producer.id, uploadEvidence(t, s, producer.id, { data: await xlsxOf(), fileName: 'bao-cao.docx' }), 415, 'UNSUPPORTED_FILE');
    await expectRefused(producer.id, uploadEvidence(t, s, producer.id, { data: pdfOf(), fileName: 'giay' }), 415, 'UNSUPPORTED_FILE');
  });

  it('an oversized file (> 2 MiB, the test limit) → 413 and nothing stored', async () => {
    const { producer, s } = await producerWithUser();
    const big = Buffer.concat([pdfOf(), Buffer.alloc(2 * 1024 * 1024 + 1024, 0x20)]);
    const p = await expectRefused(producer.id, uploadEvidence(t, s, producer.id, { data: big, fileName: 'lon.pdf' }), 413, 'FILE_TOO_LARGE');
    expect(p.title).toBe('Tệp quá lớn');
    expect(p.detail).toBe('Tệp vượt quá giới hạn 2 MB');
  });

  it('path-traversal and control-character names → 400 FILE_NAME_INVALID and nothing stored, nothing outside filesDir', async () => {
    const { producer, s } = await producerWithUser();
    const names = ['../../etc/passwd.pdf', '..\\a.pdf', 'a/b.pdf', 'C:\\Windows\\x.pdf', '..', 'bao\u0001cao.pdf', 'hoa-don\u202Efdp.exe.pdf', `${'a'.repeat(197)}.pdf`];
    for (const fileName of names) {
      const p = await expectRefused(producer.id, uploadEvidence(t, s, producer.id, { data: pdfOf(), fileName }), 400, 'FILE_NAME_INVALID');
      expect(p.title).toBe('Tên tệp không hợp lệ');
      expect(p.errors![0].path).toBe('file');
    }
    expect(fs.existsSync(path.resolve(t.filesDir, '../../etc/passwd.pdf'))).toBe(false);
    expect(fs.existsSync(path.resolve(t.filesDir, '../a.pdf'))).toBe(false);
    // 200 characters is still fine.
    expect((await uploadEvidence(t, s, producer.id, { data: pdfOf(), fileName: `${'a'.repeat(196)}.pdf` })).statusCode).toBe(201);
  });

  it('characters Windows refuses are replaced in the stored display name', async () => {
    const { producer, s } = await producerWithUser();
    const res = await uploadEvidence(t, s, producer.id, { data: pdfOf(), fileName: 'Giấy CN: VietGAP? <2024>.pdf' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().fileName).toBe('Giấy CN_ VietGAP_ _2024_.pdf');
  });

  it('field rules: certification needs its type (and only it), expiry not before issue, ISO dates, a title, a known type → 400; nothing stored', async () => {
    const { producer, s } = await producerWithUser();
    const up = (fields: Record<string, string>) => expectRefused(producer.id, uploadEvidence(t, s, producer.id, { data: pdfOf(), fileName: 'a.pdf' }, fields), 400, 'VALIDATION');
    expect((await up({ type: 'certification', title: 'VietGAP' })).errors).toEqual([{ path: 'certificationType', message: 'Chứng nhận cần ghi loại chứng nhận (VietGAP, hữu cơ, …)' }]);
    expect((await up({ type: 'trademark', certificationType: 'vietgap', title: 'Nhãn hiệu' })).errors![0].path).toBe('certificationType');
    expect((await up({ type: 'food_safety_test', title: 'Kiểm nghiệm', issuedOn: '2024-05-10', expiresOn: '2024-05-09' })).errors)
      .toEqual([{ path: 'expiresOn', message: 'Ngày hết hạn không được trước ngày cấp' }]);
    expect((await up({ type: 'food_safety_test', title: 'Kiểm nghiệm', issuedOn: '10/05/2024' })).errors![0].path).toBe('issuedOn');
    expect((await up({ type: 'food_safety_test', title: 'Kiểm nghiệm', expiresOn: '2024-02-30' })).errors![0].path).toBe('expiresOn');
    expect((await up({ type: 'food_safety_test', title: '   ' })).errors).toEqual([{ path: 'title', message: 'Cần tên tài liệu' }]);
    expect((await up({ type: 'passport', title: 'X' })).errors![0].path).toBe('type');
    expect((await up({ title: 'X' })).errors![0].path).toBe('type');
    const ok = await uploadEvidence(t, s, producer.id, { data: pdfOf(), fileName: 'vietgap.pdf' }, {
      type: 'certification', certificationType: 'vietgap', title: 'Chứng nhận VietGAP', issuedOn: '2024-05-10', expiresOn: '2024-05-10',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ certificationType: 'vietgap', issuedOn: '2024-05-10', expiresOn: '2024-05-10' });
  });

  it('an upload without a file part → 400; a JSON body → 415; an unknown producer → 404; nothing stored', async () => {
    const { producer, s } = await producerWithUser();
    const onlyFields = multipart([{ name: 'type', data: 'other' }, { name: 'title', data: 'x' }]);
    const before = listFiles(t.filesDir);
    const r1 = await call(t, s, 'POST', `/api/producers/${producer.id}/evidence`, onlyFields.payload, onlyFields.headers);
    expect(expectProblem(r1, 400, 'VALIDATION').errors).toEqual([{ path: 'file', message: 'Chưa chọn tệp' }]);
    expectProblem(await call(t, s, 'POST', `/api/producers/${producer.id}/evidence`, { type: 'other' }), 415, 'UNSUPPORTED_FILE');
    expectProblem(await uploadEvidence(t, province, '00000000-0000-4000-8000-000000000000', { data: pdfOf(), fileName: 'a.pdf' }), 404, 'NOT_FOUND');
    expect(listFiles(t.filesDir)).toEqual(before);
    expect(await rowsOf(producer.id)).toBe(0);
  });

  it('when the row cannot be written, the stored file is removed again', async () => {
    const { producer, s } = await producerWithUser();
    const tag = unique('FAIL');
    const fn = `evidence_fail_${tag.toLowerCase()}`;
    await t.dbh.query(`create function ${fn}() returns trigger language plpgsql as $$ begin
      if new.title = '${tag}' then raise exception 'simulated failure'; end if; return new; end $$`);
    await t.dbh.query(`create trigger ${fn}_trg before insert on evidence for each row execute function ${fn}()`);
    try {
      const before = listFiles(t.filesDir);
      const res = await uploadEvidence(t, s, producer.id, { data: pdfOf(), fileName: 'a.pdf' }, { type: 'other', title: tag });
      expectProblem(res, 500, 'INTERNAL');
      expect(res.body).not.toContain('simulated');
      expect(listFiles(t.filesDir)).toEqual(before);
      expect(await rowsOf(producer.id)).toBe(0);
    } finally {
      await t.dbh.query(`drop trigger ${fn}_trg on evidence`);
      await t.dbh.query(`drop function ${fn}()`);
    }
  });
});

describe('evidence: who may see and change it', () => {
  it('producer A cannot list, read, download, upload to, update or delete producer B’s evidence (403) while A’s own works', async () => {
    const a = await producerWithUser();
    const b = await producerWithUser();
    const mine: Item = (await uploadEvidence(t, a.s, a.producer.id, { data: pdfOf(), fileName: 'a.pdf' })).json();
    const theirs: Item = (await uploadEvidence(t, b.s, b.producer.id, { data: pdfOf(), fileName: 'b.pdf' })).json();
    const filesBefore = listFiles(t.filesDir);

    expectProblem(await call(t, a.s, 'GET', `/api/producers/${b.producer.id}/evidence`), 403, 'FORBIDDEN');
    expectProblem(await call(t, a.s, 'GET', `/api/evidence/${theirs.id}`), 403, 'FORBIDDEN');
    expect(expectProblem(await call(t, a.s, 'GET', theirs.downloadUrl), 403, 'FORBIDDEN').policy).toBe('canReadEvidence');
    expectProblem(await uploadEvidence(t, a.s, b.producer.id, { data: pdfOf(), fileName: 'x.pdf' }), 403, 'FORBIDDEN');
    expectProblem(await call(t, a.s, 'PUT', `/api/evidence/${theirs.id}`, { version: 1, title: 'Sửa trộm', issuer: null, number: null, issuedOn: null, expiresOn: null, certificationType: null }), 403, 'FORBIDDEN');
    expectProblem(await call(t, a.s, 'DELETE', `/api/evidence/${theirs.id}`), 403, 'FORBIDDEN');
    expect(listFiles(t.filesDir)).toEqual(filesBefore);
    expect((await call(t, b.s, 'GET', `/api/evidence/${theirs.id}`)).json()).toMatchObject({ title: theirs.title, version: 1 });

    expect((await call(t, a.s, 'GET', `/api/producers/${a.producer.id}/evidence`)).json().map((i: Item) => i.id)).toEqual([mine.id]);
    expect((await call(t, a.s, 'GET', mine.downloadUrl)).statusCode).toBe(200);
    const upd = await call(t, a.s, 'PUT', `/api/evidence/${mine.id}`, { version: 1, title: 'Đã sửa', issuer: null, number: null, issuedOn: null, expiresOn: null, certificationType: null });
    expect(upd.statusCode, upd.body).toBe(200);
    expect((await call(t, a.s, 'DELETE', `/api/evidence/${mine.id}`)).json()).toEqual({ ok: true });
  });

  it('every download of a producer\'s document by staff is audited (who, which document); the producer\'s own are not', async () => {
    const { producer, s } = await producerWithUser();
    const item: Item = (await uploadEvidence(t, s, producer.id, { data: pdfOf('Phieu kiem nghiem'), fileName: 'kiem-nghiem.pdf' }, { type: 'food_safety_test', title: 'Phiếu kiểm nghiệm' })).json();
    const reads = () => t.dbh.query<{ actor_label: string; after: Record<string, unknown> }>("select actor_label, after from audit_log where entity_type = 'evidence' and entity_id = $1 and action = 'read_file' order by id", [item.id]);
    expect((await call(t, s, 'GET', item.downloadUrl)).statusCode).toBe(200);
    expect(await reads()).toEqual([]);
    expect((await call(t, province, 'GET', item.downloadUrl)).statusCode).toBe(200);
    expect((await call(t, chuOfficer, 'GET', item.downloadUrl)).statusCode).toBe(200);
    const rows = await reads();
    expect(rows.map((r) => r.actor_label)).toEqual([province.login, chuOfficer.login]);
    expect(rows[0].after).toMatchObject({ producerId: producer.id, type: 'food_safety_test', title: 'Phiếu kiểm nghiệm' });
    // A refused read leaves no trace as a read.
    const other = await producerWithUser();
    expectProblem(await call(t, other.s, 'GET', item.downloadUrl), 403, 'FORBIDDEN');
    expect(await reads()).toHaveLength(2);
  });

  it('officers: commune officer in scope reads and writes; out of scope → 403; province-wide everywhere; viewers 403; anonymous 401', async () => {
    const { producer } = await producerWithUser(); // in Chũ
    const up = await uploadEvidence(t, chuOfficer, producer.id, { data: pdfOf(), fileName: 'dkkd.pdf' });
    expect(up.statusCode, up.body).toBe(201);
    const item: Item = up.json();
    expect((await call(t, chuOfficer, 'GET', `/api/producers/${producer.id}/evidence`)).json()).toHaveLength(1);
    expect((await call(t, province, 'GET', item.downloadUrl)).statusCode).toBe(200);

    const body = { version: 1, title: 'Ngoài phạm vi', issuer: null, number: null, issuedOn: null, expiresOn: null, certificationType: null };
    for (const s of [kienLaoOfficer, viewer]) {
      expectProblem(await call(t, s, 'GET', `/api/producers/${producer.id}/evidence`), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'GET', item.downloadUrl), 403, 'FORBIDDEN');
      expectProblem(await uploadEvidence(t, s, producer.id, { data: pdfOf(), fileName: 'x.pdf' }), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'PUT', `/api/evidence/${item.id}`, body), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'DELETE', `/api/evidence/${item.id}`), 403, 'FORBIDDEN');
    }
    expectProblem(await call(t, null, 'GET', `/api/producers/${producer.id}/evidence`), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, null, 'GET', item.downloadUrl), 401, 'UNAUTHENTICATED');
    expect(await rowsOf(producer.id)).toBe(1);

    // The Kiên Lao officer works on producers of Kiên Lao.
    const there = await makeProducer(t, { unitId: await unitId(t, 'bn-x-kien-lao') });
    expect((await uploadEvidence(t, kienLaoOfficer, there.id, { data: pdfOf(), fileName: 'x.pdf' })).statusCode).toBe(201);
    expectProblem(await call(t, chuOfficer, 'GET', `/api/producers/${there.id}/evidence`), 403, 'FORBIDDEN');
    expect((await call(t, province, 'PUT', `/api/evidence/${item.id}`, { ...body, title: 'Tỉnh sửa' })).statusCode).toBe(200);
  });

  it('council members see only evidence linked to a dossier in a round they sit on', async () => {
    const { producer } = await producerWithUser();
    const product = await makeProduct(t, producer.id);
    const [member, outsider] = await Promise.all([signIn(t, 'council_member'), signIn(t, 'council_member')]);
    const linked = await makeEvidence(t, producer.id, { title: 'Phiếu kiểm nghiệm', type: 'food_safety_test' });
    const unlinked = await makeEvidence(t, producer.id, { title: 'Tài liệu riêng', type: 'other' });

    expect((await call(t, member, 'GET', `/api/producers/${producer.id}/evidence`)).json()).toEqual([]);
    expectProblem(await call(t, member, 'GET', linked.downloadUrl), 403, 'FORBIDDEN');

    const roundId = await makeRound(t, province, { members: [{ s: member, role: 'chair' }], productIds: [product.id], open: false });
    await insertDossierRow(t, { productId: product.id, producerId: producer.id, status: 'assigned', roundId, evidenceIds: [linked.id] });

    const list = (await call(t, member, 'GET', `/api/producers/${producer.id}/evidence`)).json();
    expect(list.map((i: Item) => i.id)).toEqual([linked.id]);
    expect(list[0].usedIn).toEqual([{ dossierId: expect.any(String), productName: product.name, status: 'assigned' }]);
    expect((await call(t, member, 'GET', linked.downloadUrl)).statusCode).toBe(200);
    expectProblem(await call(t, member, 'GET', unlinked.downloadUrl), 403, 'FORBIDDEN');
    // Reading is not writing.
    expectProblem(await call(t, member, 'DELETE', `/api/evidence/${linked.id}`), 403, 'FORBIDDEN');
    expectProblem(await uploadEvidence(t, member, producer.id, { data: pdfOf(), fileName: 'x.pdf' }), 403, 'FORBIDDEN');
    // Another council member, not on that round.
    expect((await call(t, outsider, 'GET', `/api/producers/${producer.id}/evidence`)).json()).toEqual([]);
    expectProblem(await call(t, outsider, 'GET', linked.downloadUrl), 403, 'FORBIDDEN');
  });
});

describe('evidence: metadata, expiry, deletion', () => {
  it('expired = the expiry date is before today in Vietnam (valid through the expiry date)', async () => {
    const { producer, s } = await producerWithUser();
    const today = todayInVietnam();
    const yesterday = await makeEvidence(t, producer.id, { type: 'food_safety_test', title: 'Hết hạn hôm qua', issuedOn: shiftDays(today, -400), expiresOn: shiftDays(today, -1) });
    const todayOne = await makeEvidence(t, producer.id, { type: 'food_safety_test', title: 'Hết hạn hôm nay', expiresOn: today });
    const none = await makeEvidence(t, producer.id, { type: 'trademark', title: 'Không thời hạn' });
    expect([yesterday.expired, todayOne.expired, none.expired]).toEqual([true, false, false]);
    const list: Item[] = (await call(t, s, 'GET', `/api/producers/${producer.id}/evidence`)).json();
    expect(Object.fromEntries(list.map((i) => [i.title, i.expired]))).toEqual({ 'Hết hạn hôm qua': true, 'Hết hạn hôm nay': false, 'Không thời hạn': false });
    // Renewing the date clears the flag.
    const upd = await call(t, s, 'PUT', `/api/evidence/${yesterday.id}`, {
      version: 1, title: yesterday.title, issuer: null, number: null, issuedOn: shiftDays(today, -400), expiresOn: shiftDays(today, 365), certificationType: null,
    });
    expect(upd.json()).toMatchObject({ expired: false, version: 2 });
  });

  it('PUT: version check (409), certification type against the stored type, date order; history keeps the change', async () => {
    const { producer, s } = await producerWithUser();
    const cert = (await uploadEvidence(t, s, producer.id, { data: pdfOf(), fileName: 'vietgap.pdf' }, { type: 'certification', certificationType: 'vietgap', title: 'VietGAP' })).json();
    const body = { version: 1, title: 'Chứng nhận hữu cơ', issuer: 'Tổ chức chứng nhận', number: 'HC-01', issuedOn: '2024-01-01', expiresOn: '2027-01-01', certificationType: 'organic' };
    const ok = await call(t, s, 'PUT', `/api/evidence/${cert.id}`, body);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ title: 'Chứng nhận hữu cơ', certificationType: 'organic', number: 'HC-01', version: 2, type: 'certification', fileName: 'vietgap.pdf' });
    expectProblem(await call(t, s, 'PUT', `/api/evidence/${cert.id}`, { ...body, title: 'Cũ' }), 409, 'VERSION_CONFLICT');
    expect(expectProblem(await call(t, s, 'PUT', `/api/evidence/${cert.id}`, { ...body, version: 2, certificationType: null }), 400, 'VALIDATION').errors![0].path).toBe('certificationType');
    expect(expectProblem(await call(t, s, 'PUT', `/api/evidence/${cert.id}`, { ...body, version: 2, expiresOn: '2023-12-31' }), 400, 'VALIDATION').errors![0].path).toBe('body.expiresOn');
    const other = await makeEvidence(t, producer.id, { type: 'trademark', title: 'Nhãn hiệu' });
    expect(expectProblem(await call(t, s, 'PUT', `/api/evidence/${other.id}`, { ...body, certificationType: 'vietgap' }), 400, 'VALIDATION').errors![0].path).toBe('certificationType');
    expectProblem(await call(t, s, 'PUT', `/api/evidence/00000000-0000-4000-8000-000000000000`, body), 404, 'NOT_FOUND');
    const audit = await t.dbh.query<{ action: string; before: Record<string, unknown>; after: Record<string, unknown> }>(
      "select action, before, after from audit_log where entity_type = 'evidence' and entity_id = $1 order by id", [cert.id]);
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect(audit[1].before).toEqual({ title: 'VietGAP', issuer: null, number: null, issuedOn: null, expiresOn: null, certificationType: 'vietgap' });
    expect(audit[1].after).toMatchObject({ title: 'Chứng nhận hữu cơ', certificationType: 'organic' });
  });

  it('delete: the row and the file go; the download is then 404', async () => {
    const { producer, s } = await producerWithUser();
    const item = (await uploadEvidence(t, s, producer.id, { data: pdfOf(), fileName: 'a.pdf' })).json();
    const [row] = await t.dbh.query<{ storage_key: string }>('select storage_key from evidence where id = $1', [item.id]);
    expect(fs.existsSync(path.join(t.filesDir, row.storage_key))).toBe(true);
    expect((await call(t, s, 'DELETE', `/api/evidence/${item.id}`)).json()).toEqual({ ok: true });
    expect(await rowsOf(producer.id)).toBe(0);
    expect(fs.existsSync(path.join(t.filesDir, row.storage_key))).toBe(false);
    expectProblem(await call(t, s, 'GET', item.downloadUrl), 404, 'NOT_FOUND');
    expectProblem(await call(t, s, 'DELETE', `/api/evidence/${item.id}`), 404, 'NOT_FOUND');
  });

  it('delete is refused (409 IN_USE) while a submitted dossier uses it; a draft’s link is removed with it', async () => {
    const { producer, s } = await producerWithUser();
    const product = await makeProduct(t, producer.id);
    const other = await makeProduct(t, producer.id);
    const used = (await uploadEvidence(t, s, producer.id, { data: pdfOf(), fileName: 'dkkd.pdf' })).json();
    const submitted = await insertDossierRow(t, { productId: product.id, producerId: producer.id, status: 'submitted', evidenceIds: [used.id] });
    const draft = await insertDossierRow(t, { productId: other.id, producerId: producer.id, status: 'draft', evidenceIds: [used.id] });

    const listed = (await call(t, s, 'GET', `/api/producers/${producer.id}/evidence`)).json()[0];
    expect(listed.usedIn).toEqual(expect.arrayContaining([
      { dossierId: submitted, productName: product.name, status: 'submitted' },
      { dossierId: draft, productName: other.name, status: 'draft' },
    ]));
    const p = expectProblem(await call(t, s, 'DELETE', `/api/evidence/${used.id}`), 409, 'IN_USE');
    expect(p.detail).toMatch(/hồ sơ đã nộp/);
    const [row] = await t.dbh.query<{ storage_key: string }>('select storage_key from evidence where id = $1', [used.id]);
    expect(fs.existsSync(path.join(t.filesDir, row.storage_key))).toBe(true);
    expect(await scalar(t, 'select count(*) from dossier_evidence where evidence_id = $1', [used.id])).toBe(2);

    // Once the submitted dossier is withdrawn it still counts (not a draft); only drafts release their evidence.
    await t.dbh.query(`update dossiers set status = 'withdrawn' where id = $1`, [submitted]);
    expectProblem(await call(t, s, 'DELETE', `/api/evidence/${used.id}`), 409, 'IN_USE');

    const onlyDraft = (await uploadEvidence(t, s, producer.id, { data: pdfOf(), fileName: 'nhap.pdf' })).json();
    await t.dbh.query(`insert into dossier_evidence (dossier_id, evidence_id, requirement) values ($1, $2, 'other')`, [draft, onlyDraft.id]);
    expect((await call(t, s, 'DELETE', `/api/evidence/${onlyDraft.id}`)).statusCode).toBe(200);
    expect(await scalar(t, 'select count(*) from dossier_evidence where evidence_id = $1', [onlyDraft.id])).toBe(0);
    expect(await scalar(t, 'select count(*) from dossier_evidence where dossier_id = $1', [draft])).toBe(1);
  });
});

describe('evidence: functions for the dossiers module', () => {
  it('findEvidenceByIds and findEvidenceOfProducer return rows (unknown ids absent)', async () => {
    const { producer } = await producerWithUser();
    const a = await makeEvidence(t, producer.id, { type: 'business_registration', title: 'A' });
    const b = await makeEvidence(t, producer.id, { type: 'photo', title: 'B' }, { fileName: 'b.png', data: await pngFile() });
    const byIds = await findEvidenceByIds(t.dbh.db, [b.id, a.id, b.id, '00000000-0000-4000-8000-000000000000']);
    expect(byIds.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect(byIds.find((r) => r.id === b.id)).toMatchObject({ producerId: producer.id, type: 'photo', contentType: 'image/png', storageKey: expect.stringMatching(/^evidence\//) });
    expect(await findEvidenceByIds(t.dbh.db, [])).toEqual([]);
    const all = await findEvidenceOfProducer(t.dbh.db, producer.id);
    expect(all.map((r) => r.title)).toEqual(['A', 'B']);
  });
});
