import { App, Button, Card, DatePicker, Empty, Form, Input, InputNumber, Modal, Result, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type dayjs from 'dayjs';
import type { CreateSet, CriteriaSet } from '../../../server/modules/criteria/schema';
import { api, ApiError } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { useIsPhone } from '../../components/hooks';
import { DATE_FORMAT, fmtDate, toIsoDate } from '../../format';
import { useI18n } from '../../i18n';
import { canManageCriteria } from '../../permissions';

export function SetTags({ set }: { set: Pick<CriteriaSet, 'status' | 'isDemo'> }) {
  const { t, label } = useI18n();
  return (
    <>
      <Tag color={set.status === 'published' ? 'green' : 'default'} data-testid="set-status">
        {label('setStatus', set.status)}
      </Tag>
      {set.isDemo && (
        <Tag color="orange" data-testid="set-demo">
          {t('criteria.demoTag')}
        </Tag>
      )}
    </>
  );
}

export function issueCounts(set: CriteriaSet) {
  let errors = 0;
  let warnings = 0;
  for (const s of set.sheets) for (const i of s.issues) {
    if (i.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}

export default function CriteriaSetList() {
  const me = useMe();
  const { t } = useI18n();
  const phone = useIsPhone();
  const [creating, setCreating] = useState(false);
  const { data, isLoading, error } = useQuery({ queryKey: ['criteria', 'sets'], queryFn: () => api<CriteriaSet[]>('/api/criteria/sets') });
  if (error) return <Result status="error" title={error instanceof ApiError ? error.problem.title : t('error.unexpected')} />;
  return (
    <>
      <PageHeader
        title={t('nav.criteria')}
        extra={
          canManageCriteria(me) && (
            <Button data-testid="set-create" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('criteria.createSet')}
            </Button>
          )
        }
      />
      <Typography.Paragraph type="secondary">{t('criteria.intro')}</Typography.Paragraph>
      <Table<CriteriaSet>
        data-testid="set-table"
        rowKey="id"
        loading={isLoading}
        dataSource={data ?? []}
        pagination={false}
        size={phone ? 'small' : 'middle'}
        scroll={{ x: 800 }}
        locale={{ emptyText: <Empty /> }}
        columns={[
          {
            title: t('criteria.set'),
            dataIndex: 'name',
            render: (v: string, s) => (
              <>
                <Link to={`/criteria/${s.id}`} data-testid="set-row-link">
                  {v}
                </Link>
                <div style={{ fontSize: 12, color: '#888' }}>
                  {s.code} · QĐ {s.decision}
                </div>
              </>
            ),
          },
          { title: t('criteria.status'), render: (_, s) => <SetTags set={s} /> },
          { title: t('criteria.effectiveFrom'), dataIndex: 'effectiveFrom', render: fmtDate },
          { title: t('criteria.partMaxima'), render: (_, s) => Object.entries(s.partMaxima).map(([k, v]) => `${k} ${v}`).join(' · ') },
          { title: t('criteria.sheets'), render: (_, s) => s.sheets.length, align: 'right' },
          {
            title: t('criteria.report'),
            render: (_, s) => {
              const c = issueCounts(s);
              return (
                <Space size={4}>
                  {c.errors > 0 && <Tag color="red">{t('criteria.errorsN', { n: c.errors })}</Tag>}
                  {c.warnings > 0 && <Tag color="orange">{t('criteria.warningsN', { n: c.warnings })}</Tag>}
                  {c.errors + c.warnings === 0 && <Tag color="green">{t('criteria.noIssues')}</Tag>}
                </Space>
              );
            },
          },
        ]}
      />
      <CreateSetModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

type SetForm = Omit<CreateSet, 'signedOn' | 'effectiveFrom' | 'partMaxima' | 'starBands'> & {
  signedOn?: dayjs.Dayjs | null;
  effectiveFrom?: dayjs.Dayjs | null;
  partA: number;
  partB: number;
  partC: number;
};

function CreateSetModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<SetForm>();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const m = useMutation({
    mutationFn: (v: Partial<CreateSet>) => api<CriteriaSet>('/api/criteria/sets', { body: v }),
    onSuccess: (s) => {
      message.success(t('criteria.setCreated'));
      qc.invalidateQueries({ queryKey: ['criteria'] });
      onClose();
      nav(`/criteria/${s.id}`);
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Modal open={open} title={t('criteria.createSet')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={m.isPending} destroyOnHidden width={640}>
      <Typography.Paragraph type="secondary">{t('criteria.createSetHelp')}</Typography.Paragraph>
      <Form<SetForm>
        form={form}
        layout="vertical"
        initialValues={{ taxonomyVersion: '148', partA: 40, partB: 25, partC: 35, isDemo: false }}
        onFinish={(v) =>
          m.mutate({
            code: v.code,
            name: v.name,
            decision: v.decision,
            signedOn: toIsoDate(v.signedOn),
            effectiveFrom: toIsoDate(v.effectiveFrom),
            taxonomyVersion: v.taxonomyVersion,
            partMaxima: { A: v.partA, B: v.partB, C: v.partC },
            isDemo: v.isDemo,
            note: v.note?.trim() || null,
          })
        }
      >
        <Form.Item name="name" label={t('criteria.name')} rules={[{ required: true, message: t('form.required') }]}>
          <Input data-testid="set-name" maxLength={200} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="code" label={t('criteria.code')} rules={[{ required: true, message: t('form.required') }, { pattern: /^[a-z0-9.+-]{2,40}$/, message: t('criteria.codeRule') }]}>
            <Input data-testid="set-code" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="decision" label={t('criteria.decision')} rules={[{ required: true, message: t('form.required') }]}>
            <Input data-testid="set-decision" style={{ width: 180 }} placeholder="148/QĐ-TTg" />
          </Form.Item>
          <Form.Item name="taxonomyVersion" label={t('criteria.taxonomyVersion')} rules={[{ required: true, message: t('form.required') }]}>
            <Input style={{ width: 100 }} />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="signedOn" label={t('criteria.signedOn')}>
            <DatePicker format={DATE_FORMAT} />
          </Form.Item>
          <Form.Item name="effectiveFrom" label={t('criteria.effectiveFrom')}>
            <DatePicker format={DATE_FORMAT} />
          </Form.Item>
        </Space>
        <Card size="small" title={t('criteria.partMaxima')} style={{ marginBottom: 12 }}>
          <Space wrap>
            {(['A', 'B', 'C'] as const).map((p) => (
              <Form.Item key={p} name={`part${p}`} label={t('criteria.partN', { p })} rules={[{ required: true, message: t('form.required') }]} style={{ marginBottom: 0 }}>
                <InputNumber min={0} max={100} style={{ width: 100 }} />
              </Form.Item>
            ))}
          </Space>
        </Card>
        <Form.Item name="isDemo" label={t('criteria.isDemo')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="note" label={t('criteria.note')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
