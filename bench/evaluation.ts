/**
 * Evaluation-round benchmark: a provincial council of 9 (chair + 8 members) scores 500 products (4,500 sheets),
 * the chair opens results and finalises. Measures the scoring path over HTTP and finalise end to end, on
 * PostgreSQL and PGlite.
 *
 *   node --import tsx bench/evaluation.ts          (or: BENCH_SCENARIOS=evaluation npm run bench)
 *
 * Env: BENCH_DBS (pglite,postgres) · BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:55432/ocop_bench; its
 * schema `public` is dropped and recreated) · BENCH_EVAL_PRODUCTS (500) · BENCH_EVAL_HTTP_SHEETS (500 sheets =
 * 500 PUT my-sheet + 500 POST …/submit) · BENCH_EVAL_ROUNDS (3 fresh rounds finalised) · BENCH_CONNECTIONS (10) ·
 * BENCH_PORT (3927) · BENCH_NO_README (don't write bench/README.md) · BENCH_EVAL_PROFILE=1 (server under
 * --cpu-prof, profiles kept in tmp/bench-prof/).
 *
 * Phases per database (PGlite allows one process per data directory, so the server and the in-process steps
 * take turns; PostgreSQL runs the same sequence for comparability):
 *   1. in-process: migrate, loadReferenceData, 500 producers + 500 products (bulk SQL, QĐ 148 leaves that have a
 *      sheet in the '148-demo' set), 10 users through the users service (createUser).
 *   2. server: log in (officer, chair, 8 members), POST /api/rounds ×N with the 500 productIds, open scoring;
 *      round 1: the HTTP scoring sample (PUT my-sheet then POST my-sheet/submit, 10 concurrent workers).
 *   3. in-process: the remaining sheets of every round through the service function saveMySheet.
 *   4. server: per round, open results, time POST /finalise, GET /products (chair), minutes.pdf, results.xlsx.
 * All traffic goes to 127.0.0.1. Prints a markdown section on stdout and writes it into bench/README.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPglite, openPostgres, type DbHandle } from '../src/server/db/client.js';
import { migrate } from '../src/server/db/migrate.js';
import { loadReferenceData } from '../src/server/seed/reference.js';
import { createUser } from '../src/server/modules/users/service.js';
import { saveMySheet } from '../src/server/modules/evaluation/service.js';
import { DEFAULT_STAR_BANDS, leaves, mean, scoreSheet, spread, starOfScore, type Answers, type CriteriaSheetDoc, type StarBands } from '../src/shared/criteria.js';
import type { Actor } from '../src/server/lib/actor.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const DBS = (env.BENCH_DBS ?? 'pglite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
const PG_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/ocop_bench';
const N_PRODUCTS = Number(env.BENCH_EVAL_PRODUCTS ?? 500);
const HTTP_SHEETS = Number(env.BENCH_EVAL_HTTP_SHEETS ?? 500);
const ROUNDS = Number(env.BENCH_EVAL_ROUNDS ?? 3);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 10);
const PORT = Number(env.BENCH_PORT ?? 3927);
const PROFILE = Boolean(env.BENCH_EVAL_PROFILE);
const PASSWORD = 'Do-kiem-Hieu-nang-2026!';
const N_MEMBERS = 9; // chair + 8 members
const TARGET_FINALISE_MS = 2000;
const REPEAT_GETS = 3;

const log = (...a: unknown[]) => console.error(`[bench:eval ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
const f1 = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n.toFixed(1) : '–');
const f0 = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '–');

// ---------------------------------------------------------------- deterministic randomness
let seed = 1489 >>> 0;
function rnd() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];

// ---------------------------------------------------------------- child processes (server)
const children = new Set<ChildProcess>();
type Child = ChildProcess & { exited: Promise<unknown>; output: () => string; label: string };
function startServer(dbEnv: Record<string, string | undefined>, label: string): Child {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...env, ...dbEnv, PORT: String(PORT), HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'warn', NODE_ENV: 'production' })) if (v !== undefined) childEnv[k] = v;
  const args = ['--import', 'tsx', ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(root, 'tmp/bench-prof')}`] : []), 'src/server/main.ts'];
  const child = spawn(process.execPath, args, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] }) as Child;
  children.add(child);
  let out = '';
  const keep = (d: Buffer) => { out = (out + d).slice(-20000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.exited = new Promise((res) => child.on('exit', (code, sig) => { children.delete(child); res({ code, sig }); }));
  child.output = () => out;
  child.label = label;
  return child;
}
async function stopServer(child: Child, ms = 20000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const done = await Promise.race([child.exited.then(() => true), sleep(ms).then(() => false)]);
  if (!done) { child.kill('SIGKILL'); await Promise.race([child.exited, sleep(5000)]); }
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => { for (const c of children) c.kill('SIGKILL'); process.exit(130); });

async function portFree(port: number) {
  return new Promise<boolean>((res) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); res(false); });
    s.on('error', () => res(true));
    s.setTimeout(1000, () => { s.destroy(); res(true); });
  });
}
async function waitHealthy(child: Child, limitMs = 90000) {
  const t0 = Date.now();
  while (Date.now() - t0 < limitMs) {
    if (child.exitCode !== null) throw new Error(`${child.label} exited early:\n${child.output()}`);
    try {
      const r = await fetch(`http://127.0.0.1:${PORT}/healthz`, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      if (r.status === 200) return Date.now() - t0;
    } catch { /* not up yet */ }
    await sleep(25);
  }
  throw new Error(`server not healthy within ${limitMs} ms:\n${child.output()}`);
}

