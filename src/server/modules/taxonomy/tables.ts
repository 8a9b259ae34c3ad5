import { boolean, date, integer, pgTable, primaryKey, serial, text } from 'drizzle-orm/pg-core';

export const taxonomyVersions = pgTable('taxonomy_versions', {
  code: text('code').primaryKey(),
  decision: text('decision').notNull(),
  signedOn: date('signed_on'),
  effectiveFrom: date('effective_from'),
  effectiveTo: date('effective_to'),
  note: text('note'),
});

export const taxonomyNodes = pgTable('taxonomy_nodes', {
  id: serial('id').primaryKey(),
  version: text('version').notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  level: text('level').notNull(),
  parentId: integer('parent_id'),
  isLeaf: boolean('is_leaf').notNull().default(false),
  verify: boolean('verify').notNull().default(false),
});

export const taxonomyMappings = pgTable(
  'taxonomy_mappings',
  { fromNodeId: integer('from_node_id').notNull(), toNodeId: integer('to_node_id').notNull(), note: text('note') },
  (t) => [primaryKey({ columns: [t.fromNodeId, t.toNodeId] })],
);
export type TaxonomyNodeRow = typeof taxonomyNodes.$inferSelect;
