/**
 * OCOP criteria sheets and scoring math — pure functions shared by the server (which alone computes totals
 * that count) and the web app (running totals while a member scores, the editor's validator report).
 */

export interface CriteriaOption {
  label: string;
  points: number;
  /** Choosing it rejects the dossier (some sheets carry disqualifiers). */
  disqualifies?: boolean;
}

/** A part (A/B/C), section or criterion. A leaf has options; an inner node has children. */
export interface CriteriaNode {
  code: string;
  title: string;
  max?: number;
  /** Lowest star for which this criterion is mandatory ("tiêu chí bắt buộc"): it must score above zero. */
  mandatoryFromStar?: number | null;
  children?: CriteriaNode[];
  options?: CriteriaOption[];
}

export interface CriteriaSheetDoc {
  parts: CriteriaNode[];
}

/** Lower bound of each star class, ascending: [0,30) → 1★, [30,50) → 2★, … [90,100] → 5★. */
export type StarBands = { star: number; min: number }[];
export const DEFAULT_STAR_BANDS: StarBands = [
  { star: 1, min: 0 },
  { star: 2, min: 30 },
  { star: 3, min: 50 },
  { star: 4, min: 70 },
  { star: 5, min: 90 },
];

export interface SheetIssue {
  code: string;
  severity: 'error' | 'warning';
  message: string;
}

const EPS = 1e-9;
const isLeaf = (n: CriteriaNode) => !n.children?.length;

/** Maximum points a node can give: its declared max, else what its options/children allow. */
export function nodeMax(n: CriteriaNode): number {
  if (n.max !== undefined && n.max !== null) return n.max;
  if (isLeaf(n)) return Math.max(0, ...(n.options ?? []).map((o) => o.points));
  return (n.children ?? []).reduce((s, c) => s + nodeMax(c), 0);
}

export function leaves(doc: CriteriaSheetDoc): CriteriaNode[] {
  const out: CriteriaNode[] = [];
  const walk = (n: CriteriaNode) => (isLeaf(n) ? out.push(n) : n.children!.forEach(walk));
  doc.parts.forEach(walk);
  return out;
}

/**
 * Checks a sheet before it can be published: option points within the criterion maximum, children summing to
 * their parent, parts matching the decision's part maxima and summing to 100, codes unique.
 * Messages are Vietnamese (shown to officers as they are).
 */
export function validateSheet(doc: CriteriaSheetDoc, partMaxima?: Record<string, number>): SheetIssue[] {
  const issues: SheetIssue[] = [];
  const seen = new Set<string>();
  const walk = (n: CriteriaNode, depth: number) => {
    if (!n.code) issues.push({ code: '?', severity: 'error', message: `Thiếu mã tiêu chí ("${n.title}")` });
    if (seen.has(n.code)) issues.push({ code: n.code, severity: 'error', message: 'Mã tiêu chí bị trùng' });
    seen.add(n.code);
    if (n.max !== undefined && n.max !== null && (n.max < 0 || !Number.isFinite(n.max))) {
      issues.push({ code: n.code, severity: 'error', message: `Điểm tối đa ${n.max} không hợp lệ` });
    }
    if (isLeaf(n)) {
      const opts = n.options ?? [];
      if (depth === 0) issues.push({ code: n.code, severity: 'error', message: 'Phần không có tiêu chí nào' });
      else if (opts.length === 0) issues.push({ code: n.code, severity: 'error', message: 'Tiêu chí không có phương án trả lời' });
      const max = nodeMax(n);
      for (const o of opts) {
        if (!(o.points >= 0)) issues.push({ code: n.code, severity: 'error', message: `Phương án "${o.label}" có điểm âm hoặc không hợp lệ` });
        if (o.points > max + EPS) issues.push({ code: n.code, severity: 'error', message: `Phương án "${o.label}" (${o.points} điểm) vượt điểm tối đa của tiêu chí (${max})` });
      }
      const best = Math.max(0, ...opts.map((o) => o.points));
      if (opts.length && best < max - EPS) {
        issues.push({ code: n.code, severity: 'warning', message: `Không phương án nào đạt điểm tối đa ${max} (cao nhất ${best})` });
      }
      return;
    }
    const sum = n.children!.reduce((s, c) => s + nodeMax(c), 0);
    if (n.max !== undefined && n.max !== null && Math.abs(sum - n.max) > EPS) {
      issues.push({ code: n.code, severity: 'error', message: `Tổng điểm các mục con (${round2(sum)}) khác điểm tối đa (${n.max})` });
    }
    n.children!.forEach((c) => walk(c, depth + 1));
  };
  doc.parts.forEach((p) => walk(p, 0));
  const total = doc.parts.reduce((s, p) => s + nodeMax(p), 0);
  if (Math.abs(total - 100) > EPS) issues.push({ code: '(phiếu)', severity: 'error', message: `Tổng điểm các phần là ${round2(total)}, phải bằng 100` });
  if (partMaxima) {
    for (const [code, want] of Object.entries(partMaxima)) {
      const part = doc.parts.find((p) => p.code === code);
      if (!part) issues.push({ code, severity: 'error', message: `Thiếu phần ${code} (${want} điểm)` });
      else if (Math.abs(nodeMax(part) - want) > EPS) {
        issues.push({ code, severity: 'error', message: `Phần ${code} tối đa ${round2(nodeMax(part))} điểm, quyết định quy định ${want}` });
      }
    }
  }
  return issues;
}

