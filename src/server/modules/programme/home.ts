/**
 * GET /api/home: what the signed-in user's first screen shows. Everything comes from the other modules' services
 * with the actor, so their scope rules apply unchanged (commune officers: their communes; producers: their own).
 */
import type { z } from 'zod';
import { ZHomeCertificate, ZHomeDossier, type Home } from './schema.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { daysBetween, todayInVietnam } from '../../../shared/certificate-dates.js';
import { OPEN_DOSSIER_STATUSES, type DossierStatus } from '../../../shared/dossier.js';
import { listCertificates } from '../certificates/service.js';
import { findDossiersFor } from '../dossiers/service.js';
import { listRounds } from '../evaluation/service.js';
import { findProducts } from '../products/service.js';
import { ZProductListQuery } from '../products/schema.js';
import { listFlags, listReports } from '../stamps/service.js';
import { isOfficerHome } from './policy.js';
import * as repo from './repository.js';
import { currentPlanId, getPanel } from './service.js';

export const AGE_BUCKETS = [
  { key: 'le7', max: 7 },
  { key: 'd8to30', max: 30 },
  { key: 'gt30', max: Infinity },
] as const;

type DossierItem = z.infer<typeof ZHomeDossier>;
type CertItem = z.infer<typeof ZHomeCertificate>;

/** Every page of a paged service list (capped: a home page is a summary, not an export). */
async function allPages<T>(fetch: (page: number) => Promise<{ items: T[]; total: number }>, pageSize: number, cap = 2000) {
  const out: T[] = [];
  for (let page = 1; out.length < cap; page++) {
    const r = await fetch(page);
    out.push(...r.items);
    if (r.items.length < pageSize || out.length >= r.total) break;
  }
  return out;
}

type DossierListItem = Awaited<ReturnType<typeof findDossiersFor>>['items'][number];
const dossierItem = (d: DossierListItem, today: string): DossierItem => ({
  id: d.id, kind: d.kind, status: d.status, productName: d.product.name, producerName: d.producer.legalName, intakeUnitName: d.intakeUnit.name,
  waitingDays: Math.max(0, daysBetween(d.updatedAt.slice(0, 10), today)), missingCount: d.missingCount,
});
type CertListItem = Awaited<ReturnType<typeof listCertificates>>['items'][number];
const certItem = (c: CertListItem): CertItem => ({
  id: c.id, number: c.number, productId: c.product.id, productName: c.product.name, producerName: c.producer.legalName, star: c.star, expiresOn: c.expiresOn, daysLeft: c.daysLeft, status: c.status,
});

/** Statuses in which a dossier waits for an officer (the others wait for the producer or the council). */
export const OFFICER_WAITING: readonly DossierStatus[] = ['submitted', 'accepted', 'evaluated', 'forwarded'];

async function officerHome(db: Db, config: Config, actor: Actor, today: string): Promise<NonNullable<Home['officer']>> {
  const dossiers = actor.role === 'central_officer' || actor.role === 'admin' || actor.role === 'province_officer' || actor.role === 'commune_officer'
    ? await allPages((page) => findDossiersFor(db, actor, { page, pageSize: 100 }), 100) : [];
  const open = dossiers.filter((d) => (OPEN_DOSSIER_STATUSES as readonly string[]).includes(d.status));
  const dossiersByStatus = OPEN_DOSSIER_STATUSES.filter((s) => s !== 'draft').map((status) => {
    const items = open.filter((d) => d.status === status).map((d) => dossierItem(d, today)).sort((a, b) => b.waitingDays - a.waitingDays);
    const byAge: Record<string, number> = {};
    for (const b of AGE_BUCKETS) byAge[b.key] = 0;
    for (const i of items) byAge[AGE_BUCKETS.find((b) => i.waitingDays <= b.max)!.key]++;
    return { status, total: items.length, byAge, items };
  });
  const renewing = new Set(open.filter((d) => d.kind !== 'first').map((d) => d.product.id));
  const expiring = await allPages((page) => listCertificates(db, config, actor, { status: 'expiring', page, pageSize: 200 }), 200);
  const rounds = (await listRounds(db, actor)).filter((r) => (r.status as string) !== 'finalised');
  const flags = await listFlags(db, actor, { status: 'open', page: 1, pageSize: 1 });
  const reports = await listReports(db, actor, { status: 'new', page: 1, pageSize: 1 });
  return {
    dossiersByStatus,
    expiringWithoutDossier: expiring.filter((c) => !renewing.has(c.product.id)).map(certItem).sort((a, b) => a.daysLeft - b.daysLeft),
    roundsInProgress: rounds.map((r) => ({ id: r.id, name: r.name, level: r.level, status: r.status, unitName: r.unit.name })),
    openFlags: flags.total,
    newReports: reports.total,
  };
}

