// `npm run bench`: national-scale load test of the search/list endpoints on PGlite and PostgreSQL (BENCH_SCENARIOS=registry),
// then the evaluation-round benchmark bench/evaluation.ts (BENCH_SCENARIOS=evaluation), then the public certificate
// verification page at 50,000 certificates on PostgreSQL, bench/verify.mjs (BENCH_SCENARIOS=verify), then the back office's bytes over
// the wire in Chromium, bench/web-weight.mjs (BENCH_SCENARIOS=weight), then the programme panel at national scale,
// bench/programme.mjs (BENCH_SCENARIOS=programme), then the embedded server's cold start with the boot reminder run
// due, bench/startup.mjs (BENCH_SCENARIOS=startup); default all six. BENCH_SCENARIOS=import (not in the default set):
// the 10,000-row Excel import through HTTP on PGlite and PostgreSQL, bench/import.mjs.
// See bench/README.md for what it measures and how to read the numbers. Traffic goes only to 127.0.0.1.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { childProcesses, ensureTestPostgres, portFree, stopTestPostgres, writeReadmeSection } from './lib.mjs';
import pg from 'pg';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const env = process.env;
const SCENARIOS = (env.BENCH_SCENARIOS ?? 'registry,evaluation,verify,weight,programme,startup').split(',').map((s) => s.trim()).filter(Boolean);
const DBS = (env.BENCH_DBS ?? 'pglite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
const PG_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/ocop_bench';
const DURATION = Number(env.BENCH_DURATION ?? 10);
const WARMUP = Number(env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 10);
const PRODUCERS = Number(env.BENCH_PRODUCERS ?? 10000);
const PRODUCTS = Number(env.BENCH_PRODUCTS ?? 20000);
const COLD_STARTS = Number(env.BENCH_COLD_STARTS ?? 3);
const PORT = Number(env.BENCH_PORT ?? 3917);
const BASE_PORT = Number(env.BENCH_BASE_PORT ?? PORT + 1); // the baseline runs before the app, so it may share BENCH_PORT
const LOGIN = 'bench.tinh';
const PASSWORD = 'Do-kiem-Hieu-nang-2026!';
const TARGET_SEARCH_P95_MS = 50;
const TARGET_COLD_START_MS = 5000;

const PRODUCT_QUERIES = ['vai thieu', 'mat ong', 'my gao', 'che', 'nuoc mam', 'mien dong', 'gao st25', 'cam', 'buoi dien', 'ruou', 'tra hoa vang', 'ca phe', 'luc ngan', 'che shan tuyet', 'tinh dau que', 'htx'];
const PRODUCER_QUERIES = ['htx', 'hop tac xa', 'cong ty', 'mat ong', 'nguyen van', 'luc ngan', 'che', 'thai nguyen', 'ho kinh doanh', 'tran thi', 'gom', 'ruou'];

const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pick = (a) => a[Math.floor(Math.random() * a.length)];

// ---------------------------------------------------------------- processes
const { startChild, stopChild, runNode, killAll } = childProcesses({ root, env });

// ---------------------------------------------------------------- http helpers (127.0.0.1 only)
async function httpGet(port, p, headers = {}, timeoutMs = 2000) {
  const ctl = new AbortController();
  const t = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    const res = await fetch(`http://127.0.0.1:${port}${p}`, { headers, signal: ctl.signal });
    return { status: res.status, body: await res.text() };
  } finally { clearTimeout(t); }
}
/** ms from `t0` until GET /healthz answers 200, polling every 20 ms, at most 60 s. */
async function waitHealthy(port, t0, child, limitMs = 60000) {
  while (Date.now() - t0 < limitMs) {
    if (child && child.exitCode !== null) throw new Error(`${child.label} exited early:\n${child.output()}`);
    try {
      const r = await httpGet(port, '/healthz', {}, 1000);
      if (r.status === 200) return Date.now() - t0;
    } catch { /* not up yet */ }
    await sleep(20);
  }
  throw new Error(`server on ${port} not healthy within ${limitMs} ms:\n${child?.output() ?? ''}`);
}

