/**
 * Security review (#13 part B), HTTP level: http(s)-only URL fields, API docs on a real deployment, integers above
 * int4, security headers on pages, API answers and errors.
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { LocalDiskStorage } from './storage.js';
import { buildTestApp, call, loginWith, makeProducer, makeProduct, productInput, signIn, TEST_PASSWORD, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem } from '../../../../test/helpers/http.js';

let t: TestApp;
let officer: Session;
beforeAll(async () => {
  t = await buildTestApp();
  officer = await signIn(t, 'province_officer');
});
afterAll(async () => { await t?.close(); });

/** The same app on the same database, configured as a real https deployment. */
async function withDeployment<T>(fn: (app: FastifyInstance) => Promise<T>): Promise<T> {
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-files-'));
  const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'https://ocop.example.vn' }), filesDir };
  expect(config.realDeployment).toBe(true);
  const app = await buildApp({ config, dbh: t.dbh, storage: new LocalDiskStorage(filesDir), logger: false });
  await app.ready();
  try {
    return await fn(app);
  } finally {
    await app.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  }
}

describe('URL fields accept http(s) only', () => {
  const bad = ['javascript:alert(document.cookie)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'file:///etc/passwd'];

  for (const url of bad) {
    it(`producer website ${JSON.stringify(url)} → 400 in Vietnamese, nothing stored`, async () => {
      const p = await makeProducer(t);
      const res = await call(t, officer, 'PUT', `/api/producers/${p.id}`, { ...p, version: p.version, website: url });
      const body = expectProblem(res, 400, 'VALIDATION');
      expect(body.errors?.find((e) => e.path.endsWith('website'))?.message).toMatch(/http:\/\/ hoặc https:\/\//);
      const [row] = await t.dbh.query<{ website: string | null }>('select website from producers where id = $1', [p.id]);
      expect(row.website).toBeNull();
    });
  }

  it('a product channel URL and a source must be http(s) too; https is accepted', async () => {
    const p = await makeProducer(t);
    const input = await productInput(t, p.id);
    const ch = await call(t, officer, 'POST', '/api/products', { ...input, channels: [{ kind: 'marketplace', name: 'Shop', url: 'javascript:alert(1)' }] });
    expect(expectProblem(ch, 400, 'VALIDATION').errors?.[0].message).toMatch(/http/);
    const src = await call(t, officer, 'POST', '/api/products', { ...input, sources: ['data:text/html,x'] });
    expectProblem(src, 400, 'VALIDATION');
    const ok = await call(t, officer, 'POST', '/api/products', { ...input, channels: [{ kind: 'marketplace', name: 'Shop', url: 'https://shop.example.vn/vai' }] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().channels[0].url).toBe('https://shop.example.vn/vai');
  });
});

describe('integers above int4 are 400 problem+json, never 500', () => {
  for (const url of [
    '/api/producers?unitId=99999999999',
    '/api/products?unitId=99999999999',
    '/api/products?taxonomyNodeId=2147483648',
    '/api/criteria/sets/99999999999',
    '/api/geo/units?parentId=99999999999', '/api/geo/units/99999999999',
    '/api/dossiers?page=99999999999',
    '/api/growing-areas?unitId=99999999999',
    '/api/scan-stats?unitId=99999999999',
  ]) {
    it(`GET ${url}`, async () => {
      const res = await call(t, officer, 'GET', url);
      expect(res.statusCode, res.body).toBeLessThan(500);
      if (res.statusCode !== 404) expectProblem(res, 400, 'VALIDATION');
    });
  }

  it('labels from/to beyond int4', async () => {
    const res = await call(t, officer, 'GET', `/api/stamp-ranges/${crypto.randomUUID()}/labels.pdf?from=99999999999`);
    expectProblem(res, 400, 'VALIDATION');
  });

  it('last line of defence: an unbounded body integer reaching PostgreSQL (22003) is a 400 without driver text or stack', async () => {
    const res = await call(t, officer, 'POST', '/api/rounds', {
      name: 'Đợt thử phạm vi số', level: 'province', unitId: 1, procedureCode: '148', criteriaSetId: 99999999999,
      members: [{ userId: officer.userId, role: 'chair' }],
    });
    const body = expectProblem(res, 400, 'VALIDATION');
    expect(res.body).not.toMatch(/out of range|integer|pglite|postgres/i);
    expect(body.detail).toMatch(/phạm vi/);
  });
});

describe('API docs', () => {
  it('open on localhost (the demo)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toMatch(/^3\./);
  });

  it('on a real deployment: anonymous 401, a producer 403, staff 200 (UI and JSON)', async () => {
    await withDeployment(async (app) => {
      for (const url of ['/api/docs', '/api/docs/json', '/api/docs/static/index.html']) {
        const anon = await app.inject({ method: 'GET', url });
        expect(anon.statusCode, url).toBe(401);
        expect(anon.headers['content-type']).toContain('application/problem+json');
      }
      const producer = await makeProducer(t);
      const ps = await signIn(t, 'producer', { producerId: producer.id });
      // On an https address the session cookie is __Host-ocop_sid (the test app runs on http).
      const https = (c: string) => c.replace(/(^|;\s*)ocop_sid=/, '$1__Host-ocop_sid=');
      const asProducer = await app.inject({ method: 'GET', url: '/api/docs/json', headers: { cookie: https(ps.cookie) } });
      expect(asProducer.statusCode).toBe(403);
      // Sessions live in the database: the officer signed in on the test app is signed in here too.
      const s = await loginWith(t, officer.login, TEST_PASSWORD);
      const ok = await app.inject({ method: 'GET', url: '/api/docs/json', headers: { cookie: https(s.cookie) } });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().paths['/api/producers']).toBeDefined();
    });
  });
});

describe('security headers', () => {
  const common = (h: Record<string, unknown>) => {
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(String(h['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(h['referrer-policy']).toBeDefined();
  };

  it('API answers, problem answers, unknown routes and the verification page (http: no HSTS)', async () => {
    const p = await makeProducer(t);
    await makeProduct(t, p.id);
    for (const res of [
      await call(t, officer, 'GET', '/api/producers?pageSize=1'),
      await t.app.inject({ method: 'GET', url: '/api/auth/me' }), // 401
      await t.app.inject({ method: 'GET', url: '/api/khong-co' }), // 404
      await t.app.inject({ method: 'GET', url: '/xac-thuc/OCOP-0000-000000', headers: { accept: 'text/html' } }),
      await t.app.inject({ method: 'GET', url: '/trang-khong-co', headers: { accept: 'text/html' } }), // SPA fallback or 404
      await call(t, officer, 'GET', '/api/producers?unitId=99999999999'), // 400
    ]) {
      common(res.headers);
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('behind https (PUBLIC_BASE_URL https): HSTS on every answer, scan pages included', async () => {
    await withDeployment(async (app) => {
      for (const url of ['/api/auth/me', '/xac-thuc/OCOP-0000-000000', '/t/0000000000', '/api/khong-co']) {
        const res = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
        common(res.headers);
        expect(res.headers['strict-transport-security'], url).toMatch(/max-age=31536000/);
      }
    });
  });
});

describe('answers travel compressed (#12: rural 3G)', () => {
  it('a large JSON answer is brotli- or gzip-compressed when the browser accepts it, and decodes to the same JSON', async () => {
    const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
    const plain = await call(t, officer, 'GET', '/api/geo/units');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(1024);
    const br = await call(t, officer, 'GET', '/api/geo/units', undefined, { 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(plain.json());
    const gz = await call(t, officer, 'GET', '/api/geo/units', undefined, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString('utf8'))).toEqual(plain.json());
  });

  it('a small answer (under 1 KB) is sent as it is', async () => {
    const res = await call(t, null, 'GET', '/healthz', undefined, { 'accept-encoding': 'br, gzip' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
  });
});
