import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../plugins/auth.js';
import { typed, ZUuidParams, type Deps } from '../../lib/http.js';
import { ZGs1Prefix, ZGs1PrefixInput, ZGs1PrefixList, ZProducerIdParams, ZVerificationInput } from './schema.js';
import * as ids from './service.js';

export async function identifiersRoutes(app: FastifyInstance, { db }: Deps) {
  const r = typed(app);
  const tags = ['identifiers'];
  r.get('/api/producers/:id/gs1-prefixes', { schema: { tags, summary: 'A producer’s GS1 company prefixes', params: ZProducerIdParams, response: { 200: ZGs1PrefixList } } }, async (req) =>
    ids.listPrefixesFor(db, requireActor(req), req.params.id),
  );
  r.post('/api/producers/:id/gs1-prefixes', { schema: { tags, summary: 'Declare a GS1 company prefix (producers: with the GS1 Vietnam membership certificate from the locker; officers: verified at once)', params: ZProducerIdParams, body: ZGs1PrefixInput, response: { 201: ZGs1Prefix } } }, async (req, reply) => {
    const out = await ids.declarePrefix(db, requireActor(req), req.params.id, req.body);
    reply.code(201);
    return out;
  });
  r.post('/api/gs1-prefixes/:id/verification', { schema: { tags, summary: 'Verify or reject a declared prefix (officers in the producer’s scope)', params: ZUuidParams, body: ZVerificationInput, response: { 200: ZGs1Prefix } } }, async (req) =>
    ids.decidePrefix(db, requireActor(req), req.params.id, req.body),
  );
}
