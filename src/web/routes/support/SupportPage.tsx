import { Button, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { z } from 'zod';
import { FUNDING_SOURCES, SUPPORT_STATUSES, SUPPORT_TYPES, type ZSupport, type ZSupportPage } from '../../../server/modules/programme/schema';
import { api, type Paged } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { useIsPhone } from '../../components/hooks';
import { ProducerSelect } from '../../components/pickers';
import { fmtDate, todayDay } from '../../format';
import { useI18n } from '../../i18n';
import { isStaff } from '../../permissions';
import { SupportEvidenceDrawer } from './SupportEvidenceDrawer';

type Support = z.infer<typeof ZSupport>;
type Page = z.infer<typeof ZSupportPage>;
const STATUS_COLOR = { planned: 'default', in_progress: 'blue', done: 'green', cancelled: 'red' } as const;
const vnd = (n: number) => `${n.toLocaleString('vi-VN')} đ`;

function ProductOfProducer({ producerId, value, onChange }: { producerId?: string; value?: string | null; onChange?: (v: string | null) => void }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['products', 'of', producerId], enabled: !!producerId,
    queryFn: () => api<Paged<{ id: string; name: string }>>('/api/products', { query: { producerId, pageSize: 200 } }),
  });
  return (
    <Select allowClear value={value ?? undefined} onChange={(v) => onChange?.(v ?? null)} placeholder={t('support.noProduct')} data-testid="support-product"
      options={(q.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))} />
  );
}

