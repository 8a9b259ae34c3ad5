import { isProvinceWide, type Actor } from '../../lib/actor.js';

/** Whose locker the evidence is in, and whether it is linked to a dossier of a round the actor sits on. */
export interface EvidenceAccess {
  producerId: string;
  /** The producer's registered unit (commune officers work in their scope). */
  producerUnitId: number;
  /** Linked (dossier_evidence) to a dossier whose round the actor is a member of (round_members). */
  inMyRound: boolean;
}

/** The producer's own users, province-wide officers, commune officers for producers of units in their scope. */
export const canWriteEvidence = (a: Actor, e: Omit<EvidenceAccess, 'inMyRound'>) =>
  (a.role === 'producer' && a.producerId === e.producerId) ||
  isProvinceWide(a) ||
  (a.role === 'commune_officer' && a.scopeUnitIds.has(e.producerUnitId));

/** Whoever may write it, and council members for evidence of a dossier in a round they sit on. */
export const canReadEvidence = (a: Actor, e: EvidenceAccess) => canWriteEvidence(a, e) || e.inMyRound;

/**
 * A producer's whole locker: the producer's users and officers in scope. Council members get the list filtered to
 * what canReadEvidence lets them see; everyone else (other producers, viewers, officers out of scope) is refused.
 */
export const canListEvidence = (a: Actor, p: { producerId: string; producerUnitId: number }) =>
  canWriteEvidence(a, p) || a.role === 'council_member';
