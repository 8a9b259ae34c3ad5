import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireActor } from '../../plugins/auth.js';
import { typed, ZOk, ZUuidParams, type Deps } from '../../lib/http.js';
import { starOfScore } from '../../../shared/criteria.js';
import * as criteria from '../criteria/service.js';
import { findProducerRow } from '../producers/service.js';
import { findProductRow } from '../products/service.js';
import { findUnitById } from '../geo/service.js';
import { finaliseRound } from '../recognition/orchestrate.js';
import { buildMinutesPdf, buildResultsWorkbook, buildScoreSheetPdf } from './documents.js';
import { toRoundReport, toScoreSheetData } from './presenter.js';
import { ZAddProducts, ZAnswersBody, ZConflict, ZCouncilCandidate, ZCreateRound, ZFinalise, ZLateConflict, ZMySheet, ZReopen, ZRound, ZRoundProduct, ZSelfAssessment, ZSubstitute } from './schema.js';
import * as evaluation from './service.js';
import { roundOptions, ZRoundOptions } from './options.js';
import { asciiFileName } from '../../../shared/text.js';

const ZRoundProductParams = z.object({ id: z.string().uuid(), productId: z.string().uuid() });
const pdf = 'application/pdf';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const safeName = (s: string) => asciiFileName(s.replace(/[._]/g, ' '), { lower: true, fallback: 'ocop' });

