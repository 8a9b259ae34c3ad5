import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, signIn, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem } from '../../../../test/helpers/http.js';
import { notify } from './service.js';

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => { await t?.close(); });

describe('notifications centre', () => {
  it('lists my notifications newest first with the unread count; marks one and all read', async () => {
    const me = await signIn(t, 'province_officer');
    // Two events, two transactions (within one transaction now() is the same instant).
    await t.dbh.db.transaction((tx) => notify(tx, [me.userId], { kind: 'test', title: 'Thứ nhất', link: '/dossiers' }));
    await new Promise((r) => setTimeout(r, 5));
    await t.dbh.db.transaction((tx) => notify(tx, [me.userId, me.userId], { kind: 'test', title: 'Thứ hai', body: 'Nội dung' }));
    const list = (await call(t, me, 'GET', '/api/notifications')).json();
    expect(list.unread).toBe(2); // the duplicate recipient got one
    expect(list.items.map((n: { title: string }) => n.title)).toEqual(['Thứ hai', 'Thứ nhất']);
    expect((await call(t, me, 'GET', '/api/notifications/unread-count')).json()).toEqual({ unread: 2 });

    const one = await call(t, me, 'POST', `/api/notifications/${list.items[0].id}/read`);
    expect(one.json()).toEqual({ unread: 1 });
    expect((await call(t, me, 'GET', '/api/notifications?unread=true')).json().items.map((n: { title: string }) => n.title)).toEqual(['Thứ nhất']);
    expect((await call(t, me, 'POST', '/api/notifications/read-all')).json()).toEqual({ unread: 0 });
    expect((await call(t, me, 'GET', '/api/notifications')).json().items.every((n: { readAt: string | null }) => n.readAt)).toBe(true);
  });

  it('nobody reads or marks another user’s notification; anonymous callers are refused', async () => {
    const a = await signIn(t, 'commune_officer');
    const b = await signIn(t, 'commune_officer');
    const [n] = await t.dbh.db.transaction((tx) => notify(tx, [a.userId], { kind: 'test', title: 'Riêng của A' }));
    expectProblem(await call(t, b, 'POST', `/api/notifications/${n.id}/read`), 403, 'FORBIDDEN');
    expect((await call(t, b, 'GET', '/api/notifications')).json().items).toHaveLength(0);
    expect((await call(t, a, 'GET', '/api/notifications/unread-count')).json()).toEqual({ unread: 1 });
    expectProblem(await call(t, null, 'GET', '/api/notifications'), 401, 'UNAUTHENTICATED');
    expectProblem(await call(t, a, 'POST', '/api/notifications/00000000-0000-4000-8000-000000000000/read'), 404, 'NOT_FOUND');
  });
});
