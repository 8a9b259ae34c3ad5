/**
 * National-scale bench data: N producers and M products (default 10,000 / 20,000) with Vietnamese names, spread over
 * the seeded level-3 administrative units and the QĐ 148 leaves, written with multi-row INSERTs (1,000 rows per
 * statement) after the app's own migrations and reference data. Bench data only — not demo data: it skips the
 * services on purpose (the services' per-row audit writes would make 30,000 rows take minutes on PGlite).
 *
 *   node --import tsx bench/generate.ts            # DATA_DIR=… (PGlite) or DATABASE_URL=… (PostgreSQL)
 *   BENCH_PRODUCERS=10000 BENCH_PRODUCTS=20000 BENCH_SEED=148 BENCH_CERTIFICATES=50000
 *
 * Every product is recognised, and — as in the app, where the registry's star comes only from a certificate — carries
 * the fields of its active (paper) certificate; 1 % of those certificates are revoked (the product then has no star).
 * BENCH_CERTIFICATES (default: one per product) adds older, superseded certificates (earlier 3-year cycles of the
 * same products) until that many exist: the public verification benchmark reads 50,000.
 *
 * Prints one JSON line on stdout: { producers, products, certifications, channels, certificates, ms }.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { openPglite, openPostgres, type DbHandle } from '../src/server/db/client.js';
import { migrate } from '../src/server/db/migrate.js';
import { loadReferenceData } from '../src/server/seed/reference.js';
import { createUser } from '../src/server/modules/users/service.js';
import { addMonths, certificateExpiry } from '../src/shared/certificate-dates.js';

export const BENCH_LOGIN = 'bench.tinh';
export const BENCH_PASSWORD = 'Do-kiem-Hieu-nang-2026!';

const N_PRODUCERS = Number(process.env.BENCH_PRODUCERS ?? 10000);
const N_PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 20000);
const N_CERTIFICATES = Number(process.env.BENCH_CERTIFICATES ?? 0);
const BATCH = 1000;

// ---------------------------------------------------------------- deterministic randomness
let seed = Number(process.env.BENCH_SEED ?? 148) >>> 0;
function rnd() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
/** A second stream for certificate details, so adding them left the registry data (names, units, stars) unchanged. */
let cseed = (Number(process.env.BENCH_SEED ?? 148) * 7919) >>> 0;
function crnd() {
  cseed = (cseed + 0x6d2b79f5) >>> 0;
  let t = cseed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const uuid = () => crypto.randomUUID();

// ---------------------------------------------------------------- word lists
const REGIONS = [
  'Lục Ngạn', 'Thanh Hà', 'Hưng Yên', 'Mộc Châu', 'Thái Nguyên', 'Tân Cương', 'Bắc Kạn', 'Cao Bằng', 'Hà Giang',
  'Sơn La', 'Điện Biên', 'Lào Cai', 'Sa Pa', 'Yên Bái', 'Tuyên Quang', 'Phú Thọ', 'Hòa Bình', 'Nam Định',
  'Thái Bình', 'Ninh Bình', 'Thanh Hóa', 'Nghệ An', 'Hà Tĩnh', 'Quảng Bình', 'Huế', 'Quảng Nam', 'Quảng Ngãi',
  'Bình Định', 'Phú Yên', 'Khánh Hòa', 'Ninh Thuận', 'Bình Thuận', 'Phan Thiết', 'Kon Tum', 'Gia Lai', 'Đắk Lắk',
  'Buôn Ma Thuột', 'Đắk Nông', 'Lâm Đồng', 'Đà Lạt', 'Bình Phước', 'Tây Ninh', 'Đồng Nai', 'Long An', 'Tiền Giang',
  'Bến Tre', 'Vĩnh Long', 'Trà Vinh', 'Đồng Tháp', 'An Giang', 'Cần Thơ', 'Hậu Giang', 'Sóc Trăng', 'Bạc Liêu',
  'Cà Mau', 'Kiên Giang', 'Phú Quốc', 'Vạn Phúc', 'Bát Tràng', 'Đông Triều', 'Vân Đồn', 'Cát Hải', 'Đoan Hùng',
  'Hương Khê', 'Nho Quan', 'Chũ', 'Kiên Lao', 'Biển Động', 'Đèo Gia', 'Sơn Hải', 'Tân Sơn', 'Sa Lý',
] as const;

/** Product type → QĐ 148 leaf code, processing level, and name qualifiers. */
const TYPES: { name: string; leaf: string; level: string; q: string[] }[] = [
  { name: 'Vải thiều', leaf: 'I.1.a', level: 'fresh', q: ['tươi', 'chín sớm', 'VietGAP', 'loại 1'] },
  { name: 'Vải thiều sấy', leaf: 'I.3.c', level: 'processed', q: ['khô', 'nguyên cùi', 'hộp 500g'] },
  { name: 'Cam', leaf: 'I.1.a', level: 'fresh', q: ['Vinh', 'sành', 'đường Canh', 'Cao Phong', 'lòng vàng'] },
  { name: 'Bưởi', leaf: 'I.1.a', level: 'fresh', q: ['Diễn', 'da xanh', 'Năm Roi', 'Phúc Trạch', 'đường lá cam'] },
  { name: 'Nhãn', leaf: 'I.1.a', level: 'fresh', q: ['lồng', 'xuồng cơm vàng', 'muộn'] },
  { name: 'Xoài', leaf: 'I.1.a', level: 'fresh', q: ['cát Hòa Lộc', 'tứ quý', 'keo'] },
  { name: 'Thanh long', leaf: 'I.1.a', level: 'fresh', q: ['ruột đỏ', 'ruột trắng'] },
  { name: 'Gạo', leaf: 'I.2.a', level: 'pre_processed', q: ['ST25', 'tám thơm', 'nếp cái hoa vàng', 'Séng Cù', 'lứt đỏ', 'hữu cơ'] },
  { name: 'Mật ong', leaf: 'I.2.b', level: 'pre_processed', q: ['hoa nhãn', 'hoa vải', 'bạc hà', 'rừng', 'hoa cà phê'] },
  { name: 'Mỳ gạo', leaf: 'I.3.b', level: 'processed', q: ['Chũ', 'sợi nhỏ', 'gạo lứt', 'đặc biệt'] },
  { name: 'Miến dong', leaf: 'I.3.b', level: 'processed', q: ['sợi nhỏ', 'Bình Liêu', 'Na Rì', 'đặc sản'] },
  { name: 'Bánh đa', leaf: 'I.3.b', level: 'processed', q: ['nem', 'vừng', 'Kế'] },
  { name: 'Bánh chưng', leaf: 'I.3.a', level: 'processed', q: ['Tranh Khúc', 'gấc', 'đen'] },
  { name: 'Giò chả', leaf: 'I.3.d', level: 'processed', q: ['Ước Lễ', 'lụa', 'bò'] },
  { name: 'Thịt trâu gác bếp', leaf: 'I.3.d', level: 'deep_processed', q: ['hút chân không', 'Tây Bắc'] },
  { name: 'Lạp xưởng', leaf: 'I.3.d', level: 'processed', q: ['tôm', 'tươi', 'mai quế lộ'] },
  { name: 'Nước mắm', leaf: 'I.4.a', level: 'processed', q: ['cá cơm', 'nhĩ', 'truyền thống', '40 độ đạm'] },
  { name: 'Tương', leaf: 'I.4.a', level: 'processed', q: ['Bần', 'Cự Đà', 'nếp'] },
  { name: 'Muối', leaf: 'I.4.b', level: 'processed', q: ['tôm', 'ớt', 'hồng'] },
  { name: 'Chè', leaf: 'I.5.a', level: 'processed', q: ['búp', 'Shan tuyết', 'móc câu', 'xanh', 'đinh'] },
  { name: 'Trà hoa vàng', leaf: 'I.5.b', level: 'processed', q: ['sấy lạnh', 'túi lọc'] },
  { name: 'Cà phê', leaf: 'I.6', level: 'processed', q: ['Robusta', 'Arabica', 'rang xay', 'chồn'] },
  { name: 'Rượu', leaf: 'II.1.a', level: 'processed', q: ['nếp cái', 'ngô men lá', 'Làng Vân', 'Bàu Đá', 'táo mèo'] },
  { name: 'Rượu vang', leaf: 'II.1.b', level: 'deep_processed', q: ['sim', 'nho', 'vải'] },
  { name: 'Nước uống', leaf: 'II.2.a', level: 'processed', q: ['tinh khiết', 'khoáng'] },
  { name: 'Nước ép', leaf: 'II.2.b', level: 'processed', q: ['cam', 'dứa', 'nhàu'] },
  { name: 'Cao dược liệu', leaf: 'III.1', level: 'deep_processed', q: ['actiso', 'xạ đen', 'ích mẫu'] },
  { name: 'Dầu gội', leaf: 'III.2', level: 'deep_processed', q: ['bồ kết', 'thảo dược'] },
  { name: 'Tinh dầu', leaf: 'III.3', level: 'deep_processed', q: ['sả chanh', 'quế', 'tràm', 'bưởi'] },
  { name: 'Gốm', leaf: 'IV.1', level: 'processed', q: ['men lam', 'Bát Tràng', 'Chu Đậu'] },
  { name: 'Mây tre đan', leaf: 'IV.1', level: 'processed', q: ['giỏ', 'khay'] },
  { name: 'Lụa', leaf: 'IV.2', level: 'processed', q: ['tơ tằm', 'Vạn Phúc'] },
  { name: 'Hoa lan', leaf: 'V.1', level: 'fresh', q: ['hồ điệp', 'Đà Lạt'] },
  { name: 'Đào cảnh', leaf: 'V.2', level: 'fresh', q: ['Nhật Tân', 'thế'] },
  { name: 'Du lịch cộng đồng', leaf: 'VI', level: 'fresh', q: ['bản', 'làng nghề', 'sinh thái'] },
];
// Weighted so the common OCOP products dominate, as in the national registry.
const TYPE_WEIGHTS = TYPES.map((t) => (['Vải thiều', 'Mật ong', 'Chè', 'Gạo', 'Nước mắm', 'Mỳ gạo', 'Miến dong', 'Cam', 'Bưởi', 'Rượu'].includes(t.name) ? 5 : 1));
const TYPE_TOTAL = TYPE_WEIGHTS.reduce((a, b) => a + b, 0);
function pickType() {
  let r = rnd() * TYPE_TOTAL;
  for (let i = 0; i < TYPES.length; i++) if ((r -= TYPE_WEIGHTS[i]) < 0) return TYPES[i];
  return TYPES[0];
}

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Giáp', 'Thân'];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Quang', 'Thanh', 'Hữu', 'Ngọc', 'Xuân', 'Thu'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Đạt', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Hương', 'Lan', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Thắng', 'Trang', 'Tuấn', 'Việt', 'Yến'];
const BRAND_WORDS = ['Hồng Xuân', 'Phúc Lộc', 'An Khang', 'Thịnh Phát', 'Minh Long', 'Hương Quê', 'Đất Việt', 'Xanh', 'Sao Vàng', 'Kim Ngân', 'Bảo Châu', 'Tâm Đức', 'Nông Sản Sạch', 'Quê Hương', 'Việt Tiến', 'Thiên Phú', 'Hoa Sen', 'Mường Thanh'];
const person = () => `${pick(SURNAMES)} ${pick(MIDDLE)} ${pick(GIVEN)}`;

const KINDS = [
  { kind: 'cooperative', w: 45, name: (r: string, t: string) => pick([`Hợp tác xã ${t} ${r}`, `HTX Nông nghiệp ${pick(BRAND_WORDS)} ${r}`, `HTX Dịch vụ ${t} ${r}`]) },
  { kind: 'enterprise', w: 25, name: (r: string, t: string) => pick([`Công ty TNHH ${pick(BRAND_WORDS)} ${r}`, `Công ty Cổ phần ${t} ${pick(BRAND_WORDS)}`, `Công ty TNHH MTV ${pick(BRAND_WORDS)}`]) },
  { kind: 'household', w: 25, name: () => `Hộ kinh doanh ${person()}` },
  { kind: 'cooperative_group', w: 5, name: (r: string, t: string) => `Tổ hợp tác ${t} ${r}` },
] as const;
function pickKind() {
  let r = rnd() * 100;
  for (const k of KINDS) if ((r -= k.w) < 0) return k;
  return KINDS[0];
}

/** Unique valid tax codes: walk a counter over 9-digit bodies and skip those whose check digit would be 10. */
let taxCounter = 0;
function nextTaxCode(): string {
  const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  for (;;) {
    // Spread over province prefixes 01…96 so the codes look like the national register.
    const n = taxCounter++;
    const body = `${String((n % 96) + 1).padStart(2, '0')}${String(1000000 + Math.floor(n / 96) * 7919 % 9000000).padStart(7, '0')}`;
    const sum = body.split('').reduce((a, d, i) => a + Number(d) * w[i], 0);
    const c = 10 - (sum % 11);
    if (c < 10) return `${body}${c}`;
  }
}

// ---------------------------------------------------------------- inserts
/** Multi-row INSERTs of BATCH rows (bench data skips the services on purpose, see above). */
export async function insertRows(h: DbHandle, table: string, cols: string[], rows: unknown[][]) {
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    const params: unknown[] = [];
    const tuples = chunk.map((r) => `(${r.map((v) => { params.push(v); return `$${params.length}`; }).join(',')})`);
    await h.query(`insert into ${table} (${cols.join(',')}) values ${tuples.join(',')}`, params);
  }
}

