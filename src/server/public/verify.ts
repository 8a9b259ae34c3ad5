/**
 * Public verification page of a certificate (the QR code points here): server-rendered HTML, no JavaScript, one
 * small inline stylesheet, Vietnamese. Shows only whitelisted fields — never a row — and says plainly whether the
 * certificate is valid, about to expire, expired, revoked or replaced.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { daysBetween, effectiveCertificateStatus, formatViDate, todayInVietnam } from '../../shared/certificate-dates.js';
import { REVOCATION_REASON_LABELS_VI, type RevocationReason } from '../../shared/dossier.js';
import type { Db } from '../db/client.js';
import { prepareVerification, type VerificationRow } from '../modules/certificates/repository.js';
import { CERTIFICATE_NUMBER_RE } from '../modules/certificates/schema.js';
import { esc } from './html.js';

const verifyHref = (n: string) => `/xac-thuc/${encodeURIComponent(n)}`;

const CSS = 'body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1a1a1a;background:#f6f4ef}'
  + 'main{max-width:40rem;margin:0 auto;padding:1rem}h1{font-size:1.2rem;margin:.5rem 0 1rem;color:#8a1c1c}'
  + '.s{padding:.8rem 1rem;border-radius:.5rem;font-weight:700;font-size:1.1rem;margin-bottom:1rem;border:2px solid}'
  + '.ok{background:#e8f5e9;border-color:#2e7d32;color:#1b5e20}.warn{background:#fff8e1;border-color:#f9a825;color:#7a5500}'
  + '.bad{background:#ffebee;border-color:#c62828;color:#b71c1c}.old{background:#eceff1;border-color:#546e7a;color:#263238}'
  + '.s small{display:block;font-weight:400;font-size:.9rem}dl{margin:0;background:#fff;border-radius:.5rem;padding:.5rem 1rem}'
  + 'dt{color:#666;font-size:.85rem;margin-top:.5rem}dd{margin:0 0 .3rem;font-weight:600}.st{color:#c9a227;letter-spacing:.1em}'
  + 'form{margin-top:1.5rem;display:flex;gap:.5rem;flex-wrap:wrap}input{flex:1;min-width:12rem;padding:.5rem;font:inherit;border:1px solid #999;border-radius:.3rem}'
  + 'button{padding:.5rem 1rem;font:inherit;background:#8a1c1c;color:#fff;border:0;border-radius:.3rem}footer{margin-top:1.5rem;color:#666;font-size:.8rem}a{color:#8a1c1c}';

function page(title: string, body: string, number = '') {
  const form = `<form method="get" action="/xac-thuc"><label for="so" hidden>Số giấy chứng nhận</label>`
    + `<input id="so" name="so" value="${esc(number)}" placeholder="Nhập số giấy chứng nhận, ví dụ OCOP-2026-000123" maxlength="60" required>`
    + '<button type="submit">Tra cứu</button></form>';
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<meta name="robots" content="noindex"><link rel="icon" type="image/svg+xml" href="/favicon.ico"><title>${esc(title)}</title><style>${CSS}</style></head><body><main>`
    + `<h1>Xác thực giấy chứng nhận sản phẩm OCOP</h1>${body}${form}`
    + `<footer>Thông tin tra cứu ngày ${formatViDate(todayInVietnam())} từ cơ sở dữ liệu OCOP Hub. Đối chiếu với bản giấy chứng nhận bạn đang cầm.</footer>`
    + '</main></body></html>';
}

const stars = (n: number) => `<span class="st" aria-hidden="true">${'★'.repeat(n)}${'☆'.repeat(5 - n)}</span> ${n} sao`;

/** The status banner: what a buyer scanning the QR code needs to know first. */
function statusBanner(r: VerificationRow, today: string) {
  const eff = effectiveCertificateStatus(r.status as 'active', r.expiresOn, today);
  switch (eff) {
    case 'active':
      return `<div class="s ok">Còn hiệu lực<small>Có giá trị đến ngày ${formatViDate(r.expiresOn)}</small></div>`;
    case 'expiring': {
      const left = daysBetween(today, r.expiresOn);
      return `<div class="s warn">Còn hiệu lực — Sắp hết hạn<small>${left === 0 ? 'Hết hạn cuối ngày hôm nay' : `Còn ${left} ngày, hết hạn ngày ${formatViDate(r.expiresOn)}`}</small></div>`;
    }
    case 'expired':
      return `<div class="s bad">ĐÃ HẾT HẠN ngày ${formatViDate(r.expiresOn)}<small>Giấy chứng nhận không còn giá trị.</small></div>`;
    case 'revoked': {
      const reason = r.revokedReason === 'other' && r.revokedNote ? r.revokedNote : REVOCATION_REASON_LABELS_VI[r.revokedReason as RevocationReason] ?? '';
      return `<div class="s bad">ĐÃ BỊ THU HỒI ngày ${formatViDate(r.revokedOn)} — lý do: ${esc(reason)}<small>Giấy chứng nhận không còn giá trị.</small></div>`;
    }
    case 'superseded':
      return `<div class="s old">Đã được thay thế bởi giấy chứng nhận số ${r.successorNumber ? `<a href="${verifyHref(r.successorNumber)}">${esc(r.successorNumber)}</a>` : ''}`
        + '<small>Giấy chứng nhận này không còn giá trị; xem giấy chứng nhận mới.</small></div>';
    default:
      return '';
  }
}

