import { isProvinceWide, isStaff, type Actor } from '../../lib/actor.js';

type CertificateScope = { producerId: string; registeredUnitId: number };

/**
 * Issuing (from a round), recording paper certificates and revoking are decisions of the provincial OCOP office:
 * admins and province officers. Commune officers prepare dossiers but do not recognise.
 */
export const canIssueCertificate = (a: Actor) => isProvinceWide(a);
export const canRecordLegacyCertificate = (a: Actor) => isProvinceWide(a);
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
