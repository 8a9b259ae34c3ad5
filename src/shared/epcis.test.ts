import { describe, expect, it } from 'vitest';
import {
  EPCIS_CONTEXT_URL, canonicalJson, epcisDocument, formatInOffset, fromEpcisEvent, isSscc, lotUri, normaliseCbv, offsetOf, parentUri,
  parseLotUri, parsePlaceUri, placeUri, toEpcisEvent, type LotIdentity, type PlatformEvent,
} from './epcis.js';

const base = 'https://truyxuat.example.vn';
const gtinLot: LotIdentity = { id: '0b4f8e5c-8a57-4c59-9a4d-3f3d2b1a0c9e', gtin: '08934567890120', lotNumber: 'VT-2025/06' };
const plainLot: LotIdentity = { id: '1c5a9f6d-9b68-4d6a-8b5e-4a4e3c2b1d0f', gtin: null, lotNumber: 'SAY-01' };
const id = (n: number) => `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const events: PlatformEvent[] = [
  {
    eventId: id(1), kind: 'harvest', eventTime: '2025-06-10T07:30:00+07:00', lots: [{ lot: gtinLot, role: 'subject', quantity: 1200.5, uom: 'KGM' }],
    place: { kind: 'growing_area', code: 'VN-BGLN-0123' }, ilmd: { bestBefore: '2025-06-25', countryOfOrigin: 'VN', growingAreaCodes: ['VN-BGLN-0123', 'VN-BGLN-0456'] },
    note: 'Thu sáng sớm',
  },
  {
    eventId: id(2), kind: 'processing', eventTime: '2025-06-12T01:00:00+00:00',
    lots: [{ lot: gtinLot, role: 'input', quantity: 1000, uom: 'KGM' }, { lot: plainLot, role: 'output', quantity: 250, uom: 'KGM' }],
    place: { kind: 'packing_house', code: 'PH-CHU-01' },
  },
  { eventId: id(3), kind: 'packing', eventTime: '2025-06-13T08:00:00+07:00', lots: [{ lot: plainLot, role: 'child', quantity: 100, uom: 'KGM' }], place: null, parentId: '106141411234567897' },
  { eventId: id(4), kind: 'packing', eventTime: '2025-06-13T08:00:00+07:00', lots: [{ lot: plainLot, role: 'child', quantity: null, uom: null }], place: null, parentId: 'Thùng số 12' },
  {
    eventId: id(5), kind: 'shipping', eventTime: '2025-06-14T15:00:00+07:00', lots: [{ lot: plainLot, role: 'subject', quantity: 100, uom: 'KGM' }], place: null,
    transaction: { type: 'inv', id: 'HĐ 0001/2025' }, source: 'Kho Chũ', destination: 'Cửa khẩu Tân Thanh',
  },
  { eventId: id(6), kind: 'receiving', eventTime: '2025-06-15T09:00:00-05:00', lots: [{ lot: plainLot, role: 'subject', quantity: null, uom: null }], place: null, source: 'Kho Chũ' },
  {
    eventId: id(7), kind: 'inspection', eventTime: '2025-06-15T10:00:00+05:45', lots: [{ lot: plainLot, role: 'subject', quantity: null, uom: null }], place: { kind: 'text', text: 'Phòng thí nghiệm số 2' },
    result: 'non_conformant', inspector: 'Chi cục QLCL',
  },
];

describe('toEpcisEvent → fromEpcisEvent', () => {
  it.each(events.map((e) => [e.kind, e] as const))('%s round-trips kind, time, lots with roles and quantities, and details', (_k, e) => {
    const ev = toEpcisEvent(e, base);
    const r = fromEpcisEvent(ev, base);
    expect(r.kind).toBe(e.kind);
    expect(r.eventId).toBe(e.eventId);
    expect(r.eventTime).toBe(e.eventTime);
    expect(r.eventTz).toBe(offsetOf(e.eventTime));
    expect(r.lots.map((l) => ({ ref: l.ref, role: l.role, quantity: l.quantity, uom: l.uom }))).toEqual(
      e.lots.map((l) => ({
        ref: l.lot.gtin ? { kind: 'gtin', gtin: l.lot.gtin, lotNumber: l.lot.lotNumber } : { kind: 'id', id: l.lot.id },
        role: l.role, quantity: l.quantity, uom: l.uom,
      })),
    );
    if (e.place) expect(parsePlaceUri(r.readPoint!, base)).toEqual(e.place);
    if (e.note) expect(r.details.note).toBe(e.note);
    if (e.parentId) expect(r.details.parentId).toBe(e.parentId);
    if (e.transaction) expect(r.details.transaction).toEqual(e.transaction);
    if (e.source) expect(r.details.source).toBe(e.source);
    if (e.destination) expect(r.details.destination).toBe(e.destination);
    if (e.result) expect(r.details.result).toBe(e.result);
    if (e.inspector) expect(r.details.inspector).toBe(e.inspector);
  });

  it('harvest: ObjectEvent ADD commissioning/active with CBV master data and the ocop growing-area codes', () => {
    const ev = toEpcisEvent(events[0], base);
    expect(ev).toMatchObject({
      type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', disposition: 'active', eventTimeZoneOffset: '+07:00',
      quantityList: [{ epcClass: `${base}/01/08934567890120/10/VT-2025%2F06`, quantity: 1200.5, uom: 'KGM' }],
      readPoint: { id: `${base}/vung-trong/VN-BGLN-0123` },
      ilmd: {
        'cbvmda:harvestStartDate': '2025-06-10', 'cbvmda:harvestEndDate': '2025-06-10', 'cbvmda:bestBeforeDate': '2025-06-25',
        'cbvmda:countryOfOrigin': 'VN', 'ocop:growingAreaCodes': ['VN-BGLN-0123', 'VN-BGLN-0456'],
      },
      'ocop:note': 'Thu sáng sớm',
    });
    expect(ev['@context']).toEqual([EPCIS_CONTEXT_URL, { ocop: 'urn:ocop-hub:epcis:', cbvmda: 'urn:epcglobal:cbv:mda:' }]);
    expect(fromEpcisEvent(ev, base).details).toMatchObject({ harvestDate: '2025-06-10', bestBefore: '2025-06-25', countryOfOrigin: 'VN', growingAreaCodes: ['VN-BGLN-0123', 'VN-BGLN-0456'] });
  });

  it('the harvest date is the local date of the event, not the UTC one', () => {
    const ev = toEpcisEvent({ ...events[0], eventTime: '2025-06-11T05:00:00+07:00' }, base);
    expect((ev.ilmd as Record<string, unknown>)['cbvmda:harvestStartDate']).toBe('2025-06-11'); // 2025-06-10T22:00Z
  });

  it('processing is a TransformationEvent without action; packing an AggregationEvent; shipping/receiving/inspection OBSERVE', () => {
    expect(toEpcisEvent(events[1], base)).toMatchObject({ type: 'TransformationEvent', bizStep: 'commissioning', inputQuantityList: [{ quantity: 1000 }], outputQuantityList: [{ epcClass: `${base}/lot/${plainLot.id}` }] });
    expect(toEpcisEvent(events[1], base).action).toBeUndefined();
    expect(toEpcisEvent(events[2], base)).toMatchObject({ type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', parentID: `${base}/00/106141411234567897` });
    expect(toEpcisEvent(events[3], base).parentID).toBe('urn:ocop-hub:parent:Th%C3%B9ng%20s%E1%BB%91%2012');
    expect(toEpcisEvent(events[3], base).childQuantityList).toEqual([{ epcClass: `${base}/lot/${plainLot.id}` }]);
    expect(toEpcisEvent(events[4], base)).toMatchObject({
      action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', bizTransactionList: [{ type: 'inv', bizTransaction: 'urn:ocop-hub:bt:H%C4%90%200001%2F2025' }],
      sourceList: [{ type: 'location' }], destinationList: [{ type: 'location' }],
    });
    expect(toEpcisEvent(events[5], base)).toMatchObject({ bizStep: 'receiving', disposition: 'in_progress', eventTimeZoneOffset: '-05:00' });
    expect(toEpcisEvent(events[6], base)).toMatchObject({ bizStep: 'inspecting', disposition: 'non_conformant', 'ocop:inspector': 'Chi cục QLCL', eventTimeZoneOffset: '+05:45' });
    expect(toEpcisEvent(events[6], base).ilmd).toBeUndefined();
  });

  it('an event time must carry an offset', () => {
    expect(() => toEpcisEvent({ ...events[0], eventTime: '2025-06-10T07:30:00' }, base)).toThrow(RangeError);
  });
});

describe('fromEpcisEvent on partner events', () => {
  const partner = (over: Record<string, unknown>) => ({ type: 'ObjectEvent', eventTime: '2025-06-10T07:30:00Z', eventTimeZoneOffset: '+00:00', action: 'OBSERVE', ...over });

  it('unknown bizStep → kind other; full CBV URIs and EPCIS 1.x URNs are normalised', () => {
    expect(fromEpcisEvent(partner({ bizStep: 'storing' }), base)).toMatchObject({ kind: 'other', bizStep: 'storing' });
    expect(fromEpcisEvent(partner({ bizStep: 'https://example.com/steps/ripening' }), base)).toMatchObject({ kind: 'other', bizStep: 'https://example.com/steps/ripening' });
    expect(fromEpcisEvent(partner({ bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping', disposition: 'https://ref.gs1.org/cbv/Disp-in_transit' }), base)).toMatchObject({ kind: 'shipping', bizStep: 'shipping', disposition: 'in_transit' });
    expect(fromEpcisEvent(partner({ bizStep: 'urn:epcglobal:cbv:bizstep:receiving' }), base)).toMatchObject({ kind: 'receiving', bizStep: 'receiving' });
    expect(fromEpcisEvent(partner({ action: 'ADD', bizStep: 'urn:epcglobal:cbv:bizstep:commissioning' }), base).kind).toBe('harvest');
    expect(fromEpcisEvent(partner({ type: 'AggregationEvent', action: 'DELETE', bizStep: 'unpacking' }), base).kind).toBe('other');
    expect(fromEpcisEvent(partner({ type: 'TransactionEvent' }), base).kind).toBe('other');
    expect(fromEpcisEvent(partner({}), base)).toMatchObject({ kind: 'other', bizStep: null, eventId: null });
  });

  it('reads lots from epcList (instance URIs name their lot), quantity lists and children; unknown identifiers have ref null', () => {
    const r = fromEpcisEvent(partner({
      epcList: ['https://id.gs1.org/01/8934567890120/10/ABC/21/0001', 'urn:epc:id:sgtin:8934567.089012.1'],
      quantityList: [{ epcClass: `${base}/lot/${plainLot.id.toUpperCase()}`, quantity: 3, uom: 'H87' }],
    }), base);
    expect(r.lots).toEqual([
      { uri: 'https://id.gs1.org/01/8934567890120/10/ABC/21/0001', ref: { kind: 'gtin', gtin: '08934567890120', lotNumber: 'ABC' }, role: 'subject', quantity: null, uom: null },
      { uri: 'urn:epc:id:sgtin:8934567.089012.1', ref: null, role: 'subject', quantity: null, uom: null },
      { uri: `${base}/lot/${plainLot.id.toUpperCase()}`, ref: { kind: 'id', id: plainLot.id }, role: 'subject', quantity: 3, uom: 'H87' },
    ]);
  });

  it('extension fields are read by compact name or full IRI; an SSCC urn parent becomes its 18 digits', () => {
    const r = fromEpcisEvent(partner({ 'urn:ocop-hub:epcis:note': 'ghi chú', type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', parentID: 'urn:epc:id:sscc:0614141.1234567890' }), base);
    expect(r.details.note).toBe('ghi chú');
    expect(r.details.parentId).toBe('106141412345678908');
    expect(isSscc(r.details.parentId!)).toBe(true);
  });
});

describe('identifiers', () => {
  it('lot URIs: Digital Link class URI with GTIN (percent-encoded lot), the platform URI without', () => {
    expect(lotUri(base, gtinLot)).toBe(`${base}/01/08934567890120/10/VT-2025%2F06`);
    expect(lotUri(`${base}/`, plainLot)).toBe(`${base}/lot/${plainLot.id}`);
  });

  it('lot URI parsing: both forms, GTIN-13 padded, any domain for GTINs but only ours for /lot/', () => {
    expect(parseLotUri(`${base}/lot/${plainLot.id}`, base)).toEqual({ kind: 'id', id: plainLot.id });
    expect(parseLotUri(`https://other.example/lot/${plainLot.id}`, base)).toBeNull();
    expect(parseLotUri(`${base}/lot/not-a-uuid`, base)).toBeNull();
    expect(parseLotUri('https://partner.example.com/dl/01/8934567890120/10/VT-2025%2F06', base)).toEqual({ kind: 'gtin', gtin: '08934567890120', lotNumber: 'VT-2025/06' });
    expect(parseLotUri('https://partner.example.com/01/8934567890121/10/X', base)).toBeNull(); // bad check digit
    expect(parseLotUri('https://partner.example.com/01/08934567890120', base)).toBeNull(); // no lot
    // An EPC class URN is the same lot as its Digital Link (issue #14); an SGTIN names an item, not its lot.
    expect(parseLotUri('urn:epc:class:lgtin:8934567.089012.VT-2025%2F06', base)).toEqual({ kind: 'gtin', gtin: '08934567890120', lotNumber: 'VT-2025/06' });
    expect(parseLotUri('urn:epc:id:sgtin:8934567.089012.1', base)).toBeNull();
    expect(parseLotUri('urn:epc:class:lgtin:8934567.08901.X', base)).toBeNull(); // 12 digits: no GTIN
  });

  it('places: growing areas, packing houses, free text and foreign URIs', () => {
    for (const p of [{ kind: 'growing_area', code: 'VN-BGLN-0123' }, { kind: 'packing_house', code: 'PH-1' }, { kind: 'text', text: 'Kho lạnh số 3, Lục Ngạn' }] as const) {
      expect(parsePlaceUri(placeUri(base, p), base)).toEqual(p);
    }
    expect(placeUri(base, { kind: 'text', text: 'Kho A' })).toBe('urn:ocop-hub:place:Kho%20A');
    expect(parsePlaceUri('urn:epc:id:sgln:8934567.00001.0', base)).toEqual({ kind: 'uri', uri: 'urn:epc:id:sgln:8934567.00001.0' });
  });

  it('parent ids: a valid SSCC becomes a Digital Link, anything else a urn', () => {
    expect(isSscc('106141411234567897')).toBe(true);
    expect(isSscc('106141411234567890')).toBe(false);
    expect(parentUri(base, '106141411234567897')).toBe(`${base}/00/106141411234567897`);
    expect(parentUri(base, '106141411234567890')).toBe('urn:ocop-hub:parent:106141411234567890');
  });

  it('CBV normalisation keeps unknown values whole', () => {
    expect(normaliseCbv('https://ns.gs1.org/cbv/BizStep-packing', 'BizStep')).toBe('packing');
    expect(normaliseCbv('urn:epcglobal:cbv:disp:in_transit', 'Disp')).toBe('in_transit');
    expect(normaliseCbv('https://example.com/x', 'Disp')).toBe('https://example.com/x');
    expect(normaliseCbv('', 'Disp')).toBeNull();
  });
});

