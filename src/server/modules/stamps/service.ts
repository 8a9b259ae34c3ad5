import { addMonths, todayInVietnam } from '../../../shared/certificate-dates.js';
import { makeShortCode } from '../../../shared/gs1.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { announceChange } from '../../lib/changes.js';
import { AppError, forbidden, fromDbError, notFound, type FieldError } from '../../lib/errors.js';
import { isActor, recordAudit, type Writer } from '../audit/service.js';
import { productHasPhoto } from '../products/service.js';
import { canHandleOversight, canReadLotStamps, canWriteLotStamps, oversightScope } from './policy.js';
import { auditableRange, presentFlag, presentRange, presentReport, stampNumber, stampUri } from './presenter.js';
import * as repo from './repository.js';
import { MAX_LABELS_PER_PDF, type FlagListQuery, type LabelsQuery, type RangeStatusInput, type ReportListQuery, type ReportStatusInput, type ScanStatsQuery, type StampStatusInput } from './schema.js';

type Base = Pick<Config, 'publicBaseUrl'>;

const LOT_NOT_FOUND = 'Không tìm thấy lô hàng';
const RANGE_NOT_FOUND = 'Không tìm thấy dải tem';

async function inTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(fn);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

/** 422: a label request outside the range or over the per-file limit. */
const unprocessable = (detail: string, errors?: FieldError[]) => new AppError('TRACE_INVALID', { detail, errors });

const writeRefusal = (a: Actor) =>
  forbidden(a.role === 'producer' ? 'Chủ thể chỉ được quản lý tem của lô hàng của chính mình'
    : a.role === 'commune_officer' ? 'Sản phẩm của lô hàng nằm ngoài phạm vi phụ trách' : 'Bạn chỉ có quyền xem tem');

// ─── Ranges ─────────────────────────────────────────────────────────────────────────────────────────────────────

export async function listStampRanges(db: Db, config: Base, actor: Actor, lotId: string) {
  const lot = await repo.findLotForStamps(db, lotId);
  if (!lot) throw notFound(LOT_NOT_FOUND);
  if (!canReadLotStamps(actor, lot)) throw forbidden();
  return (await repo.findRangesOfLot(db, lotId)).map((r) => presentRange(r, lot, config.publicBaseUrl));
}

/**
 * Issues `count` stamps for a lot: serials continue after the lot's highest, stamp numbers after the highest issued
 * on the platform (see repository.allocateRange). Demo data may call it with a system writer.
 */
export async function issueStamps(db: Db, config: Base, writer: Writer, lotId: string, count: number) {
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new AppError('VALIDATION', { errors: [{ path: 'count', message: 'Số lượng tem phải từ 1 đến 100 000' }] });
  return inTx(db, async (tx) => {
    const lot = await repo.findLotForStamps(tx, lotId);
    if (!lot) throw notFound(LOT_NOT_FOUND);
    if (isActor(writer) && !canWriteLotStamps(writer, lot)) throw writeRefusal(writer);
    // The scan page shows the product's photo (Circular 02/2024/TT-BKHCN): no photo, no stamps.
    if (!(await productHasPhoto(tx, lot.productId))) {
      throw new AppError('PRODUCT_PHOTO_REQUIRED', { detail: `Sản phẩm "${lot.productName}" chưa có ảnh. Hãy đăng ít nhất một ảnh sản phẩm rồi phát hành tem.` });
    }
    const row = await repo.allocateRange(tx, lotId, count, isActor(writer) ? writer.id : null);
    await recordAudit(tx, writer, 'create', 'stamp_range', row.id, null, auditableRange(row));
    return presentRange((await repo.findRangeListRow(tx, row.id))!, lot, config.publicBaseUrl);
  }).then(announced(lotId));
}

