/**
 * Shapes of the issue-4 API (registrations, evidence locker, dossiers, certificates, notifications) as the web app
 * reads them. Written from the API contract; the server's zod schemas are the source of truth once they exist.
 */
import type { CertificateStatus } from '../shared/certificate-dates';
import type { DossierKind, DossierStatus, EvidenceType, PreAssessmentItem, RevocationReason } from '../shared/dossier';
import type { CertificationType, ProducerKind } from './enums';
import type { Market } from '../server/modules/trace/schema';
import type { EventDetails } from '../shared/epcis';

export type { CertificateStatus, DossierKind, DossierStatus, EvidenceType, PreAssessmentItem, RevocationReason };

// --- Registrations
export type RegistrationStatus = 'pending' | 'approved' | 'rejected';
export const REGISTRATION_STATUSES: RegistrationStatus[] = ['pending', 'approved', 'rejected'];

export interface RegistrationUnit {
  id: number;
  name: string;
  parentName: string | null;
}

export interface RegistrationInput {
  kind: ProducerKind;
  legalName: string;
  registrationNumber: string;
  unitId: number;
  address?: string | null;
  representative: string;
  phone: string;
  email?: string | null;
  login: string;
  password: string;
  note?: string | null;
}

/** The server's contract (loginTaken and reference came with #13), not a copy. */
export type { Registration } from '../server/modules/registrations/schema';

// --- Evidence locker
export interface Evidence {
  id: string;
  producerId: string;
  type: EvidenceType;
  certificationType: CertificationType | null;
  title: string;
  issuer: string | null;
  number: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
  expired: boolean;
  fileName: string;
  contentType: string;
  bytes: number;
  createdAt: string;
  version: number;
  downloadUrl: string;
  usedIn: { dossierId: string; productName: string; status: DossierStatus }[];
}

export interface EvidenceUpdate {
  version: number;
  title: string;
  issuer: string | null;
  number: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
  certificationType: CertificationType | null;
}

// --- Dossiers
export type DossierAllowedAction = 'edit' | 'submit' | 'return' | 'accept' | 'preAssess' | 'assign' | 'withdraw';

export interface DossierSummary {
  id: string;
  kind: DossierKind;
  status: DossierStatus;
  product: { id: string; name: string };
  producer: { id: string; legalName: string };
  intakeUnit: { id: number; name: string };
  procedureCode: string;
  targetStar: number | null;
  submittedAt: string | null;
  updatedAt: string;
  missingCount: number;
}

/** Registration form fields (phiếu đăng ký): the server accepts exactly these keys (strict schema). */
export interface DossierForm {
  productionCapacity?: string | null;
  annualOutput?: string | null;
  markets?: string | null;
  rawMaterialSource?: string | null;
  workers?: number | null;
  localWorkers?: number | null;
  description?: string | null;
  developmentPlan?: string | null;
  contactPerson?: string | null;
  contactPhone?: string | null;
}
export const DOSSIER_FORM_KEYS: (keyof DossierForm)[] = [
  'productionCapacity', 'annualOutput', 'markets', 'rawMaterialSource', 'workers', 'localWorkers', 'description', 'developmentPlan', 'contactPerson', 'contactPhone',
];

export interface DossierSample {
  quantity: number | null;
  unit: string | null;
  description: string | null;
  deliveredOn: string | null;
}

export interface PreAssessment {
  items: Record<PreAssessmentItem, { met: boolean; note: string }>;
  formatChecked: boolean;
  conclusion: string;
  by?: string | null;
  at?: string | null;
}

export interface DossierEvent {
  id: string | number;
  from: DossierStatus | null;
  to: DossierStatus;
  actor: string | { id?: string; name?: string; fullName?: string } | null;
  at: string;
  comment: string | null;
  reasons: string[] | null;
}

export interface ChecklistItem {
  type: EvidenceType;
  label: string;
  required: boolean;
  evidence: { id: string; title: string; expiresOn: string | null; expired: boolean }[];
  satisfied: boolean;
}

