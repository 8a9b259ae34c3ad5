/** Calendar arithmetic on ISO dates (yyyy-mm-dd) without time zones: certificates live in dates, not instants. */

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function parseIsoDate(s: string): { y: number; m: number; d: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`not an ISO date: ${s}`);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

export const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * Adds calendar months; a day that does not exist in the target month falls on that month's last day
 * (31 May + 1 month = 30 June; 29 Feb 2024 + 36 months = 28 Feb 2027). 31 Aug 2023 + 36 = 31 Aug 2026.
 */
export function addMonths(iso: string, months: number): string {
  const { y, m, d } = parseIsoDate(iso);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return `${pad(ny, 4)}-${pad(nm)}-${pad(Math.min(d, daysInMonth(ny, nm)))}`;
}

/** Validity of an OCOP certificate: 36 months from the recognition decision date. */
export const CERTIFICATE_VALIDITY_MONTHS = 36;
export const certificateExpiry = (decisionDate: string) => addMonths(decisionDate, CERTIFICATE_VALIDITY_MONTHS);

const toUtc = (iso: string) => {
  const { y, m, d } = parseIsoDate(iso);
  return Date.UTC(y, m - 1, d);
};

/** Whole days from a to b (b − a). */
export const daysBetween = (a: string, b: string) => Math.round((toUtc(b) - toUtc(a)) / 86_400_000);

/** Today in Vietnam (UTC+7): the date on which officers and producers read an expiry. */
export function todayInVietnam(now: Date = new Date()): string {
  const t = new Date(now.getTime() + 7 * 3600_000);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

export type CertificateStatus = 'active' | 'expiring' | 'expired' | 'superseded' | 'revoked';
/** "Expiring" from this many days before the expiry date (the first reminder). */
export const EXPIRING_WINDOW_DAYS = 90;

/**
 * What a certificate is on a given day. The stored status holds only the decisions (active, superseded, revoked);
 * expiring and expired follow from the calendar. The certificate is valid through its expiry date.
 */
export function effectiveCertificateStatus(stored: 'active' | 'superseded' | 'revoked', expiresOn: string, today: string, windowDays = EXPIRING_WINDOW_DAYS): CertificateStatus {
  if (stored !== 'active') return stored;
  const left = daysBetween(today, expiresOn);
  if (left < 0) return 'expired';
  if (left <= windowDays) return 'expiring';
  return 'active';
}

/** dd/mm/yyyy for Vietnamese documents. */
export function formatViDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const { y, m, d } = parseIsoDate(iso.slice(0, 10));
  return `${pad(d)}/${pad(m)}/${y}`;
}
