import { expect } from 'vitest';
import type { CriteriaNode, CriteriaSheetDoc } from '../../src/shared/criteria.js';
import { call, unitId, type Session, type TestApp } from './app.js';

/** Id of a criteria set by its code (seeded: '148-demo' published, '1048' draft). */
export async function setIdByCode(t: TestApp, code: string) {
  const [row] = await t.dbh.query<{ id: number }>('select id from criteria_sets where code = $1', [code]);
  if (!row) throw new Error(`criteria set ${code} not seeded`);
  return row.id;
}

/** The seeded demo sheet of a QĐ 148 leaf (I.1.a by default): id and document. */
export async function demoSheet(t: TestApp, leafCode = 'I.1.a') {
  const [row] = await t.dbh.query<{ id: number; doc: CriteriaSheetDoc }>(
    `select cs.id, cs.doc from criteria_sheets cs join criteria_sets s on s.id = cs.set_id join taxonomy_nodes n on n.id = cs.taxonomy_node_id
      where s.code = '148-demo' and n.version = '148' and n.code = $1`, [leafCode]);
  if (!row) throw new Error(`no demo sheet for ${leafCode}`);
  return row;
}

export function leafNodes(doc: CriteriaSheetDoc): CriteriaNode[] {
  const out: CriteriaNode[] = [];
  const walk = (n: CriteriaNode) => (n.children?.length ? n.children.forEach(walk) : out.push(n));
  doc.parts.forEach(walk);
  return out;
}

/**
 * Answers (option index per leaf) whose server total is exactly `target`. Criteria in sheet order take their best
 * option that still lets the remaining criteria make up the rest (so early criteria are maxed, later ones low).
 * Mandatory criteria always score above zero, except the codes in `zero`, which take their 0-point option.
 * Throws when the target cannot be reached exactly.
 */
export function answersForTotal(doc: CriteriaSheetDoc, target: number, opts: { zero?: string[] } = {}) {
  const ls = leafNodes(doc);
  const allowed = ls.map((l) => (l.options ?? []).map((o, i) => ({ i, p: o.points })).filter((o) =>
    opts.zero?.includes(l.code) ? o.p === 0 : l.mandatoryFromStar ? o.p > 0 : true));
  ls.forEach((l, k) => { if (!allowed[k].length) throw new Error(`${l.code}: no allowed option`); });
  // reach[k]: totals the criteria k.. can make together.
  const reach: Set<number>[] = Array.from({ length: ls.length + 1 }, () => new Set<number>());
  reach[ls.length].add(0);
  for (let k = ls.length - 1; k >= 0; k--) for (const s of reach[k + 1]) for (const o of allowed[k]) reach[k].add(s + o.p);
  if (!reach[0].has(target)) throw new Error(`target ${target} not reachable exactly`);
  const answers: Record<string, number> = {};
  let remaining = target;
  ls.forEach((l, k) => {
    const o = [...allowed[k]].sort((a, b) => b.p - a.p).find((x) => reach[k + 1].has(remaining - x.p))!;
    answers[l.code] = o.i;
    remaining -= o.p;
  });
  return answers;
}

export interface RoundOptions {
  members: { s: Session; role: 'chair' | 'vice_chair' | 'member' | 'secretary' | 'advisor' }[];
  productIds: string[];
  procedureCode?: string;
  level?: 'commune' | 'district' | 'province' | 'central';
  criteriaSetId?: number;
  quorumRatio?: number;
  spreadThreshold?: number;
  /** Valid sheets a result needs; tests with small councils set it (default here 1: "more than half" still applies). */
  minValidSheets?: number | null;
  startsOn?: string | null;
  unitKey?: string | null;
  name?: string;
}

export async function roundBody(t: TestApp, o: RoundOptions) {
  return {
    name: o.name ?? `Đợt thử ${Date.now().toString(36)}`,
    level: o.level ?? 'province',
    unitId: o.unitKey === null || o.level === 'central' ? null : await unitId(t, o.unitKey ?? 'bn2025'),
    ...(o.startsOn ? { startsOn: o.startsOn } : {}),
    minValidSheets: o.minValidSheets === undefined ? 1 : o.minValidSheets,
    procedureCode: o.procedureCode ?? '148+1489',
    criteriaSetId: o.criteriaSetId ?? (await setIdByCode(t, '148-demo')),
    ...(o.quorumRatio !== undefined ? { quorumRatio: o.quorumRatio } : {}),
    ...(o.spreadThreshold !== undefined ? { spreadThreshold: o.spreadThreshold } : {}),
    members: o.members.map((m) => ({ userId: m.s.userId, role: m.role })),
    productIds: o.productIds,
  };
}

/** Creates a round as `officer` (201 expected) and, unless told otherwise, opens scoring. */
export async function makeRound(t: TestApp, officer: Session, o: RoundOptions & { open?: boolean }) {
  const res = await call(t, officer, 'POST', '/api/rounds', await roundBody(t, o));
  expect(res.statusCode, res.body).toBe(201);
  const id: string = res.json().id;
  if (o.open !== false) {
    const opened = await call(t, officer, 'POST', `/api/rounds/${id}/open-scoring`);
    expect(opened.statusCode, opened.body).toBe(200);
  }
  return id;
}

/** Submits a sheet with the given answers; expects 200 and returns the body (id, total …). */
export async function submitSheet(t: TestApp, s: Session, roundId: string, productId: string, answers: Record<string, number>) {
  const res = await call(t, s, 'POST', `/api/rounds/${roundId}/products/${productId}/my-sheet/submit`, { answers, notes: {} });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; total: number; status: string; answers: Record<string, number>; missing: string[] };
}

/** Submits a sheet reaching exactly `target` points (asserting the server's total). */
export async function submitTotal(t: TestApp, s: Session, roundId: string, productId: string, doc: CriteriaSheetDoc, target: number, opts: { zero?: string[] } = {}) {
  const body = await submitSheet(t, s, roundId, productId, answersForTotal(doc, target, opts));
  expect(body.total).toBe(target);
  return body;
}

export async function productsOf(t: TestApp, s: Session, roundId: string) {
  const res = await call(t, s, 'GET', `/api/rounds/${roundId}/products`);
  expect(res.statusCode, res.body).toBe(200);
   
  return res.json() as any[];
}