// ---------------------------------------------------------------- http (127.0.0.1 only)
interface Session { cookie: string; csrf: string; userId: string }
interface Res { status: number; ms: number; bytes: number; body: Buffer }
async function http(method: string, p: string, s: Session | null, body?: unknown, timeoutMs = 120000): Promise<Res> {
  const headers: Record<string, string> = {};
  if (s) { headers.cookie = s.cookie; headers['x-csrf-token'] = s.csrf; }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${PORT}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, ms: performance.now() - t0, bytes: buf.length, body: buf };
}
async function must(method: string, p: string, s: Session | null, body?: unknown, want = 200): Promise<Res> {
  const r = await http(method, p, s, body);
  if (r.status !== want) throw new Error(`${method} ${p} → ${r.status}: ${r.body.toString('utf8').slice(0, 800)}`);
  return r;
}
async function login(loginName: string): Promise<Session> {
  const res = await fetch(`http://127.0.0.1:${PORT}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: loginName, password: PASSWORD }), signal: AbortSignal.timeout(30000) });
  const body = await res.json() as { id: string; csrfToken: string };
  if (res.status !== 200) throw new Error(`login ${loginName} → ${res.status}: ${JSON.stringify(body)}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('ocop_sid='))!;
  return { cookie, csrf: body.csrfToken, userId: body.id };
}

// ---------------------------------------------------------------- database set-up (in-process)
async function openDb(dbEnv: { DATABASE_URL?: string; DATA_DIR?: string }): Promise<DbHandle> {
  return dbEnv.DATABASE_URL ? openPostgres(dbEnv.DATABASE_URL, 8) : openPglite(path.join(dbEnv.DATA_DIR!, 'db'));
}

async function insertRows(h: DbHandle, table: string, cols: string[], rows: unknown[][]) {
  for (let i = 0; i < rows.length; i += 500) {
    const params: unknown[] = [];
    const tuples = rows.slice(i, i + 500).map((r) => `(${r.map((v) => { params.push(v); return `$${params.length}`; }).join(',')})`);
    await h.query(`insert into ${table} (${cols.join(',')}) values ${tuples.join(',')}`, params);
  }
}

const PRODUCT_NAMES: Record<string, string[]> = {
  'I.1.a': ['Vải thiều', 'Cam', 'Bưởi', 'Nhãn', 'Xoài'], 'I.1.b': ['Rau cải', 'Su su', 'Măng tây'], 'I.2.b': ['Mật ong'], 'I.3.b': ['Mỳ gạo', 'Miến dong', 'Bánh đa'],
  'I.3.c': ['Vải thiều sấy', 'Long nhãn'], 'I.3.d': ['Giò chả', 'Lạp xưởng'], 'I.4.a': ['Nước mắm', 'Tương'], 'I.5.a': ['Chè búp', 'Chè Shan tuyết'],
  'I.5.b': ['Trà hoa vàng'], 'II.1.b': ['Rượu vang sim'], 'III.1': ['Cao actiso'],
};
const REGIONS = ['Lục Ngạn', 'Thanh Hà', 'Mộc Châu', 'Tân Cương', 'Bắc Kạn', 'Cao Bằng', 'Sơn La', 'Hòa Bình', 'Nam Định', 'Nghệ An', 'Đà Lạt', 'Bến Tre', 'Cà Mau', 'Chũ', 'Bình Liêu'];

