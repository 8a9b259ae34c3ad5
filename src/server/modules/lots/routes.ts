import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../lib/http.js';

/** Lots, their EPCIS events, EPCIS export and import (issue #5). */
export async function lotsRoutes(_app: FastifyInstance, _deps: Deps) {}