async function councilHome(db: Db, actor: Actor): Promise<NonNullable<Home['council']>> {
  const rows = await repo.findCouncilWork(db, actor.id);
  const rounds = rows.map((r) => {
    const scoring = r.role !== 'secretary' && r.role !== 'advisor';
    const left = scoring && r.status === 'scoring' ? Math.max(0, Number(r.products) - Number(r.submitted) - Number(r.conflicts)) : 0;
    return { id: r.round_id, name: r.name, status: r.status, role: r.role, products: Number(r.products), submitted: Number(r.submitted), left };
  });
  return { rounds, sheetsLeft: rounds.reduce((a, r) => a + r.left, 0) };
}

async function producerHome(db: Db, config: Config, actor: Actor, today: string): Promise<NonNullable<Home['producer']>> {
  const products = await findProducts(db, actor, ZProductListQuery.parse({ page: 1, pageSize: 1 }));
  const dossiers = (await allPages((page) => findDossiersFor(db, actor, { page, pageSize: 100 }), 100)).map((d) => dossierItem(d, today));
  const certificates = (await allPages((page) => listCertificates(db, config, actor, { page, pageSize: 200 }), 200))
    .filter((c) => c.status === 'active' || c.status === 'expiring' || c.status === 'expired').map(certItem);
  const nextSteps: NonNullable<Home['producer']>['nextSteps'] = [];
  const productTotal = products.total;
  if (productTotal === 0) nextSteps.push({ key: 'register_product', text: 'Đăng ký sản phẩm đầu tiên của cơ sở', link: '/products/new' });
  else if (dossiers.length === 0) nextSteps.push({ key: 'create_dossier', text: 'Lập hồ sơ đăng ký đánh giá, phân hạng cho sản phẩm', link: '/dossiers' });
  for (const d of dossiers.filter((x) => x.missingCount > 0 && (x.status === 'draft' || x.status === 'returned'))) {
    nextSteps.push({ key: `complete:${d.id}`, text: `Bổ sung ${d.missingCount} tài liệu cho hồ sơ "${d.productName}"`, link: `/dossiers/${d.id}` });
  }
  for (const c of certificates.filter((x) => x.status === 'expiring')) {
    if (!dossiers.some((d) => d.productName === c.productName && d.kind !== 'first' && (OPEN_DOSSIER_STATUSES as readonly string[]).includes(d.status))) {
      nextSteps.push({ key: `renew:${c.id}`, text: `Giấy chứng nhận ${c.number} hết hạn ngày ${c.expiresOn}: lập hồ sơ đánh giá lại`, link: '/dossiers' });
    }
  }
  return { products: productTotal, dossiers, certificates, nextSteps };
}

async function programmeSummary(db: Db, actor: Actor): Promise<Home['programme']> {
  const planId = await currentPlanId(db);
  if (!planId) return null;
  const p = await getPanel(db, actor, planId, {});
  return {
    planId, title: p.plan.title, asOf: p.asOf, scope: p.scope,
    rows: p.rows.filter((r) => r.fundingSource === null).map((r) => ({
      indicator: r.indicator.code, name: r.indicator.name, unit: r.indicator.unit, actual: r.actual, min: r.target.min, max: r.target.max, mark: r.mark, projection: r.projection,
    })),
  };
}

export async function getHome(db: Db, config: Config, actor: Actor): Promise<Home> {
  const today = todayInVietnam();
  const officer = isOfficerHome(actor);
  return {
    role: actor.role,
    today,
    officer: officer ? await officerHome(db, config, actor, today) : null,
    council: actor.role === 'council_member' || officer ? await councilHome(db, actor) : null,
    producer: actor.role === 'producer' ? await producerHome(db, config, actor, today) : null,
    programme: actor.role === 'producer' ? null : await programmeSummary(db, actor),
  };
}
