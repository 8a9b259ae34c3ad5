// exceljs is loaded on first use (it costs ~0.5 s at start-up otherwise).
import { AppError } from './errors.js';

/** Beyond this many rows a list export is refused (narrow the filter): one workbook must not exhaust memory. */
export const EXPORT_CAP = 20000;

/** Refuses an export whose filtered list is longer than one workbook may be ("giấy chứng nhận", "hồ sơ" …). */
export function assertExportable(total: number, unit: string): void {
  if (total > EXPORT_CAP) throw new AppError('VALIDATION', { detail: `Danh sách có ${total} ${unit}, quá ${EXPORT_CAP} dòng của một tệp: hãy lọc bớt` });
}

const border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } } as const;

/** dd/mm/yyyy of an ISO date (or date-time, read as its date); empty for none. */
export const sheetDate = (iso: string | null) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '');

export interface ListSheet {
  sheetName: string;
  /** The title row, in capitals as on an official list. */
  title: string;
  /** Which rows these are (the whole list, or the list as filtered). */
  filterText: string;
  generatedBy: string;
  /** Column headings, the first being "STT" (the row number is added). */
  headers: readonly string[];
  widths: number[];
  rows: (string | number)[][];
  /** "giấy chứng nhận", "hồ sơ" …: the footer says "Tổng số: N <unit>". */
  unit: string;
}

/** A list as officers keep it in Excel: a title, what was exported, a frozen bordered header, numbered rows, a footer. */
export async function buildListWorkbook(s: ListSheet): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OCOP Hub';
  wb.created = new Date();
  const ws = wb.addWorksheet(s.sheetName, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: 4 }],
  });
  ws.columns = s.widths.map((width) => ({ width }));
  const last = ws.getColumn(s.headers.length).letter;
  for (const [cell, text, font] of [['A1', s.title, { bold: true, size: 14 }], ['A2', s.filterText, { italic: true }]] as const) {
    ws.mergeCells(`${cell}:${last}${cell.slice(1)}`);
    ws.getCell(cell).value = text;
    ws.getCell(cell).font = font;
    ws.getCell(cell).alignment = { horizontal: 'center' };
  }
  const header = ws.getRow(4);
  header.values = [...s.headers];
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F1E4' } };
    c.border = border;
  });
  s.rows.forEach((values, i) => {
    const row = ws.addRow([i + 1, ...values]);
    row.alignment = { vertical: 'top', wrapText: true };
    row.eachCell({ includeEmpty: true }, (cell) => { cell.border = border; });
  });
  const foot = ws.addRow([]);
  foot.getCell(2).value = `Tổng số: ${s.rows.length} ${s.unit} — xuất bởi ${s.generatedBy} lúc ${new Date().toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })}`;
  foot.getCell(2).font = { italic: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