// ---------------------------------------------------------------- load
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/** autocannon for `seconds`; `nextPath()` picks each request's path. Latencies of 2xx responses are kept exactly. */
async function load(port, nextPath, seconds, headers = {}) {
  const lat = [];
  let non2xx = 0;
  const result = await new Promise((resolve, reject) => {
    const inst = autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: CONNECTIONS,
      duration: seconds,
      headers,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: nextPath() }) }],
    }, (err, r) => (err ? reject(err) : resolve(r)));
    inst.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) lat.push(ms); else non2xx++;
    });
  });
  lat.sort((a, b) => a - b);
  return {
    rps: result.requests.average,
    total: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx,
    p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), max: lat[lat.length - 1],
    ac: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 },
  };
}

/** Sequential single-request latency per query (server otherwise idle): which queries are the slow ones. */
async function probe(port, paths, headers, rounds = 7) {
  const out = [];
  for (const p of paths) {
    const times = [];
    let total = null;
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      const r = await httpGet(port, p, headers, 10000);
      times.push(performance.now() - t0);
      if (r.status !== 200) throw new Error(`GET ${p} → ${r.status}: ${r.body.slice(0, 300)}`);
      total = JSON.parse(r.body).total;
    }
    times.sort((a, b) => a - b);
    out.push({ path: p, total, median: times[Math.floor(times.length / 2)] });
  }
  return out;
}

// ---------------------------------------------------------------- scenarios
const BARE_SERVER = `
const http = require('node:http');
const body = JSON.stringify({ ok: true, items: [{ id: 1, name: 'Vải thiều Lục Ngạn' }] });
http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }); res.end(body); })
  .listen(Number(process.env.PORT), '127.0.0.1');
`;

async function baseline() {
  const child = startChild(['-e', BARE_SERVER], { PORT: String(BASE_PORT) }, 'bare node:http');
  try {
    await waitHealthy(BASE_PORT, Date.now(), child, 10000);
    await load(BASE_PORT, () => '/', WARMUP);
    return await load(BASE_PORT, () => '/', DURATION);
  } finally { await stopChild(child); }
}

async function preparePostgres() {
  const startedPg = await ensureTestPostgres({ root, url: PG_URL, explicit: Boolean(env.BENCH_DATABASE_URL), log });
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query('drop schema if exists public cascade; create schema public;');
    const v = await c.query('show server_version');
    return { startedPg, version: v.rows[0].server_version };
  } finally { await c.end(); }
}

