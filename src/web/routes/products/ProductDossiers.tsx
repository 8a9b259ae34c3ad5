import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Form, Input, List, Modal, Select, Space, Typography } from 'antd';
import { FileAddOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { OPEN_DOSSIER_STATUSES } from '../../../shared/dossier';
import { certificateExpiry, formatViDate } from '../../../shared/certificate-dates';
import { api, ApiError } from '../../api';
import { useShowError } from '../../components/errors';
import { freshOnOpen } from '../../components/freshOnOpen';
import { useMe } from '../../auth';
import { Stars } from '../../components/Stars';
import { itemsOf, type Certificate } from '../../contract';
import { DATE_FORMAT, fmtDate, fmtDateTime, toIsoDate } from '../../format';
import { useI18n } from '../../i18n';
import { canCreateDossier, canRecordLegacyCertificate, canSeeCertificates, canSeeDossiers, isStaff } from '../../permissions';
import { CertificateStatusTag, DossierStatusTag } from '../../vocab';
import { CertificateLinks } from '../certificates/CertificateList';
import { CreateDossierModal } from '../dossiers/CreateDossierModal';
import { MissingTag } from '../dossiers/DossierList';
import type { DossierPage } from '../../../server/modules/dossiers/schema';
import type { CertificatePage } from '../../../server/modules/certificates/schema';

/** On the product page: its OCOP dossiers (with "Tạo hồ sơ") and its current certificate. */
export function ProductDossiers({ product }: { product: { id: string; name: string; producer: { id: string } } }) {
  const me = useMe();
  const { t, label } = useI18n();
  const [createOpen, setCreateOpen] = useState(false);
  const [legacyOpen, setLegacyOpen] = useState(false);
  const showDossiers = canSeeDossiers(me) && (isStaff(me) || me.producerId === product.producer.id);
  const dossiers = useQuery({
    queryKey: ['dossiers', 'list', { productId: product.id }],
    queryFn: async () => itemsOf(await api<DossierPage>('/api/dossiers', { query: { productId: product.id } })),
    enabled: showDossiers,
  });
  const certs = useQuery({
    queryKey: ['certificates', 'list', { productId: product.id }],
    queryFn: async () => itemsOf(await api<CertificatePage>('/api/certificates', { query: { productId: product.id, pageSize: 20 } })),
    enabled: canSeeCertificates(me),
  });
  const list = dossiers.data ?? [];
  const open = list.find((d) => OPEN_DOSSIER_STATUSES.includes(d.status));
  const all = certs.data ?? [];
  const current = all.find((c) => c.storedStatus === 'active') ?? null;
  const mayCreate = showDossiers && canCreateDossier(me) && !open;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {canSeeCertificates(me) && (
        <Card
          size="small"
          title={t('certificate.current')}
          data-testid="product-certificate"
          extra={
            !current &&
            canRecordLegacyCertificate(me) && (
              <Button size="small" data-testid="product-legacy-certificate" icon={<FileAddOutlined />} onClick={() => setLegacyOpen(true)}>
                {t('certificate.legacy.record')}
              </Button>
            )
          }
        >
          {certs.error ? (
            <Typography.Text type="secondary">{certs.error instanceof ApiError ? certs.error.problem.title : t('error.unexpected')}</Typography.Text>
          ) : current ? (
            <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('certificate.number')}>
                <b data-testid="product-certificate-number">{current.number}</b> <CertificateStatusTag status={current.status} daysLeft={current.daysLeft} />
              </Descriptions.Item>
              <Descriptions.Item label={t('certificate.star')}>
                <Stars value={current.star} />
              </Descriptions.Item>
              <Descriptions.Item label={t('certificate.decision')}>
                {current.decisionNumber} · {fmtDate(current.decisionDate)}
              </Descriptions.Item>
              <Descriptions.Item label={t('certificate.expiresOn')}>{fmtDate(current.expiresOn)}</Descriptions.Item>
              <Descriptions.Item label={t('certificate.issuingAuthority')} span={2}>
                {current.issuingAuthority} · {current.issuingUnitName}
              </Descriptions.Item>
              <Descriptions.Item label="" span={2}>
                <CertificateLinks c={current} />
              </Descriptions.Item>
            </Descriptions>
          ) : (
            <Typography.Text type="secondary">{all.length ? t('certificate.noCurrentButPast', { n: all.length }) : t('certificate.noneForProduct')}</Typography.Text>
          )}
        </Card>
      )}
      {showDossiers && (
        <Card
          size="small"
          title={t('dossier.productSection')}
          data-testid="product-dossiers"
          extra={
            mayCreate && (
              <Button data-testid="product-dossier-create" type="primary" size="small" icon={<PlusOutlined />} onClick={() => setCreateOpen(true)}>
                {t('dossier.create')}
              </Button>
            )
          }
        >
          {dossiers.error ? (
            <Alert type="info" showIcon title={dossiers.error instanceof ApiError ? dossiers.error.problem.title : t('error.unexpected')} />
          ) : (
            <List
              size="small"
              loading={dossiers.isLoading}
              dataSource={list}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dossier.noneForProduct')} /> }}
              renderItem={(d) => (
                <List.Item data-testid="product-dossier-row">
                  <Space wrap size={6}>
                    <Link to={`/dossiers/${d.id}`} data-testid="product-dossier-link">
                      {label('dossierKind', d.kind)}
                    </Link>
                    <DossierStatusTag status={d.status} />
                    <MissingTag n={d.missingCount} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('common.updatedAt')} {fmtDateTime(d.updatedAt)}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
      )}
      <CreateDossierModal open={createOpen} onClose={() => setCreateOpen(false)} product={{ id: product.id, name: product.name, hasCertificate: !!current && current.status !== 'expired' }} />
      <LegacyCertificateModal open={legacyOpen} productId={product.id} onClose={() => setLegacyOpen(false)} />
    </Space>
  );
}

interface LegacyValues {
  star: number;
  decisionNumber: string;
  decisionDate: Dayjs;
  issuingAuthority: string;
  issuingLevel?: 'district' | 'province' | 'central';
  number?: string;
}

/** A certificate issued on paper before the system: recorded so the product's star and expiry are known. */
function LegacyCertificateModalInner({ open, productId, onClose }: { open: boolean; productId: string; onClose: () => void }) {
  const { t, label } = useI18n();
  const [form] = Form.useForm<LegacyValues>();
  const date = Form.useWatch('decisionDate', form);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const m = useMutation({
    mutationFn: (v: LegacyValues) =>
      api<Certificate>('/api/certificates/legacy', {
        body: {
          productId,
          star: v.star,
          decisionNumber: v.decisionNumber.trim(),
          decisionDate: toIsoDate(v.decisionDate),
          issuingAuthority: v.issuingAuthority.trim(),
          ...(v.issuingLevel ? { issuingLevel: v.issuingLevel } : {}),
          ...(v.number?.trim() ? { number: v.number.trim() } : {}),
        },
      }),
    onSuccess: (c) => {
      message.success(t('certificate.legacy.recorded', { number: c.number }));
      qc.invalidateQueries({ queryKey: ['certificates'] });
      qc.invalidateQueries({ queryKey: ['products'] });
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  const iso = toIsoDate(date);
  const req = [{ required: true, whitespace: true, message: t('form.required') }];
  return (
    <Modal
      open={open}
      title={t('certificate.legacy.record')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'legacy-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('certificate.legacy.help')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        <Form.Item name="star" label={t('certificate.star')} rules={[{ required: true, message: t('form.required') }]}>
          {/* Only 3★ and above are recognised and certified. */}
          <Select data-testid="legacy-star" options={[3, 4, 5].map((n) => ({ value: n, label: '★'.repeat(n) }))} />
        </Form.Item>
        <Form.Item name="decisionNumber" label={t('certificate.decisionNumber')} rules={req}>
          <Input data-testid="legacy-decision-number" maxLength={100} />
        </Form.Item>
        <Form.Item name="decisionDate" label={t('certificate.decisionDate')} rules={[{ required: true, message: t('form.required') }]} extra={iso ? t('certificate.validUntil', { date: formatViDate(certificateExpiry(iso)) }) : undefined}>
          <DatePicker data-testid="legacy-decision-date" format={DATE_FORMAT} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="issuingAuthority" label={t('certificate.issuingAuthority')} rules={req}>
          <Input data-testid="legacy-authority" maxLength={200} placeholder={t('certificate.issuingAuthorityPh')} />
        </Form.Item>
        <Form.Item name="issuingLevel" label={t('certificate.issuingLevel')} extra={t('certificate.issuingLevelHelp')}>
          <Select data-testid="legacy-level" allowClear options={(['district', 'province', 'central'] as const).map((l) => ({ value: l, label: label('roundLevel', l) }))} />
        </Form.Item>
        <Form.Item name="number" label={t('certificate.numberOptional')}>
          <Input data-testid="legacy-number" maxLength={60} placeholder={t('certificate.numberAuto')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
const LegacyCertificateModal = freshOnOpen(LegacyCertificateModalInner, (p) => p.open);
