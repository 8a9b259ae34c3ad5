// `npm test`: every tier. Typecheck and lint; unit + integration on PGlite; integration again on PostgreSQL when TEST_DATABASE_URL is
// set (CI sets it); then the browser journeys (skipped with a notice when no Chromium is installed).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const run = (label, cmd, args, env = {}) => {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`✗ ${label} failed`);
    process.exit(r.status ?? 1);
  }
};
const vitest = ['node_modules/vitest/vitest.mjs', 'run'];
const pg = process.env.TEST_DATABASE_URL;

run('typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
run('lint (ESLint: typescript-eslint, react-hooks)', process.execPath, ['node_modules/eslint/bin/eslint.js', '.', '--max-warnings', '0']);
run('unit + integration (PGlite)', process.execPath, vitest, { TEST_DATABASE_URL: '' });
if (pg) run('integration (PostgreSQL)', process.execPath, [...vitest, '--project', 'integration'], { TEST_DATABASE_URL: pg });
else console.log('\n(TEST_DATABASE_URL not set: PostgreSQL tier skipped; CI runs it)');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (fs.existsSync(chromium) && fs.existsSync('test/e2e')) run('e2e (Chromium)', process.execPath, ['scripts/e2e.mjs']);
else if (process.env.CI) { console.error('Chromium missing in CI'); process.exit(1); }
else console.log(`\n(${chromium} not found: e2e tier skipped)`);
