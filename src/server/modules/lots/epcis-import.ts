import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { forbidden } from '../../lib/errors.js';
import { validateEpcis } from '../../lib/epcis-schema.js';
import { canonicalJson, fromEpcisEvent, normaliseCbv, offsetOf, type Json, type ReadEvent } from '../../../shared/epcis.js';
import { isActor, type Writer } from '../audit/service.js';
import { findStoredEvents, insertCorrection } from './corrections.js';
import { eventHashId } from './epcis-hash.js';
import { canImportEpcis, canWriteLot } from './policy.js';
import * as repo from './repository.js';
import { announced, futureCheck, inTx, storeEvent, unprocessable, type ResolvedLine } from './service.js';

/** Import limits: events per document. */
const MAX_IMPORT_EVENTS = 5000;

export type ImportError = { index: number | null; eventId: string | null; path: string; message: string };

const importInvalid = (errors: ImportError[]) =>
  unprocessable(errors, `Tài liệu EPCIS có ${errors.length} lỗi, chưa có sự kiện nào được ghi`, 'EPCIS_INVALID');

/** Every event type of EPCIS 2.0. */
const SUPPORTED_TYPES = new Set(['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent']);

type Declaration = { declarationTime: Date; reason: string | null; correctiveEventIds: string[] };

function declarationOf(ev: Json): Declaration | null {
  const d = ev.errorDeclaration as Json | undefined;
  if (!d || typeof d !== 'object') return null;
  const ids = Array.isArray(d.correctiveEventIDs) ? d.correctiveEventIDs.filter((x): x is string => typeof x === 'string') : [];
  return {
    declarationTime: new Date(String(d.declarationTime)),
    reason: typeof d.reason === 'string' ? normaliseCbvReason(d.reason) : null,
    correctiveEventIds: ids,
  };
}

/** CBV error reasons ('incorrect_data', 'urn:epcglobal:cbv:er:did_not_occur', 'https://ref.gs1.org/cbv/ER-…') → the bare term. */
function normaliseCbvReason(v: string): string {
  const web = /^https?:\/\/(?:ref|ns)\.gs1\.org\/cbv\/ER-([A-Za-z_]+)$/.exec(v);
  if (web) return web[1];
  const urn = /^urn:epcglobal:cbv:er:([A-Za-z_]+)$/.exec(v);
  return urn ? urn[1] : (normaliseCbv(v, 'Disp') ?? v);
}

/** The ID events without eventID were stored under before CBV 2.0 hash IDs (a SHA-256 of their canonical JSON). */
const legacyDerivedId = (ev: Json) => `urn:ocop-hub:event:sha256:${createHash('sha256').update(canonicalJson(ev)).digest('hex')}`;

type Prepared = { index: number; eventId: string; legacyId: string | null; hashId: string; document: Json; read: ReadEvent; lines: ResolvedLine[]; declaration: Declaration | null };

/**
 * Imports an EPCIS 2.0 document from a partner system (issue #5, extended by issue #14): the whole document must
 * validate against GS1's EPCIS 2.0 schema, then every event — any of the five types — must name at least one lot
 * registered here (as a GS1 Digital Link on any domain, an EPC class URN `urn:epc:class:lgtin:…` or our own lot
 * URI) that the importer may write, and must not lie in the future. Any error → 422 listing all of them, nothing
 * written. An event is the same event when its eventID or its CBV 2.0 hash ID is already stored (an event without
 * eventID is named by its hash ID): it is skipped, so importing a document twice changes nothing. An event with an
 * errorDeclaration declares the stored event with the same eventID (or hash ID) wrong: the declaration is kept
 * beside it (both stay) and the journey shows it as corrected; declared events not stored yet are stored first.
 */
