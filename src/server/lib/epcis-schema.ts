import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The GS1 EPCIS 2.0 JSON schema (assets/epcis, draft-07), compiled once with Ajv 8 + ajv-formats on first use.
 * `validateEpcis` answers readable Vietnamese errors, each with the path in the document and, for errors inside
 * `epcisBody.eventList`, the index of the event.
 */
const SCHEMA_FILE = fileURLToPath(new URL('../../../assets/epcis/EPCIS-JSON-Schema.json', import.meta.url));

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

let compiled: ValidateFunction | null = null;
function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    compiled = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
  }
  return compiled;
}

export type EpcisSchemaError = { index: number | null; path: string; message: string };
export type EpcisValidation = { ok: true } | { ok: false; errors: EpcisSchemaError[] };

function message(e: ErrorObject): string | null {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `Thiếu trường bắt buộc "${String(p.missingProperty)}"`;
    case 'type':
      return `Sai kiểu dữ liệu: cần ${String(p.type)}`;
    case 'format':
      return p.format === 'date-time'
        ? 'Thời điểm phải theo ISO 8601 có múi giờ, ví dụ 2025-06-10T07:30:00+07:00'
        : `Không đúng định dạng ${String(p.format)}`;
    case 'enum':
      return `Giá trị không thuộc danh mục cho phép (${(p.allowedValues as unknown[]).slice(0, 8).join(', ')}${(p.allowedValues as unknown[]).length > 8 ? ', …' : ''})`;
    case 'pattern':
      return e.instancePath.endsWith('/eventTimeZoneOffset') ? 'Độ lệch múi giờ phải có dạng +07:00' : 'Giá trị không đúng mẫu quy định';
    case 'propertyNames':
      return `Tên trường "${String(p.propertyName)}" không hợp lệ (trường mở rộng phải là URI hoặc có tiền tố, ví dụ "ex:tenTruong")`;
    case 'additionalProperties':
      return `Trường "${String(p.additionalProperty)}" không được phép ở đây`;
    case 'minItems':
      return `Danh sách cần ít nhất ${String(p.limit)} phần tử`;
    case 'uniqueItems':
      return 'Danh sách có phần tử trùng nhau';
    case 'const':
      return 'Giá trị không được phép';
    case 'not':
      return e.instancePath.endsWith('/ilmd') || e.schemaPath.includes('ilmd') ? 'Chỉ sự kiện ADD mới được có ilmd' : 'Giá trị không được phép ở đây';
    case 'anyOf':
    case 'oneOf':
      return NO_MATCH;
    case 'if':
    case 'then':
      return null; // the branch's own errors say what is wrong
    default:
      return e.message ? `Không hợp lệ: ${e.message}` : 'Không hợp lệ';
  }
}

const EVENT_PATH = /^\/epcisBody\/eventList\/(\d+)(\/.*)?$/;

const NO_MATCH = 'Không khớp với dạng nào mà EPCIS 2.0 cho phép';

/**
 * Readable errors: without the `if` noise and the errors inside propertyNames (its own error names the field), one
 * per path where alternatives (anyOf: a CBV term or a URI of one's own) failed together, events in document order.
 */
export function readableErrors(errors: ErrorObject[]): EpcisSchemaError[] {
  const byPath = new Map<string, { index: number | null; messages: string[]; alternatives: boolean }>();
  // Errors about a field's name are reported at the object's path: the propertyNames error names the field.
  const namePaths = new Set(errors.filter((e) => e.keyword === 'propertyNames').map((e) => e.instancePath));
  for (const e of errors) {
    if (namePaths.has(e.instancePath) && ['enum', 'format', 'anyOf', 'pattern'].includes(e.keyword)) continue;
    const msg = message(e);
    if (!msg) continue;
    const m = EVENT_PATH.exec(e.instancePath);
    const path = e.instancePath.split('/').filter(Boolean).join('.') || '(tài liệu)';
    const entry = byPath.get(path) ?? { index: m ? Number(m[1]) : null, messages: [], alternatives: false };
    if (!entry.messages.includes(msg)) entry.messages.push(msg);
    if (e.schemaPath.includes('/anyOf/') && e.keyword !== 'required' && e.keyword !== 'propertyNames') entry.alternatives = true;
    byPath.set(path, entry);
  }
  const out: EpcisSchemaError[] = [];
  for (const [path, { index, messages, alternatives }] of byPath) {
    let list = messages.length > 1 ? messages.filter((m) => m !== NO_MATCH) : messages;
    if (alternatives && list.length > 1) {
      const enumMsg = list.find((m) => m.startsWith('Giá trị không thuộc danh mục'));
      const rest = list.filter((m) => !m.startsWith('Giá trị không') && !m.startsWith('Không đúng định dạng'));
      list = [...(enumMsg ? [`${enumMsg} và không phải URI riêng hợp lệ`] : []), ...rest];
      if (list.length === 0) list = [NO_MATCH];
    }
    for (const message of list) out.push({ index, path, message });
  }
  return out.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
}

/** Validates an EPCIS document (or a single event with its @context) against the vendored schema. */
export function validateEpcis(doc: unknown): EpcisValidation {
  const v = validator();
  if (v(doc)) return { ok: true };
  return { ok: false, errors: readableErrors(v.errors ?? []) };
}
