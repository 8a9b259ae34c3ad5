import { Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Plan, ZIndicatorDef, ZPlanSummary, PlanInput, TargetInput } from '../../../server/modules/programme/schema';
import { api } from '../../api';
import { useI18n } from '../../i18n';

export type { Plan };
export type PlanSummary = z.infer<typeof ZPlanSummary>;
export type Target = Plan['targets'][number];
export type IndicatorDef = z.infer<typeof ZIndicatorDef>;

const STATUS_COLOR = { draft: 'default', in_force: 'green', closed: 'purple' } as const;

export function PlanStatusTag({ status }: { status: Plan['status'] }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status]} data-testid="plan-status" data-status={status}>{t(`plan.status.${status}`)}</Tag>;
}

/** Indicator definitions (names, units, rules): the same list the server validates targets against. */
export function useIndicators() {
  return useQuery({ queryKey: ['programme', 'indicators'], queryFn: () => api<IndicatorDef[]>('/api/programme/indicators'), staleTime: 10 * 60_000 });
}

export function usePlan(id: string | undefined) {
  return useQuery({ queryKey: ['plan', id], enabled: !!id, queryFn: () => api<Plan>(`/api/programme/plans/${id}`) });
}

const num = (v: number) => v.toLocaleString('vi-VN', { maximumFractionDigits: 2 });

/** "≥ 50", "15–20", "≤ 2", "2 110": a target's value or range as officials write it. */
export function targetValue(min: number | null, max: number | null) {
  if (min !== null && max !== null) return min === max ? num(min) : `${num(min)}–${num(max)}`;
  if (min !== null) return `≥ ${num(min)}`;
  if (max !== null) return `≤ ${num(max)}`;
  return '—';
}

/** A target's value with its unit word; counts carry none (they count products, producers, sessions…). */
export function useTargetValue() {
  const { t } = useI18n();
  return (min: number | null, max: number | null, unit: Plan['targets'][number]['unit']) =>
    unit === 'count' ? targetValue(min, max) : `${targetValue(min, max)} ${t(`programme.unit.${unit}`)}`;
}

/** Money in million VND (the plan's appendix unit), from đồng. */
export const millions = (vnd: number | null | undefined) => (vnd === null || vnd === undefined ? '—' : (vnd / 1_000_000).toLocaleString('vi-VN', { maximumFractionDigits: 3 }));
export const dong = (vnd: number | null | undefined) => (vnd === null || vnd === undefined ? '—' : `${vnd.toLocaleString('vi-VN')} đ`);

/** A target as the API takes it back (PUT replaces the plan's targets). */
export const targetInput = (x: Target): TargetInput => ({
  indicator: x.indicator, year: x.year, communeUnitId: x.communeUnit?.id ?? null, perCommune: x.perCommune, valueMin: x.valueMin, valueMax: x.valueMax,
  unit: x.unit, fundingSource: x.fundingSource, label: x.label, note: x.note,
});

/** The plan as the API takes it back, with changes: what every save of the plan screen sends (with its version). */
export function planBody(p: Plan, patch: Partial<PlanInput> = {}) {
  return {
    version: p.version, code: p.code, title: p.title, issuingUnit: p.issuingUnit, documentNumber: p.documentNumber, issuedOn: p.issuedOn,
    legalBasis: p.legalBasis, areaUnitId: p.areaUnit.id, periodFrom: p.periodFrom, periodTo: p.periodTo, status: p.status, note: p.note,
    targets: p.targets.map(targetInput), ...patch,
  };
}

/** Thousands separators for VND inputs (InputNumber). */
export const vndInput = {
  formatter: (v: string | number | undefined) => `${v ?? ''}`.replace(/\B(?=(\d{3})+(?!\d))/g, '.'),
  parser: (v: string | undefined) => { const d = (v ?? '').replace(/\D/g, ''); return (d === '' ? '' : Number(d)) as never; },
};
