import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, fromDbError, notFound } from '../../lib/errors.js';
import {
  DEFAULT_STAR_BANDS, improvements, mandatoryCap, mean, round2, scoreSheet, spread, starOfScore,
  type Answers, type CriteriaSheetDoc, type StarBands,
} from '../../../shared/criteria.js';
import { recordAudit } from '../audit/service.js';
import * as criteria from '../criteria/service.js';
import type { ProcedureDoc } from '../criteria/tables.js';
import { findUnitById } from '../geo/service.js';
import { findProducerRow } from '../producers/service.js';
import { findProductRow, findProductRows } from '../products/service.js';
import { findUserById, findUsers } from '../users/service.js';
import { notify } from '../notifications/service.js';
import { canChair, canDeclareConflict, canManageRound, canManageRounds, canScore, canSeeSpread, canSelfAssess, canViewRound, canViewSelfAssessment } from './policy.js';
import { belowBandLevel, LEVEL_NAMES_VI, requiredValidSheets } from '../recognition/authority.js';
import { assertRoundAuthority } from '../recognition/service.js';
import { todayInVietnam } from '../../../shared/certificate-dates.js';
import type { RecognitionLevel } from '../criteria/tables.js';
import { LEVEL_LABELS } from './presenter.js';
import * as repo from './repository.js';
import { CONFLICT_REASONS, SCORING_ROLES, type CreateRound } from './schema.js';
import type { ProductResult, RoundRow, ScoreSheetRow } from './tables.js';

const isScoringRole = (role: string) => (SCORING_ROLES as readonly string[]).includes(role);

export async function getRoundRow(db: Db, id: string) {
  const r = await repo.findRound(db, id);
  if (!r) throw notFound('Không tìm thấy đợt đánh giá');
  return r;
}

/** Whether a product is already in a round (the dossiers module asks before adding it). */
export async function isProductInRound(db: Db, roundId: string, productId: string) {
  return Boolean(await repo.findRoundProduct(db, roundId, productId));
}

async function membershipOf(db: Db, roundId: string, userId: string) {
  return (await repo.findMembers(db, roundId)).find((m) => m.userId === userId);
}

async function presentRound(db: Db, r: RoundRow, actor: Actor) {
  const [members, unit, proc, set, productCount] = await Promise.all([
    repo.findMembers(db, r.id), r.unitId === null ? Promise.resolve(undefined) : findUnitById(db, r.unitId), criteria.findProcedure(db, r.procedureCode), criteria.findSet(db, r.criteriaSetId), repo.countRoundProducts(db, r.id),
  ]);
  const mine = members.find((m) => m.userId === actor.id);
  const manage = canManageRound(actor, r);
  const chair = canChair(actor, mine);
  const open = r.status !== 'finalised';
  const allowed: ('manage' | 'openScoring' | 'addProducts' | 'chair' | 'addSubstitute' | 'recordConflict')[] = [];
  if (manage) allowed.push('manage');
  if (manage && r.status === 'draft') allowed.push('openScoring');
  if (manage && (r.status === 'draft' || r.status === 'scoring')) allowed.push('addProducts');
  if (chair) allowed.push('chair');
  if ((chair || manage) && open) allowed.push('addSubstitute');
  if (chair && open) allowed.push('recordConflict');
  const scoring = members.filter((m) => isScoringRole(m.role)).length;
  return {
    id: r.id, name: r.name, level: r.level as 'province',
    unit: { id: r.unitId, name: unit?.name ?? (r.level === 'central' ? (proc?.doc.levels.find((l) => l.level === 'central')?.name ?? 'Trung ương') : '?') },
    startsOn: r.startsOn, endsOn: r.endsOn,
    procedure: { code: r.procedureCode, name: proc?.name ?? r.procedureCode },
    criteriaSet: { id: set.id, code: set.code, name: set.name, isDemo: set.isDemo },
    spreadThreshold: Number(r.spreadThreshold), quorumRatio: Number(r.quorumRatio), minValidSheets: r.minValidSheets ?? null,
    requiredSheets: requiredValidSheets(scoring, proc?.doc ?? { levels: [] }, r),
    status: r.status as 'draft',
    members: members.map((m) => ({ userId: m.userId, fullName: m.fullName, role: m.role as 'member', substituteFor: m.substituteFor ?? null, addedReason: m.addedReason ?? null })),
    myRole: (mine?.role ?? null) as 'member' | null,
    allowedActions: allowed,
    productCount, finalisedAt: r.finalisedAt ? r.finalisedAt.toISOString() : null,
  };
}

/** Whether a commune officer's communes have a product in the round (their only way to see it). */
async function roundInScope(db: Db, actor: Actor, roundId: string) {
  if (actor.role !== 'commune_officer') return false;
  return (await repo.findRoundIdsWithProductsIn(db, [...actor.scopeUnitIds])).has(roundId);
}

async function assertCanView(db: Db, actor: Actor, r: RoundRow) {
  const m = await membershipOf(db, r.id, actor.id);
  if (!canViewRound(actor, m, r, await roundInScope(db, actor, r.id))) throw forbidden();
  return m;
}

