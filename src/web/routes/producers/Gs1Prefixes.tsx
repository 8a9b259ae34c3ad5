import { Alert, App, Button, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Gs1Prefix, Gs1PrefixList } from '../../../server/modules/identifiers/schema';
import type { Evidence } from '../../../server/modules/evidence/schema';
import { api } from '../../api';
import { useMe } from '../../auth';
import { useShowError } from '../../components/errors';
import { fmtDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { VerificationTag, VerifyButtons } from '../trace/verification';

/**
 * A producer's GS1 company prefixes (#14.2): the producer declares one with its GS1 Vietnam membership certificate
 * from the locker; officers verify or reject. A product's GTIN must fall under one of them (the server checks).
 */
export function Gs1PrefixesTab({ producerId }: { producerId: string }) {
  const me = useMe();
  const { t } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<{ prefix: string; evidenceId?: string | null }>();
  const key = ['gs1-prefixes', producerId];
  const list = useQuery({ queryKey: key, queryFn: () => api<Gs1PrefixList>(`/api/producers/${producerId}/gs1-prefixes`) });
  // What I may do comes with the list (the identifiers policy: scope, own producer).
  const mayDeclare = !!list.data?.canDeclare;
  const mayDecide = !!list.data?.canDecide;
  const evidence = useQuery({ queryKey: ['evidence', producerId], queryFn: () => api<Evidence[]>(`/api/producers/${producerId}/evidence`), enabled: mayDeclare });
  const declare = useMutation({
    mutationFn: (v: { prefix: string; evidenceId?: string | null }) =>
      api<Gs1Prefix>(`/api/producers/${producerId}/gs1-prefixes`, { body: { prefix: v.prefix.trim(), evidenceId: v.evidenceId ?? null } }),
    onSuccess: (p) => {
      message.success(t('gs1.prefixes.declaredOk', { prefix: p.prefix }));
      for (const w of p.warnings) if (w.code !== 'gs1_prefix_unverified') message.warning(t(`gs1.warning.${w.code}` as never) || w.message);
      form.resetFields();
      qc.invalidateQueries({ queryKey: key });
    },
    onError: (e) => showError(e, form),
  });

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('gs1.prefixes.intro')}</Typography.Paragraph>
      <Table<Gs1Prefix>
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('gs1.prefixes.empty') }}
        onRow={(p) => ({ 'data-testid': 'gs1-prefix-row', 'data-prefix': p.prefix }) as never}
        columns={[
          { title: t('gs1.prefixes.prefix'), render: (_, p) => <b>{p.prefix}</b> },
          {
            title: t('gs1.prefixes.status'),
            render: (_, p) => (
              <Space size={4} wrap>
                <VerificationTag status={p.status} note={p.note} />
                {p.warnings.filter((w) => w.code !== 'gs1_prefix_unverified').map((w) => <Tag key={w.code} color="orange">{t(`gs1.warning.${w.code}` as never) || w.message}</Tag>)}
              </Space>
            ),
          },
          { title: t('common.updatedAt'), render: (_, p) => fmtDateTime(p.verifiedAt ?? p.createdAt) },
          {
            title: '',
            render: (_, p) => (mayDecide && p.status === 'declared'
              ? <VerifyButtons url={`/api/gs1-prefixes/${p.id}/verification`} what={p.prefix} onDone={() => qc.invalidateQueries({ queryKey: key })} />
              : null),
          },
        ]}
      />
      {mayDeclare && (
        <Form form={form} layout="vertical" onFinish={(v) => declare.mutate(v)} style={{ maxWidth: 420 }}>
          <Form.Item name="prefix" label={t('gs1.prefixes.prefix')} tooltip={t('gs1.prefixes.prefixHelp')}
            rules={[{ required: true, message: t('form.required') }, { pattern: /^\s*\d{6,12}\s*$/, message: t('gs1.prefixes.prefixHelp') }]}>
            <Input data-testid="gs1-prefix-input" maxLength={12} inputMode="numeric" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="evidenceId" label={t('gs1.prefixes.evidence')} rules={me.role === 'producer' ? [{ required: true, message: t('form.required') }] : []}>
            <Select data-testid="gs1-prefix-evidence" allowClear style={{ width: '100%' }} loading={evidence.isLoading} notFoundContent={t('gs1.prefixes.noEvidence')}
              options={(evidence.data ?? []).filter((e) => e.type === 'gs1_membership').map((e) => ({ value: e.id, label: e.title }))} />
          </Form.Item>
          <Button htmlType="submit" type="primary" icon={<PlusOutlined />} loading={declare.isPending} data-testid="gs1-prefix-declare">{t('gs1.prefixes.declare')}</Button>
        </Form>
      )}
      {list.data?.items.some((p) => p.status === 'declared') && !mayDecide && (
        <Alert type="info" showIcon message={t('gs1.warning.gs1_prefix_unverified')} />
      )}
    </Space>
  );
}
