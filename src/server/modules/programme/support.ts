/** Support activities (#11 item 5): recorded by officers for a producer or one of its products; producers read their own. */
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/service.js';
import { findProducerRow } from '../producers/service.js';
import { findProductRow } from '../products/service.js';
import { canReadSupport, canReadSupportEvidence, canWriteSupport, mayWriteSupport } from './policy.js';
import * as repo from './repository.js';
import type { SupportInput, SupportListQuery } from './schema.js';

function present(actor: Actor, r: repo.SupportListRow) {
  return {
    id: r.id, producer: { id: r.producerId, legalName: r.producerName }, product: r.productId ? { id: r.productId, name: r.productName ?? '' } : null,
    type: r.type as SupportInput['type'], description: r.description, amountVnd: Number(r.amountVnd), fundingSource: r.fundingSource as SupportInput['fundingSource'],
    activityDate: r.activityDate, status: r.status as SupportInput['status'], note: r.note, unitName: r.unitName, version: r.version,
    canEdit: canWriteSupport(actor, { producerId: r.producerId, unitId: Number(r.unitId) }),
    canSeeEvidence: canReadSupportEvidence(actor, { producerId: r.producerId, unitId: Number(r.unitId) }),
  };
}

/** The unit that decides who covers the activity, after checking the product belongs to the producer. */
async function scopeOf(db: Db, input: Pick<SupportInput, 'producerId' | 'productId'>) {
  const producer = await findProducerRow(db, input.producerId);
  if (!producer) throw new AppError('VALIDATION', { errors: [{ path: 'producerId', message: 'Không có chủ thể này' }] });
  if (!input.productId) return { producerId: producer.id, unitId: producer.unitId };
  const product = await findProductRow(db, input.productId);
  if (!product || product.producerId !== producer.id) throw new AppError('VALIDATION', { errors: [{ path: 'productId', message: 'Sản phẩm không thuộc chủ thể này' }] });
  return { producerId: producer.id, unitId: product.registeredUnitId };
}

export async function listSupport(db: Db, actor: Actor, q: SupportListQuery) {
  const only = actor.role === 'producer' ? { onlyProducerId: actor.producerId ?? '00000000-0000-0000-0000-000000000000' }
    : actor.role === 'commune_officer' ? { unitIds: [...actor.scopeUnitIds] } : {};
  const { rows, total, totalAmountVnd } = await repo.findSupport(db, { ...q, ...only }, q.page, q.pageSize);
  return { items: rows.map((r) => present(actor, r)), total, totalAmountVnd };
}

export async function getSupport(db: Db, actor: Actor, id: string) {
  const r = await repo.findSupportById(db, id);
  if (!r) throw notFound('Không tìm thấy hoạt động hỗ trợ');
  if (!canReadSupport(actor, { producerId: r.producerId, unitId: Number(r.unitId) })) throw forbidden();
  if (actor.role === 'commune_officer' && !actor.scopeUnitIds.has(Number(r.unitId))) throw forbidden('Hoạt động hỗ trợ ngoài xã bạn phụ trách');
  return present(actor, r);
}

const auditable = (v: SupportInput) => ({ ...v });

export async function createSupport(db: Db, actor: Actor, input: SupportInput) {
  // Roles that never record support are refused before anything is looked up (403, not "no such producer").
  if (!mayWriteSupport(actor)) throw forbidden('Chỉ cán bộ phụ trách được ghi hoạt động hỗ trợ');
  const id = await db.transaction(async (tx) => {
    const scope = await scopeOf(tx, input);
    if (!canWriteSupport(actor, scope)) throw forbidden('Chỉ cán bộ phụ trách được ghi hoạt động hỗ trợ');
    const row = await repo.insertSupport(tx, { ...input, createdBy: actor.id });
    await recordAudit(tx, actor, 'create', 'support_activity', row.id, null, auditable(input));
    return row.id;
  });
  return getSupport(db, actor, id);
}

export async function updateSupport(db: Db, actor: Actor, id: string, version: number, input: SupportInput) {
  if (!mayWriteSupport(actor)) throw forbidden('Chỉ cán bộ phụ trách được sửa hoạt động hỗ trợ');
  await db.transaction(async (tx) => {
    const before = await repo.findSupportById(tx, id);
    if (!before) throw notFound('Không tìm thấy hoạt động hỗ trợ');
    // Both the record as it was and as it will be must be within the officer's scope.
    if (!canWriteSupport(actor, { producerId: before.producerId, unitId: Number(before.unitId) })) throw forbidden('Chỉ cán bộ phụ trách được sửa hoạt động hỗ trợ');
    const scope = await scopeOf(tx, input);
    if (!canWriteSupport(actor, scope)) throw forbidden('Chỉ cán bộ phụ trách được sửa hoạt động hỗ trợ');
    const updated = await repo.updateSupportRow(tx, id, version, input);
    if (!updated) throw new AppError('VERSION_CONFLICT');
    const prev: SupportInput = {
      producerId: before.producerId, productId: before.productId, type: before.type as SupportInput['type'], description: before.description,
      amountVnd: Number(before.amountVnd), fundingSource: before.fundingSource as SupportInput['fundingSource'], activityDate: before.activityDate,
      status: before.status as SupportInput['status'], note: before.note,
    };
    await recordAudit(tx, actor, 'update', 'support_activity', id, auditable(prev), auditable(input));
  });
  return getSupport(db, actor, id);
}
