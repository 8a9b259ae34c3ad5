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

/** Excel's day 0 (the 1900 leap-year bug included): serial 45000 = 2023-03-15. */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/**
 * A date cell of an import (registry, growing areas, packing houses): an Excel date (read as YYYY-MM-DD), a serial day
 * number, or dd/mm/yyyy. null = blank, undefined = not a date.
 */
export function parseImportDate(s: string): string | null | undefined {
  if (!s) return null;
  let iso: string;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) iso = s;
  else if (/^\d{5}$/.test(s)) return new Date(EXCEL_EPOCH + Number(s) * 86_400_000).toISOString().slice(0, 10);
  else {
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (!m) return undefined;
    iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  }
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

/** A column's letters as Excel shows them (1 → A, 27 → AA), for errors that name a cell. */
export function colLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}
