import type { Db } from '../../db/client.js';
import { isProvinceWide, type Actor } from '../../lib/actor.js';
import { AppError, forbidden, fromDbError, notFound } from '../../lib/errors.js';
import { starOfScore } from '../../../shared/criteria.js';
import { todayInVietnam } from '../../../shared/certificate-dates.js';
import { DOSSIER_STATUS_LABELS_VI, EVIDENCE_TYPE_LABELS_VI, nextStatus, PRE_ASSESSMENT_ITEMS, PRE_ASSESSMENT_LABELS_VI, type DossierAction, type DossierKind, type DossierStatus, type EvidenceType } from '../../../shared/dossier.js';
import { isActor, recordAudit, type Writer } from '../audit/service.js';
import { communeOfficerIdsCovering, producerUserIds, provinceOfficerIds } from '../notifications/recipients.js';
import { notify } from '../notifications/service.js';
import * as certificates from '../certificates/service.js';
import { getProcedureVersion } from '../recognition/service.js';
import { LEVEL_NAMES_VI } from '../recognition/authority.js';
import type { RecognitionLevel } from '../criteria/tables.js';
import { centralOfficerIds } from '../notifications/recipients.js';
import { findEvidenceByIds } from '../evidence/service.js';
import { findUnitById } from '../geo/service.js';
import { addProductsTx, getRoundRow, isProductInRound } from '../evaluation/service.js';
import type { ProductResult } from '../evaluation/tables.js';
import { findProductRow } from '../products/service.js';
import { findProducerRow } from '../producers/service.js';
import { vi } from '../../../shared/i18n/vi.js';
import { unitTitle } from '../../../shared/unit-names.js';
import type { DossierReceiptData } from './receipt.js';
import { assertExportable, EXPORT_CAP } from '../../lib/list-workbook.js';
import {
  canAssignDossier, canCreateDossier, canEditDossier, canIntakeDossier, canReadDossier, canSubmitDossier, canWithdrawDossier, type DossierFacts,
} from './policy.js';
import { computeChecklist, presentDossier } from './presenter.js';
import * as repo from './repository.js';
import { requiredEvidenceTypes, sampleRequired, sectorOf } from './requirements.js';
import type { Dossier, DossierListQuery } from './schema.js';
import { ZDossierForm, type ZPreAssessment, type ZUpdateDossier } from './schema.js';
import type { DossierRow, LevelResult, PreAssessment } from './tables.js';
import type { z } from 'zod';

const labelOf = (w: Writer) => (isActor(w) ? w.fullName || w.login : 'Hệ thống');
const actorIdOf = (w: Writer) => (isActor(w) ? w.id : null);
const link = (id: string) => `/dossiers/${id}`;

async function load(db: Db, id: string, forUpdate = false) {
  const row = forUpdate ? await repo.findDossierForUpdate(db, id) : await repo.findDossier(db, id);
  if (!row) throw notFound('Không tìm thấy hồ sơ');
  const ctx = await repo.findContext(db, row);
  const facts: DossierFacts = {
    producerId: row.producerId, intakeUnitId: row.intakeUnitId, registeredUnitId: ctx.registered_unit_id, status: row.status,
    forwardedTo: row.status === 'forwarded' ? row.result?.forwardTo ?? null : null,
    reachedCentral: (row.levelResults ?? []).some((l) => l.forwardTo === 'central' || l.level === 'central'),
  };
  return { row, ctx, facts };
}

/**
 * What the caller may do now, decided by the same policies and preconditions the actions check, so the UI never
 * offers a button the server then refuses. `accept` needs what `acceptDossier` needs (the pre-assessment and a
 * complete dossier); `submit` stays offered while something is missing: the refusal lists what, next to the button.
 */
function allowedActionsOf(actor: Actor, f: DossierFacts, o: { preAssessmentRequired: boolean; acceptBlocked: boolean }) {
  const out: Dossier['allowedActions'] = [];
  if (canEditDossier(actor, f)) out.push('edit');
  if (canSubmitDossier(actor, f)) out.push('submit');
  if (canIntakeDossier(actor, f)) {
    if (o.preAssessmentRequired) out.push('preAssess');
    if (!o.acceptBlocked) out.push('accept');
    out.push('return');
  }
  if (canAssignDossier(actor, f)) out.push('assign');
  if (canWithdrawDossier(actor, f)) out.push('withdraw');
  return out;
}

