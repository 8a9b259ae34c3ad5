import { App, Button, Empty, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, type Paged } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { freshOnOpen } from '../../components/freshOnOpen';
import { ProducerSelect } from '../../components/pickers';
import { PARTY_KINDS, type Party, type PartyInput, type PartyKind } from '../../contract';
import { useI18n } from '../../i18n';
import { canWriteParties } from '../../permissions';

/**
 * A producer's trading partners (buyers, processors, packers …): the receiving party of shipping and receiving
 * events. A producer keeps its own list; officers choose the producer first (partners belong to one producer).
 */
export function PartiesPage() {
  const me = useMe();
  const { t, label } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [sp, setSp] = useSearchParams();
  const producerId = me.role === 'producer' ? (me.producerId ?? undefined) : (sp.get('producerId') ?? undefined);
  const [editing, setEditing] = useState<Party | 'new' | null>(null);

  const { data, isLoading } = useQuery({
    queryKey: ['parties', producerId],
    queryFn: () => api<Paged<Party>>('/api/parties', { query: { producerId, pageSize: 200 } }),
    enabled: !!producerId,
  });
  const del = useMutation({
    mutationFn: (id: string) => api(`/api/parties/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      message.success(t('party.deleted'));
      qc.invalidateQueries({ queryKey: ['parties'] });
    },
    onError: (e) => showError(e),
  });
  const writable = !!producerId && canWriteParties(me, producerId);

  return (
    <>
      <PageHeader
        title={t('page.parties')}
        extra={writable && (
          <Button data-testid="party-create" type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('party.new')}
          </Button>
        )}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>{t('party.help')}</Typography.Paragraph>
      {me.role !== 'producer' && (
        <Space wrap style={{ marginBottom: 12 }}>
          <ProducerSelect
            data-testid="party-filter-producer"
            value={producerId}
            onChange={(v) => setSp(v ? { producerId: v } : {}, { replace: true })}
            style={{ width: 340, maxWidth: '100%' }}
          />
        </Space>
      )}
      {!producerId ? (
        <Empty description={t('party.pickProducer')} />
      ) : (
        <Table<Party>
          data-testid="party-table"
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('party.empty') }}
          onRow={(p) => ({ 'data-testid': 'party-row', 'data-name': p.name }) as never}
          columns={[
            {
              title: t('party.name'),
              render: (_, p) => (
                <>
                  <b>{p.name}</b>
                  <div><Typography.Text type="secondary">{label('partyKind', p.kind)}{p.address ? ` · ${p.address}` : ''}</Typography.Text></div>
                </>
              ),
            },
            { title: 'GLN', dataIndex: 'gln', width: 150, render: (g: string | null) => g ?? '—' },
            {
              title: '',
              width: 84,
              render: (_, p) =>
                writable ? (
                  <Space size={4}>
                    <Button size="small" data-testid="party-edit" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => setEditing(p)} />
                    <Popconfirm title={t('party.deleteConfirm')} onConfirm={() => del.mutate(p.id)} okText={t('common.delete')} cancelText={t('common.cancel')}>
                      <Button size="small" danger data-testid="party-delete" icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                    </Popconfirm>
                  </Space>
                ) : null,
            },
          ]}
        />
      )}
      {producerId && <PartyModal producerId={producerId} target={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

interface FormValues {
  name: string;
  kind: PartyKind;
  gln?: string;
  address?: string;
}

function PartyModalInner({ producerId, target, onClose }: { producerId: string; target: Party | 'new' | null; onClose: () => void }) {
  const { t, label } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<FormValues>();
  const existing = target && target !== 'new' ? target : null;
  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const body: PartyInput = {
        producerId, name: v.name, kind: v.kind, gln: v.gln?.trim() ? v.gln.trim() : null, unitId: existing?.unitId ?? null, address: v.address?.trim() ? v.address.trim() : null,
      };
      return existing
        ? api<Party>(`/api/parties/${existing.id}`, { method: 'PUT', body: { ...body, version: existing.version } })
        : api<Party>('/api/parties', { body });
    },
    onSuccess: () => {
      message.success(t('party.saved'));
      qc.invalidateQueries({ queryKey: ['parties'] });
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  const req = [{ required: true, message: t('form.required') }];
  return (
    <Modal
      open={!!target}
      title={existing ? t('party.edit') : t('party.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'party-save' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        data-testid="party-form"
        onFinish={(v) => save.mutate(v)}
        initialValues={existing ? { name: existing.name, kind: existing.kind, gln: existing.gln ?? undefined, address: existing.address ?? undefined } : { kind: 'buyer' }}
      >
        <Form.Item name="name" label={t('party.name')} rules={req}>
          <Input data-testid="party-name" maxLength={300} />
        </Form.Item>
        <Form.Item name="kind" label={t('party.kind')} rules={req}>
          <Select data-testid="party-kind" options={PARTY_KINDS.map((k) => ({ value: k, label: label('partyKind', k) }))} />
        </Form.Item>
        <Form.Item name="gln" label={t('party.gln')} extra={t('party.glnHelp')}>
          <Input data-testid="party-gln" inputMode="numeric" maxLength={13} />
        </Form.Item>
        <Form.Item name="address" label={t('party.address')}>
          <Input data-testid="party-address" maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const PartyModal = freshOnOpen(PartyModalInner, (p) => !!p.target);
