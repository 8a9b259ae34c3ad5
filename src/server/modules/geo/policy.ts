import type { Actor } from '../../lib/actor.js';

/** Administrative units are reference data: everyone signed in reads them, only administrators change them. */
export const canReadUnits = (_a: Actor) => true;
export const canManageUnits = (a: Actor) => a.role === 'admin';
/** A province imports its own commune boundaries for its maps: administrators and province officers. */
export const canImportBoundaries = (a: Actor) => a.role === 'admin' || a.role === 'province_officer';