/**
 * Why the dossier cannot be accepted yet (null when it can): under a commune intake the pre-assessment report with
 * the format check, and all four criteria met when the procedure demands it; under a district intake the request's
 * format-check confirmation; in both, nothing missing. `acceptDossier` throws it; the view hides "accept".
 */
async function acceptBlocker(tx: Db, row: DossierRow, ctx: repo.DossierContext, formatCheckedInput: boolean, missing?: { path: string; message: string }[]) {
  if (ctx.procedure_intake === 'commune') {
    if (!row.preAssessment?.formatChecked) {
      return new AppError('DOSSIER_STATE', { detail: 'Cần lập báo cáo tiền đánh giá (4 nội dung) và xác nhận hồ sơ hợp lệ trước khi tiếp nhận' });
    }
    const failed = PRE_ASSESSMENT_ITEMS.filter((k) => !row.preAssessment!.items[k]?.met);
    if (failed.length && (await getProcedureVersion(tx, row.procedureCode)).doc.preAssessmentMustPass) {
      return new AppError('PRE_ASSESSMENT_FAILED', {
        detail: `Theo quy trình ${row.procedureCode}, hồ sơ chỉ chuyển lên tỉnh khi đạt cả 4 nội dung tiền đánh giá; chưa đạt: ${failed.map((k) => PRE_ASSESSMENT_LABELS_VI[k]).join(', ')}. Hãy trả lại hồ sơ cho chủ thể kèm các nhận xét.`,
        errors: failed.map((k) => ({ path: `preAssessment.items.${k}`, message: `${PRE_ASSESSMENT_LABELS_VI[k]}: chưa đạt${row.preAssessment!.items[k]?.note ? ` — ${row.preAssessment!.items[k].note}` : ''}` })),
      });
    }
  } else if (!formatCheckedInput) {
    return new AppError('VALIDATION', { errors: [{ path: 'formatChecked', message: 'Xác nhận đã kiểm tra tính hợp lệ của hồ sơ' }] });
  }
  const errors = missing ?? (await missingFor(tx, row, ctx.taxonomy_code));
  if (errors.length) return new AppError('DOSSIER_INCOMPLETE', { detail: 'Hồ sơ không còn đủ tài liệu (có thể tài liệu vừa hết hạn): hãy trả lại để bổ sung', errors });
  return null;
}

async function view(db: Db, actor: Actor, id: string) {
  const { row, ctx, facts } = await load(db, id);
  if (!canReadDossier(actor, facts)) throw forbidden();
  const sector = sectorOf(ctx.taxonomy_code);
  const [linked, events, sa, cert, base] = await Promise.all([
    repo.findLinkedEvidence(db, [row.id]), repo.findEvents(db, row.id), repo.findSelfAssessmentSummary(db, row.productId),
    row.roundId ? certificates.findOfRoundProduct(db, row.roundId, row.productId) : Promise.resolve(undefined), row.baseCertificateId ? certificates.findCertificateRow(db, row.baseCertificateId) : Promise.resolve(undefined),
  ]);
  const required = requiredEvidenceTypes(sector, row.kind as DossierKind);
  // Only an officer who may take the dossier in needs to know whether it can be accepted now.
  const acceptBlocked = canIntakeDossier(actor, facts)
    ? Boolean(await acceptBlocker(db, row, ctx, true, missingOf(computeChecklist(required, linked, todayInVietnam(), { sampleRequired: sampleRequired(sector), hasSample: Boolean(row.sample), hasSelfAssessment: Boolean(sa) }).missing)))
    : true;
  return presentDossier(actor, {
    row, ctx, required, sampleRequired: sampleRequired(sector), linked, events,
    hasSelfAssessment: Boolean(sa),
    selfAssessment: sa ? { total: Number(sa.total), star: starOfScore(Number(sa.total)), updatedAt: new Date(sa.updated_at).toISOString() } : null,
    certificate: cert ? { id: cert.id, number: cert.number, status: cert.status } : null,
    baseCertificate: base ? { id: base.id, number: base.number, star: base.star, expiresOn: base.expiresOn } : null,
    allowedActions: allowedActionsOf(actor, facts, { preAssessmentRequired: ctx.procedure_intake === 'commune', acceptBlocked }), today: todayInVietnam(),
  });
}

