/**
 * Programme indicators: each one a named definition with its rule in words, evaluated on facts loaded from the
 * registry (products, certificates, certifications, channels, units) at any date. Pure functions: no database here,
 * so every definition is unit-tested on hand-built facts (indicators.unit.test.ts), and the drill-down is the very
 * list the number was counted from (value = records.length for counts, numerator = records.length for shares).
 */
import { daysBetween } from '../../../shared/certificate-dates.js';

export type IndicatorUnit = 'count' | 'percent' | 'million_vnd';
export type DossierKind = 'first' | 'reevaluation' | 'upgrade';

export interface UnitFact { id: number; key: string; name: string; type: string; level: number; parentId: number | null; validFrom: string | null; validTo: string | null }
export interface SuccessionFact { predecessorId: number; successorId: number; effectiveOn: string }
export interface ProductFact {
  id: string; name: string; producerId: string; producerName: string; registeredUnitId: number;
  processingLevel: 'fresh' | 'pre_processed' | 'processed' | 'deep_processed' | string; keyProduct: boolean;
  /** The craft village the producer belongs to (current membership: it carries no dates). */
  craftVillageId?: string | null;
}
/** A craft village of the reference list: recognised from its decision date (none = date unknown), until revoked. */
export interface CraftVillageFact { id: string; name: string; recognisedOn: string | null; revokedOn: string | null }
export interface CertificateFact {
  id: string; number: string; productId: string; star: number; decisionDate: string; expiresOn: string;
  status: 'active' | 'superseded' | 'revoked' | string;
  /** The date (Vietnam) the revocation was recorded; null unless revoked. */
  revokedOn: string | null;
  supersededById: string | null;
  /** Kind of the dossier the certificate was issued from; null for paper (legacy) certificates. */
  dossierKind: DossierKind | null;
}
export interface CertificationFact { productId: string; type: string; validFrom: string | null; validTo: string | null }
export interface ChannelFact { productId: string; kind: string }
export interface BudgetFact { id: string; kind: 'commitment' | 'disbursement' | string; fundingSource: string; entryDate: string; amountVnd: number; description: string }
export interface EventFact { id: string; type: string; title: string; startsOn: string; status: string; unitId: number; attendance: number | null }
export interface SupportFact { id: string; productId: string | null; producerId: string; type: string; activityDate: string; status: string; amountVnd: number }

export interface Facts {
  units: UnitFact[];
  successions: SuccessionFact[];
  products: ProductFact[];
  certificates: CertificateFact[];
  certifications: CertificationFact[];
  channels: ChannelFact[];
  /** Support activities of the area's producers and products (empty when not loaded). */
  support: SupportFact[];
  /** The plan's commitments and disbursements (empty when evaluated without a plan). */
  budget: BudgetFact[];
  /** Events held by units of the area. */
  events: EventFact[];
  /** Craft villages the area's producers belong to (absent or empty: no producer belongs to one). */
  craftVillages?: CraftVillageFact[];
}

export interface IndicatorRecord {
  kind: 'product' | 'certificate' | 'producer' | 'event' | 'budget_entry';
  id: string;
  label: string;
  productId: string | null;
  productName: string | null;
  producerName: string | null;
  unitName: string | null;
  star: number | null;
  date: string | null;
  detail: string | null;
  /** For money records: the amount in VND (the list's amounts add up to the number in million VND). */
  amountVnd: number | null;
}

export interface Evaluation {
  value: number;
  /** The records behind the number: for counts value = records.length, for shares numerator = records.length. */
  records: IndicatorRecord[];
  numerator?: number;
  denominator?: number;
}

export interface EvalContext {
  facts: Facts;
  /** Stock indicators are read on this date; flow indicators count events up to it. */
  asOf: string;
  /** Flow indicators count events from this date (inclusive). */
  from: string;
  /** Restricts the products considered (a commune, an officer's scope); all the facts' products when absent. */
  productIds?: Set<string>;
  /** Restricts money indicators to one funding source. */
  fundingSource?: string | null;
  /** Restricts unit-based records (events) to these units; all the area's units when absent. */
  unitIds?: Set<number>;
}

