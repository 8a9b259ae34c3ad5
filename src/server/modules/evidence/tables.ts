import { date, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const evidence = pgTable('evidence', {
  id: uuid('id').primaryKey().defaultRandom(),
  producerId: uuid('producer_id').notNull(),
  type: text('type').notNull(),
  certificationType: text('certification_type'),
  title: text('title').notNull(),
  issuer: text('issuer'),
  number: text('number'),
  issuedOn: date('issued_on'),
  expiresOn: date('expires_on'),
  storageKey: text('storage_key').notNull(),
  contentType: text('content_type').notNull(),
  bytes: integer('bytes').notNull(),
  fileName: text('file_name').notNull(),
  sha256: text('sha256').notNull(),
  uploadedBy: uuid('uploaded_by'),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type EvidenceRow = typeof evidence.$inferSelect;
