#!/usr/bin/env node
/**
 * Dependency audit for CI: `npm audit --omit=dev` (what a deployment runs), failing on high or critical advisories
 * unless they are acknowledged in .ci/audit-allow (one GHSA id per line, "# why" comments; see SECURITY.md).
 * When the registry's audit endpoint does not answer (offline, a mirror without it), a notice is printed and CI
 * goes on: the audit says something about the world, not about the change being tested.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const allowFile = path.join(root, '.ci/audit-allow');
const allowed = new Set(fs.existsSync(allowFile)
  ? fs.readFileSync(allowFile, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean) : []);

const r = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
let report;
try { report = JSON.parse(r.stdout); } catch { report = undefined; }
if (!report?.metadata?.vulnerabilities) {
  const why = [report?.message, report?.error?.summary, r.error?.message, r.stderr].map((x) => String(x ?? '').split('\n').find((l) => l.trim())).find(Boolean) ?? 'no answer';
  console.log(`NOTICE: dependency audit skipped, the registry's audit endpoint did not answer (${why.trim()})`);
  process.exit(0);
}
const findings = [];
for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
  for (const via of v.via ?? []) {
    if (typeof via !== 'object' || !['high', 'critical'].includes(via.severity)) continue;
    const id = /GHSA-[\w-]+/.exec(via.url ?? '')?.[0] ?? String(via.source);
    findings.push({ name, id, severity: via.severity, title: via.title, range: via.range, allowed: allowed.has(id) });
  }
}
const m = report.metadata.vulnerabilities;
console.log(`dependency audit (runtime): ${m.critical} critical, ${m.high} high, ${m.moderate} moderate, ${m.low} low`);
for (const f of findings) console.log(`  ${f.allowed ? 'acknowledged' : 'FAIL'} ${f.severity} ${f.name} ${f.id} ${f.title} (${f.range})`);
const failing = findings.filter((f) => !f.allowed);
if (failing.length) {
  console.log(`${failing.length} high/critical advisory(ies) in runtime dependencies: upgrade, or acknowledge in .ci/audit-allow with a reason (SECURITY.md)`);
  process.exit(1);
}
