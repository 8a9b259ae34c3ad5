import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { makeEvidence } from '../../../../test/helpers/evidence.js';
import { giveGtin, uniquePrefix, withCheckDigit } from '../../../../test/helpers/gs1.js';
import { addProductPhoto, expectProblem } from '../../../../test/helpers/http.js';
import { issueStamps } from '../stamps/service.js';
import { lotsOfGtinSerial, openScanClient, resolveByLink } from '../stamps/resolve.js';

let t: TestApp;
let province: Session;
let viewer: Session;
let communeChu: Session;
let communeOther: Session;
let producerA: { id: string };
let producerB: { id: string };
let userA: Session;
let userB: Session;
let chu: number;

const SYSTEM = { system: 'test' };

beforeAll(async () => {
  t = await buildTestApp();
  chu = await unitId(t, 'bn-p-chu');
  [province, viewer, communeChu, communeOther] = await Promise.all([
    signIn(t, 'province_officer'), signIn(t, 'viewer'), signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] }), signIn(t, 'commune_officer', { unitKeys: ['bn-x-kien-lao'] }),
  ]);
  [producerA, producerB] = await Promise.all([makeProducer(t, { unitId: chu }), makeProducer(t, { unitId: chu })]);
  [userA, userB] = await Promise.all([signIn(t, 'producer', { producerId: producerA.id }), signIn(t, 'producer', { producerId: producerB.id })]);
});
afterAll(async () => { await t?.close(); });

const putGtin = async (s: Session, productId: string, gtin: string | null) => {
  const p = (await call(t, province, 'GET', `/api/products/${productId}`)).json();
  const body = {
    producerId: p.producer.id, name: p.name, taxonomyNodeId: p.taxonomy.id, registeredUnitId: p.unit.id, processingLevel: p.processingLevel,
    brand: p.brand, description: p.description, story: p.story, rawMaterialArea: p.rawMaterialArea, keyProduct: p.keyProduct, isDemo: p.isDemo,
    sources: p.sources, certifications: [], channels: [], gtin, version: p.version,
  };
  return call(t, s, 'PUT', `/api/products/${productId}`, body);
};

async function gs1Certificate(producerId: string) {
  return makeEvidence(t, producerId, { type: 'gs1_membership', title: 'Giấy chứng nhận thành viên GS1 Việt Nam' });
}

