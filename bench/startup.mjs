// `node bench/startup.mjs` (or BENCH_SCENARIOS=startup npm run bench): cold start of the embedded (PGlite) server on
// national-scale data that has just been loaded — so the certificate reminder job finds every reminder due, as after
// an import. Per start: process spawn → first 200 from GET /healthz, → first 200 from an API page (sign-in, then
// GET /api/products?page=1), how slow /healthz is while the background job runs (polled every 100 ms for a while
// after the start), and when the job's run ended (from the server's log). Then the same on the same data once the
// reminders are recorded (a plain restart). Writes its section of bench/README.md. Traffic goes only to 127.0.0.1.
//
// Env: BENCH_PRODUCERS / BENCH_PRODUCTS (10000 / 20000) · BENCH_STARTS (3: each on a fresh copy of the generated
// data) · BENCH_WATCH (12: seconds /healthz is polled after the start) · BENCH_PORT (3947) · BENCH_NO_README=1
// (print only) · BENCH_DATA_TEMPLATE (an existing generated DATA_DIR to copy instead of generating one) ·
// BENCH_APP_ROOT (another checkout whose src/server/main.ts is started, e.g. to measure the code before a change).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childProcesses, portFree, writeReadmeSection } from './lib.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const env = process.env;
const PRODUCERS = Number(env.BENCH_PRODUCERS ?? 10000);
const PRODUCTS = Number(env.BENCH_PRODUCTS ?? 20000);
const STARTS = Number(env.BENCH_STARTS ?? 3);
const WATCH_S = Number(env.BENCH_WATCH ?? 12);
const PORT = Number(env.BENCH_PORT ?? 3947);
const LOGIN = 'bench.tinh';
const PASSWORD = 'Do-kiem-Hieu-nang-2026!';
const TARGET_MS = 5000;

const log = (...a) => console.error(`[bench:startup ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const f0 = (n) => (Number.isFinite(n) ? String(Math.round(n)) : '–');
const { startChild, stopChild, runNode, killAll } = childProcesses({ root, env });
const appRoot = env.BENCH_APP_ROOT ? path.resolve(env.BENCH_APP_ROOT) : root;

async function get(p, headers = {}, timeoutMs = 30000) {
  const ctl = new AbortController();
  const t = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    const res = await fetch(`http://127.0.0.1:${PORT}${p}`, { headers, signal: ctl.signal });
    return { status: res.status, body: await res.text(), res };
  } finally { clearTimeout(t); }
}

