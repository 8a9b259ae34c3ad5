import type { Db } from '../../db/client.js';
import type { HistoryNameResolvers } from '../audit/service.js';
import { findCraftVillageRefs } from '../craft-villages/service.js';
import { unitDisplayNames } from '../geo/service.js';
import { findProducerRow } from '../producers/service.js';
import { nodeNames } from '../taxonomy/service.js';

const asNumbers = (ids: string[]) => ids.map(Number).filter((n) => Number.isInteger(n));
const byString = <K>(m: Map<K, string>) => new Map([...m].map(([k, v]) => [String(k), v]));

/** Names of what product and producer histories refer to by id (units, taxonomy leaves, producers, craft villages). */
export function registryHistoryNames(db: Db): HistoryNameResolvers {
  const units = async (ids: string[]) => byString(await unitDisplayNames(db, asNumbers(ids)));
  return {
    unitId: units,
    registeredUnitId: units,
    taxonomyNodeId: async (ids) => byString(await nodeNames(db, asNumbers(ids))),
    producerId: async (ids) => {
      const out = new Map<string, string>();
      for (const id of ids) {
        const p = await findProducerRow(db, id).catch(() => undefined);
        if (p) out.set(id, p.legalName);
      }
      return out;
    },
    craftVillageId: async (ids) => new Map([...(await findCraftVillageRefs(db, ids))].map(([id, v]) => [id, v.name])),
  };
}
