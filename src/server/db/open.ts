import type { Config } from '../config.js';
import { openPglite, openPostgres, type DbHandle } from './client.js';
import { migrate } from './migrate.js';

export async function openDatabase(config: Config): Promise<DbHandle> {
  const h = config.databaseUrl ? await openPostgres(config.databaseUrl) : await openPglite(config.dbDir);
  await migrate(h);
  return h;
}
