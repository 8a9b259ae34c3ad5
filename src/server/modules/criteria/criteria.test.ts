import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, leafId, makeProducer, signIn, unique, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem, fileUpload } from '../../../../test/helpers/http.js';
import { demoSheet, leafNodes, setIdByCode } from '../../../../test/helpers/evaluation.js';
import type { CriteriaSheetDoc } from '../../../shared/criteria.js';
import { seedDir } from '../../seed/reference.js';

let t: TestApp;
let officer: Session;
beforeAll(async () => {
  t = await buildTestApp();
  officer = await signIn(t, 'province_officer');
});
afterAll(async () => { await t?.close(); });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Issue = { code: string; severity: string; message: string };

const setBody = (over: Record<string, unknown> = {}) => ({
  code: unique('s').toLowerCase(), name: 'Bộ tiêu chí thử nghiệm', decision: '148/QĐ-TTg', taxonomyVersion: '148',
  partMaxima: { A: 40, B: 25, C: 35 }, ...over,
});

async function newDraftSet(s: Session = officer) {
  const res = await call(t, s, 'POST', '/api/criteria/sets', setBody());
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json()).toMatchObject({ status: 'draft', publishedAt: null, sheets: [] });
  return res.json().id as number;
}

/** Leaves as comparable plain data: code, max, mandatory star, options. */
const shape = (doc: CriteriaSheetDoc) =>
  leafNodes(doc).map((l) => ({ code: l.code, max: l.max ?? null, mandatoryFromStar: l.mandatoryFromStar ?? null, options: (l.options ?? []).map((o) => [o.label, o.points]) }));