export interface Dossier {
  id: string;
  kind: DossierKind;
  status: DossierStatus;
  version: number;
  product: { id: string; name: string; taxonomyCode: string; sector: string };
  producer: { id: string; legalName: string };
  procedure: { code: string; name: string; intake: 'commune' | 'district' };
  intakeUnit: { id: number; name: string };
  targetStar: number | null;
  form: DossierForm;
  sample: DossierSample | null;
  sampleRequired: boolean;
  preAssessment: PreAssessment | null;
  preAssessmentRequired: boolean;
  checklist: ChecklistItem[];
  missing: { type: string; label: string; reason: 'missing' | 'expired' }[];
  linkedEvidence: { id: string; type: EvidenceType; title: string; expiresOn: string | null; expired: boolean; requirement: string; downloadUrl: string }[];
  selfAssessment: { total: number; star: number | null; updatedAt: string | null } | null;
  round: { id: string; name: string; status: string } | null;
  result: { outcome?: string; finalStar?: number | null; meanScore?: number | null; reasons?: string[]; forwardTo?: string | null; issuingLevel?: string | null } | null;
  /** Every council the dossier went through, oldest first. */
  levelResults: { roundId: string; roundName: string; level: string; outcome: string; meanScore: number | null; finalStar: number | null; forwardTo: string | null; issuingLevel: string | null; at: string }[];
  certificate: { id: string; number: string; status: string } | null;
  baseCertificate: { id: string; number: string; star: number; expiresOn: string } | null;
  events: DossierEvent[];
  allowedActions: DossierAllowedAction[];
}

// --- Certificates
export interface Certificate {
  id: string;
  number: string;
  product: { id: string; name: string };
  producer: { id: string; legalName: string };
  star: number;
  score: number | null;
  decisionNumber: string;
  decisionDate: string;
  issuingAuthority: string;
  issuingUnitName: string;
  criteriaSetCode: string | null;
  procedureCode: string | null;
  validFrom: string;
  expiresOn: string;
  storedStatus: 'active' | 'superseded' | 'revoked';
  status: CertificateStatus;
  daysLeft: number;
  revokedReason: RevocationReason | null;
  revokedNote: string | null;
  revokedAt: string | null;
  supersededBy: { id: string; number: string } | null;
  isLegacy: boolean;
  verifyUrl: string;
  pdfUrl: string;
  reevaluationDossier: { id: string; status: DossierStatus } | null;
}
export const CERTIFICATE_STATUSES: CertificateStatus[] = ['active', 'expiring', 'expired', 'superseded', 'revoked'];

export interface RoundCertificateRow {
  productId: string;
  productName: string;
  outcome: 'recognised' | 'forwarded' | 'not_recognised' | null;
  finalStar: number | null;
  meanScore: number | null;
  certificate: { id: string; number: string } | null;
  issuingLevel: 'commune' | 'district' | 'province' | 'central' | null;
  mayIssue: boolean;
}

