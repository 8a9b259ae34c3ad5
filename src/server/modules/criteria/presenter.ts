import { leaves, validateSheet } from '../../../shared/criteria.js';
import type { CriteriaSetRow, CriteriaSheetRow, ProcedureRow } from './tables.js';
import type { CriteriaSet } from './schema.js';

export function presentSheetSummary(s: CriteriaSheetRow, set: CriteriaSetRow, taxonomyCode: string) {
  return {
    id: s.id,
    setId: s.setId,
    taxonomyNodeId: s.taxonomyNodeId,
    taxonomyCode,
    title: s.title,
    isDemo: s.isDemo,
    criteriaCount: leaves(s.doc).length,
    issues: validateSheet(s.doc, set.partMaxima),
  };
}

export function presentSheet(s: CriteriaSheetRow, set: CriteriaSetRow, taxonomyCode: string) {
  return { ...presentSheetSummary(s, set, taxonomyCode), doc: s.doc, note: s.note };
}

export function presentSet(set: CriteriaSetRow, sheets: ReturnType<typeof presentSheetSummary>[]): CriteriaSet {
  return {
    id: set.id,
    code: set.code,
    name: set.name,
    decision: set.decision,
    signedOn: set.signedOn,
    effectiveFrom: set.effectiveFrom,
    taxonomyVersion: set.taxonomyVersion,
    partMaxima: set.partMaxima,
    starBands: set.starBands,
    status: set.status as CriteriaSet['status'],
    isDemo: set.isDemo,
    note: set.note,
    publishedAt: set.publishedAt ? set.publishedAt.toISOString() : null,
    sheets,
  };
}

export function presentProcedure(p: ProcedureRow) {
  return { code: p.code, name: p.name, decision: p.decision, effectiveFrom: p.effectiveFrom, effectiveTo: p.effectiveTo, levels: p.doc.levels, note: p.note };
}
