import { isProvinceWide, isStaff, type Actor } from '../../lib/actor.js';

type CertificateScope = { producerId: string; registeredUnitId: number };

/**
 * Issuing (from a round) and recording paper certificates: the provincial OCOP office and, for the central level
 * (5★), the ministry's officers — which level may recognise which star is checked against the procedure data by
 * the recognition module. Revoking stays with the province. Commune officers prepare dossiers but do not recognise.
 */
export const canIssueCertificate = (a: Actor) => isProvinceWide(a) || a.role === 'central_officer';
export const canRecordLegacyCertificate = (a: Actor) => isProvinceWide(a) || a.role === 'central_officer';
export const canRevokeCertificate = (a: Actor) => isProvinceWide(a);

/**
 * Reading: province-wide officers, council members and viewers read every certificate (they read the whole registry,
 * and certificates are public on the verification page anyway); a commune officer reads those of products
 * registered in its communes; a producer user only its own.
 */
export const canReadCertificate = (a: Actor, c: CertificateScope) => {
  if (a.role === 'producer') return a.producerId === c.producerId;
  if (a.role === 'commune_officer') return a.scopeUnitIds.has(c.registeredUnitId);
  return true;
};

/** The re-evaluation dossier's status is workflow data: staff and the producer itself, not viewers or council members. */
export const canSeeDossierStatus = (a: Actor, c: { producerId: string }) => isStaff(a) || (a.role === 'producer' && a.producerId === c.producerId);
