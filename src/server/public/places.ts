/**
 * Public pages of places and lots, so the URIs in EPCIS documents dereference (#14 item 4):
 *   /vung-trong/<code>     a growing area (mã số vùng trồng)
 *   /co-so-dong-goi/<code> a packing house (mã số cơ sở đóng gói)
 *   /lot/<uuid>            a lot: redirected to its GS1 Digital Link (the scan page) when it has a GTIN
 * Server-rendered HTML without JavaScript; whitelisted facts only (never a row: no coordinates, no households,
 * no contacts). A code the producer declared and no officer verified says so ("do cơ sở tự khai").
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { formatViDate, todayInVietnam } from '../../shared/certificate-dates.js';
import { buildDigitalLink } from '../../shared/gs1.js';
import type { Db } from '../db/client.js';
import { findLotJoined } from '../modules/lots/repository.js';
import { findPublicPlace, type PublicPlaceRow } from '../modules/trace/repository.js';
import { esc } from './html.js';

const CODE_RE = /^[A-Za-z0-9-]{3,40}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const MARKET_VI: Record<string, string> = {
  cn: 'Trung Quốc', jp: 'Nhật Bản', us: 'Hoa Kỳ', eu: 'Liên minh châu Âu', au: 'Úc', kr: 'Hàn Quốc', domestic: 'Trong nước', other: 'Khác',
};

const CSS = 'body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1a1a1a;background:#f6f4ef}'
  + 'main{max-width:40rem;margin:0 auto;padding:1rem}h1{font-size:1.2rem;margin:.5rem 0 1rem;color:#2e5d1f}'
  + '.s{padding:.7rem 1rem;border-radius:.5rem;font-weight:700;margin-bottom:1rem;border:2px solid}'
  + '.ok{background:#e8f5e9;border-color:#2e7d32;color:#1b5e20}.warn{background:#fff8e1;border-color:#f9a825;color:#7a5500}'
  + '.bad{background:#ffebee;border-color:#c62828;color:#b71c1c}.s small{display:block;font-weight:400;font-size:.9rem}'
  + 'dl{margin:0;background:#fff;border-radius:.5rem;padding:.5rem 1rem}dt{color:#666;font-size:.85rem;margin-top:.5rem}'
  + 'dd{margin:0 0 .3rem;font-weight:600}footer{margin-top:1.5rem;color:#666;font-size:.8rem}';

function page(title: string, body: string) {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<title>${esc(title)}</title><style>${CSS}</style></head><body><main><h1>${esc(title)}</h1>${body}`
    + `<footer>Thông tin tra cứu ngày ${formatViDate(todayInVietnam())} từ cơ sở dữ liệu OCOP Hub.</footer></main></body></html>`;
}

const html = (reply: FastifyReply, status: number, body: string, cache: string) =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', cache).send(body);

const row = (label: string, value: string | null | undefined) => (value ? `<dt>${esc(label)}</dt><dd>${esc(value)}</dd>` : '');

/** Verified by an officer, the producer's own declaration, or rejected; then whether the code is valid today. */
function banner(p: PublicPlaceRow, today: string) {
  const validity = p.validTo ? (p.validTo < today ? `Đã hết hiệu lực ngày ${formatViDate(p.validTo)}` : `Có hiệu lực đến ngày ${formatViDate(p.validTo)}`) : '';
  if (p.verificationStatus === 'rejected') return `<div class="s bad">Mã số đã bị cán bộ từ chối xác minh<small>Không dùng mã số này làm căn cứ.</small></div>`;
  if (p.verificationStatus === 'declared') return `<div class="s warn">Do cơ sở tự khai — chưa được cán bộ xác minh<small>${esc(validity || 'Mã số và cơ quan cấp do chủ thể tự khai báo.')}</small></div>`;
  const expired = p.validTo !== null && p.validTo < today;
  return `<div class="s ${expired ? 'bad' : 'ok'}">Đã được cán bộ xác minh${validity ? `<small>${esc(validity)}</small>` : ''}</div>`;
}

