import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { announceChange } from '../../lib/changes.js';
import { AppError, forbidden, fromDbError, notFound, type FieldError } from '../../lib/errors.js';
import { checkGtin, checkLot, gtinCheckDigit, toGtin14 } from '../../../shared/gs1.js';
import {
  epcisDocument, fromEpcisEvent, isSscc, toEpcisEvent,
  type EventType, type Json, type LotIdentity, type LotLine, type LotRole, type Place, type PlatformEvent, type ReadEvent,
} from '../../../shared/epcis.js';
import { isActor, recordAudit, type Writer } from '../audit/service.js';
import { findProductRow } from '../products/service.js';
import { placeCitationErrors } from '../trace/service.js';
import { canReadLot, canWriteLot, mayWriteLots, type LotScope } from './policy.js';
import { insertCorrection, withCorrections, withDeclarations } from './corrections.js';
import { addEventFacts, PartyRefused, PlaceNotFound } from './epcis-export.js';
import { eventHashId } from './epcis-hash.js';
import { auditableLot, presentEvent, presentLot } from './presenter.js';
import * as repo from './repository.js';
import type { DeclareEventWrong, EpcisRangeQuery, LotInput, LotListQuery, TraceEventInput } from './schema.js';
import type { LotRow } from './tables.js';
import { asciiFileName } from '../../../shared/text.js';

const LOT_NOT_FOUND = 'Không tìm thấy lô';

/** After commit: tells this process's caches (the public scan pages) that these lots' pages changed (lib/changes.ts). */
export const announced = (lots: string[]) => <T>(result: T): T => {
  announceChange({ lots });
  return result;
};
/** An event may be recorded up to a day ahead (clock skew, time zones); beyond that it is a typo. */
const MAX_FUTURE_MS = 24 * 3600 * 1000;

/** A 422 problem: the input is well-formed but breaks a rule (GS1 check digits, unknown references, EPCIS errors). */
export function unprocessable(errors: FieldError[] | object[], detail?: string, code: 'TRACE_INVALID' | 'EPCIS_INVALID' = 'TRACE_INVALID'): AppError {
  return new AppError(code, { errors: errors as FieldError[], detail });
}
/** A 409 problem with a message of its own (a lot number or event id already used). */
function conflict(detail: string, path: string): AppError {
  return new AppError('DUPLICATE_LOT_NUMBER', { detail, errors: [{ path, message: detail }] });
}

export async function inTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(fn);
  } catch (err) {
    const e = err as { code?: string; constraint?: string; constraint_name?: string; cause?: { code?: string; constraint?: string } };
    const constraint = e?.constraint ?? e?.constraint_name ?? e?.cause?.constraint ?? '';
    if ((e?.code ?? e?.cause?.code) === '23505' && constraint.includes('lots_product_number')) {
      throw conflict('Sản phẩm đã có lô mang số này', 'lotNumber');
    }
    if ((e?.code ?? e?.cause?.code) === '23505' && constraint.includes('trace_events_event_id')) {
      throw conflict('Sự kiện (eventID) đã được ghi trước đó', 'eventId');
    }
    throw fromDbError(err) ?? err;
  }
}

/** What an actor may read, as the repository's filter (null = everything). */
export function readFilterOf(actor: Actor): repo.ReadFilter {
  if (actor.role === 'producer') return { producerId: actor.producerId ?? '00000000-0000-0000-0000-000000000000' };
  if (actor.role === 'commune_officer') return { unitIds: [...actor.scopeUnitIds] };
  return null;
}

const scopeOf = (l: { lot: LotRow; registeredUnitId: number }): LotScope => ({ producerId: l.lot.producerId, registeredUnitId: Number(l.registeredUnitId) });
const identityOf = (l: LotRow): LotIdentity => ({ id: l.id, gtin: l.gtin, lotNumber: l.lotNumber });

// ─── Lots ───────────────────────────────────────────────────────────────────────────────────────────────────────

