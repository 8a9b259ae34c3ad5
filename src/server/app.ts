import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import compress from '@fastify/compress';
import zlib from 'node:zlib';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from './config.js';
import type { DbHandle } from './db/client.js';
import type { Deps } from './lib/http.js';
import { AppError } from './lib/errors.js';
import { RequestActivity } from './lib/activity.js';
import { isStaff } from './lib/actor.js';
import { accessOf } from './lib/access-policy.js';
import { registerAuth } from './plugins/auth.js';
import { databaseRateLimitStore } from './plugins/rate-limit-store.js';
import { registerErrorHandling } from './plugins/errors.js';
import { LocalDiskStorage, type Storage } from './modules/files/storage.js';
import { criteriaRoutes } from './modules/criteria/routes.js';
import { evaluationRoutes } from './modules/evaluation/routes.js';
import { geoRoutes } from './modules/geo/routes.js';
import { importsRoutes } from './modules/imports/routes.js';
import { producersRoutes } from './modules/producers/routes.js';
import { productsRoutes } from './modules/products/routes.js';
import { taxonomyRoutes } from './modules/taxonomy/routes.js';
import { usersRoutes } from './modules/users/routes.js';
import { registrationsRoutes } from './modules/registrations/routes.js';
import { evidenceRoutes } from './modules/evidence/routes.js';
import { dossiersRoutes } from './modules/dossiers/routes.js';
import { certificatesRoutes } from './modules/certificates/routes.js';
import { notificationsRoutes } from './modules/notifications/routes.js';
import { traceRoutes } from './modules/trace/routes.js';
import { lotsRoutes } from './modules/lots/routes.js';
import { identifiersRoutes } from './modules/identifiers/routes.js';
import { partiesRoutes } from './modules/parties/routes.js';
import { stampsRoutes } from './modules/stamps/routes.js';
import { productLinksRoutes } from './modules/product-links/routes.js';
import { programmeRoutes } from './modules/programme/routes.js';
import { craftVillagesRoutes } from './modules/craft-villages/routes.js';
import { supportEvidenceRoutes } from './modules/programme/support-evidence-routes.js';

// Validation messages in Vietnamese by default (the UI's first language).
z.config(z.locales.vi());

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');
/** The one icon (the back office ships it as /favicon.svg from src/web/public). */
const FAVICON_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/public/favicon.svg');

declare module 'fastify' {
  interface FastifyInstance {
    /** Requests in flight: background jobs let them go first (lib/activity.ts). */
    activity: RequestActivity;
  }
}

const COUNTED = Symbol('counted in activity');

export interface BuildOptions {
  config: Config;
  dbh: DbHandle;
  storage?: Storage;
  logger?: boolean | object;
  /** Where the background jobs stand, for /healthz (main.ts updates it; absent: jobs are not this process's). */
  jobsState?: JobsState;
}

/**
 * The background jobs as /healthz reports them: `off` (JOBS=false), `waiting` (JOBS_START_DELAY_MS not yet over),
 * `started` (pg-boss running, the boot reminder run not yet done), `ready` (the boot run done), `failed`.
 */
export interface JobsState { jobs: 'off' | 'waiting' | 'started' | 'ready' | 'failed' }

/** TRUST_PROXY as a hop count: trust the nearest `n` proxies (what Fastify does for a number, typed as a function). */
const hopCount = (n: number) => (_addr: string, i: number) => i < n;

