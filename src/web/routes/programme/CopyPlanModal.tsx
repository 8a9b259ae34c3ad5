import { Alert, Form, Input, InputNumber, Modal, Space } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { useShowError } from '../../components/errors';
import { UnitTreeSelect } from '../../components/pickers';
import { useI18n } from '../../i18n';
import type { Plan } from './common';

interface Values { code: string; title: string; periodFrom: number; periodTo: number; areaUnitId?: number; issuingUnit?: string }

/** The plan's years in a text moved to the new period ("2023-2025" → "2026-2028"). */
const shiftYears = (s: string, p: Plan, from: number, to: number) => s.replaceAll(String(p.periodTo), String(to)).replaceAll(String(p.periodFrom), String(from));

/** "Sao chép kế hoạch": a new draft with the same targets, their years shifted to the new period (the server does it). */
export function CopyPlanModal({ plan, open, onClose }: { plan: Plan; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();
  const nav = useNavigate();
  const showError = useShowError();
  const copy = useMutation({
    mutationFn: (v: Values) => api<Plan>(`/api/programme/plans/${plan.id}/copy`, {
      body: { code: v.code.trim(), title: v.title, periodFrom: v.periodFrom, periodTo: v.periodTo, ...(v.areaUnitId ? { areaUnitId: v.areaUnitId } : {}), ...(v.issuingUnit ? { issuingUnit: v.issuingUnit } : {}) },
    }),
    onSuccess: (p) => {
      qc.invalidateQueries({ queryKey: ['plans'] });
      qc.setQueryData(['plan', p.id], p);
      onClose();
      nav(`/plans/${p.id}`);
    },
    onError: (e) => showError(e, form),
  });
  const from = plan.periodTo + 1;
  const to = from + (plan.periodTo - plan.periodFrom);
  const required = [{ required: true, message: t('form.required') }];
  return (
    <Modal open={open} title={t('plan.copy')} onCancel={onClose} onOk={() => form.submit()} okText={t('plan.copyOk')} cancelText={t('common.cancel')}
      confirmLoading={copy.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'plan-copy-save' } as never}>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('plan.copyHelp', { n: plan.targets.length })} />
      <Form form={form} layout="vertical" preserve={false} onFinish={(v) => copy.mutate(v)}
        initialValues={{ periodFrom: from, periodTo: to, title: shiftYears(plan.title, plan, from, to), code: shiftYears(plan.code, plan, from, to) === plan.code ? `${plan.code}-${from}` : shiftYears(plan.code, plan, from, to) }}>
        <Form.Item name="title" label={t('plan.title')} rules={required}><Input data-testid="copy-title" /></Form.Item>
        <Form.Item name="code" label={t('plan.code')} rules={required} extra={t('plan.codeHelp')}><Input data-testid="copy-code" /></Form.Item>
        <Space wrap>
          <Form.Item name="periodFrom" label={t('plan.periodFrom')} rules={required}><InputNumber min={2000} max={2100} data-testid="copy-from" /></Form.Item>
          <Form.Item name="periodTo" label={t('plan.periodTo')} rules={required}><InputNumber min={2000} max={2100} data-testid="copy-to" /></Form.Item>
        </Space>
        <Form.Item name="areaUnitId" label={t('plan.copyArea')} extra={t('plan.copyAreaHelp', { n: plan.areaUnit.name })}><UnitTreeSelect /></Form.Item>
        <Form.Item name="issuingUnit" label={t('plan.issuingUnit')}><Input placeholder={plan.issuingUnit} /></Form.Item>
      </Form>
    </Modal>
  );
}
