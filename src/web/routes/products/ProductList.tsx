import { Button, Card, Col, Empty, Input, List, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, FilterOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { ProductSummary } from '../../../server/modules/products/schema';
import { api, toQuery, type Paged } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { useIsPhone } from '../../components/hooks';
import { TaxonomySelect, UnitTreeSelect } from '../../components/pickers';
import { Stars } from '../../components/Stars';
import { CERTIFICATION_TYPES, CHANNEL_KINDS, PRODUCER_KINDS } from '../../enums';
import { fmtDate } from '../../format';
import { useI18n } from '../../i18n';
import { canCreateProduct, canExport, canImport } from '../../permissions';

type SortKey = 'name' | 'stars' | 'recognitionYear' | 'updatedAt' | 'producer';
type ListKey = 'stars' | 'producerKind' | 'certification' | 'channel';

/** Filters live in the address bar: a filtered list can be bookmarked, shared and exported as seen. */
function useFilters() {
  const [sp, setSp] = useSearchParams();
  const list = (k: string) => (sp.get(k) ?? '').split(',').filter(Boolean);
  const filters = {
    q: sp.get('q') ?? '',
    stars: list('stars'),
    taxonomyNodeId: sp.get('taxonomyNodeId') ? Number(sp.get('taxonomyNodeId')) : undefined,
    unitId: sp.get('unitId') ? Number(sp.get('unitId')) : undefined,
    producerId: sp.get('producerId') ?? undefined,
    producerKind: list('producerKind'),
    certification: list('certification'),
    channel: list('channel'),
    sort: (sp.get('sort') as SortKey) ?? 'name',
    dir: (sp.get('dir') as 'asc' | 'desc') ?? 'asc',
    page: Number(sp.get('page') ?? 1),
    pageSize: Number(sp.get('pageSize') ?? 20),
  };
  const update = (patch: Partial<Record<keyof typeof filters, unknown>>, resetPage = true) => {
    const next = { ...filters, ...(resetPage ? { page: 1 } : {}), ...patch } as Record<string, unknown>;
    const out = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v)) {
        if (v.length) out.set(k, v.join(','));
      } else if (!(k === 'sort' && v === 'name') && !(k === 'dir' && v === 'asc') && !(k === 'page' && v === 1) && !(k === 'pageSize' && v === 20)) out.set(k, String(v));
    }
    setSp(out, { replace: true });
  };
  return { filters, update };
}

