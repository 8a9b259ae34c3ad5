import { Alert, App, Button, Card, Form, Image, Input, Space, Typography } from 'antd';
import { LogoutOutlined, SafetyOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { useAuth, useMe, type Me } from '../../auth';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useShowError } from '../../components/errors';
import { useI18n } from '../../i18n';
import type { TotpEnrolment } from '../../../server/modules/users/schema';

/** New password (strength is the server's rule; its Vietnamese message lands under the field). */
export function PasswordChangeForm({ onDone }: { onDone?: () => void }) {
  const { t } = useI18n();
  const { setMe } = useAuth();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();
  const showError = useShowError();
  const { message } = App.useApp();
  const m = useMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) => api<Me>('/api/auth/password', { body: v }),
    onSuccess: (me) => {
      setMe(me);
      message.success(t('auth.passwordChanged'));
      form.resetFields();
      onDone?.();
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Form form={form} layout="vertical" onFinish={(v) => m.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword })}>
      <Typography.Paragraph type="secondary">{t('account.passwordHint')}</Typography.Paragraph>
      <Form.Item name="currentPassword" label={t('auth.currentPassword')} rules={[{ required: true, message: t('form.required') }]}>
        <Input.Password data-testid="pw-current" autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('auth.newPassword')} rules={[{ required: true, message: t('form.required') }, { min: 10, message: t('auth.passwordMin') }]}>
        <Input.Password data-testid="pw-new" autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('auth.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('form.required') },
          ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordMismatch')))) }),
        ]}
      >
        <Input.Password data-testid="pw-confirm" autoComplete="new-password" />
      </Form.Item>
      <Button data-testid="pw-submit" type="primary" htmlType="submit" loading={m.isPending}>
        {t('auth.changePassword')}
      </Button>
    </Form>
  );
}

/** Two-step verification: enrol (QR + key), confirm with a code. Turning it off is an administrator's recovery step. */
export function TotpSetup() {
  const { t } = useI18n();
  const me = useMe();
  const { setMe } = useAuth();
  const showError = useShowError();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ code: string }>();
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUri: string; qrDataUrl: string } | null>(null);
  const start = useMutation({
    mutationFn: () => api<TotpEnrolment>('/api/auth/totp/enrol', { body: {} }),
    onSuccess: setEnrolment,
    onError: (e) => showError(e),
  });
  const confirm = useMutation({
    mutationFn: (code: string) => api<Me>('/api/auth/totp/confirm', { body: { code } }),
    onSuccess: (next) => {
      setMe(next);
      setEnrolment(null);
      message.success(t('account.totpEnabled'));
    },
    onError: (e) => showError(e, form),
  });
  if (me.role === 'producer' || me.role === 'viewer') return <Typography.Text type="secondary">{t('account.totpNotForRole')}</Typography.Text>;
  if (me.totpEnabled) return <Alert type="success" showIcon title={t('account.totpOn')} data-testid="totp-on" />;
  if (!enrolment) {
    return (
      <Space orientation="vertical">
        <Typography.Text type="secondary">{t('account.totpOff')}</Typography.Text>
        <Button data-testid="totp-start" type="primary" icon={<SafetyOutlined />} loading={start.isPending} onClick={() => start.mutate()}>
          {t('account.totpStart')}
        </Button>
      </Space>
    );
  }
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph>{t('account.totpScan')}</Typography.Paragraph>
      <Image src={enrolment.qrDataUrl} width={220} preview={false} alt="QR" data-testid="totp-qr" />
      <Typography.Text>
        {t('account.totpSecret')}: <Typography.Text code copyable data-testid="totp-secret">{enrolment.secret}</Typography.Text>
      </Typography.Text>
      <Form form={form} layout="inline" onFinish={(v) => confirm.mutate(v.code.trim())}>
        <Form.Item name="code" rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('auth.totpPrompt') }]}>
          <Input data-testid="totp-code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} placeholder="123456" style={{ width: 140 }} />
        </Form.Item>
        <Button data-testid="totp-confirm" type="primary" htmlType="submit" loading={confirm.isPending}>
          {t('account.totpConfirm')}
        </Button>
      </Form>
    </Space>
  );
}

/** /tai-khoan: the own account's security settings. */
export default function AccountPage() {
  const { t } = useI18n();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%', maxWidth: 640 }}>
      <Typography.Title level={3}>{t('account.title')}</Typography.Title>
      <Card title={t('account.totp')}>
        <TotpSetup />
      </Card>
      <Card title={t('auth.changePassword')}>
        <PasswordChangeForm />
      </Card>
    </Space>
  );
}

/**
 * What a restricted session sees instead of the app: choose a password (demo account on a real deployment, password
 * reset by an administrator), then — administrators on a real deployment — turn on two-step verification.
 */
export function RequiredStep() {
  const { t } = useI18n();
  const me = useMe();
  const { logout } = useAuth();
  const nav = useNavigate();
  return (
    <div style={{ minHeight: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16, background: 'linear-gradient(160deg, #e8f3ec 0%, #f5f7f6 60%)' }}>
      <Card style={{ width: 460, maxWidth: '100%' }} data-testid="required-step">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Title level={3} style={{ margin: 0, color: '#1f6f43' }}>
            {me.mustChangePassword ? t('auth.changePassword') : t('account.totp')}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Alert style={{ margin: '12px 0' }} type="warning" showIcon title={me.mustChangePassword ? t('account.mustChangePassword') : t('account.mustEnrolTotp')} />
        {me.mustChangePassword ? <PasswordChangeForm /> : <TotpSetup />}
        <Button
          style={{ marginTop: 16 }}
          icon={<LogoutOutlined />}
          data-testid="required-step-logout"
          onClick={async () => {
            await logout();
            nav('/login');
          }}
        >
          {t('auth.logout')}
        </Button>
      </Card>
    </div>
  );
}