/** Active accounts that may sit on a council: officers and council members (never producers or viewers). */
export async function councilCandidates(db: Db, actor: Actor) {
  if (!canManageRounds(actor)) throw forbidden();
  const users = await findUsers(db);
  return users
    .filter((u) => u.isActive && ['admin', 'province_officer', 'commune_officer', 'council_member'].includes(u.role))
    .map((u) => ({ id: u.id, fullName: u.fullName, login: u.login, role: u.role }));
}

export async function listRounds(db: Db, actor: Actor) {
  const [all, mine, inScope] = await Promise.all([
    repo.findRounds(db), repo.findMembershipsOf(db, actor.id),
    actor.role === 'commune_officer' ? repo.findRoundIdsWithProductsIn(db, [...actor.scopeUnitIds]) : Promise.resolve(new Set<string>()),
  ]);
  const visible = all.filter((r) => canViewRound(actor, mine.find((m) => m.roundId === r.id), r, inScope.has(r.id)));
  return Promise.all(visible.map((r) => presentRound(db, r, actor)));
}

export async function getRound(db: Db, actor: Actor, id: string) {
  const r = await getRoundRow(db, id);
  await assertCanView(db, actor, r);
  return presentRound(db, r, actor);
}

/** The pinned sheet of each product: the set's sheet for the product's taxonomy leaf (two queries for any count). */
async function sheetsForProducts(db: Db, setId: number, setCode: string, productIds: string[]) {
  const products = await findProductRows(db, productIds);
  const sheets = new Map((await criteria.findSheetsOfSets(db, [setId])).map((sh) => [sh.taxonomyNodeId, sh.id]));
  return productIds.map((pid) => {
    const p = products.find((x) => x.id === pid);
    if (!p) throw new AppError('VALIDATION', { errors: [{ path: 'productIds', message: `Không có sản phẩm ${pid}` }] });
    const sheetId = sheets.get(p.taxonomyNodeId);
    if (!sheetId) throw new AppError('NO_SHEET_FOR_PRODUCT', { detail: `Bộ tiêu chí (${setCode}) chưa có phiếu cho phân nhóm của sản phẩm "${p.name}"`, errors: [{ path: 'productIds', message: p.name }] });
    return { productId: pid, sheetId };
  });
}

const ROLE_NAMES_VI: Record<string, string> = { chair: 'chủ tịch', vice_chair: 'phó chủ tịch', member: 'thành viên', secretary: 'thư ký', advisor: 'tổ tư vấn' };

/**
 * Whoever is put on a council is told in the app, in the same transaction, with a link to the round (the person who
 * made the change is not told about their own seat).
 */
async function notifyNewMembers(tx: Db, actor: Actor, round: { id: string; name: string }, members: { userId: string; role: string }[]) {
  for (const m of members) {
    if (m.userId === actor.id) continue;
    await notify(tx, [m.userId], {
      kind: 'council_member_added',
      title: `Bạn được cử vào hội đồng đánh giá: ${round.name}`,
      body: `Vai trò: ${ROLE_NAMES_VI[m.role] ?? m.role}. Mở đợt đánh giá để xem sản phẩm và phiếu chấm.`,
      link: `/rounds/${round.id}`,
      entityType: 'round',
      entityId: round.id,
    });
  }
}