export default function ProductList() {
  const me = useMe();
  const { t, label } = useI18n();
  const phone = useIsPhone();
  const nav = useNavigate();
  const showError = useShowError();
  const { filters, update } = useFilters();
  const [search, setSearch] = useState(filters.q);
  const [showFilters, setShowFilters] = useState(false);
  const activeFilters = [filters.stars.length, filters.taxonomyNodeId, filters.unitId, filters.producerKind.length, filters.certification.length, filters.channel.length].filter(Boolean).length;
  useEffect(() => setSearch(filters.q), [filters.q]);
  const filtered = activeFilters > 0 || !!filters.q;
  // An empty answer says why and offers the way back (not antd's bare "Trống").
  const empty = (
    <Empty data-testid="product-list-empty" image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? t('table.noMatch') : t('product.empty')}>
      {filtered && (
        <Button data-testid="product-clear-filters" onClick={() => update({ q: '', stars: [], taxonomyNodeId: undefined, unitId: undefined, producerKind: [], certification: [], channel: [] })}>
          {t('table.clearFilters')}
        </Button>
      )}
    </Empty>
  );

  const { data, isFetching, error } = useQuery({
    queryKey: ['products', 'list', filters],
    queryFn: () => api<Paged<ProductSummary>>('/api/products', { query: filters }),
    placeholderData: keepPreviousData,
  });
  useEffect(() => {
    if (error) showError(error);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [error]);

  const { page: _p, pageSize: _ps, ...exportFilters } = filters;
  const exportUrl = `/api/products/export.xlsx${toQuery(exportFilters)}`;
  const multi = (key: ListKey, values: readonly string[], group: string, testid: string, placeholder: string) => (
    <Select
      data-testid={testid}
      mode="multiple"
      allowClear
      maxTagCount="responsive"
      placeholder={placeholder}
      value={filters[key]}
      onChange={(v: string[]) => update({ [key]: v })}
      options={values.map((v) => ({ value: v, label: group === 'stars' ? (v === '0' ? t('product.notRecognised') : t('product.starsN', { n: v })) : label(group, v) }))}
      style={{ width: '100%' }}
    />
  );

  return (
    <>
      <PageHeader
        title={t('nav.products')}
        extra={
          <>
            {canImport(me) && (
              <Link to="/import">
                <Button data-testid="import-link" icon={<UploadOutlined />}>
                  {t('product.import')}
                </Button>
              </Link>
            )}
            {canExport(me) && (
              <Button data-testid="export-excel" icon={<DownloadOutlined />} href={exportUrl} download>
                {t('common.exportExcel')}
              </Button>
            )}
            {canCreateProduct(me) && (
              <Button data-testid="product-create" type="primary" icon={<PlusOutlined />} onClick={() => nav('/products/new')}>
                {t('product.create')}
              </Button>
            )}
          </>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Row gutter={[12, 12]}>
          <Col xs={24} md={12} lg={8}>
            <Input.Search
              data-testid="product-search"
              allowClear
              placeholder={t('product.search.placeholder')}
              value={search}
              onChange={(e) => {
                setSearch(e.target.value);
                if (!e.target.value) update({ q: '' });
              }}
              onSearch={(v) => update({ q: v.trim() })}
              enterButton
            />
          </Col>
          {phone && (
            <Col xs={24}>
              <Button data-testid="filters-toggle" block icon={<FilterOutlined />} onClick={() => setShowFilters((v) => !v)}>
                {t('common.filters')}
                {activeFilters ? ` (${activeFilters})` : ''}
              </Button>
            </Col>
          )}
          {(!phone || showFilters) && (
          <>
          <Col xs={24} sm={12} lg={4}>
            {multi('stars', ['5', '4', '3', '0'], 'stars', 'filter-stars', t('product.filter.stars'))}
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <TaxonomySelect data-testid="filter-taxonomy" anyNode value={filters.taxonomyNodeId} onChange={(v) => update({ taxonomyNodeId: v })} placeholder={t('product.filter.taxonomy')} />
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <UnitTreeSelect data-testid="filter-unit" value={filters.unitId} onChange={(v) => update({ unitId: v })} />
          </Col>
          <Col xs={24} sm={12} lg={6}>
            {multi('producerKind', PRODUCER_KINDS, 'producerKind', 'filter-producer-kind', t('product.filter.producerKind'))}
          </Col>
          <Col xs={24} sm={12} lg={6}>
            {multi('certification', CERTIFICATION_TYPES, 'certificationType', 'filter-certification', t('product.filter.certification'))}
          </Col>
          <Col xs={24} sm={12} lg={6}>
            {multi('channel', CHANNEL_KINDS, 'channelKind', 'filter-channel', t('product.filter.channel'))}
          </Col>
          <Col xs={24} lg={6} style={{ display: 'flex', alignItems: 'center' }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {filters.unitId ? t('unit.filter.predecessorsNote') : t('product.filter.hint')}
            </Typography.Text>
          </Col>
          </>
          )}
        </Row>
      </Card>

      {phone ? (
        <List<ProductSummary>
          data-testid="product-list-compact"
          loading={isFetching}
          locale={{ emptyText: empty }}
          dataSource={data?.items ?? []}
          pagination={{
            current: filters.page,
            pageSize: filters.pageSize,
            total: data?.total ?? 0,
            size: 'small',
            simple: true,
            onChange: (page) => update({ page }, false),
          }}
          renderItem={(p) => (
            <List.Item key={p.id} data-testid="product-row" onClick={() => nav(`/products/${p.id}`)} style={{ cursor: 'pointer', background: '#fff', padding: 12, marginBottom: 8, borderRadius: 8 }}>
              <List.Item.Meta
                avatar={p.thumbnailUrl ? <img src={p.thumbnailUrl} alt="" width={56} height={56} style={{ objectFit: 'cover', borderRadius: 6 }} /> : undefined}
                title={<Link to={`/products/${p.id}`}>{p.name}</Link>}
                description={
                  <Space orientation="vertical" size={0}>
                    <span>{p.producer.legalName}</span>
                    <span>
                      <Stars value={p.stars} expired={p.expiredStars} /> {p.recognitionYear ?? ''} · {p.unit.name}
                    </span>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        <Table<ProductSummary>
          data-testid="product-table"
          rowKey="id"
          size="middle"
          loading={isFetching}
          locale={{ emptyText: empty }}
          dataSource={data?.items ?? []}
          scroll={{ x: 1000 }}
          onChange={(pg, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const sort = (s?.order ? (s.columnKey as SortKey) : 'name') ?? 'name';
            const dir = s?.order === 'descend' ? 'desc' : 'asc';
            const sortChanged = sort !== filters.sort || dir !== filters.dir;
            update({ page: sortChanged ? 1 : pg.current, pageSize: pg.pageSize, sort, dir }, false);
          }}
          pagination={{
            current: filters.page,
            pageSize: filters.pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (n) => t(data?.totalCapped ? 'common.totalCappedN' : 'common.totalN', { n: n.toLocaleString('vi-VN') }),
          }}
          columns={[
            {
              key: 'name',
              title: t('product.name'),
              sorter: true,
              sortOrder: filters.sort === 'name' ? (filters.dir === 'desc' ? 'descend' : 'ascend') : null,
              render: (_, p) => (
                <Space>
                  {p.thumbnailUrl && <img src={p.thumbnailUrl} alt="" width={36} height={36} style={{ objectFit: 'cover', borderRadius: 4 }} />}
                  <Link data-testid="product-row-link" to={`/products/${p.id}`}>
                    {p.name}
                  </Link>
                  {p.keyProduct && <Tag color="gold">{t('product.key')}</Tag>}
                  {p.isDemo && <Tag>{t('common.demo')}</Tag>}
                </Space>
              ),
            },
            {
              key: 'producer',
              title: t('product.producer'),
              sorter: true,
              sortOrder: filters.sort === 'producer' ? (filters.dir === 'desc' ? 'descend' : 'ascend') : null,
              render: (_, p) => (
                <>
                  <Link to={`/producers/${p.producer.id}`}>{p.producer.legalName}</Link>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {label('producerKind', p.producer.kind)}
                    </Typography.Text>
                  </div>
                </>
              ),
            },
            { key: 'taxonomy', title: t('product.taxonomy'), render: (_, p) => <span title={p.taxonomy.path}>{p.taxonomy.code} {p.taxonomy.name}</span> },
            { key: 'unit', title: t('product.unit'), render: (_, p) => `${label('unitType', p.unit.type)} ${p.unit.name}` },
            { key: 'stars', title: t('product.stars'), sorter: true, width: 130, sortOrder: filters.sort === 'stars' ? (filters.dir === 'desc' ? 'descend' : 'ascend') : null, render: (_, p) => <Stars value={p.stars} expired={p.expiredStars} /> },
            { key: 'recognitionYear', title: t('product.recognitionYear'), sorter: true, width: 110, sortOrder: filters.sort === 'recognitionYear' ? (filters.dir === 'desc' ? 'descend' : 'ascend') : null, render: (_, p) => p.recognitionYear ?? '—' },
            { key: 'updatedAt', title: t('common.updatedAt'), sorter: true, width: 120, sortOrder: filters.sort === 'updatedAt' ? (filters.dir === 'desc' ? 'descend' : 'ascend') : null, render: (_, p) => fmtDate(p.updatedAt) },
          ]}
        />
      )}
    </>
  );
}
