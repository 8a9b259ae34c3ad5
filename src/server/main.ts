import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/open.js';
import { acquireDataDirLock } from './lock.js';
import { loadDemoData } from './seed/demo.js';
import { loadReferenceData } from './seed/reference.js';

/** Boot: config → lock → db → migrate → reference data → demo data if empty → listen. */
async function main() {
  const started = Date.now();
  const config = loadConfig();
  // Only the embedded database needs the single-process lock; PostgreSQL serves many app processes.
  const release = config.databaseUrl ? () => undefined : acquireDataDirLock(config.dataDir);
  const dbh = await openDatabase(config);
  await loadReferenceData(dbh.db);
  if (config.seedDemo && (await loadDemoData(dbh.db))) console.log('Đã nạp dữ liệu mẫu Lục Ngạn (demo data loaded).');
  const app = await buildApp({ config, dbh });
  await app.listen({ port: config.port, host: config.host });
  app.log.info({ ms: Date.now() - started, db: dbh.kind, dataDir: config.databaseUrl ? undefined : config.dataDir }, 'OCOP Hub ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    await app.close();
    await dbh.close();
    release();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
