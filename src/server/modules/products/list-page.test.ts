import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, unique, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { recordLegacy } from '../../../../test/helpers/certificates.js';
import { findProducts } from './repository.js';
import { ZProductListQuery } from './schema.js';

// The registry list and search answer in one statement (db/paging.ts findPageRows): the page's rows, their joined
// columns and the total counted up to a cap ("more than N" beyond it). A small cap stands in for COUNT_CAP here.
let t: TestApp;
let officer: Session;
let producerId: string;
let token: string;
beforeAll(async () => {
  t = await buildTestApp();
  officer = await signIn(t, 'province_officer');
  token = unique('capz').toLowerCase();
  const producer = await makeProducer(t);
  producerId = producer.id;
  for (const n of ['Mứt gừng', 'Chè búp', 'Mật ong', 'Bánh đa', 'Gạo nếp']) {
    await makeProduct(t, producerId, { name: `${n} ${token}` });
  }
});
afterAll(async () => { await t?.close(); });

/** Name order (accent-insensitive): Bánh, Chè, Gạo, Mật, Mứt. */
const sorted = () => ['Bánh đa', 'Chè búp', 'Gạo nếp', 'Mật ong', 'Mứt gừng'].map((n) => `${n} ${token}`);
const q = (raw: Record<string, string>) => ZProductListQuery.parse(raw);

describe('products list: capped count', () => {
  it('a filtered list counts up to the cap and says when there are more', async () => {
    expect(await findProducts(t.dbh.db, q({ producerId }), undefined, 3)).toMatchObject({ total: 3, totalCapped: true });
    expect(await findProducts(t.dbh.db, q({ producerId }), undefined, 4)).toMatchObject({ total: 4, totalCapped: true });
    // Exactly at the cap is not "more than".
    expect(await findProducts(t.dbh.db, q({ producerId }), undefined, 5)).toMatchObject({ total: 5, totalCapped: false });
    const page = await findProducts(t.dbh.db, q({ producerId, pageSize: '2' }), undefined, 3);
    expect(page.items.map((i) => i.product.name)).toEqual(sorted().slice(0, 2));
  });

  it('a text search counts its matches the same way (capped), and pages through them in name order', async () => {
    const capped = await findProducts(t.dbh.db, q({ q: token, pageSize: '2', page: '2' }), undefined, 3);
    expect(capped).toMatchObject({ total: 3, totalCapped: true });
    expect(capped.items).toHaveLength(2);
    const all = await findProducts(t.dbh.db, q({ q: token }));
    expect(all).toMatchObject({ total: 5, totalCapped: false });
    expect(all.items.map((i) => i.product.name)).toEqual(sorted());
    expect(capped.items.map((i) => i.product.id)).toEqual(all.items.slice(2, 4).map((i) => i.product.id));
  });

  it('a page past the end still carries the (capped) total', async () => {
    expect(await findProducts(t.dbh.db, q({ q: token, page: '9' }), undefined, 3)).toMatchObject({ items: [], total: 3, totalCapped: true });
    expect(await findProducts(t.dbh.db, q({ producerId, page: '9' }), undefined, 3)).toMatchObject({ items: [], total: 3, totalCapped: true });
    expect(await findProducts(t.dbh.db, q({ producerId, page: '9' }))).toMatchObject({ items: [], total: 5, totalCapped: false });
  });

  it('a list row says what the product page says (dates, star, producer, unit, group)', async () => {
    const first = (await findProducts(t.dbh.db, q({ producerId }))).items[0];
    await recordLegacy(t, first.product.id, {});
    const res = await call(t, officer, 'GET', `/api/products?producerId=${producerId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 5, totalCapped: false, page: 1, pageSize: 20 });
    for (const item of res.json().items as Record<string, unknown>[]) {
      const detail = (await call(t, officer, 'GET', `/api/products/${item.id}`)).json();
      for (const [k, v] of Object.entries(item)) expect([k, detail[k]]).toEqual([k, v]);
    }
    const starred = (res.json().items as { id: string; stars: number | null; certificateExpiresOn: string | null }[]).find((i) => i.id === first.product.id)!;
    expect(starred.certificateExpiresOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('a producer user sees only its own products in the count as in the rows', async () => {
    const other = await makeProducer(t);
    await makeProduct(t, other.id, { name: `Nấm hương ${token}` });
    expect(await findProducts(t.dbh.db, q({ q: token }))).toMatchObject({ total: 6 });
    expect(await findProducts(t.dbh.db, q({ q: token }), producerId)).toMatchObject({ total: 5, totalCapped: false });
    expect(await findProducts(t.dbh.db, q({ q: token }), other.id)).toMatchObject({ total: 1 });
  });
});
