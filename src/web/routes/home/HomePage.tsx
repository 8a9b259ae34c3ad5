import { Alert, Button, Card, Col, Empty, List, Modal, Row, Select, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import type { ZDrill, ZPanel, ZPlanSummary } from '../../../server/modules/programme/schema';
import type { Home } from '../../../server/modules/programme/schema';
import { api, toQuery } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { CommuneMap } from '../../components/MapPanel';
import { PageSpinner } from '../../components/PageSpinner';
import { useIsPhone } from '../../components/hooks';
import { Stars } from '../../components/Stars';
import { fmtDate } from '../../format';
import { useI18n } from '../../i18n';
import { DossierStatusTag, useVocab } from '../../vocab';
import type { DossierStatus } from '../../contract';

type Panel = z.infer<typeof ZPanel>;
type Drill = z.infer<typeof ZDrill>;
type PlanSummary = z.infer<typeof ZPlanSummary>;
type DrillTarget = { code: string; year?: number; communeUnitId?: number; title: string };
type HomeDossier = NonNullable<Home['producer']>['dossiers'][number];
type HomeCert = NonNullable<Home['producer']>['certificates'][number];

const MARK_COLOR = { on_track: 'green', at_risk: 'orange', off_track: 'red' } as const;

/** A number that opens the records behind it. */
function Num({ value, onClick, testId }: { value: number | null; onClick?: () => void; testId?: string }) {
  if (value === null) return <Typography.Text type="secondary">—</Typography.Text>;
  if (!onClick) return <span>{value.toLocaleString('vi-VN')}</span>;
  return (
    <Button type="link" size="small" style={{ padding: 0, height: 'auto', fontWeight: 600 }} onClick={onClick} data-testid={testId}>
      {value.toLocaleString('vi-VN')}
    </Button>
  );
}

function ListModal<T>({ open, title, items, render, onClose, testId }: { open: boolean; title: string; items: T[]; render: (x: T) => React.ReactNode; onClose: () => void; testId: string }) {
  const { t } = useI18n();
  return (
    <Modal open={open} title={title} onCancel={onClose} footer={null} width={720} destroyOnHidden>
      <div data-testid={testId}>
        <List size="small" dataSource={items} renderItem={(x) => <List.Item>{render(x)}</List.Item>} locale={{ emptyText: t('home.none') }} />
        <Typography.Text type="secondary" data-testid="list-total">{t('programme.recordsTotal', { n: items.length })}</Typography.Text>
      </div>
    </Modal>
  );
}

const dossierLine = (d: HomeDossier, t: ReturnType<typeof useI18n>['t']) => (
  <Space wrap size={6}>
    <Link to={`/dossiers/${d.id}`} data-testid="home-dossier-link">{d.productName}</Link>
    <DossierStatusTag status={d.status as DossierStatus} />
    <Typography.Text type="secondary">{d.producerName}</Typography.Text>
    <Typography.Text type="secondary">{t('home.waitingDays', { n: d.waitingDays })}</Typography.Text>
    {d.missingCount > 0 ? <Tag color="orange">{t('home.producer.missing', { n: d.missingCount })}</Tag> : <Tag color="green">{t('home.producer.complete')}</Tag>}
  </Space>
);
const certLine = (c: HomeCert, t: ReturnType<typeof useI18n>['t']) => (
  <Space wrap size={6}>
    <Link to={`/certificates?q=${encodeURIComponent(c.number)}&months=all`}>{c.number}</Link>
    <span>{c.productName}</span>
    <Stars value={c.star} />
    <Tag color={c.status === 'expiring' ? 'orange' : c.status === 'expired' ? 'red' : 'green'}>{t('home.producer.expires', { n: fmtDate(c.expiresOn) })}</Tag>
  </Space>
);

function OfficerSection({ h }: { h: NonNullable<Home['officer']> }) {
  const { t } = useI18n();
  const v = useVocab();
  const [list, setList] = useState<{ title: string; items: HomeDossier[] } | null>(null);
  const [expiring, setExpiring] = useState(false);
  const buckets = ['le7', 'd8to30', 'gt30'] as const;
  const ageOf = (days: number) => (days <= 7 ? 'le7' : days <= 30 ? 'd8to30' : 'gt30');
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card title={t('home.officer.dossiers')} size="small" data-testid="home-officer-dossiers">
          <Table
            size="small" pagination={false} rowKey="status" dataSource={h.dossiersByStatus} scroll={{ x: true }}
            columns={[
              { title: t('home.officer.status'), dataIndex: 'status', render: (s: string) => <DossierStatusTag status={s as DossierStatus} /> },
              { title: t('home.officer.total'), dataIndex: 'total', render: (n: number, r) => <Num value={n} testId={`dossiers-${r.status}`} onClick={n ? () => setList({ title: v.dossierStatus(r.status), items: r.items }) : undefined} /> },
              ...buckets.map((b) => ({
                title: t(`home.age.${b}`), key: b,
                render: (_: unknown, r: (typeof h.dossiersByStatus)[number]) => (
                  <Num value={r.byAge[b] ?? 0} onClick={r.byAge[b] ? () => setList({ title: `${v.dossierStatus(r.status)} · ${t(`home.age.${b}`)}`, items: r.items.filter((i) => ageOf(i.waitingDays) === b) }) : undefined} />
                ),
              })),
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Card size="small">
            <Row gutter={16}>
              <Col span={8}><Statistic title={t('home.officer.expiring')} valueRender={() => <Num value={h.expiringWithoutDossier.length} testId="home-expiring" onClick={() => setExpiring(true)} />} /></Col>
              <Col span={8}><Statistic title={t('home.officer.flags')} valueRender={() => <Link to="/trace/scans" data-testid="home-flags">{h.openFlags}</Link>} /></Col>
              <Col span={8}><Statistic title={t('home.officer.reports')} valueRender={() => <Link to="/trace/scans">{h.newReports}</Link>} /></Col>
            </Row>
          </Card>
          <Card size="small" title={t('home.officer.rounds')} data-testid="home-rounds">
            <List size="small" dataSource={h.roundsInProgress} locale={{ emptyText: t('home.none') }}
              renderItem={(r) => <List.Item><Link to={`/rounds/${r.id}`}>{r.name}</Link> <Typography.Text type="secondary">{r.unitName}</Typography.Text> <Tag>{r.status}</Tag></List.Item>} />
          </Card>
        </Space>
      </Col>
      <ListModal open={list !== null} title={list?.title ?? ''} items={list?.items ?? []} render={(d) => dossierLine(d, t)} onClose={() => setList(null)} testId="home-list" />
      <ListModal open={expiring} title={t('home.officer.expiring')} items={h.expiringWithoutDossier} render={(c) => certLine(c, t)} onClose={() => setExpiring(false)} testId="home-list" />
    </Row>
  );
}

function CouncilSection({ h }: { h: NonNullable<Home['council']> }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={<Space>{t('home.council.title')}<Tag color={h.sheetsLeft ? 'orange' : 'green'} data-testid="home-sheets-left">{t('home.council.sheetsLeft')}: {h.sheetsLeft}</Tag></Space>} data-testid="home-council">
      {h.rounds.length === 0 ? <Typography.Text type="secondary">{t('home.council.none')}</Typography.Text> : (
        <List size="small" dataSource={h.rounds} renderItem={(r) => (
          <List.Item>
            <Space wrap>
              <Link to={`/rounds/${r.id}`} data-testid="home-council-round">{r.name}</Link>
              <Tag>{r.role}</Tag><Tag>{r.status}</Tag>
              <span>{t('home.council.sheetsLeft')}: <b>{r.left}</b> / {r.products}</span>
            </Space>
          </List.Item>
        )} />
      )}
    </Card>
  );
}

function ProducerSection({ h }: { h: NonNullable<Home['producer']> }) {
  const { t } = useI18n();
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      {h.nextSteps.length > 0 && (
        <Alert type="info" showIcon message={t('home.producer.nextSteps')} data-testid="home-next-steps"
          description={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{h.nextSteps.map((s) => <li key={s.key}><Link to={s.link}>{s.text}</Link></li>)}</ul>} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('home.producer.dossiers')} data-testid="home-producer-dossiers">
            <List size="small" dataSource={h.dossiers} locale={{ emptyText: t('home.none') }} renderItem={(d) => <List.Item>{dossierLine(d, t)}</List.Item>} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('home.producer.certificates')} data-testid="home-producer-certificates">
            <List size="small" dataSource={h.certificates} locale={{ emptyText: t('home.none') }} renderItem={(c) => <List.Item>{certLine(c, t)}</List.Item>} />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

function Sparkline({ values }: { values: (number | null)[] }) {
  const xs = values.map((v) => v ?? 0);
  const max = Math.max(1, ...xs);
  const w = 72;
  const hgt = 20;
  const step = xs.length > 1 ? w / (xs.length - 1) : 0;
  const pts = xs.map((v, i) => `${(i * step).toFixed(1)},${(hgt - (v / max) * (hgt - 2) - 1).toFixed(1)}`).join(' ');
  return <svg width={w} height={hgt} aria-hidden style={{ verticalAlign: 'middle' }}><polyline points={pts} fill="none" stroke="#1f6f43" strokeWidth={1.5} /></svg>;
}

function DrillModal({ planId, target, onClose }: { planId: string; target: DrillTarget | null; onClose: () => void }) {
  const { t } = useI18n();
  const phone = useIsPhone();
  const q = useQuery({
    queryKey: ['programme-drill', planId, target],
    enabled: target !== null,
    queryFn: () => api<Drill>(`/api/programme/plans/${planId}/indicators/${target!.code}${toQuery({ year: target!.year, communeUnitId: target!.communeUnitId })}`),
  });
  const d = q.data;
  return (
    <Modal open={target !== null} title={target?.title} onCancel={onClose} footer={null} width={phone ? '100%' : 960} destroyOnHidden>
      {q.isLoading || !d ? <PageSpinner /> : (
        <div data-testid="drill-down">
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{d.indicator.rule}</Typography.Paragraph>
          <Table
            size="small" rowKey="id" dataSource={d.records} pagination={d.records.length > 50 ? { pageSize: 50 } : false} scroll={{ x: true }}
            columns={[
              { title: t('programme.col.record'), dataIndex: 'label', render: (v: string, r) => (r.productId ? <Link to={`/products/${r.productId}`}>{v}</Link> : v) },
              { title: t('programme.col.producer'), dataIndex: 'producerName', responsive: ['md'] },
              { title: t('programme.col.unit'), dataIndex: 'unitName', responsive: ['lg'] },
              { title: t('programme.col.star'), dataIndex: 'star', render: (s: number | null) => (s ? <Stars value={s} /> : null) },
              { title: t('programme.col.date'), dataIndex: 'date', render: (v: string | null) => fmtDate(v), responsive: ['md'] },
              { title: t('programme.col.detail'), dataIndex: 'detail', responsive: ['lg'] },
              ...(d.records.some((r) => r.amountVnd !== null) ? [{ title: t('support.amount'), dataIndex: 'amountVnd', align: 'right' as const, render: (v: number | null) => (v === null ? null : v.toLocaleString('vi-VN')) }] : []),
            ]}
          />
          <Typography.Text strong data-testid="drill-total">
            {t('programme.recordsTotal', { n: d.records.length })}
            {d.denominator !== null ? ` (${d.value} % — ${d.numerator} ${t('programme.ofDenominator', { n: d.denominator })})` : ''}
          </Typography.Text>
        </div>
      )}
    </Modal>
  );
}

const fmtTarget = (min: number | null, max: number | null, unit: string, t: ReturnType<typeof useI18n>['t']) => {
  const u = unit === 'percent' ? '%' : ` ${t(`programme.unit.${unit}` as 'programme.unit.count')}`;
  if (min !== null && max !== null) return min === max ? `${min}${u}` : `${min}–${max}${u}`;
  if (min !== null) return `≥ ${min}${u}`;
  if (max !== null) return `≤ ${max}${u}`;
  return '—';
};

function ProgrammePanel({ defaultPlanId }: { defaultPlanId: string }) {
  const { t } = useI18n();
  const phone = useIsPhone();
  const [planId, setPlanId] = useState(defaultPlanId);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const plans = useQuery({ queryKey: ['programme-plans'], queryFn: () => api<PlanSummary[]>('/api/programme/plans') });
  const q = useQuery({ queryKey: ['programme-panel', planId], queryFn: () => api<Panel>(`/api/programme/plans/${planId}/panel`) });
  const p = q.data;
  if (!p) return <Card loading />;
  const years = p.rows[0]?.years.map((y) => y.year) ?? [];
  return (
    <Card
      data-testid="programme-panel"
      title={<Space wrap>{t('programme.panel')}{p.scope === 'communes' && <Tag color="blue">{t('programme.scope.communes')}</Tag>}</Space>}
      extra={!phone && <Typography.Text type="secondary">{t('programme.asOf', { n: fmtDate(p.asOf) })}</Typography.Text>}
    >
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        <Select style={{ width: '100%', maxWidth: 720 }} value={planId} onChange={setPlanId} data-testid="plan-select"
          options={(plans.data ?? []).map((x) => ({ value: x.id, label: `${x.title} (${x.periodFrom}–${x.periodTo})` }))} />
        {phone && <Typography.Text type="secondary">{t('programme.asOf', { n: fmtDate(p.asOf) })}</Typography.Text>}
        {phone ? (
          <List
            size="small" dataSource={p.rows} data-testid="panel-list"
            renderItem={(r) => (
              <List.Item style={{ display: 'block' }}>
                <Typography.Text strong style={{ fontSize: 13 }}>{r.label ?? r.indicator.name}</Typography.Text>
                <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap', marginTop: 2 }}>
                  {r.indicator.measurable
                    ? <Num value={r.actual} testId={`actual-${r.indicator.code}`} onClick={() => setDrill({ code: r.indicator.code, title: r.label ?? r.indicator.name })} />
                    : <Tag>{t('programme.notMeasured')}</Tag>}
                  <Typography.Text type="secondary">/ {fmtTarget(r.target.min, r.target.max, r.indicator.unit, t)}</Typography.Text>
                  {r.actual !== null && <Sparkline values={r.years.map((y) => y.actual)} />}
                  {r.mark && <Tag color={MARK_COLOR[r.mark]} data-testid="mark">{t(`programme.mark.${r.mark}`)}</Tag>}
                </div>
              </List.Item>
            )}
          />
        ) : (
        <Table
          size="small" rowKey={(r) => `${r.indicator.code}|${r.fundingSource ?? ''}`} dataSource={p.rows} pagination={false} scroll={{ x: true }}
          columns={[
            {
              title: t('programme.indicator'), key: 'name', width: phone ? 160 : 320,
              render: (_: unknown, r) => <Tooltip title={r.indicator.rule}><span>{r.label ?? r.indicator.name}</span></Tooltip>,
            },
            { title: t('programme.target'), key: 'target', render: (_: unknown, r) => fmtTarget(r.target.min, r.target.max, r.indicator.unit, t) },
            {
              title: t('programme.actual'), key: 'actual',
              render: (_: unknown, r) => r.indicator.measurable
                ? <Num value={r.actual} testId={`actual-${r.indicator.code}`} onClick={() => setDrill({ code: r.indicator.code, title: r.label ?? r.indicator.name })} />
                : <Tooltip title={r.indicator.notMeasured}><Tag>{t('programme.notMeasured')}</Tag></Tooltip>,
            },
            ...years.map((y) => ({
              title: String(y), key: `y${y}`, responsive: ['lg' as const],
              render: (_: unknown, r: Panel['rows'][number]) => {
                const cell = r.years.find((x) => x.year === y);
                if (!cell || cell.actual === null) return null;
                return (
                  <Space size={2}>
                    <Num value={cell.actual} onClick={() => setDrill({ code: r.indicator.code, year: y, title: `${r.label ?? r.indicator.name} — ${y}` })} />
                    {cell.target && <Typography.Text type="secondary" style={{ fontSize: 11 }}>/{fmtTarget(cell.target.min, cell.target.max, r.indicator.unit, t)}</Typography.Text>}
                  </Space>
                );
              },
            })),
            { title: t('programme.trend'), key: 'trend', responsive: ['md'], render: (_: unknown, r) => (r.actual === null ? null : <Sparkline values={r.years.map((y) => y.actual)} />) },
            { title: t('programme.projection'), dataIndex: 'projection', responsive: ['md'], render: (v: number | null, r) => (v === null ? null : <span>{v}{r.aboveRange && <Typography.Text type="secondary"> ({t('programme.aboveRange')})</Typography.Text>}</span>) },
            { title: t('programme.mark'), dataIndex: 'mark', render: (m: keyof typeof MARK_COLOR | null) => (m ? <Tag color={MARK_COLOR[m]} data-testid="mark">{t(`programme.mark.${m}`)}</Tag> : null) },
          ]}
        />
        )}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0 }}><b>{t('programme.rule')}:</b> {p.rule}</Typography.Paragraph>
        <Typography.Title level={5} style={{ margin: 0 }}>{t('programme.byCommune')}</Typography.Title>
        {p.perCommuneSummary.map((s) => (
          <Typography.Text key={s.indicator} data-testid="per-commune-summary">{`${p.communeIndicators.find((c) => c.code === s.indicator)?.name ?? s.indicator} ${s.min ?? ''}–${s.max ?? ''}: `}{t('programme.perCommune', { n: `${s.met}/${s.total}` })}</Typography.Text>
        ))}
        <CommuneMap planId={planId} asOf={p.asOf} onOpen={setDrill} />
        {p.communes.length === 0 ? <Empty /> : (
          <Table
            size="small" rowKey={(r) => r.unit.id} dataSource={p.communes} pagination={false} scroll={{ x: true }} data-testid="commune-table"
            columns={[
              { title: t('programme.commune'), key: 'unit', render: (_: unknown, r) => r.unit.name },
              ...p.communeIndicators.filter((c) => !phone || c.code === 'products_recognised' || c.code === 'key_products').map(({ code, name }) => ({
                title: name, key: code,
                render: (_: unknown, r: Panel['communes'][number]) => {
                  const target = r.targets.find((x) => x.indicator === code);
                  return (
                    <Space size={4}>
                      <Num value={r.values[code] ?? 0} onClick={r.values[code] ? () => setDrill({ code, communeUnitId: r.unit.id, title: `${r.unit.name} — ${name}` }) : undefined} />
                      {target && <Tag color={target.met ? 'green' : 'red'}>{fmtTarget(target.min, target.max, 'count', t)}</Tag>}
                    </Space>
                  );
                },
              })),
            ]}
          />
        )}
      </Space>
      <DrillModal planId={planId} target={drill} onClose={() => setDrill(null)} />
    </Card>
  );
}

/** The first screen after login for every role: the server decides what each role sees. */
export default function HomePage() {
  const me = useMe();
  const { t } = useI18n();
  const q = useQuery({ queryKey: ['home'], queryFn: () => api<Home>('/api/home') });
  if (q.isLoading || !q.data) return <PageSpinner />;
  const h = q.data;
  return (
    <div data-testid="home" data-role={h.role}>
      <PageHeader title={t('home.hello', { n: me.fullName })} />
      <Space direction="vertical" style={{ width: '100%' }} size={16}>
        {h.producer && <ProducerSection h={h.producer} />}
        {h.officer && <OfficerSection h={h.officer} />}
        {h.council && (h.council.rounds.length > 0 || !h.officer) && <CouncilSection h={h.council} />}
        {h.programme && <ProgrammePanel defaultPlanId={h.programme.planId} />}
      </Space>
    </div>
  );
}
