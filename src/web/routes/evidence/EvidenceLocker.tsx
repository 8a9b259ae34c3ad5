import { App, Button, Card, Empty, List, Popconfirm, Result, Select, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, DownloadOutlined, EditOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { Producer } from '../../../server/modules/producers/schema';
import { EVIDENCE_TYPES } from '../../../shared/dossier';
import { api, ApiError } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { EvidenceEditModal, EvidenceUploadModal, fmtBytes } from '../../components/evidence';
import { useIsPhone } from '../../components/hooks';
import { itemsOf, type Evidence, type EvidenceType } from '../../contract';
import { fmtDate } from '../../format';
import { useI18n } from '../../i18n';
import { canEditProducer, canReadProducersList } from '../../permissions';
import { DossierStatusTag, useVocab } from '../../vocab';

export function useEvidence(producerId: string | undefined) {
  return useQuery({
    queryKey: ['evidence', producerId],
    queryFn: async () => itemsOf(await api<Evidence[] | { items: Evidence[] }>(`/api/producers/${producerId}/evidence`)),
    enabled: !!producerId,
  });
}

export function ExpiryCell({ expiresOn, expired }: { expiresOn: string | null; expired: boolean }) {
  const { t } = useI18n();
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {fmtDate(expiresOn)}{' '}
      {expired && (
        <Tag color="red" data-testid="evidence-expired">
          {t('common.expired')}
        </Tag>
      )}
    </span>
  );
}

