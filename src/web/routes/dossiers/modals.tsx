import { Alert, App, Button, Checkbox, Col, Empty, Form, Input, List, Modal, Radio, Row, Select, Space, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PRE_ASSESSMENT_ITEMS } from '../../../shared/dossier';
import { api } from '../../api';
import { useShowError } from '../../components/errors';
import { freshOnOpen } from '../../components/freshOnOpen';
import type { Dossier, EvidenceType, PreAssessmentInput, PreAssessmentItem } from '../../contract';
import { fmtDate } from '../../format';
import { useI18n } from '../../i18n';
import { useVocab } from '../../vocab';
import type { Round } from '../rounds/common';
import { useEvidence } from '../evidence/EvidenceLocker';

/** After any workflow step: the dossier, its lists and the evidence "used in" columns change. */
export function useDossierRefresh(id: string) {
  const qc = useQueryClient();
  return (d?: unknown) => {
    if (d && typeof d === 'object' && 'allowedActions' in d) qc.setQueryData(['dossiers', id], d);
    qc.invalidateQueries({ queryKey: ['dossiers'] });
    qc.invalidateQueries({ queryKey: ['evidence'] });
    qc.invalidateQueries({ queryKey: ['notifications'] });
  };
}

/** Officer returns a submitted dossier: one reason per line of what is asked, plus a comment. */
function ReturnModalInner({ dossier, open, onClose }: { dossier: Dossier; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reasons: string[]; comment?: string }>();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useDossierRefresh(dossier.id);
  const m = useMutation({
    mutationFn: (v: { reasons: string[]; comment?: string }) => api<Dossier>(`/api/dossiers/${dossier.id}/return`, { body: v }),
    onSuccess: (d) => {
      message.success(t('dossier.returnedMsg'));
      refresh(d);
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  const suggestions = dossier.checklist.filter((c) => !c.satisfied || c.evidence.some((e) => e.expired)).map((c) => t('dossier.return.suggest', { label: c.label }));
  const reasonRules = [{ min: 3, message: t('dossier.return.reasonTooShort') }];
  return (
    <Modal
      open={open}
      title={t('dossier.action.return')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('dossier.action.return')}
      okButtonProps={{ 'data-testid': 'return-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph type="secondary">{t('dossier.return.help')}</Typography.Paragraph>
      <Form preserve={false}
        form={form}
        layout="vertical"
        initialValues={{ reasons: [''] }}
        onFinish={(v) => m.mutate({ reasons: v.reasons.map((r) => r.trim()).filter(Boolean), comment: v.comment?.trim() || undefined })}
      >
        <Form.List
          name="reasons"
          rules={[{ validator: async (_, rs: string[]) => ((rs ?? []).some((r) => r?.trim()) ? undefined : Promise.reject(new Error(t('dossier.return.needReason')))) }]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              <Typography.Text strong>{t('dossier.return.reasons')}</Typography.Text>
              {fields.map((f, i) => (
                <div key={f.key} style={{ display: 'flex', gap: 8, alignItems: 'flex-start', marginTop: 8 }}>
                  <Form.Item name={f.name} style={{ flex: 1, marginBottom: 0 }} rules={[{ required: i === 0, whitespace: true, message: t('form.required') }, ...reasonRules]}>
                    <Input.TextArea data-testid={`return-reason-${i}`} autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} placeholder={t('dossier.return.reasonPlaceholder')} />
                  </Form.Item>
                  {fields.length > 1 && <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />}
                </div>
              ))}
              <Form.ErrorList errors={errors} />
              <Space wrap size={4} style={{ margin: '8px 0 16px' }}>
                <Button size="small" data-testid="return-add-reason" icon={<PlusOutlined />} onClick={() => add('')}>
                  {t('dossier.return.addReason')}
                </Button>
                {suggestions.map((s) => (
                  <Tag
                    key={s}
                    style={{ cursor: 'pointer', whiteSpace: 'normal' }}
                    onClick={() => {
                      const cur = (form.getFieldValue('reasons') as string[]).filter((r) => r?.trim());
                      if (!cur.includes(s)) form.setFieldValue('reasons', [...cur, s]);
                    }}
                  >
                    + {s}
                  </Tag>
                ))}
              </Space>
            </>
          )}
        </Form.List>
        <Form.Item name="comment" label={t('dossier.comment')}>
          <Input.TextArea data-testid="return-comment" autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Accept / withdraw: a step with an optional comment. */
function CommentActionModalInner({ dossier, action, onClose }: { dossier: Dossier; action: 'accept' | 'withdraw' | null; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ comment?: string; formatChecked?: boolean }>();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useDossierRefresh(dossier.id);
  // District intake (QĐ 148 original) confirms the format check on acceptance; commune intake did it in the report.
  const askFormat = action === 'accept' && dossier.procedure.intake === 'district';
  const m = useMutation({
    mutationFn: (v: { comment?: string; formatChecked?: boolean }) =>
      api<Dossier>(`/api/dossiers/${dossier.id}/${action}`, { body: { ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}), ...(askFormat ? { formatChecked: !!v.formatChecked } : {}) } }),
    onSuccess: (d) => {
      message.success(action === 'accept' ? t('dossier.acceptedMsg') : t('dossier.withdrawnMsg'));
      refresh(d);
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  const needsReport = action === 'accept' && dossier.preAssessmentRequired && !dossier.preAssessment?.formatChecked;
  return (
    <Modal
      open={!!action}
      title={action === 'accept' ? t('dossier.action.accept') : t('dossier.action.withdraw')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={action === 'accept' ? t('dossier.action.accept') : t('dossier.action.withdraw')}
      okButtonProps={{ danger: action === 'withdraw', 'data-testid': `${action}-ok` } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph>{action === 'accept' ? t('dossier.accept.help', { unit: dossier.intakeUnit.name }) : t('dossier.withdraw.help')}</Typography.Paragraph>
      {needsReport && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('dossier.accept.needsReport')} />}
      <Form preserve={false} form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        {askFormat && (
          <Form.Item name="formatChecked" valuePropName="checked" rules={[{ validator: (_, x) => (x ? Promise.resolve() : Promise.reject(new Error(t('dossier.accept.formatRequired')))) }]}>
            <Checkbox data-testid="accept-format-checked">{t('dossier.pre.formatChecked')}</Checkbox>
          </Form.Item>
        )}
        <Form.Item name="comment" label={t('dossier.comment')}>
          <Input.TextArea data-testid={`${action}-comment`} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Provincial officer puts an accepted dossier into an evaluation round that has not opened its results. */
function AssignModalInner({ dossier, open, onClose }: { dossier: Dossier; open: boolean; onClose: () => void }) {
  const { t, label } = useI18n();
  const [form] = Form.useForm<{ roundId: string }>();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useDossierRefresh(dossier.id);
  const rounds = useQuery({ queryKey: ['rounds', 'list'], queryFn: () => api<Round[]>('/api/rounds'), enabled: open });
  // The server refuses a round of another procedure version or one whose results are open.
  // A forwarded dossier goes to a round of the level it was forwarded to; otherwise to a round of its procedure.
  const forwardTo = dossier.status === 'forwarded' ? dossier.result?.forwardTo ?? null : null;
  const open_ = (rounds.data ?? []).filter((r) => (r.status === 'draft' || r.status === 'scoring') && r.allowedActions.includes('addProducts')
    && (forwardTo ? r.level === forwardTo : r.procedure.code === dossier.procedure.code));
  const m = useMutation({
    mutationFn: (v: { roundId: string }) => api<Dossier>(`/api/dossiers/${dossier.id}/assign`, { body: v }),
    onSuccess: (d) => {
      message.success(t('dossier.assignedMsg'));
      refresh(d);
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Modal
      open={open}
      title={t('dossier.action.assign')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('dossier.action.assign')}
      okButtonProps={{ 'data-testid': 'assign-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('dossier.assign.help')}</Typography.Paragraph>
      <Form preserve={false} form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        <Form.Item name="roundId" label={t('dossier.round')} rules={[{ required: true, message: t('form.required') }]}>
          <Select
            data-testid="assign-round"
            loading={rounds.isLoading}
            showSearch={{ filterOption: (input, o) => String(o?.label ?? '').toLowerCase().includes(input.toLowerCase()) }}
            placeholder={t('dossier.assign.placeholder')}
            notFoundContent={rounds.isLoading ? t('common.loading') : t('dossier.assign.noRounds')}
            options={open_.map((r) => ({ value: r.id, label: `${r.name} · ${label('roundLevel', r.level)} · ${label('roundStatus', r.status)}` }))}
            popupMatchSelectWidth={false}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface PreValues {
  items: Record<PreAssessmentItem, { met?: boolean; note?: string }>;
  formatChecked?: boolean;
  conclusion: string;
}

/** Commune pre-assessment report (QĐ 148 amended by QĐ 1489): the four local criteria, the format check, a conclusion. */
function PreAssessmentModalInner({ dossier, open, onClose }: { dossier: Dossier; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const v = useVocab();
  const [form] = Form.useForm<PreValues>();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useDossierRefresh(dossier.id);
  const m = useMutation({
    mutationFn: (body: PreAssessmentInput) => api<Dossier>(`/api/dossiers/${dossier.id}/pre-assessment`, { method: 'PUT', body }),
    onSuccess: (d) => {
      message.success(t('dossier.pre.saved'));
      refresh(d);
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  const initial = dossier.preAssessment;
  return (
    <Modal
      open={open}
      title={t('dossier.action.preAssess')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'pre-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
      width={680}
    >
      <Typography.Paragraph type="secondary">{t('dossier.pre.help')}</Typography.Paragraph>
      <Form preserve={false}
        form={form}
        layout="vertical"
        initialValues={initial ? { items: initial.items, formatChecked: initial.formatChecked, conclusion: initial.conclusion } : { formatChecked: false }}
        onFinish={(x) =>
          m.mutate({
            items: Object.fromEntries(PRE_ASSESSMENT_ITEMS.map((k) => [k, { met: !!x.items[k]?.met, note: x.items[k]?.note?.trim() ?? '' }])) as PreAssessmentInput['items'],
            formatChecked: !!x.formatChecked,
            conclusion: x.conclusion.trim(),
          })
        }
      >
        {PRE_ASSESSMENT_ITEMS.map((k) => (
          <Row key={k} gutter={8} align="top" style={{ borderBottom: '1px solid #f0f0f0', paddingTop: 8 }}>
            <Col xs={24} md={9}>
              <Typography.Text strong>{v.preAssessment(k)}</Typography.Text>
            </Col>
            <Col xs={24} md={7}>
              <Form.Item name={['items', k, 'met']} rules={[{ required: true, message: t('form.required') }]} style={{ marginBottom: 8 }}>
                <Radio.Group data-testid={`pre-${k}`} optionType="button" buttonStyle="solid" size="small">
                  <Radio.Button value={true}>
                    <span data-testid={`pre-${k}-met`}>{t('dossier.pre.met')}</span>
                  </Radio.Button>
                  <Radio.Button value={false}>
                    <span data-testid={`pre-${k}-notmet`}>{t('dossier.pre.notMet')}</span>
                  </Radio.Button>
                </Radio.Group>
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name={['items', k, 'note']} style={{ marginBottom: 8 }}>
                <Input size="small" data-testid={`pre-${k}-note`} placeholder={t('dossier.pre.note')} maxLength={500} />
              </Form.Item>
            </Col>
          </Row>
        ))}
        <Form.Item name="formatChecked" valuePropName="checked" style={{ marginTop: 12 }}>
          <Checkbox data-testid="pre-format-checked">{t('dossier.pre.formatChecked')}</Checkbox>
        </Form.Item>
        <Form.Item name="conclusion" label={t('dossier.pre.conclusion')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
          <Input.TextArea data-testid="pre-conclusion" autoSize={{ minRows: 2, maxRows: 6 }} maxLength={4000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Pick a document of the right type from the producer's locker (or switch to uploading a new one). */
function AttachModalInner({ dossier, type, onClose, onUploadNew }: { dossier: Dossier; type: EvidenceType | null; onClose: () => void; onUploadNew: (t: EvidenceType) => void }) {
  const { t, label } = useI18n();
  const v = useVocab();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useDossierRefresh(dossier.id);
  const list = useEvidence(type ? dossier.producer.id : undefined);
  const linked = new Set(dossier.linkedEvidence.map((e) => e.id));
  const rows = (list.data ?? []).filter((e) => e.type === type && !linked.has(e.id));
  const m = useMutation({
    mutationFn: (evidenceId: string) => api(`/api/dossiers/${dossier.id}/evidence`, { body: { evidenceId, requirement: type } }),
    onSuccess: (d) => {
      message.success(t('dossier.attached'));
      refresh(d);
      onClose();
    },
    onError: (e) => showError(e),
  });
  return (
    <Modal open={!!type} title={type ? t('dossier.attachTitle', { type: v.evidenceType(type) }) : ''} onCancel={onClose} footer={null} destroyOnHidden width={640}>
      <List
        data-testid="attach-list"
        loading={list.isLoading}
        dataSource={rows}
        locale={{ emptyText: <Empty description={t('dossier.attachNone')} /> }}
        renderItem={(e) => (
          <List.Item
            data-testid="attach-item"
            actions={[
              <Button key="pick" data-testid="attach-pick" type="primary" size="small" icon={<PaperClipOutlined />} loading={m.isPending && m.variables === e.id} onClick={() => m.mutate(e.id)}>
                {t('dossier.attachPick')}
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={e.title}
              description={
                <span style={{ fontSize: 12 }}>
                  {e.certificationType ? `${label('certificationType', e.certificationType)} · ` : ''}
                  {[e.number, e.issuer].filter(Boolean).join(' · ') || e.fileName}
                  {' · '}
                  {t('evidence.expiresOn')}: {fmtDate(e.expiresOn)}{' '}
                  {e.expired && <Tag color="red">{t('common.expired')}</Tag>}
                </span>
              }
            />
          </List.Item>
        )}
      />
      {rows.some((e) => e.expired) && <Alert type="warning" showIcon style={{ marginTop: 8 }} title={t('dossier.attachExpiredWarn')} />}
      <div style={{ marginTop: 12, textAlign: 'right' }}>
        <Button data-testid="attach-upload-new" icon={<UploadOutlined />} onClick={() => type && onUploadNew(type)}>
          {t('dossier.uploadNew')}
        </Button>
      </div>
    </Modal>
  );
}

export const ReturnModal = freshOnOpen(ReturnModalInner, (p) => p.open);

export const CommentActionModal = freshOnOpen(CommentActionModalInner, (p) => !!p.action);

export const AssignModal = freshOnOpen(AssignModalInner, (p) => p.open);

export const PreAssessmentModal = freshOnOpen(PreAssessmentModalInner, (p) => p.open);

export const AttachModal = freshOnOpen(AttachModalInner, (p) => !!p.type);
