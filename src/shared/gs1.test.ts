import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  GS1_CSET82,
  SHORT_CODE_MAX,
  buildDigitalLink,
  checkGtin,
  checkLot,
  checkSerial,
  encodeAiValue,
  gtinCheckDigit,
  isValidGtin,
  makeShortCode,
  parseDigitalLink,
  parseShortCode,
  toGtin14,
  type Gs1Result,
} from './gs1.js';

const value = <T>(r: Gs1Result<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.code}: ${r.message}`);
  return r.value;
};
const errorCode = <T>(r: Gs1Result<T>) => (r.ok ? 'ok' : r.code);

// Check digits below were computed independently (weights 3,1,… from the right) and agree with published examples:
// 4006381333931 (EAN-13), 09521234543213 and 5901234123457 (GS1 documentation), 036000291452 (UPC-A), 96385074 (EAN-8).
const VALID = ['4006381333931', '09521234543213', '9521234543213', '5901234123457', '036000291452', '96385074', '12345670'];
// Vietnamese GS1 prefix 893.
const VALID_VN = ['8934563138165', '8938601123458', '8931234567897', '8935049500155', '8934588012228', '8936036020373'];

describe('gtinCheckDigit', () => {
  it('computes the mod-10 check digit for 7/11/12/13-digit bodies', () => {
    expect(value(gtinCheckDigit('400638133393'))).toBe(1);
    expect(value(gtinCheckDigit('0952123454321'))).toBe(3);
    expect(value(gtinCheckDigit('03600029145'))).toBe(2);
    expect(value(gtinCheckDigit('9638507'))).toBe(4);
    expect(value(gtinCheckDigit('893456313816'))).toBe(5);
    expect(value(gtinCheckDigit('893860112345'))).toBe(8);
    expect(value(gtinCheckDigit('000000000000'))).toBe(0);
  });
  it('agrees with every valid example', () => {
    for (const g of [...VALID, ...VALID_VN]) expect(value(gtinCheckDigit(g.slice(0, -1)))).toBe(Number(g.at(-1)));
  });
  it('refuses bodies of the wrong length or with non-digits', () => {
    expect(errorCode(gtinCheckDigit('89345631381'.slice(0, 10)))).toBe('gtin_body_length');
    expect(errorCode(gtinCheckDigit('89345631381X'))).toBe('gtin_not_digits');
    expect(errorCode(gtinCheckDigit(''))).toBe('gtin_not_digits');
  });
  it('padding with leading zeros does not change the check digit (GTIN-13 → GTIN-14)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), (body) => {
        expect(value(gtinCheckDigit(`0${body}`))).toBe(value(gtinCheckDigit(body)));
      }),
    );
  });
});

describe('isValidGtin / checkGtin', () => {
  it('accepts correct GTIN-8/12/13/14', () => {
    for (const g of [...VALID, ...VALID_VN]) expect(isValidGtin(g), g).toBe(true);
  });
  it('refuses a wrong check digit with the Vietnamese message', () => {
    expect(checkGtin('4006381333932')).toEqual({ ok: false, code: 'gtin_check_digit', message: 'Mã GTIN sai số kiểm tra' });
    expect(isValidGtin('8934563138166')).toBe(false);
    expect(isValidGtin('96385075')).toBe(false);
    expect(isValidGtin('036000291453')).toBe(false);
    expect(isValidGtin('09521234543214')).toBe(false);
  });
  it('catches every single-digit substitution', () => {
    for (const g of [...VALID, ...VALID_VN]) {
      for (let i = 0; i < g.length; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === g[i]) continue;
          const typo = g.slice(0, i) + d + g.slice(i + 1);
          expect(isValidGtin(typo), typo).toBe(false);
        }
      }
    }
  });
  it('refuses other lengths, non-digits, spaces and empty input', () => {
    expect(errorCode(checkGtin(''))).toBe('gtin_empty');
    expect(errorCode(checkGtin('893456313816'.slice(0, 10)))).toBe('gtin_length');
    expect(errorCode(checkGtin('123456789012345'))).toBe('gtin_length');
    expect(errorCode(checkGtin('8934563138 165'))).toBe('gtin_not_digits');
    expect(errorCode(checkGtin(' 8934563138165'))).toBe('gtin_not_digits');
    expect(errorCode(checkGtin('893456313816５'))).toBe('gtin_not_digits'); // full-width digit
    expect(errorCode(checkGtin('-8934563138165'))).toBe('gtin_not_digits');
    const r = checkGtin('12345');
    expect(r.ok ? '' : r.message).toBe('Mã GTIN phải có 8, 12, 13 hoặc 14 chữ số');
  });
});

describe('toGtin14', () => {
  it('pads GTIN-8/12/13 with leading zeros and keeps GTIN-14', () => {
    expect(value(toGtin14('96385074'))).toBe('00000096385074');
    expect(value(toGtin14('036000291452'))).toBe('00036000291452');
    expect(value(toGtin14('8934563138165'))).toBe('08934563138165');
    expect(value(toGtin14('09521234543213'))).toBe('09521234543213');
    expect(value(toGtin14('18934563138162'))).toBe('18934563138162'); // indicator digit 1
  });
  it('validates before padding', () => {
    expect(errorCode(toGtin14('8934563138166'))).toBe('gtin_check_digit');
    expect(errorCode(toGtin14('1234567'))).toBe('gtin_length');
  });
  it('every padded GTIN is a valid GTIN-14', () => {
    fc.assert(
      fc.property(fc.constantFrom(7, 11, 12, 13), fc.nat(), (len, seed) => {
        const body = String(seed).padStart(len, '7').slice(0, len);
        const g = body + value(gtinCheckDigit(body));
        const g14 = value(toGtin14(g));
        expect(g14).toHaveLength(14);
        expect(isValidGtin(g14)).toBe(true);
        expect(g14.endsWith(g)).toBe(true);
      }),
    );
  });
});

describe('AI 82 values', () => {
  it('has exactly 82 characters', () => {
    expect(new Set(GS1_CSET82).size).toBe(82);
    expect(GS1_CSET82).not.toContain(' ');
    expect(GS1_CSET82).not.toContain('#');
  });
  it('accepts lots and serials of 1–20 characters of the set', () => {
    expect(value(checkLot('L2025-06/A'))).toBe('L2025-06/A');
    expect(value(checkSerial('00000001'))).toBe('00000001');
    expect(value(checkLot('x'.repeat(20)))).toHaveLength(20);
  });
  it('refuses space, #, Vietnamese letters, empty and over-long values with messages', () => {
    const space = checkLot('LO 1');
    expect(space.ok ? '' : space.message).toBe(
      `Số lô (AI 10) chứa ký tự không được phép: dấu cách (chỉ chữ Latinh không dấu, chữ số và ! " % & ' ( ) * + , - . / : ; < = > ? _)`,
    );
    expect(errorCode(checkLot('A#1'))).toBe('value_charset');
    expect(errorCode(checkLot('Lô1'))).toBe('value_charset');
    expect(errorCode(checkLot('A~B'))).toBe('value_charset');
    expect(errorCode(checkLot(''))).toBe('value_empty');
    expect(errorCode(checkSerial('9'.repeat(21)))).toBe('value_too_long');
    const long = checkSerial('9'.repeat(21));
    expect(long.ok ? '' : long.message).toBe('Số sê-ri (AI 21) dài quá 20 ký tự');
  });
  it('refuses the dot segments "." and ".." that URL parsers would remove', () => {
    expect(errorCode(checkLot('.'))).toBe('value_dot_segment');
    expect(errorCode(checkSerial('..'))).toBe('value_dot_segment');
    expect(value(checkLot('...'))).toBe('...');
  });
  it('percent-encodes all but unreserved characters', () => {
    expect(encodeAiValue('AB-12._x')).toBe('AB-12._x');
    expect(encodeAiValue('A/B%C&D?E')).toBe('A%2FB%25C%26D%3FE');
    expect(encodeAiValue(`!'()*`)).toBe('%21%27%28%29%2A');
    expect(encodeAiValue('"+,:;<=>')).toBe('%22%2B%2C%3A%3B%3C%3D%3E');
  });
});

