import type { Db } from '../db/client.js';
import { findUnitByKey } from '../modules/geo/repository.js';
import { findUnitByNameOn } from '../modules/geo/service.js';
import { createProducer } from '../modules/producers/service.js';
import { addMonths, todayInVietnam } from '../../shared/certificate-dates.js';
import { recordLegacyCertificateTx } from '../modules/certificates/service.js';
import { createProduct } from '../modules/products/service.js';
import type { ProductInput } from '../modules/products/schema.js';
import { getNodeByCode } from '../modules/taxonomy/service.js';
import { countUsers, createUser } from '../modules/users/service.js';
import { readSeed } from './reference.js';
import { loadDemoDossiers } from './demo-dossiers.js';
import { loadDemoTrace } from './demo-trace.js';
import { loadDemoCraftVillages } from './demo-villages.js';
import type { Storage } from '../modules/files/storage.js';

/** Demo accounts (README lists them). Passwords are for the demo only: published, so exempt from the strength rules. */
export const DEMO_ACCOUNTS = [
  { login: 'admin', password: 'ocop-admin-2025', role: 'admin', fullName: 'Quản trị hệ thống' },
  { login: 'bo.nnmt', password: 'ocop-bo-2025', role: 'central_officer', fullName: 'Chuyên viên OCOP Bộ NN&MT' },
  { login: 'tinh', password: 'ocop-tinh-2025', role: 'province_officer', fullName: 'Cán bộ OCOP tỉnh' },
  { login: 'xa.chu', password: 'ocop-xa-2025', role: 'commune_officer', fullName: 'Cán bộ OCOP phường Chũ', unitKeys: ['bn-p-chu'] },
  { login: 'hoidong', password: 'ocop-hoidong-2025', role: 'council_member', fullName: 'Thành viên Hội đồng' },
  { login: 'htx.hongxuan', password: 'ocop-htx-2025', role: 'producer', fullName: 'HTX Hồng Xuân', producerKey: 'hong-xuan' },
  { login: 'htx.vaivang', password: 'ocop-vaivang-2025', role: 'producer', fullName: 'HTX Vải Vàng (demo)', producerKey: 'vai-vang' },
  { login: 'xem', password: 'ocop-xem-2025', role: 'viewer', fullName: 'Người xem' },
] as const;

interface DemoSeed {
  producers: (Record<string, unknown> & { key: string; unit: { name: string; asOf: string } })[];
  products: (Record<string, unknown> & {
    key: string; producer: string; taxonomy: string; unit: { name: string; asOf: string };
    recognitions: { stars: number; year: number; decisionNumber: string | null; decisionDate: string | null; certificateNumber: string | null; issuer: string | null }[];
    certifications: ProductInput['certifications']; channels: { kind: ProductInput['channels'][number]['kind']; name: string | null }[];
  })[];
}

const SYSTEM = { system: 'demo-seed' };

/**
 * Invented re-recognitions dated relative to the day the demo is loaded, so that whenever it is loaded a few
 * certificates expire within the next 90 days (the expiring list, the reminders and the "Sắp hết hạn" public page
 * have something to show). Only invented (isDemo) products whose last real-looking recognition is long expired.
 */
export const DEMO_EXPIRING: { key: string; inDays: number; seq: number }[] = [
  { key: 'demo-vai-say-kho-vai-vang', inDays: 20, seq: 301 },
  { key: 'demo-my-chu-gao-lut-huong-dong', inDays: 50, seq: 302 },
  { key: 'demo-tra-xanh-doi-xanh', inDays: 80, seq: 303 },
];

const plusDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Lục Ngạn demo: created through the same services users use, only into an empty database. Recognitions are paper
 * (legacy) certificates recorded in decision order, so each product's older certificate is superseded by the newer
 * one, the product's star follows its certificate, and its history shows the progression (e.g. 4★ 2022 → 5★ 2024).
 */
function demoIssuer(star: number, decisionDate: string) {
  if (star === 3 && decisionDate >= '2023-02-24' && decisionDate <= '2025-07-05') return 'UBND huyện Lục Ngạn';
  return decisionDate < '2025-07-01' ? 'UBND tỉnh Bắc Giang' : 'UBND tỉnh Bắc Ninh';
}

/**
 * `mustChangePassword`: the demo on a real deployment (SEED_DEMO=demo): the published passwords only open the
 * change-password screen.
 */
