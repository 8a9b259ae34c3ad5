import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, ERROR_CODES, fromDbError, type FieldError } from '../lib/errors.js';

/** The UI sends its language in Accept-Language; without one, the account's saved locale decides. */
function wantsEnglish(req: FastifyRequest) {
  const lang = String(req.headers['accept-language'] ?? '');
  if (/^en\b/i.test(lang)) return true;
  if (/^vi\b/i.test(lang)) return false;
  return req.actor?.locale === 'en';
}

/**
 * Problem answers carry security headers even where helmet did not run (routes that opt out of it, failures before
 * its hook): JSON never needs scripts, styles or framing.
 */
const PROBLEM_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

export function sendProblem(req: FastifyRequest, reply: FastifyReply, err: AppError) {
  const meta = ERROR_CODES[err.code];
  const en = wantsEnglish(req);
  for (const [k, v] of Object.entries(PROBLEM_HEADERS)) if (!reply.hasHeader(k)) reply.header(k, v);
  return reply
    .code(err.status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: `/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
      title: en ? meta.en : meta.vi,
      status: err.status,
      code: err.code,
      detail: err.detail ?? (en ? meta.en : meta.vi),
      instance: req.url,
      ...(err.errors ? { errors: err.errors } : {}),
      ...(err.extra ?? {}),
    });
}

/**
 * One place turns every failure into application/problem+json; stack traces only reach the log.
 * `spaIndex`: the back office's index.html, answered for browser navigations outside /api/ (client-side routes);
 * Fastify allows one not-found handler per prefix, so both cases live here.
 */
/** The SQLSTATE of a driver error (pg, PGlite), also when drizzle wraps it in `cause`. */
function pgCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 3; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

const formatMb = (bytes: number) => (bytes / (1024 * 1024)).toLocaleString('vi-VN', { maximumFractionDigits: 1 });

export function registerErrorHandling(app: FastifyInstance, opts: { spaIndex?: Buffer; uploadMaxBytes?: number } = {}) {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof AppError) return sendProblem(req, reply, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors: FieldError[] = error.validation.map((v) => ({
        path: [error.validationContext, ...String(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'Không hợp lệ',
      }));
      return sendProblem(req, reply, new AppError('VALIDATION', { errors }));
    }
    const db = fromDbError(error);
    if (db) return sendProblem(req, reply, db);
    // Last line of defence for input zod did not bound: PostgreSQL's class 22 "data exception" (22003 numeric value
    // out of range, 22P02 invalid text representation, 22001 string too long, 22021 bad encoding …) is the
    // client's value, not a server fault: 400, without the driver's message.
    const pg = pgCode(error);
    if (pg?.startsWith('22')) {
      req.log.warn({ pgCode: pg, url: req.url }, 'database refused a value (zod should have)');
      return sendProblem(req, reply, new AppError('VALIDATION', { detail: pg === '22003' ? 'Giá trị số vượt quá phạm vi cho phép' : 'Giá trị không hợp lệ' }));
    }
    if (error.statusCode === 429) return sendProblem(req, reply, new AppError('RATE_LIMITED'));
    if (error.code === 'FST_REQ_FILE_TOO_LARGE' || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
      // Say the limit: the browser cannot know it.
      const limit = opts.uploadMaxBytes;
      return sendProblem(req, reply, new AppError('FILE_TOO_LARGE', limit ? { detail: `Tệp vượt quá giới hạn ${formatMb(limit)} MB` } : {}));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415 || error.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
      return sendProblem(req, reply, new AppError('UNSUPPORTED_FILE'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own 4xx errors (malformed JSON, bad content length …) say what was wrong; anything else stays generic.
      const own = typeof error.code === 'string' && error.code.startsWith('FST_');
      return sendProblem(req, reply, new AppError('BAD_REQUEST', own ? { detail: error.message.slice(0, 300) } : {}));
    }
    req.log.error({ err: error }, 'unhandled error');
    return sendProblem(req, reply, new AppError('INTERNAL'));
  });
  app.setNotFoundHandler((req, reply) => {
    if (opts.spaIndex && req.method === 'GET' && !req.url.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html')) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(opts.spaIndex);
    }
    return sendProblem(req, reply, new AppError('ROUTE_NOT_FOUND'));
  });
}
