import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../../api';
import { useAuth } from '../../auth';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { PageSpinner } from '../../components/PageSpinner';
import { useI18n } from '../../i18n';

export function LoginPage() {
  const { me, loading, login } = useAuth();
  const { t } = useI18n();
  const nav = useNavigate();
  const loc = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Shown once the server answers TOTP_REQUIRED (two-step verification is on for this account).
  const [needCode, setNeedCode] = useState(false);
  const from = (loc.state as { from?: string } | null)?.from ?? '/home';

  if (loading) return <PageSpinner />;
  if (me) return <Navigate to={from} replace />;

  const onFinish = async (v: { login: string; password: string; totpCode?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.login, v.password, v.totpCode?.trim() || undefined);
      nav(from, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'TOTP_REQUIRED') {
        setNeedCode(true);
        setError(null);
        return;
      }
      setError(e instanceof ApiError ? e.problem.detail || e.problem.title : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16, background: 'linear-gradient(160deg, #e8f3ec 0%, #f5f7f6 60%)' }}>
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Title level={3} style={{ margin: 0, color: '#1f6f43' }}>
            OCOP Hub
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 4 }}>
          {t('app.tagline')}
        </Typography.Paragraph>
        {error && <Alert data-testid="login-error" type="error" title={error} showIcon style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item name="login" label={t('auth.login')} rules={[{ required: true, message: t('form.required') }]}>
            <Input data-testid="login-username" prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('form.required') }]}>
            <Input.Password data-testid="login-password" prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          {needCode && (
            <Form.Item name="totpCode" label={t('auth.totpCode')} extra={t('auth.totpPrompt')} rules={[{ required: true, message: t('form.required') }]}>
              <Input data-testid="login-totp" inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus />
            </Form.Item>
          )}
          <Button data-testid="login-submit" type="primary" htmlType="submit" block loading={busy}>
            {t('auth.signIn')}
          </Button>
        </Form>
        <div style={{ marginTop: 16, textAlign: 'center' }}>
          <Typography.Text type="secondary">{t('register.noAccount')}</Typography.Text>{' '}
          <Link to="/dang-ky" data-testid="login-register-link">
            {t('register.title')}
          </Link>
        </div>
      </Card>
    </div>
  );
}
