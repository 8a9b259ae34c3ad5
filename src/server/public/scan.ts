/**
 * The public scan pages (the resolver of stamp QR codes): GS1 Digital Link URIs on the platform's own domain
 * (`/01/<GTIN>[/22/<cpv>]/10/<lot>[/21/<serial>]`) and short codes (`/t/<code>`). Server-rendered HTML with one
 * inline stylesheet and no JavaScript, Vietnamese by default (`?lang=en` for English), a few KB.
 *
 * Shows what Circular 02/2024/TT-BKHCN asks of traceability information (product name and image, producer name and
 * address, times of the trace events, brand, code and serial, shelf life, applied standards) plus the OCOP star and
 * whether the certificate is valid today, the lot's journey (with its input lots) and growing areas; banners say
 * plainly when a stamp is deactivated, reported lost or unknown. A "report a problem" form posts without JavaScript.
 *
 * Stamps resolve through an in-process cache of lots (modules/stamps/scan-cache.ts); a miss is one SQL statement
 * (modules/stamps/resolve.ts). The scan log is written off the response path (modules/stamps/scan-log.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { effectiveCertificateStatus, formatViDate, todayInVietnam } from '../../shared/certificate-dates.js';
import { parsePlaceUri } from '../../shared/epcis.js';
import { makeShortCode, parseDigitalLink, parseShortCode } from '../../shared/gs1.js';
import { SCAN_TEXT, type ScanLang, type ScanStrings } from '../../shared/i18n/scan.js';
import { cleanText } from '../../shared/text.js';
import type { Db } from '../db/client.js';
import type { Storage } from '../modules/files/storage.js';
import { insertReport } from '../modules/stamps/repository.js';
import { findPublicPhotoKey, type LotPart, type ResolvedStamp, type ScanClient } from '../modules/stamps/resolve.js';
import type { ScanResolver } from '../modules/stamps/scan-cache.js';
import { clientClass, type ScanLog, type ScanRecord } from '../modules/stamps/scan-log.js';
import { createScanLimiter } from '../modules/stamps/scan-limit.js';
import { REPORT_CONTACT_MAX, REPORT_MESSAGE_MAX } from '../modules/stamps/schema.js';
import { REPORT_CATEGORIES, type ReportCategory, type ScanOutcome } from '../modules/stamps/tables.js';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string | number | null | undefined) => String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]);

const CSS = 'body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1a1a1a;background:#f6f4ef}'
  + 'main{max-width:40rem;margin:0 auto;padding:1rem}header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem}'
  + 'h1{font-size:1.15rem;margin:.5rem 0 1rem;color:#8a1c1c}h2{font-size:1.05rem;margin:1.2rem 0 .4rem}'
  + '.s{padding:.8rem 1rem;border-radius:.5rem;font-weight:700;font-size:1.1rem;margin-bottom:1rem;border:2px solid}'
  + '.ok{background:#e8f5e9;border-color:#2e7d32;color:#1b5e20}.warn{background:#fff8e1;border-color:#f9a825;color:#7a5500}'
  + '.bad{background:#ffebee;border-color:#c62828;color:#b71c1c}.info{background:#e3f2fd;border-color:#1565c0;color:#0d47a1}'
  + '.s small{display:block;font-weight:400;font-size:.9rem}.card{background:#fff;border-radius:.5rem;padding:.5rem 1rem;margin-bottom:.8rem}'
  + 'img{max-width:100%;height:auto;border-radius:.4rem;display:block;margin:.5rem auto}dt{color:#666;font-size:.85rem;margin-top:.4rem}dd{margin:0 0 .2rem;font-weight:600}'
  + '.st{color:#c9a227;letter-spacing:.1em}ol,ul{margin:0;padding-left:1.2rem}li{margin:.3rem 0}li small{color:#666}'
  + 'label{display:block;margin-top:.5rem;font-size:.9rem}select,textarea,input{width:100%;box-sizing:border-box;padding:.45rem;font:inherit;border:1px solid #999;border-radius:.3rem}'
  + 'button{margin-top:.7rem;padding:.5rem 1rem;font:inherit;background:#8a1c1c;color:#fff;border:0;border-radius:.3rem}'
  + 'footer{margin-top:1.5rem;color:#666;font-size:.8rem}a{color:#8a1c1c}.err{color:#b71c1c}';

export type ScanPageKind = 'ok' | 'inactive' | 'lost' | 'unknown_serial' | 'unknown_lot' | 'invalid' | 'lot_only';

/** A page: `path` is the canonical address of what was scanned (for the language switch and the report form). */
function layout(t: ScanStrings, lang: ScanLang, title: string, body: string, path: string) {
  const other = t.switchLang as ScanLang;
  const href = other === 'en' ? `${path}?lang=en` : path;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<meta name="robots" content="noindex"><title>${esc(title)}</title><style>${CSS}</style></head><body><main>`
    + `<header><h1>${esc(t.title)}</h1><a href="${esc(href)}" hreflang="${other}" lang="${other}">${esc(t.switchLabel)}</a></header>`
    + body
    + `<footer>${esc(t.footer(formatViDate(todayInVietnam())))}</footer></main></body></html>`;
}

const banner = (cls: string, title: string, detail: string) => `<div class="s ${cls}" role="status">${esc(title)}<small>${detail}</small></div>`;

function stars(n: number) {
  return `<span class="st" aria-hidden="true">${'★'.repeat(n)}${'☆'.repeat(Math.max(0, 5 - n))}</span> `;
}

function certificateLine(t: ScanStrings, c: LotPart['cert']) {
  if (!c) return `<dd>${esc(t.noCert)}</dd>`;
  const eff = effectiveCertificateStatus(c.status, c.expiresOn, todayInVietnam());
  const until = formatViDate(c.expiresOn);
  const status = eff === 'active' ? t.certValid(until) : eff === 'expiring' ? t.certExpiring(until) : eff === 'expired' ? t.certExpired(until)
    : eff === 'revoked' ? t.certRevoked : t.certSuperseded;
  const valid = eff === 'active' || eff === 'expiring';
  return `<dd>${valid ? `${stars(c.star)}${esc(t.stars(c.star))}` : ''}</dd>`
    + `<dd class="${valid ? '' : 'err'}">${esc(status)} — <a href="/xac-thuc/${encodeURIComponent(c.number)}">${esc(t.certNumber)} ${esc(c.number)}</a></dd>`;
}

/** The thumbnail's size as stored (longest side ≤ 480 px, never enlarged). */
function thumbSize(w: number, h: number) {
  const k = Math.min(1, 480 / w, 480 / h);
  return [Math.max(1, Math.round(w * k)), Math.max(1, Math.round(h * k))];
}

/**
 * The parts of a lot's page that are the same for all its stamps, rendered once per lot part and language: the lot
 * part of a cached lot is one object shared by every scan of it (modules/stamps/scan-cache.ts) until the lot
 * changes, so a WeakMap keyed by it holds the HTML exactly as long as the data it was made from. What depends on the
 * day (whether the certificate is valid today) or on the stamp (serial, code) is never in a fragment.
 */
type LotFragments = { head: string; middle: string; tail: string };
const fragmentCache = new WeakMap<LotPart, Partial<Record<ScanLang, LotFragments>>>();

function lotFragments(t: ScanStrings, lang: ScanLang, r: LotPart, base: string): LotFragments {
  let byLang = fragmentCache.get(r);
  const hit = byLang?.[lang];
  if (hit) return hit;
  let head = '<div class="card">';
  if (r.photo) {
    const [w, h] = thumbSize(r.photo.w, r.photo.h);
    head += `<img src="/anh/${esc(r.photo.id)}" width="${w}" height="${h}" loading="lazy" alt="${esc(r.productName)}">`;
  }
  head += '<dl>'
    + `<dt>${esc(t.product)}</dt><dd>${esc(r.productName)}</dd>`
    + (r.brand ? `<dt>${esc(t.brand)}</dt><dd>${esc(r.brand)}</dd>` : '')
    + `<dt>${esc(t.ocop)}</dt>`;
  const middle = `<dt>${esc(t.producer)}</dt><dd>${esc(r.producerName)}</dd>`
    // The address as the producer wrote it; the registered unit's name only when there is no address.
    + ((r.producerAddress || r.producerUnit) ? `<dt>${esc(t.address)}</dt><dd>${esc(r.producerAddress || r.producerUnit!)}</dd>` : '')
    + `<dt>${esc(t.lot)}</dt><dd>${esc(r.lotNumber)}</dd>`
    + (r.gtin ? `<dt>${esc(t.gtin)}</dt><dd>${esc(r.gtin)}</dd>` : '');
  const tail = `<dt>${esc(t.producedOn)}</dt><dd>${esc(formatViDate(r.producedOn))}</dd>`
    + `<dt>${esc(t.bestBefore)}</dt><dd>${r.bestBefore ? esc(formatViDate(r.bestBefore)) : esc(t.noBestBefore)}</dd>`
    + `<dt>${esc(t.standards)}</dt><dd>${r.standards.length ? r.standards.slice(0, 12).map((s) => esc(standardName(s)) + (s.validTo ? ` <small>(${esc(t.validTo)} ${esc(formatViDate(s.validTo))})</small>` : '')).join('; ') : esc(t.noStandards)}</dd>`
    + '</dl></div>'
    + areasSection(t, r) + journeySection(t, r, base);
  const f = { head, middle, tail };
  if (!byLang) fragmentCache.set(r, (byLang = {}));
  byLang[lang] = f;
  return f;
}

/** Product card, areas and journey: the lot's fragments around today's certificate line and the stamp. */
function lotSections(t: ScanStrings, lang: ScanLang, r: LotPart, stamp: { serial: number; code: string } | null, base: string) {
  const f = lotFragments(t, lang, r, base);
  return f.head + certificateLine(t, r.cert) + f.middle
    + (stamp ? `<dt>${esc(t.serial)}</dt><dd>${stamp.serial}</dd><dt>${esc(t.code)}</dt><dd>${esc(stamp.code)}</dd>` : '')
    + f.tail;
}

const STANDARD_NAMES: Record<string, string> = { vietgap: 'VietGAP', globalgap: 'GlobalGAP', organic: 'Hữu cơ / Organic', haccp: 'HACCP', iso22000: 'ISO 22000', gmp: 'GMP' };
const standardName = (s: LotPart['standards'][number]) => (s.type === 'other' ? s.name || 'Khác' : STANDARD_NAMES[s.type] ?? s.type) + (s.type !== 'other' && s.name ? ` — ${s.name}` : '');

function areasSection(t: ScanStrings, r: LotPart) {
  if (!r.areas.length) return '';
  return `<h2>${esc(t.areas)}</h2><div class="card"><ul>`
    + r.areas.slice(0, 20).map((a) => `<li><b>${esc(a.code)}</b> — ${esc(a.crop)}, ${esc(String(a.ha).replace('.', ','))} ${esc(t.ha)}${a.unit ? ` <small>(${esc(a.unit)})</small>` : ''}</li>`).join('')
    + '</ul></div>';
}

/** A place URI of an event (shared/epcis.ts: growing area, packing house, free text) as people read it. */
function placeText(t: ScanStrings, uri: string, base: string) {
  const p = parsePlaceUri(uri, base);
  switch (p.kind) {
    case 'growing_area': return `${t.growingArea} ${p.code}`;
    case 'packing_house': return `${t.packingHouse} ${p.code}`;
    case 'text': return p.text;
    default: return p.uri;
  }
}

function journeySection(t: ScanStrings, r: LotPart, base: string) {
  const items = r.journey.map((e) => `<li><b>${esc(e.time)}</b> <small>(${esc(t.tzNote)}, UTC+07:00)</small> — ${esc(t.kinds[e.kind] ?? e.kind)}`
    + (e.place ? ` — ${esc(placeText(t, e.place, base))}` : '')
    + (!e.own && e.lots ? ` <small>(${esc(t.inputLot)} ${esc(e.lots)})</small>` : '')
    + (e.corrected ? ` <small class="corrected"><b>(${esc(t.corrected)})</b></small>` : '') + '</li>').join('');
  return `<h2>${esc(t.journey)}</h2><div class="card">${items ? `<ol>${items}</ol>` : esc(t.noEvents)}</div>`;
}

function reportForm(t: ScanStrings, lang: ScanLang, ref: string, v: { category?: string; message?: string; contact?: string } = {}, errors: string[] = []) {
  const opts = REPORT_CATEGORIES.map((c) => `<option value="${c}"${v.category === c ? ' selected' : ''}>${esc(t.categories[c])}</option>`).join('');
  return `<h2 id="bao-cao">${esc(t.reportTitle)}</h2><div class="card"><p>${esc(t.reportIntro)}</p>`
    + (errors.length ? `<ul class="err" role="alert">${errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : '')
    + '<form method="post" action="/bao-cao">'
    + `<input type="hidden" name="ref" value="${esc(ref)}"><input type="hidden" name="lang" value="${lang}">`
    + `<label for="c">${esc(t.category)}</label><select id="c" name="category" required><option value="">${esc(t.chooseCategory)}</option>${opts}</select>`
    + `<label for="m">${esc(t.message)}</label><textarea id="m" name="message" rows="3" maxlength="${REPORT_MESSAGE_MAX}" required>${esc(v.message)}</textarea>`
    + `<label for="k">${esc(t.contact)}</label><input id="k" name="contact" maxlength="${REPORT_CONTACT_MAX}" value="${esc(v.contact)}" autocomplete="off">`
    + `<button type="submit">${esc(t.send)}</button></form></div>`;
}

