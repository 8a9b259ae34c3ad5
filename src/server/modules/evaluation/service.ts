import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, fromDbError, notFound } from '../../lib/errors.js';
import {
  DEFAULT_STAR_BANDS, improvements, mandatoryCap, mean, round2, scoreSheet, spread, starOfScore,
  type Answers, type CriteriaSheetDoc, type StarBands,
} from '../../../shared/criteria.js';
import { recordAudit } from '../audit/service.js';
import { applyRoundResults } from '../dossiers/service.js';
import * as criteriaRepo from '../criteria/repository.js';
import type { ProcedureDoc } from '../criteria/tables.js';
import { findUnitById } from '../geo/repository.js';
import { findProducerRow } from '../producers/repository.js';
import { findProductRow, findProductRows } from '../products/repository.js';
import { findUserById, findUsers } from '../users/repository.js';
import { canChair, canDeclareConflict, canManageRounds, canScore, canSeeSpread, canSelfAssess, canViewRound, canViewSelfAssessment } from './policy.js';
import { LEVEL_LABELS } from './presenter.js';
import * as repo from './repository.js';
import { SCORING_ROLES, type CreateRound } from './schema.js';
import type { ProductResult, RoundRow, ScoreSheetRow } from './tables.js';

const isScoringRole = (role: string) => (SCORING_ROLES as readonly string[]).includes(role);

export async function getRoundRow(db: Db, id: string) {
  const r = await repo.findRound(db, id);
  if (!r) throw notFound('Không tìm thấy đợt đánh giá');
  return r;
}

async function membershipOf(db: Db, roundId: string, userId: string) {
  return (await repo.findMembers(db, roundId)).find((m) => m.userId === userId);
}

async function presentRound(db: Db, r: RoundRow, actor: Actor) {
  const [members, unit, proc, set, productCount] = await Promise.all([
    repo.findMembers(db, r.id), findUnitById(db, r.unitId), criteriaRepo.findProcedure(db, r.procedureCode), criteriaRepo.findSet(db, r.criteriaSetId), repo.countRoundProducts(db, r.id),
  ]);
  return {
    id: r.id, name: r.name, level: r.level as 'province', unit: { id: r.unitId, name: unit?.name ?? '?' }, startsOn: r.startsOn, endsOn: r.endsOn,
    procedure: { code: r.procedureCode, name: proc?.name ?? r.procedureCode },
    criteriaSet: { id: set.id, code: set.code, name: set.name, isDemo: set.isDemo },
    spreadThreshold: Number(r.spreadThreshold), quorumRatio: Number(r.quorumRatio), status: r.status as 'draft',
    members: members.map((m) => ({ userId: m.userId, fullName: m.fullName, role: m.role as 'member' })),
    myRole: (members.find((m) => m.userId === actor.id)?.role ?? null) as 'member' | null,
    productCount, finalisedAt: r.finalisedAt ? r.finalisedAt.toISOString() : null,
  };
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
  const [all, mine] = await Promise.all([repo.findRounds(db), repo.findMembershipsOf(db, actor.id)]);
  const visible = all.filter((r) => canViewRound(actor, mine.find((m) => m.roundId === r.id)));
  return Promise.all(visible.map((r) => presentRound(db, r, actor)));
}

export async function getRound(db: Db, actor: Actor, id: string) {
  const r = await getRoundRow(db, id);
  if (!canViewRound(actor, await membershipOf(db, id, actor.id))) throw forbidden();
  return presentRound(db, r, actor);
}

/** The pinned sheet of each product: the set's sheet for the product's taxonomy leaf (two queries for any count). */
async function sheetsForProducts(db: Db, setId: number, setCode: string, productIds: string[]) {
  const products = await findProductRows(db, productIds);
  const sheets = new Map((await criteriaRepo.findSheetsOfSets(db, [setId])).map((sh) => [sh.taxonomyNodeId, sh.id]));
  return productIds.map((pid) => {
    const p = products.find((x) => x.id === pid);
    if (!p) throw new AppError('VALIDATION', { errors: [{ path: 'productIds', message: `Không có sản phẩm ${pid}` }] });
    const sheetId = sheets.get(p.taxonomyNodeId);
    if (!sheetId) throw new AppError('NO_SHEET_FOR_PRODUCT', { detail: `Bộ tiêu chí (${setCode}) chưa có phiếu cho phân nhóm của sản phẩm "${p.name}"`, errors: [{ path: 'productIds', message: p.name }] });
    return { productId: pid, sheetId };
  });
}

