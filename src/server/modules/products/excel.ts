// exceljs is loaded on first use: it costs ~0.5 s at start-up otherwise.
import type { ProductSummary } from './schema.js';

const fmtDate = (iso: string | null) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '');

/** Columns of the plan's appendix 01 (danh sách sản phẩm OCOP). */
export const APPENDIX_01_HEADERS = [
  'STT', 'Tên sản phẩm', 'Chủ thể', 'Địa chỉ', 'Nhóm sản phẩm', 'Hạng sao', 'Năm công nhận', 'Số giấy chứng nhận', 'Ngày hết hạn',
] as const;

export async function buildProductListWorkbook(items: ProductSummary[], opts: { title: string; filterText: string; generatedBy: string }) {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OCOP Hub';
  wb.created = new Date();
  const ws = wb.addWorksheet('Phụ lục 01', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: 4 }],
  });
  ws.columns = [
    { width: 6 }, { width: 36 }, { width: 40 }, { width: 40 }, { width: 34 }, { width: 10 }, { width: 12 }, { width: 24 }, { width: 14 },
  ];
  ws.mergeCells('A1:I1');
  ws.getCell('A1').value = opts.title;
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.mergeCells('A2:I2');
  ws.getCell('A2').value = opts.filterText;
  ws.getCell('A2').font = { italic: true };
  ws.getCell('A2').alignment = { horizontal: 'center' };
  const header = ws.getRow(4);
  header.values = [...APPENDIX_01_HEADERS];
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F1E4' } };
    c.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });
  items.forEach((p, i) => {
    const row = ws.addRow([
      i + 1,
      p.name,
      p.producer.legalName,
      p.producer.address ?? '',
      p.taxonomy.path,
      p.stars ?? '',
      p.recognitionYear ?? '',
      p.certificateNumber ?? '',
      fmtDate(p.certificateExpiresOn),
    ]);
    row.alignment = { vertical: 'top', wrapText: true };
    row.eachCell({ includeEmpty: true }, (c) => {
      c.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
    });
  });
  const foot = ws.addRow([]);
  foot.getCell(2).value = `Tổng số: ${items.length} sản phẩm — xuất bởi ${opts.generatedBy} lúc ${new Date().toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })}`;
  foot.getCell(2).font = { italic: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
