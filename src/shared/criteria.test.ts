import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_STAR_BANDS, improvements, leaves, mandatoryCap, mean, scoreSheet, spread, starOfScore, validateSheet,
  type CriteriaNode, type CriteriaSheetDoc,
} from './criteria.js';

const leaf = (code: string, points: number[], extra: Partial<CriteriaNode> = {}): CriteriaNode => ({
  code, title: code, options: points.map((p, i) => ({ label: `${code}-${i}`, points: p })), ...extra,
});

/** A valid 40/25/35 sheet. */
const sheet: CriteriaSheetDoc = {
  parts: [
    { code: 'A', title: 'A', max: 40, children: [
      { code: 'A1', title: 'A1', max: 20, children: [leaf('A1.1', [0, 5, 10]), leaf('A1.2', [0, 10], { mandatoryFromStar: 3 })] },
      { code: 'A2', title: 'A2', max: 20, children: [leaf('A2.1', [0, 20])] },
    ] },
    { code: 'B', title: 'B', max: 25, children: [leaf('B1', [0, 15, 25], { mandatoryFromStar: 4 })] },
    { code: 'C', title: 'C', max: 35, children: [leaf('C1', [0, 35], { max: 35 })] },
  ],
};

describe('validateSheet', () => {
  it('accepts a consistent sheet with the 148 part maxima', () => {
    expect(validateSheet(sheet, { A: 40, B: 25, C: 35 }).filter((i) => i.severity === 'error')).toEqual([]);
  });
  it('reports an option above its criterion maximum, children not summing, and parts not summing to 100', () => {
    const bad: CriteriaSheetDoc = structuredClone(sheet);
    bad.parts[2].children![0] = leaf('C1', [0, 36], { max: 35 });
    bad.parts[0].children![0].max = 21;
    const codes = validateSheet(bad, { A: 40, B: 25, C: 35 }).filter((i) => i.severity === 'error').map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['C1', 'A1']));
  });
  it('reports the wrong part maximum for the decision (1048: 35/25/40)', () => {
    const issues = validateSheet(sheet, { A: 35, B: 25, C: 40 });
    expect(issues.map((i) => i.code)).toEqual(expect.arrayContaining(['A', 'C']));
  });
  it('flags duplicate codes and criteria without options', () => {
    const bad: CriteriaSheetDoc = { parts: [{ code: 'A', title: 'A', children: [leaf('X', [1]), leaf('X', [])] }] };
    const msgs = validateSheet(bad).map((i) => `${i.code}:${i.message}`);
    expect(msgs.some((m) => m.startsWith('X:Mã tiêu chí bị trùng'))).toBe(true);
    expect(msgs.some((m) => m.startsWith('X:Tiêu chí không có phương án'))).toBe(true);
  });
  it('catches the known defect of the public QĐ 1048 fresh-produce transcription (part A ≠ 35)', async () => {
    const { sheetFromTranscription } = await import('./criteria-import.js');
    const raw = JSON.parse(fs.readFileSync(new URL('../../seed/criteria/1048-rau-cu-qua-hat-tuoi.json', import.meta.url), 'utf8'));
    const issues = validateSheet(sheetFromTranscription(raw), { A: 35, B: 25, C: 40 });
    expect(issues.some((i) => i.code === 'A' && i.severity === 'error')).toBe(true);
  });
});

describe('scoreSheet', () => {
  it('totals equal the sum of the chosen options (property)', () => {
    const all = leaves(sheet);
    fc.assert(
      fc.property(fc.tuple(...all.map((l) => fc.integer({ min: 0, max: l.options!.length - 1 }))), (idx) => {
        const answers = Object.fromEntries(all.map((l, i) => [l.code, idx[i]]));
        const s = scoreSheet(sheet, answers);
        const expected = all.reduce((acc, l, i) => acc + l.options![idx[i]].points, 0);
        expect(s.total).toBe(expected);
        expect(s.parts.A + s.parts.B + s.parts.C).toBe(expected);
        expect(s.missing).toEqual([]);
      }),
    );
  });
  it('counts missing or out-of-range answers as zero and lists them', () => {
    const s = scoreSheet(sheet, { 'A1.1': 2, 'A1.2': 7, B1: -1 });
    expect(s.total).toBe(10);
    expect(s.missing.sort()).toEqual(['A1.2', 'A2.1', 'B1', 'C1']);
  });
});

describe('star bands', () => {
  it.each([
    [0, 1], [29.99, 1], [30, 2], [49.99, 2], [50, 3], [69.99, 3], [70, 4], [89.99, 4], [90, 5], [100, 5],
  ])('%s points → %s★', (score, star) => {
    expect(starOfScore(score, DEFAULT_STAR_BANDS)).toBe(star);
  });
  it('is monotonic in the score (property)', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (a, b) => {
      if (a <= b) expect(starOfScore(a)).toBeLessThanOrEqual(starOfScore(b));
    }));
  });
});

describe('mandatory cap', () => {
  it('caps the star below the lowest star whose mandatory criterion failed', () => {
    const full = { 'A1.1': 2, 'A1.2': 1, 'A2.1': 1, B1: 2, C1: 1 };
    expect(mandatoryCap(sheet, scoreSheet(sheet, full).byCriterion).cap).toBe(5);
    const noB1 = scoreSheet(sheet, { ...full, B1: 0 });
    expect(mandatoryCap(sheet, noB1.byCriterion)).toEqual({ cap: 3, failed: [{ code: 'B1', fromStar: 4 }] });
    const noA12 = scoreSheet(sheet, { ...full, 'A1.2': 0 });
    expect(mandatoryCap(sheet, noA12.byCriterion).cap).toBe(2);
    // final star = min(star by score, cap)
    expect(Math.min(starOfScore(noB1.total), mandatoryCap(sheet, noB1.byCriterion).cap)).toBe(3);
  });
});

describe('council mean and spread', () => {
  it('mean over 1–15 members lies between the lowest and highest total and is kept unrounded (property)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 15 }), (xs) => {
      const m = mean(xs);
      expect(m).toBeGreaterThanOrEqual(Math.min(...xs) - 1e-9);
      expect(m).toBeLessThanOrEqual(Math.max(...xs) + 1e-9);
      expect(spread(xs)).toBeCloseTo(Math.max(...xs) - Math.min(...xs));
    }));
    expect(mean([70, 69.99, 70])).toBeCloseTo(69.99666, 4);
  });
});

describe('improvements (self-assessment)', () => {
  it('lists the biggest gains first and a plan that reaches the next star', () => {
    const r = improvements(sheet, { 'A1.1': 0, 'A1.2': 1, 'A2.1': 1, B1: 1, C1: 0 });
    expect(r.total).toBe(45);
    expect(r.star).toBe(2);
    expect(r.pointsToNextStar).toBe(5);
    expect(r.plan.map((p) => p.code)).toEqual(['C1']);
    expect(r.gains[0]).toMatchObject({ code: 'C1', gain: 35 });
  });
});
