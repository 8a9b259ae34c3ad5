import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { chunked } from '../../db/chunks.js';
import { rowsOf, type Db } from '../../db/client.js';
import { escapeLike, normalizeForSearch, searchTokens } from '../../../shared/text.js';
import { producers } from '../producers/tables.js';
import { products } from '../products/tables.js';
import { certificateReminders, certificates, type CertificateRow } from './tables.js';

const successor = alias(certificates, 'successor');

/** A certificate with what every view of it shows: product, producer, successor, latest re-evaluation dossier. */
const joinedFields = {
  c: certificates,
  productName: products.name,
  registeredUnitId: products.registeredUnitId,
  producerName: producers.legalName,
  successorNumber: successor.number,
  dossier: sql<{ id: string; status: string } | null>`(select json_build_object('id', d.id, 'status', d.status) from dossiers d
    where d.product_id = ${certificates.productId} and d.kind in ('reevaluation', 'upgrade') order by d.created_at desc, d.id desc limit 1)`,
};
export type CertificateJoined = { c: CertificateRow; productName: string; registeredUnitId: number; producerName: string; successorNumber: string | null; dossier: { id: string; status: string } | null };

const joined = (db: Db) =>
  db.select(joinedFields).from(certificates)
    .innerJoin(products, eq(products.id, certificates.productId))
    .innerJoin(producers, eq(producers.id, certificates.producerId))
    .leftJoin(successor, eq(successor.id, certificates.supersededBy))
    .$dynamic();

/** PostgreSQL returns json as an object, some drivers as text: one shape for the presenter. */
const fixDossier = (r: CertificateJoined): CertificateJoined => ({ ...r, dossier: typeof r.dossier === 'string' ? JSON.parse(r.dossier) : r.dossier });

export async function findCertificateJoined(db: Db, id: string): Promise<CertificateJoined | undefined> {
  const r = (await joined(db).where(eq(certificates.id, id)).limit(1))[0];
  return r ? fixDossier(r) : undefined;
}

export interface CertificateFilter {
  today: string;
  /** Stored status + calendar (effective status). */
  status?: 'active' | 'expiring' | 'expired' | 'superseded' | 'revoked';
  expiringWindowDays: number;
  /** Active certificates expiring between today and this date (inclusive). */
  expiringUntil?: string;
  productId?: string;
  producerId?: string;
  q?: string;
  /** Scope of the reader: a producer's own, or products registered in these units (commune officer). */
  onlyProducerId?: string;
  onlyUnitIds?: number[];
}

function conditions(f: CertificateFilter): SQL | undefined {
  const c: SQL[] = [];
  const windowEnd = sql`(${f.today}::date + ${f.expiringWindowDays}::int)`;
  switch (f.status) {
    case 'active': c.push(sql`${certificates.status} = 'active' and ${certificates.expiresOn} > ${windowEnd}`); break;
    case 'expiring': c.push(sql`${certificates.status} = 'active' and ${certificates.expiresOn} >= ${f.today}::date and ${certificates.expiresOn} <= ${windowEnd}`); break;
    case 'expired': c.push(sql`${certificates.status} = 'active' and ${certificates.expiresOn} < ${f.today}::date`); break;
    case 'superseded': case 'revoked': c.push(eq(certificates.status, f.status)); break;
    default: break;
  }
  if (f.expiringUntil) c.push(sql`${certificates.status} = 'active' and ${certificates.expiresOn} between ${f.today}::date and ${f.expiringUntil}::date`);
  if (f.productId) c.push(eq(certificates.productId, f.productId));
  if (f.producerId) c.push(eq(certificates.producerId, f.producerId));
  if (f.onlyProducerId) c.push(eq(certificates.producerId, f.onlyProducerId));
  if (f.onlyUnitIds) c.push(f.onlyUnitIds.length ? sql`${products.registeredUnitId} in ${f.onlyUnitIds}` : sql`false`);
  const tokens = searchTokens(f.q ?? '');
  if (tokens.length) {
    // Product search text already carries the producer names (maintained by the products trigger).
    const words = sql.join(tokens.map((t) => sql`${products}.search_text like ${`%${escapeLike(t)}%`}`), sql` and `);
    c.push(sql`((${words}) or lower(${certificates.number}) like ${`%${escapeLike(normalizeForSearch(f.q ?? ''))}%`})`);
  }
  return c.length ? and(...c) : undefined;
}