interface Setup { productIds: string[]; docByProduct: Map<string, CriteriaSheetDoc>; users: { login: string; id: string; role: 'chair' | 'member'; fullName: string }[]; officer: string; setId: number; unitId: number; bands: StarBands; leafCodes: string[] }

async function setUp(h: DbHandle): Promise<Setup> {
  await migrate(h);
  await loadReferenceData(h.db);
  const [set] = await h.query<{ id: number; star_bands: StarBands | null }>(`select id, star_bands from criteria_sets where code = '148-demo' and status = 'published'`);
  if (!set) throw new Error("criteria set '148-demo' is not published");
  const sheets = await h.query<{ node_id: number; code: string; doc: CriteriaSheetDoc }>(
    `select cs.taxonomy_node_id as node_id, t.code, cs.doc from criteria_sheets cs join taxonomy_nodes t on t.id = cs.taxonomy_node_id where cs.set_id = $1 order by t.code`, [set.id]);
  if (!sheets.length) throw new Error('no sheets in 148-demo');
  const [unit] = await h.query<{ id: number }>(`select id from admin_units where level = 1 order by id limit 1`);
  const communes = (await h.query<{ id: number }>(`select id from admin_units where level = 3 order by id limit 200`)).map((r) => r.id);
  const producers: unknown[][] = [];
  const products: unknown[][] = [];
  const docByProduct = new Map<string, CriteriaSheetDoc>();
  const productIds: string[] = [];
  for (let i = 0; i < N_PRODUCTS; i++) {
    const sh = sheets[i % sheets.length];
    const producerId = crypto.randomUUID();
    const id = crypto.randomUUID();
    const region = pick(REGIONS);
    const name = `${pick(PRODUCT_NAMES[sh.code] ?? ['Sản phẩm'])} ${region} #${i + 1}`;
    // Tax code: 10 digits with a valid check digit (same rule as bench/generate.ts).
    let tax = '';
    for (let k = i * 13; !tax; k++) {
      const body = `${String((k % 96) + 1).padStart(2, '0')}${String(2000000 + k).padStart(7, '0')}`;
      const sum = body.split('').reduce((a, d, j) => a + Number(d) * [31, 29, 23, 19, 17, 13, 7, 5, 3][j], 0);
      if (10 - (sum % 11) < 10) tax = `${body}${10 - (sum % 11)}`;
    }
    producers.push([producerId, 'cooperative', `HTX ${name}`, tax, pick(communes), `Thôn ${int(1, 9)}, ${region}`, 'Nguyễn Văn An', 'Giám đốc HTX', JSON.stringify(['bench-eval'])]);
    products.push([id, producerId, name, sh.node_id, pick(communes), 'processed', `${name}: hồ sơ dự thi OCOP.`, JSON.stringify(['bench-eval'])]);
    productIds.push(id);
    docByProduct.set(id, sh.doc);
  }
  await insertRows(h, 'producers', ['id', 'kind', 'legal_name', 'registration_number', 'unit_id', 'address', 'representative', 'representative_title', 'sources'], producers);
  await insertRows(h, 'products', ['id', 'producer_id', 'name', 'taxonomy_node_id', 'registered_unit_id', 'processing_level', 'description', 'sources'], products);
  await h.execScript('analyze');
  const users: Setup['users'] = [];
  for (let i = 0; i < N_MEMBERS; i++) {
    const login = i === 0 ? 'hd.chutich' : `hd.thanhvien${i}`;
    const fullName = i === 0 ? 'Chủ tịch Hội đồng (bench)' : `Thành viên ${i} (bench)`;
    const u = await createUser(h.db, { system: 'bench' }, { login, password: PASSWORD, role: 'council_member', fullName, email: null, phone: null, locale: 'vi', unitIds: [], producerId: null });
    users.push({ login, id: u.id, role: i === 0 ? 'chair' : 'member', fullName });
  }
  await createUser(h.db, { system: 'bench' }, { login: 'bench.tinh.eval', password: PASSWORD, role: 'province_officer', fullName: 'Cán bộ tỉnh (bench)', email: null, phone: null, locale: 'vi', unitIds: [], producerId: null });
  return { productIds, docByProduct, users, officer: 'bench.tinh.eval', setId: set.id, unitId: unit.id, bands: set.star_bands ?? DEFAULT_STAR_BANDS, leafCodes: [] };
}

