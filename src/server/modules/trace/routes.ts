import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../plugins/auth.js';
import { typed, ZOk, ZUuidParams, type Deps } from '../../lib/http.js';
import {
  ZGrowingArea, ZGrowingAreaInput, ZGrowingAreaPage, ZGrowingAreaUpdate, ZPackingHouse, ZPackingHouseInput, ZPackingHousePage,
  ZPackingHouseUpdate, ZPlaceListQuery,
} from './schema.js';
import * as trace from './service.js';

export async function traceRoutes(app: FastifyInstance, { db }: Deps) {
  const r = typed(app);
  const tags = ['trace'];

  r.get('/api/growing-areas', { schema: { tags, summary: 'Search and list growing areas (mã số vùng trồng)', querystring: ZPlaceListQuery, response: { 200: ZGrowingAreaPage } } }, async (req) =>
    trace.findGrowingAreas(db, requireActor(req), req.query),
  );
  r.get('/api/growing-areas/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZGrowingArea } } }, async (req) =>
    trace.getGrowingAreaFor(db, requireActor(req), req.params.id),
  );
  r.post('/api/growing-areas', { schema: { tags, summary: 'Register a growing area', body: ZGrowingAreaInput, response: { 201: ZGrowingArea } } }, async (req, reply) => {
    const created = await trace.createGrowingArea(db, requireActor(req), req.body);
    reply.code(201);
    return created;
  });
  r.put('/api/growing-areas/:id', { schema: { tags, summary: 'Update a growing area (optimistic: send the version you read)', params: ZUuidParams, body: ZGrowingAreaUpdate, response: { 200: ZGrowingArea } } }, async (req) => {
    const { version, ...input } = req.body;
    return trace.updateGrowingArea(db, requireActor(req), req.params.id, version, input);
  });
  r.delete('/api/growing-areas/:id', { schema: { tags, summary: 'Delete a growing area', params: ZUuidParams, response: { 200: ZOk } } }, async (req) =>
    trace.deleteGrowingArea(db, requireActor(req), req.params.id),
  );

  r.get('/api/packing-houses', { schema: { tags, summary: 'Search and list packing houses (mã số cơ sở đóng gói)', querystring: ZPlaceListQuery, response: { 200: ZPackingHousePage } } }, async (req) =>
    trace.findPackingHouses(db, requireActor(req), req.query),
  );
  r.get('/api/packing-houses/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZPackingHouse } } }, async (req) =>
    trace.getPackingHouseFor(db, requireActor(req), req.params.id),
  );
  r.post('/api/packing-houses', { schema: { tags, summary: 'Register a packing house', body: ZPackingHouseInput, response: { 201: ZPackingHouse } } }, async (req, reply) => {
    const created = await trace.createPackingHouse(db, requireActor(req), req.body);
    reply.code(201);
    return created;
  });
  r.put('/api/packing-houses/:id', { schema: { tags, summary: 'Update a packing house (optimistic: send the version you read)', params: ZUuidParams, body: ZPackingHouseUpdate, response: { 200: ZPackingHouse } } }, async (req) => {
    const { version, ...input } = req.body;
    return trace.updatePackingHouse(db, requireActor(req), req.params.id, version, input);
  });
  r.delete('/api/packing-houses/:id', { schema: { tags, summary: 'Delete a packing house', params: ZUuidParams, response: { 200: ZOk } } }, async (req) =>
    trace.deletePackingHouse(db, requireActor(req), req.params.id),
  );
}