describe('GS1 company prefixes: declared by the producer with evidence, verified by an officer in scope', () => {
  it('the list says what the caller may do, as the server then decides: the producer declares, officers in scope decide', async () => {
    const flags = async (sess: Session) => {
      const res = await call(t, sess, 'GET', `/api/producers/${producerA.id}/gs1-prefixes`);
      expect(res.statusCode, res.body).toBe(200);
      const { canDeclare, canDecide } = res.json();
      return { canDeclare, canDecide };
    };
    expect(await flags(userA)).toEqual({ canDeclare: true, canDecide: false });
    expect(await flags(communeChu)).toEqual({ canDeclare: true, canDecide: true });
    expect(await flags(province)).toEqual({ canDeclare: true, canDecide: true });
    expect(await flags(viewer)).toEqual({ canDeclare: false, canDecide: false });
    // Offered nothing → refused when tried.
    expectProblem(await call(t, viewer, 'POST', `/api/producers/${producerA.id}/gs1-prefixes`, { prefix: uniquePrefix(), evidenceId: null }), 403, 'FORBIDDEN');
  });

  it('a producer declares its prefix with the GS1 certificate (declared, warned as unverified); only officers in scope verify', async () => {
    const ev = await gs1Certificate(producerA.id);
    const prefix = uniquePrefix();
    const noEvidence = expectProblem(await call(t, userA, 'POST', `/api/producers/${producerA.id}/gs1-prefixes`, { prefix }), 400, 'VALIDATION');
    expect(noEvidence.errors).toEqual([{ path: 'evidenceId', message: 'Chưa chọn giấy chứng nhận thành viên GS1' }]);
    // A document of another type (here a trademark certificate) is not the GS1 membership certificate.
    const trademark = await makeEvidence(t, producerA.id, { type: 'trademark', title: 'Giấy chứng nhận nhãn hiệu' });
    const wrongType = expectProblem(await call(t, userA, 'POST', `/api/producers/${producerA.id}/gs1-prefixes`, { prefix, evidenceId: trademark.id }), 400, 'VALIDATION');
    expect(wrongType.errors![0]).toMatchObject({ path: 'evidenceId' });
    expect(wrongType.errors![0].message).toMatch(/giấy chứng nhận thành viên GS1/);
    const res = await call(t, userA, 'POST', `/api/producers/${producerA.id}/gs1-prefixes`, { prefix, evidenceId: ev.id });
    expect(res.statusCode, res.body).toBe(201);
    const declared = res.json();
    expect(declared).toMatchObject({ prefix, status: 'declared', evidenceId: ev.id, verifiedAt: null });
    expect(declared.warnings.map((w: { code: string }) => w.code)).toEqual(['gs1_prefix_unverified']);

    // Producers never verify (not even their own); another producer neither sees nor decides; out-of-scope officer refused.
    expectProblem(await call(t, userA, 'POST', `/api/gs1-prefixes/${declared.id}/verification`, { decision: 'verified' }), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'POST', `/api/gs1-prefixes/${declared.id}/verification`, { decision: 'verified' }), 404, 'NOT_FOUND');
    expectProblem(await call(t, userB, 'GET', `/api/producers/${producerA.id}/gs1-prefixes`), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'POST', `/api/producers/${producerA.id}/gs1-prefixes`, { prefix: uniquePrefix(), evidenceId: ev.id }), 403, 'FORBIDDEN');
    expectProblem(await call(t, viewer, 'POST', `/api/gs1-prefixes/${declared.id}/verification`, { decision: 'verified' }), 403, 'FORBIDDEN');
    expectProblem(await call(t, communeOther, 'POST', `/api/gs1-prefixes/${declared.id}/verification`, { decision: 'verified' }), 403, 'FORBIDDEN');
    // A rejection needs a reason.
    expectProblem(await call(t, communeChu, 'POST', `/api/gs1-prefixes/${declared.id}/verification`, { decision: 'rejected' }), 400, 'VALIDATION');

    const ok = await call(t, communeChu, 'POST', `/api/gs1-prefixes/${declared.id}/verification`, { decision: 'verified' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'verified', warnings: [] });
    expectProblem(await call(t, province, 'POST', `/api/gs1-prefixes/${declared.id}/verification`, { decision: 'rejected', note: 'Sai' }), 409, 'VERIFICATION_STATE');
    const list = (await call(t, userA, 'GET', `/api/producers/${producerA.id}/gs1-prefixes`)).json();
    expect(list.items.find((x: { id: string }) => x.id === declared.id).status).toBe('verified');
    const audit = await t.dbh.query<{ action: string }>("select action from audit_log where entity_type = 'gs1_prefix' and entity_id = $1 order by id", [declared.id]);
    expect(audit.map((a) => a.action)).toEqual(['create', 'verify']);
  });

  it("another producer's prefix (or an overlapping one) → 409; restricted-circulation prefixes → 422; evidence must be the producer's own", async () => {
    const prefix = uniquePrefix();
    const a = await call(t, province, 'POST', `/api/producers/${producerA.id}/gs1-prefixes`, { prefix });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json().status).toBe('verified'); // an officer's declaration is verified at once
    const evB = await gs1Certificate(producerB.id);
    expectProblem(await call(t, userB, 'POST', `/api/producers/${producerB.id}/gs1-prefixes`, { prefix, evidenceId: evB.id }), 409, 'GTIN_TAKEN');
    const longer = expectProblem(await call(t, userB, 'POST', `/api/producers/${producerB.id}/gs1-prefixes`, { prefix: `${prefix}12`, evidenceId: evB.id }), 409, 'GTIN_TAKEN');
    expect(longer.detail).toContain('chồng lấn');
    const rcn = expectProblem(await call(t, userB, 'POST', `/api/producers/${producerB.id}/gs1-prefixes`, { prefix: '2001234', evidenceId: evB.id }), 422, 'GTIN_INVALID');
    expect(rcn.detail).toContain('lưu thông hạn chế');
    const evA = await gs1Certificate(producerA.id);
    const foreignEvidence = expectProblem(await call(t, userB, 'POST', `/api/producers/${producerB.id}/gs1-prefixes`, { prefix: uniquePrefix(), evidenceId: evA.id }), 400, 'VALIDATION');
    expect(foreignEvidence.errors![0].path).toBe('evidenceId');
  });
});