/** The whole page for a resolution. */
export function renderScanPage(lang: ScanLang, kind: ScanPageKind, path: string, r: ResolvedStamp | undefined, serialText: string | null, base: string) {
  const t = SCAN_TEXT[lang];
  const reasonOf = (s: string | null) => (s ? `<br>${esc(t.reason)}: ${esc(s)}` : '');
  const stamp = r && r.rangeId && r.serial !== null && r.firstNo !== null && r.firstSerial !== null
    ? { serial: r.serial, code: makeShortCode(r.firstNo + (r.serial - r.firstSerial)) } : null;
  let head = '';
  let title = t.title;
  switch (kind) {
    case 'ok': head = banner('ok', t.okTitle, esc(t.okDetail(stamp!.serial, r!.lot.lotNumber))); title = `${r!.lot.productName} — ${t.okTitle}`; break;
    case 'inactive':
      head = banner('bad', t.inactiveTitle, esc(t.inactiveDetail) + reasonOf(r!.exceptionStatus === 'inactive' ? r!.exceptionReason : r!.rangeReason));
      title = `${t.inactiveTitle} — ${r!.lot.productName}`;
      break;
    case 'lost': head = banner('bad', t.lostTitle, esc(t.lostDetail) + reasonOf(r!.exceptionReason)); title = `${t.lostTitle} — ${r!.lot.productName}`; break;
    case 'unknown_serial': head = banner('bad', t.unknownSerialTitle, esc(t.unknownSerialDetail) + (serialText ? `<br>${esc(t.serial)}: ${esc(serialText)}` : '')); title = t.unknownSerialTitle; break;
    case 'unknown_lot': head = banner('bad', t.unknownLotTitle, esc(t.unknownLotDetail)); title = t.unknownLotTitle; break;
    case 'invalid': head = banner('bad', t.invalidTitle, esc(t.invalidDetail)); title = t.invalidTitle; break;
    case 'lot_only': head = banner('info', t.lotOnlyTitle, esc(t.lotOnlyDetail)); title = `${r!.lot.productName} — ${t.lotOnlyTitle}`; break;
  }
  // An unknown serial of a known lot shows nothing of the lot: a counterfeiter may copy real lot numbers.
  const showLot = r && (kind === 'ok' || kind === 'inactive' || kind === 'lost' || kind === 'lot_only');
  const body = head + (showLot ? lotSections(t, lang, r!.lot, stamp, base) : '') + reportForm(t, lang, path);
  return layout(t, lang, title, body, path);
}

