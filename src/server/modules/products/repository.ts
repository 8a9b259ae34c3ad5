import { todayInVietnam } from '../../../shared/certificate-dates.js';
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgSelect } from 'drizzle-orm/pg-core';
import { rowsOf, type Db } from '../../db/client.js';
import { chunked } from '../../db/chunks.js';
import { findPageRows } from '../../db/paging.js';
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

export type ProductListRow = Awaited<ReturnType<typeof findAllProducts>>[number];
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

/**
 * A list row's columns as plain SQL for the one-statement page (db/paging.ts findPageRows). Dates and times come
 * back as text on both drivers (node-postgres and PGlite parse them differently) and are turned into the shapes the
 * drizzle select above gives, so one presenter serves both.
 */
const listRowSql = sql`${products.id} as id, ${products.producerId} as producer_id, ${products.name} as name,
  ${products.taxonomyNodeId} as taxonomy_node_id, ${products.registeredUnitId} as registered_unit_id, ${products.processingLevel} as processing_level,
  ${products.stars} as stars, ${products.recognitionYear} as recognition_year, ${products.certificateNumber} as certificate_number,
  ${products.certificateExpiresOn}::text as certificate_expires_on, ${products.keyProduct} as key_product, ${products.isDemo} as is_demo, ${products.gtin} as gtin,
  to_char(${products.updatedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at,
  pr.legal_name as producer_name, pr.kind as producer_kind, pr.address as producer_address,
  u.name as unit_name, u.type as unit_type, u.code as unit_code,
  t.code as tax_code, t.name as tax_name, t.version as tax_version, concat_ws(' › ', t3.name, t2.name, t.name) as tax_path,
  (select ph.id from product_photos ph where ph.product_id = ${products.id} order by ph.position, ph.created_at limit 1) as thumb_photo_id`;
const listJoinsSql = sql`join producers pr on pr.id = ${products.producerId}
  join admin_units u on u.id = ${products.registeredUnitId}
  join taxonomy_nodes t on t.id = ${products.taxonomyNodeId}
  left join taxonomy_nodes t2 on t2.id = t.parent_id
  left join taxonomy_nodes t3 on t3.id = t2.parent_id`;
type ListRowRaw = {
  id: string; producer_id: string; name: string; taxonomy_node_id: number; registered_unit_id: number; processing_level: string;
  stars: number | null; recognition_year: number | null; certificate_number: string | null; certificate_expires_on: string | null;
  key_product: boolean; is_demo: boolean; gtin: string | null; updated_at: string; producer_name: string; producer_kind: string; producer_address: string | null;
  unit_name: string; unit_type: string; unit_code: string | null; tax_code: string; tax_name: string; tax_version: string; tax_path: string;
  thumb_photo_id: string | null;
};
const listRowOf = (r: ListRowRaw): ProductListRow => ({
  product: {
    id: r.id, producerId: r.producer_id, name: r.name, taxonomyNodeId: Number(r.taxonomy_node_id), registeredUnitId: Number(r.registered_unit_id),
    processingLevel: r.processing_level, stars: r.stars === null ? null : Number(r.stars), recognitionYear: r.recognition_year === null ? null : Number(r.recognition_year),
    certificateNumber: r.certificate_number, certificateExpiresOn: r.certificate_expires_on, keyProduct: r.key_product, isDemo: r.is_demo, gtin: r.gtin,
    updatedAt: new Date(r.updated_at),
  },
  producerName: r.producer_name, producerKind: r.producer_kind, producerAddress: r.producer_address,
  unitName: r.unit_name, unitType: r.unit_type, unitCode: r.unit_code,
  taxCode: r.tax_code, taxName: r.tax_name, taxVersion: r.tax_version, taxPath: r.tax_path, thumbPhotoId: r.thumb_photo_id,
});

