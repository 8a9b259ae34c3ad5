import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../plugins/auth.js';
import { typed, ZOk, ZUuidParams, type Deps } from '../../lib/http.js';
import { ZParty, ZPartyInput, ZPartyListQuery, ZPartyPage, ZPartyUpdate } from './schema.js';
import * as parties from './service.js';

export async function partiesRoutes(app: FastifyInstance, { db }: Deps) {
  const r = typed(app);
  const tags = ['parties'];
  r.get('/api/parties', { schema: { tags, summary: 'A producer’s trading partners (buyers, processors, packers …)', querystring: ZPartyListQuery, response: { 200: ZPartyPage } } }, async (req) =>
    parties.listPartiesFor(db, requireActor(req), req.query),
  );
  r.get('/api/parties/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZParty } } }, async (req) =>
    parties.getPartyFor(db, requireActor(req), req.params.id),
  );
  r.post('/api/parties', { schema: { tags, summary: 'Add a trading partner', body: ZPartyInput, response: { 201: ZParty } } }, async (req, reply) => {
    const out = await parties.createParty(db, requireActor(req), req.body);
    reply.code(201);
    return out;
  });
  r.put('/api/parties/:id', { schema: { tags, summary: 'Update a trading partner (send the version you read)', params: ZUuidParams, body: ZPartyUpdate, response: { 200: ZParty } } }, async (req) => {
    const { version, ...input } = req.body;
    return parties.updateParty(db, requireActor(req), req.params.id, version, input);
  });
  r.delete('/api/parties/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZOk } } }, async (req) =>
    parties.deleteParty(db, requireActor(req), req.params.id),
  );
}