export function renderReportAnswer(lang: ScanLang, ref: string, ok: boolean, v: { category?: string; message?: string; contact?: string }, errors: string[]) {
  const t = SCAN_TEXT[lang];
  const back = ref ? `<p><a href="${esc(lang === 'en' ? `${ref}?lang=en` : ref)}">${esc(t.back)}</a></p>` : '';
  if (ok) return layout(t, lang, t.thanksTitle, banner('ok', t.thanksTitle, esc(t.thanksDetail)) + back, ref || '/bao-cao');
  return layout(t, lang, t.errorTitle, banner('bad', t.errorTitle, '') + reportForm(t, lang, ref, v, errors) + back, ref || '/bao-cao');
}

// ─── Resolution ─────────────────────────────────────────────────────────────────────────────────────────────────

const SERIAL_RE = /^[1-9]\d{0,9}$/;
const MAX_INT = 2_147_483_647;
const serialNumber = (s: string | null) => (s !== null && SERIAL_RE.test(s) && Number(s) <= MAX_INT ? Number(s) : null);
const langOf = (q: unknown): ScanLang => ((q as { lang?: unknown } | undefined)?.lang === 'en' ? 'en' : 'vi');

type Resolution = { kind: ScanPageKind; path: string; row: ResolvedStamp | undefined; serialText: string | null; flagRef: string | null };

