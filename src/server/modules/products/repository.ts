import { todayInVietnam } from '../../../shared/certificate-dates.js';
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgSelect } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { findPageIds, inOrderOf } from '../../db/paging.js';
import { escapeLike, searchTokens } from '../../../shared/text.js';
import { unitScopeSql } from '../geo/repository.js';
import { producers } from '../producers/tables.js';
import { subtreeSql } from '../taxonomy/repository.js';
import { productCertifications, productChannels, productPhotos, products } from './tables.js';
import type { ProductListQuery } from './schema.js';

/** The product columns a list row shows (not the long texts: descriptions and stories stay on the detail page). */
const listProductColumns = {
  id: products.id,
  producerId: products.producerId,
  name: products.name,
  taxonomyNodeId: products.taxonomyNodeId,
  registeredUnitId: products.registeredUnitId,
  processingLevel: products.processingLevel,
  stars: products.stars,
  recognitionYear: products.recognitionYear,
  certificateNumber: products.certificateNumber,
  certificateExpiresOn: products.certificateExpiresOn,
  keyProduct: products.keyProduct,
  gtin: products.gtin,
  isDemo: products.isDemo,
  updatedAt: products.updatedAt,
};

/** What a list shows of a product's producer, unit, group and first photo. */
const joinedFields = {
  producerName: producers.legalName,
  producerKind: producers.kind,
  producerAddress: producers.address,
  unitName: sql<string>`u.name`,
  unitType: sql<string>`u.type`,
  unitCode: sql<string | null>`u.code`,
  taxCode: sql<string>`t.code`,
  taxName: sql<string>`t.name`,
  taxVersion: sql<string>`t.version`,
  taxPath: sql<string>`concat_ws(' › ', t3.name, t2.name, t.name)`,
  thumbPhotoId: sql<string | null>`(select ph.id from product_photos ph where ph.product_id = ${products.id} order by ph.position, ph.created_at limit 1)`,
};

/** The joins every product read needs (producer, unit, taxonomy path); `$dynamic` keeps the selected types. */
function withJoins<T extends PgSelect>(qb: T) {
  return qb
    .innerJoin(producers, eq(producers.id, products.producerId))
    .innerJoin(sql`admin_units u`, sql`u.id = ${products.registeredUnitId}`)
    .innerJoin(sql`taxonomy_nodes t`, sql`t.id = ${products.taxonomyNodeId}`)
    .leftJoin(sql`taxonomy_nodes t2`, sql`t2.id = t.parent_id`)
    .leftJoin(sql`taxonomy_nodes t3`, sql`t3.id = t2.parent_id`);
}

const baseQuery = (db: Db) => withJoins(db.select({ product: listProductColumns, ...joinedFields }).from(products).$dynamic());

export type ProductListRow = Awaited<ReturnType<typeof findProducts>>['items'][number];
export type ProductJoined = Awaited<ReturnType<typeof findProductJoined>> & object;

export async function findProductJoined(db: Db, id: string) {
  return (await withJoins(db.select({ product: products, ...joinedFields }).from(products).$dynamic()).where(eq(products.id, id)).limit(1))[0];
}

export const findProductRows = (db: Db, ids: string[]) =>
  ids.length ? db.select().from(products).where(inArray(products.id, ids)) : Promise.resolve([]);

export async function findProductRow(db: Db, id: string) {
  return (await db.select().from(products).where(eq(products.id, id)).limit(1))[0];
}

/** Another product carrying this GTIN (the unique index is the last line of defence). */
export async function findProductByGtin(db: Db, gtin: string) {
  return (await db.select({ id: products.id, name: products.name, producerId: products.producerId }).from(products).where(eq(products.gtin, gtin)).limit(1))[0];
}

