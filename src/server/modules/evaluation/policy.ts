import { isProvinceWide, type Actor } from '../../lib/actor.js';
import type { RecognitionLevel } from '../criteria/tables.js';
import { hasLevelAuthority } from '../recognition/authority.js';
import { SCORING_ROLES } from './schema.js';

type Membership = { role: string } | undefined;
type RoundFacts = { level: string; unitId: number | null };

/** Provincial officers organise rounds below the central level, the ministry's officers the central ones. */
export const canManageRounds = (a: Actor) => isProvinceWide(a) || a.role === 'central_officer';
/** Organising one round (council, products, opening scoring): authority at its level over its unit. */
export const canManageRound = (a: Actor, r: RoundFacts) => hasLevelAuthority(a, r.level as RecognitionLevel, r.unitId);
/**
 * A round is visible to its council, to the officers who may organise it, to central officers (national view),
 * province officers (they forward to the central council) and — through `inScope` — to commune officers whose
 * communes have a product in it. Other council members see only the rounds they sit on.
 */
export const canViewRound = (a: Actor, m: Membership, r?: RoundFacts, inScope = false) =>
  Boolean(m) || a.role === 'admin' || a.role === 'central_officer' || a.role === 'province_officer' && (!r || r.level === 'central' || canManageRound(a, r))
  || (a.role === 'commune_officer' && inScope);
/** Members with a scoring role score; the secretary and advisors do not. */
export const canScore = (_a: Actor, m: Membership) => Boolean(m && (SCORING_ROLES as readonly string[]).includes(m.role));
/** Any council member may declare a conflict of interest for themselves. */
export const canDeclareConflict = (_a: Actor, m: Membership) => Boolean(m);
/** Only the chair opens results, reopens sheets, records late conflicts, adds substitutes and finalises. */
export const canChair = (_a: Actor, m: Membership) => m?.role === 'chair';
/** Spread and per-member progress before results open: chair, secretary and the officers who organise the round. */
export const canSeeSpread = (a: Actor, m: Membership, r?: RoundFacts) => m?.role === 'chair' || m?.role === 'secretary' || (r ? canManageRound(a, r) : isProvinceWide(a));
/** Producers self-assess their own products; officers may look. */
export const canSelfAssess = (a: Actor, p: { producerId: string }) => a.role === 'producer' && a.producerId === p.producerId;
export const canViewSelfAssessment = (a: Actor, p: { producerId: string }) => canSelfAssess(a, p) || isProvinceWide(a) || a.role === 'commune_officer' || a.role === 'central_officer';
