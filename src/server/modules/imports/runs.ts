import { eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, notFound, type FieldError } from '../../lib/errors.js';
import type { Storage } from '../files/storage.js';
import { importPlaces } from '../trace/import.js';
import { canReadImportRun } from './policy.js';
import { importRegistry, type ImportProgress } from './service.js';
import { importRuns, type ImportKind, type ImportRunRow } from './tables.js';

/**
 * Background Excel imports. The upload is stored as a run (who, what, when) and answered at once; the work runs in
 * this process right after, and its progress lives here in memory: the import writes in ONE transaction (all or
 * nothing), which no other connection can look into, and on PGlite a write from outside would wait for it anyway.
 * The outcome — counts, or every row/column error — is written to the run when it ends. A run found "running" that
 * this process is not doing and that started long ago was cut short by a restart: it is shown as failed.
 */
const live = new Map<string, ImportProgress>();
const working = new Set<Promise<void>>();
const STALE_MS = 30 * 60_000;

export interface ImportRunView {
  id: string;
  kind: ImportKind;
  fileName: string | null;
  status: 'running' | 'done' | 'failed';
  phase: ImportProgress['phase'] | null;
  total: number;
  done: number;
  result: Record<string, unknown> | null;
  errors: (FieldError & { row?: number; column?: string })[];
  errorCount: number;
  createdAt: string;
  finishedAt: string | null;
}

function present(r: ImportRunRow): ImportRunView {
  const p = live.get(r.id);
  const stale = r.status === 'running' && !p && Date.now() - r.createdAt.getTime() > STALE_MS;
  return {
    id: r.id, kind: r.kind, fileName: r.fileName,
    status: stale ? 'failed' : r.status,
    phase: p?.phase ?? (r.status === 'done' ? 'done' : null),
    total: p?.total ?? r.total, done: p?.done ?? r.done,
    result: r.result ?? null,
    errors: stale ? [{ path: 'file', message: 'Việc nhập bị gián đoạn (máy chủ khởi động lại); không dòng nào được ghi — hãy nhập lại tệp' }] : r.errors ?? [],
    errorCount: stale ? 1 : r.errorCount,
    createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** Starts an import of `kind` from the uploaded workbook; the caller answers 202 with the run. Policies checked by the route. */
export async function startImportRun(db: Db, storage: Storage, log: FastifyBaseLogger, actor: Actor, kind: ImportKind, file: Buffer, fileName: string | null) {
  const [row] = await db.insert(importRuns).values({ kind, actorId: actor.id, fileName }).returning();
  live.set(row.id, { phase: 'reading', done: 0, total: 0 });
  const onProgress = (p: ImportProgress) => live.set(row.id, p);
  const job = (async () => {
    // Let the 202 go out before the work takes the event loop and the database.
    await new Promise((r) => setImmediate(r));
    let outcome: Partial<typeof importRuns.$inferInsert>;
    try {
      const result = kind === 'registry'
        ? await importRegistry(db, actor, file, { storage, fileName: fileName ?? undefined, runId: row.id, onProgress })
        : await importPlaces(db, actor, kind === 'growing_areas' ? 'area' : 'house', file, { storage, fileName: fileName ?? undefined, runId: row.id, onProgress });
      const total = live.get(row.id)?.total ?? 0;
      outcome = { status: 'done', result: result as unknown as Record<string, unknown>, total, done: total };
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        const errors = err.errors?.length ? err.errors : [{ path: 'file', message: err.detail ?? err.message }];
        outcome = { status: 'failed', errors, errorCount: Number(err.extra?.errorCount ?? errors.length) };
      } else {
        log.error({ err, importRun: row.id }, 'import run failed');
        outcome = { status: 'failed', errors: [{ path: 'file', message: 'Lỗi hệ thống khi nhập; không dòng nào được ghi — hãy thử lại' }], errorCount: 1 };
      }
    }
    await db.update(importRuns).set({ ...outcome, finishedAt: sql`now()` }).where(eq(importRuns.id, row.id))
      .catch((err: unknown) => log.error({ err, importRun: row.id }, 'import run outcome not saved'));
  })().finally(() => {
    live.delete(row.id);
    working.delete(job);
  });
  working.add(job);
  return present(row);
}

export async function getImportRun(db: Db, actor: Actor, id: string) {
  const [row] = await db.select().from(importRuns).where(eq(importRuns.id, id)).limit(1);
  if (!row) throw notFound('Không tìm thấy lượt nhập');
  if (!canReadImportRun(actor, row)) throw forbidden('Chỉ người nhập tệp và quản trị viên xem được lượt nhập này');
  return present(row);
}

/** Waits for the imports this process is running (server shutdown, tests). */
export async function settleImportRuns() {
  await Promise.allSettled([...working]);
}
