/**
 * The public scan pages (the resolver of stamp QR codes): GS1 Digital Link URIs on the platform's own domain
 * (`/01/<GTIN>[/22/<cpv>]/10/<lot>[/21/<serial>]`) and short codes (`/t/<code>`). Server-rendered HTML with one
 * inline stylesheet and no JavaScript, Vietnamese by default (`?lang=en` for English), a few KB.
 *
 * Shows what Circular 02/2024/TT-BKHCN asks of traceability information (product name and image, producer name and
 * address, times of the trace events, brand, code and serial, shelf life, applied standards) plus the OCOP star and
 * whether the certificate is valid today, the lot's journey (with its input lots, each step in words — never a raw
 * CBV term — with its place codes and an inspection's result) and growing areas (with who issued the code); banners
 * say plainly when a stamp is deactivated, reported lost or unknown. What a shopper must know comes first and then
 * nothing is green: a lot past its best-before date, a revoked / expired OCOP certificate, an expired standard
 * certification, a failed inspection (lotWarnings). The page says how many times the stamp was scanned. A "report a
 * problem" form posts without JavaScript; officers in scope are notified of each report (modules/stamps/alerts.ts).
 *
 * Rendering: the lot's fragments (warnings, card, areas, journey) are made once per lot part, language and Vietnam
 * day; the layout and the empty report form once per language; per hit only the stamp's banner, serial, code and
 * scan count are rendered; `parseScanPath` parses a Digital Link path once (memoised). The GS1 Digital Link routes
 * are the resolver's (public/resolver.ts), which renders these pages through the exports at the end of this file.
 *
 * Stamps resolve through an in-process cache of lots (modules/stamps/scan-cache.ts); a miss is one SQL statement
 * (modules/stamps/resolve.ts). The scan log is written off the response path (modules/stamps/scan-log.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { effectiveCertificateStatus, formatViDate, todayInVietnam } from '../../shared/certificate-dates.js';
import { parsePlaceUri } from '../../shared/epcis.js';
import { makeShortCode, parseDigitalLink, parseShortCode, type Gs1Result, type ParsedDigitalLink } from '../../shared/gs1.js';
import { SCAN_TEXT, type ScanLang, type ScanStrings } from '../../shared/i18n/scan.js';
import { cleanText } from '../../shared/text.js';
import type { Db } from '../db/client.js';
import type { Storage } from '../modules/files/storage.js';
import { submitScanReport } from '../modules/stamps/alerts.js';
import { findPublicPhotoKey, type LotPart, type ResolvedStamp, type ScanClient } from '../modules/stamps/resolve.js';
import type { ScanResolver } from '../modules/stamps/scan-cache.js';
import { clientClass, SCAN_FLAG_THRESHOLD, type ScanLog, type ScanRecord } from '../modules/stamps/scan-log.js';
import { createScanLimiter, type ScanLimiter } from '../modules/stamps/scan-limit.js';
import { REPORT_CONTACT_MAX, REPORT_MESSAGE_MAX } from '../modules/stamps/schema.js';
import { REPORT_CATEGORIES, type ReportCategory, type ScanOutcome } from '../modules/stamps/tables.js';
import { esc } from './html.js';


const CSS = 'body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1a1a1a;background:#f6f4ef}'
  + 'main{max-width:40rem;margin:0 auto;padding:1rem;overflow-wrap:anywhere}header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem}'
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

/** Vietnam's today, read at most once a second (every page needs it, for the footer and the day's warnings). */
let todayReadAt = 0;
let todayValue = '';
function todayVn() {
  const now = Date.now();
  if (now - todayReadAt >= 1000 || now < todayReadAt) { todayReadAt = now; todayValue = todayInVietnam(); }
  return todayValue;
}

/** A page: `path` is the canonical address of what was scanned (for the language switch and the report form). */
function layout(t: ScanStrings, lang: ScanLang, title: string, body: string, path: string) {
  const p = layoutParts(lang);
  return p.a + esc(title) + p.b + esc(switchHref(t, path)) + p.c + body + p.end();
}
const switchHref = (t: ScanStrings, path: string) => (t.switchLang === 'en' ? `${path}?lang=en` : path);

