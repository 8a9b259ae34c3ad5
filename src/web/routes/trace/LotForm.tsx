import { App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Result, Row, Select, Space, Typography } from 'antd';
import { CheckCircleTwoTone } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type dayjs from 'dayjs';
import { useEffect } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { checkGtin, checkLot, type Gs1ErrorCode } from '../../../shared/gs1';
import { api } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { PageSpinner } from '../../components/PageSpinner';
import { QUANTITY_UNITS, type Lot, type LotInput, type QuantityUnit } from '../../contract';
import { DATE_FORMAT, fromIsoDate, toIsoDate } from '../../format';
import { useI18n, type TFn } from '../../i18n';
import type { MessageKey } from '../../../shared/i18n/vi';
import { canCreateLot, canWriteLot } from '../../permissions';
import { GrowingAreaSelect, PackingHouseSelect, ProductSelect } from './common';

interface FormValues {
  productId: string;
  lotNumber: string;
  gtin?: string;
  producedOn: dayjs.Dayjs;
  quantity: number;
  quantityUnit: QuantityUnit;
  bestBefore?: dayjs.Dayjs | null;
  growingAreaIds: string[];
  packingHouseId: string | null;
  notes?: string;
}

/** GS1 problems in the UI language (the shared checker speaks Vietnamese; codes are stable). */
export function gs1Message(t: TFn, code: Gs1ErrorCode, fallback: string): string {
  const key = `trace.gs1.${code}` as MessageKey;
  const s = t(key);
  return s === key ? fallback : s;
}

