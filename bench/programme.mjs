// `node bench/programme.mjs` (or BENCH_SCENARIOS=programme npm run bench): the programme panel (#11) at national
// scale on PostgreSQL — the 34 provinces' units and 3,321 communes of 2025, 20,000 products, 50,000 certificates
// (bench/generate.ts), one plan per province, 10,000 events, support and budget entries (bench/generate-programme.ts)
// — against a bare node:http server answering a body of the same size, in the same run. Records throughput, the ratio
// to the bare server and exact p50/p95/p99 for the panel, a drill-down and the home screen; target: panel p95 under
// 300 ms. Writes its section of bench/README.md (BENCH_NO_README=1: print only). Traffic goes only to 127.0.0.1.
//
// Env: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:55432/ocop_bench_programme — created if missing; its schema
// `public` is dropped and recreated) · BENCH_PRODUCERS / BENCH_PRODUCTS / BENCH_CERTIFICATES / BENCH_EVENTS
// (10000 / 20000 / 50000 / 10000) · BENCH_DURATION / BENCH_WARMUP (10 / 2 s) · BENCH_CONNECTIONS (10) ·
// BENCH_PORT (3947; the bare server uses port + 1).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { childProcesses, portFree, resetBenchDatabase, stopTestPostgres, waitHealthy, writeReadmeSection } from './lib.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const env = process.env;
const PG_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/ocop_bench_programme';
const PRODUCERS = Number(env.BENCH_PRODUCERS ?? 10000);
const PRODUCTS = Number(env.BENCH_PRODUCTS ?? 20000);
const CERTIFICATES = Number(env.BENCH_CERTIFICATES ?? 50000);
const EVENTS = Number(env.BENCH_EVENTS ?? 10000);
const DURATION = Number(env.BENCH_DURATION ?? 10);
const WARMUP = Number(env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 10);
const PORT = Number(env.BENCH_PORT ?? 3947);
const BASE_PORT = PORT + 1;
const LOGIN = 'bench.tinh';
const PASSWORD = 'Do-kiem-Hieu-nang-2026!';
const TARGET_P95_MS = 300;

const log = (...a) => console.error(`[bench:programme ${new Date().toISOString().slice(11, 19)}]`, ...a);
const f1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const { startChild, stopChild, runNode, killAll } = childProcesses({ root, env });
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

async function load(port, nextPath, seconds, headers = {}) {
  const lat = [];
  let unexpected = 0;
  let bytes = 0;
  const result = await new Promise((resolve, reject) => {
    const inst = autocannon({
      url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: seconds, headers,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: nextPath() }) }],
    }, (err, r) => (err ? reject(err) : resolve(r)));
    inst.on('response', (_c, status, resBytes, ms) => { if (status === 200) { lat.push(ms); bytes += resBytes; } else unexpected++; });
  });
  lat.sort((a, b) => a - b);
  return { rps: result.requests.average, total: result.requests.total, errors: result.errors + result.timeouts, unexpected, p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), avgBytes: lat.length ? bytes / lat.length : 0 };
}

const BARE_SERVER = `
const http = require('node:http');
const body = Buffer.from(process.env.BODY_B64, 'base64');
http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }); res.end(body); })
  .listen(Number(process.env.PORT), '127.0.0.1');
`;

async function login(port) {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: LOGIN, password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie };
}

