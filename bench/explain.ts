/**
 * EXPLAIN ANALYZE of the exact SQL the list/search endpoints send: the repositories are called with a drizzle
 * instance whose logger captures each statement and its parameters, which are then explained on the same database.
 *
 *   DATABASE_URL=… node --import tsx bench/explain.ts     (or DATA_DIR=… for PGlite, with no server running on it)
 *
 * Prints markdown on stdout.
 */
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db } from '../src/server/db/client.js';
import { findProducts } from '../src/server/modules/products/repository.js';
import { ZProductListQuery } from '../src/server/modules/products/schema.js';
import { findProducers } from '../src/server/modules/producers/repository.js';
import { ZProducerListQuery } from '../src/server/modules/producers/schema.js';

type Captured = { query: string; params: unknown[] };
let captured: Captured[] = [];
const logger = { logQuery: (query: string, params: unknown[]) => void captured.push({ query, params }) };

async function main() {
  const url = process.env.DATABASE_URL;
  let run: (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
  let db: Db;
  let close: () => Promise<void>;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    db = drizzlePg({ client: pool, logger }) as unknown as Db;
    run = async (t, p) => (await pool.query(t, p)).rows;
    close = () => pool.end();
  } else {
    const client = await PGlite.create(path.join(path.resolve(process.env.DATA_DIR ?? './data'), 'db'), { extensions: { pg_trgm, unaccent } });
    db = drizzlePglite({ client, logger }) as unknown as Db;
    run = async (t, p) => (await client.query<Record<string, unknown>>(t, p)).rows;
    close = () => client.close();
  }
  const cases: { title: string; call: () => Promise<unknown> }[] = [
    { title: 'GET /api/products?q=vai thieu', call: () => findProducts(db, ZProductListQuery.parse({ q: 'vai thieu' })) },
    { title: 'GET /api/products?q=che (short, unselective)', call: () => findProducts(db, ZProductListQuery.parse({ q: 'che' })) },
    { title: 'GET /api/products?page=900&pageSize=20', call: () => findProducts(db, ZProductListQuery.parse({ page: '900', pageSize: '20' })) },
    { title: 'GET /api/producers?q=mat ong', call: () => findProducers(db, ZProducerListQuery.parse({ q: 'mat ong' })) },
  ];
  const out: string[] = [];
  try {
    for (const c of cases) {
      captured = [];
      await c.call(); // warm the cache once, like a server that has been running
      const stmts = captured.slice();
      out.push(`#### ${c.title}\n`);
      for (const s of stmts) {
        const plan = await run(`explain (analyze, buffers, costs off) ${s.query}`, s.params);
        const text = plan.map((r) => String(Object.values(r)[0])).join('\n');
        out.push('```sql', s.query.length > 600 ? `${s.query.slice(0, 600)} …` : s.query, `-- params: ${JSON.stringify(s.params)}`, '```', '```', text, '```', '');
      }
    }
  } finally {
    await close();
  }
  console.log(out.join('\n'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
