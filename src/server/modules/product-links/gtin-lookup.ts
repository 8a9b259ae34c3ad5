/**
 * GTIN ↔ product: the ONE place the resolver and the product links module find a trade item's GTIN. The GTIN belongs
 * to the product (products.gtin, GTIN-14, unique: migration 0017); lots keep the copy they were made with, so a GTIN
 * a product no longer carries still finds the product of its lots (printed stamps keep resolving).
 */
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { ScanClient } from '../stamps/resolve.js';
import { exec } from '../stamps/resolve.js';
import { lots } from '../lots/tables.js';
import { products } from '../products/tables.js';

/** The product a GTIN-14 identifies (the product's own GTIN, else the product of its newest lot), or undefined. */
export async function productIdOfGtin(c: ScanClient, gtin14: string): Promise<string | undefined> {
  const { rows } = await exec(c, 'resolver_gtin_product', `select id from (
      (select id::text as id, 0 as k from products where gtin = $1 limit 1)
      union all (select product_id::text, 1 from lots where gtin = $1 order by created_at desc, id limit 1)
    ) x order by k limit 1`, [gtin14]);
  return (rows[0]?.id as string | undefined) ?? undefined;
}

/**
 * The lot number of a stamp given by GTIN and serial only (`/01/<GTIN>/21/<serial>`): the lot of that GTIN whose
 * stamp ranges hold the serial. Serials are unique per GTIN (enforced where stamps are issued); should two lots
 * ever hold it, the answer is undefined rather than a guess.
 */
export async function lotNumberOfGtinSerial(c: ScanClient, gtin14: string, serial: number): Promise<string | undefined> {
  const { rows } = await exec(c, 'resolver_gtin_serial', `select distinct l.lot_number from lots l
    join stamp_ranges sr on sr.lot_id = l.id and sr.first_serial <= $2::int and sr.last_serial >= $2::int
    where l.gtin = $1 limit 2`, [gtin14, serial]);
  return rows.length === 1 ? (rows[0].lot_number as string) : undefined;
}

/** What the GTIN-level page shows of a product: whitelisted public fields, its current certificate and its links. */
export type ProductPage = {
  productId: string;
  name: string;
  brand: string | null;
  producerName: string;
  producerAddress: string | null;
  cert: { number: string; star: number; status: 'active' | 'superseded' | 'revoked'; expiresOn: string } | null;
  links: { linkType: string; href: string; title: string; lang: string; isDefault: boolean }[];
};

export async function productPageOf(c: ScanClient, productId: string): Promise<ProductPage | undefined> {
  const { rows } = await exec(c, 'resolver_product_page', `select p.id::text as "productId", p.name, p.brand,
      pr.legal_name as "producerName", pr.address as "producerAddress",
      (select json_build_object('number', c.number, 'star', c.star, 'status', c.status, 'expiresOn', c.expires_on::text) from certificates c
        where c.product_id = p.id order by (c.status = 'active') desc, c.decision_date desc, c.created_at desc limit 1) as cert,
      (select coalesce(json_agg(json_build_object('linkType', k.link_type, 'href', k.href, 'title', k.title, 'lang', k.lang, 'isDefault', k.is_default)
        order by k.position, k.link_type, k.lang), '[]') from product_links k where k.product_id = p.id) as links
    from products p join producers pr on pr.id = p.producer_id where p.id = $1`, [productId]);
  const r = rows[0];
  if (!r) return undefined;
  const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
  return { ...(r as Omit<ProductPage, 'cert' | 'links'>), cert: json(r.cert), links: json(r.links) };
}

/** The GTIN-14 of a product (its own, else its newest lot's), or null. */
export async function gtinOfProduct(db: Db, productId: string): Promise<string | null> {
  const [own] = await db.select({ gtin: products.gtin }).from(products).where(eq(products.id, productId)).limit(1);
  if (own?.gtin) return own.gtin;
  const [row] = await db.select({ gtin: lots.gtin }).from(lots)
    .where(and(eq(lots.productId, productId), isNotNull(lots.gtin))).orderBy(desc(lots.createdAt)).limit(1);
  return row?.gtin ?? null;
}