export async function evaluationRoutes(app: FastifyInstance, { db }: Deps) {
  const r = typed(app);
  const tags = ['evaluation'];

  r.get('/api/rounds', { schema: { tags, summary: 'Evaluation rounds visible to me', response: { 200: z.array(ZRound) } } }, async (req) => evaluation.listRounds(db, requireActor(req)));
  r.post('/api/rounds', { schema: { tags, summary: 'Create a round with its council and products', body: ZCreateRound, response: { 201: ZRound } } }, async (req, reply) => {
    reply.code(201);
    return evaluation.createRound(db, requireActor(req), req.body);
  });
  r.get('/api/rounds/candidates', { schema: { tags, summary: 'Accounts that can sit on a council (for officers organising a round)', response: { 200: z.array(ZCouncilCandidate) } } }, async (req) =>
    evaluation.councilCandidates(db, requireActor(req)));
  r.get('/api/rounds/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZRound } } }, async (req) => evaluation.getRound(db, requireActor(req), req.params.id));
  r.post('/api/rounds/:id/products', { schema: { tags, summary: 'Assign products (sheet resolved from each product’s subgroup)', params: ZUuidParams, body: ZAddProducts, response: { 200: ZRound } } }, async (req) =>
    evaluation.addProducts(db, requireActor(req), req.params.id, req.body.productIds));
  r.post('/api/rounds/:id/open-scoring', { schema: { tags, params: ZUuidParams, response: { 200: ZRound } } }, async (req) => evaluation.openScoring(db, requireActor(req), req.params.id));
  r.post('/api/rounds/:id/open-results', { schema: { tags, summary: 'Chair: open results (members may then see each other’s sheets)', params: ZUuidParams, response: { 200: ZRound } } }, async (req) =>
    evaluation.openResults(db, requireActor(req), req.params.id));
  r.post('/api/rounds/:id/finalise', { schema: { tags, summary: 'Chair: finalise (quorum enforced; spread-flagged products need a discussion note)', params: ZUuidParams, body: ZFinalise, response: { 200: ZRound } } }, async (req) =>
    finaliseRound(db, requireActor(req), req.params.id, req.body.discussionNotes));
  r.get('/api/rounds/:id/products', { schema: { tags, summary: 'Products with progress; scores only once results are open', params: ZUuidParams, response: { 200: z.array(ZRoundProduct) } } }, async (req) =>
    evaluation.roundProducts(db, requireActor(req), req.params.id));
  r.post('/api/rounds/:id/products/:productId/conflict', { schema: { tags, summary: 'Declare my conflict of interest', params: ZRoundProductParams, body: ZConflict, response: { 200: ZOk } } }, async (req) => {
    await evaluation.declareConflict(db, requireActor(req), req.params.id, req.params.productId, req.body.reason, req.body.note);
    return { ok: true as const };
  });
  r.post('/api/rounds/:id/products/:productId/late-conflict', { schema: { tags, summary: 'Chair: record a conflict discovered after the member submitted (voids that sheet; results reopen to scoring)', params: ZRoundProductParams, body: ZLateConflict, response: { 200: ZRound } } }, async (req) =>
    evaluation.recordLateConflict(db, requireActor(req), req.params.id, req.params.productId, req.body));
  r.post('/api/rounds/:id/substitutes', { schema: { tags, summary: 'Chair or organiser: add a substitute scoring member, with the reason', params: ZUuidParams, body: ZSubstitute, response: { 200: ZRound } } }, async (req) =>
    evaluation.addSubstitute(db, requireActor(req), req.params.id, req.body));
  r.get('/api/rounds/options', { schema: { tags, summary: 'What I may organise today: procedure in force and its levels, each allowed or refused with the rule', response: { 200: ZRoundOptions } } }, async (req) =>
    roundOptions(db, requireActor(req)));
  r.get('/api/rounds/:id/products/:productId/my-sheet', { schema: { tags, params: ZRoundProductParams, response: { 200: ZMySheet } } }, async (req) =>
    evaluation.getMySheet(db, requireActor(req), req.params.id, req.params.productId));
  r.put('/api/rounds/:id/products/:productId/my-sheet', { schema: { tags, summary: 'Save my draft (autosave); totals computed by the server', params: ZRoundProductParams, body: ZAnswersBody, response: { 200: ZMySheet } } }, async (req) =>
    evaluation.saveMySheet(db, requireActor(req), req.params.id, req.params.productId, req.body, false));
  r.post('/api/rounds/:id/products/:productId/my-sheet/submit', { schema: { tags, summary: 'Submit and lock my sheet', params: ZRoundProductParams, body: ZAnswersBody, response: { 200: ZMySheet } } }, async (req) =>
    evaluation.saveMySheet(db, requireActor(req), req.params.id, req.params.productId, req.body, true));
  r.post('/api/rounds/:id/score-sheets/:sheetId/reopen', { schema: { tags, summary: 'Chair: reopen a submitted sheet for re-scoring, with the reason', params: z.object({ id: z.string().uuid(), sheetId: z.string().uuid() }), body: ZReopen, response: { 200: ZOk } } }, async (req) => {
    await evaluation.reopenSheet(db, requireActor(req), req.params.id, req.params.sheetId, req.body.reason);
    return { ok: true as const };
  });

  r.get('/api/score-sheets/:id', { schema: { tags, summary: 'A score sheet: its member always; others only after results open', params: ZUuidParams } }, async (req) => {
    const { s, sheet, member, score } = await evaluation.getSheetById(db, requireActor(req), req.params.id);
    return { id: s.id, roundId: s.roundId, productId: s.productId, member: member?.fullName ?? '', status: s.status, answers: s.answers, notes: s.notes, total: score.total, partTotals: score.parts, sheet: { id: sheet.id, title: sheet.title, doc: sheet.doc } };
  });

  r.get('/api/score-sheets/:id/pdf', { schema: { tags, summary: 'Phiếu chấm điểm (PDF)', params: ZUuidParams } }, async (req, reply) => {
    const actor = requireActor(req);
    const { s, sheet, member, score, round } = await evaluation.getSheetById(db, actor, req.params.id);
    const [product, unit, set, members] = await Promise.all([findProductRow(db, s.productId), round.unitId === null ? Promise.resolve(undefined) : findUnitById(db, round.unitId), criteria.findSet(db, round.criteriaSetId), evaluation.getRound(db, actor, round.id)]);
    const producer = product ? await findProducerRow(db, product.producerId) : undefined;
    const role = members.members.find((m) => m.userId === s.memberId)?.role ?? 'member';
    const data = toScoreSheetData(
      { name: round.name, level: round.level, unitName: unit?.name ?? '', decision: set?.decision ?? '' },
      { name: product?.name ?? '', producerName: producer?.legalName ?? '', subgroup: sheet.title },
      { name: member?.fullName ?? '', role }, sheet.doc, s.answers, s.notes, score.byCriterion, score.parts, score.total, s.submittedAt, sheet.isDemo,
      starOfScore(score.total, set?.starBands),
    );
    return reply.type(pdf).header('content-disposition', `attachment; filename="phieu-cham-${safeName(product?.name ?? 'san-pham')}.pdf"`).send(await buildScoreSheetPdf(data));
  });

  const report = async (actor: ReturnType<typeof requireActor>, id: string) => {
    const round = await evaluation.getRound(db, actor, id);
    const products = await evaluation.roundProducts(db, actor, id);
    const set = await criteria.findSet(db, round.criteriaSet.id);
    return toRoundReport(round, products, set?.decision ?? '');
  };
  r.get('/api/rounds/:id/minutes.pdf', { schema: { tags, summary: 'Biên bản họp hội đồng (PDF)', params: ZUuidParams } }, async (req, reply) => {
    const data = await report(requireActor(req), req.params.id);
    return reply.type(pdf).header('content-disposition', `attachment; filename="bien-ban-${safeName(data.round.name)}.pdf"`).send(await buildMinutesPdf(data));
  });
  r.get('/api/rounds/:id/results.xlsx', { schema: { tags, summary: 'Bảng kết quả (Excel)', params: ZUuidParams } }, async (req, reply) => {
    const data = await report(requireActor(req), req.params.id);
    return reply.type(XLSX).header('content-disposition', `attachment; filename="ket-qua-${safeName(data.round.name)}.xlsx"`).send(await buildResultsWorkbook(data));
  });

  r.get('/api/products/:id/self-assessment', { schema: { tags: ['self-assessment'], summary: 'My self-assessment with "what would move us up a star"', params: ZUuidParams, response: { 200: ZSelfAssessment } } }, async (req) =>
    evaluation.getSelfAssessment(db, requireActor(req), req.params.id));
  r.put('/api/products/:id/self-assessment', { schema: { tags: ['self-assessment'], params: ZUuidParams, body: ZAnswersBody, response: { 200: ZSelfAssessment } } }, async (req) =>
    evaluation.saveSelfAssessment(db, requireActor(req), req.params.id, req.body));
}