export interface IndicatorDef {
  code: string;
  nameVi: string;
  nameEn: string;
  unit: IndicatorUnit;
  /** stock: a state on a date (trend from the baseline); flow: events counted over a period. */
  nature: 'stock' | 'flow';
  ruleVi: string;
  ruleEn: string;
  evaluate: ((ctx: EvalContext) => Evaluation) | null;
  /** Why a target on this indicator cannot be measured yet (no data model for it). */
  notMeasuredVi?: string;
}

// ─── Rules ───────────────────────────────────────────────────────────────────────────────────────────────────────

const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));

/**
 * The certificate in force on a date: decision_date ≤ date ≤ expires_on, not revoked by then (a revocation takes
 * effect from the day it is recorded), and not superseded by then (the superseding certificate's decision date is
 * after the date). At most one per product; when data disagree the latest decision wins.
 */
export function effectiveCertificate(certs: CertificateFact[], all: Map<string, CertificateFact>, date: string): CertificateFact | undefined {
  let best: CertificateFact | undefined;
  for (const c of certs) {
    if (c.decisionDate > date || c.expiresOn < date) continue;
    if (c.status === 'revoked' && (c.revokedOn === null || c.revokedOn <= date)) continue;
    if (c.supersededById) {
      const s = all.get(c.supersededById);
      if (!s || s.decisionDate <= date) continue;
    }
    if (!best || c.decisionDate > best.decisionDate) best = c;
  }
  return best;
}

/** How a certificate counts in the plan: the dossier's kind; for paper certificates, compared with the previous one. */
export function classifyCertificate(c: CertificateFact, ofProduct: CertificateFact[]): DossierKind {
  if (c.dossierKind) return c.dossierKind;
  const previous = ofProduct.filter((x) => x.id !== c.id && x.decisionDate < c.decisionDate).sort((a, b) => (a.decisionDate < b.decisionDate ? 1 : -1))[0];
  if (!previous) return 'first';
  return c.star > previous.star ? 'upgrade' : 'reevaluation';
}

/**
 * Units by id and successions by predecessor, built once per set of facts (the panel asks communeOn for every unit and
 * product of a province, for several dates), with the answers memoised per unit and date. Rebuilt when the arrays
 * change (hand-built facts in tests may grow between calls).
 */
interface UnitIndex { units: Map<number, UnitFact>; next: Map<number, SuccessionFact[]>; size: number; memo: Map<string, number> }
const unitIndexes = new WeakMap<UnitFact[], { successions: SuccessionFact[]; ix: UnitIndex }>();
function unitIndex(facts: Pick<Facts, 'units' | 'successions'>): UnitIndex {
  const hit = unitIndexes.get(facts.units);
  const size = facts.units.length * 100_003 + facts.successions.length;
  if (hit && hit.successions === facts.successions && hit.ix.size === size) return hit.ix;
  const units = new Map(facts.units.map((u) => [u.id, u]));
  const next = new Map<number, SuccessionFact[]>();
  for (const s of facts.successions) next.set(s.predecessorId, [...(next.get(s.predecessorId) ?? []), s]);
  for (const list of next.values()) list.sort((a, b) => a.successorId - b.successorId);
  const ix = { units, next, size, memo: new Map<string, number>() };
  unitIndexes.set(facts.units, { successions: facts.successions, ix });
  return ix;
}

