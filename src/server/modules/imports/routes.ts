import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assertCan, requireActor } from '../../plugins/auth.js';
import { readXlsxUpload, readXlsxUploadNamed, typed, ZUuidParams, type Deps } from '../../lib/http.js';
import { canImportPlaces } from '../trace/policy.js';
import { canImport } from '../products/policy.js';
import { getImportRun, settleImportRuns, startImportRun } from './runs.js';
import { importRegistry, importTemplate } from './service.js';

const ZCounts = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
const ZImportRun = z.object({
  id: z.string(),
  kind: z.enum(['registry', 'growing_areas', 'packing_houses']),
  fileName: z.string().nullable(),
  status: z.enum(['running', 'done', 'failed']),
  phase: z.enum(['reading', 'checking', 'writing', 'done']).nullable(),
  total: z.number().int(),
  done: z.number().int(),
  result: z.record(z.string(), z.unknown()).nullable(),
  errors: z.array(z.object({ path: z.string(), message: z.string(), row: z.number().int().optional(), column: z.string().optional() })),
  errorCount: z.number().int(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function importsRoutes(app: FastifyInstance, { db, config, storage }: Deps) {
  const r = typed(app);
  const tags = ['excel import'];

  r.get('/api/import/template.xlsx', { schema: { tags, summary: 'The .xlsx template for producers and products' } }, async (req, reply) => {
    assertCan(requireActor(req), canImport);
    const buf = await importTemplate(db);
    return reply.type(XLSX).header('content-disposition', 'attachment; filename="mau-nhap-ocop.xlsx"').send(buf);
  });

  r.post('/api/import/registry', {
    schema: { tags, summary: 'Import producers and products: all rows valid or nothing written', consumes: ['multipart/form-data'], response: { 200: z.object({ producers: ZCounts, products: ZCounts, certificates: z.object({ created: z.number().int() }) }) } },
  }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canImport);
    const data = await readXlsxUpload(req, config.uploadMaxBytes);
    return importRegistry(db, a, data, { storage });
  });

  app.addHook('onClose', async () => { await settleImportRuns(); });

  r.post('/api/import/runs', {
    schema: {
      tags, consumes: ['multipart/form-data'],
      summary: 'Start an Excel import in the background (registry, growing areas or packing houses); 202 with the run to poll',
      querystring: z.object({ kind: z.enum(['registry', 'growing_areas', 'packing_houses']).default('registry') }),
      response: { 202: ZImportRun },
    },
  }, async (req, reply) => {
    const a = requireActor(req);
    assertCan(a, req.query.kind === 'registry' ? canImport : canImportPlaces);
    const { data, fileName } = await readXlsxUploadNamed(req, config.uploadMaxBytes);
    return reply.code(202).send(await startImportRun(db, storage, req.log, a, req.query.kind, data, fileName));
  });

  r.get('/api/import/runs/:id', {
    schema: { tags, summary: 'An import run: status, progress, then the counts or every row/column error (its importer and administrators)', params: ZUuidParams, response: { 200: ZImportRun } },
  }, async (req) => getImportRun(db, requireActor(req), req.params.id));
}
