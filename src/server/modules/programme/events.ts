/** Events (#11 item 7): fairs, exhibitions, conferences, training, awareness and live-selling sessions, with outcomes. */
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/service.js';
import { findUnitById } from '../geo/service.js';
import { findProducerRow } from '../producers/service.js';
import { findProductRow } from '../products/service.js';
import { canReadEvent, canWriteEvent, mayWriteEvent } from './policy.js';
import * as repo from './repository.js';
import type { EventInput, EventListQuery } from './schema.js';
import type { EventRow } from './tables.js';

async function present(db: Db, actor: Actor, e: EventRow) {
  const [unit, ps] = await Promise.all([findUnitById(db, e.unitId), repo.findParticipants(db, [e.id])]);
  return {
    id: e.id, type: e.type as EventInput['type'], title: e.title, startsOn: e.startsOn, endsOn: e.endsOn, place: e.place, organiser: e.organiser,
    unit: { id: e.unitId, name: unit?.name ?? String(e.unitId) }, costVnd: Number(e.costVnd), fundingSource: e.fundingSource as EventInput['fundingSource'],
    attendance: e.attendance, salesVnd: e.salesVnd === null ? null : Number(e.salesVnd), contractsSigned: e.contractsSigned, followUp: e.followUp,
    status: e.status as EventInput['status'], version: e.version, canEdit: canWriteEvent(actor, e.unitId),
    participants: ps.map((p) => ({ producerId: p.producer_id, producerName: p.producer_name, productId: p.product_id, productName: p.product_name })),
  };
}

async function checkInput(db: Db, input: EventInput) {
  if (!(await findUnitById(db, input.unitId))) throw new AppError('VALIDATION', { errors: [{ path: 'unitId', message: 'Không có đơn vị hành chính này' }] });
  for (const [i, p] of input.participants.entries()) {
    if (!(await findProducerRow(db, p.producerId))) throw new AppError('VALIDATION', { errors: [{ path: `participants.${i}.producerId`, message: 'Không có chủ thể này' }] });
    if (p.productId) {
      const product = await findProductRow(db, p.productId);
      if (!product || product.producerId !== p.producerId) throw new AppError('VALIDATION', { errors: [{ path: `participants.${i}.productId`, message: 'Sản phẩm không thuộc chủ thể này' }] });
    }
  }
}

const columns = (input: EventInput) => {
  const { participants: _p, ...rest } = input;
  return rest;
};

export async function listEvents(db: Db, actor: Actor, q: EventListQuery) {
  const scope = actor.role === 'producer' ? { participantProducerId: actor.producerId ?? '00000000-0000-0000-0000-000000000000' }
    : actor.role === 'commune_officer' ? { unitIds: [...actor.scopeUnitIds] } : {};
  const { ids, total } = await repo.findEvents(db, { ...q, ...scope }, q.page, q.pageSize);
  const items = [];
  for (const id of ids) items.push(await present(db, actor, (await repo.findEventById(db, id))!));
  return { items, total, canCreate: mayWriteEvent(actor) };
}

export async function getEvent(db: Db, actor: Actor, id: string) {
  const e = await repo.findEventById(db, id);
  if (!e) throw notFound('Không tìm thấy sự kiện');
  const view = await present(db, actor, e);
  if (!canReadEvent(actor, view.participants.map((p) => p.producerId))) throw forbidden();
  if (actor.role === 'commune_officer' && !actor.scopeUnitIds.has(e.unitId)) throw forbidden('Sự kiện ngoài xã bạn phụ trách');
  return view;
}

export async function createEvent(db: Db, actor: Actor, input: EventInput) {
  if (!canWriteEvent(actor, input.unitId)) throw forbidden('Chỉ cán bộ phụ trách được ghi sự kiện');
  const id = await db.transaction(async (tx) => {
    await checkInput(tx, input);
    const row = await repo.insertEvent(tx, { ...columns(input), createdBy: actor.id });
    await repo.replaceParticipants(tx, row.id, input.participants);
    await recordAudit(tx, actor, 'create', 'programme_event', row.id, null, { ...input });
    return row.id;
  });
  return getEvent(db, actor, id);
}

export async function updateEvent(db: Db, actor: Actor, id: string, version: number, input: EventInput) {
  await db.transaction(async (tx) => {
    const before = await repo.findEventById(tx, id);
    if (!before) throw notFound('Không tìm thấy sự kiện');
    if (!canWriteEvent(actor, before.unitId) || !canWriteEvent(actor, input.unitId)) throw forbidden('Chỉ cán bộ phụ trách được sửa sự kiện');
    await checkInput(tx, input);
    const beforeParticipants = await repo.findParticipants(tx, [id]);
    const updated = await repo.updateEventRow(tx, id, version, columns(input));
    if (!updated) throw new AppError('VERSION_CONFLICT');
    await repo.replaceParticipants(tx, id, input.participants);
    const { id: _i, version: _v, createdAt: _c, updatedAt: _u, createdBy: _b, ...prev } = before;
    await recordAudit(tx, actor, 'update', 'programme_event', id,
      { ...prev, costVnd: Number(prev.costVnd), salesVnd: prev.salesVnd === null ? null : Number(prev.salesVnd), participants: beforeParticipants.map((p) => ({ producerId: p.producer_id, productId: p.product_id })) },
      { ...input });
  });
  return getEvent(db, actor, id);
}
