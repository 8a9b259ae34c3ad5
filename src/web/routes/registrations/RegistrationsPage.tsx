import { Alert, App, Button, Card, Empty, Form, Input, List, Modal, Popconfirm, Result, Segmented, Space, Table, Tag, Typography } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../../api';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { freshOnOpen } from '../../components/freshOnOpen';
import { useIsPhone } from '../../components/hooks';
import { itemsOf, REGISTRATION_STATUSES, type Registration, type RegistrationStatus } from '../../contract';
import { fmtDateTime } from '../../format';
import { useI18n } from '../../i18n';

const STATUS_COLOR: Record<RegistrationStatus, string> = { pending: 'gold', approved: 'green', rejected: 'red' };

/** Officers verify account requests of producers in their communes: approve (creates producer + user) or reject. */
export default function RegistrationsPage() {
  const { t, label } = useI18n();
  const phone = useIsPhone();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [status, setStatus] = useState<RegistrationStatus>('pending');
  const [rejecting, setRejecting] = useState<Registration | null>(null);
  const { data, isLoading, error } = useQuery({
    queryKey: ['registrations', 'list', status],
    queryFn: async () => itemsOf(await api<Registration[] | { items: Registration[] }>('/api/registrations', { query: { status } })),
  });
  const approve = useMutation({
    mutationFn: (id: string) => api<Registration>(`/api/registrations/${id}/approve`, { body: {} }),
    onSuccess: (r) => {
      message.success(t('registration.approved', { name: r.legalName }));
      qc.invalidateQueries({ queryKey: ['registrations'] });
    },
    onError: (e) => showError(e),
  });

  if (error) return <Result status={error instanceof ApiError && error.status === 403 ? '403' : 'error'} title={error instanceof ApiError ? error.problem.title : t('error.unexpected')} />;
  const rows = data ?? [];

  const actions = (r: Registration) =>
    r.status === 'pending' ? (
      <Space wrap size={6}>
        <Popconfirm
          title={t('registration.approveConfirm', { name: r.legalName })}
          description={r.existingProducer ? t('registration.linksExisting', { name: r.existingProducer.legalName }) : t('registration.createsProducer')}
          onConfirm={() => approve.mutateAsync(r.id).catch(() => undefined)}
          okText={t('registration.approve')}
          cancelText={t('common.cancel')}
          okButtonProps={{ 'data-testid': 'registration-approve-ok' } as never}
        >
          <Button data-testid="registration-approve" type="primary" size="small" icon={<CheckOutlined />} loading={approve.isPending && approve.variables === r.id}>
            {t('registration.approve')}
          </Button>
        </Popconfirm>
        <Button data-testid="registration-reject" danger size="small" icon={<CloseOutlined />} onClick={() => setRejecting(r)}>
          {t('registration.reject')}
        </Button>
      </Space>
    ) : r.status === 'approved' && r.producerId ? (
      <Link to={`/producers/${r.producerId}`}>{t('registration.openProducer')}</Link>
    ) : null;

  const who = (r: Registration) => (
    <>
      <b>{r.legalName}</b>
      <div style={{ fontSize: 12, color: '#666' }}>
        {label('producerKind', r.kind)} · {r.registrationNumber} · {r.reference}
      </div>
      {r.loginTaken && (
        <Tag color="orange" data-testid="registration-login-taken" style={{ marginTop: 4, whiteSpace: 'normal' }}>
          {t('registration.loginTaken', { login: r.login })}
        </Tag>
      )}
      {r.existingProducer && (
        <Tag color="blue" style={{ marginTop: 4, whiteSpace: 'normal' }}>
          {t('registration.existing', { name: r.existingProducer.legalName })}
        </Tag>
      )}
    </>
  );
  const contact = (r: Registration) => (
    <>
      {r.representative}
      <div style={{ fontSize: 12 }}>
        <a href={`tel:${r.phone}`}>{r.phone}</a>
        {r.email ? ` · ${r.email}` : ''}
      </div>
    </>
  );
  const decision = (r: Registration) =>
    r.status === 'pending' ? null : (
      <div style={{ fontSize: 12 }}>
        <Tag color={STATUS_COLOR[r.status]}>{label('registrationStatus', r.status)}</Tag> {fmtDateTime(r.decidedAt)}
        {r.decisionNote && <div>{r.decisionNote}</div>}
      </div>
    );

  return (
    <>
      <PageHeader title={t('nav.registrations')} />
      <Typography.Paragraph type="secondary">{t('registration.help')}</Typography.Paragraph>
      <Segmented<RegistrationStatus>
        data-testid="registration-status-filter"
        value={status}
        onChange={setStatus}
        options={REGISTRATION_STATUSES.map((s) => ({ value: s, label: label('registrationStatus', s) }))}
        style={{ marginBottom: 12 }}
      />
      {phone ? (
        <List
          data-testid="registration-list"
          loading={isLoading}
          dataSource={rows}
          locale={{ emptyText: <Empty description={t('registration.none')} /> }}
          renderItem={(r) => (
            <Card size="small" style={{ marginBottom: 8 }} data-testid="registration-row" data-login={r.login}>
              {who(r)}
              <div style={{ marginTop: 6 }}>{contact(r)}</div>
              <div style={{ fontSize: 12, color: '#666', marginTop: 4 }}>
                {r.unit.name} · {t('auth.login')}: <code>{r.login}</code> · {fmtDateTime(r.createdAt)}
              </div>
              {r.note && <Typography.Paragraph style={{ margin: '4px 0', fontSize: 12 }}>{r.note}</Typography.Paragraph>}
              {decision(r)}
              <div style={{ marginTop: 8 }}>{actions(r)}</div>
            </Card>
          )}
        />
      ) : (
        <Table<Registration>
          data-testid="registration-table"
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={rows}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 1000 }}
          locale={{ emptyText: <Empty description={t('registration.none')} /> }}
          onRow={(r) => ({ 'data-testid': 'registration-row', 'data-login': r.login }) as never}
          columns={[
            { title: t('registration.producer'), render: (_, r) => who(r) },
            { title: t('producer.unit'), render: (_, r) => r.unit.name },
            { title: t('registration.contact'), render: (_, r) => contact(r) },
            { title: t('auth.login'), dataIndex: 'login', render: (v: string) => <code>{v}</code> },
            { title: t('register.note'), dataIndex: 'note', render: (v: string | null) => <span style={{ fontSize: 12 }}>{v ?? '—'}</span> },
            { title: t('registration.createdAt'), dataIndex: 'createdAt', render: fmtDateTime, width: 130 },
            ...(status === 'pending' ? [] : [{ title: t('registration.decision'), render: (_: unknown, r: Registration) => decision(r) }]),
            { title: '', render: (_, r) => actions(r), width: 200 },
          ]}
        />
      )}
      <RejectModal target={rejecting} onClose={() => setRejecting(null)} />
    </>
  );
}

function RejectModalInner({ target, onClose }: { target: Registration | null; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const m = useMutation({
    mutationFn: (reason: string) => api<Registration>(`/api/registrations/${target!.id}/reject`, { body: { reason } }),
    onSuccess: () => {
      message.success(t('registration.rejected'));
      qc.invalidateQueries({ queryKey: ['registrations'] });
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Modal
      open={!!target}
      title={target ? t('registration.rejectTitle', { name: target.legalName }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('registration.reject')}
      okButtonProps={{ danger: true, 'data-testid': 'registration-reject-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('registration.rejectHelp')} />
      <Form preserve={false} form={form} layout="vertical" onFinish={(v) => m.mutate(v.reason.trim())}>
        <Form.Item name="reason" label={t('registration.rejectReason')} rules={[{ required: true, whitespace: true, message: t('form.required') }, { min: 3, message: t('form.tooShort') }]}>
          <Input.TextArea data-testid="registration-reject-reason" autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const RejectModal = freshOnOpen(RejectModalInner, (p) => !!p.target);
