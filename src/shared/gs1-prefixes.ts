/**
 * What a GS1 prefix says about a GTIN, as data in one place (GS1 General Specifications §1.4 "GS1 Prefix" and the
 * GS1 prefix list). The server refuses what may never name a trade item in the open supply chain and warns about
 * what is allowed but unusual; the web app shows the same words.
 *
 * Ranges are on the first three digits of the GTIN-13 view (a GTIN-12 is read with a leading 0, a GTIN-14 without its
 * indicator digit). GTIN-8 has its own prefixes (a GTIN-8 starting with 0 or 2 is a restricted-circulation number).
 */

export type PrefixVerdict = 'vietnam' | 'foreign' | 'demo' | 'restricted' | 'coupon' | 'publication';
/** refuse: never on a trade item; warn: accepted, shown to the user (and officers) as a warning. */
export type PrefixSeverity = 'ok' | 'warn' | 'refuse';

export type PrefixRule = { from: string; to: string; verdict: PrefixVerdict };

/** First three digits (inclusive ranges) → what they mean. Anything not listed is a GS1 Member Organisation abroad. */
export const GS1_PREFIX_RULES: readonly PrefixRule[] = [
  { from: '020', to: '029', verdict: 'restricted' }, // restricted circulation within a geographic region (RCN)
  { from: '040', to: '049', verdict: 'restricted' }, // restricted circulation within a company
  { from: '050', to: '059', verdict: 'coupon' }, // GS1 US coupons
  { from: '200', to: '299', verdict: 'restricted' }, // restricted circulation within a geographic region (variable measure, in-store)
  { from: '893', to: '893', verdict: 'vietnam' }, // GS1 Vietnam
  { from: '952', to: '952', verdict: 'demo' }, // GS1 Global Office: demonstrations and examples only
  { from: '977', to: '979', verdict: 'publication' }, // ISSN, ISBN, ISMN (Bookland)
  { from: '980', to: '980', verdict: 'coupon' }, // refund receipts
  { from: '981', to: '984', verdict: 'coupon' }, // coupons
  { from: '990', to: '999', verdict: 'coupon' }, // coupons
];

export const VERDICT_SEVERITY: Record<PrefixVerdict, PrefixSeverity> = {
  vietnam: 'ok',
  foreign: 'warn',
  demo: 'warn',
  restricted: 'refuse',
  coupon: 'refuse',
  publication: 'refuse',
};

/** In officials' words (Vietnamese first). The web app has the same texts in its catalogues under gs1.verdict.*. */
export const VERDICT_MESSAGE_VI: Record<PrefixVerdict, string> = {
  vietnam: 'Mã GS1 Việt Nam (893)',
  foreign: 'Mã không bắt đầu bằng 893 (GS1 Việt Nam): mã do tổ chức GS1 nước ngoài cấp — hãy kiểm tra giấy chứng nhận thành viên',
  demo: 'Tiền tố 952 là mã GS1 chỉ dùng để minh hoạ, không dùng cho sản phẩm lưu thông',
  restricted: 'Mã dùng nội bộ (lưu thông hạn chế, tiền tố 02, 04 hoặc 2xx) không được dùng cho sản phẩm lưu thông trên thị trường',
  coupon: 'Tiền tố này dành cho phiếu giảm giá/phiếu hoàn tiền, không dùng cho sản phẩm',
  publication: 'Tiền tố 977–979 dành cho ấn phẩm (ISSN, ISBN, ISMN), không dùng cho sản phẩm OCOP',
};

export function verdictOfPrefix3(p3: string): PrefixVerdict {
  for (const r of GS1_PREFIX_RULES) if (p3 >= r.from && p3 <= r.to) return r.verdict;
  return 'foreign';
}

/** The GTIN-13 view of a GTIN-14 (drops the indicator digit); null for a GTIN-8 (six leading zeros). */
export function gtin13View(gtin14: string): string | null {
  if (!/^[0-9]{14}$/.test(gtin14)) return null;
  if (gtin14.startsWith('000000')) return null;
  return gtin14.slice(1);
}

/** What a GTIN-14's prefix says. */
export function classifyGtin(gtin14: string): { verdict: PrefixVerdict; severity: PrefixSeverity; message: string } {
  let verdict: PrefixVerdict;
  if (gtin14.startsWith('000000')) {
    const g8 = gtin14.slice(6);
    verdict = g8[0] === '0' || g8[0] === '2' ? 'restricted' : verdictOfPrefix3(g8.slice(0, 3));
  } else {
    verdict = verdictOfPrefix3(gtin14.slice(1, 4));
  }
  return { verdict, severity: VERDICT_SEVERITY[verdict], message: VERDICT_MESSAGE_VI[verdict] };
}

/** What a GS1 company prefix (6–12 digits, as on the membership certificate) says. */
export function classifyCompanyPrefix(prefix: string): { verdict: PrefixVerdict; severity: PrefixSeverity; message: string } {
  const verdict = verdictOfPrefix3(prefix.slice(0, 3));
  return { verdict, severity: VERDICT_SEVERITY[verdict], message: VERDICT_MESSAGE_VI[verdict] };
}

/** Whether a GTIN-14 was allocated under a company prefix (compared on the GTIN-13 view). */
export function gtinHasPrefix(gtin14: string, prefix: string): boolean {
  const v = gtin13View(gtin14);
  return v !== null && v.startsWith(prefix);
}

/** Two company prefixes overlap when one starts with the other: they cannot belong to two producers. */
export const prefixesOverlap = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);

/** GLN (GS1 AI 414): 13 digits with the GS1 mod-10 check digit (same algorithm as GTIN). */
export function checkGln(s: string): { ok: true; value: string } | { ok: false; message: string } {
  if (!/^[0-9]{13}$/.test(s)) return { ok: false, message: 'Mã GLN phải gồm đúng 13 chữ số' };
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(s[11 - i]) * (i % 2 === 0 ? 3 : 1);
  const d = (10 - (sum % 10)) % 10;
  if (d !== Number(s[12])) return { ok: false, message: `Mã GLN sai số kiểm tra: chữ số cuối phải là ${d}` };
  return { ok: true, value: s };
}