/** The commune-level unit a record registered under `unitId` belongs to on `date`, following successions forward. */
export function communeOn(facts: Pick<Facts, 'units' | 'successions'>, unitId: number, date: string): number {
  const ix = unitIndex(facts);
  const key = `${unitId}|${date}`;
  const known = ix.memo.get(key);
  if (known !== undefined) return known;
  let id = unitId;
  for (let guard = 0; guard < 20; guard++) {
    const u = ix.units.get(id);
    if (!u || u.validTo === null || u.validTo >= date) break;
    // The lowest successor id among those in effect by then that are commune level or below (as before: sorted by id).
    const next = (ix.next.get(id) ?? []).find((s) => s.effectiveOn <= date && (ix.units.get(s.successorId)?.level ?? 0) >= 3);
    if (!next) break;
    id = next.successorId;
  }
  ix.memo.set(key, id);
  return id;
}

const VALID_CERTIFICATION = (c: CertificationFact, date: string) => (c.validFrom === null || c.validFrom <= date) && (c.validTo === null || c.validTo >= date);
export const PROCESSED_LEVELS = new Set(['pre_processed', 'processed', 'deep_processed']);
export const MODERN_CHANNELS = new Set(['supermarket', 'convenience_store', 'marketplace']);

interface Prepared {
  products: ProductFact[];
  certsByProduct: Map<string, CertificateFact[]>;
  allCerts: Map<string, CertificateFact>;
  unitName: (id: number) => string;
}

interface FactsIndex {
  certsByProduct: Map<string, CertificateFact[]>;
  allCerts: Map<string, CertificateFact>;
  unitNames: Map<number, string>;
  /** Position of each product in facts.products (restricted lists keep that order). */
  productIndex: Map<string, number>;
  /** Restricted product lists, per restriction set (the panel asks ten indicators about each commune's set). */
  restricted: WeakMap<Set<string>, ProductFact[]>;
  /** The certificate in force per product, per date (null: none). */
  effective: Map<string, Map<string, CertificateFact | null>>;
}
const cache = new WeakMap<Facts, FactsIndex>();
function factsIndex(facts: Facts): FactsIndex {
  let c = cache.get(facts);
  if (!c) {
    const certsByProduct = new Map<string, CertificateFact[]>();
    for (const x of facts.certificates) certsByProduct.set(x.productId, [...(certsByProduct.get(x.productId) ?? []), x]);
    c = {
      certsByProduct, allCerts: byId(facts.certificates), unitNames: new Map(facts.units.map((u) => [u.id, u.name])),
      productIndex: new Map(facts.products.map((p, i) => [p.id, i])), restricted: new WeakMap(), effective: new Map(),
    };
    cache.set(facts, c);
  }
  return c;
}
function prepare(ctx: EvalContext): Prepared {
  const c = factsIndex(ctx.facts);
  const names = c.unitNames;
  let products = ctx.facts.products;
  if (ctx.productIds) {
    let list = c.restricted.get(ctx.productIds);
    if (!list) {
      const at: number[] = [];
      for (const id of ctx.productIds) { const i = c.productIndex.get(id); if (i !== undefined) at.push(i); }
      list = at.sort((a, b) => a - b).map((i) => ctx.facts.products[i]);
      c.restricted.set(ctx.productIds, list);
    }
    products = list;
  }
  return { products, certsByProduct: c.certsByProduct, allCerts: c.allCerts, unitName: (id) => names.get(id) ?? String(id) };
}

function recognisedOn(ctx: EvalContext) {
  const p = prepare(ctx);
  const ix = factsIndex(ctx.facts);
  let onDate = ix.effective.get(ctx.asOf);
  if (!onDate) ix.effective.set(ctx.asOf, (onDate = new Map()));
  const out: { product: ProductFact; cert: CertificateFact }[] = [];
  for (const product of p.products) {
    let cert = onDate.get(product.id);
    if (cert === undefined) {
      cert = effectiveCertificate(p.certsByProduct.get(product.id) ?? [], p.allCerts, ctx.asOf) ?? null;
      onDate.set(product.id, cert);
    }
    if (cert) out.push({ product, cert });
  }
  return { list: out, unitName: p.unitName };
}

