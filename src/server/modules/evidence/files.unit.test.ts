import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.js';
import { attachmentDisposition, cleanFileName, encodeRfc5987 } from './files.js';

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as AppError).code;
  }
  return 'ok';
};

describe('evidence file names', () => {
  it('refuses paths, parent references, control and bidi characters, empty and over-long names', () => {
    for (const n of ['../x.pdf', '..\\x.pdf', 'a/b.pdf', 'a\\b.pdf', 'x..pdf', 'a\u0000.pdf', 'a\nb.pdf', 'a\u007f.pdf', 'x\u202Efdp.exe', '', '   ', undefined, `${'a'.repeat(197)}.pdf`, '. .']) {
      expect(codeOf(() => cleanFileName(n)), String(n)).toBe('FILE_NAME_INVALID');
    }
  });
  it('keeps Vietnamese names (NFC, single spaces), replaces characters Windows refuses', () => {
    expect(cleanFileName('  Giấy  chứng nhận.pdf ')).toBe('Giấy chứng nhận.pdf');
    expect(cleanFileName('Gia\u0301y.pdf')).toBe('Giáy.pdf');
    expect(cleanFileName('a:b*c?d"e<f>g|h.pdf')).toBe('a_b_c_d_e_f_g_h.pdf');
    expect(cleanFileName(`${'a'.repeat(196)}.pdf`)).toHaveLength(200);
  });
  it('encodes the download name per RFC 5987 (no quote, parenthesis or star left raw)', () => {
    expect(encodeRfc5987("Báo cáo (1) 'x'*.pdf")).toBe('B%C3%A1o%20c%C3%A1o%20%281%29%20%27x%27%2A.pdf');
    expect(attachmentDisposition('a b.pdf')).toBe("attachment; filename*=UTF-8''a%20b.pdf");
  });
});