export function productConditions(q: Partial<ProductListQuery>, onlyProducerId?: string): SQL | undefined {
  const c: SQL[] = [];
  for (const t of searchTokens(q.q ?? '')) c.push(sql`${products}.search_text like ${`%${escapeLike(t)}%`}`);
  if (q.stars?.length) {
    const real = q.stars.filter((s) => s > 0);
    const none = q.stars.includes(0);
    const parts: SQL[] = [];
    // The effective star: only a certificate still in force today counts (an expired one leaves the product unstarred).
    const today = todayInVietnam();
    if (real.length) parts.push(sql`(${inArray(products.stars, real)} and ${products.certificateExpiresOn} >= ${today})`);
    if (none) parts.push(sql`(${products.stars} is null or ${products.certificateExpiresOn} is null or ${products.certificateExpiresOn} < ${today})`);
    c.push(parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` or `)})`);
  }
  if (q.taxonomyNodeId) c.push(sql`${products.taxonomyNodeId} in ${subtreeSql(q.taxonomyNodeId)}`);
  if (q.unitId) c.push(sql`${products.registeredUnitId} in ${unitScopeSql([q.unitId])}`);
  if (q.producerId) c.push(eq(products.producerId, q.producerId));
  if (onlyProducerId) c.push(eq(products.producerId, onlyProducerId));
  if (q.producerKind?.length) c.push(sql`${products.producerId} in (select id from producers where kind in ${q.producerKind})`);
  if (q.certification?.length) {
    c.push(sql`exists (select 1 from product_certifications pc where pc.product_id = ${products.id} and pc.type in ${q.certification})`);
  }
  if (q.channel?.length) {
    c.push(sql`exists (select 1 from product_channels ch where ch.product_id = ${products.id} and ch.kind in ${q.channel})`);
  }
  if (q.processingLevel?.length) c.push(inArray(products.processingLevel, q.processingLevel));
  if (q.keyProduct !== undefined) c.push(eq(products.keyProduct, q.keyProduct));
  if (q.recognizedFrom) c.push(sql`${products.recognitionYear} >= ${q.recognizedFrom}`);
  if (q.recognizedTo) c.push(sql`${products.recognitionYear} <= ${q.recognizedTo}`);
  return c.length ? and(...c) : undefined;
}

function orderOf(q: ProductListQuery): SQL[] {
  const d = q.dir === 'desc' ? sql`desc` : sql`asc`;
  const nulls = q.dir === 'desc' ? sql`nulls last` : sql`nulls first`;
  switch (q.sort) {
    case 'stars': return [sql`(case when ${products.certificateExpiresOn} >= ${todayInVietnam()} then ${products.stars} end) ${d} ${nulls}`, sql`${products}.name_norm`];
    case 'recognitionYear': return [sql`${products.recognitionYear} ${d} ${nulls}`, sql`${products}.name_norm`];
    case 'updatedAt': return [sql`${products.updatedAt} ${d}`];
    case 'producer': return [sql`(select legal_name_norm from producers pr where pr.id = ${products.producerId}) ${d}`, sql`${products}.name_norm`];
    default: return [sql`${products}.name_norm ${d}`];
  }
}

export async function findProducts(db: Db, q: ProductListQuery, onlyProducerId?: string) {
  const page = await findPageIds(db, {
    table: products,
    where: productConditions(q, onlyProducerId),
    order: orderOf(q),
    searchColumns: searchTokens(q.q ?? '').length
      ? sql`${products.id} as id, ${products}.name_norm, ${products.stars} as stars, ${products.certificateExpiresOn} as certificate_expires_on, ${products.recognitionYear} as recognition_year,
          ${products.updatedAt} as updated_at, ${products.producerId} as producer_id`
      : undefined,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const rows = page.ids.length ? await baseQuery(db).where(inArray(products.id, page.ids)) : [];
  return { items: inOrderOf(page.ids, rows, (r) => r.product.id), total: page.total, totalCapped: page.totalCapped };
}

/** Every row of a filtered list (Excel export), in list order; capped so one export cannot exhaust memory. */
export async function findAllProducts(db: Db, q: ProductListQuery, onlyProducerId?: string, cap = 50000) {
  return baseQuery(db).where(productConditions(q, onlyProducerId)).orderBy(...orderOf(q), asc(products.id)).limit(cap);
}

export const findCertifications = (db: Db, productId: string) =>
  db.select().from(productCertifications).where(eq(productCertifications.productId, productId)).orderBy(asc(productCertifications.type));
export const findChannels = (db: Db, productId: string) =>
  db.select().from(productChannels).where(eq(productChannels.productId, productId)).orderBy(asc(productChannels.kind), asc(productChannels.name));
export const findPhotos = (db: Db, productId: string) =>
  db.select().from(productPhotos).where(eq(productPhotos.productId, productId)).orderBy(asc(productPhotos.position), asc(productPhotos.createdAt));
export async function findPhoto(db: Db, id: string) {
  return (await db.select().from(productPhotos).where(eq(productPhotos.id, id)).limit(1))[0];
}

export async function findProductByProducerAndName(db: Db, producerId: string, name: string) {
  return (await db.select().from(products).where(and(eq(products.producerId, producerId), sql`f_norm(${products.name}) = f_norm(${name})`)).limit(1))[0];
}

export async function insertProduct(db: Db, v: typeof products.$inferInsert) {
  return (await db.insert(products).values(v).returning())[0];
}
export async function updateProduct(db: Db, id: string, v: Partial<typeof products.$inferInsert>) {
  return (await db.update(products).set({ ...v, updatedAt: new Date(), version: sql`${products.version} + 1` }).where(eq(products.id, id)).returning())[0];
}

export async function replaceCertifications(db: Db, productId: string, rows: Omit<typeof productCertifications.$inferInsert, 'productId'>[]) {
  await db.delete(productCertifications).where(eq(productCertifications.productId, productId));
  if (rows.length) await db.insert(productCertifications).values(rows.map((r) => ({ ...r, productId })));
}
export async function replaceChannels(db: Db, productId: string, rows: Omit<typeof productChannels.$inferInsert, 'productId'>[]) {
  await db.delete(productChannels).where(eq(productChannels.productId, productId));
  if (rows.length) await db.insert(productChannels).values(rows.map((r) => ({ ...r, productId })));
}

export async function insertPhoto(db: Db, v: typeof productPhotos.$inferInsert) {
  return (await db.insert(productPhotos).values(v).returning())[0];
}
export async function deletePhoto(db: Db, id: string) {
  await db.delete(productPhotos).where(eq(productPhotos.id, id));
}
export async function nextPhotoPosition(db: Db, productId: string) {
  const r = await db.select({ n: sql<number>`coalesce(max(position), -1)::int + 1` }).from(productPhotos).where(eq(productPhotos.productId, productId));
  return Number(r[0].n);
}
