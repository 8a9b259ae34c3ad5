import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assertCan, requireActor } from '../../plugins/auth.js';
import { typed, ZIntIdParams, type Deps } from '../../lib/http.js';
import { AppError } from '../../lib/errors.js';
import { BOUNDARY_LIMITS } from './boundary-file.js';
import { getBoundaries, importBoundaries } from './boundaries.js';
import { canImportBoundaries, canManageUnits, canReadUnits } from './policy.js';
import { ZBoundaryImportQuery, ZBoundaryImportResult, ZBoundaryQuery, ZCreateUnit, ZUnit, ZUnitDetail, ZUnitListQuery } from './schema.js';
import * as geo from './service.js';

export async function geoRoutes(app: FastifyInstance, { db, config }: Deps) {
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

  // Boundaries for offline maps: compact GeoJSON, revalidated by ETag (304), gzip when the client accepts it.
  r.get('/api/geo/boundaries', {
    schema: { tags, summary: 'Unit boundaries as a GeoJSON FeatureCollection (simplified; feature id = unit id): a level, or the units under a parent', querystring: ZBoundaryQuery },
  }, async (req, reply) => {
    assertCan(requireActor(req), canReadUnits);
    const body = await getBoundaries(db, req.query);
    reply.header('etag', body.etag).header('cache-control', 'private, no-cache').header('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === body.etag) return reply.code(304).send();
    reply.type('application/geo+json; charset=utf-8');
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(body.gzip);
    return reply.send(body.json);
  });

  r.post('/api/geo/boundaries/import', {
    schema: {
      tags, summary: 'Import a province’s commune boundaries from a GeoJSON file (features matched by GSO code or name): all or nothing (422 with one error per feature)',
      consumes: ['multipart/form-data'], querystring: ZBoundaryImportQuery, response: { 200: ZBoundaryImportResult },
    },
  }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canImportBoundaries);
    const limit = Math.min(config.uploadMaxBytes, BOUNDARY_LIMITS.maxBytes);
    const file = await req.file({ limits: { fileSize: limit, files: 1 } });
    if (!file) throw new AppError('VALIDATION', { errors: [{ path: 'file', message: 'Chưa chọn tệp' }] });
    const data = await file.toBuffer().catch((err: { code?: string }) => {
      if (err?.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('FILE_TOO_LARGE', { detail: `Tệp vượt quá giới hạn ${Math.round(limit / (1024 * 1024))} MB` });
      throw err;
    });
    return importBoundaries(db, a, data, req.query);
  });
}
