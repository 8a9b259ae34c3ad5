import type { Role } from './actor.js';

/**
 * Who may call each API operation, written by reading each route's service and policy.ts (not by observing answers).
 * Keys are "METHOD /path" with the path as in the OpenAPI document. `roles` are the roles that may pass for SOME
 * object; `object` says that the rest of the decision depends on the record (its producer, its unit, the round's
 * council), so a listed role may still be refused for a particular record, and an unlisted role may meet 404 when
 * the record is looked up before the policy runs. Published in the OpenAPI document as `x-access` (app.ts), and
 * checked against the running app by src/server/modules/authz/authz.test.ts.
 */
export type ObjectRule =
  | 'own-producer' // producer users only for their own producer's records; officers by unit scope where noted
  | 'scope' // commune officers (and province officers assigned to a province) only inside their units
  | 'round-member' // council membership (and role in the council) of the round, or organiser authority over it
  | 'recipient'; // the record belongs to the caller (notifications)
export type Access = 'public' | 'signedIn' | { roles: Role[]; object?: ObjectRule; note?: string };

const A = 'admin', C = 'central_officer', P = 'province_officer', M = 'commune_officer', K = 'council_member', R = 'producer', V = 'viewer';
const ALL: Role[] = [A, C, P, M, K, R, V];
const only = (...roles: Role[]): Access => ({ roles });
const obj = (object: ObjectRule, roles: Role[], note?: string): Access => ({ roles, object, ...(note ? { note } : {}) });

const ADMIN = only(A);
const STAFF_WRITE: Role[] = [A, P, M]; // isProvinceWide + commune officers (scope)
const OWN_WRITE: Role[] = [A, P, M, R]; // … + producer users for their own producer
const COUNCIL: Role[] = [A, P, M, K]; // accounts that may sit on a council (councilCandidates)

