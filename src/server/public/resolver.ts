/**
 * The GS1-Conformant resolver (GS1 Digital Link URI Syntax 1.2, GS1-Conformant resolver standard 1.x) of the
 * platform's own domain. docs/resolver.md describes what it answers; in short:
 *
 * - Primary key forms: `/01/<GTIN>`, `/01/<GTIN>/10/<lot>`, `/01/<GTIN>/10/<lot>/21/<serial>`, `/01/<GTIN>/21/<serial>`,
 *   each with the optional `/22/<cpv>`, qualifiers in the order 22 → 10 → 21. A GTIN-8/12/13, the deprecated
 *   alphabetic codes or a non-canonical spelling → 308 to the canonical URI; a wrong check digit or bad syntax → 400.
 *   A compressed Digital Link (`/<base64url>`) is decompressed and answered as its uncompressed URI (no redirect;
 *   `Link: <uncompressed>; rel="owl:sameAs"`).
 * - Fallback serial → lot → GTIN: an unknown serial of a known lot shows the lot page under a warning, an unknown lot
 *   of a known GTIN the GTIN page; both answer 404 (the thing asked for does not exist) and raise the scan flags.
 * - Links: the default link (gs1:defaultLink) is the page of what was scanned (the scan page for a stamp or lot, the
 *   GTIN page for a GTIN); the platform adds the product page, the OCOP certificate, the lot's journey and the report
 *   form; the product's owner and officers add their own (product_links). `?linkType=<type>` → 307 to that link (its
 *   language by `?lang` / Accept-Language); an unknown or unavailable type → the default link. `?linkType=all`, or an
 *   Accept preferring application/linkset+json or application/json → the RFC 9264 linkset. Every answer carries a
 *   `Link` header: the linkset (rel="linkset"), the default link and, while it stays under LINK_HEADER_MAX bytes, the
 *   platform's other links.
 * - Data attributes in the query (`?17=261231&3103=000500`) are validated and shown; one that is malformed stops the
 *   page (400) — a malformed expiry date must never sit under "Tem hợp lệ" — and AIs this platform does not read are
 *   ignored with a note. An expiry or best-before date in the past is a warning above the page.
 *
 * The serial and lot pages are the scan page's (public/scan.ts: rendering, scan log, flags, report form); this file
 * decides what to answer. GTINs are found through product-links/gtin-lookup.ts (one place to adapt).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { effectiveCertificateStatus, formatViDate, todayInVietnam } from '../../shared/certificate-dates.js';
import { decompressSegment, uncompressedPathOf } from '../../shared/gs1-compression.js';
import { AI_VALUE_FORMAT } from '../../shared/gs1-compression-tables.js';
import { describeDataAttribute, gs1DateToIso, SUPPORTED_ATTRIBUTE_AIS, type ParsedDigitalLink } from '../../shared/gs1.js';
import { ATTRIBUTE_NAMES, RESOLVER_TEXT } from '../../shared/i18n/resolver.js';
import { SCAN_TEXT, type ScanLang } from '../../shared/i18n/scan.js';
import {
  CONFIGURABLE_LINK_TYPES, GS1_VOC, OCOP_VOC_PATH, PLATFORM_FIRST, SUPPORTED_LINK_TYPES, linkTypeUri, readLinkType, type LinkType,
} from '../../shared/link-types.js';
import { AppError } from '../lib/errors.js';
import { lotNumberOfGtinSerial, productIdOfGtin, productPageOf, type ProductPage } from '../modules/product-links/gtin-lookup.js';
import type { ResolvedStamp, ScanClient } from '../modules/stamps/resolve.js';
import type { ScanResolver } from '../modules/stamps/scan-cache.js';
import { createScanLimiter, type ScanLimiter } from '../modules/stamps/scan-limit.js';
import type { ScanLog } from '../modules/stamps/scan-log.js';
import {
  logScan, renderScanPageWithNotice, scanBanner as banner, scanLayout as layout, scanSecurityHeaders,
  stampKind, type ScanPageKind, type ScanResolution,
  parseScanPath,
} from './scan.js';
import { esc } from './html.js';

/** The Link header stays under this many bytes (proxies commonly allow 4–8 KB of headers in all). */
export const LINK_HEADER_MAX = 2048;
const LINKSET_TYPE = 'application/linkset+json';

