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
      return `${TYPE_VI[type] ?? 'Sự kiện'}${bizStep ? ` (${BIZ_STEP_VI[bizStep] ?? bizStep})` : ''}: ${what}`;
  }
}

/** EPCIS event types as officials say them (imports of other kinds). */
const TYPE_VI: Record<string, string> = {
  ObjectEvent: 'Sự kiện hàng hoá', AggregationEvent: 'Đóng gói/tách kiện', TransactionEvent: 'Giao dịch',
  TransformationEvent: 'Chế biến', AssociationEvent: 'Gắn thiết bị/tài sản',
};
/** Common CBV business steps in Vietnamese; others keep their term. */
const BIZ_STEP_VI: Record<string, string> = {
  commissioning: 'tạo lô', packing: 'đóng gói', unpacking: 'tách kiện', shipping: 'xuất hàng', receiving: 'nhận hàng',
  inspecting: 'kiểm tra', storing: 'lưu kho', holding: 'tạm giữ', departing: 'rời đi', arriving: 'đến nơi',
  transporting: 'vận chuyển', sensor_reporting: 'ghi cảm biến', installing: 'lắp đặt', removing: 'tháo gỡ',
  destroying: 'tiêu huỷ', retail_selling: 'bán lẻ', accepting: 'tiếp nhận', loading: 'xếp hàng', unloading: 'dỡ hàng',
  harvesting: 'thu hoạch', processing: 'chế biến', repackaging: 'đóng gói lại', void_shipping: 'huỷ xuất hàng',
};

/** Sensor measurement types (GS1 web vocabulary) in Vietnamese, with the unit sign for common UN/CEFACT codes. */
const SENSOR_VI: Record<string, string> = {
  Temperature: 'Nhiệt độ', RelativeHumidity: 'Độ ẩm tương đối', AbsoluteHumidity: 'Độ ẩm tuyệt đối', Illuminance: 'Độ rọi',
  Speed: 'Tốc độ', Pressure: 'Áp suất', Dimensionless: 'Chỉ số', Humidity: 'Độ ẩm', Mass: 'Khối lượng',
};
const UOM_SIGN: Record<string, string> = { CEL: '°C', FAH: '°F', KEL: 'K', P1: '%', A93: 'g/m³', LUX: 'lx', KMH: 'km/h', KGM: 'kg' };

/** One line for the sensor readings of an event: per measurement type, the range of values and the count. */
export function sensorSummary(readings: NonNullable<EventDetails['sensors']>): string {
  const byType = new Map<string, { values: number[]; uom: string | null; alarms: number }>();
  for (const r of readings) {
    const e = byType.get(r.type) ?? { values: [], uom: r.uom, alarms: 0 };
    for (const v of [r.value, r.minValue, r.maxValue, r.meanValue]) if (v !== null) e.values.push(v);
    if (r.exception) e.alarms++;
    byType.set(r.type, e);
  }
  return [...byType].map(([type, e]) => {
    const sign = e.uom ? (UOM_SIGN[e.uom] ?? e.uom) : '';
    const range = e.values.length
      ? (Math.min(...e.values) === Math.max(...e.values) ? num(e.values[0]) : `${num(Math.min(...e.values))}–${num(Math.max(...e.values))}`)
      : '';
    return `${SENSOR_VI[type] ?? type}${range ? ` ${range}${sign ? ` ${sign}` : ''}` : ''}${e.alarms ? ` (${e.alarms} cảnh báo)` : ''}`;
  }).join('; ');
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
    summary: summarise(ev.kind, lots, read.details, ev.type, ev.bizStep) + (read.details.sensors?.length ? ` — cảm biến: ${sensorSummary(read.details.sensors)}` : ''),
    details: read.details,
    corrections: [],
    corrects: [],
    source: ev.source,
    recordedBy: e.recordedByName,
    recordTime: ev.recordTime.toISOString(),
  };
}
