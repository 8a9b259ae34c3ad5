import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { openPglite, openPostgres, type DbHandle } from '../../src/server/db/client.js';
import { LocalDiskStorage } from '../../src/server/modules/files/storage.js';
import { createProducer } from '../../src/server/modules/producers/service.js';
import type { ProducerInput } from '../../src/server/modules/producers/schema.js';
import { createProduct } from '../../src/server/modules/products/service.js';
import type { ProductInput } from '../../src/server/modules/products/schema.js';
import { findUnitByKey } from '../../src/server/modules/geo/repository.js';
import { getNodeByCode } from '../../src/server/modules/taxonomy/service.js';
import { createUser } from '../../src/server/modules/users/service.js';
import type { Role } from '../../src/server/lib/actor.js';

export interface TestApp {
  app: FastifyInstance;
  dbh: DbHandle;
  filesDir: string;
  close(): Promise<void>;
}

/** The real app on a real database: a PGlite clone of the migrated template, or TEST_DATABASE_URL's PostgreSQL. */
export async function buildTestApp(): Promise<TestApp> {
  const url = process.env.TEST_DATABASE_URL;
  const template = inject('pgliteTemplate');
  const dbh = url ? await openPostgres(url, 4) : await openPglite(null, new Blob([fs.readFileSync(template)]));
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-files-'));
  const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), filesDir, uploadMaxBytes: 2 * 1024 * 1024 };
  const app = await buildApp({ config, dbh, storage: new LocalDiskStorage(filesDir), logger: false });
  await app.ready();
  return {
    app,
    dbh,
    filesDir,
    async close() {
      await app.close();
      await dbh.close();
      fs.rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** Unique per call and per process: factories never collide, so tests need no order and no cleanup. */
export const unique = (prefix = 'T') => `${prefix}${process.pid}${Date.now().toString(36)}${(seq++).toString(36)}`;

/** A fresh valid 10-digit tax code (check digit per the General Department of Taxation's rule). */
export function uniqueTaxCode(): string {
  for (;;) {
    const body = `24${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
    const sum = body.split('').reduce((a, d, i) => a + Number(d) * w[i], 0);
    const c = 10 - (sum % 11);
    if (c < 10) return `${body}${c}`;
  }
}

const SYSTEM = { system: 'test' };

export async function unitId(t: TestApp, key: string) {
  const u = await findUnitByKey(t.dbh.db, key);
  if (!u) throw new Error(`unit ${key} not in seed`);
  return u.id;
}
export async function leafId(t: TestApp, code = 'I.1.a') {
  return (await getNodeByCode(t.dbh.db, '148', code))!.id;
}

export async function makeProducer(t: TestApp, over: Partial<ProducerInput> = {}) {
  return createProducer(t.dbh.db, SYSTEM, {
    kind: 'cooperative', legalName: `HTX Thử nghiệm ${unique()}`, shortName: null, registrationNumber: uniqueTaxCode(),
    unitId: await unitId(t, 'bn-p-chu'), address: null, representative: null, representativeTitle: null, phone: null, email: null,
    website: null, foundedYear: null, memberCount: null, workerCount: null, craftVillage: null, notes: null, isDemo: false, sources: [],
    ...over,
  });
}

export async function productInput(t: TestApp, producerId: string, over: Partial<ProductInput> = {}): Promise<ProductInput> {
  return {
    producerId, name: `Sản phẩm thử ${unique()}`, taxonomyNodeId: await leafId(t), registeredUnitId: await unitId(t, 'bn-p-chu'),
    processingLevel: 'fresh', brand: null, description: null, story: null, rawMaterialArea: null, keyProduct: false, isDemo: false,
    sources: [], certifications: [], channels: [],
    recognition: { stars: null, recognitionYear: null, decisionNumber: null, decisionDate: null, certificateNumber: null, certificateIssuer: null, certificateExpiresOn: null },
    ...over,
  };
}

export async function makeProduct(t: TestApp, producerId: string, over: Partial<ProductInput> = {}) {
  return createProduct(t.dbh.db, SYSTEM, await productInput(t, producerId, over));
}

export interface Session {
  cookie: string;
  csrf: string;
  userId: string;
  login: string;
}

/** Password of every user signIn() creates. */
export const TEST_PASSWORD = 'mat-khau-thu-nghiem-1';

/** Signs in through the real login route; throws unless it succeeds. */
export async function loginWith(t: TestApp, login: string, password: string, userId = ''): Promise<Session> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'ocop_sid')!;
  return { cookie: `ocop_sid=${cookie.value}`, csrf: res.json().csrfToken, userId: userId || res.json().id, login };
}

/** Creates a user of the role and signs in through the real login route. */
export async function signIn(t: TestApp, role: Role, opts: { producerId?: string; unitKeys?: string[] } = {}): Promise<Session> {
  const login = unique('u').toLowerCase();
  const unitIds = [];
  for (const k of opts.unitKeys ?? (role === 'commune_officer' ? ['bn-p-chu'] : [])) unitIds.push(await unitId(t, k));
  const user = await createUser(t.dbh.db, SYSTEM, {
    login, password: TEST_PASSWORD, role, fullName: `Người dùng ${login}`, email: null, phone: null, locale: 'vi', unitIds, producerId: opts.producerId ?? null,
  });
  return loginWith(t, login, TEST_PASSWORD, user.id);
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
/** Request as a signed-in user (cookie + CSRF header), or anonymously with `null`. */
export function call(t: TestApp, s: Session | null, method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url,
    payload: payload as never,
    headers: { ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}), ...headers },
  });
}
