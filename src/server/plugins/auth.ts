import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import type { Actor } from '../lib/actor.js';
import { AppError } from '../lib/errors.js';
import { resolveSession, SESSION_IDLE_MS } from '../modules/users/service.js';

export const SESSION_COOKIE = 'ocop_sid';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
    csrfToken: string | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Server-side sessions: the httpOnly cookie holds a random token, the database holds its hash.
 * Writes made with the cookie must echo the session's CSRF token in a header (synchroniser token).
 */
export function registerAuth(app: FastifyInstance, db: Db, opts: { cookieSecure: boolean }) {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const s = await resolveSession(db, token);
    if (!s) return;
    req.actor = s.actor;
    req.sessionId = s.sessionId;
    req.csrfToken = s.csrfToken;
    // Signing in again needs no token: the old session is simply replaced.
    const isLogin = req.method === 'POST' && req.url === '/api/auth/login';
    if (!SAFE_METHODS.has(req.method) && !isLogin && req.headers[CSRF_HEADER] !== s.csrfToken) throw new AppError('CSRF');
  });

  return {
    cookieOptions: {
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: opts.cookieSecure,
      path: '/',
      maxAge: Math.floor(SESSION_IDLE_MS / 1000),
    },
  };
}

/** For routes that need someone signed in. */
export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED');
  return req.actor;
}

/** Named-policy check: 403 problem+json when the predicate refuses. */
export function assertCan<T extends unknown[]>(actor: Actor, policy: (a: Actor, ...args: T) => boolean, ...args: T): void {
  if (!policy(actor, ...args)) throw new AppError('FORBIDDEN', { extra: { policy: policy.name } });
}
