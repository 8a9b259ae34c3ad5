import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { getNodeByCode } from '../taxonomy/service.js';
import {
  buildTestApp, call, leafId, makeProducer, makeProduct, productInput, signIn, unique, unitId, type Session, type TestApp,
} from '../../../../test/helpers/app.js';
import { expectProblem, fileUpload, jpegOf, multipart, pngOf, scalar } from '../../../../test/helpers/http.js';
import { recordLegacy } from '../../../../test/helpers/certificates.js';
import type { ProductInput } from './schema.js';

let t: TestApp;
let officer: Session;
let viewer: Session;
beforeAll(async () => {
  t = await buildTestApp();
  [officer, viewer] = await Promise.all([signIn(t, 'province_officer'), signIn(t, 'viewer')]);
});
afterAll(async () => { await t?.close(); });

type Item = { id: string; name: string; version: number; stars: number | null; producer: { id: string } };
const ids = (res: { json(): { items: Item[] } }) => res.json().items.map((i) => i.id);
const nodeId = async (code: string) => (await getNodeByCode(t.dbh.db, '148', code))!.id;
const recognition = (stars: number | null, extra: Partial<ProductInput['recognition']> = {}): ProductInput['recognition'] => ({
  stars, recognitionYear: stars ? 2023 : null, decisionNumber: null, decisionDate: null, certificateNumber: null, certificateIssuer: null, certificateExpiresOn: null, ...extra,
});
/** The request body that saves a product unchanged (what the edit form sends back). */
async function editBody(id: string, over: Partial<ProductInput> = {}) {
  const p = (await call(t, officer, 'GET', `/api/products/${id}`)).json();
  return {
    producerId: p.producer.id, name: p.name, taxonomyNodeId: p.taxonomy.id, registeredUnitId: p.unit.id, processingLevel: p.processingLevel,
    brand: p.brand, description: p.description, story: p.story, rawMaterialArea: p.rawMaterialArea, keyProduct: p.keyProduct, isDemo: p.isDemo,
    sources: p.sources, recognition: p.recognition,
    certifications: p.certifications.map(({ id: _i, expired: _e, ...c }: Record<string, unknown>) => c),
    channels: p.channels.map(({ id: _i, ...c }: Record<string, unknown>) => c),
    version: p.version as number,
    ...over,
  };
}
const countOfProducer = async (producerId: string) => ({
  products: await scalar(t, 'select count(*) from products where producer_id = $1', [producerId]),
  certifications: await scalar(t, 'select count(*) from product_certifications c join products p on p.id = c.product_id where p.producer_id = $1', [producerId]),
  channels: await scalar(t, 'select count(*) from product_channels c join products p on p.id = c.product_id where p.producer_id = $1', [producerId]),
});

