import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, call, makeProducer, makeProduct, productInput, signIn, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { makeRound } from '../../../../test/helpers/evaluation.js';
import { fileUpload, pngOf } from '../../../../test/helpers/http.js';
import { ACCESS_POLICY, roleAllowed, type Access } from '../../lib/access-policy.js';
import { ROLES, type Role } from '../../lib/actor.js';
import { operationsOf, requiredQuery, sampleOf, urlOf, type Operation } from './openapi-ops.js';

/**
 * The authorisation matrix: every operation of the OpenAPI document × anonymous and every role, against the policy
 * table (lib/access-policy.ts). Placeholder ids (nothing exists) and schema-valid sample bodies, so a refusal must
 * come from authentication or a policy, not from validation.
 */
let t: TestApp;
let ops: Operation[];
 
let doc: any;
const sessions = new Map<Role, Session>();

/** Codes that mean "who you are / what you may do" (the rest of 401/403 are domain answers, listed below). */
const REFUSALS = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'CSRF', 'PASSWORD_CHANGE_REQUIRED', 'TOTP_ENROLMENT_REQUIRED']);
/** 401/403 answers an allowed caller gets because of the request's content, not its identity. */
const DOMAIN_401_403: Record<string, string[]> = {
  'POST /api/auth/login': ['INVALID_CREDENTIALS'], // the sample login does not exist
  'POST /api/auth/password': ['WRONG_PASSWORD'], // the sample current password is wrong
  'POST /api/auth/totp/confirm': ['TOTP_INVALID'],
};

/** Operations whose body the generator cannot make valid: their refusals are checked with 400 before the policy. */
const SAMPLE_UNFILLABLE = ['PUT /api/criteria/sets/{id}/sheet', 'POST /api/criteria/validate'];

const codeOf = (res: LightMyRequestResponse) => {
  try { return String(res.json().code ?? ''); } catch { return ''; }
};

beforeAll(async () => {
  t = await buildTestApp();
  ({ ops, doc } = operationsOf(t.app));
  for (const role of ROLES) {
    sessions.set(role, await signIn(t, role, role === 'producer' ? { producerId: (await makeProducer(t)).id } : role === 'commune_officer' ? { unitKeys: ['bn-p-chu'] } : {}));
  }
});
afterAll(async () => t?.close());

describe('policy table ↔ OpenAPI document', () => {
  it('every operation has an entry, and every entry names an operation that exists', () => {
    const keys = new Set(ops.map((o) => o.key));
    expect(ops.length).toBeGreaterThan(100);
    expect(ops.filter((o) => !ACCESS_POLICY[o.key]).map((o) => o.key), 'operations without an access entry').toEqual([]);
    expect(Object.keys(ACCESS_POLICY).filter((k) => !keys.has(k)), 'access entries for operations that no longer exist').toEqual([]);
  });

  it('each operation documents its access as x-access', () => {
    for (const [path, item] of Object.entries<Record<string, { 'x-access'?: Access }>>(doc.paths)) {
      if (!path.startsWith('/api/')) continue;
      for (const [m, op] of Object.entries(item)) expect(op['x-access'], `${m} ${path}`).toEqual(ACCESS_POLICY[`${m.toUpperCase()} ${path}`]);
    }
  });
});

