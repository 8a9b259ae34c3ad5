import { App, Button, Card, Col, DatePicker, Empty, Form, Input, Modal, Result, Row, Segmented, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, type Paged } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { freshOnOpen } from '../../components/freshOnOpen';
import { UnitTreeSelect } from '../../components/pickers';
import type { ScanReport, ScanStats, StampFlag } from '../../contract';
import { DATE_FORMAT, fmtDateTime, fromIsoDate, toIsoDate, todayDay, todayIso } from '../../format';
import { useI18n } from '../../i18n';
import { canReviewScans, canSeeScans } from '../../permissions';
import { ProductSelect } from './common';

/** Officers' oversight: scans per day, per product and unit; flagged stamps to look at; problems buyers reported. */
export default function ScansPage() {
  const me = useMe();
  const { t } = useI18n();
  const [sp, setSp] = useSearchParams();
  const f = {
    productId: sp.get('productId') ?? undefined,
    unitId: sp.get('unitId') ? Number(sp.get('unitId')) : undefined,
    from: sp.get('from') ?? todayDay().subtract(29, 'day').format('YYYY-MM-DD'),
    to: sp.get('to') ?? todayIso(),
  };
  const set = (patch: Record<string, string | number | undefined | null>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    setSp(next, { replace: true });
  };
  const stats = useQuery({ queryKey: ['scan-stats', f], queryFn: () => api<ScanStats>('/api/scan-stats', { query: f }), placeholderData: keepPreviousData, enabled: canSeeScans(me) });
  if (!canSeeScans(me)) return <Result status="403" title={t('error.forbidden')} />;
  const s = stats.data;

  return (
    <>
      <PageHeader title={t('nav.scans')} />
      <Space wrap style={{ marginBottom: 12 }}>
        <ProductSelect data-testid="scan-filter-product" allowClear value={f.productId} onChange={(v) => set({ productId: v })} style={{ width: 300 }} />
        <UnitTreeSelect data-testid="scan-filter-unit" value={f.unitId} onChange={(v) => set({ unitId: v })} style={{ width: 240 }} />
        <DatePicker.RangePicker format={DATE_FORMAT} allowClear={false} value={[fromIsoDate(f.from), fromIsoDate(f.to)]} onChange={(v) => set({ from: toIsoDate(v?.[0]), to: toIsoDate(v?.[1]) })} />
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card size="small" title={t('trace.scan.perDay')} data-testid="scan-chart" loading={stats.isLoading}>
            <Space size={32} style={{ marginBottom: 8 }}>
              <Statistic title={t('trace.scan.total')} value={s?.total ?? 0} />
              <Statistic title={t('trace.scan.flagged')} value={(s?.days ?? []).reduce((a, d) => a + d.flagged, 0)} styles={{ content: { color: '#cf1322' } }} />
            </Space>
            <DayBars days={s?.days ?? []} from={f.from} to={f.to} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('trace.scan.byProduct')} style={{ marginBottom: 16 }}>
            <Table
              size="small"
              rowKey="productId"
              pagination={false}
              dataSource={(s?.byProduct ?? []).slice(0, 10)}
              locale={{ emptyText: t('common.noData') }}
              columns={[
                { title: t('trace.lot.product'), render: (_, r) => <Link to={`/products/${r.productId}`}>{r.productName}</Link> },
                { title: t('trace.stamp.scans'), dataIndex: 'scans', align: 'right', width: 90 },
              ]}
            />
          </Card>
          <Card size="small" title={t('trace.scan.byUnit')} style={{ marginBottom: 16 }}>
            <Table
              size="small"
              rowKey="unitId"
              pagination={false}
              dataSource={(s?.byUnit ?? []).slice(0, 10)}
              locale={{ emptyText: t('common.noData') }}
              columns={[
                { title: t('trace.place.unit'), dataIndex: 'unitName' },
                { title: t('trace.stamp.scans'), dataIndex: 'scans', align: 'right', width: 90 },
              ]}
            />
          </Card>
          <Card size="small" title={t('trace.scan.byArea')} data-testid="scans-by-area">
            <Table
              size="small"
              rowKey="areaId"
              pagination={false}
              dataSource={(s?.byArea ?? []).slice(0, 10)}
              locale={{ emptyText: t('common.noData') }}
              columns={[
                { title: t('trace.place.code'), render: (_, r) => <><b>{r.code}</b> <Typography.Text type="secondary">{r.crop}</Typography.Text></> },
                { title: t('trace.stamp.scans'), dataIndex: 'scans', align: 'right', width: 90 },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <FlagsCard productId={f.productId} />
        </Col>
        <Col xs={24}>
          <ReportsCard productId={f.productId} />
        </Col>
      </Row>
    </>
  );
}

/** Scans per day as plain bars (flagged scans in red on top); every day of the range has a slot. */
function DayBars({ days, from, to }: { days: ScanStats['days']; from: string; to: string }) {
  const { t } = useI18n();
  const by = new Map(days.map((d) => [d.date.slice(0, 10), d]));
  const slots: { date: string; scans: number; flagged: number }[] = [];
  for (let d = dayjs(from), n = 0; !d.isAfter(dayjs(to), 'day') && n < 400; d = d.add(1, 'day'), n++) {
    const k = d.format('YYYY-MM-DD');
    slots.push(by.get(k) ?? { date: k, scans: 0, flagged: 0 });
  }
  const max = Math.max(1, ...slots.map((x) => x.scans));
  if (!slots.some((x) => x.scans > 0)) return <Empty description={t('trace.scan.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const H = 160;
  return (
    <div>
      <div style={{ display: 'flex', alignItems: 'flex-end', gap: 2, height: H, borderBottom: '1px solid #d9d9d9', paddingTop: 4 }} role="img" aria-label={t('trace.scan.perDay')}>
        {slots.map((x) => {
          const h = Math.round((x.scans / max) * (H - 8));
          const fh = x.scans ? Math.round((x.flagged / x.scans) * h) : 0;
          return (
            <Tooltip key={x.date} title={`${dayjs(x.date).format('DD/MM')}: ${t('trace.scan.nScans', { n: x.scans })}${x.flagged ? ` · ${t('trace.scan.nFlagged', { n: x.flagged })}` : ''}`}>
              <div data-testid="scan-bar" data-date={x.date} data-scans={x.scans} style={{ flex: 1, minWidth: 3, height: Math.max(h, x.scans ? 2 : 0), display: 'flex', flexDirection: 'column' }}>
                <div style={{ height: fh, background: '#ff7875' }} />
                <div style={{ flex: 1, background: '#52a36f' }} />
              </div>
            </Tooltip>
          );
        })}
      </div>
      <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 11, color: '#888', marginTop: 2 }}>
        <span>{dayjs(from).format('DD/MM')}</span>
        <span>{t('trace.scan.max', { n: max })}</span>
        <span>{dayjs(to).format('DD/MM')}</span>
      </div>
    </div>
  );
}

function FlagsCard({ productId }: { productId?: string }) {
  const me = useMe();
  const { t, label } = useI18n();
  const [status, setStatus] = useState<'open' | 'dismissed'>('open');
  const [page, setPage] = useState(1);
  const [dismissing, setDismissing] = useState<StampFlag | null>(null);
  const { data, isLoading } = useQuery({
    queryKey: ['stamp-flags', { status, productId, page }],
    queryFn: () => api<Paged<StampFlag>>('/api/stamp-flags', { query: { status, productId, page, pageSize: 20 } }),
    placeholderData: keepPreviousData,
  });
  return (
    <Card
      size="small"
      title={t('trace.flag.title')}
      data-testid="flags-card"
      extra={<Segmented value={status} onChange={(v) => { setStatus(v as 'open' | 'dismissed'); setPage(1); }} options={[{ value: 'open', label: t('trace.flag.open') }, { value: 'dismissed', label: t('trace.flag.dismissed') }]} />}
    >
      <Table<StampFlag>
        size="small"
        rowKey="id"
        loading={isLoading}
        dataSource={data?.items ?? []}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('trace.flag.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        onRow={() => ({ 'data-testid': 'flag-row' }) as never}
        pagination={data && data.total > 20 ? { current: page, pageSize: 20, total: data.total, onChange: setPage, showSizeChanger: false } : false}
        columns={[
          { title: t('trace.flag.kind'), width: 200, render: (_, r) => <Tag color={r.kind === 'too_many_scans' ? 'orange' : 'red'}>{label('flagKind', r.kind)}</Tag> },
          // What the flag is about, in words: a stamp's serial, a whole lot, or a GTIN (never the internal id).
          {
            title: t('trace.flag.stamp'),
            render: (_, r) => (r.serial != null ? `${t('trace.stamp.serial')}: ${String(r.serial)}`
              : r.ref.startsWith('/01/') ? t('trace.flag.refGtin', { gtin: r.ref.slice(4) })
                : r.lot ? t('trace.flag.refLot') : '—'),
          },
          { title: t('trace.lot.product'), render: (_, r) => (r.product ? <Link to={`/products/${r.product.id}`}>{r.product.name}</Link> : '—') },
          { title: t('trace.lot.lotNumber'), width: 130, render: (_, r) => (r.lot ? <Link to={`/lots/${r.lot.id}`}>{r.lot.lotNumber}</Link> : '—') },
          { title: t('trace.stamp.scans'), dataIndex: 'scanCount', width: 80, align: 'right' },
          { title: t('trace.flag.when'), width: 170, render: (_, r) => <span style={{ fontSize: 12 }}>{fmtDateTime(r.firstAt)} → {fmtDateTime(r.lastAt)}</span> },
          {
            title: '',
            width: 110,
            render: (_, r) =>
              r.status === 'open' && canReviewScans(me) ? (
                <Button size="small" data-testid="flag-dismiss" onClick={() => setDismissing(r)}>
                  {t('trace.flag.dismiss')}
                </Button>
              ) : r.note ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.note}</Typography.Text>
              ) : null,
          },
        ]}
      />
      <DismissModal flag={dismissing} onClose={() => setDismissing(null)} />
    </Card>
  );
}

