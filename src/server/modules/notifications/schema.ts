import { z } from 'zod';

export const ZNotification = z.object({
  id: z.string().uuid(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export const ZNotificationList = z.object({ unread: z.number().int(), items: z.array(ZNotification) });
export const ZNotificationQuery = z.object({
  unread: z.enum(['true', 'false']).default('false'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ZUnreadCount = z.object({ unread: z.number().int() });
export type Notification = z.infer<typeof ZNotification>;
export type NotificationList = z.infer<typeof ZNotificationList>;
export type UnreadCount = z.infer<typeof ZUnreadCount>;
