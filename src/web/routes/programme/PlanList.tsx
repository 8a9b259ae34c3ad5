import { Button, Card, Empty, List, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useIsPhone } from '../../components/hooks';
import { useI18n } from '../../i18n';
import { canCreatePlan } from '../../permissions';
import { PlanStatusTag, type PlanSummary } from './common';
import { PlanFormModal } from './PlanFormModal';

/** Programme plans: what each one is, its period and status; province officers create new ones. */
export default function PlanList() {
  const me = useMe();
  const { t } = useI18n();
  const phone = useIsPhone();
  const [creating, setCreating] = useState(false);
  const q = useQuery({ queryKey: ['plans'], queryFn: () => api<PlanSummary[]>('/api/programme/plans') });
  const plans = q.data ?? [];
  const period = (p: PlanSummary) => `${p.periodFrom}–${p.periodTo}`;
  return (
    <div data-testid="plan-list">
      <PageHeader
        title={t('nav.plans')}
        extra={canCreatePlan(me) && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="plan-create">{t('plan.create')}</Button>}
      />
      <Typography.Paragraph type="secondary">{t('plan.intro')}</Typography.Paragraph>
      {phone ? (
        <List
          loading={q.isLoading} dataSource={plans} locale={{ emptyText: <Empty description={t('plan.none')} /> }}
          renderItem={(p) => (
            <Card size="small" style={{ marginBottom: 8 }} data-testid="plan-card">
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Link to={`/plans/${p.id}`} data-testid="plan-link" style={{ fontWeight: 600 }}>{p.title}</Link>
                <Space wrap size={6}><PlanStatusTag status={p.status} /><span>{period(p)}</span><Typography.Text type="secondary">{p.areaUnit.name}</Typography.Text></Space>
                <Typography.Text type="secondary">{p.issuingUnit} · {t('plan.targetCount', { n: p.targetCount })}</Typography.Text>
              </Space>
            </Card>
          )}
        />
      ) : (
        <Table
          size="small" rowKey="id" loading={q.isLoading} dataSource={plans} pagination={false} scroll={{ x: true }} locale={{ emptyText: t('plan.none') }}
          columns={[
            { title: t('plan.title'), dataIndex: 'title', render: (v: string, p: PlanSummary) => <Link to={`/plans/${p.id}`} data-testid="plan-link">{v}</Link> },
            { title: t('plan.period'), key: 'period', render: (_: unknown, p: PlanSummary) => period(p) },
            { title: t('plan.area'), key: 'area', render: (_: unknown, p: PlanSummary) => p.areaUnit.name },
            { title: t('plan.issuingUnit'), dataIndex: 'issuingUnit', responsive: ['lg'] },
            { title: t('plan.targets'), dataIndex: 'targetCount', align: 'right' as const },
            { title: t('plan.statusLabel'), dataIndex: 'status', render: (s: PlanSummary['status']) => <PlanStatusTag status={s} /> },
          ]}
        />
      )}
      <PlanFormModal open={creating} plan={null} onClose={() => setCreating(false)} />
    </div>
  );
}