// ---------------------------------------------------------------- answers
/**
 * Every member's answers for every product: a product "quality" q spread evenly over [0.05, 1] so means fall in
 * every star band; each member picks round(q × (options − 1)) per criterion, moved ±1 option on a few criteria.
 * Totals come from scoreSheet; if a product's 9 totals spread more than 10 points, the jitter is halved (bounded)
 * until they do not — so finalise needs no discussion notes.
 */
function planAnswers(productIds: string[], docOf: Map<string, CriteriaSheetDoc>) {
  const plan = new Map<string, { answers: Answers[]; totals: number[] }>();
  productIds.forEach((pid, i) => {
    const doc = docOf.get(pid)!;
    const ls = leaves(doc);
    const q = 0.05 + 0.95 * (((i * 37) % productIds.length) / Math.max(1, productIds.length - 1));
    let jitter = 4;
    for (let attempt = 0; attempt < 6; attempt++, jitter = Math.floor(jitter / 2)) {
      const answers: Answers[] = [];
      for (let m = 0; m < N_MEMBERS; m++) {
        const a: Answers = {};
        for (const l of ls) {
          const n = l.options!.length;
          let idx = Math.round(q * (n - 1));
          if (rnd() < jitter / ls.length * 2) idx += rnd() < 0.5 ? -1 : 1;
          idx = Math.max(0, Math.min(n - 1, idx));
          if (l.options![idx].disqualifies) idx = l.options!.findIndex((o) => !o.disqualifies);
          a[l.code] = idx;
        }
        answers.push(a);
      }
      const totals = answers.map((a) => scoreSheet(doc, a).total);
      if (spread(totals) <= 10 || jitter === 0) { plan.set(pid, { answers, totals }); break; }
    }
  });
  return plan;
}

// ---------------------------------------------------------------- postgres
async function preparePostgres() {
  const u = new URL(PG_URL);
  let startedPg = false;
  if (await portFree(Number(u.port || 5432))) {
    if (env.BENCH_DATABASE_URL) throw new Error(`PostgreSQL at ${PG_URL} is not reachable`);
    log('starting PostgreSQL with scripts/pg-test-server.sh start');
    const r = spawnSync('bash', [path.join(root, 'scripts/pg-test-server.sh'), 'start'], { cwd: root, encoding: 'utf8', timeout: 120000 });
    if (r.status !== 0) throw new Error(`pg-test-server.sh failed: ${r.stderr}`);
    startedPg = true;
  }
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query('drop schema if exists public cascade; create schema public;');
    return { startedPg, version: (await c.query('show server_version')).rows[0].server_version as string };
  } finally { await c.end(); }
}

// ---------------------------------------------------------------- one database
interface Timed { ms: number; bytes: number }
interface RoundResult {
  roundId: string; createMs: number; openScoringMs: number; fillMs: number; openResultsMs: number;
  productsBefore: Timed[]; finalise: Timed; productsAfter: Timed[]; minutes: Timed[]; xlsx: Timed[];
  stars: Record<string, number>; outcomes: Record<string, number>; meanRange: [number, number]; maxSpread: number;
}
interface DbRun {
  kind: string; engine: string; setupMs: number;
  scoring?: { requests: number; seconds: number; rps: number; put: number[]; submit: number[]; all: number[]; non2xx: number };
  rounds: RoundResult[]; rssMb?: number; hwmMb?: number;
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), max: s[s.length - 1] };
}

