import { Card, Descriptions, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { Stars } from '../../../components/Stars';
import type { Dossier } from '../../../contract';
import { fmtDate } from '../../../format';
import { useI18n } from '../../../i18n';

/** Product, producer, procedure, intake unit, round and certificates of the dossier. */
export function InfoCard({ dossier: d }: { dossier: Dossier }) {
  const { t, label } = useI18n();
  return (
    <Card size="small" title={t('common.info')}>
      <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} data-testid="dossier-info">
        <Descriptions.Item label={t('dossier.product')}>
          <Link to={`/products/${d.product.id}`}>{d.product.name}</Link>
          <div style={{ fontSize: 12, color: '#888' }}>{d.product.taxonomyCode}</div>
        </Descriptions.Item>
        <Descriptions.Item label={t('dossier.producer')}>
          <Link to={`/producers/${d.producer.id}`}>{d.producer.legalName}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('dossier.kind')}>{label('dossierKind', d.kind)}</Descriptions.Item>
        <Descriptions.Item label={t('dossier.targetStar')}>{d.targetStar ? <Stars value={d.targetStar} /> : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('dossier.procedure')} span={2}>
          {d.procedure.name}
        </Descriptions.Item>
        <Descriptions.Item label={t('dossier.intakeUnit')}>
          <span data-testid="dossier-intake">
            {d.intakeUnit.name} <Tag>{label('intake', d.procedure.intake)}</Tag>
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('dossier.round')}>{d.round ? <Link to={`/rounds/${d.round.id}`}>{d.round.name}</Link> : '—'}</Descriptions.Item>
        {d.baseCertificate && (
          <Descriptions.Item label={t('dossier.baseCertificate')} span={2}>
            {d.baseCertificate.number} · <Stars value={d.baseCertificate.star} /> · {t('certificate.expiresOn')} {fmtDate(d.baseCertificate.expiresOn)}
          </Descriptions.Item>
        )}
        {d.certificate && (
          <Descriptions.Item label={t('dossier.certificate')} span={2}>
            <Link to={`/certificates?q=${encodeURIComponent(d.certificate.number)}`} data-testid="dossier-certificate">
              {d.certificate.number}
            </Link>{' '}
            <Tag>{label('certificateStatus', d.certificate.status)}</Tag>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}
