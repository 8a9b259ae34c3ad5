import { Card, DatePicker, Descriptions, Drawer, Input, List, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import type { z } from 'zod';
import type { ZUnitDetail } from '../../../server/modules/geo/schema';
import { api } from '../../api';
import { PageHeader } from '../../components/AppLayout';
import { MapBoundaryImport } from '../../components/MapBoundaryImport';
import { useMe } from '../../auth';
import { isProvinceWide } from '../../permissions';
import { useIsPhone } from '../../components/hooks';
import { useUnits, type Unit } from '../../data';
import { DATE_FORMAT, fmtDate, todayDay } from '../../format';
import { useI18n } from '../../i18n';
import { normalizeForSearch } from '../../../shared/text';

type UnitDetail = z.infer<typeof ZUnitDetail>;
type Row = Unit & { children?: Row[] };


function toTree(units: Unit[], q: string): Row[] {
  const byId = new Map<number, Row>(units.map((u) => [u.id, { ...u }]));
  const roots: Row[] = [];
  for (const u of units) {
    const row = byId.get(u.id)!;
    const parent = u.parentId != null ? byId.get(u.parentId) : undefined;
    if (parent) (parent.children ??= []).push(row);
    else roots.push(row);
  }
  const sort = (rows: Row[]) => {
    rows.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    rows.forEach((r) => r.children && sort(r.children));
  };
  sort(roots);
  if (!q) return roots;
  const nq = normalizeForSearch(q);
  // Keep a branch if it or any descendant matches the search.
  const filter = (rows: Row[]): Row[] =>
    rows.flatMap((r) => {
      const kids = r.children ? filter(r.children) : [];
      if (normalizeForSearch(r.name).includes(nq) || r.code?.includes(q)) return [{ ...r }];
      return kids.length ? [{ ...r, children: kids }] : [];
    });
  return filter(roots);
}

export default function UnitsPage() {
  const { t, label } = useI18n();
  const phone = useIsPhone();
  const me = useMe();
  const [asOf, setAsOf] = useState<Dayjs>(todayDay());
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const asOfIso = asOf.format('YYYY-MM-DD');
  const { data, isLoading } = useUnits({ asOf: asOfIso });
  const tree = useMemo(() => toTree(data ?? [], q.trim()), [data, q]);
  const detail = useQuery({ queryKey: ['geo', 'unit', selected], queryFn: () => api<UnitDetail>(`/api/geo/units/${selected}`), enabled: selected !== null });

  const codeCell = (u: Unit) => (
    <Space size={4}>
      <span>{u.code ?? '—'}</span>
      {u.codeStatus !== 'official' && <Tag color={u.codeStatus === 'inferred' ? 'orange' : 'default'}>{label('codeStatus', u.codeStatus)}</Tag>}
    </Space>
  );
  const validity = (u: { validFrom: string | null; validTo: string | null }) => `${u.validFrom ? fmtDate(u.validFrom) : '…'} → ${u.validTo ? fmtDate(u.validTo) : '…'}`;

  return (
    <>
      <PageHeader title={t('nav.units')} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap>
          <span>{t('unit.asOf')}</span>
          <DatePicker data-testid="units-as-of" value={asOf} onChange={(d) => d && setAsOf(d)} format={DATE_FORMAT} allowClear={false} />
          <Input.Search data-testid="units-search" allowClear placeholder={t('unit.search')} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 260 }} />
          <Typography.Text type="secondary">{t('unit.countN', { n: data?.length ?? 0, date: fmtDate(asOfIso) })}</Typography.Text>
        </Space>
      </Card>
      {isProvinceWide(me) && <MapBoundaryImport />}
      <Table<Row>
        key={`${asOfIso}|${q}|${data?.length ?? 0}`}
        data-testid="units-tree"
        rowKey="id"
        size="small"
        loading={isLoading}
        dataSource={tree}
        pagination={false}
        expandable={{ defaultExpandAllRows: !!q || (data?.length ?? 0) < 150 }}
        onRow={(u) => ({ onClick: () => setSelected(u.id), style: { cursor: 'pointer' } })}
        scroll={{ x: phone ? 600 : undefined }}
        columns={[
          { title: t('unit.name'), key: 'name', render: (_, u) => <span data-testid="unit-row">{`${label('unitType', u.type)} ${u.name}`}</span> },
          { title: t('unit.code'), key: 'code', width: 160, render: (_, u) => codeCell(u) },
          { title: t('unit.validity'), key: 'validity', width: 220, render: (_, u) => validity(u) },
        ]}
      />
      <Drawer open={selected !== null} onClose={() => setSelected(null)} size={phone ? '100%' : 520} title={detail.data ? `${label('unitType', detail.data.type)} ${detail.data.name}` : t('common.loading')} loading={detail.isLoading}>
        {detail.data && (
          <div data-testid="unit-detail">
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('unit.type')}>{label('unitType', detail.data.type)}</Descriptions.Item>
              <Descriptions.Item label={t('unit.code')}>{codeCell(detail.data)}</Descriptions.Item>
              <Descriptions.Item label={t('unit.key')}>{detail.data.key}</Descriptions.Item>
              <Descriptions.Item label={t('unit.validity')}>{validity(detail.data)}</Descriptions.Item>
              <Descriptions.Item label={t('unit.parent')}>
                {detail.data.parent ? (
                  <a onClick={() => setSelected(detail.data!.parent!.id)}>{`${label('unitType', detail.data.parent.type)} ${detail.data.parent.name}`}</a>
                ) : (
                  '—'
                )}
              </Descriptions.Item>
              {detail.data.note && <Descriptions.Item label={t('unit.note')}>{detail.data.note}</Descriptions.Item>}
              {detail.data.source && <Descriptions.Item label={t('unit.source')}>{detail.data.source}</Descriptions.Item>}
            </Descriptions>
            {(['predecessors', 'successors'] as const).map((k) => (
              <div key={k} style={{ marginTop: 16 }}>
                <Typography.Title level={5}>{t(`unit.${k}`)}</Typography.Title>
                <List
                  size="small"
                  bordered
                  dataSource={detail.data[k]}
                  locale={{ emptyText: t('common.none') }}
                  renderItem={(u) => (
                    <List.Item>
                      <a onClick={() => setSelected(u.id)}>{`${label('unitType', u.type)} ${u.name}`}</a>
                      <span>
                        <Tag>{label('succession', u.kind)}</Tag> {fmtDate(u.effectiveOn)}
                      </span>
                    </List.Item>
                  )}
                />
              </div>
            ))}
            {detail.data.children.length > 0 && (
              <div style={{ marginTop: 16 }}>
                <Typography.Title level={5}>{t('unit.children', { n: detail.data.children.length })}</Typography.Title>
                <Typography.Paragraph>
                  {detail.data.children.map((c, i) => (
                    <span key={c.id}>
                      {i > 0 && ', '}
                      <a onClick={() => setSelected(c.id)}>{c.name}</a>
                      {c.validTo ? <Typography.Text type="secondary"> ({t('unit.until', { date: fmtDate(c.validTo) })})</Typography.Text> : null}
                    </span>
                  ))}
                </Typography.Paragraph>
              </div>
            )}
          </div>
        )}
      </Drawer>
    </>
  );
}
