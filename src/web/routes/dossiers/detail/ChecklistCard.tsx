import { Alert, App, Button, Card, List, Space, Tag } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, FolderOpenOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../../api';
import { useShowError } from '../../../components/errors';
import { EvidenceUploadModal } from '../../../components/evidence';
import type { Dossier, Evidence, EvidenceType } from '../../../contract';
import { useI18n } from '../../../i18n';
import { ExpiryCell } from '../../evidence/EvidenceLocker';
import { AttachModal, useDossierRefresh } from '../modals';
import { offers } from './WorkflowActions';

type Item = Dossier['checklist'][number];

/** Required documents and whether each is met; while editable, attach from the locker or upload. */
export function ChecklistCard({ dossier: d }: { dossier: Dossier }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useDossierRefresh(d.id);
  const [attachType, setAttachType] = useState<EvidenceType | null>(null);
  const [uploadType, setUploadType] = useState<EvidenceType | null>(null);
  const editable = offers(d, 'edit');
  const missingNow = d.missing ?? [];

  const linkNew = async (e: Evidence, requirement: EvidenceType) => {
    try {
      const r = await api(`/api/dossiers/${d.id}/evidence`, { body: { evidenceId: e.id, requirement } });
      message.success(t('dossier.attached'));
      refresh(r);
    } catch (err) {
      showError(err);
    }
  };

  return (
    <>
      <Card
        size="small"
        title={t('dossier.section.checklist')}
        data-testid="dossier-checklist"
        extra={
          <Link to={`/producers/${d.producer.id}/evidence`}>
            <FolderOpenOutlined /> {t('nav.evidence')}
          </Link>
        }
      >
        {/* When "Nộp hồ sơ" is offered, the same list sits right above that button instead. */}
        {missingNow.length > 0 && !offers(d, 'submit') && (
          <Alert
            type={d.status === 'draft' || d.status === 'returned' ? 'warning' : 'info'}
            showIcon
            style={{ marginBottom: 8 }}
            data-testid="dossier-missing-now"
            title={t('dossier.missingNow', { n: missingNow.length })}
            description={
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {missingNow.map((m) => (
                  <li key={m.type + m.reason}>
                    {m.label}
                    {m.reason === 'expired' ? ` (${t('common.expired').toLowerCase()})` : ''}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        <List
          dataSource={d.checklist}
          locale={{ emptyText: t('common.none') }}
          renderItem={(c) => (
            <List.Item data-testid="checklist-row" data-type={c.type} style={{ display: 'block' }}>
              <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', justifyContent: 'space-between' }}>
                <span>
                  <ChecklistStatus c={c} /> <b>{c.label}</b> {!c.required && <Tag>{t('dossier.checklist.optional')}</Tag>}
                </span>
                {editable && <ChecklistActions onAttach={() => setAttachType(c.type)} onUpload={() => setUploadType(c.type)} />}
              </div>
              {c.evidence.length > 0 && (
                <ul style={{ margin: '4px 0 0', paddingLeft: 24, fontSize: 13 }}>
                  {c.evidence.map((e) => (
                    <li key={e.id}>
                      {e.title} · {t('evidence.expiresOn')}: <ExpiryCell expiresOn={e.expiresOn} expired={e.expired} />
                    </li>
                  ))}
                </ul>
              )}
            </List.Item>
          )}
        />
      </Card>
      <AttachModal
        dossier={d}
        type={attachType}
        onClose={() => setAttachType(null)}
        onUploadNew={(ty) => {
          setAttachType(null);
          setUploadType(ty);
        }}
      />
      <EvidenceUploadModal producerId={d.producer.id} open={!!uploadType} presetType={uploadType ?? undefined} onClose={() => setUploadType(null)} onUploaded={(e) => linkNew(e, uploadType ?? e.type)} />
    </>
  );
}

function ChecklistStatus({ c }: { c: Item }) {
  const { t } = useI18n();
  const expired = c.evidence.length > 0 && c.evidence.every((e) => e.expired);
  if (c.satisfied)
    return (
      <Tag color="green" icon={<CheckCircleFilled />} data-testid="checklist-status" data-status="ok">
        {t('dossier.checklist.ok')}
      </Tag>
    );
  if (expired)
    return (
      <Tag color="red" icon={<ExclamationCircleFilled />} data-testid="checklist-status" data-status="expired">
        {t('dossier.checklist.expired')}
      </Tag>
    );
  return (
    <Tag color={c.required ? 'red' : 'default'} icon={c.required ? <CloseCircleFilled /> : undefined} data-testid="checklist-status" data-status="missing">
      {c.required ? t('dossier.checklist.missing') : t('dossier.checklist.optionalEmpty')}
    </Tag>
  );
}

function ChecklistActions({ onAttach, onUpload }: { onAttach: () => void; onUpload: () => void }) {
  const { t } = useI18n();
  return (
    <Space wrap size={4}>
      <Button size="small" data-testid="checklist-attach" icon={<PaperClipOutlined />} onClick={onAttach}>
        {t('dossier.attachFromLocker')}
      </Button>
      <Button size="small" data-testid="checklist-upload" icon={<UploadOutlined />} onClick={onUpload}>
        {t('dossier.uploadNew')}
      </Button>
    </Space>
  );
}
