// Child processes of the bench runners (server, generator, load): started with piped output, stopped for sure.
import { spawn } from 'node:child_process';

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
