import { describe, expect, it } from 'vitest';
import { describeDataAttribute, gs1DateToIso } from './gs1.js';

describe('data attributes read one by one (resolver)', () => {
  it('known AIs: valid or a Vietnamese error naming the value', () => {
    expect(describeDataAttribute('17', '261231')).toEqual({ known: true, label: 'Hạn sử dụng (AI 17)', error: null });
    const bad = describeDataAttribute('17', '271340');
    expect(bad.known && bad.error).toContain('271340');
    expect(describeDataAttribute('3103', '12')).toMatchObject({ known: true, error: expect.stringContaining('6 chữ số') });
    expect(describeDataAttribute('7007', '2606012606')).toMatchObject({ known: true, error: expect.any(String) });
  });
  it('unknown AIs and keys put in the query are told apart', () => {
    expect(describeDataAttribute('99', 'x')).toEqual({ known: false, pathOnly: false });
    expect(describeDataAttribute('10', 'LOT1')).toEqual({ known: false, pathOnly: true });
  });
  it('YYMMDD → ISO with GS1’s century window and DD = 00 as the end of the month', () => {
    expect(gs1DateToIso('261231', 2026)).toBe('2026-12-31');
    expect(gs1DateToIso('991231', 2026)).toBe('1999-12-31'); // 73 years ahead → last century
    expect(gs1DateToIso('760101', 2026)).toBe('2076-01-01'); // 50 years ahead stays in this century
    expect(gs1DateToIso('280200', 2026)).toBe('2028-02-29');
    expect(gs1DateToIso('270200', 2026)).toBe('2027-02-28');
  });
});