export async function generate(h: DbHandle) {
  const t0 = Date.now();
  const units = (await h.query<{ id: number }>(`select id from admin_units where level = 3 order by id`)).map((r) => r.id);
  const leaves = new Map((await h.query<{ id: number; code: string }>(`select id, code from taxonomy_nodes where version = '148' and is_leaf`)).map((r) => [r.code, r.id]));
  for (const t of TYPES) if (!leaves.has(t.leaf)) throw new Error(`QĐ 148 leaf ${t.leaf} not in the reference data`);
  if (!units.length) throw new Error('no level-3 administrative units in the reference data');

  const producerCols = ['id', 'kind', 'legal_name', 'short_name', 'registration_number', 'unit_id', 'address', 'representative', 'representative_title', 'phone', 'founded_year', 'member_count', 'worker_count', 'sources'];
  const producers: unknown[][] = [];
  const pinfo: { id: string; unit: number; region: string; type: (typeof TYPES)[number] }[] = [];
  for (let i = 0; i < N_PRODUCERS; i++) {
    const k = pickKind();
    const region = pick(REGIONS);
    const type = pickType();
    const id = uuid();
    const unit = pick(units);
    const legal = k.name(region, type.name);
    producers.push([
      id, k.kind, legal, k.kind === 'household' ? null : (rnd() < 0.5 ? `${type.name} ${region}` : null), nextTaxCode(), unit,
      `Thôn ${int(1, 12)}, ${region}`, person(), k.kind === 'household' ? 'Chủ hộ' : k.kind === 'enterprise' ? 'Giám đốc' : 'Giám đốc HTX',
      `09${String(int(0, 99999999)).padStart(8, '0')}`, int(1990, 2024), k.kind === 'cooperative' ? int(7, 120) : null, int(1, 200), JSON.stringify(['bench']),
    ]);
    pinfo.push({ id, unit, region, type });
  }
  await insertRows(h, 'producers', producerCols, producers);

  const productCols = ['id', 'producer_id', 'name', 'taxonomy_node_id', 'registered_unit_id', 'processing_level', 'brand', 'description', 'raw_material_area', 'key_product', 'stars', 'recognition_year', 'decision_number', 'decision_date', 'certificate_number', 'certificate_issuer', 'certificate_expires_on', 'sources'];
  const products: unknown[][] = [];
  const certificates: unknown[][] = [];
  const chains: { productId: string; producerId: string; star: number; decisionDate: string; issuer: string; newest: string }[] = [];
  const certs: unknown[][] = [];
  const channels: unknown[][] = [];
  const namesOf = new Map<string, Set<string>>();
  const CERT = ['vietgap', 'globalgap', 'organic', 'haccp', 'iso22000', 'gmp'] as const;
  const CHAN = [['supermarket', 'WinMart'], ['supermarket', 'Co.opmart'], ['supermarket', 'Big C'], ['convenience_store', 'Circle K'], ['ocop_point', 'Điểm OCOP huyện'], ['marketplace', 'Shopee'], ['marketplace', 'Lazada'], ['marketplace', 'Tiki'], ['other', 'Xuất khẩu']] as const;
  let guard = 0;
  while (products.length < N_PRODUCTS && guard++ < N_PRODUCTS * 20) {
    // Every producer gets one product first, then the rest at random (some producers end up with many).
    const p = products.length < N_PRODUCERS ? pinfo[products.length] : pick(pinfo);
    const type = rnd() < 0.7 ? p.type : pickType();
    const name = `${type.name} ${pick(type.q)} ${rnd() < 0.7 ? p.region : pick(REGIONS)}`;
    const key = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase();
    const set = namesOf.get(p.id) ?? new Set<string>();
    if (set.has(key)) continue;
    set.add(key);
    namesOf.set(p.id, set);
    const id = uuid();
    const stars = pick([3, 3, 3, 3, 4, 4, 5]);
    const year = int(2019, 2025);
    const m = int(1, 12), d = int(1, 28);
    const decisionDate = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    // Same draws in the same order as before certificates existed (the registry bench data stay identical).
    const unitId = rnd() < 0.9 ? p.unit : pick(units);
    const brand = rnd() < 0.4 ? pick(BRAND_WORDS) : null;
    const keyProduct = rnd() < 0.1;
    const decisionNumber = `${int(100, 4999)}/QĐ-UBND`;
    const number = `OCOP-${year}-${String(products.length + 1).padStart(6, '0')}`;
    const issuer = stars === 5 ? 'Thủ tướng Chính phủ' : 'UBND tỉnh';
    const expiresOn = certificateExpiry(decisionDate);
    const revoked = crnd() < 0.01;
    const certId = uuid();
    // The product's recognition is its active certificate's (none once revoked).
    products.push([
      id, p.id, name, leaves.get(type.leaf), unitId, type.level, brand,
      `${type.name} đặc sản ${p.region}, sản xuất theo quy trình truyền thống.`, `Vùng nguyên liệu ${p.region}`, keyProduct,
      revoked ? null : stars, revoked ? null : year, revoked ? null : decisionNumber, revoked ? null : decisionDate, revoked ? null : number,
      revoked ? null : issuer, revoked ? null : expiresOn, JSON.stringify(['bench']),
    ]);
    certificates.push([
      certId, number, id, p.id, stars, decisionNumber, decisionDate, issuer, issuer.replace(/^UBND /, ''), expiresOn,
      revoked ? 'revoked' : 'active', revoked ? 'inspection_violation' : null, revoked ? new Date(Math.min(Date.now() - 86_400_000, Date.parse(`${decisionDate}T00:00:00Z`) + 400 * 86_400_000)) : null, null, true,
    ]);
    chains.push({ productId: id, producerId: p.id, star: stars, decisionDate, issuer, newest: certId });
    if (rnd() < 0.3) {
      const types = new Set([pick(CERT), ...(rnd() < 0.2 ? [pick(CERT)] : [])]);
      for (const t of types) certs.push([uuid(), id, t, null, 'Trung tâm chứng nhận', `CN-${int(1000, 99999)}`, `${year}-01-01`, `${year + 3}-01-01`]);
    }
    const nch = rnd() < 0.5 ? int(1, 3) : 0;
    const used = new Set<number>();
    for (let c = 0; c < nch; c++) {
      const i = int(0, CHAN.length - 1);
      if (used.has(i)) continue;
      used.add(i);
      channels.push([uuid(), id, CHAN[i][0], CHAN[i][1]]);
    }
  }
  await insertRows(h, 'products', productCols, products);
  // Older cycles: certificate k years×3 back, superseded by the next newer one of the same product.
  const certCols = ['id', 'number', 'product_id', 'producer_id', 'star', 'decision_number', 'decision_date', 'issuing_authority', 'issuing_unit_name', 'expires_on', 'status', 'revoked_reason', 'revoked_at', 'superseded_by', 'is_legacy'];
  let depth = 1;
  const history: unknown[][] = [];
  while (certificates.length + history.length < N_CERTIFICATES) {
    for (const c of chains) {
      if (certificates.length + history.length >= N_CERTIFICATES) break;
      const decisionDate = addMonths(c.decisionDate, -36 * depth);
      const id = uuid();
      history.push([
        id, `OCOP-${decisionDate.slice(0, 4)}-H${String(history.length + 1).padStart(6, '0')}`, c.productId, c.producerId, Math.max(3, c.star - (crnd() < 0.3 ? 1 : 0)),
        `${100 + Math.floor(crnd() * 4900)}/QĐ-UBND`, decisionDate, c.issuer, c.issuer.replace(/^UBND /, ''), certificateExpiry(decisionDate), 'superseded', null, null, c.newest, true,
      ]);
      c.newest = id;
    }
    depth++;
  }
  await insertRows(h, 'certificates', certCols, certificates);
  await insertRows(h, 'certificates', certCols, history);
  // Numbers the app issues next (OCOP-<year>-<sequence>) must not meet the generated ones.
  await h.query(`select setval('certificate_number_seq', $1)`, [certificates.length + 1]);
  await insertRows(h, 'product_certifications', ['id', 'product_id', 'type', 'name', 'issuer', 'number', 'valid_from', 'valid_to'], certs);
  await insertRows(h, 'product_channels', ['id', 'product_id', 'kind', 'name'], channels);
  // A production database has been auto-analysed long before it holds 30,000 rows; give the planner the same.
  await h.execScript('analyze');
  return { producers: producers.length, products: products.length, certifications: certs.length, channels: channels.length, certificates: certificates.length + history.length, ms: Date.now() - t0 };
}

async function main() {
  const url = process.env.DATABASE_URL;
  const h = url ? await openPostgres(url, 2) : await openPglite(path.join(path.resolve(process.env.DATA_DIR ?? './data'), 'db'));
  try {
    await migrate(h);
    await loadReferenceData(h.db);
    const existing = await h.query<{ n: number }>('select count(*)::int as n from producers');
    if (existing[0].n > 0) throw new Error(`database already holds ${existing[0].n} producers: generate into an empty database`);
    const stats = await generate(h);
    await createUser(h.db, { system: 'bench' }, {
      login: BENCH_LOGIN, password: BENCH_PASSWORD, role: 'province_officer', fullName: 'Cán bộ tỉnh (bench)',
      email: null, phone: null, locale: 'vi', unitIds: [], producerId: null,
    });
    console.log(JSON.stringify(stats));
  } finally {
    await h.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  });
}
