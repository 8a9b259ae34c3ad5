import { expect } from 'vitest';
import { recordLegacyCertificateTx } from '../../src/server/modules/certificates/service.js';
import type { LegacyCertificate } from '../../src/server/modules/certificates/schema.js';
import { call, signIn, type Session, type TestApp } from './app.js';
import { demoSheet, makeRound, submitTotal } from './evaluation.js';

const SYSTEM = { system: 'test' };

/**
 * Who signed a paper certificate of that star on that date under the procedure then in force: under QĐ 148
 * (24/02/2023–05/7/2025) the district recognised 3★; 5★ is the ministry's; otherwise the province.
 */
export function paperIssuer(star: number, decisionDate: string) {
  if (star === 5) return decisionDate < '2025-03-01' ? 'Bộ Nông nghiệp và Phát triển nông thôn' : 'Bộ Nông nghiệp và Môi trường';
  if (star === 3 && decisionDate >= '2023-02-24' && decisionDate <= '2025-07-05') return 'UBND huyện Lục Ngạn';
  return decisionDate < '2025-07-01' ? 'UBND tỉnh Bắc Giang' : 'UBND tỉnh Bắc Ninh';
}

/** Records a paper certificate for a product directly through the service (what the demo seed and imports do). */
export async function recordLegacy(t: TestApp, productId: string, over: Partial<LegacyCertificate> = {}) {
  const star = over.star ?? 4;
  const decisionDate = over.decisionDate ?? '2024-05-10';
  return t.dbh.db.transaction((tx) => recordLegacyCertificateTx(tx, SYSTEM, {
    productId, star, decisionNumber: `${Math.floor(Math.random() * 9000) + 1000}/QĐ-UBND`, decisionDate,
    issuingAuthority: paperIssuer(star, decisionDate), ...over,
  }));
}

/**
 * A finalised province-level round (QĐ 148 + 1489: recognises 3★ and 4★, forwards from 90 points) in which a chair and
 * a member both give each product the given total: 80 → 4★ recognised, 60 → 3★ recognised, 40 → not recognised,
 * 95 → forwarded. Returns the round id.
 */
export async function finalisedRound(t: TestApp, officer: Session, products: { id: string; total: number; leaf?: string }[], opts: { finalise?: boolean } = {}) {
  const chair = await signIn(t, 'council_member');
  const member = await signIn(t, 'council_member');
  const roundId = await makeRound(t, officer, { members: [{ s: chair, role: 'chair' }, { s: member, role: 'member' }], productIds: products.map((p) => p.id), minValidSheets: 2 });
  for (const p of products) {
    const { doc } = await demoSheet(t, p.leaf ?? 'I.1.a');
    for (const s of [chair, member]) await submitTotal(t, s, roundId, p.id, doc, p.total);
  }
  const opened = await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`);
  expect(opened.statusCode, opened.body).toBe(200);
  if (opts.finalise !== false) {
    const fin = await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, {});
    expect(fin.statusCode, fin.body).toBe(200);
  }
  return { roundId, chair };
}

/** POST /api/certificates with a decision dated today (Vietnam) unless told otherwise. */
export function issueBody(roundId: string, productId: string, over: Record<string, unknown> = {}) {
  const vn = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  return { roundId, productId, decisionNumber: `${Math.floor(Math.random() * 9000) + 1000}/QĐ-UBND`, decisionDate: vn, ...over };
}
