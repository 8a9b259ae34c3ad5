import { buildApp, type JobsState } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/open.js';
import { startJobs, type Jobs } from './jobs/index.js';
import { backfillLegacyCertificates } from './modules/certificates/service.js';
import { acquireDataDirLock } from './lock.js';
import { loadDemoData } from './seed/demo.js';
import { hasActiveAdmin } from './modules/users/service.js';
import { LocalDiskStorage } from './modules/files/storage.js';
import { loadReferenceData } from './seed/reference.js';

/**
 * Boot: config → lock → db → migrate → reference data → demo data if empty → listen → (a few seconds later) jobs.
 * Each step's time is logged with "ready" (`steps`), so a slow start says where it went.
 */
async function main() {
  const started = Date.now();
  const steps: Record<string, number> = {};
  let last = started;
  const step = (name: string) => {
    const now = Date.now();
    steps[name] = now - last;
    last = now;
  };
  const config = loadConfig();
  // Only the embedded database needs the single-process lock; PostgreSQL serves many app processes.
  const release = config.databaseUrl ? () => undefined : acquireDataDirLock(config.dataDir);
  const dbh = await openDatabase(config);
  step('openAndMigrate');
  await loadReferenceData(dbh.db);
  step('referenceData');
  const storage = new LocalDiskStorage(config.filesDir);
  if (config.seedDemo && (await loadDemoData(dbh.db, { storage, publicBaseUrl: config.publicBaseUrl, mustChangePassword: config.demoMustChangePassword }))) {
    console.log('Đã nạp dữ liệu mẫu Lục Ngạn (demo data loaded).');
    if (config.demoMustChangePassword) console.warn('Dữ liệu mẫu trên máy chủ thật: mọi tài khoản mẫu phải đổi mật khẩu ở lần đăng nhập đầu (demo accounts must change their password at first sign-in).');
  }
  step('demoData');
  if (!(await hasActiveAdmin(dbh.db))) {
    const how = config.databaseUrl
      ? 'npm run create-admin'
      : `dừng máy chủ rồi chạy (stop the server, then run): DATA_DIR=${config.dataDir} npm run create-admin`;
    console.warn(
      `Chưa có tài khoản quản trị (no administrator account yet)${config.realDeployment ? '; dữ liệu mẫu không được nạp trên máy chủ thật (no demo data on a real deployment, SEED_DEMO=demo to force it)' : ''}.\n` +
        `Tạo tài khoản quản trị đầu tiên (create the first administrator): ${how}`,
    );
  }
  // Recognitions recorded on products before certificates existed become paper certificates (once; idempotent).
  // A failure (e.g. a number clash in old data) rolls back and is logged: it must not keep the server from starting.
  const backfilled = await backfillLegacyCertificates(dbh.db).catch((err) => {
    console.warn('Không tạo được giấy chứng nhận cho dữ liệu cũ (legacy certificate backfill failed):', err instanceof Error ? err.message : err);
    return 0;
  });
  step('adminCheckAndBackfill');
  const jobsState: JobsState = { jobs: config.jobs ? 'waiting' : 'off' };
  const app = await buildApp({ config, dbh, storage, jobsState });
  step('buildApp');
  if (backfilled) app.log.info({ certificates: backfilled }, 'legacy certificates created from product recognition fields');
  await app.listen({ port: config.port, host: config.host });
  step('listen');
  app.log.info({ ms: Date.now() - started, steps, db: dbh.kind, dataDir: config.databaseUrl ? undefined : config.dataDir, jobs: config.jobs }, 'OCOP Hub ready');

  // Start-up never waits for jobs: pg-boss (and the reminder run it does at every start) begins JOBS_START_DELAY_MS
  // after the server answers, and on PGlite its runs yield to requests in flight (jobs/index.ts).
  const jobsCtl = new AbortController();
  const jobsStarted: Promise<Jobs | null> = !config.jobs ? Promise.resolve(null) : new Promise<void>((resolve) => {
    const t = setTimeout(resolve, config.jobsStartDelayMs);
    jobsCtl.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  }).then(() => (jobsCtl.signal.aborted ? null : startJobs({
    config, dbh, log: app.log, activity: app.activity, onReminderRun: () => { jobsState.jobs = 'ready'; },
  })))
    .then((jobs) => {
      if (jobs) {
        if (jobsState.jobs === 'waiting') jobsState.jobs = 'started';
        app.log.info({ afterReadyMs: Date.now() - last }, 'background jobs started');
      }
      return jobs;
    })
    .catch((err) => {
      app.log.error({ err }, 'background jobs did not start');
      jobsState.jobs = 'failed';
      return null;
    });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    // Jobs first (a running one finishes; one still waiting to start never starts), then requests, then the database.
    jobsCtl.abort();
    const jobs = await jobsStarted;
    await jobs?.stop().catch((err) => app.log.error({ err }, 'stopping jobs failed'));
    await app.close();
    await dbh.close();
    release();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
