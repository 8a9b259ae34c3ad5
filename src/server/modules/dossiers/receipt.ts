/**
 * The printable receipt of an accepted dossier (giấy tiếp nhận hồ sơ, A4 portrait, Vietnamese): the receiving unit,
 * the dossier's reference, who filed it, the product, every document received and the sample, when and by whom it
 * was accepted. Pure renderer: the route passes values already decided. Noto Sans is embedded (subset), as for the
 * certificate; pdfkit loads on first use.
 */
import { fileURLToPath } from 'node:url';
import { formatViDate } from '../../../shared/certificate-dates.js';

export interface DossierReceiptData {
  /** The dossier's short reference (what the producer quotes on the phone). */
  reference: string;
  receivingUnit: string;
  producerName: string;
  producerAddress: string | null;
  producerPhone: string | null;
  productName: string;
  kindLabel: string;
  procedure: string;
  targetStar: number | null;
  documents: { label: string; title: string; expiresOn: string | null }[];
  sample: { quantity: number; unit: string; deliveredOn: string | null } | null;
  /** Vietnam date and time of acceptance, and the officer. */
  acceptedOn: string;
  acceptedAt: string;
  acceptedBy: string;
}

const FONTS = {
  R: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Regular.ttf', import.meta.url)),
  B: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Bold.ttf', import.meta.url)),
  I: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Italic.ttf', import.meta.url)),
};

export async function buildDossierReceiptPdf(d: DossierReceiptData): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4', margins: { top: 50, bottom: 50, left: 60, right: 55 }, font: FONTS.R, lang: 'vi-VN', displayTitle: true,
    info: { Title: `Giấy tiếp nhận hồ sơ OCOP ${d.reference}`, Author: d.receivingUnit, Subject: d.productName, Creator: 'OCOP Hub' },
  });
  const chunks: Uint8Array[] = [];
  doc.on('data', (c: Uint8Array) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => { doc.on('end', () => resolve(Buffer.concat(chunks))); doc.on('error', reject); });
  const f = (k: keyof typeof FONTS, size: number) => doc.font(FONTS[k]).fontSize(size).fillColor('#1a1a1a');
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const col = width / 2;

  // Header: the receiving unit on the left, the national motto on the right.
  f('B', 10.5).text(d.receivingUnit.toLocaleUpperCase('vi'), left, 50, { width: col - 10, align: 'center' });
  f('R', 10).text(`Số: ${d.reference}`, left, doc.y + 2, { width: col - 10, align: 'center' });
  f('B', 10.5).text('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', left + col, 50, { width: col, align: 'center' });
  f('B', 10.5).text('Độc lập - Tự do - Hạnh phúc', left + col, doc.y, { width: col, align: 'center' });
  f('I', 10).text(`Ngày ${formatViDate(d.acceptedOn)}`, left + col, doc.y + 6, { width: col, align: 'center' });

  f('B', 15).text('GIẤY TIẾP NHẬN HỒ SƠ', left, 140, { width, align: 'center' });
  f('R', 11).text('đánh giá, phân hạng sản phẩm OCOP', left, doc.y, { width, align: 'center' });
  doc.moveDown(1.2);

  const line = (label: string, value: string) => {
    f('B', 11).text(`${label}: `, left, doc.y, { continued: true, width });
    f('R', 11).text(value, { width });
    doc.moveDown(0.2);
  };
  line('Đơn vị tiếp nhận', d.receivingUnit);
  line('Tiếp nhận hồ sơ của', d.producerName);
  if (d.producerAddress) line('Địa chỉ', d.producerAddress);
  if (d.producerPhone) line('Điện thoại', d.producerPhone);
  line('Sản phẩm', d.productName);
  line('Loại hồ sơ', `${d.kindLabel}${d.targetStar ? ` — đăng ký hạng ${d.targetStar} sao` : ''}`);
  line('Quy trình áp dụng', d.procedure);
  doc.moveDown(0.6);

  f('B', 11).text(`Thành phần hồ sơ đã nhận (${d.documents.length} tài liệu):`, left, doc.y, { width });
  doc.moveDown(0.3);
  d.documents.forEach((x, i) => {
    f('R', 10.5).text(`${i + 1}. ${x.label}: ${x.title}${x.expiresOn ? ` (hiệu lực đến ${formatViDate(x.expiresOn)})` : ''}`, left + 12, doc.y, { width: width - 12 });
    doc.moveDown(0.15);
  });
  if (d.sample) {
    doc.moveDown(0.3);
    line('Mẫu sản phẩm', `${d.sample.quantity.toLocaleString('vi-VN')} ${d.sample.unit}${d.sample.deliveredOn ? `, nộp ngày ${formatViDate(d.sample.deliveredOn)}` : ''}`);
  }
  doc.moveDown(0.6);
  line('Thời điểm tiếp nhận', `${d.acceptedAt} ngày ${formatViDate(d.acceptedOn)}`);
  f('I', 10).text('Chủ thể theo dõi tình trạng hồ sơ trên hệ thống OCOP Hub bằng tài khoản của mình; khi cần liên hệ, xin nêu số hồ sơ ở đầu giấy này.', left, doc.y + 4, { width });

  // Signatures: the filer on the left, the receiving officer on the right.
  const y = Math.min(doc.y + 30, doc.page.height - 170);
  f('B', 11).text('NGƯỜI NỘP HỒ SƠ', left, y, { width: col, align: 'center' });
  f('I', 9.5).text('(Ký, ghi rõ họ tên)', left, doc.y, { width: col, align: 'center' });
  f('B', 11).text('NGƯỜI TIẾP NHẬN', left + col, y, { width: col, align: 'center' });
  f('I', 9.5).text('(Ký, ghi rõ họ tên)', left + col, doc.y, { width: col, align: 'center' });
  f('R', 11).text(d.acceptedBy, left + col, y + 80, { width: col, align: 'center' });
  doc.end();
  return done;
}