export async function findLots(db: Db, actor: Actor, q: LotListQuery) {
  const { items, total, totalCapped } = await repo.findLots(db, q, readFilterOf(actor));
  return { items: items.map(presentLot), total, totalCapped, page: q.page, pageSize: q.pageSize };
}

async function readableLot(db: Db, actor: Actor, id: string) {
  const j = await repo.findLotJoined(db, id);
  if (!j) throw notFound(LOT_NOT_FOUND);
  if (!canReadLot(actor, { producerId: j.lot.producerId, registeredUnitId: j.registeredUnitId })) throw forbidden();
  return j;
}

export async function getLotFor(db: Db, actor: Actor, id: string) {
  return presentLot(await readableLot(db, actor, id));
}

/** GS1 rules the zod schema cannot say with a 422: lot number (AI 10) and GTIN with its check digit (a GTIN sent
 *  with a lot is only compared with the product's: the GTIN belongs to the product, see lotGtin). */
function checkGs1(input: LotInput): { gtin: string | null } {
  const errors: FieldError[] = [];
  const lot = checkLot(input.lotNumber);
  if (!lot.ok) errors.push({ path: 'lotNumber', message: lot.message });
  let gtin: string | null = null;
  if (input.gtin !== null) {
    const g = checkGtin(input.gtin);
    if (!g.ok && g.code === 'gtin_check_digit') {
      const body = input.gtin.slice(0, -1);
      const expected = gtinCheckDigit(body);
      const digit = expected.ok ? expected.value : '?';
      errors.push({ path: 'gtin', message: `Mã GTIN sai số kiểm tra: chữ số cuối phải là ${digit} (mã đúng: ${body}${digit}), không phải ${input.gtin.slice(-1)}` });
    } else if (!g.ok) {
      errors.push({ path: 'gtin', message: g.message });
    } else {
      gtin = (toGtin14(g.value) as { ok: true; value: string }).value;
    }
  }
  if (errors.length) throw unprocessable(errors, errors.map((e) => e.message).join('; '));
  return { gtin };
}

/** References a lot points to: the product (and through it the producer and the commune scope), places. */
async function checkLotInput(tx: Db, writer: Writer, input: LotInput, before: LotRow | null) {
  const { gtin: sentGtin } = checkGs1(input);
  const product = await findProductRow(tx, input.productId);
  if (!product) throw unprocessable([{ path: 'productId', message: 'Sản phẩm không tồn tại' }], 'Sản phẩm không tồn tại');
  if (isActor(writer) && !canWriteLot(writer, { producerId: product.producerId, registeredUnitId: product.registeredUnitId })) {
    throw forbidden(writer.role === 'producer' ? 'Chủ thể chỉ được khai báo lô cho sản phẩm của mình' : 'Sản phẩm nằm ngoài phạm vi phụ trách');
  }
  const gtin = lotGtin(sentGtin, product, before);
  const errors: FieldError[] = [];
  const areas = await repo.findGrowingAreasByIds(tx, input.growingAreaIds);
  if (areas.length !== input.growingAreaIds.length) errors.push({ path: 'growingAreaIds', message: 'Có vùng trồng không tồn tại' });
  if (input.packingHouseId && !(await repo.findPackingHouseById(tx, input.packingHouseId))) {
    errors.push({ path: 'packingHouseId', message: 'Cơ sở đóng gói không tồn tại' });
  }
  if (errors.length) throw unprocessable(errors, errors.map((e) => e.message).join('; '));
  // #14.6: only the producer's own places, or others' through a contract an officer verified.
  const placeErrors = await placeCitationErrors(tx, product.producerId, input.growingAreaIds, input.packingHouseId);
  if (placeErrors.length) throw new AppError('PLACE_NOT_USABLE', { errors: placeErrors, detail: placeErrors.map((e) => e.message).join('; ') });
  const same = await repo.findLotByProductAndNumber(tx, input.productId, input.lotNumber);
  if (same && same.id !== before?.id) throw conflict(`Sản phẩm đã có lô số ${input.lotNumber}; hãy dùng số lô khác`, 'lotNumber');
  if (gtin) {
    const other = (await repo.findLotScopesByGtinLot(tx, [{ gtin, lotNumber: input.lotNumber }])).find((l) => l.lot.id !== before?.id);
    if (other) throw conflict(`GTIN ${gtin} với số lô ${input.lotNumber} đã dùng cho lô của sản phẩm "${other.productName}"`, 'lotNumber');
  }
  return { product, gtin };
}

