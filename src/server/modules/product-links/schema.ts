import { z } from 'zod';
import { CONFIGURABLE_LINK_TYPES, LINK_LANGS } from '../../../shared/link-types.js';
import { zHttpUrl } from '../../../shared/url.js';

/** At most this many configured links per product (the Link header and the linkset stay small). */
export const MAX_PRODUCT_LINKS = 30;

export const ZProductLink = z.object({
  linkType: z.enum(CONFIGURABLE_LINK_TYPES, { error: 'Loại liên kết không được hỗ trợ' }),
  href: zHttpUrl(2000),
  title: z.string().trim().min(1, 'Chưa nhập tiêu đề liên kết').max(200, 'Tiêu đề dài quá 200 ký tự'),
  lang: z.enum(LINK_LANGS, { error: 'Ngôn ngữ phải là vi hoặc en' }),
  isDefault: z.boolean().default(false),
});
export type ProductLinkInput = z.infer<typeof ZProductLink>;

/** PUT replaces the whole list (the screen edits it as one table). */
export const ZProductLinks = z.object({
  links: z.array(ZProductLink).max(MAX_PRODUCT_LINKS, `Tối đa ${MAX_PRODUCT_LINKS} liên kết cho một sản phẩm`),
}).superRefine((v, ctx) => {
  const seen = new Set<string>();
  const defaults = new Set<string>();
  v.links.forEach((l, i) => {
    const key = `${l.linkType}|${l.lang}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['links', i, 'lang'], message: 'Mỗi loại liên kết chỉ có một địa chỉ cho mỗi ngôn ngữ' });
    seen.add(key);
    if (l.isDefault) {
      if (defaults.has(l.linkType)) ctx.addIssue({ code: 'custom', path: ['links', i, 'isDefault'], message: 'Mỗi loại liên kết chỉ có một liên kết mặc định' });
      defaults.add(l.linkType);
    }
  });
});
export type ProductLinksInput = z.infer<typeof ZProductLinks>;

export const ZProductLinksOut = z.object({
  productId: z.string(),
  links: z.array(ZProductLink.extend({ isDefault: z.boolean() })),
  /** The product's Digital Link (GTIN level) when one of its lots carries a GTIN; its linkset is at `?linkType=all`. */
  digitalLink: z.string().nullable(),
  /** May the caller change the links (the screen shows the editor only then). */
  canEdit: z.boolean(),
});
export type ProductLinksOut = z.infer<typeof ZProductLinksOut>;
