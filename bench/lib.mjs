// Shared by the bench runners: child processes (server, generator, load) started with piped output and stopped for
// sure, the test PostgreSQL, and the README's results sections.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** startChild / stopChild / runNode bound to the repository root and environment; children die with the runner. */
export function childProcesses({ root, env }) {
  const children = new Set();
  function startChild(args, extraEnv, label) {
    const childEnv = { ...env, ...extraEnv };
    for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
    const child = spawn(process.execPath, args, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    const keep = (d) => { out = (out + d).slice(-20000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.exited = new Promise((res) => child.on('exit', (code, sig) => { children.delete(child); res({ code, sig }); }));
    child.output = () => out;
    child.label = label;
    return child;
  }
  async function stopChild(child, ms = 15000) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const done = await Promise.race([child.exited.then(() => true), sleep(ms).then(() => false)]);
    if (!done) { child.kill('SIGKILL'); await Promise.race([child.exited, sleep(5000)]); }
  }
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { for (const c of children) c.kill('SIGKILL'); process.exit(130); });

  /** Runs a node script to completion (bounded), returns stdout; throws with its output on failure. */
  async function runNode(args, extraEnv, timeoutMs, label) {
    const child = startChild(args, extraEnv, label);
    let stdout = '';
    child.stdout.on('data', (d) => { stdout += d; });
    const r = await Promise.race([child.exited, sleep(timeoutMs).then(() => null)]);
    if (!r) { await stopChild(child, 2000); throw new Error(`${label}: timed out after ${timeoutMs} ms`); }
    if (r.code !== 0) throw new Error(`${label} failed (${r.code ?? r.sig}):\n${child.output()}`);
    return stdout;
  }
  /** On a crash: no child may outlive the runner. */
  const killAll = () => { for (const c of children) c.kill('SIGKILL'); };
  return { startChild, stopChild, runNode, killAll };
}

/** True when nothing listens on 127.0.0.1:port. */
export const portFree = (port) => new Promise((res) => {
  const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); res(false); });
  s.on('error', () => res(true));
  s.setTimeout(1000, () => { s.destroy(); res(true); });
});

/**
 * Starts the throw-away test PostgreSQL (scripts/pg-test-server.sh) when nothing listens on the URL's port — unless
 * the URL was given explicitly, then it must be reachable. Returns whether it was started (so the runner stops it).
 */
export async function ensureTestPostgres({ root, url, explicit, log }) {
  const u = new URL(url);
  if (!(await portFree(Number(u.port || 5432)))) return false;
  if (explicit) throw new Error(`PostgreSQL at ${url} is not reachable`);
  log('starting PostgreSQL with scripts/pg-test-server.sh start');
  const r = spawnSync('bash', [path.join(root, 'scripts/pg-test-server.sh'), 'start'], { cwd: root, encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) throw new Error(`pg-test-server.sh failed: ${r.stderr}`);
  return true;
}

export function stopTestPostgres(root) {
  spawnSync('bash', [path.join(root, 'scripts/pg-test-server.sh'), 'stop'], { cwd: root, timeout: 60000 });
}

/** Replaces what stands between the two markers of bench/README.md (appending a heading and markers if missing). */
export function writeReadmeSection(file, { start, end, heading }, section) {
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  if (!text.includes(start) || !text.includes(end)) text += `\n## ${heading}\n\n${start}\n${end}\n`;
  const a = text.indexOf(start) + start.length;
  const b = text.indexOf(end);
  fs.writeFileSync(file, `${text.slice(0, a)}\n${section}\n${text.slice(b)}`);
}

/** GET a page from the app under test: status, body, size of body and headers, content type and cache header. */
export async function fetchPage(port, p, headers = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${p}`, { headers: { accept: 'text/html', ...headers } });
  const body = await res.text();
  let headerBytes = `HTTP/1.1 ${res.status} X\r\n`.length + 2;
  res.headers.forEach((v, k) => { headerBytes += k.length + v.length + 4; });
  return { status: res.status, body, bytes: Buffer.byteLength(body), headerBytes, type: res.headers.get('content-type'), cache: res.headers.get('cache-control') };
}

/** Polls `p` until it answers below 500; returns the milliseconds it took (the cold start). */
export async function waitHealthy(port, child, { path: p = '/healthz', limitMs = 60000, everyMs = 20 } = {}) {
  const t0 = Date.now();
  while (Date.now() - t0 < limitMs) {
    if (child.exitCode !== null) throw new Error(`${child.label} exited early:\n${child.output()}`);
    try { if ((await fetchPage(port, p)).status < 500) return Date.now() - t0; } catch { /* not up yet */ }
    await sleep(everyMs);
  }
  throw new Error(`${child.label} not up within ${limitMs} ms:\n${child.output()}`);
}

/**
 * The benchmark's own database on the test PostgreSQL (started when needed, see ensureTestPostgres): created if
 * missing, its schema `public` dropped and recreated. Returns whether the server was started here and its version.
 */
export async function resetBenchDatabase({ root, url, explicit, log }) {
  const { default: pg } = await import('pg');
  const startedPg = await ensureTestPostgres({ root, url, explicit, log });
  const dbName = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    if (!(await admin.query('select 1 from pg_database where datname = $1', [dbName])).rowCount) await admin.query(`create database "${dbName.replace(/"/g, '')}"`);
  } finally { await admin.end(); }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('drop schema if exists public cascade; create schema public; drop schema if exists pgboss cascade;');
    return { startedPg, version: (await c.query('show server_version')).rows[0].server_version };
  } finally { await c.end(); }
}
