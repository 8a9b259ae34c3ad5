import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireActor } from '../../plugins/auth.js';
import { typed, ZOk, ZUuidParams, type Deps } from '../../lib/http.js';
import { ZEpcisRangeQuery, ZImportResult, ZLot, ZLotInput, ZLotListQuery, ZLotPage, ZLotUpdate, ZDeclareEventWrong, ZTraceEvent, ZTraceEventInput } from './schema.js';
import * as lots from './service.js';

const EPCIS_MAX_BYTES = 1024 * 1024;

/** Lots, their EPCIS events, EPCIS export and import (issue #5). */
export async function lotsRoutes(app: FastifyInstance, { db, config }: Deps) {
  const r = typed(app);
  const tags = ['lots'];
  const base = config.publicBaseUrl;

  // EPCIS documents are JSON-LD; partners send them as application/ld+json (this scope only).
  app.addContentTypeParser('application/ld+json', { parseAs: 'string', bodyLimit: EPCIS_MAX_BYTES }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const err = new Error('Nội dung không phải JSON hợp lệ') as Error & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });

  r.get('/api/lots', { schema: { tags, summary: 'List lots (newest produced first)', querystring: ZLotListQuery, response: { 200: ZLotPage } } }, async (req) =>
    lots.findLots(db, requireActor(req), req.query),
  );
  r.get('/api/lots/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZLot } } }, async (req) =>
    lots.getLotFor(db, requireActor(req), req.params.id),
  );
  r.post('/api/lots', { schema: { tags, summary: 'Create a lot (GTIN check digit validated, stored as GTIN-14)', body: ZLotInput, response: { 201: ZLot } } }, async (req, reply) => {
    const created = await lots.createLot(db, requireActor(req), req.body);
    reply.code(201);
    return created;
  });
  r.put('/api/lots/:id', { schema: { tags, summary: 'Update a lot (optimistic: send the version you read)', params: ZUuidParams, body: ZLotUpdate, response: { 200: ZLot } } }, async (req) => {
    const { version, ...input } = req.body;
    return lots.updateLot(db, requireActor(req), req.params.id, version, input);
  });
  r.delete('/api/lots/:id', { schema: { tags, summary: 'Delete a lot without events or stamps', params: ZUuidParams, response: { 200: ZOk } } }, async (req) =>
    lots.deleteLot(db, requireActor(req), req.params.id),
  );

  r.get('/api/lots/:id/events', { schema: { tags, summary: "The lot's journey: its events and its input lots' events, oldest first", params: ZUuidParams, response: { 200: z.array(ZTraceEvent) } } }, async (req) =>
    lots.getLotJourney(db, requireActor(req), req.params.id, base),
  );
  r.post('/api/trace-events', { schema: { tags, summary: 'Record a trace event (stored as an EPCIS 2.0 event)', body: ZTraceEventInput, response: { 201: ZTraceEvent } } }, async (req, reply) => {
    const created = await lots.recordEvent(db, requireActor(req), req.body, { publicBaseUrl: base, source: 'form' });
    reply.code(201);
    return created;
  });

  r.post('/api/trace-events/:id/declare-wrong', {
    schema: { tags, summary: 'Declare a recorded event wrong (EPCIS errorDeclaration); the event stays, marked corrected', params: ZUuidParams, body: ZDeclareEventWrong, response: { 200: ZTraceEvent } },
  }, async (req) => lots.declareEventWrong(db, requireActor(req), req.params.id, req.body, base));

  r.get('/api/lots/:id/epcis', { schema: { tags, summary: "The lot's journey as an EPCIS 2.0 JSON-LD document", params: ZUuidParams } }, async (req, reply) => {
    const { document, filename } = await lots.exportLotEpcis(db, requireActor(req), req.params.id);
    return reply
      .type('application/ld+json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'private, no-cache')
      .send(JSON.stringify(document, null, 2));
  });
  r.get('/api/epcis/events', { schema: { tags, summary: 'Events in a date range (Vietnam time) as an EPCIS 2.0 JSON-LD document', querystring: ZEpcisRangeQuery } }, async (req, reply) => {
    const { document, filename } = await lots.exportEpcisRange(db, requireActor(req), req.query);
    return reply
      .type('application/ld+json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'private, no-cache')
      .send(JSON.stringify(document, null, 2));
  });
  r.post('/api/epcis/import', {
    bodyLimit: EPCIS_MAX_BYTES,
    schema: { tags, summary: 'Import an EPCIS 2.0 document (all or nothing; known eventIDs skipped)', body: z.unknown(), response: { 200: ZImportResult } },
  }, async (req) => lots.importEpcis(db, requireActor(req), req.body, base));
}
