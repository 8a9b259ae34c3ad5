import { Button, Card, Empty, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api, type Paged } from '../../api';
import { useMe } from '../../auth';
import type { Lot } from '../../contract';
import { fmtDate } from '../../format';
import { useI18n } from '../../i18n';
import { canWriteLot } from '../../permissions';
import { fmtQuantity } from './LotList';

const SHOWN = 10;

/** "Lô hàng & truy xuất" on a product page: its newest lots and a way to start one. */
export function ProductLots({ product }: { product: { id: string; producer: { id: string } } }) {
  const me = useMe();
  const { t, label } = useI18n();
  const { data, isLoading } = useQuery({
    queryKey: ['lots', 'list', { productId: product.id, page: 1, pageSize: SHOWN }],
    queryFn: () => api<Paged<Lot>>('/api/lots', { query: { productId: product.id, pageSize: SHOWN } }),
  });
  const total = data?.total ?? 0;
  return (
    <Card
      size="small"
      data-testid="product-lots"
      title={t('trace.product.lotsTitle')}
      extra={
        <>
          {total > SHOWN && <Link to={`/lots?productId=${product.id}`} style={{ marginRight: 12 }}>{t('trace.product.allLots', { n: total })}</Link>}
          {canWriteLot(me, product.producer.id) && (
            <Link to={`/lots/new?productId=${product.id}`} data-testid="product-lot-create">
              <Button size="small" type="primary" icon={<PlusOutlined />}>
                {t('trace.lot.create')}
              </Button>
            </Link>
          )}
        </>
      }
    >
      <Table<Lot>
        size="small"
        rowKey="id"
        loading={isLoading}
        pagination={false}
        dataSource={data?.items ?? []}
        scroll={{ x: true }}
        locale={{ emptyText: <Empty description={t('trace.product.noLots')} /> }}
        columns={[
          { title: t('trace.lot.lotNumber'), dataIndex: 'lotNumber', render: (n: string, l) => <Link to={`/lots/${l.id}`}><b>{n}</b></Link> },
          { title: t('trace.lot.producedOn'), dataIndex: 'producedOn', render: fmtDate },
          { title: t('trace.lot.quantity'), render: (_, l) => fmtQuantity(l.quantity, l.quantityUnit, label) },
          { title: t('nav.growingAreas'), render: (_, l) => (l.growingAreas.length ? l.growingAreas.map((a) => <Tag key={a.id}>{a.code}</Tag>) : '—') },
          { title: t('trace.lot.events'), dataIndex: 'eventCount', align: 'right' },
        ]}
      />
    </Card>
  );
}