/** Create (optionally for ?productId=…) or edit a lot; the GTIN's check digit is verified while typing. */
export default function LotForm() {
  const { id } = useParams();
  const editing = !!id;
  const [sp] = useSearchParams();
  const me = useMe();
  const { t, label } = useI18n();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<FormValues>();
  const gtin = Form.useWatch('gtin', form);
  const { data: lot, isLoading } = useQuery({ queryKey: ['lots', id], queryFn: () => api<Lot>(`/api/lots/${id}`), enabled: editing });
  useEffect(() => {
    if (lot)
      form.setFieldsValue({
        productId: lot.product.id,
        lotNumber: lot.lotNumber,
        gtin: lot.gtin ?? undefined,
        producedOn: fromIsoDate(lot.producedOn)!,
        quantity: lot.quantity,
        quantityUnit: lot.quantityUnit,
        bestBefore: fromIsoDate(lot.bestBefore),
        growingAreaIds: lot.growingAreas.map((a) => a.id),
        packingHouseId: lot.packingHouse?.id ?? null,
        notes: lot.notes ?? undefined,
      });
  }, [lot, form]);

  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const body: LotInput = {
        productId: v.productId,
        lotNumber: v.lotNumber.trim(),
        gtin: v.gtin?.trim() ? v.gtin.trim() : null,
        producedOn: toIsoDate(v.producedOn)!,
        quantity: v.quantity,
        quantityUnit: v.quantityUnit,
        bestBefore: toIsoDate(v.bestBefore),
        growingAreaIds: v.growingAreaIds ?? [],
        packingHouseId: v.packingHouseId ?? null,
        notes: v.notes?.trim() ? v.notes.trim() : null,
      };
      return editing ? api<Lot>(`/api/lots/${id}`, { method: 'PUT', body: { ...body, version: lot!.version } }) : api<Lot>('/api/lots', { body });
    },
    onSuccess: (l) => {
      message.success(t('trace.lot.saved', { lot: l.lotNumber }));
      qc.invalidateQueries({ queryKey: ['lots'] });
      nav(`/lots/${l.id}`);
    },
    onError: (e) => showError(e, form),
  });

  if (editing && isLoading) return <PageSpinner />;
  const allowed = editing ? lot && canWriteLot(me, lot.producer.id) : canCreateLot(me);
  if (!allowed) return <Result status="403" title={t('error.forbidden')} />;

  const gtinCheck = gtin?.trim() ? checkGtin(gtin.trim()) : null;
  const req = [{ required: true, message: t('form.required') }];
  const initialProduct = sp.get('productId') ?? undefined;

  return (
    <>
      <PageHeader back={editing ? `/lots/${id}` : initialProduct ? `/products/${initialProduct}` : '/lots'} title={editing ? t('trace.lot.editTitle', { lot: lot?.lotNumber ?? '' }) : t('trace.lot.create')} />
      <Form<FormValues>
        form={form}
        layout="vertical"
        data-testid="lot-form"
        initialValues={{ productId: initialProduct, quantityUnit: 'KGM', growingAreaIds: [], packingHouseId: null }}
        onFinish={(v) => save.mutate(v)}
        scrollToFirstError
      >
        <Card size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="productId" label={t('trace.lot.product')} rules={req}>
                <ProductSelect data-testid="lot-product" disabled={editing} producerId={me.role === 'producer' ? (me.producerId ?? undefined) : undefined} initialLabel={lot ? `${lot.product.name} · ${lot.producer.name}` : undefined} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item
                name="lotNumber"
                label={t('trace.lot.lotNumber')}
                extra={t('trace.lot.lotNumberHelp')}
                rules={[
                  ...req,
                  {
                    validator: (_, v: string) => {
                      if (!v?.trim()) return Promise.resolve();
                      const r = checkLot(v.trim());
                      return r.ok ? Promise.resolve() : Promise.reject(new Error(gs1Message(t, r.code, r.message)));
                    },
                  },
                ]}
              >
                <Input data-testid="lot-number" maxLength={20} placeholder="VT-2025-06-01" />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item
                name="gtin"
                label={t('trace.lot.gtin')}
                extra={gtinCheck?.ok ? undefined : t('trace.lot.gtinHelp')}
                validateTrigger={['onChange', 'onBlur']}
                rules={[
                  {
                    validator: (_, v: string) => {
                      if (!v?.trim()) return Promise.resolve();
                      const r = checkGtin(v.trim());
                      return r.ok ? Promise.resolve() : Promise.reject(new Error(gs1Message(t, r.code, r.message)));
                    },
                  },
                ]}
                help={
                  gtinCheck?.ok ? (
                    <span data-testid="lot-gtin-ok" style={{ color: '#389e0d' }}>
                      <CheckCircleTwoTone twoToneColor="#52c41a" /> {t('trace.lot.gtinOk', { gtin14: gtinCheck.value.padStart(14, '0') })}
                    </span>
                  ) : undefined
                }
              >
                <Input data-testid="lot-gtin" inputMode="numeric" maxLength={14} placeholder="8936…" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="producedOn" label={t('trace.lot.producedOn')} rules={req}>
                <DatePicker data-testid="lot-produced-on" format={DATE_FORMAT} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="bestBefore"
                label={t('trace.lot.bestBefore')}
                dependencies={['producedOn']}
                rules={[
                  ({ getFieldValue }) => ({
                    validator: (_, v: dayjs.Dayjs | null) => {
                      const from = getFieldValue('producedOn') as dayjs.Dayjs | null;
                      return v && from && v.isBefore(from, 'day') ? Promise.reject(new Error(t('trace.lot.bestBeforeEarly'))) : Promise.resolve();
                    },
                  }),
                ]}
              >
                <DatePicker data-testid="lot-best-before" format={DATE_FORMAT} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label={t('trace.lot.quantity')} required style={{ marginBottom: 0 }}>
                <Space.Compact style={{ width: '100%' }}>
                  <Form.Item name="quantity" rules={req} noStyle>
                    <InputNumber data-testid="lot-quantity" min={0.001} decimalSeparator="," style={{ width: '60%' }} />
                  </Form.Item>
                  <Form.Item name="quantityUnit" rules={req} noStyle>
                    <Select data-testid="lot-quantity-unit" style={{ width: '40%' }} options={QUANTITY_UNITS.map((u) => ({ value: u, label: label('quantityUnit', u) }))} />
                  </Form.Item>
                </Space.Compact>
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title={t('trace.lot.origin')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{t('trace.lot.originHelp')}</Typography.Paragraph>
          <Row gutter={16}>
            <Col xs={24} md={14}>
              <Form.Item name="growingAreaIds" label={t('nav.growingAreas')}>
                <GrowingAreaSelect data-testid="lot-growing-areas" initial={Object.fromEntries((lot?.growingAreas ?? []).map((a) => [a.id, `${a.code} · ${a.crop}`]))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item name="packingHouseId" label={t('nav.packingHouses')}>
                <PackingHouseSelect data-testid="lot-packing-house" initialLabel={lot?.packingHouse ? `${lot.packingHouse.code} · ${lot.packingHouse.name}` : undefined} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="notes" label={t('trace.lot.notes')}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Space>
          <Button data-testid="lot-save" type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
          <Button onClick={() => nav(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}
