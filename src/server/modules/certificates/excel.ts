import { vi } from '../../../shared/i18n/vi.js';
import { REVOCATION_REASON_LABELS_VI, DOSSIER_STATUS_LABELS_VI } from '../../../shared/dossier.js';
import { buildListWorkbook, sheetDate } from '../../lib/list-workbook.js';
import type { Certificate } from './schema.js';

/** The columns officers keep in their follow-up sheet of certificates (sổ theo dõi giấy chứng nhận OCOP). */
export const CERTIFICATE_SHEET_HEADERS = [
  'STT', 'Số giấy chứng nhận', 'Sản phẩm', 'Chủ thể', 'Hạng sao', 'Điểm', 'Số quyết định', 'Ngày quyết định', 'Cơ quan công nhận',
  'Hiệu lực từ', 'Hiệu lực đến', 'Còn (ngày)', 'Tình trạng', 'Lý do thu hồi', 'Hồ sơ đánh giá lại',
] as const;

/** The certificates list as the officer filtered it, one row per certificate, in Vietnamese. */
export function buildCertificateWorkbook(items: Certificate[], opts: { title: string; filterText: string; generatedBy: string }) {
  return buildListWorkbook({
    ...opts, sheetName: 'Giấy chứng nhận', unit: 'giấy chứng nhận', headers: CERTIFICATE_SHEET_HEADERS,
    widths: [6, 22, 34, 36, 8, 8, 18, 12, 30, 12, 12, 9, 14, 28, 20],
    rows: items.map((c) => [
      c.number, c.product.name, c.producer.legalName, c.star, c.score ?? '', c.decisionNumber, sheetDate(c.decisionDate),
      c.issuingAuthority, sheetDate(c.validFrom), sheetDate(c.expiresOn), c.status === 'active' || c.status === 'expiring' ? c.daysLeft : '',
      vi[`enum.certificateStatus.${c.status}`], c.revokedReason ? REVOCATION_REASON_LABELS_VI[c.revokedReason] : '',
      c.reevaluationDossier ? DOSSIER_STATUS_LABELS_VI[c.reevaluationDossier.status] : '',
    ]),
  });
}
