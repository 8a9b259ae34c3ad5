import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, leafId, makeProducer, makeProduct, signIn, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { answersForTotal, demoSheet, leafNodes, makeRound, productsOf, roundBody, setIdByCode, submitSheet, submitTotal } from '../../../../test/helpers/evaluation.js';
import { expectProblem, scalar } from '../../../../test/helpers/http.js';

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
  it('four members (one conflicted), three score, the chair finalises, the star follows the bands', async () => {
    const officer = await signIn(t, 'province_officer');
    const chair = await signIn(t, 'council_member');
    const m2 = await signIn(t, 'council_member');
    const m3 = await signIn(t, 'council_member');
    const m4 = await signIn(t, 'council_member');
    const producer = await makeProducer(t);
    const product = await makeProduct(t, producer.id);
    const [unit] = await t.dbh.query<{ id: number }>("select id from admin_units where key = 'bn2025'");
    const created = await call(t, officer, 'POST', '/api/rounds', {
      name: 'Đợt 1/2026 cấp tỉnh', level: 'province', unitId: unit.id, procedureCode: '148+1489', criteriaSetId: await demoSetId(),
      members: [{ userId: chair.userId, role: 'chair' }, { userId: m2.userId, role: 'member' }, { userId: m3.userId, role: 'member' }, { userId: m4.userId, role: 'member' }],
      productIds: [product.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    // Procedure rule: more than half of the 4 scoring members and at least 3 valid sheets.
    expect(created.json().requiredSheets).toBe(3);
    const roundId = created.json().id;
    expect((await call(t, officer, 'POST', `/api/rounds/${roundId}/open-scoring`)).statusCode).toBe(200);

    expect((await call(t, m3, 'POST', `/api/rounds/${roundId}/products/${product.id}/conflict`, { reason: 'family', note: 'Anh ruột chủ nhiệm HTX' })).statusCode).toBe(200);
    expect((await call(t, m3, 'GET', `/api/rounds/${roundId}/products/${product.id}/my-sheet`)).statusCode).toBe(403);

    // Best option everywhere = 100 points; the chair, member 2 and member 4 give it.
    for (const s of [chair, m2, m4]) {
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
    expect(row.result).toMatchObject({ meanScore: 100, finalStar: 5, outcome: 'forwarded', forwardTo: 'central', quorumMet: true, submittedCount: 3, eligibleCount: 3, requiredSheets: 3 });
    const pdf = await call(t, officer, 'GET', `/api/rounds/${roundId}/minutes.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
  });
});

// ---------------------------------------------------------------- rules, permissions and results, one by one

type Doc = Awaited<ReturnType<typeof demoSheet>>['doc'];
let doc: Doc;
let officer: Session;
beforeAll(async () => {
  doc = (await demoSheet(t)).doc;
  officer = await signIn(t, 'province_officer');
});

const members = (n: number) => Promise.all(Array.from({ length: n }, () => signIn(t, 'council_member')));
const newProduct = async (over: Parameters<typeof makeProduct>[2] = {}) => makeProduct(t, (await makeProducer(t)).id, over);
const sheetUrl = (roundId: string, productId: string, suffix = '') => `/api/rounds/${roundId}/products/${productId}/my-sheet${suffix}`;

describe('evaluation: creating a round', () => {
  it('validates the council, the criteria set, the products and who creates it', async () => {
    const [chair, m2] = await members(2);
    const product = await newProduct();
    const base = { members: [{ s: chair, role: 'chair' as const }, { s: m2, role: 'member' as const }], productIds: [product.id] };
    // Counted through this test's own chair: other test files create rounds concurrently on a shared PostgreSQL.
    const roundsOfChair = () => scalar(t, 'select count(*) from round_members where user_id = $1', [chair.userId]);
    const before = await roundsOfChair();

    const twoChairs = await roundBody(t, { ...base, members: [{ s: chair, role: 'chair' }, { s: m2, role: 'chair' }] });
    expectProblem(await call(t, officer, 'POST', '/api/rounds', twoChairs), 400, 'VALIDATION');
    const noChair = await roundBody(t, { ...base, members: [{ s: chair, role: 'member' }, { s: m2, role: 'vice_chair' }] });
    expectProblem(await call(t, officer, 'POST', '/api/rounds', noChair), 400, 'VALIDATION');

    const draftSet = await roundBody(t, { ...base, criteriaSetId: await setIdByCode(t, '1048') });
    const b1 = expectProblem(await call(t, officer, 'POST', '/api/rounds', draftSet), 400, 'VALIDATION');
    expect(b1.errors!.map((e) => e.path)).toEqual(['criteriaSetId']);

    const wrongLevel = await roundBody(t, { ...base, procedureCode: '148+1489', level: 'district' });
    expect(expectProblem(await call(t, officer, 'POST', '/api/rounds', wrongLevel), 422, 'LEVEL_NOT_IN_PROCEDURE').errors!.map((e) => e.path)).toEqual(['level']);

    const rice = await newProduct({ taxonomyNodeId: await leafId(t, 'I.2.a') });
    const noSheet = await roundBody(t, { ...base, productIds: [product.id, rice.id] });
    const b2 = expectProblem(await call(t, officer, 'POST', '/api/rounds', noSheet), 422, 'NO_SHEET_FOR_PRODUCT');
    expect(b2.errors![0].message).toBe(rice.name);

    const producerUser = await signIn(t, 'producer', { producerId: product.producer.id });
    const viewer = await signIn(t, 'viewer');
    for (const outsider of [producerUser, viewer]) {
      const body = await roundBody(t, { ...base, members: [...base.members, { s: outsider, role: 'member' }] });
      expect(expectProblem(await call(t, officer, 'POST', '/api/rounds', body), 400, 'VALIDATION').errors!.map((e) => e.path)).toEqual(['members']);
    }

    const ok = await roundBody(t, base);
    for (const s of [await signIn(t, 'commune_officer'), chair, producerUser, viewer]) expectProblem(await call(t, s, 'POST', '/api/rounds', ok), 403, 'FORBIDDEN');
    expect(await roundsOfChair()).toBe(before);

    const admin = await signIn(t, 'admin');
    const created = await call(t, admin, 'POST', '/api/rounds', ok);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ status: 'draft', productCount: 1, procedure: { code: '148+1489' }, spreadThreshold: 10, quorumRatio: 0.75 });
    expect(created.json().members).toHaveLength(2);
    // Opening scoring is for officers, not for the chair.
    expectProblem(await call(t, chair, 'POST', `/api/rounds/${created.json().id}/open-scoring`), 403, 'FORBIDDEN');
  });
});

describe('evaluation: blind, server-computed scoring', () => {
  it('state, roles, forged points, incomplete and locked sheets, blind viewing until results open', async () => {
    const [chair, vice, a, b, secretary, advisor, outsider] = await members(7);
    const product = await newProduct();
    const roundId = await makeRound(t, officer, {
      members: [{ s: chair, role: 'chair' }, { s: vice, role: 'vice_chair' }, { s: a, role: 'member' }, { s: b, role: 'member' }, { s: secretary, role: 'secretary' }, { s: advisor, role: 'advisor' }],
      productIds: [product.id], open: false,
    });
    const full = answersForTotal(doc, 71);
    expectProblem(await call(t, a, 'PUT', sheetUrl(roundId, product.id), { answers: full, notes: {} }), 409, 'ROUND_STATE');
    expectProblem(await call(t, a, 'POST', sheetUrl(roundId, product.id, '/submit'), { answers: full, notes: {} }), 409, 'ROUND_STATE');
    expectProblem(await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`), 409, 'ROUND_STATE');
    expect((await call(t, officer, 'POST', `/api/rounds/${roundId}/open-scoring`)).statusCode).toBe(200);
    expectProblem(await call(t, officer, 'POST', `/api/rounds/${roundId}/open-scoring`), 409, 'ROUND_STATE');

    // Not in the council, or not a scoring role.
    expectProblem(await call(t, outsider, 'GET', sheetUrl(roundId, product.id)), 403, 'FORBIDDEN');
    expectProblem(await call(t, outsider, 'GET', `/api/rounds/${roundId}/products`), 403, 'FORBIDDEN');
    for (const s of [secretary, advisor]) {
      expectProblem(await call(t, s, 'GET', sheetUrl(roundId, product.id)), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'PUT', sheetUrl(roundId, product.id), { answers: full, notes: {} }), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'POST', sheetUrl(roundId, product.id, '/submit'), { answers: full, notes: {} }), 403, 'FORBIDDEN');
    }
    expect(await scalar(t, 'select count(*) from score_sheets where round_id = $1', [roundId])).toBe(0);

    // Forged totals and points are ignored; invalid option indexes and unknown codes are dropped.
    const first = leafNodes(doc).slice(0, 3).map((l) => l.code); // A1.1, A1.2, A1.3: options 1/2/3 points
    const draft = await call(t, a, 'PUT', sheetUrl(roundId, product.id), {
      answers: { [first[0]]: 2, [first[1]]: 9, [first[2]]: 0, ZZ9: 1 }, notes: { [first[0]]: 'Có hồ sơ vùng nguyên liệu', ZZ9: 'rác' },
      total: 100, points: { [first[0]]: 50 }, partTotals: { A: 40 }, status: 'submitted',
    });
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json()).toMatchObject({ status: 'draft', total: 4, answers: { [first[0]]: 2, [first[2]]: 0 }, notes: { [first[0]]: 'Có hồ sơ vùng nguyên liệu' }, partTotals: { A: 4, B: 0, C: 0 } });
    expect(Object.keys(draft.json().answers).sort()).toEqual([first[0], first[2]]);
    expect(draft.json().missing).toContain(first[1]);
    expect(draft.json().missing).toHaveLength(leafNodes(doc).length - 2);
    const [row] = await t.dbh.query<{ total: string; status: string; answers: Record<string, number> }>('select total, status, answers from score_sheets where round_id = $1 and member_id = $2', [roundId, a.userId]);
    expect(Number(row.total)).toBe(4);
    expect(row.status).toBe('draft');
    expect(row.answers).toEqual({ [first[0]]: 2, [first[2]]: 0 });

    // Submitting an incomplete sheet lists the missing codes.
    const partial = { ...full };
    delete partial['B2.1'];
    delete partial['C3.1'];
    const inc = expectProblem(await call(t, a, 'POST', sheetUrl(roundId, product.id, '/submit'), { answers: { ...partial, 'C3.2': 17 }, notes: {} }), 422, 'SHEET_INCOMPLETE');
    expect(inc.errors!.map((e) => e.path).sort()).toEqual(['answers.B2.1', 'answers.C3.1', 'answers.C3.2']);

    const subA = await submitSheet(t, a, roundId, product.id, { ...full });
    const forged = await call(t, b, 'POST', sheetUrl(roundId, product.id, '/submit'), { answers: answersForTotal(doc, 70), notes: {}, total: 99 });
    expect(forged.statusCode, forged.body).toBe(200);
    expect([subA.total, forged.json().total]).toEqual([71, 70]);
    expect(subA.status).toBe('submitted');

    // Locked: the API and the database both refuse changes.
    expectProblem(await call(t, a, 'PUT', sheetUrl(roundId, product.id), { answers: answersForTotal(doc, 90), notes: {} }), 409, 'SHEET_LOCKED');
    expectProblem(await call(t, a, 'POST', sheetUrl(roundId, product.id, '/submit'), { answers: answersForTotal(doc, 90), notes: {} }), 409, 'SHEET_LOCKED');
    await expect(t.dbh.query(`update score_sheets set answers = '{}'::jsonb where id = $1`, [subA.id])).rejects.toThrow(/submitted and locked/);
    await expect(t.dbh.query('update score_sheets set total = 99 where id = $1', [subA.id])).rejects.toThrow(/submitted and locked/);
    // Not even together with turning it back into a draft.
    await expect(t.dbh.query(`update score_sheets set status = 'draft', submitted_at = null, answers = '{}'::jsonb where id = $1`, [subA.id])).rejects.toThrow(/submitted and locked/);
    expect(await scalar(t, 'select total from score_sheets where id = $1', [subA.id])).toBe(71);

    // Blind: B may not read A's sheet, nor may the chair or an officer, before results open; A may.
    for (const s of [b, chair, officer, secretary]) expectProblem(await call(t, s, 'GET', `/api/score-sheets/${subA.id}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, b, 'GET', `/api/score-sheets/${subA.id}/pdf`), 403, 'FORBIDDEN');
    const own = await call(t, a, 'GET', `/api/score-sheets/${subA.id}`);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ total: 71, status: 'submitted' });

    const [asB] = await productsOf(t, b, roundId);
    expect(asB).toMatchObject({ memberScores: null, result: null, spread: null, spreadFlag: null, quorumMet: null, myStatus: 'submitted', myTotal: 70, submittedCount: 2, eligibleCount: 4 });
    const [asChair] = await productsOf(t, chair, roundId);
    expect(asChair).toMatchObject({ memberScores: null, result: null, spread: 1, spreadFlag: false, quorumMet: false, myStatus: 'none', myTotal: null });
    const [asSecretary] = await productsOf(t, secretary, roundId);
    expect(asSecretary).toMatchObject({ spread: 1, myStatus: 'not_scoring', memberScores: null });

    // The vice chair leaves a draft unsubmitted when results open.
    expect((await call(t, vice, 'PUT', sheetUrl(roundId, product.id), { answers: answersForTotal(doc, 40), notes: {} })).json()).toMatchObject({ status: 'draft', total: 40 });
    // Only the chair opens results.
    for (const s of [vice, a, officer, secretary]) expectProblem(await call(t, s, 'POST', `/api/rounds/${roundId}/open-results`), 403, 'FORBIDDEN');
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    const seen = await call(t, b, 'GET', `/api/score-sheets/${subA.id}`);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json()).toMatchObject({ id: subA.id, total: 71, answers: full });
    expect((await call(t, secretary, 'GET', `/api/score-sheets/${subA.id}`)).statusCode).toBe(200);
    expectProblem(await call(t, outsider, 'GET', `/api/score-sheets/${subA.id}`), 403, 'FORBIDDEN');
    const [open] = await productsOf(t, b, roundId);
    expect(open.memberScores.map((m: { memberId: string; status: string; total: number | null }) => [m.memberId, m.status, m.total]).sort()).toEqual(
      // A draft's total stays private to its member.
      [[chair.userId, 'missing', null], [vice.userId, 'draft', null], [a.userId, 'submitted', 71], [b.userId, 'submitted', 70]].sort());
    expect(open.result).toMatchObject({ meanScore: 70.5, submittedCount: 2, eligibleCount: 4, quorumMet: false });
    // With the others' scores in view, neither a member who never started nor one with an unsubmitted draft may score.
    expectProblem(await call(t, chair, 'PUT', sheetUrl(roundId, product.id), { answers: full, notes: {} }), 409, 'ROUND_STATE');
    expectProblem(await call(t, vice, 'PUT', sheetUrl(roundId, product.id), { answers: full, notes: {} }), 409, 'ROUND_STATE');
    expectProblem(await call(t, vice, 'POST', sheetUrl(roundId, product.id, '/submit'), { answers: answersForTotal(doc, 71), notes: {} }), 409, 'ROUND_STATE');
    const [vrow] = await t.dbh.query<{ status: string; total: string }>('select status, total from score_sheets where round_id = $1 and member_id = $2', [roundId, vice.userId]);
    expect([vrow.status, Number(vrow.total)]).toEqual(['draft', 40]);
  });

  it('a conflict declared before submitting keeps the member out of the mean but in the denominator; after submitting it is too late', async () => {
    const [chair, m2, m3, m4] = await members(4);
    const product = await newProduct();
    const roundId = await makeRound(t, officer, { members: [{ s: chair, role: 'chair' }, { s: m2, role: 'member' }, { s: m3, role: 'member' }, { s: m4, role: 'member' }], productIds: [product.id] });
    expect((await call(t, m3, 'POST', `/api/rounds/${roundId}/products/${product.id}/conflict`, { reason: 'business_partner', note: 'Đối tác thu mua' })).statusCode).toBe(200);
    expectProblem(await call(t, m3, 'GET', sheetUrl(roundId, product.id)), 403, 'CONFLICT_OF_INTEREST');
    expectProblem(await call(t, m3, 'PUT', sheetUrl(roundId, product.id), { answers: {}, notes: {} }), 403, 'CONFLICT_OF_INTEREST');
    await submitTotal(t, chair, roundId, product.id, doc, 80);
    await submitTotal(t, m2, roundId, product.id, doc, 78);
    let [row] = await productsOf(t, chair, roundId);
    // 2 valid sheets of 4 scoring members: not more than half (the conflicted member stays in the count).
    expect(row).toMatchObject({ eligibleCount: 3, submittedCount: 2, conflictCount: 1, quorumMet: false });
    await submitTotal(t, m4, roundId, product.id, doc, 79);
    [row] = await productsOf(t, chair, roundId);
    expect(row).toMatchObject({ eligibleCount: 3, submittedCount: 3, quorumMet: true, spread: 2 });
    // A member who submitted can no longer declare a conflict (only the chair records one, with a reason).
    expectProblem(await call(t, m4, 'POST', `/api/rounds/${roundId}/products/${product.id}/conflict`, { reason: 'family', note: null }), 409, 'CONFLICT_TOO_LATE');
    const [asM3] = await productsOf(t, m3, roundId);
    expect(asM3.myStatus).toBe('conflict');
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    // Never after results open, not even before submitting.
    expectProblem(await call(t, m2, 'POST', `/api/rounds/${roundId}/products/${product.id}/conflict`, { reason: 'family', note: null }), 409, 'CONFLICT_TOO_LATE');
    const fin = await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, {});
    expect(fin.statusCode, fin.body).toBe(200);
    [row] = await productsOf(t, officer, roundId);
    expect(row.result).toMatchObject({ meanScore: 79, submittedCount: 3, eligibleCount: 3, quorumMet: true, finalStar: 4, outcome: 'recognised', requiredSheets: 3 });
    expect(row.memberScores.find((m: { memberId: string }) => m.memberId === m3.userId)).toMatchObject({ status: 'conflict', total: null });
  });

  it('the procedure default: a council of 4 where 2 stand aside cannot finalise with 2 sheets; a recorded substitute completes it', async () => {
    const [chair, m2, m3, m4, sub] = await members(5);
    const product = await newProduct();
    const roundId = await makeRound(t, officer, {
      members: [{ s: chair, role: 'chair' }, { s: m2, role: 'member' }, { s: m3, role: 'member' }, { s: m4, role: 'member' }], productIds: [product.id], minValidSheets: null, quorumRatio: 0.5,
    });
    for (const s of [m3, m4]) expect((await call(t, s, 'POST', `/api/rounds/${roundId}/products/${product.id}/conflict`, { reason: 'family', note: null })).statusCode).toBe(200);
    for (const s of [chair, m2]) await submitTotal(t, s, roundId, product.id, doc, 75);
    let [row] = await productsOf(t, chair, roundId);
    expect(row).toMatchObject({ submittedCount: 2, eligibleCount: 2, quorumMet: false });
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    const refused = expectProblem(await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, {}), 422, 'QUORUM_NOT_MET');
    expect(refused.errors![0].message).toMatch(/2\/4.*cần 3/);
    // Only the chair or the organiser adds a substitute; the reason is required and kept.
    expectProblem(await call(t, m2, 'POST', `/api/rounds/${roundId}/substitutes`, { userId: sub.userId, replaces: m3.userId, reason: 'Thay thành viên xung đột lợi ích' }), 403, 'FORBIDDEN');
    expectProblem(await call(t, chair, 'POST', `/api/rounds/${roundId}/substitutes`, { userId: sub.userId, replaces: m3.userId, reason: '' }), 400, 'VALIDATION');
    const added = await call(t, chair, 'POST', `/api/rounds/${roundId}/substitutes`, { userId: sub.userId, replaces: m3.userId, reason: 'Thay thành viên xung đột lợi ích' });
    expect(added.statusCode, added.body).toBe(200);
    // The substitute scores blind: results were open, so the round went back to scoring.
    expect(added.json()).toMatchObject({ status: 'scoring' });
    expect(added.json().members.find((m: { userId: string }) => m.userId === sub.userId)).toMatchObject({ role: 'member', substituteFor: m3.userId, addedReason: 'Thay thành viên xung đột lợi ích' });
    await submitTotal(t, sub, roundId, product.id, doc, 77);
    [row] = await productsOf(t, chair, roundId);
    // 3 valid sheets of 5 scoring members: more than half.
    expect(row).toMatchObject({ submittedCount: 3, quorumMet: true });
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, {})).statusCode).toBe(200);
    expect(await scalar(t, "select count(*) from audit_log where entity_id = $1 and action = 'add_substitute'", [roundId])).toBe(1);
  });

  it('a conflict found after results open: the chair records it with a reason, the sheet is void and the round goes back to scoring', async () => {
    const [chair, m2, low, sub] = await members(4);
    const product = await newProduct();
    const roundId = await makeRound(t, officer, { members: [{ s: chair, role: 'chair' }, { s: m2, role: 'member' }, { s: low, role: 'member' }], productIds: [product.id], minValidSheets: null, spreadThreshold: 50 });
    await submitTotal(t, chair, roundId, product.id, doc, 71);
    await submitTotal(t, m2, roundId, product.id, doc, 75);
    await submitTotal(t, low, roundId, product.id, doc, 60);
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    let [row] = await productsOf(t, chair, roundId);
    expect(row.result).toMatchObject({ finalStar: 3, quorumMet: true });
    // The member cannot erase their own sheet now; nor can another member record it.
    expectProblem(await call(t, low, 'POST', `/api/rounds/${roundId}/products/${product.id}/conflict`, { reason: 'family', note: null }), 409, 'CONFLICT_TOO_LATE');
    expectProblem(await call(t, m2, 'POST', `/api/rounds/${roundId}/products/${product.id}/late-conflict`, { memberId: low.userId, reason: 'family', note: 'Phát hiện quan hệ gia đình' }), 403, 'FORBIDDEN');
    expectProblem(await call(t, chair, 'POST', `/api/rounds/${roundId}/products/${product.id}/late-conflict`, { memberId: low.userId, reason: 'family', note: '' }), 400, 'VALIDATION');
    const rec = await call(t, chair, 'POST', `/api/rounds/${roundId}/products/${product.id}/late-conflict`, { memberId: low.userId, reason: 'family', note: 'Phát hiện quan hệ gia đình với chủ thể' });
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json().status).toBe('scoring');
    [row] = await productsOf(t, chair, roundId);
    // 2 valid sheets of 3 scoring members but the procedure's minimum is 3: no result until someone else scores.
    expect(row).toMatchObject({ submittedCount: 2, conflictCount: 1, quorumMet: false });
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    expectProblem(await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, {}), 422, 'QUORUM_NOT_MET');
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/substitutes`, { userId: sub.userId, replaces: low.userId, reason: 'Thay thành viên có xung đột lợi ích' })).statusCode).toBe(200);
    await submitTotal(t, sub, roundId, product.id, doc, 73);
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, {})).statusCode).toBe(200);
    [row] = await productsOf(t, officer, roundId);
    expect(row.result).toMatchObject({ meanScore: 73, finalStar: 4, submittedCount: 3 });
    const audit = await t.dbh.query<{ after: { voidedSheet: { total: number } } }>("select after from audit_log where entity_id = $1 and action = 'record_late_conflict'", [roundId]);
    expect(audit[0].after.voidedSheet.total).toBe(60);
  });
});

