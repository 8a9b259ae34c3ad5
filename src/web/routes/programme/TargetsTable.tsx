import { Button, Card, List, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { useShowError } from '../../components/errors';
import { useIsPhone } from '../../components/hooks';
import { useI18n } from '../../i18n';
import { planBody, targetInput, useTargetValue, type Plan, type Target } from './common';
import { TargetModal } from './TargetModal';

/** The plan's targets (section II.2 of a plan): indicator, value or range, year, where, source. */
export function TargetsTable({ plan }: { plan: Plan }) {
  const { t } = useI18n();
  const phone = useIsPhone();
  const qc = useQueryClient();
  const showError = useShowError();
  const [editing, setEditing] = useState<number | null | undefined>(undefined);
  const canEdit = plan.allowedActions.includes('edit');
  const remove = useMutation({
    mutationFn: (i: number) => api<Plan>(`/api/programme/plans/${plan.id}`, { method: 'PUT', body: planBody(plan, { targets: plan.targets.filter((_, k) => k !== i).map(targetInput) }) }),
    onSuccess: (p) => qc.setQueryData(['plan', p.id], p),
    onError: (e) => showError(e),
  });
  const where = (x: Target) => (x.perCommune ? t('target.scope.perCommune') : x.communeUnit ? x.communeUnit.name : t('target.scope.area'));
  const when = (x: Target) => (x.year === null ? t('target.wholePeriod') : String(x.year));
  const fmtValue = useTargetValue();
  const value = (x: Target) => fmtValue(x.valueMin, x.valueMax, x.unit);
  const source = (x: Target) => (x.fundingSource ? t(`funding.${x.fundingSource}` as never) : null);
  const actions = (i: number) => canEdit && (
    <Space size={4}>
      <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(i)} data-testid="target-edit" aria-label={t('common.edit')} />
      <Popconfirm title={t('target.deleteConfirm')} okText={t('common.delete')} cancelText={t('common.cancel')} onConfirm={() => remove.mutate(i)}>
        <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid="target-delete" />
      </Popconfirm>
    </Space>
  );
  const rows = plan.targets.map((x, i) => ({ ...x, i }));
  return (
    <div data-testid="targets">
      {canEdit && <Button icon={<PlusOutlined />} onClick={() => setEditing(null)} style={{ marginBottom: 12 }} data-testid="target-add">{t('target.add')}</Button>}
      {phone ? (
        <List dataSource={rows} locale={{ emptyText: t('target.none') }} renderItem={(x) => (
          <Card size="small" style={{ marginBottom: 8 }} data-testid="target-row">
            <Space direction="vertical" size={2} style={{ width: '100%' }}>
              <Typography.Text strong>{x.indicatorName}</Typography.Text>
              <Space wrap size={6}><Tag color="blue">{value(x)}</Tag><Tag>{when(x)}</Tag><Tag>{where(x)}</Tag>{source(x) && <Tag>{source(x)}</Tag>}</Space>
              {x.label && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{x.label}</Typography.Text>}
              {actions(x.i)}
            </Space>
          </Card>
        )} />
      ) : (
        <Table size="small" rowKey="id" dataSource={rows} pagination={false} scroll={{ x: true }} locale={{ emptyText: t('target.none') }}
          onRow={() => ({ 'data-testid': 'target-row' }) as never}
          columns={[
            { title: t('target.indicator'), dataIndex: 'indicatorName', render: (v: string, x) => <Space direction="vertical" size={0}><span>{v}</span>{x.label && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{x.label}</Typography.Text>}</Space> },
            { title: t('target.value'), key: 'value', onCell: () => ({ style: { whiteSpace: 'nowrap' } }), render: (_: unknown, x) => <span data-testid="target-value">{value(x)}</span> },
            { title: t('target.year'), key: 'year', onCell: () => ({ style: { whiteSpace: 'nowrap' } }), render: (_: unknown, x) => when(x) },
            { title: t('target.where'), key: 'where', onCell: () => ({ style: { whiteSpace: 'nowrap' } }), render: (_: unknown, x) => where(x) },
            { title: t('target.fundingSource'), key: 'source', responsive: ['lg'], render: (_: unknown, x) => source(x) ?? '—' },
            ...(canEdit ? [{ title: '', key: 'actions', render: (_: unknown, x: (typeof rows)[number]) => actions(x.i) }] : []),
          ]}
        />
      )}
      {editing !== undefined && <TargetModal plan={plan} index={editing} onClose={() => setEditing(undefined)} />}
    </div>
  );
}
