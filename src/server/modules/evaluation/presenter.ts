import { nodeMax, type CriteriaNode, type CriteriaSheetDoc } from '../../../shared/criteria.js';
import type { RoundReportData, ScoreSheetData } from './documents.js';

export const LEVEL_LABELS: Record<string, string> = { commune: 'Cấp xã', district: 'Cấp huyện', province: 'Cấp tỉnh', central: 'Trung ương' };
export const ROLE_LABELS: Record<string, string> = { chair: 'Chủ tịch Hội đồng', vice_chair: 'Phó Chủ tịch', member: 'Thành viên', secretary: 'Thư ký', advisor: 'Tổ tư vấn' };
export const OUTCOME_LABELS: Record<string, string> = { recognised: 'Công nhận', forwarded: 'Chuyển cấp trên đánh giá', not_recognised: 'Không công nhận', pending: 'Chưa có kết quả' };

type RoundView = {
  name: string; level: string; unit: { name: string }; startsOn: string | null; endsOn: string | null; procedure: { name: string };
  criteriaSet: { name: string }; spreadThreshold: number; quorumRatio: number; finalisedAt: string | null;
  members: { fullName: string; role: string }[];
};
type ProductView = {
  name: string; producerName: string; sheetTitle: string;
  memberScores: { fullName: string; status: string; total: number | null }[] | null;
  result: { meanScore: number | null; starByScore: number | null; mandatoryCap: number | null; finalStar: number | null; outcome: string; reasons: string[]; spreadFlag: boolean; quorumMet: boolean } | null;
};

/** The minutes and the result table: what the council signs. */
export function toRoundReport(round: RoundView, products: ProductView[], decision: string): RoundReportData {
  return {
    round: {
      name: round.name, levelLabel: LEVEL_LABELS[round.level] ?? round.level, unitName: round.unit.name, startsOn: round.startsOn, endsOn: round.endsOn,
      procedureName: round.procedure.name, criteriaDecision: decision, spreadThreshold: round.spreadThreshold, quorumRatio: round.quorumRatio, finalisedAt: round.finalisedAt,
    },
    council: round.members.filter((m) => m.role !== 'advisor').map((m) => ({ name: m.fullName, role: m.role as 'member', roleLabel: ROLE_LABELS[m.role] ?? m.role })),
    products: products.map((p) => ({
      name: p.name, producerName: p.producerName, subgroup: p.sheetTitle,
      memberScores: (p.memberScores ?? []).map((s) => ({ memberName: s.fullName, total: s.total, status: s.status as 'submitted' })),
      meanScore: p.result?.meanScore ?? null, starByScore: p.result?.starByScore ?? null, mandatoryCap: p.result?.mandatoryCap ?? null, finalStar: p.result?.finalStar ?? null,
      outcome: (p.result?.outcome ?? 'pending') as 'pending', outcomeLabel: OUTCOME_LABELS[p.result?.outcome ?? 'pending'], reasons: p.result?.reasons ?? [],
      spreadFlag: p.result?.spreadFlag ?? false, quorumMet: p.result?.quorumMet ?? false,
    })),
    generatedAt: new Date().toISOString(),
  };
}

/** One member's score sheet (phiếu chấm điểm) with the chosen option per criterion. */
export function toScoreSheetData(
  round: { name: string; level: string; unitName: string; decision: string },
  product: { name: string; producerName: string; subgroup: string },
  member: { name: string; role: string },
  doc: CriteriaSheetDoc, answers: Record<string, number>, notes: Record<string, string>, byCriterion: Record<string, number>,
  parts: Record<string, number>, total: number, submittedAt: Date | null, isDemo: boolean, starByScore: number,
): ScoreSheetData {
  const items = (n: CriteriaNode, depth: number, out: ScoreSheetData['parts'][number]['items']) => {
    const leaf = !n.children?.length;
    out.push({
      code: n.code, title: n.title, depth, max: nodeMax(n),
      chosen: leaf ? n.options?.[answers[n.code]]?.label ?? null : null,
      points: leaf ? (n.code in answers ? byCriterion[n.code] : null) : null,
      note: notes[n.code] ?? null,
    });
    n.children?.forEach((c) => items(c, depth + 1, out));
    return out;
  };
  return {
    round: { name: round.name, levelLabel: LEVEL_LABELS[round.level] ?? round.level, unitName: round.unitName, criteriaDecision: round.decision },
    product, member: { name: member.name, roleLabel: ROLE_LABELS[member.role] ?? member.role },
    parts: doc.parts.map((p) => ({ code: p.code, title: p.title, max: nodeMax(p), score: parts[p.code] ?? 0, items: (p.children ?? []).flatMap((c) => items(c, 0, [])) })),
    total, submittedAt: submittedAt ? submittedAt.toISOString() : null, isDemoSheet: isDemo, starByScore,
  };
}