const productRecord = (product: ProductFact, cert: CertificateFact | null, unitName: (id: number) => string, detail: string | null = null): IndicatorRecord => ({
  kind: 'product', id: product.id, label: product.name, productId: product.id, productName: product.name, producerName: product.producerName,
  unitName: unitName(product.registeredUnitId), star: cert?.star ?? null, date: cert?.decisionDate ?? null, detail: detail ?? (cert ? cert.number : null), amountVnd: null,
});

const count = (records: IndicatorRecord[]): Evaluation => ({ value: records.length, records });
const share = (records: IndicatorRecord[], denominator: number): Evaluation => ({
  value: denominator === 0 ? 0 : Math.round((1000 * records.length) / denominator) / 10, records, numerator: records.length, denominator,
});

function recognisedWithStar(star: number | null) {
  return (ctx: EvalContext) => {
    const { list, unitName } = recognisedOn(ctx);
    return count(list.filter((x) => star === null || x.cert.star === star).map((x) => productRecord(x.product, x.cert, unitName)));
  };
}

function certificatesOfKind(kind: DossierKind) {
  return (ctx: EvalContext) => {
    const p = prepare(ctx);
    const records: IndicatorRecord[] = [];
    for (const product of p.products) {
      const certs = p.certsByProduct.get(product.id) ?? [];
      for (const c of certs) {
        if (c.decisionDate < ctx.from || c.decisionDate > ctx.asOf) continue;
        if (c.status === 'revoked' && (c.revokedOn === null || c.revokedOn <= ctx.asOf)) continue;
        if (classifyCertificate(c, certs) !== kind) continue;
        records.push({ ...productRecord(product, c, p.unitName), kind: 'certificate', id: c.id, label: `${c.number} — ${product.name}` });
      }
    }
    records.sort((a, b) => ((a.date ?? '') < (b.date ?? '') ? -1 : 1));
    return count(records);
  };
}

function shareOfRecognised(test: (product: ProductFact, ctx: EvalContext) => string | null) {
  return (ctx: EvalContext) => {
    const { list, unitName } = recognisedOn(ctx);
    const records: IndicatorRecord[] = [];
    for (const x of list) {
      const why = test(x.product, ctx);
      if (why !== null) records.push(productRecord(x.product, x.cert, unitName, why));
    }
    return share(records, list.length);
  };
}

