/**
 * Recognition authority (#10): the one service that reads the procedure versions to decide who may hold a round at
 * which level on which unit, and which level may recognise which star on a date. The evaluation, dossier and
 * certificate modules call it; every refusal is a typed problem that names the rule.
 */
import type { Db } from '../../db/client.js';
import { UNIT_TYPE_WORDS, unitTitle } from '../../../shared/unit-names.js';
import type { Actor } from '../../lib/actor.js';
import { AppError } from '../../lib/errors.js';
import { formatViDate } from '../../../shared/certificate-dates.js';
import * as criteria from '../criteria/service.js';
import type { RecognitionLevel } from '../criteria/tables.js';
import { findUnitById } from '../geo/service.js';
import type { AdminUnitRow } from '../geo/tables.js';
import {
  hasLevelAuthority, isInForce, issuerName, LEVEL_NAMES_VI, levelOf, levelOfUnitType, periodVi, procedureInForce, starRuleBroken, type ProcedureVersion,
} from './authority.js';


/** "tỉnh Bắc Ninh", "phường Chũ": a unit's type and name as they were on the day (copied onto the certificate). */
export { unitTitle };

export async function listProcedureVersions(db: Db): Promise<ProcedureVersion[]> {
  return (await criteria.findProcedures(db)).map((p) => ({ code: p.code, name: p.name, decision: p.decision, effectiveFrom: p.effectiveFrom, effectiveTo: p.effectiveTo, doc: p.doc }));
}

export async function getProcedureVersion(db: Db, code: string): Promise<ProcedureVersion> {
  const p = await criteria.findProcedure(db, code);
  if (!p) throw new AppError('VALIDATION', { errors: [{ path: 'procedureCode', message: 'Không có quy trình này' }] });
  return { code: p.code, name: p.name, decision: p.decision, effectiveFrom: p.effectiveFrom, effectiveTo: p.effectiveTo, doc: p.doc };
}

/** The procedure in force on a date, or a problem saying none is. */
export async function procedureOn(db: Db, date: string): Promise<ProcedureVersion> {
  const v = procedureInForce(await listProcedureVersions(db), date);
  if (!v) throw new AppError('PROCEDURE_NOT_IN_FORCE', { detail: `Không có quy trình đánh giá, phân hạng OCOP nào có hiệu lực ngày ${formatViDate(date)}` });
  return v;
}

const unitValidOn = (u: Pick<AdminUnitRow, 'validFrom' | 'validTo'>, date: string) => (!u.validFrom || u.validFrom <= date) && (!u.validTo || date <= u.validTo);

function unitValidity(u: Pick<AdminUnitRow, 'validFrom' | 'validTo'>) {
  return periodVi({ effectiveFrom: u.validFrom, effectiveTo: u.validTo }).replace('không thời hạn', 'không giới hạn');
}

/** The unit must be of a type the level allows and exist on every date given. */
async function assertUnitForLevel(db: Db, v: ProcedureVersion, level: RecognitionLevel, unitId: number | null, dates: string[], path: string) {
  if (level === 'central') {
    if (unitId !== null) throw new AppError('UNIT_NOT_FOR_LEVEL', { detail: 'Hội đồng Trung ương không gắn với đơn vị hành chính: bỏ trống đơn vị', errors: [{ path, message: 'Bỏ trống với cấp Trung ương' }] });
    return null;
  }
  if (unitId === null) throw new AppError('UNIT_NOT_FOR_LEVEL', { detail: `Chọn đơn vị hành chính ${LEVEL_NAMES_VI[level]}`, errors: [{ path, message: 'Bắt buộc' }] });
  const unit = await findUnitById(db, unitId);
  if (!unit) throw new AppError('UNIT_NOT_FOR_LEVEL', { detail: 'Không có đơn vị hành chính này', errors: [{ path, message: 'Không tồn tại' }] });
  const l = levelOf(v, level)!;
  const types = l.unitTypes ?? [];
  if (!types.includes(unit.type) || levelOfUnitType(unit.type) !== level) {
    throw new AppError('UNIT_NOT_FOR_LEVEL', {
      detail: `${unitTitle(unit)} không phải đơn vị ${LEVEL_NAMES_VI[level]}: theo ${v.name}, ${l.name.toLowerCase()} do ${types.map((t) => UNIT_TYPE_WORDS[t] ?? t).join(' / ')} tổ chức`,
      errors: [{ path, message: unitTitle(unit) }],
    });
  }
  for (const d of dates) {
    if (!unitValidOn(unit, d)) {
      throw new AppError('UNIT_NOT_FOR_LEVEL', {
        detail: `${unitTitle(unit)} không tồn tại ngày ${formatViDate(d)} (đơn vị có hiệu lực ${unitValidity(unit)})`,
        errors: [{ path, message: unitTitle(unit) }],
      });
    }
  }
  return unit;
}

export interface RoundAuthorityInput {
  level: RecognitionLevel;
  unitId: number | null;
  procedureCode: string;
  startsOn: string | null;
  endsOn: string | null;
}

/**
 * A round may be created when its procedure is in force on its start (today when it has none), the procedure has
 * the level and scores there (a pre-assessment level does not), the unit is of that level and exists on the round's
 * dates, and the creator has authority at that level over that unit.
 */
