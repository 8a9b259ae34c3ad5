import path from 'node:path';
import { z } from 'zod';

const ZConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  // An empty value (e.g. `DATABASE_URL=`) means "not set": use the embedded database.
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  DATA_DIR: z.string().default('./data'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * auto: the Lục Ngạn demo on an empty database, but only when not a real deployment (PUBLIC_BASE_URL on localhost);
   * demo: also on a real deployment (its accounts must then change their password at first sign-in); never: never.
   */
  SEED_DEMO: z.enum(['auto', 'demo', 'never']).default('auto'),
  /** Forces the Secure cookie flag; it is on anyway whenever PUBLIC_BASE_URL is https. */
  COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  /**
   * Which proxies may set X-Forwarded-For (client address for rate limits and logs): off by default (the socket's
   * address counts); `true` (any: only behind a proxy that overwrites the header), a hop count, or a comma list of
   * proxy addresses / CIDRs.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(|true|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, 'true, false, số lớp proxy, hoặc danh sách địa chỉ/CIDR cách nhau bởi dấu phẩy')
    .default(''),
  /** Idle lifetime of a session (hours; every request within it extends it). */
  SESSION_IDLE_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** Absolute lifetime of a session (days), however active: then the user signs in again. */
  SESSION_MAX_DAYS: z.coerce.number().positive().max(90).default(7),
  /** Where rate-limit counters live: the database (shared by all app processes) or this process's memory. */
  RATE_LIMIT_STORE: z.enum(['database', 'memory']).optional(),
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /** Address printed in QR codes of certificates (the public verification page lives under it). */
  PUBLIC_BASE_URL: z.string().url().default('http://localhost:3000'),
  /** Days before a certificate's expiry at which producer and officer are warned, e.g. "90,60,30". */
  REMINDER_DAYS: z.string().regex(/^\d{1,3}(,\d{1,3})*$/, 'danh sách số ngày, ví dụ 90,60,30').default('90,60,30'),
  /** smtp://user:pass@host:port — e-mail is sent only when this is set; in-app notifications always. */
  SMTP_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  MAIL_FROM: z.string().default('OCOP Hub <no-reply@ocop-hub.local>'),
  /** Background jobs (pg-boss): on by default; tests turn them off and call the job functions directly. */
  JOBS: z.enum(['on', 'off']).default('on'),
  /** Jobs (and the reminder run at start) begin this long after the server answers: start-up never waits for them. */
  JOBS_START_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /** Lots whose scan-page data each app process keeps in memory (modules/stamps/scan-cache.ts); 0 turns the cache off. */
  SCAN_CACHE_LOTS: z.coerce.number().int().min(0).max(1_000_000).default(20_000),
  /** Officers in scope are notified of an open stamp flag once it counts this many scans (0 = never). */
  SCAN_ALERT_MIN_SCANS: z.coerce.number().int().min(0).max(1_000_000).default(3),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  dbDir: string;
  filesDir: string;
  env: 'development' | 'production' | 'test';
  logLevel: string;
  /** Load the demo on an empty database (SEED_DEMO=auto off a real deployment, or SEED_DEMO=demo). */
  seedDemo: boolean;
  /** Demo accounts must change their password at first sign-in (the demo on a real deployment). */
  demoMustChangePassword: boolean;
  /** Secure cookie flag: PUBLIC_BASE_URL is https, or COOKIE_SECURE=true. */
  cookieSecure: boolean;
  /** `__Host-ocop_sid` (Secure, Path=/, no Domain) on https, `ocop_sid` on plain http. */
  sessionCookieName: string;
  /** Fastify's trustProxy: false, true, a hop count or a list of proxy addresses / CIDRs. */
  trustProxy: boolean | number | string[];
  sessionIdleMs: number;
  sessionMaxMs: number;
  rateLimitStore: 'database' | 'memory';
  uploadMaxBytes: number;
  publicBaseUrl: string;
  reminderDays: number[];
  smtpUrl?: string;
  mailFrom: string;
  jobs: boolean;
  jobsStartDelayMs: number;
  scanCacheLots: number;
  scanAlertMinScans: number;
  /**
   * A real deployment: PUBLIC_BASE_URL names a host other than localhost / loopback. `npm start` always sets
   * NODE_ENV=production, so that cannot be the signal; the public address is what a real deployment must set.
   */
  realDeployment: boolean;
  /** PUBLIC_BASE_URL is https: cookies get Secure and the __Host- prefix, HSTS is sent. */
  publicHttps: boolean;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True when the public address is a real host (not localhost or a loopback address). */
export function isRealDeployment(publicBaseUrl: string): boolean {
  const host = new URL(publicBaseUrl).hostname.toLowerCase();
  return !(LOCAL_HOSTS.has(host) || host.endsWith('.localhost') || /^127\./.test(host));
}

/** TRUST_PROXY → Fastify's trustProxy option. */
export function parseTrustProxy(v: string): boolean | number | string[] {
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ZConfig.safeParse(env);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Cấu hình không hợp lệ (invalid configuration): ${msg}`);
  }
  const c = parsed.data;
  const dataDir = path.resolve(c.DATA_DIR);
  const realDeployment = isRealDeployment(c.PUBLIC_BASE_URL);
  const publicHttps = new URL(c.PUBLIC_BASE_URL).protocol === 'https:';
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir,
    dbDir: path.join(dataDir, 'db'),
    filesDir: path.join(dataDir, 'files'),
    env: c.NODE_ENV,
    logLevel: c.LOG_LEVEL,
    seedDemo: c.SEED_DEMO === 'demo' || (c.SEED_DEMO === 'auto' && !realDeployment),
    demoMustChangePassword: realDeployment,
    cookieSecure: publicHttps || c.COOKIE_SECURE === 'true',
    sessionCookieName: publicHttps ? '__Host-ocop_sid' : 'ocop_sid',
    trustProxy: parseTrustProxy(c.TRUST_PROXY),
    sessionIdleMs: Math.round(c.SESSION_IDLE_HOURS * 3600_000),
    sessionMaxMs: Math.round(c.SESSION_MAX_DAYS * 86400_000),
    // Tests build one app per file on a shared database: counters in memory keep files independent.
    rateLimitStore: c.RATE_LIMIT_STORE ?? (c.NODE_ENV === 'test' ? 'memory' : 'database'),
    uploadMaxBytes: c.UPLOAD_MAX_BYTES,
    publicBaseUrl: c.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    reminderDays: [...new Set(c.REMINDER_DAYS.split(',').map(Number).filter((n) => n > 0))].sort((a, b) => b - a),
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM,
    jobs: c.JOBS === 'on',
    jobsStartDelayMs: c.JOBS_START_DELAY_MS,
    scanCacheLots: c.SCAN_CACHE_LOTS,
    scanAlertMinScans: c.SCAN_ALERT_MIN_SCANS,
    realDeployment,
    publicHttps,
  };
}
