import type { CriteriaNode, CriteriaSheetDoc, StarBands } from './criteria.js';

/** The public transcription format (shared/data/criteria-*.json): parts → sections → criteria → options [label, points]. */
export interface TranscribedSheet {
  decision?: string;
  subgroup?: string;
  parts: {
    code: string; title: string; max?: number;
    sections: { code: string; title: string; max?: number; criteria: TranscribedCriterion[] }[];
  }[];
  starBands?: [number, number, number][];
}
interface TranscribedCriterion {
  code?: string; title: string; max?: number; mandatoryFromStar?: number;
  options?: [string, number][];
  parts?: TranscribedCriterion[];
}

function criterion(c: TranscribedCriterion, code: string): CriteriaNode {
  if (c.parts?.length) {
    return { code, title: c.title, max: c.max, mandatoryFromStar: c.mandatoryFromStar ?? null, children: c.parts.map((p, i) => criterion(p, p.code ?? `${code}.${i + 1}`)) };
  }
  return {
    code, title: c.title, max: c.max, mandatoryFromStar: c.mandatoryFromStar ?? null,
    options: (c.options ?? []).map(([label, points]) => ({ label, points })),
  };
}

/** Converts a transcription into our sheet document, keeping every declared maximum so the validator can check it. */
export function sheetFromTranscription(raw: TranscribedSheet): CriteriaSheetDoc {
  return {
    parts: raw.parts.map((p) => ({
      code: p.code,
      title: p.title,
      max: p.max,
      children: p.sections.map((s) => {
        // A section whose only criterion carries the section's own code (QĐ 1048: "C2 Dinh dưỡng") is that
        // criterion: one node, not a parent and a child sharing a code (reported as a duplicate, unscorable by code).
        const only = s.criteria.length === 1 ? s.criteria[0] : undefined;
        if (only && only.code === s.code) return criterion({ ...only, title: only.title || s.title, max: only.max ?? s.max }, s.code);
        return {
          code: s.code,
          title: s.title,
          max: s.max,
          children: s.criteria.map((c, i) => criterion(c, c.code ?? `${s.code}.${i + 1}`)),
        };
      }),
    })),
  };
}

export function bandsFromTranscription(raw: TranscribedSheet): StarBands | undefined {
  return raw.starBands?.map(([star, min]) => ({ star, min }));
}