export const INDICATORS: IndicatorDef[] = [
  {
    code: 'products_recognised', nameVi: 'Sản phẩm OCOP được công nhận (còn hiệu lực)', nameEn: 'Recognised OCOP products (in force)', unit: 'count', nature: 'stock',
    ruleVi: 'Số sản phẩm có giấy chứng nhận đang có hiệu lực vào ngày xét: ngày quyết định ≤ ngày xét ≤ ngày hết hạn, chưa bị thu hồi và chưa bị thay thế vào ngày đó.',
    ruleEn: 'Products with a certificate in force on the date: decision date ≤ date ≤ expiry, not revoked and not superseded by then.',
    evaluate: recognisedWithStar(null),
  },
  ...[3, 4, 5].map((s): IndicatorDef => ({
    code: `products_${s}star`, nameVi: `Sản phẩm đạt ${s} sao`, nameEn: `${s}★ products`, unit: 'count', nature: 'stock',
    ruleVi: `Số sản phẩm mà giấy chứng nhận đang có hiệu lực vào ngày xét là hạng ${s} sao.`,
    ruleEn: `Products whose certificate in force on the date is ${s}★.`,
    evaluate: recognisedWithStar(s),
  })),
  {
    code: 'products_new', nameVi: 'Sản phẩm phát triển mới', nameEn: 'New products', unit: 'count', nature: 'flow',
    ruleVi: 'Số giấy chứng nhận có ngày quyết định trong kỳ, cấp từ hồ sơ đăng ký lần đầu (giấy chứng nhận bản giấy: sản phẩm chưa từng có giấy chứng nhận trước đó); không tính giấy đã bị thu hồi.',
    ruleEn: 'Certificates decided in the period from a first-registration dossier (paper: the product had no earlier certificate); revoked ones excluded.',
    evaluate: certificatesOfKind('first'),
  },
  {
    code: 'products_reevaluated', nameVi: 'Sản phẩm đánh giá lại', nameEn: 'Re-evaluated products', unit: 'count', nature: 'flow',
    ruleVi: 'Số giấy chứng nhận có ngày quyết định trong kỳ, cấp từ hồ sơ đánh giá lại (giấy chứng nhận bản giấy: đã có giấy trước đó và hạng sao không tăng); không tính giấy đã bị thu hồi.',
    ruleEn: 'Certificates decided in the period from a re-evaluation dossier (paper: an earlier certificate exists and the star did not rise); revoked excluded.',
    evaluate: certificatesOfKind('reevaluation'),
  },
  {
    code: 'products_upgraded', nameVi: 'Sản phẩm nâng hạng sao', nameEn: 'Upgraded products', unit: 'count', nature: 'flow',
    ruleVi: 'Số giấy chứng nhận có ngày quyết định trong kỳ, cấp từ hồ sơ nâng hạng (giấy chứng nhận bản giấy: hạng sao cao hơn giấy trước đó); không tính giấy đã bị thu hồi.',
    ruleEn: 'Certificates decided in the period from an upgrade dossier (paper: a higher star than the previous certificate); revoked excluded.',
    evaluate: certificatesOfKind('upgrade'),
  },
  {
    code: 'producers_recognised', nameVi: 'Chủ thể có sản phẩm OCOP được công nhận', nameEn: 'Producers with recognised products', unit: 'count', nature: 'stock',
    ruleVi: 'Số chủ thể (doanh nghiệp, HTX, hộ…) có ít nhất một sản phẩm có giấy chứng nhận đang có hiệu lực vào ngày xét.',
    ruleEn: 'Producers with at least one product whose certificate is in force on the date.',
    evaluate: (ctx) => {
      const { list } = recognisedOn(ctx);
      const by = new Map<string, { name: string; products: string[] }>();
      for (const x of list) {
        const e = by.get(x.product.producerId) ?? { name: x.product.producerName, products: [] };
        e.products.push(x.product.name);
        by.set(x.product.producerId, e);
      }
      return count([...by.entries()].map(([id, e]) => ({
        kind: 'producer' as const, id, label: e.name, productId: null, productName: null, producerName: e.name, unitName: null, star: null, date: null,
        detail: e.products.join('; '), amountVnd: null,
      })).sort((a, b) => a.label.localeCompare(b.label, 'vi')));
    },
  },
  {
    code: 'share_processed', nameVi: 'Tỷ lệ sản phẩm OCOP qua sơ chế, chế biến, chế biến sâu', nameEn: 'Share processed', unit: 'percent', nature: 'stock',
    ruleVi: 'Trong các sản phẩm đang được công nhận vào ngày xét: tỷ lệ có mức chế biến "sơ chế", "chế biến" hoặc "chế biến sâu" (trường mức chế biến của sản phẩm, giá trị hiện tại).',
    ruleEn: 'Among products recognised on the date: share whose processing level is pre-processed, processed or deep-processed (current value).',
    evaluate: shareOfRecognised((p) => (PROCESSED_LEVELS.has(p.processingLevel) ? p.processingLevel : null)),
  },
  {
    code: 'share_certified', nameVi: 'Tỷ lệ sản phẩm OCOP đạt chứng nhận chất lượng (ISO, HACCP, VietGAP, GlobalGAP, GMP…)', nameEn: 'Share with a quality certification', unit: 'percent', nature: 'stock',
    ruleVi: 'Trong các sản phẩm đang được công nhận vào ngày xét: tỷ lệ có ít nhất một chứng nhận chất lượng còn hiệu lực vào ngày đó (từ ngày ≤ ngày xét ≤ đến ngày; ngày để trống coi như không giới hạn). "Ứng dụng công nghệ cao" chưa có dữ liệu riêng nên chưa tính.',
    ruleEn: 'Among products recognised on the date: share holding at least one quality certification valid on that date. "High technology" has no data of its own yet and is not counted.',
    evaluate: (ctx) => {
      const byProduct = new Map<string, string[]>();
      for (const c of ctx.facts.certifications) if (VALID_CERTIFICATION(c, ctx.asOf)) byProduct.set(c.productId, [...(byProduct.get(c.productId) ?? []), c.type]);
      return shareOfRecognised((p) => byProduct.get(p.id)?.join(', ') ?? null)(ctx);
    },
  },
  {
    code: 'share_modern_channels', nameVi: 'Tỷ lệ sản phẩm OCOP tham gia kênh bán hàng hiện đại', nameEn: 'Share on modern channels', unit: 'percent', nature: 'stock',
    ruleVi: 'Trong các sản phẩm đang được công nhận vào ngày xét: tỷ lệ có kênh bán hàng là siêu thị, cửa hàng tiện lợi hoặc sàn thương mại điện tử (điểm bán OCOP không tính; kênh bán chưa có ngày nên dùng hiện trạng).',
    ruleEn: 'Among products recognised on the date: share sold through a supermarket, convenience store or e-commerce marketplace (OCOP points excluded; channels carry no dates, so their current state is used).',
    evaluate: (ctx) => {
      const byProduct = new Map<string, string[]>();
      for (const c of ctx.facts.channels) if (MODERN_CHANNELS.has(c.kind)) byProduct.set(c.productId, [...new Set([...(byProduct.get(c.productId) ?? []), c.kind])]);
      return shareOfRecognised((p) => byProduct.get(p.id)?.join(', ') ?? null)(ctx);
    },
  },
  {
    code: 'key_products', nameVi: 'Sản phẩm chủ lực của xã', nameEn: 'Key products of the commune', unit: 'count', nature: 'stock',
    ruleVi: 'Số sản phẩm được đánh dấu "sản phẩm chủ lực" (đã hoặc chưa được công nhận OCOP), tính theo xã mà đơn vị đăng ký của sản phẩm thuộc về vào ngày xét (theo các lần sắp xếp đơn vị hành chính). Dấu chủ lực chưa có ngày nên dùng hiện trạng.',
    ruleEn: 'Products marked as key products (recognised or not), by the commune their registered unit belongs to on the date (following reorganisations). The mark carries no date, so its current state is used.',
    evaluate: (ctx) => {
      const p = prepare(ctx);
      return count(p.products.filter((x) => x.keyProduct).map((x) => productRecord(x, effectiveCertificate(p.certsByProduct.get(x.id) ?? [], p.allCerts, ctx.asOf) ?? null, p.unitName, null)));
    },
  },
  {
    code: 'share_craft_village', nameVi: 'Tỷ lệ sản phẩm OCOP của làng nghề, làng nghề truyền thống', nameEn: 'Share from craft villages', unit: 'percent', nature: 'stock',
    ruleVi: 'Trong các sản phẩm đang được công nhận vào ngày xét: tỷ lệ sản phẩm có chủ thể thuộc một làng nghề của danh mục làng nghề đang được công nhận vào ngày đó (ngày công nhận ≤ ngày xét, chưa bị thu hồi; làng nghề chưa ghi ngày công nhận coi như đã công nhận). Chủ thể thuộc làng nghề nào là dữ liệu hiện tại (chưa có ngày).',
    ruleEn: 'Among products recognised on the date: share whose producer belongs to a craft village of the reference list recognised on that date (recognition date ≤ date, not revoked; a village without a recognition date counts as recognised). Membership is current data (it carries no dates).',
    evaluate: (ctx) => {
      const villages = new Map((ctx.facts.craftVillages ?? []).map((v) => [v.id, v]));
      return shareOfRecognised((p) => {
        const v = p.craftVillageId ? villages.get(p.craftVillageId) : undefined;
        if (!v || (v.recognisedOn !== null && v.recognisedOn > ctx.asOf) || (v.revokedOn !== null && v.revokedOn <= ctx.asOf)) return null;
        return v.name;
      })(ctx);
    },
  },
  {
    code: 'products_supported', nameVi: 'Sản phẩm được hỗ trợ nâng cấp, hoàn thiện', nameEn: 'Products supported', unit: 'count', nature: 'flow',
    ruleVi: 'Số sản phẩm (không trùng) có ít nhất một hoạt động hỗ trợ đã hoàn thành, ngày thực hiện trong kỳ (tem nhãn, bao bì, truy xuất, nhãn hiệu, website, kiểm nghiệm, quản lý chất lượng, xúc tiến thương mại, thiết bị, tập huấn). Hỗ trợ chung cho chủ thể không gắn sản phẩm không tính.',
    ruleEn: 'Distinct products with at least one support activity done, dated within the period. Support to a producer without a product does not count.',
    evaluate: (ctx) => {
      const p = prepare(ctx);
      const inScope = new Map(p.products.map((x) => [x.id, x]));
      const by = new Map<string, string[]>();
      for (const s of ctx.facts.support) {
        if (!s.productId || s.status !== 'done' || s.activityDate < ctx.from || s.activityDate > ctx.asOf || !inScope.has(s.productId)) continue;
        by.set(s.productId, [...(by.get(s.productId) ?? []), s.type]);
      }
      return count([...by.entries()].map(([id, types]) => productRecord(inScope.get(id)!, null, p.unitName, [...new Set(types)].join(', ')))
        .sort((a, b) => a.label.localeCompare(b.label, 'vi')));
    },
  },
  {
    code: 'awareness_sessions', nameVi: 'Cuộc tuyên truyền, nâng cao nhận thức', nameEn: 'Awareness sessions held', unit: 'count', nature: 'flow',
    ruleVi: 'Số sự kiện loại "tuyên truyền, nâng cao nhận thức" đã tổ chức (trạng thái đã tổ chức), ngày bắt đầu trong kỳ, do đơn vị thuộc địa bàn tổ chức.',
    ruleEn: 'Events of type awareness session, held, starting within the period, organised by a unit of the area.',
    evaluate: (ctx) => eventsOf(ctx, new Set(['awareness'])),
  },
  {
    code: 'events_held', nameVi: 'Sự kiện xúc tiến, đào tạo đã tổ chức', nameEn: 'Events held', unit: 'count', nature: 'flow',
    ruleVi: 'Số hội chợ, triển lãm, hội nghị xúc tiến thương mại, lớp tập huấn, phiên bán hàng trực tiếp (livestream) đã tổ chức, ngày bắt đầu trong kỳ.',
    ruleEn: 'Fairs, exhibitions, trade-promotion conferences, training courses and live-selling sessions held, starting within the period.',
    evaluate: (ctx) => eventsOf(ctx, new Set(['fair', 'exhibition', 'trade_conference', 'training', 'live_selling'])),
  },
  {
    code: 'budget_total', nameVi: 'Kinh phí đã giải ngân', nameEn: 'Money disbursed', unit: 'million_vnd', nature: 'flow',
    ruleVi: 'Tổng các khoản giải ngân của kế hoạch có ngày trong kỳ (theo nguồn vốn khi chỉ tiêu ghi nguồn), tính bằng triệu đồng; so với tổng nhu cầu vốn của kế hoạch.',
    ruleEn: 'Sum of the plan’s disbursements dated within the period (by funding source when the target names one), in million VND.',
    evaluate: (ctx) => moneyOf(ctx, 'disbursement'),
  },
  {
    code: 'budget_committed', nameVi: 'Kinh phí đã cam kết', nameEn: 'Money committed', unit: 'million_vnd', nature: 'flow',
    ruleVi: 'Tổng các khoản cam kết (đã phân bổ cho hoạt động, sự kiện) của kế hoạch có ngày trong kỳ, tính bằng triệu đồng.',
    ruleEn: 'Sum of the plan’s commitments dated within the period, in million VND.',
    evaluate: (ctx) => moneyOf(ctx, 'commitment'),
  },
];