export async function createRound(db: Db, actor: Actor, input: CreateRound) {
  if (!canManageRounds(actor)) throw forbidden();
  try {
    const id = await db.transaction(async (tx) => {
      const set = await criteriaRepo.findSet(tx, input.criteriaSetId);
      if (!set || set.status !== 'published') throw new AppError('VALIDATION', { errors: [{ path: 'criteriaSetId', message: 'Chọn một bộ tiêu chí đã ban hành' }] });
      const proc = await criteriaRepo.findProcedure(tx, input.procedureCode);
      if (!proc) throw new AppError('VALIDATION', { errors: [{ path: 'procedureCode', message: 'Không có quy trình này' }] });
      if (!proc.doc.levels.some((l) => l.level === input.level)) {
        throw new AppError('VALIDATION', { errors: [{ path: 'level', message: `Quy trình ${proc.name} không có cấp đánh giá này` }] });
      }
      if (!(await findUnitById(tx, input.unitId))) throw new AppError('UNIT_NOT_VALID');
      for (const m of input.members) {
        const u = await findUserById(tx, m.userId);
        if (!u || !u.isActive || u.role === 'producer' || u.role === 'viewer') {
          throw new AppError('VALIDATION', { errors: [{ path: 'members', message: 'Thành viên hội đồng phải là tài khoản cán bộ hoặc thành viên hội đồng đang hoạt động' }] });
        }
      }
      const round = await repo.insertRound(tx, {
        name: input.name, level: input.level, unitId: input.unitId, startsOn: input.startsOn, endsOn: input.endsOn,
        procedureCode: input.procedureCode, criteriaSetId: input.criteriaSetId, spreadThreshold: input.spreadThreshold, quorumRatio: input.quorumRatio,
      });
      await repo.insertMembers(tx, round.id, input.members);
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
  if (!canManageRounds(actor)) throw forbidden();
  const r = await getRoundRow(tx, roundId);
  if (r.status === 'results_open' || r.status === 'finalised') throw new AppError('ROUND_STATE', { detail: 'Không thêm sản phẩm sau khi đã công bố kết quả' });
  const set = (await criteriaRepo.findSet(tx, r.criteriaSetId))!;
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
    if (who === 'manager' ? !canManageRounds(actor) : !canChair(actor, m)) throw forbidden();
    if (!from.includes(r.status)) throw new AppError('ROUND_STATE');
    if (to === 'scoring' && (await repo.countRoundProducts(tx, roundId)) === 0) throw new AppError('ROUND_STATE', { detail: 'Đợt đánh giá chưa có sản phẩm' });
    await repo.setRoundStatus(tx, roundId, to, extra);
    await recordAudit(tx, actor, `status:${to}`, 'round', roundId, { status: r.status }, { status: to });
  });
  return getRound(db, actor, roundId);
}

export const openScoring = (db: Db, actor: Actor, id: string) => transition(db, actor, id, ['draft'], 'scoring', 'manager');
export const openResults = (db: Db, actor: Actor, id: string) => transition(db, actor, id, ['scoring'], 'results_open', 'chair', { resultsOpenedAt: new Date() });

export async function declareConflict(db: Db, actor: Actor, roundId: string, productId: string, reason: string, note: string | null) {
  await db.transaction(async (tx) => {
    const r = await getRoundRow(tx, roundId);
    if (!canDeclareConflict(actor, await membershipOf(tx, roundId, actor.id))) throw forbidden();
    if (r.status === 'finalised') throw new AppError('ROUND_STATE');
    if (!(await repo.findRoundProduct(tx, roundId, productId))) throw notFound('Sản phẩm không thuộc đợt đánh giá này');
    await repo.insertConflict(tx, { roundId, productId, userId: actor.id, reason, note });
    await recordAudit(tx, actor, 'declare_conflict', 'round', roundId, null, { productId, reason, note });
  });
}

// ---------------------------------------------------------------- scoring

async function scoringContext(db: Db, actor: Actor, roundId: string, productId: string) {
  const r = await getRoundRow(db, roundId);
  const m = await membershipOf(db, roundId, actor.id);
  if (!canScore(actor, m)) throw forbidden('Bạn không phải thành viên chấm điểm của hội đồng này');
  const rp = await repo.findRoundProduct(db, roundId, productId);
  if (!rp) throw notFound('Sản phẩm không thuộc đợt đánh giá này');
  const conflicted = await repo.hasConflict(db, roundId, productId, actor.id);
  const sheet = (await criteriaRepo.findSheet(db, rp.sheetId))!;
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
  const allowed = s.memberId === actor.id || (resultsOpen && canViewRound(actor, m));
  if (!allowed) throw forbidden('Chấm điểm độc lập: chưa được xem phiếu của thành viên khác trước khi chủ tịch công bố kết quả');
  const sheet = (await criteriaRepo.findSheet(db, s.sheetId))!;
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
  round: Pick<RoundRow, 'level' | 'spreadThreshold' | 'quorumRatio'>,
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
    const needed = Math.ceil(Number(round.quorumRatio) * eligible.length - 1e-9);
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
    if (!quorumMet) reasons.push(`Chưa đủ số thành viên chấm: ${submitted.length}/${eligible.length} (cần ${needed}${chairOk ? '' : ', kể cả chủ tịch'})`);
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
        reasons.push(`Công nhận ${finalStar}★ tại cấp này`);
      } else if (finalStar >= 3 && recognises.length && finalStar > maxRec) {
        outcome = 'recognised';
        reasons.push(`Công nhận ${maxRec}★ — hạng cao nhất cấp này được công nhận`);
        finalStar = maxRec;
      } else if (finalStar < 3) {
        reasons.push(`Dưới 3★ (${round2(meanScore)} điểm): không công nhận`);
      } else {
        reasons.push(`Cấp này không công nhận ${finalStar}★ và điểm chưa đủ để chuyển cấp`);
      }
    }
    if (!quorumMet) outcome = 'not_recognised';
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
        spreadFlag: sp > Number(round.spreadThreshold) + 1e-9, starByScore, mandatoryCap: cap, finalStar, outcome, forwardTo, reasons,
      },
    };
  });
}