describe('GTIN on the product', () => {
  it("is checked: check digit, the producer's own prefix, not another producer's prefix or product, never 2x/02/04", async () => {
    const pA = await makeProduct(t, producerA.id);
    const pA2 = await makeProduct(t, producerA.id);
    const pB = await makeProduct(t, producerB.id);
    const { gtin13, gtin14, prefix } = await giveGtin(t, producerA.id, pA.id);

    // No prefix declared by B → 422; A's prefix used by B → 409; A's exact GTIN on B's product → 409.
    const noPrefix = expectProblem(await putGtin(userB, pB.id, withCheckDigit(`${uniquePrefix()}99`)), 422, 'GTIN_INVALID');
    expect(noPrefix.detail).toContain('không thuộc mã doanh nghiệp GS1 nào chủ thể đã khai báo');
    const othersPrefix = expectProblem(await putGtin(userB, pB.id, withCheckDigit(`${prefix}77`)), 409, 'GTIN_TAKEN');
    expect(othersPrefix.detail).toContain('của một chủ thể khác');
    expectProblem(await putGtin(userB, pB.id, gtin13), 409, 'GTIN_TAKEN');
    // The same GTIN on two products of A → 409 as well (one trade item, one GTIN).
    const dup = expectProblem(await putGtin(userA, pA2.id, gtin13), 409, 'GTIN_TAKEN');
    expect(dup.detail).toContain('mỗi sản phẩm một GTIN');
    // Restricted circulation (in-store, variable measure) numbers: refused with the reason.
    const rcn = expectProblem(await putGtin(userA, pA2.id, withCheckDigit('200000000001')), 422, 'GTIN_INVALID');
    expect(rcn.errors).toEqual([{ path: 'gtin', message: expect.stringContaining('lưu thông hạn chế') }]);
    expectProblem(await putGtin(userA, pA2.id, withCheckDigit('040000000001')), 422, 'GTIN_INVALID');
    // Wrong check digit → 422 naming the expected digit.
    const good = withCheckDigit(`${prefix}55`);
    const bad = `${good.slice(0, 12)}${(Number(good[12]) + 1) % 10}`;
    expect(expectProblem(await putGtin(userA, pA2.id, bad), 422, 'GTIN_INVALID').detail).toContain(`chữ số cuối phải là ${good[12]}`);

    // Stored as GTIN-14, shown with its prefix and status; unchanged when an update omits it.
    const read = (await call(t, userA, 'GET', `/api/products/${pA.id}`)).json();
    expect(read).toMatchObject({ gtin: gtin14, gtinInfo: { prefix, prefixStatus: 'verified', warnings: [] } });
    const ok = await putGtin(userA, pA2.id, good);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().gtin).toBe(`0${good}`);
  });

  it('warns (not refuses) for the GS1 demo prefix 952, a foreign prefix and an unverified prefix', async () => {
    const demo = `952${String(Date.now() % 1e6).padStart(6, '0')}`;
    const foreign = `460${String(Date.now() % 1e6).padStart(6, '0')}`;
    for (const prefix of [demo, foreign]) {
      const r = await call(t, province, 'POST', `/api/producers/${producerA.id}/gs1-prefixes`, { prefix });
      expect(r.statusCode, r.body).toBe(201);
    }
    const ev = await gs1Certificate(producerA.id);
    const unverified = uniquePrefix();
    expect((await call(t, userA, 'POST', `/api/producers/${producerA.id}/gs1-prefixes`, { prefix: unverified, evidenceId: ev.id })).statusCode).toBe(201);
    const cases: [string, string][] = [[demo, 'gs1_demo_prefix'], [foreign, 'gs1_foreign_prefix'], [unverified, 'gs1_prefix_unverified']];
    for (const [prefix, code] of cases) {
      const p = await makeProduct(t, producerA.id);
      const res = await putGtin(userA, p.id, withCheckDigit(`${prefix}010`.slice(0, 12)));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().gtinInfo.warnings.map((w: { code: string }) => w.code)).toEqual([code]);
      if (code === 'gs1_prefix_unverified') expect(res.json().gtinInfo.prefixStatus).toBe('declared');
    }
  });
});