// --- Notifications
export interface AppNotification {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

/** Lists may arrive bare or wrapped ({items,total}); the screens accept both. */
export function itemsOf<T>(v: T[] | { items: T[] } | null | undefined): T[] {
  if (!v) return [];
  return Array.isArray(v) ? v : (v.items ?? []);
}

/** The actor of an event as a name, whatever shape the server gives it. */
export function actorName(a: DossierEvent['actor']): string {
  if (!a) return '—';
  if (typeof a === 'string') return a;
  return a.fullName ?? a.name ?? '—';
}

// --- Traceability (issue #5): places come typed from the server; lots, events and stamps from the contract.
export type { GrowingArea, PackingHouse, GeoLocation } from '../server/modules/trace/schema';
export type { Market };
/** Keyed by the server's type: a market added there without a label here fails type-checking (no zod in the bundle). */
const MARKET_SET: Record<Market, true> = { cn: true, jp: true, us: true, eu: true, au: true, kr: true, domestic: true, other: true };
export const MARKETS = Object.keys(MARKET_SET) as Market[];

export type QuantityUnit = 'KGM' | 'TNE' | 'GRM' | 'LTR' | 'MLT' | 'H87';
export const QUANTITY_UNITS: QuantityUnit[] = ['KGM', 'TNE', 'GRM', 'LTR', 'MLT', 'H87'];

export interface Lot {
  id: string;
  lotNumber: string;
  gtin: string | null;
  producedOn: string;
  quantity: number;
  quantityUnit: QuantityUnit;
  bestBefore: string | null;
  notes: string | null;
  product: { id: string; name: string };
  producer: { id: string; name: string };
  growingAreas: { id: string; code: string; crop: string }[];
  packingHouse: { id: string; code: string; name: string } | null;
  eventCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface LotInput {
  productId: string;
  lotNumber: string;
  gtin: string | null;
  producedOn: string;
  quantity: number;
  quantityUnit: QuantityUnit;
  bestBefore: string | null;
  growingAreaIds: string[];
  packingHouseId: string | null;
  notes: string | null;
}

export type TraceEventKind = 'harvest' | 'processing' | 'packing' | 'shipping' | 'receiving' | 'inspection';
export const TRACE_EVENT_KINDS: TraceEventKind[] = ['harvest', 'processing', 'packing', 'shipping', 'receiving', 'inspection'];
export type TransactionType = 'po' | 'inv' | 'desadv' | 'bol';
export const TRANSACTION_TYPES: TransactionType[] = ['po', 'inv', 'desadv', 'bol'];

export interface TraceEvent {
  id: string;
  eventId: string;
  type: string;
  action: string | null;
  kind: TraceEventKind | string;
  eventTime: string;
  eventTz: string;
  bizStep: string | null;
  disposition: string | null;
  readPoint: string | null;
  bizLocation: string | null;
  lots: { lotId: string; lotNumber: string; productName: string; role: string; quantity: number | null; uom: string | null }[];
  summary: string;
  details: EventDetails;
  source: 'form' | 'api' | 'import';
  recordedBy: string | null;
  recordTime: string;
}

export type TraceEventInput =
  | { kind: 'harvest'; lotId: string; eventTime: string; growingAreaIds?: string[]; note?: string }
  | { kind: 'processing'; inputs: { lotId: string; quantity: number; uom: string }[]; outputLotId: string; eventTime: string; packingHouseId?: string; note?: string }
  | { kind: 'packing'; lotId: string; parentId: string; quantity?: number; eventTime: string; packingHouseId?: string; note?: string }
  | { kind: 'shipping' | 'receiving'; lotId: string; quantity?: number; eventTime: string; transaction?: { type: TransactionType; id: string }; source?: string; destination?: string; note?: string }
  | { kind: 'inspection'; lotId: string; eventTime: string; result: 'conformant' | 'non_conformant'; inspector: string; note?: string };

export interface EpcisImportError {
  index: number;
  eventId: string | null;
  path: string;
  message: string;
}

export interface StampRange {
  id: string;
  lotId: string;
  firstSerial: number | string;
  lastSerial: number | string;
  count: number;
  firstNo: number | string;
  status: 'active' | 'inactive';
  statusReason: string | null;
  issuedAt: string;
  issuedBy: string | null;
  exceptions: { serial: number | string; status: 'lost' | 'inactive'; reason: string | null }[];
  sampleUri: string;
  scanCount: number;
}
export const LABEL_LAYOUTS = ['a4-65', 'a4-24', 'roll-50x30'] as const;
export type LabelLayout = (typeof LABEL_LAYOUTS)[number];

export interface StampFlag {
  id: string;
  kind: string;
  ref: string;
  lot: { id: string; lotNumber: string } | null;
  product: { id: string; name: string } | null;
  serial: number | string | null;
  scanCount: number;
  firstAt: string;
  lastAt: string;
  status: 'open' | 'dismissed';
  note?: string | null;
}

export interface ScanReport {
  id: string;
  status: 'new' | 'reviewed' | 'closed' | string;
  kind?: string | null;
  message?: string | null;
  ref?: string | null;
  contact?: string | null;
  lot?: { id: string; lotNumber: string } | null;
  product?: { id: string; name: string } | null;
  serial?: number | string | null;
  note?: string | null;
  createdAt: string;
}

export interface ScanStats {
  days: { date: string; scans: number; flagged: number }[];
  byProduct: { productId: string; productName: string; scans: number }[];
  byUnit: { unitId: number; unitName: string; scans: number }[];
  byArea: { areaId: string; code: string; crop: string; scans: number }[];
  total: number;
}
