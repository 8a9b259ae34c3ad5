import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { recordLegacy } from '../../../../test/helpers/certificates.js';
import { pdfText, readDocx, tableWithHeader } from '../../../../test/helpers/office.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { openPglite, type DbHandle } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { loadDemoData } from '../../seed/demo.js';
import { loadReferenceData } from '../../seed/reference.js';
import { LocalDiskStorage } from '../files/storage.js';
import { createUnit } from '../geo/service.js';
import { HEADINGS } from './report-layout.js';
import { fmtMillion, fmtNum } from './report.js';
import { HEADER_ROW, SHEETS } from './report-xlsx.js';

 
type Json = any;
const row = (p: Json, code: string) => p.rows.find((r: Json) => r.indicator.code === code);

/** Appendix 02 of a workbook: code → the row's cells (numbers stay numbers). */
async function appendix02(xlsx: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(SHEETS.targets)!;
  const out: { code: string; min: unknown; max: unknown; inPeriod: unknown; actual: unknown; projection: unknown; mark: unknown }[] = [];
  ws.eachRow((r, i) => {
    if (i <= HEADER_ROW) return;
    out.push({ code: String(r.getCell(2).value), min: r.getCell(5).value, max: r.getCell(6).value, inPeriod: r.getCell(8).value, actual: r.getCell(9).value, projection: r.getCell(10).value, mark: r.getCell(11).value });
  });
  return { wb, rows: out };
}

/** Row by row, appendix 02 is the panel: its target, actual and projection, and the year's number. */
function expectAppendix02MatchesPanel(rows: Awaited<ReturnType<typeof appendix02>>['rows'], panel: Json, year: number) {
  for (const [i, r] of panel.rows.entries()) {
    const x = rows[i];
    expect(x?.code, `row ${i + 1}`).toBe(r.indicator.code);
    expect([x!.min, x!.max], r.indicator.code).toEqual([r.target.min, r.target.max]);
    expect(x!.actual ?? null, r.indicator.code).toBe(r.actual);
    expect(x!.projection ?? null, r.indicator.code).toBe(r.projection);
    const y = r.years.find((v: Json) => v.year === year);
    if (r.actual !== null) expect(x!.inPeriod, r.indicator.code).toBe(y.actual);
  }
}

// ─── 1. The Lục Ngạn demo (its own embedded database: the demo loads only into an empty one) ───

