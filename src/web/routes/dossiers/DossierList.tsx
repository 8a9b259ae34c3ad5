import { Button, Card, Empty, Input, List, Result, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { DOSSIER_KINDS, DOSSIER_STATUSES } from '../../../shared/dossier';
import { api, ApiError, toQuery } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useIsPhone } from '../../components/hooks';
import { itemsOf, type DossierKind, type DossierStatus, type DossierSummary } from '../../contract';
import { fmtDate, fmtDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { canCreateDossier, canExportDossiers } from '../../permissions';
import { DossierStatusTag, useVocab } from '../../vocab';
import { CreateDossierModal } from './CreateDossierModal';
import type { DossierPage } from '../../../server/modules/dossiers/schema';

const PAGE_SIZE = 50;

export function MissingTag({ n }: { n: number }) {
  const { t } = useI18n();
  if (!n) return null;
  return (
    <Tag color="orange" data-testid="dossier-missing-count">
      {t('dossier.missingN', { n })}
    </Tag>
  );
}

export default function DossierList() {
  const me = useMe();
  const { t, label } = useI18n();
  const v = useVocab();
  const phone = useIsPhone();
  const nav = useNavigate();
  const [sp, setSp] = useSearchParams();
  const [createOpen, setCreateOpen] = useState(sp.get('create') === '1');
  const status = (sp.get('status') ?? undefined) as DossierStatus | undefined;
  const kind = (sp.get('kind') ?? undefined) as DossierKind | undefined;
  const q = sp.get('q') ?? '';
  const page = Number(sp.get('page') ?? 1);
  const [search, setSearch] = useState(q);
  const set = (k: string, val: string | undefined) => {
    const next = new URLSearchParams(sp);
    if (val) next.set(k, val);
    else next.delete(k);
    next.delete('create');
    if (k !== 'page') next.delete('page');
    setSp(next, { replace: true });
  };
  const { data, isLoading, isPlaceholderData, error } = useQuery({
    queryKey: ['dossiers', 'list', { status, kind, q, page }],
    queryFn: async () => {
      const r = await api<DossierPage>('/api/dossiers', { query: { status, kind, q, page, pageSize: PAGE_SIZE } });
      return { items: itemsOf(r), total: Array.isArray(r) ? r.length : r.total };
    },
    placeholderData: keepPreviousData,
  });
  if (error) return <Result status={error instanceof ApiError && error.status === 403 ? '403' : 'error'} title={error instanceof ApiError ? error.problem.title : t('error.unexpected')} subTitle={error instanceof ApiError ? error.problem.detail : undefined} />;
  const rows = data?.items ?? [];

  return (
    <>
      <PageHeader
        title={t('nav.dossiers')}
        extra={
          <>
            {canExportDossiers(me) && (
              // The list as filtered on screen, every page of it, as an Excel sheet.
              <Button data-testid="dossier-export" icon={<DownloadOutlined />} href={`/api/dossiers/export.xlsx${toQuery({ status, kind, q })}`} download>
                {t('common.exportExcel')}
              </Button>
            )}
            {canCreateDossier(me) && (
              <Button data-testid="dossier-create" type="primary" icon={<PlusOutlined />} onClick={() => setCreateOpen(true)}>
                {t('dossier.create')}
              </Button>
            )}
          </>
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select<DossierStatus>
          data-testid="dossier-filter-status"
          allowClear
          value={status}
          onChange={(x) => set('status', x)}
          placeholder={t('dossier.filter.status')}
          style={{ minWidth: 220 }}
          popupMatchSelectWidth={false}
          options={DOSSIER_STATUSES.map((s) => ({ value: s, label: v.dossierStatus(s) }))}
        />
        <Select<DossierKind>
          data-testid="dossier-filter-kind"
          allowClear
          value={kind}
          onChange={(x) => set('kind', x)}
          placeholder={t('dossier.filter.kind')}
          style={{ minWidth: 180 }}
          options={DOSSIER_KINDS.map((k) => ({ value: k, label: label('dossierKind', k) }))}
        />
        {me.role !== 'producer' && (
          <Input.Search data-testid="dossier-search" allowClear value={search} onChange={(e) => setSearch(e.target.value)} onSearch={(x) => set('q', x.trim() || undefined)} placeholder={t('dossier.search.placeholder')} style={{ width: 320, maxWidth: '100%' }} />
        )}
        <Typography.Text type="secondary">{t('common.totalN', { n: data?.total ?? 0 })}</Typography.Text>
      </Space>
      {phone ? (
        <List
          data-testid="dossier-list-compact"
          loading={isLoading}
          dataSource={rows}
          locale={{ emptyText: <Empty description={t('dossier.none')} /> }}
          pagination={data && data.total > PAGE_SIZE ? { current: page, pageSize: PAGE_SIZE, total: data.total, onChange: (p) => set('page', String(p)), size: 'small' } : undefined}
          renderItem={(d) => (
            <Card size="small" style={{ marginBottom: 8, cursor: 'pointer' }} onClick={() => nav(`/dossiers/${d.id}`)} data-testid="dossier-row">
              <Link to={`/dossiers/${d.id}`} data-testid="dossier-row-link">
                <b>{d.product.name}</b>
              </Link>
              <div style={{ fontSize: 12, color: '#666' }}>
                {d.producer.legalName} · {label('dossierKind', d.kind)}
              </div>
              <Space wrap size={4} style={{ marginTop: 4 }}>
                <DossierStatusTag status={d.status} />
                <MissingTag n={d.missingCount} />
              </Space>
              <div style={{ fontSize: 12, color: '#888', marginTop: 4 }}>
                {d.intakeUnit.name} · {t('common.updatedAt')} {fmtDateTime(d.updatedAt)}
              </div>
            </Card>
          )}
        />
      ) : (
        <Table<DossierSummary>
          data-testid="dossier-table"
          rowKey="id"
          size="small"
          loading={isLoading || isPlaceholderData}
          dataSource={rows}
          pagination={data && data.total > PAGE_SIZE ? { current: page, pageSize: PAGE_SIZE, total: data.total, showSizeChanger: false, onChange: (p) => set('page', String(p)) } : false}
          scroll={{ x: 1000 }}
          locale={{ emptyText: <Empty description={t('dossier.none')} /> }}
          onRow={() => ({ 'data-testid': 'dossier-row' }) as never}
          columns={[
            {
              title: t('dossier.product'),
              render: (_, d) => (
                <Link to={`/dossiers/${d.id}`} data-testid="dossier-row-link">
                  {d.product.name}
                </Link>
              ),
            },
            { title: t('dossier.producer'), render: (_, d) => d.producer.legalName },
            { title: t('dossier.kind'), render: (_, d) => label('dossierKind', d.kind) + (d.targetStar ? ` · ${t('product.starsN', { n: d.targetStar })}` : '') },
            {
              title: t('dossier.status'),
              render: (_, d) => (
                <Space wrap size={4}>
                  <DossierStatusTag status={d.status} />
                  <MissingTag n={d.missingCount} />
                </Space>
              ),
            },
            { title: t('dossier.intakeUnit'), render: (_, d) => d.intakeUnit.name },
            { title: t('dossier.submittedAt'), dataIndex: 'submittedAt', render: fmtDate, width: 110 },
            { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: fmtDateTime, width: 140 },
          ]}
        />
      )}
      <CreateDossierModal open={createOpen} onClose={() => setCreateOpen(false)} />
    </>
  );
}
