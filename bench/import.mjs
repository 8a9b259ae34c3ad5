// `node bench/import.mjs` (or BENCH_SCENARIOS=import npm run bench): the registry's Excel import at bulk speed (#18).
// Builds a 10,000-row workbook from the app's own template (5,000 producers + 5,000 products, half of them with a
// star rating that becomes a paper certificate), uploads it through HTTP as a signed-in province officer
// (POST /api/import/runs → 202), polls GET /api/import/runs/:id until it is done, and records the seconds and rows/s
// — on PGlite and on PostgreSQL, BENCH_IMPORT_REPEAT times each (every repeat is a new workbook of new producers,
// so the later ones import into a registry that already holds the earlier ones). Target: under 15 s for 10,000 rows.
// Writes its section of bench/README.md (BENCH_NO_README=1: print only). Traffic goes only to 127.0.0.1.
//
// Env: BENCH_DBS (pglite,postgres) · BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:55432/ocop_bench_import —
// created if missing; its schema `public` is dropped and recreated) · BENCH_IMPORT_ROWS (5000 per sheet) ·
// BENCH_IMPORT_REPEAT (2) · BENCH_PORT (3957).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { childProcesses, portFree, resetBenchDatabase, stopTestPostgres, waitHealthy, writeReadmeSection } from './lib.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const env = process.env;
const DBS = (env.BENCH_DBS ?? 'pglite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
const PG_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/ocop_bench_import';
const ROWS = Number(env.BENCH_IMPORT_ROWS ?? 5000);
const REPEAT = Number(env.BENCH_IMPORT_REPEAT ?? 2);
const PORT = Number(env.BENCH_PORT ?? 3957);
const LOGIN = 'bench.tinh';
const PASSWORD = 'Do-kiem-Hieu-nang-2026!';
const TARGET_S = 15;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const log = (...a) => console.error(`[bench:import ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const { startChild, stopChild, runNode, killAll } = childProcesses({ root, env });

/** A valid 10-digit tax code (check digit per the General Department of Taxation's rule), unique per (run, i). */
function taxCode(run, i) {
  for (let k = 0; ; k++) {
    const body = `4${String(run % 10)}${String((i * 7 + k * 100_003) % 10_000_000).padStart(7, '0')}`;
    const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
    const c = 10 - (body.split('').reduce((a, d, j) => a + Number(d) * w[j], 0) % 11);
    if (c < 10) return `${body}${c}`;
  }
}

async function workbook(template, run) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template);
  const ps = wb.getWorksheet('Chủ thể');
  const pr = wb.getWorksheet('Sản phẩm');
  const seen = new Set();
  for (let i = 0; i < ROWS; i++) {
    let reg = taxCode(run, i);
    for (let k = 1; seen.has(reg); k++) reg = taxCode(run, i + k * ROWS);
    seen.add(reg);
    ps.getRow(i + 2).values = [reg, `HTX Đo tải ${run}-${i}`, null, 'Hợp tác xã', 'Phường Chũ', 'Thôn Thủ Dương', 'Nguyễn Văn Bình', 'Giám đốc', '0912345678', 'htx@example.vn', 2015, 12, 30, null, null];
    const stars = i % 2 === 0 ? [4, 2024, `${run}-${i}/QĐ-UBND`, '10/10/2024', null, 'UBND tỉnh Bắc Giang', null] : [null, null, null, null, null, null, null];
    pr.getRow(i + 2).values = [reg, `Vải thiều đo tải ${run}-${i}`, 'I.1.a', 'Tươi sống', 'Phường Chũ', 'Vải Chũ', 'Vải thiều tươi', null, 'Không', ...stars, 'VietGAP', 'Shopee, Siêu thị'];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function session(port) {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: LOGIN, password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  return { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), 'x-csrf-token': (await res.json()).csrfToken };
}

async function importOnce(port, headers, file) {
  const fd = new FormData();
  fd.append('file', new Blob([file], { type: XLSX }), 'do-tai.xlsx');
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/api/import/runs?kind=registry`, { method: 'POST', headers, body: fd });
  if (res.status !== 202) throw new Error(`POST /api/import/runs: ${res.status} ${await res.text()}`);
  const acceptedMs = performance.now() - t0;
  const { id } = await res.json();
  let polls = 0;
  let failures = 0;
  for (;;) {
    await sleep(250);
    // A kept-alive socket the busy server closed is not the import failing: ask again (bounded).
    let run;
    try {
      run = await (await fetch(`http://127.0.0.1:${port}/api/import/runs/${id}`, { headers })).json();
    } catch (err) {
      if (++failures > 20) throw err;
      continue;
    }
    polls++;
    if (run.status === 'running') continue;
    const totalMs = performance.now() - t0;
    if (run.status !== 'done') throw new Error(`import failed: ${JSON.stringify(run.errors?.slice(0, 5))}`);
    return { acceptedMs, totalMs, polls, result: run.result, total: run.total };
  }
}

