import { fileTypeFromBuffer } from 'file-type';
import type { Multipart, MultipartFields } from '@fastify/multipart';
import { AppError } from '../../lib/errors.js';
import type { EvidenceFieldsInput } from './schema.js';
import { assertSafeZip, looksLikeZip } from '../../lib/zip-guard.js';

/** What the locker accepts, by sniffed content: the storage extension, the content type, the names' extensions. */
export const ACCEPTED_FILES = {
  pdf: { contentType: 'application/pdf', label: 'PDF', extensions: ['pdf'] },
  jpg: { contentType: 'image/jpeg', label: 'JPEG', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'] },
  png: { contentType: 'image/png', label: 'PNG', extensions: ['png'] },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel (.xlsx)', extensions: ['xlsx'] },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word (.docx)', extensions: ['docx'] },
} as const;
export type AcceptedExt = keyof typeof ACCEPTED_FILES;

export const MAX_FILE_NAME_LENGTH = 200;

// C0/C1 controls (NUL included) and the bidirectional overrides that make "fdp.exe" read as "exe.pdf".
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * Refuses names that try to be paths or hide their real extension; returns the display name to store (NFC, single
 * spaces, characters Windows refuses replaced). The name never reaches the disk: storage keys are generated.
 */
export function cleanFileName(raw: string | undefined): string {
  const name = (raw ?? '').normalize('NFC');
  const invalid = (message: string) => new AppError('FILE_NAME_INVALID', { detail: message, errors: [{ path: 'file', message }] });
  if (name.trim() === '') throw invalid('Tệp cần có tên');
  if (name.length > MAX_FILE_NAME_LENGTH) throw invalid(`Tên tệp dài quá ${MAX_FILE_NAME_LENGTH} ký tự`);
  if (name.includes('/') || name.includes('\\') || name.includes('..')) throw invalid('Tên tệp không được chứa đường dẫn (/, \\ hoặc ..)');
  if (FORBIDDEN_CHARS.test(name)) throw invalid('Tên tệp chứa ký tự điều khiển');
  const cleaned = name.replace(/[<>:"|?*]/g, '_').replace(/\s+/g, ' ').trim();
  if (cleaned.replace(/[._ ]/g, '') === '') throw invalid('Tên tệp không hợp lệ');
  return cleaned;
}

const extensionOf = (name: string) => {
  const i = name.lastIndexOf('.');
  return i > 0 ? name.slice(i + 1).toLowerCase() : '';
};

const ACCEPTED_TEXT = 'Chỉ nhận tệp PDF, JPEG, PNG, Excel (.xlsx) hoặc Word (.docx)';

/**
 * The file's type by its bytes (never its name or the client's content type); the name's extension must agree,
 * so a PNG called .pdf or an executable called .pdf is refused.
 */
export async function sniffEvidenceFile(data: Buffer, fileName: string) {
  if (data.length === 0) throw new AppError('UNSUPPORTED_FILE', { detail: 'Tệp rỗng' });
  // .xlsx/.docx are zips: checked for bombs before file-type (which opens the zip) or anyone downloading it.
  if (looksLikeZip(data)) await assertSafeZip(data, { brokenDetail: ACCEPTED_TEXT });
  const found = await fileTypeFromBuffer(data).catch(() => undefined);
  const ext = found?.ext as AcceptedExt | undefined;
  if (!ext || !(ext in ACCEPTED_FILES)) throw new AppError('UNSUPPORTED_FILE', { detail: ACCEPTED_TEXT });
  const accepted = ACCEPTED_FILES[ext];
  const nameExt = extensionOf(fileName);
  if (!(accepted.extensions as readonly string[]).includes(nameExt)) {
    throw new AppError('UNSUPPORTED_FILE', {
      detail: `Nội dung tệp là ${accepted.label} nhưng tên tệp có đuôi ${nameExt ? `.${nameExt}` : '(không có)'}; hãy dùng đúng đuôi .${accepted.extensions[0]}`,
    });
  }
  return { ext, contentType: accepted.contentType };
}

/** RFC 5987 / 6266 value for `filename*=UTF-8''…`: every byte outside attr-char percent-encoded. */
export function encodeRfc5987(value: string) {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export const attachmentDisposition = (fileName: string) => `attachment; filename*=UTF-8''${encodeRfc5987(fileName)}`;

const FIELD_NAMES = ['type', 'certificationType', 'title', 'issuer', 'number', 'issuedOn', 'expiresOn'] as const;

/**
 * The text fields of an evidence upload, sent before the file part (a repeated field counts once: its first value);
 * zod checks them in the service. Used by every route that uploads evidence (the locker, support activities).
 */
export function evidenceTextFields(fields: MultipartFields): EvidenceFieldsInput {
  const out: Record<string, string> = {};
  for (const name of FIELD_NAMES) {
    const f = fields[name] as Multipart | Multipart[] | undefined;
    const first = Array.isArray(f) ? f[0] : f;
    if (first && first.type === 'field' && typeof first.value === 'string') out[name] = first.value;
  }
  return out as unknown as EvidenceFieldsInput;
}
