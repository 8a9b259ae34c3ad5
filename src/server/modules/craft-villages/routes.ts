import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../plugins/auth.js';
import { typed, ZUuidParams, type Deps } from '../../lib/http.js';
import { ZCraftVillage, ZCraftVillageInput, ZCraftVillageList, ZCraftVillageListQuery, ZCraftVillageUpdate } from './schema.js';
import * as villages from './service.js';

export async function craftVillagesRoutes(app: FastifyInstance, { db }: Deps) {
  const r = typed(app);
  const tags = ['craft villages'];

  r.get('/api/craft-villages', { schema: { tags, summary: 'Craft villages (reference data), with how many producers belong to each', querystring: ZCraftVillageListQuery, response: { 200: ZCraftVillageList } } }, async (req) =>
    villages.listCraftVillages(db, requireActor(req), req.query),
  );
  r.get('/api/craft-villages/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZCraftVillage } } }, async (req) =>
    villages.getCraftVillage(db, requireActor(req), req.params.id),
  );
  r.post('/api/craft-villages', { schema: { tags, summary: 'Add a craft village (province officers)', body: ZCraftVillageInput, response: { 201: ZCraftVillage } } }, async (req, reply) => {
    const created = await villages.createCraftVillage(db, requireActor(req), req.body);
    reply.code(201);
    return created;
  });
  r.put('/api/craft-villages/:id', { schema: { tags, summary: 'Edit a craft village (send the version read)', params: ZUuidParams, body: ZCraftVillageUpdate, response: { 200: ZCraftVillage } } }, async (req) => {
    const { version, ...input } = req.body;
    return villages.updateCraftVillage(db, requireActor(req), req.params.id, version, input);
  });
}
