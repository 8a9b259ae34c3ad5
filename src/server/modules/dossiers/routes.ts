import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { typed, ZUuidParams, type Deps } from '../../lib/http.js';
import { requireActor } from '../../plugins/auth.js';
import { ZAssign, ZAttachEvidence, ZComment, ZCreateDossier, ZDossier, ZDossierListQuery, ZDossierPage, ZPreAssessment, ZReturnDossier, ZUpdateDossier } from './schema.js';
import { todayInVietnam } from '../../../shared/certificate-dates.js';
import { buildDossierWorkbook } from './excel.js';
import { buildDossierReceiptPdf } from './receipt.js';
import * as dossiers from './service.js';

const ZAccept = z.object({ comment: z.string().trim().max(2000).optional(), formatChecked: z.boolean().optional() }).nullable();

export async function dossiersRoutes(app: FastifyInstance, { db }: Deps) {
  const r = typed(app);
  const tags = ['dossiers'];
  const one = { 200: ZDossier };

  r.get('/api/dossiers', { schema: { tags, summary: 'Dossiers the caller may see (producer: its own)', querystring: ZDossierListQuery, response: { 200: ZDossierPage } } }, async (req) =>
    dossiers.findDossiersFor(db, requireActor(req), req.query),
  );
  // The list as filtered on screen, as an Excel sheet; the same reading rules as the list.
  r.get('/api/dossiers/export.xlsx', { schema: { tags, summary: 'The (filtered) dossiers list as an Excel workbook', querystring: ZDossierListQuery } }, async (req, reply) => {
    const a = requireActor(req);
    const items = await dossiers.exportDossiers(db, a, req.query);
    const { page: _page, pageSize: _size, ...filters } = req.query;
    const buf = await buildDossierWorkbook(items, {
      title: 'DANH SÁCH HỒ SƠ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP',
      filterText: Object.values(filters).some((v) => v !== undefined) ? 'Danh sách đã lọc theo điều kiện tìm kiếm' : 'Toàn bộ hồ sơ người xuất được xem',
      generatedBy: a.fullName,
    });
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="ho-so-ocop-${todayInVietnam()}.xlsx"`)
      .send(buf);
  });
  r.post('/api/dossiers', { schema: { tags, summary: 'Open a dossier (first evaluation, re-evaluation or upgrade)', body: ZCreateDossier, response: { 201: ZDossier } } }, async (req, reply) => {
    const d = await dossiers.createDossier(db, requireActor(req), req.body);
    reply.code(201);
    return d;
  });
  r.get('/api/dossiers/:id', { schema: { tags, params: ZUuidParams, response: one } }, async (req) => dossiers.getDossier(db, requireActor(req), req.params.id));
  r.get('/api/dossiers/:id/receipt.pdf', { schema: { tags, summary: 'The printable receipt of an accepted dossier (giấy tiếp nhận hồ sơ, A4)', params: ZUuidParams } }, async (req, reply) => {
    const pdf = await buildDossierReceiptPdf(await dossiers.receiptOf(db, requireActor(req), req.params.id));
    return reply.type('application/pdf').header('content-disposition', `inline; filename="giay-tiep-nhan-ho-so-${req.params.id.slice(0, 8)}.pdf"`)
      .header('cache-control', 'private, no-cache').send(pdf);
  });
  r.put('/api/dossiers/:id', { schema: { tags, summary: 'Edit the registration form and sample (draft or returned)', params: ZUuidParams, body: ZUpdateDossier, response: one } }, async (req) =>
    dossiers.updateDossierDraft(db, requireActor(req), req.params.id, req.body),
  );
  r.post('/api/dossiers/:id/evidence', { schema: { tags, summary: 'Link a document of the producer’s locker', params: ZUuidParams, body: ZAttachEvidence, response: one } }, async (req) =>
    dossiers.attachEvidence(db, requireActor(req), req.params.id, req.body.evidenceId, req.body.requirement),
  );
  r.delete('/api/dossiers/:id/evidence/:evidenceId', { schema: { tags, params: z.object({ id: z.string().uuid(), evidenceId: z.string().uuid() }), response: one } }, async (req) =>
    dossiers.detachEvidence(db, requireActor(req), req.params.id, req.params.evidenceId),
  );
  r.post('/api/dossiers/:id/submit', { schema: { tags, summary: 'Submit (refused with the list of what is missing)', params: ZUuidParams, body: ZComment, response: one } }, async (req) =>
    dossiers.submitDossier(db, requireActor(req), req.params.id, req.body?.comment),
  );
  r.post('/api/dossiers/:id/return', { schema: { tags, summary: 'Return for supplement with reasons', params: ZUuidParams, body: ZReturnDossier, response: one } }, async (req) =>
    dossiers.returnDossier(db, requireActor(req), req.params.id, req.body.reasons, req.body.comment),
  );
  r.put('/api/dossiers/:id/pre-assessment', { schema: { tags, summary: 'Commune pre-assessment report on the four local criteria (148+1489)', params: ZUuidParams, body: ZPreAssessment, response: one } }, async (req) =>
    dossiers.savePreAssessment(db, requireActor(req), req.params.id, req.body),
  );
  r.post('/api/dossiers/:id/accept', { schema: { tags, summary: 'Accept the dossier after the format check / pre-assessment', params: ZUuidParams, body: ZAccept, response: one } }, async (req) =>
    dossiers.acceptDossier(db, requireActor(req), req.params.id, req.body ?? {}),
  );
  r.post('/api/dossiers/:id/assign', { schema: { tags, summary: 'Assign an accepted dossier to an evaluation round', params: ZUuidParams, body: ZAssign, response: one } }, async (req) =>
    dossiers.assignDossier(db, requireActor(req), req.params.id, req.body.roundId),
  );
  r.post('/api/dossiers/:id/withdraw', { schema: { tags, params: ZUuidParams, body: ZComment, response: one } }, async (req) =>
    dossiers.withdrawDossier(db, requireActor(req), req.params.id, req.body?.comment),
  );
}
