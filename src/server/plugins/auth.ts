import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Actor } from '../lib/actor.js';
import { AppError } from '../lib/errors.js';
import { resolveSession, sessionSettingsOf, type SessionRestriction } from '../modules/users/service.js';

export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
    csrfToken: string | null;
    /** Set when the session may only change the password or enrol TOTP (the routes below stay open). */
    sessionRestriction: SessionRestriction;
    totpEnabled: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a restricted session may still reach: its own account, the way out, and the step it must take. */
const ALWAYS_OPEN = new Set(['GET /api/auth/me', 'POST /api/auth/logout', 'POST /api/auth/login']);
const OPEN_FOR: Record<Exclude<SessionRestriction, null>, Set<string>> = {
  change_password: new Set(['POST /api/auth/password']),
  enrol_totp: new Set(['POST /api/auth/totp/enrol', 'POST /api/auth/totp/confirm']),
};

/**
 * Server-side sessions: the httpOnly cookie holds a random token, the database holds its hash. On an https public
 * address the cookie is `__Host-ocop_sid` (Secure, Path=/, no Domain: no subdomain can set or shadow it).
 * Writes made with the cookie must echo the session's CSRF token in a header (synchroniser token; the token comes
 * from /api/auth/me or the login answer, never from a cookie, so the cookie's name does not matter to it).
 */
export function registerAuth(app: FastifyInstance, db: Db, config: Config) {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('sessionRestriction', null);
  app.decorateRequest('totpEnabled', false);
  const cookieName = config.sessionCookieName;
  const settings = sessionSettingsOf(config);

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[cookieName];
    if (!token) return;
    const s = await resolveSession(db, token, settings);
    if (!s) return;
    req.actor = s.actor;
    req.sessionId = s.sessionId;
    req.csrfToken = s.csrfToken;
    req.sessionRestriction = s.restriction;
    req.totpEnabled = s.totpEnabled;
    // Signing in again needs no token: the old session is simply replaced.
    const route = `${req.method} ${req.routeOptions.url ?? ''}`;
    const isLogin = route === 'POST /api/auth/login';
    if (!SAFE_METHODS.has(req.method) && !isLogin && req.headers[CSRF_HEADER] !== s.csrfToken) throw new AppError('CSRF');
    if (s.restriction && !ALWAYS_OPEN.has(route) && !OPEN_FOR[s.restriction].has(route)) {
      throw new AppError(s.restriction === 'change_password' ? 'PASSWORD_CHANGE_REQUIRED' : 'TOTP_ENROLMENT_REQUIRED');
    }
  });

  return {
    cookieName,
    cookieOptions: {
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: config.cookieSecure,
      path: '/',
      // The browser may keep it as long as the session can live; the server enforces idle and absolute expiry.
      maxAge: Math.floor(config.sessionMaxMs / 1000),
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
