import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cleanText, escapeLike, isValidRegistrationNumber, isValidTaxCode, normalizeForSearch, searchTokens } from './text.js';

describe('normalizeForSearch', () => {
  it('removes Vietnamese tone and vowel marks and lower-cases', () => {
    expect(normalizeForSearch('Vải thiều Lục Ngạn')).toBe('vai thieu luc ngan');
    expect(normalizeForSearch('MỲ GẠO CHŨ')).toBe('my gao chu');
    expect(normalizeForSearch('Ổi Đồng Nga')).toBe('oi dong nga');
    expect(normalizeForSearch('ơ ư ă â ê ô')).toBe('o u a a e o');
  });
  it('maps đ and Đ to d', () => {
    expect(normalizeForSearch('đĐ')).toBe('dd');
  });
  it('treats decomposed (NFD) input like composed input', () => {
    const nfd = 'Vải thiều'.normalize('NFD');
    expect(normalizeForSearch(nfd)).toBe('vai thieu');
  });
  it('is idempotent and never longer than its input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const n = normalizeForSearch(s);
        expect(normalizeForSearch(n)).toBe(n);
      }),
    );
  });
});

describe('searchTokens', () => {
  it('splits, de-duplicates and drops empties', () => {
    expect(searchTokens('  Vải   vải thiều ')).toEqual(['vai', 'thieu']);
    expect(searchTokens('')).toEqual([]);
  });
});

describe('cleanText / escapeLike', () => {
  it('composes to NFC and collapses spaces', () => {
    expect(cleanText('  Mỳ  gạo\n'.normalize('NFD'))).toBe('Mỳ gạo'.normalize('NFC'));
  });
  it('escapes LIKE wildcards', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });
});

describe('tax code check digit', () => {
  it('accepts real published codes', () => {
    expect(isValidTaxCode('0300588569')).toBe(true); // Vinamilk
    expect(isValidTaxCode('0101248141')).toBe(true); // FPT
    expect(isValidTaxCode('0100109106')).toBe(true); // Viettel
    expect(isValidTaxCode('0100109106-001')).toBe(true);
  });
  it('rejects a wrong check digit, wrong length and letters', () => {
    expect(isValidTaxCode('0300588568')).toBe(false);
    expect(isValidTaxCode('030058856')).toBe(false);
    expect(isValidTaxCode('03005885690')).toBe(false);
    expect(isValidTaxCode('03005885a9')).toBe(false);
    expect(isValidTaxCode('0100109106-01')).toBe(false);
  });
  it('household businesses may use a personal id or a certificate number', () => {
    expect(isValidRegistrationNumber('household', '024123456789')).toBe(true);
    expect(isValidRegistrationNumber('household', '20A8000123')).toBe(true);
    expect(isValidRegistrationNumber('cooperative', '20A8000123')).toBe(false);
    expect(isValidRegistrationNumber('cooperative', '024123456789')).toBe(false);
  });
});