export const getDossier = view;

export async function findDossiersFor(db: Db, actor: Actor, q: DossierListQuery) {
  let scope: { producerId?: string; unitIds?: number[]; reachedCentral?: boolean };
  if (actor.role === 'producer') scope = { producerId: actor.producerId ?? '00000000-0000-0000-0000-000000000000' };
  else if (isProvinceWide(actor)) scope = {};
  else if (actor.role === 'commune_officer') scope = { unitIds: [...actor.scopeUnitIds] };
  else if (actor.role === 'central_officer') scope = { reachedCentral: true };
  else throw forbidden('Danh sách hồ sơ chỉ dành cho chủ thể và cán bộ phụ trách');
  const rows = await repo.findDossiers(db, q, scope);
  const linked = await repo.findLinkedEvidence(db, rows.map((r) => r.id));
  const today = todayInVietnam();
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => ({
      id: r.id, kind: r.kind as DossierKind, status: r.status as DossierStatus,
      product: { id: r.product_id, name: r.product_name }, producer: { id: r.producer_id, legalName: r.producer_name },
      intakeUnit: { id: r.intake_unit_id, name: r.intake_unit_name }, procedureCode: r.procedure_code, targetStar: r.target_star,
      submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null, updatedAt: new Date(r.updated_at).toISOString(),
      // Documents only: the list does not load each dossier's sample and self-assessment.
      missingCount: computeChecklist(requiredEvidenceTypes(sectorOf(r.taxonomy_code), r.kind as DossierKind), linked.filter((l) => l.dossier_id === r.id), today).missing.length,
    })),
  };
}

/** Every dossier of the filtered list (the same reading rules as the list), for the Excel export. */
export async function exportDossiers(db: Db, actor: Actor, q: DossierListQuery) {
  const { items, total } = await findDossiersFor(db, actor, { ...q, page: 1, pageSize: EXPORT_CAP });
  assertExportable(total, 'hồ sơ');
  return items;
}

/**
 * What the receipt of an accepted dossier prints (same reading rules as the dossier). Refused until an officer has
 * accepted it: before that nothing was received.
 */
export async function receiptOf(db: Db, actor: Actor, id: string): Promise<DossierReceiptData> {
  const d = await getDossier(db, actor, id);
  const accepted = d.events.filter((e) => e.to === 'accepted').at(-1);
  if (!accepted) throw new AppError('DOSSIER_STATE', { detail: 'Hồ sơ chưa được tiếp nhận: giấy tiếp nhận có sau khi cán bộ tiếp nhận hồ sơ' });
  const [producer, unit] = [await findProducerRow(db, d.producer.id), await findUnitById(db, d.intakeUnit.id)];
  const at = new Date(accepted.at);
  return {
    reference: d.id.slice(0, 8).toUpperCase(),
    receivingUnit: unit ? `UBND ${unitTitle(unit)}` : d.intakeUnit.name,
    producerName: d.producer.legalName, producerAddress: producer?.address ?? null, producerPhone: producer?.phone ?? null,
    productName: d.product.name, kindLabel: vi[`enum.dossierKind.${d.kind}`], procedure: d.procedure.name, targetStar: d.targetStar,
    documents: d.linkedEvidence.map((e) => ({ label: EVIDENCE_TYPE_LABELS_VI[e.type], title: e.title, expiresOn: e.expiresOn })),
    sample: d.sample ? { quantity: d.sample.quantity, unit: d.sample.unit, deliveredOn: d.sample.deliveredOn } : null,
    acceptedOn: todayInVietnam(at),
    acceptedAt: at.toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit' }),
    acceptedBy: accepted.actor,
  };
}

function assertTransition(d: DossierRow, action: DossierAction) {
  if (!nextStatus(action, d.status as DossierStatus)) {
    throw new AppError('DOSSIER_STATE', { detail: `Không thể thực hiện thao tác này khi hồ sơ ở trạng thái "${DOSSIER_STATUS_LABELS_VI[d.status as DossierStatus] ?? d.status}"` });
  }
}

