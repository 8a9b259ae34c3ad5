import sharp from 'sharp';
import type { Db } from '../db/client.js';
import type { Storage } from '../modules/files/storage.js';
import { addPhoto } from '../modules/products/service.js';
import { gtinCheckDigit } from '../../shared/gs1.js';
import { declarePrefix } from '../modules/identifiers/service.js';
import { setProductGtin } from '../modules/products/service.js';
import { findUnitByKey } from '../modules/geo/repository.js';
import { createLot } from '../modules/lots/service.js';
import { recordEvent } from '../modules/lots/service.js';
import type { LotInput, TraceEventInput } from '../modules/lots/schema.js';
import { issueStamps, setRangeStatus } from '../modules/stamps/service.js';
import { createGrowingArea, createPackingHouse } from '../modules/trace/service.js';
import type { GrowingAreaInput, PackingHouseInput } from '../modules/trace/schema.js';
import { actorOfUser } from '../modules/users/service.js';
import { findUserByLogin } from '../modules/users/repository.js';

const SYSTEM = { system: 'demo-seed' };

/**
 * Demo GTINs: under the demo producers' GS1 company prefixes (893 = GS1 Vietnam, 8939990xx marked as demo data and
 * verified by the seed, as an officer would after seeing the membership certificate). 12-digit body → GTIN-13 with
 * its check digit.
 */
export const DEMO_PREFIXES = { hongXuan: '893999001', vaiVang: '893999002' } as const;
export function demoGtin(body12: string): string {
  const check = gtinCheckDigit(body12);
  if (!check.ok) throw new Error(check.message);
  return body12 + String(check.value);
}

/**
 * The lychee season of the demo: the last June that has passed when the demo is loaded, so no event is in the
 * future. Codes are marked DEMO: the real export growing-area codes of Lục Ngạn are not in our sources.
 */
export function demoSeasonYear(today: string): number {
  const y = Number(today.slice(0, 4));
  return today.slice(5) >= '07-01' ? y : y - 1;
}

/**
 * Traceability demo (#5), through the same services users call: HTX Hồng Xuân's growing areas and packing house,
 * a fresh-lychee lot harvested, inspected and shipped to Vải Vàng, which dries it into a lot of "Vải thiều sấy khô"
 * (a TransformationEvent) and packs it; QR stamps for both (Digital Link for lots with a GTIN, short codes for
 * the one without), and one range deactivated so the public page's warning can be seen.
 */
