import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, fromDbError, notFound, type FieldError } from '../../lib/errors.js';
import { findEvidenceByIds } from '../evidence/service.js';
import { isActor, recordAudit, type Writer } from '../audit/service.js';
import { assertRegistrableUnit } from '../geo/service.js';
import { findProducerRow } from '../producers/repository.js';
import { canChangePlaceOwner, canReadPlace, canWritePlace } from './policy.js';
import { auditablePlace, presentGrowingArea, presentPackingHouse } from './presenter.js';
import * as repo from './repository.js';
import type { GrowingAreaInput, PackingHouseInput, PlaceLink, PlaceLinkInput, PlaceLinkQuery, PlaceListQuery } from './schema.js';
import type { VerificationInput } from '../identifiers/schema.js';
import type { GrowingAreaRow, PackingHouseRow, VerificationStatus } from './tables.js';
import type { PlaceLinkJoined } from './repository.js';

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

/**
 * Whether a place's code is the producer's own word or an officer's: officers (and the system: seed, imports run by
 * officers) create verified records; a producer's are "declared" until an officer verifies them.
 */
export function verificationOnCreate(writer: Writer): { verificationStatus: VerificationStatus; verifiedBy: string | null; verifiedAt: Date | null } {
  if (isActor(writer) && writer.role === 'producer') return { verificationStatus: 'declared', verifiedBy: null, verifiedAt: null };
  return { verificationStatus: 'verified', verifiedBy: isActor(writer) ? writer.id : null, verifiedAt: new Date() };
}

