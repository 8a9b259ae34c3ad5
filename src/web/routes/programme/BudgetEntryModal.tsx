import { Alert, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { z } from 'zod';
import { BUDGET_KINDS, FUNDING_SOURCES, type BudgetEntryInput, type ZEventPage, type ZSupportPage } from '../../../server/modules/programme/schema';
import { api, ApiError } from '../../api';
import { useShowError } from '../../components/errors';
import { DATE_FORMAT, todayDay } from '../../format';
import { useI18n } from '../../i18n';
import { dong, vndInput, type Plan } from './common';

type Link = 'none' | 'support' | 'event';
interface Values { kind: BudgetEntryInput['kind']; fundingSource: BudgetEntryInput['fundingSource']; entryDate: dayjs.Dayjs; amountVnd: number; link: Link; supportActivityId?: string; eventId?: string; description: string }

/** What an entry can pay for: support activities and events the officer can see (the server checks the link). */
function useLinkOptions() {
  const support = useQuery({ queryKey: ['support', 'for-budget'], queryFn: () => api<z.infer<typeof ZSupportPage>>('/api/support-activities', { query: { pageSize: 200 } }) });
  const events = useQuery({ queryKey: ['events', 'for-budget'], queryFn: () => api<z.infer<typeof ZEventPage>>('/api/programme-events', { query: { pageSize: 200 } }) });
  return { support: support.data?.items ?? [], events: events.data?.items ?? [] };
}

/**
 * A commitment or disbursement. Going over the plan answers 409 BUDGET_EXCEEDED with the figures: they are shown,
 * and the officer may go on only by giving the reason, which the server records with the entry.
 */
export function BudgetEntryModal({ plan, onClose }: { plan: Plan; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [reason, setReason] = useState('');
  const [exceeded, setExceeded] = useState<{ body: BudgetEntryInput; messages: string[] } | null>(null);
  const qc = useQueryClient();
  const showError = useShowError();
  const opts = useLinkOptions();
  const link = Form.useWatch('link', form);
  const send = useMutation({
    mutationFn: (body: BudgetEntryInput) => api(`/api/programme/plans/${plan.id}/budget-entries`, { body }),
    onSuccess: () => { qc.invalidateQueries({ queryKey: ['budget', plan.id] }); onClose(); },
    onError: (e, body) => {
      if (e instanceof ApiError && e.code === 'BUDGET_EXCEEDED' && !body.overrideReason) {
        setExceeded({ body, messages: e.problem.errors?.map((x) => x.message) ?? [e.problem.detail ?? e.problem.title] });
      } else showError(e, exceeded ? undefined : form);
    },
  });
  const submit = (v: Values) => send.mutate({
    kind: v.kind, fundingSource: v.fundingSource, entryDate: v.entryDate.format('YYYY-MM-DD'), amountVnd: v.amountVnd, description: v.description,
    supportActivityId: v.link === 'support' ? v.supportActivityId ?? null : null, eventId: v.link === 'event' ? v.eventId ?? null : null, overrideReason: null,
  });
  const pickSupport = (id: string) => {
    const s = opts.support.find((x) => x.id === id);
    if (s) form.setFieldsValue({ fundingSource: s.fundingSource, amountVnd: form.getFieldValue('amountVnd') ?? s.amountVnd, description: form.getFieldValue('description') || s.description });
  };
  const required = [{ required: true, message: t('form.required') }];
  const onOk = () => (exceeded ? send.mutate({ ...exceeded.body, overrideReason: reason.trim() }) : form.submit());
  return (
    <Modal open title={t('budget.add')} onCancel={onClose} onOk={onOk} confirmLoading={send.isPending} destroyOnHidden width={640} cancelText={t('common.cancel')}
      okText={exceeded ? t('budget.goOn') : t('common.save')} okButtonProps={{ 'data-testid': exceeded ? 'budget-override' : 'budget-save', danger: !!exceeded, disabled: !!exceeded && reason.trim().length < 5 } as never}>
      {exceeded && (
        <div data-testid="budget-exceeded">
          <Alert type="warning" showIcon message={t('budget.exceededTitle')} style={{ marginBottom: 12 }}
            description={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{exceeded.messages.map((m, i) => <li key={i}>{m}</li>)}</ul>} />
          <Typography.Paragraph>{t('budget.exceededAsk', { amount: dong(exceeded.body.amountVnd) })}</Typography.Paragraph>
          <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('budget.reasonPh')} data-testid="budget-reason" maxLength={1000} />
        </div>
      )}
      <Form form={form} layout="vertical" preserve={false} onFinish={submit} style={{ display: exceeded ? 'none' : undefined }}
        initialValues={{ kind: 'commitment', fundingSource: 'district_budget', entryDate: todayDay(), link: 'none' }}>
        <Form.Item name="kind" label={t('budget.kind')}>
          <Radio.Group data-testid="budget-kind" options={BUDGET_KINDS.map((k) => ({ value: k, label: t(`budget.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="link" label={t('budget.link')}>
          <Radio.Group options={[{ value: 'none', label: t('budget.link.none') }, { value: 'support', label: t('budget.link.support') }, { value: 'event', label: t('budget.link.event') }]} />
        </Form.Item>
        {link === 'support' && (
          <Form.Item name="supportActivityId" label={t('budget.link.support')} rules={required}>
            <Select showSearch={{ optionFilterProp: 'label' }} onChange={pickSupport} data-testid="budget-support"
              options={opts.support.map((s) => ({ value: s.id, label: `${s.producer.legalName} — ${s.description} (${dong(s.amountVnd)})` }))} />
          </Form.Item>
        )}
        {link === 'event' && (
          <Form.Item name="eventId" label={t('budget.link.event')} rules={required}>
            <Select showSearch={{ optionFilterProp: 'label' }} data-testid="budget-event" options={opts.events.map((e) => ({ value: e.id, label: `${e.title} (${e.startsOn.slice(0, 4)})` }))} />
          </Form.Item>
        )}
        <Form.Item name="fundingSource" label={t('budget.source')} rules={required}>
          <Select data-testid="budget-source" options={FUNDING_SOURCES.map((v) => ({ value: v, label: t(`funding.${v}`) }))} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="amountVnd" label={t('budget.amount')} rules={required}><InputNumber min={1} step={1_000_000} style={{ width: 220 }} data-testid="budget-amount" {...vndInput} /></Form.Item>
          <Form.Item name="entryDate" label={t('budget.date')} rules={required}><DatePicker format={DATE_FORMAT} data-testid="budget-date" /></Form.Item>
        </Space>
        <Form.Item name="description" label={t('budget.description')} rules={required}><Input.TextArea rows={2} data-testid="budget-description" /></Form.Item>
      </Form>
    </Modal>
  );
}
