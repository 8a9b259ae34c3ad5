import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem, scalar } from '../../../../test/helpers/http.js';
import { gtinCheckDigit } from '../../../shared/gs1.js';
import { EPCIS_CONTEXT_URL, EPCIS_DOC_CONTEXT } from '../../../shared/epcis.js';
import { validateEpcis } from '../../lib/epcis-schema.js';
import { giveGtin } from '../../../../test/helpers/gs1.js';

let t: TestApp;
let base: string;
let province: Session;
let viewer: Session;
let council: Session;
let producerA: { id: string };
let producerB: { id: string };
let userA: Session;
let userB: Session;
let productA: { id: string; name: string };
let productB: { id: string };
let areaId: string;
let areaCode: string;
let houseId: string;
let houseCode: string;

const gtinOf = (body12: string) => {
  const d = gtinCheckDigit(body12);
  if (!d.ok) throw new Error(d.message);
  return `${body12}${d.value}`;
};
/** A fresh GTIN-13: a new product of producer A with a GTIN under a fresh verified GS1 prefix (the GTIN belongs to the
 *  product; lots take it). */
async function gtinProduct() {
  const p = await makeProduct(t, producerA.id);
  const { gtin13 } = await giveGtin(t, producerA.id, p.id);
  return { productId: p.id as string, productName: p.name as string, gtin: gtin13 };
}
const lotNo = () => unique('L').slice(0, 20);

beforeAll(async () => {
  t = await buildTestApp();
  base = 'http://localhost:3000';
  [province, viewer, council] = await Promise.all([signIn(t, 'province_officer'), signIn(t, 'viewer'), signIn(t, 'council_member')]);
  [producerA, producerB] = await Promise.all([makeProducer(t), makeProducer(t)]);
  [userA, userB] = await Promise.all([signIn(t, 'producer', { producerId: producerA.id }), signIn(t, 'producer', { producerId: producerB.id })]);
  [productA, productB] = await Promise.all([makeProduct(t, producerA.id), makeProduct(t, producerB.id)]);
  const chu = await unitId(t, 'bn-p-chu');
  areaCode = `VN-BGLN-${unique('').slice(-10)}`.toUpperCase();
  houseCode = `PH-${unique('').slice(-10)}`.toUpperCase();
  // Producer A's own places (#14.6: a lot cites only its producer's places or verified links).
  const area = await call(t, province, 'POST', '/api/growing-areas', { code: areaCode, crop: 'Vải thiều', areaHa: 10, ownerProducerId: producerA.id, unitId: chu });
  expect(area.statusCode, area.body).toBe(201);
  areaId = area.json().id;
  const house = await call(t, province, 'POST', '/api/packing-houses', { code: houseCode, name: 'Cơ sở sấy Chũ', ownerProducerId: producerA.id, unitId: chu });
  expect(house.statusCode, house.body).toBe(201);
  houseId = house.json().id;
});
afterAll(async () => { await t?.close(); });

const lotBody = (over: Record<string, unknown> = {}) => ({
  productId: productA.id, lotNumber: lotNo(), gtin: null, producedOn: '2025-06-10', quantity: 1200.5, quantityUnit: 'KGM',
  bestBefore: '2025-06-25', growingAreaIds: [areaId], packingHouseId: null, notes: null, ...over,
});