describe('criteria sets: list and validator report', () => {
  it("lists '148-demo' published (demo) and '1048' draft whose part A is reported", async () => {
    const res = await call(t, officer, 'GET', '/api/criteria/sets');
    expect(res.statusCode).toBe(200);
    const sets = res.json() as { code: string; status: string; isDemo: boolean; publishedAt: string | null; sheets: { taxonomyCode: string; issues: Issue[]; criteriaCount: number }[] }[];
    const demo = sets.find((s) => s.code === '148-demo')!;
    expect(demo).toMatchObject({ status: 'published', isDemo: true });
    expect(demo.publishedAt).not.toBeNull();
    const i1a = demo.sheets.find((s) => s.taxonomyCode === 'I.1.a')!;
    expect(i1a.criteriaCount).toBe(29);
    expect(i1a.issues.filter((i) => i.severity === 'error')).toEqual([]);

    const old = sets.find((s) => s.code === '1048')!;
    expect(old).toMatchObject({ status: 'draft', publishedAt: null });
    expect(old.sheets).toHaveLength(1);
    const errors = old.sheets[0].issues.filter((i) => i.severity === 'error');
    expect(errors.map((e) => e.code)).toContain('A');
    expect(errors.find((e) => e.code === 'A')!.message).toMatch(/36/);
  });

  it("publishing '1048' is refused with CRITERIA_INVALID naming the criterion code, and it stays a draft", async () => {
    const id = await setIdByCode(t, '1048');
    const body = expectProblem(await call(t, officer, 'POST', `/api/criteria/sets/${id}/publish`), 422, 'CRITERIA_INVALID');
    expect(body.errors!.map((e) => e.path)).toContain('1.1.a:A');
    expect(body.errors!.find((e) => e.path === '1.1.a:A')!.message).toMatch(/36/);
    const [row] = await t.dbh.query<{ status: string; published_at: unknown }>('select status, published_at from criteria_sets where id = $1', [id]);
    expect(row).toEqual({ status: 'draft', published_at: null });
  });

  it('POST /api/criteria/validate returns the issues of a document without storing it', async () => {
    const member = await signIn(t, 'council_member');
    const doc = {
      parts: [
        { code: 'A', title: 'Phần A', max: 60, children: [{ code: 'A1', title: 'Mục', max: 5, children: [{ code: 'A1.1', title: 'TC', max: 5, options: [{ label: 'x', points: 7 }, { label: 'y', points: 5 }] }] }] },
        { code: 'B', title: 'Phần B', max: 40, children: [{ code: 'B1', title: 'Mục', max: 40, children: [{ code: 'B1.1', title: 'TC', max: 40, options: [{ label: 'z', points: 40 }] }] }] },
      ],
    };
    const res = await call(t, member, 'POST', '/api/criteria/validate', { doc, partMaxima: { A: 60, B: 40 } });
    expect(res.statusCode, res.body).toBe(200);
    const issues = res.json() as Issue[];
    const errs = issues.filter((i) => i.severity === 'error');
    expect(errs.map((i) => i.code).sort()).toEqual(['A', 'A1.1']);
    expect(errs.find((i) => i.code === 'A1.1')!.message).toMatch(/7 điểm/);
    expect(errs.find((i) => i.code === 'A')!.message).toMatch(/\(5\).*\(60\)/);

    const ok = await call(t, member, 'POST', '/api/criteria/validate', { doc: (await demoSheet(t)).doc, partMaxima: { A: 40, B: 25, C: 35 } });
    expect(ok.json().filter((i: Issue) => i.severity === 'error')).toEqual([]);
    expect((await call(t, null, 'POST', '/api/criteria/validate', { doc })).statusCode).toBe(401);
  });

  it('GET /api/procedures lists 148, 148+1489 and 1048 with their levels', async () => {
    const member = await signIn(t, 'council_member');
    const res = await call(t, member, 'GET', '/api/procedures');
    expect(res.statusCode).toBe(200);
    const procs = res.json() as { code: string; levels: { level: string; recognisesStars: number[]; forwardFrom: number | null; forwardTo: string | null }[] }[];
    expect(procs.map((p) => p.code)).toEqual(expect.arrayContaining(['148', '148+1489', '1048']));
    const p148 = procs.find((p) => p.code === '148')!;
    expect(p148.levels.find((l) => l.level === 'district')).toMatchObject({ recognisesStars: [3], forwardFrom: 70, forwardTo: 'province' });
    const p1489 = procs.find((p) => p.code === '148+1489')!;
    expect(p1489.levels.map((l) => l.level)).not.toContain('district');
    expect(p1489.levels.find((l) => l.level === 'province')).toMatchObject({ recognisesStars: [3, 4], forwardFrom: 90, forwardTo: 'central' });
    expect(procs.find((p) => p.code === '1048')!.levels.find((l) => l.level === 'district')).toMatchObject({ recognisesStars: [], forwardFrom: 50 });
  });
});

