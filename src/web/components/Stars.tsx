import { Tag } from 'antd';
import { useI18n } from '../i18n';

export function Stars({ value }: { value: number | null | undefined }) {
  const { t } = useI18n();
  if (!value) return <Tag>{t('product.notRecognised')}</Tag>;
  return (
    <span aria-label={t('product.starsN', { n: value })} title={t('product.starsN', { n: value })} style={{ color: '#d4a017', whiteSpace: 'nowrap', letterSpacing: 1 }}>
      {'★'.repeat(value)}
      <span style={{ color: '#ddd' }}>{'★'.repeat(Math.max(0, 5 - value))}</span>
    </span>
  );
}