describe('serials: unique per GTIN across lots (SGTIN)', () => {
  it('concurrent issuing on two lots of one GTIN never repeats a serial; resolution by GTIN+serial and GTIN+lot+serial', async () => {
    const p = await makeProduct(t, producerA.id);
    const { gtin14 } = await giveGtin(t, producerA.id, p.id);
    await addProductPhoto(t, userA, p.id); // stamps are issued only for products with a photo
    const lots: { id: string; lotNumber: string }[] = [];
    for (const n of [1, 2]) {
      const res = await call(t, userA, 'POST', '/api/lots', {
        productId: p.id, lotNumber: unique(`S${n}`).slice(0, 20), producedOn: '2025-06-10', quantity: 10, quantityUnit: 'KGM', growingAreaIds: [],
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().gtin).toBe(gtin14);
      lots.push(res.json());
    }
    // Serials before the counter existed (migrated data): a range on lot 1 numbered 1–40 without a counter row.
    await t.dbh.query('delete from gtin_serial_counters where gtin = $1', [gtin14]);
    await t.dbh.query("insert into stamp_ranges (lot_id, first_serial, last_serial, first_no) values ($1, 1, 40, (select coalesce(max(last_no), 0) + 1000000 from stamp_ranges))", [lots[0].id]);
    const base = { publicBaseUrl: 'http://localhost:3000' };
    await Promise.all([0, 1, 0, 1, 0, 1].map((i, k) => issueStamps(t.dbh.db, base, SYSTEM, lots[i].id, 5 + k)));
    const ranges = await t.dbh.query<{ lot_id: string; first_serial: number; last_serial: number }>(
      'select r.lot_id, r.first_serial, r.last_serial from stamp_ranges r join lots l on l.id = r.lot_id where l.gtin = $1 order by r.first_serial', [gtin14]);
    expect(ranges).toHaveLength(7);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i].first_serial).toBeGreaterThan(ranges[i - 1].last_serial);
    expect(ranges[1].first_serial).toBe(41); // continues after the highest serial the GTIN had
    const total = ranges.reduce((n, r) => n + r.last_serial - r.first_serial + 1, 0);
    expect(total).toBe(40 + [5, 6, 7, 8, 9, 10].reduce((a, b) => a + b, 0));

    const { client, close } = openScanClient(t.dbh.db);
    try {
      const onLot2 = ranges.find((r) => r.lot_id === lots[1].id)!;
      expect(await lotsOfGtinSerial(client, gtin14, onLot2.first_serial)).toEqual([{ lotId: lots[1].id, lotNumber: lots[1].lotNumber }]);
      expect(await lotsOfGtinSerial(client, gtin14, 99999)).toEqual([]);
      const byLink = await resolveByLink(client, gtin14, lots[1].lotNumber, onLot2.first_serial);
      expect(byLink).toMatchObject({ lotId: lots[1].id, serial: onLot2.first_serial });
      expect(byLink!.rangeId).not.toBeNull();
      // The same serial under the other lot's number is not a stamp of that lot.
      expect((await resolveByLink(client, gtin14, lots[0].lotNumber, onLot2.first_serial))!.rangeId).toBeNull();
    } finally {
      await close();
    }
  });
});

