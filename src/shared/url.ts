import { z } from 'zod';

/**
 * Web addresses people type (a producer's website, a sales channel, a source): http(s) only. `javascript:`,
 * `data:`, `vbscript:`, `file:` … are refused, because these strings end up in `<a href>` in the back office.
 * One helper for every URL field, server and web alike.
 */
export const HTTP_URL_MESSAGE = 'Địa chỉ web phải bắt đầu bằng http:// hoặc https:// (ví dụ https://htx.vn)';

const HTTP_URL = z.url({ protocol: /^https?$/, hostname: z.regexes.hostname, error: HTTP_URL_MESSAGE });

export const zHttpUrl = (max = 500) => z.string().trim().max(max, `Địa chỉ web dài quá ${max} ký tự`).pipe(HTTP_URL);

/** True for an address zHttpUrl accepts (web form validators). */
export const isHttpUrl = (s: string) => HTTP_URL.safeParse(s.trim()).success;

/** The address for an href, or undefined when it is not http(s) (records stored before the rule; never render those as links). */
export const safeHref = (s: string | null | undefined) => (s && isHttpUrl(s) ? s.trim() : undefined);
