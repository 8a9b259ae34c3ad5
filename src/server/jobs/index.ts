/**
 * Background jobs on pg-boss 10. On PostgreSQL pg-boss opens its own small pool from the connection string; on the
 * embedded PGlite it runs in-process through an `executeSql` adapter over the app's PGlite client (PGlite serialises
 * every query and transaction, so pg-boss's polling simply takes turns with requests). Verified on both engines by
 * the certificates integration tests (the boot job runs the reminders).
 *
 * Start-up never waits for jobs: main.ts starts them after the server answers, JOBS_START_DELAY_MS later (the boot
 * run then does not compete with the first sign-ins and pages), and on PGlite — one connection for requests and jobs —
 * the reminder and expiry runs yield to requests in flight between items (`activity`, lib/activity.ts), so a request
 * waits behind at most one item's transaction instead of the whole run.
 *
 * Queues:
 * - `certificate-reminders`: daily at 07:00 Asia/Ho_Chi_Minh (cron) and once at every start; the handler calls
 *   `sendDueReminders`, which is idempotent by its database key, so a job run twice (two app processes, a restart,
 *   a retry) never sends a reminder twice; then it prunes the programme panel's change log to two days.
 */
import PgBoss from 'pg-boss';
import type { Config } from '../config.js';
import type { DbHandle } from '../db/client.js';
import type { RequestActivity } from '../lib/activity.js';
import { todayInVietnam } from '../../shared/certificate-dates.js';
import { recordExpiries, sendDueReminders, type ReminderRun } from '../modules/certificates/service.js';
import { pruneProgrammeChanges } from '../modules/programme/panel-cache.js';

export const REMINDER_QUEUE = 'certificate-reminders';
/** Every day at 07:00 Vietnam time: reminders arrive at the start of the working day. */
export const REMINDER_CRON = '0 7 * * *';
export const JOBS_TZ = 'Asia/Ho_Chi_Minh';

interface Log {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface Jobs {
  boss: PgBoss;
  stop(): Promise<void>;
}

type PgliteLike = {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  exec(text: string): Promise<{ rows: unknown[] }[]>;
};

/** pg-boss's Db interface over PGlite: parameterised statements via query, its multi-statement scripts via exec. */
export function pgliteExecutor(client: PgliteLike): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) =>
      (values?.length ? client.query(text, values) : client.exec(text).then((r) => r[r.length - 1] ?? { rows: [] })) as Promise<{ rows: never[] }>,
  };
}

export interface StartJobsOptions {
  config: Config;
  dbh: DbHandle;
  log: Log;
  /** Worker polling (seconds); the queue is daily, so the default polls rarely. Tests use a short one. */
  pollingIntervalSeconds?: number;
  /** Called after each reminder run (tests wait on it). */
  onReminderRun?: (run: ReminderRun) => void;
  /** Requests in flight: on PGlite the runs let them go first between items. */
  activity?: RequestActivity;
}

export async function startJobs({ config, dbh, log, pollingIntervalSeconds = 30, onReminderRun, activity }: StartJobsOptions): Promise<Jobs> {
  // PostgreSQL serves requests and the job on separate connections: only the single PGlite connection needs pacing.
  const pace = dbh.kind === 'pglite' && activity ? () => activity.yieldToRequests() : undefined;
  let boss: PgBoss;
  if (dbh.kind === 'pglite') {
    // drizzle keeps the driver's client as $client: the same PGlite instance the app uses.
    const client = (dbh.db as unknown as { $client: PgliteLike }).$client;
    boss = new PgBoss({ db: pgliteExecutor(client) });
  } else {
    if (!config.databaseUrl) throw new Error('jobs: DATABASE_URL is needed on PostgreSQL');
    boss = new PgBoss({ connectionString: config.databaseUrl, max: 2, application_name: 'ocop-hub-jobs' });
  }
  boss.on('error', (err) => log.error({ err }, 'pg-boss error'));
  await boss.start();
  // stately: at most one waiting and one running reminder job, however many starts and schedules pile up.
  await boss.createQueue(REMINDER_QUEUE, { name: REMINDER_QUEUE, policy: 'stately', retryLimit: 3, retryDelay: 300, expireInSeconds: 3600 });
  // Once at boot (sent before the worker starts, so its first poll finds it), then every morning.
  await boss.send(REMINDER_QUEUE, { reason: 'boot' });
  await boss.work(REMINDER_QUEUE, { pollingIntervalSeconds, batchSize: 1 }, async () => {
    // Expiries first (the registry loses the star of certificates that ended yesterday), then the reminders.
    const expiries = await recordExpiries(dbh.db, todayInVietnam(), { pace });
    if (expiries.expired) log.info(expiries, 'certificate expiries recorded');
    const run = await sendDueReminders(dbh.db, config, todayInVietnam(), { pace });
    // The programme panel's change log keeps two days (programme/panel-cache.ts).
    const pruned = await pruneProgrammeChanges(dbh.db);
    if (pruned) log.info({ pruned }, 'programme change log pruned');
    log.info({ today: run.today, due: run.due, sent: run.sent.length, skipped: run.skipped.length, emailed: run.emailed }, 'certificate reminders');
    onReminderRun?.(run);
  });
  await boss.schedule(REMINDER_QUEUE, REMINDER_CRON, { reason: 'daily' }, { tz: JOBS_TZ });
  return {
    boss,
    // Graceful: a running reminder job finishes (up to 20 s) before pg-boss stops and closes its own pool.
    stop: () => boss.stop({ graceful: true, timeout: 20_000, wait: true }),
  };
}
