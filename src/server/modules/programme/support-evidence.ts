/**
 * Evidence files of support activities (#11 item 5): documents of the supported producer's locker (evidence module),
 * linked to the activity, never copied. Officers responsible for the activity upload or link them; the producer's
 * own users and those officers list and download them.
 */
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/service.js';
import type { Storage } from '../files/storage.js';
import { createEvidence, findEvidenceByIds, readEvidenceFileAuthorisedBy, type EvidenceFile } from '../evidence/service.js';
import type { EvidenceFieldsInput } from '../evidence/schema.js';
import { canReadSupportEvidence, canWriteSupport, mayReadSupportEvidence, mayWriteSupport } from './policy.js';
import * as repo from './repository.js';

const scopeOf = (r: repo.SupportListRow) => ({ producerId: r.producerId, unitId: Number(r.unitId) });

async function loadSupport(db: Db, id: string) {
  const r = await repo.findSupportById(db, id);
  if (!r) throw notFound('Không tìm thấy hoạt động hỗ trợ');
  return r;
}

async function assertRead(db: Db, actor: Actor, supportId: string) {
  if (!mayReadSupportEvidence(actor)) throw forbidden('Tài liệu của hoạt động hỗ trợ dành cho chủ thể được hỗ trợ và cán bộ phụ trách');
  const s = await loadSupport(db, supportId);
  if (!canReadSupportEvidence(actor, scopeOf(s))) throw forbidden('Tài liệu của hoạt động hỗ trợ dành cho chủ thể được hỗ trợ và cán bộ phụ trách');
  return s;
}

async function assertWrite(db: Db, actor: Actor, supportId: string) {
  if (!mayWriteSupport(actor)) throw forbidden('Chỉ cán bộ phụ trách được thêm tài liệu cho hoạt động hỗ trợ');
  const s = await loadSupport(db, supportId);
  if (!canWriteSupport(actor, scopeOf(s))) throw forbidden('Chỉ cán bộ phụ trách được thêm tài liệu cho hoạt động hỗ trợ');
  return s;
}

const fileUrl = (supportId: string, evidenceId: string) => `/api/support-activities/${supportId}/evidence/${evidenceId}/file`;

export async function listSupportEvidence(db: Db, actor: Actor, supportId: string) {
  const s = await assertRead(db, actor, supportId);
  const ids = await repo.findSupportEvidenceIds(db, supportId);
  const rows = await findEvidenceByIds(db, ids);
  const order = new Map(ids.map((id, i) => [id, i]));
  return {
    canUpload: canWriteSupport(actor, scopeOf(s)),
    producerId: s.producerId,
    items: rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!).map((e) => ({
      id: e.id, type: e.type, title: e.title, issuer: e.issuer, number: e.number, issuedOn: e.issuedOn, fileName: e.fileName, contentType: e.contentType,
      bytes: e.bytes, createdAt: e.createdAt.toISOString(), downloadUrl: fileUrl(supportId, e.id),
    })),
  };
}

/** Uploads a document into the producer's locker and links it, in one transaction (a failed link removes the file). */
export async function uploadSupportEvidence(db: Db, storage: Storage, actor: Actor, supportId: string, fields: EvidenceFieldsInput, file: EvidenceFile) {
  const s = await assertWrite(db, actor, supportId);
  await createEvidence(db, storage, actor, s.producerId, fields, file, async (tx, row) => {
    await repo.insertSupportEvidence(tx, supportId, row.id, actor.id);
    await recordAudit(tx, actor, 'link_evidence', 'support_activity', supportId, null, { evidenceId: row.id, title: row.title, fileName: row.fileName });
  });
  return listSupportEvidence(db, actor, supportId);
}

/** Links a document already in the supported producer's locker. */
export async function linkSupportEvidence(db: Db, actor: Actor, supportId: string, evidenceId: string) {
  const s = await assertWrite(db, actor, supportId);
  const [e] = await findEvidenceByIds(db, [evidenceId]);
  if (!e || e.producerId !== s.producerId) throw new AppError('VALIDATION', { errors: [{ path: 'evidenceId', message: 'Tài liệu không thuộc kho tài liệu của chủ thể được hỗ trợ' }] });
  await db.transaction(async (tx) => {
    if (await repo.insertSupportEvidence(tx, supportId, evidenceId, actor.id)) {
      await recordAudit(tx, actor, 'link_evidence', 'support_activity', supportId, null, { evidenceId, title: e.title, fileName: e.fileName });
    }
  });
  return listSupportEvidence(db, actor, supportId);
}

/** Removes the link only: the document stays in the producer's locker. */
export async function unlinkSupportEvidence(db: Db, actor: Actor, supportId: string, evidenceId: string) {
  await assertWrite(db, actor, supportId);
  await db.transaction(async (tx) => {
    const gone = await repo.deleteSupportEvidence(tx, supportId, evidenceId);
    if (!gone) throw notFound('Tài liệu không gắn với hoạt động hỗ trợ này');
    await recordAudit(tx, actor, 'unlink_evidence', 'support_activity', supportId, { evidenceId }, null);
  });
  return listSupportEvidence(db, actor, supportId);
}

export async function readSupportEvidenceFile(db: Db, storage: Storage, actor: Actor, supportId: string, evidenceId: string) {
  await assertRead(db, actor, supportId);
  if (!(await repo.findSupportEvidenceIds(db, supportId)).includes(evidenceId)) throw notFound('Tài liệu không gắn với hoạt động hỗ trợ này');
  return readEvidenceFileAuthorisedBy(db, storage, actor, evidenceId);
}
