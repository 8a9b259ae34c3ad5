/**
 * Who may recognise which star, read from the procedure versions (seed/procedures/procedures.json): pure functions,
 * no database. The service of this module loads the rows and turns a broken rule into a typed problem.
 */
import type { Actor } from '../../lib/actor.js';
import type { ProcedureDoc, ProcedureLevel, RecognitionLevel } from '../criteria/tables.js';

export interface ProcedureVersion {
  code: string;
  name: string;
  decision: string;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  doc: ProcedureDoc;
}

export const RECOGNITION_LEVELS: readonly RecognitionLevel[] = ['commune', 'district', 'province', 'central'];

export const LEVEL_NAMES_VI: Record<RecognitionLevel, string> = { commune: 'cấp xã', district: 'cấp huyện', province: 'cấp tỉnh', central: 'Trung ương' };

/** The level an administrative unit's type belongs to. */
export function levelOfUnitType(type: string): RecognitionLevel | null {
  if (type === 'province' || type === 'city') return 'province';
  if (type === 'district' || type === 'town') return 'district';
  if (type === 'commune' || type === 'ward' || type === 'township' || type === 'special_zone') return 'commune';
  return null;
}

const inRange = (date: string, from: string | null, to: string | null) => (!from || from <= date) && (!to || date <= to);

/** The procedure version in force on a date (at most one: the seed's periods do not overlap). */
export function procedureInForce<P extends Pick<ProcedureVersion, 'effectiveFrom' | 'effectiveTo'>>(versions: P[], date: string): P | undefined {
  return versions.find((v) => inRange(date, v.effectiveFrom, v.effectiveTo));
}

export const isInForce = (v: Pick<ProcedureVersion, 'effectiveFrom' | 'effectiveTo'>, date: string) => inRange(date, v.effectiveFrom, v.effectiveTo);

export const levelOf = (v: Pick<ProcedureVersion, 'doc'>, level: string): ProcedureLevel | undefined => v.doc.levels.find((l) => l.level === level);

/** "Từ 24/02/2023 đến 05/7/2025" style period, for messages. */
export function periodVi(v: Pick<ProcedureVersion, 'effectiveFrom' | 'effectiveTo'>) {
  const f = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
  if (v.effectiveFrom && v.effectiveTo) return `từ ${f(v.effectiveFrom)} đến ${f(v.effectiveTo)}`;
  if (v.effectiveFrom) return `từ ${f(v.effectiveFrom)}`;
  return v.effectiveTo ? `đến ${f(v.effectiveTo)}` : 'không thời hạn';
}

const starsVi = (stars: number[]) => (stars.length ? stars.map((s) => `${s}★`).join(', ') : 'không hạng sao nào');

/** Which level of a procedure recognises a star (the first that lists it). */
export const levelRecognising = (v: Pick<ProcedureVersion, 'doc'>, star: number) => v.doc.levels.find((l) => l.recognisesStars.includes(star));

/**
 * The rule broken when `level` of procedure `v` recognises `star`, or null when it may. The sentence names the
 * procedure, its period and who does recognise that star.
 */
export function starRuleBroken(v: ProcedureVersion, level: RecognitionLevel, star: number): string | null {
  if (star < 3) return 'Chỉ sản phẩm đạt từ 3★ trở lên mới được công nhận và cấp giấy chứng nhận OCOP';
  const l = levelOf(v, level);
  if (!l) return `${v.name} (${periodVi(v)}) không có ${LEVEL_NAMES_VI[level]}`;
  if (l.recognisesStars.includes(star)) return null;
  const who = levelRecognising(v, star);
  return `Theo ${v.name} (${periodVi(v)}), ${l.name.toLowerCase()} công nhận ${starsVi(l.recognisesStars)}; ${star}★ do ${who ? who.name.toLowerCase() : 'không cấp nào'} công nhận`;
}

