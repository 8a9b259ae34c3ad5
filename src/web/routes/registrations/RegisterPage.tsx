import { Alert, Button, Card, Col, Form, Input, Result, Row, Select, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, fieldPath } from '../../api';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import type { RegistrationCreated, RegistrationInput, RegistrationUnit } from '../../contract';
import { itemsOf } from '../../contract';
import { PRODUCER_KINDS, type ProducerKind } from '../../enums';
import { useI18n } from '../../i18n';
import { normalizeForSearch } from '../../../shared/text';

interface Values {
  kind: ProducerKind;
  legalName: string;
  registrationNumber: string;
  unitId: number;
  address?: string;
  representative: string;
  phone: string;
  email?: string;
  login: string;
  password: string;
  confirm: string;
  note?: string;
}

const blank = (s: string | undefined) => (s && s.trim() ? s.trim() : null);

/** Public page: a producer asks for an account; a commune officer verifies and approves it. */
export default function RegisterPage() {
  const { t, label } = useI18n();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [done, setDone] = useState<{ login: string; reference: string } | null>(null);
  const units = useQuery({
    queryKey: ['registrations', 'units'],
    queryFn: async () => itemsOf(await api<RegistrationUnit[] | { items: RegistrationUnit[] }>('/api/registrations/units')),
    staleTime: 10 * 60_000,
  });
  const unitOptions = useMemo(
    () =>
      (units.data ?? [])
        .map((u) => ({ value: u.id, label: u.parentName ? `${u.name} — ${u.parentName}` : u.name }))
        .sort((a, b) => a.label.localeCompare(b.label, 'vi')),
    [units.data],
  );

  const m = useMutation({
    mutationFn: (v: RegistrationInput) => api<RegistrationCreated>('/api/registrations', { body: v }),
    onSuccess: (r, v) => {
      setProblem(null);
      setDone({ login: v.login, reference: r.reference });
      window.scrollTo(0, 0);
    },
    onError: (e) => {
      if (!(e instanceof ApiError)) {
        setProblem(new ApiError({ title: t('error.unexpected'), status: 0, detail: String((e as Error).message) }));
        return;
      }
      setProblem(e);
      const p = e.problem;
      const fields = (p.errors ?? []).map((x) => ({ name: fieldPath(x.path), errors: [x.message] }));
      if (p.code === 'DUPLICATE_LOGIN' && !fields.some((f) => f.name[0] === 'login')) fields.push({ name: ['login'], errors: [p.detail || p.title] });
      if (fields.length) {
        form.setFields(fields as never);
        try {
          form.scrollToField(fields[0].name as never);
        } catch {
          /* not rendered */
        }
      }
    },
  });

  const onFinish = (v: Values) =>
    m.mutate({
      kind: v.kind,
      legalName: v.legalName.trim(),
      registrationNumber: v.registrationNumber.trim(),
      unitId: v.unitId,
      address: blank(v.address),
      representative: v.representative.trim(),
      phone: v.phone.trim(),
      email: blank(v.email),
      login: v.login.trim(),
      password: v.password,
      note: blank(v.note),
    });

  const req = [{ required: true, message: t('form.required') }];

  return (
    <div style={{ minHeight: '100%', display: 'flex', justifyContent: 'center', padding: 16, background: 'linear-gradient(160deg, #e8f3ec 0%, #f5f7f6 60%)' }}>
      <Card style={{ width: 760, maxWidth: '100%', alignSelf: 'flex-start' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
          <Typography.Title level={3} style={{ margin: 0, color: '#1f6f43' }}>
            OCOP Hub
          </Typography.Title>
          <LanguageSwitch />
        </div>
        {done ? (
          <Result
            data-testid="register-done"
            status="success"
            title={t('register.doneTitle')}
            subTitle={`${t('register.reference', { reference: done.reference })} ${t('register.doneHelp', { login: done.login })}`}
            extra={
              <Link to="/login">
                <Button type="primary">{t('register.toLogin')}</Button>
              </Link>
            }
          />
        ) : (
          <>
            <Typography.Title level={4} style={{ marginTop: 12 }} data-testid="register-title">
              {t('register.title')}
            </Typography.Title>
            <Typography.Paragraph type="secondary">{t('register.help')}</Typography.Paragraph>
            {problem && (
              <Alert
                data-testid="register-error"
                type="error"
                showIcon
                style={{ marginBottom: 16 }}
                title={problem.problem.title}
                description={
                  (problem.problem.detail && problem.problem.detail !== problem.problem.title) || problem.problem.errors?.length ? (
                    <>
                      {problem.problem.detail && problem.problem.detail !== problem.problem.title && <div>{problem.problem.detail}</div>}
                      {!!problem.problem.errors?.length && (
                        <ul style={{ margin: 0, paddingLeft: 18 }}>
                          {problem.problem.errors.map((x, i) => (
                            <li key={i}>{x.message}</li>
                          ))}
                        </ul>
                      )}
                    </>
                  ) : undefined
                }
              />
            )}
            <Form form={form} layout="vertical" onFinish={onFinish} requiredMark="optional" scrollToFirstError initialValues={{ kind: 'cooperative' }}>
              <Typography.Text strong>{t('register.section.producer')}</Typography.Text>
              <Row gutter={16} style={{ marginTop: 8 }}>
                <Col xs={24} md={10}>
                  <Form.Item name="kind" label={t('producer.kind')} rules={req}>
                    <Select data-testid="register-kind" options={PRODUCER_KINDS.map((k) => ({ value: k, label: label('producerKind', k) }))} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={14}>
                  <Form.Item name="legalName" label={t('producer.legalName')} rules={[...req, { min: 3, message: t('form.tooShort') }]}>
                    <Input data-testid="register-legal-name" maxLength={300} placeholder={t('register.legalNamePlaceholder')} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={10}>
                  <Form.Item name="registrationNumber" label={t('producer.registrationNumber')} rules={req} extra={t('producer.registrationNumber.help')}>
                    <Input data-testid="register-registration-number" maxLength={20} inputMode="numeric" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={14}>
                  <Form.Item name="unitId" label={t('producer.unit')} rules={req} extra={t('register.unitHelp')}>
                    <Select
                      data-testid="register-unit"
                      loading={units.isLoading}
                      options={unitOptions}
                      showSearch={{ filterOption: (input, o) => normalizeForSearch(String(o?.label ?? '')).includes(normalizeForSearch(input)) }}
                      placeholder={t('unit.placeholder')}
                      notFoundContent={units.isError ? t('register.unitsUnavailable') : undefined}
                    />
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Form.Item name="address" label={t('producer.address')}>
                    <Input data-testid="register-address" maxLength={300} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={10}>
                  <Form.Item name="representative" label={t('producer.representative')} rules={req}>
                    <Input data-testid="register-representative" maxLength={120} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={7}>
                  <Form.Item name="phone" label={t('producer.phone')} rules={[...req, { pattern: /^[0-9+ .-]{8,20}$/, message: t('form.badPhone') }]}>
                    <Input data-testid="register-phone" type="tel" inputMode="tel" maxLength={20} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={7}>
                  <Form.Item name="email" label={t('producer.email')} rules={[{ type: 'email', message: t('form.badEmail') }]}>
                    <Input data-testid="register-email" type="email" maxLength={200} />
                  </Form.Item>
                </Col>
              </Row>
              <Typography.Text strong>{t('register.section.account')}</Typography.Text>
              <Row gutter={16} style={{ marginTop: 8 }}>
                <Col xs={24} md={8}>
                  <Form.Item
                    name="login"
                    label={t('auth.login')}
                    rules={[...req, { pattern: /^[A-Za-z0-9._@-]{3,60}$/, message: t('register.loginRule') }]}
                    extra={t('register.loginHelp')}
                  >
                    <Input data-testid="register-login" autoComplete="username" maxLength={60} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name="password" label={t('auth.password')} rules={[...req, { min: 10, message: t('auth.passwordMin') }]}>
                    <Input.Password data-testid="register-password" autoComplete="new-password" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item
                    name="confirm"
                    label={t('register.confirmPassword')}
                    dependencies={['password']}
                    rules={[
                      ...req,
                      ({ getFieldValue }) => ({ validator: (_, v) => (!v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordMismatch')))) }),
                    ]}
                  >
                    <Input.Password data-testid="register-confirm" autoComplete="new-password" />
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Form.Item name="note" label={t('register.note')}>
                    <Input.TextArea data-testid="register-note" autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} placeholder={t('register.notePlaceholder')} />
                  </Form.Item>
                </Col>
              </Row>
              <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', alignItems: 'center' }}>
                <Button data-testid="register-submit" type="primary" htmlType="submit" loading={m.isPending}>
                  {t('register.submit')}
                </Button>
                <Link to="/login">{t('register.haveAccount')}</Link>
              </div>
            </Form>
          </>
        )}
      </Card>
    </div>
  );
}
