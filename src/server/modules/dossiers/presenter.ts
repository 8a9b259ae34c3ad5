import { EVIDENCE_TYPE_LABELS_VI, type DossierKind, type DossierStatus, type EvidenceType } from '../../../shared/dossier.js';
import type { Actor } from '../../lib/actor.js';
import type { Dossier } from './schema.js';
import type { DossierContext, LinkedEvidenceRow } from './repository.js';
import type { DossierEventRow, DossierRow } from './tables.js';
import { sectorOf } from './requirements.js';

const iso = (d: Date | string | null | undefined) => (d == null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());
const isExpired = (expiresOn: string | null, today: string) => expiresOn != null && expiresOn < today;

export interface ChecklistResult {
  checklist: Dossier['checklist'];
  missing: Dossier['missing'];
}

/**
 * Required documents against what is linked. A requirement is met by a linked, unexpired piece of evidence attached
 * for it; expired evidence counts as missing and says so.
 */
export function computeChecklist(
  required: EvidenceType[],
  linked: Pick<LinkedEvidenceRow, 'id' | 'type' | 'title' | 'expires_on' | 'requirement'>[],
  today: string,
  other?: { sampleRequired: boolean; hasSample: boolean; hasSelfAssessment: boolean },
): ChecklistResult {
  const types = new Set<string>([...required, ...linked.map((l) => l.requirement)]);
  const checklist: Dossier['checklist'] = [];
  const missing: Dossier['missing'] = [];
  for (const t of types) {
    const type = t as EvidenceType;
    const ev = linked.filter((l) => l.requirement === type).map((l) => ({ id: l.id, title: l.title, expiresOn: l.expires_on, expired: isExpired(l.expires_on, today) }));
    const satisfied = ev.some((e) => !e.expired);
    const label = EVIDENCE_TYPE_LABELS_VI[type] ?? type;
    const isRequired = (required as string[]).includes(type);
    checklist.push({ type, label, required: isRequired, evidence: ev, satisfied });
    if (isRequired && !satisfied) missing.push({ type, label, reason: ev.length ? 'expired' : 'missing' });
  }
  checklist.sort((a, b) => Number(b.required) - Number(a.required));
  // Not documents, but the dossier cannot leave the producer without them either.
  if (other?.sampleRequired && !other.hasSample) missing.push({ type: 'sample', label: 'Thông tin mẫu sản phẩm', reason: 'missing' });
  if (other && !other.hasSelfAssessment) missing.push({ type: 'selfAssessment', label: 'Phiếu tự đánh giá theo bộ tiêu chí', reason: 'missing' });
  return { checklist, missing };
}

export interface DossierView {
  row: DossierRow;
  ctx: DossierContext;
  required: EvidenceType[];
  sampleRequired: boolean;
  linked: LinkedEvidenceRow[];
  hasSelfAssessment: boolean;
  events: DossierEventRow[];
  selfAssessment: { total: number; star: number | null; updatedAt: string } | null;
  certificate: { id: string; number: string; status: string } | null;
  baseCertificate: Dossier['baseCertificate'];
  allowedActions: Dossier['allowedActions'];
  today: string;
}

/** The dossier as its producer and the officers see it (the same facts; actions differ by who asks). */
export function presentDossier(_actor: Actor, v: DossierView): Dossier {
  const { row: d, ctx } = v;
  const { checklist, missing } = computeChecklist(v.required, v.linked, v.today, { sampleRequired: v.sampleRequired, hasSample: Boolean(d.sample), hasSelfAssessment: v.hasSelfAssessment });
  return {
    id: d.id, kind: d.kind as DossierKind, status: d.status as DossierStatus, version: d.version,
    product: { id: d.productId, name: ctx.product_name, taxonomyCode: ctx.taxonomy_code, sector: sectorOf(ctx.taxonomy_code) },
    producer: { id: d.producerId, legalName: ctx.producer_name },
    procedure: { code: d.procedureCode, name: ctx.procedure_name, intake: ctx.procedure_intake },
    intakeUnit: { id: d.intakeUnitId, name: ctx.intake_unit_name },
    targetStar: d.targetStar,
    form: d.form ?? {},
    sample: d.sample ?? null,
    sampleRequired: v.sampleRequired,
    preAssessment: d.preAssessment ?? null,
    preAssessmentRequired: ctx.procedure_intake === 'commune',
    checklist, missing,
    linkedEvidence: v.linked.map((l) => ({
      id: l.id, type: l.type as EvidenceType, title: l.title, expiresOn: l.expires_on, expired: isExpired(l.expires_on, v.today), requirement: l.requirement, downloadUrl: `/api/evidence/${l.id}/file`,
    })),
    selfAssessment: v.selfAssessment,
    round: d.roundId && ctx.round_name ? { id: d.roundId, name: ctx.round_name, status: ctx.round_status ?? '' } : null,
    result: (d.result as Record<string, unknown> | null) ?? null,
    levelResults: (d.levelResults ?? []).map((l) => ({ roundId: l.roundId, roundName: l.roundName, level: l.level, outcome: l.outcome, meanScore: l.meanScore, finalStar: l.finalStar, forwardTo: l.forwardTo, issuingLevel: l.issuingLevel, at: l.at })),
    certificate: v.certificate,
    baseCertificate: v.baseCertificate,
    events: v.events.map((e) => ({ id: e.id, from: e.fromStatus as DossierStatus | null, to: e.toStatus as DossierStatus, actor: e.actorLabel, at: iso(e.at)!, comment: e.comment, reasons: e.reasons ?? null })),
    allowedActions: v.allowedActions,
    submittedAt: iso(d.submittedAt),
    createdAt: iso(d.createdAt)!,
    updatedAt: iso(d.updatedAt)!,
  };
}