/** "Kho tài liệu": a producer's documents, kept once and linked from its dossiers. */
export default function EvidenceLocker() {
  const { id = '' } = useParams();
  const me = useMe();
  const { t, label } = useI18n();
  const v = useVocab();
  const phone = useIsPhone();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [uploadOpen, setUploadOpen] = useState(false);
  const [editing, setEditing] = useState<Evidence | null>(null);
  const [type, setType] = useState<EvidenceType | undefined>();
  const producer = useQuery({ queryKey: ['producers', id], queryFn: () => api<Producer>(`/api/producers/${id}`) });
  const list = useEvidence(id);
  const del = useMutation({
    mutationFn: (eid: string) => api(`/api/evidence/${eid}`, { method: 'DELETE' }),
    onSuccess: () => {
      message.success(t('evidence.deleted'));
      qc.invalidateQueries({ queryKey: ['evidence', id] });
    },
    onError: (e) => showError(e),
  });

  const err = list.error ?? producer.error;
  if (err) return <Result status={err instanceof ApiError && err.status === 403 ? '403' : '404'} title={err instanceof ApiError ? err.problem.title : t('error.notFound')} subTitle={err instanceof ApiError ? err.problem.detail : undefined} />;

  const editable = canEditProducer(me, id);
  const rows = (list.data ?? []).filter((e) => !type || e.type === type);
  const expiredCount = (list.data ?? []).filter((e) => e.expired).length;

  // A certification says which one (the type's long label lists them all).
  const typeCell = (e: Evidence) =>
    e.type === 'certification' && e.certificationType ? (
      <>
        {t('evidence.certificationShort')} <Tag style={{ marginInlineStart: 4 }}>{label('certificationType', e.certificationType)}</Tag>
      </>
    ) : (
      v.evidenceType(e.type)
    );
  const titleCell = (e: Evidence) => (
    <>
      <b data-testid="evidence-row-title">{e.title}</b>
      <div style={{ fontSize: 12, color: '#888' }}>
        {e.fileName} · {fmtBytes(e.bytes)}
      </div>
    </>
  );
  const usedCell = (e: Evidence) =>
    e.usedIn.length === 0 ? (
      <Typography.Text type="secondary">{t('evidence.unused')}</Typography.Text>
    ) : (
      <Space orientation="vertical" size={2}>
        {e.usedIn.map((u) => (
          <span key={u.dossierId} style={{ fontSize: 12 }}>
            <Link to={`/dossiers/${u.dossierId}`}>{u.productName}</Link> <DossierStatusTag status={u.status} />
          </span>
        ))}
      </Space>
    );
  const actions = (e: Evidence) => (
    <Space size={4} wrap>
      <a href={e.downloadUrl} download data-testid="evidence-download">
        <Button size="small" icon={<DownloadOutlined />} aria-label={t('evidence.download')}>
          {phone ? t('evidence.download') : null}
        </Button>
      </a>
      {editable && <Button size="small" data-testid="evidence-edit" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => setEditing(e)} />}
      {editable && (
        <Popconfirm
          title={t('evidence.confirmDelete')}
          description={e.usedIn.length ? t('evidence.deleteUsed', { n: e.usedIn.length }) : undefined}
          onConfirm={() => del.mutateAsync(e.id).catch(() => undefined)}
          okText={t('common.delete')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true, 'data-testid': 'evidence-delete-ok' } as never}
        >
          <Button size="small" danger data-testid="evidence-delete" icon={<DeleteOutlined />} aria-label={t('common.delete')} />
        </Popconfirm>
      )}
    </Space>
  );

  return (
    <>
      <PageHeader
        back={canReadProducersList(me) || me.producerId === id ? `/producers/${id}` : undefined}
        title={
          <span data-testid="evidence-page-title">
            {t('nav.evidence')}
            {producer.data ? <Typography.Text type="secondary" style={{ fontSize: 16, fontWeight: 400 }}> · {producer.data.legalName}</Typography.Text> : null}
          </span>
        }
        extra={
          editable && (
            <Button data-testid="evidence-upload" type="primary" icon={<UploadOutlined />} onClick={() => setUploadOpen(true)}>
              {t('evidence.upload')}
            </Button>
          )
        }
      />
      <Typography.Paragraph type="secondary">{t('evidence.help')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select<EvidenceType>
          allowClear
          value={type}
          onChange={setType}
          placeholder={t('evidence.filterType')}
          style={{ minWidth: 260, maxWidth: '100%' }}
          popupMatchSelectWidth={false}
          options={EVIDENCE_TYPES.map((x) => ({ value: x, label: v.evidenceType(x) }))}
        />
        {expiredCount > 0 && <Tag color="red">{t('evidence.expiredN', { n: expiredCount })}</Tag>}
      </Space>
      {phone ? (
        <List
          data-testid="evidence-list"
          loading={list.isLoading}
          dataSource={rows}
          locale={{ emptyText: <Empty description={t('evidence.none')} /> }}
          renderItem={(e) => (
            <Card size="small" style={{ marginBottom: 8 }} data-testid="evidence-row">
              <div style={{ fontSize: 12, color: '#666' }}>{typeCell(e)}</div>
              {titleCell(e)}
              <div style={{ fontSize: 12, marginTop: 4 }}>
                {[e.number && `${t('evidence.number')}: ${e.number}`, e.issuer].filter(Boolean).join(' · ')}
              </div>
              <div style={{ fontSize: 12 }}>
                {t('evidence.issuedOn')}: {fmtDate(e.issuedOn)} · {t('evidence.expiresOn')}: <ExpiryCell expiresOn={e.expiresOn} expired={e.expired} />
              </div>
              <div style={{ marginTop: 4 }}>{usedCell(e)}</div>
              <div style={{ marginTop: 8 }}>{actions(e)}</div>
            </Card>
          )}
        />
      ) : (
        <Table<Evidence>
          data-testid="evidence-table"
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={rows}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 1100 }}
          locale={{ emptyText: <Empty description={t('evidence.none')} /> }}
          onRow={() => ({ 'data-testid': 'evidence-row' }) as never}
          rowClassName={(e) => (e.expired ? 'row-expired' : '')}
          columns={[
            { title: t('evidence.type'), render: (_, e) => typeCell(e), width: 220 },
            { title: t('evidence.title'), render: (_, e) => titleCell(e) },
            { title: t('evidence.number'), dataIndex: 'number', render: (x) => x ?? '—' },
            { title: t('evidence.issuer'), dataIndex: 'issuer', render: (x) => x ?? '—' },
            { title: t('evidence.issuedOn'), dataIndex: 'issuedOn', render: fmtDate, width: 105 },
            { title: t('evidence.expiresOn'), render: (_, e) => <ExpiryCell expiresOn={e.expiresOn} expired={e.expired} />, width: 150 },
            { title: t('evidence.usedIn'), render: (_, e) => usedCell(e) },
            { title: '', render: (_, e) => actions(e), width: 120 },
          ]}
        />
      )}
      <EvidenceUploadModal producerId={id} open={uploadOpen} onClose={() => setUploadOpen(false)} />
      <EvidenceEditModal item={editing} onClose={() => setEditing(null)} />
    </>
  );
}
