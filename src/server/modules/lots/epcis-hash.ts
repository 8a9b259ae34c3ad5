import { createHash } from 'node:crypto';
import { canonicalGs1Uri } from '../../../shared/gs1.js';
import type { Json } from '../../../shared/epcis.js';

/**
 * CBV 2.0 event hash IDs (EPCIS 2.0 / CBV 2.0 "event hash ID" algorithm): an event's pre-hash string is built from
 * its fields in the standard's fixed order — each leaf written `name=value`, each container as its name followed by
 * its children — with identifiers in canonical form (EPC URNs and Digital Links on any domain → id.gs1.org Digital
 * Link, bare CBV terms → their ref.gs1.org URIs, times → UTC with milliseconds), repeated elements sorted, user
 * extensions written `{namespace}name` after the standard fields and sorted; eventID, recordTime and
 * errorDeclaration are left out (a declared error keeps the event's identity). The ID is
 * `ni:///sha-256;<hex of SHA-256 over the UTF-8 pre-hash>?ver=CBV2.0`.
 *
 * Checked against the published vectors of the reference generator (test/fixtures/gs1/hash-vectors, data only).
 */

/** Prefixes the EPCIS 2.0 JSON-LD context declares that events commonly use in extension names and values. */
const KNOWN_PREFIXES: Record<string, string> = {
  gs1: 'https://gs1.org/voc/',
  cbvmda: 'urn:epcglobal:cbv:mda:',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  owl: 'http://www.w3.org/2002/07/owl#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcterms: 'http://purl.org/dc/terms/',
  epcis: 'https://ref.gs1.org/epcis/',
  cbv: 'https://ref.gs1.org/cbv/',
};

export type Prefixes = Record<string, string>;

/** The prefixes an @context declares (objects inside it), over the known EPCIS ones. */
export function prefixesOf(...contexts: unknown[]): Prefixes {
  const out: Prefixes = { ...KNOWN_PREFIXES };
  const visit = (c: unknown) => {
    if (Array.isArray(c)) c.forEach(visit);
    else if (c && typeof c === 'object') {
      for (const [k, v] of Object.entries(c as Json)) if (typeof v === 'string' && !k.startsWith('@')) out[k] = v;
    }
  };
  contexts.forEach(visit);
  return out;
}

/** UTC with exactly three fraction digits, rounded half up ('…03.1415Z' → '…03.142Z'). */
export function hashTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i.exec(iso.trim());
  if (!m) return iso;
  const frac = (m[2] ?? '').padEnd(4, '0');
  const ms = Math.round(Number(`${frac.slice(0, 3)}.${frac.slice(3)}`));
  const base = Date.parse(`${m[1]}${m[3].toUpperCase() === 'Z' ? 'Z' : m[3]}`);
  if (Number.isNaN(base)) return iso;
  return new Date(base + ms).toISOString();
}

const CBV_WEB = 'https://ref.gs1.org/cbv/';
/** A CBV term in its web-vocabulary form: bare 'shipping', 'urn:epcglobal:cbv:bizstep:shipping' or the URI itself. */
type CbvKind = 'BizStep' | 'Disp' | 'BTT' | 'SDT' | 'ER' | 'Comp';
const CBV_KINDS: CbvKind[] = ['BizStep', 'Disp', 'BTT', 'SDT', 'ER', 'Comp'];
const CBV_URN = Object.fromEntries(CBV_KINDS.map((k) => [k, new RegExp(`^urn:epcglobal:cbv:${k.toLowerCase()}:([A-Za-z_]+)$`)])) as Record<CbvKind, RegExp>;
const CBV_URI = Object.fromEntries(CBV_KINDS.map((k) => [k, new RegExp(`^https?://(?:ref|ns)\\.gs1\\.org/cbv/${k}-([A-Za-z_]+)$`)])) as Record<CbvKind, RegExp>;
function cbv(value: string, kind: CbvKind): string {
  if (/^[A-Za-z_]+$/.test(value)) return `${CBV_WEB}${kind}-${value}`;
  const m = CBV_URN[kind].exec(value) ?? CBV_URI[kind].exec(value);
  return m ? `${CBV_WEB}${kind}-${m[1]}` : value;
}

/** A GS1 web vocabulary term ('Temperature', 'gs1:Temperature') as its URI. */
function gs1Voc(value: string, p: Prefixes): string {
  if (/^[A-Za-z_]+$/.test(value)) return `https://gs1.org/voc/${value}`;
  return expandCurie(value, p);
}

