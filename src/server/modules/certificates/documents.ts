/**
 * The printable certificate (A4 landscape, Vietnamese) with a QR code to its public verification page.
 * Pure renderer: every value comes in already decided by the service. Noto Sans is embedded (subset) from
 * assets/fonts, so every Vietnamese letter renders; pdfkit and qrcode load on first use.
 */
import { fileURLToPath } from 'node:url';
import { formatViDate } from '../../../shared/certificate-dates.js';

export interface CertificatePdfData {
  number: string;
  productName: string;
  producerName: string;
  star: number;
  score: number | null;
  decisionNumber: string;
  decisionDate: string;
  issuingAuthority: string;
  issuingUnitName: string;
  expiresOn: string;
  criteriaSetCode: string | null;
  procedureCode: string | null;
  isLegacy: boolean;
  verifyUrl: string;
  /** A revoked certificate is stamped "ĐÃ THU HỒI". */
  revoked: { on: string; reason: string } | null;
  /** Issued from a round scored on a demo criteria set: printed as demo, without recognition value. */
  fromDemoCriteria?: boolean;
}

type Doc = PDFKit.PDFDocument;
const FONTS = {
  R: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Regular.ttf', import.meta.url)),
  B: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Bold.ttf', import.meta.url)),
  I: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Italic.ttf', import.meta.url)),
};
const INK = '#1a1a1a';
const ACCENT = '#8a1c1c';
const GOLD = '#c9a227';
const MUTED = '#555555';
const STAMP = '#c62828';

const font = (doc: Doc, k: keyof typeof FONTS, size: number) => doc.font(FONTS[k]).fontSize(size);

/** Decimal comma, two places: 85.5 → "85,50". */
const fmtScore = (n: number) => n.toFixed(2).replace('.', ',');

/** "ngày 05 tháng 06 năm 2025". */
function longDate(iso: string) {
  const [y, m, d] = iso.split('-');
  return `ngày ${d} tháng ${m} năm ${y}`;
}

/** A five-pointed star centred on (cx, cy). */
function star(doc: Doc, cx: number, cy: number, r: number, filled: boolean) {
  const pts: [number, number][] = [];
  for (let i = 0; i < 10; i++) {
    const rad = i % 2 === 0 ? r : r * 0.42;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    pts.push([cx + rad * Math.cos(a), cy + rad * Math.sin(a)]);
  }
  doc.save().polygon(...pts).lineWidth(1.2);
  if (filled) doc.fillAndStroke(GOLD, '#a8841a');
  else doc.strokeColor('#bbbbbb').stroke();
  doc.restore();
}

/** Largest size ≤ max at which the text fits in `lines` lines of `width`. */
function fitSize(doc: Doc, text: string, fontKey: keyof typeof FONTS, max: number, min: number, width: number, lines: number) {
  for (let s = max; s > min; s -= 1) {
    font(doc, fontKey, s);
    if (doc.heightOfString(text, { width }) <= s * 1.45 * lines) return s;
  }
  return min;
}

function centred(doc: Doc, text: string, y: number, k: keyof typeof FONTS, size: number, color = INK, opts: { x?: number; width?: number } = {}) {
  const x = opts.x ?? 60;
  const width = opts.width ?? doc.page.width - 120;
  font(doc, k, size).fillColor(color).text(text, x, y, { width, align: 'center' });
  return doc.y;
}

