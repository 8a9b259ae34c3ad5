import { App, Button, Card, Popconfirm, Space, Table } from 'antd';
import { DeleteOutlined, DownloadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../api';
import { useShowError } from '../../../components/errors';
import type { Dossier } from '../../../contract';
import { useI18n } from '../../../i18n';
import { useVocab } from '../../../vocab';
import { ExpiryCell } from '../../evidence/EvidenceLocker';
import { useDossierRefresh } from '../modals';
import { offers } from './WorkflowActions';

/** The documents linked to the dossier; while editable, each can be unlinked (after a confirmation). */
export function LinkedEvidenceCard({ dossier: d }: { dossier: Dossier }) {
  const { t } = useI18n();
  const v = useVocab();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useDossierRefresh(d.id);
  const editable = offers(d, 'edit');
  const unlink = useMutation({
    mutationFn: (evidenceId: string) => api(`/api/dossiers/${d.id}/evidence/${evidenceId}`, { method: 'DELETE' }),
    onSuccess: (r) => {
      message.success(t('dossier.unlinked'));
      refresh(r);
    },
    onError: (e) => showError(e),
  });
  return (
    <Card size="small" title={t('dossier.section.linked', { n: d.linkedEvidence.length })} data-testid="dossier-linked">
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={d.linkedEvidence}
        scroll={{ x: 600 }}
        locale={{ emptyText: t('dossier.linkedNone') }}
        onRow={() => ({ 'data-testid': 'linked-row' }) as never}
        columns={[
          {
            title: t('evidence.title'),
            render: (_, e) => (
              <>
                <b>{e.title}</b>
                <div style={{ fontSize: 12, color: '#888' }}>{v.evidenceType(e.type)}</div>
              </>
            ),
          },
          { title: t('dossier.requirement'), render: (_, e) => <span style={{ fontSize: 12 }}>{v.evidenceType(e.requirement)}</span> },
          { title: t('evidence.expiresOn'), render: (_, e) => <ExpiryCell expiresOn={e.expiresOn} expired={e.expired} />, width: 150 },
          {
            title: '',
            width: 110,
            render: (_, e) => (
              <Space size={4}>
                <a href={e.downloadUrl} download>
                  <Button size="small" icon={<DownloadOutlined />} aria-label={t('evidence.download')} />
                </a>
                {editable && (
                  <Popconfirm title={t('dossier.unlinkConfirm')} onConfirm={() => unlink.mutateAsync(e.id).catch(() => undefined)} okText={t('dossier.unlink')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'unlink-ok' } as never}>
                    <Button size="small" danger data-testid="linked-remove" icon={<DeleteOutlined />} aria-label={t('dossier.unlink')} />
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
