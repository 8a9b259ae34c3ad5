import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { makeRound, roundBody } from '../../../../test/helpers/evaluation.js';

let t: TestApp;
let officer: Session;

beforeAll(async () => {
  t = await buildTestApp();
  officer = await signIn(t, 'province_officer');
});
afterAll(async () => t?.close());

type Note = { kind: string; title: string; body: string; link: string | null; readAt: string | null };
const notes = async (s: Session): Promise<Note[]> => {
  const res = await call(t, s, 'GET', '/api/notifications');
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
};
const councilNotes = async (s: Session) => (await notes(s)).filter((n) => n.kind === 'council_member_added');

describe('a notification when someone is put on a council', () => {
  it('every member named when the round is created is told, with a link to the round; the organiser is not told about their own seat', async () => {
    const chair = await signIn(t, 'council_member');
    const member = await signIn(t, 'council_member');
    const secretary = await signIn(t, 'commune_officer');
    const bystander = await signIn(t, 'council_member');
    const product = await makeProduct(t, (await makeProducer(t)).id);
    const name = `Hội đồng tỉnh thử ${Date.now()}`;
    const roundId = await makeRound(t, officer, {
      name, productIds: [product.id], open: false,
      members: [{ s: chair, role: 'chair' }, { s: member, role: 'member' }, { s: secretary, role: 'secretary' }, { s: officer, role: 'member' }],
    });
    for (const [s, role] of [[chair, 'chủ tịch'], [member, 'thành viên'], [secretary, 'thư ký']] as const) {
      const mine = await councilNotes(s);
      expect(mine, role).toHaveLength(1);
      expect(mine[0]).toMatchObject({ link: `/rounds/${roundId}`, readAt: null });
      expect(mine[0].title).toContain(name);
      expect(mine[0].body).toContain(role);
    }
    expect(await councilNotes(officer)).toEqual([]);
    expect(await councilNotes(bystander)).toEqual([]);
    // The link opens the round for the member it was sent to.
    expect((await call(t, member, 'GET', `/api/rounds/${roundId}`)).statusCode).toBe(200);
    expect((await call(t, member, 'GET', '/api/notifications/unread-count')).json().unread).toBeGreaterThanOrEqual(1);
  });

  it('a substitute added later is told too, and only they are', async () => {
    const chair = await signIn(t, 'council_member');
    const member = await signIn(t, 'council_member');
    const sub = await signIn(t, 'council_member');
    const product = await makeProduct(t, (await makeProducer(t)).id);
    const roundId = await makeRound(t, officer, { productIds: [product.id], members: [{ s: chair, role: 'chair' }, { s: member, role: 'member' }] });
    const before = (await councilNotes(chair)).length;
    const added = await call(t, chair, 'POST', `/api/rounds/${roundId}/substitutes`, { userId: sub.userId, replaces: member.userId, reason: 'Thành viên ốm, cử người thay' });
    expect(added.statusCode, added.body).toBe(200);
    const mine = await councilNotes(sub);
    expect(mine).toHaveLength(1);
    expect(mine[0].link).toBe(`/rounds/${roundId}`);
    expect(await councilNotes(chair)).toHaveLength(before);
  });

  it('a refused round writes no notification (the notice lives in the same transaction as the seat)', async () => {
    const chair = await signIn(t, 'council_member');
    const product = await makeProduct(t, (await makeProducer(t)).id);
    const viewer = await signIn(t, 'viewer');
    // A viewer cannot sit on a council: the whole round is refused, and the chair named with them hears nothing.
    const res = await call(t, officer, 'POST', '/api/rounds', await roundBody(t, { productIds: [product.id], members: [{ s: chair, role: 'chair' }, { s: viewer, role: 'member' }] }));
    expect(res.statusCode).toBe(400);
    expect(await councilNotes(chair)).toEqual([]);
  });
});
