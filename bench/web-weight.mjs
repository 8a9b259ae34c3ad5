// `node bench/web-weight.mjs` (or BENCH_SCENARIOS=weight npm run bench): bytes over the wire for the back office's
// login page and the first screen after login, in Debian's Chromium against the production server on a fresh
// embedded database. Counts every response's encoded (compressed) size as the browser received it (CDP
// Network.loadingFinished) and the decoded size, for a cold cache, and a reload with a warm cache. Writes its section of
// bench/README.md (BENCH_NO_README=1: print only). Traffic goes only to 127.0.0.1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { childProcesses, portFree, waitHealthy, writeReadmeSection } from './lib.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const env = process.env;
const PORT = Number(env.BENCH_PORT ?? 3957);
const LOGIN_LIMIT = 300 * 1024;
const log = (...a) => console.error(`[bench:weight ${new Date().toISOString().slice(11, 19)}]`, ...a);
const { startChild, stopChild, runNode, killAll } = childProcesses({ root, env });

/** Every response of one navigation: url, type, encoded bytes (wire, incl. headers) and decoded body bytes. */
async function measure(page, cdp, action) {
  const seen = new Map();
  const onResp = (e) => seen.set(e.requestId, { url: e.response.url, type: e.type, decoded: 0, wire: 0, cached: e.response.fromDiskCache || e.response.fromPrefetchCache, enc: e.response.headers['content-encoding'] ?? '' });
  const onData = (e) => { const r = seen.get(e.requestId); if (r) r.decoded += e.dataLength; };
  const onDone = (e) => { const r = seen.get(e.requestId); if (r) r.wire = e.encodedDataLength; };
  cdp.on('Network.responseReceived', onResp);
  cdp.on('Network.dataReceived', onData);
  cdp.on('Network.loadingFinished', onDone);
  await action();
  await page.waitForLoadState('networkidle');
  cdp.off('Network.responseReceived', onResp);
  cdp.off('Network.dataReceived', onData);
  cdp.off('Network.loadingFinished', onDone);
  const rows = [...seen.values()];
  const sum = (f) => rows.filter(f).reduce((a, r) => ({ wire: a.wire + r.wire, decoded: a.decoded + r.decoded, n: a.n + 1 }), { wire: 0, decoded: 0, n: 0 });
  return {
    all: sum(() => true),
    js: sum((r) => r.type === 'Script'),
    css: sum((r) => r.type === 'Stylesheet'),
    largestJs: rows.filter((r) => r.type === 'Script').sort((a, b) => b.wire - a.wire).slice(0, 3).map((r) => ({ file: path.basename(new URL(r.url).pathname), wire: r.wire, decoded: r.decoded, enc: r.enc })),
    encodings: [...new Set(rows.filter((r) => r.type === 'Script').map((r) => r.enc || 'none'))],
  };
}

async function main() {
  if (!(await portFree(PORT))) throw new Error(`port ${PORT} busy (BENCH_PORT)`);
  log('vite build');
  await runNode([path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {}, 10 * 60000, 'vite build');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-weight-'));
  const server = startChild(['--import', 'tsx', 'src/server/main.ts'], {
    PORT: String(PORT), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', NODE_ENV: 'production', JOBS: 'off',
  }, 'server');
  const browser = await chromium.launch({ executablePath: env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const r = {};
  try {
    await waitHealthy(PORT, server);
    const ctx = await browser.newContext({ baseURL: `http://127.0.0.1:${PORT}`, viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    r.login = await measure(page, cdp, () => page.goto('/login'));
    await page.getByTestId('login-username').waitFor();
    r.afterLogin = await measure(page, cdp, async () => {
      await page.getByTestId('login-username').fill(env.BENCH_LOGIN ?? 'tinh');
      await page.getByTestId('login-password').fill(env.BENCH_PASSWORD ?? 'ocop-tinh-2025');
      await page.getByTestId('login-submit').click();
      await page.waitForURL('**/home');
      await page.getByTestId('home-page').waitFor().catch(() => {});
    });
    r.reload = await measure(page, cdp, () => page.reload());
    await ctx.close();
  } finally {
    await browser.close();
    await stopChild(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const section = report(r);
  console.log(section);
  if (!env.BENCH_NO_README) writeReadmeSection(path.join(root, 'bench/README.md'), { start: '<!-- weight:start (written by bench/web-weight.mjs) -->', end: '<!-- weight:end -->', heading: 'Back office weight — latest results' }, section);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
function report(r) {
  const L = [];
  L.push(`Run on ${new Date().toISOString().slice(0, 10)} · Chromium (Debian) at 390×844, production server on a fresh embedded database, cold browser cache. "Wire" is what the browser received (compressed bodies + headers, CDP \`encodedDataLength\`); "decoded" is the bodies after decompression.`);
  L.push('');
  L.push('| step | requests | wire, all | decoded, all | JS wire | JS decoded | CSS wire | largest scripts (wire) | script encodings |');
  L.push('|---|---:|---:|---:|---:|---:|---:|---|---|');
  const row = (name, m) => L.push(`| ${name} | ${m.all.n} | ${kb(m.all.wire)} | ${kb(m.all.decoded)} | ${kb(m.js.wire)} | ${kb(m.js.decoded)} | ${kb(m.css.wire)} | ${m.largestJs.map((x) => `${x.file} ${kb(x.wire)}`).join(', ')} | ${m.encodings.join(', ')} |`);
  row('open /login (cold cache)', r.login);
  row('sign in → first screen (/home), added', r.afterLogin);
  row('reload /home (warm cache)', r.reload);
  L.push('');
  L.push(`Target: login under 300 KB compressed — **${r.login.all.wire <= LOGIN_LIMIT ? 'met' : 'missed'}** (${kb(r.login.all.wire)}).`);
  return L.join('\n');
}

main().catch((err) => { console.error(err instanceof Error ? err.stack : err); killAll(); process.exit(1); });
