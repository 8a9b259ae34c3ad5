import { daysBetween, effectiveCertificateStatus } from '../../../shared/certificate-dates.js';
import type { DossierStatus, RevocationReason } from '../../../shared/dossier.js';
import type { Actor } from '../../lib/actor.js';
import { canSeeDossierStatus } from './policy.js';
import type { CertificateJoined } from './repository.js';
import type { Certificate } from './schema.js';

type Stored = 'active' | 'superseded' | 'revoked';

export const verifyPath = (number: string) => `/xac-thuc/${encodeURIComponent(number)}`;
export const verifyUrl = (publicBaseUrl: string, number: string) => `${publicBaseUrl}${verifyPath(number)}`;
export const certificateLink = (id: string) => `/certificates/${id}`;

/** Staff and producer view of a certificate (the public page has its own, smaller whitelist). */
export function presentCertificate(j: CertificateJoined, actor: Actor | null, today: string, publicBaseUrl: string): Certificate {
  const c = j.c;
  return {
    id: c.id,
    number: c.number,
    product: { id: c.productId, name: j.productName },
    producer: { id: c.producerId, legalName: j.producerName },
    star: c.star,
    score: c.score === null ? null : Number(c.score),
    decisionNumber: c.decisionNumber,
    decisionDate: c.decisionDate,
    issuingAuthority: c.issuingAuthority,
    issuingUnitName: c.issuingUnitName,
    criteriaSetCode: c.criteriaSetCode,
    procedureCode: c.procedureCode,
    validFrom: c.decisionDate,
    expiresOn: c.expiresOn,
    storedStatus: c.status as Stored,
    status: effectiveCertificateStatus(c.status as Stored, c.expiresOn, today),
    daysLeft: daysBetween(today, c.expiresOn),
    revokedReason: c.revokedReason as RevocationReason | null,
    revokedNote: c.revokedNote,
    revokedAt: c.revokedAt ? c.revokedAt.toISOString() : null,
    supersededBy: c.supersededBy && j.successorNumber ? { id: c.supersededBy, number: j.successorNumber } : null,
    isLegacy: c.isLegacy,
    verifyUrl: verifyUrl(publicBaseUrl, c.number),
    pdfUrl: `/api/certificates/${c.id}/pdf`,
    reevaluationDossier: j.dossier && actor && canSeeDossierStatus(actor, c) ? { id: j.dossier.id, status: j.dossier.status as DossierStatus } : null,
  };
}

/** What the audit trail keeps of a certificate. */
export function auditableCertificate(c: { number: string; productId: string; star: number; score: number | null; decisionNumber: string; decisionDate: string; issuingAuthority: string; issuingUnitName: string; expiresOn: string; roundId: string | null; isLegacy: boolean; status: string }) {
  return {
    number: c.number, productId: c.productId, star: c.star, score: c.score, decisionNumber: c.decisionNumber, decisionDate: c.decisionDate,
    issuingAuthority: c.issuingAuthority, issuingUnitName: c.issuingUnitName, expiresOn: c.expiresOn, roundId: c.roundId, isLegacy: c.isLegacy, status: c.status,
  };
}
