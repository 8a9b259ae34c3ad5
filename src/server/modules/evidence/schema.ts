import { z } from 'zod';
import { CERTIFICATION_TYPES, DOSSIER_STATUSES, EVIDENCE_TYPES } from '../../../shared/dossier.js';
import { cleanText } from '../../../shared/text.js';

export const ZEvidenceType = z.enum(EVIDENCE_TYPES);
export const ZCertificationType = z.enum(CERTIFICATION_TYPES);

/** Blank or absent → null (multipart fields arrive as strings, an empty input as ""). */
const blankToNull = (v: unknown) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v);
const optText = (max: number) => z.preprocess(blankToNull, z.string().max(max).transform(cleanText).nullable());
const optDate = z.preprocess(blankToNull, z.iso.date('Ngày không hợp lệ (yyyy-mm-dd)').nullable());
const title = z.string().max(300).transform(cleanText).pipe(z.string().min(1, 'Cần tên tài liệu'));

/** Certification type iff the evidence is a certification; an expiry not before the issue date. */
export function metaErrors(type: string, v: { certificationType: string | null; issuedOn: string | null; expiresOn: string | null }) {
  const errors: { path: string; message: string }[] = [];
  if (type === 'certification' && !v.certificationType) {
    errors.push({ path: 'certificationType', message: 'Chứng nhận cần ghi loại chứng nhận (VietGAP, hữu cơ, …)' });
  }
  if (type !== 'certification' && v.certificationType) {
    errors.push({ path: 'certificationType', message: 'Chỉ tài liệu loại chứng nhận mới ghi loại chứng nhận' });
  }
  if (v.issuedOn && v.expiresOn && v.expiresOn < v.issuedOn) {
    errors.push({ path: 'expiresOn', message: 'Ngày hết hạn không được trước ngày cấp' });
  }
  return errors;
}
const refineMeta = (type: string, v: Parameters<typeof metaErrors>[1], ctx: z.RefinementCtx) => {
  for (const e of metaErrors(type, v)) ctx.addIssue({ code: 'custom', path: [e.path], message: e.message });
};

/** The text fields of an upload (multipart fields before the file part). */
export const ZEvidenceFields = z
  .object({
    type: ZEvidenceType,
    certificationType: z.preprocess(blankToNull, ZCertificationType.nullable()),
    title,
    issuer: optText(300),
    number: optText(100),
    issuedOn: optDate,
    expiresOn: optDate,
  })
  .superRefine((v, ctx) => refineMeta(v.type, v, ctx));
export type EvidenceFields = z.infer<typeof ZEvidenceFields>;
export type EvidenceFieldsInput = z.input<typeof ZEvidenceFields>;

/** PUT: the metadata; the type and the file stay (upload a new document instead). */
export const ZEvidenceUpdate = z
  .object({
    version: z.number().int().positive(),
    title,
    issuer: optText(300),
    number: optText(100),
    issuedOn: optDate,
    expiresOn: optDate,
    certificationType: z.preprocess(blankToNull, ZCertificationType.nullable()),
  })
  // The dates here; the certification type against the stored type in the service (metaErrors).
  .superRefine((v, ctx) => {
    for (const e of metaErrors('', { ...v, certificationType: null })) ctx.addIssue({ code: 'custom', path: [e.path], message: e.message });
  });
export type EvidenceUpdate = z.infer<typeof ZEvidenceUpdate>;

export const ZEvidenceUsage = z.object({ dossierId: z.string().uuid(), productName: z.string(), status: z.enum(DOSSIER_STATUSES) });

export const ZEvidence = z.object({
  id: z.string().uuid(),
  producerId: z.string().uuid(),
  type: ZEvidenceType,
  certificationType: ZCertificationType.nullable(),
  title: z.string(),
  issuer: z.string().nullable(),
  number: z.string().nullable(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  expired: z.boolean(),
  fileName: z.string(),
  contentType: z.string(),
  bytes: z.number().int(),
  createdAt: z.string(),
  version: z.number().int(),
  downloadUrl: z.string(),
  usedIn: z.array(ZEvidenceUsage),
});
export type Evidence = z.infer<typeof ZEvidence>;
export type EvidenceUsage = z.infer<typeof ZEvidenceUsage>;
