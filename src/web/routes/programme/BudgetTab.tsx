import { Button, Card, Collapse, List, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { ZBudget } from '../../../server/modules/programme/schema';
import { api } from '../../api';
import { useIsPhone } from '../../components/hooks';
import { fmtDate } from '../../format';
import { useI18n } from '../../i18n';
import { BudgetEntryModal } from './BudgetEntryModal';
import { dong, millions, type Plan } from './common';

export type Budget = z.infer<typeof ZBudget>;
type Row = Budget['appendix']['rows'][number];

/** Appendix 03: sources × years, planned / committed / disbursed in million VND, and each source's balance. */
function AppendixTable({ budget }: { budget: Budget }) {
  const { t } = useI18n();
  const phone = useIsPhone();
  const name = (r: Row) => (r.fundingSource ? t(`funding.${r.fundingSource}`) : t('budget.allSources'));
  const balance = (r: Row) => <span style={{ color: r.total.overspent ? '#cf1322' : undefined, fontWeight: r.total.overspent ? 600 : undefined }}>{millions(r.total.balanceVnd)}</span>;
  const used = budget.appendix.rows.filter((r) => r.fundingSource === null || r.total.plannedVnd !== null || r.total.committedVnd > 0 || r.total.disbursedVnd > 0);
  if (phone) {
    return (
      <List dataSource={used} renderItem={(r) => (
        <Card size="small" style={{ marginBottom: 8 }} title={name(r)} data-testid="budget-source-card">
          <Space direction="vertical" size={2}>
            <span>{t('budget.planned')}: <b>{millions(r.total.plannedVnd)}</b> · {t('budget.committed')}: <b>{millions(r.total.committedVnd)}</b></span>
            <span>{t('budget.disbursed')}: <b>{millions(r.total.disbursedVnd)}</b> · {t('budget.balance')}: {balance(r)}</span>
            {r.cells.filter((c) => c.plannedVnd !== null || c.committedVnd || c.disbursedVnd).map((c) => (
              <Typography.Text key={c.year} type="secondary" style={{ fontSize: 12 }}>{c.year}: {millions(c.plannedVnd)} / {millions(c.committedVnd)} / {millions(c.disbursedVnd)}</Typography.Text>
            ))}
          </Space>
        </Card>
      )} />
    );
  }
  // Zeros in grey: the sources and years that carry money stand out, as in the printed appendix.
  const money = (pick: (r: Row) => number | null) => (_: unknown, r: Row) => {
    const v = pick(r);
    return v ? millions(v) : <Typography.Text type="secondary">{v === null ? '—' : '0'}</Typography.Text>;
  };
  return (
    <Table<Row> size="small" bordered rowKey={(r) => r.fundingSource ?? 'total'} dataSource={budget.appendix.rows} pagination={false} scroll={{ x: true }} data-testid="budget-appendix"
      rowClassName={(r) => (r.fundingSource === null ? 'budget-total-row' : '')}
      onRow={(r) => ({ style: r.fundingSource === null ? { fontWeight: 600, background: '#fafafa' } : undefined })}
      columns={[
        { title: t('budget.source'), key: 'source', fixed: 'left', render: (_: unknown, r) => name(r) },
        ...budget.appendix.years.map((y, i) => ({
          title: String(y), key: `y${y}`,
          children: [
            { title: t('budget.plannedShort'), key: `p${y}`, align: 'right' as const, render: money((r) => r.cells[i].plannedVnd) },
            { title: t('budget.committedShort'), key: `c${y}`, align: 'right' as const, render: money((r) => r.cells[i].committedVnd) },
            { title: t('budget.disbursedShort'), key: `d${y}`, align: 'right' as const, render: money((r) => r.cells[i].disbursedVnd) },
          ],
        })),
        {
          title: t('budget.wholePeriod'), key: 'total',
          children: [
            { title: t('budget.plannedShort'), key: 'tp', align: 'right' as const, render: money((r) => r.total.plannedVnd) },
            { title: t('budget.committedShort'), key: 'tc', align: 'right' as const, render: money((r) => r.total.committedVnd) },
            { title: t('budget.disbursedShort'), key: 'td', align: 'right' as const, render: money((r) => r.total.disbursedVnd) },
            { title: t('budget.balance'), key: 'tb', align: 'right' as const, render: (_: unknown, r: Row) => balance(r) },
          ],
        },
      ]}
    />
  );
}

function EntriesList({ budget }: { budget: Budget }) {
  const { t } = useI18n();
  const phone = useIsPhone();
  type Entry = Budget['entries'][number];
  const kind = (e: Entry) => <Tag color={e.kind === 'commitment' ? 'blue' : 'green'}>{t(`budget.kind.${e.kind}`)}</Tag>;
  const what = (e: Entry) => (
    <Space direction="vertical" size={0}>
      <span>{e.description}</span>
      {e.linkLabel && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{e.supportActivityId ? t('budget.forSupport') : t('budget.forEvent')}: {e.linkLabel}</Typography.Text>}
      {e.overrideReason && <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="entry-override">{t('budget.overrideReason')}: {e.overrideReason}</Typography.Text>}
    </Space>
  );
  if (phone) {
    return <List dataSource={[...budget.entries].reverse()} locale={{ emptyText: t('budget.noEntries') }} renderItem={(e) => (
      <Card size="small" style={{ marginBottom: 8 }} data-testid="budget-entry">
        <Space wrap size={6}>{kind(e)}<b>{dong(e.amountVnd)}</b><span>{fmtDate(e.entryDate)}</span></Space>
        <div>{t(`funding.${e.fundingSource}`)}</div>{what(e)}
      </Card>
    )} />;
  }
  return (
    <Table<Entry> size="small" rowKey="id" dataSource={[...budget.entries].reverse()} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: true }} locale={{ emptyText: t('budget.noEntries') }}
      onRow={() => ({ 'data-testid': 'budget-entry' }) as never}
      columns={[
        { title: t('budget.date'), dataIndex: 'entryDate', render: (v: string) => fmtDate(v) },
        { title: t('budget.kind'), key: 'kind', render: (_: unknown, e) => kind(e) },
        { title: t('budget.source'), dataIndex: 'fundingSource', render: (v: string) => t(`funding.${v}` as never) },
        { title: t('budget.amount'), dataIndex: 'amountVnd', align: 'right' as const, render: (v: number) => dong(v) },
        { title: t('budget.description'), key: 'what', render: (_: unknown, e) => what(e) },
      ]}
    />
  );
}