/**
 * The GTIN a lot carries is its product's (#14.2): a GTIN sent with the lot must be the product's, and a lot of a
 * product without a GTIN has none. A lot keeps the GTIN it was made with (printed stamps and recorded events carry
 * it) while its product stays the same, even if the product's GTIN changed later.
 */
function lotGtin(sent: string | null, product: { id: string; gtin: string | null; name: string }, before: LotRow | null): string | null {
  const kept = before && before.productId === product.id && before.gtin ? before.gtin : null;
  if (sent !== null) {
    if (sent === product.gtin || sent === kept) return sent;
    const message = product.gtin
      ? `GTIN của lô phải là GTIN của sản phẩm "${product.name}" (${product.gtin}), không phải ${sent}`
      : `Sản phẩm "${product.name}" chưa có GTIN: khai báo GTIN ở sản phẩm (thuộc mã doanh nghiệp GS1 của chủ thể) trước khi ghi vào lô`;
    throw unprocessable([{ path: 'gtin', message }], message);
  }
  return kept ?? product.gtin;
}

function lotValues(input: LotInput, gtin: string | null, producerId: string) {
  return {
    productId: input.productId,
    producerId,
    lotNumber: input.lotNumber,
    gtin,
    producedOn: input.producedOn,
    quantity: input.quantity.toFixed(3),
    quantityUnit: input.quantityUnit,
    bestBefore: input.bestBefore,
    packingHouseId: input.packingHouseId,
    notes: input.notes,
  };
}

export async function createLot(db: Db, writer: Writer, input: LotInput) {
  if (isActor(writer) && !mayWriteLots(writer)) throw forbidden();
  return inTx(db, async (tx) => {
    const { product, gtin } = await checkLotInput(tx, writer, input, null);
    const row = await repo.insertLot(tx, { ...lotValues(input, gtin, product.producerId), createdBy: isActor(writer) ? writer.id : null });
    await repo.replaceLotGrowingAreas(tx, row.id, input.growingAreaIds);
    await recordAudit(tx, writer, 'create', 'lot', row.id, null, auditableLot(row, input.growingAreaIds));
    return presentLot((await repo.findLotJoined(tx, row.id))!);
  });
}

export async function updateLot(db: Db, writer: Writer, id: string, version: number, input: LotInput) {
  if (isActor(writer) && !mayWriteLots(writer)) throw forbidden();
  return inTx(db, async (tx) => {
    const before = (await repo.findLotScopes(tx, [id]))[0];
    if (!before) throw notFound(LOT_NOT_FOUND);
    if (isActor(writer) && !canWriteLot(writer, scopeOf(before))) throw forbidden();
    const { product, gtin } = await checkLotInput(tx, writer, input, before.lot);
    if (before.lot.version !== version) throw new AppError('VERSION_CONFLICT');
    const identityChanged = before.lot.productId !== input.productId || before.lot.lotNumber !== input.lotNumber || before.lot.gtin !== gtin;
    if (identityChanged) {
      const usage = await repo.lotUsage(tx, id);
      if (usage.events || usage.stamps) {
        throw new AppError('IN_USE', { detail: 'Lô đã có sự kiện truy xuất hoặc tem: không được đổi sản phẩm, số lô hay GTIN (các sự kiện và tem đã in mang định danh này)' });
      }
    }
    const beforeAreas = await repo.findLotGrowingAreaIds(tx, id);
    const after = await repo.updateLot(tx, id, lotValues(input, gtin, product.producerId));
    await repo.replaceLotGrowingAreas(tx, id, input.growingAreaIds);
    await recordAudit(tx, writer, 'update', 'lot', id, auditableLot(before.lot, beforeAreas), auditableLot(after, input.growingAreaIds));
    return presentLot((await repo.findLotJoined(tx, id))!);
  }).then(announced([id]));
}

