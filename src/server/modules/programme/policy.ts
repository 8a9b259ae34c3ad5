import { isCentral, isProvinceWide, type Actor } from '../../lib/actor.js';

/** Plans and the programme panel are read by officers, council members and viewers; producers have their own home. */
export const canReadProgramme = (a: Actor) => a.role !== 'producer';

/** Plans are written by the province (and admin): commune officers, council members, viewers and producers only read. */
export const canWritePlan = (a: Actor) => isProvinceWide(a);

/** A commune officer's panel counts only the products registered in their communes (and the units those replaced). */
export const programmeProductScope = (a: Actor): Set<number> | null => (a.role === 'commune_officer' ? a.scopeUnitIds : null);

/** Officers' home: dossiers, expiring certificates, rounds, flags. */
export const isOfficerHome = (a: Actor) => isProvinceWide(a) || a.role === 'commune_officer' || isCentral(a);

/** The unit that decides who covers a support activity: the product's registered unit, else the producer's unit. */
export type SupportScope = { producerId: string; unitId: number };
/** Officers, council members and viewers read support; a producer user reads only its own. */
export const canReadSupport = (a: Actor, s: SupportScope) => a.role !== 'producer' || (a.producerId !== null && a.producerId === s.producerId);
/** Province-wide officers record support anywhere, commune officers in their communes; producers and viewers never. */
export const canWriteSupport = (a: Actor, s: SupportScope) => isProvinceWide(a) || (a.role === 'commune_officer' && a.scopeUnitIds.has(s.unitId));
/** The roles that may record support at all (the scope is checked once the record is known). */
export const mayWriteSupport = (a: Actor) => isProvinceWide(a) || a.role === 'commune_officer';
/**
 * Evidence files of a support activity (acceptance minutes, invoices, designs) are business documents: the supported
 * producer's own users and the officers responsible for the activity read them; viewers and council members do not.
 */
export const canReadSupportEvidence = (a: Actor, s: SupportScope) => (a.role === 'producer' && a.producerId !== null && a.producerId === s.producerId) || canWriteSupport(a, s);
/** The roles that may read some support evidence at all (checked before the record is looked up). */
export const mayReadSupportEvidence = (a: Actor) => mayWriteSupport(a) || a.role === 'producer';

/** Budget entries (commitments, disbursements) are the province's: province-wide officers write, staff and viewers read. */
export const canWriteBudget = (a: Actor) => isProvinceWide(a);
export const canReadBudget = (a: Actor) => a.role !== 'producer';

/** Events: province-wide officers anywhere, commune officers for events their communes hold; everyone signed in but producers reads. */
export const canWriteEvent = (a: Actor, unitId: number) => isProvinceWide(a) || (a.role === 'commune_officer' && a.scopeUnitIds.has(unitId));
/** The roles that may record events at all (the unit is checked with the event). */
export const mayWriteEvent = (a: Actor) => isProvinceWide(a) || a.role === 'commune_officer';
/** Producers read only the events they took part in. */
export const canReadEvent = (a: Actor, participantProducerIds: string[]) => a.role !== 'producer' || (a.producerId !== null && participantProducerIds.includes(a.producerId));
