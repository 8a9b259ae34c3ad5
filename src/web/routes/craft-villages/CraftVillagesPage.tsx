import { Button, Card, Checkbox, DatePicker, Form, Input, List, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type dayjs from 'dayjs';
import { useState } from 'react';
import { CRAFT_VILLAGE_KINDS, type CraftVillage, type CraftVillageInput, type CraftVillageList } from '../../../server/modules/craft-villages/schema';
import { api } from '../../api';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { useDebounced, useIsPhone } from '../../components/hooks';
import { CommuneSelect } from '../../components/pickers';
import { DATE_FORMAT, fmtDate, fromIsoDate, toIsoDate } from '../../format';
import { useI18n } from '../../i18n';

type Values = Omit<CraftVillageInput, 'recognisedOn' | 'revokedOn'> & { recognisedOn?: dayjs.Dayjs | null; revokedOn?: dayjs.Dayjs | null };

function VillageModal({ village, onClose }: { village: CraftVillage | null; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();
  const showError = useShowError();
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { ...v, recognisedOn: toIsoDate(v.recognisedOn), revokedOn: toIsoDate(v.revokedOn), craft: v.craft || null, decision: v.decision || null, note: v.note || null };
      return village ? api<CraftVillage>(`/api/craft-villages/${village.id}`, { method: 'PUT', body: { ...body, version: village.version } }) : api<CraftVillage>('/api/craft-villages', { body });
    },
    onSuccess: () => { qc.invalidateQueries({ queryKey: ['craft-villages'] }); onClose(); },
    onError: (e) => showError(e, form),
  });
  const initial = village ? { ...village, unitId: village.unit.id, recognisedOn: fromIsoDate(village.recognisedOn), revokedOn: fromIsoDate(village.revokedOn) } : { kind: 'craft_village', isDemo: false };
  const required = [{ required: true, message: t('form.required') }];
  return (
    <Modal open title={village ? t('village.edit') : t('village.create')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} cancelText={t('common.cancel')}
      confirmLoading={save.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'village-save' } as never}>
      <Form form={form} layout="vertical" preserve={false} initialValues={initial as never} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t('village.name')} rules={required}><Input data-testid="village-name" /></Form.Item>
        <Form.Item name="unitId" label={t('village.unit')} rules={required}><CommuneSelect data-testid="village-unit" current={village ? { id: village.unit.id, label: village.unit.name } : undefined} /></Form.Item>
        <Form.Item name="kind" label={t('village.kind')}><Select options={CRAFT_VILLAGE_KINDS.map((k) => ({ value: k, label: t(`village.kind.${k}`) }))} /></Form.Item>
        <Form.Item name="craft" label={t('village.craft')}><Input placeholder={t('village.craftPh')} /></Form.Item>
        <Space wrap>
          <Form.Item name="decision" label={t('village.decision')}><Input style={{ width: 200 }} /></Form.Item>
          <Form.Item name="recognisedOn" label={t('village.recognisedOn')}><DatePicker format={DATE_FORMAT} /></Form.Item>
          <Form.Item name="revokedOn" label={t('village.revokedOn')}><DatePicker format={DATE_FORMAT} /></Form.Item>
        </Space>
        <Form.Item name="note" label={t('village.note')}><Input.TextArea rows={2} /></Form.Item>
        <Form.Item name="isDemo" valuePropName="checked"><Checkbox>{t('village.isDemo')}</Checkbox></Form.Item>
      </Form>
    </Modal>
  );
}

/** Craft villages (reference data): the programme counts the share of products from them; province officers keep the list. */
export default function CraftVillagesPage() {
  const { t } = useI18n();
  const phone = useIsPhone();
  const [search, setSearch] = useState('');
  const qText = useDebounced(search, 250);
  const [open, setOpen] = useState<CraftVillage | null | undefined>(undefined);
  const q = useQuery({ queryKey: ['craft-villages', qText], queryFn: () => api<CraftVillageList>('/api/craft-villages', { query: { q: qText } }), placeholderData: keepPreviousData });
  const items = q.data?.items ?? [];
  const recognition = (v: CraftVillage) => [v.decision, v.recognisedOn ? fmtDate(v.recognisedOn) : null].filter(Boolean).join(' · ') || t('village.dateUnknown');
  const tags = (v: CraftVillage) => <>{v.revokedOn && <Tag color="red">{t('village.revoked', { n: fmtDate(v.revokedOn) })}</Tag>}{v.isDemo && <Tag color="gold">{t('common.demo')}</Tag>}</>;
  const edit = (v: CraftVillage) => (v.canEdit ? <Button size="small" onClick={() => setOpen(v)} data-testid="village-edit">{t('common.edit')}</Button> : null);
  return (
    <div data-testid="villages-page">
      <PageHeader title={t('nav.craftVillages')} extra={q.data?.canManage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(null)} data-testid="village-create">{t('village.create')}</Button>} />
      <Typography.Paragraph type="secondary">{t('village.intro')}</Typography.Paragraph>
      <Input.Search allowClear placeholder={t('village.search')} value={search} onChange={(e) => setSearch(e.target.value)} style={{ maxWidth: 360, marginBottom: 12 }} />
      {phone ? (
        <List loading={q.isFetching} dataSource={items} locale={{ emptyText: t('village.none') }} renderItem={(v) => (
          <Card size="small" style={{ marginBottom: 8 }} data-testid="village-row">
            <Space direction="vertical" size={2} style={{ width: '100%' }}>
              <Typography.Text strong>{v.name}</Typography.Text>
              <Space wrap size={6}><Tag>{t(`village.kind.${v.kind}`)}</Tag>{tags(v)}</Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{v.unit.name} · {v.craft ?? '—'} · {t('village.producersN', { n: v.producerCount })}</Typography.Text>
              {edit(v)}
            </Space>
          </Card>
        )} />
      ) : (
        <Table<CraftVillage> size="small" rowKey="id" loading={q.isFetching} dataSource={items} pagination={false} scroll={{ x: true }} locale={{ emptyText: t('village.none') }}
          onRow={() => ({ 'data-testid': 'village-row' }) as never}
          columns={[
            { title: t('village.name'), dataIndex: 'name', render: (n: string, v) => <Space wrap size={4}>{n}{tags(v)}</Space> },
            { title: t('village.unit'), key: 'unit', render: (_: unknown, v) => v.unit.name },
            { title: t('village.kind'), dataIndex: 'kind', render: (k: string) => t(`village.kind.${k}` as never) },
            { title: t('village.craft'), dataIndex: 'craft', responsive: ['lg'], render: (c: string | null) => c ?? '—' },
            { title: t('village.recognition'), key: 'rec', responsive: ['md'], render: (_: unknown, v) => recognition(v) },
            { title: t('village.producers'), dataIndex: 'producerCount', align: 'right' as const },
            { title: '', key: 'edit', render: (_: unknown, v) => edit(v) },
          ]}
        />
      )}
      {open !== undefined && <VillageModal village={open} onClose={() => setOpen(undefined)} />}
    </div>
  );
}