export async function deleteLot(db: Db, writer: Writer, id: string) {
  return inTx(db, async (tx) => {
    const before = (await repo.findLotScopes(tx, [id]))[0];
    if (!before) throw notFound(LOT_NOT_FOUND);
    if (isActor(writer) && !canWriteLot(writer, scopeOf(before))) throw forbidden();
    const usage = await repo.lotUsage(tx, id);
    if (usage.events || usage.stamps) {
      throw new AppError('IN_USE', { detail: `Lô đã có ${usage.events} sự kiện và ${usage.stamps} dải tem: không xoá được` });
    }
    const areas = await repo.findLotGrowingAreaIds(tx, id);
    await repo.deleteLot(tx, id);
    await recordAudit(tx, writer, 'delete', 'lot', id, auditableLot(before.lot, areas), null);
    return { ok: true as const };
  }).then(announced([id]));
}

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────────────

export type RecordOptions = { publicBaseUrl: string; source?: 'form' | 'api'; now?: Date };

export type ResolvedLine = { lotId: string; role: LotRole; quantity: number | null; uom: string | null };

/** Writes one event row, its lot links and the audit entry (inside the caller's transaction). */
export async function storeEvent(tx: Db, writer: Writer, document: Json, read: ReadEvent, eventId: string, lines: ResolvedLine[], source: 'form' | 'api' | 'import', hashId: string | null = null) {
  const row = await repo.insertEvent(tx, {
    eventId,
    hashId,
    type: read.type as EventType,
    action: read.action,
    kind: read.kind,
    eventTime: new Date(read.eventTime),
    eventTz: read.eventTz,
    bizStep: read.bizStep,
    disposition: read.disposition,
    readPoint: read.readPoint,
    bizLocation: read.bizLocation,
    document,
    source,
    recordedBy: isActor(writer) ? writer.id : null,
  });
  // One link per lot and role; repeated mentions add up when their units agree.
  const merged = new Map<string, ResolvedLine>();
  for (const l of lines) {
    const key = `${l.lotId}/${l.role}`;
    const prev = merged.get(key);
    if (!prev) merged.set(key, { ...l });
    else if (prev.quantity !== null && l.quantity !== null && prev.uom === l.uom) prev.quantity += l.quantity;
  }
  await repo.insertEventLots(tx, [...merged.values()].map((l) => ({
    eventId: row.id, lotId: l.lotId, role: l.role, quantity: l.quantity === null ? null : l.quantity.toFixed(3), uom: l.uom,
  })));
  await recordAudit(tx, writer, 'create', 'trace_event', row.id, null, { eventId, kind: read.kind, source, lots: [...merged.values()].map((l) => `${l.role}:${l.lotId}`) });
  return row;
}

export function futureCheck(eventTime: string, now: Date): string | null {
  return Date.parse(eventTime) > now.getTime() + MAX_FUTURE_MS ? 'Thời điểm sự kiện ở tương lai (quá 1 ngày so với hiện tại)' : null;
}

/** The lots an event form names, with who may write them. */
function lotIdsOf(input: TraceEventInput): string[] {
  if (input.kind === 'processing') return [...input.inputs.map((i) => i.lotId), input.outputLotId];
  return [input.lotId];
}

/**
 * Records one event from a form or the API: checks the lots (existence, who may write), builds the EPCIS 2.0 event
 * with shared/epcis.ts and stores it with its lot links, in one transaction. Returns the event as the journey shows it.
 */