describe('places: verification and who may cite them on a lot (#14.6)', () => {
  const areaBody = (over: Record<string, unknown> = {}) => ({
    code: `VN-BG-${unique('').slice(-10)}`.toUpperCase(), crop: 'Vải thiều', areaHa: 3.5, households: 4, unitId: chu,
    issuingAuthority: 'Cục Bảo vệ thực vật', location: { type: 'Point', coordinates: [106.57, 21.38] }, ...over,
  });
  const lotBody = (productId: string, over: Record<string, unknown> = {}) => ({
    productId, lotNumber: unique('P').slice(0, 20), producedOn: '2025-06-10', quantity: 10, quantityUnit: 'KGM', growingAreaIds: [], packingHouseId: null, ...over,
  });

  it('a producer’s code is declared until an officer verifies it; producers cannot verify; editing the identity undoes it', async () => {
    const res = await call(t, userA, 'POST', '/api/growing-areas', areaBody({ ownerProducerId: producerA.id }));
    expect(res.statusCode, res.body).toBe(201);
    const area = res.json();
    expect(area).toMatchObject({ verificationStatus: 'declared', verifiedAt: null, gln: null, publicPath: `/vung-trong/${area.code}` });
    expectProblem(await call(t, userA, 'POST', `/api/growing-areas/${area.id}/verification`, { decision: 'verified' }), 403, 'FORBIDDEN');
    expectProblem(await call(t, communeOther, 'POST', `/api/growing-areas/${area.id}/verification`, { decision: 'verified' }), 403, 'FORBIDDEN');
    const v = await call(t, communeChu, 'POST', `/api/growing-areas/${area.id}/verification`, { decision: 'verified' });
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json().verificationStatus).toBe('verified');
    // The producer changes the code's issuer: back to declared.
    const cur = v.json();
    const upd = await call(t, userA, 'PUT', `/api/growing-areas/${area.id}`, {
      code: cur.code, crop: cur.crop, areaHa: cur.areaHa, households: cur.households, ownerProducerId: producerA.id, unitId: chu, markets: cur.markets,
      issuingAuthority: 'Chi cục Trồng trọt', issuedOn: null, validTo: null, location: cur.location, gln: null, version: cur.version,
    });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json().verificationStatus).toBe('declared');
    // Officer-made places are verified on creation; a GLN must have its check digit.
    const gln = withCheckDigit(`${uniquePrefix()}01`);
    const off = await call(t, province, 'POST', '/api/growing-areas', areaBody({ ownerProducerId: producerA.id, gln }));
    expect(off.statusCode, off.body).toBe(201);
    expect(off.json()).toMatchObject({ verificationStatus: 'verified', gln });
    // One GLN names one place.
    expect(expectProblem(await call(t, province, 'POST', '/api/growing-areas', areaBody({ ownerProducerId: producerA.id, gln })), 400, 'VALIDATION').detail).toBe('Mã GLN đã được dùng cho địa điểm khác');
    const other = withCheckDigit(`${uniquePrefix()}02`);
    const badGln = `${other.slice(0, 12)}${(Number(other[12]) + 1) % 10}`;
    expectProblem(await call(t, province, 'POST', '/api/growing-areas', areaBody({ ownerProducerId: producerA.id, gln: badGln })), 400, 'VALIDATION');
  });

  it("a lot cites only its producer's places or places linked by a verified contract; rejected codes are refused", async () => {
    const areaA = (await call(t, province, 'POST', '/api/growing-areas', areaBody({ ownerProducerId: producerA.id }))).json();
    const houseA = (await call(t, province, 'POST', '/api/packing-houses', { code: `PH-${unique('').slice(-10)}`.toUpperCase(), name: 'Nhà sơ chế A', ownerProducerId: producerA.id, unitId: chu })).json();
    const productB = await makeProduct(t, producerB.id);
    const productA = await makeProduct(t, producerA.id);

    const refused = expectProblem(await call(t, userB, 'POST', '/api/lots', lotBody(productB.id, { growingAreaIds: [areaA.id], packingHouseId: houseA.id })), 422, 'PLACE_NOT_USABLE');
    expect(refused.errors).toEqual([
      { path: 'growingAreaIds', message: `Vùng trồng ${areaA.code} không thuộc chủ thể và chưa có hợp đồng liên kết được cán bộ xác minh` },
      { path: 'packingHouseId', message: `Cơ sở đóng gói ${houseA.code} không thuộc chủ thể và chưa có hợp đồng liên kết được cán bộ xác minh` },
    ]);
    // An officer cannot bypass it either (the rule is about the lot's producer, not the writer).
    expectProblem(await call(t, province, 'POST', '/api/lots', lotBody(productB.id, { growingAreaIds: [areaA.id] })), 422, 'PLACE_NOT_USABLE');

    // B declares a contract link: not enough until an officer verifies it; B cannot verify; A cannot see B's links.
    const contract = await makeEvidence(t, producerB.id, { type: 'other', title: 'Hợp đồng bao tiêu vải với chủ vùng trồng' });
    const link = await call(t, userB, 'POST', '/api/place-links', { producerId: producerB.id, place: { kind: 'growing_area', id: areaA.id }, evidenceId: contract.id });
    expect(link.statusCode, link.body).toBe(201);
    expect(link.json()).toMatchObject({ status: 'declared', place: { kind: 'growing_area', id: areaA.id, code: areaA.code } });
    expectProblem(await call(t, userB, 'POST', '/api/place-links', { producerId: producerA.id, place: { kind: 'growing_area', id: areaA.id }, evidenceId: contract.id }), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'POST', '/api/lots', lotBody(productB.id, { growingAreaIds: [areaA.id] })), 422, 'PLACE_NOT_USABLE');
    expectProblem(await call(t, userB, 'POST', `/api/place-links/${link.json().id}/verification`, { decision: 'verified' }), 403, 'FORBIDDEN');
    expectProblem(await call(t, userA, 'POST', `/api/place-links/${link.json().id}/verification`, { decision: 'verified' }), 404, 'NOT_FOUND');
    expect((await call(t, userA, 'GET', '/api/place-links')).json().items.some((l: { id: string }) => l.id === link.json().id)).toBe(false);
    expectProblem(await call(t, communeOther, 'POST', `/api/place-links/${link.json().id}/verification`, { decision: 'verified' }), 403, 'FORBIDDEN');
    const ok = await call(t, communeChu, 'POST', `/api/place-links/${link.json().id}/verification`, { decision: 'verified' });
    expect(ok.statusCode, ok.body).toBe(200);
    const lot = await call(t, userB, 'POST', '/api/lots', lotBody(productB.id, { growingAreaIds: [areaA.id] }));
    expect(lot.statusCode, lot.body).toBe(201);
    // The house is still not linked.
    expectProblem(await call(t, userB, 'POST', '/api/lots', lotBody(productB.id, { packingHouseId: houseA.id })), 422, 'PLACE_NOT_USABLE');

    // An own code an officer rejected cannot be cited.
    const rej = await call(t, communeChu, 'POST', `/api/growing-areas/${areaA.id}/verification`, { decision: 'rejected', note: 'Không có trong danh sách mã số của Cục BVTV' });
    expect(rej.statusCode, rej.body).toBe(200);
    const r = expectProblem(await call(t, userA, 'POST', '/api/lots', lotBody(productA.id, { growingAreaIds: [areaA.id] })), 422, 'PLACE_NOT_USABLE');
    expect(r.errors![0].message).toContain('đã bị cán bộ từ chối');
  });
});

