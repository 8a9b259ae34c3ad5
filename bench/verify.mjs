// `node bench/verify.mjs` (or BENCH_SCENARIOS=verify npm run bench): the public certificate verification page
// GET /xac-thuc/<number> at national scale on PostgreSQL — 50,000 certificates (active, expiring, expired, superseded,
// revoked) over 20,000 products — against a bare node:http server returning a page of the same size, in the same run.
// Records throughput, the ratio to the bare server, exact p50/p95/p99 and the page weight; writes its section of
// bench/README.md. Traffic goes only to 127.0.0.1.
//
// Env: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:55432/ocop_bench_verify — created if missing; its schema
// `public` is dropped and recreated) · BENCH_CERTIFICATES (50000) · BENCH_PRODUCERS / BENCH_PRODUCTS (10000 / 20000) ·
// BENCH_DURATION / BENCH_WARMUP (10 / 2 s) · BENCH_CONNECTIONS (10) · BENCH_PORT (3937; the bare server uses port + 1) ·
// BENCH_NO_README=1 (print only).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { childProcesses, fetchPage, resetBenchDatabase, portFree, stopTestPostgres, waitHealthy, writeReadmeSection } from './lib.mjs';
import pg from 'pg';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const env = process.env;
const PG_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/ocop_bench_verify';
const CERTIFICATES = Number(env.BENCH_CERTIFICATES ?? 50000);
const PRODUCERS = Number(env.BENCH_PRODUCERS ?? 10000);
const PRODUCTS = Number(env.BENCH_PRODUCTS ?? 20000);
const DURATION = Number(env.BENCH_DURATION ?? 10);
const WARMUP = Number(env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 10);
const PORT = Number(env.BENCH_PORT ?? 3937);
const BASE_PORT = PORT + 1;
const PAGE_LIMIT = 30 * 1024;

const log = (...a) => console.error(`[bench:verify ${new Date().toISOString().slice(11, 19)}]`, ...a);
const f1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : '–');

// ---------------------------------------------------------------- processes
const { startChild, stopChild, runNode, killAll } = childProcesses({ root, env });


// ---------------------------------------------------------------- load
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
async function load(port, nextPath, seconds, expectStatus = 200) {
  const lat = [];
  let unexpected = 0;
  let bytes = 0;
  const result = await new Promise((resolve, reject) => {
    const inst = autocannon({
      url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: seconds,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: nextPath() }) }],
    }, (err, r) => (err ? reject(err) : resolve(r)));
    inst.on('response', (_c, status, resBytes, ms) => {
      if (status === expectStatus) { lat.push(ms); bytes += resBytes; } else unexpected++;
    });
  });
  lat.sort((a, b) => a - b);
  return {
    rps: result.requests.average, total: result.requests.total, errors: result.errors + result.timeouts, unexpected,
    p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), avgBytes: lat.length ? bytes / lat.length : 0, ac97: result.latency.p97_5,
  };
}

