import type { FastifyInstance } from 'fastify';
import { assertCan, requireActor } from '../../plugins/auth.js';
import { typed, ZUuidParams, type Deps } from '../../lib/http.js';
import { getHistory } from '../audit/service.js';
import { ZHistory } from '../audit/schema.js';
import { registryHistoryNames } from '../products/history-names.js';
import { canReadProducer } from './policy.js';
import { ZProducer, ZProducerInput, ZProducerListQuery, ZProducerPage, ZProducerUpdate } from './schema.js';
import * as producers from './service.js';

export async function producersRoutes(app: FastifyInstance, { db }: Deps) {
  const r = typed(app);
  const tags = ['producers'];

  r.get('/api/producers', { schema: { tags, summary: 'Search and list producers', querystring: ZProducerListQuery, response: { 200: ZProducerPage } } }, async (req) =>
    producers.findProducers(db, requireActor(req), req.query),
  );

  r.get('/api/producers/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZProducer } } }, async (req) =>
    producers.getProducerFor(db, requireActor(req), req.params.id),
  );

  r.post('/api/producers', { schema: { tags, summary: 'Register a producer', body: ZProducerInput, response: { 201: ZProducer } } }, async (req, reply) => {
    const a = requireActor(req);
    const created = await producers.createProducer(db, a, req.body);
    reply.code(201);
    return created;
  });

  r.put('/api/producers/:id', { schema: { tags, summary: 'Update a producer (optimistic: send the version you read)', params: ZUuidParams, body: ZProducerUpdate, response: { 200: ZProducer } } }, async (req) => {
    const { version, ...input } = req.body;
    return producers.updateProducer(db, requireActor(req), req.params.id, version, input);
  });

  r.get('/api/producers/:id/history', { schema: { tags, summary: 'Change history', params: ZUuidParams, response: { 200: ZHistory } } }, async (req) => {
    const a = requireActor(req);
    const p = await producers.getProducer(db, req.params.id);
    assertCan(a, canReadProducer, p.producer);
    return getHistory(db, 'producer', req.params.id, registryHistoryNames(db));
  });
}