export const INDICATOR_BY_CODE = new Map(INDICATORS.map((d) => [d.code, d]));

function eventsOf(ctx: EvalContext, types: Set<string>): Evaluation {
  const names = new Map(ctx.facts.units.map((u) => [u.id, u.name]));
  const records: IndicatorRecord[] = ctx.facts.events
    .filter((e) => types.has(e.type) && e.status === 'held' && e.startsOn >= ctx.from && e.startsOn <= ctx.asOf && (!ctx.unitIds || ctx.unitIds.has(e.unitId)))
    .sort((a, b) => (a.startsOn < b.startsOn ? -1 : 1))
    .map((e) => ({
      kind: 'event', id: e.id, label: e.title, productId: null, productName: null, producerName: null, unitName: names.get(e.unitId) ?? null, star: null,
      date: e.startsOn, detail: e.attendance === null ? e.type : `${e.type} · ${e.attendance}`, amountVnd: null,
    }));
  return count(records);
}

function moneyOf(ctx: EvalContext, kind: 'commitment' | 'disbursement'): Evaluation {
  const records: IndicatorRecord[] = ctx.facts.budget
    .filter((b) => b.kind === kind && b.entryDate >= ctx.from && b.entryDate <= ctx.asOf && (!ctx.fundingSource || b.fundingSource === ctx.fundingSource))
    .sort((a, b) => (a.entryDate < b.entryDate ? -1 : 1))
    .map((b) => ({
      kind: 'budget_entry', id: b.id, label: b.description, productId: null, productName: null, producerName: null, unitName: null, star: null,
      date: b.entryDate, detail: b.fundingSource, amountVnd: b.amountVnd,
    }));
  // Million VND to the đồng: the records' amounts add up exactly to value × 1,000,000.
  return { value: records.reduce((a, r) => a + r.amountVnd!, 0) / 1_000_000, records };
}

