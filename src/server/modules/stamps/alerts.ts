/**
 * Telling officers what the public scan pages saw: every buyer's report from a scan page, and each stamp flag once its
 * scan count reaches SCAN_ALERT_MIN_SCANS (config; a flag is announced once: stamp_flags.notified_at, migration 0019).
 * Who is told: the active commune officers whose scope covers the unit the product was registered under (the same
 * rule as notifications elsewhere: notifications/recipients.ts); when no commune officer covers it — or the flag names
 * no product (an unknown lot or short code) — the province officers.
 */
import { sql } from 'drizzle-orm';
import { vi } from '../../../shared/i18n/vi.js';
import { rowsOf, type Db } from '../../db/client.js';
import { fromDbError } from '../../lib/errors.js';
import { notify } from '../notifications/service.js';
import { communeOfficerIdsCovering, provinceOfficerIds } from '../notifications/recipients.js';
import { getProductRow } from '../products/service.js';
import { insertReport } from './repository.js';
import type { scanReports } from './tables.js';

/** Officers of the product's unit, else the province's. */
async function officersFor(tx: Db, productId: string | null): Promise<string[]> {
  if (productId) {
    const p = await getProductRow(tx, productId).catch(() => undefined);
    if (p) {
      const commune = await communeOfficerIdsCovering(tx, p.registeredUnitId);
      if (commune.length) return commune;
    }
  }
  return provinceOfficerIds(tx);
}

const scansLink = (productId: string | null) => (productId ? `/trace/scans?productId=${productId}` : '/trace/scans');

/** A buyer's report from a scan page: stored and announced to the officers in scope, in one transaction. */
export async function submitScanReport(db: Db, report: typeof scanReports.$inferInsert & { productName?: string | null }) {
  const { productName, ...row } = report;
  try {
    return await db.transaction(async (tx) => {
      const saved = await insertReport(tx, row);
      const what = vi[`enum.reportCategory.${row.category}` as keyof typeof vi] as string;
      await notify(tx, await officersFor(tx, row.productId ?? null), {
        kind: 'scan_report',
        title: `Người mua báo cáo vấn đề: ${what}${productName ? ` — ${productName}` : ''}`,
        body: row.message.slice(0, 300),
        link: scansLink(row.productId ?? null),
        entityType: 'scan_report',
        entityId: saved.id,
      });
      return saved;
    });
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

type DueFlag = { id: string; kind: string; product_id: string | null; product_name: string | null; scan_count: number; serial: number | null; lot_number: string | null };

/**
 * Announces the open flags whose count reached `minScans` and that were not announced yet (each in its own small
 * transaction; `for update skip locked`: two processes never announce the same flag). Returns how many.
 */
export async function notifyDueFlags(db: Db, minScans: number, limit = 50): Promise<number> {
  if (minScans <= 0) return 0;
  return db.transaction(async (tx) => {
    const due = rowsOf<DueFlag>(await tx.execute(sql`
      with f as (
        select id from stamp_flags where status = 'open' and notified_at is null and scan_count >= ${minScans}
        order by first_at limit ${limit} for update skip locked
      )
      update stamp_flags s set notified_at = now() from f where s.id = f.id
      returning s.id, s.kind, s.product_id, s.scan_count, s.serial,
        (select p.name from products p where p.id = s.product_id) as product_name,
        (select l.lot_number from lots l where l.id = s.lot_id) as lot_number`));
    for (const f of due) {
      const what = vi[`enum.flagKind.${f.kind}` as keyof typeof vi] as string;
      const stamp = f.lot_number ? ` (lô ${f.lot_number}${f.serial !== null ? `, tem số ${f.serial}` : ''})` : '';
      await notify(tx, await officersFor(tx, f.product_id), {
        kind: 'stamp_flag',
        title: `Cảnh báo quét tem: ${what}${f.product_name ? ` — ${f.product_name}` : ''}${stamp}`,
        body: `${Number(f.scan_count)} lượt quét`,
        link: scansLink(f.product_id),
        entityType: 'stamp_flag',
        entityId: f.id,
      });
    }
    return due.length;
  });
}
