import { App, Button, Col, DatePicker, Form, Input, InputNumber, Modal, Radio, Row, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type dayjs from 'dayjs';
import { api } from '../../api';
import { useMe } from '../../auth';
import { useShowError } from '../../components/errors';
import { freshOnOpen } from '../../components/freshOnOpen';
import { QUANTITY_UNITS, TRANSACTION_TYPES, type Lot, type QuantityUnit, type TraceEvent, type TraceEventInput, type TraceEventKind, type TransactionType } from '../../contract';
import { useI18n } from '../../i18n';
import { GrowingAreaSelect, LotSelect, PackingHouseSelect, toVnIso, vnNow } from './common';
import { PartySelect } from './PartySelect';

interface FormValues {
  eventTime: dayjs.Dayjs;
  note?: string;
  growingAreaIds?: string[];
  inputs?: { lotId?: string; quantity?: number; uom?: QuantityUnit }[];
  outputMode?: 'this' | 'other';
  outputLotId?: string;
  packingHouseId?: string | null;
  parentId?: string;
  quantity?: number | null;
  transactionType?: TransactionType;
  transactionId?: string;
  source?: string;
  destination?: string;
  result?: 'conformant' | 'non_conformant';
  inspector?: string;
  toPartyId?: string | null;
  /** Where a shipping, receiving or inspection happened (empty: the server's default for the lot). */
  atKind?: 'packing_house' | 'growing_area';
  atHouseId?: string | null;
  atAreaIds?: string[];
}

/** The place fields of the API body: one packing house or one growing area, or neither. */
const placeOf = (v: FormValues) =>
  v.atKind === 'growing_area'
    ? { growingAreaId: v.atAreaIds?.[0] }
    : { packingHouseId: v.atHouseId ?? undefined };

const text = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);

/** The API body for a kind from the simple form (times are Vietnam wall-clock, sent with +07:00). */
function toInput(kind: TraceEventKind, lot: Lot, v: FormValues): TraceEventInput {
  const eventTime = toVnIso(v.eventTime);
  const note = text(v.note);
  switch (kind) {
    case 'harvest':
      return { kind, lotId: lot.id, eventTime, growingAreaIds: v.growingAreaIds ?? [], note };
    case 'processing':
      return {
        kind,
        inputs: (v.inputs ?? []).map((i) => ({ lotId: i.lotId!, quantity: i.quantity!, uom: i.uom ?? 'KGM' })),
        outputLotId: v.outputMode === 'other' && v.outputLotId ? v.outputLotId : lot.id,
        eventTime,
        packingHouseId: v.packingHouseId ?? undefined,
        note,
      };
    case 'packing':
      return { kind, lotId: lot.id, parentId: v.parentId!.trim(), quantity: v.quantity ?? undefined, eventTime, packingHouseId: v.packingHouseId ?? undefined, note };
    case 'shipping':
    case 'receiving':
      return {
        kind,
        lotId: lot.id,
        quantity: v.quantity ?? undefined,
        eventTime,
        transaction: v.transactionType && text(v.transactionId) ? { type: v.transactionType, id: text(v.transactionId)! } : undefined,
        source: text(v.source),
        destination: text(v.destination),
        toPartyId: v.toPartyId ?? undefined,
        ...placeOf(v),
        note,
      };
    case 'inspection':
      return { kind, lotId: lot.id, eventTime, result: v.result!, inspector: v.inspector!.trim(), ...placeOf(v), note };
  }
}

