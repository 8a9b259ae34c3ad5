import { Button, Card, Descriptions, Result, Table, Tabs, Tag } from 'antd';
import { EditOutlined, FolderOpenOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { Producer } from '../../../server/modules/producers/schema';
import type { ProductSummary } from '../../../server/modules/products/schema';
import { api, ApiError, type Paged } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { HistoryView } from '../../components/HistoryView';
import { PageSpinner } from '../../components/PageSpinner';
import { Stars } from '../../components/Stars';
import { fmtDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { canCreateProduct, canEditProducer, canReadProducersList } from '../../permissions';
import { safeHref } from '../../../shared/url';
import { Gs1PrefixesTab } from './Gs1Prefixes';

export default function ProducerDetail() {
  const { id = '' } = useParams();
  const me = useMe();
  const { t, label } = useI18n();
  const nav = useNavigate();
  const { data: p, isLoading, error } = useQuery({ queryKey: ['producers', id], queryFn: () => api<Producer>(`/api/producers/${id}`) });
  const products = useQuery({
    queryKey: ['products', 'list', { producerId: id }],
    queryFn: () => api<Paged<ProductSummary>>('/api/products', { query: { producerId: id, pageSize: 100 } }),
    enabled: !!p,
  });

  if (isLoading) return <PageSpinner />;
  if (error || !p) return <Result status={error instanceof ApiError && error.status === 403 ? '403' : '404'} title={error instanceof ApiError ? error.problem.title : t('error.notFound')} />;
  const v = (x: string | number | null) => (x === null || x === '' ? '—' : x);

  return (
    <>
      <PageHeader
        back={canReadProducersList(me) ? '/producers' : '/products'}
        title={<span data-testid="producer-title">{p.legalName}</span>}
        extra={
          <>
            {canEditProducer(me, p.id) && (
              <Button data-testid="producer-evidence" icon={<FolderOpenOutlined />} onClick={() => nav(`/producers/${p.id}/evidence`)}>
                {t('nav.evidence')}
              </Button>
            )}
            {canEditProducer(me, p.id) && (
              <Button data-testid="producer-edit" icon={<EditOutlined />} onClick={() => nav(`/producers/${p.id}/edit`)}>
                {t('common.edit')}
              </Button>
            )}
            {canCreateProduct(me) && (me.role !== 'producer' || me.producerId === p.id) && (
              <Button data-testid="producer-add-product" type="primary" icon={<PlusOutlined />} onClick={() => nav(`/products/new?producerId=${p.id}`)}>
                {t('product.create')}
              </Button>
            )}
          </>
        }
      />
      <Tabs
        items={[
          {
            key: 'info',
            label: t('common.info'),
            children: (
              <Card size="small">
                <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
                  <Descriptions.Item label={t('producer.legalName')}>{p.legalName}</Descriptions.Item>
                  <Descriptions.Item label={t('producer.shortName')}>{v(p.shortName)}</Descriptions.Item>
                  <Descriptions.Item label={t('producer.kind')}>{label('producerKind', p.kind)}</Descriptions.Item>
                  <Descriptions.Item label={t('producer.registrationNumber')}>{p.registrationNumber}</Descriptions.Item>
                  <Descriptions.Item label={t('producer.unit')}>
                    {label('unitType', p.unit.type)} {p.unit.name} {p.unit.code ? `(${p.unit.code})` : ''}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('producer.address')}>{v(p.address)}</Descriptions.Item>
                  <Descriptions.Item label={t('producer.representative')}>
                    {v(p.representative)} {p.representativeTitle ? `· ${p.representativeTitle}` : ''}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('producer.phone')}>{v(p.phone)}</Descriptions.Item>
                  <Descriptions.Item label={t('producer.email')}>{v(p.email)}</Descriptions.Item>
                  <Descriptions.Item label={t('producer.website')}>
                    {safeHref(p.website) ? (
                      <a href={safeHref(p.website)} target="_blank" rel="noreferrer">
                        {p.website}
                      </a>
                    ) : (
                      v(p.website)
                    )}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('producer.foundedYear')}>{v(p.foundedYear)}</Descriptions.Item>
                  <Descriptions.Item label={t('producer.memberCount')}>{v(p.memberCount)}</Descriptions.Item>
                  <Descriptions.Item label={t('producer.workerCount')}>{v(p.workerCount)}</Descriptions.Item>
                  <Descriptions.Item label={t('producer.craftVillageRef')}>
                    <span data-testid="producer-craft-village">{p.craftVillageRef ? p.craftVillageRef.name : '—'}</span>
                    {p.craftVillageRef?.isDemo && <Tag color="gold" style={{ marginInlineStart: 6 }}>{t('common.demo')}</Tag>}
                  </Descriptions.Item>
                  {p.craftVillage && <Descriptions.Item label={t('producer.craftVillageNote')}>{p.craftVillage}</Descriptions.Item>}
                  <Descriptions.Item label={t('producer.notes')} span={2}>
                    <span style={{ whiteSpace: 'pre-wrap' }}>{v(p.notes)}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('common.updatedAt')}>{fmtDateTime(p.updatedAt)}</Descriptions.Item>
                  {p.isDemo && (
                    <Descriptions.Item label={t('common.demo')}>
                      <Tag>{t('common.demo')}</Tag>
                    </Descriptions.Item>
                  )}
                  {p.sources.length > 0 && (
                    <Descriptions.Item label={t('common.sources')} span={2}>
                      {p.sources.map((s) => (
                        <div key={s}>
                          <a href={s} target="_blank" rel="noreferrer">
                            {s}
                          </a>
                        </div>
                      ))}
                    </Descriptions.Item>
                  )}
                </Descriptions>
              </Card>
            ),
          },
          {
            key: 'gs1',
            label: t('gs1.prefixes.title'),
            children: <Gs1PrefixesTab producerId={p.id} />,
          },
          {
            key: 'products',
            label: `${t('producer.products')} (${p.productCount})`,
            children: (
              <Table<ProductSummary>
                size="small"
                rowKey="id"
                loading={products.isLoading}
                dataSource={products.data?.items ?? []}
                pagination={false}
                scroll={{ x: true }}
                columns={[
                  { title: t('product.name'), render: (_, x) => <Link to={`/products/${x.id}`}>{x.name}</Link> },
                  { title: t('product.taxonomy'), render: (_, x) => `${x.taxonomy.code} ${x.taxonomy.name}` },
                  { title: t('product.stars'), render: (_, x) => <Stars value={x.stars} /> },
                  { title: t('product.recognitionYear'), render: (_, x) => x.recognitionYear ?? '—' },
                ]}
              />
            ),
          },
          { key: 'history', label: t('history.tab'), children: <HistoryView url={`/api/producers/${p.id}/history`} /> },
        ]}
      />
    </>
  );
}