describe('criteria sets are checked against their decision before publishing', () => {
  const publishWith = async (over: Record<string, unknown>) => {
    const res = await call(t, officer, 'POST', '/api/criteria/sets', { ...setBody(), ...over });
    expect(res.statusCode, res.body).toBe(201);
    const { doc } = await demoSheet(t);
    expect((await call(t, officer, 'PUT', `/api/criteria/sets/${res.json().id}/sheet`, { taxonomyNodeId: await leafId(t), title: 'Thử', doc })).statusCode).toBe(200);
    return { id: res.json().id as number, res: await call(t, officer, 'POST', `/api/criteria/sets/${res.json().id}/publish`) };
  };
  it('a "QĐ 148" set with the parts of QĐ 1048 (A35/B25/C40) is refused and stays a draft', async () => {
    const { id, res } = await publishWith({ decision: '148/QĐ-TTg', partMaxima: { A: 35, B: 25, C: 40 } });
    const body = expectProblem(res, 422, 'CRITERIA_DECISION_MISMATCH');
    expect(body.errors!.map((e) => e.path)).toContain('partMaxima');
    expect(body.detail).toMatch(/A40\/B25\/C35/);
    const [row] = await t.dbh.query<{ status: string }>('select status from criteria_sets where id = $1', [id]);
    expect(row.status).toBe('draft');
  });
  it('star bands out of order, with a gap in the stars or not from 0 are refused', async () => {
    for (const starBands of [
      [{ star: 1, min: 0 }, { star: 2, min: 50 }, { star: 3, min: 30 }, { star: 4, min: 70 }, { star: 5, min: 90 }],
      [{ star: 1, min: 0 }, { star: 3, min: 50 }, { star: 4, min: 70 }, { star: 5, min: 90 }],
      [{ star: 1, min: 10 }, { star: 2, min: 30 }, { star: 3, min: 50 }, { star: 4, min: 70 }, { star: 5, min: 90 }],
    ]) {
      const { res } = await publishWith({ decision: '148/QĐ-TTg', partMaxima: { A: 40, B: 25, C: 35 }, starBands });
      expect(expectProblem(res, 422, 'CRITERIA_DECISION_MISMATCH').errors!.map((e) => e.path)).toContain('starBands');
    }
  });
  it('a decision with no structure on record cannot be published; the right structure can', async () => {
    expectProblem((await publishWith({ decision: '999/QĐ-TTg', partMaxima: { A: 40, B: 25, C: 35 } })).res, 422, 'CRITERIA_DECISION_MISMATCH');
    const ok = (await publishWith({ decision: 'QĐ 148/QĐ-TTg', partMaxima: { A: 40, B: 25, C: 35 } })).res;
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('criteria sets: draft → publish → immutable', () => {
  it('an officer creates a draft, puts a sheet, publishes; afterwards PUT/DELETE give 409 and the rows stay unchanged', async () => {
    const setId = await newDraftSet();
    const { doc } = await demoSheet(t);
    const put = await call(t, officer, 'PUT', `/api/criteria/sets/${setId}/sheet`, { taxonomyNodeId: await leafId(t), title: 'Rau củ quả tươi (thử)', doc });
    expect(put.statusCode, put.body).toBe(200);
    const sheet = put.json();
    expect(sheet).toMatchObject({ setId, taxonomyCode: 'I.1.a', criteriaCount: 29, title: 'Rau củ quả tươi (thử)' });
    expect(sheet.issues.filter((i: Issue) => i.severity === 'error')).toEqual([]);

    // Draft: a second sheet may be added and removed again.
    const extra = await call(t, officer, 'PUT', `/api/criteria/sets/${setId}/sheet`, { taxonomyNodeId: await leafId(t, 'I.1.b'), title: 'Tạm', doc });
    expect(extra.statusCode, extra.body).toBe(200);
    expect((await call(t, officer, 'DELETE', `/api/criteria/sheets/${extra.json().id}`)).statusCode).toBe(200);
    expect((await call(t, officer, 'GET', `/api/criteria/sheets/${extra.json().id}`)).statusCode).toBe(404);

    const pub = await call(t, officer, 'POST', `/api/criteria/sets/${setId}/publish`);
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().status).toBe('published');
    expect(pub.json().publishedAt).not.toBeNull();
    expect(pub.json().sheets.map((s: { id: number }) => s.id)).toEqual([sheet.id]);

    const before = await t.dbh.query('select title, doc, updated_at from criteria_sheets where set_id = $1 order by id', [setId]);
    const changed = { ...doc, parts: doc.parts.map((p, i) => (i === 0 ? { ...p, title: 'Đổi tên' } : p)) };
    expectProblem(await call(t, officer, 'PUT', `/api/criteria/sets/${setId}/sheet`, { taxonomyNodeId: await leafId(t), title: 'Sửa sau ban hành', doc: changed }), 409, 'CRITERIA_PUBLISHED');
    expectProblem(await call(t, officer, 'PUT', `/api/criteria/sets/${setId}/sheet`, { taxonomyNodeId: await leafId(t, 'I.1.b'), title: 'Thêm sau ban hành', doc }), 409, 'CRITERIA_PUBLISHED');
    expectProblem(await call(t, officer, 'DELETE', `/api/criteria/sheets/${sheet.id}`), 409, 'CRITERIA_PUBLISHED');
    expectProblem(await call(t, officer, 'POST', `/api/criteria/sets/${setId}/publish`), 409, 'CRITERIA_PUBLISHED');
    const after = await t.dbh.query('select title, doc, updated_at from criteria_sheets where set_id = $1 order by id', [setId]);
    expect(after).toEqual(before);

    // The database itself refuses (trigger), whatever the application does.
    await expect(t.dbh.query("update criteria_sheets set title = 'SQL trực tiếp' where id = $1", [sheet.id])).rejects.toThrow(/published/);
    await expect(t.dbh.query('delete from criteria_sheets where id = $1', [sheet.id])).rejects.toThrow(/published/);
    await expect(t.dbh.query("update criteria_sets set name = 'SQL trực tiếp' where id = $1", [setId])).rejects.toThrow(/published/);
    await expect(t.dbh.query('insert into criteria_sheets (set_id, taxonomy_node_id, title, doc) values ($1, $2, $3, $4)', [setId, await leafId(t, 'I.1.b'), 'chen', JSON.stringify(doc)])).rejects.toThrow(/published/);
    expect(await t.dbh.query('select title, doc, updated_at from criteria_sheets where set_id = $1 order by id', [setId])).toEqual(before);
  });

  it('council members, producers and commune officers may not create, edit or publish; an admin may create', async () => {
    const producer = await makeProducer(t);
    const draftId = await newDraftSet();
    const { doc } = await demoSheet(t);
    for (const s of [await signIn(t, 'council_member'), await signIn(t, 'producer', { producerId: producer.id }), await signIn(t, 'commune_officer'), await signIn(t, 'viewer')]) {
      expectProblem(await call(t, s, 'POST', '/api/criteria/sets', setBody()), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'PUT', `/api/criteria/sets/${draftId}/sheet`, { taxonomyNodeId: await leafId(t), title: 'Không được', doc }), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'POST', `/api/criteria/sets/${draftId}/publish`), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'POST', `/api/criteria/sets/${await setIdByCode(t, '1048')}/publish`), 403, 'FORBIDDEN');
      // Everyone signed in reads criteria.
      expect((await call(t, s, 'GET', `/api/criteria/sets/${draftId}`)).statusCode).toBe(200);
    }
    expect(await t.dbh.query('select count(*)::int as n from criteria_sheets where set_id = $1', [draftId])).toEqual([{ n: 0 }]);
    const [row] = await t.dbh.query<{ status: string }>('select status from criteria_sets where id = $1', [draftId]);
    expect(row.status).toBe('draft');
    const admin = await signIn(t, 'admin');
    expect((await call(t, admin, 'POST', '/api/criteria/sets', setBody())).statusCode).toBe(201);
    expect((await call(t, null, 'POST', '/api/criteria/sets', setBody())).statusCode).toBe(401);
  });

  it('publishing an empty draft is refused; a sheet on a leaf of another taxonomy version is refused', async () => {
    const setId = await newDraftSet();
    const body = expectProblem(await call(t, officer, 'POST', `/api/criteria/sets/${setId}/publish`), 422, 'CRITERIA_INVALID');
    expect(body.errors!.map((e) => e.path)).toEqual(['sheets']);
    const [node1048] = await t.dbh.query<{ id: number }>("select id from taxonomy_nodes where version = '1048' and code = '1.1.a'");
    const res = await call(t, officer, 'PUT', `/api/criteria/sets/${setId}/sheet`, { taxonomyNodeId: node1048.id, title: 'Sai bộ phân loại', doc: (await demoSheet(t)).doc });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().code).toBe('TAXONOMY_NOT_LEAF');
  });
});

