/**
 * Decompression of compressed GS1 Digital Link URIs (GS1 Digital Link Standard: URI Syntax 1.2, compression): the
 * path after the domain is one segment of the URI-safe base64 alphabet (`A–Z a–z 0–9 - _`, 6 bits a symbol) that
 * carries a bit string. Read left to right, it holds entries until fewer than 8 bits are left (padding):
 *
 * - two 4-bit hex symbols h1h2. 00–99: the start of a numeric AI; its length (2, 3 or 4 digits) comes from table P
 *   and the remaining digits follow as 4-bit symbols. Any other value names an optimised sequence of AIs (table Opt),
 *   whose values follow one after the other. `F` as h1 starts a non-GS1 key=value pair: 7 bits of key length (the
 *   second hex symbol plus 3 more bits), the key in base64 symbols, then a value as below.
 * - a value, per component of the AI's format (table F): fixed-length digits as one binary number of
 *   ⌈n·log2(10)⌉ bits, zero-padded to n digits; variable-length digits as a length of ⌈log2(max)⌉ bits followed by
 *   the number; characters as a 3-bit encoding (0 digits, 1 lower-case hex, 2 upper-case hex, 3 URI-safe base64,
 *   4 7-bit ASCII), then — variable-length only — ⌈log2(max)⌉ bits of length, then the characters.
 *
 * Pure, dependency-free, never throws on input: answers a Gs1Result with a Vietnamese message.
 * Tested with GS1's published vectors (test/fixtures/gs1/compression-vectors.json).
 */
import { AI_LENGTH_BY_PREFIX, AI_VALUE_FORMAT, OPTIMISED_SEQUENCES } from './gs1-compression-tables.js';
import type { Gs1Result } from './gs1.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789ABCDEF';
/** A compressed path segment: URI-safe base64 only. Shorter than 8 symbols cannot hold a GTIN (48 bits). */
export const COMPRESSED_SEGMENT_RE = /^[A-Za-z0-9_-]{8,}$/;
/** A longer segment is not a label we would print (a QR code of a compressed link is ~60 symbols). */
const MAX_SEGMENT = 400;

export type DecompressedLink = {
  /** GS1 AIs and their values, in the order they were read. */
  ais: [string, string][];
  /** Non-GS1 key=value pairs carried in the compressed form (e.g. linkType). */
  other: [string, string][];
};

class Bits {
  pos = 0;
  constructor(readonly s: string) {}
  get left() { return this.s.length - this.pos; }
  /** The next n bits as an unsigned number; null past the end. */
  take(n: number): bigint | null {
    if (n > this.left) return null;
    const v = n === 0 ? 0n : BigInt(`0b${this.s.slice(this.pos, this.pos + n)}`);
    this.pos += n;
    return v;
  }
}

const bad = (message: string) => ({ ok: false as const, code: 'url_invalid' as const, message });

/** Bits for a length up to `max` (the standard's ⌈log2(max)⌉, as the reference implementation computes it). */
const lengthBits = (max: number) => Math.ceil(Math.log(max) / Math.log(2) + 0.01);
/** Bits for an n-digit number. */
const valueBits = (digits: number) => Math.ceil((digits * Math.log(10)) / Math.log(2) + 0.01);

function readChars(b: Bits, enc: number, count: number): string | null {
  if (enc === 0) {
    const v = b.take(valueBits(count));
    return v === null ? null : count === 0 ? '' : v.toString();
  }
  const width = enc === 1 || enc === 2 ? 4 : enc === 3 ? 6 : enc === 4 ? 7 : 0;
  if (!width) return null;
  let s = '';
  for (let i = 0; i < count; i++) {
    const v = b.take(width);
    if (v === null) return null;
    const n = Number(v);
    if (enc === 4) {
      if (n < 32 || n > 126) return null; // control characters never belong in an AI value
      s += String.fromCharCode(n);
    } else s += enc === 3 ? B64[n] : enc === 1 ? HEX[n].toLowerCase() : HEX[n];
  }
  return s;
}

