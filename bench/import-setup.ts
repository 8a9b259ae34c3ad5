/**
 * The empty database the import benchmark (bench/import.mjs) imports into: migrated, reference data loaded (units,
 * taxonomies, procedures), one province officer (bench.tinh), no producers. DATA_DIR=… (PGlite) or DATABASE_URL=….
 */
import path from 'node:path';
import { openPglite, openPostgres } from '../src/server/db/client.js';
import { migrate } from '../src/server/db/migrate.js';
import { loadReferenceData } from '../src/server/seed/reference.js';
import { createUser } from '../src/server/modules/users/service.js';
import { BENCH_LOGIN, BENCH_PASSWORD } from './generate.js';

const url = process.env.DATABASE_URL;
const h = url ? await openPostgres(url, 2) : await openPglite(path.join(path.resolve(process.env.DATA_DIR ?? './data'), 'db'));
try {
  await migrate(h);
  await loadReferenceData(h.db);
  await createUser(h.db, { system: 'bench' }, {
    login: BENCH_LOGIN, password: BENCH_PASSWORD, role: 'province_officer', fullName: 'Cán bộ tỉnh (bench)',
    email: null, phone: null, locale: 'vi', unitIds: [], producerId: null,
  });
  console.log(JSON.stringify({ ok: true }));
} finally {
  await h.close();
}