export interface ResolverDeps {
  scanLog: ScanLog;
  resolver: ScanResolver;
  scanClient: ScanClient;
  publicBaseUrl: string;
  publicHttps?: boolean;
  /** Resolver pages per client address and minute (0 = no limit); default as the scan pages. */
  scanLimitPerMinute?: number;
  /** The scan pages' limiter, so that short codes and Digital Links share one budget per client. */
  limiter?: ScanLimiter;
}

// ─── Links ──────────────────────────────────────────────────────────────────────────────────────────────────────

export type ResolverLink = { type: LinkType; href: string; title: string; hreflang: ScanLang[]; platform: boolean; isDefault: boolean };

/** What a request identifies, once resolved. */
type Item = {
  /** GTIN-14, canonical paths of the GTIN and (when known) of the lot, and the path of the page shown. */
  gtin: string;
  gtinPath: string;
  lotPath: string | null;
  pagePath: string;
  /** The level of the page shown: a stamp (serial), a lot or the product (GTIN). */
  level: 'serial' | 'lot' | 'gtin';
  productId: string | null;
  cert: { number: string; star: number; status: 'active' | 'superseded' | 'revoked'; expiresOn: string } | null;
  /** Configured links, when they were read (the serial and lot pages' HTML answer does not read them). */
  configured: ProductPage['links'] | null;
};

/** `?lang=en` added to a platform address (before its #fragment). */
function withLang(href: string, lang: ScanLang) {
  if (lang !== 'en') return href;
  const hash = href.indexOf('#');
  const [main, frag] = hash < 0 ? [href, ''] : [href.slice(0, hash), href.slice(hash)];
  return `${main}${main.includes('?') ? '&' : '?'}lang=en${frag}`;
}

/** The platform's links of an item, in both languages (its pages switch with ?lang=en). */
function platformLinks(base: string, it: Item): ResolverLink[] {
  const out: ResolverLink[] = [];
  const both = (type: LinkType, path: string, title: (t: typeof RESOLVER_TEXT.vi) => string, isDefault = true) => {
    for (const lang of ['vi', 'en'] as const) {
      out.push({ type, href: withLang(`${base}${path}`, lang), title: title(RESOLVER_TEXT[lang]), hreflang: [lang], platform: true, isDefault: isDefault && lang === 'vi' });
    }
  };
  both('gs1:defaultLink', it.pagePath, (t) => (it.level === 'gtin' ? t.productPage : t.scanPage));
  if (it.productId) both('gs1:pip', it.gtinPath, (t) => t.productPage);
  if (it.cert) {
    const href = `/xac-thuc/${encodeURIComponent(it.cert.number)}`;
    // The verification page is Vietnamese only.
    for (const type of ['ocop:certificate', 'gs1:certificationInfo'] as const) {
      out.push({ type, href: `${base}${href}`, title: RESOLVER_TEXT.vi.certificatePage, hreflang: ['vi'], platform: true, isDefault: true });
    }
  }
  if (it.lotPath) both('gs1:traceability', it.lotPath, (t) => t.journey);
  if (it.level !== 'gtin') both('ocop:report', `${it.pagePath}#bao-cao`, (t) => t.reportPage);
  return out;
}

function allLinks(base: string, it: Item): ResolverLink[] {
  const own = platformLinks(base, it);
  const conf: ResolverLink[] = (it.configured ?? []).map((l) => ({
    type: l.linkType as LinkType, href: l.href, title: l.title, hreflang: [l.lang as ScanLang], platform: false, isDefault: l.isDefault,
  }));
  // Per type: the platform's first for PLATFORM_FIRST types, the owner's first for the others.
  const types = [...new Set([...own, ...conf].map((l) => l.type))];
  return types.flatMap((type) => {
    const a = own.filter((l) => l.type === type);
    const b = conf.filter((l) => l.type === type);
    return PLATFORM_FIRST.has(type) ? [...a, ...b] : [...b, ...a];
  });
}

