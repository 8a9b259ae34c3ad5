import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildMinutesPdf,
  buildResultsWorkbook,
  buildScoreSheetPdf,
  DEMO_SHEET_NOTICE,
  fmtDate,
  fmtScore,
  RESULTS_SHEET_NAME,
  type RoundReportData,
  type ScoreSheetData,
} from './documents.js';

function hasBinary(name: string): boolean {
  try {
    execFileSync(name, ['-v'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
const HAS_PDFTOTEXT = hasBinary('pdftotext');
// OCOP_DOCS_OUT=/some/dir keeps the generated PDFs there for a look (pdftoppm -png -r 60 …).
const keep = process.env.OCOP_DOCS_OUT;
const dir = keep ?? mkdtempSync(path.join(tmpdir(), 'ocop-docs-'));
afterAll(() => {
  if (!keep) rmSync(dir, { recursive: true, force: true });
});

/** Text of a PDF via poppler's pdftotext (NFC), or null when the binary is not installed. */
function pdfText(pdf: Buffer, name: string): string | null {
  if (!HAS_PDFTOTEXT) {
    console.warn(`[documents.unit.test] pdftotext not found (apt-get install poppler-utils): skipping text checks of ${name}`);
    return null;
  }
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC');
}

const COUNCIL: RoundReportData['council'] = [
  { name: 'Nguyễn Thị Hằng', role: 'chair', roleLabel: 'Chủ tịch Hội đồng' },
  { name: 'Trần Văn Đức', role: 'vice_chair', roleLabel: 'Phó Chủ tịch Hội đồng' },
  { name: 'Lê Thị Thuỷ', role: 'member', roleLabel: 'Ủy viên' },
  { name: 'Phạm Quốc Việt', role: 'member', roleLabel: 'Ủy viên' },
  { name: 'Đặng Minh Châu', role: 'secretary', roleLabel: 'Ủy viên, Thư ký' },
];

function report(extraProducts = 0, council = COUNCIL): RoundReportData {
  const scorers = council.filter((c) => c.role !== 'secretary').map((c) => c.name);
  const base: RoundReportData['products'] = [
    {
      name: 'Vải thiều Lục Ngạn',
      producerName: 'HTX Nông nghiệp Phường Chũ',
      subgroup: 'Rau, củ, quả, hạt tươi',
      memberScores: scorers.map((m, i) => ({ memberName: m, total: [72.4, 71.9, 73.1, 72.0][i % 4], status: 'submitted' as const })),
      meanScore: 72.35,
      starByScore: 4,
      mandatoryCap: 5,
      finalStar: 4,
      outcome: 'recognised',
      outcomeLabel: 'Công nhận',
      reasons: [],
      spreadFlag: false,
      quorumMet: true,
    },
    {
      name: 'Mỳ gạo Chũ',
      producerName: 'Cơ sở sản xuất mỳ Thủ Dương',
      subgroup: 'Thực phẩm chế biến',
      memberScores: scorers.map((m, i) => ({
        memberName: m,
        total: i === 1 ? null : 88.5 - i * 9,
        status: i === 1 ? ('conflict' as const) : i === 3 ? ('draft' as const) : ('submitted' as const),
      })),
      meanScore: 84,
      starByScore: 4,
      mandatoryCap: 3,
      finalStar: 3,
      outcome: 'recognised',
      outcomeLabel: 'Công nhận',
      reasons: ['Tiêu chí bắt buộc B3 (đăng ký nhãn hiệu) chưa đạt: giới hạn 3 sao'],
      spreadFlag: true,
      quorumMet: true,
    },
    {
      name: 'Rượu nếp cái hoa vàng Hiệp Hoà',
      producerName: 'Công ty TNHH Hương Quê Kinh Bắc',
      subgroup: 'Đồ uống có cồn',
      memberScores: scorers.map((m, i) => ({ memberName: m, total: null, status: i === 0 ? ('missing' as const) : ('draft' as const) })),
      meanScore: null,
      starByScore: null,
      mandatoryCap: null,
      finalStar: null,
      outcome: 'pending',
      outcomeLabel: 'Chưa có kết quả',
      reasons: ['Chưa đủ số phiếu tối thiểu (0/4)'],
      spreadFlag: false,
      quorumMet: false,
    },
  ];
  for (let i = 0; i < extraProducts; i++) {
    base.push({
      ...base[i % 2],
      name: `Sản phẩm thử nghiệm số ${i + 4} — Gạo nếp Hằng Ước`,
      producerName: `Hộ kinh doanh Nguyễn Văn Ước ${i + 4}`,
      meanScore: 55 + (i % 40) * 0.85,
      reasons: i % 3 === 0 ? ['Cần bổ sung hồ sơ truy xuất nguồn gốc và kế hoạch mở rộng thị trường xuất khẩu sang Nhật Bản'] : [],
      outcome: i % 4 === 0 ? 'forwarded' : 'recognised',
      outcomeLabel: i % 4 === 0 ? 'Đề nghị cấp tỉnh đánh giá' : 'Công nhận',
    });
  }
  return {
    round: {
      name: 'Đợt đánh giá sản phẩm OCOP năm 2025 — đợt 1',
      levelLabel: 'Cấp huyện',
      unitName: 'UBND huyện Lục Ngạn',
      startsOn: '2025-06-02',
      endsOn: '2025-06-20',
      procedureName: 'Quyết định 148/QĐ-TTg ngày 24/02/2023',
      criteriaDecision: 'Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP (Quyết định 148/QĐ-TTg)',
      spreadThreshold: 15,
      quorumRatio: 2 / 3,
      finalisedAt: '2025-06-20T09:30:00.000Z',
    },
    council,
    products: base,
    generatedAt: '2025-06-20T10:15:00.000Z',
  };
}

const sheet = (demo = true): ScoreSheetData => ({
  round: { name: 'Đợt đánh giá sản phẩm OCOP năm 2025 — đợt 1', levelLabel: 'Cấp huyện', unitName: 'UBND huyện Lục Ngạn', criteriaDecision: 'Bộ tiêu chí mẫu' },
  product: { name: 'Vải thiều Lục Ngạn', producerName: 'HTX Nông nghiệp Phường Chũ', subgroup: 'Rau, củ, quả, hạt tươi' },
  member: { name: 'Nguyễn Thị Hằng', roleLabel: 'Chủ tịch Hội đồng' },
  parts: [
    {
      code: 'A', title: 'SẢN PHẨM VÀ SỨC MẠNH CỘNG ĐỒNG', max: 35, score: 27.35,
      items: [
        { code: 'A1', title: 'Tổ chức sản xuất', depth: 1, max: 10, chosen: null, points: null, note: null },
        { code: 'A1.1', title: 'Nguồn nguyên liệu', depth: 2, max: 5, chosen: 'Sử dụng nguyên liệu của địa phương, có vùng trồng được cấp mã số (trên 50% nguyên liệu)', points: 5, note: null },
        { code: 'A1.2', title: 'Gia tăng giá trị', depth: 2, max: 5, chosen: 'Có sơ chế, phân loại, đóng gói', points: 3.35, note: 'Hội đồng đề nghị bổ sung quy trình sấy khô' },
        { code: 'A2', title: 'Phát triển sản phẩm', depth: 1, max: 25, chosen: 'Có cải tiến bao bì, nhãn hàng hóa', points: 19, note: null },
      ],
    },
    {
      code: 'B', title: 'KHẢ NĂNG TIẾP THỊ', max: 25, score: 20,
      items: [
        { code: 'B1', title: 'Tiếp thị', depth: 1, max: 15, chosen: 'Có kênh bán hàng thương mại điện tử', points: 12, note: null },
        { code: 'B2', title: 'Quảng bá sản phẩm', depth: 1, max: 10, chosen: null, points: null, note: null },
      ],
    },
    {
      code: 'C', title: 'CHẤT LƯỢNG SẢN PHẨM', max: 40, score: 25,
      items: [{ code: 'C1', title: 'Chỉ tiêu cảm quan', depth: 1, max: 40, chosen: 'Đạt, có điểm khác biệt', points: 25, note: null }],
    },
  ],
  total: 72.35,
  submittedAt: '2025-06-19T03:00:00.000Z',
  isDemoSheet: demo,
});

describe('formatting', () => {
  it('prints Vietnamese decimals and dates', () => {
    expect(fmtScore(72.35)).toBe('72,35');
    expect(fmtScore(72.345)).toBe('72,35');
    expect(fmtScore(90)).toBe('90,00');
    expect(fmtScore(null)).toBe('');
    expect(fmtDate('2025-06-02')).toBe('02/06/2025');
    // 18:30 UTC is already the next day in Vietnam.
    expect(fmtDate('2025-06-19T18:30:00.000Z')).toBe('20/06/2025');
    expect(fmtDate(null)).toBe('');
  });
});

describe('buildMinutesPdf', () => {
  it('renders a PDF with the products, means and signatures', async () => {
    const pdf = await buildMinutesPdf(report());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(200_000);
    const text = pdfText(pdf, 'minutes');
    if (text === null) return;
    expect(text).toContain('BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Vải thiều Lục Ngạn');
    expect(text).toContain('Mỳ gạo Chũ');
    expect(text).toContain('72,35');
    expect(text).toContain('84,00');
    expect(text).toContain('Nguyễn Thị Hằng');
    expect(text).toContain('THƯ KÝ HỘI ĐỒNG');
    expect(text).toContain('CHỦ TỊCH HỘI ĐỒNG');
    expect(text).toContain('(Ký, ghi rõ họ tên)');
    expect(text).toContain('02/06/2025');
    expect(text).not.toContain('DỰ THẢO');
  });

  it('paginates a long table and repeats its header', async () => {
    const pdf = await buildMinutesPdf(report(60));
    const text = pdfText(pdf, 'minutes-long');
    if (text === null) return;
    const pages = text.split('\f').filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(2);
    const withHeader = pages.filter((p) => /STT\s+Sản phẩm\s+Chủ thể/.test(p));
    expect(withHeader.length).toBeGreaterThanOrEqual(pages.length - 1);
    expect(pages.at(-1)).toContain(`/${pages.length}`);
  });

  it('falls back to a sheet count when members do not fit, and marks drafts', async () => {
    const big = [...COUNCIL, ...['Hoàng Văn Nam', 'Vũ Thị Lan', 'Bùi Văn Khánh'].map((name) => ({ name, role: 'member' as const, roleLabel: 'Ủy viên' }))];
    const d = report(0, big);
    d.round.finalisedAt = null;
    const text = pdfText(await buildMinutesPdf(d), 'minutes-count');
    if (text === null) return;
    expect(text).toContain('Số phiếu');
    expect(text).toContain('Điểm thành viên:');
    expect(text).toContain('DỰ THẢO');
  });
});

describe('buildScoreSheetPdf', () => {
  it('renders the criteria, totals, star line and demo notice', async () => {
    const pdf = await buildScoreSheetPdf(sheet(true));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(200_000);
    const text = pdfText(pdf, 'sheet');
    if (text === null) return;
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('PHIẾU ĐÁNH GIÁ, CHẤM ĐIỂM SẢN PHẨM OCOP');
    expect(flat).toContain('Vải thiều Lục Ngạn');
    expect(flat).toContain('72,35');
    expect(flat).toContain('Cộng phần A');
    expect(flat).toContain('27,35');
    expect(flat).toContain('Xếp hạng theo điểm: 4 sao');
    expect(flat).toContain(DEMO_SHEET_NOTICE);
    expect(flat).toContain('THÀNH VIÊN HỘI ĐỒNG');
    expect(flat).toContain('(chưa chọn)');
  });

  it('has no demo notice on an official sheet', async () => {
    const text = pdfText(await buildScoreSheetPdf(sheet(false)), 'sheet-official');
    if (text === null) return;
    expect(text).not.toContain('Phiếu mẫu (demo)');
  });
});

describe('buildResultsWorkbook', () => {
  it('writes the result table on sheet "Kết quả"', async () => {
    const buf = await buildResultsWorkbook(report());
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(RESULTS_SHEET_NAME)!;
    expect(ws).toBeDefined();
    expect(String(ws.getCell('A1').value)).toContain('KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP');
    const header = (ws.getRow(4).values as unknown[]).slice(1);
    expect(header).toEqual([
      'STT', 'Tên sản phẩm', 'Chủ thể', 'Phân nhóm',
      'Nguyễn Thị Hằng', 'Trần Văn Đức', 'Lê Thị Thuỷ', 'Phạm Quốc Việt',
      'Điểm trung bình', 'Hạng sao theo điểm', 'Giới hạn do tiêu chí bắt buộc', 'Hạng sao', 'Kết quả', 'Ghi chú',
    ]);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    const r = ws.getRow(5);
    expect(r.getCell(1).value).toBe(1);
    expect(r.getCell(2).value).toBe('Vải thiều Lục Ngạn');
    expect(r.getCell(3).value).toBe('HTX Nông nghiệp Phường Chũ');
    expect(r.getCell(5).value).toBe(72.4);
    expect(r.getCell(9).value).toBe(72.35);
    expect(r.getCell(9).numFmt).toBe('0.00');
    expect(r.getCell(12).value).toBe(4);
    expect(r.getCell(13).value).toBe('Công nhận');
    expect(r.getCell(9).border?.top?.style).toBe('thin');
    const mi = ws.getRow(6);
    expect(mi.getCell(2).value).toBe('Mỳ gạo Chũ');
    expect(mi.getCell(6).value).toBe('Không chấm (xung đột lợi ích)');
    expect(mi.getCell(8).value).toBe('Phiếu nháp');
    expect(mi.getCell(11).value).toBe(3);
    expect(String(mi.getCell(14).value)).toContain('Chênh lệch điểm');
    expect(String(mi.getCell(14).value)).toContain('B3');
    const pending = ws.getRow(7);
    expect(pending.getCell(9).value).toBe(null);
    expect(String(pending.getCell(14).value)).toBe('Chưa đủ số phiếu tối thiểu (0/4)');
    expect(ws.getColumn(2).width).toBeGreaterThan(20);
  });
});
