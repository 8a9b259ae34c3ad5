import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { answersForTotal, demoSheet, makeRound } from '../../../../test/helpers/evaluation.js';
import { DOSSIER_ACTIONS } from './schema.js';

/**
 * `allowedActions` is the UI's only source of workflow buttons, so it must equal what the server accepts: for every
 * role and every state a dossier waits in, each listed action succeeds and each action not listed is refused.
 */

let t: TestApp;
let officers: { commune: Session; province: Session; admin: Session };
let roundId: string;

beforeAll(async () => {
  t = await buildTestApp();
  officers = {
    commune: await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] }),
    province: await signIn(t, 'province_officer'),
    admin: await signIn(t, 'admin'),
  };
  const chair = await signIn(t, 'council_member');
  const other = await makeProduct(t, (await makeProducer(t)).id);
  roundId = await makeRound(t, officers.province, { members: [{ s: chair, role: 'chair' }], productIds: [other.id], quorumRatio: 1, open: false });
});
afterAll(async () => { await t?.close(); });

type Action = (typeof DOSSIER_ACTIONS)[number];
type Role = 'producer' | keyof typeof officers;
const ROLES: Role[] = ['producer', 'commune', 'province', 'admin'];
const STATES = ['draft', 'submitted', 'preAssessed', 'preAssessmentFailed', 'returned', 'accepted'] as const;
type State = (typeof STATES)[number];
/** What each role was offered in each state, for the last test. */
const seen = {} as Record<State, Record<Role, Action[]>>;
const ITEMS = ['local_material', 'local_labour', 'idea_origin', 'local_identity'];

async function addEvidence(producerId: string, type: string) {
  const [row] = await t.dbh.query<{ id: string }>(
    `insert into evidence (producer_id, type, title, storage_key, content_type, bytes, file_name, sha256)
     values ($1, $2, $3, 'evidence/00/00000000-0000-0000-0000-000000000000.pdf', 'application/pdf', 10, 'a.pdf', 'x') returning id`,
    [producerId, type, `Tài liệu ${type}`]);
  return row.id;
}

const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
  const r = await p;
  expect(r.statusCode, r.body).toBe(200);
};

/** A fresh, complete food dossier of a fresh producer, driven to `state`. */
async function dossierIn(state: State) {
  const p = await makeProducer(t);
  const product = await makeProduct(t, p.id);
  const producer = await signIn(t, 'producer', { producerId: p.id });
  const created = await call(t, producer, 'POST', '/api/dossiers', { productId: product.id, kind: 'first' });
  expect(created.statusCode, created.body).toBe(201);
  const id: string = created.json().id;
  for (const type of ['business_registration', 'quality_declaration', 'food_safety_test', 'product_story', 'photo']) {
    await ok(call(t, producer, 'POST', `/api/dossiers/${id}/evidence`, { evidenceId: await addEvidence(p.id, type) }));
  }
  await ok(call(t, producer, 'PUT', `/api/dossiers/${id}`, { version: (await call(t, producer, 'GET', `/api/dossiers/${id}`)).json().version, form: {}, sample: { quantity: 5, unit: 'hộp', description: null, deliveredOn: null }, targetStar: 4 }));
  const { doc } = await demoSheet(t);
  await ok(call(t, producer, 'PUT', `/api/products/${product.id}/self-assessment`, { answers: answersForTotal(doc, 75), notes: {} }));
  if (state !== 'draft') await ok(call(t, producer, 'POST', `/api/dossiers/${id}/submit`, {}));
  if (state === 'preAssessed' || state === 'accepted' || state === 'preAssessmentFailed') {
    const items = Object.fromEntries(ITEMS.map((k, i) => [k, { met: state !== 'preAssessmentFailed' || i > 0, note: 'Nhận xét' }]));
    await ok(call(t, officers.commune, 'PUT', `/api/dossiers/${id}/pre-assessment`, { items, formatChecked: true, conclusion: 'Hồ sơ hợp lệ' }));
  }
  if (state === 'accepted') await ok(call(t, officers.commune, 'POST', `/api/dossiers/${id}/accept`, {}));
  if (state === 'returned') await ok(call(t, officers.commune, 'POST', `/api/dossiers/${id}/return`, { reasons: ['Bổ sung ảnh nhãn'] }));
  return { id, sessions: { producer, ...officers } as Record<Role, Session> };
}

