import { Button, DatePicker, Input, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, type Paged } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { ProducerSelect } from '../../components/pickers';
import type { Lot } from '../../contract';
import { DATE_FORMAT, fmtDate, fromIsoDate, toIsoDate } from '../../format';
import { useI18n } from '../../i18n';
import { canCreateLot } from '../../permissions';
import { ProductSelect } from './common';

const PAGE_SIZE = 20;

export function fmtQuantity(q: number, unit: string, label: (g: string, v: string) => string) {
  return `${q.toLocaleString('vi-VN')} ${label('quantityUnit', unit)}`;
}

/** Lots, newest produced first, filtered by product, producer, lot number and production dates (in the address bar). */
export default function LotList() {
  const me = useMe();
  const { t, label } = useI18n();
  const nav = useNavigate();
  const [sp, setSp] = useSearchParams();
  const f = {
    productId: sp.get('productId') ?? undefined,
    producerId: sp.get('producerId') ?? undefined,
    q: sp.get('q') ?? '',
    from: sp.get('from') ?? undefined,
    to: sp.get('to') ?? undefined,
    page: Number(sp.get('page') ?? 1),
  };
  const [search, setSearch] = useState(f.q);
  const set = (patch: Record<string, string | number | undefined | null>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in patch)) next.delete('page');
    setSp(next, { replace: true });
  };
  const { data, isLoading, isPlaceholderData } = useQuery({
    queryKey: ['lots', 'list', f],
    queryFn: () => api<Paged<Lot>>('/api/lots', { query: { ...f, pageSize: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader
        title={t('nav.lots')}
        extra={
          canCreateLot(me) && (
            <Button data-testid="lot-create" type="primary" icon={<PlusOutlined />} onClick={() => nav(`/lots/new${f.productId ? `?productId=${f.productId}` : ''}`)}>
              {t('trace.lot.create')}
            </Button>
          )
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search data-testid="lot-search" allowClear value={search} onChange={(e) => setSearch(e.target.value)} onSearch={(v) => set({ q: v.trim() || undefined })} placeholder={t('trace.lot.searchPlaceholder')} style={{ width: 220 }} />
        <ProductSelect data-testid="lot-filter-product" allowClear value={f.productId} onChange={(v) => set({ productId: v })} producerId={me.role === 'producer' ? (me.producerId ?? undefined) : undefined} style={{ width: 280 }} />
        {me.role !== 'producer' && <ProducerSelect data-testid="lot-filter-producer" allowClear value={f.producerId} onChange={(v) => set({ producerId: v })} style={{ width: 260 }} />}
        <DatePicker.RangePicker
          format={DATE_FORMAT}
          value={[fromIsoDate(f.from), fromIsoDate(f.to)]}
          onChange={(v) => set({ from: toIsoDate(v?.[0]), to: toIsoDate(v?.[1]) })}
          placeholder={[t('trace.lot.producedFrom'), t('trace.lot.producedTo')]}
          allowEmpty={[true, true]}
        />
        <Typography.Text type="secondary">{t('common.totalN', { n: data?.total ?? 0 })}</Typography.Text>
      </Space>
      <Table<Lot>
        data-testid="lot-table"
        rowKey="id"
        size="small"
        loading={isLoading || isPlaceholderData}
        dataSource={data?.items ?? []}
        scroll={{ x: 1000 }}
        onRow={(l) => ({ 'data-testid': 'lot-row', 'data-lot': l.lotNumber }) as never}
        pagination={data && data.total > PAGE_SIZE ? { current: f.page, pageSize: PAGE_SIZE, total: data.total, showSizeChanger: false, onChange: (p) => set({ page: p }) } : false}
        columns={[
          { title: t('trace.lot.lotNumber'), dataIndex: 'lotNumber', width: 170, render: (n: string, l) => <Link to={`/lots/${l.id}`}><b>{n}</b></Link> },
          { title: t('trace.lot.product'), render: (_, l) => <Link to={`/products/${l.product.id}`}>{l.product.name}</Link> },
          { title: t('trace.lot.producer'), render: (_, l) => l.producer.name },
          { title: t('trace.lot.producedOn'), dataIndex: 'producedOn', width: 110, render: fmtDate },
          { title: t('trace.lot.quantity'), width: 130, render: (_, l) => fmtQuantity(l.quantity, l.quantityUnit, label) },
          { title: t('nav.growingAreas'), width: 200, render: (_, l) => (l.growingAreas.length ? l.growingAreas.map((a) => <Tag key={a.id}>{a.code}</Tag>) : '—') },
          { title: t('trace.lot.events'), dataIndex: 'eventCount', width: 90, align: 'right' },
        ]}
      />
    </>
  );
}