/** Moves a dossier along the workflow: refuses illegal transitions, records who/when/why, audits. */
async function move(tx: Db, writer: Writer, d: DossierRow, action: DossierAction, opts: { comment?: string | null; reasons?: string[] | null; patch?: Partial<DossierRow> } = {}) {
  assertTransition(d, action);
  const to = nextStatus(action, d.status as DossierStatus)!;
  const updated = await repo.updateDossier(tx, d.id, { ...opts.patch, status: to });
  await repo.insertEvent(tx, { dossierId: d.id, fromStatus: d.status, toStatus: to, actorId: actorIdOf(writer), actorLabel: labelOf(writer), comment: opts.comment ?? null, reasons: opts.reasons ?? null });
  await recordAudit(tx, writer, action, 'dossier', d.id, { status: d.status }, { status: to, ...(opts.reasons ? { reasons: opts.reasons } : {}) });
  return updated;
}

/** The unit that receives the dossier under the procedure: the commune (148+1489) or its district (148 original). */
async function intakeUnitFor(db: Db, registeredUnitId: number, intake: 'commune' | 'district') {
  const current = await repo.findCurrentUnitOf(db, registeredUnitId, todayInVietnam());
  if (intake === 'commune') return current;
  const u = await findUnitById(db, current);
  if (u?.parentId) {
    const parent = await findUnitById(db, u.parentId);
    if (parent && (parent.type === 'district' || parent.type === 'town')) return parent.id;
  }
  return current;
}