export async function recordEvent(db: Db, writer: Writer, input: TraceEventInput, opts: RecordOptions) {
  if (isActor(writer) && !mayWriteLots(writer)) throw forbidden();
  const now = opts.now ?? new Date();
  const future = futureCheck(input.eventTime, now);
  if (future) throw unprocessable([{ path: 'eventTime', message: future }], future);
  return inTx(db, async (tx) => {
    const ids = lotIdsOf(input);
    const scopes = await repo.findLotScopes(tx, [...new Set(ids)]);
    const byId = new Map(scopes.map((s) => [s.lot.id, s]));
    for (const id of ids) if (!byId.has(id)) throw notFound(LOT_NOT_FOUND);
    if (isActor(writer)) {
      for (const s of scopes) {
        if (!canWriteLot(writer, scopeOf(s))) {
          throw forbidden(writer.role === 'producer' ? `Chủ thể chỉ được ghi sự kiện cho lô của mình (lô ${s.lot.lotNumber})` : `Lô ${s.lot.lotNumber} nằm ngoài phạm vi phụ trách`);
        }
      }
    }
    const lotOf = (id: string) => byId.get(id)!.lot;
    const whole = (l: LotRow, role: LotRole): LotLine => ({ lot: identityOf(l), role, quantity: Number(l.quantity), uom: l.quantityUnit });
    const partial = (l: LotRow, role: LotRole, q: number | null | undefined): LotLine => ({ lot: identityOf(l), role, quantity: q ?? null, uom: q ? l.quantityUnit : null });
    const housePlace = async (id: string | null | undefined): Promise<Place | null> => {
      if (!id) return null;
      const h = await repo.findPackingHouseById(tx, id);
      if (!h) throw unprocessable([{ path: 'packingHouseId', message: 'Cơ sở đóng gói không tồn tại' }], 'Cơ sở đóng gói không tồn tại');
      return { kind: 'packing_house', code: h.code };
    };

    const eventId = 'pending'; // replaced by the event's hash ID once built
    let e: PlatformEvent;
    switch (input.kind) {
      case 'harvest': {
        const lot = lotOf(input.lotId);
        const areaIds = input.growingAreaIds ?? (await repo.findLotGrowingAreaIds(tx, lot.id));
        const areas = await repo.findGrowingAreasByIds(tx, [...new Set(areaIds)]);
        if (areas.length !== new Set(areaIds).size) throw unprocessable([{ path: 'growingAreaIds', message: 'Có vùng trồng không tồn tại' }], 'Có vùng trồng không tồn tại');
        const codes = areas.map((a) => a.code);
        e = {
          eventId, kind: 'harvest', eventTime: input.eventTime, lots: [whole(lot, 'subject')],
          place: codes.length ? { kind: 'growing_area', code: codes[0] } : null,
          ilmd: { bestBefore: lot.bestBefore, countryOfOrigin: 'VN', growingAreaCodes: codes },
          note: input.note ?? null,
        };
        break;
      }
      case 'processing': {
        const inputIds = input.inputs.map((i) => i.lotId);
        if (new Set(inputIds).size !== inputIds.length) throw unprocessable([{ path: 'inputs', message: 'Một lô nguyên liệu được chọn hai lần' }], 'Một lô nguyên liệu được chọn hai lần');
        if (inputIds.includes(input.outputLotId)) throw unprocessable([{ path: 'outputLotId', message: 'Lô thành phẩm không được đồng thời là lô nguyên liệu' }], 'Lô thành phẩm không được đồng thời là lô nguyên liệu');
        e = {
          eventId, kind: 'processing', eventTime: input.eventTime,
          lots: [
            ...input.inputs.map((i): LotLine => ({ lot: identityOf(lotOf(i.lotId)), role: 'input', quantity: i.quantity, uom: i.uom })),
            whole(lotOf(input.outputLotId), 'output'),
          ],
          place: await housePlace(input.packingHouseId), note: input.note ?? null,
        };
        break;
      }
      case 'packing': {
        if (/^\d{18}$/.test(input.parentId) && !isSscc(input.parentId)) {
          throw unprocessable([{ path: 'parentId', message: 'Mã SSCC (18 chữ số) sai số kiểm tra' }], 'Mã SSCC (18 chữ số) sai số kiểm tra');
        }
        const lot = lotOf(input.lotId);
        e = {
          eventId, kind: 'packing', eventTime: input.eventTime, lots: [partial(lot, 'child', input.quantity)],
          place: await housePlace(input.packingHouseId), parentId: input.parentId, note: input.note ?? null,
        };
        break;
      }
      case 'shipping':
      case 'receiving': {
        const lot = lotOf(input.lotId);
        e = {
          eventId, kind: input.kind, eventTime: input.eventTime, lots: [partial(lot, 'subject', input.quantity)], place: null,
          transaction: input.transaction ?? null, source: input.source ?? null, destination: input.destination ?? null, note: input.note ?? null,
        };
        break;
      }
      case 'inspection': {
        const lot = lotOf(input.lotId);
        e = {
          eventId, kind: 'inspection', eventTime: input.eventTime, lots: [partial(lot, 'subject', null)], place: null,
          result: input.result, inspector: input.inspector, note: input.note ?? null,
        };
        break;
      }
    }
    const subject = lotOf(input.kind === 'processing' ? input.outputLotId : input.lotId);
    // Places named on the event follow the lot's rule: the producer's own, or another's through a verified link
    // (an inspection may happen anywhere: it names where it was, not a place the producer uses).
    if (input.kind !== 'inspection') {
      const areaIds = input.kind === 'harvest' ? (input.growingAreaIds ?? []) : input.kind === 'shipping' || input.kind === 'receiving' ? (input.growingAreaId ? [input.growingAreaId] : []) : [];
      const houseId = input.kind === 'harvest' ? null : (input.packingHouseId ?? null);
      const placeErrors = areaIds.length || houseId ? await placeCitationErrors(tx, subject.producerId, areaIds, houseId) : [];
      if (placeErrors.length) throw unprocessable(placeErrors, placeErrors[0].message);
    }
    try {
      const where = input.kind === 'shipping' || input.kind === 'receiving' || input.kind === 'inspection'
        ? { growingAreaId: input.growingAreaId, packingHouseId: input.packingHouseId, toPartyId: 'toPartyId' in input ? input.toPartyId : null }
        : {};
      await addEventFacts(tx, opts.publicBaseUrl, e, input.kind, subject, where);
    } catch (err) {
      if (err instanceof PlaceNotFound) throw unprocessable([{ path: err.path, message: err.message }], err.message);
      if (err instanceof PartyRefused) throw unprocessable([{ path: 'toPartyId', message: err.message }], err.message);
      throw err;
    }
    const document = toEpcisEvent(e, opts.publicBaseUrl);
    // The platform's own events are named by their CBV 2.0 hash ID: the same facts sent again are the same event.
    const hashId = eventHashId(document);
    document.eventID = hashId;
    const read = fromEpcisEvent(document, opts.publicBaseUrl);
    const lines = e.lots.map((l) => ({ lotId: l.lot.id, role: l.role, quantity: l.quantity, uom: l.uom }));
    const row = await storeEvent(tx, writer, document, read, hashId, lines, opts.source ?? 'form', hashId);
    const [joined] = await repo.findEventsJoined(tx, [row.id]);
    return presentEvent(joined, opts.publicBaseUrl);
  }).then(announced(lotIdsOf(input)));
}

