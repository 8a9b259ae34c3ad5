import { buildListWorkbook, sheetDate } from '../../lib/list-workbook.js';
import type { ProductSummary } from './schema.js';

/** Columns of the plan's appendix 01 (danh sách sản phẩm OCOP). */
export const APPENDIX_01_HEADERS = [
  'STT', 'Tên sản phẩm', 'Chủ thể', 'Địa chỉ', 'Nhóm sản phẩm', 'Hạng sao', 'Năm công nhận', 'Số giấy chứng nhận', 'Ngày hết hạn',
] as const;

export function buildProductListWorkbook(items: ProductSummary[], opts: { title: string; filterText: string; generatedBy: string }) {
  return buildListWorkbook({
    ...opts, sheetName: 'Phụ lục 01', unit: 'sản phẩm', headers: APPENDIX_01_HEADERS, widths: [6, 36, 40, 40, 34, 10, 12, 24, 14],
    rows: items.map((p) => [
      p.name, p.producer.legalName, p.producer.address ?? '', p.taxonomy.path, p.stars ?? '', p.recognitionYear ?? '', p.certificateNumber ?? '',
      sheetDate(p.certificateExpiresOn),
    ]),
  });
}