/** The link of a type for a language: that language first, then the type's default, then the first. */
function pickLink(links: ResolverLink[], type: LinkType, lang: ScanLang): ResolverLink | undefined {
  const of = links.filter((l) => l.type === type);
  return of.find((l) => l.hreflang.includes(lang)) ?? of.find((l) => l.isDefault) ?? of[0];
}

/** RFC 9264 linkset (application/linkset+json), link relation types as URIs. */
function linkset(base: string, anchor: string, links: ResolverLink[], description: string | null) {
  const entry: Record<string, unknown> = { anchor };
  if (description) entry.itemDescription = description;
  for (const l of links) {
    const rel = linkTypeUri(l.type, base);
    ((entry[rel] ??= []) as unknown[]).push({ href: l.href, title: l.title, type: 'text/html', hreflang: l.hreflang });
  }
  return { linkset: [entry] };
}

/** `Link` header: the linkset, the default link, then the platform's other links while the header stays small. */
function linkHeader(base: string, anchor: string, links: ResolverLink[], lang: ScanLang, extra: string[] = []) {
  const parts = [...extra, `<${anchor}?linkType=all>; rel="linkset"; type="${LINKSET_TYPE}"`];
  const def = pickLink(links, 'gs1:defaultLink', lang);
  if (def) parts.push(`<${def.href}>; rel="${GS1_VOC}defaultLink"; hreflang="${def.hreflang[0]}"`);
  let size = parts.join(', ').length;
  for (const l of links) {
    // The chosen language's links only: the linkset has them all.
    if (l === def || !l.platform || l.type === 'gs1:defaultLink' || !l.hreflang.includes(lang)) continue;
    const p = `<${l.href}>; rel="${linkTypeUri(l.type, base)}"; hreflang="${l.hreflang[0]}"`;
    if (size + p.length + 2 > LINK_HEADER_MAX) break;
    parts.push(p);
    size += p.length + 2;
  }
  return parts.join(', ');
}

// ─── Request reading ────────────────────────────────────────────────────────────────────────────────────────────