describe('authorisation matrix', () => {
  it('anonymous and every role against every operation', async () => {
    const callers: (Role | null)[] = [null, ...ROLES];
    const failures: string[] = [];
    const validationFirst: string[] = [];
    let checks = 0;
    const png = await pngOf();
    // Logout last: it ends the sessions the other operations use.
    const ordered = [...ops].sort((a, b) => Number(a.key === 'POST /api/auth/logout') - Number(b.key === 'POST /api/auth/logout'));
    for (const op of ordered) {
      const access = ACCESS_POLICY[op.key];
      if (!access) continue; // reported by the test above
      const objectLevel = typeof access === 'object' && Boolean(access.object);
      const url = urlOf(doc, op, {}, requiredQuery(doc, op));
      const body = op.body ? sampleOf(doc, op.body) : undefined;
      for (const role of callers) {
        const s = role ? sessions.get(role)! : null;
        const upload = op.multipart ? fileUpload(png, 'a.png', 'image/png') : null;
        const res = upload
          ? await t.app.inject({ method: op.method, url, payload: upload.payload, headers: { ...upload.headers, ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}) } })
          : await call(t, s, op.method as 'GET', url, body);
        checks++;
        const code = codeOf(res);
        const who = role ?? 'anonymous';
        const line = `${op.key} as ${who}: ${res.statusCode} ${code}`;
        if (res.statusCode >= 500) { failures.push(`${line} (server error)`); continue; }
        if (roleAllowed(access, role)) {
          const refused = (res.statusCode === 401 || res.statusCode === 403) && !(DOMAIN_401_403[op.key] ?? []).includes(code);
          // Object-level: the placeholder record may be outside an allowed role's scope (403); never "who are you" (401).
          if (refused && !(objectLevel && res.statusCode === 403 && code === 'FORBIDDEN')) failures.push(`${line} (allowed, refused)`);
        } else if (role === null) {
          if (res.statusCode === 400 && code === 'VALIDATION') validationFirst.push(`${line} ${JSON.stringify(res.json().errors)}`);
          else if (res.statusCode !== 401 || code !== 'UNAUTHENTICATED') failures.push(`${line} (anonymous, expected 401)`);
        } else {
          const ok = (res.statusCode === 403 && REFUSALS.has(code)) || (objectLevel && res.statusCode === 404);
          if (!ok) {
            if (res.statusCode === 400 && code === 'VALIDATION') validationFirst.push(`${line} ${JSON.stringify(res.json().errors)}`);
            else failures.push(`${line} (not allowed, expected 403${objectLevel ? '/404' : ''})`);
          }
        }
      }
    }
    console.log(`authz matrix: ${ops.length} operations × ${callers.length} callers = ${checks} checks; validation answered before the policy: ${validationFirst.length}`);
    if (validationFirst.length) console.log(validationFirst.join('\n'));
    expect(failures).toEqual([]);
    // Only bodies the sample generator cannot fill (a recursive criteria sheet document) may stop at validation.
    expect(validationFirst.filter((l) => !SAMPLE_UNFILLABLE.some((k) => l.startsWith(`${k} as`)))).toEqual([]);
  });
});

