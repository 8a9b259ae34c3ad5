/** Craft villages (làng nghề) as reference data (#11): a producer belongs to one; the programme counts them. */
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, fromDbError, notFound } from '../../lib/errors.js';
import { isActor, recordAudit, type Writer } from '../audit/service.js';
import { assertRegistrableUnit } from '../geo/service.js';
import { canManageCraftVillages } from './policy.js';
import * as repo from './repository.js';
import type { CraftVillage, CraftVillageInput, CraftVillageListQuery } from './schema.js';

function present(actor: Actor | null, r: repo.CraftVillageListRow): CraftVillage {
  return {
    id: r.id, name: r.name, unit: { id: Number(r.unitId), name: r.unitName, type: r.unitType }, kind: r.kind as CraftVillage['kind'], craft: r.craft,
    decision: r.decision, recognisedOn: r.recognisedOn, revokedOn: r.revokedOn, note: r.note, isDemo: Boolean(r.isDemo), producerCount: Number(r.producerCount),
    version: Number(r.version), canEdit: actor ? canManageCraftVillages(actor) : false,
  };
}

export async function listCraftVillages(db: Db, actor: Actor, q: CraftVillageListQuery) {
  const rows = await repo.findCraftVillages(db, q);
  return { items: rows.map((r) => present(actor, r)), canManage: canManageCraftVillages(actor) };
}

export async function getCraftVillage(db: Db, actor: Actor | null, id: string) {
  const r = await repo.findCraftVillageById(db, id);
  if (!r) throw notFound('Không tìm thấy làng nghề');
  return present(actor, r);
}

const assertManage = (w: Writer) => {
  if (isActor(w) && !canManageCraftVillages(w)) throw forbidden('Chỉ cán bộ cấp tỉnh quản lý danh mục làng nghề');
};

async function checkInput(tx: Db, input: CraftVillageInput, selfId: string | null) {
  await assertRegistrableUnit(tx, input.unitId);
  const same = await repo.findCraftVillageByName(tx, input.unitId, input.name);
  if (same && same.id !== selfId) throw new AppError('VALIDATION', { errors: [{ path: 'name', message: 'Xã này đã có làng nghề cùng tên' }] });
}

const auditable = (v: CraftVillageInput) => ({ ...v });

export async function createCraftVillage(db: Db, writer: Writer, input: CraftVillageInput) {
  assertManage(writer);
  try {
    const id = await db.transaction(async (tx) => {
      await checkInput(tx, input, null);
      const row = await repo.insertCraftVillage(tx, input);
      await recordAudit(tx, writer, 'create', 'craft_village', row.id, null, auditable(input));
      return row.id;
    });
    return getCraftVillage(db, isActor(writer) ? writer : null, id);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

export async function updateCraftVillage(db: Db, actor: Actor, id: string, version: number, input: CraftVillageInput) {
  assertManage(actor);
  try {
    await db.transaction(async (tx) => {
      const before = await repo.findCraftVillageRow(tx, id);
      if (!before) throw notFound('Không tìm thấy làng nghề');
      await checkInput(tx, input, id);
      const updated = await repo.updateCraftVillageRow(tx, id, version, input);
      if (!updated) throw new AppError('VERSION_CONFLICT');
      const prev: CraftVillageInput = {
        name: before.name, unitId: before.unitId, kind: before.kind as CraftVillageInput['kind'], craft: before.craft, decision: before.decision,
        recognisedOn: before.recognisedOn, revokedOn: before.revokedOn, note: before.note, isDemo: before.isDemo,
      };
      await recordAudit(tx, actor, 'update', 'craft_village', id, auditable(prev), auditable(input));
    });
    return getCraftVillage(db, actor, id);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

/** For the producers module: the village a producer is put in must exist. */
export const findCraftVillageRow = repo.findCraftVillageRow;

/** For the producers module: names of villages by id (one query for a page of producers). */
export async function findCraftVillageRefs(db: Db, ids: (string | null)[]) {
  const rows = await repo.findCraftVillageRefs(db, [...new Set(ids.filter((x): x is string => x !== null))]);
  return new Map(rows.map((r) => [r.id, r]));
}

// ─── Seed ───

export interface CraftVillageSeed extends Omit<CraftVillageInput, 'unitId'> { unitId: number }

/** Demo/reference villages by (unit, name), once: later edits by officers are never overwritten. Returns name → id. */
export async function loadCraftVillages(db: Db, seeds: CraftVillageSeed[]) {
  const ids = new Map<string, string>();
  for (const s of seeds) {
    const existing = await repo.findCraftVillageByName(db, s.unitId, s.name);
    ids.set(s.name, existing ? existing.id : (await createCraftVillage(db, { system: 'seed' }, s)).id);
  }
  return ids;
}
