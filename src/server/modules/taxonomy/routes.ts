import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireActor } from '../../plugins/auth.js';
import { typed, type Deps } from '../../lib/http.js';
import { ZTaxonomyVersion } from './schema.js';
import { listTaxonomies } from './service.js';

export async function taxonomyRoutes(app: FastifyInstance, { db }: Deps) {
  typed(app).get('/api/taxonomy', {
    schema: { tags: ['taxonomy'], summary: 'Product taxonomies (QĐ 1048, QĐ 148) with the old → new mapping', response: { 200: z.array(ZTaxonomyVersion) } },
  }, async (req) => {
    requireActor(req);
    return listTaxonomies(db);
  });
}
