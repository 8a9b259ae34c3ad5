/**
 * Routes of the annual report (#11 item 8), registered by programmeRoutes: the report as JSON (the page's preview),
 * and as a file (DOCX, PDF, or the appendices as XLSX) by GET, or by POST with the officer's text for the assessment.
 * Nothing is written: the POST only carries text too long for a query string.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Db } from '../../db/client.js';
import { requireActor } from '../../plugins/auth.js';
import { typed, ZUuidParams } from '../../lib/http.js';
import { buildReport, contentDisposition, reportFileName } from './report.js';
import { renderReportDocx } from './report-docx.js';
import { renderReportPdf } from './report-pdf.js';
import { renderReportWorkbook } from './report-xlsx.js';
import { ZReport, ZReportFileParams, ZReportQuery, ZReportRequest, type ProgrammeReport, type ReportFormat } from './report-schema.js';

const CONTENT_TYPES: Record<ReportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

async function sendReport(reply: FastifyReply, report: ProgrammeReport, format: ReportFormat) {
  const body = format === 'docx' ? await renderReportDocx(report) : format === 'pdf' ? await renderReportPdf(report) : await renderReportWorkbook(report);
  const name = reportFileName(report, format, format === 'xlsx' ? 'Phụ lục báo cáo OCOP' : 'Báo cáo OCOP');
  return reply.type(CONTENT_TYPES[format]).header('content-disposition', contentDisposition(name)).header('cache-control', 'private, no-store').send(body);
}

export async function reportRoutes(app: FastifyInstance, db: Db) {
  const r = typed(app);
  const tags = ['programme'];
  r.get('/api/programme/plans/:id/report', {
    schema: { tags, summary: 'The programme report for a period (year or from–to) and optionally one commune, as data (preview)', params: ZUuidParams, querystring: ZReportQuery, response: { 200: ZReport } },
  }, async (req) => buildReport(db, requireActor(req), req.params.id, req.query));
  r.get('/api/programme/plans/:id/report/:format', {
    schema: { tags, summary: 'The programme report as DOCX or PDF, or its appendices (01 products, 02 targets vs actuals, 03 budget) as XLSX', params: ZReportFileParams, querystring: ZReportQuery },
  }, async (req, reply) => sendReport(reply, await buildReport(db, requireActor(req), req.params.id, req.query), req.params.format));
  r.post('/api/programme/plans/:id/report/:format', {
    schema: { tags, summary: 'The same file with the officer’s text for the assessment (general, shortcomings, directions); nothing is stored', params: ZReportFileParams, body: ZReportRequest },
  }, async (req, reply) => {
    const { assessment, ...choice } = req.body;
    return sendReport(reply, await buildReport(db, requireActor(req), req.params.id, choice, assessment), req.params.format);
  });
}