function EventModalInner({ lot, kind, onClose }: { lot: Lot; kind: TraceEventKind | null; onClose: () => void }) {
  const me = useMe();
  const { t, label } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<FormValues>();
  const outputMode = Form.useWatch('outputMode', form);
  const atKind = Form.useWatch('atKind', form);
  const toPartyId = Form.useWatch('toPartyId', form);
  const req = [{ required: true, message: t('form.required') }];

  const m = useMutation({
    mutationFn: (v: FormValues) => api<TraceEvent>('/api/trace-events', { body: toInput(kind!, lot, v) }),
    onSuccess: () => {
      message.success(t('trace.event.recorded'));
      qc.invalidateQueries({ queryKey: ['lots'] });
      onClose();
    },
    onError: (e) => showError(e, form),
  });

  const quantityField = (
    <Form.Item label={t('trace.event.quantity')} style={{ marginBottom: 0 }}>
      <Space.Compact>
        <Form.Item name="quantity" noStyle>
          <InputNumber data-testid="event-quantity" min={0.001} decimalSeparator="," style={{ width: 160 }} />
        </Form.Item>
        <Button disabled style={{ color: 'inherit', cursor: 'default' }}>
          {label('quantityUnit', lot.quantityUnit)}
        </Button>
      </Space.Compact>
    </Form.Item>
  );

  return (
    <Modal
      open={!!kind}
      title={kind ? t('trace.event.recordTitle', { kind: label('traceKind', kind), lot: lot.lotNumber }) : ''}
      width={720}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('trace.event.record')}
      okButtonProps={{ 'data-testid': 'event-save' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      {kind && (
        <Form<FormValues>
          form={form}
          layout="vertical"
          data-testid="event-form"
          data-kind={kind}
          onFinish={(v) => m.mutate(v)}
          initialValues={{
            eventTime: vnNow(),
            growingAreaIds: lot.growingAreas.map((a) => a.id),
            inputs: [{ uom: lot.quantityUnit }],
            outputMode: 'this',
            packingHouseId: lot.packingHouse?.id ?? null,
            result: 'conformant',
            inspector: me.fullName,
            transactionType: 'inv',
            quantity: kind === 'processing' || kind === 'harvest' ? undefined : lot.quantity,
            atKind: 'packing_house',
          }}
        >
          <Typography.Paragraph type="secondary">{t(`trace.event.help.${kind}` as 'trace.event.help.harvest')}</Typography.Paragraph>
          <Form.Item name="eventTime" label={t('trace.event.time')} rules={req} extra={t('trace.event.timeHelp')}>
            <DatePicker data-testid="event-time" showTime={{ format: 'HH:mm' }} format="DD/MM/YYYY HH:mm" style={{ width: 220 }} />
          </Form.Item>

          {kind === 'harvest' && (
            <Form.Item name="growingAreaIds" label={t('nav.growingAreas')} extra={t('trace.event.harvestAreasHelp')}>
              <GrowingAreaSelect data-testid="event-growing-areas" initial={Object.fromEntries(lot.growingAreas.map((a) => [a.id, `${a.code} · ${a.crop}`]))} />
            </Form.Item>
          )}

          {kind === 'processing' && (
            <>
              <Typography.Text strong>{t('trace.event.inputs')}</Typography.Text>
              <Form.List name="inputs">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f, i) => (
                      <Row key={f.key} gutter={8} align="top" data-testid="event-input-row">
                        <Col flex="auto">
                          <Form.Item name={[f.name, 'lotId']} rules={[{ required: true, message: t('trace.event.inputLotRequired') }]}>
                            <LotSelect data-testid={`event-input-lot-${i}`} exclude={[lot.id]} />
                          </Form.Item>
                        </Col>
                        <Col flex="130px">
                          <Form.Item name={[f.name, 'quantity']} rules={[{ required: true, message: t('trace.event.quantityRequired') }]}>
                            <InputNumber data-testid={`event-input-quantity-${i}`} min={0.001} decimalSeparator="," placeholder={t('trace.event.quantity')} style={{ width: '100%' }} />
                          </Form.Item>
                        </Col>
                        <Col flex="110px">
                          <Form.Item name={[f.name, 'uom']}>
                            <Select options={QUANTITY_UNITS.map((u) => ({ value: u, label: label('quantityUnit', u) }))} />
                          </Form.Item>
                        </Col>
                        <Col flex="32px">
                          {fields.length > 1 && <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />}
                        </Col>
                      </Row>
                    ))}
                    <Button data-testid="event-add-input" type="dashed" icon={<PlusOutlined />} onClick={() => add({ uom: lot.quantityUnit })} style={{ marginBottom: 16 }}>
                      {t('trace.event.addInput')}
                    </Button>
                  </>
                )}
              </Form.List>
              <Form.Item name="outputMode" label={t('trace.event.output')}>
                <Radio.Group
                  options={[
                    { value: 'this', label: t('trace.event.outputThis', { lot: lot.lotNumber }) },
                    { value: 'other', label: t('trace.event.outputOther') },
                  ]}
                />
              </Form.Item>
              {outputMode === 'other' && (
                <Form.Item name="outputLotId" rules={req}>
                  <LotSelect data-testid="event-output-lot" />
                </Form.Item>
              )}
              <Form.Item name="packingHouseId" label={t('trace.event.processingPlace')}>
                <PackingHouseSelect data-testid="event-packing-house" initialLabel={lot.packingHouse ? `${lot.packingHouse.code} · ${lot.packingHouse.name}` : undefined} />
              </Form.Item>
            </>
          )}

          {kind === 'packing' && (
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="parentId" label={t('trace.event.parentId')} rules={req} extra={t('trace.event.parentIdHelp')}>
                  <Input data-testid="event-parent-id" maxLength={100} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                {quantityField}
              </Col>
              <Col xs={24}>
                <Form.Item name="packingHouseId" label={t('nav.packingHouses')}>
                  <PackingHouseSelect data-testid="event-packing-house" initialLabel={lot.packingHouse ? `${lot.packingHouse.code} · ${lot.packingHouse.name}` : undefined} />
                </Form.Item>
              </Col>
            </Row>
          )}

          {(kind === 'shipping' || kind === 'receiving') && (
            <Row gutter={16}>
              <Col xs={24} md={12}>
                {quantityField}
              </Col>
              <Col xs={24} md={12}>
                <Form.Item label={t('trace.event.transaction')}>
                  <Space.Compact style={{ width: '100%' }}>
                    <Form.Item name="transactionType" noStyle>
                      <Select style={{ width: '45%' }} options={TRANSACTION_TYPES.map((x) => ({ value: x, label: label('transactionType', x) }))} />
                    </Form.Item>
                    <Form.Item name="transactionId" noStyle>
                      <Input data-testid="event-transaction-id" style={{ width: '55%' }} maxLength={100} placeholder={t('trace.event.transactionId')} />
                    </Form.Item>
                  </Space.Compact>
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="source" label={t('trace.event.source')}>
                  <Input data-testid="event-source" maxLength={300} placeholder={kind === 'shipping' ? lot.producer.name : undefined} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="destination" label={t('trace.event.destination')}>
                  <Input data-testid="event-destination" maxLength={300} />
                </Form.Item>
              </Col>
              <Col xs={24}>
                <Form.Item name="toPartyId" label={t('trace.event.toParty')} extra={t(`trace.event.toPartyHelp.${kind}`)}>
                  <PartySelect data-testid="event-to-party" producerId={lot.producer.id} />
                </Form.Item>
              </Col>
            </Row>
          )}

          {(kind === 'shipping' || kind === 'receiving' || kind === 'inspection') && (
            <Form.Item
              label={t(`trace.event.place.${kind}`)}
              extra={kind === 'receiving' && toPartyId ? t('trace.event.placeHelpPartner') : t('trace.event.placeHelp')}
              style={{ marginBottom: 8 }}
            >
              <Space.Compact style={{ width: '100%' }}>
                <Form.Item name="atKind" noStyle>
                  <Select
                    data-testid="event-place-kind"
                    style={{ width: 150 }}
                    options={(['packing_house', 'growing_area'] as const).map((k) => ({ value: k, label: t(`trace.event.placeKind.${k}`) }))}
                  />
                </Form.Item>
                {atKind === 'growing_area' ? (
                  <Form.Item name="atAreaIds" noStyle>
                    <GrowingAreaSelect single data-testid="event-place-area" producerId={lot.producer.id} style={{ flex: 1, minWidth: 0 }} />
                  </Form.Item>
                ) : (
                  <Form.Item name="atHouseId" noStyle>
                    <PackingHouseSelect data-testid="event-place-house" producerId={lot.producer.id} style={{ flex: 1, minWidth: 0 }} />
                  </Form.Item>
                )}
              </Space.Compact>
            </Form.Item>
          )}

          {kind === 'inspection' && (
            <Row gutter={16}>
              <Col xs={24} md={10}>
                <Form.Item name="result" label={t('trace.event.result')} rules={req}>
                  <Radio.Group
                    data-testid="event-result"
                    optionType="button"
                    buttonStyle="solid"
                    options={[
                      { value: 'conformant', label: label('inspectionResult', 'conformant') },
                      { value: 'non_conformant', label: label('inspectionResult', 'non_conformant') },
                    ]}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={14}>
                <Form.Item name="inspector" label={t('trace.event.inspector')} rules={req}>
                  <Input data-testid="event-inspector" maxLength={300} />
                </Form.Item>
              </Col>
            </Row>
          )}

          <Form.Item name="note" label={t('trace.event.note')}>
            <Input.TextArea data-testid="event-note" autoSize={{ minRows: 2, maxRows: 5 }} maxLength={1000} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

export const EventModal = freshOnOpen(EventModalInner, (p) => !!p.kind);