describe('products: search', () => {
  it('finds "Vải thiều" by the unaccented query "vai thieu" and "đ" by "d"', async () => {
    const s = await signIn(t, 'province_officer');
    const producer = await makeProducer(t, { legalName: 'HTX Đồng Tâm Thử Nghiệm' });
    const p = await makeProduct(t, producer.id, { name: `Vải thiều sấy khô ${producer.registrationNumber}` });
    const res = await call(t, s, 'GET', `/api/products?q=${encodeURIComponent(`vai thieu ${producer.registrationNumber}`)}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { id: string }) => i.id)).toEqual([p.id]);
    const byProducer = await call(t, s, 'GET', `/api/products?q=${encodeURIComponent(`dong tam ${producer.registrationNumber}`)}`);
    expect(byProducer.json().total).toBe(1);
  });

  it('a renamed producer is found under its new name (search text follows the producer)', async () => {
    const tag = unique('r').toLowerCase();
    const producer = await makeProducer(t);
    const p = await makeProduct(t, producer.id, { name: `Mật ong ${tag}` });
    const full = (await call(t, officer, 'GET', `/api/producers/${producer.id}`)).json();
    const { id: _i, unit, productCount: _c, updatedAt: _u, ...rest } = full;
    expect((await call(t, officer, 'PUT', `/api/producers/${producer.id}`, { ...rest, unitId: unit.id, legalName: 'HTX Ong Rừng Phú Nhuận' })).statusCode).toBe(200);
    expect(ids(await call(t, viewer, 'GET', `/api/products?q=${encodeURIComponent(`ong rung ${tag}`)}`))).toEqual([p.id]);
  });

  it('LIKE wildcards in the query match literally', async () => {
    const tag = unique('w').toLowerCase();
    await makeProduct(t, (await makeProducer(t)).id, { name: `Chè ${tag}` });
    expect((await call(t, viewer, 'GET', `/api/products?q=${encodeURIComponent(`${tag} %`)}`)).json().total).toBe(0);
    expect((await call(t, viewer, 'GET', `/api/products?q=${encodeURIComponent(`${tag.slice(0, 3)}_${tag.slice(4)}`)}`)).json().total).toBe(0);
  });

  it('search uses the trigram index: products_search_trgm is a GIN gin_trgm_ops index the planner can use', async () => {
    const idx = await t.dbh.query<{ indexdef: string }>("select indexdef from pg_indexes where tablename = 'products' and indexname = 'products_search_trgm'");
    expect(idx).toHaveLength(1);
    expect(idx[0].indexdef).toMatch(/USING gin \(search_text gin_trgm_ops\)/);
    const plan = await t.dbh.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const r = await tx.execute(sql.raw("explain select id from products where search_text like '%vai%'"));
      return rowsOf<Record<string, string>>(r).map((x) => Object.values(x)[0]).join('\n');
    });
    expect(plan).toContain('products_search_trgm');
  });
});

describe('products: create, read, validation', () => {
  it('an officer registers a product with certifications and channels; its recognition comes from a certificate; GET shows it all', async () => {
    const producer = await makeProducer(t, { address: 'Thôn Kép, phường Chũ' });
    const input = await productInput(t, producer.id, {
      name: '  Vải   thiều Lục Ngạn ', brand: 'Vải Chũ', keyProduct: true, processingLevel: 'fresh',
      certifications: [
        { type: 'vietgap', name: null, issuer: 'Trung tâm Chứng nhận', number: 'VG-01', validFrom: '2020-01-01', validTo: '2021-01-01' },
        { type: 'organic', name: null, issuer: null, number: null, validFrom: null, validTo: null },
      ],
      channels: [{ kind: 'marketplace', name: 'Shopee', url: 'https://shopee.vn/vai' }, { kind: 'ocop_point', name: '', url: null }],
    });
    const res = await call(t, officer, 'POST', '/api/products', input);
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ stars: null, recognition: recognition(null), version: 1 });
    // The star and certificate fields are written by the certificates module (a paper certificate here).
    const number = `OCOP-2024-${unique('').slice(-6)}`;
    const cert = await call(t, officer, 'POST', '/api/certificates/legacy', {
      productId: created.id, star: 4, decisionNumber: '123/QĐ-UBND', decisionDate: '2024-05-10', issuingAuthority: 'UBND tỉnh Bắc Giang', number,
    });
    expect(cert.statusCode, cert.body).toBe(201);
    const p = (await call(t, officer, 'GET', `/api/products/${created.id}`)).json();
    expect(p).toMatchObject({
      name: 'Vải thiều Lục Ngạn', brand: 'Vải Chũ', keyProduct: true, stars: 4, recognitionYear: 2024, certificateNumber: number,
      certificateExpiresOn: '2027-05-10', version: 2, photos: [], thumbnailUrl: null,
      producer: { id: producer.id, legalName: producer.legalName, kind: 'cooperative', address: 'Thôn Kép, phường Chũ' },
      taxonomy: { code: 'I.1.a', version: '148', name: 'Rau, củ, quả, hạt tươi', path: 'Thực phẩm › Thực phẩm tươi sống › Rau, củ, quả, hạt tươi' },
      unit: { id: await unitId(t, 'bn-p-chu'), name: 'Chũ', type: 'ward' },
      recognition: { stars: 4, decisionNumber: '123/QĐ-UBND', decisionDate: '2024-05-10', certificateIssuer: 'UBND tỉnh Bắc Giang' },
    });
    expect(p.certifications.map((c: { type: string; expired: boolean }) => [c.type, c.expired])).toEqual([['organic', false], ['vietgap', true]]);
    expect(p.channels.map((c: { kind: string; name: string }) => [c.kind, c.name])).toEqual([['marketplace', 'Shopee'], ['ocop_point', '']]);
    const read = await call(t, viewer, 'GET', `/api/products/${p.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(p);
    const hist = (await call(t, viewer, 'GET', `/api/products/${p.id}/history`)).json();
    expect(hist).toHaveLength(2);
    expect(hist[1]).toMatchObject({ action: 'create', actor: officer.login, before: null, after: { name: 'Vải thiều Lục Ngạn', stars: null } });
    expect(hist[0]).toMatchObject({ action: 'recognition', actor: officer.login, before: { stars: null }, after: { stars: 4, certificateNumber: number } });
  });

  it('recognition is read-only here: a create carrying stars is refused naming the fields; sending back what was read is accepted', async () => {
    const producer = await makeProducer(t);
    for (const s of [officer, await signIn(t, 'admin')]) {
      const res = expectProblem(await call(t, s, 'POST', '/api/products', await productInput(t, producer.id, { recognition: recognition(4, { certificateNumber: 'GCN-1' }) })), 422, 'RECOGNITION_READ_ONLY');
      expect(res.errors!.map((e) => e.path)).toEqual(['body.recognition.stars', 'body.recognition.recognitionYear', 'body.recognition.certificateNumber']);
      expect(res.detail).toMatch(/chỉ thay đổi qua giấy chứng nhận OCOP/);
    }
    expect((await countOfProducer(producer.id)).products).toBe(0);
    // Omitted, or all empty: fine.
    const { recognition: _r, ...withoutRecognition } = await productInput(t, producer.id);
    expect((await call(t, officer, 'POST', '/api/products', withoutRecognition)).statusCode).toBe(201);
    expect((await call(t, officer, 'POST', '/api/products', await productInput(t, producer.id, { recognition: recognition(null) }))).statusCode).toBe(201);
  });

  it('a non-leaf taxonomy node (sector or group) → 422 TAXONOMY_NOT_LEAF, nothing written', async () => {
    const producer = await makeProducer(t);
    for (const code of ['I', 'I.1']) {
      const res = await call(t, officer, 'POST', '/api/products', await productInput(t, producer.id, { taxonomyNodeId: await nodeId(code) }));
      const p = expectProblem(res, 422, 'TAXONOMY_NOT_LEAF');
      expect(p.title).toBe('Phải chọn nhóm/phân nhóm sản phẩm cuối cùng của bộ phân loại');
      expect(p.errors).toEqual([{ path: 'taxonomyNodeId', message: 'Chọn phân nhóm sản phẩm' }]);
    }
    expect(await countOfProducer(producer.id)).toEqual({ products: 0, certifications: 0, channels: 0 });
  });

  it('a group without subgroups is a leaf (I.6 Cà phê, ca cao)', async () => {
    const producer = await makeProducer(t);
    const res = await call(t, officer, 'POST', '/api/products', await productInput(t, producer.id, { taxonomyNodeId: await nodeId('I.6') }));
    expect(res.statusCode).toBe(201);
  });

  it('a registered unit that is not commune level → 422 UNIT_NOT_VALID', async () => {
    const producer = await makeProducer(t);
    for (const key of ['ln', 'bn2025']) {
      const res = await call(t, officer, 'POST', '/api/products', await productInput(t, producer.id, { registeredUnitId: await unitId(t, key) }));
      expect(expectProblem(res, 422, 'UNIT_NOT_VALID').errors![0].path).toBe('unitId');
    }
    expect((await countOfProducer(producer.id)).products).toBe(0);
  });

  it('an unknown producer → 400 on producerId', async () => {
    const p = expectProblem(await call(t, officer, 'POST', '/api/products', await productInput(t, '00000000-0000-4000-8000-000000000000')), 400, 'VALIDATION');
    expect(p.errors).toEqual([{ path: 'producerId', message: 'Không có chủ thể này' }]);
  });

  it('schema errors carry paths and Vietnamese messages', async () => {
    const producer = await makeProducer(t);
    const input = await productInput(t, producer.id, {
      name: 'X',
      recognition: recognition(6), // still validated as a shape (the edit form sends it back)
      certifications: [{ type: 'vietgap', name: null, issuer: null, number: null, validFrom: '2024-01-01', validTo: '2023-01-01' }],
      channels: [{ kind: 'supermarket', name: 'Go', url: null }, { kind: 'supermarket', name: 'Go', url: null }],
    });
    const p = expectProblem(await call(t, officer, 'POST', '/api/products', input), 400, 'VALIDATION');
    const byPath = Object.fromEntries(p.errors!.map((e) => [e.path, e.message]));
    expect(byPath['body.name']).toBe('Tên sản phẩm quá ngắn');
    expect(byPath['body.certifications.0.validTo']).toBe('Ngày hết hạn phải sau ngày cấp');
    expect(byPath['body.channels']).toBe('Kênh bán hàng bị trùng');
    expect(Object.keys(byPath)).toContain('body.recognition.stars');
    const dates = expectProblem(await call(t, officer, 'POST', '/api/products', await productInput(t, producer.id, { recognition: recognition(3, { decisionDate: '10/05/2023' }) })), 400, 'VALIDATION');
    expect(dates.errors).toEqual([{ path: 'body.recognition.decisionDate', message: 'Ngày phải có dạng yyyy-mm-dd' }]);
  });

  it('a duplicate product name for the same producer (case/accent-insensitive) → 409, nothing half-written', async () => {
    const producer = await makeProducer(t);
    await makeProduct(t, producer.id, { name: 'Vải Thiều Sấy Khô' });
    const before = await countOfProducer(producer.id);
    const dup = await productInput(t, producer.id, {
      name: 'vai thieu say kho',
      certifications: [{ type: 'vietgap', name: null, issuer: null, number: null, validFrom: null, validTo: null }],
      channels: [{ kind: 'supermarket', name: 'WinMart', url: null }],
    });
    const res = await call(t, officer, 'POST', '/api/products', dup);
    expect(expectProblem(res, 409, 'DUPLICATE_PRODUCT_NAME').title).toBe('Chủ thể đã có sản phẩm cùng tên');
    expect(await countOfProducer(producer.id)).toEqual(before);
    expect(before).toEqual({ products: 1, certifications: 0, channels: 0 });
    // Another producer may use the same name.
    expect((await call(t, officer, 'POST', '/api/products', { ...dup, producerId: (await makeProducer(t)).id })).statusCode).toBe(201);
  });

  it('an update failing on the unique name keeps the old certifications and channels (one transaction)', async () => {
    const producer = await makeProducer(t);
    await makeProduct(t, producer.id, { name: 'Mật ong rừng' });
    const p = await makeProduct(t, producer.id, {
      name: 'Mật ong hoa vải',
      certifications: [{ type: 'organic', name: null, issuer: null, number: null, validFrom: null, validTo: null }],
      channels: [{ kind: 'ocop_point', name: '', url: null }],
    });
    const body = await editBody(p.id, {
      name: 'MẬT ONG RỪNG',
      certifications: [{ type: 'haccp', name: null, issuer: null, number: null, validFrom: null, validTo: null }, { type: 'gmp', name: null, issuer: null, number: null, validFrom: null, validTo: null }],
      channels: [],
    });
    expectProblem(await call(t, officer, 'PUT', `/api/products/${p.id}`, body), 409, 'DUPLICATE_PRODUCT_NAME');
    const after = (await call(t, officer, 'GET', `/api/products/${p.id}`)).json();
    expect(after).toMatchObject({ name: 'Mật ong hoa vải', version: 1 });
    expect(after.certifications.map((c: { type: string }) => c.type)).toEqual(['organic']);
    expect(after.channels.map((c: { kind: string }) => c.kind)).toEqual(['ocop_point']);
    expect(await countOfProducer(producer.id)).toEqual({ products: 2, certifications: 1, channels: 1 });
  });

  it('unknown product → 404 on every route; malformed id → 400', async () => {
    const none = '00000000-0000-4000-8000-000000000000';
    expectProblem(await call(t, viewer, 'GET', `/api/products/${none}`), 404, 'NOT_FOUND');
    expectProblem(await call(t, viewer, 'GET', `/api/products/${none}/history`), 404, 'NOT_FOUND');
    expectProblem(await call(t, officer, 'PUT', `/api/products/${none}`, { ...(await productInput(t, (await makeProducer(t)).id)), version: 1 }), 404, 'NOT_FOUND');
    expectProblem(await call(t, viewer, 'GET', '/api/products/123'), 400, 'VALIDATION');
  });
});

describe('products: update and history', () => {
  it('history shows before/after of only the changed fields, with the actor’s login', async () => {
    const producer = await makeProducer(t);
    const p = await makeProduct(t, producer.id, {
      // Deliberately not in the stored order: an unchanged list must not show up as a change.
      certifications: [
        { type: 'vietgap', name: null, issuer: null, number: null, validFrom: null, validTo: null },
        { type: 'organic', name: null, issuer: null, number: null, validFrom: null, validTo: null },
      ],
      channels: [{ kind: 'supermarket', name: 'WinMart', url: null }, { kind: 'marketplace', name: 'Shopee', url: null }],
    });
    const body = await editBody(p.id, { brand: 'Chũ Xanh', description: 'Quả to, cùi dày', certifications: p.certifications.map(({ id: _i, expired: _e, ...c }) => c).reverse() });
    const res = await call(t, officer, 'PUT', `/api/products/${p.id}`, body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ brand: 'Chũ Xanh', description: 'Quả to, cùi dày', version: 2 });
    const hist = await call(t, viewer, 'GET', `/api/products/${p.id}/history`);
    expect(hist.statusCode).toBe(200);
    const [last, first] = hist.json();
    expect(first.action).toBe('create');
    expect(last).toMatchObject({ action: 'update', actor: officer.login });
    expect(last.before).toEqual({ brand: null, description: null });
    expect(last.after).toEqual({ brand: 'Chũ Xanh', description: 'Quả to, cùi dày' });
    expect(new Date(last.at).getTime()).toBeGreaterThanOrEqual(new Date(first.at).getTime());
    // The creation names what it refers to by id (producer, unit, taxonomy leaf): the screen shows no ids.
    expect(first.names[`producerId:${producer.id}`]).toBe(producer.legalName);
    expect(first.names[`registeredUnitId:${first.after.registeredUnitId}`]).toMatch(/^(Xã|Phường|Thị trấn|Đặc khu) .+ — /);
    expect(first.names[`taxonomyNodeId:${first.after.taxonomyNodeId}`]).toMatch(/\S+ \S+/);
    expect(JSON.stringify(Object.values(first.names))).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('a changed certification list is recorded as before/after lists', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const res = await call(t, officer, 'PUT', `/api/products/${p.id}`, await editBody(p.id, {
      certifications: [{ type: 'globalgap', name: null, issuer: 'Control Union', number: 'GG-9', validFrom: null, validTo: null }],
    }));
    expect(res.statusCode).toBe(200);
    const [last] = (await call(t, viewer, 'GET', `/api/products/${p.id}/history`)).json();
    expect(last.before).toEqual({ certifications: [] });
    expect(last.after).toEqual({ certifications: [{ type: 'globalgap', name: null, issuer: 'Control Union', number: 'GG-9', validFrom: null, validTo: null }] });
  });

  it('a stale version → 409 VERSION_CONFLICT and the newer data stays', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const body = await editBody(p.id);
    expect((await call(t, officer, 'PUT', `/api/products/${p.id}`, { ...body, brand: 'Một' })).statusCode).toBe(200);
    expectProblem(await call(t, officer, 'PUT', `/api/products/${p.id}`, { ...body, brand: 'Hai' }), 409, 'VERSION_CONFLICT');
    expect((await call(t, viewer, 'GET', `/api/products/${p.id}`)).json()).toMatchObject({ brand: 'Một', version: 2 });
  });

  it('PUT without a version → 400 on body.version', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const { version: _v, ...body } = await editBody(p.id);
    const res = expectProblem(await call(t, officer, 'PUT', `/api/products/${p.id}`, body), 400, 'VALIDATION');
    expect(res.errors!.map((e) => e.path)).toEqual(['body.version']);
  });

  it('PUT validates references like POST (non-leaf → 422)', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    expectProblem(await call(t, officer, 'PUT', `/api/products/${p.id}`, await editBody(p.id, { taxonomyNodeId: await nodeId('II') })), 422, 'TAXONOMY_NOT_LEAF');
  });
});

