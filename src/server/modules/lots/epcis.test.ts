import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { addProductPhoto, expectProblem, scalar } from '../../../../test/helpers/http.js';
import { giveGtin } from '../../../../test/helpers/gs1.js';
import { EPCIS_CONTEXT_URL } from '../../../shared/epcis.js';
import { validateEpcis } from '../../lib/epcis-schema.js';
import { eventHashId } from './epcis-hash.js';

/** Issue #14: events that carry the facts (export) and everything EPCIS 2.0 allows (import). */

let t: TestApp;
const base = 'http://localhost:3000';
let province: Session;
let viewer: Session;
let userA: Session;
let userB: Session;
let producerA: { id: string };
let producerBId: string;
let productA: { id: string; name: string };
let areaId: string;
let areaCode: string;
let houseId: string;
let houseCode: string;
/** Product A's GTIN-14 (a GTIN belongs to the product, under the producer's verified prefix: migration 0017). */
let gtinA: string;

const lotNo = () => unique('E').slice(0, 20);
const uuid = () => `urn:uuid:${crypto.randomUUID()}`;

beforeAll(async () => {
  t = await buildTestApp();
  [province, viewer] = await Promise.all([signIn(t, 'province_officer'), signIn(t, 'viewer')]);
  const producerB = await makeProducer(t);
  producerBId = producerB.id;
  producerA = await makeProducer(t);
  [userA, userB] = await Promise.all([signIn(t, 'producer', { producerId: producerA.id }), signIn(t, 'producer', { producerId: producerB.id })]);
  productA = await makeProduct(t, producerA.id);
  gtinA = (await giveGtin(t, producerA.id, productA.id)).gtin14;
  const chu = await unitId(t, 'bn-p-chu');
  areaCode = `VN-EP-${unique('').slice(-8)}`.toUpperCase();
  houseCode = `PH-EP-${unique('').slice(-8)}`.toUpperCase();
  const area = await call(t, province, 'POST', '/api/growing-areas', { code: areaCode, crop: 'Vải thiều', areaHa: 5, ownerProducerId: producerA.id, unitId: chu });
  expect(area.statusCode, area.body).toBe(201);
  areaId = area.json().id;
  const house = await call(t, province, 'POST', '/api/packing-houses', { code: houseCode, name: 'Cơ sở sấy', ownerProducerId: producerA.id, unitId: chu });
  expect(house.statusCode, house.body).toBe(201);
  houseId = house.json().id;
});
afterAll(async () => { await t?.close(); });

