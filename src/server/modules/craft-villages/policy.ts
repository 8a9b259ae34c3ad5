import { isProvinceWide, type Actor } from '../../lib/actor.js';

/** Craft villages are reference data: everyone signed in reads them (they name what a producer belongs to). */
export const canReadCraftVillages = (_a: Actor) => true;
/** Province-wide officers (and administrators) keep the list, as the province recognises craft villages. */
export const canManageCraftVillages = (a: Actor) => isProvinceWide(a);
