import { Badge, Button, Drawer, Empty, List, Popover, Spin, Typography } from 'antd';
import { BellOutlined, CheckOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api';
import type { AppNotification } from '../contract';
import { fmtDateTime } from '../format';
import { useI18n } from '../i18n';
import { useShowError } from './errors';
import { useIsPhone } from './hooks';
import type { NotificationList, UnreadCount } from '../../server/modules/notifications/schema';

const UNREAD_KEY = ['notifications', 'unread'] as const;
const LIST_KEY = ['notifications', 'list'] as const;

/** Bell in the header: unread count (every minute and when the window regains focus), the list, mark read. */
export function NotificationBell() {
  const { t } = useI18n();
  const phone = useIsPhone();
  const nav = useNavigate();
  const qc = useQueryClient();
  const showError = useShowError();
  const [open, setOpen] = useState(false);
  const unread = useQuery({
    queryKey: UNREAD_KEY,
    queryFn: () => api<UnreadCount>('/api/notifications/unread-count'),
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
    staleTime: 0,
    retry: false,
  });
  const list = useQuery({
    queryKey: LIST_KEY,
    queryFn: () => api<NotificationList>('/api/notifications', { query: { limit: 50 } }),
    enabled: open,
    staleTime: 0,
  });
  const setUnread = (n: number) => qc.setQueryData(UNREAD_KEY, { unread: n });
  const markRead = useMutation({
    mutationFn: (id: string) => api<UnreadCount>(`/api/notifications/${id}/read`, { body: {} }),
    onSuccess: (r, id) => {
      setUnread(r.unread);
      qc.setQueryData<{ unread: number; items: AppNotification[] }>(LIST_KEY, (old) =>
        old ? { unread: r.unread, items: old.items.map((n) => (n.id === id ? { ...n, readAt: n.readAt ?? new Date().toISOString() } : n)) } : old,
      );
    },
    onError: (e) => showError(e),
  });
  const markAll = useMutation({
    mutationFn: () => api<UnreadCount>('/api/notifications/read-all', { body: {} }),
    onSuccess: (r) => {
      setUnread(r.unread);
      qc.invalidateQueries({ queryKey: LIST_KEY });
    },
    onError: (e) => showError(e),
  });

  const count = unread.data?.unread ?? list.data?.unread ?? 0;
  const items = list.data?.items ?? [];

  const go = async (n: AppNotification) => {
    if (!n.readAt) await markRead.mutateAsync(n.id).catch(() => undefined);
    if (n.link) {
      setOpen(false);
      if (/^https?:\/\//.test(n.link) || n.link.startsWith('/xac-thuc') || n.link.startsWith('/api/')) window.location.assign(n.link);
      else nav(n.link);
    }
  };

  const content = (
    <div data-testid="notifications-panel" style={{ width: phone ? '100%' : 380, maxWidth: '100%' }}>
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8, marginBottom: 4 }}>
        {!phone && <Typography.Text strong>{t('notifications.title')}</Typography.Text>}
        <Button size="small" type="link" data-testid="notifications-read-all" icon={<CheckOutlined />} disabled={count === 0} loading={markAll.isPending} onClick={() => markAll.mutate()}>
          {t('notifications.markAllRead')}
        </Button>
      </div>
      {list.isLoading ? (
        <div style={{ textAlign: 'center', padding: 24 }}>
          <Spin />
        </div>
      ) : (
        <List
          dataSource={items}
          style={{ maxHeight: phone ? undefined : 440, overflowY: 'auto' }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.none')} /> }}
          renderItem={(n) => (
            <List.Item
              data-testid="notification-item"
              data-unread={n.readAt ? 'false' : 'true'}
              onClick={() => go(n)}
              style={{ cursor: n.link || !n.readAt ? 'pointer' : 'default', background: n.readAt ? undefined : '#f0f7f2', padding: '8px 10px', borderRadius: 4 }}
              actions={
                n.readAt
                  ? []
                  : [
                      <Button
                        key="read"
                        size="small"
                        type="text"
                        data-testid="notification-mark-read"
                        icon={<CheckOutlined />}
                        aria-label={t('notifications.markRead')}
                        title={t('notifications.markRead')}
                        onClick={(e) => {
                          e.stopPropagation();
                          markRead.mutate(n.id);
                        }}
                      />,
                    ]
              }
            >
              <List.Item.Meta
                title={<span style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.title}</span>}
                description={
                  <>
                    {n.body && <div style={{ fontSize: 13, color: '#444', whiteSpace: 'pre-wrap' }}>{n.body}</div>}
                    <div style={{ fontSize: 12 }}>{fmtDateTime(n.createdAt)}</div>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  const bell = (
    <span data-testid="notifications-count" data-count={count} style={{ display: 'inline-flex' }}>
    <Badge count={count} size="small" overflowCount={99} offset={[-4, 4]}>
      <Button
        data-testid="notifications-bell"
        type="text"
        icon={<BellOutlined style={{ fontSize: 18 }} />}
        aria-label={count ? t('notifications.unreadN', { n: count }) : t('notifications.title')}
        onClick={phone ? () => setOpen(true) : undefined}
      />
    </Badge>
    </span>
  );

  if (phone)
    return (
      <>
        {bell}
        <Drawer open={open} onClose={() => setOpen(false)} placement="right" size="100%" title={t('notifications.title')} styles={{ body: { padding: 12 } }}>
          {content}
        </Drawer>
      </>
    );
  return (
    <Popover open={open} onOpenChange={setOpen} trigger="click" placement="bottomRight" content={content} arrow={false}>
      {bell}
    </Popover>
  );
}
