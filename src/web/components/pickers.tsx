import { Select, TreeSelect, type SelectProps } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { Producer } from '../../server/modules/producers/schema';
import { api, type Paged } from '../api';
import { buildTree, useCurrentCommunes, useTaxonomy, useUnits, type TreeItem } from '../data';
import { todayIso } from '../format';
import { useI18n } from '../i18n';
import { useDebounced } from './hooks';
import { normalizeForSearch } from '../../shared/text';

const filterByLabel = (input: string, option?: { label?: unknown; title?: unknown }) =>
  normalizeForSearch(String(option?.label ?? option?.title ?? '')).includes(normalizeForSearch(input));

/** A leaf of the current taxonomy (QĐ 148) for a product; with `anyNode` (filters) sectors and groups too. */
export function TaxonomySelect(props: { version?: string; value?: number | null; onChange?: (v: number | undefined) => void; anyNode?: boolean; 'data-testid'?: string; allowClear?: boolean; placeholder?: string; style?: React.CSSProperties; disabled?: boolean }) {
  const { t } = useI18n();
  const { data, isLoading } = useTaxonomy();
  const tree = useMemo(() => {
    const v = data?.find((x) => x.code === (props.version ?? '148')) ?? data?.[data.length - 1];
    if (!v) return [];
    return buildTree(v.nodes, (n) => ({ title: `${n.code} ${n.name}`, selectable: props.anyNode ? true : n.isLeaf, isLeaf: n.isLeaf }));
  }, [data, props.anyNode, props.version]);
  return (
    <TreeSelect<number>
      data-testid={props['data-testid']}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      treeData={tree}
      loading={isLoading}
      showSearch={{ filterTreeNode: (input, node) => normalizeForSearch(String(node.title ?? '')).includes(normalizeForSearch(input)) }}
      allowClear={props.allowClear ?? true}
      placeholder={props.placeholder ?? t('product.taxonomy.placeholder')}
      style={props.style ?? { width: '100%' }}
      popupMatchSelectWidth={false}
      treeDefaultExpandAll={!props.anyNode}
      disabled={props.disabled}
    />
  );
}

/** Commune-level units valid today (a record is registered under a current unit). */
export function CommuneSelect({ current, ...props }: Omit<SelectProps<number | number[]>, 'options'> & { current?: { id: number; label: string } }) {
  const { t, label } = useI18n();
  const { data, isLoading } = useCurrentCommunes();
  const options = useMemo(() => {
    const opts = (data ?? []).map((u) => ({ value: u.id, label: `${label('unitType', u.type)} ${u.name}${u.code ? ` (${u.code})` : ''}` })).sort((a, b) => a.label.localeCompare(b.label, 'vi'));
    // A record registered under a unit that has since been merged keeps showing its old unit until changed.
    if (current && !opts.some((o) => o.value === current.id)) opts.unshift({ value: current.id, label: `${current.label} — ${t('unit.noLongerValid')}` });
    return opts;
  }, [data, label, current, t]);
  return <Select showSearch={{ filterOption: filterByLabel }} loading={isLoading} options={options} placeholder={t('unit.placeholder')} style={{ width: '100%' }} {...props} />;
}

/** Any unit valid today, as a province → district → commune tree (filters: the server adds predecessors). */
export function UnitTreeSelect(props: { value?: number; onChange?: (v: number | undefined) => void; 'data-testid'?: string; style?: React.CSSProperties }) {
  const { t, label } = useI18n();
  const { data, isLoading } = useUnits({ asOf: todayIso() });
  const tree: TreeItem[] = useMemo(() => buildTree(data ?? [], (u) => ({ title: `${label('unitType', u.type)} ${u.name}` })), [data, label]);
  return (
    <TreeSelect<number>
      data-testid={props['data-testid']}
      value={props.value}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      treeData={tree}
      loading={isLoading}
      allowClear
      showSearch={{ filterTreeNode: (input, node) => normalizeForSearch(String(node.title ?? '')).includes(normalizeForSearch(input)) }}
      placeholder={t('unit.filter.placeholder')}
      style={props.style ?? { width: '100%' }}
      popupMatchSelectWidth={false}
      treeDefaultExpandAll
    />
  );
}

/** Producer picker searching the server (accent-insensitive); keeps the current value's label. */
export function ProducerSelect(props: { value?: string; onChange?: (v: string | undefined) => void; initialLabel?: string; disabled?: boolean; 'data-testid'?: string; allowClear?: boolean; style?: React.CSSProperties }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const { data, isFetching } = useQuery({
    queryKey: ['producers', 'pick', q],
    queryFn: () => api<Paged<Producer>>('/api/producers', { query: { q, pageSize: 30, sort: 'name' } }),
    staleTime: 30_000,
  });
  const listed = !!props.value && (data?.items ?? []).some((p) => p.id === props.value);
  // A preselected producer (from a link, or a producer user's own) may not be in the first page of results.
  const current = useQuery({
    queryKey: ['producers', props.value],
    queryFn: () => api<Producer>(`/api/producers/${props.value}`),
    enabled: !!props.value && !props.initialLabel && !listed && !isFetching,
    staleTime: 60_000,
  });
  const options = useMemo(() => {
    const opts = (data?.items ?? []).map((p) => ({ value: p.id, label: `${p.legalName} · ${p.registrationNumber}` }));
    if (props.value && !opts.some((o) => o.value === props.value)) {
      const c = current.data;
      opts.unshift({ value: props.value, label: props.initialLabel ?? (c ? `${c.legalName} · ${c.registrationNumber}` : '…') });
    }
    return opts;
  }, [data, props.value, props.initialLabel, current.data]);
  return (
    <Select
      data-testid={props['data-testid']}
      value={props.value}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      options={options}
      loading={isFetching}
      disabled={props.disabled}
      allowClear={props.allowClear}
      placeholder={t('producer.select.placeholder')}
      notFoundContent={isFetching ? t('common.loading') : t('common.noData')}
      style={props.style ?? { width: '100%' }}
    />
  );
}