/** What makes a place's identity: a producer changing any of it sends a verified record back to "declared". */
const IDENTITY_KEYS = ['code', 'issuingAuthority', 'issuedOn', 'validTo', 'gln', 'markets', 'unitId'] as const;
function verificationOnUpdate(writer: Writer, before: GrowingAreaRow | PackingHouseRow, input: GrowingAreaInput | PackingHouseInput) {
  if (!isActor(writer) || writer.role !== 'producer') return {};
  const changed = IDENTITY_KEYS.some((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify((input as Record<string, unknown>)[k] ?? null));
  return changed ? { verificationStatus: 'declared' as const, verifiedBy: null, verifiedAt: null, verificationNote: null } : {};
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
    const row = await repo.insertGrowingArea(tx, { ...areaValues(input), ...verificationOnCreate(writer) });
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
    const after = await repo.updateGrowingArea(tx, id, { ...areaValues(input), ...verificationOnUpdate(writer, before, input) });
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
    const row = await repo.insertPackingHouse(tx, { ...input, ...verificationOnCreate(writer) });
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
    const after = await repo.updatePackingHouse(tx, id, { ...input, ...verificationOnUpdate(writer, before, input) });
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

// Verification (#14.6): officers confirm a declared code and its issuer against the authority's records

/** Officers who may write the place (scope) decide; producers never verify, not even their own places. */
const canVerifyPlace = (a: Actor, p: Place) => a.role !== 'producer' && canWritePlace(a, p);

export async function decideGrowingArea(db: Db, actor: Actor, id: string, input: VerificationInput) {
  return inTx(db, async (tx) => {
    const before = await repo.findGrowingAreaRow(tx, id);
    if (!before) throw notFound(AREA_NOT_FOUND);
    if (!canVerifyPlace(actor, before)) throw forbidden('Chỉ cán bộ phụ trách địa bàn được xác minh mã số vùng trồng');
    await repo.setGrowingAreaVerification(tx, id, { verificationStatus: input.decision, verifiedBy: actor.id, verifiedAt: new Date(), verificationNote: input.note });
    await recordAudit(tx, actor, input.decision === 'verified' ? 'verify' : 'reject', 'growing_area', id, { verificationStatus: before.verificationStatus }, { verificationStatus: input.decision, note: input.note });
    return presentGrowingArea((await repo.findGrowingAreaById(tx, id))!);
  });
}

export async function decidePackingHouse(db: Db, actor: Actor, id: string, input: VerificationInput) {
  return inTx(db, async (tx) => {
    const before = await repo.findPackingHouseRow(tx, id);
    if (!before) throw notFound(HOUSE_NOT_FOUND);
    if (!canVerifyPlace(actor, before)) throw forbidden('Chỉ cán bộ phụ trách địa bàn được xác minh mã số cơ sở đóng gói');
    await repo.setPackingHouseVerification(tx, id, { verificationStatus: input.decision, verifiedBy: actor.id, verifiedAt: new Date(), verificationNote: input.note });
    await recordAudit(tx, actor, input.decision === 'verified' ? 'verify' : 'reject', 'packing_house', id, { verificationStatus: before.verificationStatus }, { verificationStatus: input.decision, note: input.note });
    return presentPackingHouse((await repo.findPackingHouseById(tx, id))!);
  });
}

// Place links: a producer citing a place it does not own (a contract with the owner), verified by an officer

function presentPlaceLink(j: PlaceLinkJoined): PlaceLink {
  const l = j.link;
  return {
    id: l.id, producerId: l.producerId, producerName: j.producerName,
    place: l.growingAreaId ? { kind: 'growing_area', id: l.growingAreaId, code: j.areaCode ?? '' } : { kind: 'packing_house', id: l.packingHouseId!, code: j.houseCode ?? '' },
    evidenceId: l.evidenceId, status: l.status, verifiedAt: l.verifiedAt?.toISOString() ?? null, note: l.note, createdAt: l.createdAt.toISOString(),
  };
}

export async function listPlaceLinks(db: Db, actor: Actor, q: PlaceLinkQuery) {
  const producerId = actor.role === 'producer' ? (actor.producerId ?? '00000000-0000-0000-0000-000000000000') : q.producerId;
  return { items: (await repo.findPlaceLinks(db, { producerId, status: q.status })).map(presentPlaceLink) };
}

/**
 * A producer asks to cite another owner's place, with the contract from its locker; an officer in the place's scope
 * verifies. An officer creating the link (on the producer's behalf, with the contract seen) verifies it at once.
 */
export async function createPlaceLink(db: Db, writer: Writer, input: PlaceLinkInput) {
  if (isActor(writer) && !['admin', 'province_officer', 'commune_officer', 'producer'].includes(writer.role)) throw forbidden();
  const growingAreaId = input.place.kind === 'growing_area' ? input.place.id : null;
  const packingHouseId = input.place.kind === 'packing_house' ? input.place.id : null;
  return inTx(db, async (tx) => {
    const byProducer = isActor(writer) && writer.role === 'producer';
    if (byProducer && (writer as Actor).producerId !== input.producerId) throw forbidden('Chủ thể chỉ được khai báo liên kết của chính mình');
    if (!(await findProducerRow(tx, input.producerId))) throw new AppError('VALIDATION', { errors: [{ path: 'producerId', message: 'Chủ thể không tồn tại' }] });
    const place = growingAreaId ? await repo.findGrowingAreaRow(tx, growingAreaId) : await repo.findPackingHouseRow(tx, packingHouseId!);
    if (!place) throw new AppError('VALIDATION', { errors: [{ path: 'place.id', message: 'Địa điểm không tồn tại' }] });
    if (place.ownerProducerId === input.producerId) throw new AppError('VALIDATION', { detail: 'Địa điểm đã thuộc chủ thể này, không cần liên kết' });
    if (isActor(writer) && !byProducer && !canVerifyPlace(writer, place)) throw forbidden('Địa điểm nằm ngoài phạm vi phụ trách');
    if (byProducer && !input.evidenceId) {
      throw new AppError('VALIDATION', { detail: 'Cần đính kèm hợp đồng với chủ vùng trồng/cơ sở đóng gói (từ kho tài liệu)', errors: [{ path: 'evidenceId', message: 'Chưa chọn hợp đồng' }] });
    }
    if (input.evidenceId) {
      const [ev] = await findEvidenceByIds(tx, [input.evidenceId]);
      if (!ev || ev.producerId !== input.producerId) throw new AppError('VALIDATION', { errors: [{ path: 'evidenceId', message: 'Tài liệu không có trong kho tài liệu của chủ thể' }] });
    }
    const now = !byProducer;
    const row = await repo.insertPlaceLink(tx, {
      producerId: input.producerId, growingAreaId, packingHouseId, evidenceId: input.evidenceId, note: input.note,
      status: now ? 'verified' : 'declared', verifiedAt: now ? new Date() : null, verifiedBy: now && isActor(writer) ? writer.id : null,
      createdBy: isActor(writer) ? writer.id : null,
    });
    await recordAudit(tx, writer, 'create', 'place_link', row.id, null, { producerId: row.producerId, growingAreaId: row.growingAreaId, packingHouseId: row.packingHouseId, status: row.status });
    return presentPlaceLink((await repo.findPlaceLink(tx, row.id))!);
  });
}

export async function decidePlaceLink(db: Db, actor: Actor, id: string, input: VerificationInput) {
  return inTx(db, async (tx) => {
    const j = await repo.findPlaceLink(tx, id);
    if (!j) throw notFound('Không tìm thấy liên kết địa điểm');
    if (actor.role === 'producer') {
      if (actor.producerId !== j.link.producerId) throw notFound('Không tìm thấy liên kết địa điểm');
      throw forbidden('Chủ thể không tự xác minh liên kết địa điểm');
    }
    if (!canVerifyPlace(actor, { unitId: Number(j.placeUnitId), ownerProducerId: null, ownerName: null })) throw forbidden('Địa điểm nằm ngoài phạm vi phụ trách');
    if (j.link.status !== 'declared') throw new AppError('VERIFICATION_STATE', { detail: 'Liên kết đã được xác minh hoặc từ chối trước đó' });
    await repo.decidePlaceLink(tx, id, input.decision, actor.id, input.note);
    await recordAudit(tx, actor, input.decision === 'verified' ? 'verify' : 'reject', 'place_link', id, { status: 'declared' }, { status: input.decision, note: input.note });
    return presentPlaceLink((await repo.findPlaceLink(tx, id))!);
  });
}

/**
 * The places a lot of `producerId` may cite: its own (not rejected by an officer) or others' through a verified link.
 * Returns one field error per place that is not usable (the lots module turns them into a 422).
 */
export async function placeCitationErrors(db: Db, producerId: string, areaIds: string[], houseId: string | null): Promise<FieldError[]> {
  const houseIds = houseId ? [houseId] : [];
  const { areas, houses } = await repo.findPlaceFacts(db, areaIds, houseIds);
  const foreign = [...areas.filter((a) => a.owner !== producerId).map((a) => a.id), ...houses.filter((h) => h.owner !== producerId).map((h) => h.id)];
  const linked = new Set((await repo.findVerifiedLinks(db, producerId, areas.filter((a) => foreign.includes(a.id)).map((a) => a.id), houses.filter((h) => foreign.includes(h.id)).map((h) => h.id)))
    .map((l) => l.growingAreaId ?? l.packingHouseId));
  const errors: FieldError[] = [];
  for (const a of areas) {
    if (a.owner === producerId && a.status === 'rejected') errors.push({ path: 'growingAreaIds', message: `Mã số vùng trồng ${a.code} đã bị cán bộ từ chối xác minh` });
    else if (a.owner !== producerId && !linked.has(a.id)) errors.push({ path: 'growingAreaIds', message: `Vùng trồng ${a.code} không thuộc chủ thể và chưa có hợp đồng liên kết được cán bộ xác minh` });
  }
  for (const h of houses) {
    if (h.owner === producerId && h.status === 'rejected') errors.push({ path: 'packingHouseId', message: `Mã số cơ sở đóng gói ${h.code} đã bị cán bộ từ chối xác minh` });
    else if (h.owner !== producerId && !linked.has(h.id)) errors.push({ path: 'packingHouseId', message: `Cơ sở đóng gói ${h.code} không thuộc chủ thể và chưa có hợp đồng liên kết được cán bộ xác minh` });
  }
  return errors;
}