const BASE = 'https://truyxuat.ocophub.vn';

describe('buildDigitalLink', () => {
  it('builds the GTIN-only, lot and serial forms with a GTIN-14', () => {
    expect(value(buildDigitalLink({ base: BASE, gtin: '8934563138165' }))).toBe(`${BASE}/01/08934563138165`);
    expect(value(buildDigitalLink({ base: BASE, gtin: '8934563138165', lot: 'VT2025-01', serial: '000123' }))).toBe(
      `${BASE}/01/08934563138165/10/VT2025-01/21/000123`,
    );
    expect(value(buildDigitalLink({ base: BASE, gtin: '96385074', serial: '7' }))).toBe(`${BASE}/01/00000096385074/21/7`);
  });
  it('always writes qualifiers in the order 22 → 10 → 21 whatever the input order', () => {
    const uri = value(buildDigitalLink({ serial: 'S1', lot: 'L1', cpv: 'C1', gtin: '09521234543213', base: BASE }));
    expect(uri).toBe(`${BASE}/01/09521234543213/22/C1/10/L1/21/S1`);
  });
  it('percent-encodes reserved characters of lots and serials', () => {
    expect(value(buildDigitalLink({ base: BASE, gtin: '09521234543213', lot: 'A/B', serial: '50%' }))).toBe(
      `${BASE}/01/09521234543213/10/A%2FB/21/50%25`,
    );
    expect(value(buildDigitalLink({ base: BASE, gtin: '09521234543213', lot: 'a&b?c=d' }))).toBe(
      `${BASE}/01/09521234543213/10/a%26b%3Fc%3Dd`,
    );
  });
  it('writes data attributes as a query in ascending AI order', () => {
    const uri = value(
      buildDigitalLink({ base: BASE, gtin: '8934563138165', lot: 'L1', query: { '7007': '250601', '17': '261231', '3102': '000500', '11': '250602' } }),
    );
    expect(uri).toBe(`${BASE}/01/08934563138165/10/L1?11=250602&17=261231&3102=000500&7007=250601`);
  });
  it('keeps the base path prefix, lower-cases scheme and host, drops trailing slashes', () => {
    expect(value(buildDigitalLink({ base: 'HTTPS://Example.VN/dl/', gtin: '8934563138165' }))).toBe('https://example.vn/dl/01/08934563138165');
    expect(value(buildDigitalLink({ base: 'http://localhost:5173', gtin: '8934563138165' }))).toBe('http://localhost:5173/01/08934563138165');
  });
  it('refuses bad input with a clear error, never throwing', () => {
    expect(buildDigitalLink({ base: BASE, gtin: '8934563138166' })).toEqual({ ok: false, code: 'gtin_check_digit', message: 'Mã GTIN sai số kiểm tra' });
    expect(errorCode(buildDigitalLink({ base: 'ftp://x.vn', gtin: '8934563138165' }))).toBe('base_invalid');
    expect(errorCode(buildDigitalLink({ base: 'https://x.vn/?a=1', gtin: '8934563138165' }))).toBe('base_invalid');
    expect(errorCode(buildDigitalLink({ base: 'x.vn', gtin: '8934563138165' }))).toBe('base_invalid');
    expect(errorCode(buildDigitalLink({ base: BASE, gtin: '8934563138165', lot: 'LO 1' }))).toBe('value_charset');
    expect(errorCode(buildDigitalLink({ base: BASE, gtin: '8934563138165', serial: '' }))).toBe('value_empty');
    expect(errorCode(buildDigitalLink({ base: BASE, gtin: '8934563138165', cpv: 'x'.repeat(21) }))).toBe('value_too_long');
    expect(errorCode(buildDigitalLink({ base: BASE, gtin: '8934563138165', query: { '17': '261331' } }))).toBe('attribute_invalid');
    expect(errorCode(buildDigitalLink({ base: BASE, gtin: '8934563138165', query: { '99': 'x' } }))).toBe('ai_unknown');
    expect(errorCode(buildDigitalLink({ base: BASE, gtin: '8934563138165', query: { '10': 'L1' } }))).toBe('ai_not_in_query');
  });
  it('null and undefined qualifiers are left out', () => {
    expect(value(buildDigitalLink({ base: BASE, gtin: '8934563138165', lot: null, serial: undefined, cpv: null, query: null }))).toBe(
      `${BASE}/01/08934563138165`,
    );
  });
});

