import { Button, Col, Form, Row, Select, type FormInstance } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, type Paged } from '../../api';
import { ProducerSelect } from '../../components/pickers';
import { useI18n } from '../../i18n';

export interface ParticipantValue { producerId?: string; productId?: string | null; producerName?: string }

/** The products of one producer (a participant may bring one product, or come as a producer). */
function ProductOfProducer({ producerId, value, onChange, disabled }: { producerId?: string; value?: string | null; onChange?: (v: string | null) => void; disabled?: boolean }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['products', 'of', producerId], enabled: !!producerId,
    queryFn: () => api<Paged<{ id: string; name: string }>>('/api/products', { query: { producerId, pageSize: 200 } }),
  });
  return (
    <Select allowClear value={value ?? undefined} onChange={(v) => onChange?.(v ?? null)} placeholder={t('event.anyProduct')} disabled={disabled || !producerId}
      style={{ width: '100%' }} data-testid="participant-product" options={(q.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))} />
  );
}

function ParticipantRow({ form, name, disabled, onRemove }: { form: FormInstance; name: number; disabled: boolean; onRemove: () => void }) {
  const { t } = useI18n();
  const producerId = Form.useWatch(['participants', name, 'producerId'], form) as string | undefined;
  const producerName = form.getFieldValue(['participants', name, 'producerName']) as string | undefined;
  return (
    <Row gutter={8} wrap={false} align="top" style={{ marginBottom: 4 }} data-testid="participant-row">
      <Col flex="auto">
        <Row gutter={8}>
          <Col xs={24} md={14}>
            <Form.Item name={[name, 'producerId']} rules={[{ required: true, message: '' }]} style={{ marginBottom: 4 }}>
              <ProducerSelect data-testid="participant-producer" initialLabel={producerName} disabled={disabled} onChange={() => form.setFieldValue(['participants', name, 'productId'], null)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}><Form.Item name={[name, 'productId']} style={{ marginBottom: 4 }}><ProductOfProducer producerId={producerId} disabled={disabled} /></Form.Item></Col>
        </Row>
      </Col>
      {!disabled && <Col flex="none"><Button type="text" icon={<MinusCircleOutlined />} onClick={onRemove} aria-label={t('common.remove')} /></Col>}
    </Row>
  );
}

/** Producers (and their products) that took part in an event. */
export function ParticipantsField({ form, disabled }: { form: FormInstance; disabled: boolean }) {
  const { t } = useI18n();
  return (
    <Form.List name="participants">
      {(fields, { add, remove }) => (
        <div>
          {fields.map((f) => <ParticipantRow key={f.key} form={form} name={f.name} disabled={disabled} onRemove={() => remove(f.name)} />)}
          {!disabled && <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ productId: null })} data-testid="participant-add">{t('event.addParticipant')}</Button>}
        </div>
      )}
    </Form.List>
  );
}
