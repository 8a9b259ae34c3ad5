import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import type { Db } from '../db/client.js';
import type { CriteriaNode, CriteriaSheetDoc } from '../../shared/criteria.js';
import type { EvidenceType } from '../../shared/dossier.js';
import { attachEvidence, createDossier, getDossier, submitDossier, updateDossierDraft } from '../modules/dossiers/service.js';
import { getSelfAssessment, saveSelfAssessment } from '../modules/evaluation/service.js';
import { createEvidence } from '../modules/evidence/service.js';
import type { Storage } from '../modules/files/storage.js';
import { createProduct, getProductRow } from '../modules/products/service.js';
import { getNodeByCode } from '../modules/taxonomy/service.js';
import { actorOfUser } from '../modules/users/service.js';
import { findUserByLogin } from '../modules/users/repository.js';

const SYSTEM = { system: 'demo-seed' };
const FONT_REGULAR = fileURLToPath(new URL('../../../assets/fonts/NotoSans-Regular.ttf', import.meta.url));

/** A one-page PDF that says plainly it is demo content (the locker needs real files; these are not real documents). */
function demoPdf(title: string, lines: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title, Creator: 'OCOP Hub demo' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font(FONT_REGULAR).fontSize(10).fillColor('#b00').text('TÀI LIỆU MẪU (DEMO) — không phải văn bản thật', { align: 'right' });
    doc.moveDown(2).fillColor('#000').fontSize(16).text(title, { align: 'center' });
    doc.moveDown().fontSize(11);
    for (const l of lines) doc.text(l).moveDown(0.4);
    doc.end();
  });
}

const demoPhoto = (color: string) => sharp({ create: { width: 640, height: 480, channels: 3, background: color } }).png().toBuffer();

interface DemoDoc { type: EvidenceType; title: string; issuer?: string; number?: string; issuedOn?: string; expiresOn?: string; certificationType?: 'vietgap' }

async function fillLocker(db: Db, storage: Storage, producerId: string, producerName: string, docs: DemoDoc[]) {
  const ids = new Map<string, string>();
  for (const d of docs) {
    const file = d.type === 'photo'
      ? { fileName: `${d.title}.png`, data: await demoPhoto('#c0392b') }
      : { fileName: `${d.title}.pdf`, data: await demoPdf(d.title, [producerName, d.issuer ? `Nơi cấp: ${d.issuer}` : '', d.number ? `Số: ${d.number}` : ''].filter(Boolean)) };
    const ev = await createEvidence(db, storage, SYSTEM, producerId, {
      type: d.type, certificationType: d.certificationType ?? null, title: d.title, issuer: d.issuer ?? null, number: d.number ?? null,
      issuedOn: d.issuedOn ?? null, expiresOn: d.expiresOn ?? null,
    }, file);
    ids.set(`${d.type}:${d.title}`, ev.id);
  }
  return ids;
}

/** A plausible self-assessment: the second-best option of every criterion (not a perfect 100). */
function secondBest(doc: CriteriaSheetDoc) {
  const answers: Record<string, number> = {};
  const walk = (n: CriteriaNode) => {
    if (n.children?.length) n.children.forEach(walk);
    else if (n.options?.length) {
      const byPoints = n.options.map((o, i) => ({ i, p: o.points })).sort((a, b) => b.p - a.p);
      answers[n.code] = (byPoints[1] ?? byPoints[0]).i;
    }
  };
  doc.parts.forEach(walk);
  return answers;
}

/**
 * Dossiers in the demo, made through the same services producers and officers use:
 * - HTX Hồng Xuân (login htx.hongxuan): a locker of seven documents (one food-safety report expired) and a draft
 *   first-evaluation dossier for a new product, so the producer sees what is still missing;
 * - HTX Vải Vàng (login htx.vaivang): a re-evaluation dossier for its certificate that expires soon, submitted and
 *   waiting for phường Chũ's intake (xa.chu sees it in the list and in the notifications centre).
 */
