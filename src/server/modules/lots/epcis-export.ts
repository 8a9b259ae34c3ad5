import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { certificationUri, partyUri, placeUri, type LotIlmd, type Place, type SourceDest } from '../../../shared/epcis.js';
import { certificateNumbersInForce } from '../certificates/service.js';
import { findParty } from '../parties/service.js';
import { getProduct } from '../products/service.js';

/**
 * The facts an EPCIS event of the platform carries besides its lots (issue #14): where it happened (readPoint,
 * bizLocation: the growing area, the packing house, a GLN when the place has one), who owns and holds the goods
 * (sourceList/destinationList: owning_party, possessing_party, location), the certificates in force on the event
 * date (certificationInfo: the OCOP certificate's public page /xac-thuc/<number>, VietGAP/GlobalGAP/organic
 * certifications of the product) and the ILMD of a lot that starts here.
 */

/** Standards worth naming on an event (production practice and organic); HACCP, ISO … describe the factory. */
const EVENT_STANDARDS = new Set(['vietgap', 'globalgap', 'organic']);

type PlaceRow = { id: string; code: string; gln?: string | null };

/** A place's URI: its GLN as a GS1 Digital Link when it has one (the column may not exist yet), else our code URI. */
export function placeOf(kind: 'growing_area' | 'packing_house', row: PlaceRow): Place {
  const gln = typeof row.gln === 'string' && /^\d{13}$/.test(row.gln) ? row.gln : null;
  return gln ? { kind: 'uri', uri: `https://id.gs1.org/414/${gln}` } : { kind, code: row.code };
}

/** Growing area or packing house rows by id, with every column (a GLN column is read when present). */
export async function findPlace(db: Db, kind: 'growing_area' | 'packing_house', id: string): Promise<Place | null> {
  const r = kind === 'growing_area'
    ? await db.execute(sql`select * from growing_areas where id = ${id}`)
    : await db.execute(sql`select * from packing_houses where id = ${id}`);
  const row = rowsOf<PlaceRow>(r)[0];
  return row ? placeOf(kind, row) : null;
}

/** The producer as a party: its GLN (party GLN, AI 417) when it has one, else the platform's party URN with its name. */
export async function producerParty(db: Db, producerId: string): Promise<string> {
  const row = rowsOf<{ legal_name: string; gln?: string | null }>(await db.execute(sql`select * from producers where id = ${producerId}`))[0];
  if (!row) return partyUri(producerId);
  if (typeof row.gln === 'string' && /^\d{13}$/.test(row.gln)) return `https://id.gs1.org/417/${row.gln}`;
  return partyUri(row.legal_name);
}

/** A trading partner (parties module) as a party URI: its GLN (AI 417) when it has one, else our URN with its name. */
const partnerUri = (p: { name: string; gln: string | null }) =>
  (p.gln && /^\d{13}$/.test(p.gln) ? `https://id.gs1.org/417/${p.gln}` : partyUri(p.name));

/** Owning and possessing party plus the place, on the side the goods leave or arrive at. */
function sideOf(base: string, party: string, place: Place | null): SourceDest[] {
  const out: SourceDest[] = [{ type: 'owning_party', uri: party }, { type: 'possessing_party', uri: party }];
  if (place) out.push({ type: 'location', uri: placeUri(base, place) });
  return out;
}

/** Owning and possessing party (the producer) plus the place, on the side the goods leave or arrive at. */
export async function partiesAt(db: Db, base: string, producerId: string, place: Place | null): Promise<SourceDest[]> {
  return sideOf(base, await producerParty(db, producerId), place);
}

/** A receiving partner the event may not name (unknown, or not the lot's producer's). */
export class PartyRefused extends Error {}

/** The partner that receives the goods: one of the lot's producer's own trading partners. */
async function receiverOf(db: Db, partyId: string, producerId: string): Promise<string> {
  const p = await findParty(db, partyId);
  if (!p) throw new PartyRefused('Đối tác không tồn tại');
  if (p.producerId !== producerId) throw new PartyRefused('Đối tác không thuộc danh sách đối tác của chủ thể sản xuất lô này');
  return partnerUri(p);
}

/**
 * certificationInfo for an event on `day` (Vietnam date) about lots of these products: the public page of every
 * OCOP certificate in force that day, then the product's VietGAP/GlobalGAP/organic certifications valid that day.
 */
export async function certificationsOn(db: Db, base: string, productIds: string[], day: string): Promise<string[]> {
  const out: string[] = [];
  const b = base.replace(/\/+$/, '');
  for (const productId of [...new Set(productIds)]) {
    for (const n of await certificateNumbersInForce(db, productId, day)) out.push(`${b}/xac-thuc/${encodeURIComponent(n)}`);
    const product = await getProduct(db, productId);
    for (const c of product.certifications) {
      if (!EVENT_STANDARDS.has(c.type) || !c.number) continue;
      if ((c.validFrom && c.validFrom > day) || (c.validTo && c.validTo < day)) continue;
      out.push(certificationUri(c.type, c.number));
    }
  }
  return [...new Set(out)];
}

