/** GET/PUT /api/products/:id/links: validation, audit, and who is refused. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem, scalar } from '../../../../test/helpers/http.js';

let t: TestApp;
let own: Session;
let other: Session;
let province: Session;
let communeIn: Session;
let communeOut: Session;
let viewer: Session;
let product: { id: string };

const link = (over: Record<string, unknown> = {}) => ({ linkType: 'gs1:instructions', href: 'https://htx.vn/huong-dan', title: 'Hướng dẫn', lang: 'vi', isDefault: false, ...over });

beforeAll(async () => {
  t = await buildTestApp();
  const producer = await makeProducer(t);
  const producerB = await makeProducer(t);
  product = await makeProduct(t, producer.id);
  [own, other, province, communeIn, viewer] = await Promise.all([
    signIn(t, 'producer', { producerId: producer.id }), signIn(t, 'producer', { producerId: producerB.id }),
    signIn(t, 'province_officer'), signIn(t, 'commune_officer'), signIn(t, 'viewer'),
  ]);
  communeOut = await signIn(t, 'commune_officer', { unitKeys: ['bn-x-kien-lao'] });
});
afterAll(async () => { await t?.close(); });

describe('product links', () => {
  it('the producer replaces the list; it is read back in order and audited', async () => {
    const res = await call(t, own, 'PUT', `/api/products/${product.id}/links`, { links: [
      link({ isDefault: true }), link({ lang: 'en', href: 'https://htx.vn/en/howto', title: 'How to use' }),
      link({ linkType: 'ocop:catalogue', href: 'https://cho.vn/sp/1', title: 'Mua' }),
    ] });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.links).toHaveLength(3);
    expect(body.links[0]).toEqual(link({ isDefault: true }));
    expect(body.canEdit).toBe(true);
    expect(body.digitalLink).toBeNull(); // no lot with a GTIN yet
    const read = await call(t, own, 'GET', `/api/products/${product.id}/links`);
    expect(read.json().links.map((l: { linkType: string }) => l.linkType)).toEqual(['gs1:instructions', 'gs1:instructions', 'ocop:catalogue']);
    expect(await scalar(t, "select count(*)::int from audit_log where entity_id = $1 and action = 'update_links'", [product.id])).toBe(1);
    const empty = await call(t, own, 'PUT', `/api/products/${product.id}/links`, { links: [] });
    expect(empty.json().links).toEqual([]);
  });

  it('refuses platform link types, non-http addresses, two links of one type and language, two defaults', async () => {
    const put = (links: unknown[]) => call(t, own, 'PUT', `/api/products/${product.id}/links`, { links });
    expectProblem(await put([link({ linkType: 'gs1:defaultLink' })]), 400, 'VALIDATION');
    expectProblem(await put([link({ linkType: 'ocop:certificate' })]), 400, 'VALIDATION');
    expectProblem(await put([link({ href: 'javascript:alert(1)' })]), 400, 'VALIDATION');
    expectProblem(await put([link(), link({ href: 'https://x.vn' })]), 400, 'VALIDATION');
    expectProblem(await put([link({ isDefault: true }), link({ lang: 'en', isDefault: true })]), 400, 'VALIDATION');
    expectProblem(await put([link({ lang: 'fr' })]), 400, 'VALIDATION');
  });

  it('officers in scope write; another producer, an out-of-scope commune officer and a viewer are refused', async () => {
    expect((await call(t, province, 'PUT', `/api/products/${product.id}/links`, { links: [link()] })).statusCode).toBe(200);
    expect((await call(t, communeIn, 'PUT', `/api/products/${product.id}/links`, { links: [link()] })).statusCode).toBe(200);
    expectProblem(await call(t, other, 'PUT', `/api/products/${product.id}/links`, { links: [] }), 403, 'FORBIDDEN');
    expectProblem(await call(t, communeOut, 'PUT', `/api/products/${product.id}/links`, { links: [] }), 403, 'FORBIDDEN');
    expectProblem(await call(t, viewer, 'PUT', `/api/products/${product.id}/links`, { links: [] }), 403, 'FORBIDDEN');
    // Reading: another producer is refused; officers and viewers read (canEdit tells the screen whether to edit).
    expectProblem(await call(t, other, 'GET', `/api/products/${product.id}/links`), 403, 'FORBIDDEN');
    const v = await call(t, viewer, 'GET', `/api/products/${product.id}/links`);
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({ canEdit: false, links: [link()] });
    expect((await call(t, communeOut, 'GET', `/api/products/${product.id}/links`)).json().canEdit).toBe(false);
    const anon = await t.app.inject({ method: 'GET', url: `/api/products/${product.id}/links` });
    expect(anon.statusCode).toBe(401);
  });

  it('an unknown product → 404', async () => {
    expectProblem(await call(t, province, 'GET', '/api/products/00000000-0000-4000-8000-000000000000/links'), 404, 'NOT_FOUND');
  });
});
