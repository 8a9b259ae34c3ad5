import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  authorityTable, belowBandLevel, issuerName, levelOf, levelOfUnitType, procedureInForce, requiredValidSheets, starRuleBroken, type ProcedureVersion,
} from './authority.js';

const root = path.resolve(__dirname, '../../../..');
const seed = JSON.parse(fs.readFileSync(path.join(root, 'seed/procedures/procedures.json'), 'utf8')) as { versions: (Omit<ProcedureVersion, 'doc'> & ProcedureVersion['doc'])[] };
const versions: ProcedureVersion[] = seed.versions.map((v) => ({
  code: v.code, name: v.name, decision: v.decision, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo,
  doc: { levels: v.levels, intake: v.intake, council: v.council, belowBand: v.belowBand, preAssessmentMustPass: v.preAssessmentMustPass },
}));
const on = (date: string) => procedureInForce(versions, date)!;

describe('procedure versions in force', () => {
  it('one version a day, none before the programme; the periods do not overlap', () => {
    expect(on('2019-01-01').code).toBe('490');
    expect(on('2021-06-01').code).toBe('1048');
    expect(on('2023-02-24').code).toBe('148');
    expect(on('2025-07-05').code).toBe('148');
    expect(on('2025-07-06').code).toBe('148+1489');
    expect(on('2026-12-03').code).toBe('148+1489');
    expect(procedureInForce(versions, '2017-12-31')).toBeUndefined();
    for (let d = Date.UTC(2018, 4, 7); d < Date.UTC(2027, 0, 1); d += 86_400_000) {
      const iso = new Date(d).toISOString().slice(0, 10);
      expect(versions.filter((v) => (!v.effectiveFrom || v.effectiveFrom <= iso) && (!v.effectiveTo || iso <= v.effectiveTo)), iso).toHaveLength(1);
    }
  });
});

describe('who recognises which star (table per version and level)', () => {
  // [date, level, star, allowed]
  const table: [string, 'district' | 'province' | 'central' | 'commune', number, boolean][] = [
    ['2021-06-01', 'district', 3, false], ['2021-06-01', 'province', 3, true], ['2021-06-01', 'province', 4, true], ['2021-06-01', 'province', 5, false], ['2021-06-01', 'central', 5, true],
    ['2024-06-01', 'district', 3, true], ['2024-06-01', 'district', 4, false], ['2024-06-01', 'province', 3, false], ['2024-06-01', 'province', 4, true], ['2024-06-01', 'central', 5, true], ['2024-06-01', 'province', 5, false],
    ['2025-09-01', 'commune', 3, false], ['2025-09-01', 'district', 3, false], ['2025-09-01', 'province', 3, true], ['2025-09-01', 'province', 4, true], ['2025-09-01', 'province', 5, false], ['2025-09-01', 'central', 5, true], ['2025-09-01', 'central', 4, false],
  ];
  for (const [date, level, star, allowed] of table) {
    it(`${date}: ${level} ${allowed ? 'may' : 'may not'} recognise ${star}★`, () => {
      const broken = starRuleBroken(on(date), level, star);
      expect(broken === null).toBe(allowed);
      if (!allowed) expect(broken).toMatch(/★|cấp/);
    });
  }
  it('never below 3★, at any level', () => {
    for (const v of versions) for (const l of v.doc.levels) for (const s of [1, 2]) expect(starRuleBroken(v, l.level, s)).toMatch(/từ 3★/);
  });
});

describe('issuers, unit types, councils, below-band results', () => {
  it('the ministry signs central decisions under its name of the day; provinces and districts as "UBND <unit>"', () => {
    expect(issuerName(levelOf(on('2024-07-15'), 'central')!, '2024-07-15', null)).toBe('Bộ Nông nghiệp và Phát triển nông thôn');
    expect(issuerName(levelOf(on('2025-04-01'), 'central')!, '2025-04-01', null)).toBe('Bộ Nông nghiệp và Môi trường');
    expect(issuerName(levelOf(on('2025-09-01'), 'central')!, '2025-09-01', null)).toBe('Bộ Nông nghiệp và Môi trường');
    expect(issuerName(levelOf(on('2025-09-01'), 'province')!, '2025-09-01', 'tỉnh Bắc Ninh')).toBe('UBND tỉnh Bắc Ninh');
  });
  it('unit types map to levels', () => {
    expect(['province', 'district', 'town', 'commune', 'ward', 'township'].map(levelOfUnitType)).toEqual(['province', 'district', 'district', 'commune', 'commune', 'commune']);
  });
  it('valid sheets: more than half of all scoring members (conflicted included), at least 3 unless the round says otherwise, and the quorum ratio', () => {
    const doc = on('2025-09-01').doc;
    expect(requiredValidSheets(4, doc)).toBe(3);
    expect(requiredValidSheets(5, doc)).toBe(3);
    expect(requiredValidSheets(6, doc)).toBe(4);
    expect(requiredValidSheets(2, doc)).toBe(3);
    expect(requiredValidSheets(2, doc, { minValidSheets: 2 })).toBe(2);
    expect(requiredValidSheets(2, doc, { minValidSheets: 1 })).toBe(2); // more than half still holds
    expect(requiredValidSheets(8, doc, { quorumRatio: 0.75 })).toBe(6);
  });
  it('a forwarded product scored below the higher level\'s stars returns down the chain to the level that recognises that star', () => {
    expect(belowBandLevel(on('2025-09-01'), 'central', 4)).toBe('province');
    expect(belowBandLevel(on('2025-09-01'), 'central', 3)).toBe('province');
    expect(belowBandLevel(on('2024-06-01'), 'central', 4)).toBe('province');
    expect(belowBandLevel(on('2024-06-01'), 'central', 3)).toBe('district');
    expect(belowBandLevel(on('2024-06-01'), 'province', 3)).toBe('district');
    expect(belowBandLevel(on('2025-09-01'), 'central', 2)).toBeNull();
  });
});

describe('ARCHITECTURE.md "Who recognises what" is the procedure data', () => {
  it('contains the table generated from seed/procedures/procedures.json', () => {
    const doc = fs.readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8');
    expect(doc).toContain('## Who recognises what');
    expect(doc, 'regenerate with: npx tsx scripts/authority-table.ts').toContain(authorityTable(versions));
  });
});