async function createLot(s: Session, over: Record<string, unknown> = {}) {
  const res = await call(t, s, 'POST', '/api/lots', lotBody(over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function record(s: Session, body: Record<string, unknown>) {
  const res = await call(t, s, 'POST', '/api/trace-events', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const editable = (l: Record<string, any>) => ({
  productId: l.product.id, lotNumber: l.lotNumber, gtin: l.gtin, producedOn: l.producedOn, quantity: l.quantity, quantityUnit: l.quantityUnit,
  bestBefore: l.bestBefore, growingAreaIds: l.growingAreas.map((a: any) => a.id), packingHouseId: l.packingHouse?.id ?? null, notes: l.notes, version: l.version,
});
const eventRows = (eventIds: string[]) => scalar(t, 'select count(*) from trace_events where event_id = any($1)', [eventIds]);

describe('lots: create, read, list, update, delete', () => {
  it('a producer creates a lot of its product; GTIN-13 is stored as GTIN-14; everyone who may read sees it; audited', async () => {
    const { productId, productName, gtin } = await gtinProduct();
    const lot = await createLot(userA, { productId, gtin, packingHouseId: houseId, notes: '  Lô đầu vụ  ' });
    expect(lot).toMatchObject({
      gtin: `0${gtin}`, producedOn: '2025-06-10', quantity: 1200.5, quantityUnit: 'KGM', bestBefore: '2025-06-25', notes: 'Lô đầu vụ',
      product: { id: productId, name: productName }, producer: { id: producerA.id },
      growingAreas: [{ id: areaId, code: areaCode, crop: 'Vải thiều' }], packingHouse: { id: houseId, code: houseCode, name: 'Cơ sở sấy Chũ' },
      eventCount: 0, version: 1,
    });
    for (const s of [viewer, council, province, userA]) {
      const read = await call(t, s, 'GET', `/api/lots/${lot.id}`);
      expect(read.statusCode, read.body).toBe(200);
      expect(read.json()).toEqual(lot);
    }
    const log = await t.dbh.query<{ action: string; actor_label: string; after: any }>('select action, actor_label, after from audit_log where entity_type = $1 and entity_id = $2', ['lot', lot.id]);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'create', actor_label: userA.login, after: { lotNumber: lot.lotNumber, gtin: `0${gtin}`, growingAreaIds: [areaId] } });
  });

  it('lists filter by product, text and dates, newest produced first; producers see only their own lots', async () => {
    const prefix = unique('Q').slice(0, 12);
    const l1 = await createLot(userA, { lotNumber: `${prefix}-1`, producedOn: '2025-06-01', bestBefore: null });
    const l2 = await createLot(userA, { lotNumber: `${prefix}-2`, producedOn: '2025-06-05', bestBefore: null });
    const list = async (s: Session, qs: string) => {
      const res = await call(t, s, 'GET', `/api/lots?${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const all = await list(province, `q=${prefix}&productId=${productA.id}`);
    expect(all.items.map((i: any) => i.id)).toEqual([l2.id, l1.id]);
    expect(all).toMatchObject({ total: 2, totalCapped: false, page: 1, pageSize: 20 });
    expect((await list(province, `q=${prefix}&from=2025-06-03`)).items.map((i: any) => i.id)).toEqual([l2.id]);
    expect((await list(province, `q=${prefix}&to=2025-06-03`)).items.map((i: any) => i.id)).toEqual([l1.id]);
    expect((await list(userA, `q=${prefix}`)).total).toBe(2);
    expect((await list(userB, `q=${prefix}`)).total).toBe(0);
    expect((await list(userB, `producerId=${producerA.id}`)).total).toBe(0);
  });

  it('an update with the version read succeeds and is audited; a stale version → 409', async () => {
    const lot = await createLot(userA);
    const res = await call(t, userA, 'PUT', `/api/lots/${lot.id}`, { ...editable(lot), quantity: 900, growingAreaIds: [] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ quantity: 900, growingAreas: [], version: 2 });
    expectProblem(await call(t, userA, 'PUT', `/api/lots/${lot.id}`, { ...editable(lot), quantity: 800 }), 409, 'VERSION_CONFLICT');
    const log = await t.dbh.query<{ before: any; after: any }>("select before, after from audit_log where entity_type = 'lot' and entity_id = $1 and action = 'update'", [lot.id]);
    expect(log[0]).toEqual({ before: { quantity: '1200.500', growingAreaIds: [areaId] }, after: { quantity: '900.000', growingAreaIds: [] } });
  });

  it('delete works while the lot has no events; with events → 409 and the lot number cannot change any more', async () => {
    const free = await createLot(userA);
    expect((await call(t, userA, 'DELETE', `/api/lots/${free.id}`)).json()).toEqual({ ok: true });
    expectProblem(await call(t, viewer, 'GET', `/api/lots/${free.id}`), 404, 'NOT_FOUND');

    const used = await createLot(userA);
    await record(userA, { kind: 'inspection', lotId: used.id, eventTime: '2025-06-11T08:00:00+07:00', result: 'conformant', inspector: 'Chi cục BVTV' });
    const del = expectProblem(await call(t, userA, 'DELETE', `/api/lots/${used.id}`), 409, 'IN_USE');
    expect(del.detail).toContain('1 sự kiện');
    const fresh = (await call(t, userA, 'GET', `/api/lots/${used.id}`)).json();
    expect(fresh.eventCount).toBe(1);
    expectProblem(await call(t, userA, 'PUT', `/api/lots/${used.id}`, { ...editable(fresh), lotNumber: lotNo() }), 409, 'IN_USE');
    const notes = await call(t, userA, 'PUT', `/api/lots/${used.id}`, { ...editable(fresh), notes: 'Đã kiểm tra' });
    expect(notes.statusCode, notes.body).toBe(200);
  });
});

describe('lots: validation', () => {
  it('a GTIN with a wrong check digit → 422 naming the expected digit; nothing written', async () => {
    const good = gtinOf(`893${String(Date.now() % 1e9).padStart(9, '0')}`);
    const wrong = `${good.slice(0, 12)}${(Number(good[12]) + 1) % 10}`;
    const lotNumber = lotNo();
    const p = expectProblem(await call(t, userA, 'POST', '/api/lots', lotBody({ gtin: wrong, lotNumber })), 422, 'TRACE_INVALID');
    expect(p.errors).toEqual([{ path: 'gtin', message: `Mã GTIN sai số kiểm tra: chữ số cuối phải là ${good[12]} (mã đúng: ${good}), không phải ${wrong[12]}` }]);
    expect(await scalar(t, 'select count(*) from lots where lot_number = $1', [lotNumber])).toBe(0);
    const len = expectProblem(await call(t, userA, 'POST', '/api/lots', lotBody({ gtin: '12345' })), 422);
    expect(len.errors![0]).toEqual({ path: 'gtin', message: 'Mã GTIN phải có 8, 12, 13 hoặc 14 chữ số' });
  });

  it("a lot takes its product's GTIN (sent or not); another GTIN, or one on a product without GTIN → 422", async () => {
    const { productId, gtin } = await gtinProduct();
    expect((await createLot(userA, { productId })).gtin).toBe(`0${gtin}`);
    expect((await createLot(userA, { productId, gtin: `0${gtin}` })).gtin).toBe(`0${gtin}`);
    const other = await gtinProduct();
    const wrong = expectProblem(await call(t, userA, 'POST', '/api/lots', lotBody({ productId, gtin: other.gtin })), 422, 'TRACE_INVALID');
    expect(wrong.errors).toEqual([{ path: 'gtin', message: expect.stringContaining(`phải là GTIN của sản phẩm`) }]);
    const none = expectProblem(await call(t, userA, 'POST', '/api/lots', lotBody({ gtin: other.gtin })), 422, 'TRACE_INVALID');
    expect(none.detail).toContain('chưa có GTIN');
  });

  it('a lot number outside GS1 AI 10 → 422; a duplicate per product → 409 with a clear message', async () => {
    const bad = expectProblem(await call(t, userA, 'POST', '/api/lots', lotBody({ lotNumber: 'LÔ 1' })), 422);
    expect(bad.errors![0].path).toBe('lotNumber');
    expect(bad.errors![0].message).toContain('ký tự không được phép');
    const lot = await createLot(userA);
    const dup = expectProblem(await call(t, userA, 'POST', '/api/lots', lotBody({ lotNumber: lot.lotNumber })), 409, 'DUPLICATE_LOT_NUMBER');
    expect(dup.detail).toBe(`Sản phẩm đã có lô số ${lot.lotNumber}; hãy dùng số lô khác`);
    // The same number for another producer's product is fine.
    expect((await call(t, userB, 'POST', '/api/lots', lotBody({ productId: productB.id, lotNumber: lot.lotNumber, growingAreaIds: [] }))).statusCode).toBe(201);
  });

  it('best-before before the production date, unknown growing area, packing house or product are refused', async () => {
    const dates = expectProblem(await call(t, userA, 'POST', '/api/lots', lotBody({ producedOn: '2025-06-10', bestBefore: '2025-06-01' })), 400, 'VALIDATION');
    expect(dates.errors).toEqual([{ path: 'body.bestBefore', message: 'Hạn dùng không được trước ngày sản xuất/thu hoạch' }]);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(expectProblem(await call(t, userA, 'POST', '/api/lots', lotBody({ growingAreaIds: [missing] })), 422).errors).toEqual([{ path: 'growingAreaIds', message: 'Có vùng trồng không tồn tại' }]);
    expect(expectProblem(await call(t, userA, 'POST', '/api/lots', lotBody({ packingHouseId: missing })), 422).errors).toEqual([{ path: 'packingHouseId', message: 'Cơ sở đóng gói không tồn tại' }]);
    expect(expectProblem(await call(t, province, 'POST', '/api/lots', lotBody({ productId: missing })), 422).errors).toEqual([{ path: 'productId', message: 'Sản phẩm không tồn tại' }]);
    expectProblem(await call(t, userA, 'POST', '/api/lots', lotBody({ quantityUnit: 'KG' })), 400, 'VALIDATION');
  });
});

describe('lots and events: who may do what', () => {
  it("producer B cannot read, list, change, delete or record events on producer A's lot", async () => {
    const lot = await createLot(userA);
    expectProblem(await call(t, userB, 'GET', `/api/lots/${lot.id}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'GET', `/api/lots/${lot.id}/events`), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'GET', `/api/lots/${lot.id}/epcis`), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'PUT', `/api/lots/${lot.id}`, editable(lot)), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'DELETE', `/api/lots/${lot.id}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'POST', '/api/lots', lotBody()), 403, 'FORBIDDEN');
    const ev = expectProblem(await call(t, userB, 'POST', '/api/trace-events', { kind: 'harvest', lotId: lot.id, eventTime: '2025-06-10T07:30:00+07:00' }), 403, 'FORBIDDEN');
    expect(ev.detail).toBe(`Chủ thể chỉ được ghi sự kiện cho lô của mình (lô ${lot.lotNumber})`);
    // B's own lot cannot be the output of a transformation consuming A's lot either.
    const own = await createLot(userB, { productId: productB.id, growingAreaIds: [] });
    expectProblem(await call(t, userB, 'POST', '/api/trace-events', { kind: 'processing', inputs: [{ lotId: lot.id, quantity: 10, uom: 'KGM' }], outputLotId: own.id, eventTime: '2025-06-12T07:30:00+07:00' }), 403, 'FORBIDDEN');
    expect(await scalar(t, 'select count(*) from trace_event_lots where lot_id = any($1)', [[lot.id, own.id]])).toBe(0);
  });

  it('a commune officer reads and writes lots of products registered in the commune; out of scope → refused', async () => {
    const lot = await createLot(userA);
    const inScope = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
    const outOfScope = await signIn(t, 'commune_officer', { unitKeys: ['bn-x-kien-lao'] });
    expect((await call(t, inScope, 'GET', `/api/lots/${lot.id}`)).statusCode).toBe(200);
    await record(inScope, { kind: 'inspection', lotId: lot.id, eventTime: '2025-06-11T09:00:00+07:00', result: 'conformant', inspector: 'UBND phường Chũ' });
    expectProblem(await call(t, outOfScope, 'GET', `/api/lots/${lot.id}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, outOfScope, 'POST', '/api/lots', lotBody()), 403, 'FORBIDDEN');
    const ev = expectProblem(await call(t, outOfScope, 'POST', '/api/trace-events', { kind: 'inspection', lotId: lot.id, eventTime: '2025-06-11T09:00:00+07:00', result: 'conformant', inspector: 'X' }), 403, 'FORBIDDEN');
    expect(ev.detail).toBe(`Lô ${lot.lotNumber} nằm ngoài phạm vi phụ trách`);
    expect((await call(t, outOfScope, 'GET', `/api/lots?productId=${productA.id}`)).json().total).toBe(0);
  });

  it('viewers and council members read but cannot create lots, change them or record events', async () => {
    const lot = await createLot(userA);
    for (const s of [viewer, council]) {
      expect((await call(t, s, 'GET', `/api/lots/${lot.id}/events`)).statusCode).toBe(200);
      expectProblem(await call(t, s, 'POST', '/api/lots', lotBody()), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'PUT', `/api/lots/${lot.id}`, editable(lot)), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'DELETE', `/api/lots/${lot.id}`), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'POST', '/api/trace-events', { kind: 'harvest', lotId: lot.id, eventTime: '2025-06-10T07:30:00+07:00' }), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'POST', '/api/epcis/import', { type: 'EPCISDocument' }), 403, 'FORBIDDEN');
    }
    expect(await scalar(t, 'select count(*) from trace_event_lots where lot_id = $1', [lot.id])).toBe(0);
  });
});