/** The name of the body that signs a level's decision on a date, e.g. "UBND tỉnh Bắc Ninh". */
export function issuerName(l: ProcedureLevel, date: string, unitTitle: string | null): string {
  const issuer = (l.issuers ?? []).find((i) => inRange(date, i.from, i.to));
  const template = issuer?.name ?? (l.level === 'central' ? 'Bộ Nông nghiệp và Môi trường' : 'UBND {unit}');
  return template.replace('{unit}', unitTitle ?? '').trim();
}

/**
 * The number of valid sheets (submitted by scoring members without a conflict) a product's result needs: always
 * more than the procedure's share of ALL scoring members (a conflicted member stays in the denominator, so standing
 * aside never lowers the bar) and the round's quorum ratio of them; and at least the round's own minimum when it
 * sets one, otherwise the procedure's minimum count (3).
 */
export function requiredValidSheets(scoringMembers: number, doc: Pick<ProcedureDoc, 'council'>, round: { minValidSheets?: number | null; quorumRatio?: number | null } = {}) {
  const share = doc.council?.minValidShare ?? 0.5;
  const byShare = Math.floor(share * scoringMembers + 1e-9) + 1;
  const byRatio = round.quorumRatio ? Math.ceil(round.quorumRatio * scoringMembers - 1e-9) : 0;
  const minCount = round.minValidSheets ?? doc.council?.minValidSheets ?? 3;
  return Math.max(byShare, byRatio, minCount);
}

/**
 * The level that recognises a star when a higher council scores a forwarded product below its own stars: down the
 * forwarding chain to the first level that recognises that star (null: none, or the procedure says not recognised).
 */
export function belowBandLevel(v: Pick<ProcedureVersion, 'doc'>, higher: RecognitionLevel, star: number): RecognitionLevel | null {
  if (v.doc.belowBand?.rule !== 'return_to_sender' || star < 3) return null;
  let current: string = higher;
  for (let i = 0; i < 4; i++) {
    const sender = v.doc.levels.find((l) => l.forwardTo === current);
    if (!sender) return null;
    if (sender.recognisesStars.includes(star)) return sender.level;
    current = sender.level;
  }
  return null;
}

/** One row per procedure version and level: the table of ARCHITECTURE.md's "Who recognises what". */
export function authorityTable(versions: ProcedureVersion[]): string {
  const rows = ['| procedure | in force | level | unit types | recognises | forwards | decision signed by |', '|---|---|---|---|---|---|---|'];
  const sorted = [...versions].sort((a, b) => String(a.effectiveFrom).localeCompare(String(b.effectiveFrom)));
  for (const v of sorted) {
    for (const l of v.doc.levels) {
      const issuers = (l.issuers ?? []).map((i) => `${i.name}${i.from || i.to ? ` (${periodVi({ effectiveFrom: i.from, effectiveTo: i.to })})` : ''}`).join('; ');
      rows.push(`| ${v.code} | ${v.effectiveFrom ?? '…'} → ${v.effectiveTo ?? 'now'} | ${l.level} | ${(l.unitTypes ?? []).join(', ') || '—'} | ${l.recognisesStars.map((s) => `${s}★`).join(' ') || '—'} | ${l.preAssessment ? `pre-assessment → ${l.forwardTo}` : l.forwardTo ? `≥ ${l.forwardFrom} → ${l.forwardTo}` : '—'} | ${issuers || '—'} |`);
    }
  }
  return rows.join('\n');
}

/** Who may organise a round or issue a decision at a level: the ministry for the central level, the province below. */
export function hasLevelAuthority(actor: Actor, level: RecognitionLevel, unitId: number | null) {
  if (actor.role === 'admin') return true;
  if (level === 'central') return actor.role === 'central_officer';
  if (actor.role !== 'province_officer') return false;
  // A province officer assigned to a province acts only within it (its units and their predecessors and children).
  return actor.unitIds.length === 0 || (unitId !== null && actor.scopeUnitIds.has(unitId));
}