export function renderPlacePage(kind: 'growing_area' | 'packing_house', p: PublicPlaceRow, today = todayInVietnam()) {
  const what = kind === 'growing_area' ? 'Vùng trồng' : 'Cơ sở đóng gói';
  const unit = p.todayUnitName !== p.unitName ? `${p.todayUnitName} (trước đây: ${p.unitName})` : p.unitName;
  const authority = p.issuingAuthority ? (p.verificationStatus === 'verified' ? p.issuingAuthority : `${p.issuingAuthority} (do cơ sở tự khai)`) : null;
  const body = banner(p, today) + '<dl>'
    + row(kind === 'growing_area' ? 'Mã số vùng trồng' : 'Mã số cơ sở đóng gói', p.code)
    + row('Mã địa điểm toàn cầu (GLN)', p.gln)
    + (kind === 'growing_area' ? row('Cây trồng', p.crop) + row('Diện tích', p.areaHa !== null ? `${p.areaHa.toLocaleString('vi-VN')} ha` : null) : row('Tên cơ sở', p.name))
    + row('Địa bàn', [unit, p.todayParentName].filter(Boolean).join(', '))
    + row('Chủ sở hữu', p.producerName ?? p.ownerName)
    + row('Thị trường', p.markets.map((m) => MARKET_VI[m] ?? m).join(', ') || null)
    + row('Cơ quan cấp', authority)
    + row('Ngày cấp', p.issuedOn ? formatViDate(p.issuedOn) : null)
    + row('Hiệu lực đến', p.validTo ? formatViDate(p.validTo) : null)
    + '</dl>';
  return page(`${what} ${p.code}`, body);
}

export function renderPlaceNotFound(kind: 'growing_area' | 'packing_house', code: string) {
  const what = kind === 'growing_area' ? 'mã số vùng trồng' : 'mã số cơ sở đóng gói';
  return page('Không tìm thấy', `<div class="s bad">Không tìm thấy ${what} “${esc(code.slice(0, 40))}” trên OCOP Hub</div>`);
}

/** Registered by the trace module (the owner of places). */
export function registerPlacePages(app: FastifyInstance, db: Db) {
  for (const [path, kind] of [['/vung-trong/:code', 'growing_area'], ['/co-so-dong-goi/:code', 'packing_house']] as const) {
    app.get<{ Params: { code: string } }>(path, { schema: { hide: true } }, async (req, reply) => {
      const code = String(req.params.code ?? '').trim();
      if (!CODE_RE.test(code)) return html(reply, 404, renderPlaceNotFound(kind, code), 'no-cache');
      const p = await findPublicPlace(db, kind, code.toUpperCase());
      if (!p) return html(reply, 404, renderPlaceNotFound(kind, code), 'no-cache');
      return html(reply, 200, renderPlacePage(kind, p), 'public, max-age=60');
    });
  }

  // The platform's own lot URI (lots without GTIN in EPCIS, shared/epcis.ts lotUri): to the lot's Digital Link page
  // when it has a GTIN; otherwise a small page of the lot's public facts.
  app.get<{ Params: { id: string } }>('/lot/:id', { schema: { hide: true } }, async (req, reply) => {
    const id = String(req.params.id ?? '');
    const notFound = () => html(reply, 404, page('Không tìm thấy', '<div class="s bad">Không tìm thấy lô hàng này trên OCOP Hub</div>'), 'no-cache');
    if (!UUID_RE.test(id)) return notFound();
    const j = await findLotJoined(db, id.toLowerCase());
    if (!j) return notFound();
    if (j.lot.gtin) {
      const dl = buildDigitalLink({ base: 'http://x', gtin: j.lot.gtin, lot: j.lot.lotNumber });
      if (dl.ok) return reply.header('cache-control', 'public, max-age=300').redirect(dl.value.slice('http://x'.length), 301);
    }
    const body = '<dl>' + row('Sản phẩm', j.productName) + row('Chủ thể', j.producerName) + row('Số lô', j.lot.lotNumber)
      + row('Ngày sản xuất', formatViDate(j.lot.producedOn)) + row('Hạn sử dụng', j.lot.bestBefore ? formatViDate(j.lot.bestBefore) : null) + '</dl>';
    return html(reply, 200, page(`Lô hàng ${j.lot.lotNumber}`, body), 'public, max-age=60');
  });
}