export async function assertRoundAuthority(db: Db, actor: Actor, input: RoundAuthorityInput, today: string) {
  const v = await getProcedureVersion(db, input.procedureCode);
  const on = input.startsOn ?? today;
  if (!isInForce(v, on)) {
    throw new AppError('PROCEDURE_NOT_IN_FORCE', {
      detail: `${v.name} có hiệu lực ${periodVi(v)}; đợt đánh giá bắt đầu ngày ${formatViDate(on)} phải theo quy trình có hiệu lực ngày đó`,
      errors: [{ path: 'procedureCode', message: v.name }],
    });
  }
  const l = levelOf(v, input.level);
  if (!l) {
    throw new AppError('LEVEL_NOT_IN_PROCEDURE', { detail: `${v.name} không có ${LEVEL_NAMES_VI[input.level]}: các cấp là ${v.doc.levels.map((x) => x.name).join(', ')}`, errors: [{ path: 'level', message: LEVEL_NAMES_VI[input.level] }] });
  }
  if (l.preAssessment) {
    throw new AppError('LEVEL_NOT_IN_PROCEDURE', { detail: `Theo ${v.name}, ${l.name.toLowerCase()} chỉ tiếp nhận hồ sơ và tiền đánh giá, không tổ chức hội đồng chấm điểm`, errors: [{ path: 'level', message: l.name }] });
  }
  const dates = [on, ...(input.endsOn ? [input.endsOn] : [])];
  await assertUnitForLevel(db, v, input.level, input.unitId, dates, 'unitId');
  if (!hasLevelAuthority(actor, input.level, input.unitId)) {
    throw new AppError('OUTSIDE_AUTHORITY', {
      detail: input.level === 'central'
        ? 'Chỉ cán bộ cấp Trung ương (Bộ Nông nghiệp và Môi trường) tổ chức đợt đánh giá cấp Trung ương'
        : `Bạn không có thẩm quyền tổ chức đợt đánh giá ${LEVEL_NAMES_VI[input.level]} cho đơn vị này`,
      errors: [{ path: 'level', message: LEVEL_NAMES_VI[input.level] }],
    });
  }
  return v;
}

/**
 * The body that issues `star` at `level` on `decisionDate`, judged by the procedure in force that day (not the
 * round's): the level must recognise the star, the unit must be of the level and exist that day. Returns the
 * issuer's name from the procedure's data.
 */
export async function authorityForDecision(db: Db, input: { level: RecognitionLevel; unitId: number | null; star: number; decisionDate: string }) {
  const v = await procedureOn(db, input.decisionDate);
  const broken = starRuleBroken(v, input.level, input.star);
  if (broken) throw new AppError('STAR_OUTSIDE_AUTHORITY', { detail: broken, errors: [{ path: 'star', message: `${input.star}★` }] });
  const unit = await assertUnitForLevel(db, v, input.level, input.unitId, [input.decisionDate], 'issuingUnitId');
  return { procedure: v, issuer: issuerName(levelOf(v, input.level)!, input.decisionDate, unit ? unitTitle(unit) : null), unit };
}

/** The level of an authority written on a paper certificate: "UBND tỉnh …" → province; "Bộ …" → central. */
export function levelOfAuthorityText(authority: string): RecognitionLevel | null {
  const a = authority.normalize('NFC').trim().toLowerCase();
  // (\b does not work after a Vietnamese letter such as "ộ": JavaScript's word characters are ASCII.)
  if (/^(bộ|thủ tướng|chính phủ|ban chỉ đạo trung ương|hội đồng trung ương)(\s|$)/u.test(a) || a.includes('trung ương')) return 'central';
  const m = /^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân|chủ tịch ubnd|chủ tịch ủy ban nhân dân|chủ tịch uỷ ban nhân dân)\s+(tỉnh|huyện|thị xã|quận|xã|phường|thị trấn|đặc khu)\s/.exec(a);
  if (!m) return null;
  return m[1] === 'tỉnh' ? 'province' : ['huyện', 'thị xã', 'quận'].includes(m[1]) ? 'district' : 'commune';
}

/**
 * A paper certificate is judged by the procedure in force on its decision date: the level comes from the form
 * (`issuingLevel`), or the issuing unit's type, or the authority's wording; the star must be that level's.
 */
export async function assertPaperCertificate(db: Db, input: { star: number; decisionDate: string; issuingAuthority: string; issuingUnitId?: number | null; issuingLevel?: RecognitionLevel | null }) {
  let level = input.issuingLevel ?? null;
  if (input.issuingUnitId) {
    const unit = await findUnitById(db, input.issuingUnitId);
    const byUnit = unit ? levelOfUnitType(unit.type) : null;
    if (level && byUnit && level !== byUnit) {
      throw new AppError('UNIT_NOT_FOR_LEVEL', { detail: `${unit ? unitTitle(unit) : 'Đơn vị'} không phải đơn vị ${LEVEL_NAMES_VI[level]}`, errors: [{ path: 'issuingUnitId', message: 'Không khớp cấp công nhận' }] });
    }
    level = level ?? byUnit;
  }
  level = level ?? levelOfAuthorityText(input.issuingAuthority);
  if (!level) {
    throw new AppError('VALIDATION', { errors: [{ path: 'issuingLevel', message: `Không xác định được cấp công nhận từ "${input.issuingAuthority}": chọn cấp (tỉnh, huyện, Trung ương) hoặc ghi "UBND tỉnh …"` }] });
  }
  const r = await authorityForDecision(db, { level, unitId: level === 'central' ? null : input.issuingUnitId ?? null, star: input.star, decisionDate: input.decisionDate })
    .catch((err) => {
      // A paper certificate may name no unit: then only the star and the date are judged.
      if (err instanceof AppError && err.code === 'UNIT_NOT_FOR_LEVEL' && !input.issuingUnitId && level !== 'central') return null;
      throw err;
    });
  if (!r) {
    const v = await procedureOn(db, input.decisionDate);
    const broken = starRuleBroken(v, level, input.star);
    if (broken) throw new AppError('STAR_OUTSIDE_AUTHORITY', { detail: broken, errors: [{ path: 'star', message: `${input.star}★` }] });
    return { level, procedure: v };
  }
  return { level, procedure: r.procedure };
}
