/**
 * Labels of the dossier and certificate vocabulary (src/shared/dossier.ts) in both UI languages. Vietnamese comes
 * straight from the shared *_LABELS_VI records (the server writes the same words into notifications and PDFs);
 * English is kept here, keyed by the same types so a new value without a label fails type-checking.
 */
import {
  DOSSIER_STATUS_LABELS_VI,
  EVIDENCE_TYPE_LABELS_VI,
  PRE_ASSESSMENT_LABELS_VI,
  REVOCATION_REASON_LABELS_VI,
  type DossierStatus,
  type EvidenceType,
  type PreAssessmentItem,
  type RevocationReason,
} from '../dossier';

const EVIDENCE_TYPE_LABELS_EN: Record<EvidenceType, string> = {
  business_registration: 'Business / establishment registration',
  quality_declaration: 'Product standard and quality declaration',
  food_safety_test: 'Food-safety test report',
  certification: 'Certification (VietGAP, GlobalGAP, organic, HACCP, ISO 22000, GMP)',
  trademark: 'Trademark / collective mark / geographical indication',
  environment_plan: 'Environmental protection plan / commitment',
  product_story: 'Product story',
  photo: 'Photos of product, packaging, label',
  three_year_report: 'Three-year report (re-evaluation)',
  gs1_membership: 'GS1 Vietnam membership certificate (GS1 company prefix)',
  other: 'Other document',
};

const DOSSIER_STATUS_LABELS_EN: Record<DossierStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted, awaiting intake',
  returned: 'Returned for supplement',
  accepted: 'Accepted',
  assigned: 'Assigned to an evaluation round',
  evaluated: 'Scored, awaiting recognition decision',
  recognised: 'Recognised',
  forwarded: 'Forwarded to the next level',
  not_recognised: 'Not recognised',
  withdrawn: 'Withdrawn',
};

const PRE_ASSESSMENT_LABELS_EN: Record<PreAssessmentItem, string> = {
  local_material: 'Local raw material',
  local_labour: 'Local labour',
  idea_origin: 'Origin of the product idea',
  local_identity: 'Local identity',
};

const REVOCATION_REASON_LABELS_EN: Record<RevocationReason, string> = {
  not_reevaluated: 'Not re-evaluated by expiry',
  failed_mandatory: 'Failed mandatory criteria on re-evaluation',
  inspection_violation: 'Violation found by inspection',
  producer_request: "At the producer's request",
  other: 'Other reason',
};

type L = 'vi' | 'en';
const pick = <K extends string>(vi: Record<K, string>, en: Record<K, string>) => (lang: L, k: K | string | null | undefined): string =>
  k == null ? '—' : ((lang === 'en' ? en : vi) as Record<string, string>)[k] ?? String(k);

export const evidenceTypeLabel = pick(EVIDENCE_TYPE_LABELS_VI, EVIDENCE_TYPE_LABELS_EN);
export const dossierStatusLabel = pick(DOSSIER_STATUS_LABELS_VI, DOSSIER_STATUS_LABELS_EN);
export const preAssessmentLabel = pick(PRE_ASSESSMENT_LABELS_VI, PRE_ASSESSMENT_LABELS_EN);
export const revocationReasonLabel = pick(REVOCATION_REASON_LABELS_VI, REVOCATION_REASON_LABELS_EN);
