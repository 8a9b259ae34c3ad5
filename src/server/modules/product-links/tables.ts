import { boolean, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Mirrors migrations/0018_product_links.sql (the SQL is the source of truth). */
export const productLinks = pgTable('product_links', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull(),
  linkType: text('link_type').notNull(),
  href: text('href').notNull(),
  title: text('title').notNull(),
  lang: text('lang').notNull(),
  isDefault: boolean('is_default').notNull().default(false),
  position: integer('position').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type ProductLinkRow = typeof productLinks.$inferSelect;