async function benchDb(kind) {
  const r = { kind, loadBefore: os.loadavg().map((x) => x.toFixed(2)).join(' / '), runs: [] };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-import-'));
  const dbEnv = kind === 'postgres' ? { DATABASE_URL: PG_URL } : { DATA_DIR: dataDir, DATABASE_URL: undefined };
  if (kind === 'postgres') {
    const pgInfo = await resetBenchDatabase({ root, url: PG_URL, explicit: Boolean(env.BENCH_DATABASE_URL), log });
    r.engine = `PostgreSQL ${pgInfo.version} (127.0.0.1)`;
    r.startedPg = pgInfo.startedPg;
  } else r.engine = 'PGlite (embedded, DATA_DIR on local disk)';
  await runNode(['--import', 'tsx', 'bench/import-setup.ts'], dbEnv, 10 * 60000, 'import-setup');
  if (!(await portFree(PORT))) throw new Error(`port ${PORT} is busy (set BENCH_PORT)`);
  const server = startChild(['--import', 'tsx', 'src/server/main.ts'], {
    ...dbEnv, DATA_DIR: dataDir, PORT: String(PORT), HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'warn', NODE_ENV: 'production', JOBS: 'off',
  }, 'server');
  try {
    await waitHealthy(PORT, server, { limitMs: 180000 });
    const headers = await session(PORT);
    const template = Buffer.from(await (await fetch(`http://127.0.0.1:${PORT}/api/import/template.xlsx`, { headers })).arrayBuffer());
    for (let run = 1; run <= REPEAT; run++) {
      const file = await workbook(template, run);
      log(`${kind}: import ${run}/${REPEAT} — ${2 * ROWS} rows, ${(file.length / 1024).toFixed(0)} KB`);
      const x = await importOnce(PORT, headers, file);
      log(`${kind}: import ${run}: ${(x.totalMs / 1000).toFixed(1)} s, ${Math.round(x.total / (x.totalMs / 1000))} rows/s`, JSON.stringify(x.result));
      r.runs.push({ ...x, bytes: file.length });
    }
    try { r.rssMb = Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024); } catch { /* not Linux */ }
  } finally {
    await stopChild(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  r.loadAfter = os.loadavg().map((x) => x.toFixed(2)).join(' / ');
  return r;
}

function report(results) {
  const cpu = os.cpus();
  const L = [];
  L.push(`Run on ${new Date().toISOString().slice(0, 10)} · ${cpu.length} cores (${cpu[0]?.model?.trim() ?? 'unknown CPU'}) · ${Math.round(os.totalmem() / 2 ** 30)} GB RAM · Node ${process.version}.`);
  L.push(`Workbook: the app's own template with ${ROWS.toLocaleString('en')} producers and ${ROWS.toLocaleString('en')} products (half with 4★, decision and issuer → paper certificates; every product with a quality certification and two sales channels). Uploaded as a signed-in province officer to \`POST /api/import/runs\` (202), then \`GET /api/import/runs/:id\` every 250 ms until done; time = upload to "done" as the client sees it. Each repeat imports new producers into the registry the earlier ones filled. \`NODE_ENV=production\`, \`JOBS=off\`; client, app and database on the same machine.`);
  L.push('');
  L.push('| database | import | rows | seconds | rows/s | 202 after ms | created (producers / products / certificates) | load before → after |');
  L.push('|---|---:|---:|---:|---:|---:|---|---|');
  for (const r of results) {
    r.runs.forEach((x, i) => {
      const c = x.result;
      L.push(`| ${r.engine} | ${i + 1} | ${x.total.toLocaleString('en')} | **${(x.totalMs / 1000).toFixed(1)}** | ${Math.round(x.total / (x.totalMs / 1000)).toLocaleString('en')} | ${Math.round(x.acceptedMs)} | ${c.producers.created} / ${c.products.created} / ${c.certificates.created} | ${r.loadBefore} → ${r.loadAfter} |`);
    });
  }
  L.push('');
  const worst = Math.max(...results.flatMap((r) => r.runs.map((x) => x.totalMs / 1000)));
  L.push(`Target: 10,000 rows under ${TARGET_S} s — **${worst < TARGET_S ? 'met' : 'missed'}** (slowest ${worst.toFixed(1)} s).`);
  return L.join('\n');
}

async function main() {
  const started = Date.now();
  const results = [];
  let stopPg = false;
  try {
    for (const kind of DBS) {
      if (!['pglite', 'postgres'].includes(kind)) throw new Error(`unknown database ${kind} in BENCH_DBS`);
      const r = await benchDb(kind);
      if (r.startedPg) stopPg = true;
      results.push(r);
    }
  } finally {
    if (stopPg && !env.BENCH_KEEP_PG) stopTestPostgres(root);
  }
  const section = report(results);
  console.log(section);
  if (!env.BENCH_NO_README) writeReadmeSection(path.join(root, 'bench/README.md'), { start: '<!-- import:start (written by bench/import.mjs) -->', end: '<!-- import:end -->', heading: 'Excel import, 10,000 rows — latest results' }, section);
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  killAll();
  process.exit(1);
});
