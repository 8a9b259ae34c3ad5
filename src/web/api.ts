/** Thin fetch client for the OCOP Hub API: same-origin cookies, CSRF header on writes, problem+json errors. */

export interface FieldProblem {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  code?: string;
  detail?: string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get status() {
    return this.problem.status;
  }
  get code() {
    return this.problem.code;
  }
}

let csrfToken: string | null = null;
let lang: 'vi' | 'en' = 'vi';
let onUnauthenticated: (() => void) | null = null;

export const setCsrfToken = (t: string | null) => {
  csrfToken = t;
};
export const getCsrfToken = () => csrfToken;
export const setApiLanguage = (l: 'vi' | 'en') => {
  lang = l;
};
export const setOnUnauthenticated = (fn: (() => void) | null) => {
  onUnauthenticated = fn;
};

export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number>;

/** Builds a query string, skipping empty values; arrays become comma lists (the API's csv convention). */
export function toQuery(params: Record<string, QueryValue>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) sp.set(k, v.join(','));
    } else sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  body?: unknown;
  form?: FormData;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? (opts.body !== undefined || opts.form ? 'POST' : 'GET');
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', 'accept-language': lang };
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path + (opts.query ? toQuery(opts.query) : ''), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError({ title: lang === 'en' ? 'Cannot reach the server' : 'Không kết nối được máy chủ', status: 0, code: 'NETWORK' });
  }
  const type = res.headers.get('content-type') ?? '';
  const isJson = type.includes('json');
  const data: unknown = isJson ? await res.json().catch(() => null) : await res.text().catch(() => '');
  if (!res.ok) {
    const p = (isJson && data && typeof data === 'object' ? data : {}) as Partial<Problem>;
    const problem: Problem = {
      ...p,
      title: p.title ?? `${res.status} ${res.statusText}`,
      status: p.status ?? res.status,
    };
    if (res.status === 401 && !path.startsWith('/api/auth/')) onUnauthenticated?.();
    throw new ApiError(problem);
  }
  return data as T;
}

/** "body.certifications.0.validTo" → ['certifications', 0, 'validTo'] (form field path). */
export function fieldPath(path: string): (string | number)[] {
  const parts = path.split(/[.[\]/]+/).filter(Boolean);
  if (parts[0] === 'body') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export interface Paged<T> {
  items: T[];
  total: number;
  /** The server counts up to a cap; true when there are more matches than `total`. */
  totalCapped?: boolean;
  page: number;
  pageSize: number;
}
