import type { Unit } from '../geo/schema.js';

export const SHEET_PRODUCERS = 'Chủ thể';
export const SHEET_PRODUCTS = 'Sản phẩm';

/** Template columns: header text (what officers see) → field. A trailing * marks a required column. */
export const PRODUCER_COLUMNS = [
  ['registrationNumber', 'Mã số đăng ký/MST *'],
  ['legalName', 'Tên chủ thể *'],
  ['shortName', 'Tên viết tắt'],
  ['kind', 'Loại hình *'],
  ['unit', 'Xã/phường/thị trấn *'],
  ['address', 'Địa chỉ'],
  ['representative', 'Người đại diện'],
  ['representativeTitle', 'Chức vụ'],
  ['phone', 'Điện thoại'],
  ['email', 'Email'],
  ['foundedYear', 'Năm thành lập'],
  ['memberCount', 'Số thành viên'],
  ['workerCount', 'Số lao động'],
  ['craftVillage', 'Làng nghề'],
  ['notes', 'Ghi chú'],
] as const;

export const PRODUCT_COLUMNS = [
  ['producerRegistrationNumber', 'Mã số đăng ký chủ thể *'],
  ['name', 'Tên sản phẩm *'],
  ['taxonomyCode', 'Mã phân nhóm QĐ 148 *'],
  ['processingLevel', 'Mức độ chế biến *'],
  ['unit', 'Xã/phường/thị trấn *'],
  ['brand', 'Nhãn hiệu'],
  ['description', 'Mô tả'],
  ['rawMaterialArea', 'Vùng nguyên liệu'],
  ['keyProduct', 'Sản phẩm chủ lực (Có/Không)'],
  ['stars', 'Hạng sao'],
  ['recognitionYear', 'Năm công nhận'],
  ['decisionNumber', 'Số quyết định'],
  ['decisionDate', 'Ngày quyết định'],
  ['certificateNumber', 'Số giấy chứng nhận'],
  ['certificateIssuer', 'Cơ quan cấp'],
  ['certificateExpiresOn', 'Ngày hết hạn'],
  ['certifications', 'Chứng nhận chất lượng (VietGAP, GlobalGAP, Hữu cơ, HACCP, ISO 22000, GMP)'],
  ['channels', 'Kênh bán hàng (Siêu thị, Cửa hàng tiện lợi, Điểm bán OCOP, Shopee, …)'],
] as const;

export const KIND_LABELS: Record<string, string> = {
  enterprise: 'Doanh nghiệp', cooperative: 'Hợp tác xã', cooperative_group: 'Tổ hợp tác', household: 'Hộ kinh doanh',
};
export const LEVEL_LABELS: Record<string, string> = {
  fresh: 'Tươi sống', pre_processed: 'Sơ chế', processed: 'Chế biến', deep_processed: 'Chế biến sâu',
};

export async function buildImportTemplate(units: Unit[], leaves: { code: string; path: string }[]) {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OCOP Hub';
  const guide = wb.addWorksheet('Hướng dẫn');
  guide.columns = [{ width: 110 }];
  [
    'MẪU NHẬP CHỦ THỂ VÀ SẢN PHẨM OCOP',
    '',
    '1. Nhập chủ thể ở trang "Chủ thể", sản phẩm ở trang "Sản phẩm". Không đổi tên trang, không đổi dòng tiêu đề. Cột có dấu * là bắt buộc.',
    '2. Chủ thể được nhận diện theo mã số đăng ký/MST; sản phẩm theo chủ thể + tên sản phẩm. Nhập lại cùng một tệp không tạo bản ghi trùng.',
    '3. Xã/phường/thị trấn: ghi đúng tên hoặc mã đơn vị trong trang "Đơn vị hành chính".',
    '4. Mã phân nhóm: lấy ở trang "Phân nhóm" (ví dụ I.1.a — Rau, củ, quả, hạt tươi).',
    '5. Ngày ghi dd/mm/yyyy. Nhiều chứng nhận hoặc kênh bán: cách nhau bởi dấu phẩy.',
    '6. Nếu tệp có lỗi, hệ thống báo lỗi theo từng dòng/cột và KHÔNG ghi dòng nào cho tới khi sửa hết lỗi.',
    '7. Hạng sao: dòng có hạng sao được ghi thành giấy chứng nhận OCOP (bản giấy) của sản phẩm — cần Số quyết định, Ngày quyết định và Cơ quan cấp; Năm công nhận và Ngày hết hạn (36 tháng sau ngày quyết định) có thể bỏ trống. Chỉ cán bộ cấp tỉnh nhập được hạng sao.',
  ].forEach((t, i) => {
    const row = guide.addRow([t]);
    if (i === 0) row.font = { bold: true, size: 14 };
  });

  const addSheet = (name: string, cols: readonly (readonly [string, string])[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = cols.map(([key, header]) => ({ key, header, width: Math.max(14, Math.min(40, header.length + 4)) }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).alignment = { wrapText: true, vertical: 'middle' };
    return ws;
  };
  const ps = addSheet(SHEET_PRODUCERS, PRODUCER_COLUMNS);
  const pr = addSheet(SHEET_PRODUCTS, PRODUCT_COLUMNS);

  const us = wb.addWorksheet('Đơn vị hành chính');
  us.columns = [{ header: 'Tên', key: 'name', width: 30 }, { header: 'Mã', key: 'code', width: 10 }, { header: 'Loại', key: 'type', width: 12 }];
  us.getRow(1).font = { bold: true };
  for (const u of units) us.addRow({ name: u.name, code: u.code ?? '', type: u.type });

  const ts = wb.addWorksheet('Phân nhóm');
  ts.columns = [{ header: 'Mã', key: 'code', width: 10 }, { header: 'Phân nhóm', key: 'path', width: 90 }];
  ts.getRow(1).font = { bold: true };
  for (const l of leaves) ts.addRow(l);

  // Drop-down lists for the enumerations, so officers pick rather than type.
  const kinds = `"${Object.values(KIND_LABELS).join(',')}"`;
  const levels = `"${Object.values(LEVEL_LABELS).join(',')}"`;
  for (let r = 2; r <= 1000; r++) {
    ps.getCell(r, 4).dataValidation = { type: 'list', allowBlank: true, formulae: [kinds] };
    pr.getCell(r, 4).dataValidation = { type: 'list', allowBlank: true, formulae: [levels] };
    pr.getCell(r, 9).dataValidation = { type: 'list', allowBlank: true, formulae: ['"Có,Không"'] };
    pr.getCell(r, 10).dataValidation = { type: 'list', allowBlank: true, formulae: ['"1,2,3,4,5"'] };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
