import { Tag } from 'antd';
import { useI18n } from '../i18n';

/** The star in force; when none is and a certificate expired, says so (with its old star) instead of "not ranked". */
export function Stars({ value, expired }: { value: number | null | undefined; expired?: number | null }) {
  const { t } = useI18n();
  if (!value && expired) return <Tag color="orange" data-testid="stars-expired">{t('product.starsExpired', { n: expired })}</Tag>;
  if (!value) return <Tag>{t('product.notRecognised')}</Tag>;
  return (
    <span aria-label={t('product.starsN', { n: value })} title={t('product.starsN', { n: value })} style={{ color: '#d4a017', whiteSpace: 'nowrap', letterSpacing: 1 }}>
      {'★'.repeat(value)}
      <span style={{ color: '#ddd' }}>{'★'.repeat(Math.max(0, 5 - value))}</span>
    </span>
  );
}
