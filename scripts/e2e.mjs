// Browser journeys: build the back office, start the real server on a fresh embedded database, run the specs.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const port = 3900 + Math.floor(Math.random() * 90);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-e2e-'));

const build = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/server/main.ts')], {
  cwd: root,
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', NODE_ENV: 'production', JOBS_START_DELAY_MS: '0' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
const stop = () => { try { server.kill('SIGTERM'); } catch { /* gone */ } };
process.on('exit', stop);

let ready = false;
for (let i = 0; i < 240 && !ready; i++) {
  await new Promise((r) => setTimeout(r, 500));
  ready = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
}
if (!ready) { console.error('server did not start'); stop(); process.exit(1); }
// The boot reminder run notifies officers of the demo's expiring certificates: let it finish first, so a journey that
// counts notifications does not see them arrive halfway.
let jobs = '';
for (let i = 0; i < 240 && jobs !== 'ready' && jobs !== 'off' && jobs !== 'failed'; i++) {
  jobs = await fetch(`${base}/healthz`).then((r) => r.json()).then((b) => b.jobs ?? 'off', () => '');
  if (jobs !== 'ready') await new Promise((r) => setTimeout(r, 500));
}
if (jobs !== 'ready') console.warn(`background jobs: ${jobs || 'no answer'} (journeys start anyway)`);

// The sweep (every role × every page × two widths, ≈ 10 min) runs when E2E_SWEEP=1.
const sweep = process.env.E2E_SWEEP === '1';
const specs = fs.readdirSync(path.join(root, 'test/e2e')).filter((f) => /\.e2e\.test\.mjs$/.test(f) && (sweep || f !== 'sweep.e2e.test.mjs')).map((f) => path.join('test/e2e', f));
if (!sweep) console.log('(the sweep is skipped: E2E_SWEEP=1 runs it)');
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...specs], { cwd: root, stdio: 'inherit', env: { ...process.env, E2E_BASE_URL: base } });
stop();
await new Promise((res) => server.once('exit', res));
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(r.status ?? 1);
