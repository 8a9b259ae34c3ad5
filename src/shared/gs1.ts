/**
 * GS1 identifiers for value-chain traceability (issue #5, docs/domain.md §5): GTIN check digits and padding,
 * GS1 Digital Link URIs for the stamps' QR codes, and a short platform code for products without a GTIN.
 * Pure and dependency-free: shared by the server (stamps, resolver, EPCIS import) and the browser (forms).
 *
 * Validation never throws on user input: it answers a `Gs1Result` whose failure carries a stable `code` for
 * programs and a Vietnamese `message` the API can show as is.
 *
 * Sources relied on (rules checked, not guessed):
 * - GS1 Digital Link Standard: URI Syntax 1.2 (ratified Jan 2021), its ABNF grammar as published in
 *   evrythng/digital-link.js `grammar/GS1_Digital_Link_Grammar_1_2.abnf`:
 *     gtin-value = 14DIGIT / 13DIGIT / 12DIGIT / 8DIGIT      (shorter GTINs accepted on input; we emit 14)
 *     gtin-path  = gtin-comp [cpv-comp] [lot-comp] [ser-comp] (key qualifiers in the order 22 → 10 → 21)
 *     cpv-value / lot-value / ser-value = 1*20XCHAR           (1–20 characters of the 82-character set)
 *     XSYMBOL: only "-", "." and "_" appear raw; every other symbol of the set appears percent-encoded
 *     data attributes go in the query string (`17=` 6DIGIT, `7007=` 6*12DIGIT, `310n=` 6DIGIT, …);
 *     the alphabetic codes (gtin, cpv, lot, ser) were deprecated in 1.2 — we read them, never write them.
 * - bwipp/postscriptbarcode wiki "GS1 Digital Link URIs": scheme, any domain followed by path elements of its own,
 *   then the primary key, the qualifiers in the standard's order, data attributes as the query
 *   (e.g. https://id.gs1.org/01/09521234543213/10/ABC123?17=261231).
 * - GS1 General Specifications §7.11 (AI encodable character set 82), as used by the GS1 syntax engines:
 *   ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z — no space, no '#'.
 * - GS1 General Specifications §7.9 check digit: weights 3,1,3,1… from the rightmost digit of the body;
 *   check digit = (10 − sum mod 10) mod 10.
 * - Douglas Crockford, "Base 32" (crockford.com/base32.html): alphabet 0-9 A-Z without I L O U; decoding maps
 *   I/L → 1 and O → 0, ignores hyphens; optional check symbol = value mod 37, with the five extra symbols * ~ $ = U.
 */

// ─── Results ────────────────────────────────────────────────────────────────────────────────────────────────────

export type Gs1ErrorCode =
  | 'gtin_empty'
  | 'gtin_not_digits'
  | 'gtin_length'
  | 'gtin_body_length'
  | 'gtin_check_digit'
  | 'value_empty'
  | 'value_too_long'
  | 'value_charset'
  | 'value_dot_segment'
  | 'base_invalid'
  | 'url_invalid'
  | 'percent_encoding'
  | 'no_gtin'
  | 'ai_not_in_path'
  | 'qualifier_order'
  | 'ai_not_in_query'
  | 'ai_unknown'
  | 'attribute_invalid'
  | 'attribute_duplicate'
  | 'short_code_empty'
  | 'short_code_char'
  | 'short_code_length'
  | 'short_code_range'
  | 'short_code_check';

export type Gs1Error = { ok: false; code: Gs1ErrorCode; message: string };
export type Gs1Result<T> = { ok: true; value: T } | Gs1Error;

const ok = <T>(value: T): Gs1Result<T> => ({ ok: true, value });
const fail = (code: Gs1ErrorCode, message: string): Gs1Error => ({ ok: false, code, message });

// ─── GTIN ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** Lengths of the GTIN family: GTIN-8 (EAN-8), GTIN-12 (UPC-A), GTIN-13 (EAN-13), GTIN-14. */
export const GTIN_LENGTHS = [8, 12, 13, 14] as const;

