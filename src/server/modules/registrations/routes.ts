import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireActor } from '../../plugins/auth.js';
import { typed, ZUuidParams, type Deps } from '../../lib/http.js';
import {
  ZApproveBody, ZRegistration, ZRegistrationCreated, ZRegistrationInput, ZRegistrationListQuery, ZRegistrationUnit, ZRejectBody,
} from './schema.js';
import * as registrations from './service.js';

export async function registrationsRoutes(app: FastifyInstance, { db, config }: Deps) {
  const r = typed(app);
  const tags = ['registrations'];

  r.get('/api/registrations/units', { schema: { tags, summary: 'Communes valid today, for the public registration form (anonymous)', security: [], response: { 200: z.array(ZRegistrationUnit) } } }, async () =>
    registrations.listRegistrationUnits(db),
  );

  r.post('/api/registrations', {
    schema: { tags, summary: 'A producer asks for an account (anonymous)', security: [], body: ZRegistrationInput, response: { 202: ZRegistrationCreated } },
    // Anonymous and argon2-hashing: limited per client address, counted before validation so junk counts too.
    // Generous enough for someone correcting the form several times; still stops scripted mass sign-ups. The counters
    // live in the database (RATE_LIMIT_STORE), so every app process and a restart see the same count.
    config: { rateLimit: { max: 30, timeWindow: '1 hour', keyGenerator: (req) => `registration:${req.ip}` } },
  }, async (req, reply) => {
    const created = await registrations.createRegistration(db, req.body, config);
    // 202 whether or not the login was free: the answer reveals nothing about existing accounts.
    reply.code(202);
    return created;
  });

  r.get('/api/registrations', { schema: { tags, summary: 'Registration requests (officers; commune officers: their communes)', querystring: ZRegistrationListQuery, response: { 200: z.array(ZRegistration) } } }, async (req) =>
    registrations.listRegistrations(db, requireActor(req), req.query),
  );

  r.post('/api/registrations/:id/approve', { schema: { tags, summary: 'Approve: create or link the producer and its account, in one transaction', params: ZUuidParams, body: ZApproveBody, response: { 200: ZRegistration } } }, async (req) =>
    registrations.approveRegistration(db, requireActor(req), req.params.id),
  );

  r.post('/api/registrations/:id/reject', { schema: { tags, summary: 'Reject with a reason', params: ZUuidParams, body: ZRejectBody, response: { 200: ZRegistration } } }, async (req) =>
    registrations.rejectRegistration(db, requireActor(req), req.params.id, req.body.reason),
  );
}
