import { isProvinceWide, type Actor } from '../../lib/actor.js';
import { SCORING_ROLES } from './schema.js';

type Membership = { role: string } | undefined;

/** Provincial officers organise rounds (council, products, dates). */
export const canManageRounds = (a: Actor) => isProvinceWide(a);
/** A round is visible to its council and to officers. */
export const canViewRound = (a: Actor, m: Membership) => Boolean(m) || a.role === 'admin' || a.role === 'province_officer' || a.role === 'commune_officer';
/** Members with a scoring role score; the secretary and advisors do not. */
export const canScore = (_a: Actor, m: Membership) => Boolean(m && (SCORING_ROLES as readonly string[]).includes(m.role));
/** Any council member may declare a conflict of interest for themselves. */
export const canDeclareConflict = (_a: Actor, m: Membership) => Boolean(m);
/** Only the chair opens results, reopens sheets and finalises. */
export const canChair = (_a: Actor, m: Membership) => m?.role === 'chair';
/** Spread and per-member progress before results open: chair, secretary and officers (not fellow members). */
export const canSeeSpread = (a: Actor, m: Membership) => m?.role === 'chair' || m?.role === 'secretary' || isProvinceWide(a);
/** Producers self-assess their own products; officers may look. */
export const canSelfAssess = (a: Actor, p: { producerId: string }) => a.role === 'producer' && a.producerId === p.producerId;
export const canViewSelfAssessment = (a: Actor, p: { producerId: string }) => canSelfAssess(a, p) || isProvinceWide(a) || a.role === 'commune_officer';
