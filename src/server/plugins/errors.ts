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

export function sendProblem(req: FastifyRequest, reply: FastifyReply, err: AppError) {
  const meta = ERROR_CODES[err.code];
  const en = wantsEnglish(req);
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
      return sendProblem(req, reply, new AppError('BAD_REQUEST', { detail: error.message }));
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
