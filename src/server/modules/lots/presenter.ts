import { formatInOffset, fromEpcisEvent, type EventDetails, type TraceKind } from '../../../shared/epcis.js';
import type { EventWithLots, LotJoined } from './repository.js';
import type { Lot, QuantityUnit, TraceEvent } from './schema.js';
import type { LotRow } from './tables.js';

export function presentLot(j: LotJoined): Lot {
  const l = j.lot;
  return {
    id: l.id,
    lotNumber: l.lotNumber,
    gtin: l.gtin,
    producedOn: l.producedOn,
    quantity: Number(l.quantity),
    quantityUnit: l.quantityUnit as QuantityUnit,
    bestBefore: l.bestBefore,
    notes: l.notes,
    product: { id: l.productId, name: j.productName },
    producer: { id: l.producerId, name: j.producerName },
    growingAreas: j.growingAreas,
    packingHouse: j.packingHouse,
    eventCount: j.eventCount,
    version: l.version,
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
  };
}

/** The audit trail keeps the business fields only. */
export function auditableLot(r: LotRow, growingAreaIds: string[]) {
  const { createdAt: _c, updatedAt: _u, version: _v, ...rest } = r;
  return { ...rest, growingAreaIds: [...growingAreaIds].sort() } as Record<string, unknown>;
}

export const UNIT_LABEL: Record<string, string> = { KGM: 'kg', TNE: 'tấn', GRM: 'g', LTR: 'lít', MLT: 'ml', H87: 'cái' };

const num = (n: number) => n.toLocaleString('vi-VN', { maximumFractionDigits: 3 });
type LotLine = TraceEvent['lots'][number];
const qty = (l: LotLine) => (l.quantity !== null ? ` (${num(l.quantity)} ${UNIT_LABEL[l.uom ?? ''] ?? l.uom ?? ''})`.replace(/ \)$/, ')') : '');
const names = (ls: LotLine[]) => ls.map((l) => `lô ${l.lotNumber}${qty(l)}`).join(', ');

/** One Vietnamese line per event, for timelines and the public scan page. */
export function summarise(kind: TraceKind, lots: LotLine[], d: EventDetails, type: string, bizStep: string | null): string {
  const subject = lots.filter((l) => l.role === 'subject' || l.role === 'child');
  const what = names(subject.length ? subject : lots) || 'lô không xác định';
  switch (kind) {
    case 'harvest':
      return `Thu hoạch ${what}${d.growingAreaCodes?.length ? ` tại vùng trồng ${d.growingAreaCodes.join(', ')}` : d.place ? ` tại ${d.place}` : ''}`;
    case 'processing': {
      const inputs = names(lots.filter((l) => l.role === 'input'));
      const outputs = names(lots.filter((l) => l.role === 'output'));
      return `Chế biến ${inputs || 'nguyên liệu'} thành ${outputs || 'sản phẩm'}${d.place ? ` tại ${d.place}` : ''}`;
    }
    case 'packing':
      return `Đóng gói ${what}${d.parentId ? ` vào thùng/pallet ${d.parentId}` : ''}${d.place ? ` tại ${d.place}` : ''}`;
    case 'shipping':
      return `Xuất hàng ${what}${d.source ? ` từ ${d.source}` : ''}${d.destination ? ` đến ${d.destination}` : ''}`;
    case 'receiving':
      return `Nhận hàng ${what}${d.source ? ` từ ${d.source}` : ''}${d.destination ? ` tại ${d.destination}` : ''}`;
    case 'inspection':
      return `Kiểm tra ${what}: ${d.result === 'non_conformant' ? 'không đạt' : 'đạt'}${d.inspector ? ` (${d.inspector})` : ''}`;
    default:
      return `Sự kiện ${type}${bizStep ? ` (${bizStep})` : ''}: ${what}`;
  }
}

/** A stored event for the back office: the query columns, its lots, a summary and the details read from the document. */
export function presentEvent(e: EventWithLots, publicBaseUrl: string): TraceEvent {
  const ev = e.event;
  const read = fromEpcisEvent(ev.document, publicBaseUrl);
  const lots: LotLine[] = e.lots.map((l) => ({
    lotId: l.lot_id, lotNumber: l.lot_number, productName: l.product_name, role: l.role,
    quantity: l.quantity === null ? null : Number(l.quantity), uom: l.uom,
  }));
  return {
    id: ev.id,
    eventId: ev.eventId,
    type: ev.type,
    action: ev.action,
    kind: ev.kind,
    eventTime: formatInOffset(ev.eventTime, ev.eventTz),
    eventTz: ev.eventTz,
    bizStep: ev.bizStep,
    disposition: ev.disposition,
    readPoint: ev.readPoint,
    bizLocation: ev.bizLocation,
    lots,
    summary: summarise(ev.kind, lots, read.details, ev.type, ev.bizStep),
    details: read.details,
    source: ev.source,
    recordedBy: e.recordedByName,
    recordTime: ev.recordTime.toISOString(),
  };
}
