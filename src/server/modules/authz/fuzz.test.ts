import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, signIn, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { ACCESS_POLICY } from '../../lib/access-policy.js';
import { deref, operationsOf, placeholderParam, sampleOf, type Operation } from './openapi-ops.js';

/**
 * Fuzzing every operation from its OpenAPI schema with hostile values, as an administrator (and anonymously for the
 * public operations). Deterministic (no randomness in the values; ids are fresh UUIDs). Never a 5xx, never a stack
 * trace or driver text, every error as problem+json, and nothing written by a refused write.
 * Skipped: multipart uploads (their parts are not in the OpenAPI document; uploads have their own tests) and
 * POST /api/auth/logout (it would end the fuzzing session; it takes no input).
 */
const SKIP = new Set(['POST /api/auth/logout']);
const MAX_PER_OP = 20;
const TABLES = ['products', 'producers', 'dossiers', 'certificates', 'rounds', 'lots', 'users', 'audit_log'];

const LONE = '__LONE_SURROGATE__';
const deep = (n: number) => { let v: unknown = 'x'; for (let i = 0; i < n; i++) v = i % 2 ? { a: v } : [v]; return v; };
const HUGE = 'x'.repeat(100_000);
const HOSTILE: unknown[] = [
  HUGE, deep(2000), 12345, true, null, [], {}, [{}], 2147483648, 1e19, -1, 1.5, 'NaN', 'Infinity', '1e309', '9223372036854775808',
  LONE, '\u202Eevil.exe', 'a\u0000b', "' OR 1=1 --", '<script>alert(1)</script>', '../../etc/passwd', '', '   ',
];
const HOSTILE_PARAMS = ['NaN', '2147483648', '99999999999999999999', "' OR 1=1 --", '<script>', '\u202E', '-1', '1.5', 'a\u0000b', 'x'.repeat(4000)];
const HOSTILE_QUERY = ['NaN', '2147483648', '-99999999999999999999', "' OR 1=1 --", '<script>alert(1)</script>', '\u202E', 'a\u0000b', 'x'.repeat(20_000), '1e309', '%'];

/** JSON text, with the lone surrogate written as the escape "\ud800" (JSON.stringify cannot produce it). */
const jsonText = (v: unknown) => JSON.stringify(v).replaceAll(`"${LONE}"`, '"\\ud800x"');

let t: TestApp;
let admin: Session;
let ops: Operation[];
 
let doc: any;

beforeAll(async () => {
  t = await buildTestApp();
  ({ ops, doc } = operationsOf(t.app));
  admin = await signIn(t, 'admin');
});
afterAll(async () => t?.close());

interface Req { url: string; payload?: string }

function requestsFor(op: Operation): Req[] {
  const params: Record<string, string> = {};
  for (const p of op.params) params[p.name] = placeholderParam(doc, p.schema);
  const urlWith = (ps: Record<string, string>, q: Record<string, string> = {}) => {
    let url = op.path;
    for (const [k, v] of Object.entries(ps)) url = url.replace(`{${k}}`, encodeURIComponent(v));
    const qs = new URLSearchParams(q).toString();
    return qs ? `${url}?${qs}` : url;
  };
  const base = op.body ? (sampleOf(doc, op.body) as Record<string, unknown>) : undefined;
  const out: Req[] = [];
  let h = 0;
  if (base !== undefined) {
    const url = urlWith(params);
    for (const whole of [deep(2000), [], {}, [base], 'text', HUGE, null, 42]) out.push({ url, payload: jsonText(whole) });
    const body = deref(doc, op.body);
    const keys = base && typeof base === 'object' && !Array.isArray(base) ? Object.keys({ ...body.properties, ...base }) : [];
    for (const k of keys) for (let i = 0; i < 2; i++) out.push({ url, payload: jsonText({ ...base, [k]: HOSTILE[h++ % HOSTILE.length] }) });
  }
  for (const p of op.params) for (const v of HOSTILE_PARAMS.slice(0, 4)) out.push({ url: urlWith({ ...params, [p.name]: v }), payload: base === undefined ? undefined : jsonText(base) });
  for (const q of op.query) out.push({ url: urlWith(params, { [q.name]: HOSTILE_QUERY[h++ % HOSTILE_QUERY.length] }), payload: base === undefined ? undefined : jsonText(base) });
  if (!op.body && !op.params.length && !op.query.length) out.push({ url: urlWith(params, { unexpected: "' OR 1=1 --" }) });
  // Spread the cut over the kinds above rather than keeping only the first ones.
  if (out.length <= MAX_PER_OP) return out;
  const step = out.length / MAX_PER_OP;
  return Array.from({ length: MAX_PER_OP }, (_, i) => out[Math.floor(i * step)]);
}

