import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { CraftVillageList } from '../../../server/modules/craft-villages/schema';
import { api } from '../../api';
import { useI18n } from '../../i18n';

/** A craft village of the reference list (or none): what a producer belongs to. */
export function CraftVillageSelect({ value, onChange, disabled }: { value?: string | null; onChange?: (v: string | null) => void; disabled?: boolean }) {
  const { t } = useI18n();
  const q = useQuery({ queryKey: ['craft-villages', ''], queryFn: () => api<CraftVillageList>('/api/craft-villages'), staleTime: 5 * 60_000 });
  return (
    <Select allowClear value={value ?? undefined} onChange={(v) => onChange?.(v ?? null)} disabled={disabled} loading={q.isLoading} placeholder={t('producer.noCraftVillage')}
      showSearch={{ optionFilterProp: 'label' }} data-testid="producer-craft-village-select"
      options={(q.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.name} — ${v.unit.name}${v.isDemo ? ` (${t('common.demo')})` : ''}` }))} />
  );
}
