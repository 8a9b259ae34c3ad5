/**
 * The report's appendix tables as one Excel workbook: 01 products in force, 02 targets vs actuals, 03 budget by
 * funding source (with the period's entries). Numbers are numbers (not text), so officers can total and chart them;
 * money in million VND to the đồng.
 */
import type ExcelJS from 'exceljs';
import { formatViDate } from '../../../shared/certificate-dates.js';
import { KIND_VI } from './report.js';
import type { ProgrammeReport } from './report-schema.js';

export const SHEETS = { products: 'PL01 Sản phẩm', targets: 'PL02 Chỉ tiêu', budget: 'PL03 Kinh phí' } as const;
/** The header row of each appendix sheet (rows above: title, scope line, blank). */
export const HEADER_ROW = 4;

const border = { top: { style: 'thin' as const }, bottom: { style: 'thin' as const }, left: { style: 'thin' as const }, right: { style: 'thin' as const } };
const million = (vnd: number | null) => (vnd === null ? null : vnd / 1_000_000);
const MONEY = '#,##0.###';

function sheet(wb: ExcelJS.Workbook, name: string, titleText: string, sub: string, columns: { header: string; width: number; numFmt?: string }[]) {
  const ws = wb.addWorksheet(name, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}` },
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
  });
  ws.columns = columns.map((c) => ({ width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  const n = columns.length;
  ws.mergeCells(1, 1, 1, n);
  const t = ws.getCell(1, 1);
  t.value = titleText;
  t.font = { bold: true, size: 13 };
  t.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  ws.getRow(1).height = 22;
  ws.mergeCells(2, 1, 2, n);
  const s = ws.getCell(2, 1);
  s.value = sub;
  s.font = { italic: true };
  s.alignment = { horizontal: 'center', wrapText: true };
  ws.getRow(2).height = 30;
  const header = ws.getRow(HEADER_ROW);
  header.values = columns.map((c) => c.header);
  header.font = { bold: true };
  header.height = 32;
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F1E4' } };
    c.border = border;
  });
  return ws;
}

function addRow(ws: ExcelJS.Worksheet, values: (string | number | null)[], bold = false) {
  const row = ws.addRow(values);
  row.alignment = { vertical: 'top', wrapText: true };
  row.eachCell({ includeEmpty: true }, (c) => { c.border = border; });
  if (bold) row.font = { bold: true };
  return row;
}

export async function renderReportWorkbook(r: ProgrammeReport): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'OCOP Hub';
  wb.title = `Phụ lục báo cáo ${r.title}`;
  wb.created = new Date(`${r.generatedOn}T00:00:00+07:00`);
  const sub = `Kèm theo Báo cáo kết quả thực hiện Chương trình OCOP ${r.period.label} của ${r.scope.issuer}; phạm vi: ${r.scope.name}; số liệu đến ngày ${formatViDate(r.period.asOf)}`;

  const p = sheet(wb, SHEETS.products, `PHỤ LỤC 01. DANH SÁCH SẢN PHẨM OCOP CÒN HIỆU LỰC ĐẾN NGÀY ${formatViDate(r.period.asOf)}`, sub, [
    { header: 'STT', width: 6 }, { header: 'Tên sản phẩm', width: 34 }, { header: 'Chủ thể', width: 32 }, { header: 'Xã, phường', width: 18 }, { header: 'Ngành, nhóm', width: 22 },
    { header: 'Hạng sao', width: 8 }, { header: 'Số giấy chứng nhận', width: 20 }, { header: 'Ngày quyết định', width: 13 }, { header: 'Hết hạn', width: 13 }, { header: 'Công nhận trong kỳ', width: 16 },
  ]);
  for (const x of r.products) {
    addRow(p, [x.no, x.name, x.producerName, x.communeName, x.group, x.star, x.certificateNumber, formatViDate(x.decisionDate), formatViDate(x.expiresOn), x.decidedInPeriod ? KIND_VI[x.decidedInPeriod] : null]);
  }

  const year = r.targets.yearColumn;
  const t = sheet(wb, SHEETS.targets, 'PHỤ LỤC 02. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA KẾ HOẠCH', `${sub}; lũy kế đến ngày ${formatViDate(r.targets.asOf)}`, [
    { header: 'STT', width: 6 }, { header: 'Mã chỉ tiêu', width: 22 }, { header: 'Chỉ tiêu', width: 46 }, { header: 'Đơn vị', width: 11 },
    { header: 'Mục tiêu tối thiểu', width: 11, numFmt: '#,##0.##' }, { header: 'Mục tiêu tối đa', width: 11, numFmt: '#,##0.##' }, { header: year !== null ? `Mục tiêu năm ${year}` : 'Mục tiêu năm', width: 12 },
    { header: `Thực hiện ${r.period.label}`, width: 14, numFmt: '#,##0.###' }, { header: `Lũy kế đến ${formatViDate(r.targets.asOf)}`, width: 14, numFmt: '#,##0.###' },
    { header: 'Dự báo cuối kỳ', width: 12, numFmt: '#,##0.#' }, { header: 'Đánh giá', width: 24 }, { header: 'Nội dung trong kế hoạch / ghi chú', width: 44 },
  ]);
  for (const x of r.targets.rows) {
    addRow(t, [x.no, x.code, x.name, x.unitWord, x.targetMin, x.targetMax, x.yearTargetText, x.kind === 'per_commune' ? x.actualText : x.inPeriod, x.kind === 'per_commune' ? x.actualText : x.actual, x.projection, x.markText, [x.label, x.note].filter(Boolean).join('; ') || null]);
  }

  const b = sheet(wb, SHEETS.budget, 'PHỤ LỤC 03. KINH PHÍ THỰC HIỆN THEO NGUỒN VỐN (triệu đồng)', [sub, r.budget.note].filter(Boolean).join('. '), [
    { header: 'Nguồn vốn', width: 44 }, { header: 'Kế hoạch giai đoạn', width: 14, numFmt: MONEY }, { header: year !== null ? `Kế hoạch năm ${year}` : 'Kế hoạch năm', width: 14, numFmt: MONEY },
    { header: 'Cam kết trong kỳ', width: 14, numFmt: MONEY }, { header: 'Giải ngân trong kỳ', width: 14, numFmt: MONEY },
    { header: 'Lũy kế cam kết', width: 14, numFmt: MONEY }, { header: 'Lũy kế giải ngân', width: 14, numFmt: MONEY }, { header: 'Còn lại (kế hoạch - cam kết)', width: 16, numFmt: MONEY },
  ]);
  for (const x of r.budget.rows) {
    addRow(b, [x.label, million(x.plannedVnd), million(x.plannedYearVnd), million(x.committedInPeriodVnd), million(x.disbursedInPeriodVnd), million(x.committedToDateVnd), million(x.disbursedToDateVnd), million(x.balanceVnd)], x.fundingSource === null);
  }
  if (r.budget.entries.length) {
    b.addRow([]);
    const h = b.addRow(['Các khoản trong kỳ: ngày', 'Loại', 'Nguồn vốn', 'Nội dung', 'Số tiền (triệu đồng)']);
    h.font = { bold: true };
    for (const e of r.budget.entries) addRow(b, [formatViDate(e.entryDate), e.kindLabel, e.sourceLabel, e.description, million(e.amountVnd)]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
