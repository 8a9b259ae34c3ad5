import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPglite, openPostgres } from '../../src/server/db/client.js';
import { migrate } from '../../src/server/db/migrate.js';
import { loadReferenceData } from '../../src/server/seed/reference.js';

export const TEMPLATE_PATH = path.join(os.tmpdir(), `ocop-hub-test-template-${process.pid}.tar`);

/**
 * Once per run: a migrated database with reference data. On PostgreSQL that is the shared test database;
 * on PGlite a dumped template every test file clones (initdb once, not once per file).
 */
export async function setup({ provide }: { provide: (k: string, v: string) => void }) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const h = await openPostgres(url, 2);
    await migrate(h);
    await loadReferenceData(h.db);
    await h.close();
    provide('pgliteTemplate', '');
    return;
  }
  const h = await openPglite(null);
  await migrate(h);
  await loadReferenceData(h.db);
  const blob = await h.dump!();
  fs.writeFileSync(TEMPLATE_PATH, Buffer.from(await blob.arrayBuffer()));
  await h.close();
  provide('pgliteTemplate', TEMPLATE_PATH);
  return () => fs.rmSync(TEMPLATE_PATH, { force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
