import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../lib/http.js';

/** QR stamp ranges, labels, scan statistics, flags and reports, and the public scan pages (issue #5). */
export async function stampsRoutes(_app: FastifyInstance, _deps: Deps) {}
