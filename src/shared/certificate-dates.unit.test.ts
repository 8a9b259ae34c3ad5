import { describe, expect, it } from 'vitest';
import { addMonths, certificateExpiry, daysBetween, daysInMonth, effectiveCertificateStatus, formatViDate, todayInVietnam } from './certificate-dates.js';

describe('certificate expiry: 36 calendar months from the decision date', () => {
  it.each([
    ['2023-08-31', '2026-08-31'], // the example
    ['2024-02-29', '2027-02-28'], // leap day → last day of February in a common year
    ['2021-02-28', '2024-02-28'], // stays on the 28th even when the target year is a leap year
    ['2025-02-28', '2028-02-28'],
    ['2028-02-29', '2031-02-28'],
    ['2023-01-31', '2026-01-31'],
    ['2023-12-31', '2026-12-31'],
    ['2024-05-31', '2027-05-31'],
    ['2024-01-01', '2027-01-01'],
  ])('%s → %s', (decision, expiry) => {
    expect(certificateExpiry(decision)).toBe(expiry);
  });

  it('month ends clamp when adding months: 31 Jan + 1 = 28/29 Feb, 31 May + 1 = 30 Jun, 31 Mar − 1 = 28/29 Feb', () => {
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-05-31', 1)).toBe('2024-06-30');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2023-03-31', -1)).toBe('2023-02-28');
    expect(addMonths('2024-12-15', 1)).toBe('2025-01-15');
    expect(addMonths('2025-01-15', -1)).toBe('2024-12-15');
    expect(addMonths('2024-08-31', 36 * 10)).toBe('2054-08-31');
  });

  it('leap years: divisible by 4, except centuries not divisible by 400', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(addMonths('2097-02-28', 36)).toBe('2100-02-28');
    expect(addMonths('1997-02-28', 36)).toBe('2000-02-28');
    expect(addMonths('2096-02-29', 48)).toBe('2100-02-28');
  });

  it('days between and the effective status on a day (valid through the expiry date; expiring from 90 days before)', () => {
    expect(daysBetween('2026-11-28', '2027-02-26')).toBe(90);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
    expect(effectiveCertificateStatus('active', '2027-02-26', '2026-11-28')).toBe('expiring');
    expect(effectiveCertificateStatus('active', '2027-02-27', '2026-11-28')).toBe('active');
    expect(effectiveCertificateStatus('active', '2026-11-28', '2026-11-28')).toBe('expiring');
    expect(effectiveCertificateStatus('active', '2026-11-27', '2026-11-28')).toBe('expired');
    expect(effectiveCertificateStatus('revoked', '2030-01-01', '2026-11-28')).toBe('revoked');
    expect(effectiveCertificateStatus('superseded', '2020-01-01', '2026-11-28')).toBe('superseded');
  });

  it('today in Vietnam is UTC+7; dates print dd/mm/yyyy', () => {
    expect(todayInVietnam(new Date('2026-11-28T16:59:59Z'))).toBe('2026-11-28');
    expect(todayInVietnam(new Date('2026-11-28T17:00:00Z'))).toBe('2026-11-29');
    expect(formatViDate('2027-02-28')).toBe('28/02/2027');
    expect(formatViDate(null)).toBe('');
  });
});