async function rangeForWrite(tx: Db, writer: Writer, rangeId: string) {
  if (!(await repo.lockRange(tx, rangeId))) throw notFound(RANGE_NOT_FOUND);
  const j = (await repo.findRangeWithLot(tx, rangeId))!;
  if (isActor(writer) && !canWriteLotStamps(writer, j.lot)) throw writeRefusal(writer);
  return j;
}

/** After commit: the scan pages' cache of this process drops the lot's stamps at once (lib/changes.ts). */
const announced = (lotId: string) => <T>(result: T): T => {
  announceChange({ lots: [lotId] });
  return result;
};

const needReason = () => new AppError('VALIDATION', { errors: [{ path: 'reason', message: 'Cần ghi lý do vô hiệu hoá' }] });

export async function setRangeStatus(db: Db, config: Base, writer: Writer, rangeId: string, input: RangeStatusInput) {
  const reason = input.reason ?? null;
  if (input.status === 'inactive' && !reason) throw needReason();
  return inTx(db, async (tx) => {
    const { range, lot } = await rangeForWrite(tx, writer, rangeId);
    const after = await repo.setRangeStatus(tx, rangeId, input.status, reason, isActor(writer) ? writer.id : null);
    await recordAudit(tx, writer, input.status === 'inactive' ? 'deactivate' : 'activate', 'stamp_range', rangeId, auditableRange(range), auditableRange(after));
    return { out: presentRange((await repo.findRangeListRow(tx, rangeId))!, lot, config.publicBaseUrl), lotId: lot.id };
  }).then(({ out, lotId }) => announced(lotId)(out));
}

/** One stamp: lost or inactive (an exception of its range), or active again (the exception removed). */
export async function setStampStatus(db: Db, config: Base, writer: Writer, rangeId: string, serial: number, input: StampStatusInput) {
  const reason = input.reason ?? null;
  if (input.status === 'inactive' && !reason) throw needReason();
  return inTx(db, async (tx) => {
    const { range, lot } = await rangeForWrite(tx, writer, rangeId);
    if (serial < range.firstSerial || serial > range.lastSerial) {
      throw notFound(`Tem số ${serial} không thuộc dải tem ${range.firstSerial}–${range.lastSerial}`);
    }
    const before = await repo.findException(tx, rangeId, serial);
    if (input.status === 'active') await repo.deleteException(tx, rangeId, serial);
    else await repo.upsertException(tx, rangeId, serial, input.status, reason, isActor(writer) ? writer.id : null);
    await recordAudit(tx, writer, 'stamp_status', 'stamp_range', rangeId,
      { serial, status: before?.status ?? 'active', reason: before?.reason ?? null }, { serial, status: input.status, reason: input.status === 'active' ? null : reason });
    return { out: presentRange((await repo.findRangeListRow(tx, rangeId))!, lot, config.publicBaseUrl), lotId: lot.id };
  }).then(({ out, lotId }) => announced(lotId)(out));
}

// ─── Labels ─────────────────────────────────────────────────────────────────────────────────────────────────────

export type LabelData = { uri: string; productName: string; lotNumber: string; serial: number; code: string };

/** The labels of a range (or of from..to inside it) the reader may print; more than MAX_LABELS_PER_PDF → 422. */
export async function labelsOf(db: Db, config: Base, actor: Actor, rangeId: string, q: Pick<LabelsQuery, 'from' | 'to'>) {
  const j = await repo.findRangeWithLot(db, rangeId);
  if (!j) throw notFound(RANGE_NOT_FOUND);
  if (!canReadLotStamps(actor, j.lot)) throw forbidden();
  const { range, lot } = j;
  const from = q.from ?? range.firstSerial;
  const to = q.to ?? range.lastSerial;
  if (from < range.firstSerial || to > range.lastSerial || from > to) {
    throw unprocessable(`Khoảng sê-ri phải nằm trong dải ${range.firstSerial}–${range.lastSerial} và "từ" không lớn hơn "đến"`, [{ path: 'from', message: 'Khoảng sê-ri không hợp lệ' }]);
  }
  const n = to - from + 1;
  if (n > MAX_LABELS_PER_PDF) {
    throw unprocessable(`Một tệp in tối đa ${MAX_LABELS_PER_PDF.toLocaleString('vi-VN')} nhãn; khoảng đã chọn có ${n.toLocaleString('vi-VN')} nhãn. Hãy in từng phần bằng "từ"/"đến" (from/to).`,
      [{ path: 'to', message: `Tối đa ${MAX_LABELS_PER_PDF} nhãn mỗi tệp` }]);
  }
  const labels: LabelData[] = [];
  for (let s = from; s <= to; s++) {
    const no = stampNumber({ firstNo: Number(range.firstNo), firstSerial: range.firstSerial }, s);
    labels.push({ uri: stampUri(config.publicBaseUrl, lot, s, no), productName: lot.productName, lotNumber: lot.lotNumber, serial: s, code: makeShortCode(no) });
  }
  return { range, lot, labels };
}

