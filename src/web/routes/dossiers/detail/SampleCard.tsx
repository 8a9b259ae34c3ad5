import { Card, Col, DatePicker, Form, Input, InputNumber, Row } from 'antd';
import { DATE_FORMAT } from '../../../format';
import { useI18n } from '../../../i18n';

/** Sample fields are all-or-nothing for quantity and unit: once anything is filled, both are needed. */
const sampleNeeds =
  (message: string) =>
  ({ getFieldValue }: { getFieldValue: (n: (string | number)[]) => unknown }) => ({
    validator: (_: unknown, v: unknown) => {
      const s = (getFieldValue(['sample']) ?? {}) as Record<string, unknown>;
      const any = Object.values(s).some((x) => x !== null && x !== undefined && x !== '');
      return !any || (v !== null && v !== undefined && v !== '') ? Promise.resolve() : Promise.reject(new Error(message));
    },
  });

/** "Mẫu sản phẩm", with a save of its own (inside the page's antd Form). */
export function SampleCard({ saveButton }: { saveButton: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('dossier.section.sample')} style={{ marginTop: 16 }} data-testid="dossier-sample" extra={saveButton}>
      <Row gutter={12}>
        <Col xs={12} md={6}>
          <Form.Item
            name={['sample', 'quantity']}
            label={t('dossier.sample.quantity')}
            dependencies={[['sample', 'unit'], ['sample', 'description'], ['sample', 'deliveredOn']]}
            rules={[sampleNeeds(t('dossier.sample.quantityRequired'))]}
          >
            <InputNumber data-testid="sample-quantity" min={1} max={1000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item
            name={['sample', 'unit']}
            label={t('dossier.sample.unit')}
            dependencies={[['sample', 'quantity'], ['sample', 'description'], ['sample', 'deliveredOn']]}
            rules={[sampleNeeds(t('dossier.sample.unitRequired'))]}
          >
            <Input data-testid="sample-unit" maxLength={40} placeholder={t('dossier.sample.unitPh')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['sample', 'deliveredOn']} label={t('dossier.sample.deliveredOn')}>
            <DatePicker data-testid="sample-delivered-on" format={DATE_FORMAT} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name={['sample', 'description']} label={t('dossier.sample.description')}>
            <Input.TextArea data-testid="sample-description" autoSize={{ minRows: 1, maxRows: 4 }} maxLength={1000} />
          </Form.Item>
        </Col>
      </Row>
    </Card>
  );
}