/** One page of the registry list or search, with its total: one statement (db/paging.ts findPageRows). */
export async function findProducts(db: Db, q: ProductListQuery, onlyProducerId?: string, countCap?: number) {
  const page = await findPageRows<ListRowRaw>(db, {
    countCap,
    table: products,
    where: productConditions(q, onlyProducerId),
    order: orderOf(q),
    searchColumns: searchTokens(q.q ?? '').length
      ? sql`${products.id} as id, ${products}.name_norm, ${products.stars} as stars, ${products.certificateExpiresOn} as certificate_expires_on, ${products.recognitionYear} as recognition_year,
          ${products.updatedAt} as updated_at, ${products.producerId} as producer_id`
      : undefined,
    columns: listRowSql,
    joins: listJoinsSql,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return { items: page.rows.map(listRowOf), total: page.total, totalCapped: page.totalCapped };
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

// ------------------------------------------------------------------ bulk (Excel import)

/** Products found by (producer, name) the way the unique key compares names (f_norm): index of the pair → row. */
export async function findProductsByProducerAndNames(db: Db, pairs: { producerId: string; name: string }[]) {
  const hits = new Map<number, typeof products.$inferSelect>();
  for (const [n, part] of chunked(pairs).entries()) {
    const values = sql.join(part.map((x, i) => sql`(${x.producerId}::uuid, ${x.name}::text, ${n * 500 + i}::int)`), sql`, `);
    const found = rowsOf<{ id: string; i: number }>(await db.execute(sql`select p.id, v.i from products p
      join (values ${values}) as v(pid, name, i) on p.producer_id = v.pid and f_norm(p.name) = f_norm(v.name)`));
    if (!found.length) continue;
    const rows = new Map((await db.select().from(products).where(inArray(products.id, found.map((f) => f.id)))).map((r) => [r.id, r]));
    for (const f of found) hits.set(Number(f.i), rows.get(f.id)!);
  }
  return hits;
}

export async function findCertificationsOfMany(db: Db, productIds: string[]) {
  const out: (typeof productCertifications.$inferSelect)[] = [];
  for (const part of chunked(productIds, 1000)) {
    out.push(...(await db.select().from(productCertifications).where(inArray(productCertifications.productId, part)).orderBy(asc(productCertifications.type))));
  }
  return out;
}
export async function findChannelsOfMany(db: Db, productIds: string[]) {
  const out: (typeof productChannels.$inferSelect)[] = [];
  for (const part of chunked(productIds, 1000)) {
    out.push(...(await db.select().from(productChannels).where(inArray(productChannels.productId, part)).orderBy(asc(productChannels.kind), asc(productChannels.name))));
  }
  return out;
}

/** New products in multi-row inserts (500 a statement), returned in the order given. */
export async function insertProducts(db: Db, rows: (typeof products.$inferInsert)[]) {
  const out: (typeof products.$inferSelect)[] = [];
  for (const part of chunked(rows)) out.push(...(await db.insert(products).values(part).returning()));
  return out;
}

type EditableColumns = Pick<typeof products.$inferInsert, 'producerId' | 'name' | 'taxonomyNodeId' | 'registeredUnitId' | 'processingLevel' | 'brand' | 'description' | 'story' | 'rawMaterialArea' | 'keyProduct' | 'isDemo' | 'sources'>;

/**
 * Updates many products' editable columns, one UPDATE ... FROM (VALUES ...) per 500 rows, each only while it still
 * has the version the caller read. Returns the updated rows (fewer than given = someone else wrote in between).
 */
export async function updateProducts(db: Db, rows: { id: string; version: number; v: EditableColumns }[]) {
  const out: (typeof products.$inferSelect)[] = [];
  for (const part of chunked(rows)) {
    const values = sql.join(part.map(({ id, version, v }) => sql`(${id}::uuid, ${version}::int, ${v.producerId}::uuid, ${v.name}::text, ${v.taxonomyNodeId}::int,
      ${v.registeredUnitId}::int, ${v.processingLevel}::text, ${v.brand ?? null}::text, ${v.description ?? null}::text, ${v.story ?? null}::text,
      ${v.rawMaterialArea ?? null}::text, ${v.keyProduct ?? false}::boolean, ${v.isDemo ?? false}::boolean, ${JSON.stringify(v.sources ?? [])}::jsonb)`), sql`, `);
    const updated = rowsOf<{ id: string }>(await db.execute(sql`update products p set producer_id = v.producer_id, name = v.name, taxonomy_node_id = v.taxonomy_node_id,
        registered_unit_id = v.registered_unit_id, processing_level = v.processing_level, brand = v.brand, description = v.description, story = v.story,
        raw_material_area = v.raw_material_area, key_product = v.key_product, is_demo = v.is_demo, sources = v.sources, version = p.version + 1, updated_at = now()
      from (values ${values}) as v(id, version, producer_id, name, taxonomy_node_id, registered_unit_id, processing_level, brand, description, story,
        raw_material_area, key_product, is_demo, sources)
      where p.id = v.id and p.version = v.version returning p.id`));
    if (updated.length) out.push(...(await db.select().from(products).where(inArray(products.id, updated.map((u) => u.id)))));
  }
  return out;
}

/** Replaces the certifications of many products: one DELETE for all of them, then multi-row inserts. */
export async function replaceCertificationsOfMany(db: Db, productIds: string[], rows: (typeof productCertifications.$inferInsert)[]) {
  for (const part of chunked(productIds, 1000)) await db.delete(productCertifications).where(inArray(productCertifications.productId, part));
  for (const part of chunked(rows)) await db.insert(productCertifications).values(part);
}
export async function replaceChannelsOfMany(db: Db, productIds: string[], rows: (typeof productChannels.$inferInsert)[]) {
  for (const part of chunked(productIds, 1000)) await db.delete(productChannels).where(inArray(productChannels.productId, part));
  for (const part of chunked(rows)) await db.insert(productChannels).values(part);
}

/** The recognition fields of many products (certificates module only, through the products service). */
export async function updateRecognitionMany(db: Db, rows: { id: string; stars: number; recognitionYear: number; decisionNumber: string; decisionDate: string; certificateNumber: string; certificateIssuer: string; certificateExpiresOn: string }[]) {
  const out: (typeof products.$inferSelect)[] = [];
  for (const part of chunked(rows)) {
    const values = sql.join(part.map((r) => sql`(${r.id}::uuid, ${r.stars}::smallint, ${r.recognitionYear}::int, ${r.decisionNumber}::text, ${r.decisionDate}::date,
      ${r.certificateNumber}::text, ${r.certificateIssuer}::text, ${r.certificateExpiresOn}::date)`), sql`, `);
    const updated = rowsOf<{ id: string }>(await db.execute(sql`update products p set stars = v.stars, recognition_year = v.recognition_year,
        decision_number = v.decision_number, decision_date = v.decision_date, certificate_number = v.certificate_number, certificate_issuer = v.certificate_issuer,
        certificate_expires_on = v.certificate_expires_on, version = p.version + 1, updated_at = now()
      from (values ${values}) as v(id, stars, recognition_year, decision_number, decision_date, certificate_number, certificate_issuer, certificate_expires_on)
      where p.id = v.id returning p.id`));
    out.push(...(await db.select().from(products).where(inArray(products.id, updated.map((u) => u.id)))));
  }
  return out;
}
