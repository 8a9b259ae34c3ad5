import { App, Button, Form, Input, Modal, Popconfirm, Result, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { EditOutlined, KeyOutlined, PlusOutlined, SafetyOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CreateUser, User } from '../../../server/modules/users/schema';
import { api } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { useIsPhone } from '../../components/hooks';
import { CommuneSelect, ProducerSelect } from '../../components/pickers';
import { useCurrentCommunes } from '../../data';
import { ROLES } from '../../enums';
import { fmtDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { canManageUsers } from '../../permissions';

type Editing = { mode: 'create' } | { mode: 'edit'; user: User } | null;
type FormValues = Omit<CreateUser, 'password'> & { password?: string; isActive?: boolean };

export default function UsersPage() {
  const me = useMe();
  const { t, label } = useI18n();
  const phone = useIsPhone();
  const [editing, setEditing] = useState<Editing>(null);
  const [resetFor, setResetFor] = useState<User | null>(null);
  const { data, isLoading } = useQuery({ queryKey: ['users'], queryFn: () => api<User[]>('/api/users'), enabled: canManageUsers(me) });
  const communes = useCurrentCommunes();
  const unitName = (id: number) => communes.data?.find((u) => u.id === id)?.name ?? `#${id}`;

  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const resetTotp = useMutation({
    mutationFn: (id: string) => api(`/api/users/${id}/totp/reset`, { body: {} }),
    onSuccess: () => {
      message.success(t('user.totpDone'));
      qc.invalidateQueries({ queryKey: ['users'] });
    },
    onError: (e) => showError(e),
  });

  if (!canManageUsers(me)) return <Result status="403" title={t('error.forbidden')} />;

  return (
    <>
      <PageHeader
        title={t('nav.users')}
        extra={
          <Button data-testid="user-create" type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create' })}>
            {t('user.create')}
          </Button>
        }
      />
      <Table<User>
        data-testid="users-table"
        rowKey="id"
        loading={isLoading}
        dataSource={data ?? []}
        scroll={{ x: 900 }}
        size={phone ? 'small' : 'middle'}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: t('user.login'),
            dataIndex: 'login',
            sorter: (a, b) => a.login.localeCompare(b.login),
            render: (v: string, u) => (
              <>
                <Typography.Text strong>{v}</Typography.Text>
                {!u.isActive && <Tag style={{ marginLeft: 6 }}>{t('user.inactive')}</Tag>}
                {u.totpEnabled && <Tag color="blue" style={{ marginLeft: 6 }}>{t('user.totp')}</Tag>}
              </>
            ),
          },
          { title: t('user.fullName'), dataIndex: 'fullName' },
          {
            title: t('user.role'),
            dataIndex: 'role',
            filters: ROLES.map((r) => ({ text: label('role', r), value: r })),
            onFilter: (v, u) => u.role === v,
            render: (r: string) => <Tag color={r === 'admin' ? 'red' : r === 'viewer' ? 'default' : 'green'}>{label('role', r)}</Tag>,
          },
          { title: t('user.units'), render: (_, u) => (u.unitIds.length ? u.unitIds.map(unitName).join(', ') : '—') },
          { title: t('user.lastLogin'), dataIndex: 'lastLoginAt', width: 150, render: fmtDateTime },
          {
            title: '',
            width: 140,
            render: (_, u) => (
              <Space>
                <Button data-testid="user-edit" size="small" icon={<EditOutlined />} onClick={() => setEditing({ mode: 'edit', user: u })} aria-label={t('common.edit')} />
                <Button data-testid="user-reset-password" size="small" icon={<KeyOutlined />} onClick={() => setResetFor(u)} aria-label={t('user.resetPassword')} />
                {u.totpEnabled && u.id !== me.id && (
                  <Popconfirm title={t('user.resetTotpConfirm', { login: u.login })} onConfirm={() => resetTotp.mutate(u.id)} okText={t('common.save')} cancelText={t('common.cancel')}>
                    <Button data-testid="user-reset-totp" size="small" danger icon={<SafetyOutlined />} aria-label={t('user.resetTotp')} title={t('user.resetTotp')} />
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing && <UserModal editing={editing} onClose={() => setEditing(null)} />}
      {resetFor && <ResetPasswordModal user={resetFor} onClose={() => setResetFor(null)} />}
    </>
  );
}

function UserModal({ editing, onClose }: { editing: NonNullable<Editing>; onClose: () => void }) {
  const { t, label } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<FormValues>();
  const role = Form.useWatch('role', form);
  const user = editing.mode === 'edit' ? editing.user : null;

  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const body = {
        fullName: v.fullName,
        email: v.email?.trim() || null,
        phone: v.phone?.trim() || null,
        role: v.role,
        producerId: v.role === 'producer' ? (v.producerId ?? null) : null,
        unitIds: v.role === 'commune_officer' ? (v.unitIds ?? []) : [],
        locale: v.locale ?? 'vi',
      };
      return user
        ? api<User>(`/api/users/${user.id}`, { method: 'PUT', body: { ...body, isActive: v.isActive ?? true, version: user.version } })
        : api<User>('/api/users', { body: { ...body, login: v.login, password: v.password } });
    },
    onSuccess: () => {
      message.success(t('common.saved'));
      qc.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  const req = [{ required: true, message: t('form.required') }];

  return (
    <Modal open title={user ? t('user.editTitle', { login: user.login }) : t('user.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okText={t('common.save')} cancelText={t('common.cancel')} width={600} destroyOnHidden>
      <Form<FormValues>
        form={form}
        layout="vertical"
        data-testid="user-form"
        initialValues={user ? { ...user, email: user.email ?? undefined, phone: user.phone ?? undefined } : { role: 'viewer', locale: 'vi', unitIds: [], isActive: true }}
        onFinish={(v) => save.mutate(v)}
      >
        {!user && (
          <>
            <Form.Item name="login" label={t('user.login')} rules={[...req, { pattern: /^[a-zA-Z0-9._@-]{3,60}$/, message: t('user.loginRule') }]}>
              <Input data-testid="user-login" autoComplete="off" />
            </Form.Item>
            <Form.Item name="password" label={t('auth.password')} rules={[...req, { min: 10, message: t('auth.passwordMin') }]}>
              <Input.Password data-testid="user-password" autoComplete="new-password" />
            </Form.Item>
          </>
        )}
        <Form.Item name="fullName" label={t('user.fullName')} rules={req}>
          <Input data-testid="user-fullname" />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="email" label={t('producer.email')} style={{ flex: 1, marginRight: 8 }} rules={[{ type: 'email', message: t('form.badEmail') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="phone" label={t('producer.phone')} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="role" label={t('user.role')} rules={req}>
          <Select data-testid="user-role" options={ROLES.map((r) => ({ value: r, label: label('role', r) }))} />
        </Form.Item>
        {role === 'commune_officer' && (
          <Form.Item name="unitIds" label={t('user.units')} rules={req}>
            <CommuneSelect mode="multiple" />
          </Form.Item>
        )}
        {role === 'producer' && (
          <Form.Item name="producerId" label={t('product.producer')} rules={req}>
            <ProducerSelect />
          </Form.Item>
        )}
        <Form.Item name="locale" label={t('user.locale')}>
          <Select options={[{ value: 'vi', label: 'Tiếng Việt' }, { value: 'en', label: 'English' }]} />
        </Form.Item>
        {user && (
          <Form.Item name="isActive" label={t('user.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<{ newPassword: string; mustChangePassword: boolean }>();
  const m = useMutation({
    mutationFn: (v: { newPassword: string; mustChangePassword: boolean }) => api(`/api/users/${user.id}/password`, { body: v }),
    onSuccess: () => {
      message.success(t('user.passwordReset'));
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Modal open title={t('user.resetPasswordFor', { login: user.login })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={m.isPending} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} initialValues={{ mustChangePassword: true }}>
        <Form.Item name="newPassword" label={t('auth.newPassword')} extra={t('account.passwordHint')} rules={[{ required: true, message: t('form.required') }, { min: 10, message: t('auth.passwordMin') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="mustChangePassword" label={t('user.mustChangePassword')} valuePropName="checked">
          <Switch data-testid="user-reset-must-change" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