export function renderCertificatePage(r: VerificationRow, today = todayInVietnam()) {
  const body = statusBanner(r, today)
    + (r.fromDemoCriteria ? '<div class="s old">DỮ LIỆU MẪU (DEMO)<small>Giấy chứng nhận này được cấp từ bộ tiêu chí mẫu để thử nghiệm hệ thống, không có giá trị công nhận.</small></div>' : '')
    + '<dl>'
    + `<dt>Số giấy chứng nhận</dt><dd>${esc(r.number)}</dd>`
    + `<dt>Sản phẩm</dt><dd>${esc(r.productName)}</dd>`
    + `<dt>Chủ thể sản xuất</dt><dd>${esc(r.producerName)}</dd>`
    + `<dt>Hạng</dt><dd>${stars(r.star)}</dd>`
    + `<dt>Quyết định công nhận</dt><dd>Số ${esc(r.decisionNumber)} ngày ${formatViDate(r.decisionDate)}</dd>`
    + `<dt>Cơ quan cấp</dt><dd>${esc(r.issuingAuthority)}</dd>`
    + `<dt>Hiệu lực</dt><dd>Từ ngày ${formatViDate(r.decisionDate)} đến ngày ${formatViDate(r.expiresOn)}</dd>`
    + '</dl>';
  return page(`Giấy chứng nhận OCOP số ${r.number}`, body, r.number);
}

export function renderNotFoundPage(number: string) {
  const body = `<div class="s bad">Không tìm thấy giấy chứng nhận số ${esc(number)}`
    + '<small>Số này không có trong cơ sở dữ liệu: hãy kiểm tra lại số đã nhập. Một giấy chứng nhận không tra cứu được có thể là giả mạo.</small></div>';
  return page('Không tìm thấy giấy chứng nhận OCOP', body, number);
}

export function renderLookupPage() {
  return page('Tra cứu giấy chứng nhận sản phẩm OCOP', '<p>Nhập số in trên giấy chứng nhận (hoặc quét mã QR trên giấy chứng nhận) để kiểm tra giấy chứng nhận còn hiệu lực hay không.</p>');
}

const html = (reply: FastifyReply, status: number, body: string, cache: string) =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', cache).send(body);

/** GET /xac-thuc/:number and the lookup form GET /xac-thuc?so=…; registered by the certificates module. */
export function registerVerificationPages(app: FastifyInstance, db: Db) {
  // One prepared statement: the unique index on certificates.number, three primary-key joins.
  const lookup = prepareVerification(db);
  const find = async (n: string) => (await lookup.execute({ number: n }))[0];

  app.get<{ Params: { number: string } }>('/xac-thuc/:number', { schema: { hide: true } }, async (req, reply) => {
    const n = String(req.params.number ?? '').trim();
    if (!CERTIFICATE_NUMBER_RE.test(n)) return html(reply, 404, renderNotFoundPage(n.slice(0, 80)), 'no-cache');
    // Numbers typed by hand may come in lower case; printed numbers are upper case.
    const row = (await find(n)) ?? (n !== n.toUpperCase() ? await find(n.toUpperCase()) : undefined);
    if (!row) return html(reply, 404, renderNotFoundPage(n), 'no-cache');
    return html(reply, 200, renderCertificatePage(row), 'public, max-age=60');
  });

  app.get<{ Querystring: { so?: string } }>('/xac-thuc', { schema: { hide: true } }, async (req, reply) => {
    const so = typeof req.query.so === 'string' ? req.query.so.trim() : '';
    if (so) return reply.header('cache-control', 'no-cache').redirect(verifyHref(so.slice(0, 80)), 303);
    return html(reply, 200, renderLookupPage(), 'public, max-age=3600');
  });
}
