import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { assertCan, requireActor } from '../../plugins/auth.js';
import { readXlsxUpload, typed, ZIntIdParams, ZOk, type Deps } from '../../lib/http.js';
import { validateSheet } from '../../../shared/criteria.js';
import { sheetFromTranscription, type TranscribedSheet } from '../../../shared/criteria-import.js';
import { canManageCriteria, canReadCriteria } from './policy.js';
import { ZCreateSet, ZCriteriaSet, ZCriteriaSheet, ZIssue, ZProcedure, ZPutSheet, ZSheetDoc } from './schema.js';
import * as criteria from './service.js';
import { zIntParam } from '../../../shared/int.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function criteriaRoutes(app: FastifyInstance, { db, config }: Deps) {
  const r = typed(app);
  const tags = ['criteria'];

  r.get('/api/criteria/sets', { schema: { tags, summary: 'Criteria sets with their sheets and validator report', response: { 200: z.array(ZCriteriaSet) } } }, async (req) => {
    assertCan(requireActor(req), canReadCriteria);
    return criteria.listSets(db);
  });

  r.get('/api/criteria/sets/:id', { schema: { tags, params: ZIntIdParams, response: { 200: ZCriteriaSet } } }, async (req) => {
    assertCan(requireActor(req), canReadCriteria);
    return criteria.getSet(db, req.params.id);
  });

  r.post('/api/criteria/sets', { schema: { tags, summary: 'New draft criteria set (a new decision)', body: ZCreateSet, response: { 201: ZCriteriaSet } } }, async (req, reply) => {
    const a = requireActor(req);
    assertCan(a, canManageCriteria);
    reply.code(201);
    return criteria.createSet(db, a, req.body);
  });

  r.put('/api/criteria/sets/:id/sheet', { schema: { tags, summary: 'Add or replace the sheet of a taxonomy leaf (draft sets only)', params: ZIntIdParams, body: ZPutSheet, response: { 200: ZCriteriaSheet } } }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canManageCriteria);
    return criteria.putSheet(db, a, req.params.id, req.body);
  });

  const ZTranscription = z.object({
    taxonomyNodeId: z.number().int().positive(),
    title: z.string().trim().min(2).max(300),
    isDemo: z.boolean().default(false),
    transcription: z.object({ parts: z.array(z.any()).min(1) }).passthrough(),
  });
  r.put('/api/criteria/sets/:id/sheet/transcription', { schema: { tags, summary: 'Add a sheet from the JSON transcription format (parts → sections → criteria → [label, points])', params: ZIntIdParams, body: ZTranscription, response: { 200: ZCriteriaSheet } } }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canManageCriteria);
    let doc;
    try {
      doc = ZSheetDoc.parse(sheetFromTranscription(req.body.transcription as unknown as TranscribedSheet));
    } catch {
      throw new AppError('VALIDATION', { errors: [{ path: 'transcription', message: 'Sai định dạng: phần → mục → tiêu chí → phương án [nội dung, điểm]' }] });
    }
    return criteria.putSheet(db, a, req.params.id, { taxonomyNodeId: req.body.taxonomyNodeId, title: req.body.title, doc, isDemo: req.body.isDemo, note: null });
  });

  r.post('/api/criteria/sets/:id/sheet/import', {
    schema: { tags, summary: 'Add a sheet from the Excel template (multipart "file"; query taxonomyNodeId, title)', params: ZIntIdParams, querystring: z.object({ taxonomyNodeId: zIntParam(), title: z.string().trim().min(2).max(300) }), consumes: ['multipart/form-data'], response: { 200: ZCriteriaSheet } },
  }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canManageCriteria);
    const data = await readXlsxUpload(req, config.uploadMaxBytes);
    const { doc, errors } = await criteria.parseSheetWorkbook(data);
    if (errors.length) throw new AppError('IMPORT_INVALID', { errors });
    return criteria.putSheet(db, a, req.params.id, { taxonomyNodeId: req.query.taxonomyNodeId, title: req.query.title, doc, isDemo: false, note: null });
  });

  r.post('/api/criteria/validate', { schema: { tags, summary: 'Validator report for a sheet document (nothing stored)', body: z.object({ doc: ZSheetDoc, partMaxima: z.record(z.string(), z.number()).optional() }), response: { 200: z.array(ZIssue) } } }, async (req) => {
    assertCan(requireActor(req), canReadCriteria);
    return validateSheet(req.body.doc, req.body.partMaxima);
  });

  r.post('/api/criteria/sets/:id/publish', { schema: { tags, summary: 'Publish: validates every sheet, then the set is immutable', params: ZIntIdParams, response: { 200: ZCriteriaSet } } }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canManageCriteria);
    return criteria.publishSet(db, a, req.params.id);
  });

  r.get('/api/criteria/sheets/:id', { schema: { tags, params: ZIntIdParams, response: { 200: ZCriteriaSheet } } }, async (req) => {
    assertCan(requireActor(req), canReadCriteria);
    return criteria.getSheet(db, req.params.id);
  });

  r.delete('/api/criteria/sheets/:id', { schema: { tags, params: ZIntIdParams, response: { 200: ZOk } } }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canManageCriteria);
    await criteria.deleteSheet(db, a, req.params.id);
    return { ok: true as const };
  });

  r.get('/api/criteria/template.xlsx', { schema: { tags, summary: 'Excel template for transcribing a sheet', querystring: z.object({ sheetId: zIntParam().optional() }) } }, async (req, reply) => {
    assertCan(requireActor(req), canReadCriteria);
    const doc = req.query.sheetId ? (await criteria.getSheet(db, req.query.sheetId)).doc : undefined;
    return reply.type(XLSX).header('content-disposition', 'attachment; filename="mau-phieu-tieu-chi.xlsx"').send(await criteria.buildSheetTemplate(doc));
  });

  r.get('/api/procedures', { schema: { tags, summary: 'Procedure versions (evaluation levels and forwarding rules)', response: { 200: z.array(ZProcedure) } } }, async (req) => {
    assertCan(requireActor(req), canReadCriteria);
    return criteria.listProcedures(db);
  });
}