/** The best-weighted of `offers` in an Accept-style header (q-values; `*` matches anything), or null. */
function negotiate(header: string | undefined, offers: string[]): string | null {
  if (!header) return null;
  let best: string | null = null;
  let bestQ = 0;
  const items = header.split(',').map((part) => {
    const [v, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { v: v.trim(), q: q ? Number(q.slice(2)) || 0 : 1 };
  });
  for (const offer of offers) {
    const [type] = offer.split('/');
    const lang = offer.split('-')[0];
    const hit = items.find((i) => i.v === offer) ?? items.find((i) => i.v === lang) ?? items.find((i) => i.v === `${type}/*`) ?? items.find((i) => i.v === '*/*' || i.v === '*');
    if (hit && hit.q > bestQ) {
      best = offer;
      bestQ = hit.q;
    }
  }
  return best;
}

const wantsLinkset = (accept: string | undefined) => {
  const best = negotiate(accept, ['text/html', LINKSET_TYPE, 'application/json']);
  return best === LINKSET_TYPE || best === 'application/json';
};

/** `?lang=vi|en` first, then Accept-Language; Vietnamese by default. */
function langOf(query: Map<string, string>, acceptLanguage: string | undefined): ScanLang {
  const q = query.get('lang');
  if (q === 'en' || q === 'vi') return q;
  return negotiate(acceptLanguage, ['vi', 'en']) === 'en' ? 'en' : 'vi';
}

type Attr = { ai: string; value: string; name: string; shown: string; state: 'ok' | 'expired' | 'invalid' | 'ignored' };

/** Reads the data attributes of the query (numeric keys): validated and shown, or noted as ignored. */
function readAttributes(pairs: [string, string][], lang: ScanLang, today: string): Attr[] {
  const t = RESOLVER_TEXT[lang];
  const out: Attr[] = [];
  for (const [ai, value] of pairs) {
    const d = describeDataAttribute(ai, value);
    const family = /^31\d\d$/.test(ai) ? '310' : /^723\d$/.test(ai) ? '723' : ai;
    const name = `${ATTRIBUTE_NAMES[lang][family] ?? `AI ${ai}`} (AI ${ai})`;
    if (!d.known) {
      const note = d.pathOnly ? t.attrPathOnly(ai) : AI_VALUE_FORMAT[ai] && !matchesFormat(AI_VALUE_FORMAT[ai], value) ? t.attrMalformed(ai) : t.attrIgnored(ai);
      out.push({ ai, value, name, shown: note, state: 'ignored' });
      continue;
    }
    if (d.error) {
      out.push({ ai, value, name, shown: `"${value}" — ${t.attrInvalid}`, state: 'invalid' });
      continue;
    }
    let shown = value;
    let state: Attr['state'] = 'ok';
    if (['11', '13', '15', '16', '17', '7006'].includes(ai)) {
      const iso = gs1DateToIso(value, Number(today.slice(0, 4)));
      shown = formatViDate(iso);
      if ((ai === '17' || ai === '15' || ai === '16') && iso < today) state = 'expired';
    } else if (/^310\d$/.test(ai)) {
      const n = Number(ai[3]);
      shown = `${(Number(value) / 10 ** n).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: n })} kg`;
    }
    out.push({ ai, value, name, shown, state });
  }
  return out;
}

/** A value against a table-F format (components N<n> / N..<n> / X<n> / X..<n>), for AIs the platform does not read. */
function matchesFormat(format: string, value: string): boolean {
  const re = format.split(' ').map((p) => {
    const m = /^([NX])(\.\.)?(\d+)$/.exec(p)!;
    const cls = m[1] === 'N' ? '\\d' : `[!"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]`;
    return m[2] ? `${cls}{0,${m[3]}}` : `${cls}{${m[3]}}`;
  }).join('');
  return value.length > 0 && new RegExp(`^${re}$`).test(value);
}

function attributesBlock(lang: ScanLang, attrs: Attr[], warnings: string[]) {
  const t = RESOLVER_TEXT[lang];
  let html = warnings.map((w) => banner('bad', t.warningTitle, esc(w))).join('');
  const expired = attrs.filter((a) => a.state === 'expired');
  html += expired.map((a) => banner('bad', t.warningTitle, esc(t.expired(a.name, a.shown)))).join('');
  if (attrs.length) {
    html += `<div class="card"><b>${esc(t.attrsTitle)}</b><dl>`
      + attrs.map((a) => (a.state === 'ignored' ? `<dd><small>${esc(a.shown)}</small></dd>`
        : `<dt>${esc(a.name)}</dt><dd${a.state === 'invalid' || a.state === 'expired' ? ' class="err"' : ''}>${esc(a.shown)}</dd>`)).join('')
      + '</dl></div>';
  }
  return html;
}

// ─── Pages of this file ─────────────────────────────────────────────────────────────────────────────────────────

function certLine(lang: ScanLang, c: Item['cert']) {
  const t = RESOLVER_TEXT[lang];
  if (!c) return `<dd>${esc(t.noCert)}</dd>`;
  const eff = effectiveCertificateStatus(c.status, c.expiresOn, todayInVietnam());
  const valid = eff === 'active' || eff === 'expiring';
  return `<dd>${valid ? `<span class="st" aria-hidden="true">${'★'.repeat(c.star)}${'☆'.repeat(Math.max(0, 5 - c.star))}</span> ${esc(t.stars(c.star))}` : ''}</dd>`
    + `<dd class="${valid ? '' : 'err'}">${esc(valid ? t.certValid(formatViDate(c.expiresOn)) : t.certExpired)} — `
    + `<a href="/xac-thuc/${encodeURIComponent(c.number)}">${esc(t.certNumber)} ${esc(c.number)}</a></dd>`;
}

/** The GTIN-level page: the product (no lot, no stamp), its certificate and its links. */
function gtinPage(lang: ScanLang, p: ProductPage, gtin: string, path: string, links: ResolverLink[], notice: string) {
  const t = RESOLVER_TEXT[lang];
  const shown = links.filter((l) => l.type !== 'gs1:defaultLink' && l.type !== 'gs1:pip' && (l.hreflang.includes(lang) || !links.some((o) => o.type === l.type && o.hreflang.includes(lang))));
  const items = shown.map((l) => `<li><a href="${esc(l.href)}" hreflang="${l.hreflang[0]}" rel="noopener">${esc(l.title)}</a></li>`).join('');
  const body = notice + banner('info', t.productTitle, esc(t.productDetail))
    + '<div class="card"><dl>'
    + `<dt>${esc(t.product)}</dt><dd>${esc(p.name)}</dd>`
    + (p.brand ? `<dt>${esc(t.brand)}</dt><dd>${esc(p.brand)}</dd>` : '')
    + `<dt>${esc(t.ocop)}</dt>${certLine(lang, p.cert)}`
    + `<dt>${esc(t.producer)}</dt><dd>${esc(p.producerName)}</dd>`
    + (p.producerAddress ? `<dt>${esc(t.address)}</dt><dd>${esc(p.producerAddress)}</dd>` : '')
    + `<dt>${esc(t.gtin)}</dt><dd>${esc(gtin)}</dd></dl></div>`
    + `<h2>${esc(t.linksTitle)}</h2><div class="card">${items ? `<ul>${items}</ul>` : esc(t.noLinks)}</div>`;
  return layout(SCAN_TEXT[lang], lang, `${p.name} — ${t.productTitle}`, body, path);
}

function errorPage(lang: ScanLang, title: string, detail: string, path: string, extra = '') {
  return layout(SCAN_TEXT[lang], lang, title, banner('bad', title, esc(detail)) + extra, path);
}

// ─── Routes ─────────────────────────────────────────────────────────────────────────────────────────────────────

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'Link, Location, Content-Type',
};