function DismissModalInner({ flag, onClose }: { flag: StampFlag | null; onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<{ note: string }>();
  const m = useMutation({
    mutationFn: (v: { note: string }) => api(`/api/stamp-flags/${flag!.id}/dismiss`, { body: { note: v.note.trim() } }),
    onSuccess: () => {
      message.success(t('trace.flag.dismissedOk'));
      qc.invalidateQueries({ queryKey: ['stamp-flags'] });
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Modal open={!!flag} title={t('trace.flag.dismissTitle')} onCancel={onClose} onOk={() => form.submit()} okText={t('trace.flag.dismiss')} okButtonProps={{ 'data-testid': 'flag-dismiss-ok' } as never} cancelText={t('common.cancel')} confirmLoading={m.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        <Form.Item name="note" label={t('trace.flag.note')} rules={[{ required: true, whitespace: true, message: t('trace.flag.noteRequired') }]}>
          <Input.TextArea data-testid="flag-note" autoSize={{ minRows: 2, maxRows: 5 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
const DismissModal = freshOnOpen(DismissModalInner, (p) => !!p.flag);

function ReportsCard({ productId }: { productId?: string }) {
  const me = useMe();
  const { t, label } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [status, setStatus] = useState<'all' | 'new' | 'reviewed' | 'closed'>('new');
  const [page, setPage] = useState(1);
  const { data, isLoading } = useQuery({
    queryKey: ['scan-reports', { status, productId, page }],
    queryFn: () => api<Paged<ScanReport>>('/api/scan-reports', { query: { status: status === 'all' ? undefined : status, productId, page, pageSize: 20 } }),
    placeholderData: keepPreviousData,
  });
  const move = useMutation({
    mutationFn: (v: { id: string; status: 'reviewed' | 'closed' }) => api(`/api/scan-reports/${v.id}/status`, { body: { status: v.status } }),
    onSuccess: () => {
      message.success(t('common.saved'));
      qc.invalidateQueries({ queryKey: ['scan-reports'] });
    },
    onError: (e) => showError(e),
  });
  const color: Record<string, string> = { new: 'blue', reviewed: 'gold', closed: 'default' };
  return (
    <Card
      size="small"
      title={t('trace.report.title')}
      data-testid="reports-card"
      extra={
        <Segmented
          value={status}
          onChange={(v) => { setStatus(v as typeof status); setPage(1); }}
          options={(['new', 'reviewed', 'closed', 'all'] as const).map((x) => ({ value: x, label: x === 'all' ? t('trace.report.all') : label('reportStatus', x) }))}
        />
      }
    >
      <Table<ScanReport>
        size="small"
        rowKey="id"
        loading={isLoading}
        dataSource={data?.items ?? []}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('trace.report.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        onRow={() => ({ 'data-testid': 'report-row' }) as never}
        pagination={data && data.total > 20 ? { current: page, pageSize: 20, total: data.total, onChange: setPage, showSizeChanger: false } : false}
        columns={[
          { title: t('trace.report.when'), width: 140, render: (_, r) => fmtDateTime(r.createdAt) },
          { title: t('trace.report.kind'), width: 150, render: (_, r) => label('reportCategory', r.kind ?? 'other') },
          { title: t('trace.report.message'), width: 280, render: (_, r) => <span style={{ whiteSpace: 'pre-wrap' }}>{r.message}</span> },
          { title: t('trace.lot.product'), width: 200, render: (_, r) => (r.product ? <Link to={`/products/${r.product.id}`}>{r.product.name}</Link> : '—') },
          { title: t('trace.lot.lotNumber'), width: 120, render: (_, r) => (r.lot ? <Link to={`/lots/${r.lot.id}`}>{r.lot.lotNumber}</Link> : '—') },
          { title: t('trace.report.contact'), width: 150, render: (_, r) => r.contact ?? '—' },
          { title: t('trace.stamp.status'), width: 110, render: (_, r) => <Tag color={color[r.status] ?? 'default'}>{label('reportStatus', r.status)}</Tag> },
          {
            title: '',
            width: 170,
            render: (_, r) =>
              canReviewScans(me) && r.status !== 'closed' ? (
                <Space size={4}>
                  {r.status === 'new' && (
                    <Button size="small" data-testid="report-reviewed" loading={move.isPending} onClick={() => move.mutate({ id: r.id, status: 'reviewed' })}>
                      {t('trace.report.markReviewed')}
                    </Button>
                  )}
                  <Button size="small" data-testid="report-closed" loading={move.isPending} onClick={() => move.mutate({ id: r.id, status: 'closed' })}>
                    {t('trace.report.close')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}