function mod10(body: string): number {
  let sum = 0;
  // Weight 3 on the rightmost body digit, then alternately 1 and 3 leftwards.
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += (body.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10;
}

/** The check digit of a GTIN body (the GTIN without its last digit: 7, 11, 12 or 13 digits). */
export function gtinCheckDigit(body: string): Gs1Result<number> {
  if (!/^\d+$/.test(body)) return fail('gtin_not_digits', 'Mã GTIN chỉ gồm chữ số');
  if (!GTIN_LENGTHS.some((n) => n - 1 === body.length)) {
    return fail('gtin_body_length', 'Phần thân mã GTIN (không kể số kiểm tra) phải có 7, 11, 12 hoặc 13 chữ số');
  }
  return ok(mod10(body));
}

/** Validates a GTIN-8/12/13/14 (digits only, surrounding spaces not tolerated) and returns it unchanged. */
export function checkGtin(s: string): Gs1Result<string> {
  if (s.length === 0) return fail('gtin_empty', 'Chưa nhập mã GTIN');
  if (!/^\d+$/.test(s)) return fail('gtin_not_digits', 'Mã GTIN chỉ gồm chữ số');
  if (!(GTIN_LENGTHS as readonly number[]).includes(s.length)) {
    return fail('gtin_length', 'Mã GTIN phải có 8, 12, 13 hoặc 14 chữ số');
  }
  if (mod10(s.slice(0, -1)) !== s.charCodeAt(s.length - 1) - 48) return fail('gtin_check_digit', 'Mã GTIN sai số kiểm tra');
  return ok(s);
}

export const isValidGtin = (s: string): boolean => checkGtin(s).ok;

/** Validates, then left-pads a GTIN-8/12/13 with zeros to the 14 digits used in Digital Link URIs and EPCIS. */
export function toGtin14(s: string): Gs1Result<string> {
  const r = checkGtin(s);
  return r.ok ? ok(r.value.padStart(14, '0')) : r;
}

// ─── AI values (character set 82) ───────────────────────────────────────────────────────────────────────────────

/** GS1 AI encodable character set 82 (GS1 General Specifications §7.11). */
export const GS1_CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
const CSET82 = new Set(GS1_CSET82);

/** Key qualifiers of a GTIN in Digital Link path order (URI Syntax 1.2: gtin-path). */
const QUALIFIERS = [
  { ai: '22', alias: 'cpv', field: 'cpv', label: 'Biến thể sản phẩm (AI 22)' },
  { ai: '10', alias: 'lot', field: 'lot', label: 'Số lô (AI 10)' },
  { ai: '21', alias: 'ser', field: 'serial', label: 'Số sê-ri (AI 21)' },
] as const;
type QualifierField = (typeof QUALIFIERS)[number]['field'];

const showChar = (c: string) => (c === ' ' ? 'dấu cách' : `"${c}"`);

/** Checks a value against X..maxLen of the 82-character set (cpv, lot and serial are all X..20). */
function checkCset82(value: string, label: string, maxLen = 20): Gs1Error | null {
  if (value.length === 0) return fail('value_empty', `${label} không được để trống`);
  const chars = [...value];
  const bad = chars.find((c) => !CSET82.has(c));
  if (bad !== undefined) {
    return fail('value_charset', `${label} chứa ký tự không được phép: ${showChar(bad)} (chỉ chữ Latinh không dấu, chữ số và ! " % & ' ( ) * + , - . / : ; < = > ? _)`);
  }
  if (chars.length > maxLen) return fail('value_too_long', `${label} dài quá ${maxLen} ký tự`);
  return null;
}

/** Validates a lot number (AI 10) as stored on a lot and printed on a stamp. */
export function checkLot(lot: string): Gs1Result<string> {
  return checkPathValue(lot, 'Số lô (AI 10)');
}

/** Validates a serial number (AI 21). */
export function checkSerial(serial: string): Gs1Result<string> {
  return checkPathValue(serial, 'Số sê-ri (AI 21)');
}

function checkPathValue(value: string, label: string): Gs1Result<string> {
  const e = checkCset82(value, label);
  if (e) return e;
  // "." and ".." are dot-segments: browsers and URL parsers remove them (even as %2E) before a request is sent,
  // so such a value could never reach the resolver.
  if (value === '.' || value === '..') return fail('value_dot_segment', `${label} không được chỉ gồm "." hoặc ".."`);
  return ok(value);
}

/**
 * Percent-encodes an AI value for a URI: everything but A–Z a–z 0–9 - . _ (the ABNF of URI Syntax 1.2 carries
 * the other symbols of the 82-character set only percent-encoded; this is encodeURIComponent plus ! ' ( ) *).
 */
export function encodeAiValue(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// ─── Data attributes (query string) ─────────────────────────────────────────────────────────────────────────────

const YYMMDD = /^(\d{2})(\d{2})(\d{2})$/;

/** GS1 6-digit date; DD = 00 means "end of month" where the syntax dictionary allows it. Leap years: YY % 4 = 0. */
function isGs1Date(s: string, allowDay00: boolean): boolean {
  const m = YYMMDD.exec(s);
  if (!m) return false;
  const yy = Number(m[1]);
  const mm = Number(m[2]);
  const dd = Number(m[3]);
  if (mm < 1 || mm > 12) return false;
  if (dd === 0) return allowDay00;
  const days = [31, yy % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1];
  return dd <= days;
}

type AttrSpec = { label: string; valid: (v: string) => boolean; format: string };

const dateAttr = (label: string, allowDay00 = true): AttrSpec => ({
  label,
  valid: (v) => isGs1Date(v, allowDay00),
  format: 'YYMMDD',
});
const digits = (label: string, min: number, max: number): AttrSpec => ({
  label,
  valid: (v) => new RegExp(`^\\d{${min},${max}}$`).test(v),
  format: min === max ? `${min} chữ số` : `${min}–${max} chữ số`,
});

/** Data attributes this platform reads and writes in the query string. Any other numeric key is refused. */
const ATTRIBUTES: Record<string, AttrSpec> = {
  '11': dateAttr('Ngày sản xuất (AI 11)'),
  '13': dateAttr('Ngày đóng gói (AI 13)'),
  '15': dateAttr('Hạn dùng tốt nhất (AI 15)'),
  '16': dateAttr('Hạn bán (AI 16)'),
  '17': dateAttr('Hạn sử dụng (AI 17)'),
  '30': digits('Số lượng thay đổi (AI 30)', 1, 8),
  '37': digits('Số lượng (AI 37)', 1, 8),
  '422': digits('Nước xuất xứ (AI 422)', 3, 3),
  '7006': dateAttr('Ngày cấp đông đầu tiên (AI 7006)', false),
  '7007': {
    label: 'Ngày thu hoạch (AI 7007)',
    valid: (v) => (v.length === 6 || v.length === 12) && isGs1Date(v.slice(0, 6), false) && (v.length === 6 || isGs1Date(v.slice(6), false)),
    format: 'YYMMDD hoặc YYMMDDYYMMDD',
  },
};
// Net weight in kg with n decimals (3100–3105): N6.
for (let n = 0; n <= 5; n++) ATTRIBUTES[`310${n}`] = digits(`Khối lượng tịnh, kg (AI 310${n})`, 6, 6);
// Certification references (7230–7239): X2..30 of the 82-character set.
for (let n = 0; n <= 9; n++) {
  ATTRIBUTES[`723${n}`] = {
    label: `Tham chiếu chứng nhận (AI 723${n})`,
    valid: (v) => v.length >= 2 && v.length <= 30 && [...v].every((c) => CSET82.has(c)),
    format: '2–30 ký tự',
  };
}

/** The data-attribute AIs accepted in a Digital Link query string. */
export const SUPPORTED_ATTRIBUTE_AIS: readonly string[] = Object.keys(ATTRIBUTES).sort();

const PATH_ONLY_AIS = new Set(['01', '22', '10', '21']);

function checkAttribute(ai: string, value: string): Gs1Error | null {
  if (PATH_ONLY_AIS.has(ai)) {
    return fail('ai_not_in_query', `AI ${ai} thuộc đường dẫn (/${ai}/…), không được đặt trong chuỗi truy vấn`);
  }
  const spec = ATTRIBUTES[ai];
  if (!spec) return fail('ai_unknown', `AI ${ai} không được hỗ trợ làm thuộc tính dữ liệu`);
  if (!spec.valid(value)) return fail('attribute_invalid', `${spec.label} không hợp lệ: "${value}" (định dạng ${spec.format})`);
  return null;
}

// ─── Building ───────────────────────────────────────────────────────────────────────────────────────────────────

export type DigitalLinkInput = {
  /** Scheme, domain and optional path prefix, e.g. `https://truyxuat.ocophub.vn` or `https://x.vn/dl`. */
  base: string;
  /** GTIN-8/12/13/14; always written as GTIN-14. */
  gtin: string;
  cpv?: string | null;
  lot?: string | null;
  serial?: string | null;
  /** Data attributes by AI, e.g. `{ '17': '261231' }`; written in ascending AI order. */
  query?: Readonly<Record<string, string>> | null;
};

const BASE_RE = /^(https?):\/\/([^/?#\s@]+)(\/[^?#\s]*)?$/i;

function normaliseBase(base: string): Gs1Result<string> {
  const m = BASE_RE.exec(base.trim());
  if (!m) return fail('base_invalid', 'Địa chỉ gốc phải là URL http(s) (tên miền và đường dẫn tùy chọn), không có truy vấn hay #');
  const path = (m[3] ?? '').replace(/\/+$/, '');
  return ok(`${m[1].toLowerCase()}://${m[2].toLowerCase()}${path}`);
}

/** `https://<domain>[/prefix]/01/<GTIN-14>[/22/<cpv>][/10/<lot>][/21/<serial>][?<AI>=<value>&…]` */
export function buildDigitalLink(input: DigitalLinkInput): Gs1Result<string> {
  const base = normaliseBase(input.base);
  if (!base.ok) return base;
  const gtin = toGtin14(input.gtin);
  if (!gtin.ok) return gtin;
  let uri = `${base.value}/01/${gtin.value}`;
  for (const q of QUALIFIERS) {
    const v = input[q.field];
    if (v === undefined || v === null) continue;
    const r = checkPathValue(v, q.label);
    if (!r.ok) return r;
    uri += `/${q.ai}/${encodeAiValue(v)}`;
  }
  const attrs = Object.keys(input.query ?? {}).sort();
  const parts: string[] = [];
  for (const ai of attrs) {
    const value = input.query![ai];
    const e = checkAttribute(ai, value);
    if (e) return e;
    parts.push(`${ai}=${encodeAiValue(value)}`);
  }
  return ok(parts.length ? `${uri}?${parts.join('&')}` : uri);
}

// ─── Parsing ────────────────────────────────────────────────────────────────────────────────────────────────────

export type ParsedDigitalLink = {
  /** Scheme, domain and any path prefix before `/01/`, lowercased scheme and domain, no trailing slash. */
  base: string;
  /** GTIN-14. */
  gtin: string;
  cpv: string | null;
  lot: string | null;
  serial: string | null;
  /** GS1 data attributes from the query string, by AI. */
  attributes: Record<string, string>;
  /** Non-GS1 query parameters (e.g. `linkType`), passed through unvalidated. */
  otherParams: Record<string, string>;
  /** The same link written canonically by `buildDigitalLink` (GTIN-14, numeric AIs, standard encoding). */
  canonical: string;
};

// Scheme and authority, the raw path (not normalised by a URL parser: %2F inside a lot must not split it), query.
const URL_RE = /^(https?):\/\/([^/?#\s@]+)([^?#\s]*)(?:\?([^#\s]*))?(?:#\S*)?$/i;

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

const PRIMARY_CODES = new Set(['01', 'gtin']);
const QUALIFIER_BY_CODE = new Map<string, { rank: number; q: (typeof QUALIFIERS)[number] }>();
QUALIFIERS.forEach((q, rank) => {
  QUALIFIER_BY_CODE.set(q.ai, { rank, q });
  QUALIFIER_BY_CODE.set(q.alias, { rank, q });
});

/**
 * Reads a GS1 Digital Link URI for a GTIN: any http(s) domain, any path prefix, GTIN-8/12/13/14 (normalised to 14),
 * qualifiers 22 → 10 → 21 each at most once, percent-decoded values of the 82-character set, and data attributes
 * in the query. Refuses anything else with a Vietnamese message.
 */
export function parseDigitalLink(url: string): Gs1Result<ParsedDigitalLink> {
  const m = URL_RE.exec(url.trim());
  if (!m) return fail('url_invalid', 'Không phải địa chỉ http(s) hợp lệ');
  const segments = m[3].replace(/\/$/, '').split('/').slice(1); // leading '' before the first '/'
  // The GS1 part is a suffix of the path: /01/<gtin> followed by (code, value) pairs. Its primary key is the
  // rightmost '01' (or 'gtin') an even number of segments from the end; an '01' to its right would sit where a
  // qualifier code belongs, and a value '01' always sits an odd distance from the end.
  let start = -1;
  for (let i = segments.length - 2; i >= 0; i -= 2) {
    if (PRIMARY_CODES.has(segments[i])) {
      start = i;
      break;
    }
  }
  if (start < 0) return fail('no_gtin', 'Địa chỉ không chứa mã GTIN dạng /01/<GTIN>');

  const base = `${m[1].toLowerCase()}://${m[2].toLowerCase()}${start > 0 ? `/${segments.slice(0, start).join('/')}` : ''}`;
  const rawGtin = decode(segments[start + 1]);
  if (rawGtin === null) return fail('percent_encoding', 'Mã hóa phần trăm (%) trong địa chỉ không hợp lệ');
  const gtin = toGtin14(rawGtin);
  if (!gtin.ok) return gtin;

  const found: Record<QualifierField, string | null> = { cpv: null, lot: null, serial: null };
  let lastRank = -1;
  let lastCode = '01';
  for (let i = start + 2; i < segments.length; i += 2) {
    const code = segments[i];
    const entry = QUALIFIER_BY_CODE.get(code);
    if (!entry) {
      if (/^\d{2,4}$/.test(code)) {
        return fail('ai_not_in_path', `AI ${code} không được phép trong đường dẫn sau GTIN; chỉ có 22, 10, 21 (thuộc tính dữ liệu đặt trong chuỗi truy vấn)`);
      }
      return fail('ai_not_in_path', `Phần đường dẫn "${code}" sau GTIN không phải mã AI hợp lệ`);
    }
    if (entry.rank <= lastRank) {
      return fail('qualifier_order', `Thứ tự định danh phụ sai: /${code}/ đứng sau /${lastCode}/; thứ tự phải là 22 → 10 → 21, mỗi loại một lần`);
    }
    const value = decode(segments[i + 1]);
    if (value === null) return fail('percent_encoding', 'Mã hóa phần trăm (%) trong địa chỉ không hợp lệ');
    const r = checkPathValue(value, entry.q.label);
    if (!r.ok) return r;
    found[entry.q.field] = value;
    lastRank = entry.rank;
    lastCode = code;
  }

  const attributes: Record<string, string> = {};
  const otherParams: Record<string, string> = {};
  for (const pair of (m[4] ?? '').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (key === null || value === null) return fail('percent_encoding', 'Mã hóa phần trăm (%) trong địa chỉ không hợp lệ');
    if (/^\d+$/.test(key)) {
      if (key in attributes) return fail('attribute_duplicate', `AI ${key} xuất hiện hai lần trong chuỗi truy vấn`);
      const e = checkAttribute(key, value);
      if (e) return e;
      attributes[key] = value;
    } else if (!(key in otherParams)) {
      otherParams[key] = value;
    }
  }

  const canonical = buildDigitalLink({ base, gtin: gtin.value, ...found, query: attributes });
  if (!canonical.ok) return canonical; // unreachable: every part was validated above
  return ok({ base, gtin: gtin.value, ...found, attributes, otherParams, canonical: canonical.value });
}

// ─── Short platform code ────────────────────────────────────────────────────────────────────────────────────────

/**
 * Short code for stamps of products without a GTIN.
 *
 * Format: the number in Crockford base 32 (`0-9 A-Z` without `I L O U`, most significant symbol first, uppercase),
 * left-padded with `0` to at least SHORT_CODE_MIN_DIGITS symbols, followed by ONE check symbol = number mod 37
 * written with Crockford's check alphabet (`0-9 A-Z` without `I L O U`, then `* ~ $ = U` for 32–36).
 * Examples: 0 → `0000000`, 1 → `0000011`, 32 → `000010*`, 1234567 → `015NM7S`. All check symbols are legal unencoded in a URI path.
 * A single wrong symbol anywhere, or two adjacent symbols swapped, always changes the check (37 is prime and
 * does not divide k·32ⁿ for 0 < |k| < 37).
 * Reading is forgiving as Crockford allows: lower case, hyphens and spaces are accepted, I/L read as 1, O as 0.
 * Range: 0 … 2⁶³ − 1 (fits a PostgreSQL bigint), so at most 13 symbols plus the check symbol.
 */
export const SHORT_CODE_MIN_DIGITS = 6;
export const SHORT_CODE_MAX = (1n << 63n) - 1n;
const SHORT_CODE_MAX_DIGITS = 13;
const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK = `${B32}*~$=U`;

/** Encodes a stamp number. Throws RangeError for a negative, fractional or out-of-range number (a programming error). */
export function makeShortCode(n: bigint | number): string {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`short code needs a safe integer, got ${n}`);
  let v = BigInt(n);
  if (v < 0n || v > SHORT_CODE_MAX) throw new RangeError(`short code out of range: ${v}`);
  const check = CHECK[Number(v % 37n)];
  let s = '';
  do {
    s = B32[Number(v & 31n)] + s;
    v >>= 5n;
  } while (v > 0n);
  return s.padStart(SHORT_CODE_MIN_DIGITS, '0') + check;
}

const READ_ALIASES: Record<string, string> = { I: '1', L: '1', O: '0' };

/** Reads a short code typed or scanned by a person; answers its number and canonical spelling. */
export function parseShortCode(s: string): Gs1Result<{ value: bigint; code: string }> {
  const cleaned = s.replace(/[\s-]/g, '').toUpperCase();
  if (cleaned === '') return fail('short_code_empty', 'Chưa nhập mã tem');
  const chars = [...cleaned].map((c) => READ_ALIASES[c] ?? c);
  const checkChar = chars.pop()!;
  if (chars.length === 0) return fail('short_code_length', 'Mã tem quá ngắn');
  if (chars.length > SHORT_CODE_MAX_DIGITS) return fail('short_code_length', 'Mã tem quá dài');
  let v = 0n;
  for (const c of chars) {
    const d = B32.indexOf(c);
    if (d < 0) return fail('short_code_char', `Mã tem chứa ký tự không hợp lệ: ${showChar(c)}`);
    v = (v << 5n) | BigInt(d);
  }
  const check = CHECK.indexOf(checkChar);
  if (check < 0) return fail('short_code_char', `Mã tem có ký tự kiểm tra không hợp lệ: ${showChar(checkChar)}`);
  if (v > SHORT_CODE_MAX) return fail('short_code_range', 'Mã tem vượt quá phạm vi');
  if (BigInt(check) !== v % 37n) return fail('short_code_check', 'Mã tem sai ký tự kiểm tra — có thể đã gõ nhầm một ký tự');
  return ok({ value: v, code: makeShortCode(v) });
}

// ─── Data attributes read one by one (the resolver) ─────────────────────────────────────────────────────────────

/**
 * One data attribute of a Digital Link query, for the resolver, which shows what it can and notes the rest instead
 * of refusing the whole link: `known` when this platform reads the AI (then `error` says whether its value is
 * valid, in Vietnamese), `pathOnly` for a key or key qualifier (01, 22, 10, 21) that belongs in the path.
 */
export function describeDataAttribute(ai: string, value: string): { known: false; pathOnly: boolean } | { known: true; label: string; error: string | null } {
  if (PATH_ONLY_AIS.has(ai)) return { known: false, pathOnly: true };
  const spec = ATTRIBUTES[ai];
  if (!spec) return { known: false, pathOnly: false };
  const e = checkAttribute(ai, value);
  return { known: true, label: spec.label, error: e ? e.message : null };
}

/**
 * A valid GS1 YYMMDD date as ISO `YYYY-MM-DD`: the century by the GS1 General Specifications §7.12 rule (the year
 * within −49…+50 years of `todayYear`), DD = 00 as the last day of the month. Call after validating the value.
 */
export function gs1DateToIso(yymmdd: string, todayYear: number): string {
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  let dd = Number(yymmdd.slice(4, 6));
  let year = todayYear - (todayYear % 100) + yy;
  if (year - todayYear > 50) year -= 100;
  else if (todayYear - year > 49) year += 100;
  if (dd === 0) dd = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  return `${year}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

// ─── EPC URNs and canonical GS1 keys (EPCIS) ───────────────────────────────────────────────────────────────────

/** The GS1 resolver domain CBV 2.0 uses for canonical Digital Link URIs (event hash IDs, identifier keys). */
export const GS1_CANONICAL_BASE = 'https://id.gs1.org';


/** URN escapes (%22 …) undone, then percent-encoded as the CBV 2.0 canonical Digital Link writes path values. */
function urnValue(s: string): string | null {
  const v = decode(s);
  return v === null || v === '' ? null : encodeURIComponent(v).replace(/[!()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * An EPC URI (EPC Tag Data Standard pure identity / class URN) as a canonical GS1 Digital Link on id.gs1.org, or
 * null when it is not one we read: sgtin, lgtin, idpat:sgtin (GTIN class), sscc, sgln, pgln, grai, giai, gsrn, gdti,
 * sgcn, cpi. `urn:epc:class:lgtin:4012345.012345.L1` → `https://id.gs1.org/01/04012345123456/10/L1`.
 */
export function epcUrnToDigitalLink(urn: string): string | null {
  const m = /^urn:epc:(id|class|idpat):([a-z]+):(.+)$/i.exec(urn.trim());
  if (!m) return null;
  const scheme = `${m[1].toLowerCase()}:${m[2].toLowerCase()}`;
  const parts = m[3].split('.');
  const digits = (s: string | undefined) => s !== undefined && /^\d*$/.test(s);
  const b = GS1_CANONICAL_BASE;
  const gtinOf = (cp: string, iir: string) => {
    const body = iir.slice(0, 1) + cp + iir.slice(1);
    return body.length === 13 ? `${body}${mod10(body)}` : null;
  };
  switch (scheme) {
    case 'id:sgtin':
    case 'class:lgtin': {
      if (parts.length < 3 || !digits(parts[0]) || !digits(parts[1])) return null;
      const gtin = gtinOf(parts[0], parts[1]);
      const v = urnValue(parts.slice(2).join('.'));
      if (!gtin || v === null) return null;
      return `${b}/01/${gtin}/${scheme === 'id:sgtin' ? '21' : '10'}/${v}`;
    }
    case 'idpat:sgtin': {
      if (parts.length !== 3 || !digits(parts[0]) || !digits(parts[1]) || parts[2] !== '*') return null;
      const gtin = gtinOf(parts[0], parts[1]);
      return gtin ? `${b}/01/${gtin}` : null;
    }
    case 'id:upui': {
      if (parts.length < 3 || !digits(parts[0]) || !digits(parts[1])) return null;
      const gtin = gtinOf(parts[0], parts[1]);
      const v = urnValue(parts.slice(2).join('.'));
      return gtin && v !== null ? `${b}/01/${gtin}/235/${v}` : null;
    }
    case 'id:sscc': {
      if (parts.length !== 2 || !digits(parts[0]) || !digits(parts[1])) return null;
      const body = parts[1].slice(0, 1) + parts[0] + parts[1].slice(1);
      return body.length === 17 ? `${b}/00/${body}${mod10(body)}` : null;
    }
    case 'id:sgln': {
      if (parts.length < 3 || !digits(parts[0]) || !digits(parts[1])) return null;
      const body = parts[0] + parts[1];
      if (body.length !== 12) return null;
      const ext = parts.slice(2).join('.');
      const v = ext === '0' ? null : urnValue(ext);
      return `${b}/414/${body}${mod10(body)}${v === null ? '' : `/254/${v}`}`;
    }
    case 'id:pgln': {
      if (parts.length !== 2 || !digits(parts[0]) || !digits(parts[1])) return null;
      const body = parts[0] + parts[1];
      return body.length === 12 ? `${b}/417/${body}${mod10(body)}` : null;
    }
    case 'id:grai': {
      if (parts.length < 3 || !digits(parts[0]) || !digits(parts[1])) return null;
      const body = parts[0] + parts[1];
      const serial = parts.slice(2).join('.');
      return body.length === 12 ? `${b}/8003/0${body}${mod10(body)}${serial ? (urnValue(serial) ?? '') : ''}` : null;
    }
    case 'id:giai': {
      if (parts.length < 2 || !digits(parts[0])) return null;
      const v = urnValue(parts[0] + parts.slice(1).join('.'));
      return v === null ? null : `${b}/8004/${v}`;
    }
    case 'id:gsrn':
    case 'id:gsrnp': {
      if (parts.length !== 2 || !digits(parts[0]) || !digits(parts[1])) return null;
      const body = parts[0] + parts[1];
      return body.length === 17 ? `${b}/${scheme === 'id:gsrn' ? '8018' : '8017'}/${body}${mod10(body)}` : null;
    }
    case 'id:gsin': {
      if (parts.length !== 2 || !digits(parts[0]) || !digits(parts[1])) return null;
      const body = parts[0] + parts[1];
      return body.length === 16 ? `${b}/402/${body}${mod10(body)}` : null;
    }
    case 'id:ginc': {
      if (parts.length < 2 || !digits(parts[0])) return null;
      const v = urnValue(parts[0] + parts.slice(1).join('.'));
      return v === null ? null : `${b}/401/${v}`;
    }
    case 'id:itip': {
      if (parts.length < 5 || !digits(parts[0]) || !digits(parts[1]) || !digits(parts[2]) || !digits(parts[3])) return null;
      const gtin = gtinOf(parts[0], parts[1]);
      const v = urnValue(parts.slice(4).join('.'));
      return gtin && v !== null ? `${b}/8006/${gtin}${parts[2]}${parts[3]}/21/${v}` : null;
    }
    case 'id:gdti':
    case 'id:sgcn': {
      if (parts.length < 3 || !digits(parts[0]) || !digits(parts[1])) return null;
      const body = parts[0] + parts[1];
      const serial = parts.slice(2).join('.');
      return body.length === 12 ? `${b}/${scheme === 'id:gdti' ? '253' : '255'}/${body}${mod10(body)}${serial ? (urnValue(serial) ?? '') : ''}` : null;
    }
    case 'id:cpi': {
      if (parts.length !== 3 || !digits(parts[0])) return null;
      const ref = urnValue(parts[0] + parts[1]);
      return ref === null || !digits(parts[2]) ? null : `${b}/8010/${ref}/8011/${parts[2]}`;
    }
    default:
      return null;
  }
}

/** Primary-key AIs a Digital Link path may start with (those EPCIS events name things and places by). */
/** Digital Link short names of AIs (GS1 Digital Link 1.x). */
const DL_ALIASES: Record<string, string> = {
  gtin: '01', sscc: '00', gln: '414', party: '417', grai: '8003', giai: '8004', gdti: '253', gcn: '255', ginc: '401',
  gsin: '402', itip: '8006', cpid: '8010', gsrn: '8018', gsrnp: '8017', cpv: '22', lot: '10', ser: '21', glnx: '254', cpsn: '8011',
};
const DL_KEYS = new Set(['00', '01', '253', '255', '401', '402', '414', '417', '8003', '8004', '8006', '8010', '8017', '8018']);

/**
 * The canonical form of a GS1 identifier in either syntax: an EPC URN or a Digital Link on any domain (any path
 * prefix) becomes `https://id.gs1.org/<key>/<value>[/<qualifier>/<value>…]` without data attributes or query, a
 * GTIN as GTIN-14; anything else → null. One internal key for `urn:epc:class:lgtin:…` and `…/01/…/10/…`.
 */
export function canonicalGs1Uri(uri: string): string | null {
  const s = uri.trim();
  if (/^urn:epc:/i.test(s)) return epcUrnToDigitalLink(s);
  const m = URL_RE.exec(s);
  if (!m) return null;
  const segments = m[3].replace(/\/$/, '').split('/').slice(1).map((seg, i, all) => (i % 2 === (all.length % 2) ? (DL_ALIASES[seg] ?? seg) : seg));
  for (let i = segments.length - 2; i >= 0; i -= 2) {
    if (!DL_KEYS.has(segments[i])) continue;
    // The key sits an even number of segments from the end (code/value pairs follow it).
    if ((segments.length - i) % 2 !== 0) continue;
    const rest = segments.slice(i);
    if (rest[0] === '01') {
      const g = toGtin14(rest[1]);
      if (!g.ok) return null;
      rest[1] = g.value;
    }
    return `${GS1_CANONICAL_BASE}/${rest.join('/')}`;
  }
  return null;
}
