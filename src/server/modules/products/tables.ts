import { boolean, date, integer, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const products = pgTable('products', {
  id: uuid('id').primaryKey().defaultRandom(),
  producerId: uuid('producer_id').notNull(),
  name: text('name').notNull(),
  taxonomyNodeId: integer('taxonomy_node_id').notNull(),
  registeredUnitId: integer('registered_unit_id').notNull(),
  processingLevel: text('processing_level').notNull(),
  brand: text('brand'),
  /** GTIN-14 of the trade item (unique platform-wide); lots take it (lots.gtin keeps the copy each lot was made with). */
  gtin: text('gtin'),
  description: text('description'),
  story: text('story'),
  rawMaterialArea: text('raw_material_area'),
  keyProduct: boolean('key_product').notNull().default(false),
  stars: smallint('stars'),
  recognitionYear: integer('recognition_year'),
  decisionNumber: text('decision_number'),
  decisionDate: date('decision_date'),
  certificateNumber: text('certificate_number'),
  certificateIssuer: text('certificate_issuer'),
  certificateExpiresOn: date('certificate_expires_on'),
  isDemo: boolean('is_demo').notNull().default(false),
  sources: jsonb('sources').$type<string[]>().notNull().default([]),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const productCertifications = pgTable('product_certifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull(),
  type: text('type').notNull(),
  name: text('name'),
  issuer: text('issuer'),
  number: text('number'),
  validFrom: date('valid_from'),
  validTo: date('valid_to'),
});

export const productChannels = pgTable('product_channels', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull(),
  kind: text('kind').notNull(),
  name: text('name').notNull().default(''),
  url: text('url'),
});

export const productPhotos = pgTable('product_photos', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull(),
  storageKey: text('storage_key').notNull(),
  thumbKey: text('thumb_key').notNull(),
  contentType: text('content_type').notNull(),
  bytes: integer('bytes').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  caption: text('caption'),
  position: integer('position').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type ProductRow = typeof products.$inferSelect;
export type CertificationRow = typeof productCertifications.$inferSelect;
export type ChannelRow = typeof productChannels.$inferSelect;
export type PhotoRow = typeof productPhotos.$inferSelect;