async function benchDb(kind) {
  const r = { kind };
  let dataDir;
  let dbEnv;
  if (kind === 'pglite') {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-'));
    dbEnv = { DATA_DIR: dataDir, DATABASE_URL: undefined };
    r.engine = 'PGlite 0.5 (PostgreSQL 17/18 in WASM, in-process)';
  } else {
    const pgInfo = await preparePostgres();
    r.startedPg = pgInfo.startedPg;
    r.engine = `PostgreSQL ${pgInfo.version} (Debian, fsync=off, 127.0.0.1)`;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-files-'));
    dbEnv = { DATABASE_URL: PG_URL, DATA_DIR: dataDir };
  }
  try {
    log(`${kind}: generating ${PRODUCERS} producers / ${PRODUCTS} products`);
    const t0 = Date.now();
    const gen = await runNode(['--import', 'tsx', 'bench/generate.ts'], { ...dbEnv, BENCH_PRODUCERS: String(PRODUCERS), BENCH_PRODUCTS: String(PRODUCTS) }, 15 * 60000, `generate (${kind})`);
    r.data = JSON.parse(gen.trim().split('\n').pop());
    r.generateMs = Date.now() - t0;
    log(`${kind}: generated in ${r.generateMs} ms`, r.data);
    if (kind === 'pglite') r.dataDirBytes = Number(spawnSync('du', ['-sb', dataDir], { encoding: 'utf8' }).stdout.split('\t')[0]);

    const serverEnv = { ...dbEnv, PORT: String(PORT), HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'warn', NODE_ENV: 'production' };
    r.coldStarts = [];
    let server;
    for (let i = 0; i < COLD_STARTS; i++) {
      if (!(await portFree(PORT))) throw new Error(`port ${PORT} is busy (set BENCH_PORT)`);
      const ts = Date.now();
      server = startChild(['--import', 'tsx', 'src/server/main.ts'], serverEnv, `server (${kind})`);
      r.coldStarts.push(await waitHealthy(PORT, ts, server));
      if (i < COLD_STARTS - 1) await stopChild(server);
    }
    log(`${kind}: cold starts ${r.coldStarts.join(', ')} ms`);
    try {
      const login = await fetch(`http://127.0.0.1:${PORT}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: LOGIN, password: PASSWORD }) });
      if (login.status !== 200) throw new Error(`login → ${login.status}: ${await login.text()}`);
      const sid = (login.headers.getSetCookie?.() ?? [login.headers.get('set-cookie')]).map((c) => c.split(';')[0]).find((c) => c.startsWith('ocop_sid='));
      const headers = { cookie: sid };
      const pages = Math.max(1, Math.ceil(r.data.products / 20));
      const scenarios = [
        { key: 'search', label: 'GET /api/products?q=… (search)', next: () => `/api/products?q=${encodeURIComponent(pick(PRODUCT_QUERIES))}` },
        { key: 'list', label: `GET /api/products?page=1…${pages}&pageSize=20 (list)`, next: () => `/api/products?page=${1 + Math.floor(Math.random() * pages)}&pageSize=20` },
        { key: 'producers', label: 'GET /api/producers?q=… (search)', next: () => `/api/producers?q=${encodeURIComponent(pick(PRODUCER_QUERIES))}` },
      ];
      r.probe = {
        products: await probe(PORT, PRODUCT_QUERIES.map((q) => `/api/products?q=${encodeURIComponent(q)}`), headers),
        list: await probe(PORT, [1, Math.ceil(pages / 2), pages].map((p) => `/api/products?page=${p}&pageSize=20`), headers),
        producers: await probe(PORT, PRODUCER_QUERIES.map((q) => `/api/producers?q=${encodeURIComponent(q)}`), headers),
      };
      r.scenarios = [];
      for (const s of scenarios) {
        log(`${kind}: ${s.label} — warm-up ${WARMUP} s, load ${DURATION} s`);
        await load(PORT, s.next, WARMUP, headers);
        r.scenarios.push({ ...s, ...(await load(PORT, s.next, DURATION, headers)) });
        const last = r.scenarios[r.scenarios.length - 1];
        log(`${kind}: ${Math.round(last.rps)} req/s, p50 ${last.p50.toFixed(1)} p95 ${last.p95.toFixed(1)} p99 ${last.p99.toFixed(1)} ms, non-2xx ${last.non2xx}, errors ${last.errors}`);
      }
      try {
        const status = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8');
        r.rssMb = Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
        r.hwmMb = Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      } catch { /* not Linux */ }
    } finally { await stopChild(server); }

    log(`${kind}: EXPLAIN ANALYZE of the search/list SQL`);
    r.explain = await runNode(['--import', 'tsx', 'bench/explain.ts'], dbEnv, 5 * 60000, `explain (${kind})`);
  } finally {
    if (kind === 'pglite' && !env.BENCH_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return r;
}

// ---------------------------------------------------------------- report
const f1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : '–');
function report(base, runs) {
  const date = new Date().toISOString().slice(0, 10);
  const cpu = os.cpus();
  const L = [];
  L.push(`Run on ${date} · ${cpu.length} cores (${cpu[0]?.model?.trim() ?? 'unknown CPU'}) · ${Math.round(os.totalmem() / 2 ** 30)} GB RAM · Node ${process.version} · ${os.platform()} ${os.release()}`);
  L.push(`Load: autocannon ${DURATION} s per scenario after a ${WARMUP} s warm-up, ${CONNECTIONS} connections, load generator on the same machine as the server (and, for PostgreSQL, the database).`);
  const d = runs[0]?.data;
  if (d) L.push(`Data: ${d.producers.toLocaleString('en')} producers, ${d.products.toLocaleString('en')} products, ${d.certifications.toLocaleString('en')} certifications, ${d.channels.toLocaleString('en')} sales channels (bench/generate.ts, seed 148), over the seeded level-3 administrative units and QĐ 148 leaves.`);
  L.push('');
  L.push('Latency columns are exact percentiles of every 2xx response of the run (recorded from autocannon\'s `response` events, not its integer-ms histogram); autocannon\'s own p97.5 is given alongside. Ratio = req/s of the scenario ÷ req/s of the bare `node:http` server in the same run.');
  L.push('');
  L.push('| database | scenario | req/s | × baseline | p50 ms | p95 ms | p99 ms | p97.5 ms (autocannon) | non-2xx / errors |');
  L.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  L.push(`| – | bare node:http, small JSON (baseline) | ${Math.round(base.rps)} | 1 | ${f1(base.p50)} | ${f1(base.p95)} | ${f1(base.p99)} | ${base.ac.p97_5} | ${base.non2xx} / ${base.errors} |`);
  for (const r of runs) for (const s of r.scenarios ?? []) {
    L.push(`| ${r.kind} | ${s.label} | ${Math.round(s.rps)} | ${(s.rps / base.rps).toFixed(3)} | ${f1(s.p50)} | ${f1(s.p95)} | ${f1(s.p99)} | ${s.ac.p97_5} | ${s.non2xx} / ${s.errors} |`);
  }
  L.push('');
  L.push('| database | engine | generate (incl. migrate + reference data) | cold start to /healthz, ms (each run) | server RSS after load (peak) |');
  L.push('|---|---|---:|---|---:|');
  for (const r of runs) L.push(`| ${r.kind} | ${r.engine} | ${(r.generateMs / 1000).toFixed(1)} s${r.dataDirBytes ? ` (${Math.round(r.dataDirBytes / 2 ** 20)} MB on disk)` : ''} | ${r.coldStarts.join(' · ')} | ${r.rssMb ?? '–'} MB (${r.hwmMb ?? '–'} MB) |`);
  L.push('');
  L.push('**Targets** (search p95 < 50 ms on PostgreSQL at this scale; cold start < 5 s):');
  L.push('');
  for (const r of runs) {
    const s = r.scenarios?.find((x) => x.key === 'search');
    const cold = Math.max(...r.coldStarts);
    if (s) L.push(`- ${r.kind}: product search p95 **${f1(s.p95)} ms** under ${CONNECTIONS} concurrent connections — ${s.p95 < TARGET_SEARCH_P95_MS ? '**met**' : '**missed**'}${r.kind === 'postgres' ? '' : ' (the target is stated for PostgreSQL; shown for comparison)'}; cold start worst of ${r.coldStarts.length} **${cold} ms** — ${cold < TARGET_COLD_START_MS ? '**met**' : '**missed**'}.`);
  }
  L.push('');
  L.push('Single-request latency per query (sequential, idle server, median of 7), with the number of matches:');
  L.push('');
  L.push(`| request | ${runs.map((r) => `${r.kind} ms`).join(' | ')} | matches |`);
  L.push(`|---|${runs.map(() => '---:').join('|')}|---:|`);
  const rows = runs[0]?.probe ? [...runs[0].probe.products, ...runs[0].probe.list, ...runs[0].probe.producers].map((x) => x.path) : [];
  for (const p of rows) {
    const cells = runs.map((r) => [...r.probe.products, ...r.probe.list, ...r.probe.producers].find((x) => x.path === p));
    L.push(`| \`${decodeURIComponent(p)}\` | ${cells.map((c) => f1(c?.median)).join(' | ')} | ${cells[0]?.total ?? ''} |`);
  }
  L.push('');
  for (const r of runs) {
    L.push(`<details><summary>EXPLAIN (ANALYZE, BUFFERS) on ${r.kind} — the SQL the repositories send</summary>`);
    L.push('');
    L.push(r.explain.trim());
    L.push('');
    L.push('</details>');
    L.push('');
  }
  return L.join('\n');
}


async function main() {
  const started = Date.now();
  for (const s of SCENARIOS) if (!['registry', 'evaluation', 'verify', 'weight', 'programme', 'startup', 'import'].includes(s)) throw new Error(`unknown scenario ${s} in BENCH_SCENARIOS (registry, evaluation, verify, weight, programme, startup, import)`);
  const runs = [];
  let base;
  let stopPg = false;
  try {
    if (SCENARIOS.includes('registry')) {
      log(`bare node:http baseline (${DURATION} s)`);
      base = await baseline();
      log(`baseline: ${Math.round(base.rps)} req/s, p50 ${f1(base.p50)} p95 ${f1(base.p95)} ms`);
      for (const kind of DBS) {
        if (!['pglite', 'postgres'].includes(kind)) throw new Error(`unknown database ${kind} in BENCH_DBS`);
        const r = await benchDb(kind);
        if (r.startedPg) stopPg = true;
        runs.push(r);
      }
      const section = report(base, runs);
      console.log(section);
      if (!env.BENCH_NO_README) writeReadmeSection(path.join(root, 'bench/README.md'), { start: '<!-- results:start (written by bench/run.mjs) -->', end: '<!-- results:end -->', heading: 'Latest results' }, section);
    }
    if (SCENARIOS.includes('evaluation')) {
      // bench/evaluation.ts: council scoring + finalise of a 500-product round; writes its own README section.
      log('evaluation round (bench/evaluation.ts)');
      const child = startChild(['--import', 'tsx', 'bench/evaluation.ts'], { BENCH_PORT: String(PORT + 10) }, 'evaluation');
      child.stderr.on('data', (d) => process.stderr.write(d));
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      const r = await Promise.race([child.exited, sleep(60 * 60000).then(() => null)]);
      if (!r) { await stopChild(child, 2000); throw new Error('evaluation: timed out after 60 min'); }
      if (r.code !== 0) throw new Error(`evaluation failed (${r.code ?? r.sig})`);
      console.log(out);
    }
    if (SCENARIOS.includes('verify')) {
      // bench/verify.mjs: GET /xac-thuc/<number> over 50,000 certificates vs a bare node:http page; own README section.
      log('public verification page (bench/verify.mjs)');
      const child = startChild(['bench/verify.mjs'], { BENCH_PORT: String(PORT + 20), BENCH_KEEP_PG: '1' }, 'verify');
      child.stderr.on('data', (d) => process.stderr.write(d));
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      const r = await Promise.race([child.exited, sleep(30 * 60000).then(() => null)]);
      if (!r) { await stopChild(child, 2000); throw new Error('verify: timed out after 30 min'); }
      if (r.code !== 0) throw new Error(`verify failed (${r.code ?? r.sig})`);
      console.log(out);
    }
    if (SCENARIOS.includes('programme')) {
      // bench/programme.mjs: the programme panel, drill-down and home at national scale on PostgreSQL; own README section.
      log('programme panel (bench/programme.mjs)');
      const child = startChild(['bench/programme.mjs'], { BENCH_PORT: String(PORT + 30), BENCH_KEEP_PG: '1' }, 'programme');
      child.stderr.on('data', (d) => process.stderr.write(d));
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      const r = await Promise.race([child.exited, sleep(40 * 60000).then(() => null)]);
      if (!r) { await stopChild(child, 2000); throw new Error('programme: timed out after 40 min'); }
      if (r.code !== 0) throw new Error(`programme failed (${r.code ?? r.sig})`);
      console.log(out);
    }
    if (SCENARIOS.includes('import')) {
      // bench/import.mjs: a 10,000-row workbook imported through HTTP (background run, polled) on each database; own README section.
      log('Excel import, 10,000 rows (bench/import.mjs)');
      const child = startChild(['bench/import.mjs'], { BENCH_PORT: String(PORT + 50), BENCH_KEEP_PG: '1', BENCH_DBS: DBS.join(','), BENCH_DATABASE_URL: env.BENCH_DATABASE_URL }, 'import');
      child.stderr.on('data', (d) => process.stderr.write(d));
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      const r = await Promise.race([child.exited, sleep(40 * 60000).then(() => null)]);
      if (!r) { await stopChild(child, 2000); throw new Error('import: timed out after 40 min'); }
      if (r.code !== 0) throw new Error(`import failed (${r.code ?? r.sig})`);
      console.log(out);
    }
    if (SCENARIOS.includes('weight')) {
      // bench/web-weight.mjs: bytes over the wire for the login page and the first screen after login; own README section.
      log('back office weight (bench/web-weight.mjs)');
      console.log(await runNode(['bench/web-weight.mjs'], { BENCH_PORT: String(PORT + 40) }, 15 * 60000, 'weight'));
    }
    if (SCENARIOS.includes('startup')) {
      // bench/startup.mjs: embedded cold start on just-loaded national data (every reminder due); own README section.
      log('start-up with the boot jobs (bench/startup.mjs)');
      const child = startChild(['bench/startup.mjs'], { BENCH_PORT: String(env.BENCH_STARTUP_PORT ?? PORT + 50) }, 'startup');
      child.stderr.on('data', (d) => process.stderr.write(d));
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      const r = await Promise.race([child.exited, sleep(30 * 60000).then(() => null)]);
      if (!r) { await stopChild(child, 2000); throw new Error('startup: timed out after 30 min'); }
      if (r.code !== 0) throw new Error(`startup failed (${r.code ?? r.sig})`);
      console.log(out);
    }
  } finally {
    if (stopPg && !env.BENCH_KEEP_PG) stopTestPostgres(root);
  }
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  // autocannon and undici keep-alive sockets can hold the event loop open for minutes.
  process.exit(0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  killAll();
  process.exit(1);
});
