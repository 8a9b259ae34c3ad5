import { Alert, App, Button, Col, DatePicker, Form, Input, Modal, Row, Select, Typography, Upload, type UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { EVIDENCE_TYPES } from '../../shared/dossier';
import { api, ApiError, fieldPath } from '../api';
import type { Evidence, EvidenceType, EvidenceUpdate } from '../contract';
import { CERTIFICATION_TYPES, type CertificationType } from '../enums';
import { DATE_FORMAT, fromIsoDate, toIsoDate } from '../format';
import { useI18n, type TFn } from '../i18n';
import { freshOnOpen } from './freshOnOpen';
import { useVocab } from '../vocab';

/** What the server accepts (it sniffs the bytes; the picker only filters by name). */
export const EVIDENCE_ACCEPT = '.pdf,.jpg,.jpeg,.png,.xlsx,.docx';

export const fmtBytes = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/** An upload refusal in plain words: the server's problem title/detail, or a message by status when there is none. */
export function uploadProblem(e: unknown, t: TFn): { title: string; detail?: string } {
  if (e instanceof ApiError) {
    const p = e.problem;
    const generic = /^\d{3}\b/.test(p.title);
    const byStatus = p.status === 413 ? t('evidence.error.tooLarge') : p.status === 415 ? t('evidence.error.unsupported') : p.status === 0 ? p.title : null;
    const title = generic && byStatus ? byStatus : p.title;
    const detail = p.detail && p.detail !== p.title ? p.detail : generic || !byStatus || byStatus === title ? undefined : byStatus;
    return { title, detail };
  }
  return { title: t('error.unexpected'), detail: String((e as Error)?.message ?? e) };
}

interface MetaValues {
  type: EvidenceType;
  certificationType?: CertificationType | null;
  title: string;
  issuer?: string | null;
  number?: string | null;
  issuedOn?: Dayjs | null;
  expiresOn?: Dayjs | null;
}

const blank = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

function MetaFields({ typeLocked, editing }: { typeLocked?: boolean; editing?: boolean }) {
  const { t, label } = useI18n();
  const v = useVocab();
  const type = Form.useWatch('type');
  return (
    <Row gutter={12}>
      <Col span={24}>
        <Form.Item name="type" label={t('evidence.type')} rules={[{ required: true, message: t('form.required') }]}>
          <Select data-testid="evidence-type" disabled={typeLocked || editing} options={EVIDENCE_TYPES.map((x) => ({ value: x, label: v.evidenceType(x) }))} popupMatchSelectWidth={false} />
        </Form.Item>
      </Col>
      {type === 'certification' && (
        <Col span={24}>
          <Form.Item name="certificationType" label={t('evidence.certificationType')} rules={[{ required: true, message: t('form.required') }]}>
            <Select data-testid="evidence-certification-type" options={CERTIFICATION_TYPES.map((x) => ({ value: x, label: label('certificationType', x) }))} />
          </Form.Item>
        </Col>
      )}
      <Col span={24}>
        <Form.Item name="title" label={t('evidence.title')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
          <Input data-testid="evidence-title" maxLength={300} placeholder={t('evidence.titlePlaceholder')} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={14}>
        <Form.Item name="issuer" label={t('evidence.issuer')}>
          <Input data-testid="evidence-issuer" maxLength={300} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={10}>
        <Form.Item name="number" label={t('evidence.number')}>
          <Input data-testid="evidence-number" maxLength={100} />
        </Form.Item>
      </Col>
      <Col xs={12}>
        <Form.Item name="issuedOn" label={t('evidence.issuedOn')}>
          <DatePicker data-testid="evidence-issued-on" format={DATE_FORMAT} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col xs={12}>
        <Form.Item
          name="expiresOn"
          label={t('evidence.expiresOn')}
          dependencies={['issuedOn']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, val: Dayjs | null) => {
                const from = getFieldValue('issuedOn') as Dayjs | null;
                return !val || !from || !val.isBefore(from, 'day') ? Promise.resolve() : Promise.reject(new Error(t('evidence.expiresBeforeIssued')));
              },
            }),
          ]}
        >
          <DatePicker data-testid="evidence-expires-on" format={DATE_FORMAT} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/**
 * Upload of a new document into a producer's locker (multipart: the fields, then the file). `presetType` fixes the
 * type when the upload comes from a dossier's checklist row.
 */
