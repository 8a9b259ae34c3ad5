import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Input, InputNumber, List, Popconfirm, Result, Row, Select, Space, Steps, Table, Tag, Timeline, Typography } from 'antd';
import {
  CheckCircleFilled,
  CheckOutlined,
  CloseCircleFilled,
  DeleteOutlined,
  DownloadOutlined,
  ExclamationCircleFilled,
  FileSearchOutlined,
  FolderOpenOutlined,
  PaperClipOutlined,
  RollbackOutlined,
  SaveOutlined,
  SendOutlined,
  StopOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { PRE_ASSESSMENT_ITEMS } from '../../../shared/dossier';
import { api, ApiError, type FieldProblem } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { EvidenceUploadModal } from '../../components/evidence';
import { useIsPhone } from '../../components/hooks';
import { PageSpinner } from '../../components/PageSpinner';
import { fmtPoints } from '../../components/scoring';
import { Stars } from '../../components/Stars';
import { actorName, DOSSIER_FORM_KEYS, type Dossier, type DossierEvent, type DossierForm, type DossierSample, type DossierStatus, type Evidence, type EvidenceType } from '../../contract';
import { DATE_FORMAT, fmtDate, fmtDateTime, fromIsoDate, toIsoDate } from '../../format';
import { useI18n } from '../../i18n';
import { canViewSelfAssessment } from '../../permissions';
import { DossierStatusTag, useVocab } from '../../vocab';
import { ExpiryCell } from '../evidence/EvidenceLocker';
import { AssignModal, AttachModal, CommentActionModal, PreAssessmentModal, ReturnModal, useDossierRefresh } from './modals';

interface FormValues {
  targetStar?: number | null;
  form: DossierForm;
  sample: { quantity?: number | null; unit?: string | null; description?: string | null; deliveredOn?: Dayjs | null };
}

const WORKFLOW: DossierStatus[] = ['draft', 'submitted', 'accepted', 'assigned', 'evaluated', 'recognised'];
const EVENT_COLOR: Partial<Record<DossierStatus, string>> = { returned: 'orange', recognised: 'green', not_recognised: 'red', withdrawn: 'gray', accepted: 'green', forwarded: 'blue' };

function stepOf(s: DossierStatus): number {
  if (s === 'returned') return 1;
  if (s === 'forwarded' || s === 'not_recognised') return 5;
  const i = WORKFLOW.indexOf(s);
  return i < 0 ? 0 : i;
}

const toValues = (d: Dossier): FormValues => ({
  targetStar: d.targetStar,
  form: Object.fromEntries(DOSSIER_FORM_KEYS.map((k) => [k, d.form?.[k] ?? null])) as DossierForm,
  sample: { ...(d.sample ?? {}), deliveredOn: fromIsoDate(d.sample?.deliveredOn) },
});

/** Sample fields are all-or-nothing for quantity and unit: once anything is filled, both are needed. */
const sampleNeeds =
  (message: string) =>
  ({ getFieldValue }: { getFieldValue: (n: (string | number)[]) => unknown }) => ({
    validator: (_: unknown, v: unknown) => {
      const s = (getFieldValue(['sample']) ?? {}) as Record<string, unknown>;
      const any = Object.values(s).some((x) => x !== null && x !== undefined && x !== '');
      return !any || (v !== null && v !== undefined && v !== '') ? Promise.resolve() : Promise.reject(new Error(message));
    },
  });

const blank = (s: unknown) => (typeof s === 'string' ? (s.trim() ? s.trim() : null) : (s ?? null));

export default function DossierDetail() {
  const { id = '' } = useParams();
  const me = useMe();
  const { t, label, lang } = useI18n();
  const v = useVocab();
  const phone = useIsPhone();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useDossierRefresh(id);
  const [form] = Form.useForm<FormValues>();
  const [dirty, setDirty] = useState(false);
  const [loadedVersion, setLoadedVersion] = useState<string | null>(null);
  const [missing, setMissing] = useState<{ title: string; items: FieldProblem[]; detail?: string } | null>(null);
  const [modal, setModal] = useState<null | 'return' | 'preAssess' | 'assign' | 'accept' | 'withdraw'>(null);
  const [attachType, setAttachType] = useState<EvidenceType | null>(null);
  const [uploadType, setUploadType] = useState<EvidenceType | null>(null);
  const q = useQuery({ queryKey: ['dossiers', id], queryFn: () => api<Dossier>(`/api/dossiers/${id}`) });
  const d = q.data;

  // Load the fields when the dossier arrives or changes on the server, unless the user is typing.
  useEffect(() => {
    if (!d) return;
    const key = `${d.id}:${d.version}`;
    if (key !== loadedVersion && !dirty) {
      form.setFieldsValue(toValues(d));
      setLoadedVersion(key);
    }
  }, [d, dirty, loadedVersion, form]);

  const save = useMutation({
    mutationFn: async () => {
      const cur = qc.getQueryData<Dossier>(['dossiers', id]) ?? d!;
      await form.validateFields();
      const vals = form.getFieldsValue(true) as FormValues;
      // The server's form schema is strict: send exactly its keys.
      const f: Record<string, unknown> = {};
      for (const k of DOSSIER_FORM_KEYS) {
        const x = vals.form?.[k];
        f[k] = typeof x === 'string' ? blank(x) : (x ?? null);
      }
      const s = vals.sample ?? {};
      const anySample = s.quantity != null || !!blank(s.unit) || !!blank(s.description) || !!s.deliveredOn;
      const sample: DossierSample | null =
        cur.sampleRequired && anySample ? { quantity: s.quantity ?? null, unit: blank(s.unit) as string | null, description: blank(s.description) as string | null, deliveredOn: toIsoDate(s.deliveredOn) } : null;
      return api<Dossier>(`/api/dossiers/${id}`, { method: 'PUT', body: { version: cur.version, form: f as DossierForm, sample, targetStar: vals.targetStar ?? null } });
    },
    onSuccess: (saved) => {
      setDirty(false);
      if (saved && typeof saved === 'object' && 'allowedActions' in saved) {
        qc.setQueryData(['dossiers', id], saved);
        setLoadedVersion(`${saved.id}:${saved.version}`);
      }
      qc.invalidateQueries({ queryKey: ['dossiers'] });
    },
  });

  const submit = useMutation({
    mutationFn: async () => {
      if (dirty) await save.mutateAsync();
      return api<Dossier>(`/api/dossiers/${id}/submit`, { body: {} });
    },
    onSuccess: (r) => {
      setMissing(null);
      message.success(t('dossier.submittedMsg'));
      refresh(r);
    },
    onError: (e) => {
      if (e && typeof e === 'object' && 'errorFields' in e) return; // the form shows what to fix
      if (e instanceof ApiError && (e.status === 422 || e.code === 'DOSSIER_INCOMPLETE')) {
        setMissing({ title: e.problem.title, items: e.problem.errors ?? [], detail: e.problem.detail });
        qc.invalidateQueries({ queryKey: ['dossiers', id] });
        setTimeout(() => document.querySelector('[data-testid="submit-missing"]')?.scrollIntoView({ block: 'center' }), 50);
        return;
      }
      showError(e, form);
    },
  });

  const unlink = useMutation({
    mutationFn: (evidenceId: string) => api(`/api/dossiers/${id}/evidence/${evidenceId}`, { method: 'DELETE' }),
    onSuccess: (r) => {
      message.success(t('dossier.unlinked'));
      refresh(r);
    },
    onError: (e) => showError(e),
  });

  const linkNew = async (e: Evidence, requirement: EvidenceType) => {
    try {
      const r = await api(`/api/dossiers/${id}/evidence`, { body: { evidenceId: e.id, requirement } });
      message.success(t('dossier.attached'));
      refresh(r);
    } catch (err) {
      showError(err);
    }
  };

  if (q.isLoading) return <PageSpinner />;
  if (q.error || !d) {
    const e = q.error;
    return <Result status={e instanceof ApiError && e.status === 403 ? '403' : '404'} title={e instanceof ApiError ? e.problem.title : t('error.notFound')} subTitle={e instanceof ApiError ? e.problem.detail : undefined} />;
  }

  const can = (a: Dossier['allowedActions'][number]) => d.allowedActions.includes(a);
  const editable = can('edit');
  const lastReturn = [...d.events].reverse().find((e) => e.to === 'returned');
  const events = [...d.events].sort((a, b) => a.at.localeCompare(b.at));
  const missingNow = d.missing ?? [];

  const actions = (
    <>
      {can('submit') && (
        <Button data-testid="dossier-submit" type="primary" icon={<SendOutlined />} loading={submit.isPending} onClick={() => submit.mutate()}>
          {d.status === 'returned' ? t('dossier.action.resubmit') : t('dossier.action.submit')}
        </Button>
      )}
      {can('preAssess') && (
        <Button data-testid="dossier-pre-assess" icon={<FileSearchOutlined />} onClick={() => setModal('preAssess')}>
          {t('dossier.action.preAssess')}
        </Button>
      )}
      {can('accept') && (
        <Button data-testid="dossier-accept" type="primary" icon={<CheckOutlined />} onClick={() => setModal('accept')}>
          {t('dossier.action.accept')}
        </Button>
      )}
      {can('return') && (
        <Button data-testid="dossier-return" icon={<RollbackOutlined />} onClick={() => setModal('return')}>
          {t('dossier.action.return')}
        </Button>
      )}
      {can('assign') && (
        <Button data-testid="dossier-assign" type="primary" icon={<CheckOutlined />} onClick={() => setModal('assign')}>
          {t('dossier.action.assign')}
        </Button>
      )}
      {can('withdraw') && (
        <Button data-testid="dossier-withdraw" danger icon={<StopOutlined />} onClick={() => setModal('withdraw')}>
          {t('dossier.action.withdraw')}
        </Button>
      )}
    </>
  );

  const checklistStatus = (c: Dossier['checklist'][number]) => {
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
  };

  const checklistActions = (c: Dossier['checklist'][number]) =>
    editable ? (
      <Space wrap size={4}>
        <Button size="small" data-testid="checklist-attach" icon={<PaperClipOutlined />} onClick={() => setAttachType(c.type)}>
          {t('dossier.attachFromLocker')}
        </Button>
        <Button size="small" data-testid="checklist-upload" icon={<UploadOutlined />} onClick={() => setUploadType(c.type)}>
          {t('dossier.uploadNew')}
        </Button>
      </Space>
    ) : null;

  const disabled = !editable;

  return (
    <>
      <PageHeader
        back="/dossiers"
        title={
          <span data-testid="dossier-title">
            {t('dossier.titleOf', { name: d.product.name })} <DossierStatusTag status={d.status} />
          </span>
        }
        extra={actions}
      />


      {d.status === 'returned' && lastReturn && (
        <Alert
          data-testid="dossier-asked"
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('dossier.askedOfYou')}
          description={
            <>
              {!!lastReturn.reasons?.length && (
                <ul style={{ margin: '4px 0', paddingLeft: 18 }} data-testid="dossier-asked-reasons">
                  {lastReturn.reasons.map((r, i) => (
                    <li key={i}>{r}</li>
                  ))}
                </ul>
              )}
              {lastReturn.comment && <div style={{ whiteSpace: 'pre-wrap' }}>{lastReturn.comment}</div>}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {actorName(lastReturn.actor)} · {fmtDateTime(lastReturn.at)}
              </Typography.Text>
            </>
          }
        />
      )}

      {missing && (
        <Alert
          data-testid="submit-missing"
          type="error"
          showIcon
          closable={{ onClose: () => setMissing(null) }}
          style={{ marginBottom: 12 }}
          title={t('dossier.submitRefused')}
          description={
            <>
              <div>{missing.detail && missing.detail !== missing.title ? missing.detail : missing.title}</div>
              <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                {missing.items.map((x, i) => (
                  <li key={i} data-testid="submit-missing-item" data-path={x.path}>
                    {x.message}
                  </li>
                ))}
              </ul>
            </>
          }
        />
      )}

      <Card size="small" style={{ marginBottom: 12 }}>
        {/* Phones get the sentence only: six steps stacked would push what is asked below the fold. */}
        {!phone && (
          <Steps
            size="small"
            current={stepOf(d.status)}
            status={d.status === 'returned' || d.status === 'not_recognised' || d.status === 'withdrawn' ? 'error' : d.status === 'recognised' ? 'finish' : 'process'}
            titlePlacement="vertical"
            items={WORKFLOW.map((s, i) => ({
              title: i === 1 && d.status === 'returned' ? v.dossierStatus('returned') : i === 5 && (d.status === 'forwarded' || d.status === 'not_recognised') ? v.dossierStatus(d.status) : v.dossierStatus(s),
            }))}
          />
        )}
        <Typography.Paragraph style={{ margin: phone ? 0 : '8px 0 0' }} data-testid="dossier-where">
          {label('dossierStatusHelp', d.status)}
        </Typography.Paragraph>
      </Card>

      {d.result && (
        <Alert
          data-testid="dossier-result"
          type={d.status === 'not_recognised' ? 'error' : d.status === 'recognised' || d.result.outcome === 'recognised' ? 'success' : 'info'}
          showIcon
          style={{ marginBottom: 12 }}
          title={
            <span>
              {d.result.outcome ? label('outcome', d.result.outcome) : t('dossier.result')} {d.result.finalStar ? <Stars value={d.result.finalStar} /> : null}
              {d.result.meanScore != null ? ` · ${t('dossier.meanScore', { n: fmtPoints(d.result.meanScore, lang, 2) })}` : ''}
            </span>
          }
          description={
            d.result.reasons?.length || d.levelResults.length > 1 ? (
              <>
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {(d.result.reasons ?? []).map((r, i) => (
                    <li key={i}>{r}</li>
                  ))}
                </ul>
                <LevelResults levels={d.levelResults} />
              </>
            ) : undefined
          }
        />
      )}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card size="small" title={t('common.info')}>
              <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} data-testid="dossier-info">
                <Descriptions.Item label={t('dossier.product')}>
                  <Link to={`/products/${d.product.id}`}>{d.product.name}</Link>
                  <div style={{ fontSize: 12, color: '#888' }}>{d.product.taxonomyCode}</div>
                </Descriptions.Item>
                <Descriptions.Item label={t('dossier.producer')}>
                  <Link to={`/producers/${d.producer.id}`}>{d.producer.legalName}</Link>
                </Descriptions.Item>
                <Descriptions.Item label={t('dossier.kind')}>{label('dossierKind', d.kind)}</Descriptions.Item>
                <Descriptions.Item label={t('dossier.targetStar')}>{d.targetStar ? <Stars value={d.targetStar} /> : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('dossier.procedure')} span={2}>
                  {d.procedure.name}
                </Descriptions.Item>
                <Descriptions.Item label={t('dossier.intakeUnit')}>
                  <span data-testid="dossier-intake">
                    {d.intakeUnit.name} <Tag>{label('intake', d.procedure.intake)}</Tag>
                  </span>
                </Descriptions.Item>
                <Descriptions.Item label={t('dossier.round')}>{d.round ? <Link to={`/rounds/${d.round.id}`}>{d.round.name}</Link> : '—'}</Descriptions.Item>
                {d.baseCertificate && (
                  <Descriptions.Item label={t('dossier.baseCertificate')} span={2}>
                    {d.baseCertificate.number} · <Stars value={d.baseCertificate.star} /> · {t('certificate.expiresOn')} {fmtDate(d.baseCertificate.expiresOn)}
                  </Descriptions.Item>
                )}
                {d.certificate && (
                  <Descriptions.Item label={t('dossier.certificate')} span={2}>
                    <Link to={`/certificates?q=${encodeURIComponent(d.certificate.number)}`} data-testid="dossier-certificate">
                      {d.certificate.number}
                    </Link>{' '}
                    <Tag>{label('certificateStatus', d.certificate.status)}</Tag>
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Card>

            <Form
              form={form}
              layout="vertical"
              disabled={disabled}
              onValuesChange={() => setDirty(true)}
              onFinish={() =>
                save.mutate(undefined, {
                  onSuccess: () => message.success(t('common.saved')),
                  onError: (e) => showError(e, form),
                })
              }
            >
              <Card
                size="small"
                title={t('dossier.section.form')}
                extra={
                  editable && (
                    <Button data-testid="dossier-save" htmlType="submit" icon={<SaveOutlined />} type={dirty ? 'primary' : 'default'} loading={save.isPending} disabled={false}>
                      {t('common.save')}
                    </Button>
                  )
                }
              >
                <Row gutter={12}>
                  <Col xs={24} md={12}>
                    <Form.Item name="targetStar" label={t('dossier.targetStar')}>
                      <Select data-testid="dossier-target-star" allowClear options={[3, 4, 5].map((n) => ({ value: n, label: t('product.starsN', { n }) }))} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12} />
                  <Col xs={24} md={12}>
                    <Form.Item name={['form', 'productionCapacity']} label={t('dossier.form.productionCapacity')}>
                      <Input data-testid="form-production-capacity" maxLength={300} placeholder={t('dossier.form.productionCapacityPh')} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name={['form', 'annualOutput']} label={t('dossier.form.annualOutput')}>
                      <Input data-testid="form-annual-output" maxLength={300} placeholder={t('dossier.form.annualOutputPh')} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name={['form', 'markets']} label={t('dossier.form.market')}>
                      <Input data-testid="form-market" maxLength={1000} placeholder={t('dossier.form.marketPh')} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name={['form', 'rawMaterialSource']} label={t('dossier.form.rawMaterialSource')}>
                      <Input data-testid="form-raw-material" maxLength={1000} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={6}>
                    <Form.Item name={['form', 'workers']} label={t('dossier.form.workers')}>
                      <InputNumber data-testid="form-workers" min={0} max={1000000} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={6}>
                    <Form.Item name={['form', 'localWorkers']} label={t('dossier.form.localWorkers')}>
                      <InputNumber data-testid="form-local-workers" min={0} max={1000000} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={6}>
                    <Form.Item name={['form', 'contactPerson']} label={t('dossier.form.contactPerson')}>
                      <Input data-testid="form-contact-person" maxLength={120} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={6}>
                    <Form.Item name={['form', 'contactPhone']} label={t('dossier.form.contactPhone')} rules={[{ pattern: /^[0-9+ .()-]{8,20}$/, message: t('form.badPhone') }]}>
                      <Input data-testid="form-contact-phone" type="tel" maxLength={20} />
                    </Form.Item>
                  </Col>
                  <Col span={24}>
                    <Form.Item name={['form', 'description']} label={t('dossier.form.productDescription')}>
                      <Input.TextArea data-testid="form-product-description" autoSize={{ minRows: 2, maxRows: 8 }} maxLength={4000} />
                    </Form.Item>
                  </Col>
                  <Col span={24}>
                    <Form.Item name={['form', 'developmentPlan']} label={t('dossier.form.developmentPlan')}>
                      <Input.TextArea data-testid="form-development-plan" autoSize={{ minRows: 1, maxRows: 6 }} maxLength={4000} />
                    </Form.Item>
                  </Col>
                </Row>
              </Card>

              {d.sampleRequired && (
                <Card size="small" title={t('dossier.section.sample')} style={{ marginTop: 16 }} data-testid="dossier-sample">
                  <Row gutter={12}>
                    <Col xs={12} md={6}>
                      <Form.Item
                        name={['sample', 'quantity']}
                        label={t('dossier.sample.quantity')}
                        dependencies={[['sample', 'unit'], ['sample', 'description'], ['sample', 'deliveredOn']]}
                        rules={[sampleNeeds(t('dossier.sample.quantityRequired'))]}
                      >
                        <InputNumber data-testid="sample-quantity" min={1} max={1000} precision={0} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={6}>
                      <Form.Item
                        name={['sample', 'unit']}
                        label={t('dossier.sample.unit')}
                        dependencies={[['sample', 'quantity'], ['sample', 'description'], ['sample', 'deliveredOn']]}
                        rules={[sampleNeeds(t('dossier.sample.unitRequired'))]}
                      >
                        <Input data-testid="sample-unit" maxLength={40} placeholder={t('dossier.sample.unitPh')} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={12}>
                      <Form.Item name={['sample', 'deliveredOn']} label={t('dossier.sample.deliveredOn')}>
                        <DatePicker data-testid="sample-delivered-on" format={DATE_FORMAT} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col span={24}>
                      <Form.Item name={['sample', 'description']} label={t('dossier.sample.description')}>
                        <Input.TextArea data-testid="sample-description" autoSize={{ minRows: 1, maxRows: 4 }} maxLength={1000} />
                      </Form.Item>
                    </Col>
                  </Row>
                </Card>
              )}
            </Form>

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
              {missingNow.length > 0 && (
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
                        {checklistStatus(c)} <b>{c.label}</b> {!c.required && <Tag>{t('dossier.checklist.optional')}</Tag>}
                      </span>
                      {checklistActions(c)}
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
          </Space>
        </Col>

        <Col xs={24} xl={10}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card size="small" title={t('dossier.section.self')} data-testid="dossier-self">
              {d.selfAssessment && d.selfAssessment.updatedAt ? (
                <Space wrap>
                  <span>
                    <Stars value={d.selfAssessment.star} /> <b>{fmtPoints(d.selfAssessment.total, lang)}</b> {t('self.points')}
                  </span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('self.updatedAt', { at: fmtDateTime(d.selfAssessment.updatedAt) })}
                  </Typography.Text>
                </Space>
              ) : (
                <Alert type="warning" showIcon title={t('dossier.self.none')} />
              )}
              {canViewSelfAssessment(me, d.producer.id) && (
                <div style={{ marginTop: 8 }}>
                  <Link to={`/products/${d.product.id}?tab=self`} data-testid="dossier-self-link">
                    {t('dossier.self.open')}
                  </Link>
                </div>
              )}
            </Card>

            {d.preAssessmentRequired && (
              <Card
                size="small"
                title={t('dossier.section.pre')}
                data-testid="dossier-pre"
                extra={
                  can('preAssess') && (
                    <Button size="small" onClick={() => setModal('preAssess')}>
                      {d.preAssessment ? t('common.edit') : t('dossier.pre.write')}
                    </Button>
                  )
                }
              >
                {d.preAssessment ? (
                  <>
                    <List
                      size="small"
                      dataSource={[...PRE_ASSESSMENT_ITEMS]}
                      renderItem={(k) => {
                        const it = d.preAssessment!.items[k];
                        return (
                          <List.Item>
                            <span>
                              {it?.met ? <Tag color="green">{t('dossier.pre.met')}</Tag> : <Tag color="red">{t('dossier.pre.notMet')}</Tag>} {v.preAssessment(k)}
                              {it?.note && <div style={{ fontSize: 12, color: '#666' }}>{it.note}</div>}
                            </span>
                          </List.Item>
                        );
                      }}
                    />
                    <div style={{ marginTop: 8 }}>
                      {d.preAssessment.formatChecked ? <Tag color="green">{t('dossier.pre.formatOk')}</Tag> : <Tag color="orange">{t('dossier.pre.formatNotChecked')}</Tag>}
                    </div>
                    <Typography.Paragraph style={{ marginTop: 8, whiteSpace: 'pre-wrap' }}>
                      <b>{t('dossier.pre.conclusion')}:</b> {d.preAssessment.conclusion}
                    </Typography.Paragraph>
                  </>
                ) : (
                  <Typography.Text type="secondary">{t('dossier.pre.none')}</Typography.Text>
                )}
              </Card>
            )}

            <Card size="small" title={t('dossier.section.timeline')} data-testid="dossier-timeline">
              {events.length === 0 ? <Empty description={t('common.none')} /> : <Timeline items={events.map((e) => timelineItem(e, v.dossierStatus, t))} />}
            </Card>
          </Space>
        </Col>
      </Row>

      <ReturnModal dossier={d} open={modal === 'return'} onClose={() => setModal(null)} />
      <PreAssessmentModal dossier={d} open={modal === 'preAssess'} onClose={() => setModal(null)} />
      <AssignModal dossier={d} open={modal === 'assign'} onClose={() => setModal(null)} />
      <CommentActionModal dossier={d} action={modal === 'accept' || modal === 'withdraw' ? modal : null} onClose={() => setModal(null)} />
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

function timelineItem(e: DossierEvent, statusLabel: (s: string) => string, t: ReturnType<typeof useI18n>['t']) {
  return {
    key: String(e.id),
    color: EVENT_COLOR[e.to] ?? 'blue',
    content: (
      <div data-testid="timeline-event" data-to={e.to}>
        <div>
          {e.from ? (
            <>
              <Typography.Text type="secondary">{statusLabel(e.from)}</Typography.Text> → <b>{statusLabel(e.to)}</b>
            </>
          ) : (
            <b>{t('dossier.event.created', { status: statusLabel(e.to) })}</b>
          )}
        </div>
        <div style={{ fontSize: 12, color: '#666' }}>
          {actorName(e.actor)} · {fmtDateTime(e.at)}
        </div>
        {!!e.reasons?.length && (
          <ul style={{ margin: '2px 0', paddingLeft: 18, fontSize: 13 }}>
            {e.reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        )}
        {e.comment && <div style={{ fontSize: 13, whiteSpace: 'pre-wrap' }}>“{e.comment}”</div>}
      </div>
    ),
  };
}

/** Every council the dossier went through (commune pre-assessment, province, ministry), oldest first. */
function LevelResults({ levels }: { levels: Dossier['levelResults'] }) {
  const { t, label, lang } = useI18n();
  if (levels.length < 2) return null;
  return (
    <ol style={{ margin: '6px 0 0', paddingLeft: 18 }} data-testid="dossier-levels">
      {levels.map((l) => (
        <li key={l.roundId}>
          <b>{label('roundLevel', l.level)}</b> — <Link to={`/rounds/${l.roundId}`}>{l.roundName}</Link>: {label('outcome', l.outcome)}
          {l.finalStar ? <> · <Stars value={l.finalStar} /></> : null}
          {l.meanScore != null ? ` · ${t('dossier.meanScore', { n: fmtPoints(l.meanScore, lang, 2) })}` : ''}
        </li>
      ))}
    </ol>
  );
}
