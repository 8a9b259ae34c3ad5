import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, productInput, signIn, type TestApp } from '../../../../test/helpers/app.js';

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => { await t?.close(); });

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
});
