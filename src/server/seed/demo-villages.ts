import type { Db } from '../db/client.js';
import { findUnitByNameOn } from '../modules/geo/service.js';
import { loadCraftVillages, type CraftVillageSeed } from '../modules/craft-villages/service.js';
import { readSeed } from './reference.js';

interface VillagesSeed {
  villages: (Omit<CraftVillageSeed, 'unitId' | 'isDemo' | 'decision' | 'recognisedOn' | 'revokedOn'> & { unit: { name: string; asOf: string }; producers: string[] })[];
}

/**
 * Demo craft villages (seed/demo/craft-villages.json, all is_demo: invented around Lục Ngạn's real trades, decisions
 * not checked), through the craft-villages service. Returns demo producer key → village id for the producers' seed.
 */
export async function loadDemoCraftVillages(db: Db): Promise<Map<string, string>> {
  const seed = readSeed<VillagesSeed>('demo/craft-villages.json');
  const rows: CraftVillageSeed[] = [];
  for (const v of seed.villages) {
    const unit = await findUnitByNameOn(db, v.unit.name, v.unit.asOf);
    if (!unit) throw new Error(`demo seed: craft village ${v.name}: unit ${v.unit.name} @${v.unit.asOf} not found`);
    rows.push({ name: v.name, unitId: unit.id, kind: v.kind, craft: v.craft ?? null, decision: null, recognisedOn: null, revokedOn: null, note: v.note ?? null, isDemo: true });
  }
  const ids = await loadCraftVillages(db, rows);
  const byProducer = new Map<string, string>();
  for (const v of seed.villages) for (const key of v.producers) byProducer.set(key, ids.get(v.name)!);
  return byProducer;
}
