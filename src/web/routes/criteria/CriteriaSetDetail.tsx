import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Modal, Popconfirm, Result, Space, Table, Tag, Typography, Upload } from 'antd';
import { CheckOutlined, DeleteOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { z } from 'zod';
import type { CriteriaSet, ZCriteriaSheetSummary, ZIssue } from '../../../server/modules/criteria/schema';
import { api, ApiError, type FieldProblem } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { PageSpinner } from '../../components/PageSpinner';
import { TaxonomySelect } from '../../components/pickers';
import { fmtDate, fmtDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { canManageCriteria } from '../../permissions';
import { issueCounts, SetTags } from './CriteriaSetList';

type SheetSummary = z.infer<typeof ZCriteriaSheetSummary>;
type Issue = z.infer<typeof ZIssue>;

export function IssueList({ issues }: { issues: Issue[] }) {
  const { t } = useI18n();
  if (!issues.length) return <Tag color="green">{t('criteria.noIssues')}</Tag>;
  const sorted = [...issues].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return (
    <ul style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }} data-testid="issue-list">
      {sorted.map((i, k) => (
        <li key={k} style={{ color: i.severity === 'error' ? '#cf1322' : '#d46b08', marginBottom: 2 }} data-severity={i.severity}>
          <Tag color={i.severity === 'error' ? 'red' : 'orange'} style={{ marginInlineEnd: 6 }}>
            {i.code}
          </Tag>
          {i.message}
        </li>
      ))}
    </ul>
  );
}

