import { Button, Card, Col, Input, List, Result, Row, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import type { Producer } from '../../../server/modules/producers/schema';
import { api, type Paged } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { useIsPhone } from '../../components/hooks';
import { UnitTreeSelect } from '../../components/pickers';
import { PRODUCER_KINDS } from '../../enums';
import { fmtDate } from '../../format';
import { useI18n } from '../../i18n';
import { canCreateProducer, canReadProducersList } from '../../permissions';

type SortKey = 'name' | 'updatedAt' | 'registrationNumber';

export default function ProducerList() {
  const me = useMe();
  const { t, label } = useI18n();
  const phone = useIsPhone();
  const nav = useNavigate();
  const showError = useShowError();
  const [sp, setSp] = useSearchParams();
  const filters = {
    q: sp.get('q') ?? '',
    kind: (sp.get('kind') ?? '').split(',').filter(Boolean),
    unitId: sp.get('unitId') ? Number(sp.get('unitId')) : undefined,
    sort: (sp.get('sort') as SortKey) ?? 'name',
    dir: (sp.get('dir') as 'asc' | 'desc') ?? 'asc',
    page: Number(sp.get('page') ?? 1),
    pageSize: Number(sp.get('pageSize') ?? 20),
  };
  const update = (patch: Partial<typeof filters>, resetPage = true) => {
    const next: Record<string, unknown> = { ...filters, ...(resetPage ? { page: 1 } : {}), ...patch };
    const out = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === '' || (Array.isArray(v) && !v.length)) continue;
      out.set(k, Array.isArray(v) ? v.join(',') : String(v));
    }
    setSp(out, { replace: true });
  };
  const [search, setSearch] = useState(filters.q);
  useEffect(() => setSearch(filters.q), [filters.q]);

  const allowed = canReadProducersList(me);
  const { data, isFetching, error } = useQuery({
    queryKey: ['producers', 'list', filters],
    queryFn: () => api<Paged<Producer>>('/api/producers', { query: filters }),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });
  useEffect(() => {
    if (error) showError(error);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [error]);

  if (!allowed) return me.producerId ? <Navigate to={`/producers/${me.producerId}`} replace /> : <Result status="403" title={t('error.forbidden')} />;
  const order = (k: SortKey) => (filters.sort === k ? (filters.dir === 'desc' ? 'descend' : 'ascend') : null);

  return (
    <>
      <PageHeader
        title={t('nav.producers')}
        extra={
          canCreateProducer(me) && (
            <Button data-testid="producer-create" type="primary" icon={<PlusOutlined />} onClick={() => nav('/producers/new')}>
              {t('producer.create')}
            </Button>
          )
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Row gutter={[12, 12]}>
          <Col xs={24} md={10}>
            <Input.Search
              data-testid="producer-search"
              allowClear
              enterButton
              placeholder={t('producer.search.placeholder')}
              value={search}
              onChange={(e) => {
                setSearch(e.target.value);
                if (!e.target.value) update({ q: '' });
              }}
              onSearch={(v) => update({ q: v.trim() })}
            />
          </Col>
          <Col xs={24} sm={12} md={7}>
            <Select
              data-testid="filter-kind"
              mode="multiple"
              allowClear
              maxTagCount="responsive"
              placeholder={t('producer.kind')}
              value={filters.kind}
              onChange={(v: string[]) => update({ kind: v })}
              options={PRODUCER_KINDS.map((k) => ({ value: k, label: label('producerKind', k) }))}
              style={{ width: '100%' }}
            />
          </Col>
          <Col xs={24} sm={12} md={7}>
            <UnitTreeSelect data-testid="filter-unit" value={filters.unitId} onChange={(v) => update({ unitId: v })} />
          </Col>
        </Row>
      </Card>
      {phone ? (
        <List<Producer>
          loading={isFetching}
          dataSource={data?.items ?? []}
          pagination={{ current: filters.page, pageSize: filters.pageSize, total: data?.total ?? 0, simple: true, size: 'small', onChange: (page) => update({ page }, false) }}
          renderItem={(p) => (
            <List.Item key={p.id} data-testid="producer-row" onClick={() => nav(`/producers/${p.id}`)} style={{ cursor: 'pointer', background: '#fff', padding: 12, marginBottom: 8, borderRadius: 8 }}>
              <List.Item.Meta
                title={<Link to={`/producers/${p.id}`}>{p.legalName}</Link>}
                description={`${label('producerKind', p.kind)} · ${p.registrationNumber} · ${p.unit.name} · ${t('producer.productCountN', { n: p.productCount })}`}
              />
            </List.Item>
          )}
        />
      ) : (
        <Table<Producer>
          data-testid="producer-table"
          rowKey="id"
          loading={isFetching}
          dataSource={data?.items ?? []}
          scroll={{ x: 900 }}
          onChange={(pg, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const sort = s?.order ? (s.columnKey as SortKey) : 'name';
            const dir = s?.order === 'descend' ? 'desc' : 'asc';
            update({ page: sort !== filters.sort || dir !== filters.dir ? 1 : (pg.current ?? 1), pageSize: pg.pageSize ?? 20, sort, dir }, false);
          }}
          pagination={{ current: filters.page, pageSize: filters.pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (n) => t(data?.totalCapped ? 'common.totalCappedN' : 'common.totalN', { n: n.toLocaleString('vi-VN') }) }}
          columns={[
            {
              key: 'name',
              title: t('producer.legalName'),
              sorter: true,
              sortOrder: order('name'),
              render: (_, p) => (
                <>
                  <Link data-testid="producer-row-link" to={`/producers/${p.id}`}>
                    {p.legalName}
                  </Link>
                  {p.shortName && <Typography.Text type="secondary"> ({p.shortName})</Typography.Text>}
                  {p.isDemo && <Tag style={{ marginLeft: 6 }}>{t('common.demo')}</Tag>}
                </>
              ),
            },
            { key: 'kind', title: t('producer.kind'), render: (_, p) => label('producerKind', p.kind) },
            { key: 'registrationNumber', title: t('producer.registrationNumber'), sorter: true, sortOrder: order('registrationNumber'), dataIndex: 'registrationNumber' },
            { key: 'unit', title: t('producer.unit'), render: (_, p) => `${label('unitType', p.unit.type)} ${p.unit.name}` },
            { key: 'productCount', title: t('producer.products'), dataIndex: 'productCount', width: 100 },
            { key: 'updatedAt', title: t('common.updatedAt'), sorter: true, sortOrder: order('updatedAt'), width: 120, render: (_, p) => fmtDate(p.updatedAt) },
          ]}
        />
      )}
    </>
  );
}
