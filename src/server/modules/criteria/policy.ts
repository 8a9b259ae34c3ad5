import { isProvinceWide, type Actor } from '../../lib/actor.js';

/** Criteria are public law: everyone signed in reads them (producers need them for self-assessment). */
export const canReadCriteria = (_a: Actor) => true;
/** Provincial officers transcribe and publish criteria sets. */
export const canManageCriteria = (a: Actor) => isProvinceWide(a);