/** Chosen option index per leaf criterion code. */
export type Answers = Record<string, number>;

export interface SheetScore {
  total: number;
  parts: Record<string, number>;
  /** Leaf codes with no (valid) answer. */
  missing: string[];
  /** Leaf codes whose chosen option disqualifies the product. */
  disqualified: string[];
  /** Points per leaf, for reports. */
  byCriterion: Record<string, number>;
}

/** Totals from the chosen options only: the server never trusts points sent by a client. */
export function scoreSheet(doc: CriteriaSheetDoc, answers: Answers): SheetScore {
  const parts: Record<string, number> = {};
  const missing: string[] = [];
  const disqualified: string[] = [];
  const byCriterion: Record<string, number> = {};
  let total = 0;
  const walk = (n: CriteriaNode): number => {
    if (isLeaf(n)) {
      const idx = answers[n.code];
      const opt = Number.isInteger(idx) ? n.options?.[idx] : undefined;
      if (!opt) {
        missing.push(n.code);
        byCriterion[n.code] = 0;
        return 0;
      }
      if (opt.disqualifies) disqualified.push(n.code);
      byCriterion[n.code] = opt.points;
      return opt.points;
    }
    return n.children!.reduce((s, c) => s + walk(c), 0);
  };
  for (const p of doc.parts) {
    parts[p.code] = walk(p);
    total += parts[p.code];
  }
  return { total, parts, missing, disqualified, byCriterion };
}

/** Star class of a score by the bands (edges belong to the higher class: 30 → 2★, 90 → 5★). */
export function starOfScore(score: number, bands: StarBands = DEFAULT_STAR_BANDS): number {
  let star = bands[0]?.star ?? 1;
  for (const b of bands) if (score >= b.min - EPS) star = b.star;
  return star;
}

/**
 * Highest star whose mandatory criteria all pass. A criterion mandatory from star s must score above zero
 * for the product to reach s or more; the final star is the lower of this cap and the score's star.
 */
export function mandatoryCap(doc: CriteriaSheetDoc, byCriterion: Record<string, number>, maxStar = 5): { cap: number; failed: { code: string; fromStar: number }[] } {
  const failed = leaves(doc)
    .filter((l) => l.mandatoryFromStar && (byCriterion[l.code] ?? 0) <= 0)
    .map((l) => ({ code: l.code, fromStar: l.mandatoryFromStar! }));
  const cap = failed.length ? Math.min(...failed.map((f) => f.fromStar)) - 1 : maxStar;
  return { cap: Math.max(0, cap), failed };
}

export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
export const spread = (xs: number[]) => (xs.length ? Math.max(...xs) - Math.min(...xs) : 0);
export const round2 = (x: number) => Math.round(x * 100) / 100;

/** Options not chosen that would raise the score most: "what would move us up a star". */
export function improvements(doc: CriteriaSheetDoc, answers: Answers, bands: StarBands = DEFAULT_STAR_BANDS) {
  const s = scoreSheet(doc, answers);
  const star = starOfScore(s.total, bands);
  const next = bands.find((b) => b.star === star + 1);
  const gains = leaves(doc)
    .map((l) => {
      const current = s.byCriterion[l.code] ?? 0;
      const opts = l.options ?? [];
      const bestIdx = opts.reduce((bi, o, i) => (o.points > (opts[bi]?.points ?? -1) ? i : bi), 0);
      return { code: l.code, title: l.title, current, best: opts[bestIdx]?.points ?? 0, bestOption: opts[bestIdx]?.label ?? '', gain: (opts[bestIdx]?.points ?? 0) - current };
    })
    .filter((g) => g.gain > EPS)
    .sort((a, b) => b.gain - a.gain || a.code.localeCompare(b.code));
  const needed = next ? Math.max(0, next.min - s.total) : 0;
  // The fewest criteria (largest gains first) that together close the gap to the next star.
  const plan: typeof gains = [];
  let acc = 0;
  for (const g of gains) {
    if (!next || acc >= needed - EPS) break;
    plan.push(g);
    acc += g.gain;
  }
  return { total: s.total, star, nextStar: next?.star ?? null, pointsToNextStar: next ? round2(needed) : null, reachable: !next || acc >= needed - EPS, plan, gains };
}