/** Registers the resolver's routes: /01/…, the alphabetic /gtin/… alias, compressed links and the description. */
export async function registerResolver(app: FastifyInstance, deps: ResolverDeps) {
  const base = deps.publicBaseUrl.replace(/\/+$/, '');
  const SECURITY = { ...scanSecurityHeaders(deps.publicHttps ?? false), ...CORS };
  const limiter = deps.limiter ?? createScanLimiter({ perMinute: deps.scanLimitPerMinute });
  // Sent as bytes, encoded once: a string body is measured (Content-Length) and then encoded again by the socket.
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).headers(SECURITY).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('vary', 'Accept, Accept-Language').send(Buffer.from(body, 'utf8'));
  const json = (reply: FastifyReply, status: number, body: unknown) =>
    reply.code(status).headers(CORS).type(LINKSET_TYPE).header('cache-control', 'no-store').header('vary', 'Accept, Accept-Language').send(JSON.stringify(body));

  /** Answers a Digital Link given as its raw path and query (after decompression for a compressed one). */
  async function answer(req: FastifyRequest, reply: FastifyReply, rawPath: string, rawQuery: string, sameAs: string | null): Promise<FastifyReply> {
    if (!limiter.take(req.ip)) {
      const t = SCAN_TEXT.vi;
      reply.header('retry-after', String(limiter.retryAfter()));
      return html(reply, 429, layout(t, 'vi', t.errorTitle, banner('bad', t.errorTitle, `${esc(SCAN_TEXT.vi.scanRateLimited)}<br>${esc(SCAN_TEXT.en.scanRateLimited)}`), '/'));
    }
    // The query: data attributes (numeric keys), linkType, lang; anything else is not ours and is ignored.
    const query = new Map<string, string>();
    const attrPairs: [string, string][] = [];
    for (const pair of rawQuery.split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      let k: string;
      let v: string;
      try {
        k = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
        v = decodeURIComponent((eq < 0 ? '' : pair.slice(eq + 1)).replace(/\+/g, ' '));
      } catch {
        k = '';
        v = '';
      }
      if (/^\d{2,4}$/.test(k)) {
        if (!attrPairs.some(([a]) => a === k)) attrPairs.push([k, v]);
      } else if (k && !query.has(k)) query.set(k, v);
    }
    const lang = langOf(query, req.headers['accept-language']);
    const t = RESOLVER_TEXT[lang];
    const linkTypeParam = query.get('linkType');
    const wanted = linkTypeParam !== undefined ? readLinkType(linkTypeParam, base) : null;
    const asLinkset = wanted === 'all' || (linkTypeParam === undefined && wantsLinkset(req.headers.accept));
    const sameAsHeader = sameAs ? [`<${base}${sameAs}>; rel="owl:sameAs"`] : [];

    // The path: syntax, check digit, qualifier order (shared/gs1.ts). Errors are 400, never a page that looks fine.
    // Memoised (scan.ts): a stamp's path is scanned again and again; parsing costs about as much as rendering.
    const parsed = parseScanPath(rawPath);
    if (!parsed.ok) {
      if (asLinkset) throw new AppError('VALIDATION', { detail: parsed.message });
      const detail = parsed.code === 'gtin_check_digit' ? t.invalidCheckDigit : lang === 'vi' ? parsed.message : t.invalidLink;
      return html(reply, 400, errorPage(lang, t.invalidTitle, detail, '/'));
    }
    const p = parsed.value;
    const canonicalPath = p.canonical.slice('http://x'.length);
    if (canonicalPath !== rawPath && !sameAs) {
      // GTIN-8/12/13 padded to 14, alphabetic codes, encoding: one canonical URI per thing.
      return reply.code(308).headers(CORS).header('location', rawQuery ? `${canonicalPath}?${rawQuery}` : canonicalPath).header('cache-control', 'public, max-age=86400').send();
    }

    const today = todayInVietnam();
    const attrs = readAttributes(attrPairs, lang, today);
    const invalid = attrs.filter((a) => a.state === 'invalid');
    if (invalid.length) {
      if (asLinkset) throw new AppError('VALIDATION', { detail: invalid.map((a) => `${a.name}: "${a.value}"`).join('; ') });
      const clean = canonicalPath;
      return html(reply, 400, errorPage(lang, t.invalidTitle, t.invalidAttrPage, canonicalPath,
        attributesBlock(lang, attrs, []) + `<p><a href="${esc(withLang(clean, lang))}">${esc(t.withoutData)}</a></p>`));
    }

    const r = await resolveItem(p, canonicalPath);
    const warnings = r.warning ? [r.warning(t)] : [];
    if (r.log) logScan(deps.scanLog, deps.resolver, req, lang, r.log);

    if (!r.item) {
      // Nothing known under this GTIN: no links, no default.
      if (asLinkset || wanted) throw new AppError('NOT_FOUND', { detail: 'Không có liên kết nào cho mã này' });
      const page = r.log
        ? renderScanPageWithNotice(lang, r.log.kind, r.log.path, r.log.row, r.log.serialText, base, attributesBlock(lang, attrs, []))
        : errorPage(lang, t.unknownGtinTitle, t.unknownGtinDetail, canonicalPath, attributesBlock(lang, attrs, []));
      return html(reply, 404, page);
    }
    const it = r.item;
    // Configured links are read when they can change the answer (a linkset, a link type, the GTIN page).
    let product: ProductPage | undefined;
    if (it.productId && (asLinkset || wanted || it.level === 'gtin')) {
      product = await productPageOf(deps.scanClient, it.productId);
      it.configured = product?.links ?? [];
      if (it.level === 'gtin') it.cert = product?.cert ?? null;
    }
    const links = allLinks(base, it);
    const anchor = `${base}${it.pagePath}`;
    reply.header('link', linkHeader(base, anchor, links, lang, sameAsHeader));

    if (asLinkset) return json(reply, 200, linkset(base, anchor, links, product?.name ?? r.page?.row?.lot.productName ?? null));
    if (wanted && wanted !== 'gs1:defaultLink') {
      const l = pickLink(links, wanted, lang);
      const self = `${base}${it.pagePath}`;
      if (l && l.href !== self && l.href !== withLang(self, lang)) {
        return reply.code(307).headers(CORS).header('location', l.href).header('cache-control', 'no-store').send();
      }
      // Not offered for this item (or it is the page itself): the default link, as the standard says.
    }
    const notice = attributesBlock(lang, attrs, warnings);
    if (it.level === 'gtin') {
      if (!product) return html(reply, 404, errorPage(lang, t.unknownGtinTitle, t.unknownGtinDetail, canonicalPath));
      return html(reply, r.status, gtinPage(lang, product, it.gtin, it.pagePath, links, notice));
    }
    const s = r.page!;
    return html(reply, r.status, renderScanPageWithNotice(lang, s.kind, s.path, s.row, s.serialText, base, notice));
  }

  type Resolved = {
    item: Item | null;
    status: number;
    /** What goes to the scan log (stamps and lots asked for, known or not). */
    log: ScanResolution | null;
    /** The scan page shown (serial and lot levels). */
    page: { kind: ScanPageKind; path: string; row: ResolvedStamp; serialText: string | null } | null;
    warning: ((t: typeof RESOLVER_TEXT.vi) => string) | null;
  };

  /** Serial → lot → GTIN, each level falling back to the next when the thing asked for is unknown. */
  async function resolveItem(p: ParsedDigitalLink, canonicalPath: string): Promise<Resolved> {
    const gtinPath = `/01/${p.gtin}`;
    const lotPathOf = (lot: string) => parseScanPath(`${gtinPath}${p.cpv !== null ? `/22/${encodeURIComponent(p.cpv)}` : ''}/10/${encodeURIComponent(lot)}`);
    const canonicalLot = (lot: string) => {
      const r = lotPathOf(lot);
      return r.ok ? r.value.canonical.slice('http://x'.length) : `${gtinPath}/10/${encodeURIComponent(lot)}`;
    };
    const serialNo = p.serial !== null && /^[1-9]\d{0,9}$/.test(p.serial) && Number(p.serial) <= 2_147_483_647 ? Number(p.serial) : null;
    const itemOf = (row: ResolvedStamp | undefined, level: Item['level'], pagePath: string, lotPath: string | null): Item => ({
      gtin: p.gtin, gtinPath, lotPath, pagePath, level, productId: row?.productId ?? null, cert: row?.lot.cert ?? null, configured: null,
    });
    const gtinFallback = async (warning: Resolved['warning'], log: Resolved['log']): Promise<Resolved> => {
      const productId = await productIdOfGtin(deps.scanClient, p.gtin);
      if (!productId) return { item: null, status: 404, log, page: null, warning };
      return { item: { gtin: p.gtin, gtinPath, lotPath: null, pagePath: gtinPath, level: 'gtin', productId, cert: null, configured: null }, status: 404, log, page: null, warning };
    };

    if (p.lot === null && p.serial === null) {
      const found = await gtinFallback(null, null);
      return found.item ? { ...found, status: 200 } : found;
    }
    let lot = p.lot;
    if (lot === null) {
      // /01/<GTIN>/21/<serial>: the lot whose ranges hold the serial.
      lot = serialNo === null ? null : (await lotNumberOfGtinSerial(deps.scanClient, p.gtin, serialNo)) ?? null;
      if (lot === null) {
        const serialText = p.serial!;
        // One open flag per GTIN for serials that no lot of it holds (anyone can make up serials).
        const log: ScanResolution = { kind: 'unknown_serial', path: canonicalPath, row: undefined, serialText, flagRef: gtinPath };
        return gtinFallback((t) => t.unknownSerialNoLot(serialText), log);
      }
    }
    const lotPath = canonicalLot(lot);
    const row = await deps.resolver.byLink(p.gtin, lot, p.serial === null ? null : serialNo);
    if (!row) {
      const log: ScanResolution = { kind: 'unknown_lot', path: canonicalPath, row: undefined, serialText: p.serial, flagRef: gtinPath };
      const lotText = lot;
      return gtinFallback((t) => t.unknownLotFallback(lotText), log);
    }
    if (p.serial === null) {
      const page = { kind: 'lot_only' as const, path: lotPath, row, serialText: null };
      return { item: itemOf(row, 'lot', lotPath, lotPath), status: 200, log: { ...page, flagRef: null }, page, warning: null };
    }
    const stampPath = p.lot === null ? `${lotPath}/21/${encodeURIComponent(p.serial)}` : canonicalPath;
    if (!row.rangeId) {
      // An unknown serial of a known lot: the lot's page under a warning (the lot's page is public at its own
      // address anyway); logged and flagged as an unknown serial (one open flag per lot).
      const serialText = p.serial;
      return {
        item: itemOf(row, 'lot', lotPath, lotPath), status: 404, warning: (t) => t.unknownSerialFallback(serialText),
        log: { kind: 'unknown_serial', path: stampPath, row, serialText, flagRef: row.lotId },
        page: { kind: 'lot_only', path: lotPath, row, serialText: null },
      };
    }
    const page = { kind: stampKind(row), path: stampPath, row, serialText: p.serial };
    return { item: itemOf(row, 'serial', stampPath, lotPath), status: 200, log: { ...page, flagRef: `${row.lotId}/${row.serial}` }, page, warning: null };
  }

  await app.register(async (pub) => {
    const hide = { schema: { hide: true }, helmet: false as const };
    const split = (url: string) => {
      const q = url.indexOf('?');
      return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
    };
    const direct = async (req: FastifyRequest, reply: FastifyReply) => {
      const [path, query] = split(req.url);
      return answer(req, reply, path, query, null);
    };
    pub.get('/01/*', hide, direct);
    pub.get('/gtin/*', hide, direct); // the alphabetic code of URI Syntax 1.0/1.1 → 308 to /01/…

    // A compressed Digital Link: one path segment of base64url. Anything else is not ours (the back office's own
    // client-side routes live on single segments too): handed to the not-found handler. Helmet stays on for this
    // route, so that what the not-found handler sends (the back office's index.html) keeps the app's headers.
    pub.get<{ Params: { segment: string } }>('/:segment', { schema: { hide: true } }, async (req, reply) => {
      const [path, query] = split(req.url);
      const d = decompressSegment(path.slice(1));
      const u = d.ok ? uncompressedPathOf(d.value) : null;
      if (!u?.ok) return reply.callNotFound();
      const [uPath, uQuery] = split(u.value);
      return answer(req, reply, uPath, [uQuery, query].filter(Boolean).join('&'), u.value);
    });

    for (const url of ['/01/*', '/gtin/*']) {
      pub.options(url, hide, async (_req, reply) => reply.code(204).headers({
        ...CORS, allow: 'GET, HEAD, OPTIONS', 'access-control-allow-methods': 'GET, HEAD, OPTIONS', 'access-control-allow-headers': 'Accept, Accept-Language', 'access-control-max-age': '86400',
      }).send());
    }

    pub.get('/.well-known/gs1resolver', hide, async (_req, reply) => reply.headers(CORS).header('cache-control', 'public, max-age=3600')
      .type('application/json').send(JSON.stringify(resolverDescription(base))));
  });
}

