import { isProvinceWide, type Actor } from '../../lib/actor.js';

/** What a policy needs to know of a dossier. */
export interface DossierFacts {
  producerId: string;
  intakeUnitId: number;
  registeredUnitId: number;
  status: string;
  /** The level a forwarded dossier waits at (or null). */
  forwardedTo?: string | null;
  /** Whether the dossier was ever forwarded to the central level (the ministry's officers then read it). */
  reachedCentral?: boolean;
}

const ownsIt = (a: Actor, d: { producerId: string }) => a.role === 'producer' && a.producerId === d.producerId;
const communeCovers = (a: Actor, d: DossierFacts) =>
  a.role === 'commune_officer' && (a.scopeUnitIds.has(d.intakeUnitId) || a.scopeUnitIds.has(d.registeredUnitId));
const editable = (d: DossierFacts) => d.status === 'draft' || d.status === 'returned';

/** Dossiers hold business documents: the producer itself and officers responsible for it (not viewers or the public). */
export const canReadDossier = (a: Actor, d: DossierFacts) => ownsIt(a, d) || isProvinceWide(a) || communeCovers(a, d) || (a.role === 'central_officer' && Boolean(d.reachedCentral));
/** A producer opens dossiers for its own products; officers may do it on a household's behalf. */
export const canCreateDossier = (a: Actor, p: { producerId: string; registeredUnitId: number }) =>
  ownsIt(a, p) || isProvinceWide(a) || (a.role === 'commune_officer' && a.scopeUnitIds.has(p.registeredUnitId));
/**
 * Editing and submitting: while the dossier is with the producer (draft or returned). Officers may prepare a draft
 * on a household's behalf; a returned dossier is the producer's to supplement and resubmit (the officer who returned
 * it does not answer their own request), so only the producer and the administrator act on it then.
 */
export const canEditDossier = (a: Actor, d: DossierFacts) =>
  editable(d) && (ownsIt(a, d) || a.role === 'admin' || (d.status === 'draft' && (isProvinceWide(a) || communeCovers(a, d))));
export const canSubmitDossier = canEditDossier;
/** Intake (format check, pre-assessment, return, accept): officers of the receiving unit, or the province. */
export const canIntakeDossier = (a: Actor, d: DossierFacts) =>
  d.status === 'submitted' && (isProvinceWide(a) || (a.role === 'commune_officer' && a.scopeUnitIds.has(d.intakeUnitId)));
/**
 * Rounds are organised by the province: it assigns accepted dossiers to them. A forwarded dossier is assigned by
 * the level it was forwarded to (the ministry's officers for the central level); the round's unit is checked then.
 */
export const canAssignDossier = (a: Actor, d: DossierFacts) =>
  (d.status === 'accepted' && isProvinceWide(a))
  || (d.status === 'forwarded' && (a.role === 'admin' || (d.forwardedTo === 'central' ? a.role === 'central_officer' : a.role === 'province_officer')));
/** The producer may withdraw until the dossier is accepted. */
export const canWithdrawDossier = (a: Actor, d: DossierFacts) =>
  ['draft', 'submitted', 'returned'].includes(d.status) && (ownsIt(a, d) || isProvinceWide(a));
