import { useQuery } from '@tanstack/react-query';
import type { TaxonomyVersion } from '../server/modules/taxonomy/schema';
import type { Unit } from '../server/modules/geo/schema';
import { api } from './api';
import { todayIso } from './format';

export type { Unit, TaxonomyVersion };
export type TaxonomyNode = TaxonomyVersion['nodes'][number];

/** Lists may come bare or wrapped in {items}; accept both so a server-side paging change does not blank a screen. */
export function asArray<T>(v: T[] | { items: T[] } | null | undefined): T[] {
  if (!v) return [];
  return Array.isArray(v) ? v : v.items ?? [];
}

export function useUnits(params: { asOf?: string; level?: number; parentId?: number } = {}) {
  return useQuery({
    queryKey: ['geo', 'units', params],
    queryFn: async () => asArray(await api<Unit[] | { items: Unit[] }>('/api/geo/units', { query: params })),
    staleTime: 10 * 60_000,
  });
}

/** Commune-level units valid today: what new records are registered under. */
export const useCurrentCommunes = () => useUnits({ asOf: todayIso(), level: 3 });

export function useTaxonomy() {
  return useQuery({
    queryKey: ['taxonomy'],
    queryFn: async () => asArray(await api<TaxonomyVersion[] | { items: TaxonomyVersion[] }>('/api/taxonomy')),
    staleTime: 60 * 60_000,
  });
}

export interface TreeItem {
  value: number;
  title: string;
  key: number;
  selectable?: boolean;
  disabled?: boolean;
  children?: TreeItem[];
  isLeaf?: boolean;
}

/** Builds a TreeSelect tree from flat rows with parentId; orphans (parent not in the list) become roots. */
export function buildTree<T extends { id: number; parentId: number | null }>(
  rows: T[],
  toItem: (row: T) => Omit<TreeItem, 'children' | 'key' | 'value'>,
): TreeItem[] {
  const byId = new Map<number, TreeItem>();
  for (const r of rows) byId.set(r.id, { ...toItem(r), key: r.id, value: r.id });
  const roots: TreeItem[] = [];
  for (const r of rows) {
    const item = byId.get(r.id)!;
    const parent = r.parentId != null ? byId.get(r.parentId) : undefined;
    if (parent) (parent.children ??= []).push(item);
    else roots.push(item);
  }
  return roots;
}

export function taxonomyTree(version: TaxonomyVersion | undefined, leavesOnly: boolean): TreeItem[] {
  if (!version) return [];
  return buildTree(version.nodes, (n) => ({
    title: `${n.code} ${n.name}`,
    selectable: leavesOnly ? n.isLeaf : true,
    isLeaf: n.isLeaf,
  }));
}