/** A Digital Link path (query ignored) → what it identifies. */
async function resolveLinkPath(resolver: ScanResolver, rawPath: string): Promise<Resolution> {
  const parsed = parseDigitalLink(`http://x${rawPath}`);
  if (!parsed.ok) return { kind: 'invalid', path: rawPath, row: undefined, serialText: null, flagRef: null };
  const p = parsed.value;
  const path = p.canonical.slice('http://x'.length);
  const serial = serialNumber(p.serial);
  const row = await resolver.byLink(p.gtin, p.lot!, serial);
  // Flags of unknown things are aggregated (one open flag per GTIN, or per lot, and kind, its count bumped):
  // anyone can request 400 made-up serials in 3 s, which must not become 400 flags on a real lot (#13).
  if (!row) return { kind: 'unknown_lot', path, row, serialText: p.serial, flagRef: `/01/${p.gtin}` };
  if (p.serial === null) return { kind: 'lot_only', path, row, serialText: null, flagRef: null };
  if (!row.rangeId) return { kind: 'unknown_serial', path, row, serialText: p.serial, flagRef: row.lotId };
  return { kind: stampKind(row), path, row, serialText: p.serial, flagRef: `${row.lotId}/${row.serial}` };
}

const stampKind = (row: ResolvedStamp): ScanPageKind =>
  row.rangeStatus === 'inactive' || row.exceptionStatus === 'inactive' ? 'inactive' : row.exceptionStatus === 'lost' ? 'lost' : 'ok';