export async function buildCertificatePdf(d: CertificatePdfData): Promise<Buffer> {
  const [{ default: PDFDocument }, { default: QRCode }] = await Promise.all([import('pdfkit'), import('qrcode')]);
  const qr = await QRCode.toBuffer(d.verifyUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 300 });
  const created = new Date(`${d.decisionDate}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4', layout: 'landscape', margin: 0, font: FONTS.R, lang: 'vi-VN', displayTitle: true,
    info: { Title: `Giấy chứng nhận sản phẩm OCOP số ${d.number}`, Author: d.issuingAuthority, Subject: d.productName, Creator: 'OCOP Hub', Producer: 'OCOP Hub (pdfkit)', CreationDate: created, ModDate: created },
  });
  const chunks: Uint8Array[] = [];
  doc.on('data', (c: Uint8Array) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => { doc.on('end', () => resolve(Buffer.concat(chunks))); doc.on('error', reject); });

  const W = doc.page.width;
  const H = doc.page.height;
  // Frame: a thick outer border and a thin inner one.
  doc.lineWidth(6).strokeColor(ACCENT).rect(18, 18, W - 36, H - 36).stroke();
  doc.lineWidth(1.2).strokeColor(GOLD).rect(30, 30, W - 60, H - 60).stroke();

  // Header: the issuing authority on the left, the national motto on the right (the layout of official documents).
  const colW = (W - 120) / 2;
  font(doc, 'B', 11).fillColor(INK).text(d.issuingAuthority.toLocaleUpperCase('vi'), 60, 50, { width: colW - 20, align: 'center' });
  const authBottom = doc.y;
  const aw = Math.min(doc.widthOfString(d.issuingAuthority.toLocaleUpperCase('vi')), colW - 20) * 0.5;
  doc.moveTo(60 + (colW - 20) / 2 - aw / 2, authBottom + 2).lineTo(60 + (colW - 20) / 2 + aw / 2, authBottom + 2).lineWidth(0.7).strokeColor(INK).stroke();
  font(doc, 'B', 11.5).text('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', 60 + colW, 50, { width: colW, align: 'center' });
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  font(doc, 'B', 11.5).text(motto, 60 + colW, doc.y, { width: colW, align: 'center' });
  const mw = doc.widthOfString(motto);
  const my = doc.y + 1;
  doc.moveTo(60 + colW + (colW - mw) / 2, my).lineTo(60 + colW + (colW + mw) / 2, my).lineWidth(0.8).strokeColor(INK).stroke();

  // Title.
  let y = 118;
  y = centred(doc, 'GIẤY CHỨNG NHẬN SẢN PHẨM OCOP', y, 'B', 26, ACCENT);
  y = centred(doc, 'Chương trình Mỗi xã một sản phẩm', y + 1, 'I', 11, MUTED);
  y = centred(doc, `Số: ${d.number}`, y + 4, 'B', 11.5, INK);

  // Product, producer, stars.
  y += 12;
  y = centred(doc, 'Chứng nhận sản phẩm', y, 'R', 12, MUTED);
  const nameWidth = W - 200;
  const nameSize = fitSize(doc, d.productName, 'B', 24, 12, nameWidth, 2);
  y = centred(doc, d.productName, y + 2, 'B', nameSize, INK, { x: 100, width: nameWidth });
  y = centred(doc, `Chủ thể sản xuất: ${d.producerName}`, y + 4, 'R', 13, INK, { x: 100, width: nameWidth });
  y += 12;
  const r = 13;
  const gap = 34;
  const x0 = W / 2 - 2 * gap;
  for (let i = 0; i < 5; i++) star(doc, x0 + i * gap, y + r, r, i < d.star);
  y += 2 * r + 8;
  const rank = `Đạt hạng ${d.star} sao${d.score !== null ? ` — ${fmtScore(d.score)}/100 điểm` : ''}`;
  y = centred(doc, rank, y, 'B', 14, ACCENT);

  // Decision and validity.
  y += 8;
  y = centred(doc, `Theo Quyết định số ${d.decisionNumber} ${longDate(d.decisionDate)} của ${d.issuingAuthority}`, y, 'R', 11.5, INK, { x: 100, width: nameWidth });
  y = centred(doc, `Có giá trị từ ngày ${formatViDate(d.decisionDate)} đến ngày ${formatViDate(d.expiresOn)}`, y + 3, 'B', 12, INK);
  const versions = [d.criteriaSetCode ? `bộ tiêu chí ${d.criteriaSetCode}` : null, d.procedureCode ? `quy trình ${d.procedureCode}` : null].filter(Boolean).join(', ');
  if (versions) centred(doc, `Đánh giá theo ${versions}`, y + 2, 'I', 9.5, MUTED);

  // QR code and verification address (bottom left).
  const qrSize = 92;
  const qx = 58;
  const qy = H - 58 - qrSize - 22;
  doc.image(qr, qx, qy, { width: qrSize, height: qrSize });
  font(doc, 'R', 8).fillColor(MUTED).text('Quét mã để xác thực giấy chứng nhận', qx - 4, qy + qrSize + 3, { width: 200 });
  font(doc, 'R', 7).text(d.verifyUrl, qx - 4, doc.y + 1, { width: 240 });

  // Place, date and signature block (bottom right).
  const sx = W - 60 - 300;
  const sy = H - 58 - 92;
  font(doc, 'I', 11).fillColor(INK).text(`${d.issuingUnitName.charAt(0).toLocaleUpperCase('vi')}${d.issuingUnitName.slice(1)}, ${longDate(d.decisionDate)}`, sx, sy, { width: 300, align: 'center' });
  font(doc, 'B', 11.5).text(`TM. ${d.issuingAuthority.toLocaleUpperCase('vi')}`, sx, doc.y + 2, { width: 300, align: 'center' });
  font(doc, 'I', 9).fillColor(MUTED).text('(Ký, ghi rõ họ tên, đóng dấu)', sx, doc.y, { width: 300, align: 'center' });
  if (d.isLegacy) font(doc, 'I', 8).fillColor(MUTED).text('Bản in từ giấy chứng nhận đã cấp trên giấy, lưu trong hệ thống OCOP Hub', sx, H - 58 - 12, { width: 300, align: 'center' });

  if (d.fromDemoCriteria) {
    font(doc, 'B', 10).fillColor(STAMP).text('DỮ LIỆU MẪU (DEMO) — cấp từ bộ tiêu chí mẫu để thử nghiệm, không có giá trị công nhận', 60, d.revoked ? 50 : 36, { width: W - 120, align: 'center', lineBreak: false, ellipsis: true, height: 13 });
  }
  if (d.revoked) {
    // A plain line (readable by text tools and screen readers), then the stamp: big, red, rotated, over everything.
    font(doc, 'B', 10).fillColor(STAMP).text(`GIẤY CHỨNG NHẬN ĐÃ THU HỒI ngày ${formatViDate(d.revoked.on)} — ${d.revoked.reason}`, 60, 36, { width: W - 120, align: 'center', lineBreak: false, ellipsis: true, height: 13 });
    const text = 'ĐÃ THU HỒI';
    doc.save();
    doc.rotate(-18, { origin: [W / 2, H / 2] });
    doc.opacity(0.82);
    font(doc, 'B', 64);
    const tw = doc.widthOfString(text);
    const bw = tw + 48;
    const bh = 132;
    const bx = W / 2 - bw / 2;
    const by = H / 2 - bh / 2;
    doc.lineWidth(5).strokeColor(STAMP).roundedRect(bx, by, bw, bh, 10).stroke();
    doc.lineWidth(1.5).roundedRect(bx + 7, by + 7, bw - 14, bh - 14, 7).stroke();
    doc.fillColor(STAMP).text(text, bx, by + 14, { width: bw, align: 'center', lineBreak: false });
    font(doc, 'B', 13).fillColor(STAMP).text(`ngày ${formatViDate(d.revoked.on)} — ${d.revoked.reason}`, bx + 14, by + 96, { width: bw - 28, align: 'center', lineBreak: false, ellipsis: true, height: 18 });
    doc.restore();
  }
  doc.end();
  return done;
}