async function benchDb(kind: string): Promise<{ run: DbRun; startedPg: boolean }> {
  let dbEnv: { DATABASE_URL?: string; DATA_DIR?: string };
  let engine: string;
  let startedPg = false;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-eval-'));
  if (kind === 'pglite') {
    dbEnv = { DATA_DIR: dataDir, DATABASE_URL: undefined };
    engine = 'PGlite 0.5 (WASM, in-process)';
  } else {
    const info = await preparePostgres();
    startedPg = info.startedPg;
    dbEnv = { DATABASE_URL: PG_URL, DATA_DIR: dataDir };
    engine = `PostgreSQL ${info.version} (fsync=off, 127.0.0.1)`;
  }
  const run: DbRun = { kind, engine, setupMs: 0, rounds: [] };
  try {
    // 1. set-up in-process
    let t0 = Date.now();
    let h = await openDb(dbEnv);
    let setup: Setup;
    try { setup = await setUp(h); } finally { await h.close(); }
    run.setupMs = Date.now() - t0;
    log(`${kind}: set-up (migrate, reference data, ${N_PRODUCTS} products, 10 users) ${run.setupMs} ms`);
    const plan = planAnswers(setup.productIds, setup.docByProduct);
    const members = setup.users;

    // 2. server: rounds, scoring over HTTP
    if (!(await portFree(PORT))) throw new Error(`port ${PORT} is busy (set BENCH_PORT)`);
    let server = startServer(dbEnv, `server (${kind})`);
    const roundIds: string[] = [];
    let sessions: Session[];
    let officer: Session;
    try {
      await waitHealthy(server);
      officer = await login(setup.officer);
      sessions = [];
      for (const m of members) sessions.push(await login(m.login));
      for (let k = 0; k < ROUNDS; k++) {
        const body = {
          name: `Đợt đánh giá bench ${k + 1}/${ROUNDS} cấp tỉnh`, level: 'province', unitId: setup.unitId, procedureCode: '148+1489', criteriaSetId: setup.setId,
          members: members.map((m) => ({ userId: m.id, role: m.role })), productIds: setup.productIds,
        };
        const c = await must('POST', '/api/rounds', officer, body, 201);
        const id = JSON.parse(c.body.toString()).id as string;
        const o = await must('POST', `/api/rounds/${id}/open-scoring`, officer, {});
        roundIds.push(id);
        run.rounds.push({ roundId: id, createMs: c.ms, openScoringMs: o.ms } as RoundResult);
        log(`${kind}: round ${k + 1} created in ${Math.round(c.ms)} ms (POST /api/rounds, ${N_PRODUCTS} products), scoring opened in ${Math.round(o.ms)} ms`);
      }
      // HTTP scoring sample on round 1: sheet j = (product ⌊j/9⌋, member j mod 9), PUT draft then POST submit.
      const jobs = Math.min(HTTP_SHEETS, N_PRODUCTS * N_MEMBERS);
      const put: number[] = [], submit: number[] = [];
      let next = 0, non2xx = 0;
      const ts = performance.now();
      const worker = async () => {
        for (let j = next++; j < jobs; j = next++) {
          const pid = setup.productIds[Math.floor(j / N_MEMBERS)];
          const mi = j % N_MEMBERS;
          const answers = plan.get(pid)!.answers[mi];
          // Draft: the member has answered all but the last few criteria (autosave), then submits the full sheet.
          const codes = Object.keys(answers);
          const draft = Object.fromEntries(codes.slice(0, Math.max(1, codes.length - 3)).map((c) => [c, answers[c]]));
          const base = `/api/rounds/${roundIds[0]}/products/${pid}/my-sheet`;
          const a = await http('PUT', base, sessions[mi], { answers: draft, notes: {} });
          if (a.status === 200) put.push(a.ms); else non2xx++;
          const b = await http('POST', `${base}/submit`, sessions[mi], { answers, notes: { [codes[0]]: 'Đã kiểm tra hồ sơ' } });
          if (b.status === 200) {
            submit.push(b.ms);
            const total = JSON.parse(b.body.toString()).total;
            if (Math.abs(total - plan.get(pid)!.totals[mi]) > 1e-6) throw new Error(`server total ${total} ≠ scoreSheet ${plan.get(pid)!.totals[mi]}`);
          } else { non2xx++; if (non2xx < 3) log(`submit → ${b.status}: ${b.body.toString().slice(0, 300)}`); }
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, worker));
      const secs = (performance.now() - ts) / 1000;
      run.scoring = { requests: put.length + submit.length + non2xx, seconds: secs, rps: (put.length + submit.length) / secs, put, submit, all: [...put, ...submit], non2xx };
      const sa = stats(run.scoring.all);
      log(`${kind}: HTTP scoring ${run.scoring.requests} requests in ${secs.toFixed(1)} s = ${Math.round(run.scoring.rps)} req/s, p50 ${f1(sa.p50)} p95 ${f1(sa.p95)} p99 ${f1(sa.p99)} ms, non-2xx ${non2xx}`);
    } finally { await stopServer(server); }

    // 3. fill the remaining sheets in-process through saveMySheet
    h = await openDb(dbEnv);
    try {
      const actors: Actor[] = members.map((m) => ({ id: m.id, login: m.login, fullName: m.fullName, role: 'council_member', producerId: null, unitIds: [], scopeUnitIds: new Set<number>(), locale: 'vi' }));
      const par = kind === 'postgres' ? 6 : 1;
      for (let k = 0; k < ROUNDS; k++) {
        const start = k === 0 ? Math.min(HTTP_SHEETS, N_PRODUCTS * N_MEMBERS) : 0;
        t0 = Date.now();
        let next = start;
        const total = N_PRODUCTS * N_MEMBERS;
        const worker = async () => {
          for (let j = next++; j < total; j = next++) {
            const pid = setup.productIds[Math.floor(j / N_MEMBERS)];
            const mi = j % N_MEMBERS;
            const got = await saveMySheet(h.db, actors[mi], roundIds[k], pid, { answers: plan.get(pid)!.answers[mi], notes: {} }, true);
            if (Math.abs(got.total - plan.get(pid)!.totals[mi]) > 1e-6) throw new Error('total mismatch');
          }
        };
        await Promise.all(Array.from({ length: par }, worker));
        run.rounds[k].fillMs = Date.now() - t0;
        log(`${kind}: round ${k + 1}: ${total - start} sheets through saveMySheet in ${run.rounds[k].fillMs} ms`);
        const [n] = await h.query<{ n: number }>(`select count(*)::int as n from score_sheets where round_id = $1 and status = 'submitted'`, [roundIds[k]]);
        if (n.n !== total) throw new Error(`round ${k + 1}: ${n.n} submitted sheets, expected ${total}`);
      }
    } finally { await h.close(); }

    // 4. server: open results, finalise, reports
    server = startServer(dbEnv, `server (${kind})`);
    try {
      await waitHealthy(server);
      // Sessions live in the database, so the logins of phase 2 still hold.
      const chair = sessions![0];
      for (let k = 0; k < ROUNDS; k++) {
        const id = roundIds[k];
        const rr = run.rounds[k];
        const get = async (p: string) => { const r = await must('GET', p, chair); return { ms: r.ms, bytes: r.bytes, body: r.body }; };
        rr.productsBefore = [];
        for (let i = 0; i < REPEAT_GETS; i++) rr.productsBefore.push(await get(`/api/rounds/${id}/products`));
        rr.openResultsMs = (await must('POST', `/api/rounds/${id}/open-results`, chair, {})).ms;
        const fin = await http('POST', `/api/rounds/${id}/finalise`, chair, {});
        if (fin.status !== 200) throw new Error(`finalise → ${fin.status}: ${fin.body.toString().slice(0, 1500)}`);
        rr.finalise = { ms: fin.ms, bytes: fin.bytes };
        log(`${kind}: round ${k + 1}: POST /finalise ${Math.round(fin.ms)} ms`);
        rr.productsAfter = [];
        let rows: { result: { meanScore: number; finalStar: number; outcome: string; spread: number } }[] = [];
        for (let i = 0; i < REPEAT_GETS; i++) { const g = await get(`/api/rounds/${id}/products`); rr.productsAfter.push(g); rows = JSON.parse(g.body.toString()); }
        if (rows.length !== N_PRODUCTS) throw new Error(`GET products: ${rows.length} rows`);
        rr.stars = {}; rr.outcomes = {};
        for (const r of rows) {
          rr.stars[`${r.result.finalStar}★`] = (rr.stars[`${r.result.finalStar}★`] ?? 0) + 1;
          rr.outcomes[r.result.outcome] = (rr.outcomes[r.result.outcome] ?? 0) + 1;
        }
        const means = rows.map((r) => r.result.meanScore);
        rr.meanRange = [Math.min(...means), Math.max(...means)];
        rr.maxSpread = Math.max(...rows.map((r) => r.result.spread));
        // Cross-check a mean against scoreSheet totals.
        const expected = mean(plan.get(setup.productIds[0])!.totals);
        if (starOfScore(expected, setup.bands) < 1) throw new Error('bands');
        rr.minutes = []; rr.xlsx = [];
        for (let i = 0; i < REPEAT_GETS; i++) {
          const m = await get(`/api/rounds/${id}/minutes.pdf`);
          if (m.body.subarray(0, 4).toString() !== '%PDF') throw new Error('minutes.pdf is not a PDF');
          rr.minutes.push(m);
          const x = await get(`/api/rounds/${id}/results.xlsx`);
          if (x.body.subarray(0, 2).toString() !== 'PK') throw new Error('results.xlsx is not a zip');
          rr.xlsx.push(x);
        }
        for (const t of [...rr.productsBefore, ...rr.productsAfter, ...rr.minutes, ...rr.xlsx]) delete (t as { body?: unknown }).body;
        log(`${kind}: round ${k + 1}: products ${rr.productsAfter.map((t) => Math.round(t.ms)).join('/')} ms, minutes.pdf ${rr.minutes.map((t) => Math.round(t.ms)).join('/')} ms, results.xlsx ${rr.xlsx.map((t) => Math.round(t.ms)).join('/')} ms; stars ${JSON.stringify(rr.stars)}`);
      }
      try {
        const status = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8');
        run.rssMb = Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
        run.hwmMb = Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      } catch { /* not Linux */ }
    } finally { await stopServer(server); }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return { run, startedPg };
}

// ---------------------------------------------------------------- report
function report(runs: DbRun[]) {
  const cpu = os.cpus();
  const L: string[] = [];
  L.push(`Run on ${new Date().toISOString().slice(0, 10)} · ${cpu.length} cores (${cpu[0]?.model?.trim() ?? 'unknown CPU'}) · ${Math.round(os.totalmem() / 2 ** 30)} GB RAM · Node ${process.version} · ${os.platform()} ${os.release()}`);
  L.push(`Round: ${N_PRODUCTS} products (QĐ 148 leaves with a sheet in '148-demo', round-robin over the ${11} sheets), council of ${N_MEMBERS} (chair + ${N_MEMBERS - 1} members), ${N_PRODUCTS * N_MEMBERS} sheets per round, procedure 148+1489, level province. ${ROUNDS} fresh rounds per database.`);
  L.push('');
  L.push(`**Scoring over HTTP** (round 1, first ${Math.min(HTTP_SHEETS, N_PRODUCTS * N_MEMBERS)} sheets: each is \`PUT …/my-sheet\` (draft, all but 3 criteria) then \`POST …/my-sheet/submit\`; ${CONNECTIONS} concurrent workers, each member's own session + CSRF token; exact latencies of every response):`);
  L.push('');
  L.push('| database | requests | req/s | all p50 / p95 / p99 ms | PUT my-sheet p50 / p95 / p99 | POST submit p50 / p95 / p99 | non-2xx |');
  L.push('|---|---:|---:|---|---|---|---:|');
  for (const r of runs) {
    if (!r.scoring) continue;
    const a = stats(r.scoring.all), p = stats(r.scoring.put), s = stats(r.scoring.submit);
    L.push(`| ${r.kind} | ${r.scoring.requests} | ${Math.round(r.scoring.rps)} | ${f1(a.p50)} / ${f1(a.p95)} / ${f1(a.p99)} | ${f1(p.p50)} / ${f1(p.p95)} / ${f1(p.p99)} | ${f1(s.p50)} / ${f1(s.p95)} / ${f1(s.p99)} | ${r.scoring.non2xx} |`);
  }
  L.push('');
  L.push(`**Finalise and the chair's reads** (HTTP end to end, sequential, idle server; target: finalise < ${TARGET_FINALISE_MS / 1000} s on PostgreSQL). GETs are given as each of ${REPEAT_GETS} runs.`);
  L.push('');
  L.push('| database | round | POST /api/rounds (500 ids) ms | fill rest (saveMySheet) s | open-results ms | **POST /finalise ms** | GET /products before (scoring view) ms | GET /products after (finalised) ms | minutes.pdf ms (size) | results.xlsx ms (size) |');
  L.push('|---|---:|---:|---:|---:|---:|---|---|---|---|');
  const each = (ts: Timed[]) => ts.map((t) => f0(t.ms)).join(' · ');
  for (const r of runs) r.rounds.forEach((x, i) => {
    L.push(`| ${r.kind} | ${i + 1} | ${f0(x.createMs)} | ${(x.fillMs / 1000).toFixed(1)} | ${f0(x.openResultsMs)} | **${f0(x.finalise?.ms)}** | ${each(x.productsBefore ?? [])} | ${each(x.productsAfter ?? [])} (${Math.round((x.productsAfter?.[0]?.bytes ?? 0) / 1024)} KB) | ${each(x.minutes ?? [])} (${Math.round((x.minutes?.[0]?.bytes ?? 0) / 1024)} KB) | ${each(x.xlsx ?? [])} (${Math.round((x.xlsx?.[0]?.bytes ?? 0) / 1024)} KB) |`);
  });
  L.push('');
  for (const r of runs) {
    const fin = r.rounds.map((x) => x.finalise?.ms ?? NaN);
    const worst = Math.max(...fin);
    L.push(`- ${r.kind} (${r.engine}): finalise ${fin.map((m) => `${f0(m)} ms`).join(', ')} — worst ${f0(worst)} ms, ${worst < TARGET_FINALISE_MS ? '**met**' : '**missed**'}${r.kind === 'postgres' ? '' : ' (target stated for PostgreSQL; shown for comparison)'}. Set-up (migrate + reference data + products + users) ${(r.setupMs / 1000).toFixed(1)} s; server RSS at the end ${r.rssMb ?? '–'} MB (peak ${r.hwmMb ?? '–'} MB).`);
  }
  const r0 = runs[0]?.rounds[0];
  if (r0?.stars) {
    L.push('');
    L.push(`Results are real: per product a quality level spread over 0.05…1 picks the option index of every criterion, each member moves a few criteria ±1 option, totals come from \`scoreSheet\` (the server's own totals are checked against them). Round 1 on ${runs[0].kind}: means ${r0.meanRange.map((m) => m.toFixed(1)).join('–')}, largest spread ${r0.maxSpread.toFixed(1)} (≤ 10, so no discussion notes), final stars ${Object.entries(r0.stars).sort().map(([k, v]) => `${k} ${v}`).join(', ')}, outcomes ${Object.entries(r0.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  }
  return L.join('\n');
}

function writeReadme(section: string) {
  const file = path.join(root, 'bench/README.md');
  const start = '<!-- evaluation:start (written by bench/evaluation.ts) -->';
  const end = '<!-- evaluation:end -->';
  let text = fs.readFileSync(file, 'utf8');
  if (!text.includes(start) || !text.includes(end)) text += `\n## Evaluation round\n\n### Latest results\n\n${start}\n${end}\n`;
  const a = text.indexOf(start) + start.length;
  const b = text.indexOf(end);
  fs.writeFileSync(file, `${text.slice(0, a)}\n${section}\n${text.slice(b)}`);
}

async function main() {
  const started = Date.now();
  const runs: DbRun[] = [];
  let stopPg = false;
  try {
    for (const kind of DBS) {
      if (!['pglite', 'postgres'].includes(kind)) throw new Error(`unknown database ${kind} in BENCH_DBS`);
      const { run, startedPg } = await benchDb(kind);
      if (startedPg) stopPg = true;
      runs.push(run);
    }
  } finally {
    if (stopPg && !env.BENCH_KEEP_PG) spawnSync('bash', [path.join(root, 'scripts/pg-test-server.sh'), 'stop'], { cwd: root, timeout: 60000 });
  }
  const section = report(runs);
  console.log(section);
  if (!env.BENCH_NO_README) writeReadme(section);
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
});
