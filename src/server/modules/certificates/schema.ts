import { z } from 'zod';
import { DOSSIER_STATUSES, REVOCATION_REASONS } from '../../../shared/dossier.js';
import { cleanText } from '../../../shared/text.js';

export const CERTIFICATE_STATUSES = ['active', 'expiring', 'expired', 'superseded', 'revoked'] as const;
export const STORED_STATUSES = ['active', 'superseded', 'revoked'] as const;

/** The format the database accepts (check on certificates.number): letters, digits and . / - only. */
export const CERTIFICATE_NUMBER_RE = /^[A-Za-z0-9./-]{3,60}$/;
const ZNumber = z.string().trim().regex(CERTIFICATE_NUMBER_RE, 'Số giấy chứng nhận: 3–60 ký tự gồm chữ, số và . / -');
const ZDate = z.iso.date('Ngày phải có dạng yyyy-mm-dd');
const ZText = (max: number) => z.string().max(max).transform(cleanText).pipe(z.string().min(1, 'Không được để trống'));

export const ZIssueCertificate = z.object({
  roundId: z.string().uuid(),
  productId: z.string().uuid(),
  decisionNumber: ZText(100),
  decisionDate: ZDate,
  /** Default: OCOP-<decision year>-<6-digit sequence>. */
  number: ZNumber.optional(),
});
export type IssueCertificate = z.infer<typeof ZIssueCertificate>;

/** A certificate issued on paper before the system (or brought in by an Excel import / the demo seed). */
export const ZLegacyCertificate = z.object({
  productId: z.string().uuid(),
  /** Only 3★ and above are recognised and certified. */
  star: z.number().int().min(3, 'Chỉ sản phẩm từ 3 sao trở lên được công nhận và cấp giấy chứng nhận').max(5),
  decisionNumber: ZText(100),
  decisionDate: ZDate,
  issuingAuthority: ZText(200),
  issuingUnitId: z.number().int().positive().max(2147483647).optional(),
  /** The level whose authority issued it; default: from the unit's type or the authority's wording ("UBND tỉnh …"). */
  issuingLevel: z.enum(['district', 'province', 'central']).optional(),
  number: ZNumber.optional(),
});
export type LegacyCertificate = z.infer<typeof ZLegacyCertificate>;

export const ZRevokeCertificate = z
  .object({
    reason: z.enum(REVOCATION_REASONS),
    note: z.string().max(2000).transform(cleanText).optional(),
  })
  .refine((r) => r.reason !== 'other' || (r.note ?? '') !== '', { path: ['note'], message: 'Lý do khác: cần ghi rõ lý do thu hồi' });
export type RevokeCertificate = z.infer<typeof ZRevokeCertificate>;

export const ZCertificateListQuery = z.object({
  status: z.enum(CERTIFICATE_STATUSES).optional(),
  /** Active certificates whose expiry falls between today and today + N months (the officers' follow-up list). */
  expiringWithinMonths: z.coerce.number().int().min(1).max(36).optional(),
  productId: z.string().uuid().optional(),
  producerId: z.string().uuid().optional(),
  q: z.string().max(200).optional().describe('Accent-insensitive words of the product or producer name, or part of the number'),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type CertificateListQuery = z.infer<typeof ZCertificateListQuery>;

export const ZCertificate = z.object({
  id: z.string().uuid(),
  number: z.string(),
  product: z.object({ id: z.string().uuid(), name: z.string() }),
  producer: z.object({ id: z.string().uuid(), legalName: z.string() }),
  star: z.number().int(),
  score: z.number().nullable(),
  decisionNumber: z.string(),
  decisionDate: z.string(),
  issuingAuthority: z.string(),
  issuingUnitName: z.string(),
  criteriaSetCode: z.string().nullable(),
  procedureCode: z.string().nullable(),
  validFrom: z.string(),
  expiresOn: z.string(),
  storedStatus: z.enum(STORED_STATUSES),
  status: z.enum(CERTIFICATE_STATUSES),
  /** Days from today (Vietnam) to the expiry date; negative once expired. */
  daysLeft: z.number().int(),
  revokedReason: z.enum(REVOCATION_REASONS).nullable(),
  revokedNote: z.string().nullable(),
  revokedAt: z.string().nullable(),
  supersededBy: z.object({ id: z.string().uuid(), number: z.string() }).nullable(),
  isLegacy: z.boolean(),
  verifyUrl: z.string(),
  pdfUrl: z.string(),
  /** Latest re-evaluation / upgrade dossier of the product (staff and the producer itself; null for others). */
  reevaluationDossier: z.object({ id: z.string().uuid(), status: z.enum(DOSSIER_STATUSES) }).nullable(),
});
export type Certificate = z.infer<typeof ZCertificate>;

export const ZCertificatePage = z.object({ items: z.array(ZCertificate), total: z.number().int() });
export type CertificatePage = z.infer<typeof ZCertificatePage>;

export const ZRoundCertificateRow = z.object({
  productId: z.string().uuid(),
  productName: z.string(),
  outcome: z.enum(['recognised', 'forwarded', 'not_recognised']).nullable(),
  finalStar: z.number().int().nullable(),
  meanScore: z.number().nullable(),
  certificate: z.object({ id: z.string().uuid(), number: z.string() }).nullable(),
  /** The level whose authority issues it (the round's, or the level a below-band result returns to). */
  issuingLevel: z.enum(['commune', 'district', 'province', 'central']).nullable(),
  /** Whether I may issue it (the form is shown only then; the server checks again on issue). */
  mayIssue: z.boolean(),
});
export type RoundCertificateRow = z.infer<typeof ZRoundCertificateRow>;
