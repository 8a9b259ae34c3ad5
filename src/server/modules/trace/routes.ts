import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assertCan, requireActor } from '../../plugins/auth.js';
import { AppError } from '../../lib/errors.js';
import { readXlsxUpload, typed, ZOk, ZUuidParams, type Deps } from '../../lib/http.js';
import { importPlaces, placesTemplate } from './import.js';
import { canImportPlaces } from './policy.js';
import {
  ZGrowingArea, ZGrowingAreaInput, ZGrowingAreaPage, ZGrowingAreaUpdate, ZPackingHouse, ZPackingHouseInput, ZPackingHousePage,
  ZPackingHouseUpdate, ZPlaceLink, ZPlaceLinkInput, ZPlaceLinkList, ZPlaceLinkQuery, ZPlaceListQuery,
} from './schema.js';
import { ZVerificationInput } from '../identifiers/schema.js';
import { registerPlacePages } from '../../public/places.js';
import * as trace from './service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** An import sheet of 5,000 places is far below this; larger uploads are refused before parsing. */
const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
const ZImportResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(z.object({ path: z.string(), row: z.number().int(), column: z.string(), message: z.string() })),
});

export async function traceRoutes(app: FastifyInstance, { db, config }: Deps) {
  const r = typed(app);
  const tags = ['trace'];

  // Excel import (officers only; each row is checked against the officer's scope). Registered before the :id routes.
  for (const [kind, base, file] of [['area', '/api/growing-areas', 'mau-nhap-vung-trong.xlsx'], ['house', '/api/packing-houses', 'mau-nhap-co-so-dong-goi.xlsx']] as const) {
    const what = kind === 'area' ? 'growing areas' : 'packing houses';
    r.get(`${base}/import-template`, { schema: { tags, summary: `The .xlsx template for importing ${what}` } }, async (req, reply) => {
      assertCan(requireActor(req), canImportPlaces);
      const buf = await placesTemplate(db, kind);
      return reply.type(XLSX).header('content-disposition', `attachment; filename="${file}"`).send(buf);
    });
    r.post(`${base}/import`, {
      schema: { tags, summary: `Import ${what} from .xlsx, keyed by code (create or update): all rows valid or nothing written (422 with row/column errors)`, consumes: ['multipart/form-data'], response: { 200: ZImportResult } },
    }, async (req) => {
      const a = requireActor(req);
      assertCan(a, canImportPlaces);
      const limit = Math.min(config.uploadMaxBytes, IMPORT_MAX_BYTES);
      const data = await readXlsxUpload(req, limit).catch((err: { code?: string }) => {
        if (err?.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('FILE_TOO_LARGE', { detail: `Tệp vượt quá giới hạn ${limit / (1024 * 1024)} MB` });
        throw err;
      });
      return importPlaces(db, a, kind, data);
    });
  }

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

  // Verification by officers (#14.6) and links to places of other owners
  r.post('/api/growing-areas/:id/verification', { schema: { tags, summary: 'Verify or reject a growing area’s code and issuer (officers in scope)', params: ZUuidParams, body: ZVerificationInput, response: { 200: ZGrowingArea } } }, async (req) =>
    trace.decideGrowingArea(db, requireActor(req), req.params.id, req.body),
  );
  r.post('/api/packing-houses/:id/verification', { schema: { tags, summary: 'Verify or reject a packing house’s code and issuer (officers in scope)', params: ZUuidParams, body: ZVerificationInput, response: { 200: ZPackingHouse } } }, async (req) =>
    trace.decidePackingHouse(db, requireActor(req), req.params.id, req.body),
  );
  r.get('/api/place-links', { schema: { tags, summary: 'Links of producers to places they do not own (producers: their own)', querystring: ZPlaceLinkQuery, response: { 200: ZPlaceLinkList } } }, async (req) =>
    trace.listPlaceLinks(db, requireActor(req), req.query),
  );
  r.post('/api/place-links', { schema: { tags, summary: 'Link a producer to a place of another owner (producers: with the contract, declared; officers: verified)', body: ZPlaceLinkInput, response: { 201: ZPlaceLink } } }, async (req, reply) => {
    const out = await trace.createPlaceLink(db, requireActor(req), req.body);
    reply.code(201);
    return out;
  });
  r.post('/api/place-links/:id/verification', { schema: { tags, summary: 'Verify or reject a place link (officers in the place’s scope)', params: ZUuidParams, body: ZVerificationInput, response: { 200: ZPlaceLink } } }, async (req) =>
    trace.decidePlaceLink(db, requireActor(req), req.params.id, req.body),
  );

  // Public pages: the place URIs used in EPCIS documents dereference here (public/places.ts).
  registerPlacePages(app, db);
}
