import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, List, Modal, Result, Space, Steps, Table, Tag, Tooltip, Typography } from 'antd';
import { CheckOutlined, DownloadOutlined, EditOutlined, EyeOutlined, FilePdfOutlined, FlagFilled, PlusOutlined, RedoOutlined, UnlockOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { useIsPhone } from '../../components/hooks';
import { PageSpinner } from '../../components/PageSpinner';
import { fmtPoints } from '../../components/scoring';
import { Stars } from '../../components/Stars';
import { fmtDate, fmtDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { canIssueCertificates } from '../../permissions';
import { CouncilActions } from './CouncilActions';
import { MyStatusTag, OutcomeTag, ROUND_STEPS, RoundStatusTag, SCORING_ROLES, type Round, type RoundProduct } from './common';
import { ProductMultiSelect } from './RoundForm';
import { RoundCertificates } from './RoundCertificates';

type MemberScore = NonNullable<RoundProduct['memberScores']>[number];

export default function RoundDetail() {
  const { id = '' } = useParams();
  const me = useMe();
  const { t, label, lang } = useI18n();
  const phone = useIsPhone();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const round = useQuery({ queryKey: ['rounds', id], queryFn: () => api<Round>(`/api/rounds/${id}`) });
  const products = useQuery({ queryKey: ['rounds', id, 'products'], queryFn: () => api<RoundProduct[]>(`/api/rounds/${id}/products`) });
  const [finaliseOpen, setFinaliseOpen] = useState(false);
  const [reopen, setReopen] = useState<{ product: RoundProduct; score: MemberScore } | null>(null);
  const [addOpen, setAddOpen] = useState(false);

  const refresh = () => qc.invalidateQueries({ queryKey: ['rounds'] });
  const transition = useMutation({
    mutationFn: (to: 'open-scoring' | 'open-results') => api<Round>(`/api/rounds/${id}/${to}`, { body: {} }),
    onSuccess: (r, to) => {
      qc.setQueryData(['rounds', id], r);
      refresh();
      message.success(to === 'open-scoring' ? t('round.scoringOpened') : t('round.resultsOpened'));
    },
    onError: (e) => showError(e),
  });

  if (round.isLoading) return <PageSpinner />;
  const r = round.data;
  if (round.error || !r) {
    const e = round.error;
    return <Result status={e instanceof ApiError && e.status === 403 ? '403' : '404'} title={e instanceof ApiError ? e.problem.title : t('error.notFound')} />;
  }

  const isChair = r.myRole === 'chair';
  // What I may do comes from the server (the round's allowedActions), not from a role check here.
  const scoring = !!r.myRole && SCORING_ROLES.includes(r.myRole);
  const resultsOpen = r.status === 'results_open' || r.status === 'finalised';
  const rows = products.data ?? [];
  const stepIndex = ROUND_STEPS.indexOf(r.status);

  const actions = (
    <>
      {r.allowedActions.includes('openScoring') && (
        <Button data-testid="round-open-scoring" type="primary" icon={<UnlockOutlined />} loading={transition.isPending} onClick={() => transition.mutate('open-scoring')}>
          {t('round.openScoring')}
        </Button>
      )}
      {r.allowedActions.includes('addProducts') && (
        <Button data-testid="round-add-products" icon={<PlusOutlined />} onClick={() => setAddOpen(true)}>
          {t('round.addProducts')}
        </Button>
      )}
      {isChair && r.status === 'scoring' && (
        <Button
          data-testid="round-open-results"
          type="primary"
          icon={<EyeOutlined />}
          loading={transition.isPending}
          onClick={() =>
            modal.confirm({
              title: t('round.openResults'),
              content: t('round.openResultsConfirm'),
              okText: t('round.openResults'),
              cancelText: t('common.cancel'),
              okButtonProps: { 'data-testid': 'confirm-ok' } as never,
              onOk: () => transition.mutateAsync('open-results').catch(() => undefined),
            })
          }
        >
          {t('round.openResults')}
        </Button>
      )}
      {isChair && r.status === 'results_open' && (
        <Button data-testid="round-finalise" type="primary" icon={<CheckOutlined />} onClick={() => setFinaliseOpen(true)}>
          {t('round.finalise')}
        </Button>
      )}
      {resultsOpen && (
        <>
          <a href={`/api/rounds/${id}/minutes.pdf`} download data-testid="round-minutes">
            <Button icon={<FilePdfOutlined />}>{t('round.minutesPdf')}</Button>
          </a>
          <a href={`/api/rounds/${id}/results.xlsx`} download data-testid="round-results-xlsx">
            <Button icon={<DownloadOutlined />}>{t('round.resultsXlsx')}</Button>
          </a>
        </>
      )}
    </>
  );

  const mine = scoring ? rows : [];

  return (
    <>
      <PageHeader
        back="/rounds"
        title={
          <span data-testid="round-title">
            {r.name} <RoundStatusTag status={r.status} />
          </span>
        }
        extra={actions}
      />
      {r.criteriaSet.isDemo && <Alert data-testid="demo-banner" type="warning" showIcon style={{ marginBottom: 12 }} title={t('criteria.demoBanner')} description={t('round.demoSetHelp')} />}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Steps
          data-testid="round-steps"
          size="small"
          current={stepIndex}
          status={r.status === 'finalised' ? 'finish' : 'process'}
          orientation={phone ? 'vertical' : 'horizontal'}
          items={ROUND_STEPS.map((s) => ({ title: label('roundStatus', s) }))}
        />
      </Card>

      {scoring && (
        <Card size="small" title={t('round.myProducts')} style={{ marginBottom: 16 }} data-testid="my-products">
          <List
            dataSource={mine}
            loading={products.isLoading}
            locale={{ emptyText: t('round.noProducts') }}
            renderItem={(p) => {
              const canOpen = p.myStatus !== 'conflict' && r.status !== 'draft';
              const editable = (r.status === 'scoring' && p.myStatus !== 'submitted') || (r.status === 'results_open' && p.myStatus === 'draft');
              return (
                <List.Item
                  data-testid="my-product"
                  data-product={p.name}
                  actions={[
                    canOpen ? (
                      <Link key="go" to={`/rounds/${id}/products/${p.productId}/score`} data-testid="my-product-score">
                        <Button type={editable ? 'primary' : 'default'} icon={editable ? <EditOutlined /> : <EyeOutlined />}>
                          {editable ? t('round.score') : t('round.viewSheet')}
                        </Button>
                      </Link>
                    ) : null,
                  ].filter(Boolean)}
                >
                  <List.Item.Meta
                    title={p.name}
                    description={
                      <Space wrap size={4}>
                        <MyStatusTag status={p.myStatus} />
                        {p.myTotal !== null && p.myStatus !== 'conflict' && <Tag>{t('round.myTotal', { n: fmtPoints(p.myTotal, lang) })}</Tag>}
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {p.producerName} · {p.taxonomyCode}
                        </Typography.Text>
                      </Space>
                    }
                  />
                </List.Item>
              );
            }}
          />
        </Card>
      )}

      <Card size="small" title={t('round.section.products')} style={{ marginBottom: 16 }}>
        <Table<RoundProduct>
          key={resultsOpen ? 'results' : 'progress'}
          data-testid="round-products-table"
          rowKey="productId"
          size="small"
          loading={products.isLoading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: <Empty description={t('round.noProducts')} /> }}
          expandable={
            resultsOpen
              ? {
                  expandedRowRender: (p) => <MemberScores p={p} canReopen={isChair && r.status === 'results_open'} onReopen={(score) => setReopen({ product: p, score })} />,
                  rowExpandable: (p) => !!p.memberScores?.length,
                  defaultExpandAllRows: !phone,
                }
              : undefined
          }
          columns={[
            {
              title: t('round.product'),
              render: (_, p) => (
                <>
                  <Link to={`/products/${p.productId}`}>{p.name}</Link>
                  <div style={{ fontSize: 12, color: '#888' }}>
                    {p.producerName} · {p.taxonomyCode}
                    {p.isDemoSheet && (
                      <Tag color="orange" style={{ marginInlineStart: 6 }}>
                        {t('common.demo')}
                      </Tag>
                    )}
                  </div>
                </>
              ),
            },
            {
              title: t('round.progress'),
              render: (_, p) => (
                <span data-testid="round-progress">
                  <b>
                    {p.submittedCount}/{p.eligibleCount}
                  </b>{' '}
                  {t('round.submittedShort')}
                  {p.conflictCount > 0 && (
                    <Tag color="red" style={{ marginInlineStart: 6 }}>
                      {t('round.conflictsN', { n: p.conflictCount })}
                    </Tag>
                  )}
                </span>
              ),
            },
            ...(scoring ? [{ title: t('round.myStatus'), render: (_: unknown, p: RoundProduct) => <MyStatusTag status={p.myStatus} /> }] : []),
            ...(rows.some((p) => p.spread !== null)
              ? [
                  {
                    title: t('round.spread'),
                    render: (_: unknown, p: RoundProduct) =>
                      p.spread === null ? (
                        '—'
                      ) : (
                        <span data-testid="round-spread-cell">
                          {fmtPoints(p.spread, lang, 2)}{' '}
                          {p.spreadFlag && (
                            <Tooltip title={t('round.spreadFlag', { n: r.spreadThreshold })}>
                              <FlagFilled style={{ color: '#cf1322' }} data-testid="spread-flag" />
                            </Tooltip>
                          )}
                        </span>
                      ),
                  },
                  {
                    title: t('round.quorum'),
                    render: (_: unknown, p: RoundProduct) => (p.quorumMet === null ? '—' : p.quorumMet ? <Tag color="green">{t('round.quorumMet')}</Tag> : <Tag color="orange">{t('round.quorumNotMet')}</Tag>),
                  },
                ]
              : []),
            ...(resultsOpen
              ? [
                  {
                    title: t('round.mean'),
                    render: (_: unknown, p: RoundProduct) => (
                      <b data-testid="result-mean" style={{ fontSize: 16 }}>
                        {fmtPoints(p.result?.meanScore, lang, 2)}
                      </b>
                    ),
                  },
                  {
                    title: t('round.star'),
                    render: (_: unknown, p: RoundProduct) => (
                      <span data-testid="result-star" data-star={p.result?.finalStar ?? 0}>
                        <Stars value={p.result?.finalStar} />
                      </span>
                    ),
                  },
                  {
                    title: t('round.outcome'),
                    render: (_: unknown, p: RoundProduct) =>
                      p.result ? (
                        <>
                          <OutcomeTag result={p.result} />
                          <ul style={{ margin: '4px 0 0', paddingLeft: 16, fontSize: 12 }} data-testid="result-reasons">
                            {p.result.reasons.map((x, i) => (
                              <li key={i}>{x}</li>
                            ))}
                          </ul>
                          {p.discussionNote && (
                            <div style={{ fontSize: 12 }}>
                              <b>{t('round.discussionNote')}:</b> {p.discussionNote}
                            </div>
                          )}
                        </>
                      ) : (
                        '—'
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>

      {r.status === 'finalised' && canIssueCertificates(me) && <RoundCertificates roundId={id} finalisedAt={r.finalisedAt} />}

      <Card size="small" title={t('common.info')} style={{ marginBottom: 16 }}>
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('round.level')}>{label('roundLevel', r.level)}</Descriptions.Item>
          <Descriptions.Item label={t('round.unit')}>{r.unit.name}</Descriptions.Item>
          <Descriptions.Item label={t('round.procedure')}>{r.procedure.name}</Descriptions.Item>
          <Descriptions.Item label={t('round.criteriaSet')}>
            <Link to={`/criteria/${r.criteriaSet.id}`}>{r.criteriaSet.name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('round.spreadThreshold')}>{t('criteria.pointsN', { n: fmtPoints(r.spreadThreshold, lang) })}</Descriptions.Item>
          <Descriptions.Item label={t('round.quorum')}>{Math.round(r.quorumRatio * 100)}%</Descriptions.Item>
          <Descriptions.Item label={t('round.requiredSheets')}>
            <span data-testid="round-required-sheets">{t('round.requiredSheetsValue', { n: r.requiredSheets })}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('round.dates')}>{r.startsOn || r.endsOn ? `${fmtDate(r.startsOn)} – ${fmtDate(r.endsOn)}` : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('round.finalisedAt')}>{fmtDateTime(r.finalisedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('round.section.council')} span={2}>
            <Space wrap size={4} data-testid="round-members">
              {r.members.map((m) => (
                <Tag key={m.userId} color={m.role === 'chair' ? 'green' : undefined}>
                  {m.fullName} · {label('memberRole', m.role)}
                  {m.substituteFor && ` (${t('round.substituteFor', { name: r.members.find((x) => x.userId === m.substituteFor)?.fullName ?? '?' })})`}
                </Tag>
              ))}
            </Space>
            <div style={{ marginTop: 8 }}>
              <CouncilActions round={r} products={rows} />
            </div>
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <FinaliseModal open={finaliseOpen} round={r} products={rows} onClose={() => setFinaliseOpen(false)} />
      <ReopenModal target={reopen} roundId={id} onClose={() => setReopen(null)} />
      <AddProductsModal open={addOpen} roundId={id} onClose={() => setAddOpen(false)} />
    </>
  );
}

function MemberScores({ p, canReopen, onReopen }: { p: RoundProduct; canReopen: boolean; onReopen: (s: MemberScore) => void }) {
  const { t, label, lang } = useI18n();
  return (
    <Table<MemberScore>
      data-testid="member-scores"
      size="small"
      rowKey="memberId"
      pagination={false}
      dataSource={p.memberScores ?? []}
      columns={[
        { title: t('round.member'), dataIndex: 'fullName' },
        {
          title: t('round.status'),
          dataIndex: 'status',
          render: (v: string) => <Tag color={v === 'submitted' ? 'green' : v === 'conflict' ? 'red' : v === 'draft' ? 'gold' : 'default'}>{label('sheetStatus', v)}</Tag>,
        },
        { title: t('round.total'), dataIndex: 'total', align: 'right', render: (v: number | null) => <span data-testid="member-total">{fmtPoints(v, lang, 2)}</span> },
        {
          title: '',
          render: (_, s) => (
            <Space size={4}>
              {s.sheetId && (
                <a href={`/api/score-sheets/${s.sheetId}/pdf`} download>
                  <Button size="small" icon={<FilePdfOutlined />}>
                    {t('score.pdf')}
                  </Button>
                </a>
              )}
              {canReopen && s.status === 'submitted' && s.sheetId && (
                <Button size="small" data-testid="member-reopen" icon={<RedoOutlined />} onClick={() => onReopen(s)}>
                  {t('round.reopen')}
                </Button>
              )}
            </Space>
          ),
        },
      ]}
    />
  );
}

function FinaliseModal({ open, round, products, onClose }: { open: boolean; round: Round; products: RoundProduct[]; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<Record<string, string>>();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const flagged = products.filter((p) => p.result?.spreadFlag && !p.discussionNote);
  const noQuorum = products.filter((p) => p.result && !p.result.quorumMet);
  const m = useMutation({
    mutationFn: (notes: Record<string, string>) => api<Round>(`/api/rounds/${round.id}/finalise`, { body: { discussionNotes: notes } }),
    onSuccess: (r) => {
      qc.setQueryData(['rounds', round.id], r);
      qc.invalidateQueries({ queryKey: ['rounds'] });
      message.success(t('round.finalised'));
      onClose();
    },
    onError: (e) => showError(e),
  });
  return (
    <Modal
      open={open}
      title={t('round.finalise')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('round.finalise')}
      okButtonProps={{ 'data-testid': 'finalise-ok', disabled: noQuorum.length > 0 } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph>{t('round.finaliseHelp')}</Typography.Paragraph>
      {noQuorum.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('round.quorumNotMet')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {noQuorum.map((p) => (
                <li key={p.productId}>
                  {p.name}: {p.result?.reasons[0]}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(Object.fromEntries(Object.entries(v).filter(([, x]) => x?.trim())))}>
        {flagged.map((p) => (
          <Form.Item
            key={p.productId}
            name={p.productId}
            label={t('round.discussionFor', { name: p.name, n: fmtPoints(p.result?.spread ?? 0, lang, 2) })}
            rules={[{ required: true, message: t('form.required') }, { min: 3, message: t('form.tooShort') }]}
          >
            <Input.TextArea data-testid={`discussion-${p.productId}`} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} placeholder={t('round.discussionPlaceholder')} />
          </Form.Item>
        ))}
        {flagged.length === 0 && noQuorum.length === 0 && <Alert type="success" showIcon title={t('round.readyToFinalise')} />}
      </Form>
    </Modal>
  );
}

function ReopenModal({ target, roundId, onClose }: { target: { product: RoundProduct; score: MemberScore } | null; roundId: string; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const m = useMutation({
    mutationFn: (reason: string) => api(`/api/rounds/${roundId}/score-sheets/${target!.score.sheetId}/reopen`, { body: { reason } }),
    onSuccess: () => {
      message.success(t('round.reopened'));
      qc.invalidateQueries({ queryKey: ['rounds', roundId] });
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Modal
      open={!!target}
      title={target ? t('round.reopenTitle', { member: target.score.fullName, product: target.product.name }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('round.reopen')}
      okButtonProps={{ 'data-testid': 'reopen-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v.reason.trim())}>
        <Form.Item name="reason" label={t('round.reopenReason')} rules={[{ required: true, message: t('form.required') }, { min: 3, message: t('form.tooShort') }]}>
          <Input.TextArea data-testid="reopen-reason" autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AddProductsModal({ open, roundId, onClose }: { open: boolean; roundId: string; onClose: () => void }) {
  const { t } = useI18n();
  const [ids, setIds] = useState<string[]>([]);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const m = useMutation({
    mutationFn: () => api<Round>(`/api/rounds/${roundId}/products`, { body: { productIds: ids } }),
    onSuccess: () => {
      message.success(t('common.saved'));
      qc.invalidateQueries({ queryKey: ['rounds', roundId] });
      setIds([]);
      onClose();
    },
    onError: (e) => showError(e),
  });
  return (
    <Modal open={open} title={t('round.addProducts')} onCancel={onClose} onOk={() => m.mutate()} okButtonProps={{ disabled: !ids.length }} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={m.isPending} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('round.productsHelp')}</Typography.Paragraph>
      <ProductMultiSelect value={ids} onChange={setIds} />
    </Modal>
  );
}
