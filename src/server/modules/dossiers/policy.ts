import { isProvinceWide, type Actor } from '../../lib/actor.js';

/** What a policy needs to know of a dossier. */
export interface DossierFacts {
  producerId: string;
  intakeUnitId: number;
  registeredUnitId: number;
  status: string;
}

const ownsIt = (a: Actor, d: { producerId: string }) => a.role === 'producer' && a.producerId === d.producerId;
const communeCovers = (a: Actor, d: DossierFacts) =>
  a.role === 'commune_officer' && (a.scopeUnitIds.has(d.intakeUnitId) || a.scopeUnitIds.has(d.registeredUnitId));
const editable = (d: DossierFacts) => d.status === 'draft' || d.status === 'returned';

/** Dossiers hold business documents: the producer itself and officers responsible for it (not viewers or the public). */
export const canReadDossier = (a: Actor, d: DossierFacts) => ownsIt(a, d) || isProvinceWide(a) || communeCovers(a, d);
/** A producer opens dossiers for its own products; officers may do it on a household's behalf. */
export const canCreateDossier = (a: Actor, p: { producerId: string; registeredUnitId: number }) =>
  ownsIt(a, p) || isProvinceWide(a) || (a.role === 'commune_officer' && a.scopeUnitIds.has(p.registeredUnitId));
/** Editing and submitting: while the dossier is with the producer (draft or returned). */
export const canEditDossier = (a: Actor, d: DossierFacts) => editable(d) && (ownsIt(a, d) || isProvinceWide(a) || communeCovers(a, d));
export const canSubmitDossier = canEditDossier;
/** Intake (format check, pre-assessment, return, accept): officers of the receiving unit, or the province. */
export const canIntakeDossier = (a: Actor, d: DossierFacts) =>
  d.status === 'submitted' && (isProvinceWide(a) || (a.role === 'commune_officer' && a.scopeUnitIds.has(d.intakeUnitId)));
/** Rounds are organised by the province: it assigns accepted dossiers to them. */
export const canAssignDossier = (a: Actor, d: DossierFacts) => d.status === 'accepted' && isProvinceWide(a);
/** The producer may withdraw until the dossier is accepted. */
export const canWithdrawDossier = (a: Actor, d: DossierFacts) =>
  ['draft', 'submitted', 'returned'].includes(d.status) && (ownsIt(a, d) || isProvinceWide(a));