async function resolveCode(resolver: ScanResolver, code: string): Promise<Resolution> {
  const parsed = parseShortCode(code);
  if (!parsed.ok) return { kind: 'invalid', path: `/t/${encodeURIComponent(code.slice(0, 40))}`, row: undefined, serialText: null, flagRef: null };
  const path = `/t/${parsed.value.code}`;
  const row = await resolver.byNumber(parsed.value.value);
  if (!row) return { kind: 'unknown_serial', path, row, serialText: parsed.value.code, flagRef: '/t/' }; // one flag for all unknown short codes
  return { kind: stampKind(row), path, row, serialText: String(row.serial), flagRef: `${row.lotId}/${row.serial}` };
}

const OUTCOME: Record<ScanPageKind, ScanOutcome> = {
  ok: 'ok', inactive: 'inactive', lost: 'lost', unknown_serial: 'unknown_serial', unknown_lot: 'unknown_lot', invalid: 'unknown_lot', lot_only: 'lot_only',
};
const STATUS: Record<ScanPageKind, number> = { ok: 200, inactive: 200, lost: 200, lot_only: 200, unknown_serial: 404, unknown_lot: 404, invalid: 404 };

function logScan(scanLog: ScanLog, req: FastifyRequest, lang: ScanLang, res: Resolution) {
  const r = res.row;
  const known = r && (res.kind === 'ok' || res.kind === 'inactive' || res.kind === 'lost');
  const rec: ScanRecord = {
    at: new Date(),
    outcome: OUTCOME[res.kind],
    lotId: r?.lotId ?? null,
    productId: r?.productId ?? null,
    rangeId: known ? r!.rangeId : null,
    // An unknown serial of a known lot is kept too (the flag names the serial that was never issued).
    serial: known || res.kind === 'unknown_serial' ? r?.serial ?? null : null,
    client: clientClass(req.headers['user-agent']),
    lang,
  };
  // A malformed address is not a stamp: logged, never flagged.
  if (res.flagRef && (res.kind === 'inactive' || res.kind === 'lost' || res.kind === 'unknown_serial' || res.kind === 'unknown_lot')) {
    rec.flag = { kind: res.kind, ref: res.flagRef };
  }
  scanLog.push(rec);
}

