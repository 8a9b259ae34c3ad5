/** HTML escaping for the server-rendered public pages (scan, resolver, verification, places): text and attributes. */
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string | number | null | undefined) => String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]);
