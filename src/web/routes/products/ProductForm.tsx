import { App, Button, Card, Col, DatePicker, Divider, Form, Input, InputNumber, Result, Row, Select, Space, Switch, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { Product, ProductInput } from '../../../server/modules/products/schema';
import { api } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { PageSpinner } from '../../components/PageSpinner';
import { CommuneSelect, ProducerSelect, TaxonomySelect } from '../../components/pickers';
import { CERTIFICATION_TYPES, CHANNEL_KINDS, MARKETPLACES, PROCESSING_LEVELS } from '../../enums';
import { DATE_FORMAT, fromIsoDate, toIsoDate } from '../../format';
import { useI18n } from '../../i18n';
import { canCreateProduct, canEditProduct, canEditRecognition, isStaff } from '../../permissions';
import { isHttpUrl } from '../../../shared/url';

interface CertValues {
  type: string;
  name?: string | null;
  issuer?: string | null;
  number?: string | null;
  validFrom?: Dayjs | null;
  validTo?: Dayjs | null;
}
interface FormValues {
  producerId: string;
  name: string;
  brand?: string | null;
  gtin?: string | null;
  taxonomyNodeId: number;
  registeredUnitId: number;
  processingLevel: string;
  keyProduct: boolean;
  isDemo?: boolean;
  description?: string | null;
  story?: string | null;
  rawMaterialArea?: string | null;
  sources: string[];
  certifications: CertValues[];
  channels: { kind: string; name?: string; url?: string | null }[];
  recognition: {
    stars?: number | null;
    recognitionYear?: number | null;
    decisionNumber?: string | null;
    decisionDate?: Dayjs | null;
    certificateNumber?: string | null;
    certificateIssuer?: string | null;
    certificateExpiresOn?: Dayjs | null;
  };
}

const s = (v: string | null | undefined) => (v == null ? null : v.trim() === '' ? null : v);

function toValues(p: Product): FormValues {
  return {
    producerId: p.producer.id,
    name: p.name,
    brand: p.brand,
    gtin: p.gtin,
    taxonomyNodeId: p.taxonomy.id,
    registeredUnitId: p.unit.id,
    processingLevel: p.processingLevel,
    keyProduct: p.keyProduct,
    isDemo: p.isDemo,
    description: p.description,
    story: p.story,
    rawMaterialArea: p.rawMaterialArea,
    sources: p.sources,
    certifications: p.certifications.map((c) => ({ ...c, validFrom: fromIsoDate(c.validFrom), validTo: fromIsoDate(c.validTo) })),
    channels: p.channels.map((c) => ({ kind: c.kind, name: c.name, url: c.url })),
    recognition: { ...p.recognition, decisionDate: fromIsoDate(p.recognition.decisionDate), certificateExpiresOn: fromIsoDate(p.recognition.certificateExpiresOn) },
  };
}

function toInput(v: FormValues, loaded: Product | undefined, recognitionEditable: boolean): ProductInput {
  const r = v.recognition ?? {};
  return {
    producerId: v.producerId,
    name: v.name,
    brand: s(v.brand),
    // Unchanged GTIN is sent as read (the server compares); cleared → null.
    gtin: s(v.gtin),
    taxonomyNodeId: v.taxonomyNodeId,
    registeredUnitId: v.registeredUnitId,
    processingLevel: v.processingLevel as ProductInput['processingLevel'],
    keyProduct: !!v.keyProduct,
    isDemo: loaded?.isDemo ?? false,
    description: s(v.description),
    story: s(v.story),
    rawMaterialArea: s(v.rawMaterialArea),
    sources: v.sources ?? [],
    certifications: (v.certifications ?? []).map((c) => ({
      type: c.type as ProductInput['certifications'][number]['type'],
      name: s(c.name),
      issuer: s(c.issuer),
      number: s(c.number),
      validFrom: toIsoDate(c.validFrom),
      validTo: toIsoDate(c.validTo),
    })),
    channels: (v.channels ?? []).map((c) => ({ kind: c.kind as ProductInput['channels'][number]['kind'], name: c.name ?? '', url: s(c.url) })),
    recognition: recognitionEditable
      ? {
          stars: r.stars ?? null,
          recognitionYear: r.recognitionYear ?? null,
          decisionNumber: s(r.decisionNumber),
          decisionDate: toIsoDate(r.decisionDate),
          certificateNumber: s(r.certificateNumber),
          certificateIssuer: s(r.certificateIssuer),
          certificateExpiresOn: toIsoDate(r.certificateExpiresOn),
        }
      : (loaded?.recognition ?? { stars: null, recognitionYear: null, decisionNumber: null, decisionDate: null, certificateNumber: null, certificateIssuer: null, certificateExpiresOn: null }),
  };
}

export default function ProductForm() {
  const { id } = useParams();
  const [sp] = useSearchParams();
  const me = useMe();
  const { t, label } = useI18n();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<FormValues>();
  const editing = !!id;
  // A producer edits its description, story, channels and photos; where the product is registered, its group and
  // the key-product mark are the officers' (the server refuses them with FIELD_NOT_EDITABLE).
  const officerOnly = editing && me.role === 'producer';

  const { data: loaded, isLoading } = useQuery({ queryKey: ['products', id], queryFn: () => api<Product>(`/api/products/${id}`), enabled: editing });
  const recognitionEditable = canEditRecognition(me);

  const initial = useMemo<Partial<FormValues>>(
    () => ({
      producerId: sp.get('producerId') ?? (me.role === 'producer' ? (me.producerId ?? undefined) : undefined),
      keyProduct: false,
      sources: [],
      certifications: [],
      channels: [],
      recognition: {},
    }),
    [sp, me],
  );

  useEffect(() => {
    if (loaded) form.setFieldsValue(toValues(loaded));
  }, [loaded, form]);

  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const input = toInput(v, loaded, recognitionEditable);
      return editing
        ? api<Product>(`/api/products/${id}`, { method: 'PUT', body: { ...input, version: loaded!.version } })
        : api<Product>('/api/products', { method: 'POST', body: input });
    },
    onSuccess: (p) => {
      message.success(t('common.saved'));
      // GTIN warnings (demo or foreign prefix, unverified prefix) are accepted but said out loud.
      for (const w of p.gtinInfo?.warnings ?? []) message.warning(t(`gs1.warning.${w.code}` as never) || w.message);
      qc.invalidateQueries({ queryKey: ['products'] });
      qc.invalidateQueries({ queryKey: ['producers'] });
      nav(`/products/${p.id}`);
    },
    onError: (e) => showError(e, form),
  });

  if (editing && isLoading) return <PageSpinner />;
  const allowed = editing ? loaded && canEditProduct(me, loaded.producer.id) : canCreateProduct(me);
  if (!allowed) return <Result status="403" title={t('error.forbidden')} />;

  const req = [{ required: true, message: t('form.required') }];

  return (
    <>
      <PageHeader back={editing ? `/products/${id}` : '/products'} title={editing ? t('product.editTitle', { name: loaded?.name ?? '' }) : t('product.create')} />
      <Form<FormValues> form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)} scrollToFirstError data-testid="product-form">
        <Card size="small" title={t('product.section.general')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="producerId" label={t('product.producer')} rules={req}>
                <ProducerSelect data-testid="product-producer" initialLabel={loaded?.producer.legalName} disabled={me.role === 'producer'} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="name" label={t('product.name')} rules={[...req, { min: 2, message: t('form.tooShort') }]}>
                <Input data-testid="product-name" maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="taxonomyNodeId" label={t('product.taxonomy')} rules={req} extra={officerOnly ? t('product.officerField') : t('product.taxonomy.help')}>
                <TaxonomySelect data-testid="product-taxonomy" disabled={officerOnly} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="registeredUnitId" label={t('product.unit')} rules={req} extra={officerOnly ? t('product.officerField') : t('unit.currentOnly')}>
                <CommuneSelect data-testid="product-unit" disabled={officerOnly} current={loaded ? { id: loaded.unit.id, label: `${label('unitType', loaded.unit.type)} ${loaded.unit.name}` } : undefined} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="processingLevel" label={t('product.processingLevel')} rules={req}>
                <Select data-testid="product-processing-level" options={PROCESSING_LEVELS.map((v) => ({ value: v, label: label('processingLevel', v) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="brand" label={t('product.brand')}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="gtin" label={t('product.gtin')} extra={t('product.gtinHelp')} rules={[{ pattern: /^\s*(\d{8}|\d{12,14})?\s*$/, message: t('product.gtinHelp') }]}>
                <Input data-testid="product-gtin" maxLength={14} inputMode="numeric" />
              </Form.Item>
            </Col>
            {me.role !== 'producer' && (
              <Col xs={24} md={8}>
                <Form.Item name="keyProduct" label={t('product.keyProduct')} valuePropName="checked">
                  <Switch />
                </Form.Item>
              </Col>
            )}
            <Col xs={24}>
              <Form.Item name="rawMaterialArea" label={t('product.rawMaterialArea')}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={1000} />
              </Form.Item>
              <Form.Item name="description" label={t('product.description')}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={4000} showCount />
              </Form.Item>
              <Form.Item name="story" label={t('product.story')}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} maxLength={8000} showCount />
              </Form.Item>
              <Form.Item name="sources" label={t('common.sources')} extra={t('form.sourcesHelp')}>
                <Select mode="tags" tokenSeparators={[' ', ',']} open={false} suffixIcon={null} />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card size="small" title={t('product.section.certifications')} style={{ marginBottom: 16 }}>
          <Form.List name="certifications">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <div key={f.key} data-testid="cert-item">
                    <Row gutter={12} align="top">
                      <Col xs={24} sm={12} md={4}>
                        <Form.Item name={[f.name, 'type']} label={t('cert.type')} rules={req}>
                          <Select options={CERTIFICATION_TYPES.map((v) => ({ value: v, label: label('certificationType', v) }))} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} sm={12} md={5}>
                        <Form.Item name={[f.name, 'name']} label={t('cert.name')}>
                          <Input />
                        </Form.Item>
                      </Col>
                      <Col xs={24} sm={12} md={5}>
                        <Form.Item name={[f.name, 'issuer']} label={t('cert.issuer')}>
                          <Input />
                        </Form.Item>
                      </Col>
                      <Col xs={24} sm={12} md={3}>
                        <Form.Item name={[f.name, 'number']} label={t('cert.number')}>
                          <Input />
                        </Form.Item>
                      </Col>
                      <Col xs={11} md={3}>
                        <Form.Item name={[f.name, 'validFrom']} label={t('cert.validFrom')}>
                          <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} />
                        </Form.Item>
                      </Col>
                      <Col xs={11} md={3}>
                        <Form.Item name={[f.name, 'validTo']} label={t('cert.validTo')}>
                          <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} />
                        </Form.Item>
                      </Col>
                      <Col xs={2} md={1} style={{ paddingTop: 36 }}>
                        <MinusCircleOutlined aria-label={t('common.remove')} onClick={() => remove(f.name)} />
                      </Col>
                    </Row>
                    <Divider style={{ margin: '4px 0 12px' }} />
                  </div>
                ))}
                <Button data-testid="cert-add" type="dashed" onClick={() => add({ type: 'vietgap' })} icon={<PlusOutlined />}>
                  {t('cert.add')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>

        <Card size="small" title={t('product.section.channels')} style={{ marginBottom: 16 }}>
          <Form.List name="channels">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Row key={f.key} gutter={12} align="top" data-testid="channel-item">
                    <Col xs={24} sm={8} md={5}>
                      <Form.Item name={[f.name, 'kind']} label={t('channel.kind')} rules={req}>
                        <Select options={CHANNEL_KINDS.map((v) => ({ value: v, label: label('channelKind', v) }))} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={8} md={7}>
                      <Form.Item noStyle shouldUpdate={(a, b) => a.channels?.[f.name]?.kind !== b.channels?.[f.name]?.kind}>
                        {({ getFieldValue }) => (
                          <Form.Item name={[f.name, 'name']} label={t('channel.name')}>
                            {getFieldValue(['channels', f.name, 'kind']) === 'marketplace' ? (
                              <Select showSearch allowClear options={MARKETPLACES.map((m) => ({ value: m, label: m }))} />
                            ) : (
                              <Input />
                            )}
                          </Form.Item>
                        )}
                      </Form.Item>
                    </Col>
                    <Col xs={22} sm={7} md={11}>
                      <Form.Item name={[f.name, 'url']} label={t('channel.url')} rules={[{ validator: (_r, v?: string | null) => (!v || isHttpUrl(v) ? Promise.resolve() : Promise.reject(new Error(t('form.badUrl')))) }]}>
                        <Input placeholder="https://" />
                      </Form.Item>
                    </Col>
                    <Col xs={2} sm={1} style={{ paddingTop: 36 }}>
                      <MinusCircleOutlined aria-label={t('common.remove')} onClick={() => remove(f.name)} />
                    </Col>
                  </Row>
                ))}
                <Button data-testid="channel-add" type="dashed" onClick={() => add({ kind: 'ocop_point', name: '' })} icon={<PlusOutlined />}>
                  {t('channel.add')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>

        {isStaff(me) && (
          <Card size="small" title={t('product.section.recognition')} style={{ marginBottom: 16 }}>
            <Typography.Paragraph type="secondary">{t('product.recognition.help')}</Typography.Paragraph>
            <Row gutter={16}>
              <Col xs={12} md={4}>
                <Form.Item name={['recognition', 'stars']} label={t('product.stars')}>
                  <Select data-testid="product-stars" allowClear options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: '★'.repeat(n) }))} disabled={!recognitionEditable} />
                </Form.Item>
              </Col>
              <Col xs={12} md={4}>
                <Form.Item name={['recognition', 'recognitionYear']} label={t('product.recognitionYear')}>
                  <InputNumber min={2018} max={2100} style={{ width: '100%' }} disabled={!recognitionEditable} />
                </Form.Item>
              </Col>
              <Col xs={12} md={8}>
                <Form.Item name={['recognition', 'decisionNumber']} label={t('product.decisionNumber')}>
                  <Input disabled={!recognitionEditable} />
                </Form.Item>
              </Col>
              <Col xs={12} md={8}>
                <Form.Item name={['recognition', 'decisionDate']} label={t('product.decisionDate')}>
                  <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} disabled={!recognitionEditable} />
                </Form.Item>
              </Col>
              <Col xs={12} md={8}>
                <Form.Item name={['recognition', 'certificateNumber']} label={t('product.certificateNumber')}>
                  <Input disabled={!recognitionEditable} />
                </Form.Item>
              </Col>
              <Col xs={12} md={8}>
                <Form.Item name={['recognition', 'certificateIssuer']} label={t('product.certificateIssuer')}>
                  <Input disabled={!recognitionEditable} />
                </Form.Item>
              </Col>
              <Col xs={12} md={8}>
                <Form.Item name={['recognition', 'certificateExpiresOn']} label={t('product.certificateExpiresOn')}>
                  <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} disabled={!recognitionEditable} />
                </Form.Item>
              </Col>
            </Row>
          </Card>
        )}

        <Space>
          <Button data-testid="product-save" type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
          <Button onClick={() => nav(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}