/** The page's fixed parts per language: everything but the title, the language switch's address and the body. */
type LayoutParts = { a: string; b: string; c: string; end: () => string };
const layoutCache = new Map<ScanLang, LayoutParts>();
function layoutParts(lang: ScanLang): LayoutParts {
  const hit = layoutCache.get(lang);
  if (hit) return hit;
  const t = SCAN_TEXT[lang];
  const other = t.switchLang as ScanLang;
  let endDay = '';
  let endHtml = '';
  const parts: LayoutParts = {
    a: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
      + '<meta name="robots" content="noindex"><title>',
    b: `</title><style>${CSS}</style></head><body><main><header><h1>${esc(t.title)}</h1><a href="`,
    c: `" hreflang="${other}" lang="${other}">${esc(t.switchLabel)}</a></header>`,
    // The footer names today's date (Vietnam): made again when the day changes.
    end: () => {
      const day = todayVn();
      if (day !== endDay) { endDay = day; endHtml = `<footer>${esc(t.footer(formatViDate(day)))}</footer></main></body></html>`; }
      return endHtml;
    },
  };
  layoutCache.set(lang, parts);
  return parts;
}

const banner = (cls: string, title: string, detail: string) => `<div class="s ${cls}" role="status">${esc(title)}<small>${detail}</small></div>`;
const alertBanner = (cls: string, title: string, detail: string) => `<div class="s ${cls}" role="alert">${esc(title)}<small>${detail}</small></div>`;

function stars(n: number) {
  return `<span class="st" aria-hidden="true">${'★'.repeat(n)}${'☆'.repeat(Math.max(0, 5 - n))}</span> `;
}