/**
 * The security headers of the public pages, fixed once: the app-wide @fastify/helmet builds its middleware again on
 * every request (a few % of a scan's CPU), so these routes opt out (`helmet: false`) and send helmet's defaults with
 * a policy made for pages without any script: inline style only, images and the report form on this site.
 */
function securityHeaders(publicHttps: boolean): Record<string, string> {
  return {
    'content-security-policy': "default-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none';img-src 'self';style-src 'unsafe-inline';object-src 'none';script-src 'none'",
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    // Only behind https: over plain http (a LAN install) it would pin browsers to an https that does not exist.
    ...(publicHttps ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };
}

// ─── Routes ─────────────────────────────────────────────────────────────────────────────────────────────────────

export interface ScanPagesDeps {
  db: Db;
  storage: Storage;
  scanLog: ScanLog;
  /** Stamp resolution (modules/stamps/scan-cache.ts: in-process cache over the resolver statements). */
  resolver: ScanResolver;
  /** The scan path's connections (modules/stamps/resolve.ts openScanClient). */
  scanClient: ScanClient;
  /** The platform's address: event places are URIs under it (shared/epcis.ts). */
  publicBaseUrl: string;
  /** Reports per client address and hour. */
  reportLimit?: number;
  /** PUBLIC_BASE_URL is https (HSTS). */
  publicHttps?: boolean;
  /** Scan pages per client address and minute (0 = no limit); default SCAN_LIMIT_PER_MINUTE. */
  scanLimitPerMinute?: number;
}

/** Registers the public pages in their own scope (urlencoded form parser, HTML error pages for the form). */
export async function registerScanPages(app: FastifyInstance, deps: ScanPagesDeps) {
  const { db, scanLog, resolver } = deps;
  const SECURITY_HEADERS = securityHeaders(deps.publicHttps ?? false);
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).headers(SECURITY_HEADERS).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  const limiter = createScanLimiter({ perMinute: deps.scanLimitPerMinute });
  /** The friendly 429 page (both languages: the shopper may not read the one asked for). */
  const tooMany = (req: FastifyRequest, reply: FastifyReply, what: 'rateLimited' | 'scanRateLimited' = 'scanRateLimited') => {
    const lang = langOf(req.query);
    const t = SCAN_TEXT[lang];
    if (what === 'scanRateLimited') reply.header('retry-after', String(limiter.retryAfter()));
    return html(reply, 429, layout(t, lang, t.errorTitle, banner('bad', t.errorTitle, `${esc(SCAN_TEXT.vi[what])}<br>${esc(SCAN_TEXT.en[what])}`), '/'));
  };
  await app.register(async (pub) => {
    pub.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    pub.setErrorHandler((err: { statusCode?: number }, req, reply) => {
      if (err.statusCode === 429) return tooMany(req, reply, 'rateLimited'); // the report form's limit
      throw err; // the app's problem+json handler
    });

    const linkPage = async (req: FastifyRequest, reply: FastifyReply) => {
      // Refused before resolving or logging: a refused request raises no flag and costs no query.
      if (!limiter.take(req.ip)) return tooMany(req, reply);
      const lang = langOf(req.query);
      const q = req.url.indexOf('?');
      const res = await resolveLinkPath(resolver, q < 0 ? req.url : req.url.slice(0, q));
      logScan(scanLog, req, lang, res);
      return html(reply, STATUS[res.kind], renderScanPage(lang, res.kind, res.path, res.row, res.serialText, deps.publicBaseUrl));
    };
    const hide = { schema: { hide: true }, helmet: false as const };
    pub.get('/01/:gtin/10/:lot/21/:serial', hide, linkPage);
    pub.get('/01/:gtin/22/:cpv/10/:lot/21/:serial', hide, linkPage);
    pub.get('/01/:gtin/10/:lot', hide, linkPage);
    pub.get('/01/:gtin/22/:cpv/10/:lot', hide, linkPage);

    pub.get<{ Params: { code: string } }>('/t/:code', hide, async (req, reply) => {
      if (!limiter.take(req.ip)) return tooMany(req, reply);
      const lang = langOf(req.query);
      const res = await resolveCode(resolver, String(req.params.code ?? ''));
      logScan(scanLog, req, lang, res);
      return html(reply, STATUS[res.kind], renderScanPage(lang, res.kind, res.path, res.row, res.serialText, deps.publicBaseUrl));
    });

    // Product photo thumbnails for the scan pages (only products whose lots carry stamps).
    pub.get<{ Params: { id: string } }>('/anh/:id', hide, async (req, reply) => {
      const id = String(req.params.id ?? '');
      const key = /^[0-9a-f-]{36}$/i.test(id) ? await findPublicPhotoKey(deps.scanClient, id) : undefined;
      const data = key ? await deps.storage.get(key).catch(() => undefined) : undefined;
      if (!data) return reply.code(404).type('text/plain; charset=utf-8').send('Không tìm thấy ảnh');
      return reply.headers(SECURITY_HEADERS).type('image/webp').header('cache-control', 'public, max-age=86400').send(data);
    });

    pub.post<{ Body: Record<string, string> | undefined }>('/bao-cao', {
      schema: { hide: true },
      helmet: false,
      config: { rateLimit: { max: deps.reportLimit ?? 10, timeWindow: '1 hour', keyGenerator: (req: FastifyRequest) => `scan-report:${req.ip}` } },
    }, async (req, reply) => {
      const b = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
      const lang: ScanLang = str('lang') === 'en' ? 'en' : 'vi';
      const t = SCAN_TEXT[lang];
      const category = str('category');
      const message = str('message').normalize('NFC').trim();
      const contact = cleanText(str('contact'));
      const refIn = str('ref').slice(0, 300);
      const errors: string[] = [];
      if (!(REPORT_CATEGORIES as readonly string[]).includes(category)) errors.push(t.errCategory);
      if (!message || message.length > REPORT_MESSAGE_MAX) errors.push(t.errMessage);
      if (contact.length > REPORT_CONTACT_MAX) errors.push(t.errContact);
      // The stamp is found again from the address, never taken from the form's word.
      const res = refIn.startsWith('/t/') ? await resolveCode(resolver, refIn.slice(3))
        : refIn.startsWith('/01/') ? await resolveLinkPath(resolver, refIn) : null;
      const ref = res && res.kind !== 'invalid' ? res.path : '';
      const v = { category, message, contact };
      if (errors.length) return html(reply, 422, renderReportAnswer(lang, ref, false, v, errors));
      const r = res?.row;
      const stampKnown = r && res && (res.kind === 'ok' || res.kind === 'inactive' || res.kind === 'lost');
      await insertReport(db, {
        category: category as ReportCategory, message, contact: contact || null, ref: ref || null, lang,
        lotId: r?.lotId ?? null, productId: r?.productId ?? null, rangeId: stampKnown ? r!.rangeId : null, serial: stampKnown ? r!.serial : null,
      });
      return html(reply, 200, renderReportAnswer(lang, ref, true, v, []));
    });
  });
}