/**
 * Declares one of the stored events wrong from the back office (EPCIS 2.0 errorDeclaration, as a partner system would
 * send it by import): the event is never changed or deleted; the journey marks it corrected and names the event that
 * replaces it, when one is given (an event of the same lot). Only who may write every lot of the event may do it.
 */
export async function declareEventWrong(db: Db, writer: Writer, eventRowId: string, input: DeclareEventWrong, publicBaseUrl: string) {
  if (isActor(writer) && !mayWriteLots(writer)) throw forbidden();
  await inTx(db, async (tx) => {
    const [row] = await repo.findEventRows(tx, [eventRowId]);
    if (!row) throw notFound('Không tìm thấy sự kiện');
    const lotIds = [...new Set((await repo.findEventLots(tx, [eventRowId])).map((l) => l.lot_id))];
    const scopes = await repo.findLotScopes(tx, lotIds);
    const denied = scopes.find((sc) => isActor(writer) && !canWriteLot(writer, scopeOf(sc)));
    if (denied) throw forbidden(`Bạn không có quyền đính chính sự kiện của lô ${denied.lot.lotNumber}`);
    const corrective: string[] = [];
    if (input.correctiveEventId) {
      if (input.correctiveEventId === eventRowId) throw unprocessable([{ path: 'correctiveEventId', message: 'Sự kiện thay thế phải là một sự kiện khác' }], 'Sự kiện thay thế phải là một sự kiện khác');
      const [other] = await repo.findEventRows(tx, [input.correctiveEventId]);
      const sharesLot = other && (await repo.findEventLots(tx, [input.correctiveEventId])).some((l) => lotIds.includes(l.lot_id));
      if (!other || !sharesLot) throw unprocessable([{ path: 'correctiveEventId', message: 'Sự kiện thay thế phải là một sự kiện của cùng lô hàng' }], 'Sự kiện thay thế phải là một sự kiện của cùng lô hàng');
      corrective.push(String((other.document as { eventID?: string }).eventID));
    }
    const declarationTime = new Date();
    const declaration = {
      ...(row.document as Record<string, unknown>),
      errorDeclaration: { declarationTime: declarationTime.toISOString(), reason: input.reason, ...(corrective.length ? { correctiveEventIDs: corrective } : {}) },
    };
    await insertCorrection(tx, {
      eventId: eventRowId, declarationTime, reason: input.reason, correctiveEventIds: corrective, declaration, source: 'form', recordedBy: isActor(writer) ? writer.id : null,
    });
    await recordAudit(tx, writer, 'declare_wrong', 'trace_event', eventRowId, null, { reason: input.reason, correctiveEventIds: corrective });
    return lotIds;
  }).then((lotIds) => announced(lotIds)(null));
  const [joined] = await repo.findEventsJoined(db, [eventRowId]);
  return (await withCorrections(db, [presentEvent(joined, publicBaseUrl)]))[0];
}