async function main() {
  const started = Date.now();
  const r = { loadBefore: os.loadavg().map((x) => x.toFixed(2)).join(' / ') };
  const pgInfo = await resetBenchDatabase({ root, url: PG_URL, explicit: Boolean(env.BENCH_DATABASE_URL), log });
  r.engine = `PostgreSQL ${pgInfo.version} (Debian, fsync=off, 127.0.0.1)`;
  log(`generating ${PRODUCERS} producers, ${PRODUCTS} products, ${CERTIFICATES} certificates`);
  let t0 = Date.now();
  const gen = await runNode(['--import', 'tsx', 'bench/generate.ts'], { DATABASE_URL: PG_URL, BENCH_PRODUCERS: String(PRODUCERS), BENCH_PRODUCTS: String(PRODUCTS), BENCH_CERTIFICATES: String(CERTIFICATES) }, 20 * 60000, 'generate');
  r.data = JSON.parse(gen.trim().split('\n').pop());
  const prog = await runNode(['--import', 'tsx', 'bench/generate-programme.ts'], { DATABASE_URL: PG_URL, BENCH_EVENTS: String(EVENTS) }, 20 * 60000, 'generate-programme');
  r.programme = JSON.parse(prog.trim().split('\n').pop());
  r.generateMs = Date.now() - t0;
  log(`generated in ${r.generateMs} ms`, r.data, r.programme);

  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  let plans;
  try {
    plans = (await c.query(`select p.id, u.name, (select count(*)::int from admin_units c where c.level = 3 and c.parent_id = u.id) as communes
      from programme_plans p join admin_units u on u.id = p.area_unit_id where p.code like 'bench-%' order by communes desc`)).rows;
    r.units = (await c.query(`select count(*) filter (where level = 1)::int as provinces, count(*) filter (where level = 3)::int as communes from admin_units`)).rows[0];
  } finally { await c.end(); }
  const pickPlan = () => plans[Math.floor(Math.random() * plans.length)].id;

  if (!(await portFree(PORT)) || !(await portFree(BASE_PORT))) throw new Error(`port ${PORT} or ${BASE_PORT} is busy (set BENCH_PORT)`);
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-programme-files-'));
  const server = startChild(['--import', 'tsx', 'src/server/main.ts'], {
    DATABASE_URL: PG_URL, DATA_DIR: filesDir, PORT: String(PORT), HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'warn', NODE_ENV: 'production', JOBS: 'off',
  }, 'server');
  try {
    r.coldStartMs = await waitHealthy(PORT, server);
    const { cookie } = await login(PORT);
    const headers = { cookie };
    const get = async (p) => {
      const t = performance.now();
      const res = await fetch(`http://127.0.0.1:${PORT}${p}`, { headers });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${body.slice(0, 300)}`);
      return { ms: performance.now() - t, bytes: body.length, body };
    };
    // The biggest province, idle server, sequential: the cost of one panel / drill-down / home.
    const biggest = plans[0];
    r.biggest = { name: biggest.name, communes: biggest.communes };
    // `fresh`: a change to a table the panel reads before each request (a statement that touches no row still fires the
    // statement trigger), so each one computes; otherwise the second and later requests reuse the kept panel.
    const pgc = new pg.Client({ connectionString: PG_URL });
    await pgc.connect();
    const seq = async (p, { n = 15, fresh = false } = {}) => {
      const xs = [];
      for (let i = 0; i < n; i++) {
        if (fresh) await pgc.query('update craft_villages set name = name where false');
        xs.push((await get(p)).ms);
      }
      xs.sort((a, b) => a - b);
      return { p50: pct(xs, 50), p95: pct(xs, 95) };
    };
    const panelBody = (await get(`/api/programme/plans/${biggest.id}/panel`)).body;
    const panel = JSON.parse(panelBody);
    r.panelRecognised = panel.rows?.find?.((x) => x.indicator?.code === 'products_recognised')?.actual ?? null;
    r.seq = {
      panelFresh: await seq(`/api/programme/plans/${biggest.id}/panel`, { fresh: true }),
      panel: await seq(`/api/programme/plans/${biggest.id}/panel`),
      drill: await seq(`/api/programme/plans/${biggest.id}/indicators/products_recognised`),
      map: await seq(`/api/programme/plans/${biggest.id}/map`),
      home: await seq('/api/home'),
    };
    // Under load with writes: a change every 500 ms, so panels are computed again all the time.

    log('sequential (biggest province)', r.seq);

    log('bare node:http with a body of the panel’s size');
    const bare = startChild(['-e', BARE_SERVER], { PORT: String(BASE_PORT), BODY_B64: Buffer.from(panelBody).toString('base64') }, 'bare node:http');
    try {
      await waitHealthy(BASE_PORT, bare, { path: '/' });
      await load(BASE_PORT, () => '/', WARMUP);
      r.base = await load(BASE_PORT, () => '/', DURATION);
    } finally { await stopChild(bare); }
    log(`bare: ${Math.round(r.base.rps)} req/s`);

    r.scenarios = [];
    {
      const name = 'GET …/panel, random province, while a write lands every 500 ms (panels computed again)';
      const writer = setInterval(() => { pgc.query('update craft_villages set name = name where false').catch(() => {}); }, 500);
      try {
        await load(PORT, () => `/api/programme/plans/${pickPlan()}/panel`, WARMUP, headers);
        const x = await load(PORT, () => `/api/programme/plans/${pickPlan()}/panel`, DURATION, headers);
        log(`${name}: ${Math.round(x.rps)} req/s, p95 ${f1(x.p95)} ms`);
        r.withWrites = { name, ...x };
      } finally { clearInterval(writer); }
    }
    for (const [name, next] of [
      ['GET /api/programme/plans/<random province>/panel', () => `/api/programme/plans/${pickPlan()}/panel`],
      ['GET /api/programme/plans/<random province>/indicators/products_recognised (drill-down)', () => `/api/programme/plans/${pickPlan()}/indicators/products_recognised`],
      ['GET /api/home (province officer: work + programme summary)', () => '/api/home'],
    ]) {
      await load(PORT, next, WARMUP, headers);
      const x = await load(PORT, next, DURATION, headers);
      log(`${name}: ${Math.round(x.rps)} req/s, p95 ${f1(x.p95)} ms, unexpected ${x.unexpected}`);
      r.scenarios.push({ name, ...x });
    }
    try { r.rssMb = Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024); } catch { /* not Linux */ }
    await pgc.end();
  } finally {
    await stopChild(server);
    fs.rmSync(filesDir, { recursive: true, force: true });
  }
  const section = report(r);
  console.log(section);
  if (!env.BENCH_NO_README) writeReadmeSection(path.join(root, 'bench/README.md'), { start: '<!-- programme:start (written by bench/programme.mjs) -->', end: '<!-- programme:end -->', heading: 'Programme panel at national scale — latest results' }, section);
  if (pgInfo.startedPg && !env.BENCH_KEEP_PG) stopTestPostgres(root);
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(0);
}

function report(r) {
  const cpu = os.cpus();
  const panel = r.scenarios[0];
  const L = [];
  L.push(`Run on ${new Date().toISOString().slice(0, 10)} · ${cpu.length} cores (${cpu[0]?.model?.trim() ?? 'unknown CPU'}) · ${Math.round(os.totalmem() / 2 ** 30)} GB RAM · Node ${process.version} · ${r.engine} · load average before the run ${r.loadBefore}`);
  L.push(`Data: ${r.units.provinces} provinces and ${r.units.communes.toLocaleString('en')} commune-level units (the 2025 national list plus the Lục Ngạn units before 2025), ${r.data.products.toLocaleString('en')} products of ${r.data.producers.toLocaleString('en')} producers over the communes, ${r.data.certificates.toLocaleString('en')} certificates (bench/generate.ts); ${r.programme.plans} plans (one per province, ${r.programme.targets.toLocaleString('en')} targets), ${r.programme.events.toLocaleString('en')} events with ${r.programme.participants.toLocaleString('en')} participants, ${r.programme.support.toLocaleString('en')} support activities, ${r.programme.budgetEntries.toLocaleString('en')} budget entries (bench/generate-programme.ts); generated in ${(r.generateMs / 1000).toFixed(1)} s.`);
  L.push(`Load: autocannon ${DURATION} s after a ${WARMUP} s warm-up, ${CONNECTIONS} connections, signed in as a province-wide officer, each request a random province's plan; \`NODE_ENV=production\`, \`JOBS=off\`; load generator, app and PostgreSQL on the same machine. The bare \`node:http\` server answers every request with the panel's JSON of the biggest province (same bytes).`);
  L.push('');
  L.push('| scenario | req/s | × bare | p50 ms | p95 ms | p99 ms | bytes per response | unexpected / errors |');
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  L.push(`| bare node:http, same body (baseline) | ${Math.round(r.base.rps)} | 1 | ${f1(r.base.p50)} | ${f1(r.base.p95)} | ${f1(r.base.p99)} | ${Math.round(r.base.avgBytes)} | ${r.base.unexpected} / ${r.base.errors} |`);
  for (const s of [...r.scenarios, r.withWrites]) L.push(`| ${s.name} | ${Math.round(s.rps)} | **${(s.rps / r.base.rps).toFixed(3)}** | ${f1(s.p50)} | ${f1(s.p95)} | ${f1(s.p99)} | ${Math.round(s.avgBytes)} | ${s.unexpected} / ${s.errors} |`);
  L.push('');
  L.push(`The load runs above without writes reuse the kept panels (programme/panel-cache.ts) once each province's has been computed; the last row computes again after every change.`);
  L.push('');
  L.push(`Sequential requests on the idle server for the biggest province (${r.biggest.name}, ${r.biggest.communes} communes), median / p95 of 15: panel computed (a change before each request) ${f1(r.seq.panelFresh.p50)} / ${f1(r.seq.panelFresh.p95)} ms · panel kept ${f1(r.seq.panel.p50)} / ${f1(r.seq.panel.p95)} ms · drill-down ${f1(r.seq.drill.p50)} / ${f1(r.seq.drill.p95)} ms · map figures ${f1(r.seq.map.p50)} / ${f1(r.seq.map.p95)} ms · home ${f1(r.seq.home.p50)} / ${f1(r.seq.home.p95)} ms. Cold start ${r.coldStartMs} ms; RSS after load ${r.rssMb ?? '–'} MB.`);
  L.push('');
  L.push(`Target: panel p95 under ${TARGET_P95_MS} ms. One officer opening the biggest province's panel, computed (sequential, idle server): **${r.seq.panelFresh.p95 < TARGET_P95_MS ? 'met' : 'missed'}** (${f1(r.seq.panelFresh.p95)} ms). Under ${CONNECTIONS} concurrent connections, no writes: **${panel.p95 < TARGET_P95_MS ? 'met' : 'missed'}** (${f1(panel.p95)} ms); with a write every 500 ms: **${r.withWrites.p95 < TARGET_P95_MS ? 'met' : 'missed'}** (${f1(r.withWrites.p95)} ms).`);
  return L.join('\n');
}

main().catch((err) => { console.error(err instanceof Error ? err.stack : err); killAll(); process.exit(1); });
