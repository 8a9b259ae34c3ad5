import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { notifications } from './tables.js';

export async function insertNotifications(db: Db, rows: (typeof notifications.$inferInsert)[]) {
  if (!rows.length) return [];
  return db.insert(notifications).values(rows).returning();
}
export function findNotificationsOf(db: Db, userId: string, limit: number, unreadOnly: boolean) {
  return db.select().from(notifications)
    .where(unreadOnly ? and(eq(notifications.userId, userId), isNull(notifications.readAt)) : eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(limit);
}
export async function countUnread(db: Db, userId: string) {
  const r = await db.execute(sql`select count(*)::int as n from notifications where user_id = ${userId} and read_at is null`);
  return Number(rowsOf<{ n: number }>(r)[0].n);
}
export async function findNotification(db: Db, id: string) {
  return (await db.select().from(notifications).where(eq(notifications.id, id)).limit(1))[0];
}
export async function markRead(db: Db, id: string) {
  await db.update(notifications).set({ readAt: new Date() }).where(and(eq(notifications.id, id), isNull(notifications.readAt)));
}
export async function markAllRead(db: Db, userId: string) {
  const r = await db.update(notifications).set({ readAt: new Date() }).where(and(eq(notifications.userId, userId), isNull(notifications.readAt))).returning({ id: notifications.id });
  return r.length;
}
/** Notifications still to be e-mailed, with the address of their user. */
export async function findUnemailed(db: Db, limit: number) {
  const r = await db.execute(sql`select n.id, n.title, n.body, n.link, u.email from notifications n join users u on u.id = n.user_id
    where n.emailed_at is null and u.email is not null and u.is_active and n.created_at > now() - interval '7 days' order by n.created_at limit ${limit}`);
  return rowsOf<{ id: string; title: string; body: string; link: string | null; email: string }>(r);
}
export async function markEmailed(db: Db, id: string) {
  await db.update(notifications).set({ emailedAt: new Date() }).where(eq(notifications.id, id));
}