// ─── Oversight ──────────────────────────────────────────────────────────────────────────────────────────────────

export async function listFlags(db: Db, actor: Actor, q: FlagListQuery) {
  const { rows, total } = await repo.findFlags(db, oversightScope(actor), q, q.page, q.pageSize);
  return { items: rows.map(presentFlag), total, page: q.page, pageSize: q.pageSize };
}

export async function dismissFlag(db: Db, actor: Actor, id: string, note: string) {
  return inTx(db, async (tx) => {
    const f = await repo.findFlagListRow(tx, id);
    if (!f) throw notFound('Không tìm thấy cảnh báo');
    if (!canHandleOversight(actor, await repo.findProductScope(tx, f.productId))) throw forbidden('Chỉ cán bộ phụ trách sản phẩm được xử lý cảnh báo này');
    if (f.status !== 'open') throw new AppError('VERSION_CONFLICT', { detail: 'Cảnh báo đã được xử lý' });
    await repo.dismissFlag(tx, id, actor.id, note);
    await recordAudit(tx, actor, 'dismiss', 'stamp_flag', id, { status: 'open' }, { status: 'dismissed', note });
    return presentFlag((await repo.findFlagListRow(tx, id))!);
  });
}

export async function listReports(db: Db, actor: Actor, q: ReportListQuery) {
  const { rows, total } = await repo.findReports(db, oversightScope(actor), q, q.page, q.pageSize);
  return { items: rows.map((r) => presentReport(r, actor)), total, page: q.page, pageSize: q.pageSize };
}

export async function setReportStatus(db: Db, actor: Actor, id: string, input: ReportStatusInput) {
  return inTx(db, async (tx) => {
    const r = await repo.findReportListRow(tx, id);
    if (!r) throw notFound('Không tìm thấy phản ánh');
    if (!canHandleOversight(actor, await repo.findProductScope(tx, r.productId))) throw forbidden('Chỉ cán bộ phụ trách sản phẩm được xử lý phản ánh này');
    const after = await repo.setReportStatus(tx, id, input.status, actor.id, input.note ?? null);
    await recordAudit(tx, actor, 'update', 'scan_report', id, { status: r.status, note: r.note }, { status: after.status, note: after.note });
    return presentReport((await repo.findReportListRow(tx, id))!, actor);
  });
}

export async function getScanStats(db: Db, actor: Actor, q: ScanStatsQuery) {
  const to = q.to ?? todayInVietnam();
  const from = q.from ?? addMonths(to, -1);
  if (from > to) throw new AppError('VALIDATION', { errors: [{ path: 'from', message: 'Ngày bắt đầu phải trước ngày kết thúc' }] });
  if (from < addMonths(to, -24)) throw new AppError('VALIDATION', { errors: [{ path: 'from', message: 'Khoảng thời gian tối đa 24 tháng' }] });
  const s = await repo.scanStats(db, oversightScope(actor), { from, to, productId: q.productId, unitId: q.unitId });
  return { ...s, total: s.days.reduce((n, d) => n + d.scans, 0) };
}