describe('public place pages and lot URIs', () => {
  it('/vung-trong/<code> shows the public facts (declared or verified), never coordinates or households; 404 unknown', async () => {
    const code = `VN-BG-${unique('').slice(-10)}`.toUpperCase();
    const made = await call(t, userA, 'POST', '/api/growing-areas', {
      code, crop: 'Vải thiều', areaHa: 12.5, households: 77, unitId: chu, ownerProducerId: producerA.id,
      issuingAuthority: 'Cục Bảo vệ thực vật', issuedOn: '2024-04-20', validTo: '2099-04-20', location: { type: 'Point', coordinates: [106.5712, 21.3842] },
    });
    expect(made.statusCode, made.body).toBe(201);
    const page = await t.app.inject({ method: 'GET', url: `/vung-trong/${code}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain(code);
    expect(page.body).toContain('Vải thiều');
    expect(page.body).toContain('Do cơ sở tự khai');
    expect(page.body).toContain('Cục Bảo vệ thực vật (do cơ sở tự khai)');
    expect(page.body).toContain('20/04/2099');
    expect(page.body).not.toContain('106.5712');
    expect(page.body).not.toContain('21.3842');
    expect(page.body).not.toMatch(/\b77\b/);
    // Lower case in the URL finds the same place; verified once an officer decides.
    await call(t, communeChu, 'POST', `/api/growing-areas/${made.json().id}/verification`, { decision: 'verified' });
    const after = await t.app.inject({ method: 'GET', url: `/vung-trong/${code.toLowerCase()}` });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Đã được cán bộ xác minh');
    expect(after.body).not.toContain('do cơ sở tự khai');

    expect((await t.app.inject({ method: 'GET', url: '/vung-trong/KHONG-CO-MA-NAY' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/co-so-dong-goi/%3Cscript%3E' })).statusCode).toBe(404);
    const houseCode = `PH-${unique('').slice(-10)}`.toUpperCase();
    expect((await call(t, province, 'POST', '/api/packing-houses', { code: houseCode, name: 'Nhà đóng gói Chũ', ownerProducerId: producerA.id, unitId: chu })).statusCode).toBe(201);
    const house = await t.app.inject({ method: 'GET', url: `/co-so-dong-goi/${houseCode}` });
    expect(house.statusCode).toBe(200);
    expect(house.body).toContain('Nhà đóng gói Chũ');
    expect(house.body).toContain('Đã được cán bộ xác minh');
  });

  it('/lot/<id> redirects to the lot’s Digital Link when it has a GTIN; otherwise a small public page; 404 unknown', async () => {
    const p = await makeProduct(t, producerA.id);
    const plain = await call(t, userA, 'POST', '/api/lots', { productId: p.id, lotNumber: 'L/1-A', producedOn: '2025-06-10', quantity: 5, quantityUnit: 'KGM', growingAreaIds: [] });
    expect(plain.statusCode, plain.body).toBe(201);
    const page = await t.app.inject({ method: 'GET', url: `/lot/${plain.json().id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('L/1-A');
    const { gtin14 } = await giveGtin(t, producerA.id, p.id);
    const withGtin = await call(t, userA, 'POST', '/api/lots', { productId: p.id, lotNumber: 'L/2', producedOn: '2025-06-10', quantity: 5, quantityUnit: 'KGM', growingAreaIds: [] });
    const redirect = await t.app.inject({ method: 'GET', url: `/lot/${withGtin.json().id}` });
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers.location).toBe(`/01/${gtin14}/10/L%2F2`);
    expect((await t.app.inject({ method: 'GET', url: '/lot/00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/lot/abc' })).statusCode).toBe(404);
  });
});

describe('parties (trading partners for EPCIS source/destination)', () => {
  it('the producer keeps its own list; other producers neither see nor change it; GLN is checked', async () => {
    const gln = withCheckDigit('893123400001');
    const res = await call(t, userA, 'POST', '/api/parties', { producerId: producerA.id, name: '  Công ty Xuất khẩu Vải Bắc Giang ', kind: 'buyer', gln });
    expect(res.statusCode, res.body).toBe(201);
    const party = res.json();
    expect(party).toMatchObject({ name: 'Công ty Xuất khẩu Vải Bắc Giang', kind: 'buyer', gln, producerId: producerA.id, version: 1 });
    expectProblem(await call(t, userA, 'POST', '/api/parties', { producerId: producerA.id, name: 'X', kind: 'buyer', gln: '8931234000010' }), 400, 'VALIDATION');
    expectProblem(await call(t, userB, 'POST', '/api/parties', { producerId: producerA.id, name: 'X', kind: 'buyer' }), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'GET', `/api/parties/${party.id}`), 404, 'NOT_FOUND');
    expectProblem(await call(t, userB, 'PUT', `/api/parties/${party.id}`, { producerId: producerA.id, name: 'Đổi', kind: 'buyer', version: 1 }), 404, 'NOT_FOUND');
    expectProblem(await call(t, userB, 'DELETE', `/api/parties/${party.id}`), 404, 'NOT_FOUND');
    expect((await call(t, userB, 'GET', '/api/parties')).json().items.some((p: { id: string }) => p.id === party.id)).toBe(false);
    expect((await call(t, viewer, 'GET', `/api/parties?producerId=${producerA.id}`)).json().items.map((p: { id: string }) => p.id)).toContain(party.id);
    expectProblem(await call(t, viewer, 'POST', '/api/parties', { producerId: producerA.id, name: 'X', kind: 'buyer' }), 403, 'FORBIDDEN');
    const upd = await call(t, userA, 'PUT', `/api/parties/${party.id}`, { producerId: producerA.id, name: 'Công ty Vải BG', kind: 'processor', gln: null, version: 1 });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json()).toMatchObject({ name: 'Công ty Vải BG', kind: 'processor', gln: null, version: 2 });
    expectProblem(await call(t, userA, 'PUT', `/api/parties/${party.id}`, { producerId: producerA.id, name: 'Cũ', kind: 'buyer', version: 1 }), 409, 'VERSION_CONFLICT');
    expect((await call(t, userA, 'DELETE', `/api/parties/${party.id}`)).json()).toEqual({ ok: true });
  });
});