describe('parseDigitalLink', () => {
  it('reads GTIN, qualifiers and attributes', () => {
    const p = value(parseDigitalLink('https://id.gs1.org/01/09521234543213/22/V2/10/ABC123/21/12345?17=261231&linkType=gs1:pip'));
    expect(p).toEqual({
      base: 'https://id.gs1.org',
      gtin: '09521234543213',
      cpv: 'V2',
      lot: 'ABC123',
      serial: '12345',
      attributes: { '17': '261231' },
      otherParams: { linkType: 'gs1:pip' },
      canonical: 'https://id.gs1.org/01/09521234543213/22/V2/10/ABC123/21/12345?17=261231',
    });
  });
  it('accepts any domain and any path prefix, including one that contains "01"', () => {
    expect(value(parseDigitalLink('https://example.com/products/01/09521234543213')).base).toBe('https://example.com/products');
    const p = value(parseDigitalLink('http://Shop.Example.com:8080/01/a/01/8934563138165/21/01'));
    expect(p.base).toBe('http://shop.example.com:8080/01/a');
    expect(p.gtin).toBe('08934563138165');
    expect(p.serial).toBe('01');
    expect(value(parseDigitalLink('https://x.vn/01/09521234543213/10/01/21/01')).lot).toBe('01');
  });
  it('pads GTIN-8/12/13 to 14 and validates the check digit', () => {
    expect(value(parseDigitalLink('https://x.vn/01/96385074')).gtin).toBe('00000096385074');
    expect(value(parseDigitalLink('https://x.vn/01/036000291452/10/L')).gtin).toBe('00036000291452');
    expect(value(parseDigitalLink('https://x.vn/01/8934563138165')).canonical).toBe('https://x.vn/01/08934563138165');
    expect(errorCode(parseDigitalLink('https://x.vn/01/8934563138166'))).toBe('gtin_check_digit');
    expect(errorCode(parseDigitalLink('https://x.vn/01/89345631381'))).toBe('gtin_length');
  });
  it('refuses qualifiers out of order or repeated', () => {
    const r = parseDigitalLink('https://x.vn/01/09521234543213/21/S1/10/L1');
    expect(r).toEqual({
      ok: false,
      code: 'qualifier_order',
      message: 'Thứ tự định danh phụ sai: /10/ đứng sau /21/; thứ tự phải là 22 → 10 → 21, mỗi loại một lần',
    });
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213/10/L1/22/C1'))).toBe('qualifier_order');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213/21/S1/22/C1'))).toBe('qualifier_order');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213/10/L1/10/L2'))).toBe('qualifier_order');
  });
  it('refuses AIs that do not belong in the path', () => {
    const r = parseDigitalLink('https://x.vn/01/09521234543213/17/261231');
    expect(errorCode(r)).toBe('ai_not_in_path');
    expect(r.ok ? '' : r.message).toContain('AI 17');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213/10/L1/abc/2'))).toBe('ai_not_in_path');
  });
  it('refuses links without a GTIN or with a dangling qualifier', () => {
    expect(errorCode(parseDigitalLink('https://x.vn/'))).toBe('no_gtin');
    expect(errorCode(parseDigitalLink('https://x.vn/00/106141411234567897'))).toBe('no_gtin');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213/10'))).toBe('no_gtin');
    expect(errorCode(parseDigitalLink('not a url'))).toBe('url_invalid');
    expect(errorCode(parseDigitalLink('ftp://x.vn/01/09521234543213'))).toBe('url_invalid');
  });
  it('percent-decodes values and refuses broken encodings and values outside the set', () => {
    const p = value(parseDigitalLink('https://x.vn/01/09521234543213/10/A%2FB/21/50%25'));
    expect(p.lot).toBe('A/B');
    expect(p.serial).toBe('50%');
    expect(value(parseDigitalLink("https://x.vn/01/09521234543213/10/a!b*(c)'d")).lot).toBe("a!b*(c)'d");
    expect(value(parseDigitalLink('https://x.vn/01/09521234543213/10/%41%62')).lot).toBe('Ab');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213/10/A%2'))).toBe('percent_encoding');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213/10/A%20B'))).toBe('value_charset');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213/10/L%C3%B4'))).toBe('value_charset'); // "Lô"
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213/10/%23'))).toBe('value_charset');
    expect(errorCode(parseDigitalLink(`https://x.vn/01/09521234543213/21/${'9'.repeat(21)}`))).toBe('value_too_long');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213/10//21/1'))).toBe('value_empty');
  });
  it('validates query attributes', () => {
    const p = value(parseDigitalLink('https://x.vn/01/09521234543213/10/L?7007=250601250615&3103=001250&15=261200&422=704'));
    expect(p.attributes).toEqual({ '7007': '250601250615', '3103': '001250', '15': '261200', '422': '704' });
    expect(p.canonical).toBe('https://x.vn/01/09521234543213/10/L?15=261200&3103=001250&422=704&7007=250601250615');
    expect(value(parseDigitalLink('https://x.vn/01/09521234543213?17=280229')).attributes['17']).toBe('280229'); // leap year
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213?17=270229'))).toBe('attribute_invalid');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213?17=261301'))).toBe('attribute_invalid');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213?17=2612'))).toBe('attribute_invalid');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213?17'))).toBe('attribute_invalid');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213?7007=250600'))).toBe('attribute_invalid');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213?17=261231&17=261230'))).toBe('attribute_duplicate');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213?99=1'))).toBe('ai_unknown');
    expect(errorCode(parseDigitalLink('https://x.vn/01/09521234543213?21=1'))).toBe('ai_not_in_query');
    const r = parseDigitalLink('https://x.vn/01/09521234543213?17=261331');
    expect(r.ok ? '' : r.message).toBe('Hạn sử dụng (AI 17) không hợp lệ: "261331" (định dạng YYMMDD)');
  });
  it('ignores a fragment and a trailing slash, reads the deprecated alphabetic codes', () => {
    expect(value(parseDigitalLink('https://x.vn/01/09521234543213/21/S1/#top')).serial).toBe('S1');
    const p = value(parseDigitalLink('https://x.vn/gtin/09521234543213/lot/L1/ser/S1'));
    expect([p.gtin, p.lot, p.serial]).toEqual(['09521234543213', 'L1', 'S1']);
    expect(p.canonical).toBe('https://x.vn/01/09521234543213/10/L1/21/S1');
  });
});