async function perform(s: Session, id: string, action: Action) {
  const version: number = (await call(t, s, 'GET', `/api/dossiers/${id}`)).json().version ?? 1;
  switch (action) {
    case 'edit': return call(t, s, 'PUT', `/api/dossiers/${id}`, { version, form: { markets: 'Bắc Ninh' }, sample: { quantity: 6, unit: 'hộp', description: null, deliveredOn: null }, targetStar: 4 });
    case 'submit': return call(t, s, 'POST', `/api/dossiers/${id}/submit`, {});
    case 'return': return call(t, s, 'POST', `/api/dossiers/${id}/return`, { reasons: ['Ảnh nhãn chưa rõ'] });
    case 'accept': return call(t, s, 'POST', `/api/dossiers/${id}/accept`, { formatChecked: true });
    case 'preAssess':
      return call(t, s, 'PUT', `/api/dossiers/${id}/pre-assessment`, { items: Object.fromEntries(ITEMS.map((k) => [k, { met: true, note: '' }])), formatChecked: true, conclusion: 'Hồ sơ hợp lệ' });
    case 'assign': return call(t, s, 'POST', `/api/dossiers/${id}/assign`, { roundId });
    case 'withdraw': return call(t, s, 'POST', `/api/dossiers/${id}/withdraw`, {});
  }
}

describe('dossiers: allowedActions is what the server accepts', () => {
  for (const state of STATES) {
    it(`${state}: for each role, listed actions succeed and the others are refused`, async () => {
      const probe = await dossierIn(state);
      const listed = {} as Record<Role, Action[]>;
      for (const role of ROLES) {
        const res = await call(t, probe.sessions[role], 'GET', `/api/dossiers/${probe.id}`);
        expect(res.statusCode, `${role} reads`).toBe(200);
        listed[role] = res.json().allowedActions;
        // Refusals change nothing, so one dossier serves them all.
        for (const action of DOSSIER_ACTIONS.filter((a) => !listed[role].includes(a))) {
          const r = await perform(probe.sessions[role], probe.id, action);
          expect(r.statusCode, `${state}: ${role} was not offered "${action}" but the server accepted it`).toBeGreaterThanOrEqual(400);
        }
      }
      // Each listed action on a dossier of its own (a success moves it on).
      for (const role of ROLES) {
        for (const action of listed[role]) {
          const fresh = await dossierIn(state);
          const r = await perform(fresh.sessions[role], fresh.id, action);
          expect(r.statusCode, `${state}: ${role} was offered "${action}" and refused: ${r.body}`).toBe(200);
        }
      }
      Object.assign(seen, { [state]: listed });
    });
  }

  it('offers each role what its job is (no producer button for the officer who returned the dossier)', () => {
    expect(seen.draft.producer).toEqual(['edit', 'submit', 'withdraw']);
    expect(seen.submitted.commune).toEqual(['preAssess', 'return']);
    expect(seen.preAssessed.commune).toEqual(['preAssess', 'accept', 'return']);
    expect(seen.preAssessmentFailed.commune).toEqual(['preAssess', 'return']);
    expect(seen.returned.commune).toEqual([]);
    expect(seen.returned.producer).toEqual(['edit', 'submit', 'withdraw']);
    expect(seen.accepted.province).toEqual(['assign']);
    expect(seen.accepted.commune).toEqual([]);
    expect(seen.submitted.producer).toEqual(['withdraw']);
  });
});
