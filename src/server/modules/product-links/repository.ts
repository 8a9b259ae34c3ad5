import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { productLinks } from './tables.js';
import type { ProductLinkInput } from './schema.js';

export async function findProductLinks(db: Db, productId: string) {
  return db.select().from(productLinks).where(eq(productLinks.productId, productId))
    .orderBy(asc(productLinks.position), asc(productLinks.linkType), asc(productLinks.lang));
}

/** Replaces a product's links (inside the caller's transaction). */
export async function replaceProductLinks(tx: Db, productId: string, links: ProductLinkInput[]) {
  await tx.delete(productLinks).where(eq(productLinks.productId, productId));
  if (links.length) {
    await tx.insert(productLinks).values(links.map((l, position) => ({ productId, position, ...l })));
  }
}
