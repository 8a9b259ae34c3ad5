import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/errors.js';
import { requireActor } from '../../plugins/auth.js';
import { typed, ZUuidParams, type Deps } from '../../lib/http.js';
import { attachmentDisposition, evidenceTextFields as textFields } from '../evidence/files.js';
import { ZSupportEvidenceList, ZSupportEvidenceParams } from './schema.js';
import * as evidence from './support-evidence.js';


/** Evidence files of support activities: list, upload (into the producer's locker), link, unlink, download. */
export async function supportEvidenceRoutes(app: FastifyInstance, { db, storage, config }: Deps) {
  const r = typed(app);
  const tags = ['programme'];

  r.get('/api/support-activities/:id/evidence', { schema: { tags, summary: 'Documents of a support activity (the supported producer and the officers responsible)', params: ZUuidParams, response: { 200: ZSupportEvidenceList } } }, async (req) =>
    evidence.listSupportEvidence(db, requireActor(req), req.params.id),
  );
  r.post('/api/support-activities/:id/evidence', {
    schema: {
      tags, params: ZUuidParams, consumes: ['multipart/form-data'], response: { 201: ZSupportEvidenceList },
      summary: 'Upload a document for the activity (stored in the producer’s locker and linked): fields type, title, issuer?, number?, issuedOn?, then the part "file"',
    },
  }, async (req, reply) => {
    const a = requireActor(req);
    const file = await req.file({ limits: { fileSize: config.uploadMaxBytes, files: 1 }, preservePath: true });
    if (!file) throw new AppError('VALIDATION', { errors: [{ path: 'file', message: 'Chưa chọn tệp' }] });
    const data = await file.toBuffer();
    const out = await evidence.uploadSupportEvidence(db, storage, a, req.params.id, textFields(file.fields), { fileName: file.filename, data });
    reply.code(201);
    return out;
  });
  r.post('/api/support-activities/:id/evidence/:evidenceId', { schema: { tags, summary: 'Link a document already in the producer’s locker', params: ZSupportEvidenceParams, response: { 200: ZSupportEvidenceList } } }, async (req) =>
    evidence.linkSupportEvidence(db, requireActor(req), req.params.id, req.params.evidenceId),
  );
  r.delete('/api/support-activities/:id/evidence/:evidenceId', { schema: { tags, summary: 'Unlink a document (it stays in the producer’s locker)', params: ZSupportEvidenceParams, response: { 200: ZSupportEvidenceList } } }, async (req) =>
    evidence.unlinkSupportEvidence(db, requireActor(req), req.params.id, req.params.evidenceId),
  );
  r.get('/api/support-activities/:id/evidence/:evidenceId/file', { schema: { tags, summary: 'Download a document of the activity (always as an attachment)', params: ZSupportEvidenceParams } }, async (req, reply) => {
    const f = await evidence.readSupportEvidenceFile(db, storage, requireActor(req), req.params.id, req.params.evidenceId);
    return reply
      .type(f.contentType)
      .header('content-disposition', attachmentDisposition(f.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-cache')
      .send(f.data);
  });
}
