/**
 * GS1 EPCIS 2.0 / CBV 2.0 mapping of the platform's trace events (issue #5), both ways. Pure: no I/O, no clock
 * except where a caller passes one. The server builds events from forms with `toEpcisEvent`, stores them as JSON-LD
 * and reads stored or imported events back with `fromEpcisEvent`.
 *
 * Choices (checked against the vendored EPCIS-JSON-Schema.json and the EPCIS 2.0 JSON-LD context):
 * - bizStep and disposition are written as bare CBV 2.0 terms ("commissioning", "in_transit"): the EPCIS context
 *   maps them (`@type: @vocab`) and the schema enumerates them. Reading also accepts the full web-vocabulary form
 *   `https://ref.gs1.org/cbv/BizStep-…` / `…/Disp-…` and the EPCIS 1.x URNs `urn:epcglobal:cbv:bizstep:…`.
 * - Lots are class-level identifiers in quantity lists: a GS1 Digital Link `<base>/01/<GTIN-14>/10/<lot>` when the
 *   lot has a GTIN, otherwise `<base>/lot/<lot uuid>` on the platform's own domain.
 * - Places: growing areas `<base>/vung-trong/<code>`, packing houses `<base>/co-so-dong-goi/<code>`, anything else a
 *   `urn:ocop-hub:place:<percent-encoded text>`.
 * - Harvest ILMD uses CBV master-data attributes (prefix `cbvmda:` = `urn:epcglobal:cbv:mda:`): harvestStartDate,
 *   harvestEndDate, bestBeforeDate, countryOfOrigin; the growing-area codes have no CBV term and use the platform's
 *   `ocop:` namespace, declared with cbvmda in every document's @context (the EPCIS context declares neither).
 * - TransformationEvent (processing) carries bizStep "commissioning": CBV 2.0 has no "transforming" step and the
 *   output lot is a class-level identifier used for the first time.
 */

import { buildDigitalLink, canonicalGs1Uri, parseDigitalLink } from './gs1.js';

export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
/** The platform's extension namespace (no CBV term for these fields). */
export const OCOP_NS = 'urn:ocop-hub:epcis:';
export const CBVMDA_NS = 'urn:epcglobal:cbv:mda:';
/** @context of every document (and of every stored event): the EPCIS 2.0 context plus our two prefixes. */
export const EPCIS_DOC_CONTEXT: [string, Record<string, string>] = [EPCIS_CONTEXT_URL, { ocop: OCOP_NS, cbvmda: CBVMDA_NS }];

const PLACE_URN = 'urn:ocop-hub:place:';
const PARENT_URN = 'urn:ocop-hub:parent:';
const BT_URN = 'urn:ocop-hub:bt:';

export const TRACE_KINDS = ['harvest', 'processing', 'packing', 'shipping', 'receiving', 'inspection', 'other'] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];
export type LotRole = 'subject' | 'input' | 'output' | 'child';
export type EventType = 'ObjectEvent' | 'AggregationEvent' | 'TransactionEvent' | 'TransformationEvent' | 'AssociationEvent';
export const EVENT_TYPES: readonly EventType[] = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'];
export type TransactionType = 'po' | 'inv' | 'desadv' | 'bol';
export const TRANSACTION_TYPES: readonly TransactionType[] = ['po', 'inv', 'desadv', 'bol'];

/** A JSON object as EPCIS JSON-LD. */
export type Json = Record<string, unknown>;

// ─── Time ───────────────────────────────────────────────────────────────────────────────────────────────────────

const OFFSET_RE = /(Z|[+-]\d{2}:\d{2})$/i;

/** The offset an ISO date-time is written with ('Z' → '+00:00'); null when it has none. */
export function offsetOf(isoDateTime: string): string | null {
  const m = OFFSET_RE.exec(isoDateTime.trim());
  if (!m) return null;
  return m[1].toUpperCase() === 'Z' ? '+00:00' : m[1];
}