/** The plan's budget: appendix 03, the entries, and (province officers) a new commitment or disbursement. */
export function BudgetTab({ plan }: { plan: Plan }) {
  const { t } = useI18n();
  const [adding, setAdding] = useState(false);
  const q = useQuery({ queryKey: ['budget', plan.id], queryFn: () => api<Budget>(`/api/programme/plans/${plan.id}/budget`) });
  const b = q.data;
  if (!b) return <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>;
  const total = b.appendix.rows[b.appendix.rows.length - 1].total;
  return (
    <div data-testid="budget">
      <Space wrap style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text data-testid="budget-summary">
          {t('budget.summary', { planned: millions(total.plannedVnd), committed: millions(total.committedVnd), disbursed: millions(total.disbursedVnd), balance: millions(total.balanceVnd) })}
        </Typography.Text>
        {b.canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="budget-add">{t('budget.add')}</Button>}
      </Space>
      <Typography.Title level={5}>{t('budget.appendixTitle')}</Typography.Title>
      <AppendixTable budget={b} />
      <Collapse ghost size="small" items={[{ key: 'rule', label: t('budget.rule'), children: <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{b.rule}</Typography.Paragraph> }]} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('budget.entries')}</Typography.Title>
      <EntriesList budget={b} />
      {adding && <BudgetEntryModal plan={plan} onClose={() => setAdding(false)} />}
    </div>
  );
}
