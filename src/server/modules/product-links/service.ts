/**
 * Links of a product's GS1 Digital Link identifiers (the resolver's linkset, docs/resolver.md): read by whoever
 * reads the product, written by whoever may edit it (its producer's users, officers in scope), audited.
 */
import type { Actor } from '../../lib/actor.js';
import { forbidden } from '../../lib/errors.js';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../audit/service.js';
import { canReadProduct, canWriteProduct } from '../products/policy.js';
import { getProductRow } from '../products/service.js';
import { gtinOfProduct } from './gtin-lookup.js';
import * as repo from './repository.js';
import type { ProductLinksInput, ProductLinksOut } from './schema.js';

const present = (rows: Awaited<ReturnType<typeof repo.findProductLinks>>) =>
  rows.map((r) => ({ linkType: r.linkType, href: r.href, title: r.title, lang: r.lang, isDefault: r.isDefault })) as ProductLinksOut['links'];

async function out(db: Db, actor: Actor, product: Awaited<ReturnType<typeof getProductRow>>, publicBaseUrl: string): Promise<ProductLinksOut> {
  const gtin = await gtinOfProduct(db, product.id);
  return {
    productId: product.id,
    links: present(await repo.findProductLinks(db, product.id)),
    digitalLink: gtin ? `${publicBaseUrl}/01/${gtin}` : null,
    canEdit: canWriteProduct(actor, product),
  };
}

export async function getProductLinksFor(db: Db, actor: Actor, productId: string, publicBaseUrl: string) {
  const product = await getProductRow(db, productId);
  if (!canReadProduct(actor, product)) throw forbidden();
  return out(db, actor, product, publicBaseUrl);
}

export async function replaceProductLinksFor(db: Db, actor: Actor, productId: string, input: ProductLinksInput, publicBaseUrl: string) {
  const product = await getProductRow(db, productId);
  if (!canWriteProduct(actor, product)) throw forbidden('Chỉ nhà sản xuất của sản phẩm hoặc cán bộ quản lý địa bàn được sửa liên kết');
  await db.transaction(async (tx) => {
    const before = present(await repo.findProductLinks(tx, productId));
    await repo.replaceProductLinks(tx, productId, input.links);
    await recordAudit(tx, actor, 'update_links', 'product', productId, { links: before }, { links: input.links });
  });
  return out(db, actor, product, publicBaseUrl);
}