const LEAKS = /"stack"|\n\s+at |\bat [\w.<>]+ \(|node_modules|\/src\/server\/|syntax error at or near|violates (foreign key|unique|check|not-null)|relation "|invalid input syntax|PGlite|PostgresError|DrizzleQueryError|Failed query/;

async function counts(): Promise<Record<string, number>> {
  const rows = await t.dbh.query<Record<string, string>>(`select ${TABLES.map((x) => `(select count(*) from ${x}) as ${x}`).join(', ')}`);
  return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
}
/** Audit entries of the fuzzing administrator: every write records one in its transaction (shared PostgreSQL safe). */
const myAudit = async () => Number((await t.dbh.query<{ n: string }>('select count(*) as n from audit_log where actor_id = $1', [admin.userId]))[0].n);

describe('schema fuzzing', () => {
  it('hostile values for every operation: no 5xx, no leaks, problem+json, refused writes write nothing', async () => {
    const failures: string[] = [];
    let sent = 0;
    let refusedBatches = 0;
    const shared = Boolean(process.env.TEST_DATABASE_URL); // other test files write the same PostgreSQL database
    const check = (op: Operation, who: string, r: Req, res: LightMyRequestResponse) => {
      const line = `${op.key} as ${who} ${r.url.slice(0, 120)} body ${String(r.payload ?? '').slice(0, 80)} → ${res.statusCode}`;
      if (res.statusCode >= 500) failures.push(`${line} (server error) ${res.body.slice(0, 300)}`);
      if (LEAKS.test(res.body.slice(0, 200_000)) && res.headers['content-type']?.toString().includes('json')) failures.push(`${line} (leak) ${res.body.slice(0, 300)}`);
      if (res.statusCode >= 400 && !String(res.headers['content-type'] ?? '').includes('application/problem+json')) failures.push(`${line} (not problem+json: ${res.headers['content-type']})`);
    };
    for (const op of ops) {
      if (op.multipart || SKIP.has(op.key)) continue;
      const reqs = requestsFor(op);
      const write = op.method !== 'GET';
      const before = write ? { c: shared ? null : await counts(), a: await myAudit() } : null;
      let anyOk = false;
      const callers: [string, Session | null][] = [['admin', admin]];
      if (ACCESS_POLICY[op.key] === 'public' && op.key !== 'POST /api/auth/login') callers.push(['anonymous', null]);
      for (const [who, s] of callers) {
        for (const r of reqs) {
          const res = await t.app.inject({
            method: op.method, url: r.url, payload: r.payload,
            headers: { ...(r.payload !== undefined ? { 'content-type': 'application/json' } : {}), ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}) },
          });
          sent++;
          if (res.statusCode < 400) anyOk = true;
          check(op, who, r, res);
        }
      }
      if (write && !anyOk) {
        refusedBatches++;
        const after = { c: shared ? null : await counts(), a: await myAudit() };
        if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${op.key}: refused writes changed rows ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      }
    }
    console.log(`fuzz: ${sent} requests over ${ops.filter((o) => !o.multipart && !SKIP.has(o.key)).length} operations; ${refusedBatches} write operations refused every hostile request with rows unchanged`);
    expect(failures).toEqual([]);
    expect(sent).toBeLessThan(3000);
  });
});
