import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, fromDbError, notFound } from '../../lib/errors.js';
import { isActor, recordAudit, type Writer } from '../audit/service.js';
import { assertRegistrableUnit } from '../geo/service.js';
import { findProducerRow } from '../producers/repository.js';
import { canChangePlaceOwner, canReadPlace, canWritePlace } from './policy.js';
import { auditablePlace, presentGrowingArea, presentPackingHouse } from './presenter.js';
import * as repo from './repository.js';
import type { GrowingAreaInput, PackingHouseInput, PlaceListQuery } from './schema.js';

type Place = { unitId: number; ownerProducerId: string | null; ownerName: string | null };

const AREA_NOT_FOUND = 'Không tìm thấy vùng trồng';
const HOUSE_NOT_FOUND = 'Không tìm thấy cơ sở đóng gói';

/** Who may write, checked on the record as it is and as it will be; then the references the record points to. */
async function checkPlaceWrite(tx: Db, writer: Writer, before: Place | null, after: Place) {
  if (isActor(writer)) {
    if (before && !canWritePlace(writer, before)) throw forbidden();
    const ownerChanged = before && (before.ownerProducerId !== after.ownerProducerId || before.ownerName !== after.ownerName);
    if (ownerChanged && !canChangePlaceOwner(writer)) throw forbidden('Chỉ cán bộ được đổi chủ sở hữu của vùng trồng/cơ sở đóng gói');
    if (!canWritePlace(writer, after)) {
      throw forbidden(writer.role === 'producer' ? 'Chủ thể chỉ được khai báo địa điểm của chính mình' : 'Đơn vị hành chính nằm ngoài phạm vi phụ trách');
    }
  }
  if (!before || before.unitId !== after.unitId) await assertRegistrableUnit(tx, after.unitId);
  if (after.ownerProducerId && after.ownerProducerId !== before?.ownerProducerId && !(await findProducerRow(tx, after.ownerProducerId))) {
    throw new AppError('VALIDATION', { errors: [{ path: 'ownerProducerId', message: 'Chủ thể không tồn tại' }] });
  }
}

async function inTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(fn);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

const ownOnly = (actor: Actor) => (actor.role === 'producer' ? (actor.producerId ?? '00000000-0000-0000-0000-000000000000') : undefined);

// Growing areas

export async function findGrowingAreas(db: Db, actor: Actor, q: PlaceListQuery) {
  const { items, total, totalCapped } = await repo.findGrowingAreas(db, q, ownOnly(actor));
  return { items: items.map(presentGrowingArea), total, totalCapped, page: q.page, pageSize: q.pageSize };
}

/**
 * The growing areas registered under any of the units, for a map (other modules call this, never the tables): a
 * producer user gets only its own. Capped; `truncated` says when there were more.
 */
export async function listGrowingAreasInUnits(db: Db, actor: Actor, unitIds: number[], limit = 5000) {
  const rows = await repo.findGrowingAreasInUnits(db, unitIds, limit + 1, ownOnly(actor));
  return { items: rows.slice(0, limit).map(presentGrowingArea), truncated: rows.length > limit };
}

export async function getGrowingAreaFor(db: Db, actor: Actor, id: string) {
  const j = await repo.findGrowingAreaById(db, id);
  if (!j) throw notFound(AREA_NOT_FOUND);
  if (!canReadPlace(actor, j.area)) throw forbidden();
  return presentGrowingArea(j);
}

const areaValues = (i: GrowingAreaInput) => ({ ...i, areaHa: i.areaHa.toFixed(2) });

export async function createGrowingArea(db: Db, writer: Writer, input: GrowingAreaInput) {
  return inTx(db, async (tx) => {
    await checkPlaceWrite(tx, writer, null, input);
    const row = await repo.insertGrowingArea(tx, areaValues(input));
    await recordAudit(tx, writer, 'create', 'growing_area', row.id, null, auditablePlace(row));
    return presentGrowingArea((await repo.findGrowingAreaById(tx, row.id))!);
  });
}

export async function updateGrowingArea(db: Db, writer: Writer, id: string, version: number, input: GrowingAreaInput) {
  return inTx(db, async (tx) => {
    const before = await repo.findGrowingAreaRow(tx, id);
    if (!before) throw notFound(AREA_NOT_FOUND);
    await checkPlaceWrite(tx, writer, before, input);
    if (before.version !== version) throw new AppError('VERSION_CONFLICT');
    const after = await repo.updateGrowingArea(tx, id, areaValues(input));
    await recordAudit(tx, writer, 'update', 'growing_area', id, auditablePlace(before), auditablePlace(after));
    return presentGrowingArea((await repo.findGrowingAreaById(tx, id))!);
  });
}

export async function deleteGrowingArea(db: Db, writer: Writer, id: string) {
  return inTx(db, async (tx) => {
    const before = await repo.findGrowingAreaRow(tx, id);
    if (!before) throw notFound(AREA_NOT_FOUND);
    if (isActor(writer) && !canWritePlace(writer, before)) throw forbidden();
    await repo.deleteGrowingArea(tx, id);
    await recordAudit(tx, writer, 'delete', 'growing_area', id, auditablePlace(before), null);
    return { ok: true as const };
  });
}

// Packing houses

export async function findPackingHouses(db: Db, actor: Actor, q: PlaceListQuery) {
  const { items, total, totalCapped } = await repo.findPackingHouses(db, q, ownOnly(actor));
  return { items: items.map(presentPackingHouse), total, totalCapped, page: q.page, pageSize: q.pageSize };
}

export async function getPackingHouseFor(db: Db, actor: Actor, id: string) {
  const j = await repo.findPackingHouseById(db, id);
  if (!j) throw notFound(HOUSE_NOT_FOUND);
  if (!canReadPlace(actor, j.house)) throw forbidden();
  return presentPackingHouse(j);
}

export async function createPackingHouse(db: Db, writer: Writer, input: PackingHouseInput) {
  return inTx(db, async (tx) => {
    await checkPlaceWrite(tx, writer, null, input);
    const row = await repo.insertPackingHouse(tx, input);
    await recordAudit(tx, writer, 'create', 'packing_house', row.id, null, auditablePlace(row));
    return presentPackingHouse((await repo.findPackingHouseById(tx, row.id))!);
  });
}

export async function updatePackingHouse(db: Db, writer: Writer, id: string, version: number, input: PackingHouseInput) {
  return inTx(db, async (tx) => {
    const before = await repo.findPackingHouseRow(tx, id);
    if (!before) throw notFound(HOUSE_NOT_FOUND);
    await checkPlaceWrite(tx, writer, before, input);
    if (before.version !== version) throw new AppError('VERSION_CONFLICT');
    const after = await repo.updatePackingHouse(tx, id, input);
    await recordAudit(tx, writer, 'update', 'packing_house', id, auditablePlace(before), auditablePlace(after));
    return presentPackingHouse((await repo.findPackingHouseById(tx, id))!);
  });
}

export async function deletePackingHouse(db: Db, writer: Writer, id: string) {
  return inTx(db, async (tx) => {
    const before = await repo.findPackingHouseRow(tx, id);
    if (!before) throw notFound(HOUSE_NOT_FOUND);
    if (isActor(writer) && !canWritePlace(writer, before)) throw forbidden();
    await repo.deletePackingHouse(tx, id);
    await recordAudit(tx, writer, 'delete', 'packing_house', id, auditablePlace(before), null);
    return { ok: true as const };
  });
}
