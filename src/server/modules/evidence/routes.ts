import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { requireActor } from '../../plugins/auth.js';
import { typed, ZOk, ZUuidParams, type Deps } from '../../lib/http.js';
import { attachmentDisposition, evidenceTextFields as textFields } from './files.js';
import { ZEvidence, ZEvidenceUpdate } from './schema.js';
import * as evidence from './service.js';


export async function evidenceRoutes(app: FastifyInstance, { db, storage, config }: Deps) {
  const r = typed(app);
  const tags = ['evidence locker'];

  r.get('/api/producers/:id/evidence', { schema: { tags, summary: 'A producer’s evidence locker', params: ZUuidParams, response: { 200: z.array(ZEvidence) } } }, async (req) =>
    evidence.listEvidenceFor(db, requireActor(req), req.params.id),
  );

  r.post('/api/producers/:id/evidence', {
    schema: {
      tags, params: ZUuidParams, consumes: ['multipart/form-data'], response: { 201: ZEvidence },
      summary: 'Upload a document: fields type, certificationType?, title, issuer?, number?, issuedOn?, expiresOn?, then the part "file" (PDF, JPEG, PNG, XLSX, DOCX)',
    },
  }, async (req, reply) => {
    const a = requireActor(req);
    // preservePath: see the name as sent, so "../x.pdf" is refused instead of silently becoming "x.pdf".
    const file = await req.file({ limits: { fileSize: config.uploadMaxBytes, files: 1 }, preservePath: true });
    if (!file) throw new AppError('VALIDATION', { errors: [{ path: 'file', message: 'Chưa chọn tệp' }] });
    // toBuffer() throws FST_REQ_FILE_TOO_LARGE (→ 413 FILE_TOO_LARGE) past the limit, before anything is stored.
    const data = await file.toBuffer();
    const created = await evidence.createEvidence(db, storage, a, req.params.id, textFields(file.fields), { fileName: file.filename, data });
    reply.code(201);
    return created;
  });

  r.get('/api/evidence/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZEvidence } } }, async (req) =>
    evidence.getEvidenceFor(db, requireActor(req), req.params.id),
  );

  r.put('/api/evidence/:id', { schema: { tags, summary: 'Update the metadata (send the version you read)', params: ZUuidParams, body: ZEvidenceUpdate, response: { 200: ZEvidence } } }, async (req) =>
    evidence.updateEvidenceFor(db, requireActor(req), req.params.id, req.body),
  );

  r.delete('/api/evidence/:id', { schema: { tags, summary: 'Delete (refused while a dossier beyond draft uses it)', params: ZUuidParams, response: { 200: ZOk } } }, async (req) => {
    await evidence.deleteEvidenceFor(db, storage, requireActor(req), req.params.id);
    return { ok: true as const };
  });

  r.get('/api/evidence/:id/file', { schema: { tags, summary: 'Download the document (always as an attachment)', params: ZUuidParams } }, async (req, reply) => {
    const f = await evidence.readEvidenceFile(db, storage, requireActor(req), req.params.id);
    return reply
      .type(f.contentType)
      .header('content-disposition', attachmentDisposition(f.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-cache')
      .send(f.data);
  });
}