/** ILMD of a lot that starts with this event (dates it has; no expiry date is kept apart from best-before). */
export function lotIlmd(lot: { producedOn: string; bestBefore: string | null }): LotIlmd {
  return { productionDate: lot.producedOn, bestBeforeDate: lot.bestBefore, itemExpirationDate: null };
}

type Lotish = { id: string; productId: string; producerId: string; producedOn: string; bestBefore: string | null; packingHouseId: string | null };
type PlaceInput = { packingHouseId?: string | null; growingAreaId?: string | null; toPartyId?: string | null };

export class PlaceNotFound extends Error {
  constructor(readonly path: 'packingHouseId' | 'growingAreaId') {
    super(path === 'packingHouseId' ? 'Cơ sở đóng gói không tồn tại' : 'Vùng trồng không tồn tại');
  }
}

/** Where a shipping, receiving or inspection happened: the place given, else the lot's packing house, else its first growing area. */
async function placeOfMove(db: Db, input: PlaceInput, lot: Lotish): Promise<Place | null> {
  if (input.packingHouseId) {
    const p = await findPlace(db, 'packing_house', input.packingHouseId);
    if (!p) throw new PlaceNotFound('packingHouseId');
    return p;
  }
  if (input.growingAreaId) {
    const p = await findPlace(db, 'growing_area', input.growingAreaId);
    if (!p) throw new PlaceNotFound('growingAreaId');
    return p;
  }
  if (lot.packingHouseId) return findPlace(db, 'packing_house', lot.packingHouseId);
  const area = rowsOf<{ growing_area_id: string }>(await db.execute(sql`select lga.growing_area_id from lot_growing_areas lga
    join growing_areas ga on ga.id = lga.growing_area_id where lga.lot_id = ${lot.id} order by ga.code limit 1`))[0];
  return area ? findPlace(db, 'growing_area', area.growing_area_id) : null;
}

type Kind = 'harvest' | 'processing' | 'packing' | 'shipping' | 'receiving' | 'inspection';

/**
 * Adds the facts above to a platform event built from a form (`e` as shared/epcis.ts builds it, with its readPoint
 * place for harvest, processing and packing). `subject` is the lot the event is about (the output of a processing).
 */
export async function addEventFacts(
  db: Db, base: string, e: import('../../../shared/epcis.js').PlatformEvent, kind: Kind, subject: Lotish, placeInput: PlaceInput,
): Promise<void> {
  const day = e.eventTime.slice(0, 10);
  switch (kind) {
    case 'harvest':
      e.bizLocation = e.place;
      if (e.ilmd) e.ilmd.productionDate = subject.producedOn;
      e.certificationInfo = await certificationsOn(db, base, [subject.productId], day);
      break;
    case 'processing':
    case 'packing':
      if (!e.place && subject.packingHouseId) e.place = await findPlace(db, 'packing_house', subject.packingHouseId);
      e.bizLocation = e.place;
      e.certificationInfo = await certificationsOn(db, base, [subject.productId], day);
      if (kind === 'processing') e.outputIlmd = lotIlmd(subject);
      break;
    case 'shipping': {
      // From the producer (and the place the goods leave) to the receiving partner, when one is named.
      e.place = await placeOfMove(db, placeInput, subject);
      e.sources = await partiesAt(db, base, subject.producerId, e.place);
      if (placeInput.toPartyId) e.destinations = sideOf(base, await receiverOf(db, placeInput.toPartyId, subject.producerId), null);
      break;
    }
    case 'receiving': {
      if (placeInput.toPartyId) {
        // A partner took delivery: the goods came from the producer and are now the partner's; the place is the one
        // given (the lot's own packing house is not where a buyer receives).
        const receiver = await receiverOf(db, placeInput.toPartyId, subject.producerId);
        e.place = placeInput.packingHouseId || placeInput.growingAreaId ? await placeOfMove(db, placeInput, subject) : null;
        e.bizLocation = e.place;
        e.sources = await partiesAt(db, base, subject.producerId, null);
        e.destinations = sideOf(base, receiver, e.place);
      } else {
        // The producer received its own goods (at its packing house or growing area).
        e.place = await placeOfMove(db, placeInput, subject);
        e.bizLocation = e.place;
        e.destinations = await partiesAt(db, base, subject.producerId, e.place);
      }
      break;
    }
    case 'inspection':
      e.place = await placeOfMove(db, placeInput, subject);
      e.bizLocation = e.place;
      break;
  }
}