/** Minutes east of UTC of an offset '+07:00' / '-03:30'. */
export function offsetMinutes(offset: string): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!m) throw new RangeError(`bad offset ${offset}`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An instant written in the given offset, e.g. 2025-06-10T00:30:00.000Z in '+07:00' → '2025-06-10T07:30:00+07:00'. */
export function formatInOffset(instant: Date, offset: string): string {
  const local = new Date(instant.getTime() + offsetMinutes(offset) * 60_000);
  const ms = local.getUTCMilliseconds();
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}${offset}`
  );
}

/** The calendar date of an ISO date-time in its own offset ('2025-06-10T23:30:00-05:00' → '2025-06-10'). */
export const localDateOf = (isoDateTime: string) => isoDateTime.trim().slice(0, 10);

// ─── Identifiers ────────────────────────────────────────────────────────────────────────────────────────────────

const stripSlash = (base: string) => base.replace(/\/+$/, '');
/** Same rule as encodeAiValue in gs1.ts: everything but A–Z a–z 0–9 - . _ percent-encoded. */
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
function dec(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

export type LotIdentity = { id: string; gtin: string | null; lotNumber: string };

/** GS1 Digital Link class URI (GTIN + lot, built by gs1.ts) or the platform's own lot URI. */
export function lotUri(base: string, lot: LotIdentity): string {
  if (!lot.gtin) return `${stripSlash(base)}/lot/${lot.id}`;
  const r = buildDigitalLink({ base, gtin: lot.gtin, lot: lot.lotNumber });
  if (!r.ok) throw new RangeError(`lot ${lot.id} cannot be written as a Digital Link: ${r.message}`);
  return r.value;
}

export type ParsedLotUri = { kind: 'gtin'; gtin: string; lotNumber: string } | { kind: 'id'; id: string };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads a lot reference: a Digital Link with GTIN and lot on any domain (an instance URI with /21/ names its lot
 * too), the same as an EPC class URN (`urn:epc:class:lgtin:<company prefix>.<item ref>.<lot>`, read through its
 * canonical Digital Link, so both forms give one key), or `<base>/lot/<uuid>` on this platform's domain. Anything
 * else → null (not one of our lots; an SGTIN names an item, not its lot).
 */
export function parseLotUri(uri: string, base: string): ParsedLotUri | null {
  if (/^urn:epc:/i.test(uri)) {
    const dl = canonicalGs1Uri(uri);
    return dl ? parseLotUri(dl, base) : null;
  }
  const own = `${stripSlash(base)}/lot/`;
  if (uri.toLowerCase().startsWith(own.toLowerCase())) {
    const id = uri.slice(own.length).replace(/\/$/, '');
    return UUID_RE.test(id) ? { kind: 'id', id: id.toLowerCase() } : null;
  }
  const dl = parseDigitalLink(uri);
  if (!dl.ok || dl.value.lot === null) return null;
  return { kind: 'gtin', gtin: dl.value.gtin, lotNumber: dl.value.lot };
}

export type Place =
  | { kind: 'growing_area'; code: string }
  | { kind: 'packing_house'; code: string }
  | { kind: 'text'; text: string }
  | { kind: 'uri'; uri: string };

export function placeUri(base: string, p: Place): string {
  const b = stripSlash(base);
  switch (p.kind) {
    case 'growing_area':
      return `${b}/vung-trong/${enc(p.code)}`;
    case 'packing_house':
      return `${b}/co-so-dong-goi/${enc(p.code)}`;
    case 'text':
      return `${PLACE_URN}${enc(p.text)}`;
    case 'uri':
      return p.uri;
  }
}

export function parsePlaceUri(uri: string, base: string): Place {
  const b = stripSlash(base);
  for (const [prefix, kind] of [[`${b}/vung-trong/`, 'growing_area'], [`${b}/co-so-dong-goi/`, 'packing_house']] as const) {
    if (uri.startsWith(prefix)) {
      const code = dec(uri.slice(prefix.length));
      if (code && !code.includes('/')) return { kind, code };
    }
  }
  if (uri.startsWith(PLACE_URN)) {
    const text = dec(uri.slice(PLACE_URN.length));
    if (text) return { kind: 'text', text };
  }
  return { kind: 'uri', uri };
}

/** A place as people read it (Vietnamese). */
export function placeLabel(p: Place): string {
  switch (p.kind) {
    case 'growing_area':
      return `Vùng trồng ${p.code}`;
    case 'packing_house':
      return `Cơ sở đóng gói ${p.code}`;
    case 'text':
      return p.text;
    case 'uri':
      return p.uri;
  }
}

/** SSCC (18 digits, GS1 mod-10 check digit). */
export function isSscc(s: string): boolean {
  if (!/^\d{18}$/.test(s)) return false;
  let sum = 0;
  for (let i = 16, w = 3; i >= 0; i--, w = 4 - w) sum += (s.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10 === s.charCodeAt(17) - 48;
}

/** Carton/pallet id: an SSCC becomes its Digital Link `<base>/00/<sscc>`, free text a urn. */
export function parentUri(base: string, parentId: string): string {
  return isSscc(parentId) ? `${stripSlash(base)}/00/${parentId}` : `${PARENT_URN}${enc(parentId)}`;
}

export function parseParentUri(uri: string): string {
  const sscc = /\/00\/(\d{18})\/?$/.exec(uri);
  if (sscc && /^https?:\/\//i.test(uri)) return sscc[1];
  if (uri.startsWith('urn:epc:id:sscc:')) {
    const [prefix, ref] = uri.slice('urn:epc:id:sscc:'.length).split('.');
    if (prefix && ref && /^\d+$/.test(prefix + ref) && prefix.length + ref.length === 17) {
      // urn form: company prefix, then extension digit + serial reference; the check digit is recomputed.
      const body = ref[0] + prefix + ref.slice(1);
      let sum = 0;
      for (let i = 16, w = 3; i >= 0; i--, w = 4 - w) sum += (body.charCodeAt(i) - 48) * w;
      return body + ((10 - (sum % 10)) % 10);
    }
  }
  if (uri.startsWith(PARENT_URN)) return dec(uri.slice(PARENT_URN.length)) ?? uri;
  return uri;
}

function transactionUri(t: { type: TransactionType; id: string }) {
  return `${BT_URN}${enc(t.id)}`;
}

// ─── CBV vocabulary ─────────────────────────────────────────────────────────────────────────────────────────────

/** A CBV term as written in the bare form ('commissioning'); unknown URIs are kept whole. */
export function normaliseCbv(value: string | undefined | null, kind: 'BizStep' | 'Disp' | 'BTT' | 'SDT'): string | null {
  if (value === undefined || value === null || value === '') return null;
  const web = new RegExp(`^https?://(?:ref|ns)\\.gs1\\.org/cbv/${kind}-([A-Za-z_]+)$`).exec(value);
  if (web) return web[1];
  const urnKind = { BizStep: 'bizstep', Disp: 'disp', BTT: 'btt', SDT: 'sdt' }[kind];
  const urn = new RegExp(`^urn:epcglobal:cbv:${urnKind}:([A-Za-z_]+)$`).exec(value);
  if (urn) return urn[1];
  return value;
}

