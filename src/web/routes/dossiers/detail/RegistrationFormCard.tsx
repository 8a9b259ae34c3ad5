import { Button, Card, Col, Input, InputNumber, Row, Form, Select, Space, Tag } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { useI18n } from '../../../i18n';

/** A save button for a section of the dossier form (it saves the whole form: one save, one version). */
export function SaveButton({ dirty, loading, testId }: { dirty: boolean; loading: boolean; testId: string }) {
  const { t } = useI18n();
  return (
    <Space size={6}>
      {dirty && <Tag color="orange" data-testid="dossier-unsaved">{t('dossier.unsaved')}</Tag>}
      <Button data-testid={testId} htmlType="submit" icon={<SaveOutlined />} type={dirty ? 'primary' : 'default'} loading={loading} disabled={false}>
        {t('common.save')}
      </Button>
    </Space>
  );
}

/** "Thông tin đăng ký": the registration form's fields (inside the page's antd Form). */
export function RegistrationFormCard({ saveButton }: { saveButton: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('dossier.section.form')} extra={saveButton}>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="targetStar" label={t('dossier.targetStar')}>
            <Select data-testid="dossier-target-star" allowClear options={[3, 4, 5].map((n) => ({ value: n, label: t('product.starsN', { n }) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12} />
        <Col xs={24} md={12}>
          <Form.Item name={['form', 'productionCapacity']} label={t('dossier.form.productionCapacity')}>
            <Input data-testid="form-production-capacity" maxLength={300} placeholder={t('dossier.form.productionCapacityPh')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['form', 'annualOutput']} label={t('dossier.form.annualOutput')}>
            <Input data-testid="form-annual-output" maxLength={300} placeholder={t('dossier.form.annualOutputPh')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['form', 'markets']} label={t('dossier.form.market')}>
            <Input data-testid="form-market" maxLength={1000} placeholder={t('dossier.form.marketPh')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['form', 'rawMaterialSource']} label={t('dossier.form.rawMaterialSource')}>
            <Input data-testid="form-raw-material" maxLength={1000} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name={['form', 'workers']} label={t('dossier.form.workers')}>
            <InputNumber data-testid="form-workers" min={0} max={1000000} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name={['form', 'localWorkers']} label={t('dossier.form.localWorkers')}>
            <InputNumber data-testid="form-local-workers" min={0} max={1000000} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item name={['form', 'contactPerson']} label={t('dossier.form.contactPerson')}>
            <Input data-testid="form-contact-person" maxLength={120} />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item name={['form', 'contactPhone']} label={t('dossier.form.contactPhone')} rules={[{ pattern: /^[0-9+ .()-]{8,20}$/, message: t('form.badPhone') }]}>
            <Input data-testid="form-contact-phone" type="tel" maxLength={20} />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name={['form', 'description']} label={t('dossier.form.productDescription')}>
            <Input.TextArea data-testid="form-product-description" autoSize={{ minRows: 2, maxRows: 8 }} maxLength={4000} />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name={['form', 'developmentPlan']} label={t('dossier.form.developmentPlan')}>
            <Input.TextArea data-testid="form-development-plan" autoSize={{ minRows: 1, maxRows: 6 }} maxLength={4000} />
          </Form.Item>
        </Col>
      </Row>
    </Card>
  );
}