/** The whole HTTP app: plugins first, then every module. Tests build exactly this. */
export async function buildApp({ config, dbh, storage, logger, jobsState }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel },
    // Only the proxies named in TRUST_PROXY may set X-Forwarded-For; otherwise the socket's address is the client.
    trustProxy: typeof config.trustProxy === 'number' ? hopCount(config.trustProxy) : config.trustProxy,
    bodyLimit: 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const indexHtmlPath = path.join(webDist, 'index.html');
  const spaIndex = fs.existsSync(indexHtmlPath) ? fs.readFileSync(indexHtmlPath) : undefined;
  registerErrorHandling(app, { spaIndex, uploadMaxBytes: config.uploadMaxBytes });

  const activity = new RequestActivity();
  app.decorate('activity', activity);
  app.addHook('onRequest', async (req) => {
    activity.begin();
    (req as unknown as Record<symbol, boolean>)[COUNTED] = true;
  });
  const done = async (req: object) => {
    const r = req as Record<symbol, boolean>;
    if (!r[COUNTED]) return;
    r[COUNTED] = false;
    activity.end();
  };
  app.addHook('onResponse', done);
  app.addHook('onRequestAbort', done);

  // Security headers on every answer that passes through the app's hooks: the back office (SPA and its files), the
  // API, the verification pages and error answers (the scan pages send their own fixed set, public/scan.ts).
  // frame-ancestors 'none': nothing of ours is meant to be framed (clickjacking). HSTS only behind https: sent over
  // plain http on a LAN install it would pin browsers to an https that does not exist.
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"], // antd injects CSS-in-JS styles
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.publicHttps ? [] : null,
      },
    },
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: config.publicHttps ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  // Answers travel compressed to browsers that say they accept it (rural 3G): API JSON, server-rendered pages, files
  // that compress. Brotli at a fast level for dynamic answers; the back office's static files are compressed once at
  // build (scripts/precompress.mjs) and served as they are (preCompressed below). Below 1 KB it is not worth it.
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
  await app.register(cookie);
  // Counters in the database by default (shared by app processes, kept across restarts); in memory for tests.
  await app.register(rateLimit, { global: false, ...(config.rateLimitStore === 'database' ? { store: databaseRateLimitStore(dbh.db) } : {}) });
  await app.register(multipart, { limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'OCOP Hub API', version: '0.1.0', description: 'Registry of OCOP producers and products. Errors are application/problem+json with Vietnamese messages.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ocop_sid' }, csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' } } },
      security: [{ session: [], csrf: [] }],
    },
    // Each operation documents who may call it (lib/access-policy.ts) as `x-access`.
    transform: (args) => {
      const out = jsonSchemaTransform(args);
      const method = Array.isArray(args.route.method) ? args.route.method[0] : args.route.method;
      const access = accessOf(method, args.url);
      return access ? { ...out, schema: { ...out.schema, 'x-access': access } } : out;
    },
  });
  // The API description lists every route and field: on a real deployment only signed-in staff read it (the demo on
  // localhost keeps it open). uiHooks cover the UI, its static files and /api/docs/json|yaml.
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiHooks: {
      onRequest: async (req) => {
        if (!config.realDeployment) return;
        if (!req.actor) throw new AppError('UNAUTHENTICATED', { detail: 'Tài liệu API chỉ dành cho cán bộ đã đăng nhập' });
        if (!isStaff(req.actor)) throw new AppError('FORBIDDEN', { detail: 'Tài liệu API chỉ dành cho cán bộ quản lý' });
      },
    },
  });

  const { cookieOptions } = registerAuth(app, dbh.db, config);
  const deps: Deps = { dbh, db: dbh.db, config, storage: storage ?? new LocalDiskStorage(config.filesDir), cookieOptions };

  app.get('/healthz', { schema: { hide: true } }, async () => {
    await dbh.query('select 1');
    return { ok: true, db: dbh.kind, ...(jobsState ? { jobs: jobsState.jobs } : {}) };
  });

  // The icon of every tab, the server's public pages included (browsers ask for /favicon.ico unless told otherwise).
  const favicon = fs.readFileSync(FAVICON_PATH);
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=86400').send(favicon));

  for (const mod of [
    usersRoutes, geoRoutes, taxonomyRoutes, producersRoutes, productsRoutes, importsRoutes, criteriaRoutes, evaluationRoutes,
    registrationsRoutes, evidenceRoutes, dossiersRoutes, certificatesRoutes, notificationsRoutes, traceRoutes, lotsRoutes, stampsRoutes, productLinksRoutes,
    programmeRoutes,
    craftVillagesRoutes, supportEvidenceRoutes,
    identifiersRoutes, partiesRoutes,
  ]) {
    await app.register(async (scope) => mod(scope, deps));
  }

  // The back office (built by Vite): static files; index.html for client-side routes comes from the not-found handler.
  // Vite names every file under /assets/ by its content hash, so a browser may keep it for a year without asking again;
  // anything else (icons, the manifest) for an hour. index.html itself is sent no-cache by the not-found handler.
  if (spaIndex) {
    await app.register(fastifyStatic, {
      root: webDist, prefix: '/', wildcard: false, preCompressed: true, cacheControl: false,
      setHeaders: (reply, filePath) => {
        const hashed = path.relative(webDist, filePath).startsWith(`assets${path.sep}`);
        reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
      },
    });
  }
  return app;
}
