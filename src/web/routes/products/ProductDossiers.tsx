import { Alert, Button, Card, Descriptions, Empty, List, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { OPEN_DOSSIER_STATUSES } from '../../../shared/dossier';
import { api, ApiError } from '../../api';
import { useMe } from '../../auth';
import { Stars } from '../../components/Stars';
import { itemsOf, type Certificate, type DossierSummary } from '../../contract';
import { fmtDate, fmtDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { canCreateDossier, canSeeCertificates, canSeeDossiers, isStaff } from '../../permissions';
import { CertificateStatusTag, DossierStatusTag } from '../../vocab';
import { CertificateLinks } from '../certificates/CertificateList';
import { CreateDossierModal } from '../dossiers/CreateDossierModal';
import { MissingTag } from '../dossiers/DossierList';

/** On the product page: its OCOP dossiers (with "Tạo hồ sơ") and its current certificate. */
export function ProductDossiers({ product }: { product: { id: string; name: string; producer: { id: string } } }) {
  const me = useMe();
  const { t, label } = useI18n();
  const [createOpen, setCreateOpen] = useState(false);
  const showDossiers = canSeeDossiers(me) && (isStaff(me) || me.producerId === product.producer.id);
  const dossiers = useQuery({
    queryKey: ['dossiers', 'list', { productId: product.id }],
    queryFn: async () => itemsOf(await api<{ items: DossierSummary[] } | DossierSummary[]>('/api/dossiers', { query: { productId: product.id } })),
    enabled: showDossiers,
  });
  const certs = useQuery({
    queryKey: ['certificates', 'list', { productId: product.id }],
    queryFn: async () => itemsOf(await api<{ items: Certificate[] } | Certificate[]>('/api/certificates', { query: { productId: product.id, pageSize: 20 } })),
    enabled: canSeeCertificates(me),
  });
  const list = dossiers.data ?? [];
  const open = list.find((d) => OPEN_DOSSIER_STATUSES.includes(d.status));
  const all = certs.data ?? [];
  const current = all.find((c) => c.storedStatus === 'active') ?? null;
  const mayCreate = showDossiers && canCreateDossier(me) && !open;

  return (
    <>
      {canSeeCertificates(me) && (
        <Card size="small" title={t('certificate.current')} data-testid="product-certificate">
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
    </>
  );
}