export async function createDossier(db: Db, actor: Actor, input: { productId: string; kind: DossierKind; targetStar: number | null }) {
  const product = await findProductRow(db, input.productId);
  if (!product) throw notFound('Không tìm thấy sản phẩm');
  if (!canCreateDossier(actor, product)) throw forbidden();
  try {
    const id = await db.transaction(async (tx) => {
      const proc = await repo.findProcedureInForce(tx, todayInVietnam());
      if (!proc) throw new AppError('VALIDATION', { detail: 'Chưa có quy trình đánh giá nào đang có hiệu lực' });
      const base = await certificates.findActiveOfProduct(tx, product.id);
      let prefill: Partial<DossierRow> = {};
      let previous: DossierRow | undefined;
      if (input.kind !== 'first') {
        if (!base) throw new AppError('VALIDATION', { errors: [{ path: 'kind', message: 'Sản phẩm chưa có giấy chứng nhận còn hiệu lực để đánh giá lại hoặc nâng hạng; hãy tạo hồ sơ đánh giá lần đầu' }] });
        if (input.kind === 'upgrade' && (input.targetStar == null || input.targetStar <= base.star)) {
          throw new AppError('VALIDATION', { errors: [{ path: 'targetStar', message: `Hồ sơ nâng hạng cần hạng sao đề nghị cao hơn hạng hiện tại (${base.star}★)` }] });
        }
        previous = await repo.findLatestDossierOfProduct(tx, product.id);
        if (previous) prefill = { form: previous.form, sample: previous.sample };
      } else if (base) {
        throw new AppError('VALIDATION', { errors: [{ path: 'kind', message: `Sản phẩm đang có giấy chứng nhận ${base.number}: chọn đánh giá lại hoặc nâng hạng` }] });
      }
      const d = await repo.insertDossier(tx, {
        productId: product.id, producerId: product.producerId, kind: input.kind, procedureCode: proc.code,
        intakeUnitId: await intakeUnitFor(tx, product.registeredUnitId, proc.intake), targetStar: input.targetStar ?? base?.star ?? null,
        previousDossierId: previous?.id ?? null, baseCertificateId: input.kind === 'first' ? null : base!.id, createdBy: actor.id, ...prefill,
      });
      // Evidence is linked, never copied: a re-evaluation starts with the previous dossier's documents that are still valid.
      if (previous) {
        const today = todayInVietnam();
        for (const l of await repo.findLinkedEvidence(tx, [previous.id])) {
          if (!l.expires_on || l.expires_on >= today) await repo.insertLink(tx, d.id, l.id, l.requirement);
        }
      }
      await repo.insertEvent(tx, { dossierId: d.id, fromStatus: null, toStatus: 'draft', actorId: actor.id, actorLabel: labelOf(actor), comment: null, reasons: null });
      await recordAudit(tx, actor, 'create', 'dossier', d.id, null, { productId: d.productId, kind: d.kind, procedureCode: d.procedureCode });
      return d.id;
    });
    return view(db, actor, id);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

export async function updateDossierDraft(db: Db, actor: Actor, id: string, input: z.infer<typeof ZUpdateDossier>) {
  await db.transaction(async (tx) => {
    const { row, facts } = await load(tx, id, true);
    if (!canReadDossier(actor, facts)) throw forbidden();
    if (!canEditDossier(actor, facts)) throw new AppError('DOSSIER_STATE', { detail: 'Chỉ sửa hồ sơ khi đang soạn hoặc được trả lại để bổ sung' });
    if (row.version !== input.version) throw new AppError('VERSION_CONFLICT');
    const form = ZDossierForm.parse(input.form);
    if (row.kind === 'upgrade' && row.baseCertificateId) {
      const base = await certificates.findCertificateRow(tx, row.baseCertificateId);
      if (base && (input.targetStar == null || input.targetStar <= base.star)) {
        throw new AppError('VALIDATION', { errors: [{ path: 'targetStar', message: `Hồ sơ nâng hạng cần hạng sao đề nghị cao hơn hạng hiện tại (${base.star}★)` }] });
      }
    }
    await repo.updateDossier(tx, id, { form, sample: input.sample, targetStar: input.targetStar });
    await recordAudit(tx, actor, 'update', 'dossier', id, { form: row.form, sample: row.sample, targetStar: row.targetStar }, { form, sample: input.sample, targetStar: input.targetStar });
  });
  return view(db, actor, id);
}

export async function attachEvidence(db: Db, actor: Actor, id: string, evidenceId: string, requirement?: EvidenceType) {
  await db.transaction(async (tx) => {
    const { row, facts } = await load(tx, id, true);
    if (!canReadDossier(actor, facts)) throw forbidden();
    if (!canEditDossier(actor, facts)) throw new AppError('DOSSIER_STATE', { detail: 'Chỉ đính kèm tài liệu khi hồ sơ đang soạn hoặc được trả lại' });
    const [ev] = await findEvidenceByIds(tx, [evidenceId]);
    if (!ev) throw notFound('Không tìm thấy tài liệu');
    if (ev.producerId !== row.producerId) throw forbidden('Tài liệu thuộc chủ thể khác');
    // A document meets the requirement of its own type only (a photo is not a food-safety test report).
    if (requirement && requirement !== ev.type) {
      throw new AppError('VALIDATION', { errors: [{ path: 'requirement', message: `Tài liệu loại "${EVIDENCE_TYPE_LABELS_VI[ev.type as EvidenceType] ?? ev.type}" không dùng cho mục "${EVIDENCE_TYPE_LABELS_VI[requirement]}"` }] });
    }
    await repo.insertLink(tx, id, evidenceId, ev.type);
    await repo.updateDossier(tx, id, {});
    await recordAudit(tx, actor, 'attach_evidence', 'dossier', id, null, { evidenceId, requirement: ev.type });
  });
  return view(db, actor, id);
}

export async function detachEvidence(db: Db, actor: Actor, id: string, evidenceId: string) {
  await db.transaction(async (tx) => {
    const { facts } = await load(tx, id, true);
    if (!canReadDossier(actor, facts)) throw forbidden();
    if (!canEditDossier(actor, facts)) throw new AppError('DOSSIER_STATE', { detail: 'Chỉ gỡ tài liệu khi hồ sơ đang soạn hoặc được trả lại' });
    if (!(await repo.deleteLink(tx, id, evidenceId))) throw notFound('Tài liệu không gắn với hồ sơ này');
    await repo.updateDossier(tx, id, {});
    await recordAudit(tx, actor, 'detach_evidence', 'dossier', id, { evidenceId }, null);
  });
  return view(db, actor, id);
}

/** Everything a dossier must have before it leaves the producer (or is accepted): documents, sample, self-assessment. */
async function missingFor(tx: Db, row: DossierRow, taxonomyCode: string) {
  const sector = sectorOf(taxonomyCode);
  const linked = await repo.findLinkedEvidence(tx, [row.id]);
  const { missing } = computeChecklist(requiredEvidenceTypes(sector, row.kind as DossierKind), linked, todayInVietnam(), {
    sampleRequired: sampleRequired(sector), hasSample: Boolean(row.sample), hasSelfAssessment: Boolean(await repo.findSelfAssessmentSummary(tx, row.productId)),
  });
  return missingOf(missing);
}

const missingOf = (missing: Dossier['missing']) =>
  missing.map((m) => ({ path: m.type, message: m.reason === 'expired' ? `${m.label}: tài liệu đã hết hạn` : `${m.label}: chưa có` }));

export async function submitDossier(db: Db, actor: Actor, id: string, comment?: string) {
  await db.transaction(async (tx) => {
    const { row, ctx, facts } = await load(tx, id, true);
    if (!canReadDossier(actor, facts)) throw forbidden();
    assertTransition(row, 'submit');
    if (!canSubmitDossier(actor, facts)) throw forbidden();
    const errors = await missingFor(tx, row, ctx.taxonomy_code);
    if (errors.length) throw new AppError('DOSSIER_INCOMPLETE', { detail: `Hồ sơ còn thiếu ${errors.length} nội dung`, errors });
    await move(tx, actor, row, 'submit', { comment, patch: { submittedAt: new Date() } });
    await notify(tx, await communeOfficerIdsCovering(tx, row.intakeUnitId), {
      kind: 'dossier_submitted', title: `Hồ sơ OCOP mới: ${ctx.product_name}`,
      body: `${ctx.producer_name} ${row.status === 'returned' ? 'đã bổ sung và nộp lại' : 'đã nộp'} hồ sơ.`, link: link(id), entityType: 'dossier', entityId: id,
    });
  });
  return view(db, actor, id);
}

async function intake(db: Db, actor: Actor, id: string, fn: (tx: Db, row: DossierRow, ctx: repo.DossierContext) => Promise<void>) {
  await db.transaction(async (tx) => {
    const { row, ctx, facts } = await load(tx, id, true);
    if (!canReadDossier(actor, facts)) throw forbidden();
    if (row.status !== 'submitted') throw new AppError('DOSSIER_STATE', { detail: `Hồ sơ đang ở trạng thái "${DOSSIER_STATUS_LABELS_VI[row.status as DossierStatus]}", không thể tiếp nhận hay trả lại` });
    if (!canIntakeDossier(actor, facts)) throw forbidden();
    await fn(tx, row, ctx);
  });
  return view(db, actor, id);
}

export const returnDossier = (db: Db, actor: Actor, id: string, reasons: string[], comment?: string) =>
  intake(db, actor, id, async (tx, row, ctx) => {
    await move(tx, actor, row, 'return', { comment, reasons });
    await notify(tx, await producerUserIds(tx, row.producerId), {
      kind: 'dossier_returned', title: `Hồ sơ "${ctx.product_name}" cần bổ sung`, body: reasons.join('; '), link: link(id), entityType: 'dossier', entityId: id,
    });
  });

export const savePreAssessment = (db: Db, actor: Actor, id: string, input: z.infer<typeof ZPreAssessment>) =>
  intake(db, actor, id, async (tx, row, ctx) => {
    if (ctx.procedure_intake !== 'commune') throw new AppError('DOSSIER_STATE', { detail: 'Quy trình của hồ sơ này không có bước tiền đánh giá cấp xã' });
    const pre: PreAssessment = { ...input, by: labelOf(actor), at: new Date().toISOString() };
    await repo.updateDossier(tx, id, { preAssessment: pre });
    await recordAudit(tx, actor, 'pre_assess', 'dossier', id, { preAssessment: row.preAssessment }, { preAssessment: pre });
  });

export const acceptDossier = (db: Db, actor: Actor, id: string, input: { comment?: string; formatChecked?: boolean }) =>
  intake(db, actor, id, async (tx, row, ctx) => {
    const blocker = await acceptBlocker(tx, row, ctx, Boolean(input.formatChecked));
    if (blocker) throw blocker;
    await move(tx, actor, row, 'accept', { comment: input.comment });
    await notify(tx, await producerUserIds(tx, row.producerId), {
      kind: 'dossier_accepted', title: `Hồ sơ "${ctx.product_name}" đã được tiếp nhận`, body: 'Hồ sơ sẽ được đưa vào đợt đánh giá, phân hạng.', link: link(id), entityType: 'dossier', entityId: id,
    });
    await notify(tx, await provinceOfficerIds(tx), {
      kind: 'dossier_accepted', title: `Hồ sơ chờ đưa vào đợt đánh giá: ${ctx.product_name}`, body: ctx.producer_name, link: link(id), entityType: 'dossier', entityId: id,
    });
  });

/**
 * Assigns a dossier to a round: an accepted dossier by the province to a round of its procedure; a forwarded one by
 * the level it was forwarded to, to a round of that level (the round may follow the procedure in force by then).
 */
export async function assignDossier(db: Db, actor: Actor, id: string, roundId: string) {
  await db.transaction(async (tx) => {
    const { row, ctx, facts } = await load(tx, id, true);
    if (!canReadDossier(actor, facts)) throw forbidden();
    if (row.status !== 'accepted' && row.status !== 'forwarded') throw new AppError('DOSSIER_STATE', { detail: 'Chỉ hồ sơ đã tiếp nhận hoặc đã được cấp dưới chuyển lên mới được đưa vào đợt đánh giá' });
    if (!canAssignDossier(actor, facts)) throw forbidden();
    const round = await getRoundRow(tx, roundId).catch(() => undefined);
    if (!round) throw new AppError('VALIDATION', { errors: [{ path: 'roundId', message: 'Không có đợt đánh giá này' }] });
    if (round.status !== 'draft' && round.status !== 'scoring') throw new AppError('ROUND_STATE', { detail: 'Đợt đánh giá đã công bố kết quả, không thêm hồ sơ' });
    const forwarded = row.status === 'forwarded';
    if (forwarded) {
      const to = row.result?.forwardTo ?? null;
      if (round.level !== to) {
        throw new AppError('VALIDATION', { errors: [{ path: 'roundId', message: `Hồ sơ được chuyển lên ${to ? LEVEL_NAMES_VI[to as RecognitionLevel] : 'cấp trên'}; chọn đợt đánh giá của cấp đó (đợt này là ${LEVEL_NAMES_VI[round.level as RecognitionLevel]})` }] });
      }
    } else if (round.procedureCode !== row.procedureCode) {
      throw new AppError('VALIDATION', { errors: [{ path: 'roundId', message: `Đợt đánh giá theo quy trình ${round.procedureCode}, hồ sơ theo quy trình ${row.procedureCode}` }] });
    }
    if (!(await isProductInRound(tx, roundId, row.productId))) await addProductsTx(tx, actor, roundId, [row.productId]);
    await move(tx, actor, row, 'assign', {
      comment: `${forwarded ? `Tiếp nhận hồ sơ cấp dưới chuyển lên; ` : ''}đợt: ${round.name} (${LEVEL_NAMES_VI[round.level as RecognitionLevel]})`,
      patch: { roundId, ...(forwarded ? { forwardedFromRoundId: row.roundId } : {}) },
    });
    await notify(tx, await producerUserIds(tx, row.producerId), {
      kind: 'dossier_assigned', title: `Hồ sơ "${ctx.product_name}" được đưa vào đợt đánh giá`, body: round.name, link: link(id), entityType: 'dossier', entityId: id,
    });
  });
  return view(db, actor, id);
}

export async function withdrawDossier(db: Db, actor: Actor, id: string, comment?: string) {
  await db.transaction(async (tx) => {
    const { row, facts } = await load(tx, id, true);
    if (!canReadDossier(actor, facts)) throw forbidden();
    assertTransition(row, 'withdraw');
    if (!canWithdrawDossier(actor, facts)) throw forbidden();
    await move(tx, actor, row, 'withdraw', { comment });
  });
  return view(db, actor, id);
}

/**
 * Called by the evaluation module inside its finalisation transaction: each dossier assigned to the round takes
 * the council's outcome. Recognised results wait for the decision (certificate); forwarded and failed ones end here.
 */
export async function applyRoundResults(tx: Db, writer: Writer, roundId: string, results: { productId: string; result: ProductResult }[]) {
  const assigned = await repo.findDossiersOfRound(tx, roundId, 'assigned');
  if (!assigned.length) return;
  const round = await getRoundRow(tx, roundId);
  for (const d of assigned) {
    const res = results.find((r) => r.productId === d.productId)?.result;
    if (!res) continue;
    const score = res.meanScore == null ? '—' : res.meanScore.toFixed(2).replace('.', ',');
    const levelName = LEVEL_NAMES_VI[round.level as RecognitionLevel];
    const action: DossierAction = res.outcome === 'recognised' ? 'evaluate' : res.outcome === 'forwarded' ? 'forward' : 'reject';
    const returned = res.outcome === 'recognised' && res.issuingLevel && res.issuingLevel !== round.level;
    const comment = res.outcome === 'recognised'
      ? `Hội đồng ${levelName} chấm ${score} điểm, đạt ${res.finalStar}★; chờ quyết định công nhận${returned ? ` của ${LEVEL_NAMES_VI[res.issuingLevel as RecognitionLevel]}` : ''}`
      : res.outcome === 'forwarded' ? `Hội đồng ${levelName} chấm ${score} điểm; chuyển lên ${res.forwardTo ? LEVEL_NAMES_VI[res.forwardTo as RecognitionLevel] : 'cấp trên'}` : `Hội đồng ${levelName} chấm ${score} điểm; không đạt. ${res.reasons.join('; ')}`;
    const entry: LevelResult = {
      roundId, roundName: round.name, level: round.level, unitId: round.unitId, outcome: res.outcome, meanScore: res.meanScore, finalStar: res.finalStar,
      forwardTo: res.forwardTo, issuingLevel: res.issuingLevel ?? null, at: new Date().toISOString(),
    };
    await move(tx, writer, d, action, { comment, patch: { result: res, levelResults: [...(d.levelResults ?? []), entry] } });
    await notify(tx, await producerUserIds(tx, d.producerId), {
      kind: 'dossier_evaluated', title: 'Có kết quả đánh giá, phân hạng OCOP', body: comment, link: link(d.id), entityType: 'dossier', entityId: d.id,
    });
    if (res.outcome === 'forwarded') {
      // The receiving level's intake: the ministry's officers for the central council, the province otherwise.
      const to = res.forwardTo === 'central' ? await centralOfficerIds(tx) : await provinceOfficerIds(tx);
      await notify(tx, to, {
        kind: 'dossier_forwarded', title: `Hồ sơ được chuyển lên ${res.forwardTo ? LEVEL_NAMES_VI[res.forwardTo as RecognitionLevel] : 'cấp trên'} đánh giá`,
        body: comment, link: link(d.id), entityType: 'dossier', entityId: d.id,
      });
    }
  }
}

/** The dossier behind a round's product (the one evaluated there, else the latest), for the certificate. */
export async function dossierOfRoundProduct(tx: Db, roundId: string, productId: string) {
  const rows = [...(await repo.findDossiersOfRound(tx, roundId, 'evaluated')), ...(await repo.findDossiersOfRound(tx, roundId, 'recognised'))];
  return rows.find((d) => d.productId === productId) ?? null;
}

/**
 * The round of a dossier's earlier level (the one a below-band result returns to), for the certificates module:
 * the dossier evaluated in `roundId` for `productId`, its level result at `level`.
 */
export async function issuingRoundOf(tx: Db, productId: string, roundId: string, level: string) {
  const d = (await repo.findDossiersOfRound(tx, roundId, 'evaluated')).find((x) => x.productId === productId);
  const entry = [...(d?.levelResults ?? [])].reverse().find((l) => l.level === level);
  return entry ? { roundId: entry.roundId, unitId: entry.unitId } : null;
}

/** Called by the certificates module when it issues the certificate for a round result: evaluated → recognised. */
export async function markDossierRecognised(tx: Db, writer: Writer, input: { roundId: string; productId: string; certificateId: string; certificateNumber?: string }) {
  const candidates = await repo.findDossiersOfRound(tx, input.roundId, 'evaluated');
  const d = candidates.find((x) => x.productId === input.productId);
  if (!d) return null;
  return move(tx, writer, d, 'recognise', { comment: input.certificateNumber ? `Cấp giấy chứng nhận số ${input.certificateNumber}` : 'Đã cấp giấy chứng nhận' });
}
