import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DbHandle } from './client.js';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_KEY = 727001;

/**
 * Applies the SQL files of migrations/ in name order, once each, each in its own transaction.
 * A transaction-scoped advisory lock serialises concurrent starters (several app processes, parallel test
 * files on one PostgreSQL database); the "already applied" check runs again under the lock.
 */
export async function migrate(h: DbHandle): Promise<string[]> {
  const files = fs.readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort();
  await h.execScriptTx(`select pg_advisory_xact_lock(${LOCK_KEY});
    create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now());`);
  const applied: string[] = [];
  for (const file of files) {
    const done = await h.query<{ n: number }>('select count(*)::int as n from schema_migrations where name = $1', [file]);
    if (done[0].n > 0) continue;
    const body = fs.readFileSync(path.join(migrationsDir, file), 'utf8');
    const name = file.replace(/'/g, "''");
    try {
      await h.execScriptTx(`select pg_advisory_xact_lock(${LOCK_KEY});
do $mig$ begin
  if exists (select 1 from schema_migrations where name = '${name}') then
    raise exception 'migration-already-applied';
  end if;
end $mig$;
${body}
;
insert into schema_migrations(name) values ('${name}');`);
      applied.push(file);
    } catch (err) {
      if (String((err as Error).message).includes('migration-already-applied')) continue;
      throw new Error(`Migration ${file} failed: ${(err as Error).message}`);
    }
  }
  return applied;
}
