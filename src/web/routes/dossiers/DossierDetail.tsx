import { App, Col, Form, Result, Row, Space } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, ApiError } from '../../api';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { useIsPhone } from '../../components/hooks';
import { PageSpinner } from '../../components/PageSpinner';
import type { Dossier } from '../../contract';
import { useI18n } from '../../i18n';
import { DossierStatusTag } from '../../vocab';
import { ChecklistCard } from './detail/ChecklistCard';
import { InfoCard } from './detail/InfoCard';
import { LinkedEvidenceCard } from './detail/LinkedEvidenceCard';
import { RegistrationFormCard, SaveButton } from './detail/RegistrationFormCard';
import { SampleCard } from './detail/SampleCard';
import { PreAssessmentCard, SelfAssessmentCard, TimelineCard } from './detail/SidePanel';
import { AskedAlert, ProgressCard, ResultAlert } from './detail/StatusBanners';
import { UnsavedChangesGuard } from './detail/UnsavedChangesGuard';
import { useDossierDraft } from './detail/useDossierDraft';
import { OfficerActions, offers, SubmitPanel, WithdrawCard, type DossierModal } from './detail/WorkflowActions';
import { AssignModal, CommentActionModal, PreAssessmentModal, ReturnModal } from './modals';

/**
 * One dossier: what is asked and what is missing next to "Nộp hồ sơ", the registration form and the product sample
 * (one save, guarded against leaving with unsaved edits), the documents, and the officers' steps. Every workflow
 * button is one the server's `allowedActions` offers.
 */
export default function DossierDetail() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const showError = useShowError();
  const [modal, setModal] = useState<DossierModal | null>(null);
  const q = useQuery({ queryKey: ['dossiers', id], queryFn: () => api<Dossier>(`/api/dossiers/${id}`) });
  const d = q.data;
  const draft = useDossierDraft(id, d);

  if (q.isLoading) return <PageSpinner />;
  if (q.error || !d) {
    const e = q.error;
    return <Result status={e instanceof ApiError && e.status === 403 ? '403' : '404'} title={e instanceof ApiError ? e.problem.title : t('error.notFound')} subTitle={e instanceof ApiError ? e.problem.detail : undefined} />;
  }

  const editable = offers(d, 'edit');
  const saveButton = (testId: string) => (editable ? <SaveButton dirty={draft.dirty} loading={draft.save.isPending} testId={testId} /> : null);

  return (
    <>
      <UnsavedChangesGuard dirty={draft.dirty} />
      <PageHeader
        back="/dossiers"
        title={
          <span data-testid="dossier-title">
            {t('dossier.titleOf', { name: d.product.name })} <DossierStatusTag status={d.status} />
          </span>
        }
        extra={<OfficerActions dossier={d} open={setModal} />}
      />
      <AskedAlert dossier={d} />
      <SubmitPanel dossier={d} draft={draft} />
      <ProgressCard dossier={d} phone={phone} />
      <ResultAlert dossier={d} />

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <InfoCard dossier={d} />
            <Form
              form={draft.form}
              layout="vertical"
              disabled={!editable}
              onValuesChange={draft.markDirty}
              onFinish={() =>
                draft.save.mutate(undefined, {
                  onSuccess: () => message.success(t('common.saved')),
                  onError: (e) => showError(e, draft.form),
                })
              }
            >
              <RegistrationFormCard saveButton={saveButton('dossier-save')} />
              {d.sampleRequired && <SampleCard saveButton={saveButton('sample-save')} />}
            </Form>
            <ChecklistCard dossier={d} />
            <LinkedEvidenceCard dossier={d} />
          </Space>
        </Col>

        <Col xs={24} xl={10}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <SelfAssessmentCard dossier={d} />
            <PreAssessmentCard dossier={d} onPreAssess={() => setModal('preAssess')} />
            <TimelineCard dossier={d} />
            <WithdrawCard dossier={d} open={setModal} />
          </Space>
        </Col>
      </Row>

      <ReturnModal dossier={d} open={modal === 'return'} onClose={() => setModal(null)} />
      <PreAssessmentModal dossier={d} open={modal === 'preAssess'} onClose={() => setModal(null)} />
      <AssignModal dossier={d} open={modal === 'assign'} onClose={() => setModal(null)} />
      <CommentActionModal dossier={d} action={modal === 'accept' || modal === 'withdraw' ? modal : null} onClose={() => setModal(null)} />
    </>
  );
}
