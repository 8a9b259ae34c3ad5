/**
 * Vietnamese text helpers shared by the server and the web app.
 * normalizeForSearch() must agree with the SQL function f_norm() (unaccent + lower) for the characters
 * Vietnamese uses, so a query normalised here matches a column normalised there.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Canonical stored form of user text: NFC (macOS and some phones send decomposed letters), trimmed, single spaces. */
export function cleanText(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Accent- and case-insensitive form: "Vải Thiều ĐỒNG" → "vai thieu dong". */
export function normalizeForSearch(s: string): string {
  return s
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Vietnamese letters without their marks, case kept: "Đồng Vải" → "Dong Vai" (file names, ASCII fallbacks). */
export function foldAccents(s: string): string {
  return s.normalize('NFD').replace(COMBINING_MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** An ASCII file-name part: marks folded, anything else than letters, digits, dot, dash and underscore becomes "-". */
export function asciiFileName(s: string, { max = 60, fallback = 'tep', lower = false }: { max?: number; fallback?: string; lower?: boolean } = {}): string {
  const out = foldAccents(s).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '');
  return (lower ? out.toLowerCase() : out) || fallback;
}

/** Splits a query into distinct normalised words (each must match). Empty query → no words. */
export function searchTokens(q: string): string[] {
  const words = normalizeForSearch(q).split(' ').filter(Boolean);
  return [...new Set(words)].slice(0, 8);
}

/** Escapes LIKE wildcards so user input matches literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Vietnamese tax / enterprise / cooperative code (mã số thuế, mã số doanh nghiệp): 10 digits whose 10th is a
 * check digit, optionally followed by "-NNN" for a dependent unit (branch).
 */
export function isValidTaxCode(code: string): boolean {
  const m = /^(\d{10})(-\d{3})?$/.exec(code);
  if (!m) return false;
  const d = m[1].split('').map(Number);
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  const sum = weights.reduce((acc, w, i) => acc + w * d[i], 0);
  const check = 10 - (sum % 11);
  return check < 10 && check === d[9];
}

/**
 * Registration number of a producer. Enterprises, cooperatives and cooperative groups carry a tax code.
 * Household businesses may show a tax code, a 12-digit personal identification number (used as the tax code
 * since 2025) or the district's household-business certificate number (e.g. "20A8000123").
 */
export function isValidRegistrationNumber(kind: string, value: string): boolean {
  if (isValidTaxCode(value)) return true;
  if (kind !== 'household') return false;
  return /^\d{12}$/.test(value) || /^\d{2}[A-Z]\d{6,10}$/.test(value);
}