/** The resolver description document (GS1-Conformant resolver standard 1.x, /.well-known/gs1resolver). */
export function resolverDescription(base: string) {
  return {
    name: 'OCOP Hub — GS1 Digital Link resolver',
    resolverRoot: base,
    supportedLinkType: [
      { namespace: GS1_VOC, prefix: 'gs1:', profile: 'https://gs1.org/voc/?show=linktypes' },
      { namespace: `${base}${OCOP_VOC_PATH}`, prefix: 'ocop:', profile: `${base}${OCOP_VOC_PATH}` },
    ],
    // Every link type this resolver may answer; configurable ones are set per product by its owner or officers.
    linkTypes: SUPPORTED_LINK_TYPES.map((type) => ({ type, uri: linkTypeUri(type, base), configurable: (CONFIGURABLE_LINK_TYPES as readonly string[]).includes(type) })),
    supportedPrimaryKeys: ['01'],
    supportedKeyQualifiers: { '01': ['22', '10', '21'] },
    supportedDataAttributes: SUPPORTED_ATTRIBUTE_AIS,
    supportedContextValuesEnumerated: [],
    linkTypeDefaultCanBeLinkset: false,
    linkTypeDefaultCanBeAll: false,
    compression: true,
    languages: ['vi', 'en'],
  };
}
