/**
 * Where the time of finalise / GET /api/rounds/:id/products / the reports goes, step by step, in-process, on
 * the database bench/evaluation.ts leaves behind (PostgreSQL keeps it; its last round is used; nothing is
 * changed: the saveResults step runs in a transaction that is rolled back).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55432/ocop_bench node --import tsx bench/evaluation-profile.ts
 *
 * Prints a markdown table (median of 5 runs per step) on stdout.
 */
import { openPostgres } from '../src/server/db/client.js';
import { DEFAULT_STAR_BANDS, type CriteriaSheetDoc } from '../src/shared/criteria.js';
import * as criteriaRepo from '../src/server/modules/criteria/repository.js';
import * as repo from '../src/server/modules/evaluation/repository.js';
import { computeResults, getMySheet, getRound, roundProducts } from '../src/server/modules/evaluation/service.js';
import { ZRoundProduct } from '../src/server/modules/evaluation/schema.js';
import { toRoundReport } from '../src/server/modules/evaluation/presenter.js';
import { buildMinutesPdf, buildResultsWorkbook } from '../src/server/modules/evaluation/documents.js';
import type { Actor } from '../src/server/lib/actor.js';
import { z } from 'zod';

const RUNS = 5;

async function main() {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/ocop_bench';
  const h = await openPostgres(url, 4);
  const db = h.db;
  try {
    const [row] = await h.query<{ id: string }>(`select id from rounds order by created_at desc limit 1`);
    if (!row) throw new Error('no round: run bench/evaluation.ts with BENCH_DBS=postgres first');
    const r = (await repo.findRound(db, row.id))!;
    const [chairRow] = await h.query<{ user_id: string }>(`select user_id from round_members where round_id = $1 and role = 'chair'`, [r.id]);
    const chair: Actor = { id: chairRow.user_id, login: 'hd.chutich', fullName: 'Chủ tịch', role: 'council_member', producerId: null, unitIds: [], scopeUnitIds: new Set(), locale: 'vi' };
    const steps: { step: string; ms: number[]; note?: string }[] = [];
    const time = async <T>(step: string, fn: () => Promise<T> | T, note?: (v: T) => string): Promise<T> => {
      let v!: T;
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) { const t0 = performance.now(); v = await fn(); ms.push(performance.now() - t0); }
      steps.push({ step, ms, note: note?.(v) });
      return v;
    };
    const members = await time('repo.findMembers', () => repo.findMembers(db, r.id), (v) => `${v.length} rows`);
    const rps = await time('repo.findRoundProducts (5-table join, order by name_norm)', () => repo.findRoundProducts(db, r.id), (v) => `${v.length} rows`);
    const sheets = await time('repo.findSheetsOfRound (score_sheets incl. answers jsonb)', () => repo.findSheetsOfRound(db, r.id), (v) => `${v.length} rows`);
    const conflicts = await time('repo.findConflicts', () => repo.findConflicts(db, r.id), (v) => `${v.length} rows`);
    const proc = await time('criteriaRepo.findProcedure', () => criteriaRepo.findProcedure(db, r.procedureCode));
    const set = await time('criteriaRepo.findSet', () => criteriaRepo.findSet(db, r.criteriaSetId));
    const docsRows = await time('criteriaRepo.findSheetsByIds', async () => (await criteriaRepo.findSheetsByIds(db, [...new Set(rps.map((p) => p.rp.sheetId))])) as { id: number; doc: unknown }[], (v) => `${v.length} sheets`);
    const docs = new Map(docsRows.map((s) => [s.id, s.doc as CriteriaSheetDoc]));
    const computed = await time('computeResults (pure JS)', () => computeResults(r, members, rps.map((p) => ({ productId: p.rp.productId, doc: docs.get(p.rp.sheetId)! })), sheets, conflicts, proc!.doc, set?.starBands ?? DEFAULT_STAR_BANDS), (v) => `${v.length} products`);
    await time('repo.saveResults (one UPDATE … FROM (VALUES …), rolled back)', async () => {
      await db.transaction(async (tx) => {
        await repo.saveResults(tx, r.id, computed.map((c) => ({ productId: c.productId, result: c.result, note: null })));
        tx.rollback();
      }).catch((e) => { if (!/rollback/i.test(String(e?.message ?? e))) throw e; });
    });
    const rows = await time('service.roundProducts (whole GET /products handler body)', () => roundProducts(db, chair, r.id), (v) => `${v.length} rows`);
    await time('zod response serialisation of GET /products (z.array(ZRoundProduct).parse + JSON.stringify)', () => JSON.stringify(z.array(ZRoundProduct).parse(rows)), (v) => `${Math.round(v.length / 1024)} KB`);
    await time('JSON.stringify alone', () => JSON.stringify(rows));
    const round = await getRound(db, chair, r.id);
    const report = toRoundReport(round, rows, set?.decision ?? '');
    await time('buildMinutesPdf (pdfkit)', () => buildMinutesPdf(report), (v) => `${Math.round(v.length / 1024)} KB`);
    await time('buildResultsWorkbook (exceljs)', () => buildResultsWorkbook(report), (v) => `${Math.round(v.length / 1024)} KB`);
    // The scoring read path (scoringContext + sheet + product + producer): what PUT/submit also run after their write.
    const [sp] = await h.query<{ product_id: string; member_id: string }>(`select product_id, member_id from score_sheets where round_id = $1 limit 1`, [r.id]);
    const member: Actor = { ...chair, id: sp.member_id };
    const gm = await time('service.getMySheet ×1 (read half of every PUT/submit response)', () => getMySheet(db, member, r.id, sp.product_id));
    steps[steps.length - 1].note = `response ${Math.round(JSON.stringify(gm).length / 1024)} KB (incl. the whole sheet doc)`;
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`Round ${r.id} (${rps.length} products, ${sheets.length} sheets), ${RUNS} runs per step, in-process on ${url.replace(/\/\/[^@]*@/, '//')}\n`);
    console.log('| step | median ms | runs ms | |');
    console.log('|---|---:|---|---|');
    for (const s of steps) console.log(`| ${s.step} | ${med(s.ms).toFixed(1)} | ${s.ms.map((m) => m.toFixed(0)).join(' · ')} | ${s.note ?? ''} |`);
  } finally {
    await h.close();
  }
}

main().catch((err) => { console.error(err instanceof Error ? err.stack : err); process.exit(1); });
