import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { forbidden, notFound } from '../../lib/errors.js';
import { canReadNotification } from './policy.js';
import { presentNotification } from './presenter.js';
import * as repo from './repository.js';

export interface NewNotification {
  kind: string;
  title: string;
  body?: string;
  link?: string | null;
  entityType?: string | null;
  entityId?: string | null;
}

/** Writes in-app notifications inside the caller's transaction (so they exist only if the event does). */
export async function notify(tx: Db, userIds: Iterable<string>, n: NewNotification) {
  const ids = [...new Set(userIds)];
  return repo.insertNotifications(tx, ids.map((userId) => ({
    userId, kind: n.kind, title: n.title, body: n.body ?? '', link: n.link ?? null, entityType: n.entityType ?? null, entityId: n.entityId ?? null,
  })));
}

export async function listMyNotifications(db: Db, actor: Actor, q: { unread: 'true' | 'false'; limit: number }) {
  const [items, unread] = await Promise.all([repo.findNotificationsOf(db, actor.id, q.limit, q.unread === 'true'), repo.countUnread(db, actor.id)]);
  return { unread, items: items.map(presentNotification) };
}

export const countMyUnread = (db: Db, actor: Actor) => repo.countUnread(db, actor.id);

export async function markNotificationRead(db: Db, actor: Actor, id: string) {
  const n = await repo.findNotification(db, id);
  if (!n) throw notFound('Không tìm thấy thông báo');
  if (!canReadNotification(actor, n)) throw forbidden();
  await repo.markRead(db, id);
  return { unread: await repo.countUnread(db, actor.id) };
}

export async function markAllMyNotificationsRead(db: Db, actor: Actor) {
  await repo.markAllRead(db, actor.id);
  return { unread: 0 };
}