const BARE_SERVER = `
const http = require('node:http');
const body = Buffer.from(process.env.BODY_B64, 'base64');
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length, 'cache-control': 'public, max-age=60' });
  res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

// ---------------------------------------------------------------- run
async function main() {
  const started = Date.now();
  const r = { loadBefore: os.loadavg().map((x) => x.toFixed(2)).join(' / ') };
  const pgInfo = await resetBenchDatabase({ root, url: PG_URL, explicit: Boolean(env.BENCH_DATABASE_URL), log });
  r.engine = `PostgreSQL ${pgInfo.version} (Debian, fsync=off, 127.0.0.1)`;
  log(`generating ${PRODUCERS} producers, ${PRODUCTS} products, ${CERTIFICATES} certificates`);
  let t0 = Date.now();
  const gen = await runNode(['--import', 'tsx', 'bench/generate.ts'], {
    DATABASE_URL: PG_URL, BENCH_PRODUCERS: String(PRODUCERS), BENCH_PRODUCTS: String(PRODUCTS), BENCH_CERTIFICATES: String(CERTIFICATES),
  }, 15 * 60000, 'generate');
  r.data = JSON.parse(gen.trim().split('\n').pop());
  r.generateMs = Date.now() - t0;
  log(`generated in ${r.generateMs} ms`, r.data);

  // Every certificate number, and one of each effective status for the page-weight table.
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  let numbers;
  let samples;
  try {
    numbers = (await c.query('select number from certificates')).rows.map((x) => x.number);
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const one = async (where) => (await c.query(`select number from certificates where ${where} order by number limit 1`, [today])).rows[0]?.number;
    samples = {
      active: await one(`status = 'active' and expires_on > $1::date + 90`),
      expiring: await one(`status = 'active' and expires_on between $1::date and $1::date + 90`),
      expired: await one(`status = 'active' and expires_on < $1::date`),
      superseded: await one(`status = 'superseded' and $1::date is not null`),
      revoked: await one(`status = 'revoked' and $1::date is not null`),
    };
    r.statusCounts = (await c.query(`select case when status <> 'active' then status when expires_on < $1::date then 'expired'
        when expires_on <= $1::date + 90 then 'expiring' else 'active' end as s, count(*)::int as n from certificates group by 1 order by 1`, [today])).rows;
  } finally { await c.end(); }
  const pick = () => numbers[Math.floor(Math.random() * numbers.length)];

  if (!(await portFree(PORT)) || !(await portFree(BASE_PORT))) throw new Error(`port ${PORT} or ${BASE_PORT} is busy (set BENCH_PORT)`);
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-verify-files-'));
  const server = startChild(['--import', 'tsx', 'src/server/main.ts'], {
    DATABASE_URL: PG_URL, DATA_DIR: filesDir, PORT: String(PORT), HOST: '127.0.0.1',
    SEED_DEMO: 'never', LOG_LEVEL: 'warn', NODE_ENV: 'production', JOBS: 'off',
  }, 'server');
  try {
    r.coldStartMs = await waitHealthy(PORT, server);
    log(`server up in ${r.coldStartMs} ms`);
    r.pages = {};
    for (const [k, n] of Object.entries(samples)) {
      if (!n) continue;
      const p = await fetchPage(PORT, `/xac-thuc/${encodeURIComponent(n)}`);
      if (p.status !== 200 || !p.type?.startsWith('text/html') || /<script/i.test(p.body)) throw new Error(`page of ${k} ${n}: ${p.status} ${p.type}`);
      r.pages[k] = { number: n, bytes: p.bytes, headerBytes: p.headerBytes, cache: p.cache };
    }
    const missing = await fetchPage(PORT, '/xac-thuc/OCOP-1999-999999');
    r.pages.unknown = { number: 'OCOP-1999-999999', bytes: missing.bytes, headerBytes: missing.headerBytes, status: missing.status, cache: missing.cache };
    const typical = await fetchPage(PORT, `/xac-thuc/${encodeURIComponent(samples.active)}`);

    // The bare server answers with the very page the app rendered for an active certificate (same size).
    log('bare node:http with the same page');
    const bare = startChild(['-e', BARE_SERVER], { PORT: String(BASE_PORT), BODY_B64: Buffer.from(typical.body).toString('base64') }, 'bare node:http');
    try {
      await waitHealthy(BASE_PORT, bare, { path: '/' });
      await load(BASE_PORT, () => '/', WARMUP);
      r.base = await load(BASE_PORT, () => '/', DURATION);
      log(`bare: ${Math.round(r.base.rps)} req/s, p50 ${f1(r.base.p50)} p95 ${f1(r.base.p95)} ms`);
    } finally { await stopChild(bare); }

    log(`app: GET /xac-thuc/<random of ${numbers.length}>`);
    await load(PORT, () => `/xac-thuc/${encodeURIComponent(pick())}`, WARMUP);
    r.app = await load(PORT, () => `/xac-thuc/${encodeURIComponent(pick())}`, DURATION);
    log(`app: ${Math.round(r.app.rps)} req/s, p50 ${f1(r.app.p50)} p95 ${f1(r.app.p95)} ms, unexpected ${r.app.unexpected}, errors ${r.app.errors}`);
    log('app: unknown numbers (404 page)');
    r.unknown = await load(PORT, () => `/xac-thuc/OCOP-1999-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`, DURATION, 404);
    log(`404: ${Math.round(r.unknown.rps)} req/s, p50 ${f1(r.unknown.p50)} p95 ${f1(r.unknown.p95)} ms`);

    const seq = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await fetchPage(PORT, `/xac-thuc/${encodeURIComponent(pick())}`);
      seq.push(performance.now() - t);
    }
    seq.sort((a, b) => a - b);
    r.sequential = { p50: pct(seq, 50), p95: pct(seq, 95) };
    try {
      const status = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8');
      r.rssMb = Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    } catch { /* not Linux */ }
  } finally {
    await stopChild(server);
    fs.rmSync(filesDir, { recursive: true, force: true });
  }

  r.explain = await runNode(['--import', 'tsx', 'bench/verify-explain.ts', samples.superseded ?? samples.active], { DATABASE_URL: PG_URL }, 60000, 'explain');
  const section = report(r);
  console.log(section);
  if (!env.BENCH_NO_README) writeReadmeSection(path.join(root, 'bench/README.md'), { start: '<!-- verify:start (written by bench/verify.mjs) -->', end: '<!-- verify:end -->', heading: 'Public verification page — latest results' }, section);
  if (pgInfo.startedPg && !env.BENCH_KEEP_PG) stopTestPostgres(root);
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(0);
}

function report(r) {
  const cpu = os.cpus();
  const maxPage = Math.max(...Object.values(r.pages).map((p) => p.bytes));
  const L = [];
  L.push(`Run on ${new Date().toISOString().slice(0, 10)} · ${cpu.length} cores (${cpu[0]?.model?.trim() ?? 'unknown CPU'}) · ${Math.round(os.totalmem() / 2 ** 30)} GB RAM · Node ${process.version} · ${r.engine} · load average before the run ${r.loadBefore}`);
  L.push(`Data: ${r.data.certificates.toLocaleString('en')} certificates (${r.statusCounts.map((s) => `${s.n.toLocaleString('en')} ${s.s}`).join(', ')}) over ${r.data.products.toLocaleString('en')} products of ${r.data.producers.toLocaleString('en')} producers (bench/generate.ts, seed 148, multi-row INSERTs of 1,000), generated in ${(r.generateMs / 1000).toFixed(1)} s.`);
  L.push(`Load: autocannon ${DURATION} s after a ${WARMUP} s warm-up, ${CONNECTIONS} connections, each request a random certificate number of all ${r.data.certificates.toLocaleString('en')}; the app runs with \`NODE_ENV=production\`, \`JOBS=off\`, load generator, app and PostgreSQL on the same machine. The bare \`node:http\` server answers every request with the page the app rendered for an active certificate (same bytes), in the same run.`);
  L.push('');
  L.push('| scenario | req/s | × bare | p50 ms | p95 ms | p99 ms | p97.5 ms (autocannon) | bytes per response (headers + body) | unexpected / errors |');
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  L.push(`| bare node:http, same page (baseline) | ${Math.round(r.base.rps)} | 1 | ${f1(r.base.p50)} | ${f1(r.base.p95)} | ${f1(r.base.p99)} | ${r.base.ac97} | ${Math.round(r.base.avgBytes)} | ${r.base.unexpected} / ${r.base.errors} |`);
  L.push(`| GET /xac-thuc/<random number> | ${Math.round(r.app.rps)} | **${(r.app.rps / r.base.rps).toFixed(3)}** | ${f1(r.app.p50)} | ${f1(r.app.p95)} | ${f1(r.app.p99)} | ${r.app.ac97} | ${Math.round(r.app.avgBytes)} | ${r.app.unexpected} / ${r.app.errors} |`);
  L.push(`| GET /xac-thuc/<unknown number> (404 page) | ${Math.round(r.unknown.rps)} | ${(r.unknown.rps / r.base.rps).toFixed(3)} | ${f1(r.unknown.p50)} | ${f1(r.unknown.p95)} | ${f1(r.unknown.p99)} | ${r.unknown.ac97} | ${Math.round(r.unknown.avgBytes)} | ${r.unknown.unexpected} / ${r.unknown.errors} |`);
  L.push('');
  L.push(`Sequential single requests on the idle server (200 random numbers): p50 ${f1(r.sequential.p50)} ms, p95 ${f1(r.sequential.p95)} ms. Server cold start to /healthz ${r.coldStartMs} ms; RSS after load ${r.rssMb ?? '–'} MB.`);
  L.push('');
  L.push(`Page weight (HTML body; the response headers, mostly helmet's security headers, counted apart) — limit 30 KB (${PAGE_LIMIT.toLocaleString('en')} bytes): **${maxPage <= PAGE_LIMIT ? 'met' : 'missed'}**, largest ${maxPage.toLocaleString('en')} bytes. No script; one inline stylesheet.`);
  L.push('');
  L.push('| page | status | body bytes | header bytes | cache-control |');
  L.push('|---|---:|---:|---:|---|');
  for (const [k, p] of Object.entries(r.pages)) L.push(`| ${k} (\`${p.number}\`) | ${p.status ?? 200} | ${p.bytes.toLocaleString('en')} | ${p.headerBytes} | ${p.cache ?? ''} |`);
  L.push('');
  L.push('<details><summary>EXPLAIN (ANALYZE, BUFFERS) of the page\'s one query (drizzle prepared statement)</summary>');
  L.push('');
  L.push(r.explain.trim());
  L.push('');
  L.push('</details>');
  return L.join('\n');
}


main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  killAll();
  process.exit(1);
});
