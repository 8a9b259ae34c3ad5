import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';

export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/** One database handle for both engines: repositories only ever see `db`. */
export interface DbHandle {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Runs a multi-statement SQL script (migrations); no parameters. */
  execScript(sqlText: string): Promise<void>;
  /** Runs a script inside one transaction on one connection; rolls back on error. */
  execScriptTx(sqlText: string): Promise<void>;
  /** Runs one parameterised statement and returns rows (used by the migrator and a few raw paths). */
  query<T = Record<string, unknown>>(sqlText: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /** PGlite only: the data directory as a tarball. */
  dump?: () => Promise<Blob>;
}

// pg returns int8 as string by default; counts and ids we use fit in JS numbers.
pg.types.setTypeParser(20, (v) => Number(v));
// `date` columns stay ISO strings (no time-zone shifts).
pg.types.setTypeParser(1082, (v) => v);

/** Same extension list on every open: PGlite requires it. */
const extensions = { pg_trgm, unaccent };

/** `template`: a dumped data directory to start from (tests clone one migrated database instead of initdb each time). */
export async function openPglite(dir: string | null, template?: Blob): Promise<DbHandle> {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const client = dir
    ? await PGlite.create(dir, { extensions })
    : await PGlite.create({ extensions, ...(template ? { loadDataDir: template } : {}) });
  const db = drizzlePglite({ client }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    async execScript(text) {
      await client.exec(text);
    },
    async execScriptTx(text) {
      await client.transaction(async (tx) => {
        await tx.exec(text);
      });
    },
    async query(text, params) {
      const r = await client.query(text, params ?? []);
      return r.rows as never[];
    },
    async close() {
      await client.close();
    },
    dump: () => client.dumpDataDir('none'),
  };
}

export async function openPostgres(url: string, max = 10): Promise<DbHandle> {
  const pool = new pg.Pool({ connectionString: url, max });
  // Fail fast with a clear message when the server is not reachable.
  const c = await pool.connect();
  c.release();
  const db = drizzlePg({ client: pool }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    async execScript(text) {
      await pool.query(text);
    },
    async execScriptTx(text) {
      const c = await pool.connect();
      try {
        await c.query('begin');
        await c.query(text);
        await c.query('commit');
      } catch (err) {
        await c.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    async query(text, params) {
      const r = await pool.query(text, params as unknown[]);
      return r.rows as never[];
    },
    async close() {
      await pool.end();
    },
  };
}

/** Rows of a `db.execute(sql…)` result: both drivers return `{ rows }`. */
export const rowsOf = <T>(r: unknown): T[] => (r as { rows: T[] }).rows;