export async function importEpcis(db: Db, writer: Writer, doc: unknown, publicBaseUrl: string, now = new Date()) {
  if (isActor(writer) && !canImportEpcis(writer)) throw forbidden();
  const eventsOf = (d: unknown) => ((d as { epcisBody?: { eventList?: unknown } })?.epcisBody?.eventList ?? []) as Json[];
  const idAt = (i: number | null) => (i === null ? null : (typeof eventsOf(doc)[i]?.eventID === 'string' ? (eventsOf(doc)[i].eventID as string) : null));

  const schema = validateEpcis(doc);
  if (!schema.ok) throw importInvalid(schema.errors.map((e) => ({ index: e.index, eventId: idAt(e.index), path: e.path, message: e.message })));
  const d = doc as Json;
  if (d.type !== 'EPCISDocument') throw importInvalid([{ index: null, eventId: null, path: 'type', message: 'Cần một tài liệu EPCISDocument (type = "EPCISDocument")' }]);
  const events = eventsOf(doc);
  if (events.length === 0) throw importInvalid([{ index: null, eventId: null, path: 'epcisBody.eventList', message: 'Tài liệu không có sự kiện nào' }]);
  if (events.length > MAX_IMPORT_EVENTS) throw importInvalid([{ index: null, eventId: null, path: 'epcisBody.eventList', message: `Mỗi lần nhập tối đa ${MAX_IMPORT_EVENTS} sự kiện` }]);

  const reads = events.map((ev) => fromEpcisEvent(ev, publicBaseUrl));
  // Resolve every lot reference in two queries.
  const ids = new Set<string>();
  const pairs = new Map<string, { gtin: string; lotNumber: string }>();
  for (const r of reads) {
    for (const l of r.lots) {
      if (l.ref?.kind === 'id') ids.add(l.ref.id);
      if (l.ref?.kind === 'gtin') pairs.set(`${l.ref.gtin}\u0000${l.ref.lotNumber}`, l.ref);
    }
  }
  const [byIdRows, byGtinRows] = await Promise.all([repo.findLotScopes(db, [...ids]), repo.findLotScopesByGtinLot(db, [...pairs.values()])]);
  const byId = new Map(byIdRows.map((s) => [s.lot.id, s]));
  const byGtin = new Map(byGtinRows.map((s) => [`${s.lot.gtin}\u0000${s.lot.lotNumber}`, s]));
  const mayWrite = (s: (typeof byIdRows)[number]) => !isActor(writer) || canWriteLot(writer, { producerId: s.lot.producerId, registeredUnitId: Number(s.registeredUnitId) });

  const errors: ImportError[] = [];
  const prepared: Prepared[] = [];
  const seen = new Map<string, number>();
  const docContext = d['@context'];
  reads.forEach((r, index) => {
    const ev = events[index];
    const hashId = eventHashId(ev, docContext);
    const eventId = r.eventId ?? hashId;
    const declaration = declarationOf(ev);
    const fail = (path: string, message: string) => errors.push({ index, eventId: r.eventId, path: `epcisBody.eventList.${index}${path ? `.${path}` : ''}`, message });
    if (!SUPPORTED_TYPES.has(r.type)) fail('type', `Loại sự kiện ${r.type} không thuộc EPCIS 2.0`);
    if (eventId.length > 300) fail('eventID', 'eventID dài quá 300 ký tự');
    // The same event twice in a document is an error, except an event followed by the declaration about it.
    const key = `${eventId}\u0000${declaration ? 'declaration' : 'event'}`;
    const dup = seen.get(key);
    if (dup !== undefined) fail('eventID', `eventID trùng với sự kiện thứ ${dup + 1} trong tài liệu`);
    seen.set(key, index);
    const future = futureCheck(r.eventTime, now);
    if (future) fail('eventTime', future);
    if (!offsetOf(r.eventTime)) fail('eventTime', 'Thời điểm sự kiện phải có múi giờ');
    if (declaration && Number.isNaN(declaration.declarationTime.getTime())) fail('errorDeclaration.declarationTime', 'Thời điểm khai báo lỗi không hợp lệ');
    const lines: ResolvedLine[] = [];
    let refused = false;
    for (const l of r.lots) {
      const s = l.ref?.kind === 'id' ? byId.get(l.ref.id) : l.ref?.kind === 'gtin' ? byGtin.get(`${l.ref.gtin}\u0000${l.ref.lotNumber}`) : undefined;
      if (!s) continue; // a partner's own lot: kept in the document, not linked here
      if (!mayWrite(s)) {
        fail('', `Bạn không có quyền ghi sự kiện cho lô ${s.lot.lotNumber} (${s.productName})`);
        refused = true;
        continue;
      }
      if (l.quantity !== null && !(l.quantity > 0)) {
        fail('', `Số lượng của lô ${s.lot.lotNumber} phải lớn hơn 0`);
        continue;
      }
      lines.push({ lotId: s.lot.id, role: l.role, quantity: l.quantity, uom: l.quantity === null ? null : l.uom });
    }
    if (r.lots.length === 0 || (lines.length === 0 && !refused)) {
      fail('', 'Sự kiện không nhắc tới lô nào đã đăng ký trên hệ thống (cần URI dạng …/01/<GTIN>/10/<số lô>, urn:epc:class:lgtin:… hoặc …/lot/<mã lô>)');
    }
    // The event is kept as received; without an @context of its own it takes the document's, so it stands alone.
    const document = ev['@context'] === undefined && docContext !== undefined ? { '@context': docContext, ...ev } : ev;
    prepared.push({ index, eventId, legacyId: r.eventId ? null : legacyDerivedId(ev), hashId, document, read: r, lines, declaration });
  });
  if (errors.length) throw importInvalid(errors);

  return inTx(db, async (tx) => {
    const stored = await findStoredEvents(tx, prepared.flatMap((p) => (p.legacyId ? [p.eventId, p.legacyId] : [p.eventId])), prepared.map((p) => p.hashId));
    let imported = 0;
    let skipped = 0;
    let corrected = 0;
    const touched = new Set<string>();
    for (const p of prepared) {
      let rowId = stored.byEventId.get(p.eventId) ?? stored.byHash.get(p.hashId) ?? (p.legacyId ? stored.byEventId.get(p.legacyId) : undefined);
      if (!rowId) {
        // A declaration about an event not stored yet: the event is stored as it was (without the declaration).
        const { errorDeclaration: _d, ...original } = p.document;
        const row = await storeEvent(tx, writer, p.declaration ? original : p.document, p.read, p.eventId, p.lines, 'import', p.hashId);
        rowId = row.id;
        stored.byEventId.set(p.eventId, row.id);
        stored.byHash.set(p.hashId, row.id);
        imported++;
      } else if (!p.declaration) {
        skipped++;
      }
      for (const l of p.lines) touched.add(l.lotId);
      if (!p.declaration) continue;
      // Only who may write every lot of the stored event may declare it wrong.
      const targetLots = await repo.findEventLots(tx, [rowId]);
      const scopes = await repo.findLotScopes(tx, [...new Set(targetLots.map((l) => l.lot_id))]);
      const denied = scopes.find((s) => !mayWrite(s));
      if (denied) {
        throw importInvalid([{ index: p.index, eventId: p.eventId, path: `epcisBody.eventList.${p.index}.errorDeclaration`, message: `Bạn không có quyền đính chính sự kiện của lô ${denied.lot.lotNumber} (${denied.productName})` }]);
      }
      for (const s of scopes) touched.add(s.lot.id);
      const added = await insertCorrection(tx, {
        eventId: rowId, declarationTime: p.declaration.declarationTime, reason: p.declaration.reason, correctiveEventIds: p.declaration.correctiveEventIds,
        declaration: p.document, source: 'import', recordedBy: isActor(writer) ? writer.id : null,
      });
      if (added) corrected++;
      else skipped++;
    }
    return { result: { imported, skipped, corrected }, touched: [...touched] };
  }).then(({ result, touched }) => announced(touched)(result));
}
