import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assertCan, requireActor } from '../../plugins/auth.js';
import { typed, ZOk, ZUuidParams, type Deps } from '../../lib/http.js';
import { getHistory } from '../audit/service.js';
import { ZHistory } from '../audit/schema.js';
import { canChangeOwnPassword, canManageUsers, canUseTotp } from './policy.js';
import { presentMe } from './presenter.js';
import { ZChangePassword, ZCreateUser, ZLoginBody, ZMe, ZResetPassword, ZTotpConfirm, ZTotpEnrolment, ZUpdateUser, ZUser } from './schema.js';
import * as users from './service.js';
import { AppError } from '../../lib/errors.js';
import { isPendingRequest } from '../registrations/service.js';

export async function usersRoutes(app: FastifyInstance, { db, cookieOptions, config }: Deps) {
  const cookieName = config.sessionCookieName;
  const settings = users.sessionSettingsOf(config);
  const r = typed(app);
  const tags = ['auth & users'];

  // Per client address: a guard against password spraying and argon2 CPU burn. Guessing one account's password is
  // stopped by the per-login lockout (service.login), which holds whatever address the guesses come from.
  r.post('/api/auth/login', {
    schema: { tags, summary: 'Sign in with login, password and (when enabled) the TOTP code', body: ZLoginBody, response: { 200: ZMe } },
    config: { rateLimit: { max: 100, timeWindow: '15 minutes', hook: 'preHandler', keyGenerator: (req) => `login-ip:${req.ip}` } },
  }, async (req, reply) => {
    const { token, csrfToken } = await users
      .login(db, req.body, { ip: req.ip, userAgent: req.headers['user-agent'], replacesSessionId: req.sessionId }, settings)
      .catch(async (e: unknown) => {
        // Not an account yet: a request the commune officer has still to approve (told only with its own password).
        if (e instanceof AppError && e.code === 'INVALID_CREDENTIALS' && (await isPendingRequest(db, req.body.login, req.body.password))) {
          throw new AppError('REGISTRATION_PENDING');
        }
        throw e;
      });
    reply.setCookie(cookieName, token, cookieOptions);
    return meOf(token, csrfToken);
  });

  /** The answer of login, password change and /me: who, what the session may do, and the CSRF token. */
  async function meOf(token: string, csrfToken: string) {
    const s = await users.resolveSession(db, token, settings);
    return presentMe(s!, csrfToken);
  }

  r.post('/api/auth/logout', { schema: { tags, summary: 'Sign out', response: { 200: ZOk } } }, async (req, reply) => {
    if (req.sessionId) await users.logout(db, req.sessionId);
    reply.clearCookie(cookieName, { path: '/', secure: cookieOptions.secure, httpOnly: true, sameSite: 'lax' });
    return { ok: true as const };
  });

  r.get('/api/auth/me', { schema: { tags, summary: 'Who am I (and the CSRF token for writes)', response: { 200: ZMe } } }, async (req) => {
    const a = requireActor(req);
    return presentMe({ actor: a, restriction: req.sessionRestriction, totpEnabled: req.totpEnabled }, req.csrfToken!);
  });

  r.post('/api/auth/password', {
    schema: { tags, summary: 'Change my password (starts a new session: use the new CSRF token)', body: ZChangePassword, response: { 200: ZMe } },
    config: { rateLimit: { max: 20, timeWindow: '15 minutes', keyGenerator: (req) => `password:${req.ip}` } },
  }, async (req, reply) => {
    const a = requireActor(req);
    assertCan(a, canChangeOwnPassword);
    const { token, csrfToken } = await users.changeOwnPassword(db, a, req.body.currentPassword, req.body.newPassword, { ip: req.ip, userAgent: req.headers['user-agent'] }, settings);
    reply.setCookie(cookieName, token, cookieOptions);
    return meOf(token, csrfToken);
  });

  r.post('/api/auth/totp/enrol', { schema: { tags, summary: 'Start two-step verification: secret, otpauth URI and QR code', response: { 200: ZTotpEnrolment } } }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canUseTotp);
    return users.startTotpEnrolment(db, a);
  });

  r.post('/api/auth/totp/confirm', {
    schema: { tags, summary: 'Confirm two-step verification with a code from the app', body: ZTotpConfirm, response: { 200: ZMe } },
    config: { rateLimit: { max: 20, timeWindow: '15 minutes', keyGenerator: (req) => `totp-confirm:${req.ip}` } },
  }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canUseTotp);
    await users.confirmTotpEnrolment(db, a, req.sessionId!, req.body.code);
    const s = await users.resolveSession(db, req.cookies[cookieName]!, settings);
    return presentMe(s!, req.csrfToken!);
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
    await users.resetPassword(db, a, req.params.id, req.body.newPassword, req.body.mustChangePassword);
    return { ok: true as const };
  });

  r.post('/api/users/:id/totp/reset', { schema: { tags, summary: "Turn a user's two-step verification off (lost phone)", params: ZUuidParams, response: { 200: ZOk } } }, async (req) => {
    const a = requireActor(req);
    assertCan(a, canManageUsers);
    await users.resetTotp(db, a, req.params.id);
    return { ok: true as const };
  });

  r.get('/api/users/:id/history', { schema: { tags, params: ZUuidParams, response: { 200: ZHistory } } }, async (req) => {
    assertCan(requireActor(req), canManageUsers);
    return getHistory(db, 'user', req.params.id);
  });
}
