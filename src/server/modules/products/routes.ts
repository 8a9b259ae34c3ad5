import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { assertCan, requireActor } from '../../plugins/auth.js';
import { typed, ZOk, ZUuidParams, type Deps } from '../../lib/http.js';
import { getHistory } from '../audit/service.js';
import { ZHistory } from '../audit/schema.js';
import { buildProductListWorkbook } from './excel.js';
import { registryHistoryNames } from './history-names.js';
import { canExportProducts, canReadProduct } from './policy.js';
import { ZPhoto, ZProduct, ZProductInput, ZProductListQuery, ZProductPage, ZProductUpdate } from './schema.js';
import * as products from './service.js';

export async function productsRoutes(app: FastifyInstance, { db, storage, config }: Deps) {
  const r = typed(app);
  const tags = ['products'];

  r.get('/api/products', { schema: { tags, summary: 'Search and list products', querystring: ZProductListQuery, response: { 200: ZProductPage } } }, async (req) =>
    products.findProducts(db, requireActor(req), req.query),
  );

  r.get('/api/products/export.xlsx', { schema: { tags, summary: 'Export the (filtered) list in the layout of the plan’s appendix 01', querystring: ZProductListQuery } }, async (req, reply) => {
    const a = requireActor(req);
    assertCan(a, canExportProducts);
    const items = await products.findAllProductsFor(db, a, req.query);
    const filtered = Object.keys(req.query).some((k) => !['sort', 'dir', 'page', 'pageSize'].includes(k));
    const buf = await buildProductListWorkbook(items, {
      title: 'DANH SÁCH SẢN PHẨM OCOP',
      filterText: filtered ? 'Danh sách đã lọc theo điều kiện tìm kiếm' : 'Toàn bộ sản phẩm trong cơ sở dữ liệu',
      generatedBy: a.fullName,
    });
    const name = `danh-sach-san-pham-ocop-${new Date().toISOString().slice(0, 10)}.xlsx`;
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(buf);
  });

  r.get('/api/products/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZProduct } } }, async (req) =>
    products.getProductFor(db, requireActor(req), req.params.id),
  );

  r.post('/api/products', { schema: { tags, summary: 'Register a product', body: ZProductInput, response: { 201: ZProduct } } }, async (req, reply) => {
    const created = await products.createProduct(db, requireActor(req), req.body);
    reply.code(201);
    return created;
  });

  r.put('/api/products/:id', { schema: { tags, summary: 'Update a product (send the version you read)', params: ZUuidParams, body: ZProductUpdate, response: { 200: ZProduct } } }, async (req) => {
    const { version, ...input } = req.body;
    return products.updateProduct(db, requireActor(req), req.params.id, version, input);
  });

  r.get('/api/products/:id/history', { schema: { tags, params: ZUuidParams, response: { 200: ZHistory } } }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canReadProduct, await products.getProductRow(db, req.params.id));
    return getHistory(db, 'product', req.params.id, registryHistoryNames(db));
  });

  r.post('/api/products/:id/photos', { schema: { tags, summary: 'Upload a photo (multipart field "file": JPEG, PNG or WebP)', params: ZUuidParams, consumes: ['multipart/form-data'], response: { 201: ZPhoto } } }, async (req, reply) => {
    const a = requireActor(req);
    const file = await req.file({ limits: { fileSize: config.uploadMaxBytes, files: 1 } });
    if (!file) throw new AppError('VALIDATION', { errors: [{ path: 'file', message: 'Chưa chọn tệp ảnh' }] });
    // toBuffer() throws FST_REQ_FILE_TOO_LARGE past the limit, before anything is stored.
    const data = await file.toBuffer();
    const caption = typeof (file.fields.caption as { value?: unknown } | undefined)?.value === 'string' ? String((file.fields.caption as { value: string }).value).slice(0, 200) : null;
    const ph = await products.addPhoto(db, storage, a, req.params.id, data, caption);
    reply.code(201);
    return { id: ph.id, url: `/api/photos/${ph.id}/full`, thumbnailUrl: `/api/photos/${ph.id}/thumb`, width: ph.width, height: ph.height, bytes: ph.bytes, caption: ph.caption };
  });

  r.delete('/api/products/:id/photos/:photoId', { schema: { tags, params: z.object({ id: z.string().uuid(), photoId: z.string().uuid() }), response: { 200: ZOk } } }, async (req) => {
    await products.removePhoto(db, storage, requireActor(req), req.params.id, req.params.photoId);
    return { ok: true as const };
  });

  r.get('/api/photos/:id/:size', { schema: { tags, params: z.object({ id: z.string().uuid(), size: z.enum(['full', 'thumb']) }) } }, async (req, reply) => {
    const { data, contentType } = await products.readPhoto(db, storage, requireActor(req), req.params.id, req.params.size);
    return reply.type(contentType).header('cache-control', 'private, max-age=86400, immutable').header('x-content-type-options', 'nosniff').send(data);
  });
}