const POLICY = {
  // auth & users (users/policy.ts)
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/auth/me': 'signedIn',
  'POST /api/auth/password': 'signedIn', // canChangeOwnPassword
  'POST /api/auth/totp/enrol': only(A, C, P, M, K), // canUseTotp: not producers, not viewers
  'POST /api/auth/totp/confirm': only(A, C, P, M, K),
  'GET /api/users': ADMIN, // canManageUsers
  'POST /api/users': ADMIN,
  'GET /api/users/{id}': ADMIN,
  'PUT /api/users/{id}': ADMIN,
  'POST /api/users/{id}/password': ADMIN,
  'POST /api/users/{id}/totp/reset': ADMIN,
  'GET /api/users/{id}/history': ADMIN,
  // geo (geo/policy.ts), taxonomy (requireActor only)
  'GET /api/geo/units': 'signedIn',
  'POST /api/geo/units': ADMIN, // canManageUnits
  'GET /api/geo/units/{id}': 'signedIn',
  'GET /api/geo/boundaries': 'signedIn', // reference data for maps (canReadUnits)
  'POST /api/geo/boundaries/import': only(A, P), // canImportBoundaries; an assigned province officer only for their province
  'GET /api/taxonomy': 'signedIn',
  // producers (producers/policy.ts)
  'GET /api/producers': 'signedIn', // list filtered by the service
  'POST /api/producers': obj('scope', STAFF_WRITE), // canCreateProducer(unit of the body)
  'GET /api/producers/{id}': obj('own-producer', ALL), // canReadProducer
  'PUT /api/producers/{id}': obj('own-producer', OWN_WRITE), // canEditProducer (+ identity fields: officers)
  'GET /api/producers/{id}/history': obj('own-producer', ALL),
  // products (products/policy.ts)
  'GET /api/products': 'signedIn',
  'POST /api/products': obj('own-producer', OWN_WRITE), // canWriteProduct(body)
  'GET /api/products/export.xlsx': only(A, C, P, M, K, V), // canExportProducts: not producers
  'GET /api/products/{id}': obj('own-producer', ALL), // canReadProduct
  'PUT /api/products/{id}': obj('own-producer', OWN_WRITE), // canWriteProduct before and after
  'GET /api/products/{id}/history': obj('own-producer', ALL),
  'POST /api/products/{id}/photos': obj('own-producer', OWN_WRITE),
  'DELETE /api/products/{id}/photos/{photoId}': obj('own-producer', OWN_WRITE),
  // GS1 resolver links of a product (product-links/service.ts: canReadProduct / canWriteProduct)
  'GET /api/products/{id}/links': obj('own-producer', ALL),
  'PUT /api/products/{id}/links': obj('own-producer', OWN_WRITE),
  'GET /api/photos/{id}/{size}': obj('own-producer', ALL), // canReadProduct of the photo's product
  // Excel import (products/policy.ts canImport)
  'GET /api/import/template.xlsx': only(...STAFF_WRITE),
  'POST /api/import/registry': only(...STAFF_WRITE),
  'POST /api/import/runs': only(...STAFF_WRITE), // canImport (registry) / canImportPlaces (places); the work runs in the background
  'GET /api/import/runs/{id}': obj('recipient', ALL, 'canReadImportRun: the run\'s importer, and administrators'),
  // criteria (criteria/policy.ts): read by everyone signed in, managed province-wide
  'GET /api/criteria/sets': 'signedIn',
  'POST /api/criteria/sets': only(A, P),
  'GET /api/criteria/sets/{id}': 'signedIn',
  'PUT /api/criteria/sets/{id}/sheet': only(A, P),
  'PUT /api/criteria/sets/{id}/sheet/transcription': only(A, P),
  'POST /api/criteria/sets/{id}/sheet/import': only(A, P),
  'POST /api/criteria/validate': 'signedIn',
  'POST /api/criteria/sets/{id}/publish': only(A, P),
  'GET /api/criteria/sheets/{id}': 'signedIn',
  'DELETE /api/criteria/sheets/{id}': only(A, P),
  'GET /api/criteria/template.xlsx': 'signedIn',
  'GET /api/procedures': 'signedIn',
  // evaluation (evaluation/policy.ts)
  'GET /api/rounds': 'signedIn', // filtered by canViewRound
  'POST /api/rounds': obj('scope', [A, C, P]), // canManageRounds, then hasLevelAuthority(level, unit)
  'GET /api/rounds/candidates': only(A, C, P),
  'GET /api/rounds/options': only(A, C, P),
  'GET /api/rounds/{id}': obj('round-member', [A, C, P, M, K]), // canViewRound
  'POST /api/rounds/{id}/products': obj('round-member', [A, C, P]), // canManageRound
  'GET /api/rounds/{id}/products': obj('round-member', [A, C, P, M, K]),
  'POST /api/rounds/{id}/open-scoring': obj('round-member', [A, C, P]),
  'POST /api/rounds/{id}/open-results': obj('round-member', COUNCIL, 'chair'),
  'POST /api/rounds/{id}/finalise': obj('round-member', COUNCIL, 'chair'),
  'POST /api/rounds/{id}/products/{productId}/conflict': obj('round-member', COUNCIL), // canDeclareConflict
  'POST /api/rounds/{id}/products/{productId}/late-conflict': obj('round-member', COUNCIL, 'chair'),
  'POST /api/rounds/{id}/substitutes': obj('round-member', [A, C, P, M, K], 'chair or organiser'),
  'GET /api/rounds/{id}/products/{productId}/my-sheet': obj('round-member', COUNCIL, 'scoring member'),
  'PUT /api/rounds/{id}/products/{productId}/my-sheet': obj('round-member', COUNCIL, 'scoring member'),
  'POST /api/rounds/{id}/products/{productId}/my-sheet/submit': obj('round-member', COUNCIL, 'scoring member'),
  'POST /api/rounds/{id}/score-sheets/{sheetId}/reopen': obj('round-member', COUNCIL, 'chair'),
  'GET /api/score-sheets/{id}': obj('round-member', [A, C, P, M, K], 'its member; others who view the round once results are open'),
  'GET /api/score-sheets/{id}/pdf': obj('round-member', [A, C, P, M, K], 'as GET /api/score-sheets/{id}'),
  'GET /api/rounds/{id}/minutes.pdf': obj('round-member', [A, C, P, M, K]),
  'GET /api/rounds/{id}/results.xlsx': obj('round-member', [A, C, P, M, K]),
  'GET /api/products/{id}/self-assessment': obj('own-producer', [A, C, P, M, R]), // canViewSelfAssessment
  'PUT /api/products/{id}/self-assessment': obj('own-producer', [R]), // canSelfAssess
  // registrations (registrations/policy.ts)
  'GET /api/registrations/units': 'public',
  'POST /api/registrations': 'public',
  'GET /api/registrations': only(...STAFF_WRITE), // canListRegistrations
  'POST /api/registrations/{id}/approve': obj('scope', STAFF_WRITE), // canDecideRegistration (+ canLinkRegistrationToProducer)
  'POST /api/registrations/{id}/reject': obj('scope', STAFF_WRITE),
  // evidence (evidence/policy.ts)
  'GET /api/producers/{id}/evidence': obj('own-producer', [A, P, M, K, R]), // canListEvidence
  'POST /api/producers/{id}/evidence': obj('own-producer', OWN_WRITE), // canWriteEvidence
  'GET /api/evidence/{id}': obj('own-producer', [A, P, M, K, R], 'council: evidence of a dossier in their round'),
  'PUT /api/evidence/{id}': obj('own-producer', OWN_WRITE),
  'DELETE /api/evidence/{id}': obj('own-producer', OWN_WRITE),
  'GET /api/evidence/{id}/file': obj('own-producer', [A, P, M, K, R]),
  // support evidence (#11, programme/policy.ts canReadSupportEvidence / canWriteSupport): producer's own, officers in scope
  'GET /api/support-activities/{id}/evidence': obj('own-producer', [A, P, M, R]),
  'POST /api/support-activities/{id}/evidence': obj('scope', STAFF_WRITE),
  'POST /api/support-activities/{id}/evidence/{evidenceId}': obj('scope', STAFF_WRITE),
  'DELETE /api/support-activities/{id}/evidence/{evidenceId}': obj('scope', STAFF_WRITE),
  'GET /api/support-activities/{id}/evidence/{evidenceId}/file': obj('own-producer', [A, P, M, R]),
  // craft villages (#11, craft-villages/policy.ts): reference data read by everyone, kept by the province
  'GET /api/craft-villages': 'signedIn',
  'GET /api/craft-villages/{id}': 'signedIn',
  'POST /api/craft-villages': only(A, P), // canManageCraftVillages
  'PUT /api/craft-villages/{id}': only(A, P),
  // dossiers (dossiers/policy.ts)
  'GET /api/dossiers': only(A, C, P, M, R), // findDossiersFor refuses council members and viewers
  'GET /api/dossiers/export.xlsx': only(A, C, P, M, R), // the same list as a workbook (findDossiersFor)
  'POST /api/dossiers': obj('own-producer', OWN_WRITE), // canCreateDossier
  'GET /api/dossiers/{id}': obj('own-producer', [A, C, P, M, R]), // canReadDossier (central: reached central)
  'GET /api/dossiers/{id}/receipt.pdf': obj('own-producer', [A, C, P, M, R]), // the same reading rule; refused before acceptance
  'PUT /api/dossiers/{id}': obj('own-producer', OWN_WRITE), // canEditDossier
  'POST /api/dossiers/{id}/evidence': obj('own-producer', OWN_WRITE),
  'DELETE /api/dossiers/{id}/evidence/{evidenceId}': obj('own-producer', OWN_WRITE),
  'POST /api/dossiers/{id}/submit': obj('own-producer', OWN_WRITE), // canSubmitDossier
  'POST /api/dossiers/{id}/return': obj('scope', STAFF_WRITE), // canIntakeDossier
  'PUT /api/dossiers/{id}/pre-assessment': obj('scope', STAFF_WRITE),
  'POST /api/dossiers/{id}/accept': obj('scope', STAFF_WRITE),
  'POST /api/dossiers/{id}/assign': obj('scope', [A, C, P]), // canAssignDossier
  'POST /api/dossiers/{id}/withdraw': obj('own-producer', [A, P, R]), // canWithdrawDossier
  // certificates (certificates/policy.ts)
  'GET /api/certificates': 'signedIn', // filtered: producer own, commune officer scope
  'GET /api/certificates/export.xlsx': 'signedIn', // the same list, as a workbook
  'POST /api/certificates': obj('scope', [A, C, P]), // canIssueCertificate (+ level authority)
  'POST /api/certificates/legacy': obj('scope', [A, C, P]), // canRecordLegacyCertificate
  'GET /api/certificates/{id}': obj('own-producer', ALL), // canReadCertificate
  'POST /api/certificates/{id}/revoke': only(A, P), // canRevokeCertificate (checked before the lookup)
  'GET /api/certificates/{id}/pdf': obj('own-producer', ALL),
  'GET /api/rounds/{id}/certificates': obj('round-member', [A, C, P, M, K]), // canViewRound && (staff | central | member)
  // notifications (notifications/policy.ts)
  'GET /api/notifications': 'signedIn',
  'GET /api/notifications/unread-count': 'signedIn',
  'POST /api/notifications/{id}/read': obj('recipient', ALL), // canReadNotification
  'POST /api/notifications/read-all': 'signedIn',
  // trace places (trace/policy.ts)
  'GET /api/growing-areas/import-template': only(...STAFF_WRITE), // canImportPlaces
  'POST /api/growing-areas/import': only(...STAFF_WRITE),
  'GET /api/packing-houses/import-template': only(...STAFF_WRITE),
  'POST /api/packing-houses/import': only(...STAFF_WRITE),
  'GET /api/growing-areas': 'signedIn',
  'POST /api/growing-areas': obj('own-producer', OWN_WRITE), // canWritePlace
  'GET /api/growing-areas/{id}': obj('own-producer', ALL), // canReadPlace
  'PUT /api/growing-areas/{id}': obj('own-producer', OWN_WRITE),
  'DELETE /api/growing-areas/{id}': obj('own-producer', OWN_WRITE),
  'GET /api/packing-houses': 'signedIn',
  'POST /api/packing-houses': obj('own-producer', OWN_WRITE),
  'GET /api/packing-houses/{id}': obj('own-producer', ALL),
  'PUT /api/packing-houses/{id}': obj('own-producer', OWN_WRITE),
  'DELETE /api/packing-houses/{id}': obj('own-producer', OWN_WRITE),
  // verification of places and links to others' places (#14.6, trace/service.ts canVerifyPlace: officers in scope)
  'POST /api/growing-areas/{id}/verification': obj('scope', STAFF_WRITE),
  'POST /api/packing-houses/{id}/verification': obj('scope', STAFF_WRITE),
  'GET /api/place-links': 'signedIn', // producers: their own links only (service filter)
  'POST /api/place-links': obj('own-producer', OWN_WRITE), // producers for themselves (declared, with contract); officers in the place's scope (verified)
  'POST /api/place-links/{id}/verification': obj('scope', STAFF_WRITE),
  // GS1 company prefixes (identifiers/policy.ts)
  'GET /api/producers/{id}/gs1-prefixes': obj('own-producer', ALL), // canReadPrefixes
  'POST /api/producers/{id}/gs1-prefixes': obj('own-producer', OWN_WRITE), // canDeclarePrefix
  'POST /api/gs1-prefixes/{id}/verification': obj('scope', STAFF_WRITE), // canVerifyPrefix: never producers
  // trading partners (parties/policy.ts)
  'GET /api/parties': 'signedIn', // producers: their own only (service filter)
  'GET /api/parties/{id}': obj('own-producer', ALL), // canReadParties
  'POST /api/parties': obj('own-producer', OWN_WRITE), // canWriteParties
  'PUT /api/parties/{id}': obj('own-producer', OWN_WRITE),
  'DELETE /api/parties/{id}': obj('own-producer', OWN_WRITE),
  // lots and EPCIS (lots/policy.ts)
  'GET /api/lots': 'signedIn', // readFilterOf: producer own, commune officer scope
  'POST /api/lots': obj('own-producer', OWN_WRITE), // mayWriteLots, then canWriteLot
  'GET /api/lots/{id}': obj('own-producer', [A, C, P, M, K, R, V]), // canReadLot
  'PUT /api/lots/{id}': obj('own-producer', OWN_WRITE),
  'DELETE /api/lots/{id}': obj('own-producer', OWN_WRITE),
  'GET /api/lots/{id}/events': obj('own-producer', [A, C, P, M, K, R, V]),
  'POST /api/trace-events': obj('own-producer', OWN_WRITE),
  'POST /api/trace-events/{id}/declare-wrong': obj('own-producer', OWN_WRITE), // canWriteLot on every lot of the event
  'GET /api/lots/{id}/epcis': obj('own-producer', [A, C, P, M, K, R, V]),
  'GET /api/epcis/events': 'signedIn', // readFilterOf
  'POST /api/epcis/import': obj('own-producer', OWN_WRITE), // canImportEpcis, then canWriteLot per event
  // stamps (stamps/policy.ts)
  'GET /api/lots/{lotId}/stamp-ranges': obj('own-producer', ALL), // canReadLotStamps
  'POST /api/lots/{lotId}/stamp-ranges': obj('own-producer', OWN_WRITE), // canWriteLotStamps
  'POST /api/stamp-ranges/{id}/status': obj('own-producer', OWN_WRITE),
  'POST /api/stamp-ranges/{id}/stamps/{serial}/status': obj('own-producer', OWN_WRITE),
  'GET /api/stamp-ranges/{id}/labels.pdf': obj('own-producer', ALL),
  'GET /api/stamp-ranges/{id}/labels/{serial}.svg': obj('own-producer', ALL),
  'GET /api/stamp-flags': 'signedIn', // oversightScope
  'POST /api/stamp-flags/{id}/dismiss': obj('scope', STAFF_WRITE), // canHandleOversight
  'GET /api/scan-reports': 'signedIn',
  'POST /api/scan-reports/{id}/status': obj('scope', STAFF_WRITE),
  'GET /api/scan-stats': 'signedIn',

  // programme (#11): plans, targets, indicators, homes, support activities
  'GET /api/home': 'signedIn', // every role has a home (the service decides what it shows)
  'GET /api/programme/indicators': 'signedIn', // the definitions themselves (rules, units): no data
  'GET /api/programme/plans': { roles: [A, C, P, M, K, V] },
  'GET /api/programme/plans/{id}': { roles: [A, C, P, M, K, V] },
  'POST /api/programme/plans': { roles: [A, P] }, // canWritePlan
  'PUT /api/programme/plans/{id}': { roles: [A, P] },
  'POST /api/programme/plans/{id}/copy': { roles: [A, P] },
  'GET /api/programme/plans/{id}/panel': { roles: [A, C, P, M, K, V] },
  'GET /api/programme/plans/{id}/indicators/{code}': { roles: [A, C, P, M, K, V] },
  'GET /api/programme/plans/{id}/map': { roles: [A, C, P, M, K, V] }, // canReadProgramme (commune officers: their communes)
  'GET /api/support-activities': 'signedIn', // producers: their own only (service filter)
  'GET /api/support-activities/{id}': obj('own-producer', ALL), // canReadSupport
  'POST /api/support-activities': obj('scope', STAFF_WRITE), // canWriteSupport
  'PUT /api/support-activities/{id}': obj('scope', STAFF_WRITE),
  'GET /api/programme/plans/{id}/budget': { roles: [A, C, P, M, K, V] }, // canReadBudget (not producers)
  'POST /api/programme/plans/{id}/budget-entries': { roles: [A, P] }, // canWriteBudget
  'GET /api/programme-events': 'signedIn', // producers: events they took part in (service filter)
  'GET /api/programme-events/{id}': obj('own-producer', ALL), // canReadEvent
  'POST /api/programme-events': obj('scope', STAFF_WRITE), // canWriteEvent
  'PUT /api/programme-events/{id}': obj('scope', STAFF_WRITE),
  // the annual report (#11 item 8): as reading the programme (canReadProgramme); commune officers get their communes
  'GET /api/programme/plans/{id}/report': obj('scope', [A, C, P, M, K, V], 'communeUnitId: commune officers only their communes'),
  'GET /api/programme/plans/{id}/report/{format}': obj('scope', [A, C, P, M, K, V], 'communeUnitId: commune officers only their communes'),
  // Nothing is written: the body carries the officer's text for the assessment.
  'POST /api/programme/plans/{id}/report/{format}': obj('scope', [A, C, P, M, K, V], 'communeUnitId: commune officers only their communes'),
} satisfies Record<string, Access>;

