import { App, Button, Card, Empty, Form, Input, InputNumber, List, Modal, Result, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, FilePdfOutlined, LinkOutlined, StopOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { REVOCATION_REASONS } from '../../../shared/dossier';
import { api, ApiError, toQuery } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { freshOnOpen } from '../../components/freshOnOpen';
import { useIsPhone } from '../../components/hooks';
import { Stars } from '../../components/Stars';
import { CERTIFICATE_STATUSES, itemsOf, type Certificate, type CertificateStatus, type RevocationReason } from '../../contract';
import { fmtDate } from '../../format';
import { useI18n } from '../../i18n';
import { canExportCertificates, canRevokeCertificate, isStaff } from '../../permissions';
import { CertificateStatusTag, DossierStatusTag, useVocab } from '../../vocab';
import type { CertificatePage } from '../../../server/modules/certificates/schema';

const PAGE_SIZE = 50;

export function CertificateLinks({ c, compact }: { c: Pick<Certificate, 'pdfUrl' | 'verifyUrl' | 'number'>; compact?: boolean }) {
  const { t } = useI18n();
  return (
    <Space size={4} wrap>
      <a href={c.pdfUrl} download data-testid="certificate-pdf">
        <Button size="small" icon={<FilePdfOutlined />}>
          {compact ? null : t('certificate.pdf')}
        </Button>
      </a>
      {/* Same server: the relative path (verifyUrl carries the public base URL printed in the QR code). */}
      <a href={`/xac-thuc/${encodeURIComponent(c.number)}`} target="_blank" rel="noreferrer" data-testid="certificate-verify" title={c.verifyUrl}>
        <Button size="small" icon={<LinkOutlined />}>
          {compact ? null : t('certificate.verifyPage')}
        </Button>
      </a>
    </Space>
  );
}

/** Certificates with their effective status; officers watch what expires in the next N months and revoke. */
export default function CertificateList() {
  const me = useMe();
  const { t } = useI18n();
  const v = useVocab();
  const phone = useIsPhone();
  const [sp, setSp] = useSearchParams();
  const officer = isStaff(me);
  const status = (sp.get('status') ?? undefined) as CertificateStatus | undefined;
  // Officers start on "expiring in the next 3 months"; "all" clears it.
  const months = sp.has('months') ? (sp.get('months') === 'all' ? undefined : Number(sp.get('months')) || undefined) : officer && !sp.get('q') && !status ? 3 : undefined;
  const q = sp.get('q') ?? '';
  const page = Number(sp.get('page') ?? 1);
  const [search, setSearch] = useState(q);
  const [revoking, setRevoking] = useState<Certificate | null>(null);
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, x] of Object.entries(patch)) {
      if (x === undefined || x === '') next.delete(k);
      else next.set(k, x);
    }
    if (!('page' in patch)) next.delete('page');
    setSp(next, { replace: true });
  };

  const { data, isLoading, isPlaceholderData, error } = useQuery({
    queryKey: ['certificates', 'list', { status, months, q, page }],
    queryFn: async () => {
      const r = await api<CertificatePage>('/api/certificates', { query: { status, expiringWithinMonths: months, q, page, pageSize: PAGE_SIZE } });
      return { items: itemsOf(r), total: Array.isArray(r) ? r.length : r.total };
    },
    placeholderData: keepPreviousData,
  });
  if (error) return <Result status={error instanceof ApiError && error.status === 403 ? '403' : 'error'} title={error instanceof ApiError ? error.problem.title : t('error.unexpected')} subTitle={error instanceof ApiError ? error.problem.detail : undefined} />;
  const rows = data?.items ?? [];

  const revokeBtn = (c: Certificate) =>
    canRevokeCertificate(me) && c.storedStatus === 'active' ? (
      // A destructive action says what it does and stands apart from the PDF and link icons.
      <Button size="small" danger data-testid="certificate-revoke" icon={<StopOutlined />} onClick={() => setRevoking(c)} style={{ marginInlineStart: 8 }}>
        {t('certificate.revoke')}
      </Button>
    ) : null;
  const reeval = (c: Certificate) =>
    c.reevaluationDossier ? (
      <Link to={`/dossiers/${c.reevaluationDossier.id}`}>
        <DossierStatusTag status={c.reevaluationDossier.status} />
      </Link>
    ) : c.status === 'expiring' || c.status === 'expired' ? (
      <Tag color="orange">{t('certificate.noReevaluation')}</Tag>
    ) : (
      '—'
    );
  const statusCell = (c: Certificate) => (
    <>
      <CertificateStatusTag status={c.status} daysLeft={c.daysLeft} />
      {c.status === 'revoked' && c.revokedReason && (
        <div style={{ fontSize: 12 }}>
          {v.revocationReason(c.revokedReason)}
          {c.revokedNote ? `: ${c.revokedNote}` : ''}
        </div>
      )}
      {c.supersededBy && <div style={{ fontSize: 12 }}>{t('certificate.supersededBy', { number: c.supersededBy.number })}</div>}
    </>
  );

  return (
    <>
      <PageHeader
        title={t('nav.certificates')}
        extra={canExportCertificates(me) && (
          // The list as filtered on screen, as an Excel sheet (every page of it).
          <Button data-testid="certificate-export" icon={<DownloadOutlined />} href={`/api/certificates/export.xlsx${toQuery({ status, expiringWithinMonths: months, q })}`} download>
            {t('common.exportExcel')}
          </Button>
        )}
      />
      <Space wrap style={{ marginBottom: 12 }} align="center">
        <Select<CertificateStatus>
          data-testid="certificate-filter-status"
          allowClear
          value={status}
          onChange={(x) => set({ status: x })}
          placeholder={t('certificate.filter.status')}
          style={{ minWidth: 180 }}
          options={CERTIFICATE_STATUSES.map((s) => ({ value: s, label: <CertificateStatusTag status={s} /> }))}
        />
        <Space.Compact>
          <Button disabled style={{ color: 'inherit', cursor: 'default' }}>
            {t('certificate.filter.expiringWithin')}
          </Button>
          <InputNumber
            data-testid="certificate-filter-months"
            min={1}
            max={36}
            value={months ?? null}
            placeholder="—"
            onChange={(x) => set({ months: x ? String(x) : 'all' })}
            style={{ width: 70 }}
          />
          <Button disabled style={{ color: 'inherit', cursor: 'default' }}>
            {t('certificate.filter.months')}
          </Button>
        </Space.Compact>
        {months !== undefined && (
          <Button type="link" data-testid="certificate-filter-all" onClick={() => set({ months: 'all' })}>
            {t('certificate.filter.all')}
          </Button>
        )}
        <Input.Search data-testid="certificate-search" allowClear value={search} onChange={(e) => setSearch(e.target.value)} onSearch={(x) => set({ q: x.trim() || undefined })} placeholder={t('certificate.search.placeholder')} style={{ width: 300, maxWidth: '100%' }} />
        <Typography.Text type="secondary">{t('common.totalN', { n: data?.total ?? 0 })}</Typography.Text>
      </Space>
      {phone ? (
        <List
          data-testid="certificate-list-compact"
          loading={isLoading}
          dataSource={rows}
          locale={{ emptyText: <Empty description={t('certificate.none')} /> }}
          pagination={data && data.total > PAGE_SIZE ? { current: page, pageSize: PAGE_SIZE, total: data.total, onChange: (p) => set({ page: String(p) }), size: 'small' } : undefined}
          renderItem={(c) => (
            <Card size="small" style={{ marginBottom: 8 }} data-testid="certificate-row" data-number={c.number}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <b>{c.number}</b>
                <Stars value={c.star} />
              </div>
              <Link to={`/products/${c.product.id}`}>{c.product.name}</Link>
              <div style={{ fontSize: 12, color: '#666' }}>{c.producer.legalName}</div>
              <div style={{ fontSize: 12, marginTop: 4 }}>
                {t('certificate.decision')}: {c.decisionNumber} · {fmtDate(c.decisionDate)}
              </div>
              <div style={{ fontSize: 12 }}>
                {t('certificate.expiresOn')}: <b>{fmtDate(c.expiresOn)}</b>
              </div>
              <div style={{ marginTop: 4 }}>{statusCell(c)}</div>
              <div style={{ marginTop: 4, fontSize: 12 }}>
                {t('certificate.reevaluation')}: {reeval(c)}
              </div>
              <Space style={{ marginTop: 8 }} wrap>
                <CertificateLinks c={c} />
                {revokeBtn(c)}
              </Space>
            </Card>
          )}
        />
      ) : (
        <Table<Certificate>
          data-testid="certificate-table"
          rowKey="id"
          size="small"
          loading={isLoading || isPlaceholderData}
          dataSource={rows}
          scroll={{ x: 1400 }}
          locale={{ emptyText: <Empty description={t('certificate.none')} /> }}
          onRow={(c) => ({ 'data-testid': 'certificate-row', 'data-number': c.number }) as never}
          pagination={data && data.total > PAGE_SIZE ? { current: page, pageSize: PAGE_SIZE, total: data.total, showSizeChanger: false, onChange: (p) => set({ page: String(p) }) } : false}
          columns={[
            { title: t('certificate.number'), dataIndex: 'number', width: 190, render: (x: string, c) => (<><b data-testid="certificate-number">{x}</b>{c.isLegacy && <div><Tag>{t('certificate.legacy')}</Tag></div>}</>) },
            { title: t('certificate.product'), width: 200, render: (_, c) => <Link to={`/products/${c.product.id}`}>{c.product.name}</Link> },
            // The status first: it is what officers scan the list for (never under the action column).
            { title: t('certificate.status'), render: (_, c) => statusCell(c), width: 190 },
            { title: t('certificate.producer'), width: 200, render: (_, c) => c.producer.legalName },
            { title: t('certificate.star'), dataIndex: 'star', render: (x: number) => <Stars value={x} />, width: 100 },
            {
              title: t('certificate.decision'),
              width: 170,
              render: (_, c) => (
                <Tooltip title={`${c.issuingAuthority} · ${c.issuingUnitName}`}>
                  <span>
                    {c.decisionNumber}
                    <div style={{ fontSize: 12, color: '#888' }}>{fmtDate(c.decisionDate)}</div>
                  </span>
                </Tooltip>
              ),
            },
            { title: t('certificate.expiresOn'), dataIndex: 'expiresOn', render: (x: string) => <b>{fmtDate(x)}</b>, width: 110 },
            { title: t('certificate.reevaluation'), width: 160, render: (_, c) => reeval(c) },
            {
              title: '',
              width: 170,
              render: (_, c) => (
                <Space size={4}>
                  <CertificateLinks c={c} compact />
                  {revokeBtn(c)}
                </Space>
              ),
            },
          ]}
        />
      )}
      <RevokeModal target={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

function RevokeModalInner({ target, onClose }: { target: Certificate | null; onClose: () => void }) {
  const { t } = useI18n();
  const v = useVocab();
  const [form] = Form.useForm<{ reason: RevocationReason; note?: string }>();
  const reason = Form.useWatch('reason', form);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const m = useMutation({
    mutationFn: (b: { reason: RevocationReason; note?: string }) => api<Certificate>(`/api/certificates/${target!.id}/revoke`, { body: b }),
    onSuccess: () => {
      message.success(t('certificate.revoked'));
      qc.invalidateQueries({ queryKey: ['certificates'] });
      qc.invalidateQueries({ queryKey: ['products'] });
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Modal
      open={!!target}
      title={target ? t('certificate.revokeTitle', { number: target.number }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('certificate.revoke')}
      okButtonProps={{ danger: true, 'data-testid': 'revoke-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      {target && (
        <Typography.Paragraph>
          {target.product.name} · {target.producer.legalName} · <Stars value={target.star} />
        </Typography.Paragraph>
      )}
      <Typography.Paragraph type="secondary">{t('certificate.revokeHelp')}</Typography.Paragraph>
      <Form preserve={false} form={form} layout="vertical" onFinish={(x) => m.mutate({ reason: x.reason, ...(x.note?.trim() ? { note: x.note.trim() } : {}) })}>
        <Form.Item name="reason" label={t('certificate.revokeReason')} rules={[{ required: true, message: t('form.required') }]}>
          <Select data-testid="revoke-reason" options={REVOCATION_REASONS.map((r) => ({ value: r, label: v.revocationReason(r) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('certificate.revokeNote')} rules={[{ required: reason === 'other', whitespace: true, message: t('certificate.revokeNoteRequired') }]}>
          <Input.TextArea data-testid="revoke-note" autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const RevokeModal = freshOnOpen(RevokeModalInner, (p) => !!p.target);
