import { Button, Empty, List, Result, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { api, ApiError } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useIsPhone } from '../../components/hooks';
import { fmtDate, fmtDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { canManageRounds } from '../../permissions';
import { RoundStatusTag, type Round } from './common';

export default function RoundList() {
  const me = useMe();
  const { t, label } = useI18n();
  const nav = useNavigate();
  const phone = useIsPhone();
  const { data, isLoading, error } = useQuery({ queryKey: ['rounds', 'list'], queryFn: () => api<Round[]>('/api/rounds') });
  if (error) return <Result status={error instanceof ApiError && error.status === 403 ? '403' : 'error'} title={error instanceof ApiError ? error.problem.title : t('error.unexpected')} />;

  const rows = data ?? [];
  return (
    <>
      <PageHeader
        title={t('nav.rounds')}
        extra={
          canManageRounds(me) && (
            <Button data-testid="round-create" type="primary" icon={<PlusOutlined />} onClick={() => nav('/rounds/new')}>
              {t('round.create')}
            </Button>
          )
        }
      />
      {phone ? (
        <List
          data-testid="round-list-compact"
          loading={isLoading}
          dataSource={rows}
          locale={{ emptyText: <Empty description={t('round.none')} /> }}
          renderItem={(r) => (
            <List.Item onClick={() => nav(`/rounds/${r.id}`)} style={{ cursor: 'pointer' }}>
              <List.Item.Meta
                title={<Link to={`/rounds/${r.id}`}>{r.name}</Link>}
                description={
                  <>
                    <RoundStatusTag status={r.status} /> {label('roundLevel', r.level)} · {r.unit.name} · {t('round.productsN', { n: r.productCount })}
                    {r.myRole && <Tag style={{ marginInlineStart: 6 }}>{label('memberRole', r.myRole)}</Tag>}
                  </>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        <Table<Round>
          data-testid="round-table"
          rowKey="id"
          loading={isLoading}
          dataSource={rows}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t('round.none')} /> }}
          columns={[
            {
              title: t('round.name'),
              dataIndex: 'name',
              render: (v: string, r) => (
                <>
                  <Link to={`/rounds/${r.id}`} data-testid="round-row-link">
                    {v}
                  </Link>
                  {r.criteriaSet.isDemo && <Tag color="orange" style={{ marginInlineStart: 6 }}>{t('common.demo')}</Tag>}
                </>
              ),
            },
            { title: t('round.level'), dataIndex: 'level', render: (v: string) => label('roundLevel', v) },
            { title: t('round.unit'), render: (_, r) => r.unit.name },
            { title: t('round.criteriaSet'), render: (_, r) => r.criteriaSet.name, ellipsis: true },
            { title: t('round.dates'), render: (_, r) => (r.startsOn || r.endsOn ? `${fmtDate(r.startsOn)} – ${fmtDate(r.endsOn)}` : '—') },
            { title: t('round.products'), dataIndex: 'productCount', align: 'right' },
            { title: t('round.myRole'), dataIndex: 'myRole', render: (v: string | null) => (v ? <Tag>{label('memberRole', v)}</Tag> : <Typography.Text type="secondary">—</Typography.Text>) },
            { title: t('round.status'), dataIndex: 'status', render: (v: Round['status'], r) => <><RoundStatusTag status={v} />{r.finalisedAt && <div style={{ fontSize: 12, color: '#888' }}>{fmtDateTime(r.finalisedAt)}</div>}</> },
          ]}
        />
      )}
    </>
  );
}
