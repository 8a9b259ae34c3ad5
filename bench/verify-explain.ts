/**
 * EXPLAIN (ANALYZE, BUFFERS) of the public verification page's one query, exactly as the repository builds it
 * (drizzle's prepared statement), for a given certificate number. Used by bench/verify.mjs.
 *
 *   DATABASE_URL=… node --import tsx bench/verify-explain.ts OCOP-2023-000123
 */
import { openPostgres } from '../src/server/db/client.js';
import { prepareVerification } from '../src/server/modules/certificates/repository.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required (PostgreSQL)');
const number = process.argv[2];
const h = await openPostgres(url, 1);
try {
  const prepared = prepareVerification(h.db) as unknown as { getQuery(): { sql: string; params: unknown[] } };
  const { sql: text, params } = prepared.getQuery();
  // The placeholder is the number; the rest (the limit) are fixed values.
  const values = params.map((p) => (p && typeof p === 'object' && 'name' in p ? number : p));
  const rows = await h.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off) ${text}`, values);
  console.log('```sql');
  console.log(text);
  console.log('```');
  console.log('');
  console.log('```');
  for (const r of rows) console.log(r['QUERY PLAN']);
  console.log('```');
} finally {
  await h.close();
}