export async function loadDemoTrace(
  db: Db,
  publicBaseUrl: string,
  ctx: { productIds: Map<string, string>; producerIds: Map<string, string>; today: string; storage: Storage },
) {
  const year = demoSeasonYear(ctx.today);
  const chu = await findUnitByKey(db, 'bn-p-chu');
  if (!chu) throw new Error('demo seed: unit bn-p-chu missing');
  const [hxUser, vvUser] = await Promise.all([findUserByLogin(db, 'htx.hongxuan'), findUserByLogin(db, 'htx.vaivang')]);
  if (!hxUser || !vvUser) throw new Error('demo seed: producer accounts missing');
  const [hx, vv] = await Promise.all([actorOfUser(db, hxUser), actorOfUser(db, vvUser)]);
  const hxId = ctx.producerIds.get('hong-xuan')!;
  const vvId = ctx.producerIds.get('vai-vang')!;
  const freshProduct = ctx.productIds.get('vai-thieu-luc-ngan')!;
  const driedProduct = ctx.productIds.get('demo-vai-say-kho-vai-vang')!;

  const area = (over: Partial<GrowingAreaInput> & Pick<GrowingAreaInput, 'code' | 'areaHa' | 'households' | 'location'>): GrowingAreaInput => ({
    crop: 'Vải thiều', ownerProducerId: hxId, ownerName: null, unitId: chu.id, markets: ['cn', 'jp', 'us', 'domestic'],
    issuingAuthority: 'Cục Bảo vệ thực vật (dữ liệu mẫu)', issuedOn: `${year - 2}-04-20`, validTo: `${year + 1}-04-20`, gln: null, ...over,
  });
  const areas = [
    await createGrowingArea(db, SYSTEM, area({ code: 'DEMO-VT-HG-01', areaHa: 12.5, households: 18, location: { type: 'Point', coordinates: [106.5712, 21.3842] } })),
    await createGrowingArea(db, SYSTEM, area({
      code: 'DEMO-VT-HG-02', areaHa: 9.8, households: 11,
      location: { type: 'Polygon', coordinates: [[[106.5801, 21.3901], [106.5843, 21.3899], [106.5848, 21.3867], [106.5806, 21.3862], [106.5801, 21.3901]]] },
    })),
    await createGrowingArea(db, SYSTEM, area({ code: 'DEMO-VT-HG-03', areaHa: 6.2, households: 9, markets: ['cn', 'domestic'], location: { type: 'Point', coordinates: [106.5655, 21.3791] } })),
  ];
  const house = (over: Partial<PackingHouseInput> & Pick<PackingHouseInput, 'code' | 'name' | 'ownerProducerId'>): PackingHouseInput => ({
    ownerName: null, unitId: chu.id, markets: ['cn', 'jp', 'us'], issuingAuthority: 'Cục Bảo vệ thực vật (dữ liệu mẫu)',
    issuedOn: `${year - 1}-05-15`, validTo: `${year + 1}-05-15`, gln: null, ...over,
  });
  const hxHouse = await createPackingHouse(db, SYSTEM, house({ code: 'DEMO-DG-HX-01', name: 'Cơ sở đóng gói HTX Hồng Xuân', ownerProducerId: hxId }));
  const vvHouse = await createPackingHouse(db, SYSTEM, house({ code: 'DEMO-DG-VV-01', name: 'Xưởng sấy và đóng gói Vải Vàng', ownerProducerId: vvId, markets: ['domestic', 'eu'] }));

  const lot = (over: Partial<LotInput> & Pick<LotInput, 'productId' | 'lotNumber' | 'producedOn' | 'quantity'>): LotInput => ({
    gtin: null, quantityUnit: 'KGM', bestBefore: null, growingAreaIds: [], packingHouseId: null, notes: null, ...over,
  });
  const yy = String(year).slice(2);
  // A lot made before the product had a GTIN keeps none (its stamps use short codes); then the producers' GS1 company
  // prefixes (verified) and the products' GTINs, which later lots take.
  const local = await createLot(db, hx, lot({
    productId: freshProduct, lotNumber: `VT${yy}-0614-B`, producedOn: `${year}-06-14`, quantity: 1800, bestBefore: `${year}-06-28`,
    growingAreaIds: [areas[2].id], packingHouseId: hxHouse.id, notes: 'Lô bán trong nước, ghi trước khi sản phẩm có GTIN: tem mã ngắn',
  }));
  await declarePrefix(db, SYSTEM, hxId, { prefix: DEMO_PREFIXES.hongXuan, evidenceId: null, note: 'Mã doanh nghiệp GS1 mẫu (dữ liệu mẫu)' });
  await declarePrefix(db, SYSTEM, vvId, { prefix: DEMO_PREFIXES.vaiVang, evidenceId: null, note: 'Mã doanh nghiệp GS1 mẫu (dữ liệu mẫu)' });
  await setProductGtin(db, SYSTEM, freshProduct, demoGtin(`${DEMO_PREFIXES.hongXuan}101`));
  await setProductGtin(db, SYSTEM, driedProduct, demoGtin(`${DEMO_PREFIXES.vaiVang}102`));
  const fresh = await createLot(db, hx, lot({
    productId: freshProduct, lotNumber: `VT${yy}-0612-A`, producedOn: `${year}-06-12`, quantity: 2400,
    bestBefore: `${year}-06-26`, growingAreaIds: [areas[0].id, areas[1].id], packingHouseId: hxHouse.id,
    notes: 'Vải thiều chín chính vụ, hái sáng sớm (dữ liệu mẫu)',
  }));
  const dried = await createLot(db, vv, lot({
    productId: driedProduct, lotNumber: `VS${yy}-0620`, producedOn: `${year}-06-20`, quantity: 600,
    bestBefore: `${year + 1}-06-20`, packingHouseId: vvHouse.id,
  }));

  const base = { publicBaseUrl };
  const at = (md: string, hm: string) => `${year}-${md}T${hm}:00+07:00`;
  const events: [typeof hx | typeof SYSTEM, TraceEventInput][] = [
    [hx, { kind: 'harvest', lotId: fresh.id, eventTime: at('06-12', '05:30'), note: 'Thu hoạch tại 2 vùng trồng đã cấp mã' }],
    [SYSTEM, { kind: 'inspection', lotId: fresh.id, eventTime: at('06-12', '10:15'), result: 'conformant', inspector: 'Trạm Trồng trọt và Bảo vệ thực vật (dữ liệu mẫu)', note: 'Kiểm tra dư lượng thuốc BVTV: đạt' }],
    [hx, { kind: 'harvest', lotId: local.id, eventTime: at('06-14', '05:45') }],
    [hx, { kind: 'shipping', lotId: fresh.id, quantity: 2400, eventTime: at('06-13', '06:00'), transaction: { type: 'desadv', id: `DEMO-PX-${yy}0613-01` }, source: 'HTX Hồng Xuân', destination: 'Công ty TNHH Chế biến nông sản Vải Vàng Lục Ngạn' }],
    [SYSTEM, { kind: 'receiving', lotId: fresh.id, quantity: 2400, eventTime: at('06-13', '09:20'), transaction: { type: 'desadv', id: `DEMO-PX-${yy}0613-01` }, source: 'HTX Hồng Xuân', destination: 'Xưởng sấy Vải Vàng' }],
    [SYSTEM, { kind: 'processing', inputs: [{ lotId: fresh.id, quantity: 2400, uom: 'KGM' }], outputLotId: dried.id, eventTime: at('06-20', '16:00'), packingHouseId: vvHouse.id, note: 'Sấy lạnh 72 giờ, 4 kg tươi cho 1 kg khô' }],
    [vv, { kind: 'packing', lotId: dried.id, parentId: `DEMO-THUNG-${yy}0621-01`, quantity: 600, eventTime: at('06-21', '08:30'), packingHouseId: vvHouse.id }],
    [vv, { kind: 'shipping', lotId: dried.id, quantity: 300, eventTime: at('06-25', '07:00'), transaction: { type: 'inv', id: `DEMO-HD-${yy}0625-07` }, source: 'Xưởng sấy Vải Vàng', destination: 'Cửa hàng OCOP Bắc Ninh (dữ liệu mẫu)' }],
  ];
  for (const [writer, e] of events) await recordEvent(db, writer, e, base);

  // Stamps need a product photo (the scan page shows it): a plain picture of the demo's colour for each product.
  const picture = (color: string) => sharp({ create: { width: 640, height: 480, channels: 3, background: color } }).jpeg().toBuffer();
  await addPhoto(db, ctx.storage, hx, freshProduct, await picture('#c0392b'), 'Ảnh sản phẩm (dữ liệu mẫu)');
  await addPhoto(db, ctx.storage, vv, driedProduct, await picture('#8e5a2b'), 'Ảnh sản phẩm (dữ liệu mẫu)');

  await issueStamps(db, base, vv, dried.id, 200);
  await issueStamps(db, base, hx, fresh.id, 100);
  await issueStamps(db, base, hx, local.id, 50);
  const misprint = await issueStamps(db, base, vv, dried.id, 20);
  await setRangeStatus(db, base, vv, misprint.id, { status: 'inactive', reason: 'In lỗi, cả cuộn tem đã huỷ (dữ liệu mẫu)' });
}
