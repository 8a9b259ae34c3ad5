import { Alert, Button, Drawer, List, Popconfirm, Select, Space, Typography } from 'antd';
import { DownloadOutlined, LinkOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { ZSupport, ZSupportEvidenceList } from '../../../server/modules/programme/schema';
import { api } from '../../api';
import type { Evidence } from '../../contract';
import { useShowError } from '../../components/errors';
import { EvidenceUploadModal, fmtBytes } from '../../components/evidence';
import { useIsPhone } from '../../components/hooks';
import { fmtDate } from '../../format';
import { useI18n } from '../../i18n';
import { useVocab } from '../../vocab';

type Support = z.infer<typeof ZSupport>;
type EvidenceList = z.infer<typeof ZSupportEvidenceList>;

/** Link a document already in the supported producer's locker. */
function LinkExisting({ support, linked }: { support: Support; linked: string[] }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const showError = useShowError();
  const locker = useQuery({ queryKey: ['evidence', support.producer.id], queryFn: () => api<Evidence[]>(`/api/producers/${support.producer.id}/evidence`) });
  const link = useMutation({
    mutationFn: (evidenceId: string) => api<EvidenceList>(`/api/support-activities/${support.id}/evidence/${evidenceId}`, { method: 'POST' }),
    onSuccess: (list) => qc.setQueryData(['support-evidence', support.id], list),
    onError: (e) => showError(e),
  });
  const options = (locker.data ?? []).filter((e) => !linked.includes(e.id)).map((e) => ({ value: e.id, label: `${e.title} · ${e.fileName}` }));
  return (
    <Select value={null} placeholder={<span><LinkOutlined /> {t('supportEvidence.linkExisting')}</span>} options={options} onChange={(v) => v && link.mutate(v)}
      loading={locker.isLoading || link.isPending} style={{ width: '100%' }} showSearch={{ optionFilterProp: 'label' }} notFoundContent={t('supportEvidence.lockerEmpty')} data-testid="support-evidence-link" />
  );
}

/** Documents of one support activity: the supported producer and the officers responsible read them; officers add them. */
export function SupportEvidenceDrawer({ support, onClose }: { support: Support; onClose: () => void }) {
  const { t } = useI18n();
  const v = useVocab();
  const phone = useIsPhone();
  const qc = useQueryClient();
  const showError = useShowError();
  const [uploading, setUploading] = useState(false);
  const key = ['support-evidence', support.id];
  const q = useQuery({ queryKey: key, queryFn: () => api<EvidenceList>(`/api/support-activities/${support.id}/evidence`) });
  const unlink = useMutation({
    mutationFn: (evidenceId: string) => api<EvidenceList>(`/api/support-activities/${support.id}/evidence/${evidenceId}`, { method: 'DELETE' }),
    onSuccess: (list) => qc.setQueryData(key, list),
    onError: (e) => showError(e),
  });
  const items = q.data?.items ?? [];
  return (
    <Drawer open onClose={onClose} title={t('supportEvidence.title')} size={phone ? '100%' : 560} data-testid="support-evidence">
      <Typography.Paragraph>
        <b>{support.producer.legalName}</b>{support.product ? ` — ${support.product.name}` : ''}<br />
        <Typography.Text type="secondary">{support.description} · {fmtDate(support.activityDate)}</Typography.Text>
      </Typography.Paragraph>
      {q.isError && <Alert type="error" showIcon message={t('supportEvidence.refused')} />}
      {q.data?.canUpload && (
        <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
          <Button type="primary" icon={<UploadOutlined />} onClick={() => setUploading(true)} data-testid="support-evidence-upload">{t('supportEvidence.upload')}</Button>
          <LinkExisting support={support} linked={items.map((i) => i.id)} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('supportEvidence.help')}</Typography.Text>
        </Space>
      )}
      <List loading={q.isLoading} dataSource={items} locale={{ emptyText: t('supportEvidence.none') }} renderItem={(e) => (
        <List.Item data-testid="support-evidence-item" actions={[
          <a key="dl" href={e.downloadUrl} download={e.fileName} data-testid="support-evidence-download"><DownloadOutlined /> {t('supportEvidence.download')}</a>,
          ...(q.data?.canUpload ? [
            <Popconfirm key="rm" title={t('supportEvidence.unlinkConfirm')} okText={t('supportEvidence.unlink')} cancelText={t('common.cancel')} onConfirm={() => unlink.mutate(e.id)}>
              <Button size="small" type="link" danger>{t('supportEvidence.unlink')}</Button>
            </Popconfirm>,
          ] : []),
        ]}>
          <List.Item.Meta title={e.title} description={`${v.evidenceType(e.type)} · ${e.fileName} · ${fmtBytes(e.bytes)} · ${fmtDate(e.createdAt)}`} />
        </List.Item>
      )} />
      <EvidenceUploadModal producerId={support.producer.id} open={uploading} onClose={() => setUploading(false)} uploadUrl={`/api/support-activities/${support.id}/evidence`}
        onUploaded={() => { qc.invalidateQueries({ queryKey: key }); }} />
    </Drawer>
  );
}
