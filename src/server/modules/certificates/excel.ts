// exceljs is loaded on first use (it costs ~0.5 s at start-up otherwise).
import { vi } from '../../../shared/i18n/vi.js';
import { REVOCATION_REASON_LABELS_VI, DOSSIER_STATUS_LABELS_VI } from '../../../shared/dossier.js';
import type { Certificate } from './schema.js';

const fmtDate = (iso: string | null) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '');

/** The columns officers keep in their follow-up sheet of certificates (sổ theo dõi giấy chứng nhận OCOP). */
export const CERTIFICATE_SHEET_HEADERS = [
  'STT', 'Số giấy chứng nhận', 'Sản phẩm', 'Chủ thể', 'Hạng sao', 'Điểm', 'Số quyết định', 'Ngày quyết định', 'Cơ quan công nhận',
  'Hiệu lực từ', 'Hiệu lực đến', 'Còn (ngày)', 'Tình trạng', 'Lý do thu hồi', 'Hồ sơ đánh giá lại',
] as const;

const border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } } as const;

/** The certificates list as the officer filtered it, one row per certificate, in Vietnamese. */
export async function buildCertificateWorkbook(items: Certificate[], opts: { title: string; filterText: string; generatedBy: string }) {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OCOP Hub';
  wb.created = new Date();
  const ws = wb.addWorksheet('Giấy chứng nhận', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: 4 }],
  });
  ws.columns = [6, 22, 34, 36, 8, 8, 18, 12, 30, 12, 12, 9, 14, 28, 20].map((width) => ({ width }));
  const last = String.fromCharCode(64 + CERTIFICATE_SHEET_HEADERS.length);
  ws.mergeCells(`A1:${last}1`);
  ws.getCell('A1').value = opts.title;
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.mergeCells(`A2:${last}2`);
  ws.getCell('A2').value = opts.filterText;
  ws.getCell('A2').font = { italic: true };
  ws.getCell('A2').alignment = { horizontal: 'center' };
  const header = ws.getRow(4);
  header.values = [...CERTIFICATE_SHEET_HEADERS];
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F1E4' } };
    c.border = border;
  });
  items.forEach((c, i) => {
    const row = ws.addRow([
      i + 1, c.number, c.product.name, c.producer.legalName, c.star, c.score ?? '', c.decisionNumber, fmtDate(c.decisionDate),
      c.issuingAuthority, fmtDate(c.validFrom), fmtDate(c.expiresOn), c.status === 'active' || c.status === 'expiring' ? c.daysLeft : '',
      vi[`enum.certificateStatus.${c.status}`], c.revokedReason ? REVOCATION_REASON_LABELS_VI[c.revokedReason] : '',
      c.reevaluationDossier ? DOSSIER_STATUS_LABELS_VI[c.reevaluationDossier.status] : '',
    ]);
    row.alignment = { vertical: 'top', wrapText: true };
    row.eachCell({ includeEmpty: true }, (cell) => { cell.border = border; });
  });
  const foot = ws.addRow([]);
  foot.getCell(2).value = `Tổng số: ${items.length} giấy chứng nhận — xuất bởi ${opts.generatedBy} lúc ${new Date().toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })}`;
  foot.getCell(2).font = { italic: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
