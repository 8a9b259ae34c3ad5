import { App, Button, Card, Col, Form, Input, InputNumber, Result, Row, Select, Space } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { Producer, ProducerInput } from '../../../server/modules/producers/schema';
import { isValidRegistrationNumber } from '../../../shared/text';
import { api } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { PageSpinner } from '../../components/PageSpinner';
import { CommuneSelect } from '../../components/pickers';
import { CraftVillageSelect } from '../craft-villages/CraftVillageSelect';
import { PRODUCER_KINDS } from '../../enums';
import { useI18n } from '../../i18n';
import { canCreateProducer, canEditProducer, canEditProducerIdentity } from '../../permissions';
import { isHttpUrl } from '../../../shared/url';
import { thisYear } from '../../format';

type FormValues = Omit<ProducerInput, 'isDemo'>;
const TEXT_FIELDS = ['shortName', 'address', 'representative', 'representativeTitle', 'phone', 'email', 'website', 'craftVillage', 'notes'] as const;

export default function ProducerForm() {
  const { id } = useParams();
  const editing = !!id;
  const me = useMe();
  const { t, label } = useI18n();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<FormValues>();
  const { data: loaded, isLoading } = useQuery({ queryKey: ['producers', id], queryFn: () => api<Producer>(`/api/producers/${id}`), enabled: editing });

  useEffect(() => {
    if (loaded) form.setFieldsValue({ ...loaded, unitId: loaded.unit.id, craftVillageId: loaded.craftVillageRef?.id ?? null });
  }, [loaded, form]);

  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const input: ProducerInput = {
        ...v,
        registrationNumber: (v.registrationNumber ?? '').trim().toUpperCase(),
        isDemo: loaded?.isDemo ?? false,
        sources: v.sources ?? [],
        foundedYear: v.foundedYear ?? null,
        memberCount: v.memberCount ?? null,
        workerCount: v.workerCount ?? null,
      };
      for (const k of TEXT_FIELDS) {
        const x = input[k];
        input[k] = typeof x === 'string' && x.trim() !== '' ? x.trim() : null;
      }
      return editing
        ? api<Producer>(`/api/producers/${id}`, { method: 'PUT', body: { ...input, version: loaded!.version } })
        : api<Producer>('/api/producers', { method: 'POST', body: input });
    },
    onSuccess: (p) => {
      message.success(t('common.saved'));
      qc.invalidateQueries({ queryKey: ['producers'] });
      nav(`/producers/${p.id}`);
    },
    onError: (e) => showError(e, form),
  });

  if (editing && isLoading) return <PageSpinner />;
  const allowed = editing ? loaded && canEditProducer(me, loaded.id) : canCreateProducer(me);
  if (!allowed) return <Result status="403" title={t('error.forbidden')} />;
  const identityLocked = editing && !canEditProducerIdentity(me);
  const req = [{ required: true, message: t('form.required') }];

  return (
    <>
      <PageHeader back={editing ? `/producers/${id}` : '/producers'} title={editing ? t('producer.editTitle', { name: loaded?.legalName ?? '' }) : t('producer.create')} />
      <Form<FormValues> form={form} layout="vertical" initialValues={{ sources: [] }} onFinish={(v) => save.mutate(v)} scrollToFirstError data-testid="producer-form">
        <Card size="small" title={t('producer.section.identity')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="kind" label={t('producer.kind')} rules={req}>
                <Select data-testid="producer-kind" disabled={identityLocked} options={PRODUCER_KINDS.map((k) => ({ value: k, label: label('producerKind', k) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item name="legalName" label={t('producer.legalName')} rules={[...req, { min: 2, message: t('form.tooShort') }]}>
                <Input data-testid="producer-legal-name" maxLength={300} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="shortName" label={t('producer.shortName')}>
                <Input maxLength={120} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="registrationNumber"
                label={t('producer.registrationNumber')}
                extra={t('producer.registrationNumber.help')}
                dependencies={['kind']}
                rules={[
                  ...req,
                  ({ getFieldValue }) => ({
                    validator: (_, v: string) =>
                      !v || !getFieldValue('kind') || isValidRegistrationNumber(getFieldValue('kind'), v.trim().toUpperCase())
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('producer.registrationNumber.invalid'))),
                  }),
                ]}
              >
                <Input data-testid="producer-registration-number" disabled={identityLocked} maxLength={20} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="unitId" label={t('producer.unit')} rules={req} extra={t('unit.currentOnly')}>
                <CommuneSelect data-testid="producer-unit" disabled={identityLocked} current={loaded ? { id: loaded.unit.id, label: `${label('unitType', loaded.unit.type)} ${loaded.unit.name}` } : undefined} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="address" label={t('producer.address')}>
                <Input maxLength={300} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title={t('producer.section.contact')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="representative" label={t('producer.representative')}>
                <Input maxLength={120} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="representativeTitle" label={t('producer.representativeTitle')}>
                <Input maxLength={80} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="phone" label={t('producer.phone')} rules={[{ pattern: /^[0-9+ .()-]{8,20}$/, message: t('form.badPhone') }]}>
                <Input maxLength={20} inputMode="tel" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="email" label={t('producer.email')} rules={[{ type: 'email', message: t('form.badEmail') }]}>
                <Input maxLength={200} inputMode="email" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="website" label={t('producer.website')} rules={[{ validator: (_r, v?: string | null) => (!v || isHttpUrl(v) ? Promise.resolve() : Promise.reject(new Error(t('form.badUrl')))) }]}>
                <Input maxLength={300} placeholder="https://" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title={t('producer.section.more')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={8}>
              <Form.Item name="foundedYear" label={t('producer.foundedYear')}>
                <InputNumber min={1900} max={thisYear()} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={8}>
              <Form.Item name="memberCount" label={t('producer.memberCount')}>
                <InputNumber min={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={8}>
              <Form.Item name="workerCount" label={t('producer.workerCount')}>
                <InputNumber min={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="craftVillageId" label={t('producer.craftVillageRef')} extra={identityLocked ? t('producer.craftVillageLocked') : t('producer.craftVillageHelp')}>
                <CraftVillageSelect disabled={identityLocked} />
              </Form.Item>
              <Form.Item name="craftVillage" label={t('producer.craftVillageNote')}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="notes" label={t('producer.notes')}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={4000} />
              </Form.Item>
              <Form.Item name="sources" label={t('common.sources')} extra={t('form.sourcesHelp')}>
                <Select mode="tags" tokenSeparators={[' ', ',']} open={false} suffixIcon={null} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Space>
          <Button data-testid="producer-save" type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
          <Button onClick={() => nav(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}
