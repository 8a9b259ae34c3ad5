import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/client.js';
import { loadUnitsSeed, type UnitsSeed } from '../modules/geo/service.js';
import { loadTaxonomyMappingSeed, loadTaxonomySeed, type TaxonomySeed } from '../modules/taxonomy/service.js';

export const seedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../seed');
export const readSeed = <T>(rel: string): T => JSON.parse(fs.readFileSync(path.join(seedDir, rel), 'utf8')) as T;

/**
 * Reference data every installation needs (administrative units, product taxonomies). Idempotent: runs at every
 * start and adds only what is missing, so a new decision's data arrives with an upgrade.
 */
export async function loadReferenceData(db: Db) {
  await loadUnitsSeed(db, readSeed<UnitsSeed>('geo/units.json'));
  const added1048 = await loadTaxonomySeed(db, readSeed<TaxonomySeed>('taxonomy/qd-1048.json'));
  const added148 = await loadTaxonomySeed(db, readSeed<TaxonomySeed>('taxonomy/qd-148.json'));
  if (added1048 || added148) await loadTaxonomyMappingSeed(db, readSeed('taxonomy/map-1048-148.json'));
}
