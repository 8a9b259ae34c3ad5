import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** One operation of the OpenAPI document, with what a test needs to call it. */
export interface Operation {
  key: string; // "METHOD /path" as in the OpenAPI document
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  params: { name: string; schema: JsonSchema }[];
  query: { name: string; schema: JsonSchema; required: boolean }[];
  body: JsonSchema | null;
  multipart: boolean;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonSchema = any;

/** File uploads: their routes read multipart parts themselves, so the OpenAPI document shows no request body. */
export const MULTIPART_OPERATIONS = new Set([
  'POST /api/products/{id}/photos', 'POST /api/import/registry', 'POST /api/criteria/sets/{id}/sheet/import',
  'POST /api/producers/{id}/evidence', 'POST /api/growing-areas/import', 'POST /api/packing-houses/import',
  'POST /api/geo/boundaries/import', 'POST /api/support-activities/{id}/evidence', 'POST /api/import/runs',
]);

/** Values for fields whose rules a JSON schema cannot say (check digits, "one of two fields"). */
const FIELD_SAMPLES: Record<string, unknown> = { registrationNumber: '2400000015', ownerName: 'Chủ sở hữu thử' };
const PATTERN_CANDIDATES = ['2025-08-01', 'abc-123', 'mau-thu', '123456', 'ABC-123', 'abc', 'a1', '1'];

/** Every /api operation of the app's OpenAPI document (the app must be ready). */
export function operationsOf(app: FastifyInstance): { ops: Operation[]; doc: JsonSchema } {
  const doc = app.swagger() as JsonSchema;
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<JsonSchema>(doc.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [m, op] of Object.entries<JsonSchema>(item)) {
      const method = m.toUpperCase() as Operation['method'];
      const ps = (op.parameters ?? []) as JsonSchema[];
      const content = op.requestBody?.content ?? {};
      ops.push({
        key: `${method} ${path}`, method, path,
        params: ps.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        query: ps.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {}, required: Boolean(p.required) })),
        body: content['application/json']?.schema ?? null,
        multipart: MULTIPART_OPERATIONS.has(`${method} ${path}`) || Boolean(content['multipart/form-data']),
      });
    }
  }
  return { ops, doc };
}

export const deref = (doc: JsonSchema, s: JsonSchema, root?: JsonSchema): JsonSchema => {
  let cur = s;
  for (let i = 0; cur && cur.$ref && i < 20; i++) {
    const path = cur.$ref.replace(/^#\//, '').split('/');
    const get = (base: JsonSchema) => path.reduce((o: JsonSchema, k: string) => o?.[k], base);
    cur = get(doc) ?? (root ? get(root) : undefined);
  }
  return cur ?? {};
};

/** A value that satisfies the JSON schema as far as a simple generator can (formats, enums, bounds, required keys). */
export function sampleOf(doc: JsonSchema, schema: JsonSchema, depth = 0, root: JsonSchema = schema): unknown {
  const s = deref(doc, schema, root);
  if (depth > 12) return null;
  if ('const' in s) return s.const;
  if (s.enum) return s.enum.find((v: unknown) => v !== null) ?? s.enum[0];
  if (s.default !== undefined) return s.default;
  for (const k of ['anyOf', 'oneOf']) if (s[k]) {
    const opts = (s[k] as JsonSchema[]).map((x) => deref(doc, x, root));
    return sampleOf(doc, opts.find((x) => x.type !== 'null' && !x.not) ?? opts[0], depth + 1, root);
  }
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x: JsonSchema) => sampleOf(doc, x, depth + 1, root)));
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  switch (type) {
    case 'string': {
      switch (s.format) {
        case 'uuid': return randomUUID();
        case 'date': return '2025-08-01';
        case 'date-time': return '2025-08-01T08:00:00.000Z';
        case 'email': return 'thu@example.vn';
        case 'uri': return 'https://example.vn/';
      }
      if (s.pattern) {
        const re = new RegExp(s.pattern, 'u');
        const fit = PATTERN_CANDIDATES.find((c) => re.test(c) && c.length >= (s.minLength ?? 0) && c.length <= (s.maxLength ?? 1e9));
        if (fit) return fit;
      }
      const len = Math.max(s.minLength ?? 1, 1);
      return 'Mẫu thử '.padEnd(Math.min(Math.max(len, 8), s.maxLength ?? 100), 'x').slice(0, s.maxLength ?? 100);
    }
    case 'integer':
    case 'number': {
      const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? Number(s.exclusiveMinimum) + 1 : 1);
      const hi = s.maximum ?? lo + 1000;
      return Math.min(Math.max(lo, 1), hi);
    }
    case 'boolean': return false;
    case 'array': {
      const n = s.minItems ?? 0;
      return Array.from({ length: n }, () => sampleOf(doc, s.items ?? {}, depth + 1, root));
    }
    case 'null': return null;
    default: {
      if (type === 'object' || s.properties) {
        const out: Record<string, unknown> = {};
        for (const k of s.required ?? []) out[k] = k in FIELD_SAMPLES ? FIELD_SAMPLES[k] : sampleOf(doc, s.properties?.[k] ?? {}, depth + 1, root);
        for (const k of Object.keys(s.properties ?? {})) if (!(k in out) && k in FIELD_SAMPLES) out[k] = FIELD_SAMPLES[k];
        return out;
      }
      return {};
    }
  }
}

/** A placeholder for a path parameter: a random UUID, an int4 id far above the seeded ones, an enum's first value. */
export function placeholderParam(doc: JsonSchema, schema: JsonSchema): string {
  const s = deref(doc, schema);
  if (s.enum) return String(s.enum[0]);
  if (s.format === 'uuid') return randomUUID();
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  if (type === 'integer' || type === 'number' || s.pattern?.includes('\\d') || s.pattern?.includes('0-9')) return String(2_000_000_000 - Math.floor(Math.random() * 1000));
  if (s.anyOf || s.oneOf) return placeholderParam(doc, (s.anyOf ?? s.oneOf)[0]);
  return randomUUID();
}

export function urlOf(doc: JsonSchema, op: Operation, params: Record<string, string> = {}, query: Record<string, string> = {}) {
  let url = op.path;
  for (const p of op.params) url = url.replace(`{${p.name}}`, encodeURIComponent(params[p.name] ?? placeholderParam(doc, p.schema)));
  const qs = new URLSearchParams(query).toString();
  return qs ? `${url}?${qs}` : url;
}

/** Required query parameters with sample values (most queries are optional). */
export function requiredQuery(doc: JsonSchema, op: Operation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of op.query) if (q.required) out[q.name] = String(sampleOf(doc, q.schema));
  return out;
}