describe('events: harvest → processing → shipping, the journey and EPCIS export', () => {
  it('records each kind as EPCIS 2.0 and shows the dried lot’s journey including the fresh lot’s harvest', async () => {
    const { productId: freshProductId, productName: freshProductName, gtin: freshGtin } = await gtinProduct();
    const fresh = await createLot(userA, { productId: freshProductId, lotNumber: `${lotNo().slice(0, 15)}/T6` });
    const dried = await createLot(userA, { quantity: 250, producedOn: '2025-06-12', bestBefore: '2026-06-12', growingAreaIds: [], packingHouseId: houseId });

    const harvest = await record(userA, { kind: 'harvest', lotId: fresh.id, eventTime: '2025-06-10T07:30:00+07:00', note: 'Sáng sớm' });
    expect(harvest).toMatchObject({
      type: 'ObjectEvent', action: 'ADD', kind: 'harvest', eventTime: '2025-06-10T07:30:00+07:00', eventTz: '+07:00', bizStep: 'commissioning',
      disposition: 'active', readPoint: `${base}/vung-trong/${areaCode}`, source: 'form', recordedBy: expect.stringContaining('Người dùng'),
      lots: [{ lotId: fresh.id, lotNumber: fresh.lotNumber, productName: freshProductName, role: 'subject', quantity: 1200.5, uom: 'KGM' }],
      summary: `Thu hoạch lô ${fresh.lotNumber} (1.200,5 kg) tại vùng trồng ${areaCode}`,
      details: { place: `Vùng trồng ${areaCode}`, growingAreaCodes: [areaCode], harvestDate: '2025-06-10', bestBefore: '2025-06-25', countryOfOrigin: 'VN', note: 'Sáng sớm' },
    });
    expect(harvest.eventId).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    const doc = (await t.dbh.query<{ document: any }>('select document from trace_events where id = $1', [harvest.id]))[0].document;
    expect(doc.quantityList).toEqual([{ epcClass: `${base}/01/0${freshGtin}/10/${encodeURIComponent(fresh.lotNumber)}`, quantity: 1200.5, uom: 'KGM' }]);
    expect(doc.ilmd).toEqual({
      'cbvmda:harvestStartDate': '2025-06-10', 'cbvmda:harvestEndDate': '2025-06-10', 'cbvmda:productionDate': fresh.producedOn, 'cbvmda:bestBeforeDate': '2025-06-25',
      'cbvmda:countryOfOrigin': 'VN', 'ocop:growingAreaCodes': [areaCode],
    });

    const processing = await record(userA, {
      kind: 'processing', inputs: [{ lotId: fresh.id, quantity: 1000, uom: 'KGM' }], outputLotId: dried.id,
      eventTime: '2025-06-12T01:00:00Z', packingHouseId: houseId,
    });
    expect(processing).toMatchObject({
      type: 'TransformationEvent', action: null, kind: 'processing', eventTime: '2025-06-12T01:00:00+00:00', eventTz: '+00:00',
      bizStep: 'commissioning', readPoint: `${base}/co-so-dong-goi/${houseCode}`,
      summary: `Chế biến lô ${fresh.lotNumber} (1.000 kg) thành lô ${dried.lotNumber} (250 kg) tại Cơ sở đóng gói ${houseCode}`,
    });
    expect(processing.lots.map((l: any) => [l.lotId, l.role])).toEqual([[fresh.id, 'input'], [dried.id, 'output']]);

    const packing = await record(userA, { kind: 'packing', lotId: dried.id, parentId: '106141411234567897', quantity: 100, eventTime: '2025-06-13T08:00:00+07:00' });
    expect(packing).toMatchObject({ type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', details: { parentId: '106141411234567897' } });
    const badSscc = expectProblem(await call(t, userA, 'POST', '/api/trace-events', { kind: 'packing', lotId: dried.id, parentId: '106141411234567890', eventTime: '2025-06-13T08:00:00+07:00' }), 422);
    expect(badSscc.errors).toEqual([{ path: 'parentId', message: 'Mã SSCC (18 chữ số) sai số kiểm tra' }]);

    const shipping = await record(userA, {
      kind: 'shipping', lotId: dried.id, quantity: 100, eventTime: '2025-06-14T15:00:00+07:00',
      transaction: { type: 'inv', id: 'HĐ-0001' }, source: 'Kho Chũ', destination: 'Siêu thị Hà Nội',
    });
    expect(shipping).toMatchObject({
      action: 'OBSERVE', kind: 'shipping', bizStep: 'shipping', disposition: 'in_transit',
      details: { transaction: { type: 'inv', id: 'HĐ-0001' }, source: 'Kho Chũ', destination: 'Siêu thị Hà Nội' },
      summary: `Xuất hàng lô ${dried.lotNumber} (100 kg) từ Kho Chũ đến Siêu thị Hà Nội`,
    });
    const receiving = await record(province, { kind: 'receiving', lotId: dried.id, eventTime: '2025-06-15T09:00:00+07:00', source: 'Kho Chũ' });
    // Received at the lot's packing house (no place given): the destination is that place.
    expect(receiving).toMatchObject({ kind: 'receiving', disposition: 'in_progress', summary: `Nhận hàng lô ${dried.lotNumber} từ Kho Chũ tại Cơ sở đóng gói ${houseCode}` });
    const inspection = await record(province, { kind: 'inspection', lotId: dried.id, eventTime: '2025-06-15T10:00:00+07:00', result: 'non_conformant', inspector: 'Chi cục QLCL' });
    expect(inspection).toMatchObject({ kind: 'inspection', disposition: 'non_conformant', details: { result: 'non_conformant', inspector: 'Chi cục QLCL' }, summary: `Kiểm tra lô ${dried.lotNumber}: không đạt (Chi cục QLCL)` });

    // The journey of the dried lot: the fresh lot's harvest comes first, then everything else, oldest first.
    const journey = await call(t, viewer, 'GET', `/api/lots/${dried.id}/events`);
    expect(journey.statusCode, journey.body).toBe(200);
    expect(journey.json().map((e: any) => e.kind)).toEqual(['harvest', 'processing', 'packing', 'shipping', 'receiving', 'inspection']);
    expect(journey.json()[0]).toEqual(harvest);
    // The fresh lot's own journey does not go downstream beyond its own events.
    expect((await call(t, viewer, 'GET', `/api/lots/${fresh.id}/events`)).json().map((e: any) => e.kind)).toEqual(['harvest', 'processing']);

    // Export of the journey: JSON-LD attachment that validates against the EPCIS 2.0 schema.
    const exp = await call(t, userA, 'GET', `/api/lots/${dried.id}/epcis`);
    expect(exp.statusCode, exp.body).toBe(200);
    expect(exp.headers['content-type']).toContain('application/ld+json');
    expect(exp.headers['content-disposition']).toMatch(/^attachment; filename="epcis-lo-.+\.jsonld"$/);
    const document = exp.json();
    expect(validateEpcis(document)).toEqual({ ok: true });
    expect(document).toMatchObject({ '@context': [EPCIS_CONTEXT_URL, { ocop: 'urn:ocop-hub:epcis:', cbvmda: 'urn:epcglobal:cbv:mda:' }], type: 'EPCISDocument', schemaVersion: '2.0' });
    expect(document.epcisBody.eventList.map((e: any) => e.eventID)).toEqual([harvest, processing, packing, shipping, receiving, inspection].map((e) => e.eventId));
    expect(document.epcisBody.eventList[0]['@context']).toBeUndefined();

    // The event that came in the future is refused.
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    expect(expectProblem(await call(t, userA, 'POST', '/api/trace-events', { kind: 'inspection', lotId: dried.id, eventTime: future, result: 'conformant', inspector: 'X' }), 422).errors![0].path).toBe('eventTime');
    // An event time without an offset is refused by the schema.
    expectProblem(await call(t, userA, 'POST', '/api/trace-events', { kind: 'inspection', lotId: dried.id, eventTime: '2025-06-15T10:00:00', result: 'conformant', inspector: 'X' }), 400, 'VALIDATION');
  });

  it('date-range export: only events in range the actor may read, valid EPCIS', async () => {
    const lotA = await createLot(userA);
    const lotB = await createLot(userB, { productId: productB.id, growingAreaIds: [] });
    // 2024-03-01 00:30 in Vietnam is still 29 February in UTC: the range is in Vietnam time.
    const a = await record(userA, { kind: 'harvest', lotId: lotA.id, eventTime: '2024-03-01T00:30:00+07:00' });
    const b = await record(userB, { kind: 'harvest', lotId: lotB.id, eventTime: '2024-03-01T10:00:00+07:00' });
    const outside = await record(userA, { kind: 'inspection', lotId: lotA.id, eventTime: '2024-03-02T00:30:00+07:00', result: 'conformant', inspector: 'X' });
    const get = async (s: Session, qs: string) => {
      const res = await call(t, s, 'GET', `/api/epcis/events?${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('application/ld+json');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="epcis-2024-03-01-2024-03-01.jsonld"`);
      const doc = res.json();
      expect(validateEpcis(doc)).toEqual({ ok: true });
      return doc.epcisBody.eventList.map((e: any) => e.eventID) as string[];
    };
    const all = await get(province, 'from=2024-03-01&to=2024-03-01');
    expect(all).toEqual(expect.arrayContaining([a.eventId, b.eventId]));
    expect(all).not.toContain(outside.eventId);
    expect(await get(province, `from=2024-03-01&to=2024-03-01&productId=${productA.id}`)).toEqual([a.eventId]);
    expect(await get(userA, 'from=2024-03-01&to=2024-03-01')).toEqual([a.eventId]);
    expect(await get(userB, 'from=2024-03-01&to=2024-03-01')).toEqual([b.eventId]);
    expectProblem(await call(t, province, 'GET', '/api/epcis/events?from=2024-03-02&to=2024-03-01'), 400, 'VALIDATION');
  });
});

describe('EPCIS import', () => {
  /** A partner's document about our lots: one by GTIN on the partner's own domain, one by our lot URI. */
  async function partnerDocument() {
    const { productId, gtin } = await gtinProduct();
    const lot1 = await createLot(userA, { productId });
    const lot2 = await createLot(userA);
    const id = () => `urn:uuid:${crypto.randomUUID()}`;
    const events = [
      {
        type: 'ObjectEvent', eventID: id(), eventTime: '2025-06-20T10:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE',
        bizStep: 'https://ref.gs1.org/cbv/BizStep-receiving', disposition: 'https://ref.gs1.org/cbv/Disp-in_progress',
        quantityList: [{ epcClass: `https://partner.example.com/01/0${gtin}/10/${encodeURIComponent(lot1.lotNumber)}`, quantity: 50, uom: 'KGM' }],
        readPoint: { id: 'urn:epc:id:sgln:8934567.00001.0' },
        'example:temperature': 4,
      },
      {
        type: 'ObjectEvent', eventID: id(), eventTime: '2025-06-21T03:00:00Z', eventTimeZoneOffset: '+00:00', action: 'OBSERVE', bizStep: 'storing',
        quantityList: [{ epcClass: `${base}/lot/${lot2.id}` }, { epcClass: 'https://partner.example.com/01/09506000134352/10/OTHER' }],
      },
    ];
    const document = {
      '@context': [EPCIS_CONTEXT_URL, { example: 'https://partner.example.com/epcis/' }],
      type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2025-06-21T05:00:00Z', epcisBody: { eventList: events },
    };
    return { document, lot1, lot2, eventIds: events.map((e) => e.eventID) };
  }

  it('imports a partner document (application/ld+json), links our lots, keeps the events as received; re-import skips', async () => {
    const { document, lot1, lot2, eventIds } = await partnerDocument();
    expect(validateEpcis(document)).toEqual({ ok: true });
    const res = await call(t, userA, 'POST', '/api/epcis/import', JSON.stringify(document), { 'content-type': 'application/ld+json' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 2, skipped: 0, corrected: 0 });

    const j1 = (await call(t, userA, 'GET', `/api/lots/${lot1.id}/events`)).json();
    expect(j1).toHaveLength(1);
    expect(j1[0]).toMatchObject({
      eventId: eventIds[0], kind: 'receiving', bizStep: 'receiving', disposition: 'in_progress', source: 'import',
      eventTime: '2025-06-20T10:00:00+07:00', readPoint: 'urn:epc:id:sgln:8934567.00001.0', recordedBy: expect.any(String),
      lots: [{ lotId: lot1.id, role: 'subject', quantity: 50, uom: 'KGM' }],
    });
    const j2 = (await call(t, userA, 'GET', `/api/lots/${lot2.id}/events`)).json();
    expect(j2[0]).toMatchObject({ kind: 'other', bizStep: 'storing', eventTz: '+00:00', lots: [{ lotId: lot2.id, role: 'subject', quantity: null }] });
    expect(j2[0].summary).toBe(`Sự kiện hàng hoá (lưu kho): lô ${lot2.lotNumber}`);
    const stored = (await t.dbh.query<{ document: any }>('select document from trace_events where event_id = $1', [eventIds[0]]))[0].document;
    expect(stored['example:temperature']).toBe(4);
    expect(stored['@context']).toEqual(document['@context']);

    // Exporting the imported events gives a valid document again, with the partner's context kept on its events.
    const exp = (await call(t, userA, 'GET', `/api/lots/${lot1.id}/epcis`)).json();
    expect(validateEpcis(exp)).toEqual({ ok: true });
    expect(exp.epcisBody.eventList[0]['@context']).toEqual(document['@context']);

    const again = await call(t, userA, 'POST', '/api/epcis/import', document);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ imported: 0, skipped: 2, corrected: 0 });
    expect(await eventRows(eventIds)).toBe(2);
  });

  it('one bad event among good ones → 422 listing every error with index and eventId; nothing written', async () => {
    const { document, lot1, eventIds } = await partnerDocument();
    const lotB = await createLot(userB, { productId: productB.id, growingAreaIds: [] });
    const future = new Date(Date.now() + 5 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const bad = [
      { type: 'ObjectEvent', eventID: `urn:uuid:${crypto.randomUUID()}`, eventTime: future, eventTimeZoneOffset: '+00:00', action: 'OBSERVE', quantityList: [{ epcClass: `${base}/lot/${lot1.id}` }] },
      { type: 'ObjectEvent', eventID: `urn:uuid:${crypto.randomUUID()}`, eventTime: '2025-06-20T10:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE', quantityList: [{ epcClass: 'https://elsewhere.example/01/09506000134352/10/NOPE' }] },
      { type: 'ObjectEvent', eventID: `urn:uuid:${crypto.randomUUID()}`, eventTime: '2025-06-20T10:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE', quantityList: [{ epcClass: `${base}/lot/${lotB.id}` }] },
    ];
    document.epcisBody.eventList.push(...(bad as any[]));
    const p = expectProblem(await call(t, userA, 'POST', '/api/epcis/import', document), 422, 'EPCIS_INVALID');
    expect(p.detail).toBe('Tài liệu EPCIS có 3 lỗi, chưa có sự kiện nào được ghi');
    expect(p.errors).toEqual([
      { index: 2, eventId: bad[0].eventID, path: 'epcisBody.eventList.2.eventTime', message: 'Thời điểm sự kiện ở tương lai (quá 1 ngày so với hiện tại)' },
      { index: 3, eventId: bad[1].eventID, path: 'epcisBody.eventList.3', message: 'Sự kiện không nhắc tới lô nào đã đăng ký trên hệ thống (cần URI dạng …/01/<GTIN>/10/<số lô>, urn:epc:class:lgtin:… hoặc …/lot/<mã lô>)' },
      { index: 4, eventId: bad[2].eventID, path: 'epcisBody.eventList.4', message: `Bạn không có quyền ghi sự kiện cho lô ${lotB.lotNumber} (${lotB.product.name})` },
    ]);
    expect(await eventRows([...eventIds, ...bad.map((b) => b.eventID)])).toBe(0);
  });

  it('a document that breaks the EPCIS schema → 422 with readable paths; nothing written', async () => {
    const { document, eventIds } = await partnerDocument();
    const events = document.epcisBody.eventList as any[];
    delete events[1].action;
    events[0].eventTime = '20/06/2025 10:00';
    const p = expectProblem(await call(t, userA, 'POST', '/api/epcis/import', document), 422, 'EPCIS_INVALID');
    expect(p.errors).toEqual(expect.arrayContaining([
      { index: 0, eventId: eventIds[0], path: 'epcisBody.eventList.0.eventTime', message: 'Thời điểm phải theo ISO 8601 có múi giờ, ví dụ 2025-06-10T07:30:00+07:00' },
      { index: 1, eventId: eventIds[1], path: 'epcisBody.eventList.1', message: 'Thiếu trường bắt buộc "action"' },
    ]));
    expect(await eventRows(eventIds)).toBe(0);
    const notJson = await call(t, userA, 'POST', '/api/epcis/import', '{"type": ', { 'content-type': 'application/ld+json' });
    expect(notJson.statusCode).toBe(400);
    const notDoc = expectProblem(await call(t, userA, 'POST', '/api/epcis/import', { ...document, type: 'EPCISQueryDocument' }), 422);
    expect(notDoc.errors!.length).toBeGreaterThan(0);
  });

  it('events exported here import into the same platform as skipped (same eventIDs)', async () => {
    const lot = await createLot(userA);
    const ev = await record(userA, { kind: 'harvest', lotId: lot.id, eventTime: '2025-06-10T07:30:00+07:00' });
    const doc = (await call(t, userA, 'GET', `/api/lots/${lot.id}/epcis`)).json();
    expect(doc['@context']).toEqual(EPCIS_DOC_CONTEXT);
    const res = await call(t, userA, 'POST', '/api/epcis/import', doc);
    expect(res.json()).toEqual({ imported: 0, skipped: 1, corrected: 0 });
    expect(await eventRows([ev.eventId])).toBe(1);
  });
});

describe('OpenAPI', () => {
  it('documents the lots, events and EPCIS routes (their zod schemas convert)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode, res.body).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of ['/api/lots', '/api/lots/{id}', '/api/lots/{id}/events', '/api/trace-events', '/api/lots/{id}/epcis', '/api/epcis/events', '/api/epcis/import']) {
      expect(paths).toContain(p);
    }
  });
});