describe('evaluation: quorum, spread, reopening, finalising', () => {
  it('quorum: 4 scoring members at 0.75 need 3 submissions including the chair', async () => {
    const [chair, vice, m1, m2] = await members(4);
    const council = [{ s: chair, role: 'chair' as const }, { s: vice, role: 'vice_chair' as const }, { s: m1, role: 'member' as const }, { s: m2, role: 'member' as const }];
    const [two, threeNoChair, threeWithChair] = [await newProduct(), await newProduct(), await newProduct()];
    const roundId = await makeRound(t, officer, { members: council, productIds: [two.id, threeNoChair.id, threeWithChair.id], quorumRatio: 0.75 });
    for (const s of [m1, m2]) await submitTotal(t, s, roundId, two.id, doc, 60);
    for (const s of [vice, m1, m2]) await submitTotal(t, s, roundId, threeNoChair.id, doc, 60);
    for (const s of [chair, m1, m2]) await submitTotal(t, s, roundId, threeWithChair.id, doc, 60);
    const view = new Map((await productsOf(t, chair, roundId)).map((p) => [p.productId, p.quorumMet]));
    expect([view.get(two.id), view.get(threeNoChair.id), view.get(threeWithChair.id)]).toEqual([false, false, true]);

    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    expectProblem(await call(t, vice, 'POST', `/api/rounds/${roundId}/finalise`, {}), 403, 'FORBIDDEN');
    expectProblem(await call(t, officer, 'POST', `/api/rounds/${roundId}/finalise`, {}), 403, 'FORBIDDEN');
    const body = expectProblem(await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, {}), 422, 'QUORUM_NOT_MET');
    expect(body.errors!.map((e) => e.path).sort()).toEqual([two.id, threeNoChair.id].sort());
    expect(body.errors!.find((e) => e.path === threeNoChair.id)!.message).toMatch(/chủ tịch/);
    expect(await scalar(t, "select count(*) from rounds where id = $1 and status = 'results_open'", [roundId])).toBe(1);

    const okRound = await makeRound(t, officer, { members: council, productIds: [(await newProduct()).id], quorumRatio: 0.75 });
    const [p] = await productsOf(t, chair, okRound);
    for (const s of [chair, m1, vice]) await submitTotal(t, s, okRound, p.productId, doc, 60);
    expect((await call(t, chair, 'POST', `/api/rounds/${okRound}/open-results`)).statusCode).toBe(200);
    const fin = await call(t, chair, 'POST', `/api/rounds/${okRound}/finalise`, {});
    expect(fin.statusCode, fin.body).toBe(200);
    expect(fin.json().status).toBe('finalised');
    const [res] = await productsOf(t, m2, okRound);
    expect(res.result).toMatchObject({ quorumMet: true, submittedCount: 3, eligibleCount: 4, meanScore: 60, finalStar: 3 });
    expectProblem(await call(t, chair, 'POST', `/api/rounds/${okRound}/finalise`, {}), 409, 'ROUND_STATE');
  });

  it('spread above the threshold blocks finalising until discussed or re-scored after a reopening', async () => {
    const [chair, vice, m2] = await members(3);
    const [noted, rescored] = [await newProduct(), await newProduct()];
    const roundId = await makeRound(t, officer, { members: [{ s: chair, role: 'chair' }, { s: vice, role: 'vice_chair' }, { s: m2, role: 'member' }], productIds: [noted.id, rescored.id] });
    const sheetIds: Record<string, string> = {};
    for (const p of [noted, rescored]) {
      await submitTotal(t, chair, roundId, p.id, doc, 71);
      await submitTotal(t, vice, roundId, p.id, doc, 70);
      sheetIds[p.id] = (await submitTotal(t, m2, roundId, p.id, doc, 58)).id;
    }
    const flags = async (s: Session) => new Map((await productsOf(t, s, roundId)).map((p) => [p.productId, [p.spread, p.spreadFlag]]));
    expect((await flags(chair)).get(noted.id)).toEqual([13, true]);
    expect((await flags(officer)).get(rescored.id)).toEqual([13, true]);
    expect((await flags(m2)).get(rescored.id)).toEqual([null, null]);
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);

    const b1 = expectProblem(await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, {}), 422, 'SPREAD_NOT_DISCUSSED');
    expect(b1.errors!.map((e) => e.path).sort()).toEqual([noted.id, rescored.id].sort());

    // Reopening: the chair only, with a reason.
    const reopenUrl = `/api/rounds/${roundId}/score-sheets/${sheetIds[rescored.id]}/reopen`;
    for (const s of [vice, m2, officer]) expectProblem(await call(t, s, 'POST', reopenUrl, { reason: 'Chênh lệch lớn, chấm lại' }), 403, 'FORBIDDEN');
    expectProblem(await call(t, chair, 'POST', reopenUrl, { reason: ' ' }), 400, 'VALIDATION');
    expectProblem(await call(t, chair, 'POST', reopenUrl, {}), 400, 'VALIDATION');
    expect(await scalar(t, 'select count(*) from score_sheet_reopenings where score_sheet_id = $1', [sheetIds[rescored.id]])).toBe(0);
    const re = await call(t, chair, 'POST', reopenUrl, { reason: 'Chênh lệch 13 điểm, thành viên chấm lại tiêu chí C' });
    expect(re.statusCode, re.body).toBe(200);
    const logs = await t.dbh.query<{ reopened_by: string; reason: string; previous_total: string }>('select reopened_by, reason, previous_total from score_sheet_reopenings where score_sheet_id = $1', [sheetIds[rescored.id]]);
    expect(logs.map((l) => [l.reopened_by, l.reason, Number(l.previous_total)])).toEqual([[chair.userId, 'Chênh lệch 13 điểm, thành viên chấm lại tiêu chí C', 58]]);
    // Reopening a sheet that is already a draft is refused.
    expectProblem(await call(t, chair, 'POST', reopenUrl, { reason: 'Lần nữa' }), 409, 'ROUND_STATE');

    const mine = await call(t, m2, 'GET', sheetUrl(roundId, rescored.id));
    expect(mine.json()).toMatchObject({ status: 'draft', total: 58, id: sheetIds[rescored.id] });
    const again = await submitTotal(t, m2, roundId, rescored.id, doc, 69);
    expect(again.id).toBe(sheetIds[rescored.id]);
    expect((await flags(chair)).get(rescored.id)).toEqual([2, false]);

    const b2 = expectProblem(await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, {}), 422, 'SPREAD_NOT_DISCUSSED');
    expect(b2.errors!.map((e) => e.path)).toEqual([noted.id]);
    const note = 'Hội đồng thảo luận: giữ nguyên điểm các thành viên';
    const fin = await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, { discussionNotes: { [noted.id]: note } });
    expect(fin.statusCode, fin.body).toBe(200);
    const rows = await t.dbh.query<{ product_id: string; discussion_note: string | null; result: { meanScore: number; spreadFlag: boolean } }>('select product_id, discussion_note, result from round_products where round_id = $1', [roundId]);
    const by = new Map(rows.map((r) => [r.product_id, r]));
    expect(by.get(noted.id)!.discussion_note).toBe(note);
    expect(by.get(noted.id)!.result).toMatchObject({ meanScore: 199 / 3, spreadFlag: true, spread: 13 });
    expect(by.get(rescored.id)!.discussion_note).toBeNull();
    expect(by.get(rescored.id)!.result).toMatchObject({ meanScore: 70, spreadFlag: false, spread: 2, finalStar: 4 });
    // Finalised: no more reopening.
    expectProblem(await call(t, chair, 'POST', `/api/rounds/${roundId}/score-sheets/${sheetIds[noted.id]}/reopen`, { reason: 'Quá muộn' }), 409, 'ROUND_STATE');
  });
});