function expandCurie(value: string, p: Prefixes): string {
  const m = /^([A-Za-z][\w.-]*):(.*)$/.exec(value);
  if (m && !m[2].startsWith('//') && p[m[1]] !== undefined) return p[m[1]] + m[2];
  return value;
}

/** An identifier (EPC, class, place, party, transaction…): canonical GS1 Digital Link when it is a GS1 key. */
function id(value: string): string {
  return canonicalGs1Uri(value) ?? value;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const sorted = (xs: string[]) => [...xs].sort();

/** `{namespace}name` for an extension key in compact (`ex:f`) or full IRI form; null for keys that are not extensions. */
function extensionName(key: string, p: Prefixes): string | null {
  if (key.startsWith('@')) return null;
  const m = /^([A-Za-z][\w.-]*):(.+)$/.exec(key);
  if (!m) return null;
  if (!m[2].startsWith('//') && p[m[1]] !== undefined) return `{${p[m[1]]}}${m[2]}`;
  const iri = /^(.*[/#:])([^/#:]+)$/.exec(key);
  return iri ? `{${iri[1]}}${iri[2]}` : null;
}

/** One extension field (any depth): leaves `name=value`, objects `name` + children sorted, arrays one entry per item. */
function extensionField(name: string, value: unknown, p: Prefixes): string[] {
  if (Array.isArray(value)) return sorted(value.flatMap((v) => extensionField(name, v, p)));
  if (value && typeof value === 'object') return [name + extensions(value as Json, new Set(), p)];
  return [`${name}=${str(value)}`];
}

/** The extension fields of an object (keys not in `standard`), sorted, concatenated. */
function extensions(obj: Json, standard: Set<string>, p: Prefixes): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (standard.has(k)) continue;
    const name = extensionName(k, p);
    // Comments are not part of an event's identity.
    if (name && name !== '{http://www.w3.org/2000/01/rdf-schema#}comment') out.push(...extensionField(name, v, p));
  }
  return sorted(out).join('');
}

type Field = [key: string, fn: (v: unknown) => string | string[] | null];

/** Writes an object's standard fields in the given order, then its extensions. */
function ordered(obj: Json, fields: Field[], p: Prefixes): string {
  let s = '';
  for (const [key, fn] of fields) {
    if (obj[key] === undefined || obj[key] === null) continue;
    const r = fn(obj[key]);
    if (r === null) continue;
    s += Array.isArray(r) ? r.join('') : r;
  }
  return s + extensions(obj, new Set(fields.map(([k]) => k)), p);
}

const leaf = (name: string, norm: (s: string) => string = (s) => s) => (v: unknown) => `${name}=${norm(str(v))}`;
const leaves = (name: string, norm: (s: string) => string = (s) => s) => (v: unknown) => sorted(list(v).map((x) => `${name}=${norm(str(x))}`));

function epcs(name: string) {
  return (v: unknown) => {
    const items = list(v);
    return items.length ? name + sorted(items.map((e) => `epc=${id(str(e))}`)).join('') : null;
  };
}

function quantities(name: string, p: Prefixes) {
  return (v: unknown) => {
    const items = list(v);
    if (!items.length) return null;
    return name + sorted(items.map((q) => 'quantityElement' + ordered(q as Json, [
      ['epcClass', leaf('epcClass', id)],
      ['quantity', leaf('quantity')],
      ['uom', leaf('uom')],
    ], p))).join('');
  };
}

function sensorElements(p: Prefixes) {
  const u = (s: string) => id(expandCurie(s, p));
  const metadata: Field[] = [
    ['time', leaf('time', hashTime)], ['startTime', leaf('startTime', hashTime)], ['endTime', leaf('endTime', hashTime)],
    ['deviceID', leaf('deviceID', u)], ['deviceMetadata', leaf('deviceMetadata', u)], ['rawData', leaf('rawData', u)],
    ['dataProcessingMethod', leaf('dataProcessingMethod', u)], ['bizRules', leaf('bizRules', u)],
  ];
  const report: Field[] = [
    ['type', leaf('type', (s) => gs1Voc(s, p))], ['exception', leaf('exception', (s) => gs1Voc(s, p))],
    ['deviceID', leaf('deviceID', u)], ['deviceMetadata', leaf('deviceMetadata', u)], ['rawData', leaf('rawData', u)],
    ['dataProcessingMethod', leaf('dataProcessingMethod', u)], ['time', leaf('time', hashTime)],
    ['microorganism', leaf('microorganism', u)], ['chemicalSubstance', leaf('chemicalSubstance', u)],
    ['value', leaf('value')], ['component', leaf('component', (s) => cbv(expandCurie(s, p), 'Comp'))], ['stringValue', leaf('stringValue')],
    ['booleanValue', leaf('booleanValue')], ['hexBinaryValue', leaf('hexBinaryValue')], ['uriValue', leaf('uriValue', u)],
    ['minValue', leaf('minValue')], ['maxValue', leaf('maxValue')], ['meanValue', leaf('meanValue')], ['sDev', leaf('sDev')],
    ['percRank', leaf('percRank')], ['percValue', leaf('percValue')], ['uom', leaf('uom')],
    ['coordinateReferenceSystem', leaf('coordinateReferenceSystem', u)],
  ];
  return (v: unknown) => {
    const items = list(v);
    if (!items.length) return null;
    return 'sensorElementList' + sorted(items.map((el) => 'sensorElement' + ordered(el as Json, [
      ['sensorMetadata', (m) => 'sensorMetadata' + ordered(m as Json, metadata, p)],
      ['sensorReport', (rs) => sorted(list(rs).map((r) => 'sensorReport' + ordered(r as Json, report, p))).join('')],
    ], p))).join('');
  };
}

function typedList(name: string, valueKey: string, kind: 'BTT' | 'SDT', p: Prefixes) {
  return (v: unknown) => {
    const items = list(v);
    if (!items.length) return null;
    return name + sorted(items.map((e) => ordered(e as Json, [
      ['type', leaf('type', (s) => cbv(s, kind))],
      [valueKey, leaf(valueKey, id)],
    ], p))).join('');
  };
}

const place = (name: string, p: Prefixes) => (v: unknown) => name + ordered(v as Json, [['id', leaf('id', id)]], p);

/** The pre-hash string of one event (`contexts`: the document's and the event's own @context, for prefixes). */
export function preHashString(ev: Json, ...contexts: unknown[]): string {
  const p = prefixesOf(...contexts, ev['@context']);
  const fields: Field[] = [
    ['type', leaf('eventType')],
    ['eventTime', leaf('eventTime', hashTime)],
    ['eventTimeZoneOffset', leaf('eventTimeZoneOffset')],
    ['certificationInfo', leaves('certificationInfo', (s) => expandCurie(s, p))],
    ['epcList', epcs('epcList')],
    ['parentID', leaf('parentID', id)],
    ['inputEPCList', epcs('inputEPCList')],
    ['childEPCs', epcs('childEPCs')],
    ['quantityList', quantities('quantityList', p)],
    ['childQuantityList', quantities('childQuantityList', p)],
    ['inputQuantityList', quantities('inputQuantityList', p)],
    ['outputEPCList', epcs('outputEPCList')],
    ['outputQuantityList', quantities('outputQuantityList', p)],
    ['action', leaf('action')],
    ['transformationID', leaf('transformationID', id)],
    ['bizStep', leaf('bizStep', (s) => cbv(expandCurie(s, p), 'BizStep'))],
    ['disposition', leaf('disposition', (s) => cbv(expandCurie(s, p), 'Disp'))],
    ['persistentDisposition', (v) => 'persistentDisposition' + ordered(v as Json, [
      ['set', leaves('set', (s) => cbv(s, 'Disp'))], ['unset', leaves('unset', (s) => cbv(s, 'Disp'))],
    ], p)],
    ['readPoint', place('readPoint', p)],
    ['bizLocation', place('bizLocation', p)],
    ['bizTransactionList', typedList('bizTransactionList', 'bizTransaction', 'BTT', p)],
    // The published vectors write the destinations before the sources.
    ['destinationList', typedList('destinationList', 'destination', 'SDT', p)],
    ['sourceList', typedList('sourceList', 'source', 'SDT', p)],
    ['sensorElementList', sensorElements(p)],
    ['ilmd', (v) => 'ilmd' + extensions(v as Json, new Set(), p)],
  ];
  const ignored = new Set(['@context', 'eventID', 'recordTime', 'errorDeclaration']);
  const standard = new Set([...fields.map(([k]) => k), ...ignored]);
  let s = '';
  for (const [key, fn] of fields) {
    if (ev[key] === undefined || ev[key] === null) continue;
    const r = fn(ev[key]);
    if (r !== null) s += Array.isArray(r) ? r.join('') : r;
  }
  return s + extensions(ev, standard, p);
}

/** `ni:///sha-256;<hex>?ver=CBV2.0` of an event. */
export function eventHashId(ev: Json, ...contexts: unknown[]): string {
  return `ni:///sha-256;${createHash('sha256').update(preHashString(ev, ...contexts), 'utf8').digest('hex')}?ver=CBV2.0`;
}
