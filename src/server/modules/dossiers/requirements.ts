import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DOSSIER_KINDS, EVIDENCE_TYPES, type DossierKind, type EvidenceType } from '../../../shared/dossier.js';

const ZRequirements = z.object({
  version: z.string(),
  note: z.string(),
  sampleNotRequiredSectors: z.array(z.string()),
  rules: z.array(z.object({
    type: z.enum(EVIDENCE_TYPES),
    sectors: z.union([z.literal('all'), z.array(z.string())]),
    kinds: z.union([z.literal('all'), z.array(z.enum(DOSSIER_KINDS))]),
  })),
});

/** The checklist is data (seed/dossiers/requirements.json): a province may add or drop documents without a code change. */
const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../seed/dossiers/requirements.json');
const REQUIREMENTS = ZRequirements.parse(JSON.parse(fs.readFileSync(file, 'utf8')));

/** Sector of a QĐ 148 taxonomy code: the first segment ("I.1.a" → "I"). */
export const sectorOf = (taxonomyCode: string) => taxonomyCode.split('.')[0];

export function requiredEvidenceTypes(sector: string, kind: DossierKind): EvidenceType[] {
  return REQUIREMENTS.rules
    .filter((r) => (r.sectors === 'all' || r.sectors.includes(sector)) && (r.kinds === 'all' || r.kinds.includes(kind)))
    .map((r) => r.type);
}

/** Product samples go with the dossier, except for tourism services (inspected on site). */
export const sampleRequired = (sector: string) => !REQUIREMENTS.sampleNotRequiredSectors.includes(sector);
