import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, type Session, type TestApp } from '../../../../test/helpers/app.js';

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => { await t?.close(); });

async function demoSetId() {
  const [row] = await t.dbh.query<{ id: number }>("select id from criteria_sets where code = '148-demo'");
  return row.id;
}

/** Answers choosing, for every criterion, the option at `pick(optionsCount)`. */
async function answersFor(s: Session, roundId: string, productId: string, pick: (n: number, code: string) => number) {
  const mine = (await call(t, s, 'GET', `/api/rounds/${roundId}/products/${productId}/my-sheet`)).json();
  const answers: Record<string, number> = {};
  const walk = (n: { code: string; children?: unknown[]; options?: unknown[] }) => {
    if (n.children?.length) (n.children as typeof n[]).forEach(walk);
    else answers[n.code] = pick(n.options!.length, n.code);
  };
  mine.sheet.doc.parts.forEach(walk);
  return answers;
}

describe('evaluation: a round from set-up to result', () => {
  it('three members score (one conflicted), the chair finalises, the star follows the bands', async () => {
    const officer = await signIn(t, 'province_officer');
    const chair = await signIn(t, 'council_member');
    const m2 = await signIn(t, 'council_member');
    const m3 = await signIn(t, 'council_member');
    const producer = await makeProducer(t);
    const product = await makeProduct(t, producer.id);
    const [unit] = await t.dbh.query<{ id: number }>("select id from admin_units where key = 'bn2025'");
    const created = await call(t, officer, 'POST', '/api/rounds', {
      name: 'Đợt 1/2026 cấp tỉnh', level: 'province', unitId: unit.id, procedureCode: '148+1489', criteriaSetId: await demoSetId(),
      members: [{ userId: chair.userId, role: 'chair' }, { userId: m2.userId, role: 'member' }, { userId: m3.userId, role: 'member' }],
      productIds: [product.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const roundId = created.json().id;
    expect((await call(t, officer, 'POST', `/api/rounds/${roundId}/open-scoring`)).statusCode).toBe(200);

    expect((await call(t, m3, 'POST', `/api/rounds/${roundId}/products/${product.id}/conflict`, { reason: 'family', note: 'Anh ruột chủ nhiệm HTX' })).statusCode).toBe(200);
    expect((await call(t, m3, 'GET', `/api/rounds/${roundId}/products/${product.id}/my-sheet`)).statusCode).toBe(403);

    // Best option everywhere = 100 points; the chair and member 2 both give it.
    for (const s of [chair, m2]) {
      const answers = await answersFor(s, roundId, product.id, (n) => n - 1);
      const res = await call(t, s, 'POST', `/api/rounds/${roundId}/products/${product.id}/my-sheet/submit`, { answers, notes: {}, total: 3, points: { 'A1.1': 99 } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().total).toBe(100);
    }
    // Blind until results open.
    const list = (await call(t, m2, 'GET', `/api/rounds/${roundId}/products`)).json();
    expect(list[0].memberScores).toBeNull();
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    const fin = await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, {});
    expect(fin.statusCode, fin.body).toBe(200);
    const [row] = (await call(t, officer, 'GET', `/api/rounds/${roundId}/products`)).json();
    expect(row.result).toMatchObject({ meanScore: 100, finalStar: 5, outcome: 'forwarded', forwardTo: 'central', quorumMet: true, submittedCount: 2, eligibleCount: 2 });
    const pdf = await call(t, officer, 'GET', `/api/rounds/${roundId}/minutes.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
  });
});