export default function CriteriaSetDetail() {
  const { id = '' } = useParams();
  const me = useMe();
  const { t } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [addOpen, setAddOpen] = useState(false);
  const [publishErrors, setPublishErrors] = useState<FieldProblem[] | null>(null);
  const { data: set, isLoading, error } = useQuery({ queryKey: ['criteria', 'sets', id], queryFn: () => api<CriteriaSet>(`/api/criteria/sets/${id}`) });

  const publish = useMutation({
    mutationFn: () => api<CriteriaSet>(`/api/criteria/sets/${id}/publish`, { body: {} }),
    onSuccess: (s) => {
      qc.setQueryData(['criteria', 'sets', id], s);
      qc.invalidateQueries({ queryKey: ['criteria', 'sets'] });
      setPublishErrors(null);
      message.success(t('criteria.published'));
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 422 && e.problem.errors?.length) setPublishErrors(e.problem.errors);
      else showError(e);
    },
  });
  const del = useMutation({
    mutationFn: (sheetId: number) => api(`/api/criteria/sheets/${sheetId}`, { method: 'DELETE' }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['criteria'] });
      message.success(t('criteria.sheetDeleted'));
    },
    onError: (e) => showError(e),
  });

  if (isLoading) return <PageSpinner />;
  if (error || !set) return <Result status={error instanceof ApiError && error.status === 403 ? '403' : '404'} title={error instanceof ApiError ? error.problem.title : t('error.notFound')} />;
  const editable = canManageCriteria(me) && set.status === 'draft';
  const c = issueCounts(set);

  return (
    <>
      <PageHeader
        back="/criteria"
        title={
          <span data-testid="set-title">
            {set.name} <SetTags set={set} />
          </span>
        }
        extra={
          editable && (
            <>
              <Button data-testid="sheet-add" icon={<UploadOutlined />} onClick={() => setAddOpen(true)}>
                {t('criteria.addSheet')}
              </Button>
              <Popconfirm title={t('criteria.publishConfirm')} onConfirm={() => publish.mutate()} okText={t('criteria.publish')} cancelText={t('common.cancel')}>
                <Button data-testid="set-publish" type="primary" icon={<CheckOutlined />} loading={publish.isPending}>
                  {t('criteria.publish')}
                </Button>
              </Popconfirm>
            </>
          )
        }
      />
      {set.isDemo && <Alert data-testid="demo-banner" type="warning" showIcon style={{ marginBottom: 12 }} title={t('criteria.demoBanner')} description={set.note ?? t('criteria.demoBannerHelp')} />}
      {publishErrors && (
        <Alert
          data-testid="publish-errors"
          type="error"
          showIcon
          closable
          onClose={() => setPublishErrors(null)}
          style={{ marginBottom: 12 }}
          title={t('criteria.publishFailed', { n: publishErrors.length })}
          description={
            <ul style={{ margin: 0, paddingLeft: 18, maxHeight: 260, overflow: 'auto' }}>
              {publishErrors.map((e, i) => (
                <li key={i}>
                  <Typography.Text code>{e.path}</Typography.Text> {e.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('criteria.code')}>{set.code}</Descriptions.Item>
          <Descriptions.Item label={t('criteria.decision')}>QĐ {set.decision}</Descriptions.Item>
          <Descriptions.Item label={t('criteria.signedOn')}>{fmtDate(set.signedOn)}</Descriptions.Item>
          <Descriptions.Item label={t('criteria.effectiveFrom')}>{fmtDate(set.effectiveFrom)}</Descriptions.Item>
          <Descriptions.Item label={t('criteria.taxonomyVersion')}>{set.taxonomyVersion}</Descriptions.Item>
          <Descriptions.Item label={t('criteria.publishedAt')}>{fmtDateTime(set.publishedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('criteria.partMaxima')}>{Object.entries(set.partMaxima).map(([k, v]) => `${k}: ${v}`).join(' · ')}</Descriptions.Item>
          <Descriptions.Item label={t('criteria.starBands')}>{set.starBands.map((b) => `${b.star}★ ≥ ${b.min}`).join(' · ')}</Descriptions.Item>
          {set.note && !set.isDemo && (
            <Descriptions.Item label={t('criteria.note')} span={2}>
              {set.note}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card
        size="small"
        title={
          <Space>
            {`${t('criteria.sheets')} (${set.sheets.length})`}
            {c.errors > 0 && <Tag color="red">{t('criteria.errorsN', { n: c.errors })}</Tag>}
            {c.warnings > 0 && <Tag color="orange">{t('criteria.warningsN', { n: c.warnings })}</Tag>}
          </Space>
        }
      >
        <Table<SheetSummary>
          data-testid="sheet-table"
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={set.sheets}
          scroll={{ x: 800 }}
          locale={{ emptyText: <Empty description={t('criteria.noSheets')} /> }}
          columns={[
            { title: t('criteria.subgroup'), dataIndex: 'taxonomyCode', width: 90 },
            {
              title: t('criteria.sheet'),
              dataIndex: 'title',
              render: (v: string, s) => (
                <>
                  <Link to={`/criteria/sheets/${s.id}`} data-testid="sheet-row-link">
                    {v}
                  </Link>
                  {s.isDemo && (
                    <Tag color="orange" style={{ marginInlineStart: 6 }}>
                      {t('criteria.demoTag')}
                    </Tag>
                  )}
                </>
              ),
            },
            { title: t('criteria.criteriaCount'), dataIndex: 'criteriaCount', align: 'right', width: 90 },
            { title: t('criteria.report'), render: (_, s) => <IssueList issues={s.issues} /> },
            {
              title: '',
              width: 120,
              render: (_, s) => (
                <Space size={4}>
                  <a href={`/api/criteria/template.xlsx?sheetId=${s.id}`} download title={t('criteria.downloadAsExcel')}>
                    <Button size="small" icon={<DownloadOutlined />} aria-label={t('criteria.downloadAsExcel')} />
                  </a>
                  {editable && (
                    <Popconfirm title={t('criteria.deleteSheetConfirm')} onConfirm={() => del.mutate(s.id)} okText={t('common.delete')} cancelText={t('common.cancel')}>
                      <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <AddSheetModal open={addOpen} setId={set.id} taxonomyVersion={set.taxonomyVersion} onClose={() => setAddOpen(false)} />
    </>
  );
}

function AddSheetModal({ open, setId, taxonomyVersion, onClose }: { open: boolean; setId: number; taxonomyVersion: string; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ taxonomyNodeId: number; title: string }>();
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<FieldProblem[]>([]);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const m = useMutation({
    mutationFn: (v: { taxonomyNodeId: number; title: string }) => {
      const fd = new FormData();
      fd.append('file', file!);
      return api(`/api/criteria/sets/${setId}/sheet/import`, { form: fd, query: { taxonomyNodeId: v.taxonomyNodeId, title: v.title } });
    },
    onSuccess: () => {
      message.success(t('criteria.sheetAdded'));
      qc.invalidateQueries({ queryKey: ['criteria'] });
      setFile(null);
      setErrors([]);
      form.resetFields();
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.problem.errors?.length) setErrors(e.problem.errors);
      showError(e, form);
    },
  });
  return (
    <Modal
      open={open}
      title={t('criteria.addSheet')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('criteria.upload')}
      okButtonProps={{ disabled: !file, 'data-testid': 'sheet-upload-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
      width={620}
    >
      <Typography.Paragraph type="secondary">{t('criteria.addSheetHelp')}</Typography.Paragraph>
      <a href="/api/criteria/template.xlsx" download data-testid="sheet-template">
        <Button icon={<DownloadOutlined />} style={{ marginBottom: 12 }}>
          {t('criteria.template')}
        </Button>
      </a>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        <Form.Item name="taxonomyNodeId" label={t('criteria.subgroup')} rules={[{ required: true, message: t('form.required') }]}>
          <TaxonomySelect data-testid="sheet-taxonomy" version={taxonomyVersion} />
        </Form.Item>
        <Form.Item name="title" label={t('criteria.sheetTitle')} rules={[{ required: true, message: t('form.required') }, { min: 2, message: t('form.tooShort') }]}>
          <Input data-testid="sheet-title" maxLength={300} />
        </Form.Item>
        <Upload
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            return false;
          }}
          onRemove={() => setFile(null)}
          fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
        >
          <Button icon={<UploadOutlined />}>{t('criteria.chooseFile')}</Button>
        </Upload>
      </Form>
      {errors.length > 0 && (
        <Alert
          type="error"
          style={{ marginTop: 12 }}
          title={t('criteria.importErrors')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18, maxHeight: 200, overflow: 'auto' }}>
              {errors.map((e, i) => (
                <li key={i}>
                  {e.path && <Typography.Text code>{e.path}</Typography.Text>} {e.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
    </Modal>
  );
}