export async function createRound(db: Db, actor: Actor, input: CreateRound) {
  if (!canManageRounds(actor)) throw forbidden();
  try {
    const id = await db.transaction(async (tx) => {
      const set = await criteria.findSet(tx, input.criteriaSetId);
      if (!set || set.status !== 'published') throw new AppError('VALIDATION', { errors: [{ path: 'criteriaSetId', message: 'Chọn một bộ tiêu chí đã ban hành' }] });
      // Procedure in force, level of the procedure, unit of the level on the round's dates, the creator's authority.
      const proc = await assertRoundAuthority(tx, actor, input, todayInVietnam());
      const scoring = input.members.filter((m) => isScoringRole(m.role)).length;
      const minimum = requiredValidSheets(scoring, proc.doc, input);
      if (scoring < minimum) {
        throw new AppError('VALIDATION', { detail: `Hội đồng có ${scoring} thành viên chấm điểm; kết quả cần ít nhất ${minimum} phiếu hợp lệ`, errors: [{ path: 'members', message: `Cần ít nhất ${minimum} thành viên chấm điểm (chủ tịch, phó chủ tịch, thành viên)` }] });
      }
      for (const m of input.members) {
        const u = await findUserById(tx, m.userId);
        if (!u || !u.isActive || u.role === 'producer' || u.role === 'viewer') {
          throw new AppError('VALIDATION', { errors: [{ path: 'members', message: 'Thành viên hội đồng phải là tài khoản cán bộ hoặc thành viên hội đồng đang hoạt động' }] });
        }
      }
      const round = await repo.insertRound(tx, {
        name: input.name, level: input.level, unitId: input.unitId, startsOn: input.startsOn, endsOn: input.endsOn,
        procedureCode: input.procedureCode, criteriaSetId: input.criteriaSetId, spreadThreshold: input.spreadThreshold, quorumRatio: input.quorumRatio,
        minValidSheets: input.minValidSheets,
      });
      await repo.insertMembers(tx, round.id, input.members);
      await notifyNewMembers(tx, actor, { id: round.id, name: input.name }, input.members);
      const pinned = await sheetsForProducts(tx, set.id, set.code, input.productIds);
      await repo.insertRoundProducts(tx, pinned.map((x) => ({ roundId: round.id, ...x })));
      await recordAudit(tx, actor, 'create', 'round', round.id, null, { ...input });
      return round.id;
    });
    return getRound(db, actor, id);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

/** Adds products to a round inside the caller's transaction (the dossiers module assigns through this). */
export async function addProductsTx(tx: Db, actor: Actor, roundId: string, productIds: string[]) {
  const r = await getRoundRow(tx, roundId);
  if (!canManageRound(actor, r)) throw forbidden();
  if (r.status === 'results_open' || r.status === 'finalised') throw new AppError('ROUND_STATE', { detail: 'Không thêm sản phẩm sau khi đã công bố kết quả' });
  const set = (await criteria.findSet(tx, r.criteriaSetId))!;
  const pinned = await sheetsForProducts(tx, set.id, set.code, productIds);
  await repo.insertRoundProducts(tx, pinned.map((x) => ({ roundId, ...x })));
  await recordAudit(tx, actor, 'add_products', 'round', roundId, null, { productIds });
}

export async function addProducts(db: Db, actor: Actor, roundId: string, productIds: string[]) {
  await db.transaction((tx) => addProductsTx(tx, actor, roundId, productIds));
  return getRound(db, actor, roundId);
}

async function transition(db: Db, actor: Actor, roundId: string, from: string[], to: string, who: 'manager' | 'chair', extra: Partial<RoundRow> = {}) {
  await db.transaction(async (tx) => {
    const r = await getRoundRow(tx, roundId);
    const m = await membershipOf(tx, roundId, actor.id);
    if (who === 'manager' ? !canManageRound(actor, r) : !canChair(actor, m)) throw forbidden();
    if (!from.includes(r.status)) throw new AppError('ROUND_STATE');
    if (to === 'scoring' && (await repo.countRoundProducts(tx, roundId)) === 0) throw new AppError('ROUND_STATE', { detail: 'Đợt đánh giá chưa có sản phẩm' });
    await repo.setRoundStatus(tx, roundId, to, extra);
    await recordAudit(tx, actor, `status:${to}`, 'round', roundId, { status: r.status }, { status: to });
  });
  return getRound(db, actor, roundId);
}

export const openScoring = (db: Db, actor: Actor, id: string) => transition(db, actor, id, ['draft'], 'scoring', 'manager');
export const openResults = (db: Db, actor: Actor, id: string) => transition(db, actor, id, ['scoring'], 'results_open', 'chair', { resultsOpenedAt: new Date() });

/**
 * A member declares a conflict of interest for a product: only while the round is being prepared or scored and
 * before the member submitted that product's sheet (never with the others' scores in view).
 */
export async function declareConflict(db: Db, actor: Actor, roundId: string, productId: string, reason: string, note: string | null) {
  await db.transaction(async (tx) => {
    const r = await getRoundRow(tx, roundId);
    if (!canDeclareConflict(actor, await membershipOf(tx, roundId, actor.id))) throw forbidden();
    if (r.status !== 'draft' && r.status !== 'scoring') {
      throw new AppError('CONFLICT_TOO_LATE', { detail: 'Kết quả chấm đã được công bố: không tự khai xung đột lợi ích được nữa. Nếu phát hiện xung đột, chủ tịch hội đồng ghi nhận kèm lý do.' });
    }
    if (!(await repo.findRoundProduct(tx, roundId, productId))) throw notFound('Sản phẩm không thuộc đợt đánh giá này');
    const sheet = await repo.findScoreSheet(tx, roundId, productId, actor.id);
    if (sheet?.status === 'submitted') {
      throw new AppError('CONFLICT_TOO_LATE', { detail: 'Bạn đã nộp phiếu chấm sản phẩm này: xung đột lợi ích phải khai trước khi nộp phiếu. Nếu phát hiện sau, chủ tịch hội đồng ghi nhận kèm lý do.' });
    }
    await repo.insertConflict(tx, { roundId, productId, userId: actor.id, reason, note });
    await recordAudit(tx, actor, 'declare_conflict', 'round', roundId, null, { productId, reason, note });
  });
}

/**
 * A conflict discovered after the member submitted (or after results opened) is recorded by the chair with a
 * reason: it voids that member's sheet for the product (the member stays in the council's count) and, when results
 * were open, sends the round back to scoring so that the product can be scored again (e.g. by a substitute).
 */
export async function recordLateConflict(db: Db, actor: Actor, roundId: string, productId: string, input: { memberId: string; reason: (typeof CONFLICT_REASONS)[number]; note: string }) {
  await db.transaction(async (tx) => {
    const r = await getRoundRow(tx, roundId);
    if (!canChair(actor, await membershipOf(tx, roundId, actor.id))) throw forbidden('Chỉ chủ tịch hội đồng ghi nhận xung đột lợi ích phát hiện sau');
    if (r.status === 'finalised') throw new AppError('ROUND_STATE', { detail: 'Đợt đánh giá đã hoàn tất' });
    if (!(await repo.findRoundProduct(tx, roundId, productId))) throw notFound('Sản phẩm không thuộc đợt đánh giá này');
    const member = await membershipOf(tx, roundId, input.memberId);
    if (!member) throw new AppError('VALIDATION', { errors: [{ path: 'memberId', message: 'Không phải thành viên hội đồng này' }] });
    const sheet = await repo.findScoreSheet(tx, roundId, productId, input.memberId);
    await repo.insertConflict(tx, { roundId, productId, userId: input.memberId, reason: input.reason, note: input.note, recordedBy: actor.id, voidsSheet: Boolean(sheet) });
    if (r.status === 'results_open') {
      await repo.setRoundStatus(tx, roundId, 'scoring', { resultsOpenedAt: null });
      await recordAudit(tx, actor, 'status:scoring', 'round', roundId, { status: r.status }, { status: 'scoring', reason: 'late_conflict' });
    }
    await recordAudit(tx, actor, 'record_late_conflict', 'round', roundId, null, {
      productId, memberId: input.memberId, reason: input.reason, note: input.note, voidedSheet: sheet ? { id: sheet.id, status: sheet.status, total: Number(sheet.total) } : null,
    });
  });
  return getRound(db, actor, roundId);
}

/** The chair (or the organiser) adds a substitute scoring member, recorded with who they replace and why. */
export async function addSubstitute(db: Db, actor: Actor, roundId: string, input: { userId: string; replaces: string | null; reason: string }) {
  await db.transaction(async (tx) => {
    const r = await getRoundRow(tx, roundId);
    const m = await membershipOf(tx, roundId, actor.id);
    if (!canChair(actor, m) && !canManageRound(actor, r)) throw forbidden();
    if (r.status === 'finalised') throw new AppError('ROUND_STATE', { detail: 'Đợt đánh giá đã hoàn tất' });
    if (await membershipOf(tx, roundId, input.userId)) throw new AppError('VALIDATION', { errors: [{ path: 'userId', message: 'Người này đã ở trong hội đồng' }] });
    if (input.replaces && !(await membershipOf(tx, roundId, input.replaces))) throw new AppError('VALIDATION', { errors: [{ path: 'replaces', message: 'Không phải thành viên hội đồng này' }] });
    const u = await findUserById(tx, input.userId);
    if (!u || !u.isActive || u.role === 'producer' || u.role === 'viewer') {
      throw new AppError('VALIDATION', { errors: [{ path: 'userId', message: 'Thành viên hội đồng phải là tài khoản cán bộ hoặc thành viên hội đồng đang hoạt động' }] });
    }
    await repo.insertMembers(tx, roundId, [{ userId: input.userId, role: 'member', substituteFor: input.replaces, addedReason: input.reason, addedAt: new Date(), addedBy: actor.id }]);
    await notifyNewMembers(tx, actor, r, [{ userId: input.userId, role: 'member' }]);
    if (r.status === 'results_open') {
      // The substitute scores blind: the round goes back to scoring until the chair opens results again.
      await repo.setRoundStatus(tx, roundId, 'scoring', { resultsOpenedAt: null });
      await recordAudit(tx, actor, 'status:scoring', 'round', roundId, { status: r.status }, { status: 'scoring', reason: 'substitute' });
    }
    await recordAudit(tx, actor, 'add_substitute', 'round', roundId, null, { userId: input.userId, replaces: input.replaces, reason: input.reason });
  });
  return getRound(db, actor, roundId);
}

// ---------------------------------------------------------------- scoring

async function scoringContext(db: Db, actor: Actor, roundId: string, productId: string) {
  const r = await getRoundRow(db, roundId);
  const m = await membershipOf(db, roundId, actor.id);
  if (!canScore(actor, m)) throw forbidden('Bạn không phải thành viên chấm điểm của hội đồng này');
  const rp = await repo.findRoundProduct(db, roundId, productId);
  if (!rp) throw notFound('Sản phẩm không thuộc đợt đánh giá này');
  const conflicted = await repo.hasConflict(db, roundId, productId, actor.id);
  const sheet = (await criteria.findSheet(db, rp.sheetId))!;
  return { r, rp, sheet, conflicted };
}

async function presentMySheet(db: Db, actor: Actor, r: RoundRow, sheet: { id: number; title: string; isDemo: boolean; doc: CriteriaSheetDoc }, productId: string, s: ScoreSheetRow | undefined) {
  const p = (await findProductRow(db, productId))!;
  const producer = await findProducerRow(db, p.producerId);
  const answers = s?.answers ?? {};
  const score = scoreSheet(sheet.doc, answers);
  return {
    id: s?.id ?? null, status: (s?.status ?? 'none') as 'none', roundStatus: r.status,
    product: { id: p.id, name: p.name, producerName: producer?.legalName ?? '' },
    sheet: { id: sheet.id, title: sheet.title, isDemo: sheet.isDemo, doc: sheet.doc },
    answers, notes: s?.notes ?? {}, total: score.total, partTotals: score.parts, missing: score.missing, version: s?.version ?? null, memberName: actor.fullName,
  };
}

export async function getMySheet(db: Db, actor: Actor, roundId: string, productId: string) {
  const { r, sheet, conflicted } = await scoringContext(db, actor, roundId, productId);
  if (conflicted) throw new AppError('CONFLICT_OF_INTEREST');
  return presentMySheet(db, actor, r, sheet, productId, await repo.findScoreSheet(db, roundId, productId, actor.id));
}

/** Saves a draft or submits; totals come from the chosen options only. */
export async function saveMySheet(db: Db, actor: Actor, roundId: string, productId: string, body: { answers: Answers; notes: Record<string, string> }, submit: boolean) {
  try {
    // The reply is built from what the transaction already loaded (autosave runs every few seconds per member).
    return await db.transaction(async (tx) => {
      const { r, sheet, conflicted } = await scoringContext(tx, actor, roundId, productId);
      if (conflicted) throw new AppError('CONFLICT_OF_INTEREST');
      if (r.status !== 'scoring' && r.status !== 'results_open') throw new AppError('ROUND_STATE', { detail: 'Đợt đánh giá chưa mở hoặc đã kết thúc chấm điểm' });
      const existing = await repo.findScoreSheet(tx, roundId, productId, actor.id);
      if (existing?.status === 'submitted') throw new AppError('SHEET_LOCKED');
      // Once results are open members see each other's sheets: only a sheet the chair reopened may change then,
      // never a draft left unsubmitted (that would be scoring with the others' scores in view).
      if (r.status !== 'scoring' && (!existing || !(await repo.findReopenings(tx, [existing.id])).length)) {
        throw new AppError('ROUND_STATE', { detail: 'Đã công bố kết quả: chỉ phiếu được chủ tịch mở lại mới chấm tiếp được' });
      }
      // Only answers for criteria of this sheet, with an option that exists, are kept.
      const valid: Answers = {};
      const score0 = scoreSheet(sheet.doc, body.answers);
      for (const [code, idx] of Object.entries(body.answers)) if (code in score0.byCriterion && !score0.missing.includes(code)) valid[code] = idx;
      const notes = Object.fromEntries(Object.entries(body.notes).filter(([code, v]) => code in score0.byCriterion && v.trim() !== ''));
      const score = scoreSheet(sheet.doc, valid);
      if (submit && score.missing.length) {
        throw new AppError('SHEET_INCOMPLETE', { detail: `Còn ${score.missing.length} tiêu chí chưa chấm: ${score.missing.slice(0, 10).join(', ')}`, errors: score.missing.map((c) => ({ path: `answers.${c}`, message: 'Chưa chọn phương án' })) });
      }
      const saved = await repo.upsertScoreSheet(tx, {
        roundId, productId, memberId: actor.id, sheetId: sheet.id, answers: valid, notes, total: score.total, partTotals: score.parts,
        status: submit ? 'submitted' : 'draft', submittedAt: submit ? new Date() : null,
      });
      if (submit) await recordAudit(tx, actor, 'submit_score_sheet', 'score_sheet', saved.id, null, { roundId, productId, total: score.total });
      return presentMySheet(tx, actor, r, sheet, productId, saved);
    });
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

/** A member's sheet as seen by someone else: only once the chair has opened results (blind scoring). */
export async function getSheetById(db: Db, actor: Actor, sheetId: string) {
  const s = await repo.findScoreSheetById(db, sheetId);
  if (!s) throw notFound('Không tìm thấy phiếu chấm');
  const r = await getRoundRow(db, s.roundId);
  const m = await membershipOf(db, s.roundId, actor.id);
  const resultsOpen = r.status === 'results_open' || r.status === 'finalised';
  // Commune officers read sheets only of products registered in their communes.
  const p = actor.role === 'commune_officer' ? await findProductRow(db, s.productId) : undefined;
  const inScope = Boolean(p && actor.scopeUnitIds.has(p.registeredUnitId));
  const allowed = s.memberId === actor.id || (resultsOpen && canViewRound(actor, m, r, inScope) && (actor.role !== 'commune_officer' || inScope || Boolean(m)));
  if (!allowed) throw forbidden('Chấm điểm độc lập: chưa được xem phiếu của thành viên khác trước khi chủ tịch công bố kết quả');
  const sheet = (await criteria.findSheet(db, s.sheetId))!;
  const member = await findUserById(db, s.memberId);
  const score = scoreSheet(sheet.doc, s.answers);
  return { s, sheet, member, score, round: r };
}

export async function reopenSheet(db: Db, actor: Actor, roundId: string, sheetId: string, reason: string) {
  await db.transaction(async (tx) => {
    const r = await getRoundRow(tx, roundId);
    if (!canChair(actor, await membershipOf(tx, roundId, actor.id))) throw forbidden();
    if (r.status !== 'scoring' && r.status !== 'results_open') throw new AppError('ROUND_STATE');
    const s = await repo.findScoreSheetById(tx, sheetId);
    if (!s || s.roundId !== roundId) throw notFound('Không tìm thấy phiếu chấm');
    if (s.status !== 'submitted') throw new AppError('ROUND_STATE', { detail: 'Phiếu chưa nộp, không cần mở lại' });
    await repo.reopenScoreSheet(tx, sheetId);
    await repo.insertReopening(tx, { scoreSheetId: sheetId, reopenedBy: actor.id, reason, previousTotal: Number(s.total) });
    await recordAudit(tx, actor, 'reopen_score_sheet', 'score_sheet', sheetId, { status: 'submitted', total: Number(s.total) }, { status: 'draft', reason });
  });
}

// ---------------------------------------------------------------- results

interface Computed { productId: string; result: ProductResult; memberScores: { memberId: string; status: string; total: number | null; sheetId: string | null }[] }

/**
 * Results of every product of a round from the submitted sheets: mean (unrounded), star by the set's bands,
 * cap by mandatory criteria (a mandatory criterion passes when more than half of the submitted sheets score it
 * above zero), quorum (ratio of the eligible scoring members, chair included unless conflicted), spread flag,
 * and the outcome under the round's procedure version.
 */
export function computeResults(
  round: Pick<RoundRow, 'level' | 'spreadThreshold' | 'quorumRatio'> & { minValidSheets?: number | null },
  members: { userId: string; role: string }[],
  products: { productId: string; doc: CriteriaSheetDoc }[],
  sheets: Pick<ScoreSheetRow, 'id' | 'productId' | 'memberId' | 'status' | 'total' | 'answers'>[],
  conflicts: { productId: string; userId: string }[],
  procedure: ProcedureDoc,
  bands: StarBands = DEFAULT_STAR_BANDS,
): Computed[] {
  const scorers = members.filter((m) => isScoringRole(m.role));
  const chair = members.find((m) => m.role === 'chair');
  const level = procedure.levels.find((l) => l.level === round.level);
  const sheetsBy = new Map<string, typeof sheets>();
  for (const s of sheets) sheetsBy.set(s.productId, [...(sheetsBy.get(s.productId) ?? []), s]);
  return products.map(({ productId, doc }) => {
    const conflicted = new Set(conflicts.filter((c) => c.productId === productId).map((c) => c.userId));
    const eligible = scorers.filter((m) => !conflicted.has(m.userId));
    const mine = (sheetsBy.get(productId) ?? []).filter((s) => !conflicted.has(s.memberId) && eligible.some((e) => e.userId === s.memberId));
    const submitted = mine.filter((s) => s.status === 'submitted');
    const totals = submitted.map((s) => Number(s.total));
    // Conflicted members stay in the denominator: standing aside never lowers the bar.
    const needed = requiredValidSheets(scorers.length, procedure, { minValidSheets: round.minValidSheets, quorumRatio: Number(round.quorumRatio) });
    const chairOk = !chair || conflicted.has(chair.userId) || submitted.some((s) => s.memberId === chair.userId);
    const quorumMet = eligible.length > 0 && submitted.length >= needed && chairOk;
    const sp = spread(totals);
    const reasons: string[] = [];
    let meanScore: number | null = null;
    let starByScore: number | null = null;
    let cap: number | null = null;
    let finalStar: number | null = null;
    let outcome: ProductResult['outcome'] = 'not_recognised';
    let forwardTo: string | null = null;
    let issuingLevel: string | null = null;
    if (!quorumMet) reasons.push(`Chưa đủ phiếu hợp lệ: ${submitted.length}/${scorers.length} thành viên chấm điểm (cần ${needed}${conflicted.size ? `; ${conflicted.size} người xung đột lợi ích vẫn tính vào tổng số` : ''}${chairOk ? '' : ', kể cả chủ tịch'})`);
    if (totals.length) {
      meanScore = mean(totals);
      starByScore = starOfScore(meanScore, bands);
      // Mandatory criteria by majority of the submitted sheets.
      const scored = submitted.map((s) => scoreSheet(doc, s.answers));
      const passShare: Record<string, number> = {};
      for (const sc of scored) {
        for (const [code, pts] of Object.entries(sc.byCriterion)) passShare[code] = (passShare[code] ?? 0) + (pts > 0 ? 1 : 0);
      }
      const majority = Object.fromEntries(Object.entries(passShare).map(([c, n]) => [c, n * 2 > submitted.length ? 1 : 0]));
      const m = mandatoryCap(doc, majority);
      cap = m.cap;
      finalStar = Math.min(starByScore, cap);
      if (m.failed.length) reasons.push(`Không đạt tiêu chí bắt buộc: ${m.failed.map((f) => `${f.code} (từ ${f.fromStar}★)`).join(', ')} — hạng tối đa ${cap}★`);
      const disq = scored.some((sc) => sc.disqualified.length > 0);
      const recognises = level?.recognisesStars ?? [];
      const maxRec = recognises.length ? Math.max(...recognises) : 0;
      if (disq) reasons.push('Có tiêu chí loại trực tiếp');
      else if (level?.forwardTo && level.forwardFrom !== null && meanScore >= level.forwardFrom - 1e-9 && finalStar >= 3 && finalStar > maxRec) {
        outcome = 'forwarded';
        forwardTo = level.forwardTo;
        reasons.push(`Đạt ${round2(meanScore)} điểm (≥ ${level.forwardFrom}): chuyển lên cấp trên đánh giá (${procedure.levels.find((l) => l.level === level.forwardTo)?.name ?? LEVEL_LABELS[level.forwardTo] ?? level.forwardTo})`);
      } else if (finalStar >= 3 && recognises.includes(finalStar)) {
        outcome = 'recognised';
        issuingLevel = round.level;
        reasons.push(`Công nhận ${finalStar}★ tại cấp này`);
      } else if (finalStar >= 3 && recognises.length && finalStar > maxRec) {
        outcome = 'recognised';
        issuingLevel = round.level;
        reasons.push(`Công nhận ${maxRec}★ — hạng cao nhất cấp này được công nhận`);
        finalStar = maxRec;
      } else if (finalStar < 3) {
        reasons.push(`Dưới 3★ (${round2(meanScore)} điểm): không công nhận`);
      } else if (belowBandLevel({ doc: procedure }, round.level as RecognitionLevel, finalStar)) {
        // A higher council scored below its own stars: the level down the forwarding chain recognises (procedure data).
        issuingLevel = belowBandLevel({ doc: procedure }, round.level as RecognitionLevel, finalStar);
        outcome = 'recognised';
        reasons.push(`Đạt ${finalStar}★ (${round2(meanScore)} điểm), dưới hạng sao ${LEVEL_NAMES_VI[round.level as RecognitionLevel]} công nhận: trả kết quả về ${LEVEL_NAMES_VI[issuingLevel as RecognitionLevel]} công nhận ${finalStar}★`);
      } else {
        reasons.push(`Cấp này không công nhận ${finalStar}★ và điểm chưa đủ để chuyển cấp`);
      }
    }
    if (!quorumMet) { outcome = 'not_recognised'; issuingLevel = null; }
    const memberScores = eligible.map((e) => {
      const s = mine.find((x) => x.memberId === e.userId);
      return { memberId: e.userId, status: s?.status ?? 'missing', total: s ? Number(s.total) : null, sheetId: s?.id ?? null };
    });
    for (const c of conflicted) memberScores.push({ memberId: c, status: 'conflict', total: null, sheetId: null });
    return {
      productId,
      memberScores,
      result: {
        meanScore, submittedCount: submitted.length, eligibleCount: eligible.length, quorumMet, spread: sp,
        spreadFlag: sp > Number(round.spreadThreshold) + 1e-9, starByScore, mandatoryCap: cap, finalStar, outcome, forwardTo, requiredSheets: needed, issuingLevel, reasons,
      },
    };
  });
}

async function computeRound(db: Db, r: RoundRow) {
  const [members, rps, sheets, conflicts, proc, set] = await Promise.all([
    repo.findMembers(db, r.id), repo.findRoundProducts(db, r.id), repo.findSheetsOfRound(db, r.id), repo.findConflicts(db, r.id),
    criteria.findProcedure(db, r.procedureCode), criteria.findSet(db, r.criteriaSetId),
  ]);
  const docs = new Map((await criteria.findSheetsByIds(db, [...new Set(rps.map((p) => p.rp.sheetId))])).map((s) => [s.id, s.doc]));
  const computed = computeResults(r, members, rps.map((p) => ({ productId: p.rp.productId, doc: docs.get(p.rp.sheetId)! })), sheets, conflicts, proc!.doc, set?.starBands);
  return { members, rps, computed, conflicts };
}

/** Per-product view of a round; what is shown depends on who asks and whether results are open. */
export async function roundProducts(db: Db, actor: Actor, roundId: string) {
  const r = await getRoundRow(db, roundId);
  const m = await assertCanView(db, actor, r);
  const { members, rps: all, computed, conflicts } = await computeRound(db, r);
  // A commune officer (not on the council) sees only the products of their communes.
  const rps = actor.role === 'commune_officer' && !m ? all.filter((p) => actor.scopeUnitIds.has(p.registeredUnitId)) : all;
  const resultsOpen = r.status === 'results_open' || r.status === 'finalised';
  const seeSpread = canSeeSpread(actor, m, r) || resultsOpen;
  const names = new Map(members.map((x) => [x.userId, x.fullName]));
  return rps.map((p) => {
    const c = computed.find((x) => x.productId === p.rp.productId)!;
    const mineConflict = conflicts.some((k) => k.productId === p.rp.productId && k.userId === actor.id);
    const mineSheet = c.memberScores.find((s) => s.memberId === actor.id);
    const myStatus = !m || !isScoringRole(m.role) ? 'not_scoring' : mineConflict ? 'conflict' : mineSheet?.status === 'submitted' ? 'submitted' : mineSheet?.status === 'draft' ? 'draft' : 'none';
    return {
      productId: p.rp.productId, name: p.name, producerName: p.producerName, taxonomyCode: p.taxonomyCode, sheetId: p.rp.sheetId, sheetTitle: p.sheetTitle, isDemoSheet: p.isDemoSheet,
      eligibleCount: c.result.eligibleCount, submittedCount: c.result.submittedCount, conflictCount: conflicts.filter((k) => k.productId === p.rp.productId).length,
      myStatus: myStatus as 'none', myTotal: mineSheet?.total ?? null,
      spread: seeSpread ? c.result.spread : null, spreadFlag: seeSpread ? c.result.spreadFlag : null, quorumMet: seeSpread ? c.result.quorumMet : null,
      discussionNote: p.rp.discussionNote,
      // Only submitted totals are shown to others; a draft stays private to its member.
      memberScores: resultsOpen ? c.memberScores.map((s) => ({ ...s, total: s.status === 'submitted' || s.memberId === actor.id ? s.total : null, fullName: names.get(s.memberId) ?? '?' })) : null,
      result: resultsOpen ? (r.status === 'finalised' && p.rp.result ? p.rp.result : c.result) : null,
    };
  });
}

/**
 * Finalises a round inside the caller's transaction and returns each product's result; the recognition module's
 * orchestrator (recognition/orchestrate.ts) then moves the dossiers in the same transaction.
 */
export async function finaliseTx(tx: Db, actor: Actor, roundId: string, discussionNotes: Record<string, string>) {
  const r = await getRoundRow(tx, roundId);
  if (!canChair(actor, await membershipOf(tx, roundId, actor.id))) throw forbidden();
  if (r.status !== 'results_open') throw new AppError('ROUND_STATE', { detail: 'Chỉ hoàn tất sau khi đã công bố kết quả chấm' });
  const { rps, computed } = await computeRound(tx, r);
  const noQuorum = computed.filter((c) => !c.result.quorumMet);
  if (noQuorum.length) {
    throw new AppError('QUORUM_NOT_MET', { errors: noQuorum.map((c) => ({ path: c.productId, message: `${rps.find((p) => p.rp.productId === c.productId)?.name}: ${c.result.reasons[0]}` })) });
  }
  const undiscussed = computed.filter((c) => c.result.spreadFlag && !discussionNotes[c.productId] && !rps.find((p) => p.rp.productId === c.productId)?.rp.discussionNote);
  if (undiscussed.length) {
    throw new AppError('SPREAD_NOT_DISCUSSED', { errors: undiscussed.map((c) => ({ path: c.productId, message: `${rps.find((p) => p.rp.productId === c.productId)?.name}: chênh lệch ${round2(c.result.spread)} điểm — ghi kết luận thảo luận hoặc mở lại phiếu để chấm lại` })) });
  }
  await repo.saveResults(tx, roundId, computed.map((c) => ({ productId: c.productId, result: c.result, note: discussionNotes[c.productId] ?? null })));
  await repo.setRoundStatus(tx, roundId, 'finalised', { finalisedAt: new Date() });
  await recordAudit(tx, actor, 'finalise', 'round', roundId, { status: r.status }, { status: 'finalised', products: computed.length });
  return computed;
}

// Reads other modules use (they never query this module's tables themselves).
export const findRound = repo.findRound;
export const findRoundProduct = repo.findRoundProduct;
export const findMembers = repo.findMembers;

// ---------------------------------------------------------------- self-assessment (QĐ 26/2026 form 02)

async function selfContext(db: Db, actor: Actor, productId: string, write: boolean) {
  const p = await findProductRow(db, productId);
  if (!p) throw notFound('Không tìm thấy sản phẩm');
  if (write ? !canSelfAssess(actor, p) : !canViewSelfAssessment(actor, p)) throw forbidden();
  const sheet = await repo.findCurrentSheetForNode(db, p.taxonomyNodeId);
  if (!sheet) throw new AppError('NO_SHEET_FOR_PRODUCT', { detail: 'Chưa có bộ tiêu chí đã ban hành cho phân nhóm của sản phẩm' });
  return { p, sheet: { ...sheet, doc: sheet.doc as CriteriaSheetDoc, bands: (sheet.star_bands as StarBands) ?? DEFAULT_STAR_BANDS } };
}

function presentSelf(p: { id: string; name: string }, sheet: { id: number; title: string; is_demo: boolean; set_name: string; doc: CriteriaSheetDoc; bands: StarBands }, answers: Answers, notes: Record<string, string>, updatedAt: Date | null) {
  const s = scoreSheet(sheet.doc, answers);
  const imp = improvements(sheet.doc, answers, sheet.bands);
  return {
    product: { id: p.id, name: p.name },
    sheet: { id: sheet.id, title: sheet.title, isDemo: sheet.is_demo, setName: sheet.set_name, doc: sheet.doc },
    answers, notes, total: s.total, partTotals: s.parts, star: imp.star, missing: s.missing,
    nextStar: imp.nextStar, pointsToNextStar: imp.pointsToNextStar, reachable: imp.reachable, plan: imp.plan.length ? imp.plan : imp.gains.slice(0, 5),
    updatedAt: updatedAt ? updatedAt.toISOString() : null,
  };
}

export async function getSelfAssessment(db: Db, actor: Actor, productId: string) {
  const { p, sheet } = await selfContext(db, actor, productId, false);
  const saved = await repo.findSelfAssessment(db, productId, sheet.id);
  return presentSelf(p, sheet, saved?.answers ?? {}, saved?.notes ?? {}, saved?.updatedAt ?? null);
}

/** A producer's own scoring: same engine, its own table — council data is never touched. */
export async function saveSelfAssessment(db: Db, actor: Actor, productId: string, body: { answers: Answers; notes: Record<string, string> }) {
  const { p, sheet } = await selfContext(db, actor, productId, true);
  const s0 = scoreSheet(sheet.doc, body.answers);
  const answers = Object.fromEntries(Object.entries(body.answers).filter(([c]) => c in s0.byCriterion && !s0.missing.includes(c)));
  // Notes only for criteria of the sheet (as on council score sheets): no arbitrary keys stored.
  const notes = Object.fromEntries(Object.entries(body.notes).filter(([c, v]) => c in s0.byCriterion && v.trim() !== ''));
  const saved = await repo.upsertSelfAssessment(db, { productId, sheetId: sheet.id, answers, notes, total: scoreSheet(sheet.doc, answers).total, updatedBy: actor.id });
  return presentSelf(p, sheet, saved.answers, saved.notes, saved.updatedAt);
}