describe('Digital Link round trips', () => {
  const cset82Value = fc.array(fc.constantFrom(...GS1_CSET82), { minLength: 1, maxLength: 20 }).map((a) => a.join('')).filter((s) => s !== '.' && s !== '..');
  const gtin = fc
    .tuple(fc.constantFrom(7, 11, 12, 13), fc.stringMatching(/^\d{13}$/))
    .map(([len, d]) => d.slice(0, len) + value(gtinCheckDigit(d.slice(0, len))));
  const base = fc.constantFrom('https://truyxuat.ocophub.vn', 'https://x.vn/dl', 'http://localhost:3000/a/01/b', 'https://x.vn/01');
  const date = fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map((t) => t.map((n) => String(n).padStart(2, '0')).join(''));

  it('build → parse gives back every part, also after a WHATWG URL parser (what a phone does)', () => {
    fc.assert(
      fc.property(
        base,
        gtin,
        fc.option(cset82Value, { nil: undefined }),
        fc.option(cset82Value, { nil: undefined }),
        fc.option(cset82Value, { nil: undefined }),
        fc.option(date, { nil: undefined }),
        (b, g, cpv, lot, serial, expiry) => {
          const query = expiry ? { '17': expiry } : undefined;
          const uri = value(buildDigitalLink({ base: b, gtin: g, cpv, lot, serial, query }));
          expect(new URL(uri).href).toBe(uri); // already normalised: nothing for a browser to re-encode or remove
          for (const u of [uri, new URL(uri).href]) {
            const p = value(parseDigitalLink(u));
            expect(p.base).toBe(b);
            expect(p.gtin).toBe(g.padStart(14, '0'));
            expect(p.cpv).toBe(cpv ?? null);
            expect(p.lot).toBe(lot ?? null);
            expect(p.serial).toBe(serial ?? null);
            expect(p.attributes).toEqual(query ?? {});
            expect(p.canonical).toBe(uri);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
  it('lots with reserved characters ("/", "%", "?", "&", "=") survive; space is refused on both sides', () => {
    for (const lot of ['A/B', '100%', 'a?b', 'x&y=z', '/', '%', '%25', '..a', 'L"1"<>']) {
      const uri = value(buildDigitalLink({ base: BASE, gtin: '8934563138165', lot }));
      expect(value(parseDigitalLink(uri)).lot).toBe(lot);
    }
    expect(errorCode(buildDigitalLink({ base: BASE, gtin: '8934563138165', lot: 'A B' }))).toBe('value_charset');
    expect(errorCode(parseDigitalLink(`${BASE}/01/08934563138165/10/A%20B`))).toBe('value_charset');
  });
});

describe('short codes', () => {
  it('encodes in Crockford base 32 with a mod-37 check symbol', () => {
    expect(makeShortCode(0)).toBe('0000000');
    expect(makeShortCode(1)).toBe('0000011');
    expect(makeShortCode(31)).toBe('00000ZZ');
    expect(makeShortCode(32)).toBe('000010*');
    expect(makeShortCode(36)).toBe('000014U');
    expect(makeShortCode(37)).toBe('0000150');
    expect(makeShortCode(1234567)).toBe('015NM7S');
    expect(makeShortCode(SHORT_CODE_MAX)).toBe('7ZZZZZZZZZZZZ5');
    expect(makeShortCode(1234567n)).toBe(makeShortCode(1234567));
  });
  it('uses upper case without I, L, O and (except as check symbol) U', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: SHORT_CODE_MAX }), (n) => {
        const c = makeShortCode(n);
        expect(c.slice(0, -1)).toMatch(/^[0-9A-HJKMNP-TV-Z]{6,13}$/);
        expect(c.at(-1)).toMatch(/^[0-9A-HJKMNP-TV-Z*~$=U]$/);
      }),
    );
  });
  it('round-trips', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: SHORT_CODE_MAX }), (n) => {
        const c = makeShortCode(n);
        expect(value(parseShortCode(c))).toEqual({ value: n, code: c });
      }),
      { numRuns: 1000 },
    );
  });
  it('reads forgivingly: lower case, hyphens, spaces, I/L as 1, O as 0', () => {
    expect(value(parseShortCode('015nm7s')).value).toBe(1234567n);
    expect(value(parseShortCode('015-NM7S')).value).toBe(1234567n);
    expect(value(parseShortCode(' 015 NM7S ')).value).toBe(1234567n);
    expect(value(parseShortCode('OOOOOIl')).value).toBe(1n); // 00000 1 1
    expect(value(parseShortCode('000014u')).value).toBe(36n);
    expect(value(parseShortCode('14U')).code).toBe('000014U'); // unpadded input, canonical spelling back
  });
  it('catches every single-symbol substitution', () => {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U';
    for (const n of [0n, 1n, 36n, 37n, 1234567n, 987654321012345n, SHORT_CODE_MAX]) {
      const c = makeShortCode(n);
      for (let i = 0; i < c.length; i++) {
        for (const x of alphabet) {
          if (x === c[i]) continue;
          const typo = c.slice(0, i) + x + c.slice(i + 1);
          const r = parseShortCode(typo);
          expect(r.ok, `${c} → ${typo}`).toBe(false);
        }
      }
    }
  });
  it('catches every swap of two adjacent different symbols', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: SHORT_CODE_MAX }), fc.nat(), (n, k) => {
        const c = makeShortCode(n);
        const i = k % (c.length - 1);
        fc.pre(c[i] !== c[i + 1]);
        const swapped = c.slice(0, i) + c[i + 1] + c[i] + c.slice(i + 2);
        expect(parseShortCode(swapped).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
  it('gives clear errors', () => {
    expect(parseShortCode('015NM7T')).toEqual({ ok: false, code: 'short_code_check', message: 'Mã tem sai ký tự kiểm tra — có thể đã gõ nhầm một ký tự' });
    expect(errorCode(parseShortCode(''))).toBe('short_code_empty');
    expect(errorCode(parseShortCode(' - '))).toBe('short_code_empty');
    expect(errorCode(parseShortCode('5'))).toBe('short_code_length');
    expect(errorCode(parseShortCode('0'.repeat(14) + '0'))).toBe('short_code_length');
    expect(errorCode(parseShortCode('01U5NM7S'))).toBe('short_code_char'); // U only as check symbol
    expect(errorCode(parseShortCode('015NM7#'))).toBe('short_code_char');
    expect(errorCode(parseShortCode('8000000000000' + '0'))).toBe('short_code_range');
  });
  it('refuses to encode numbers outside 0 … 2⁶³ − 1', () => {
    expect(() => makeShortCode(-1)).toThrow(RangeError);
    expect(() => makeShortCode(1.5)).toThrow(RangeError);
    expect(() => makeShortCode(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(() => makeShortCode(SHORT_CODE_MAX + 1n)).toThrow(RangeError);
  });
});
