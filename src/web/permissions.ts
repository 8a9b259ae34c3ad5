import type { Me } from './auth';
import type { Operation } from '../server/lib/access-policy';

/**
 * What the UI offers to whom. The server decides, and says what it allows: `me.operations` are the API operations the
 * account's role may call (lib/access-policy.ts, the table the authorisation tests check against the running app), so
 * a menu entry or a button shows only when its operation is among them. Per-record actions come with the record
 * (`allowedActions`, `canEdit`, `mayIssue`…); the few checks left here add the owner rule the server applies to a
 * producer user (its own producer's records only).
 */
type Who = Pick<Me, 'role' | 'producerId' | 'operations'>;

/** Whether the server lets this account's role call the operation (for some record when the rule is per record). */
export const may = (me: Who, op: Operation) => me.operations.includes(op);
/** A producer user acts on its own producer's records only (the server's 'own-producer' rule). */
const ownOrStaff = (me: Who, producerId: string) => me.role !== 'producer' || (!!me.producerId && me.producerId === producerId);

export const isStaff = (me: Who) => me.role === 'admin' || me.role === 'province_officer' || me.role === 'commune_officer';
export const isAdmin = (me: Who) => me.role === 'admin';

export const canCreateProducer = (me: Who) => may(me, 'POST /api/producers');
export const canEditProducer = (me: Who, producerId: string) => may(me, 'PUT /api/producers/{id}') && ownOrStaff(me, producerId);
export const canEditProducerIdentity = isStaff;

export const canCreateProduct = (me: Who) => may(me, 'POST /api/products') && (me.role !== 'producer' || !!me.producerId);
export const canEditProduct = (me: Who, producerId: string) => may(me, 'PUT /api/products/{id}') && ownOrStaff(me, producerId);
/**
 * Stars, decision and certificate fields are owned by the certificates module (issued from a round, or a paper
 * certificate recorded by a provincial officer): the product form shows them read-only to everyone.
 */
export const canEditRecognition = (_me: Who) => false;
export const canSeeRecognitionForm = isStaff;

/** Import writes many records: officers (rows are checked one by one against their scope on the server). */
export const canImport = (me: Who) => may(me, 'POST /api/import/registry');
/** Excel export of lists: everyone who reads the whole registry. */
export const canExport = (me: Who) => may(me, 'GET /api/products/export.xlsx');
export const canManageUsers = (me: Who) => may(me, 'GET /api/users');
export const canReadProducersList = (me: Who) => me.role !== 'producer';

/** Provincial officers (and administrators) transcribe and publish criteria sets and organise evaluation rounds. */
export const isProvinceWide = (me: Who) => me.role === 'admin' || me.role === 'province_officer';
export const canManageCriteria = (me: Who) => may(me, 'POST /api/criteria/sets');
/** Rounds below the central level are the province's; central rounds the ministry's (the server checks the level). */
export const canManageRounds = (me: Who) => may(me, 'POST /api/rounds');
/** Rounds are visible to officers and to council members (the server lists only the rounds they sit on). */
export const canSeeRounds = (me: Who) => me.role !== 'producer' && me.role !== 'viewer';
/** A producer user self-assesses its own products; officers may look. */
export const canSelfAssess = (me: Who, producerId: string) => may(me, 'PUT /api/products/{id}/self-assessment') && me.producerId === producerId;
export const canViewSelfAssessment = (me: Who, producerId: string) => may(me, 'GET /api/products/{id}/self-assessment') && ownOrStaff(me, producerId);

