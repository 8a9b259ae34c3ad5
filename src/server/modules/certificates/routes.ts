import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../lib/http.js';

// Under construction (issue #4): routes are added with the module's service.
export async function certificatesRoutes(_app: FastifyInstance, _deps: Deps) {}
