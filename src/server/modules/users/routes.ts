import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assertCan, requireActor, SESSION_COOKIE } from '../../plugins/auth.js';
import { typed, ZOk, ZUuidParams, type Deps } from '../../lib/http.js';
import { getHistory } from '../audit/service.js';
import { ZHistory } from '../audit/schema.js';
import { canChangeOwnPassword, canManageUsers } from './policy.js';
import { ZChangePassword, ZCreateUser, ZLoginBody, ZMe, ZResetPassword, ZUpdateUser, ZUser } from './schema.js';
import * as users from './service.js';

export async function usersRoutes(app: FastifyInstance, { db, cookieOptions }: Deps) {
  const r = typed(app);
  const tags = ['auth & users'];

  r.post('/api/auth/login', {
    schema: { tags, summary: 'Sign in with login and password', body: ZLoginBody, response: { 200: ZMe } },
    config: {
      rateLimit: {
        max: 10,
        timeWindow: '5 minutes',
        hook: 'preHandler',
        keyGenerator: (req) => `login:${req.ip}:${String((req.body as { login?: string })?.login ?? '').toLowerCase()}`,
      },
    },
  }, async (req, reply) => {
    const { token, csrfToken } = await users.login(db, req.body.login, req.body.password, { ip: req.ip, userAgent: req.headers['user-agent'] });
    reply.setCookie(SESSION_COOKIE, token, cookieOptions);
    const s = await users.resolveSession(db, token);
    return { ...s!.actor, unitIds: s!.actor.unitIds, csrfToken };
  });

  r.post('/api/auth/logout', { schema: { tags, summary: 'Sign out', response: { 200: ZOk } } }, async (req, reply) => {
    if (req.sessionId) await users.logout(db, req.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  r.get('/api/auth/me', { schema: { tags, summary: 'Who am I (and the CSRF token for writes)', response: { 200: ZMe } } }, async (req) => {
    const a = requireActor(req);
    return { id: a.id, login: a.login, fullName: a.fullName, role: a.role, producerId: a.producerId, unitIds: a.unitIds, locale: a.locale, csrfToken: req.csrfToken! };
  });

  r.post('/api/auth/password', { schema: { tags, summary: 'Change my password', body: ZChangePassword, response: { 200: ZOk } } }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canChangeOwnPassword);
    await users.changeOwnPassword(db, a, req.sessionId!, req.body.currentPassword, req.body.newPassword);
    return { ok: true as const };
  });

  r.get('/api/users', { schema: { tags, summary: 'List accounts (administrators)', response: { 200: z.array(ZUser) } } }, async (req) => {
    assertCan(requireActor(req), canManageUsers);
    return users.listUsers(db);
  });

  r.get('/api/users/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZUser } } }, async (req) => {
    assertCan(requireActor(req), canManageUsers);
    return users.getUser(db, req.params.id);
  });

  r.post('/api/users', { schema: { tags, summary: 'Create an account', body: ZCreateUser, response: { 201: ZUser } } }, async (req, reply) => {
    const a = requireActor(req);
    assertCan(a, canManageUsers);
    reply.code(201);
    return users.createUser(db, a, req.body);
  });

  r.put('/api/users/:id', { schema: { tags, summary: 'Update an account', params: ZUuidParams, body: ZUpdateUser, response: { 200: ZUser } } }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canManageUsers);
    return users.updateUser(db, a, req.params.id, req.body);
  });

  r.post('/api/users/:id/password', { schema: { tags, summary: "Reset a user's password", params: ZUuidParams, body: ZResetPassword, response: { 200: ZOk } } }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canManageUsers);
    await users.resetPassword(db, a, req.params.id, req.body.newPassword);
    return { ok: true as const };
  });

  r.get('/api/users/:id/history', { schema: { tags, params: ZUuidParams, response: { 200: ZHistory } } }, async (req) => {
    assertCan(requireActor(req), canManageUsers);
    return getHistory(db, 'user', req.params.id);
  });
}