/** An API operation ("METHOD /path"): the web app names what it asks about with this type. */
export type Operation = keyof typeof POLICY;
export const ACCESS_POLICY: Record<string, Access> = POLICY;
export const OPERATIONS = Object.keys(POLICY) as Operation[];

/**
 * The operations a role may call (for some object when object-level; public ones left out): sent with the session
 * (GET /api/auth/me) so the web app offers menus and buttons from this table, not from rules of its own.
 */
const operationsByRole = new Map<Role, Operation[]>();
export function operationsOf(role: Role): Operation[] {
  let ops = operationsByRole.get(role);
  if (!ops) {
    ops = OPERATIONS.filter((op) => {
      const access: Access = POLICY[op];
      return access !== 'public' && roleAllowed(access, role);
    });
    operationsByRole.set(role, ops);
  }
  return ops;
}

/** Fastify's "/api/products/:id" → OpenAPI's "/api/products/{id}". */
export const openapiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

export function accessOf(method: string, url: string): Access | undefined {
  return ACCESS_POLICY[`${method.toUpperCase()} ${openapiPath(url)}`];
}

/** Whether a role may call the operation (for some object, when object-level). */
export function roleAllowed(access: Access, role: Role | null): boolean {
  if (access === 'public') return true;
  if (role === null) return false;
  if (access === 'signedIn') return true;
  return access.roles.includes(role);
}