export async function loadDemoData(db: Db, opts: { today?: string; storage?: Storage; publicBaseUrl?: string; mustChangePassword?: boolean } = {}): Promise<boolean> {
  const today = opts.today ?? todayInVietnam();
  if ((await countUsers(db)) > 0) return false;
  const seed = readSeed<DemoSeed>('demo/luc-ngan.json');
  const producerIds = new Map<string, string>();
  const productIds = new Map<string, string>();
  const villageOf = await loadDemoCraftVillages(db);
  for (const p of seed.producers) {
    const unit = await findUnitByNameOn(db, p.unit.name, p.unit.asOf);
    if (!unit) throw new Error(`demo seed: unit ${p.unit.name} @${p.unit.asOf} not found`);
    const created = await createProducer(db, SYSTEM, {
      kind: p.kind as never, legalName: p.legalName as string, shortName: (p.shortName as string) ?? null,
      registrationNumber: p.registrationNumber as string, unitId: unit.id, address: (p.address as string) ?? null,
      representative: (p.representative as string) ?? null, representativeTitle: (p.representativeTitle as string) ?? null,
      phone: (p.phone as string) ?? null, email: (p.email as string) ?? null, website: (p.website as string) ?? null,
      foundedYear: (p.foundedYear as number) ?? null, memberCount: (p.memberCount as number) ?? null, workerCount: (p.workerCount as number) ?? null,
      craftVillage: (p.craftVillage as string) ?? null, craftVillageId: villageOf.get(p.key) ?? null,
      notes: (p.notes as string) ?? null, isDemo: Boolean(p.isDemo), sources: (p.sources as string[]) ?? [],
    });
    producerIds.set(p.key, created.id);
  }
  for (const p of seed.products) {
    const unit = await findUnitByNameOn(db, p.unit.name, p.unit.asOf);
    const node = await getNodeByCode(db, '148', p.taxonomy);
    if (!unit || !node) throw new Error(`demo seed: product ${p.key} unit/taxonomy not found`);
    const recs = [...(p.recognitions ?? [])].sort((a, b) => a.year - b.year || String(a.decisionDate).localeCompare(String(b.decisionDate)));
    const input: ProductInput = {
      producerId: producerIds.get(p.producer)!, name: p.name as string, taxonomyNodeId: node.id, registeredUnitId: unit.id,
      processingLevel: p.processingLevel as ProductInput['processingLevel'], brand: (p.brand as string) ?? null,
      description: (p.description as string) ?? null, story: (p.story as string) ?? null, rawMaterialArea: (p.rawMaterialArea as string) ?? null,
      keyProduct: Boolean(p.keyProduct), isDemo: Boolean(p.isDemo), sources: (p.sources as string[]) ?? [],
      certifications: (p.certifications ?? []).map((c) => ({ ...c, name: c.name ?? (c.type === 'other' ? c.issuer : null) ?? null })),
      channels: (p.channels ?? []).map((c) => ({ kind: c.kind, name: c.name ?? '', url: null })),
    };
    const product = await createProduct(db, SYSTEM, input);
    productIds.set(p.key, product.id);
    const certs = recs.filter((r) => r.decisionDate && r.decisionNumber).map((r) => ({
      star: r.stars, decisionNumber: r.decisionNumber!, decisionDate: r.decisionDate!, issuingAuthority: r.issuer ?? 'UBND tỉnh Bắc Giang', number: r.certificateNumber ?? undefined,
    }));
    const soon = DEMO_EXPIRING.find((e) => e.key === p.key);
    if (soon && certs.length) {
      const decisionDate = addMonths(plusDays(today, soon.inDays), -36);
      certs.push({
        star: certs[certs.length - 1].star, decisionNumber: `DEMO-0${soon.seq}/QĐ-UBND`, decisionDate,
        // Who signed follows the procedure in force that day (recognition/authority): under QĐ 148 (24/02/2023–05/7/2025)
        // the district recognised 3★ and the province 4★; the province was Bắc Giang until the 1/7/2025 merger.
        issuingAuthority: demoIssuer(certs[certs.length - 1].star, decisionDate), number: `DEMO-GCN-${decisionDate.slice(0, 4)}-0${soon.seq}`,
      });
    }
    for (const c of certs) await db.transaction((tx) => recordLegacyCertificateTx(tx, SYSTEM, { productId: product.id, ...c }));
  }
  for (const a of DEMO_ACCOUNTS) {
    const unitIds: number[] = [];
    if ('unitKeys' in a) for (const k of a.unitKeys) { const u = await findUnitByKey(db, k); if (u) unitIds.push(u.id); }
    await createUser(db, SYSTEM, {
      login: a.login, password: a.password, role: a.role, fullName: a.fullName, email: null, phone: null, locale: 'vi', unitIds,
      producerId: 'producerKey' in a ? producerIds.get(a.producerKey)! : null, mustChangePassword: opts.mustChangePassword ?? false,
    }, { publishedDemoPassword: true });
  }
  // Dossiers need uploaded files: only when a storage is given (the server's; tests pass a temporary one).
  if (opts.storage) await loadDemoDossiers(db, opts.storage, { productIds, producerIds });
  // Stamps need product photos, photos need a storage.
  if (opts.storage) await loadDemoTrace(db, opts.publicBaseUrl ?? 'http://localhost:3000', { productIds, producerIds, today, storage: opts.storage });
  return true;
}