// ─── Journey and export ─────────────────────────────────────────────────────────────────────────────────────────

/** The lot's events and those of the lots it was made from, oldest first. */
export async function getLotJourney(db: Db, actor: Actor, lotId: string, publicBaseUrl: string) {
  await readableLot(db, actor, lotId);
  const ids = await repo.findJourneyEventIds(db, lotId);
  return withCorrections(db, (await repo.findEventsJoined(db, ids)).map((e) => presentEvent(e, publicBaseUrl)));
}

const fileSafe = (s: string) => asciiFileName(s, { max: 120, fallback: 'lo' });

export async function exportLotEpcis(db: Db, actor: Actor, lotId: string, now = new Date()) {
  const lot = await readableLot(db, actor, lotId);
  const ids = await repo.findJourneyEventIds(db, lotId);
  const document = epcisDocument(await withDeclarations(db, await repo.findEventRows(db, ids)), now);
  return { document, filename: `epcis-lo-${fileSafe(lot.lot.lotNumber)}.jsonld` };
}

/** Start of a calendar day in Vietnam (UTC+07:00, no daylight saving). */
const vnDayStart = (d: string) => new Date(`${d}T00:00:00+07:00`);

export async function exportEpcisRange(db: Db, actor: Actor, q: EpcisRangeQuery, now = new Date()) {
  const from = vnDayStart(q.from);
  const to = new Date(vnDayStart(q.to).getTime() + 86_400_000);
  const ids = await repo.findEventIdsInRange(db, from, to, readFilterOf(actor), q.productId);
  const document = epcisDocument(await withDeclarations(db, await repo.findEventRows(db, ids)), now);
  return { document, filename: `epcis-${q.from}-${q.to}.jsonld` };
}

// ─── Import ─────────────────────────────────────────────────────────────────────────────────────────────────────

export { importEpcis, type ImportError } from './epcis-import.js';
