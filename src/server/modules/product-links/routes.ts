import type { FastifyInstance } from 'fastify';
import { typed, ZUuidParams, type Deps } from '../../lib/http.js';
import { requireActor } from '../../plugins/auth.js';
import { ZProductLinks, ZProductLinksOut } from './schema.js';
import * as links from './service.js';

/** The links a product's Digital Link resolves to (docs/resolver.md); the public resolver is public/resolver.ts. */
export async function productLinksRoutes(app: FastifyInstance, { db, config }: Deps) {
  const r = typed(app);
  const tags = ['products'];
  r.get('/api/products/:id/links', { schema: { tags, summary: 'Links of the product’s GS1 Digital Link (linkset), configured by its producer or officers in scope', params: ZUuidParams, response: { 200: ZProductLinksOut } } }, async (req) =>
    links.getProductLinksFor(db, requireActor(req), req.params.id, config.publicBaseUrl));
  r.put('/api/products/:id/links', { schema: { tags, summary: 'Replace the product’s links (one per link type and language; at most one default per type)', params: ZUuidParams, body: ZProductLinks, response: { 200: ZProductLinksOut } } }, async (req) =>
    links.replaceProductLinksFor(db, requireActor(req), req.params.id, req.body, config.publicBaseUrl));
}
