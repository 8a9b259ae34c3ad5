import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, fromDbError, notFound } from '../../lib/errors.js';
import { isActor, recordAudit, recordAuditMany, type Writer } from '../audit/service.js';
import { assertRegistrableUnit } from '../geo/service.js';
import { findCraftVillageRefs, findCraftVillageRow } from '../craft-villages/service.js';
import { canCreateProducer, canEditProducer, canEditProducerIdentity, canReadProducer } from './policy.js';
import { auditableProducer, presentProducer } from './presenter.js';
import * as repo from './repository.js';
import type { ProducerInput, ProducerListQuery } from './schema.js';
import type { ProducerRow } from './tables.js';


export async function findProducers(db: Db, actor: Actor, q: ProducerListQuery) {
  const onlyId = actor.role === 'producer' ? actor.producerId! : undefined;
  const { items, total, totalCapped } = await repo.findProducers(db, q, onlyId);
  const villages = await findCraftVillageRefs(db, items.map((i) => i.producer.craftVillageId));
  return { items: items.map((i) => presentProducer(i, villages)), total, totalCapped, page: q.page, pageSize: q.pageSize };
}

export async function getProducer(db: Db, id: string) {
  const p = await repo.findProducerById(db, id);
  if (!p) throw notFound('Không tìm thấy chủ thể');
  return p;
}

export async function getProducerFor(db: Db, actor: Actor, id: string) {
  const p = await getProducer(db, id);
  if (!canReadProducer(actor, p.producer)) throw forbidden();
  return present(db, p);
}

async function present(db: Db, p: repo.ProducerWithUnit) {
  return presentProducer(p, await findCraftVillageRefs(db, [p.producer.craftVillageId]));
}

/** A producer is put in a craft village of the reference list (craft-villages module), never a free name. */
async function assertCraftVillage(db: Db, id: string | null | undefined) {
  if (id && !(await findCraftVillageRow(db, id))) throw new AppError('VALIDATION', { errors: [{ path: 'craftVillageId', message: 'Không có làng nghề này trong danh mục' }] });
}

export async function createProducer(db: Db, writer: Writer, input: ProducerInput) {
  if (isActor(writer) && !canCreateProducer(writer, input.unitId)) throw forbidden('Đơn vị hành chính nằm ngoài phạm vi phụ trách');
  try {
    return await db.transaction(async (tx) => {
      await assertRegistrableUnit(tx, input.unitId);
      await assertCraftVillage(tx, input.craftVillageId);
      const row = await repo.insertProducer(tx, { ...input, craftVillageId: input.craftVillageId ?? null });
      await recordAudit(tx, writer, 'create', 'producer', row.id, null, auditableProducer(row));
      return present(tx, (await repo.findProducerById(tx, row.id))!);
    });
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

export async function updateProducer(db: Db, writer: Writer, id: string, version: number, input: ProducerInput) {
  try {
    return await db.transaction(async (tx) => {
      const before = await repo.findProducerRow(tx, id);
      if (!before) throw notFound('Không tìm thấy chủ thể');
      // Absent = unchanged (clients that do not know the field keep the producer in its village).
      const craftVillageId = input.craftVillageId === undefined ? before.craftVillageId : input.craftVillageId;
      if (isActor(writer)) {
        if (!canEditProducer(writer, before)) throw forbidden();
        const identityChanged =
          before.kind !== input.kind || before.registrationNumber !== input.registrationNumber ||
          before.unitId !== input.unitId || before.isDemo !== input.isDemo;
        if (identityChanged && !canEditProducerIdentity(writer, before)) {
          throw forbidden('Chỉ cán bộ OCOP được sửa loại hình, mã số, đơn vị hành chính của chủ thể');
        }
        if (before.unitId !== input.unitId && !canCreateProducer(writer, input.unitId)) throw forbidden('Đơn vị mới nằm ngoài phạm vi phụ trách');
        if (craftVillageId !== before.craftVillageId && !canEditProducerIdentity(writer, before)) {
          throw forbidden('Chỉ cán bộ OCOP được xếp chủ thể vào làng nghề');
        }
      }
      if (before.version !== version) throw new AppError('VERSION_CONFLICT');
      if (before.unitId !== input.unitId) await assertRegistrableUnit(tx, input.unitId);
      if (craftVillageId !== before.craftVillageId) await assertCraftVillage(tx, craftVillageId);
      const after = await repo.updateProducer(tx, id, { ...input, craftVillageId });
      await recordAudit(tx, writer, 'update', 'producer', id, auditableProducer(before), auditableProducer(after));
      return present(tx, (await repo.findProducerById(tx, id))!);
    });
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

/**
 * Creates and updates many producers in the caller's transaction (Excel import): multi-row upserts keyed by
 * registration number and the audit entries in multi-row inserts. `existing` is the row the caller read and
 * compared; the same permission rules as createProducer/updateProducer apply to every row. Units come from the
 * caller's lookup of communes (level 3), so they are registrable; the template carries no craft village id.
 */
export async function upsertProducersTx(tx: Db, writer: Writer, items: { input: ProducerInput; existing?: ProducerRow }[]) {
  for (const { input, existing } of items) {
    if (!isActor(writer)) continue;
    if (!existing ? !canCreateProducer(writer, input.unitId) : !canEditProducer(writer, existing) || (existing.unitId !== input.unitId && !canCreateProducer(writer, input.unitId))) {
      throw forbidden(`Chủ thể ${input.registrationNumber} nằm ngoài phạm vi phụ trách`);
    }
    const identityChanged = existing && (existing.kind !== input.kind || existing.unitId !== input.unitId || existing.isDemo !== (input.isDemo ?? false));
    if (identityChanged && !canEditProducerIdentity(writer, existing)) throw forbidden('Chỉ cán bộ OCOP được sửa loại hình, mã số, đơn vị hành chính của chủ thể');
  }
  try {
    const rows = await repo.upsertProducers(tx, items.map(({ input, existing }) => ({
      ...input, craftVillageId: input.craftVillageId === undefined ? existing?.craftVillageId ?? null : input.craftVillageId, version: existing?.version ?? 1,
    })));
    if (rows.length !== items.length) throw new AppError('VERSION_CONFLICT', { detail: 'Có chủ thể vừa được người khác sửa trong lúc nhập; hãy nhập lại tệp' });
    const before = new Map(items.filter((i) => i.existing).map((i) => [i.existing!.id, i.existing!]));
    await recordAuditMany(tx, writer, rows.map((r) => {
      const b = before.get(r.id);
      return { action: b ? 'update' : 'create', entityType: 'producer', entityId: r.id, before: b ? auditableProducer(b) : null, after: auditableProducer(r) };
    }));
    return rows;
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

/** A producer's row (undefined when unknown): for other modules, which never read this module's tables. */
export const findProducerRow = repo.findProducerRow;
export const findProducerRows = repo.findProducerRows;