async function computeRound(db: Db, r: RoundRow) {
  const [members, rps, sheets, conflicts, proc, set] = await Promise.all([
    repo.findMembers(db, r.id), repo.findRoundProducts(db, r.id), repo.findSheetsOfRound(db, r.id), repo.findConflicts(db, r.id),
    criteriaRepo.findProcedure(db, r.procedureCode), criteriaRepo.findSet(db, r.criteriaSetId),
  ]);
  const docs = new Map((await criteriaRepo.findSheetsByIds(db, [...new Set(rps.map((p) => p.rp.sheetId))])).map((s) => [s.id, s.doc]));
  const computed = computeResults(r, members, rps.map((p) => ({ productId: p.rp.productId, doc: docs.get(p.rp.sheetId)! })), sheets, conflicts, proc!.doc, set?.starBands);
  return { members, rps, computed, conflicts };
}

/** Per-product view of a round; what is shown depends on who asks and whether results are open. */
export async function roundProducts(db: Db, actor: Actor, roundId: string) {
  const r = await getRoundRow(db, roundId);
  const m = await membershipOf(db, roundId, actor.id);
  if (!canViewRound(actor, m)) throw forbidden();
  const { members, rps, computed, conflicts } = await computeRound(db, r);
  const resultsOpen = r.status === 'results_open' || r.status === 'finalised';
  const seeSpread = canSeeSpread(actor, m) || resultsOpen;
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

export async function finalise(db: Db, actor: Actor, roundId: string, discussionNotes: Record<string, string>) {
  await db.transaction(async (tx) => {
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
    await applyRoundResults(tx, actor, roundId, computed);
    await recordAudit(tx, actor, 'finalise', 'round', roundId, { status: r.status }, { status: 'finalised', products: computed.length });
  });
  return getRound(db, actor, roundId);
}

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
