import { buildDigitalLink, makeShortCode } from '../../../shared/gs1.js';
import type { FlagListRow, RangeListRow, ReportListRow } from './repository.js';
import type { StampRangeRow } from './tables.js';
import { isStaff, type Actor } from '../../lib/actor.js';

/** The platform-wide number of a stamp: the range's first number plus the serial's offset in the range. */
export const stampNumber = (r: Pick<StampRangeRow, 'firstNo' | 'firstSerial'>, serial: number) => r.firstNo + (serial - r.firstSerial);

/** `${base}/t/<code>`: the short code URI of a stamp number. */
export const shortCodeUri = (base: string, no: number) => `${base}/t/${makeShortCode(no)}`;

/**
 * What a stamp's QR code encodes: the GS1 Digital Link `${base}/01/<GTIN-14>/10/<lot>/21/<serial>` when the lot has
 * a GTIN, the short code URI otherwise.
 */
export function stampUri(base: string, lot: { gtin: string | null; lotNumber: string }, serial: number, no: number): string {
  if (lot.gtin) {
    const r = buildDigitalLink({ base, gtin: lot.gtin, lot: lot.lotNumber, serial: String(serial) });
    if (r.ok) return r.value;
  }
  return shortCodeUri(base, no);
}

export function presentRange(r: RangeListRow, lot: { gtin: string | null; lotNumber: string }, base: string) {
  return {
    id: r.id,
    lotId: r.lotId,
    firstSerial: r.firstSerial,
    lastSerial: r.lastSerial,
    count: r.lastSerial - r.firstSerial + 1,
    firstNo: Number(r.firstNo),
    status: r.status,
    statusReason: r.statusReason,
    issuedAt: r.issuedAt.toISOString(),
    issuedBy: r.issuedBy,
    exceptions: r.exceptions.map((x) => ({ serial: Number(x.serial), status: x.status, reason: x.reason })),
    sampleUri: stampUri(base, lot, r.firstSerial, Number(r.firstNo)),
    scanCount: r.scanCount,
  };
}

/** What the audit log keeps of a range. */
export const auditableRange = (r: StampRangeRow) => ({
  lotId: r.lotId, firstSerial: r.firstSerial, lastSerial: r.lastSerial, firstNo: Number(r.firstNo), status: r.status, statusReason: r.statusReason,
});

export function presentFlag(f: FlagListRow) {
  return {
    id: f.id,
    kind: f.kind,
    ref: f.ref,
    lot: f.lotId && f.lotNumber ? { id: f.lotId, lotNumber: f.lotNumber } : null,
    product: f.productId && f.productName ? { id: f.productId, name: f.productName } : null,
    serial: f.serial,
    scanCount: f.scanCount,
    firstAt: f.firstAt.toISOString(),
    lastAt: f.lastAt.toISOString(),
    status: f.status,
    note: f.note,
    handledAt: f.handledAt ? f.handledAt.toISOString() : null,
  };
}

/**
 * Who may read a shopper's contact: officers, who follow up reports. The reported producer never does (a shopper
 * who reports a fake or a bad product must not be exposed to its seller), nor do council members and viewers.
 */
export const seesReporterContact = (a: Actor) => isStaff(a);

export function presentReport(r: ReportListRow, reader: Actor) {
  return {
    id: r.id,
    category: r.category,
    kind: r.category,
    message: r.message,
    ...(seesReporterContact(reader) ? { contact: r.contact } : {}),
    ref: r.ref,
    lot: r.lotId && r.lotNumber ? { id: r.lotId, lotNumber: r.lotNumber } : null,
    product: r.productId && r.productName ? { id: r.productId, name: r.productName } : null,
    serial: r.serial,
    lang: r.lang,
    status: r.status,
    note: r.note,
    createdAt: r.createdAt.toISOString(),
    handledAt: r.handledAt ? r.handledAt.toISOString() : null,
  };
}
