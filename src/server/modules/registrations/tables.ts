import { boolean, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const registrationRequests = pgTable('registration_requests', {
  id: uuid('id').primaryKey().defaultRandom(),
  legalName: text('legal_name').notNull(),
  kind: text('kind').notNull(),
  registrationNumber: text('registration_number').notNull(),
  unitId: integer('unit_id').notNull(),
  address: text('address'),
  representative: text('representative').notNull(),
  phone: text('phone').notNull(),
  email: text('email'),
  login: text('login').notNull(),
  passwordHash: text('password_hash').notNull(),
  note: text('note'),
  loginTaken: boolean('login_taken').notNull().default(false),
  status: text('status').notNull().default('pending'),
  decidedBy: uuid('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  decisionNote: text('decision_note'),
  producerId: uuid('producer_id'),
  userId: uuid('user_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
export type RegistrationRequestRow = typeof registrationRequests.$inferSelect;