async function createLot(s: Session, over: Record<string, unknown> = {}) {
  const res = await call(t, s, 'POST', '/api/lots', {
    productId: productA.id, lotNumber: lotNo(), gtin: null, producedOn: '2025-06-10', quantity: 500, quantityUnit: 'KGM',
    bestBefore: '2026-06-10', growingAreaIds: [areaId], packingHouseId: houseId, notes: null, ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function record(s: Session, body: Record<string, unknown>) {
  const res = await call(t, s, 'POST', '/api/trace-events', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const doc = (events: unknown[]) => ({
  '@context': [EPCIS_CONTEXT_URL, { example: 'https://partner.example.com/epcis/' }],
  type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2025-06-21T05:00:00Z', epcisBody: { eventList: events },
});
async function importDoc(s: Session, d: unknown, status = 200) {
  const res = await call(t, s, 'POST', '/api/epcis/import', d);
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}
const journey = async (lotId: string, s: Session = viewer) => {
  const res = await call(t, s, 'GET', `/api/lots/${lotId}/events`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as any[];
};
/** The lot as an EPC class URN (company prefix of 7 digits): the same lot as its Digital Link. */
const lgtinUrn = (gtin14: string, lot: string) => `urn:epc:class:lgtin:${gtin14.slice(1, 8)}.${gtin14[0]}${gtin14.slice(8, 13)}.${lot}`;

describe('export: events carry places, parties, certificates and ILMD', () => {
  it('harvest, processing, packing, shipping, receiving and inspection carry their facts; the document validates', async () => {
    // An OCOP certificate decided on 11 June 2025 (after the harvest, before the processing); VietGAP valid, organic expired.
    const cert = `OCOP-EP-${unique('').slice(-8)}`;
    const ins = `insert into certificates (number, product_id, producer_id, star, decision_number, decision_date, issuing_authority, issuing_unit_name, expires_on, is_legacy)
       values ($1, $2, $3, 4, '1/QĐ-UBND', $4, 'UBND tỉnh', 'tỉnh', $5, true)`;
    await t.dbh.query(ins, [cert, productA.id, producerA.id, '2025-06-11', '2028-06-11']);
    await t.dbh.query(`insert into product_certifications (product_id, type, name, issuer, number, valid_from, valid_to) values
      ($1, 'vietgap', 'VietGAP', 'Trung tâm', 'VG-123', '2025-01-01', '2027-01-01'), ($1, 'organic', 'Hữu cơ', 'X', 'HC-9', '2020-01-01', '2024-12-31')`, [productA.id]);

    const fresh = await createLot(userA, { gtin: gtinA });
    const dried = await createLot(userA, { producedOn: '2025-06-12', bestBefore: '2026-06-12', growingAreaIds: [] });
    const harvest = await record(userA, { kind: 'harvest', lotId: fresh.id, eventTime: '2025-06-10T07:30:00+07:00' });
    const processing = await record(userA, { kind: 'processing', inputs: [{ lotId: fresh.id, quantity: 400, uom: 'KGM' }], outputLotId: dried.id, eventTime: '2025-06-12T08:00:00+07:00' });
    const packing = await record(userA, { kind: 'packing', lotId: dried.id, parentId: 'THUNG-1', eventTime: '2025-06-13T08:00:00+07:00' });
    const shipping = await record(userA, { kind: 'shipping', lotId: dried.id, eventTime: '2025-06-14T08:00:00+07:00', destination: 'Siêu thị Hà Nội' });
    const receiving = await record(userA, { kind: 'receiving', lotId: dried.id, eventTime: '2025-06-15T08:00:00+07:00', growingAreaId: areaId });
    const inspection = await record(province, { kind: 'inspection', lotId: dried.id, eventTime: '2025-06-16T08:00:00+07:00', result: 'conformant', inspector: 'Chi cục' });
    // An unknown place is refused.
    expect(expectProblem(await call(t, userA, 'POST', '/api/trace-events', { kind: 'inspection', lotId: dried.id, eventTime: '2025-06-16T08:00:00+07:00', result: 'conformant', inspector: 'X', packingHouseId: crypto.randomUUID() }), 422).errors![0].path).toBe('packingHouseId');

    const exp = await call(t, userA, 'GET', `/api/lots/${dried.id}/epcis`);
    expect(exp.statusCode, exp.body).toBe(200);
    const document = exp.json();
    expect(validateEpcis(document)).toEqual({ ok: true });
    const byId = new Map<string, any>(document.epcisBody.eventList.map((e: any) => [e.eventID, e]));
    const area = `${base}/vung-trong/${areaCode}`;
    const house = `${base}/co-so-dong-goi/${houseCode}`;
    const certs = [`${base}/xac-thuc/${cert}`, 'urn:ocop-hub:certification:vietgap:VG-123'];

    const h = byId.get(harvest.eventId);
    // Harvest on 10 June: the OCOP certificate was not in force yet.
    expect(h).toMatchObject({ readPoint: { id: area }, bizLocation: { id: area }, certificationInfo: 'urn:ocop-hub:certification:vietgap:VG-123' });
    expect(h.ilmd).toMatchObject({ 'cbvmda:productionDate': '2025-06-10', 'cbvmda:bestBeforeDate': '2026-06-10' });
    const p = byId.get(processing.eventId);
    expect(p).toMatchObject({ readPoint: { id: house }, bizLocation: { id: house }, certificationInfo: certs });
    expect(p.ilmd).toEqual({ 'cbvmda:productionDate': '2025-06-12', 'cbvmda:bestBeforeDate': '2026-06-12' });
    expect(byId.get(packing.eventId)).toMatchObject({ readPoint: { id: house }, bizLocation: { id: house }, certificationInfo: certs });
    const s = byId.get(shipping.eventId);
    expect(s.readPoint).toEqual({ id: house });
    expect(s.bizLocation).toBeUndefined();
    expect(s.sourceList.map((x: any) => x.type)).toEqual(['owning_party', 'possessing_party', 'location']);
    expect(s.sourceList[2].source).toBe(house);
    expect(s.destinationList).toEqual([{ type: 'location', destination: `urn:ocop-hub:place:${encodeURIComponent('Siêu thị Hà Nội')}` }]);
    const r = byId.get(receiving.eventId);
    expect(r).toMatchObject({ readPoint: { id: area }, bizLocation: { id: area } });
    expect(r.destinationList.map((x: any) => x.type)).toEqual(['owning_party', 'possessing_party', 'location']);
    expect(byId.get(inspection.eventId)).toMatchObject({ readPoint: { id: house }, bizLocation: { id: house } });
    expect(byId.get(inspection.eventId).certificationInfo).toBeUndefined();

    // Every platform event is named by its CBV 2.0 hash ID, which the stored document reproduces.
    for (const e of document.epcisBody.eventList) expect(eventHashId(e, document['@context'])).toBe(e.eventID);

    // The journey shows place codes and certificate links, readable.
    const j = await journey(dried.id);
    const jh = j.find((e) => e.id === harvest.id);
    expect(jh.details).toMatchObject({ readPointLabel: `Vùng trồng ${areaCode}`, bizLocationLabel: `Vùng trồng ${areaCode}` });
    expect(jh.details.certifications).toEqual([{ uri: 'urn:ocop-hub:certification:vietgap:VG-123', kind: 'standard', label: 'vietgap VG-123' }]);
    expect(j.find((e) => e.id === processing.id).details.certifications).toEqual([
      { uri: `${base}/xac-thuc/${cert}`, kind: 'ocop', label: cert },
      { uri: 'urn:ocop-hub:certification:vietgap:VG-123', kind: 'standard', label: 'vietgap VG-123' },
    ]);
    expect(j.find((e) => e.id === processing.id).details).toMatchObject({ productionDate: '2025-06-12', bestBefore: '2026-06-12' });
  });
});

describe('shipping and receiving name the partner that gets the goods', () => {
  it('shipped to a partner, received by it: the partner is the destination owner and holder, the producer the source', async () => {
    const lot = await createLot(userA);
    const gln = '8934567000017'; // a valid GLN (check digit 7)
    const partner = await call(t, userA, 'POST', '/api/parties', { producerId: producerA.id, name: 'Siêu thị Xanh Hà Nội', kind: 'retailer', gln: null, unitId: null, address: null });
    expect(partner.statusCode, partner.body).toBe(201);
    const withGln = await call(t, userA, 'POST', '/api/parties', { producerId: producerA.id, name: 'Công ty Phân phối Miền Bắc', kind: 'buyer', gln, unitId: null, address: null });
    expect(withGln.statusCode, withGln.body).toBe(201);
    const shipped = await record(userA, { kind: 'shipping', lotId: lot.id, eventTime: '2025-06-14T08:00:00+07:00', toPartyId: withGln.json().id });
    const received = await record(userA, { kind: 'receiving', lotId: lot.id, eventTime: '2025-06-15T08:00:00+07:00', toPartyId: partner.json().id });
    const own = await record(userA, { kind: 'receiving', lotId: lot.id, eventTime: '2025-06-16T08:00:00+07:00' });

    const document = (await call(t, userA, 'GET', `/api/lots/${lot.id}/epcis`)).json();
    expect(validateEpcis(document)).toEqual({ ok: true });
    const byId = new Map<string, any>(document.epcisBody.eventList.map((e: any) => [e.eventID, e]));
    const house = `${base}/co-so-dong-goi/${houseCode}`;
    const producerUrn = expect.stringMatching(/^urn:ocop-hub:party:|^https:\/\/id\.gs1\.org\/417\//);
    const s = byId.get(shipped.eventId);
    expect(s.sourceList).toEqual([{ type: 'owning_party', source: producerUrn }, { type: 'possessing_party', source: producerUrn }, { type: 'location', source: house }]);
    expect(s.destinationList).toEqual([
      { type: 'owning_party', destination: `https://id.gs1.org/417/${gln}` }, { type: 'possessing_party', destination: `https://id.gs1.org/417/${gln}` },
    ]);
    // Received by the supermarket: not at the producer's packing house, and the supermarket (not the producer) holds it.
    const r = byId.get(received.eventId);
    const market = `urn:ocop-hub:party:${encodeURIComponent('Siêu thị Xanh Hà Nội')}`;
    expect(r.destinationList).toEqual([{ type: 'owning_party', destination: market }, { type: 'possessing_party', destination: market }]);
    expect(r.sourceList.map((x: any) => x.type)).toEqual(['owning_party', 'possessing_party']);
    expect(r.sourceList[0].source).not.toBe(market);
    expect(r.readPoint).toBeUndefined();
    expect(r.bizLocation).toBeUndefined();
    // Received by the producer itself (no partner): at its packing house, the producer holds it.
    const o = byId.get(own.eventId);
    expect(o).toMatchObject({ readPoint: { id: house }, bizLocation: { id: house } });
    expect(o.destinationList[0].destination).toBe(s.sourceList[0].source);
    // The journey names the partner for people.
    const j = await journey(lot.id);
    const jr = j.find((e) => e.id === received.id);
    expect(jr.details.parties).toEqual(expect.arrayContaining([expect.objectContaining({ direction: 'destination', type: 'owning_party', label: 'Siêu thị Xanh Hà Nội' })]));
  });

  it("another producer's partner, an unknown one, and a packing house the producer does not use are refused (422)", async () => {
    const lot = await createLot(userA);
    const bId = producerBId;
    const theirs = await call(t, userB, 'POST', '/api/parties', { producerId: bId, name: 'Đối tác của B', kind: 'buyer', gln: null, unitId: null, address: null });
    expect(theirs.statusCode, theirs.body).toBe(201);
    const at = '2025-06-14T08:00:00+07:00';
    const refused = async (body: Record<string, unknown>, path: string, message: RegExp) => {
      const before = await scalar(t, 'select count(*) from trace_event_lots where lot_id = $1', [lot.id]);
      const p = expectProblem(await call(t, userA, 'POST', '/api/trace-events', { lotId: lot.id, eventTime: at, ...body }), 422);
      expect(p.errors![0]).toMatchObject({ path });
      expect(p.errors![0].message).toMatch(message);
      expect(await scalar(t, 'select count(*) from trace_event_lots where lot_id = $1', [lot.id])).toBe(before);
    };
    await refused({ kind: 'shipping', toPartyId: theirs.json().id }, 'toPartyId', /không thuộc danh sách đối tác/);
    await refused({ kind: 'receiving', toPartyId: crypto.randomUUID() }, 'toPartyId', /không tồn tại/);
    const foreignHouse = await call(t, province, 'POST', '/api/packing-houses', { code: `PH-X-${unique('').slice(-8)}`.toUpperCase(), name: 'Kho của B', ownerProducerId: bId, unitId: await unitId(t, 'bn-p-chu') });
    expect(foreignHouse.statusCode, foreignHouse.body).toBe(201);
    await refused({ kind: 'shipping', packingHouseId: foreignHouse.json().id }, 'packingHouseId', /không thuộc chủ thể/);
    await refused({ kind: 'packing', parentId: 'THUNG-1', packingHouseId: foreignHouse.json().id }, 'packingHouseId', /không thuộc chủ thể/);
  });
});

describe('declaring one of our own events wrong from the back office', () => {
  it('the event stays, marked corrected with the reason and the replacing event; export carries the errorDeclaration', async () => {
    const lot = await createLot(userA);
    const wrong = await record(userA, { kind: 'shipping', lotId: lot.id, eventTime: '2025-06-14T08:00:00+07:00', quantity: 500 });
    const right = await record(userA, { kind: 'shipping', lotId: lot.id, eventTime: '2025-06-14T08:00:00+07:00', quantity: 50 });
    const res = await call(t, userA, 'POST', `/api/trace-events/${wrong.id}/declare-wrong`, { reason: 'incorrect_data', correctiveEventId: right.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().corrections).toEqual([expect.objectContaining({ reason: 'incorrect_data', correctiveEventIds: [right.eventId] })]);
    const j = await journey(lot.id);
    expect(j.map((e) => e.id)).toEqual([wrong.id, right.id]);
    expect(j[0].corrections[0]).toMatchObject({ reason: 'incorrect_data', correctiveEventIds: [right.eventId] });
    expect(j[1].corrects).toEqual([wrong.eventId]);
    const document = (await call(t, userA, 'GET', `/api/lots/${lot.id}/epcis`)).json();
    expect(validateEpcis(document)).toEqual({ ok: true });
    const declared = document.epcisBody.eventList.find((e: any) => e.eventID === wrong.eventId);
    expect(declared.errorDeclaration).toMatchObject({ reason: 'incorrect_data', correctiveEventIDs: [right.eventId] });
    // The event itself was not changed: the stored document (without the declaration) still hashes to its ID.
    expect(eventHashId({ ...declared, errorDeclaration: undefined }, document['@context'])).toBe(wrong.eventId);
    expect(await scalar(t, "select count(*) from audit_log where entity_type = 'trace_event' and entity_id = $1 and action = 'declare_wrong'", [wrong.id])).toBe(1);
  });

  it('refused: another producer, a viewer, an unknown event, a replacing event of another lot, the event itself (nothing written)', async () => {
    const lot = await createLot(userA);
    const other = await createLot(userA);
    const ev = await record(userA, { kind: 'inspection', lotId: lot.id, eventTime: '2025-06-16T08:00:00+07:00', result: 'conformant', inspector: 'Chi cục' });
    const elsewhere = await record(userA, { kind: 'inspection', lotId: other.id, eventTime: '2025-06-16T08:00:00+07:00', result: 'conformant', inspector: 'Chi cục' });
    const url = `/api/trace-events/${ev.id}/declare-wrong`;
    expectProblem(await call(t, userB, 'POST', url, { reason: 'did_not_occur' }), 403, 'FORBIDDEN');
    expectProblem(await call(t, viewer, 'POST', url, { reason: 'did_not_occur' }), 403, 'FORBIDDEN');
    expectProblem(await call(t, null, 'POST', url, { reason: 'did_not_occur' }), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, userA, 'POST', `/api/trace-events/${crypto.randomUUID()}/declare-wrong`, { reason: 'did_not_occur' }), 404);
    expect(expectProblem(await call(t, userA, 'POST', url, { reason: 'typo' }), 400, 'VALIDATION').errors![0].path).toBe('body.reason');
    expect(expectProblem(await call(t, userA, 'POST', url, { reason: 'incorrect_data', correctiveEventId: elsewhere.id }), 422).errors![0]).toMatchObject({ path: 'correctiveEventId' });
    expect(expectProblem(await call(t, userA, 'POST', url, { reason: 'incorrect_data', correctiveEventId: ev.id }), 422).errors![0]).toMatchObject({ path: 'correctiveEventId' });
    expect(await scalar(t, 'select count(*) from trace_event_corrections where event_id = $1', [ev.id])).toBe(0);
    // The province officer may (every lot of the event is in its scope).
    expect((await call(t, province, 'POST', url, { reason: 'did_not_occur' })).statusCode).toBe(200);
  });
});

describe('import: everything EPCIS 2.0 allows', () => {
  it('imports each of the five event types for a registered lot', async () => {
    const gtin = gtinA;
    const lot = await createLot(userA, { gtin });
    const other = await createLot(userA);
    const dl = `https://partner.example.com/01/${gtin}/10/${lot.lotNumber}`;
    const events = [
      { type: 'ObjectEvent', eventID: uuid(), eventTime: '2025-06-20T10:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE', bizStep: 'storing', quantityList: [{ epcClass: dl, quantity: 5, uom: 'KGM' }] },
      { type: 'AggregationEvent', eventID: uuid(), eventTime: '2025-06-20T11:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'ADD', bizStep: 'packing', parentID: 'urn:epc:id:sscc:8934567.0000000011', childQuantityList: [{ epcClass: dl, quantity: 5, uom: 'KGM' }] },
      { type: 'TransactionEvent', eventID: uuid(), eventTime: '2025-06-20T12:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'ADD', bizStep: 'shipping', bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:8934567000009:PO-1' }], quantityList: [{ epcClass: dl, quantity: 5, uom: 'KGM' }] },
      { type: 'TransformationEvent', eventID: uuid(), eventTime: '2025-06-20T13:00:00+07:00', eventTimeZoneOffset: '+07:00', inputQuantityList: [{ epcClass: dl, quantity: 5, uom: 'KGM' }], outputQuantityList: [{ epcClass: `${base}/lot/${other.id}`, quantity: 2, uom: 'KGM' }] },
      { type: 'AssociationEvent', eventID: uuid(), eventTime: '2025-06-20T14:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'ADD', bizStep: 'installing', parentID: 'urn:epc:id:grai:8934567.00001.1', childQuantityList: [{ epcClass: dl, quantity: 5, uom: 'KGM' }] },
    ];
    expect(await importDoc(userA, doc(events))).toEqual({ imported: 5, skipped: 0, corrected: 0 });
    const j = await journey(lot.id);
    expect(j.map((e) => e.type)).toEqual(['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent']);
    expect(j.map((e) => e.kind)).toEqual(['other', 'packing', 'shipping', 'processing', 'other']);
    expect(j[4].summary).toBe(`Gắn thiết bị/tài sản (lắp đặt): lô ${lot.lotNumber} (5 kg)`);
    expect(j[3].lots.map((l: any) => [l.lotId, l.role])).toEqual([[lot.id, 'input'], [other.id, 'output']]);
  });

  it('a lot as an EPC class URN is the same lot as its Digital Link; without eventID the same event is not stored twice', async () => {
    const gtin = gtinA;
    const lot = await createLot(userA, { gtin });
    const ev = (epcClass: string) => ({ type: 'ObjectEvent', eventTime: '2025-06-22T09:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE', bizStep: 'receiving', quantityList: [{ epcClass, quantity: 3, uom: 'KGM' }] });
    expect(await importDoc(userA, doc([ev(lgtinUrn(gtin, lot.lotNumber))]))).toEqual({ imported: 1, skipped: 0, corrected: 0 });
    const [stored] = await journey(lot.id);
    expect(stored.lots[0].lotId).toBe(lot.id);
    expect(stored.eventId).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    // The same event again, as URN or as a Digital Link on another domain: skipped.
    expect(await importDoc(userA, doc([ev(lgtinUrn(gtin, lot.lotNumber))]))).toEqual({ imported: 0, skipped: 1, corrected: 0 });
    expect(await importDoc(userA, doc([ev(`https://other.example/01/${gtin}/10/${lot.lotNumber}`)]))).toEqual({ imported: 0, skipped: 1, corrected: 0 });
    // Sent once more with an eventID of the partner's: the content says it is the same event.
    expect(await importDoc(userA, doc([{ ...ev(lgtinUrn(gtin, lot.lotNumber)), eventID: uuid() }]))).toEqual({ imported: 0, skipped: 1, corrected: 0 });
    expect(await journey(lot.id)).toHaveLength(1);
    // With an eventID: re-import of the same document skips it.
    const withId = doc([{ ...ev(lgtinUrn(gtin, lot.lotNumber)), eventTime: '2025-06-22T10:00:00+07:00', eventID: uuid() }]);
    expect(await importDoc(userA, withId)).toEqual({ imported: 1, skipped: 0, corrected: 0 });
    expect(await importDoc(userA, withId)).toEqual({ imported: 0, skipped: 1, corrected: 0 });
    expect(await journey(lot.id)).toHaveLength(2);
  });

  it('an event imported without eventID before hash IDs (stored under the old derived ID) is not stored again', async () => {
    const lot = await createLot(userA);
    const ev = { type: 'ObjectEvent', eventTime: '2025-06-22T11:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE', bizStep: 'storing', quantityList: [{ epcClass: `${base}/lot/${lot.id}` }] };
    const { createHash } = await import('node:crypto');
    const { canonicalJson } = await import('../../../shared/epcis.js');
    const legacy = `urn:ocop-hub:event:sha256:${createHash('sha256').update(canonicalJson(ev)).digest('hex')}`;
    const [row] = await t.dbh.query<{ id: string }>(`insert into trace_events (event_id, type, action, kind, event_time, event_tz, biz_step, document, source)
      values ($1, 'ObjectEvent', 'OBSERVE', 'other', '2025-06-22T04:00:00Z', '+07:00', 'storing', $2, 'import') returning id`, [legacy, JSON.stringify(ev)]);
    await t.dbh.query(`insert into trace_event_lots (event_id, lot_id, role) values ($1, $2, 'subject')`, [row.id, lot.id]);
    expect(await importDoc(userA, doc([ev]))).toEqual({ imported: 0, skipped: 1, corrected: 0 });
    expect(await journey(lot.id)).toHaveLength(1);
  });

  it('an error declaration keeps the original, marks it corrected and links the corrective event; export gives it back', async () => {
    const lot = await createLot(userA);
    const epcClass = `${base}/lot/${lot.id}`;
    const wrongId = uuid();
    const fixId = uuid();
    const wrong = { type: 'ObjectEvent', eventID: wrongId, eventTime: '2025-06-23T09:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE', bizStep: 'shipping', quantityList: [{ epcClass, quantity: 30, uom: 'KGM' }] };
    expect(await importDoc(userA, doc([wrong]))).toEqual({ imported: 1, skipped: 0, corrected: 0 });
    const fix = { ...wrong, eventID: fixId, quantityList: [{ epcClass, quantity: 3, uom: 'KGM' }] };
    const declaration = { ...wrong, errorDeclaration: { declarationTime: '2025-06-24T08:00:00+07:00', reason: 'incorrect_data', correctiveEventIDs: [fixId] } };
    // Producer B may not declare producer A's event wrong.
    const refused = expectProblem(await call(t, userB, 'POST', '/api/epcis/import', doc([declaration])), 422, 'EPCIS_INVALID');
    expect(refused.errors![0].message).toContain('Bạn không có quyền');
    expect(await scalar(t, 'select count(*) from trace_event_corrections c join trace_events e on e.id = c.event_id where e.event_id = $1', [wrongId])).toBe(0);

    expect(await importDoc(userA, doc([declaration, fix]))).toEqual({ imported: 1, skipped: 0, corrected: 1 });
    const j = await journey(lot.id);
    expect(j.map((e) => e.eventId)).toEqual([wrongId, fixId]);
    expect(j[0].corrections).toEqual([{ declarationTime: '2025-06-24T01:00:00.000Z', reason: 'incorrect_data', correctiveEventIds: [fixId] }]);
    expect(j[1].corrects).toEqual([wrongId]);
    expect(j[1].corrections).toEqual([]);
    // Idempotent: the same declaration again changes nothing.
    expect(await importDoc(userA, doc([declaration, fix]))).toEqual({ imported: 0, skipped: 2, corrected: 0 });
    // Export: the original goes out with its errorDeclaration, and still validates.
    const exp = (await call(t, userA, 'GET', `/api/lots/${lot.id}/epcis`)).json();
    expect(validateEpcis(exp)).toEqual({ ok: true });
    expect(exp.epcisBody.eventList[0].errorDeclaration).toEqual(declaration.errorDeclaration);
    // The public scan page of a stamp of the lot says the event was declared wrong.
    await addProductPhoto(t, userA, productA.id); // stamps are issued only for products with a photo
    const range = await call(t, userA, 'POST', `/api/lots/${lot.id}/stamp-ranges`, { count: 1 });
    expect(range.statusCode, range.body).toBe(201);
    const { makeShortCode } = await import('../../../shared/gs1.js');
    const html = (await t.app.inject({ method: 'GET', url: `/t/${makeShortCode(range.json().firstNo)}`, headers: { accept: 'text/html' } })).body;
    expect(html).toContain('đã được bên ghi đính chính là sai');
    expect(html.match(/đính chính là sai/g)).toHaveLength(1);
  });

  it('a declaration about an event never sent before stores the event and its declaration', async () => {
    const lot = await createLot(userA);
    const ev = { type: 'ObjectEvent', eventTime: '2025-06-25T09:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE', bizStep: 'storing', quantityList: [{ epcClass: `${base}/lot/${lot.id}` }],
      errorDeclaration: { declarationTime: '2025-06-25T10:00:00+07:00', reason: 'did_not_occur' } };
    expect(await importDoc(userA, doc([ev]))).toEqual({ imported: 1, skipped: 0, corrected: 1 });
    const [e] = await journey(lot.id);
    expect(e.corrections[0].reason).toBe('did_not_occur');
    // Its hash ID leaves the declaration out: the event is the one declared.
    const { errorDeclaration: _d, ...plain } = ev;
    expect(e.eventId).toBe(eventHashId(plain, doc([])['@context']));
  });

  it('sensor readings are stored with the event and shown in the journey', async () => {
    const lot = await createLot(userA);
    const ev = {
      type: 'ObjectEvent', eventID: uuid(), eventTime: '2025-06-26T09:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE', bizStep: 'transporting',
      quantityList: [{ epcClass: `${base}/lot/${lot.id}` }],
      sensorElementList: [
        { sensorMetadata: { time: '2025-06-26T08:00:00+07:00', deviceID: 'urn:epc:id:giai:8934567.T1' }, sensorReport: [{ type: 'gs1:Temperature', value: 4.5, uom: 'CEL' }, { type: 'gs1:RelativeHumidity', value: 80, uom: 'P1' }] },
        { sensorMetadata: { time: '2025-06-26T08:30:00+07:00' }, sensorReport: [{ type: 'gs1:Temperature', value: 6, uom: 'CEL', exception: 'ALARM_CONDITION' }] },
      ],
    };
    expect(validateEpcis(doc([ev]))).toEqual({ ok: true });
    await importDoc(userA, doc([ev]));
    const [e] = await journey(lot.id);
    expect(e.details.sensors).toHaveLength(3);
    expect(e.details.sensors[0]).toMatchObject({ type: 'Temperature', value: 4.5, uom: 'CEL', time: '2025-06-26T08:00:00+07:00', deviceId: 'urn:epc:id:giai:8934567.T1' });
    expect(e.summary).toContain('cảm biến: Nhiệt độ 4,5–6 °C (1 cảnh báo); Độ ẩm tương đối 80 %');
    const stored = (await t.dbh.query<{ document: any }>('select document from trace_events where event_id = $1', [ev.eventID]))[0].document;
    expect(stored.sensorElementList).toEqual(ev.sensorElementList);
  });

  it("GS1's own sensor example with bizRules validates (the schema used to refuse it)", async () => {
    const fs = await import('node:fs');
    const ex = JSON.parse(fs.readFileSync(new URL('../../../../test/fixtures/gs1/epcis-examples/WithSensorData_SensorDataExample8.jsonld', import.meta.url), 'utf8'));
    expect(JSON.stringify(ex)).toContain('bizRules');
    expect(validateEpcis(ex)).toEqual({ ok: true });
  });
});