export async function findCertificates(db: Db, f: CertificateFilter, page: number, pageSize: number) {
  const where = conditions(f);
  // Follow-up lists read soonest expiry first; the register reads latest decisions first.
  const order = f.status === 'expiring' || f.status === 'expired' || f.expiringUntil
    ? [asc(certificates.expiresOn), asc(certificates.number)]
    : [desc(certificates.decisionDate), desc(certificates.createdAt), asc(certificates.number)];
  const rows = await joined(db).where(where).orderBy(...order).limit(pageSize).offset((page - 1) * pageSize);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(certificates)
    .innerJoin(products, eq(products.id, certificates.productId)).where(where);
  return { rows: rows.map(fixDossier), total: Number(n) };
}

export async function findCertificateRow(db: Db, id: string) {
  return (await db.select().from(certificates).where(eq(certificates.id, id)).limit(1))[0];
}

/** The product row, locked: issuing, recording and revoking for one product run one after another. */
export async function lockProduct(db: Db, productId: string) {
  const r = await db.execute(sql`select id, producer_id, registered_unit_id, name from products where id = ${productId} for update`);
  return rowsOf<{ id: string; producer_id: string; registered_unit_id: number; name: string }>(r)[0];
}

/** Many product rows, locked (bulk recording); unknown ids are simply absent. */
export async function lockProducts(db: Db, productIds: string[]) {
  const out: { id: string; producer_id: string; registered_unit_id: number; name: string }[] = [];
  for (const part of chunked(productIds, 1000)) {
    out.push(...rowsOf<(typeof out)[number]>(await db.execute(sql`select id, producer_id, registered_unit_id, name from products where id in ${part} for update`)));
  }
  return out;
}

/** Which of these products have any certificate already. */
export async function productsWithCertificates(db: Db, productIds: string[]) {
  const out = new Set<string>();
  for (const part of chunked(productIds, 1000)) {
    for (const r of await db.selectDistinct({ productId: certificates.productId }).from(certificates).where(inArray(certificates.productId, part))) out.add(r.productId);
  }
  return out;
}

/** `n` numbers of the certificate sequence in one statement. */
export async function nextSequences(db: Db, n: number): Promise<number[]> {
  if (n <= 0) return [];
  return rowsOf<{ n: number }>(await db.execute(sql`select nextval('certificate_number_seq')::int as n from generate_series(1, ${n}::int)`)).map((r) => Number(r.n));
}

export async function insertCertificates(db: Db, rows: (typeof certificates.$inferInsert)[]) {
  const out: CertificateRow[] = [];
  for (const part of chunked(rows)) out.push(...(await db.insert(certificates).values(part).returning()));
  return out;
}

export async function findActiveOfProduct(db: Db, productId: string) {
  return (await db.select().from(certificates).where(and(eq(certificates.productId, productId), eq(certificates.status, 'active'))).limit(1))[0];
}

/** The product's certificate with the latest decision (any status). */
export async function findLatestOfProduct(db: Db, productId: string) {
  return (await db.select().from(certificates).where(eq(certificates.productId, productId))
    .orderBy(desc(certificates.decisionDate), desc(certificates.createdAt)).limit(1))[0];
}

export async function findOfProductByDecision(db: Db, productId: string, decisionNumber: string, decisionDate: string) {
  return (await db.select().from(certificates).where(and(eq(certificates.productId, productId), eq(certificates.decisionNumber, decisionNumber), eq(certificates.decisionDate, decisionDate))).limit(1))[0];
}

export async function findOfRoundProduct(db: Db, roundId: string, productId: string) {
  return (await db.select().from(certificates).where(and(eq(certificates.roundId, roundId), eq(certificates.productId, productId))).limit(1))[0];
}

export async function findNumbersTaken(db: Db, numbers: string[]) {
  const out: { number: string; productId: string }[] = [];
  for (const part of chunked(numbers, 1000)) {
    out.push(...(await db.select({ number: certificates.number, productId: certificates.productId }).from(certificates).where(sql`${certificates.number} in ${part}`)));
  }
  return out;
}

export async function nextSequence(db: Db): Promise<number> {
  return Number(rowsOf<{ n: number }>(await db.execute(sql`select nextval('certificate_number_seq')::int as n`))[0].n);
}

export async function insertCertificate(db: Db, v: typeof certificates.$inferInsert) {
  return (await db.insert(certificates).values(v).returning())[0];
}

/** active → superseded; the trigger refuses any other field and any later status change. */
export async function markSuperseded(db: Db, id: string, byId: string) {
  return (await db.update(certificates).set({ status: 'superseded', supersededBy: byId }).where(and(eq(certificates.id, id), eq(certificates.status, 'active'))).returning())[0];
}

