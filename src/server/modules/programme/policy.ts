import { isCentral, isProvinceWide, type Actor } from '../../lib/actor.js';

/** Plans and the programme panel are read by officers, council members and viewers; producers have their own home. */
export const canReadProgramme = (a: Actor) => a.role !== 'producer';

/** Plans are written by the province (and admin): commune officers, council members, viewers and producers only read. */
export const canWritePlan = (a: Actor) => isProvinceWide(a);

/** A commune officer's panel counts only the products registered in their communes (and the units those replaced). */
export const programmeProductScope = (a: Actor): Set<number> | null => (a.role === 'commune_officer' ? a.scopeUnitIds : null);

/** Officers' home: dossiers, expiring certificates, rounds, flags. */
export const isOfficerHome = (a: Actor) => isProvinceWide(a) || a.role === 'commune_officer' || isCentral(a);