describe('criteria sheets: Excel template and transcription', () => {
  async function template(sheetId?: number) {
    const res = await call(t, officer, 'GET', `/api/criteria/template.xlsx${sheetId ? `?sheetId=${sheetId}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX);
    return res.rawPayload;
  }
  const importUrl = async (setId: number, title = 'Nhập từ Excel') => `/api/criteria/sets/${setId}/sheet/import?taxonomyNodeId=${await leafId(t)}&title=${encodeURIComponent(title)}`;

  it('the template of a sheet, uploaded back into a new draft set, round-trips (same leaves and options)', async () => {
    const demo = await demoSheet(t);
    const xlsx = await template(demo.id);
    const setId = await newDraftSet();
    const up = fileUpload(xlsx, 'phieu.xlsx', XLSX);
    const res = await call(t, officer, 'POST', await importUrl(setId), up.payload, up.headers);
    expect(res.statusCode, res.body).toBe(200);
    const sheet = res.json();
    expect(sheet).toMatchObject({ setId, taxonomyCode: 'I.1.a', title: 'Nhập từ Excel', criteriaCount: 29 });
    expect(sheet.issues.filter((i: Issue) => i.severity === 'error')).toEqual([]);
    expect(shape(sheet.doc)).toEqual(shape(demo.doc));
    expect(sheet.doc.parts.map((p: { code: string; max: number }) => [p.code, p.max])).toEqual([['A', 40], ['B', 25], ['C', 35]]);
    // The stored row is the same document.
    const [row] = await t.dbh.query<{ doc: CriteriaSheetDoc }>('select doc from criteria_sheets where id = $1', [sheet.id]);
    expect(shape(row.doc)).toEqual(shape(demo.doc));
    // The blank template parses too (an example part).
    const blank = await template();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(blank as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Tiêu chí')!.getRow(2).getCell(1).value).toBe('A');
  });

  it('an option above its criterion maximum is stored as a draft, reported by code, and publish refuses', async () => {
    const demo = await demoSheet(t);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await template(demo.id)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Tiêu chí')!;
    let target = 0;
    ws.eachRow((row, n) => { if (row.getCell(1).value === 'A1.1') target = n + 1; });
    expect(target).toBeGreaterThan(0);
    expect(ws.getRow(target).getCell(4).value).toBe(1);
    ws.getRow(target).getCell(4).value = 9;
    const setId = await newDraftSet();
    const up = fileUpload(Buffer.from(await wb.xlsx.writeBuffer()), 'sai.xlsx', XLSX);
    const res = await call(t, officer, 'POST', await importUrl(setId, 'Có lỗi'), up.payload, up.headers);
    expect(res.statusCode, res.body).toBe(200);
    const errs = (res.json().issues as Issue[]).filter((i) => i.severity === 'error');
    expect(errs.map((i) => i.code)).toEqual(['A1.1']);
    expect(errs[0].message).toMatch(/9 điểm/);

    const set = (await call(t, officer, 'GET', `/api/criteria/sets/${setId}`)).json();
    expect(set.status).toBe('draft');
    expect(set.sheets[0].issues.filter((i: Issue) => i.severity === 'error').map((i: Issue) => i.code)).toEqual(['A1.1']);
    const body = expectProblem(await call(t, officer, 'POST', `/api/criteria/sets/${setId}/publish`), 422, 'CRITERIA_INVALID');
    expect(body.errors!.map((e) => e.path)).toEqual(['I.1.a:A1.1']);
    const [row] = await t.dbh.query<{ status: string }>('select status from criteria_sets where id = $1', [setId]);
    expect(row.status).toBe('draft');
  });

  it('a file that is not the template is refused and nothing is stored', async () => {
    const setId = await newDraftSet();
    const up = fileUpload(Buffer.from('ma,noi dung\nA,Phan A\n'), 'x.csv', 'text/csv');
    expectProblem(await call(t, officer, 'POST', await importUrl(setId), up.payload, up.headers), 415, 'UNSUPPORTED_FILE');
    // An option row before any criterion: IMPORT_INVALID with the row.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Tiêu chí');
    ws.addRow(['Mã', 'Nội dung', 'Điểm tối đa', 'Điểm phương án', 'Bắt buộc']);
    ws.addRow([null, 'Phương án mồ côi', null, 2, null]);
    const bad = fileUpload(Buffer.from(await wb.xlsx.writeBuffer()), 'bad.xlsx', XLSX);
    const body = expectProblem(await call(t, officer, 'POST', await importUrl(setId), bad.payload, bad.headers), 422, 'IMPORT_INVALID');
    expect(body.errors!.map((e) => e.path)).toContain('Tiêu chí!B2');
    expect(await t.dbh.query('select count(*)::int as n from criteria_sheets where set_id = $1', [setId])).toEqual([{ n: 0 }]);
  });

  it('the QĐ 1048 transcription: only the part A defect is reported, and its Excel template round-trips', async () => {
    const raw = JSON.parse(fs.readFileSync(path.join(seedDir, 'criteria/1048-rau-cu-qua-hat-tuoi.json'), 'utf8'));
    const [node] = await t.dbh.query<{ id: number }>("select id from taxonomy_nodes where version = '1048' and code = '1.1.a'");
    const mk = async () => {
      const res = await call(t, officer, 'POST', '/api/criteria/sets', setBody({ taxonomyVersion: '1048', partMaxima: { A: 35, B: 25, C: 40 } }));
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as number;
    };
    const setId = await mk();
    const res = await call(t, officer, 'PUT', `/api/criteria/sets/${setId}/sheet/transcription`, { taxonomyNodeId: node.id, title: 'Rau, củ, quả, hạt tươi (1048)', transcription: raw });
    expect(res.statusCode, res.body).toBe(200);
    const sheet = res.json();
    // Single-criterion sections (C2 "Dinh dưỡng" holding criterion C2) are one node, not a duplicate code.
    expect(sheet.issues.filter((i: Issue) => i.severity === 'error').map((i: Issue) => i.code)).toEqual(['A']);
    expect(leafNodes(sheet.doc).map((l) => l.code)).toContain('C2');

    const xlsx = await template(sheet.id);
    const other = await mk();
    const up = fileUpload(xlsx, '1048.xlsx', XLSX);
    const back = await call(t, officer, 'POST', `/api/criteria/sets/${other}/sheet/import?taxonomyNodeId=${node.id}&title=${encodeURIComponent('Nhập lại 1048')}`, up.payload, up.headers);
    expect(back.statusCode, back.body).toBe(200);
    expect(shape(back.json().doc)).toEqual(shape(sheet.doc));
    expect(back.json().issues.filter((i: Issue) => i.severity === 'error').map((i: Issue) => i.code)).toEqual(['A']);
  });

  it('the JSON transcription route builds the sheet from parts → sections → criteria → [label, points]', async () => {
    const raw = JSON.parse(fs.readFileSync(path.join(seedDir, 'criteria/demo-148-I-1-a.json'), 'utf8'));
    const setId = await newDraftSet();
    const res = await call(t, officer, 'PUT', `/api/criteria/sets/${setId}/sheet/transcription`, { taxonomyNodeId: await leafId(t), title: 'Từ bản chép', transcription: raw });
    expect(res.statusCode, res.body).toBe(200);
    const sheet = res.json();
    expect(sheet).toMatchObject({ setId, taxonomyCode: 'I.1.a', criteriaCount: 29, isDemo: false });
    expect(sheet.issues.filter((i: Issue) => i.severity === 'error')).toEqual([]);
    expect(shape(sheet.doc)).toEqual(shape((await demoSheet(t)).doc));
    expect(leafNodes(sheet.doc).find((l) => l.code === 'A2.3')!.mandatoryFromStar).toBe(3);
    // A transcription whose part A does not add up is stored with the validator's report.
    const broken = { ...raw, parts: raw.parts.map((p: { code: string; max: number }) => (p.code === 'A' ? { ...p, max: 41 } : p)) };
    const res2 = await call(t, officer, 'PUT', `/api/criteria/sets/${setId}/sheet/transcription`, { taxonomyNodeId: await leafId(t), title: 'Từ bản chép (lỗi)', transcription: broken });
    expect(res2.statusCode, res2.body).toBe(200);
    expect(res2.json().id).toBe(sheet.id);
    expect(res2.json().issues.filter((i: Issue) => i.severity === 'error').map((i: Issue) => i.code)).toEqual(expect.arrayContaining(['A', '(phiếu)']));
    // Not the format at all.
    expectProblem(await call(t, officer, 'PUT', `/api/criteria/sets/${setId}/sheet/transcription`, { taxonomyNodeId: await leafId(t), title: 'Sai', transcription: { parts: [{ code: 'A' }] } }), 400, 'VALIDATION');
  });
});
