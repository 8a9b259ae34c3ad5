import type ExcelJS from 'exceljs';
import { AppError } from './errors.js';
import { assertSafeZip } from './zip-guard.js';

/**
 * An uploaded .xlsx as a workbook (exceljs loaded on first use); anything else → 415 in Vietnamese. The zip is
 * checked for bombs (lib/zip-guard.ts: entry count, unpacked size, compression ratio, actual inflated bytes) before
 * exceljs sees a byte: exceljs inflates every part into memory.
 */
export async function loadWorkbook(file: Buffer, brokenDetail = 'Không đọc được tệp: cần tệp Excel .xlsx theo mẫu'): Promise<ExcelJS.Workbook> {
  await assertSafeZip(file, { brokenDetail });
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new AppError('UNSUPPORTED_FILE', { detail: brokenDetail });
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
