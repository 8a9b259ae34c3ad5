import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, type Session, type TestApp } from '../../../../test/helpers/app.js';

let t: TestApp;
let province: Session;
let producerId = '';
let productId = '';
const body = (over: Record<string, unknown> = {}) => ({
  producerId, productId, type: 'labels_packaging', description: 'Thiết kế nhãn và bao bì mới', amountVnd: 25_000_000, fundingSource: 'district_budget',
  activityDate: '2024-04-15', status: 'done', ...over,
});

beforeAll(async () => {
  t = await buildTestApp();
  province = await signIn(t, 'province_officer');
  // makeProducer / makeProduct register under phường Chũ (bn-p-chu).
  const producer = await makeProducer(t);
  producerId = producer.id;
  productId = (await makeProduct(t, producerId)).id;
});
afterAll(async () => t?.close());

describe('support activities', () => {
  it('an officer records support for a product; the amount is integer VND; the product must be the producer’s', async () => {
    const res = await call(t, province, 'POST', '/api/support-activities', body());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ type: 'labels_packaging', amountVnd: 25_000_000, fundingSource: 'district_budget', status: 'done', product: { id: productId }, canEdit: true });
    const other = await makeProducer(t);
    const wrong = await call(t, province, 'POST', '/api/support-activities', body({ producerId: other.id }));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('productId');
    const fraction = await call(t, province, 'POST', '/api/support-activities', body({ amountVnd: 1.5 }));
    expect(fraction.statusCode).toBe(400);
    const badType = await call(t, province, 'POST', '/api/support-activities', body({ type: 'lunch' }));
    expect(badType.statusCode).toBe(400);
  });

  it('support to a producer without a product; edits need the version read', async () => {
    const res = await call(t, province, 'POST', '/api/support-activities', body({ productId: null, type: 'training', status: 'planned' }));
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json();
    const { id, version, producer, product, unitName, canEdit, ...rest } = s;
    const ok = await call(t, province, 'PUT', `/api/support-activities/${id}`, { ...rest, producerId, productId: null, version, status: 'done' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('done');
    const stale = await call(t, province, 'PUT', `/api/support-activities/${id}`, { ...rest, producerId, productId: null, version, status: 'cancelled' });
    expect(stale.statusCode).toBe(409);
    void producer; void product; void unitName; void canEdit;
  });

  it('commune officers write and read only in their communes; viewers and producers never write', async () => {
    const mine = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
    const created = await call(t, mine, 'POST', '/api/support-activities', body({ type: 'testing' }));
    expect(created.statusCode, created.body).toBe(201);
    const elsewhere = await signIn(t, 'commune_officer', { unitKeys: ['bn-x-sa-ly'] });
    expect((await call(t, elsewhere, 'POST', '/api/support-activities', body())).statusCode).toBe(403);
    expect((await call(t, elsewhere, 'GET', `/api/support-activities/${created.json().id}`)).statusCode).toBe(403);
    const list = (await call(t, elsewhere, 'GET', `/api/support-activities?producerId=${producerId}`)).json();
    expect(list.items).toEqual([]);
    const { id, version, producer, product, unitName, canEdit, ...rest } = created.json();
    const put = await call(t, elsewhere, 'PUT', `/api/support-activities/${id}`, { ...rest, producerId, productId, version });
    expect(put.statusCode).toBe(403);
    void producer; void product; void unitName; void canEdit;
    const viewer = await signIn(t, 'viewer');
    expect((await call(t, viewer, 'POST', '/api/support-activities', body())).statusCode).toBe(403);
    expect((await call(t, viewer, 'GET', `/api/support-activities?producerId=${producerId}`)).json().total).toBeGreaterThanOrEqual(3);
    const own = await signIn(t, 'producer', { producerId });
    expect((await call(t, own, 'POST', '/api/support-activities', body())).statusCode).toBe(403);
  });

  it('producers see only their own support', async () => {
    const own = await signIn(t, 'producer', { producerId });
    const mineList = (await call(t, own, 'GET', '/api/support-activities')).json();
    expect(mineList.total).toBeGreaterThanOrEqual(3);
    expect(mineList.items.every((x: { producer: { id: string } }) => x.producer.id === producerId)).toBe(true);
    expect(mineList.totalAmountVnd).toBe(mineList.items.reduce((a: number, x: { amountVnd: number }) => a + x.amountVnd, 0));
    const other = await makeProducer(t);
    const otherProduct = await makeProduct(t, other.id);
    const theirs = (await call(t, province, 'POST', '/api/support-activities', { ...body(), producerId: other.id, productId: otherProduct.id })).json();
    expect((await call(t, own, 'GET', `/api/support-activities/${theirs.id}`)).statusCode).toBe(403);
    const filtered = (await call(t, own, 'GET', `/api/support-activities?producerId=${other.id}`)).json();
    expect(filtered.items).toEqual([]);
    expect((await call(t, null, 'GET', '/api/support-activities')).statusCode).toBe(401);
  });
});
