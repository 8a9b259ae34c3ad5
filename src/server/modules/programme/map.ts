/**
 * What the commune map of a plan shows (#11 item 4), without geometry (boundaries come from geo, cached): per commune of
 * the plan's area on the date — the same communes and the same definitions as the panel's table by commune, so the
 * map and the table agree — recognised products and key products (with their names), and the growing areas
 * registered there (from the trace module's service), as points and polygons.
 */
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { todayInVietnam } from '../../../shared/certificate-dates.js';
import { listUnits } from '../geo/service.js';
import { listGrowingAreasInUnits } from '../trace/service.js';
import { ZGeoLocation } from '../trace/schema.js';
import { communeOn, INDICATOR_BY_CODE } from './indicators.js';
import {
  assertRead, communesOn, evaluate, factsFor, loadPlan, minDate, presentIndicator, productsByCommune, unitsOfCommune, yearEnd,
} from './service.js';

export const ZPlanMapQuery = z.object({ asOf: z.iso.date().optional() });

export const ZPlanMap = z.object({
  asOf: z.string(),
  scope: z.enum(['area', 'communes']),
  indicators: z.object({ recognised: z.object({ code: z.string(), name: z.string(), rule: z.string() }), keyProducts: z.object({ code: z.string(), name: z.string(), rule: z.string() }) }),
  communes: z.array(z.object({
    unitId: z.number().int(), code: z.string().nullable(), name: z.string(), type: z.string(), parentId: z.number().int().nullable(),
    recognised: z.number(), keyProducts: z.number(), keyProductNames: z.array(z.string()), growingAreas: z.number().int(),
  })),
  /** The level-1 units the communes belong to: whose commune boundaries the map loads. */
  provinces: z.array(z.object({ unitId: z.number().int(), name: z.string() })),
  growingAreas: z.array(z.object({
    id: z.string(), code: z.string(), crop: z.string(), areaHa: z.number(), households: z.number().int().nullable(), ownerName: z.string().nullable(),
    unitId: z.number().int(), unitName: z.string(), communeUnitId: z.number().int().nullable(), location: ZGeoLocation.nullable(),
  })),
  growingAreasTruncated: z.boolean(),
});
export type PlanMap = z.infer<typeof ZPlanMap>;

const RECOGNISED = 'products_recognised';
const KEY = 'key_products';

export async function getPlanMap(db: Db, actor: Actor, planId: string, q: { asOf?: string }): Promise<PlanMap> {
  assertRead(actor);
  const plan = await loadPlan(db, planId);
  const { facts, productIds, unitIds } = await factsFor(db, actor, plan);
  const periodStart = `${plan.periodFrom}-01-01`;
  const asOf = minDate(q.asOf ?? todayInVietnam(), yearEnd(plan.periodTo));
  const byCommune = productsByCommune(facts, asOf, productIds);
  // The panel's rule: a commune officer sees the communes where their products are, and their own communes.
  const visible = communesOn(facts, asOf).filter((c) => !productIds || byCommune.has(c.id) || actor.scopeUnitIds.has(c.id));
  const recognisedDef = INDICATOR_BY_CODE.get(RECOGNISED)!;
  const keyDef = INDICATOR_BY_CODE.get(KEY)!;

  const units = new Map((await listUnits(db, { ids: visible.map((c) => c.id) })).map((u) => [u.id, u]));
  const parentIds = [...new Set([...units.values()].map((u) => u.parentId).filter((x): x is number => x !== null))];
  const provinces = (await listUnits(db, { ids: parentIds })).filter((u) => u.level === 1);

  // Growing areas registered under any unit of the area (old units too), attributed to the commune they are in today.
  const areaUnitIds = facts.units.map((u) => u.id).filter((id) => !unitIds || unitIds.has(id));
  const areas = await listGrowingAreasInUnits(db, actor, areaUnitIds);
  const visibleIds = new Set(visible.map((c) => c.id));
  const growingAreas = areas.items.map((a) => {
    const commune = communeOn(facts, a.unit.id, asOf);
    return {
      id: a.id, code: a.code, crop: a.crop, areaHa: a.areaHa, households: a.households, ownerName: a.owner.producerName ?? a.owner.name,
      unitId: a.unit.id, unitName: a.unit.name, communeUnitId: visibleIds.has(commune) ? commune : null, location: a.location,
    };
  });

  const communes = visible.map((c) => {
    const narrow = { productIds: byCommune.get(c.id) ?? new Set<string>(), unitIds: unitsOfCommune(facts, c.id, asOf) };
    const recognised = evaluate(recognisedDef, facts, asOf, periodStart, narrow)!;
    const key = evaluate(keyDef, facts, asOf, periodStart, narrow)!;
    const u = units.get(c.id);
    return {
      unitId: c.id, code: u?.code ?? null, name: c.name, type: c.type, parentId: u?.parentId ?? c.parentId,
      recognised: recognised.value, keyProducts: key.value, keyProductNames: key.records.map((r) => r.productName ?? r.label),
      growingAreas: growingAreas.filter((a) => a.communeUnitId === c.id).length,
    };
  });
  const ind = (code: string) => { const d = presentIndicator(INDICATOR_BY_CODE.get(code), code, actor); return { code, name: d.name, rule: d.rule }; };
  return {
    asOf, scope: productIds ? 'communes' : 'area', indicators: { recognised: ind(RECOGNISED), keyProducts: ind(KEY) },
    communes, provinces: provinces.map((p) => ({ unitId: p.id, name: p.name })), growingAreas, growingAreasTruncated: areas.truncated,
  };
}