export async function markRevoked(db: Db, id: string, reason: string, note: string | null) {
  return (await db.update(certificates).set({ status: 'revoked', revokedReason: reason, revokedNote: note, revokedAt: new Date() })
    .where(and(eq(certificates.id, id), eq(certificates.status, 'active'))).returning())[0];
}

/** Products of a round with their result and the certificate issued from it, if any. */
export async function findRoundCertificates(db: Db, roundId: string) {
  const r = await db.execute(sql`select rp.product_id, p.name as product_name, rp.result, c.id as certificate_id, c.number as certificate_number
    from round_products rp join products p on p.id = rp.product_id
    left join certificates c on c.round_id = rp.round_id and c.product_id = rp.product_id
    where rp.round_id = ${roundId} order by p.name_norm, p.id`);
  return rowsOf<{ product_id: string; product_name: string; result: unknown; certificate_id: string | null; certificate_number: string | null }>(r);
}

/** The dossier a round evaluated for a product (it becomes the certificate's dossier). Read-only on the dossiers table. */
export async function findRoundDossierId(db: Db, roundId: string, productId: string): Promise<string | null> {
  const r = await db.execute(sql`select id from dossiers where round_id = ${roundId} and product_id = ${productId}
    order by (status = 'evaluated') desc, updated_at desc limit 1`);
  return rowsOf<{ id: string }>(r)[0]?.id ?? null;
}

// ---------------------------------------------------------------- reminders

/** Active certificates whose expiry is between today and today + maxDays, with product and producer names. */
export async function findDueForReminders(db: Db, today: string, maxDays: number) {
  return db.select({ c: certificates, productName: products.name, registeredUnitId: products.registeredUnitId, producerName: producers.legalName })
    .from(certificates)
    .innerJoin(products, eq(products.id, certificates.productId))
    .innerJoin(producers, eq(producers.id, certificates.producerId))
    .where(sql`${certificates.status} = 'active' and ${certificates.expiresOn} between ${today}::date and (${today}::date + ${maxDays}::int)`)
    .orderBy(asc(certificates.expiresOn), asc(certificates.id));
}

/** Records one (certificate, threshold); false when it was already recorded — the key makes a reminder happen once. */
export async function recordReminder(db: Db, certificateId: string, thresholdDays: number, skipped: boolean): Promise<boolean> {
  const r = await db.insert(certificateReminders).values({ certificateId, thresholdDays, skipped }).onConflictDoNothing().returning({ t: certificateReminders.thresholdDays });
  return r.length > 0;
}

export const findRemindersOf = (db: Db, certificateId: string) =>
  db.select().from(certificateReminders).where(eq(certificateReminders.certificateId, certificateId)).orderBy(desc(certificateReminders.thresholdDays));

// ---------------------------------------------------------------- public verification

/** Everything the public page shows, whitelisted, in one statement. */
export function prepareVerification(db: Db) {
  return db.select({
    number: certificates.number,
    star: certificates.star,
    decisionNumber: certificates.decisionNumber,
    decisionDate: certificates.decisionDate,
    issuingAuthority: certificates.issuingAuthority,
    expiresOn: certificates.expiresOn,
    status: certificates.status,
    revokedReason: certificates.revokedReason,
    revokedNote: certificates.revokedNote,
    revokedOn: sql<string | null>`to_char(${certificates.revokedAt} at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')`,
    productName: products.name,
    producerName: producers.legalName,
    successorNumber: successor.number,
    // Issued from a round scored on a demo criteria set: the page must not let it pass for a real recognition.
    fromDemoCriteria: sql<boolean>`coalesce((select cs.is_demo from criteria_sets cs where cs.code = ${certificates.criteriaSetCode}), false)`,
  })
    .from(certificates)
    .innerJoin(products, eq(products.id, certificates.productId))
    .innerJoin(producers, eq(producers.id, certificates.producerId))
    .leftJoin(successor, eq(successor.id, certificates.supersededBy))
    .where(eq(certificates.number, sql.placeholder('number')))
    .limit(1)
    .prepare('certificate_verify');
}
export type VerificationRow = Awaited<ReturnType<ReturnType<typeof prepareVerification>['execute']>>[number];

/** Whether a criteria set (by code) is demo content. */
export async function isDemoCriteriaSet(db: Db, code: string | null) {
  if (!code) return false;
  const r = await db.execute(sql`select is_demo from criteria_sets where code = ${code}`);
  return Boolean(rowsOf<{ is_demo: boolean }>(r)[0]?.is_demo);
}