function EvidenceUploadModalInner({ producerId, open, presetType, onClose, onUploaded, uploadUrl }: {
  producerId: string; open: boolean; presetType?: EvidenceType; onClose: () => void; onUploaded?: (e: Evidence) => void | Promise<void>;
  /** Another route that stores into the producer's locker and links the document (support activities). */
  uploadUrl?: string;
}) {
  const { t } = useI18n();
  const v = useVocab();
  const [form] = Form.useForm<MetaValues>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [problem, setProblem] = useState<{ title: string; detail?: string } | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const qc = useQueryClient();
  const { message } = App.useApp();

  useEffect(() => {
    if (open) {
      setFiles([]);
      setProblem(null);
      setFileError(null);
    }
  }, [open]);

  const m = useMutation({
    mutationFn: async (vals: MetaValues) => {
      const fd = new FormData();
      const type = presetType ?? vals.type;
      fd.append('type', type);
      if (type === 'certification' && vals.certificationType) fd.append('certificationType', vals.certificationType);
      fd.append('title', vals.title.trim());
      const opt = { issuer: blank(vals.issuer), number: blank(vals.number), issuedOn: toIsoDate(vals.issuedOn), expiresOn: toIsoDate(vals.expiresOn) };
      for (const [k, x] of Object.entries(opt)) if (x) fd.append(k, x);
      const f = files[0]?.originFileObj as File | undefined;
      if (f) fd.append('file', f, f.name);
      return api<Evidence>(uploadUrl ?? `/api/producers/${producerId}/evidence`, { form: fd });
    },
    onSuccess: async (item) => {
      message.success(t('evidence.uploaded'));
      qc.invalidateQueries({ queryKey: ['evidence', producerId] });
      await onUploaded?.(item);
      onClose();
    },
    onError: (e) => {
      setProblem(uploadProblem(e, t));
      if (e instanceof ApiError && e.problem.errors?.length) {
        const fields = e.problem.errors.map((x) => ({ name: fieldPath(x.path), errors: [x.message] })).filter((f) => f.name[0] !== 'file');
        if (fields.length) form.setFields(fields as never);
      }
    },
  });

  return (
    <Modal
      open={open}
      title={presetType ? t('evidence.uploadFor', { type: v.evidenceType(presetType) }) : t('evidence.upload')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('evidence.uploadOk')}
      okButtonProps={{ 'data-testid': 'evidence-upload-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
      width={600}
    >
      {problem && <Alert data-testid="evidence-upload-error" type="error" showIcon style={{ marginBottom: 12 }} title={problem.title} description={problem.detail} />}
      <Form preserve={false}
        form={form}
        layout="vertical"
        initialValues={{ type: presetType, title: presetType && presetType !== 'other' ? v.evidenceType(presetType) : undefined }}
        onFinish={(vals) => {
          if (!files.length) {
            setFileError(t('evidence.fileRequired'));
            return;
          }
          setProblem(null);
          m.mutate(vals);
        }}
      >
        <MetaFields typeLocked={!!presetType} />
        <Form.Item label={t('evidence.file')} required validateStatus={fileError ? 'error' : undefined} help={fileError ?? t('evidence.fileHelp')}>
          <div data-testid="evidence-file">
            <Upload
              accept={EVIDENCE_ACCEPT}
              maxCount={1}
              fileList={files}
              beforeUpload={() => false}
              onChange={(info) => {
                setFiles(info.fileList.slice(-1));
                setFileError(null);
                setProblem(null);
                const f = info.fileList[info.fileList.length - 1];
                if (f && !form.getFieldValue('title')) form.setFieldValue('title', f.name.replace(/\.[^.]+$/, ''));
              }}
            >
              <Button icon={<UploadOutlined />}>{t('evidence.chooseFile')}</Button>
            </Upload>
          </div>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EvidenceEditModalInner({ item, onClose }: { item: Evidence | null; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<MetaValues>();
  const [problem, setProblem] = useState<{ title: string; detail?: string } | null>(null);
  const qc = useQueryClient();
  const { message } = App.useApp();
  useEffect(() => setProblem(null), [item]);
  const m = useMutation({
    mutationFn: (vals: MetaValues) => {
      const body: EvidenceUpdate = {
        version: item!.version,
        title: vals.title.trim(),
        issuer: blank(vals.issuer),
        number: blank(vals.number),
        issuedOn: toIsoDate(vals.issuedOn),
        expiresOn: toIsoDate(vals.expiresOn),
        certificationType: item!.type === 'certification' ? (vals.certificationType ?? null) : null,
      };
      return api<Evidence>(`/api/evidence/${item!.id}`, { method: 'PUT', body });
    },
    onSuccess: () => {
      message.success(t('common.saved'));
      qc.invalidateQueries({ queryKey: ['evidence'] });
      qc.invalidateQueries({ queryKey: ['dossiers'] });
      onClose();
    },
    onError: (e) => {
      setProblem(uploadProblem(e, t));
      if (e instanceof ApiError && e.problem.errors?.length) form.setFields(e.problem.errors.map((x) => ({ name: fieldPath(x.path), errors: [x.message] })) as never);
    },
  });
  return (
    <Modal
      open={!!item}
      title={t('evidence.editTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'evidence-edit-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
      width={600}
    >
      {problem && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={problem.title} description={problem.detail} />}
      {item && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {item.fileName} · {fmtBytes(item.bytes)}
        </Typography.Paragraph>
      )}
      <Form preserve={false}
        key={item?.id}
        form={form}
        layout="vertical"
        initialValues={item ? { ...item, issuedOn: fromIsoDate(item.issuedOn), expiresOn: fromIsoDate(item.expiresOn) } : undefined}
        onFinish={(vals) => m.mutate(vals)}
      >
        <MetaFields editing />
      </Form>
    </Modal>
  );
}

export const EvidenceUploadModal = freshOnOpen(EvidenceUploadModalInner, (p) => p.open);

export const EvidenceEditModal = freshOnOpen(EvidenceEditModalInner, (p) => !!p.item);
