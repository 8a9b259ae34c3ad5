import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api, type Paged } from '../../api';
import type { Party } from '../../contract';
import { useI18n } from '../../i18n';

/** The producer's partners, to name who receives a lot (shipping and receiving events). */
export function PartySelect(props: { producerId: string; value?: string | null; onChange?: (v: string | null) => void; 'data-testid'?: string }) {
  const { t, label } = useI18n();
  const { data, isFetching } = useQuery({
    queryKey: ['parties', props.producerId],
    queryFn: () => api<Paged<Party>>('/api/parties', { query: { producerId: props.producerId, pageSize: 200 } }),
    staleTime: 30_000,
  });
  return (
    <Select
      data-testid={props['data-testid']}
      value={props.value ?? undefined}
      onChange={(v: string | undefined) => props.onChange?.(v ?? null)}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      loading={isFetching}
      placeholder={t('party.pick')}
      notFoundContent={isFetching ? t('common.loading') : t('party.empty')}
      options={(data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${label('partyKind', p.kind)}${p.gln ? ` · GLN ${p.gln}` : ''}` }))}
      style={{ width: '100%' }}
    />
  );
}
