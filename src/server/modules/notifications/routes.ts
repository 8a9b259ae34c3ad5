import type { FastifyInstance } from 'fastify';
import { typed, ZUuidParams, type Deps } from '../../lib/http.js';
import { requireActor } from '../../plugins/auth.js';
import { ZNotificationList, ZNotificationQuery, ZUnreadCount } from './schema.js';
import * as svc from './service.js';

export async function notificationsRoutes(app: FastifyInstance, { db }: Deps) {
  const r = typed(app);
  const tags = ['notifications'];
  r.get('/api/notifications', { schema: { tags, summary: 'My notifications (newest first) and the unread count', querystring: ZNotificationQuery, response: { 200: ZNotificationList } } }, async (req) =>
    svc.listMyNotifications(db, requireActor(req), req.query),
  );
  r.get('/api/notifications/unread-count', { schema: { tags, response: { 200: ZUnreadCount } } }, async (req) => ({ unread: await svc.countMyUnread(db, requireActor(req)) }));
  r.post('/api/notifications/:id/read', { schema: { tags, params: ZUuidParams, response: { 200: ZUnreadCount } } }, async (req) =>
    svc.markNotificationRead(db, requireActor(req), req.params.id),
  );
  r.post('/api/notifications/read-all', { schema: { tags, response: { 200: ZUnreadCount } } }, async (req) => svc.markAllMyNotificationsRead(db, requireActor(req)));
}
