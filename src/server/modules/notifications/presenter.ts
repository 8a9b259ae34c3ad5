import type { NotificationRow } from './tables.js';

export const presentNotification = (n: NotificationRow) => ({
  id: n.id, kind: n.kind, title: n.title, body: n.body, link: n.link,
  createdAt: n.createdAt.toISOString(), readAt: n.readAt ? n.readAt.toISOString() : null,
});