// ─── Projection ─────────────────────────────────────────────────────────────────────────────────────────────────

export type Mark = 'on_track' | 'at_risk' | 'off_track';
/** At risk when the projection reaches at least this share of the target's minimum. */
export const AT_RISK_RATIO = 0.8;

/**
 * Projection to the end of the period from the current pace: flows (counted from the period start) grow linearly
 * with elapsed time; stocks move linearly from their baseline (the day before the period) through today's value.
 * After the period ends the projection is the actual. Mark: on track when the projection reaches the target's
 * minimum (or stays within its maximum when it has only one), at risk when it reaches 80 % of the minimum,
 * off track otherwise.
 */
export function project(input: { nature: 'stock' | 'flow'; unit: IndicatorUnit; actual: number; baseline: number; start: string; end: string; asOf: string }): number {
  const { nature, actual, baseline, start, end, asOf } = input;
  if (asOf >= end) return actual;
  const elapsed = daysBetween(start, asOf) + 1;
  const total = daysBetween(start, end) + 1;
  if (elapsed <= 0) return nature === 'flow' ? 0 : baseline;
  const p = nature === 'flow' ? (actual * total) / elapsed : baseline + ((actual - baseline) * total) / elapsed;
  const rounded = Math.round(p * 10) / 10;
  return input.unit === 'percent' ? Math.max(0, Math.min(100, rounded)) : Math.max(0, rounded);
}

export function markOf(value: number, min: number | null, max: number | null): Mark {
  if (min !== null) {
    if (value >= min) return 'on_track';
    return value >= AT_RISK_RATIO * min ? 'at_risk' : 'off_track';
  }
  if (max !== null) return value <= max ? 'on_track' : 'off_track';
  return 'on_track';
}