describe('time zones', () => {
  it('offsets: Z is +00:00; none → null', () => {
    expect(offsetOf('2025-06-10T07:30:00+07:00')).toBe('+07:00');
    expect(offsetOf('2025-06-10T07:30:00.123Z')).toBe('+00:00');
    expect(offsetOf('2025-06-10T07:30:00-09:30')).toBe('-09:30');
    expect(offsetOf('2025-06-10T07:30:00')).toBeNull();
  });

  it('an instant is written back in the offset it was recorded in', () => {
    const instant = new Date('2025-06-10T00:30:00Z');
    expect(formatInOffset(instant, '+07:00')).toBe('2025-06-10T07:30:00+07:00');
    expect(formatInOffset(instant, '-05:00')).toBe('2025-06-09T19:30:00-05:00');
    expect(formatInOffset(instant, '+05:45')).toBe('2025-06-10T06:15:00+05:45');
    expect(formatInOffset(new Date('2025-12-31T23:59:59.250Z'), '+14:00')).toBe('2026-01-01T13:59:59.250+14:00');
  });
});

describe('documents', () => {
  it('wraps events in an EPCISDocument; an event keeps its @context only when it differs from the document’s', () => {
    const ours = toEpcisEvent(events[0], base);
    const foreign = { ...toEpcisEvent(events[4], base), '@context': [EPCIS_CONTEXT_URL, { ex: 'https://ex.example/' }] };
    const doc = epcisDocument([ours, foreign], new Date('2025-07-01T00:00:00Z'));
    expect(doc).toMatchObject({ type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2025-07-01T00:00:00.000Z' });
    const list = (doc.epcisBody as { eventList: Record<string, unknown>[] }).eventList;
    expect(list[0]['@context']).toBeUndefined();
    expect(list[1]['@context']).toEqual(foreign['@context']);
  });

  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});
