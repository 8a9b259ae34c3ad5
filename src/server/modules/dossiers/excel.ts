import { vi } from '../../../shared/i18n/vi.js';
import { todayInVietnam } from '../../../shared/certificate-dates.js';
import { DOSSIER_STATUS_LABELS_VI } from '../../../shared/dossier.js';
import { buildListWorkbook, sheetDate } from '../../lib/list-workbook.js';
import type { DossierPage } from './schema.js';

export const DOSSIER_SHEET_HEADERS = [
  'STT', 'Sản phẩm', 'Chủ thể', 'Loại hồ sơ', 'Hạng sao đăng ký', 'Trạng thái', 'Nơi tiếp nhận', 'Quy trình', 'Ngày nộp', 'Cập nhật lần cuối',
  'Tài liệu còn thiếu',
] as const;

/** The dossiers list as the officer filtered it, one row per dossier, in Vietnamese. */
export function buildDossierWorkbook(items: DossierPage['items'], opts: { title: string; filterText: string; generatedBy: string }) {
  // A moment as the date it was in Vietnam (the one "today" rule).
  const vnDate = (iso: string | null) => (iso ? sheetDate(todayInVietnam(new Date(iso))) : '');
  return buildListWorkbook({
    ...opts, sheetName: 'Hồ sơ OCOP', unit: 'hồ sơ', headers: DOSSIER_SHEET_HEADERS,
    widths: [6, 34, 36, 24, 10, 18, 24, 12, 12, 12, 10],
    rows: items.map((d) => [
      d.product.name, d.producer.legalName, vi[`enum.dossierKind.${d.kind}`], d.targetStar ?? '', DOSSIER_STATUS_LABELS_VI[d.status],
      d.intakeUnit.name, d.procedureCode ?? '', vnDate(d.submittedAt), vnDate(d.updatedAt), d.missingCount,
    ]),
  });
}
