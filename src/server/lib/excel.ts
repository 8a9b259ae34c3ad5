import type ExcelJS from 'exceljs';
import { AppError } from './errors.js';

/** An uploaded .xlsx as a workbook (exceljs loaded on first use); anything else → 415 in Vietnamese. */
export async function loadWorkbook(file: Buffer): Promise<ExcelJS.Workbook> {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new AppError('UNSUPPORTED_FILE', { detail: 'Không đọc được tệp: cần tệp Excel .xlsx theo mẫu' });
  }
  return wb;
}

/** Plain text of any exceljs cell value (rich text, hyperlinks, formulas, dates as YYYY-MM-DD, numbers). */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('').trim();
    if ('text' in v) return String(v.text).trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return String(v).trim();
}
