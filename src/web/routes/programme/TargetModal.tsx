import { Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FUNDING_SOURCES, type TargetInput } from '../../../server/modules/programme/schema';
import { api } from '../../api';
import { useShowError } from '../../components/errors';
import { fmtDate } from '../../format';
import { useI18n } from '../../i18n';
import { planBody, targetInput, useIndicators, type Plan } from './common';

interface Values {
  indicator: string; scope: 'area' | 'perCommune' | 'commune'; communeUnitId?: number; year: number | 'period';
  valueMin?: number | null; valueMax?: number | null; fundingSource?: string | null; label?: string; note?: string;
}

const fromTarget = (x: TargetInput): Values => ({
  indicator: x.indicator, scope: x.perCommune ? 'perCommune' : x.communeUnitId ? 'commune' : 'area', communeUnitId: x.communeUnitId ?? undefined,
  year: x.year ?? 'period', valueMin: x.valueMin, valueMax: x.valueMax, fundingSource: x.fundingSource, label: x.label ?? '', note: x.note ?? '',
});

/**
 * One target of the plan: the indicator (the server's definitions, with their unit and rule), a value or a range, the
 * year (or the whole period), the area / one commune / each commune, and for money the funding source. Saving sends
 * the plan's whole target list back with the plan's version (`index` null = a new target).
 */
export function TargetModal({ plan, index, onClose }: { plan: Plan; index: number | null | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();
  const showError = useShowError();
  const indicators = useIndicators();
  const code = Form.useWatch('indicator', form);
  const scope = Form.useWatch('scope', form);
  const def = indicators.data?.find((d) => d.code === code);
  const save = useMutation({
    mutationFn: (v: Values) => {
      const target: TargetInput = {
        indicator: v.indicator, unit: def!.unit, year: v.year === 'period' ? null : v.year, perCommune: v.scope === 'perCommune',
        communeUnitId: v.scope === 'commune' ? v.communeUnitId ?? null : null, valueMin: v.valueMin ?? null, valueMax: v.valueMax ?? null,
        fundingSource: def?.unit === 'million_vnd' ? v.fundingSource ?? null : null, label: v.label || null, note: v.note || null,
      };
      const targets = plan.targets.map(targetInput);
      if (index === null || index === undefined) targets.push(target);
      else targets[index] = target;
      return api<Plan>(`/api/programme/plans/${plan.id}`, { method: 'PUT', body: planBody(plan, { targets }) });
    },
    onSuccess: (p) => { qc.setQueryData(['plan', p.id], p); qc.invalidateQueries({ queryKey: ['plans'] }); onClose(); },
    // The server names the target's fields "targets.<i>.<field>": show them under this form's fields.
    onError: (e) => showError(e),
  });
  const years = Array.from({ length: plan.periodTo - plan.periodFrom + 1 }, (_, i) => plan.periodFrom + i);
  const editing = index !== null && index !== undefined ? fromTarget(targetInput(plan.targets[index])) : { scope: 'area' as const, year: 'period' as const };
  const required = [{ required: true, message: t('form.required') }];
  return (
    <Modal open={index !== undefined} title={index === null ? t('target.add') : t('target.edit')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')}
      cancelText={t('common.cancel')} confirmLoading={save.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'target-save' } as never} width={640}>
      <Form form={form} layout="vertical" preserve={false} initialValues={editing} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="indicator" label={t('target.indicator')} rules={required} extra={def && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{def.rule}</Typography.Text>}>
          <Select data-testid="target-indicator" showSearch={{ optionFilterProp: 'label' }} loading={indicators.isLoading}
            options={(indicators.data ?? []).map((d) => ({ value: d.code, label: d.unit === 'count' ? d.name : `${d.name} (${t(`programme.unit.${d.unit}`)})` }))} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="valueMin" label={t('target.min')}><InputNumber min={0} max={def?.unit === 'percent' ? 100 : undefined} data-testid="target-min" style={{ width: 160 }} /></Form.Item>
          <Form.Item name="valueMax" label={t('target.max')}><InputNumber min={0} max={def?.unit === 'percent' ? 100 : undefined} data-testid="target-max" style={{ width: 160 }} /></Form.Item>
          <Form.Item label={t('target.unit')}><Typography.Text data-testid="target-unit">{def ? (def.unit === 'count' ? t('target.unitCount') : t(`programme.unit.${def.unit}`)) : '—'}</Typography.Text></Form.Item>
        </Space>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: -8 }}>{t('target.valueHelp')}</Typography.Paragraph>
        <Form.Item name="year" label={t('target.year')}>
          <Select data-testid="target-year" options={[{ value: 'period', label: t('target.wholePeriod') }, ...years.map((y) => ({ value: y, label: String(y) }))]} />
        </Form.Item>
        <Form.Item name="scope" label={t('target.where')}>
          <Radio.Group options={[{ value: 'area', label: t('target.scope.area') }, { value: 'perCommune', label: t('target.scope.perCommune') }, { value: 'commune', label: t('target.scope.commune') }]} />
        </Form.Item>
        {scope === 'commune' && (
          <Form.Item name="communeUnitId" label={t('target.commune')} rules={required}>
            <Select data-testid="target-commune" showSearch={{ optionFilterProp: 'label' }}
              options={plan.communes.map((c) => ({ value: c.id, label: c.validTo ? `${c.name} (${t('target.until', { n: fmtDate(c.validTo) })})` : c.name }))} />
          </Form.Item>
        )}
        {def?.unit === 'million_vnd' && (
          <Form.Item name="fundingSource" label={t('target.fundingSource')} extra={t('target.fundingSourceHelp')}>
            <Select allowClear data-testid="target-source" options={FUNDING_SOURCES.map((v) => ({ value: v, label: t(`funding.${v}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="label" label={t('target.label')} extra={t('target.labelHelp')}><Input data-testid="target-label" /></Form.Item>
        <Form.Item name="note" label={t('target.note')}><Input.TextArea rows={2} /></Form.Item>
      </Form>
    </Modal>
  );
}
