import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assertCan, requireActor } from '../../plugins/auth.js';
import { readXlsxUpload, typed, type Deps } from '../../lib/http.js';
import { canImport } from '../products/policy.js';
import { importRegistry, importTemplate } from './service.js';

const ZCounts = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
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
}