// ─── Platform events ────────────────────────────────────────────────────────────────────────────────────────────

export type LotLine = { lot: LotIdentity; role: LotRole; quantity: number | null; uom: string | null };

export type HarvestIlmd = {
  /** YYYY-MM-DD */
  bestBefore: string | null;
  /** The lot's production (harvest) date, YYYY-MM-DD. */
  productionDate?: string | null;
  countryOfOrigin: string | null;
  growingAreaCodes: string[];
};

/** What the forms and the API describe; everything `toEpcisEvent` needs. */
export interface PlatformEvent {
  eventId: string;
  kind: Exclude<TraceKind, 'other'>;
  /** ISO 8601 with offset, e.g. '2025-06-10T07:30:00+07:00'. */
  eventTime: string;
  lots: LotLine[];
  place: Place | null;
  ilmd?: HarvestIlmd | null;
  parentId?: string | null;
  transaction?: { type: TransactionType; id: string } | null;
  source?: string | null;
  destination?: string | null;
  result?: 'conformant' | 'non_conformant' | null;
  inspector?: string | null;
  note?: string | null;
  /** Where the goods are after the event (CBV bizLocation); readPoint is `place`. */
  bizLocation?: Place | null;
  /** Parties and places the goods come from / go to (CBV source/destination types), as URIs (GLN Digital Link or ours). */
  sources?: SourceDest[];
  destinations?: SourceDest[];
  /** Certificates in force on the event date (URIs of their public pages / registrations). */
  certificationInfo?: string[];
  /** ILMD of a lot that starts here (transformation output): dates as YYYY-MM-DD. */
  outputIlmd?: LotIlmd | null;
}

