import { Empty, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { fmtDateTime } from '../format';
import { useI18n } from '../i18n';

export interface HistoryEntry {
  id?: number;
  at: string;
  actor: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const IGNORED = new Set(['version', 'updatedAt', 'createdAt', 'id']);

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '∅';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Fields whose value differs between before and after (every field for a creation). */
export function changedFields(e: HistoryEntry): { field: string; before: unknown; after: unknown }[] {
  const keys = new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})]);
  const out: { field: string; before: unknown; after: unknown }[] = [];
  for (const k of keys) {
    if (IGNORED.has(k)) continue;
    const b = e.before?.[k];
    const a = e.after?.[k];
    if (JSON.stringify(b ?? null) !== JSON.stringify(a ?? null)) out.push({ field: k, before: b, after: a });
  }
  return out;
}

/** Audit trail of one record: who changed what, before → after per field. */
export function HistoryView({ url, fieldLabel }: { url: string; fieldLabel?: (field: string) => string }) {
  const { t } = useI18n();
  const { data, isLoading } = useQuery({ queryKey: ['history', url], queryFn: () => api<HistoryEntry[]>(url) });
  if (!isLoading && !data?.length) return <Empty description={t('history.empty')} />;
  return (
    <Table<HistoryEntry>
      data-testid="history-table"
      size="small"
      loading={isLoading}
      rowKey={(r) => String(r.id ?? r.at)}
      dataSource={data ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      scroll={{ x: true }}
      columns={[
        { title: t('history.at'), dataIndex: 'at', width: 150, render: fmtDateTime },
        { title: t('history.actor'), dataIndex: 'actor', width: 140 },
        { title: t('history.action'), dataIndex: 'action', width: 110, render: (a: string) => <Tag>{t(`history.action.${a}` as never) === `history.action.${a}` ? a : t(`history.action.${a}` as never)}</Tag> },
        {
          title: t('history.changes'),
          render: (_, e) => {
            const changes = changedFields(e);
            if (!changes.length) return <Typography.Text type="secondary">—</Typography.Text>;
            return (
              <div style={{ display: 'grid', gap: 2 }}>
                {changes.map((c) => (
                  <div key={c.field} style={{ wordBreak: 'break-word' }}>
                    <Typography.Text strong>{fieldLabel?.(c.field) ?? c.field}</Typography.Text>:{' '}
                    {e.before ? (
                      <>
                        <Typography.Text delete type="secondary">{show(c.before)}</Typography.Text> →{' '}
                      </>
                    ) : null}
                    <Typography.Text>{show(c.after)}</Typography.Text>
                  </div>
                ))}
              </div>
            );
          },
        },
      ]}
    />
  );
}