describe('evaluation: results by the bands, mandatory criteria and the procedure version', () => {
  async function scoredRound(procedureCode: string, level: 'district' | 'province', plan: { totals: number[]; zero?: string[] }[]) {
    const council = await members(3);
    const products = [];
    for (let i = 0; i < plan.length; i++) products.push(await newProduct());
    const roundId = await makeRound(t, officer, {
      procedureCode, level, members: council.map((s, i) => ({ s, role: i === 0 ? 'chair' as const : 'member' as const })), productIds: products.map((p) => p.id), spreadThreshold: 15,
      // QĐ 148 (original) was in force 24/02/2023–05/7/2025: its district rounds are held by huyện Lục Ngạn in that time.
      ...(procedureCode === '148' ? { startsOn: '2024-09-01', unitKey: level === 'district' ? 'ln' : 'bg' } : {}),
    });
    for (const [i, p] of plan.entries()) {
      for (const [k, total] of p.totals.entries()) await submitTotal(t, council[k], roundId, products[i].id, doc, total, { zero: p.zero });
    }
    expect((await call(t, council[0], 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    const fin = await call(t, council[0], 'POST', `/api/rounds/${roundId}/finalise`, {});
    expect(fin.statusCode, fin.body).toBe(200);
    const rows = await t.dbh.query<{ product_id: string; result: Record<string, unknown> & { reasons: string[] } }>('select product_id, result from round_products where round_id = $1', [roundId]);
    const stored = new Map(rows.map((r) => [r.product_id, r.result]));
    return { roundId, council, products, results: products.map((p) => stored.get(p.id)!) };
  }

  it("QĐ 148 at district level: 3★ recognised, ≥ 70 forwarded to the province; mean kept unrounded; mandatory cap", async () => {
    const { roundId, council, products, results } = await scoredRound('148', 'district', [
      { totals: [71, 70, 70] },
      { totals: [55, 55, 56] },
      { totals: [76, 75, 75], zero: ['A2.3'] },
      { totals: [29, 29, 30] },
    ]);
    expect(results[0]).toMatchObject({ meanScore: 211 / 3, starByScore: 4, mandatoryCap: 5, finalStar: 4, outcome: 'forwarded', forwardTo: 'province', quorumMet: true });
    expect(results[1]).toMatchObject({ meanScore: 166 / 3, starByScore: 3, finalStar: 3, outcome: 'recognised', forwardTo: null });
    expect(results[2]).toMatchObject({ starByScore: 4, mandatoryCap: 2, finalStar: 2, outcome: 'not_recognised', forwardTo: null });
    expect(results[2].reasons.join(' ')).toMatch(/A2\.3/);
    expect(results[3]).toMatchObject({ starByScore: 1, finalStar: 1, outcome: 'not_recognised' });

    // The same results through the API (finalised: the stored ones).
    const api = new Map((await productsOf(t, council[1], roundId)).map((p) => [p.productId, p.result]));
    expect(api.get(products[0].id)).toEqual(results[0]);

    // Documents.
    const minutes = await call(t, council[1], 'GET', `/api/rounds/${roundId}/minutes.pdf`);
    expect(minutes.statusCode).toBe(200);
    expect(minutes.headers['content-type']).toContain('application/pdf');
    expect(minutes.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const [sheetRow] = await t.dbh.query<{ id: string }>('select id from score_sheets where round_id = $1 and product_id = $2 and member_id = $3', [roundId, products[0].id, council[0].userId]);
    const sheetPdf = await call(t, council[1], 'GET', `/api/score-sheets/${sheetRow.id}/pdf`);
    expect(sheetPdf.statusCode, sheetPdf.body.slice(0, 300)).toBe(200);
    expect(sheetPdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const xlsx = await call(t, officer, 'GET', `/api/rounds/${roundId}/results.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = ws.getRow(4).values as unknown[];
    const meanCol = header.indexOf('Điểm trung bình');
    expect(meanCol).toBeGreaterThan(0);
    let found: ExcelJS.Row | undefined;
    ws.eachRow((r) => { if (r.getCell(2).value === products[0].name) found = r; });
    expect(found, 'product row in results.xlsx').toBeDefined();
    expect(Number(found!.getCell(meanCol).value)).toBeCloseTo(211 / 3, 6);
    expect((await call(t, await signIn(t, 'producer', { producerId: products[0].producer.id }), 'GET', `/api/rounds/${roundId}/results.xlsx`)).statusCode).toBe(403);
  });

  it('mean of 71 and 70 is 70.5 (not rounded)', async () => {
    const [chair, m] = await members(2);
    const product = await newProduct();
    const roundId = await makeRound(t, officer, { members: [{ s: chair, role: 'chair' }, { s: m, role: 'member' }], productIds: [product.id] });
    await submitTotal(t, chair, roundId, product.id, doc, 71);
    await submitTotal(t, m, roundId, product.id, doc, 70);
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, {})).statusCode).toBe(200);
    const [row] = await t.dbh.query<{ result: { meanScore: number; finalStar: number; outcome: string } }>('select result from round_products where round_id = $1', [roundId]);
    expect(row.result).toMatchObject({ meanScore: 70.5, finalStar: 4, outcome: 'recognised' });
  });

  it("QĐ 148 + 1489 at province level: 3★ and 4★ recognised, ≥ 90 forwarded to the ministry", async () => {
    const { results } = await scoredRound('148+1489', 'province', [
      { totals: [75, 75, 75] },
      { totals: [92, 91, 90] },
      { totals: [55, 55, 55] },
      { totals: [75, 75, 74], zero: ['C3.1'] },
    ]);
    expect(results[0]).toMatchObject({ meanScore: 75, finalStar: 4, outcome: 'recognised', forwardTo: null });
    expect(results[1]).toMatchObject({ meanScore: 91, starByScore: 5, finalStar: 5, outcome: 'forwarded', forwardTo: 'central' });
    expect(results[2]).toMatchObject({ meanScore: 55, finalStar: 3, outcome: 'recognised' });
    expect(results[3]).toMatchObject({ mandatoryCap: 2, finalStar: 2, outcome: 'not_recognised' });
    expect(results[3].reasons.join(' ')).toMatch(/C3\.1/);
  });

  it('a mandatory criterion failed on a minority of sheets does not cap the star', async () => {
    const { results } = await scoredRound('148+1489', 'province', [{ totals: [75, 75, 75], zero: undefined }]);
    expect(results[0].mandatoryCap).toBe(5);
    // 2 of 3 sheets score A2.3 above zero → it passes.
    const council = await members(3);
    const product = await newProduct();
    const roundId = await makeRound(t, officer, { members: council.map((s, i) => ({ s, role: i === 0 ? 'chair' as const : 'member' as const })), productIds: [product.id] });
    await submitTotal(t, council[0], roundId, product.id, doc, 75, { zero: ['A2.3'] });
    await submitTotal(t, council[1], roundId, product.id, doc, 75);
    await submitTotal(t, council[2], roundId, product.id, doc, 75);
    expect((await call(t, council[0], 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    const [row] = await productsOf(t, council[1], roundId);
    expect(row.result).toMatchObject({ mandatoryCap: 5, finalStar: 4, outcome: 'recognised' });
  });
});

describe('evaluation: producer self-assessment', () => {
  it('the producer scores their own product with a plan to the next star; nothing reaches score_sheets', async () => {
    const producer = await makeProducer(t);
    const product = await makeProduct(t, producer.id);
    const me = await signIn(t, 'producer', { producerId: producer.id });
    const url = `/api/products/${product.id}/self-assessment`;
    const empty = await call(t, me, 'GET', url);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toMatchObject({ product: { id: product.id }, total: 0, star: 1, updatedAt: null, sheet: { isDemo: true } });
    expect(empty.json().missing).toHaveLength(leafNodes(doc).length);

    const answers = answersForTotal(doc, 45);
    const saved = await call(t, me, 'PUT', url, { answers: { ...answers, 'A1.1': 42, XX: 1 }, notes: { 'A1.2': 'Có sổ ghi chép', XX: 'rác', 'A1.3': ' ' }, total: 99 });
    expect(saved.statusCode, saved.body).toBe(200);
    const s = saved.json();
    const a11 = leafNodes(doc).find((l) => l.code === 'A1.1')!.options![answers['A1.1']].points;
    expect(s).toMatchObject({ total: 45 - a11, star: 2, nextStar: 3, pointsToNextStar: 5 + a11, reachable: true });
    expect(s.answers['A1.1']).toBeUndefined();
    expect(s.notes).toEqual({ 'A1.2': 'Có sổ ghi chép' });
    expect(s.missing).toEqual(['A1.1']);
    expect(s.plan.length).toBeGreaterThan(0);
    const gain = s.plan.reduce((acc: number, g: { gain: number }) => acc + g.gain, 0);
    expect(gain).toBeGreaterThanOrEqual(5 + a11);
    for (const g of s.plan) expect(g.best - g.current).toBe(g.gain);
    // Largest gains first.
    expect(s.plan.map((g: { gain: number }) => g.gain)).toEqual([...s.plan.map((g: { gain: number }) => g.gain)].sort((x: number, y: number) => y - x));

    const again = (await call(t, me, 'GET', url)).json();
    expect(again.total).toBe(45 - a11);
    expect(again.updatedAt).not.toBeNull();
    expect(await scalar(t, 'select count(*) from score_sheets where product_id = $1', [product.id])).toBe(0);
    expect(await scalar(t, 'select count(*) from self_assessments where product_id = $1', [product.id])).toBe(1);

    const other = await makeProduct(t, (await makeProducer(t)).id);
    expectProblem(await call(t, me, 'GET', `/api/products/${other.id}/self-assessment`), 403, 'FORBIDDEN');
    expectProblem(await call(t, me, 'PUT', `/api/products/${other.id}/self-assessment`, { answers, notes: {} }), 403, 'FORBIDDEN');
    const viewer = await signIn(t, 'viewer');
    expectProblem(await call(t, viewer, 'GET', url), 403, 'FORBIDDEN');
    expectProblem(await call(t, viewer, 'PUT', url, { answers, notes: {} }), 403, 'FORBIDDEN');
    // Officers may look, not write.
    expect((await call(t, officer, 'GET', url)).json().total).toBe(45 - a11);
    expectProblem(await call(t, officer, 'PUT', url, { answers, notes: {} }), 403, 'FORBIDDEN');
    expect(await scalar(t, 'select count(*) from self_assessments where product_id = $1', [other.id])).toBe(0);
  });
});

describe('evaluation: council candidates', () => {
  it('officers list accounts that may sit on a council (never producers or viewers); others are refused', async () => {
    const officer = await signIn(t, 'province_officer');
    const member = await signIn(t, 'council_member');
    const viewer = await signIn(t, 'viewer');
    const res = await call(t, officer, 'GET', '/api/rounds/candidates');
    expect(res.statusCode).toBe(200);
    const ids = res.json().map((u: { id: string }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([officer.userId, member.userId]));
    expect(ids).not.toContain(viewer.userId);
    expect(res.json().every((u: { role: string }) => !['producer', 'viewer'].includes(u.role))).toBe(true);
    for (const s of [member, viewer]) expect((await call(t, s, 'GET', '/api/rounds/candidates')).statusCode).toBe(403);
  });
});

describe('evaluation: who sees which round (#10)', () => {
  it('a commune officer sees a round only for the products of their communes, and only those sheets; other council members see none', async () => {
    const [chair, m2, m3] = await members(3);
    const outsider = await signIn(t, 'council_member');
    const mine = await newProduct(); // registered in phường Chũ
    const theirs = await makeProduct(t, (await makeProducer(t, { unitId: await unitId(t, 'bn-x-luc-ngan') })).id, { registeredUnitId: await unitId(t, 'bn-x-luc-ngan') });
    const roundId = await makeRound(t, officer, { members: [{ s: chair, role: 'chair' }, { s: m2, role: 'member' }, { s: m3, role: 'member' }], productIds: [mine.id, theirs.id] });
    for (const s of [chair, m2, m3]) {
      await submitTotal(t, s, roundId, mine.id, doc, 60);
      await submitTotal(t, s, roundId, theirs.id, doc, 62);
    }
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    const chu = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
    const lucNgan = await signIn(t, 'commune_officer', { unitKeys: ['bn-x-luc-ngan'] });
    const elsewhere = await signIn(t, 'commune_officer', { unitKeys: ['bn-x-kien-lao'] });
    expect((await call(t, chu, 'GET', `/api/rounds/${roundId}`)).statusCode).toBe(200);
    expect((await productsOf(t, chu, roundId)).map((p) => p.productId)).toEqual([mine.id]);
    expect((await productsOf(t, lucNgan, roundId)).map((p) => p.productId)).toEqual([theirs.id]);
    expectProblem(await call(t, elsewhere, 'GET', `/api/rounds/${roundId}`), 403, 'FORBIDDEN');
    expect(((await call(t, elsewhere, 'GET', '/api/rounds')).json() as { id: string }[]).some((r) => r.id === roundId)).toBe(false);
    // Sheets: of products in scope only.
    const [sheetMine] = await t.dbh.query<{ id: string }>('select id from score_sheets where round_id = $1 and product_id = $2 limit 1', [roundId, mine.id]);
    const [sheetTheirs] = await t.dbh.query<{ id: string }>('select id from score_sheets where round_id = $1 and product_id = $2 limit 1', [roundId, theirs.id]);
    expect((await call(t, chu, 'GET', `/api/score-sheets/${sheetMine.id}`)).statusCode).toBe(200);
    expectProblem(await call(t, chu, 'GET', `/api/score-sheets/${sheetTheirs.id}`), 403, 'FORBIDDEN');
    // A council member not on this council sees neither the round nor its sheets.
    expectProblem(await call(t, outsider, 'GET', `/api/rounds/${roundId}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, outsider, 'GET', `/api/score-sheets/${sheetMine.id}`), 403, 'FORBIDDEN');
    expect(((await call(t, outsider, 'GET', '/api/rounds')).json() as { id: string }[]).some((r) => r.id === roundId)).toBe(false);
  });

  it('the round form options come from the procedure data and my authority', async () => {
    const opts = (await call(t, officer, 'GET', '/api/rounds/options')).json();
    const inForce = opts.procedures.find((p: { inForceToday: boolean }) => p.inForceToday);
    expect(inForce.code).toBe('148+1489');
    const byLevel = Object.fromEntries(inForce.levels.map((l: { level: string; allowed: boolean }) => [l.level, l.allowed]));
    expect(byLevel).toEqual({ commune: false, province: true, central: false });
    const central = (await call(t, await signIn(t, 'central_officer'), 'GET', '/api/rounds/options')).json();
    expect(Object.fromEntries(central.procedures.find((p: { inForceToday: boolean }) => p.inForceToday).levels.map((l: { level: string; allowed: boolean }) => [l.level, l.allowed]))).toEqual({ commune: false, province: false, central: true });
    expectProblem(await call(t, await signIn(t, 'commune_officer'), 'GET', '/api/rounds/options'), 403, 'FORBIDDEN');
  });
});