export type SourceDestType = 'owning_party' | 'possessing_party' | 'location';
export type SourceDest = { type: SourceDestType; uri: string };
export type LotIlmd = { bestBeforeDate: string | null; productionDate: string | null; itemExpirationDate: string | null };

function quantityElement(base: string, l: LotLine): Json {
  const q: Json = { epcClass: lotUri(base, l.lot) };
  if (l.quantity !== null) {
    q.quantity = l.quantity;
    if (l.uom) q.uom = l.uom;
  }
  return q;
}

const KIND_SHAPE = {
  harvest: { type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', disposition: 'active' },
  processing: { type: 'TransformationEvent', action: null, bizStep: 'commissioning', disposition: 'active' },
  packing: { type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', disposition: 'in_progress' },
  shipping: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit' },
  receiving: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress' },
  inspection: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', disposition: null },
} as const;

/** The EPCIS 2.0 JSON-LD event of a platform event (with its own @context, so a stored event stands alone). */
export function toEpcisEvent(e: PlatformEvent, base: string): Json {
  const shape = KIND_SHAPE[e.kind];
  const tz = offsetOf(e.eventTime);
  if (!tz) throw new RangeError('eventTime needs an offset');
  const ev: Json = { '@context': EPCIS_DOC_CONTEXT, type: shape.type, eventID: e.eventId, eventTime: e.eventTime, eventTimeZoneOffset: tz };
  const of = (role: LotRole) => e.lots.filter((l) => l.role === role).map((l) => quantityElement(base, l));

  if (shape.type === 'TransformationEvent') {
    ev.inputQuantityList = of('input');
    ev.outputQuantityList = of('output');
  } else if (shape.type === 'AggregationEvent') {
    ev.parentID = parentUri(base, e.parentId ?? '');
    ev.childQuantityList = of('child');
    ev.action = shape.action;
  } else {
    ev.quantityList = of('subject');
    ev.action = shape.action;
  }
  ev.bizStep = shape.bizStep;
  const disposition = e.kind === 'inspection' ? (e.result ?? 'conformant') : shape.disposition;
  if (disposition) ev.disposition = disposition;
  if (e.place) ev.readPoint = { id: placeUri(base, e.place) };
  if (e.bizLocation) ev.bizLocation = { id: placeUri(base, e.bizLocation) };
  if (e.transaction) ev.bizTransactionList = [{ type: e.transaction.type, bizTransaction: transactionUri(e.transaction) }];
  const sources: Json[] = (e.sources ?? []).map((x) => ({ type: x.type, source: x.uri }));
  const destinations: Json[] = (e.destinations ?? []).map((x) => ({ type: x.type, destination: x.uri }));
  // What the user wrote (a partner's address) is the location; the registered place stays in readPoint/bizLocation.
  if (e.source) sources.splice(0, sources.length, ...sources.filter((x) => x.type !== 'location'), { type: 'location', source: placeUri(base, { kind: 'text', text: e.source }) });
  if (e.destination) destinations.splice(0, destinations.length, ...destinations.filter((x) => x.type !== 'location'), { type: 'location', destination: placeUri(base, { kind: 'text', text: e.destination }) });
  if (sources.length) ev.sourceList = sources;
  if (destinations.length) ev.destinationList = destinations;
  if (e.certificationInfo?.length) ev.certificationInfo = e.certificationInfo.length === 1 ? e.certificationInfo[0] : e.certificationInfo;
  if (e.kind === 'processing' && e.outputIlmd) {
    const ilmd: Json = {};
    if (e.outputIlmd.productionDate) ilmd['cbvmda:productionDate'] = e.outputIlmd.productionDate;
    if (e.outputIlmd.bestBeforeDate) ilmd['cbvmda:bestBeforeDate'] = e.outputIlmd.bestBeforeDate;
    if (e.outputIlmd.itemExpirationDate) ilmd['cbvmda:itemExpirationDate'] = e.outputIlmd.itemExpirationDate;
    if (Object.keys(ilmd).length) ev.ilmd = ilmd;
  }
  if (e.kind === 'harvest' && e.ilmd) {
    const date = localDateOf(e.eventTime);
    const ilmd: Json = { 'cbvmda:harvestStartDate': date, 'cbvmda:harvestEndDate': date };
    if (e.ilmd.productionDate) ilmd['cbvmda:productionDate'] = e.ilmd.productionDate;
    if (e.ilmd.bestBefore) ilmd['cbvmda:bestBeforeDate'] = e.ilmd.bestBefore;
    if (e.ilmd.countryOfOrigin) ilmd['cbvmda:countryOfOrigin'] = e.ilmd.countryOfOrigin;
    if (e.ilmd.growingAreaCodes.length) ilmd['ocop:growingAreaCodes'] = e.ilmd.growingAreaCodes;
    ev.ilmd = ilmd;
  }
  if (e.inspector) ev['ocop:inspector'] = e.inspector;
  if (e.note) ev['ocop:note'] = e.note;
  return ev;
}

// ─── Reading events ─────────────────────────────────────────────────────────────────────────────────────────────

export type LotReference = { uri: string; ref: ParsedLotUri | null; role: LotRole; quantity: number | null; uom: string | null };

export type EventDetails = {
  place?: string;
  transaction?: { type: string; id: string };
  source?: string;
  destination?: string;
  result?: 'conformant' | 'non_conformant';
  inspector?: string;
  note?: string;
  parentId?: string;
  growingAreaCodes?: string[];
  harvestDate?: string;
  bestBefore?: string;
  countryOfOrigin?: string;
  productionDate?: string;
  itemExpirationDate?: string;
  /** readPoint and bizLocation as people read them (a place code, a GLN, or the URI). */
  readPointLabel?: string;
  bizLocationLabel?: string;
  /** Sources and destinations with their CBV type (owning_party, possessing_party, location). */
  parties?: { direction: 'source' | 'destination'; type: string; label: string; uri: string }[];
  /** certificationInfo URIs, and for those on this platform the OCOP certificate number or the standard. */
  certifications?: { uri: string; kind: 'ocop' | 'standard' | 'other'; label: string }[];
  /** Sensor readings (sensorElementList), one entry per report. */
  sensors?: SensorReading[];
};

export type SensorReading = {
  type: string;
  time: string | null;
  value: number | null;
  minValue: number | null;
  maxValue: number | null;
  meanValue: number | null;
  stringValue: string | null;
  booleanValue: boolean | null;
  uom: string | null;
  exception: string | null;
  deviceId: string | null;
};

/** What the platform keeps of an EPCIS event: its query columns, the lots it names (resolved by the caller), details. */
export interface ReadEvent {
  eventId: string | null;
  type: string;
  action: 'ADD' | 'OBSERVE' | 'DELETE' | null;
  kind: TraceKind;
  eventTime: string;
  eventTz: string;
  bizStep: string | null;
  disposition: string | null;
  readPoint: string | null;
  bizLocation: string | null;
  lots: LotReference[];
  details: EventDetails;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Reads an extension property by its `ocop:` compact name or its full IRI. */
function ext(ev: Json, name: string): unknown {
  return ev[`ocop:${name}`] ?? ev[`${OCOP_NS}${name}`];
}
function mda(obj: Json, name: string): unknown {
  return obj[`cbvmda:${name}`] ?? obj[`${CBVMDA_NS}${name}`];
}

function refsOf(base: string, list: unknown, role: LotRole, quantityList: boolean): LotReference[] {
  return arr(list).flatMap((item): LotReference[] => {
    if (quantityList) {
      const q = item as Json;
      const uri = str(q?.epcClass);
      if (!uri) return [];
      return [{ uri, ref: parseLotUri(uri, base), role, quantity: typeof q.quantity === 'number' ? q.quantity : null, uom: str(q.uom) }];
    }
    const uri = str(item);
    return uri ? [{ uri, ref: parseLotUri(uri, base), role, quantity: null, uom: null }] : [];
  });
}

function kindOf(type: string, action: string | null, bizStep: string | null): TraceKind {
  if (type === 'TransformationEvent') return 'processing';
  if (type === 'AggregationEvent') return action === 'ADD' && bizStep === 'packing' ? 'packing' : 'other';
  if (type === 'TransactionEvent') return bizStep === 'shipping' ? 'shipping' : bizStep === 'receiving' ? 'receiving' : 'other';
  if (type !== 'ObjectEvent') return 'other';
  if (action === 'ADD' && bizStep === 'commissioning') return 'harvest';
  if (bizStep === 'shipping') return 'shipping';
  if (bizStep === 'receiving') return 'receiving';
  if (bizStep === 'inspecting') return 'inspection';
  return 'other';
}

/**
 * The platform's reading of an EPCIS event (as exported by us or received from a partner; assumed schema-valid).
 * Lot URIs are parsed but not resolved: `ref` is null for identifiers that are not lots in a form we know.
 */
export function fromEpcisEvent(ev: Json, base: string): ReadEvent {
  const type = String(ev.type);
  const action = (str(ev.action) as ReadEvent['action']) ?? null;
  const bizStep = normaliseCbv(str(ev.bizStep), 'BizStep');
  const disposition = normaliseCbv(str(ev.disposition), 'Disp');
  const eventTime = String(ev.eventTime);
  const eventTz = str(ev.eventTimeZoneOffset) ?? offsetOf(eventTime) ?? '+00:00';
  const readPoint = str((ev.readPoint as Json | undefined)?.id);
  const bizLocation = str((ev.bizLocation as Json | undefined)?.id);

  const lots = [
    ...refsOf(base, ev.epcList, 'subject', false),
    ...refsOf(base, ev.quantityList, 'subject', true),
    ...refsOf(base, ev.inputEPCList, 'input', false),
    ...refsOf(base, ev.inputQuantityList, 'input', true),
    ...refsOf(base, ev.outputEPCList, 'output', false),
    ...refsOf(base, ev.outputQuantityList, 'output', true),
    ...refsOf(base, ev.childEPCs, 'child', false),
    ...refsOf(base, ev.childQuantityList, 'child', true),
  ];

  const details: EventDetails = {};
  const where = readPoint ?? bizLocation;
  if (where) details.place = placeLabel(parsePlaceUri(where, base));
  if (readPoint) details.readPointLabel = placeOrGlnLabel(readPoint, base);
  if (bizLocation) details.bizLocationLabel = placeOrGlnLabel(bizLocation, base);
  const parties = [
    ...arr(ev.sourceList).map((x) => ({ direction: 'source' as const, x: x as Json, uri: str((x as Json)?.source) })),
    ...arr(ev.destinationList).map((x) => ({ direction: 'destination' as const, x: x as Json, uri: str((x as Json)?.destination) })),
  ].filter((p) => p.uri).map((p) => ({ direction: p.direction, type: normaliseCbv(str(p.x.type), 'SDT') ?? 'other', uri: p.uri!, label: placeOrGlnLabel(p.uri!, base) }));
  if (parties.length) details.parties = parties;
  const certs = (Array.isArray(ev.certificationInfo) ? ev.certificationInfo : [ev.certificationInfo]).map(str).filter((c): c is string => !!c);
  if (certs.length) details.certifications = certs.map((uri) => certificationOf(uri, base));
  const sensors = sensorReadings(ev.sensorElementList);
  if (sensors.length) details.sensors = sensors;
  const bt = arr(ev.bizTransactionList)[0] as Json | undefined;
  if (bt && str(bt.bizTransaction)) {
    const uri = String(bt.bizTransaction);
    const id = uri.startsWith(BT_URN) ? (dec(uri.slice(BT_URN.length)) ?? uri) : uri;
    details.transaction = { type: normaliseCbv(str(bt.type), 'BTT') ?? 'other', id };
  }
  const src = arr(ev.sourceList)[0] as Json | undefined;
  const srcLoc = (arr(ev.sourceList) as Json[]).find((x) => normaliseCbv(str(x?.type), 'SDT') === 'location') ?? src;
  if (srcLoc && str(srcLoc.source)) details.source = placeOrGlnLabel(String(srcLoc.source), base);
  const dst = (arr(ev.destinationList) as Json[]).find((x) => normaliseCbv(str(x?.type), 'SDT') === 'location') ?? (arr(ev.destinationList)[0] as Json | undefined);
  if (dst && str(dst.destination)) details.destination = placeOrGlnLabel(String(dst.destination), base);
  if (bizStep === 'inspecting' && (disposition === 'conformant' || disposition === 'non_conformant')) details.result = disposition;
  const inspector = str(ext(ev, 'inspector'));
  if (inspector) details.inspector = inspector;
  const note = str(ext(ev, 'note'));
  if (note) details.note = note;
  if (str(ev.parentID)) details.parentId = parseParentUri(String(ev.parentID));
  const ilmd = ev.ilmd as Json | undefined;
  if (ilmd && typeof ilmd === 'object') {
    const codes = arr(ext(ilmd, 'growingAreaCodes')).filter((c): c is string => typeof c === 'string');
    if (codes.length) details.growingAreaCodes = codes;
    const harvest = str(mda(ilmd, 'harvestStartDate'));
    if (harvest) details.harvestDate = harvest.slice(0, 10);
    const bb = str(mda(ilmd, 'bestBeforeDate'));
    if (bb) details.bestBefore = bb.slice(0, 10);
    const coo = str(mda(ilmd, 'countryOfOrigin'));
    if (coo) details.countryOfOrigin = coo;
    const pd = str(mda(ilmd, 'productionDate'));
    if (pd) details.productionDate = pd.slice(0, 10);
    const exp = str(mda(ilmd, 'itemExpirationDate'));
    if (exp) details.itemExpirationDate = exp.slice(0, 10);
  }

  return {
    eventId: str(ev.eventID),
    type,
    action: type === 'TransformationEvent' ? null : action,
    kind: kindOf(type, action, bizStep),
    eventTime,
    eventTz,
    bizStep,
    disposition,
    readPoint,
    bizLocation,
    lots,
    details,
  };
}

/** A place, party or GLN as people read it: our place codes, 'GLN <13 digits>' for GS1 location/party keys. */
export function placeOrGlnLabel(uri: string, base: string): string {
  const p = parsePlaceUri(uri, base);
  if (p.kind !== 'uri') return placeLabel(p);
  if (uri.startsWith(PARTY_URN)) return dec(uri.slice(PARTY_URN.length)) ?? uri;
  const key = canonicalGs1Uri(uri);
  const gln = key ? /\/(414|417)\/(\d{13})(?:\/254\/(.+))?$/.exec(key) : null;
  if (gln) return `GLN ${gln[2]}${gln[3] ? ` (${dec(gln[3]) ?? gln[3]})` : ''}`;
  return uri;
}

const PARTY_URN = 'urn:ocop-hub:party:';
/** A party (producer) without a GLN: the platform's URN with its name, percent-encoded. */
export const partyUri = (name: string) => `${PARTY_URN}${enc(name)}`;

const CERT_URN = 'urn:ocop-hub:certification:';
/** A product certification (VietGAP, organic …) without a public page of its own: `urn:ocop-hub:certification:<type>:<number>`. */
export const certificationUri = (type: string, number: string) => `${CERT_URN}${enc(type)}:${enc(number)}`;

function certificationOf(uri: string, base: string): { uri: string; kind: 'ocop' | 'standard' | 'other'; label: string } {
  const own = `${stripSlash(base)}/xac-thuc/`;
  if (uri.startsWith(own)) return { uri, kind: 'ocop', label: dec(uri.slice(own.length)) ?? uri };
  if (uri.startsWith(CERT_URN)) {
    const [type, number] = uri.slice(CERT_URN.length).split(':');
    return { uri, kind: 'standard', label: `${dec(type ?? '') ?? type}${number ? ` ${dec(number) ?? number}` : ''}` };
  }
  return { uri, kind: 'other', label: uri };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** 'gs1:Temperature', 'Temperature' or its URI → 'Temperature'. */
const vocTerm = (v: unknown): string | null => {
  const s = str(v);
  return s ? s.replace(/^https?:\/\/gs1\.org\/voc\//, '').replace(/^gs1:/, '') : null;
};

/** The reports of an event's sensorElementList, each with its element's metadata time and device where it has none. */
export function sensorReadings(list: unknown): SensorReading[] {
  const out: SensorReading[] = [];
  for (const el of arr(list)) {
    const meta = ((el as Json)?.sensorMetadata ?? {}) as Json;
    for (const r of arr((el as Json)?.sensorReport)) {
      const x = r as Json;
      out.push({
        type: vocTerm(x.type) ?? 'unknown',
        time: str(x.time) ?? str(meta.time) ?? str(meta.startTime),
        value: num(x.value), minValue: num(x.minValue), maxValue: num(x.maxValue), meanValue: num(x.meanValue),
        stringValue: str(x.stringValue), booleanValue: typeof x.booleanValue === 'boolean' ? x.booleanValue : null,
        uom: str(x.uom), exception: vocTerm(x.exception), deviceId: str(x.deviceID) ?? str(meta.deviceID),
      });
    }
  }
  return out;
}

// ─── Documents ──────────────────────────────────────────────────────────────────────────────────────────────────

/** An EPCISDocument around stored events; an event's own @context is dropped when it equals the document's. */
export function epcisDocument(events: Json[], creationDate: Date): Json {
  const docContext = canonicalJson(EPCIS_DOC_CONTEXT);
  const eventList = events.map((e) => {
    if (canonicalJson(e['@context']) !== docContext) return e;
    const { '@context': _c, ...rest } = e;
    return rest;
  });
  return {
    '@context': EPCIS_DOC_CONTEXT,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: creationDate.toISOString(),
    epcisBody: { eventList },
  };
}

/** Stable JSON (sorted keys) for hashing an event that came without an eventID. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as Json).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Json)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