describe('products: permissions', () => {
  it('a producer user cannot edit another producer’s product', async () => {
    const mine = await makeProducer(t);
    const theirs = await makeProducer(t);
    const other = await makeProduct(t, theirs.id);
    const s = await signIn(t, 'producer', { producerId: mine.id });
    const input = await productInput(t, theirs.id, { name: other.name });
    const res = await call(t, s, 'PUT', `/api/products/${other.id}`, { ...input, version: other.version });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const read = await call(t, s, 'GET', `/api/products/${other.id}`);
    expect(read.statusCode).toBe(403);
  });

  it.each(['viewer', 'council_member'] as const)('%s cannot create or edit products (403), nothing written', async (role) => {
    const s = await signIn(t, role);
    const producer = await makeProducer(t);
    expectProblem(await call(t, s, 'POST', '/api/products', await productInput(t, producer.id)), 403, 'FORBIDDEN');
    expect((await countOfProducer(producer.id)).products).toBe(0);
    const p = await makeProduct(t, producer.id);
    expectProblem(await call(t, s, 'PUT', `/api/products/${p.id}`, await editBody(p.id, { brand: 'x' })), 403, 'FORBIDDEN');
    expect((await call(t, s, 'GET', `/api/products/${p.id}`)).json()).toMatchObject({ brand: null, version: 1 });
    expect((await call(t, s, 'GET', `/api/products/${p.id}/history`)).statusCode).toBe(200);
  });

  describe('commune officer of phường Chũ', () => {
    let co: Session;
    beforeAll(async () => { co = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] }); });

    it('creates products in phường Chũ (stars come from certificates, which it does not record)', async () => {
      const producer = await makeProducer(t);
      const res = await call(t, co, 'POST', '/api/products', await productInput(t, producer.id));
      expect(res.statusCode).toBe(201);
      expect(res.json().stars).toBeNull();
      expectProblem(await call(t, co, 'POST', '/api/products', await productInput(t, producer.id, { recognition: recognition(3) })), 422, 'RECOGNITION_READ_ONLY');
      expectProblem(await call(t, co, 'POST', '/api/certificates/legacy', {
        productId: res.json().id, star: 3, decisionNumber: '1/QĐ', decisionDate: '2024-01-10', issuingAuthority: 'UBND tỉnh Bắc Giang',
      }), 403, 'FORBIDDEN');
    });

    it('cannot create or edit a product registered in another commune (403)', async () => {
      const lucNgan = await unitId(t, 'bn-x-luc-ngan');
      const producer = await makeProducer(t, { unitId: lucNgan });
      expectProblem(await call(t, co, 'POST', '/api/products', await productInput(t, producer.id, { registeredUnitId: lucNgan })), 403, 'FORBIDDEN');
      expect((await countOfProducer(producer.id)).products).toBe(0);
      const p = await makeProduct(t, producer.id, { registeredUnitId: lucNgan });
      expectProblem(await call(t, co, 'PUT', `/api/products/${p.id}`, await editBody(p.id, { brand: 'x' })), 403, 'FORBIDDEN');
      // Nor move one of its own products out of its communes.
      const mine = await makeProduct(t, (await makeProducer(t)).id);
      expectProblem(await call(t, co, 'PUT', `/api/products/${mine.id}`, await editBody(mine.id, { registeredUnitId: lucNgan })), 403, 'FORBIDDEN');
    });

    it('CAN create and edit a product registered under a predecessor (pre-2024 xã Hồng Giang)', async () => {
      const hongGiang = await unitId(t, 'ln-hong-giang');
      const producer = await makeProducer(t, { unitId: hongGiang });
      expect((await call(t, co, 'POST', '/api/products', await productInput(t, producer.id, { registeredUnitId: hongGiang }))).statusCode).toBe(201);
      const p = await makeProduct(t, producer.id, { registeredUnitId: hongGiang });
      await recordLegacy(t, p.id, { star: 3 });
      const res = await call(t, co, 'PUT', `/api/products/${p.id}`, await editBody(p.id, { brand: 'Hồng Giang xưa' }));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ brand: 'Hồng Giang xưa', stars: 3 });
    });
  });

  describe('producer user', () => {
    let producerId: string;
    let s: Session;
    beforeAll(async () => {
      producerId = (await makeProducer(t)).id;
      s = await signIn(t, 'producer', { producerId });
    });

    it('registers and edits its own products, without recognition', async () => {
      const res = await call(t, s, 'POST', '/api/products', await productInput(t, producerId, { registeredUnitId: await unitId(t, 'bn-x-luc-ngan') }));
      expect(res.statusCode).toBe(201);
      const upd = await call(t, s, 'PUT', `/api/products/${res.json().id}`, await editBody(res.json().id, { story: 'Câu chuyện sản phẩm' }));
      expect(upd.statusCode).toBe(200);
      expect(upd.json().story).toBe('Câu chuyện sản phẩm');
    });

    it('cannot set stars or certificate data on create or update (422, naming the fields), nor record a certificate (403)', async () => {
      const input = await productInput(t, producerId, { recognition: recognition(5) });
      expectProblem(await call(t, s, 'POST', '/api/products', input), 422, 'RECOGNITION_READ_ONLY');
      const gia = expectProblem(await call(t, s, 'POST', '/api/products', await productInput(t, producerId, { recognition: recognition(null, { certificateNumber: 'GIA-001' }) })), 422, 'RECOGNITION_READ_ONLY');
      expect(gia.errors).toEqual([{ path: 'body.recognition.certificateNumber', message: expect.any(String) }]);
      const p = await makeProduct(t, producerId);
      await recordLegacy(t, p.id, { star: 3 });
      expectProblem(await call(t, s, 'PUT', `/api/products/${p.id}`, await editBody(p.id, { recognition: recognition(5) })), 422, 'RECOGNITION_READ_ONLY');
      expectProblem(await call(t, s, 'PUT', `/api/products/${p.id}`, await editBody(p.id, { recognition: recognition(null) })), 422, 'RECOGNITION_READ_ONLY');
      expect((await call(t, s, 'GET', `/api/products/${p.id}`)).json()).toMatchObject({ stars: 3, version: 2 });
      expectProblem(await call(t, s, 'POST', '/api/certificates/legacy', {
        productId: p.id, star: 5, decisionNumber: '1/QĐ', decisionDate: '2024-01-10', issuingAuthority: 'UBND tỉnh Bắc Giang',
      }), 403, 'FORBIDDEN');
      // Editing other fields of a recognised product keeps the stars and is allowed (the form sends back what it read).
      const ok = await call(t, s, 'PUT', `/api/products/${p.id}`, await editBody(p.id, { brand: 'Nhãn mới' }));
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ brand: 'Nhãn mới', stars: 3 });
    });

    it('edits its description, story, brand and channels but never the officer fields (registered unit, group, key product, demo flag)', async () => {
      const p = await makeProduct(t, producerId, { registeredUnitId: await unitId(t, 'bn-p-chu') });
      const co = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
      for (const [field, value] of [
        ['registeredUnitId', await unitId(t, 'bn-x-luc-ngan')], ['keyProduct', true], ['isDemo', true], ['taxonomyNodeId', await leafId(t, 'I.2.a')],
      ] as const) {
        const body = expectProblem(await call(t, s, 'PUT', `/api/products/${p.id}`, await editBody(p.id, { [field]: value })), 403, 'FIELD_NOT_EDITABLE');
        expect(body.errors).toEqual([{ path: `body.${field}`, message: 'Chỉ cán bộ OCOP được sửa' }]);
      }
      // Nothing changed: the responsible commune officer still has the product in scope.
      const still = await call(t, co, 'PUT', `/api/products/${p.id}`, await editBody(p.id, { keyProduct: true }));
      expect(still.statusCode, still.body).toBe(200);
      const mine = await call(t, s, 'PUT', `/api/products/${p.id}`, await editBody(p.id, { description: 'Quả to, cùi dày', channels: [{ kind: 'marketplace', name: 'Voso', url: 'https://voso.vn/vai' }] }));
      expect(mine.statusCode, mine.body).toBe(200);
      expect(mine.json()).toMatchObject({ description: 'Quả to, cùi dày', keyProduct: true, unit: { id: await unitId(t, 'bn-p-chu') } });
      // Creating: no key-product mark or demo flag either.
      expectProblem(await call(t, s, 'POST', '/api/products', await productInput(t, producerId, { keyProduct: true })), 403, 'FIELD_NOT_EDITABLE');
    });

    it('cannot create a product for another producer, nor hand its product over (403)', async () => {
      const other = await makeProducer(t);
      expectProblem(await call(t, s, 'POST', '/api/products', await productInput(t, other.id)), 403, 'FORBIDDEN');
      expect((await countOfProducer(other.id)).products).toBe(0);
      const p = await makeProduct(t, producerId);
      expectProblem(await call(t, s, 'PUT', `/api/products/${p.id}`, await editBody(p.id, { producerId: other.id })), 403, 'FORBIDDEN');
    });

    it('lists only its own products, whatever the filters', async () => {
      const own = await makeProduct(t, producerId, { name: `Riêng ${unique()}` });
      const other = await makeProduct(t, (await makeProducer(t)).id);
      const all = await call(t, s, 'GET', '/api/products?pageSize=200');
      expect(all.statusCode).toBe(200);
      expect(all.json().items.every((i: { producer: { id: string } }) => i.producer.id === producerId)).toBe(true);
      expect(all.json().total).toBe(await scalar(t, 'select count(*) from products where producer_id = $1', [producerId]));
      expect(ids(all)).toContain(own.id);
      expect((await call(t, s, 'GET', `/api/products?producerId=${other.producer.id}`)).json().total).toBe(0);
      expectProblem(await call(t, s, 'GET', `/api/products/${other.id}/history`), 403, 'FORBIDDEN');
    });

    it('cannot export (403)', async () => {
      expectProblem(await call(t, s, 'GET', '/api/products/export.xlsx'), 403, 'FORBIDDEN');
    });
  });

  it('anonymous → 401 on every product route', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const photo = (await upload(officer, p.id, await pngOf(), 'a.png', 'image/png')).json();
    const up = fileUpload(await pngOf(), 'a.png', 'image/png');
    for (const [m, u, b] of [
      ['GET', '/api/products', undefined], ['GET', '/api/products/export.xlsx', undefined], ['GET', `/api/products/${p.id}`, undefined],
      ['POST', '/api/products', await productInput(t, p.producer.id)], ['PUT', `/api/products/${p.id}`, await editBody(p.id)],
      ['GET', `/api/products/${p.id}/history`, undefined], ['DELETE', `/api/products/${p.id}/photos/${photo.id}`, undefined],
      ['GET', `/api/photos/${photo.id}/thumb`, undefined], ['GET', `/api/photos/${photo.id}/full`, undefined],
    ] as const) {
      expectProblem(await call(t, null, m, u, b), 401, 'UNAUTHENTICATED');
    }
    expectProblem(await call(t, null, 'POST', `/api/products/${p.id}/photos`, up.payload, up.headers), 401, 'UNAUTHENTICATED');
    expect(await scalar(t, 'select count(*) from product_photos where product_id = $1', [p.id])).toBe(1);
  });
});