/** One start on `dataDir`: the times above, measured from the spawn. */
async function oneStart(dataDir, label) {
  if (!(await portFree(PORT))) throw new Error(`port ${PORT} is busy (set BENCH_PORT)`);
  const serverEnv = { DATA_DIR: dataDir, DATABASE_URL: undefined, PORT: String(PORT), HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'info', NODE_ENV: 'production' };
  const t0 = performance.now();
  const child = startChild(['--import', 'tsx', path.join(appRoot, 'src/server/main.ts')], serverEnv, `server (${label})`);
  // The server logs JSON lines; note when it said "ready" and when the reminder run ended (relative to the spawn).
  const marks = {};
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        const o = JSON.parse(line);
        if (o.msg === 'OCOP Hub ready') { marks.ready = performance.now() - t0; marks.readyMs = o.ms; marks.steps = o.steps; }
        if (o.msg === 'background jobs started') marks.jobsStarted = performance.now() - t0;
        if (o.msg === 'certificate reminders') { marks.remindersDone = performance.now() - t0; marks.sent = o.sent; marks.due = o.due; }
      } catch { /* not JSON */ }
    }
  });
  try {
    let health;
    while (performance.now() - t0 < 120000) {
      if (child.exitCode !== null) throw new Error(`server exited early:\n${child.output()}`);
      try { if ((await get('/healthz', {}, 30000)).status === 200) { health = performance.now() - t0; break; } } catch { /* not up */ }
      await sleep(20);
    }
    if (health === undefined) throw new Error(`not healthy within 120 s:\n${child.output()}`);
    const login = await fetch(`http://127.0.0.1:${PORT}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: LOGIN, password: PASSWORD }) });
    if (login.status !== 200) throw new Error(`login → ${login.status}: ${await login.text()}`);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('ocop_sid='));
    const page = await get('/api/products?page=1&pageSize=20', { cookie });
    if (page.status !== 200) throw new Error(`GET /api/products → ${page.status}`);
    const api = performance.now() - t0;
    // While the background job runs: how long does a request wait? /healthz (one query) every 100 ms, and an API page every second.
    const waits = [];
    const pages = [];
    let n = 0;
    while (performance.now() - t0 < api + WATCH_S * 1000) {
      const s = performance.now();
      await get('/healthz');
      waits.push(performance.now() - s);
      if (++n % 10 === 0) {
        const s2 = performance.now();
        await get(`/api/products?page=${1 + (n % 50)}&pageSize=20`, { cookie });
        pages.push(performance.now() - s2);
      }
      await sleep(100);
    }
    waits.sort((a, b) => a - b);
    pages.sort((a, b) => a - b);
    return {
      label, health, api, ...marks,
      healthMax: waits[waits.length - 1], healthP50: waits[Math.floor(waits.length / 2)],
      pageMax: pages[pages.length - 1], pageP50: pages[Math.floor(pages.length / 2)],
    };
  } finally { await stopChild(child); }
}

function report(runs, data, genMs) {
  const cpu = os.cpus();
  const L = [];
  L.push(`Run on ${new Date().toISOString().slice(0, 10)} · ${cpu.length} cores (${cpu[0]?.model?.trim() ?? 'unknown CPU'}) · Node ${process.version} · load average before the run ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  L.push(`Data: PGlite, ${data.producers.toLocaleString('en')} producers, ${data.products.toLocaleString('en')} products, ${data.certificates.toLocaleString('en')} certificates (bench/generate.ts, ${(genMs / 1000).toFixed(1)} s); each "fresh" start runs on its own copy of the just-generated data directory, so the boot reminder run finds every reminder due.`);
  const rev = spawnSync('git', ['-C', appRoot, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).stdout.trim().slice(0, 100);
  L.push(`App started: ${appRoot === root ? 'this checkout' : appRoot} at \`${rev}\`${spawnSync('git', ['-C', appRoot, 'status', '--porcelain', 'src'], { encoding: 'utf8' }).stdout.trim() ? ' (with uncommitted changes)' : ''}.`);
  L.push('');
  L.push('| start | spawn → /healthz 200 ms | spawn → API page 200 ms (sign-in + list) | "ready" logged ms | jobs started ms | reminder run ended ms (sent / due) | /healthz while the job runs p50 / max ms | API page while the job runs p50 / max ms |');
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of runs) {
    L.push(`| ${r.label} | ${f0(r.health)} | ${f0(r.api)} | ${f0(r.ready)} | ${f0(r.jobsStarted)} | ${r.remindersDone ? `${f0(r.remindersDone)} (${r.sent} / ${r.due})` : `not within ${WATCH_S} s`} | ${r.healthP50.toFixed(1)} / ${f0(r.healthMax)} | ${f0(r.pageP50)} / ${f0(r.pageMax)} |`);
  }
  const fresh = runs.filter((r) => r.label.startsWith('fresh'));
  const worst = Math.max(...fresh.map((r) => r.health));
  L.push('');
  L.push(`**Target** (cold start < ${TARGET_MS / 1000} s to /healthz on embedded data): worst fresh start **${f0(worst)} ms** — ${worst < TARGET_MS ? '**met**' : '**missed**'}.`);
  const withSteps = runs.filter((r) => r.steps);
  if (withSteps.length) {
    L.push('');
    L.push('Where the time to "ready" goes (ms, from the server\'s "OCOP Hub ready" log line; the rest of spawn → ready is Node, tsx and module loading):');
    L.push('');
    const names = Object.keys(withSteps[0].steps);
    L.push(`| start | ${names.join(' | ')} | in main() total |`);
    L.push(`|---|${names.map(() => '---:').join('|')}|---:|`);
    for (const r of withSteps) L.push(`| ${r.label} | ${names.map((n) => f0(r.steps[n])).join(' | ')} | ${f0(r.readyMs)} |`);
  }
  return L.join('\n');
}

async function main() {
  let template = env.BENCH_DATA_TEMPLATE;
  let data;
  let genMs = 0;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-startup-'));
  try {
    if (!template) {
      template = path.join(tmp, 'template');
      fs.mkdirSync(template);
      log(`generating ${PRODUCERS} producers / ${PRODUCTS} products on PGlite`);
      const t0 = Date.now();
      const out = await runNode(['--import', 'tsx', 'bench/generate.ts'], { DATA_DIR: template, DATABASE_URL: undefined, BENCH_PRODUCERS: String(PRODUCERS), BENCH_PRODUCTS: String(PRODUCTS) }, 15 * 60000, 'generate');
      data = JSON.parse(out.trim().split('\n').pop());
      genMs = Date.now() - t0;
    } else {
      data = { producers: PRODUCERS, products: PRODUCTS, certificates: PRODUCTS };
    }
    const runs = [];
    let last;
    for (let i = 0; i < STARTS; i++) {
      last = path.join(tmp, `run-${i}`);
      fs.rmSync(last, { recursive: true, force: true });
      spawnSync('cp', ['-a', template, last]);
      const r = await oneStart(last, `fresh data #${i + 1}`);
      log(r);
      runs.push(r);
      if (i < STARTS - 1) fs.rmSync(last, { recursive: true, force: true });
    }
    const r = await oneStart(last, 'restart (reminders already recorded)');
    log(r);
    runs.push(r);
    const section = report(runs, data, genMs);
    console.log(section);
    if (!env.BENCH_NO_README) writeReadmeSection(path.join(root, 'bench/README.md'), { start: '<!-- startup:start (written by bench/startup.mjs) -->', end: '<!-- startup:end -->', heading: 'Start-up with background jobs (embedded database)' }, section);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  killAll();
  process.exit(1);
});