// --- Dossiers, evidence, certificates (issue #4). The server's policies decide; these only choose what to show.
/** Commune officers verify producers' account requests (province-wide officers may too). */
export const canReviewRegistrations = (me: Who) => may(me, 'GET /api/registrations');
/** A producer works on its own dossiers; officers receive, return, accept and assign them. */
export const canSeeDossiers = (me: Who) => may(me, 'GET /api/dossiers') && (me.role !== 'producer' || !!me.producerId);
export const canCreateDossier = (me: Who) => may(me, 'POST /api/dossiers') && (me.role !== 'producer' || !!me.producerId);
/** Everyone reads certificates (commune officers those of their communes, producers their own). */
export const canSeeCertificates = (_me: Who) => true;
/** Issuing, recording paper certificates and revoking are decisions of the provincial OCOP office. */
/** The certificates list as an Excel sheet: whoever reads the list (the server applies the same filters). */
export const canExportCertificates = (me: Who) => may(me, 'GET /api/certificates/export.xlsx');
/** The dossiers list as an Excel sheet: whoever reads the list (the server applies the same scope). */
export const canExportDossiers = (me: Who) => may(me, 'GET /api/dossiers/export.xlsx');
export const canRevokeCertificate = (me: Who) => may(me, 'POST /api/certificates/{id}/revoke');
export const canIssueCertificates = (me: Who) => may(me, 'POST /api/certificates');
/** Paper certificates (issued before the system) are recorded by province-wide and central officers. */
export const canRecordLegacyCertificate = (me: Who) => may(me, 'POST /api/certificates/legacy');

// --- Traceability (issue #5): places, lots and events, stamps, scan oversight. The server's policies decide.
/** Everyone signed in reads traceability (a producer its own places and lots; the server filters). */
export const canSeeTrace = (_me: Who) => true;
/** Officers register places in their scope; a producer user declares its own (the owner is then itself). */
export const canCreatePlace = (me: Who) => may(me, 'POST /api/growing-areas') && (me.role !== 'producer' || !!me.producerId);
export const canEditPlace = (me: Who, ownerProducerId: string | null) => may(me, 'PUT /api/growing-areas/{id}') && (me.role !== 'producer' || (!!ownerProducerId && ownOrStaff(me, ownerProducerId)));
/** Only officers change who owns a place. */
export const canChangePlaceOwner = isStaff;
/** Excel import of places writes many records: officers. */
export const canImportPlaces = (me: Who) => may(me, 'POST /api/growing-areas/import');
/** A producer records lots and events for its own products; officers within their scope; council and viewers read. */
export const canCreateLot = (me: Who) => may(me, 'POST /api/lots') && (me.role !== 'producer' || !!me.producerId);
export const canWriteLot = (me: Who, producerId: string) => may(me, 'PUT /api/lots/{id}') && ownOrStaff(me, producerId);
/** EPCIS documents from partner systems: whoever records events (each event is checked against its lots). */
export const canImportEpcis = (me: Who) => may(me, 'POST /api/epcis/import') && (me.role !== 'producer' || !!me.producerId);
/** Scan statistics, flagged stamps and consumer reports are the officers' oversight (council and viewers read). */
export const canSeeScans = (me: Who) => me.role !== 'producer';
export const canReviewScans = (me: Who) => may(me, 'POST /api/scan-reports/{id}/status');

// --- Programme (#11): plans, budget, events, craft villages. Per-record actions come from the server (allowedActions,
// canWrite, canEdit, canCreate, canManage); these only decide which menu entries and create buttons to show.
/** Plans and their budget are read by everyone but producers; province-wide officers create them. */
export const canSeePlans = (me: Who) => may(me, 'GET /api/programme/plans');
export const canCreatePlan = (me: Who) => may(me, 'POST /api/programme/plans');
/** Craft villages are reference data for officers and readers of the programme. */
export const canSeeCraftVillages = (me: Who) => me.role !== 'producer';

// --- Identifiers (#14): officers verify what producers declare (GS1 prefixes, place codes, place links); producers never.
// A producer's GS1 prefixes come with canDeclare / canDecide from the server (producers/Gs1Prefixes.tsx).
export const canVerifyDeclarations = (me: Who) => may(me, 'POST /api/growing-areas/{id}/verification');
/** A producer keeps its own trading partners; officers in the producer's scope keep them on its behalf (server decides). */
export const canWriteParties = (me: Who, producerId: string) => may(me, 'POST /api/parties') && ownOrStaff(me, producerId);