function SupportForm({ open, editing, onClose }: { open: boolean; editing: Support | null; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const qc = useQueryClient();
  const showError = useShowError();
  const producerId = Form.useWatch('producerId', form);
  const save = useMutation({
    mutationFn: (v: Record<string, unknown>) => {
      const body = { ...v, activityDate: (v.activityDate as dayjs.Dayjs).format('YYYY-MM-DD'), productId: v.productId ?? null, note: v.note || null };
      return editing
        ? api<Support>(`/api/support-activities/${editing.id}`, { method: 'PUT', body: { ...body, version: editing.version } })
        : api<Support>('/api/support-activities', { method: 'POST', body });
    },
    onSuccess: () => { qc.invalidateQueries({ queryKey: ['support'] }); onClose(); },
    onError: (e) => showError(e, form),
  });
  return (
    <Modal open={open} title={editing ? t('support.edit') : t('support.create')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={save.isPending} destroyOnHidden
      okButtonProps={{ 'data-testid': 'support-save' } as never}>
      <Form form={form} layout="vertical" preserve={false} onFinish={(v) => save.mutate(v)}
        initialValues={editing ? { ...editing, producerId: editing.producer.id, productId: editing.product?.id ?? null, activityDate: dayjs(editing.activityDate) } : { status: 'planned', fundingSource: 'district_budget', activityDate: todayDay() }}>
        <Form.Item name="producerId" label={t('programme.col.producer')} rules={[{ required: true }]}>
          <ProducerSelect data-testid="support-producer" initialLabel={editing?.producer.legalName} />
        </Form.Item>
        <Form.Item name="productId" label={t('support.product')}>
          <ProductOfProducer producerId={producerId} />
        </Form.Item>
        <Form.Item name="type" label={t('support.type')} rules={[{ required: true }]}>
          <Select data-testid="support-type" options={SUPPORT_TYPES.map((v) => ({ value: v, label: t(`support.type.${v}`) }))} />
        </Form.Item>
        <Form.Item name="description" label={t('support.description')} rules={[{ required: true }]}><Input.TextArea rows={2} data-testid="support-description" /></Form.Item>
        <Space wrap>
          <Form.Item name="amountVnd" label={t('support.amount')} rules={[{ required: true }]}>
            <InputNumber min={0} step={1_000_000} style={{ width: 200 }} data-testid="support-amount" formatter={(v) => `${v ?? ''}`.replace(/\B(?=(\d{3})+(?!\d))/g, '.')} parser={(v) => Number((v ?? '').replace(/\D/g, '')) as never} />
          </Form.Item>
          <Form.Item name="activityDate" label={t('support.date')} rules={[{ required: true }]}><DatePicker format="DD/MM/YYYY" data-testid="support-date" /></Form.Item>
        </Space>
        <Form.Item name="fundingSource" label={t('support.source')} rules={[{ required: true }]}>
          <Select data-testid="support-source" options={FUNDING_SOURCES.map((v) => ({ value: v, label: t(`funding.${v}`) }))} />
        </Form.Item>
        <Form.Item name="status" label={t('support.status')}>
          <Select data-testid="support-status" options={SUPPORT_STATUSES.map((v) => ({ value: v, label: t(`support.status.${v}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('support.note')}><Input.TextArea rows={2} /></Form.Item>
      </Form>
    </Modal>
  );
}

/** Support activities: officers record and follow them; producers see what they received. */
export default function SupportPage() {
  const me = useMe();
  const { t } = useI18n();
  const phone = useIsPhone();
  const [sp, setSp] = useSearchParams();
  const [editing, setEditing] = useState<Support | null>(null);
  const [creating, setCreating] = useState(false);
  const [docsOf, setDocsOf] = useState<Support | null>(null);
  const type = sp.get('type') ?? undefined;
  const status = sp.get('status') ?? undefined;
  const page = Number(sp.get('page') ?? 1);
  const q = useQuery({
    queryKey: ['support', type, status, page],
    queryFn: () => api<Page>('/api/support-activities', { query: { type, status, page, pageSize: 50 } }),
    placeholderData: keepPreviousData,
  });
  const set = (k: string, v?: string) => { const n = new URLSearchParams(sp); if (v) n.set(k, v); else n.delete(k); n.delete('page'); setSp(n); };
  return (
    <div data-testid="support-page">
      <PageHeader title={t('nav.support')} extra={isStaff(me) && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="support-create">{t('support.create')}</Button>} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder={t('support.type')} style={{ width: 240 }} value={type} onChange={(v) => set('type', v)} options={SUPPORT_TYPES.map((v) => ({ value: v, label: t(`support.type.${v}`) }))} />
        <Select allowClear placeholder={t('support.status')} style={{ width: 180 }} value={status} onChange={(v) => set('status', v)} options={SUPPORT_STATUSES.map((v) => ({ value: v, label: t(`support.status.${v}`) }))} />
        <Typography.Text type="secondary" data-testid="support-total">{t('common.totalN', { n: q.data?.total ?? 0 })} · {vnd(q.data?.totalAmountVnd ?? 0)}</Typography.Text>
      </Space>
      <Table
        size="small" rowKey="id" loading={q.isFetching} dataSource={q.data?.items ?? []} scroll={{ x: true }}
        pagination={{ current: page, pageSize: 50, total: q.data?.total ?? 0, onChange: (p) => { const n = new URLSearchParams(sp); n.set('page', String(p)); setSp(n); } }}
        columns={[
          { title: t('support.date'), dataIndex: 'activityDate', render: (v: string) => fmtDate(v) },
          { title: t('programme.col.producer'), key: 'producer', render: (_: unknown, r: Support) => <Space direction="vertical" size={0}><Link to={`/producers/${r.producer.id}`}>{r.producer.legalName}</Link>{r.product && <Link to={`/products/${r.product.id}`}>{r.product.name}</Link>}</Space> },
          { title: t('support.type'), dataIndex: 'type', render: (v: string) => t(`support.type.${v}` as never) },
          { title: t('support.description'), dataIndex: 'description', responsive: phone ? ['lg'] : undefined },
          { title: t('support.amount'), dataIndex: 'amountVnd', align: 'right' as const, render: (v: number) => vnd(v) },
          { title: t('support.source'), dataIndex: 'fundingSource', responsive: ['md'], render: (v: string) => t(`funding.${v}` as never) },
          { title: t('support.status'), dataIndex: 'status', render: (v: keyof typeof STATUS_COLOR) => <Tag color={STATUS_COLOR[v]}>{t(`support.status.${v}`)}</Tag> },
          { title: '', key: 'edit', render: (_: unknown, r: Support) => (
            <Space size={4}>
              {r.canSeeEvidence && <Button size="small" icon={<PaperClipOutlined />} onClick={() => setDocsOf(r)} data-testid="support-docs" aria-label={t('supportEvidence.title')}>{phone ? null : t('supportEvidence.button')}</Button>}
              {r.canEdit && <Button size="small" onClick={() => setEditing(r)}>{t('support.edit')}</Button>}
            </Space>
          ) },
        ]}
      />
      <SupportForm open={creating || editing !== null} editing={editing} onClose={() => { setCreating(false); setEditing(null); }} />
      {docsOf && <SupportEvidenceDrawer support={docsOf} onClose={() => setDocsOf(null)} />}
    </div>
  );
}
