import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assertCan, requireActor } from '../../plugins/auth.js';
import { typed, ZIntIdParams, type Deps } from '../../lib/http.js';
import { canManageUnits, canReadUnits } from './policy.js';
import { ZCreateUnit, ZUnit, ZUnitDetail, ZUnitListQuery } from './schema.js';
import * as geo from './service.js';

export async function geoRoutes(app: FastifyInstance, { db }: Deps) {
  const r = typed(app);
  const tags = ['administrative units'];

  r.get('/api/geo/units', { schema: { tags, summary: 'Administrative units, optionally those valid on a date', querystring: ZUnitListQuery, response: { 200: z.array(ZUnit) } } }, async (req) => {
    assertCan(requireActor(req), canReadUnits);
    return geo.listUnits(db, req.query);
  });

  r.get('/api/geo/units/:id', { schema: { tags, summary: 'A unit with its parent, children, predecessors and successors', params: ZIntIdParams, response: { 200: ZUnitDetail } } }, async (req) => {
    assertCan(requireActor(req), canReadUnits);
    return geo.getUnitDetail(db, req.params.id);
  });

  r.post('/api/geo/units', { schema: { tags, summary: 'Add a unit (e.g. after a reorganisation), linking the units it replaces', body: ZCreateUnit, response: { 201: ZUnit } } }, async (req, reply) => {
    const a = requireActor(req);
    assertCan(a, canManageUnits);
    reply.code(201);
    return geo.createUnit(db, a, req.body);
  });
}