function certificateLine(t: ScanStrings, c: LotPart['cert'], today: string) {
  if (!c) return `<dd>${esc(t.noCert)}</dd>`;
  const eff = effectiveCertificateStatus(c.status, c.expiresOn, today);
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
 * What a shopper must know before anything green, decided for `today` (Vietnam): the lot past its best-before date,
 * a revoked / expired / superseded OCOP certificate, expired standard certifications (VietGAP, organic, HACCP…),
 * a failed inspection on the lot's journey. Empty when there is nothing to warn about.
 */
export function lotWarnings(t: ScanStrings, r: LotPart, today: string): string {
  let html = '';
  if (r.bestBefore && r.bestBefore < today) html += alertBanner('bad', t.lotExpiredTitle, esc(t.lotExpiredDetail(formatViDate(r.bestBefore))));
  if (r.cert) {
    const eff = effectiveCertificateStatus(r.cert.status, r.cert.expiresOn, today);
    const title = eff === 'revoked' ? t.certRevokedTitle : eff === 'expired' ? t.certExpiredTitle : eff === 'superseded' ? t.certSupersededTitle : null;
    if (title) html += alertBanner('bad', title, esc(t.certWarnDetail(r.cert.number)));
  }
  const expired = r.standards.filter((s) => s.validTo && s.validTo < today);
  if (expired.length) {
    html += alertBanner('warn', t.standardExpiredTitle, expired.slice(0, 12).map((s) => esc(t.standardExpiredDetail(standardName(s), formatViDate(s.validTo)))).join('<br>'));
  }
  const failed = r.journey.filter((e) => isInspection(e) && e.disp === 'non_conformant');
  if (failed.length) html += alertBanner('bad', t.inspectionFailedTitle, failed.map((e) => esc(t.inspectionFailedDetail(e.time.slice(0, 10)))).join('<br>'));
  return html;
}

const isInspection = (e: LotPart['journey'][number]) => e.kind === 'inspection' || e.step === 'inspecting';

/**
 * The parts of a lot's page that are the same for all its stamps, rendered once per lot part, language and day: the
 * lot part of a cached lot is one object shared by every scan of it (modules/stamps/scan-cache.ts) until the lot
 * changes, so a WeakMap keyed by it holds the HTML exactly as long as the data it was made from. What depends on the
 * day (warnings, whether the certificate and the standards are valid today, the footer) is made again when the
 * Vietnam date changes; what depends on the stamp (status, serial, code, scan count) is never in a fragment.
 */
type LotFragments = {
  today: string;
  /** Warnings, shown first (empty: none, and only then may the page show a green "valid" banner). */
  warnings: string;
  /** card start … certificate line … producer, lot, GTIN (the stamp's lines follow) */
  head: string;
  /** dates, standards, end of the card, areas, journey */
  tail: string;
};
const fragmentCache = new WeakMap<LotPart, Partial<Record<ScanLang, LotFragments>>>();

function lotFragments(t: ScanStrings, lang: ScanLang, r: LotPart, base: string): LotFragments {
  const today = todayVn();
  let byLang = fragmentCache.get(r);
  const hit = byLang?.[lang];
  if (hit && hit.today === today) return hit;
  let head = '<div class="card">';
  if (r.photo) {
    const [w, h] = thumbSize(r.photo.w, r.photo.h);
    head += `<img src="/anh/${esc(r.photo.id)}" width="${w}" height="${h}" loading="lazy" alt="${esc(r.productName)}">`;
  }
  head += '<dl>'
    + `<dt>${esc(t.product)}</dt><dd>${esc(r.productName)}</dd>`
    + (r.brand ? `<dt>${esc(t.brand)}</dt><dd>${esc(r.brand)}</dd>` : '')
    + `<dt>${esc(t.ocop)}</dt>` + certificateLine(t, r.cert, today)
    + `<dt>${esc(t.producer)}</dt><dd>${esc(r.producerName)}</dd>`
    // The address as the producer wrote it; the registered unit's name only when there is no address.
    + ((r.producerAddress || r.producerUnit) ? `<dt>${esc(t.address)}</dt><dd>${esc(r.producerAddress || r.producerUnit!)}</dd>` : '')
    + `<dt>${esc(t.lot)}</dt><dd>${esc(r.lotNumber)}</dd>`
    + (r.gtin ? `<dt>${esc(t.gtin)}</dt><dd>${esc(r.gtin)}</dd>` : '');
  const lotExpired = Boolean(r.bestBefore && r.bestBefore < today);
  const tail = `<dt>${esc(t.producedOn)}</dt><dd>${esc(formatViDate(r.producedOn))}</dd>`
    + `<dt>${esc(t.bestBefore)}</dt><dd${lotExpired ? ' class="err"' : ''}>${r.bestBefore ? esc(formatViDate(r.bestBefore)) : esc(t.noBestBefore)}</dd>`
    + `<dt>${esc(t.standards)}</dt><dd>${r.standards.length ? r.standards.slice(0, 12).map((s) => standardText(t, s, today)).join('; ') : esc(t.noStandards)}</dd>`
    + '</dl></div>'
    + areasSection(t, r) + journeySection(t, r, base);
  const warnings = lotWarnings(t, r, today);
  const f: LotFragments = { today, warnings, head, tail };
  if (!byLang) fragmentCache.set(r, (byLang = {}));
  byLang[lang] = f;
  return f;
}

const STANDARD_NAMES: Record<string, string> = { vietgap: 'VietGAP', globalgap: 'GlobalGAP', organic: 'Hữu cơ / Organic', haccp: 'HACCP', iso22000: 'ISO 22000', gmp: 'GMP' };
const standardName = (s: LotPart['standards'][number]) => (s.type === 'other' ? s.name || 'Khác' : STANDARD_NAMES[s.type] ?? s.type) + (s.type !== 'other' && s.name ? ` — ${s.name}` : '');
/** A standard as listed: an expired one says so (in red), never as if it still applied. */
function standardText(t: ScanStrings, s: LotPart['standards'][number], today: string) {
  if (!s.validTo) return esc(standardName(s));
  if (s.validTo < today) return `<span class="err">${esc(standardName(s))} <small>(${esc(t.expiredOn)} ${esc(formatViDate(s.validTo))})</small></span>`;
  return `${esc(standardName(s))} <small>(${esc(t.validTo)} ${esc(formatViDate(s.validTo))})</small>`;
}

function areasSection(t: ScanStrings, r: LotPart) {
  if (!r.areas.length) return '';
  return `<h2>${esc(t.areas)}</h2><div class="card"><ul>`
    + r.areas.slice(0, 20).map((a) => `<li><b>${esc(a.code)}</b> — ${esc(a.crop)}, ${esc(String(a.ha).replace('.', ','))} ${esc(t.ha)}${a.unit ? ` <small>(${esc(a.unit)})</small>` : ''}`
      + (a.issuer || a.verified != null
        ? `<br><small>${a.issuer ? `${esc(t.areaIssuer)}: ${esc(a.issuer)}` : ''}${a.issuer && a.verified != null ? ' · ' : ''}`
          + `${a.verified === true ? esc(t.areaVerified) : a.verified === false ? esc(t.areaSelfDeclared) : ''}</small>`
        : '')
      + '</li>').join('')
    + '</ul></div>';
}

/** A place URI of an event (shared/epcis.ts: growing area, packing house, free text) as people read it. */
function placeText(t: ScanStrings, uri: string, base: string) {
  const p = parsePlaceUri(uri, base);
  switch (p.kind) {
    case 'growing_area': return `${t.growingArea} ${p.code}`;
    case 'packing_house': return `${t.packingHouse} ${p.code}`;
    case 'text': return p.text;
    default: return partyText(p.uri);
  }
}

/** A party or place named by URI (EPCIS source/destination): the name a person reads, never the raw URN. */
function partyText(uri: string) {
  const party = /^urn:ocop-hub:party:(.+)$/.exec(uri);
  if (party) {
    try { return decodeURIComponent(party[1]); } catch { return party[1]; }
  }
  const gln = /^https:\/\/id\.gs1\.org\/(?:414|417)\/(\d{13})/.exec(uri);
  return gln ? `GLN ${gln[1]}` : uri;
}

/** An event's step in the shopper's words: the platform's kinds, else the CBV business step's label, never a raw term. */
function stepLabel(t: ScanStrings, e: LotPart['journey'][number]) {
  if (e.kind !== 'other' && t.kinds[e.kind]) return t.kinds[e.kind];
  return (e.step && t.steps[e.step]) || t.kinds.other;
}

/** Where an event happened: a harvest's growing-area codes (all of them, once), else its place, then source → destination. */
function eventPlace(t: ScanStrings, e: LotPart['journey'][number], base: string) {
  const parts: string[] = [];
  if (e.codes && e.codes.length) parts.push(`${t.growingArea} ${e.codes.slice(0, 10).join(', ')}`);
  else if (e.place) parts.push(placeText(t, e.place, base));
  if (e.from) parts.push(`${t.from} ${placeText(t, e.from, base)}`);
  if (e.to) parts.push(`${t.to} ${placeText(t, e.to, base)}`);
  return parts.length ? ` — ${esc(parts.join(' '))}` : '';
}

function journeySection(t: ScanStrings, r: LotPart, base: string) {
  const items = r.journey.map((e) => `<li><b>${esc(e.time)}</b> <small>(${esc(t.tzNote)}, UTC+07:00)</small> — ${esc(stepLabel(t, e))}`
    + eventPlace(t, e, base)
    + (isInspection(e) && (e.disp === 'conformant' || e.disp === 'non_conformant')
      ? (e.disp === 'conformant' ? `: <b>${esc(t.resultPass)}</b>` : `: <b class="err">${esc(t.resultFail)}</b>`) : '')
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

/** The empty report form of a scan page, split around its `ref` (made once per language). */
const FORM_MARK = '\u0000ref\u0000';
const formCache = new Map<ScanLang, [string, string]>();
function emptyReportForm(t: ScanStrings, lang: ScanLang, ref: string) {
  let f = formCache.get(lang);
  if (!f) {
    const [a, b] = reportForm(t, lang, FORM_MARK).split(FORM_MARK);
    formCache.set(lang, (f = [a, b]));
  }
  return f[0] + esc(ref) + f[1];
}

/** A stamp scanned more often than this shows a warning on its page (as the scan log flags it: scan-log.ts). */
const MANY_SCANS = SCAN_FLAG_THRESHOLD;

/** The whole page for a resolution. */
export function renderScanPage(lang: ScanLang, kind: ScanPageKind, path: string, r: ResolvedStamp | undefined, serialText: string | null, base: string) {
  const t = SCAN_TEXT[lang];
  const reasonOf = (s: string | null) => (s ? `<br>${esc(t.reason)}: ${esc(s)}` : '');
  const stamp = r && r.rangeId && r.serial !== null && r.firstNo !== null && r.firstSerial !== null
    ? { serial: r.serial, code: makeShortCode(r.firstNo + (r.serial - r.firstSerial)) } : null;
  // An unknown serial of a known lot shows nothing of the lot: a counterfeiter may copy real lot numbers.
  const showLot = r && (kind === 'ok' || kind === 'inactive' || kind === 'lost' || kind === 'lot_only');
  const f = showLot ? lotFragments(t, lang, r!.lot, base) : null;
  // This scan included: the page counts it.
  const scans = stamp && r!.scans !== null ? r!.scans + 1 : null;
  let head = '';
  let title = t.title;
  switch (kind) {
    case 'ok':
      // Nothing green above a warning: an expired lot, a revoked certificate… come first, and the stamp is then
      // only said to be genuine.
      head = f!.warnings + (scans !== null && scans > MANY_SCANS ? alertBanner('warn', t.manyScansTitle, esc(t.manyScansDetail(scans))) : '');
      if (head) { head += banner('info', t.genuineTitle, esc(t.genuineDetail(stamp!.serial, r!.lot.lotNumber))); title = `${r!.lot.productName} — ${t.warningsTitle}`; }
      else { head = banner('ok', t.okTitle, esc(t.okDetail(stamp!.serial, r!.lot.lotNumber))); title = `${r!.lot.productName} — ${t.okTitle}`; }
      break;
    case 'inactive':
      head = banner('bad', t.inactiveTitle, esc(t.inactiveDetail) + reasonOf(r!.exceptionStatus === 'inactive' ? r!.exceptionReason : r!.rangeReason)) + f!.warnings;
      title = `${t.inactiveTitle} — ${r!.lot.productName}`;
      break;
    case 'lost': head = banner('bad', t.lostTitle, esc(t.lostDetail) + reasonOf(r!.exceptionReason)) + f!.warnings; title = `${t.lostTitle} — ${r!.lot.productName}`; break;
    case 'unknown_serial': head = banner('bad', t.unknownSerialTitle, esc(t.unknownSerialDetail) + (serialText ? `<br>${esc(t.serial)}: ${esc(serialText)}` : '')); title = t.unknownSerialTitle; break;
    case 'unknown_lot': head = banner('bad', t.unknownLotTitle, esc(t.unknownLotDetail)); title = t.unknownLotTitle; break;
    case 'invalid': head = banner('bad', t.invalidTitle, esc(t.invalidDetail)); title = t.invalidTitle; break;
    case 'lot_only': head = f!.warnings + banner('info', t.lotOnlyTitle, esc(t.lotOnlyDetail)); title = `${r!.lot.productName} — ${t.lotOnlyTitle}`; break;
  }
  const p = layoutParts(lang);
  let html = p.a + esc(title) + p.b + esc(switchHref(t, path)) + p.c + head;
  if (f) {
    html += f.head;
    if (stamp) {
      html += `<dt>${esc(t.serial)}</dt><dd>${stamp.serial}</dd><dt>${esc(t.code)}</dt><dd>${esc(stamp.code)}</dd>`;
      if (scans !== null) html += `<dt>${esc(t.scanCount)}</dt><dd>${esc(t.scansText(scans))}</dd>`;
    }
    html += f.tail;
  }
  return html + emptyReportForm(t, lang, path) + p.end();
}

export function renderReportAnswer(lang: ScanLang, ref: string, ok: boolean, v: { category?: string; message?: string; contact?: string }, errors: string[]) {
  const t = SCAN_TEXT[lang];
  const back = ref ? `<p><a href="${esc(lang === 'en' ? `${ref}?lang=en` : ref)}">${esc(t.back)}</a></p>` : '';
  if (ok) return layout(t, lang, t.thanksTitle, banner('ok', t.thanksTitle, esc(t.thanksDetail)) + back, ref || '/bao-cao');
  return layout(t, lang, t.errorTitle, banner('bad', t.errorTitle, '') + reportForm(t, lang, ref, v, errors) + back, ref || '/bao-cao');
}

// ─── Resolution ─────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Digital Link paths parsed once: parsing (shared/gs1.ts: percent-decoding, GTIN check digit, canonical form) costs
 * about as much as rendering a page, and a stamp's path is scanned again and again. Pure, so memoised; bounded
 * (cleared when full: a flood of made-up paths only makes it start over).
 */
const PARSED_MAX = 20_000;
const parsedPaths = new Map<string, Gs1Result<ParsedDigitalLink>>();
export function parseScanPath(rawPath: string): Gs1Result<ParsedDigitalLink> {
  let p = parsedPaths.get(rawPath);
  if (!p) {
    p = parseDigitalLink(`http://x${rawPath}`);
    if (parsedPaths.size >= PARSED_MAX) parsedPaths.clear();
    if (rawPath.length <= 300) parsedPaths.set(rawPath, p);
  }
  return p;
}

const SERIAL_RE = /^[1-9]\d{0,9}$/;
const MAX_INT = 2_147_483_647;
const serialNumber = (s: string | null) => (s !== null && SERIAL_RE.test(s) && Number(s) <= MAX_INT ? Number(s) : null);
const langOf = (q: unknown): ScanLang => ((q as { lang?: unknown } | undefined)?.lang === 'en' ? 'en' : 'vi');

type Resolution = { kind: ScanPageKind; path: string; row: ResolvedStamp | undefined; serialText: string | null; flagRef: string | null };

/** A Digital Link path (query ignored) → what it identifies. */
function resolveLinkPath(resolver: ScanResolver, rawPath: string): Promise<Resolution> {
  return resolveLink(resolver, parseScanPath(rawPath), rawPath);
}

/** A parsed Digital Link (as shared/gs1.ts parseDigitalLink gives it) → what it identifies. */
async function resolveLink(resolver: ScanResolver, parsed: Gs1Result<ParsedDigitalLink>, rawPath: string): Promise<Resolution> {
  if (!parsed.ok || parsed.value.lot === null) return { kind: 'invalid', path: rawPath, row: undefined, serialText: null, flagRef: null };
  const p = parsed.value;
  const path = pathOfCanonical(p.canonical);
  const serial = serialNumber(p.serial);
  const row = await resolver.byLink(p.gtin, p.lot!, serial);
  // Flags of unknown things are aggregated (one open flag per GTIN, or per lot, and kind, its count bumped):
  // anyone can request 400 made-up serials in 3 s, which must not become 400 flags on a real lot (#13).
  if (!row) return { kind: 'unknown_lot', path, row, serialText: p.serial, flagRef: `/01/${p.gtin}` };
  if (p.serial === null) return { kind: 'lot_only', path, row, serialText: null, flagRef: null };
  if (!row.rangeId) return { kind: 'unknown_serial', path, row, serialText: p.serial, flagRef: row.lotId };
  return { kind: stampKind(row), path, row, serialText: p.serial, flagRef: `${row.lotId}/${row.serial}` };
}

/** The path part of a canonical Digital Link (whatever its origin). */
function pathOfCanonical(canonical: string) {
  const i = canonical.indexOf('/01/');
  return i < 0 ? canonical : canonical.slice(i);
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

function logScan(scanLog: ScanLog, resolver: ScanResolver, req: FastifyRequest, lang: ScanLang, res: Resolution) {
  const r = res.row;
  const known = r && (res.kind === 'ok' || res.kind === 'inactive' || res.kind === 'lost');
  if (known) resolver.noteScan(r!);
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
  /** A limiter shared with the GS1 resolver (public/resolver.ts): short codes and Digital Links share one budget. */
  limiter?: ScanLimiter;
}

/** Registers the short-code scan page, photos and the report form in their own scope (urlencoded form parser, HTML error pages for the form). */
export async function registerScanPages(app: FastifyInstance, deps: ScanPagesDeps): Promise<void> {
  const { db, scanLog, resolver } = deps;
  const SECURITY_HEADERS = securityHeaders(deps.publicHttps ?? false);
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).headers(SECURITY_HEADERS).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(Buffer.from(body, 'utf8'));
  const limiter = deps.limiter ?? createScanLimiter({ perMinute: deps.scanLimitPerMinute });
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

    // GS1 Digital Link paths (/01/…) are registered by the resolver (public/resolver.ts), which calls back into this
    // file for the serial and lot pages.
    const hide = { schema: { hide: true }, helmet: false as const };
    pub.get<{ Params: { code: string } }>('/t/:code', hide, async (req, reply) => {
      if (!limiter.take(req.ip)) return tooMany(req, reply);
      const lang = langOf(req.query);
      const res = await resolveCode(resolver, String(req.params.code ?? ''));
      logScan(scanLog, resolver, req, lang, res);
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
      await submitScanReport(db, {
        category: category as ReportCategory, message, contact: contact || null, ref: ref || null, lang,
        lotId: r?.lotId ?? null, productId: r?.productId ?? null, rangeId: stampKnown ? r!.rangeId : null, serial: stampKnown ? r!.serial : null,
        productName: r?.lot.productName ?? null,
      });
      return html(reply, 200, renderReportAnswer(lang, ref, true, v, []));
    });
  });
}

// ─── For the GS1 resolver (public/resolver.ts) ──────────────────────────────────────────────────────────────────

export type ScanResolution = Resolution;
export { banner as scanBanner, langOf as scanLangOf, layout as scanLayout, logScan, securityHeaders as scanSecurityHeaders, STATUS as SCAN_STATUS, stampKind };

/** The scan page with a block of the resolver's (warnings, data carried by the code) above its content. */
export function renderScanPageWithNotice(lang: ScanLang, kind: ScanPageKind, path: string, r: ResolvedStamp | undefined, serialText: string | null, base: string, noticeHtml: string) {
  const page = renderScanPage(lang, kind, path, r, serialText, base);
  if (!noticeHtml) return page;
  const at = page.indexOf('</header>') + '</header>'.length;
  return page.slice(0, at) + noticeHtml + page.slice(at);
}