describe('the 2025 report on the Lục Ngạn demo data', () => {
  let h: DbHandle;
  let app: FastifyInstance;
  let filesDir: string;
  let planId = '';
  const sessions: Record<string, { cookie: string; csrf: string }> = {};
  const as = (who: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, payload: payload as object, headers: { cookie: sessions[who].cookie, 'x-csrf-token': sessions[who].csrf } });
  const json = async (who: string, url: string) => {
    const res = await as(who, 'GET', url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    h = await openPglite(null);
    await migrate(h);
    await loadReferenceData(h.db);
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-report-demo-'));
    const storage = new LocalDiskStorage(filesDir);
    expect(await loadDemoData(h.db, { storage })).toBe(true);
    app = await buildApp({ config: { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), filesDir }, dbh: h, storage, logger: false });
    await app.ready();
    for (const [who, login, password] of [['tinh', 'tinh', 'ocop-tinh-2025'], ['xa', 'xa.chu', 'ocop-xa-2025'], ['htx', 'htx.hongxuan', 'ocop-htx-2025']]) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
      expect(res.statusCode, res.body).toBe(200);
      sessions[who] = { cookie: `ocop_sid=${res.cookies.find((c) => c.name === 'ocop_sid')!.value}`, csrf: res.json().csrfToken };
    }
    planId = (await json('tinh', '/api/programme/plans')).find((p: Json) => p.code === 'luc-ngan-ocop-2023-2025').id;
    // The demo has no support, events or budget entries: record some for 2025 the way officers do.
    const [p] = await h.query<{ id: string; producer_id: string }>(`select p.id, p.producer_id from products p join certificates c on c.product_id = p.id
      join admin_units u on u.id = p.registered_unit_id where u.name = 'Chũ' order by p.name limit 1`);
    const [{ id: chu }] = await h.query<{ id: number }>("select id from admin_units where key = 'bn-p-chu'");
    const support = await as('tinh', 'POST', '/api/support-activities', { producerId: p.producer_id, productId: p.id, type: 'labels_packaging', description: 'Thiết kế bao bì, tem nhãn', amountVnd: 45_500_000, fundingSource: 'district_budget', activityDate: '2025-05-20', status: 'done' });
    expect(support.statusCode, support.body).toBe(201);
    for (const e of [
      { type: 'awareness', title: 'Hội nghị tuyên truyền Chương trình OCOP năm 2025', attendance: 150, salesVnd: null, contractsSigned: null },
      { type: 'fair', title: 'Hội chợ sản phẩm OCOP và đặc sản vải thiều', attendance: 3000, salesVnd: 820_000_000, contractsSigned: 4 },
    ]) {
      const res = await as('tinh', 'POST', '/api/programme-events', { ...e, startsOn: '2025-06-10', endsOn: '2025-06-12', place: 'Phường Chũ', organiser: 'UBND phường Chũ', unitId: chu, costVnd: 30_000_000, fundingSource: 'district_budget', status: 'held', participants: [{ producerId: p.producer_id, productId: p.id }] });
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const [kind, amountVnd] of [['commitment', 300_000_000], ['disbursement', 120_250_000]] as const) {
      const res = await as('tinh', 'POST', `/api/programme/plans/${planId}/budget-entries`, { kind, fundingSource: 'district_budget', entryDate: '2025-04-01', amountVnd, description: 'Hỗ trợ bao bì sản phẩm OCOP' });
      expect(res.statusCode, res.body).toBe(201);
    }
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
    if (filesDir) fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it('every number of the report is the panel’s, the drill-downs’ or the budget’s', async () => {
    const r = await json('tinh', `/api/programme/plans/${planId}/report?year=2025`);
    const panel = await json('tinh', `/api/programme/plans/${planId}/panel?asOf=2025-12-31`);
    expect(r.title).toBe('Kết quả thực hiện Chương trình OCOP năm 2025');
    expect(r.period).toMatchObject({ from: '2025-01-01', to: '2025-12-31', asOf: '2025-12-31', baselineDate: '2024-12-31', year: 2025 });
    expect(r.scope).toMatchObject({ kind: 'area', name: 'huyện Lục Ngạn', issuer: 'UBND huyện Lục Ngạn' });
    expect(r.results.current.total).toBe(row(panel, 'products_recognised').actual);
    for (const s of [3, 4, 5]) expect(r.results.current[`star${s}`]).toBe(row(panel, `products_${s}star`).actual);
    expect(r.results.producers).toBe(row(panel, 'producers_recognised').actual);
    expect(r.results.baseline.total).toBe(row(panel, 'products_recognised').years.find((y: Json) => y.year === 2024).actual);
    expect(r.results.newByStar.total).toBe(row(panel, 'products_new').years.find((y: Json) => y.year === 2025).actual);
    expect(r.results.reevaluatedByStar.total).toBe(row(panel, 'products_reevaluated').years.find((y: Json) => y.year === 2025).actual);
    // By commune and by group add up to the area; the product list is the drill-down of the number.
    for (const k of ['recognised', 'star3', 'star4', 'star5']) {
      expect(r.byCommune.reduce((a: number, c: Json) => a + c[k], 0), k).toBe(k === 'recognised' ? r.results.current.total : r.results.current[k]);
    }
    expect(r.byGroup.reduce((a: number, g: Json) => a + g.total, 0)).toBe(r.results.current.total);
    const drill = await json('tinh', `/api/programme/plans/${planId}/indicators/products_recognised?year=2025`);
    expect(r.products.map((p: Json) => p.id).sort()).toEqual(drill.records.map((x: Json) => x.id).sort());
    // Support, events and budget: the year's drill-downs and the budget service.
    const year = async (code: string) => (await json('tinh', `/api/programme/plans/${planId}/indicators/${code}?year=2025`)).value;
    expect(r.support.productsSupported).toBe(await year('products_supported'));
    expect(r.support).toMatchObject({ activities: 1, amountVnd: 45_500_000 });
    expect(r.events.awarenessSessions).toBe(await year('awareness_sessions'));
    expect(r.events.eventsHeld).toBe(await year('events_held'));
    expect(r.events).toMatchObject({ attendance: 3150, salesVnd: 820_000_000, contractsSigned: 4 });
    const total = r.budget.rows[r.budget.rows.length - 1];
    expect(total.disbursedInPeriodVnd / 1e6).toBe(await year('budget_total'));
    expect(total).toMatchObject({ fundingSource: null, plannedVnd: 2_110_000_000, committedInPeriodVnd: 300_000_000, disbursedInPeriodVnd: 120_250_000, balanceVnd: 1_810_000_000 });
    // Appendix 02 rows are the panel's rows.
    for (const p of panel.rows) {
      const x = r.targets.rows.find((y: Json) => y.code === p.indicator.code && y.kind === 'indicator');
      expect([x.targetMin, x.targetMax, x.actual, x.projection, x.mark], p.indicator.code).toEqual([p.target.min, p.target.max, p.actual, p.projection, p.mark]);
      if (p.actual !== null) expect(x.inPeriod, p.indicator.code).toBe(p.years.find((y: Json) => y.year === 2025).actual);
    }
  });

  it('the DOCX reads back with the officials’ headings, the panel’s numbers and the officer’s text', async () => {
    const officer = { general: 'Chương trình OCOP năm 2025 được triển khai đồng bộ; các chủ thể chủ động nâng cấp bao bì, nhãn mác.', shortcomings: 'Một số sản phẩm hết hạn chưa được đánh giá lại <b>& "tem"\u0007.', directions: 'Tập trung đánh giá lại các sản phẩm hết hạn.\nPhát triển sản phẩm mới từ vải thiều.' };
    const res = await as('tinh', 'POST', `/api/programme/plans/${planId}/report/docx`, { year: 2025, assessment: officer });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Bao-cao-OCOP-nam-2025-huyen-Luc-Ngan.docx"; filename*=UTF-8''${encodeURIComponent('Báo cáo OCOP năm 2025 - huyện Lục Ngạn.docx')}`);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const d = await readDocx(res.rawPayload);
    const panel = await json('tinh', `/api/programme/plans/${planId}/panel?asOf=2025-12-31`);
    for (const heading of ['BÁO CÁO', 'Kết quả thực hiện Chương trình OCOP năm 2025', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'UBND HUYỆN LỤC NGẠN', HEADINGS.results, HEADINGS.byStar, HEADINGS.byGroup, HEADINGS.byCommune,
      HEADINGS.producers, HEADINGS.support, HEADINGS.events, HEADINGS.budget, HEADINGS.targets, HEADINGS.assessment, HEADINGS.general, HEADINGS.shortcomings,
      'III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026', HEADINGS.appendix01, HEADINGS.appendix02, HEADINGS.appendix03]) {
      expect(d.paragraphs, heading).toContain(heading);
    }
    expect(d.xml).not.toContain('\u0007');
    for (const line of [officer.general, 'Một số sản phẩm hết hạn chưa được đánh giá lại <b>& "tem".', 'Tập trung đánh giá lại các sản phẩm hết hạn.', 'Phát triển sản phẩm mới từ vải thiều.']) expect(d.paragraphs).toContain(line);
    expect(d.text).not.toContain('Cán bộ phụ trách bổ sung');
    // Table 1: the last row is the panel's recognised products by star.
    const t1 = tableWithHeader(d.tables, ['Nội dung', '3 sao', '4 sao', '5 sao', 'Tổng'])!;
    expect(t1.at(-1)).toEqual(['Còn hiệu lực ngày 31/12/2025', ...[3, 4, 5].map((s) => fmtNum(row(panel, `products_${s}star`).actual)), fmtNum(row(panel, 'products_recognised').actual)]);
    expect(t1[1][4]).toBe(fmtNum(row(panel, 'products_new').years.find((y: Json) => y.year === 2025).actual));
    // Appendix 02: one row per panel row, "Lũy kế" = the panel's actual.
    const t2 = tableWithHeader(d.tables, ['STT', 'Chỉ tiêu', 'Đơn vị', 'Mục tiêu kế hoạch', 'Mục tiêu năm 2025'])!;
    for (const [i, p] of panel.rows.entries()) {
      expect(t2[i][1].split('\n')[0]).toBe(p.indicator.name);
      expect(t2[i][6], p.indicator.code).toBe(p.actual === null ? 'Chưa đo' : fmtNum(p.actual));
    }
    // Appendix 01 lists the recognised products; appendix 03 the disbursed money.
    expect(tableWithHeader(d.tables, ['STT', 'Tên sản phẩm'])!.length).toBe(row(panel, 'products_recognised').actual);
    expect(d.text).toContain(`giải ngân ${fmtMillion(120_250_000)} triệu đồng`);
    expect(d.text).toContain('Hội chợ sản phẩm OCOP và đặc sản vải thiều');
  });

  it('the PDF says it in Vietnamese (pdftotext)', async () => {
    const res = await as('tinh', 'POST', `/api/programme/plans/${planId}/report/pdf`, { year: 2025, assessment: { general: 'Kết quả đạt được khá toàn diện, đúng định hướng.' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(res.rawPayload).replace(/\s+/g, ' ');
    for (const s of ['BÁO CÁO', 'Kết quả thực hiện Chương trình OCOP năm 2025', 'I. KẾT QUẢ THỰC HIỆN', 'Kết quả đánh giá, phân hạng sản phẩm OCOP', 'huyện Lục Ngạn',
      'phường Chũ', 'Kết quả đạt được khá toàn diện, đúng định hướng.', 'III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026', 'PHỤ LỤC 02', 'KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA KẾ HOẠCH']) {
      expect(text, s).toContain(s);
    }
    // Portrait body, then the appendices on landscape pages only (a long table continues in landscape).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-report-pdf-'));
    fs.writeFileSync(path.join(dir, 'r.pdf'), res.rawPayload);
    const sizes = execFileSync('pdfinfo', ['-f', '1', '-l', '1000', path.join(dir, 'r.pdf')], { encoding: 'utf8' })
      .split('\n').filter((l) => /^Page\s+\d+ size:/.test(l)).map((l) => (/size:\s+([\d.]+) x ([\d.]+)/.exec(l)!.slice(1).map(Number)));
    fs.rmSync(dir, { recursive: true, force: true });
    const orientation = sizes.map(([w, hgt]) => (w > hgt ? 'L' : 'P')).join('');
    expect(orientation).toMatch(/^P+L{4,}$/); // appendix 01 (18 products) takes two pages, then 02 and 03
  });

  it('the appendix workbook: 02 is the panel’s targets vs actuals, 01 the products, 03 the budget', async () => {
    const res = await as('tinh', 'GET', `/api/programme/plans/${planId}/report/xlsx?year=2025`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''Ph%E1%BB%A5%20l%E1%BB%A5c");
    const { wb, rows } = await appendix02(res.rawPayload);
    const panel = await json('tinh', `/api/programme/plans/${planId}/panel?asOf=2025-12-31`);
    expectAppendix02MatchesPanel(rows, panel, 2025);
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEETS.products, SHEETS.targets, SHEETS.budget]);
    expect(wb.getWorksheet(SHEETS.products)!.rowCount - HEADER_ROW).toBe(row(panel, 'products_recognised').actual);
    const budget = wb.getWorksheet(SHEETS.budget)!;
    const totalRow = budget.getRows(HEADER_ROW + 1, budget.rowCount)!.find((x) => x.getCell(1).value === 'Tổng cộng')!;
    expect([totalRow.getCell(2).value, totalRow.getCell(4).value, totalRow.getCell(5).value]).toEqual([2110, 300, 120.25]);
  });

  it('the demo commune officer gets phường Chũ only; another commune is refused; the producer is refused', async () => {
    const mine = await json('xa', `/api/programme/plans/${planId}/report?year=2025`);
    const all = await json('tinh', `/api/programme/plans/${planId}/report?year=2025`);
    expect(mine.scope.kind).toBe('communes');
    expect(mine.communeOptions.map((c: Json) => c.key)).toEqual(['bn-p-chu']);
    expect(mine.results.current.total).toBe((await json('xa', `/api/programme/plans/${planId}/indicators/products_recognised?year=2025`)).value);
    expect(mine.results.current.total).toBeLessThan(all.results.current.total);
    const chu = all.byCommune.find((c: Json) => c.unit.key === 'bn-p-chu');
    const other = all.byCommune.find((c: Json) => c.unit.key !== 'bn-p-chu');
    const narrowed = await json('tinh', `/api/programme/plans/${planId}/report?year=2025&communeUnitId=${chu.unit.id}`);
    expect(narrowed.scope).toMatchObject({ kind: 'commune', name: 'phường Chũ', issuer: 'UBND phường Chũ' });
    expect(narrowed.results.current.total).toBe(chu.recognised);
    expect(narrowed.byCommune).toHaveLength(1);
    const refused = await as('xa', 'GET', `/api/programme/plans/${planId}/report/docx?year=2025&communeUnitId=${other.unit.id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    for (const [m, url] of [['GET', `/api/programme/plans/${planId}/report?year=2025`], ['GET', `/api/programme/plans/${planId}/report/pdf`], ['POST', `/api/programme/plans/${planId}/report/docx`]] as const) {
      const res = await as('htx', m, url, m === 'POST' ? {} : undefined);
      expect(res.statusCode, `${m} ${url}`).toBe(403);
      expect(res.json().title).toBe('Bạn không có quyền thực hiện thao tác này');
    }
  });
});

// ─── 2. A hand-built area on the shared test database (PGlite clone or PostgreSQL) ───

describe('the report on hand-built data (PGlite and PostgreSQL)', () => {
  let t: TestApp;
  let province: Session;
  const ids = { d: 0, a: 0, b: 0, n: 0 };
  let planId = '';
  const get = async (s: Session | null, url: string) => call(t, s, 'GET', url);

  beforeAll(async () => {
    t = await buildTestApp();
    province = await signIn(t, 'province_officer');
    const SYSTEM = { system: 'test' };
    const k = unique('r').toLowerCase();
    const bg = await unitId(t, 'bg');
    const bn = await unitId(t, 'bn2025');
    const unit = (key: string, name: string, type: string, parentId: number, validFrom: string | null, validTo: string | null, predecessors: { unitId: number; kind: 'merge' }[] = []) =>
      createUnit(t.dbh.db, SYSTEM, { key, code: null, codeStatus: 'none', name, type, parentId, validFrom, validTo, note: null, source: null, predecessors } as Parameters<typeof createUnit>[2]);
    ids.d = (await unit(`${k}-d`, `Báo Cáo ${k}`, 'district', bg, null, '2025-06-30')).id;
    ids.a = (await unit(`${k}-a`, `Đông ${k}`, 'commune', ids.d, null, '2025-06-30')).id;
    ids.b = (await unit(`${k}-b`, `Tây ${k}`, 'commune', ids.d, null, '2025-06-30')).id;
    ids.n = (await unit(`${k}-n`, `Hợp Nhất ${k}`, 'commune', bn, '2025-07-01', null, [{ unitId: ids.a, kind: 'merge' }, { unitId: ids.b, kind: 'merge' }])).id;
    const x = await makeProducer(t, { unitId: ids.a });
    const y = await makeProducer(t, { unitId: ids.b });
    const p1 = await makeProduct(t, x.id, { registeredUnitId: ids.a, processingLevel: 'processed', keyProduct: true });
    const p2 = await makeProduct(t, x.id, { registeredUnitId: ids.a });
    const p3 = await makeProduct(t, y.id, { registeredUnitId: ids.b, processingLevel: 'processed' });
    await recordLegacy(t, p1.id, { star: 4, decisionDate: '2023-03-01' }); // in force all of 2024
    await recordLegacy(t, p2.id, { star: 3, decisionDate: '2024-05-10' }); // new in 2024
    await recordLegacy(t, p3.id, { star: 3, decisionDate: '2023-06-01' });
    await recordLegacy(t, p3.id, { star: 4, decisionDate: '2024-09-01' }); // upgraded in 2024
    const s = await call(t, province, 'POST', '/api/support-activities', { producerId: x.id, productId: p2.id, type: 'testing', description: 'Kiểm nghiệm chỉ tiêu chất lượng', amountVnd: 12_000_000, fundingSource: 'district_budget', activityDate: '2024-04-02', status: 'done' });
    expect(s.statusCode, s.body).toBe(201);
    const e = await call(t, province, 'POST', '/api/programme-events', { type: 'training', title: 'Tập huấn xây dựng câu chuyện sản phẩm', startsOn: '2024-08-15', endsOn: '2024-08-16', place: 'Nhà văn hoá xã', organiser: 'UBND xã', unitId: ids.b, costVnd: 8_000_000, fundingSource: 'district_budget', attendance: 60, status: 'held', participants: [{ producerId: y.id, productId: p3.id }] });
    expect(e.statusCode, e.body).toBe(201);
    const plan = await call(t, province, 'POST', '/api/programme/plans', {
      code: `${k}-plan`, title: 'Kế hoạch thực hiện Chương trình OCOP giai đoạn 2023-2025', issuingUnit: 'UBND huyện Báo Cáo', areaUnitId: ids.d, periodFrom: 2023, periodTo: 2025, status: 'in_force',
      targets: [
        { indicator: 'products_recognised', valueMin: 4, unit: 'count' },
        { indicator: 'products_new', year: 2024, valueMin: 1, valueMax: 2, unit: 'count' },
        { indicator: 'products_upgraded', valueMin: 1, unit: 'count' },
        { indicator: 'share_processed', valueMin: 40, unit: 'percent' },
        { indicator: 'products_supported', valueMin: 2, unit: 'count' },
        { indicator: 'events_held', valueMin: 1, unit: 'count' },
        { indicator: 'budget_total', valueMin: 100, valueMax: 100, unit: 'million_vnd' },
        { indicator: 'budget_total', fundingSource: 'district_budget', valueMin: 60, valueMax: 60, unit: 'million_vnd' },
        { indicator: 'key_products', perCommune: true, valueMin: 1, valueMax: 2, unit: 'count' },
      ],
    });
    expect(plan.statusCode, plan.body).toBe(201);
    planId = plan.json().id;
    for (const [kind, amountVnd, entryDate] of [['commitment', 20_000_000, '2024-03-01'], ['disbursement', 12_000_000, '2024-04-02'], ['commitment', 5_000_000, '2025-02-01']] as const) {
      const res = await call(t, province, 'POST', `/api/programme/plans/${planId}/budget-entries`, { kind, fundingSource: 'district_budget', entryDate, amountVnd, description: 'Kiểm nghiệm sản phẩm' });
      expect(res.statusCode, res.body).toBe(201);
    }
  }, 120_000);
  afterAll(async () => t?.close());

  it('2024: the numbers of the data, in every format, equal to the panel', async () => {
    const res = await get(province, `/api/programme/plans/${planId}/report?year=2024`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.results.baseline).toEqual({ star3: 1, star4: 1, star5: 0, total: 2 });
    expect(r.results.current).toEqual({ star3: 1, star4: 2, star5: 0, total: 3 });
    expect([r.results.newByStar.total, r.results.reevaluatedByStar.total, r.results.upgradedByStar.total]).toEqual([1, 0, 1]);
    expect(r.byCommune.map((c: Json) => [c.unit.id, c.recognised, c.keyProducts])).toEqual([[ids.a, 2, 1], [ids.b, 1, 0]]);
    expect(r.support).toMatchObject({ productsSupported: 1, activities: 1, amountVnd: 12_000_000 });
    expect(r.events).toMatchObject({ eventsHeld: 1, awarenessSessions: 0, attendance: 60 });
    expect(r.byGroup).toEqual([expect.objectContaining({ code: 'I', total: 3 })]);
    expect(r.products.map((p: Json) => p.decidedInPeriod).sort()).toEqual(['first', 'upgrade', null].sort());
    const district = r.budget.rows.find((b: Json) => b.fundingSource === 'district_budget');
    expect(district).toMatchObject({ plannedVnd: 60_000_000, committedInPeriodVnd: 20_000_000, disbursedInPeriodVnd: 12_000_000, committedToDateVnd: 20_000_000, balanceVnd: 40_000_000 });
    const key = r.targets.rows.find((x: Json) => x.kind === 'per_commune');
    expect(key).toMatchObject({ code: 'key_products', actualText: '1/2 xã đạt', markText: 'Chưa đạt' });

    const panel = (await get(province, `/api/programme/plans/${planId}/panel?asOf=2024-12-31`)).json();
    const xlsx = await get(province, `/api/programme/plans/${planId}/report/xlsx?year=2024`);
    expect(xlsx.statusCode).toBe(200);
    expectAppendix02MatchesPanel((await appendix02(xlsx.rawPayload)).rows, panel, 2024);

    const docx = await readDocx((await get(province, `/api/programme/plans/${planId}/report/docx?year=2024`)).rawPayload);
    expect(docx.paragraphs).toContain('Kết quả thực hiện Chương trình OCOP năm 2024');
    expect(docx.paragraphs).toContain('III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025');
    expect(docx.text).toContain('(Cán bộ phụ trách bổ sung đánh giá chung về kết quả đạt được.)');
    const communes = tableWithHeader(docx.tables, ['Xã, phường', 'Còn hiệu lực'])!;
    expect(communes.map((c) => c.slice(1, 2))).toEqual([['2'], ['1'], ['3']]);
    expect(communes.at(-1)![0]).toBe('Tổng cộng');

    const pdf = pdfText((await get(province, `/api/programme/plans/${planId}/report/pdf?year=2024`)).rawPayload).replace(/\s+/g, ' ');
    expect(pdf).toContain('Kết quả thực hiện Chương trình OCOP năm 2024');
    expect(pdf).toContain('Tập huấn xây dựng câu chuyện sản phẩm');
  });

  it('a date range and a commune: flows in the range, stocks on its last day, the commune as it was', async () => {
    const r = (await get(province, `/api/programme/plans/${planId}/report?from=2024-01-01&to=2024-06-30&communeUnitId=${ids.a}`)).json();
    expect(r.title).toBe('Kết quả thực hiện Chương trình OCOP 6 tháng đầu năm 2024');
    expect(r.period).toMatchObject({ year: null, asOf: '2024-06-30', nextLabel: '6 THÁNG CUỐI NĂM 2024' });
    expect(r.scope).toMatchObject({ kind: 'commune', commune: { id: ids.a } });
    expect(r.results.current.total).toBe(2);
    expect(r.results.newByStar.total).toBe(1);
    const d = (await get(province, `/api/programme/plans/${planId}/indicators/products_recognised?asOf=2024-06-30&communeUnitId=${ids.a}`)).json();
    expect(r.targets.rows.find((x: Json) => x.code === 'products_recognised').actual).toBe(d.value);
    // After the reform the commune of the last day is the successor, which holds every product.
    const after = (await get(province, `/api/programme/plans/${planId}/report?year=2025&communeUnitId=${ids.n}`)).json();
    expect(after.scope.commune.id).toBe(ids.n);
    expect(after.communeOptions.map((c: Json) => c.id)).toEqual([ids.n]);
    const old = await get(province, `/api/programme/plans/${planId}/report?year=2025&communeUnitId=${ids.a}`);
    expect(old.statusCode).toBe(400);
    expect(old.json().errors[0]).toMatchObject({ path: 'communeUnitId' });
  });

  it('refuses what is not a report: both a year and dates, a range backwards, the future, an unknown format', async () => {
    const cases: [string, string][] = [
      [`?year=2024&from=2024-01-01&to=2024-03-31`, 'Chọn một năm hoặc một khoảng ngày, không cả hai'],
      [`?from=2024-05-01&to=2024-01-31`, 'Ngày kết thúc trước ngày bắt đầu'],
      [`?from=2024-05-01`, 'Khoảng ngày cần cả ngày bắt đầu và ngày kết thúc'],
      [`?from=2024-02-30&to=2024-03-31`, 'Ngày phải có dạng yyyy-mm-dd và là một ngày có thật'],
      [`?year=2099`, 'Kỳ báo cáo bắt đầu sau hôm nay'],
    ];
    for (const [q, message] of cases) {
      const res = await get(province, `/api/programme/plans/${planId}/report${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().title).toBe('Dữ liệu không hợp lệ');
      expect(res.json().errors.map((e: Json) => e.message).join(' | '), q).toContain(message);
    }
    expect((await get(province, `/api/programme/plans/${planId}/report/odt?year=2024`)).statusCode).toBe(400);
    expect((await call(t, province, 'POST', `/api/programme/plans/${planId}/report/docx`, { year: 2024, assessment: { general: 'x'.repeat(20_001) } })).statusCode).toBe(400);
    expect((await get(province, `/api/programme/plans/${crypto.randomUUID()}/report?year=2024`)).statusCode).toBe(404);
  });

  it('permissions: anonymous 401, producer 403, viewer and council read, a commune officer only their communes', async () => {
    for (const [m, url] of [['GET', `/api/programme/plans/${planId}/report?year=2024`], ['GET', `/api/programme/plans/${planId}/report/docx?year=2024`], ['POST', `/api/programme/plans/${planId}/report/pdf`]] as const) {
      expect((await call(t, null, m, url, m === 'POST' ? { year: 2024 } : undefined)).statusCode, url).toBe(401);
      const producer = await signIn(t, 'producer', { producerId: (await makeProducer(t)).id });
      expect((await call(t, producer, m, url, m === 'POST' ? { year: 2024 } : undefined)).statusCode, url).toBe(403);
    }
    for (const role of ['viewer', 'council_member', 'central_officer'] as const) {
      expect((await get(await signIn(t, role), `/api/programme/plans/${planId}/report/docx?year=2024`)).statusCode, role).toBe(200);
    }
    // An officer of commune A (2024): A's products only; B is refused; the budget is the plan's, said so.
    const a = await signIn(t, 'commune_officer', { unitKeys: [(await t.dbh.query<{ key: string }>('select key from admin_units where id = $1', [ids.a]))[0].key] });
    const mine = (await get(a, `/api/programme/plans/${planId}/report?year=2024`)).json();
    expect(mine.scope.kind).toBe('communes');
    expect(mine.results.current.total).toBe(2);
    expect(mine.byCommune.map((c: Json) => c.unit.id)).toEqual([ids.a]);
    expect(mine.events.eventsHeld).toBe(0);
    expect(mine.budget.note).toContain('không phân bổ theo xã');
    expect((await get(a, `/api/programme/plans/${planId}/report?year=2024&communeUnitId=${ids.b}`)).statusCode).toBe(403);
    expect((await get(a, `/api/programme/plans/${planId}/report/docx?year=2024&communeUnitId=${ids.a}`)).statusCode).toBe(200);
  });
});