/** One AI's value, component by component (table F). */
function readValue(b: Bits, ai: string): string | null {
  const format = AI_VALUE_FORMAT[ai];
  if (!format) return null;
  let value = '';
  for (const part of format.split(' ')) {
    const m = /^([NX])(\.\.)?(\d+)$/.exec(part);
    if (!m) return null;
    const n = Number(m[3]);
    if (m[1] === 'N' && !m[2]) {
      const v = b.take(valueBits(n));
      if (v === null) return null;
      const s = v.toString();
      if (s.length > n) return null;
      value += s.padStart(n, '0');
    } else if (m[1] === 'N') {
      const len = b.take(lengthBits(n));
      if (len === null || Number(len) > n) return null;
      const v = b.take(valueBits(Number(len)));
      if (v === null) return null;
      value += len === 0n ? '' : v.toString();
    } else {
      const enc = b.take(3);
      if (enc === null) return null;
      let count = n;
      if (m[2]) {
        const len = b.take(lengthBits(n));
        if (len === null || Number(len) > n) return null;
        count = Number(len);
      }
      const s = readChars(b, Number(enc), count);
      if (s === null) return null;
      value += s;
    }
  }
  return value;
}

/** Decodes one compressed path segment into its AIs and other key=value pairs. */
export function decompressSegment(segment: string): Gs1Result<DecompressedLink> {
  if (!COMPRESSED_SEGMENT_RE.test(segment) || segment.length > MAX_SEGMENT) return bad('Không phải Digital Link nén');
  let bits = '';
  for (const c of segment) bits += B64.indexOf(c).toString(2).padStart(6, '0');
  const b = new Bits(bits);
  const ais: [string, string][] = [];
  const other: [string, string][] = [];
  const seen = new Set<string>();
  const push = (ai: string, v: string) => {
    if (seen.has(ai)) return false;
    seen.add(ai);
    ais.push([ai, v]);
    return true;
  };
  while (b.left > 8) {
    const h1 = Number(b.take(4));
    const h2 = Number(b.take(4));
    const h = HEX[h1] + HEX[h2];
    if (h1 <= 9 && h2 <= 9) {
      const len = AI_LENGTH_BY_PREFIX[h];
      if (!len) return bad('Digital Link nén chứa mã AI không được định nghĩa');
      let ai = h;
      for (let i = 2; i < len; i++) {
        const d = b.take(4);
        if (d === null || d > 9n) return bad('Digital Link nén có mã AI không phải chữ số');
        ai += String(d);
      }
      const v = readValue(b, ai);
      if (v === null || !push(ai, v)) return bad(`Digital Link nén có giá trị AI ${ai} không đọc được`);
    } else if (OPTIMISED_SEQUENCES[h]) {
      for (const ai of OPTIMISED_SEQUENCES[h]) {
        const v = readValue(b, ai);
        if (v === null || !push(ai, v)) return bad(`Digital Link nén có giá trị AI ${ai} không đọc được`);
      }
    } else if (h1 === 15) {
      const extra = b.take(3);
      if (extra === null) return bad('Digital Link nén bị cắt cụt');
      const keyLen = (h2 << 3) | Number(extra);
      const key = readChars(b, 3, keyLen);
      const enc = b.take(3);
      const count = b.take(7);
      if (!key || enc === null || count === null) return bad('Digital Link nén bị cắt cụt');
      const v = readChars(b, Number(enc), Number(count));
      if (v === null) return bad('Digital Link nén bị cắt cụt');
      other.push([key, v]);
    } else {
      return bad(`Digital Link nén dùng mã tối ưu chưa được định nghĩa (${h})`);
    }
  }
  if (!ais.length) return bad('Digital Link nén không chứa mã định danh GS1');
  return { ok: true, value: { ais, other } };
}

/** The key qualifiers of a GTIN in path order (URI Syntax 1.2). */
const GTIN_PATH = ['01', '22', '10', '21'];

/**
 * The uncompressed Digital Link path and query (relative to the resolver's root) of a decompressed GTIN link:
 * `/01/<gtin>[/22/..][/10/..][/21/..]?<data attributes>&<other pairs>`. Values are percent-encoded; validation is
 * left to the ordinary parser, so a compressed link can never say more than its uncompressed form.
 */
export function uncompressedPathOf(d: DecompressedLink): Gs1Result<string> {
  const map = new Map(d.ais);
  if (!map.has('01')) return bad('Digital Link nén không chứa mã GTIN (AI 01)');
  const enc = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  let path = '';
  for (const ai of GTIN_PATH) if (map.has(ai)) path += `/${ai}/${enc(map.get(ai)!)}`;
  const query = [
    ...d.ais.filter(([ai]) => !GTIN_PATH.includes(ai)).sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    ...d.other,
  ].map(([k, v]) => `${enc(k)}=${enc(v)}`);
  return { ok: true, value: query.length ? `${path}?${query.join('&')}` : path };
}