describe('object level: another producer, a council member outside the round', () => {
  it("a producer user of producer B cannot read or write producer A's records", async () => {
    const a = await makeProducer(t);
    const product = await makeProduct(t, a.id);
    const b = await makeProducer(t);
    const other = await signIn(t, 'producer', { producerId: b.id });
    const versionOf = async () => (await t.dbh.query<{ v: number; u: string }>('select version as v, updated_at::text as u from products where id = $1', [product.id]))[0];
    const producerVersion = async () => (await t.dbh.query<{ v: number; u: string }>('select version as v, updated_at::text as u from producers where id = $1', [a.id]))[0];
    const before = [await versionOf(), await producerVersion()];
    const body = { ...(await productInput(t, a.id)), name: product.name, version: 1 };
    const producerFields = {
      kind: 'cooperative', legalName: a.legalName, shortName: null, registrationNumber: a.registrationNumber, unitId: await unitId(t, 'bn-p-chu'),
      address: null, representative: null, representativeTitle: null, phone: null, email: null, website: null, foundedYear: null, memberCount: null,
      workerCount: null, craftVillage: 'Làng nghề đổi', notes: null, isDemo: false, sources: [],
    };
    const cases: [string, string, unknown][] = [
      ['GET', `/api/products/${product.id}`, undefined],
      ['PUT', `/api/products/${product.id}`, body],
      ['GET', `/api/products/${product.id}/history`, undefined],
      ['DELETE', `/api/products/${product.id}/photos/${crypto.randomUUID()}`, undefined],
      ['GET', `/api/products/${product.id}/self-assessment`, undefined],
      ['PUT', `/api/products/${product.id}/self-assessment`, { answers: {}, notes: {} }],
      ['GET', `/api/producers/${a.id}`, undefined],
      ['PUT', `/api/producers/${a.id}`, { ...producerFields, version: 1 }],
      ['GET', `/api/producers/${a.id}/history`, undefined],
      ['GET', `/api/producers/${a.id}/evidence`, undefined],
      ['POST', '/api/products', await productInput(t, a.id)],
      ['POST', '/api/dossiers', { productId: product.id, kind: 'first', targetStar: null }],
    ];
    for (const [method, url, payload] of cases) {
      const res = await call(t, other, method as 'GET', url, payload);
      expect([403, 404], `${method} ${url}: ${res.statusCode} ${res.body}`).toContain(res.statusCode);
    }
    const photo = fileUpload(await pngOf(), 'a.png', 'image/png');
    const up = await t.app.inject({ method: 'POST', url: `/api/products/${product.id}/photos`, payload: photo.payload, headers: { ...photo.headers, cookie: other.cookie, 'x-csrf-token': other.csrf } });
    expect([403, 404]).toContain(up.statusCode);
    // The table marks every route above own-producer.
    for (const [method, url] of cases) {
      const key = `${method} ${url.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, (_m, off: number) => (off === url.indexOf('/photos/') + 8 ? '{photoId}' : '{id}'))}`;
      const acc = ACCESS_POLICY[key];
      if (acc && typeof acc === 'object') expect(acc.object, key).toBe('own-producer');
    }
    expect([await versionOf(), await producerVersion()]).toEqual(before);
    expect(await t.dbh.query('select 1 from product_photos where product_id = $1', [product.id]).catch(() => [])).toEqual([]);
  });

  it('a council member outside the round is refused the round, its products, my-sheet and score sheets', async () => {
    const officer = await signIn(t, 'province_officer'); // the matrix signed the shared sessions out
    const chair = await signIn(t, 'council_member');
    const outsider = await signIn(t, 'council_member');
    const p = await makeProduct(t, (await makeProducer(t)).id);
    const id = await makeRound(t, officer, { members: [{ s: chair, role: 'chair' }], productIds: [p.id], minValidSheets: 1 });
    const draft = await call(t, chair, 'PUT', `/api/rounds/${id}/products/${p.id}/my-sheet`, { answers: {}, notes: {} });
    expect(draft.statusCode, draft.body).toBe(200);
    const sheetId: string = draft.json().id;
    expect(sheetId).toBeTruthy();
    for (const [method, url, payload] of [
      ['GET', `/api/rounds/${id}`], ['GET', `/api/rounds/${id}/products`], ['GET', `/api/rounds/${id}/certificates`],
      ['GET', `/api/rounds/${id}/minutes.pdf`], ['GET', `/api/rounds/${id}/results.xlsx`],
      ['GET', `/api/rounds/${id}/products/${p.id}/my-sheet`], ['PUT', `/api/rounds/${id}/products/${p.id}/my-sheet`, { answers: {}, notes: {} }],
      ['POST', `/api/rounds/${id}/products/${p.id}/my-sheet/submit`, { answers: {}, notes: {} }],
      ['GET', `/api/score-sheets/${sheetId}`], ['GET', `/api/score-sheets/${sheetId}/pdf`],
      ['POST', `/api/rounds/${id}/open-results`], ['POST', `/api/rounds/${id}/products/${p.id}/conflict`, { reason: 'other', note: 'x' }],
    ] as [string, string, unknown?][]) {
      const res = await call(t, outsider, method as 'GET', url, payload);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(403);
    }
    const rounds = await call(t, outsider, 'GET', '/api/rounds');
    expect(rounds.json().map((r: { id: string }) => r.id)).not.toContain(id);
    expect(await t.dbh.query('select 1 from score_sheets where round_id = $1 and member_id = $2', [id, outsider.userId])).toEqual([]);
  });
});
