/**
 * The API's shapes as the web app reads them: every type here is the server's zod schema (`z.infer`), imported as a
 * type only (nothing of zod reaches the bundle), so `tsc` fails when a screen and the server disagree. The few runtime
 * lists (statuses, units, layouts) are keyed by the server's types: a value added on the server without being listed
 * here fails type-checking too.
 */
import type { CertificateStatus } from '../shared/certificate-dates';
import type { DossierKind, DossierStatus, EvidenceType, PreAssessmentItem, RevocationReason } from '../shared/dossier';
import type { Market } from '../server/modules/trace/schema';

export type { CertificateStatus, DossierKind, DossierStatus, EvidenceType, PreAssessmentItem, RevocationReason };

// --- Registrations
export type { RegistrationUnit, RegistrationCreated, RegistrationInputBody as RegistrationInput } from '../server/modules/registrations/schema';
import type { Registration as RegistrationT } from '../server/modules/registrations/schema';
export type RegistrationStatus = RegistrationT['status'];
const REGISTRATION_STATUS_SET: Record<RegistrationStatus, true> = { pending: true, approved: true, rejected: true };
export const REGISTRATION_STATUSES = Object.keys(REGISTRATION_STATUS_SET) as RegistrationStatus[];

/** The server's contract (loginTaken and reference came with #13), not a copy. */
export type { Registration } from '../server/modules/registrations/schema';

// --- Evidence locker
export type { Evidence, EvidenceUpdate } from '../server/modules/evidence/schema';

// --- Dossiers
import type { Dossier as DossierShape, DossierForm as DossierFormShape } from '../server/modules/dossiers/schema';
export type { Dossier, DossierAllowedAction, DossierForm, DossierSample, DossierSummary, PreAssessment, PreAssessmentInput, DossierUpdateInput } from '../server/modules/dossiers/schema';
export type DossierEvent = DossierShape['events'][number];
export type ChecklistItem = DossierShape['checklist'][number];
/** Keyed by the server's form type: a field added there without being listed here fails type-checking. */
const DOSSIER_FORM_SET: Record<keyof DossierFormShape, true> = {
  productionCapacity: true, annualOutput: true, markets: true, rawMaterialSource: true, workers: true, localWorkers: true,
  description: true, developmentPlan: true, contactPerson: true, contactPhone: true,
};
export const DOSSIER_FORM_KEYS = Object.keys(DOSSIER_FORM_SET) as (keyof DossierFormShape)[];

// --- Certificates
export type { Certificate, RoundCertificateRow } from '../server/modules/certificates/schema';
const CERTIFICATE_STATUS_SET: Record<CertificateStatus, true> = { active: true, expiring: true, expired: true, superseded: true, revoked: true };
export const CERTIFICATE_STATUSES = Object.keys(CERTIFICATE_STATUS_SET) as CertificateStatus[];

// --- Notifications
export type { Notification as AppNotification } from '../server/modules/notifications/schema';

/** Lists may arrive bare or wrapped ({items,total}); the screens accept both. */
export function itemsOf<T>(v: T[] | { items: T[] } | null | undefined): T[] {
  if (!v) return [];
  return Array.isArray(v) ? v : (v.items ?? []);
}

/** The actor of an event as a name, whatever shape the server gives it. */
export function actorName(a: DossierEvent['actor']): string {
  return a || '—';
}

// --- Traceability (issue #5): places come typed from the server; lots, events and stamps from the contract.
export type { GrowingArea, PackingHouse, GeoLocation } from '../server/modules/trace/schema';
export type { Market };
/** Keyed by the server's type: a market added there without a label here fails type-checking (no zod in the bundle). */
const MARKET_SET: Record<Market, true> = { cn: true, jp: true, us: true, eu: true, au: true, kr: true, domestic: true, other: true };
export const MARKETS = Object.keys(MARKET_SET) as Market[];

export type { QuantityUnit, Lot, LotInput, TraceEvent, TraceEventInput, EpcisImportError } from '../server/modules/lots/schema';
export type { StampRange, StampFlag, ScanReport, ScanStats, LabelLayout } from '../server/modules/stamps/schema';
import type { LabelLayout as LabelLayoutT } from '../server/modules/stamps/schema';
import type { QuantityUnit as QuantityUnitT, TraceEventInput as TraceEventInputT } from '../server/modules/lots/schema';
const QUANTITY_UNIT_SET: Record<QuantityUnitT, true> = { KGM: true, TNE: true, GRM: true, LTR: true, MLT: true, H87: true };
export const QUANTITY_UNITS = Object.keys(QUANTITY_UNIT_SET) as QuantityUnitT[];
/** The kinds an officer or producer records through the form (imports may also bring 'other'). */
export type TraceEventKind = TraceEventInputT['kind'];
const TRACE_EVENT_KIND_SET: Record<TraceEventKind, true> = { harvest: true, processing: true, packing: true, shipping: true, receiving: true, inspection: true };
export const TRACE_EVENT_KINDS = Object.keys(TRACE_EVENT_KIND_SET) as TraceEventKind[];
export type { TransactionType } from '../shared/epcis';
export { TRANSACTION_TYPES } from '../shared/epcis';
// Trading partners (#14): the receiving party of shipping and receiving events.
export type { Party, PartyInputBody as PartyInput, PartyKind } from '../server/modules/parties/schema';
import type { PartyKind as PartyKindT } from '../server/modules/parties/schema';
const PARTY_KIND_SET: Record<PartyKindT, true> = { buyer: true, processor: true, packer: true, transporter: true, retailer: true, other: true };
export const PARTY_KINDS = Object.keys(PARTY_KIND_SET) as PartyKindT[];
const LABEL_LAYOUT_SET: Record<LabelLayoutT, true> = { 'a4-65': true, 'a4-24': true, 'roll-50x30': true };
export const LABEL_LAYOUTS = Object.keys(LABEL_LAYOUT_SET) as LabelLayoutT[];
