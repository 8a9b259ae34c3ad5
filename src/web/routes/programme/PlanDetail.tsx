import { Alert, App, Button, Descriptions, Select, Tabs, Tag } from 'antd';
import { CopyOutlined, EditOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { PLAN_STATUSES } from '../../../server/modules/programme/schema';
import { api } from '../../api';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { PageSpinner } from '../../components/PageSpinner';
import { useIsPhone } from '../../components/hooks';
import { fmtDate } from '../../format';
import { useI18n } from '../../i18n';
import { BudgetTab } from './BudgetTab';
import { CopyPlanModal } from './CopyPlanModal';
import { planBody, PlanStatusTag, usePlan, type Plan } from './common';
import { PlanFormModal } from './PlanFormModal';
import { TargetsTable } from './TargetsTable';

function StatusControl({ plan }: { plan: Plan }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const set = useMutation({
    mutationFn: (status: Plan['status']) => api<Plan>(`/api/programme/plans/${plan.id}`, { method: 'PUT', body: planBody(plan, { status }) }),
    onSuccess: (p) => { qc.setQueryData(['plan', p.id], p); qc.invalidateQueries({ queryKey: ['plans'] }); message.success(t('common.saved')); },
    onError: (e) => showError(e),
  });
  if (!plan.allowedActions.includes('setStatus')) return <PlanStatusTag status={plan.status} />;
  return (
    <Select size="small" value={plan.status} loading={set.isPending} onChange={(s) => set.mutate(s)} data-testid="plan-status-select" style={{ minWidth: 150 }}
      options={PLAN_STATUSES.map((s) => ({ value: s, label: t(`plan.status.${s}`) }))} aria-label={t('plan.statusLabel')} />
  );
}

/** A plan: its identity, its targets (edited in place by province officers) and its budget (appendix 03). */
export default function PlanDetail() {
  const { id } = useParams();
  const { t } = useI18n();
  const [sp, setSp] = useSearchParams();
  const phone = useIsPhone();
  const q = usePlan(id);
  const [editing, setEditing] = useState(false);
  const [copying, setCopying] = useState(false);
  const plan = q.data;
  if (!plan) return q.isError ? <Alert type="error" message={t('plan.notFound')} /> : <PageSpinner />;
  const can = (a: Plan['allowedActions'][number]) => plan.allowedActions.includes(a);
  const tab = sp.get('tab') ?? 'targets';
  return (
    <div data-testid="plan-detail">
      <PageHeader
        back="/plans"
        title={<span data-testid="plan-heading">{plan.title}</span>}
        extra={<>
          <StatusControl plan={plan} />
          {can('edit') && <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="plan-edit">{t('plan.editInfo')}</Button>}
          {can('copy') && <Button icon={<CopyOutlined />} onClick={() => setCopying(true)} data-testid="plan-copy">{t('plan.copy')}</Button>}
        </>}
      />
      {plan.isDemo && <Tag color="gold" style={{ marginBottom: 8 }}>{t('common.demo')}</Tag>}
      <Descriptions size="small" bordered={!phone} layout={phone ? 'vertical' : 'horizontal'} column={{ xs: 1, sm: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('plan.code')}>{plan.code}</Descriptions.Item>
        <Descriptions.Item label={t('plan.period')}>{plan.periodFrom}–{plan.periodTo}</Descriptions.Item>
        <Descriptions.Item label={t('plan.issuingUnit')}>{plan.issuingUnit}</Descriptions.Item>
        <Descriptions.Item label={t('plan.area')}>{plan.areaUnit.name}</Descriptions.Item>
        <Descriptions.Item label={t('plan.documentNumber')}>{plan.documentNumber ?? '—'}{plan.issuedOn ? ` · ${fmtDate(plan.issuedOn)}` : ''}</Descriptions.Item>
        <Descriptions.Item label={t('plan.targets')}>{plan.targets.length}</Descriptions.Item>
        {plan.legalBasis.length > 0 && (
          <Descriptions.Item label={t('plan.legalBasis')} span={2}>
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>{plan.legalBasis.map((b, i) => <li key={i}>{b}</li>)}</ul>
          </Descriptions.Item>
        )}
        {plan.note && <Descriptions.Item label={t('plan.note')} span={2}>{plan.note}</Descriptions.Item>}
      </Descriptions>
      {!can('edit') && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('plan.readOnly')} />}
      <Tabs activeKey={tab} onChange={(k) => setSp(k === 'targets' ? {} : { tab: k }, { replace: true })}
        items={[
          { key: 'targets', label: <span data-testid="tab-targets">{t('plan.tab.targets')}</span>, children: <TargetsTable plan={plan} /> },
          { key: 'budget', label: <span data-testid="tab-budget">{t('plan.tab.budget')}</span>, children: <BudgetTab plan={plan} /> },
        ]}
      />
      <PlanFormModal open={editing} plan={plan} onClose={() => setEditing(false)} />
      {copying && <CopyPlanModal plan={plan} open onClose={() => setCopying(false)} />}
    </div>
  );
}