export async function loadDemoDossiers(db: Db, storage: Storage, ctx: { productIds: Map<string, string>; producerIds: Map<string, string> }) {
  const hxUser = await findUserByLogin(db, 'htx.hongxuan');
  const vvUser = await findUserByLogin(db, 'htx.vaivang');
  if (!hxUser || !vvUser) throw new Error('demo seed: producer accounts missing');
  const hx = await actorOfUser(db, hxUser);
  const vv = await actorOfUser(db, vvUser);

  // Hồng Xuân: locker + a new product with a draft dossier.
  const hxLocker = await fillLocker(db, storage, hx.producerId!, 'HTX Hồng Xuân', [
    { type: 'business_registration', title: 'Giấy chứng nhận đăng ký hợp tác xã', issuer: 'Phòng Tài chính - Kế hoạch huyện Lục Ngạn', number: 'DEMO-2001', issuedOn: '2019-03-12' },
    { type: 'quality_declaration', title: 'Tiêu chuẩn cơ sở và bản tự công bố vải sấy', issuer: 'HTX Hồng Xuân', number: 'DEMO-TCCS-01', issuedOn: '2025-05-20' },
    { type: 'food_safety_test', title: 'Phiếu kiểm nghiệm vải sấy 2024', issuer: 'Trung tâm Kiểm nghiệm Bắc Giang', number: 'DEMO-KN-2024-118', issuedOn: '2024-09-30', expiresOn: '2025-09-30' },
    { type: 'certification', certificationType: 'vietgap', title: 'Chứng nhận VietGAP vùng vải Hồng Giang', issuer: 'Tổ chức chứng nhận (demo)', number: 'DEMO-VG-0456', issuedOn: '2024-03-31', expiresOn: '2027-03-31' },
    { type: 'trademark', title: 'Chỉ dẫn địa lý "Lục Ngạn" cho vải thiều (số 00015)', issuer: 'Cục Sở hữu trí tuệ', number: '00015', issuedOn: '2008-08-08' },
    { type: 'product_story', title: 'Câu chuyện sản phẩm vải sấy Hồng Xuân', issuer: 'HTX Hồng Xuân' },
    { type: 'photo', title: 'Ảnh bao bì vải sấy' },
  ]);
  const lychee = await getProductRow(db, ctx.productIds.get('vai-thieu-luc-ngan')!);
  const node = await getNodeByCode(db, '148', 'I.3.c');
  const dried = await createProduct(db, SYSTEM, {
    producerId: hx.producerId!, name: 'Vải thiều sấy khô Hồng Xuân', taxonomyNodeId: node!.id, registeredUnitId: lychee.registeredUnitId,
    processingLevel: 'processed', brand: 'Hồng Xuân', description: 'Vải thiều Lục Ngạn sấy nguyên quả (sản phẩm demo).', story: null,
    rawMaterialArea: 'Vùng vải VietGAP Hồng Giang', keyProduct: false, isDemo: true, sources: [], certifications: [], channels: [],
  });
  const draft = await createDossier(db, hx, { productId: dried.id, kind: 'first', targetStar: 3 });
  await updateDossierDraft(db, hx, draft.id, {
    version: draft.version, targetStar: 3, sample: null,
    form: { productionCapacity: '15 tấn vải tươi/vụ', annualOutput: '3 tấn vải sấy', markets: 'Bắc Ninh, Hà Nội; sàn thương mại điện tử', rawMaterialSource: 'Vải thiều của xã viên, vùng VietGAP', workers: 18, localWorkers: 16, contactPerson: 'Đại diện HTX Hồng Xuân' },
  });
  for (const [key, id] of hxLocker) {
    if (key.startsWith('business_registration') || key.startsWith('quality_declaration') || key.startsWith('food_safety_test') || key.startsWith('product_story') || key.startsWith('photo')) {
      await attachEvidence(db, hx, draft.id, id);
    }
  }

  // Vải Vàng: complete re-evaluation dossier, submitted to the commune.
  const vvLocker = await fillLocker(db, storage, vv.producerId!, 'HTX Vải Vàng (demo)', [
    { type: 'business_registration', title: 'Giấy chứng nhận đăng ký hợp tác xã Vải Vàng', issuer: 'Phòng Tài chính - Kế hoạch huyện Lục Ngạn', number: 'DEMO-2002', issuedOn: '2018-06-01' },
    { type: 'quality_declaration', title: 'Bản tự công bố sản phẩm vải sấy khô', issuer: 'HTX Vải Vàng', number: 'DEMO-TCB-07', issuedOn: '2025-11-02' },
    { type: 'food_safety_test', title: 'Phiếu kiểm nghiệm vải sấy khô 2026', issuer: 'Trung tâm Kiểm nghiệm (demo)', number: 'DEMO-KN-2026-044', issuedOn: '2026-08-15', expiresOn: '2027-08-15' },
    { type: 'product_story', title: 'Câu chuyện vải sấy Vải Vàng', issuer: 'HTX Vải Vàng' },
    { type: 'photo', title: 'Ảnh sản phẩm vải sấy khô' },
    { type: 'three_year_report', title: 'Báo cáo tình hình sản xuất, kinh doanh 3 năm 2024–2026', issuer: 'HTX Vải Vàng' },
  ]);
  const reProduct = ctx.productIds.get('demo-vai-say-kho-vai-vang')!;
  const re = await createDossier(db, vv, { productId: reProduct, kind: 'reevaluation', targetStar: null });
  for (const id of vvLocker.values()) await attachEvidence(db, vv, re.id, id);
  const current = await getSelfAssessment(db, vv, reProduct);
  await saveSelfAssessment(db, vv, reProduct, { answers: secondBest(current.sheet.doc), notes: {} });
  const filled = await updateDossierDraft(db, vv, re.id, {
    version: (await getDossier(db, vv, re.id)).version,
    targetStar: 4, sample: { quantity: 5, unit: 'hộp 500 g', description: 'Vải sấy khô nguyên quả, lô tháng 7/2026', deliveredOn: null },
    form: { productionCapacity: '40 tấn vải tươi/vụ', annualOutput: '8 tấn vải sấy', markets: 'Siêu thị, cửa hàng OCOP, sàn thương mại điện tử', workers: 25, localWorkers: 23 },
  });
  await submitDossier(db, vv, filled.id, 'Đề nghị đánh giá lại trước khi giấy chứng nhận hết hạn');
}
