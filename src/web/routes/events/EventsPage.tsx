import { Button, Card, DatePicker, List, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { z } from 'zod';
import { EVENT_STATUSES, EVENT_TYPES, type ZEventPage } from '../../../server/modules/programme/schema';
import { api } from '../../api';
import { PageHeader } from '../../components/AppLayout';
import { useIsPhone } from '../../components/hooks';
import { DATE_FORMAT, fmtDate } from '../../format';
import { useI18n } from '../../i18n';
import { dong } from '../programme/common';
import { EventModal, type ProgrammeEvent } from './EventModal';

const STATUS_COLOR = { planned: 'default', held: 'green', cancelled: 'red' } as const;

/** Fairs, exhibitions, conferences, training and awareness sessions, live selling: who took part and what came of it. */
export default function EventsPage() {
  const { t } = useI18n();
  const phone = useIsPhone();
  const [sp, setSp] = useSearchParams();
  const [open, setOpen] = useState<ProgrammeEvent | null | undefined>(undefined);
  const type = sp.get('type') ?? undefined;
  const status = sp.get('status') ?? undefined;
  const from = sp.get('from') ?? undefined;
  const to = sp.get('to') ?? undefined;
  const page = Number(sp.get('page') ?? 1);
  const q = useQuery({
    queryKey: ['events', type, status, from, to, page],
    queryFn: () => api<z.infer<typeof ZEventPage>>('/api/programme-events', { query: { type, status, from, to, page, pageSize: 50 } }),
    placeholderData: keepPreviousData,
  });
  const set = (patch: Record<string, string | undefined>) => {
    const n = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) if (v) n.set(k, v); else n.delete(k);
    n.delete('page');
    setSp(n);
  };
  const when = (e: ProgrammeEvent) => (e.startsOn === e.endsOn ? fmtDate(e.startsOn) : `${fmtDate(e.startsOn)}–${fmtDate(e.endsOn)}`);
  const statusTag = (e: ProgrammeEvent) => <Tag color={STATUS_COLOR[e.status]}>{t(`event.status.${e.status}`)}</Tag>;
  const outcome = (e: ProgrammeEvent) => [e.attendance !== null ? t('event.attendanceN', { n: e.attendance }) : null, e.salesVnd !== null ? dong(e.salesVnd) : null, e.contractsSigned !== null ? t('event.contractsN', { n: e.contractsSigned }) : null].filter(Boolean).join(' · ') || '—';
  const items = q.data?.items ?? [];
  return (
    <div data-testid="events-page">
      <PageHeader title={t('nav.events')} extra={q.data?.canCreate && <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(null)} data-testid="event-create">{t('event.create')}</Button>} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder={t('event.type')} style={{ width: 240 }} value={type} onChange={(v) => set({ type: v })} options={EVENT_TYPES.map((v) => ({ value: v, label: t(`event.type.${v}`) }))} data-testid="event-filter-type" />
        <Select allowClear placeholder={t('event.status')} style={{ width: 160 }} value={status} onChange={(v) => set({ status: v })} options={EVENT_STATUSES.map((v) => ({ value: v, label: t(`event.status.${v}`) }))} />
        <DatePicker.RangePicker format={DATE_FORMAT} value={from && to ? [dayjs(from), dayjs(to)] : null} placeholder={[t('event.from'), t('event.to')]}
          onChange={(d) => set({ from: d?.[0]?.format('YYYY-MM-DD'), to: d?.[1]?.format('YYYY-MM-DD') })} style={{ maxWidth: '100%' }} />
        <Typography.Text type="secondary" data-testid="events-total">{t('common.totalN', { n: q.data?.total ?? 0 })}</Typography.Text>
      </Space>
      {phone ? (
        <List loading={q.isFetching} dataSource={items} locale={{ emptyText: t('event.none') }} renderItem={(e) => (
          <Card size="small" style={{ marginBottom: 8 }} data-testid="event-row" onClick={() => setOpen(e)} hoverable>
            <Space direction="vertical" size={2} style={{ width: '100%' }}>
              <Typography.Text strong>{e.title}</Typography.Text>
              <Space wrap size={6}>{statusTag(e)}<Tag>{t(`event.type.${e.type}`)}</Tag><span>{when(e)}</span></Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{e.unit.name} · {t('event.participantsN', { n: e.participants.length })} · {outcome(e)}</Typography.Text>
            </Space>
          </Card>
        )} />
      ) : (
        <Table<ProgrammeEvent> size="small" rowKey="id" loading={q.isFetching} dataSource={items} scroll={{ x: true }} locale={{ emptyText: t('event.none') }}
          onRow={() => ({ 'data-testid': 'event-row' }) as never}
          pagination={{ current: page, pageSize: 50, total: q.data?.total ?? 0, hideOnSinglePage: true, onChange: (p) => { const n = new URLSearchParams(sp); n.set('page', String(p)); setSp(n); } }}
          columns={[
            { title: t('event.dates'), key: 'when', render: (_: unknown, e) => when(e) },
            { title: t('event.title'), dataIndex: 'title', render: (v: string, e) => <Space direction="vertical" size={0}><Button type="link" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }} onClick={() => setOpen(e)} data-testid="event-open">{v}</Button>{e.place && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{e.place}</Typography.Text>}</Space> },
            { title: t('event.type'), dataIndex: 'type', render: (v: string) => t(`event.type.${v}` as never) },
            { title: t('event.unit'), key: 'unit', responsive: ['lg'], render: (_: unknown, e) => e.unit.name },
            { title: t('event.participants'), key: 'participants', align: 'right' as const, render: (_: unknown, e) => e.participants.length },
            { title: t('event.outcomes'), key: 'outcome', responsive: ['md'], render: (_: unknown, e) => outcome(e) },
            { title: t('event.status'), key: 'status', render: (_: unknown, e) => statusTag(e) },
          ]}
        />
      )}
      {open !== undefined && <EventModal event={open} onClose={() => setOpen(undefined)} />}
    </div>
  );
}
