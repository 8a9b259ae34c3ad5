import type { Evidence, EvidenceUsage } from './schema.js';
import type { EvidenceRow } from './tables.js';

/** Expired: the expiry date lies before today (the document is valid through its expiry date). */
export const isEvidenceExpired = (e: { expiresOn: string | null }, today: string) => e.expiresOn !== null && e.expiresOn < today;

/** Never the storage key or the hash: files are reached through downloadUrl only. */
export function presentEvidence(e: EvidenceRow, usedIn: EvidenceUsage[], today: string): Evidence {
  return {
    id: e.id,
    producerId: e.producerId,
    type: e.type as Evidence['type'],
    certificationType: e.certificationType as Evidence['certificationType'],
    title: e.title,
    issuer: e.issuer,
    number: e.number,
    issuedOn: e.issuedOn,
    expiresOn: e.expiresOn,
    expired: isEvidenceExpired(e, today),
    fileName: e.fileName,
    contentType: e.contentType,
    bytes: e.bytes,
    createdAt: e.createdAt.toISOString(),
    version: e.version,
    downloadUrl: `/api/evidence/${e.id}/file`,
    usedIn,
  };
}

/** What the audit trail keeps: metadata and the file's identity (hash, size), not where it is stored. */
export function auditableEvidence(e: EvidenceRow) {
  const { storageKey: _k, createdAt: _c, updatedAt: _u, version: _v, ...rest } = e;
  return rest as Record<string, unknown>;
}
