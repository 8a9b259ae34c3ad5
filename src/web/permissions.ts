import type { Me } from './auth';

/**
 * What the UI offers to whom. The server decides (these only hide buttons a role could never use):
 * viewers and council members read; officers write; a producer user edits its own records.
 */
type Who = Pick<Me, 'role' | 'producerId'>;

export const isStaff = (me: Who) => me.role === 'admin' || me.role === 'province_officer' || me.role === 'commune_officer';
export const isAdmin = (me: Who) => me.role === 'admin';

export const canCreateProducer = isStaff;
export const canEditProducer = (me: Who, producerId: string) => isStaff(me) || (me.role === 'producer' && me.producerId === producerId);
export const canEditProducerIdentity = isStaff;

export const canCreateProduct = (me: Who) => isStaff(me) || (me.role === 'producer' && !!me.producerId);
export const canEditProduct = (me: Who, producerId: string) => isStaff(me) || (me.role === 'producer' && me.producerId === producerId);
/**
 * Stars, decision and certificate fields are owned by the certificates module (issued from a round, or a paper
 * certificate recorded by a provincial officer): the product form shows them read-only to everyone.
 */
export const canEditRecognition = (_me: Who) => false;
export const canSeeRecognitionForm = isStaff;

/** Import writes many records: officers (rows are checked one by one against their scope on the server). */
export const canImport = isStaff;
/** Excel export of lists: everyone who reads the whole registry. */
export const canExport = (me: Who) => me.role !== 'producer';
export const canManageUsers = isAdmin;
export const canReadProducersList = (me: Who) => me.role !== 'producer';

/** Provincial officers (and administrators) transcribe and publish criteria sets and organise evaluation rounds. */
export const isProvinceWide = (me: Who) => me.role === 'admin' || me.role === 'province_officer';
export const canManageCriteria = isProvinceWide;
/** Rounds below the central level are the province's; central rounds the ministry's (the server checks the level). */
export const canManageRounds = (me: Who) => isProvinceWide(me) || me.role === 'central_officer';
/** Rounds are visible to officers and to council members (the server lists only the rounds they sit on). */
export const canSeeRounds = (me: Who) => me.role !== 'producer' && me.role !== 'viewer';
/** A producer user self-assesses its own products; officers may look. */
export const canSelfAssess = (me: Who, producerId: string) => me.role === 'producer' && me.producerId === producerId;
export const canViewSelfAssessment = (me: Who, producerId: string) => canSelfAssess(me, producerId) || isStaff(me);

// --- Dossiers, evidence, certificates (issue #4). The server's policies decide; these only choose what to show.
/** Commune officers verify producers' account requests (province-wide officers may too). */
export const canReviewRegistrations = isStaff;
/** A producer works on its own dossiers; officers receive, return, accept and assign them. */
export const canSeeDossiers = (me: Who) => isStaff(me) || me.role === 'central_officer' || (me.role === 'producer' && !!me.producerId);
export const canCreateDossier = (me: Who) => isStaff(me) || (me.role === 'producer' && !!me.producerId);
/** Everyone reads certificates (commune officers those of their communes, producers their own). */
export const canSeeCertificates = (_me: Who) => true;
/** Issuing, recording paper certificates and revoking are decisions of the provincial OCOP office. */
export const canRevokeCertificate = isProvinceWide;
export const canIssueCertificates = (me: Who) => isProvinceWide(me) || me.role === 'central_officer';
/** Paper certificates (issued before the system) are recorded by province-wide and central officers. */
export const canRecordLegacyCertificate = (me: Who) => isProvinceWide(me) || me.role === 'central_officer';

// --- Traceability (issue #5): places, lots and events, stamps, scan oversight. The server's policies decide.
const ownProducer = (me: Who) => me.role === 'producer' && !!me.producerId;
/** Everyone signed in reads traceability (a producer its own places and lots; the server filters). */
export const canSeeTrace = (_me: Who) => true;
/** Officers register places in their scope; a producer user declares its own (the owner is then itself). */
export const canCreatePlace = (me: Who) => isStaff(me) || ownProducer(me);
export const canEditPlace = (me: Who, ownerProducerId: string | null) => isStaff(me) || (ownProducer(me) && me.producerId === ownerProducerId);
/** Only officers change who owns a place. */
export const canChangePlaceOwner = isStaff;
/** Excel import of places writes many records: officers. */
export const canImportPlaces = isStaff;
/** A producer records lots and events for its own products; officers within their scope; council and viewers read. */
export const canCreateLot = (me: Who) => isStaff(me) || ownProducer(me);
export const canWriteLot = (me: Who, producerId: string) => isStaff(me) || (ownProducer(me) && me.producerId === producerId);
/** EPCIS documents from partner systems: whoever records events (each event is checked against its lots). */
export const canImportEpcis = (me: Who) => isStaff(me) || ownProducer(me);
/** Scan statistics, flagged stamps and consumer reports are the officers' oversight (council and viewers read). */
export const canSeeScans = (me: Who) => me.role !== 'producer';
export const canReviewScans = isStaff;

// --- Programme (#11): plans, budget, events, craft villages. Per-record actions come from the server (allowedActions,
// canWrite, canEdit, canCreate, canManage); these only decide which menu entries and create buttons to show.
/** Plans and their budget are read by everyone but producers; province-wide officers create them. */
export const canSeePlans = (me: Who) => me.role !== 'producer';
export const canCreatePlan = isProvinceWide;
/** Craft villages are reference data for officers and readers of the programme. */
export const canSeeCraftVillages = (me: Who) => me.role !== 'producer';

// --- Identifiers (#14): officers verify what producers declare (GS1 prefixes, place codes, place links); producers never.
export const canVerifyDeclarations = isStaff;
/** A producer declares its own GS1 company prefixes; officers on its behalf. */
export const canDeclarePrefix = (me: Who, producerId: string) => isStaff(me) || (me.role === 'producer' && me.producerId === producerId);