describe('products: list filters, sorting, paging', () => {
  let tag: string;
  let a: Item; let b: Item; let c: Item; let d: Item;
  let certA: { number: string }; let certD: { number: string };
  let chu: number;
  beforeAll(async () => {
    tag = unique('l').toLowerCase();
    chu = await unitId(t, 'bn-p-chu');
    const coop = await makeProducer(t, { kind: 'cooperative', legalName: `HTX Bình Minh ${tag}` });
    const firm = await makeProducer(t, { kind: 'enterprise', legalName: `Công ty An Phú ${tag}` });
    a = await makeProduct(t, coop.id, {
      name: `Anh đào ${tag}`, taxonomyNodeId: await nodeId('I.1.a'),
      certifications: [{ type: 'vietgap', name: null, issuer: null, number: null, validFrom: null, validTo: null }],
    });
    b = await makeProduct(t, coop.id, {
      name: `Bánh chưng ${tag}`, taxonomyNodeId: await nodeId('II.1.a'), registeredUnitId: await unitId(t, 'ln-hong-giang'),
      channels: [{ kind: 'marketplace', name: 'Shopee', url: null }], processingLevel: 'processed', keyProduct: true,
    });
    c = await makeProduct(t, firm.id, {
      name: `Cam sành ${tag}`, taxonomyNodeId: await nodeId('II.2.b'), registeredUnitId: await unitId(t, 'bn-x-luc-ngan'),
      channels: [{ kind: 'supermarket', name: 'WinMart', url: null }],
    });
    d = await makeProduct(t, firm.id, {
      name: `Dưa hấu ${tag}`, taxonomyNodeId: await nodeId('I.1.b'),
      certifications: [{ type: 'organic', name: null, issuer: null, number: null, validFrom: null, validTo: null }],
    });
    // Stars and recognition years come from certificates (paper ones here). d's expired on 10/05/2024: it keeps its
    // history (year, number) but no longer counts as a 4★ product anywhere (effective star).
    certA = await recordLegacy(t, a.id, { star: 4, decisionDate: '2024-05-10' });
    await recordLegacy(t, b.id, { star: 3, decisionDate: '2024-06-10' });
    certD = await recordLegacy(t, d.id, { star: 4, decisionDate: '2021-05-10' });
  });
  const list = (qs: string) => call(t, viewer, 'GET', `/api/products?q=${tag}&${qs}`);

  it('stars: a value, several values, and 0 = not recognised', async () => {
    expect(ids(await list('stars=4'))).toEqual([a.id]);
    // d's certificate expired: it is among the products without a star in force.
    expect(ids(await list('stars=0')).sort()).toEqual([c.id, d.id].sort());
    expect(ids(await list('stars=0,3')).sort()).toEqual([b.id, c.id, d.id].sort());
    expect(ids(await list('stars=5'))).toEqual([]);
    expect((await list('')).json().items.find((i: Item) => i.id === d.id)?.stars ?? null).toBeNull();
  });

  it('taxonomyNodeId at sector or group level matches its leaves', async () => {
    expect(ids(await list(`taxonomyNodeId=${await nodeId('II')}`)).sort()).toEqual([b.id, c.id].sort());
    expect(ids(await list(`taxonomyNodeId=${await nodeId('I')}`)).sort()).toEqual([a.id, d.id].sort());
    expect(ids(await list(`taxonomyNodeId=${await nodeId('I.1')}`)).sort()).toEqual([a.id, d.id].sort());
    expect(ids(await list(`taxonomyNodeId=${await nodeId('I.1.b')}`))).toEqual([d.id]);
  });

  it('unitId of a 2025 unit finds products registered under its pre-2024 predecessor', async () => {
    expect(ids(await list(`unitId=${chu}`)).sort()).toEqual([a.id, b.id, d.id].sort());
    expect(ids(await list(`unitId=${await unitId(t, 'chu-p-hong-giang')}`))).toEqual([b.id]);
    expect(ids(await list(`unitId=${await unitId(t, 'bn-x-luc-ngan')}`))).toEqual([c.id]);
  });

  it('producerKind, certification, channel, processing level, key product, recognition years', async () => {
    expect(ids(await list('producerKind=enterprise')).sort()).toEqual([c.id, d.id].sort());
    expect(ids(await list('producerKind=cooperative,household')).sort()).toEqual([a.id, b.id].sort());
    expect(ids(await list('certification=vietgap'))).toEqual([a.id]);
    expect(ids(await list('certification=vietgap,organic')).sort()).toEqual([a.id, d.id].sort());
    expect(ids(await list('channel=marketplace'))).toEqual([b.id]);
    expect(ids(await list('channel=supermarket,marketplace')).sort()).toEqual([b.id, c.id].sort());
    expect(ids(await list('processingLevel=processed'))).toEqual([b.id]);
    expect(ids(await list('keyProduct=true'))).toEqual([b.id]);
    expect(ids(await list('keyProduct=false')).sort()).toEqual([a.id, c.id, d.id].sort());
    expect(ids(await list('recognizedFrom=2022')).sort()).toEqual([a.id, b.id].sort());
    expect(ids(await list('recognizedTo=2021'))).toEqual([d.id]);
    expect(ids(await list(`producerId=${c.producer.id}&stars=4`))).toEqual([]);
    expect(ids(await list(`producerId=${c.producer.id}&stars=0`)).sort()).toEqual([c.id, d.id].sort());
  });

  it('sorting by name, stars, recognition year and producer', async () => {
    expect(ids(await list(''))).toEqual([a.id, b.id, c.id, d.id]);
    expect(ids(await list('sort=name&dir=desc'))).toEqual([d.id, c.id, b.id, a.id]);
    // Stars descending: unrecognised last; ties by name.
    expect(ids(await list('sort=stars&dir=desc'))).toEqual([a.id, b.id, c.id, d.id]);
    expect(ids(await list('sort=stars&dir=asc'))).toEqual([c.id, d.id, b.id, a.id]);
    expect(ids(await list('sort=recognitionYear&dir=desc'))).toEqual([a.id, b.id, d.id, c.id]);
    expect(ids(await list('sort=producer'))).toEqual([c.id, d.id, a.id, b.id]);
    const byUpdated = ids(await list('sort=updatedAt&dir=desc'));
    expect(byUpdated.sort()).toEqual([a.id, b.id, c.id, d.id].sort());
  });

  it('paging: totals and pages', async () => {
    const p1 = (await list('pageSize=3&page=1')).json();
    expect(p1).toMatchObject({ total: 4, page: 1, pageSize: 3 });
    expect(p1.items.map((i: Item) => i.id)).toEqual([a.id, b.id, c.id]);
    const p2 = (await list('pageSize=3&page=2')).json();
    expect(p2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(p2.items.map((i: Item) => i.id)).toEqual([d.id]);
    const p3 = (await list('pageSize=3&page=3')).json();
    expect(p3).toMatchObject({ total: 4, items: [] });
    const filtered = (await list('stars=3,4&pageSize=1')).json();
    expect(filtered.total).toBe(2);
    expect(filtered.items).toHaveLength(1);
  });

  it('list rows carry the summary fields', async () => {
    const [row] = (await list('stars=3')).json().items;
    expect(row).toMatchObject({
      id: b.id, name: `Bánh chưng ${tag}`, stars: 3, recognitionYear: 2024, keyProduct: true, processingLevel: 'processed', thumbnailUrl: null,
      producer: { legalName: `HTX Bình Minh ${tag}`, kind: 'cooperative' },
      unit: { name: 'Hồng Giang', type: 'commune' },
      taxonomy: { code: 'II.1.a', path: 'Đồ uống › Đồ uống có cồn › Rượu trắng' },
    });
  });

  it('bad filters → 400 naming the parameter', async () => {
    expect(expectProblem(await list('stars=7'), 400, 'VALIDATION').errors![0].path).toMatch(/^querystring\.stars/);
    expect(expectProblem(await list('certification=iso9001'), 400, 'VALIDATION').errors![0].path).toMatch(/^querystring\.certification/);
    expect(expectProblem(await list('sort=price'), 400, 'VALIDATION').errors![0].path).toBe('querystring.sort');
    expectProblem(await list('page=0'), 400, 'VALIDATION');
  });

  it('export.xlsx: the appendix-01 sheet with the filtered rows', async () => {
    const res = await call(t, viewer, 'GET', `/api/products/export.xlsx?q=${tag}&taxonomyNodeId=${await nodeId('I')}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="danh-sach-san-pham-ocop-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('Phụ lục 01');
    expect(ws.getCell('A1').value).toBe('DANH SÁCH SẢN PHẨM OCOP');
    expect(ws.getCell('A2').value).toBe('Danh sách đã lọc theo điều kiện tìm kiếm');
    expect((ws.getRow(4).values as unknown[]).slice(1)).toEqual([
      'STT', 'Tên sản phẩm', 'Chủ thể', 'Địa chỉ', 'Nhóm sản phẩm', 'Hạng sao', 'Năm công nhận', 'Số giấy chứng nhận', 'Ngày hết hạn',
    ]);
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(row(5)).toEqual([1, `Anh đào ${tag}`, `HTX Bình Minh ${tag}`, '', 'Thực phẩm › Thực phẩm tươi sống › Rau, củ, quả, hạt tươi', 4, 2024, certA.number, '10/05/2027']);
    // An expired certificate: no star in the star column (the number and its past expiry stay for the record).
    expect(row(6)).toEqual([2, `Dưa hấu ${tag}`, `Công ty An Phú ${tag}`, '', 'Thực phẩm › Thực phẩm tươi sống › Thịt, thủy sản, trứng, sữa tươi', '', 2021, certD.number, '10/05/2024']);
    expect(String(ws.getRow(7).getCell(2).value)).toMatch(/^Tổng số: 2 sản phẩm/);
    expect(ws.rowCount).toBe(7);
  });

  it('export.xlsx without filters says it is the whole registry', async () => {
    const res = await call(t, viewer, 'GET', '/api/products/export.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getCell('A2').value).toBe('Toàn bộ sản phẩm trong cơ sở dữ liệu');
    expect(ws.rowCount).toBeGreaterThanOrEqual(4 + 4 + 1);
  });

  it('export.xlsx follows the sort and formats dates dd/mm/yyyy', async () => {
    // Its own tag, so the shared list fixture above stays exactly four products whatever the test order.
    const own = unique('g').toLowerCase();
    const producer = await makeProducer(t, { address: 'Thôn Thủ Dương' });
    const gao = await makeProduct(t, producer.id, { name: `Gạo nếp ${own}` });
    await recordLegacy(t, gao.id, { star: 5, number: `GCN-${own}`, decisionDate: '2024-07-15' });
    const res = await call(t, officer, 'GET', `/api/products/export.xlsx?q=${own}&stars=5`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(6);
    expect((ws.getRow(5).values as unknown[]).slice(1)).toEqual([1, `Gạo nếp ${own}`, producer.legalName, 'Thôn Thủ Dương', 'Thực phẩm › Thực phẩm tươi sống › Rau, củ, quả, hạt tươi', 5, 2024, `GCN-${own}`, '15/07/2027']);
    const sorted = await call(t, officer, 'GET', `/api/products/export.xlsx?q=${tag}&sort=name&dir=desc&stars=3,4`);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(sorted.rawPayload as unknown as ArrayBuffer);
    expect([5, 6].map((n) => wb2.worksheets[0].getRow(n).getCell(2).value)).toEqual([`Bánh chưng ${tag}`, `Anh đào ${tag}`]);
  });
});

// ------------------------------------------------------------------ photos

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}
function upload(s: Session | null, productId: string, data: Buffer, filename: string, contentType: string, fields: { name: string; data: string }[] = []) {
  const { payload, headers } = fields.length ? multipart([...fields, { name: 'file', data, filename, contentType }]) : fileUpload(data, filename, contentType);
  return call(t, s, 'POST', `/api/products/${productId}/photos`, payload, headers);
}
const photoRows = (productId: string) => scalar(t, 'select count(*) from product_photos where product_id = $1', [productId]);

describe('products: photos', () => {
  it('uploads a real PNG: stored under generated keys; the thumbnail is a small WebP; the full image is the re-encoded original', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const png = await pngOf(40, 30);
    const res = await upload(officer, p.id, png, 'vai.png', 'image/png', [{ name: 'caption', data: 'Vườn vải' }]);
    expect(res.statusCode).toBe(201);
    const ph = res.json();
    expect(ph).toEqual({ id: expect.any(String), url: `/api/photos/${ph.id}/full`, thumbnailUrl: `/api/photos/${ph.id}/thumb`, width: 40, height: 30, bytes: expect.any(Number), caption: 'Vườn vải' });

    const thumb = await call(t, viewer, 'GET', ph.thumbnailUrl);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(thumb.headers['x-content-type-options']).toBe('nosniff');
    const meta = await sharp(thumb.rawPayload).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 40, 30]);
    const full = await call(t, viewer, 'GET', ph.url);
    expect(full.headers['content-type']).toBe('image/png');
    // Re-encoded without metadata (EXIF/GPS: files/uploads-security.test.ts): same format, size and pixels.
    expect(full.rawPayload.length).toBe(ph.bytes);
    const fullMeta = await sharp(full.rawPayload).metadata();
    expect([fullMeta.format, fullMeta.width, fullMeta.height]).toEqual(['png', 40, 30]);
    expect(Buffer.compare(await sharp(full.rawPayload).raw().toBuffer(), await sharp(png).raw().toBuffer())).toBe(0);

    const detail = (await call(t, viewer, 'GET', `/api/products/${p.id}`)).json();
    expect(detail.photos).toEqual([ph]);
    expect(detail.thumbnailUrl).toBe(ph.thumbnailUrl);
    const [row] = await t.dbh.query<{ storage_key: string; thumb_key: string }>('select storage_key, thumb_key from product_photos where id = $1', [ph.id]);
    expect(row.storage_key).toMatch(/^photos\/[0-9a-f]{2}\/[0-9a-f-]{36}\.png$/);
    expect(row.thumb_key).toMatch(/^thumbs\/[0-9a-f]{2}\/[0-9a-f-]{36}\.webp$/);
    expect(fs.existsSync(path.join(t.filesDir, row.storage_key))).toBe(true);
    const hist = (await call(t, viewer, 'GET', `/api/products/${p.id}/history`)).json();
    expect(hist[0]).toMatchObject({ action: 'add_photo', actor: officer.login, after: { photoId: ph.id, width: 40, height: 30 } });
  });

  it('a large JPEG gets a thumbnail of at most 480 px; the type is sniffed from the bytes, not the name', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const jpg = await jpegOf(1200, 800);
    const res = await upload(officer, p.id, jpg, 'anh.png', 'application/octet-stream');
    expect(res.statusCode).toBe(201);
    const thumb = await call(t, viewer, 'GET', res.json().thumbnailUrl);
    const meta = await sharp(thumb.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([480, 320]);
    expect((await call(t, viewer, 'GET', res.json().url)).headers['content-type']).toBe('image/jpeg');
  });

  it('a renamed executable ("MZ…" as photo.jpg) → 415 and nothing stored', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const filesBefore = listFiles(t.filesDir);
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'binary'), Buffer.alloc(2048, 0x41)]);
    const res = await upload(officer, p.id, exe, 'photo.jpg', 'image/jpeg');
    expect(expectProblem(res, 415, 'UNSUPPORTED_FILE').detail).toBe('Chỉ nhận ảnh JPEG, PNG hoặc WebP');
    expect(await photoRows(p.id)).toBe(0);
    expect(listFiles(t.filesDir)).toEqual(filesBefore);
  });

  it('a truncated PNG (right signature, broken body) → 415 and nothing stored', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const filesBefore = listFiles(t.filesDir);
    const broken = (await pngOf()).subarray(0, 40);
    expectProblem(await upload(officer, p.id, broken, 'x.png', 'image/png'), 415, 'UNSUPPORTED_FILE');
    expect(await photoRows(p.id)).toBe(0);
    expect(listFiles(t.filesDir)).toEqual(filesBefore);
  });

  it('an oversized file (> 2 MiB, the test limit) → 413 and nothing stored', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const filesBefore = listFiles(t.filesDir);
    const png = await pngOf();
    const big = Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024 + 1024, 0)]);
    const res = await upload(officer, p.id, big, 'big.png', 'image/png');
    expect(expectProblem(res, 413, 'FILE_TOO_LARGE').title).toBe('Tệp quá lớn');
    expect(await photoRows(p.id)).toBe(0);
    expect(listFiles(t.filesDir)).toEqual(filesBefore);
  });

  it('a photo between the 1 MiB JSON body limit and the 2 MiB upload limit is accepted', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const png = await pngOf();
    const padded = Buffer.concat([png, Buffer.alloc(1536 * 1024, 0)]); // trailing bytes after IEND are ignored by decoders
    const res = await upload(officer, p.id, padded, 'vua.png', 'image/png');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().bytes).toBeLessThan(padded.length); // re-encoded: the trailing bytes are not kept
  });

  it('a path-traversal file name is ignored: the file is stored under a generated key inside filesDir', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const filesBefore = listFiles(t.filesDir);
    const res = await upload(officer, p.id, await pngOf(), '../../etc/passwd.png', 'image/png');
    expect(res.statusCode).toBe(201);
    const added = listFiles(t.filesDir).filter((f) => !filesBefore.includes(f));
    expect(added).toHaveLength(2);
    for (const f of added) expect(f).toMatch(/^(photos\/[0-9a-f]{2}\/[0-9a-f-]{36}\.png|thumbs\/[0-9a-f]{2}\/[0-9a-f-]{36}\.webp)$/);
    expect(listFiles(t.filesDir).some((f) => f.includes('passwd'))).toBe(false);
    expect(fs.existsSync(path.resolve(t.filesDir, '../../etc/passwd.png'))).toBe(false);
    expect(fs.existsSync(path.resolve(t.filesDir, '../etc/passwd.png'))).toBe(false);
  });

  it('an upload without a file → 400; a non-multipart body → 415', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const onlyCaption = multipart([{ name: 'caption', data: 'x' }]);
    const r1 = await call(t, officer, 'POST', `/api/products/${p.id}/photos`, onlyCaption.payload, onlyCaption.headers);
    expect(expectProblem(r1, 400, 'VALIDATION').errors).toEqual([{ path: 'file', message: 'Chưa chọn tệp ảnh' }]);
    expectProblem(await call(t, officer, 'POST', `/api/products/${p.id}/photos`, { file: 'x' }), 415, 'UNSUPPORTED_FILE');
    expect(await photoRows(p.id)).toBe(0);
  });

  it('delete removes the row and both files; then the photo is 404', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const ph = (await upload(officer, p.id, await pngOf(), 'a.png', 'image/png')).json();
    const [row] = await t.dbh.query<{ storage_key: string; thumb_key: string }>('select storage_key, thumb_key from product_photos where id = $1', [ph.id]);
    const res = await call(t, officer, 'DELETE', `/api/products/${p.id}/photos/${ph.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect(await photoRows(p.id)).toBe(0);
    expect(fs.existsSync(path.join(t.filesDir, row.storage_key))).toBe(false);
    expect(fs.existsSync(path.join(t.filesDir, row.thumb_key))).toBe(false);
    expectProblem(await call(t, viewer, 'GET', ph.thumbnailUrl), 404, 'NOT_FOUND');
    expectProblem(await call(t, officer, 'DELETE', `/api/products/${p.id}/photos/${ph.id}`), 404, 'NOT_FOUND');
    expect((await call(t, viewer, 'GET', `/api/products/${p.id}/history`)).json()[0]).toMatchObject({ action: 'remove_photo', before: { photoId: ph.id } });
  });

  it('an upload to an unknown product → 404 and nothing stored', async () => {
    const filesBefore = listFiles(t.filesDir);
    expectProblem(await upload(officer, '00000000-0000-4000-8000-000000000000', await pngOf(), 'a.png', 'image/png'), 404, 'NOT_FOUND');
    expect(listFiles(t.filesDir)).toEqual(filesBefore);
  });

  it('a photo whose file vanished from disk → 404 problem+json without a stack trace or a disk path', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const ph = (await upload(officer, p.id, await pngOf(), 'a.png', 'image/png')).json();
    const [row] = await t.dbh.query<{ storage_key: string }>('select storage_key from product_photos where id = $1', [ph.id]);
    fs.rmSync(path.join(t.filesDir, row.storage_key));
    const res = await call(t, viewer, 'GET', ph.url);
    const body = expectProblem(res, 404, 'NOT_FOUND');
    expect(body.detail).toBe('Tệp ảnh không còn trên máy chủ');
    expect(res.body).not.toContain(t.filesDir);
    expect(res.body).not.toContain('ENOENT');
  });

  it('a photo cannot be deleted through another product', async () => {
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const q = await makeProduct(t, (await makeProducer(t)).id);
    const ph = (await upload(officer, p.id, await pngOf(), 'a.png', 'image/png')).json();
    expectProblem(await call(t, officer, 'DELETE', `/api/products/${q.id}/photos/${ph.id}`), 404, 'NOT_FOUND');
    expect(await photoRows(p.id)).toBe(1);
  });

  it('permissions: a producer user uploads to its own product only and cannot see others’ photos; viewers cannot upload', async () => {
    const mine = await makeProducer(t);
    const s = await signIn(t, 'producer', { producerId: mine.id });
    const own = await makeProduct(t, mine.id);
    const other = await makeProduct(t, (await makeProducer(t)).id);
    expect((await upload(s, own.id, await pngOf(), 'a.png', 'image/png')).statusCode).toBe(201);
    const filesBefore = listFiles(t.filesDir);
    expectProblem(await upload(s, other.id, await pngOf(), 'a.png', 'image/png'), 403, 'FORBIDDEN');
    expectProblem(await upload(viewer, other.id, await pngOf(), 'a.png', 'image/png'), 403, 'FORBIDDEN');
    expect(listFiles(t.filesDir)).toEqual(filesBefore);
    const theirPhoto = (await upload(officer, other.id, await pngOf(), 'b.png', 'image/png')).json();
    expectProblem(await call(t, s, 'GET', theirPhoto.thumbnailUrl), 403, 'FORBIDDEN');
    expectProblem(await call(t, s, 'DELETE', `/api/products/${other.id}/photos/${theirPhoto.id}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, viewer, 'DELETE', `/api/products/${other.id}/photos/${theirPhoto.id}`), 403, 'FORBIDDEN');
    expect(await photoRows(other.id)).toBe(1);
    expectProblem(await call(t, viewer, 'GET', `/api/photos/${theirPhoto.id}/original`), 400, 'VALIDATION');
  });
});
