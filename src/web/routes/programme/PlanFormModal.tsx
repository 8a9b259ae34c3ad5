import { DatePicker, Form, Input, InputNumber, Modal, Space, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type dayjs from 'dayjs';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { useShowError } from '../../components/errors';
import { UnitTreeSelect } from '../../components/pickers';
import { DATE_FORMAT, fromIsoDate, toIsoDate, thisYear } from '../../format';
import { useI18n } from '../../i18n';
import { planBody, type Plan } from './common';

interface Values {
  code: string; title: string; issuingUnit: string; documentNumber?: string; issuedOn?: dayjs.Dayjs | null; legalBasis?: string;
  areaUnitId?: number; periodFrom: number; periodTo: number; note?: string;
}

/** A plan's own fields (targets and status are edited on the plan screen). `plan` null = a new draft plan. */
export function PlanFormModal({ open, plan, onClose }: { open: boolean; plan: Plan | null; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();
  const nav = useNavigate();
  const showError = useShowError();
  const save = useMutation({
    mutationFn: (v: Values) => {
      const fields = {
        code: v.code.trim(), title: v.title, issuingUnit: v.issuingUnit, documentNumber: v.documentNumber || null, issuedOn: toIsoDate(v.issuedOn),
        legalBasis: (v.legalBasis ?? '').split('\n').map((s) => s.trim()).filter(Boolean), periodFrom: v.periodFrom, periodTo: v.periodTo, note: v.note || null,
      };
      return plan
        ? api<Plan>(`/api/programme/plans/${plan.id}`, { method: 'PUT', body: planBody(plan, fields) })
        : api<Plan>('/api/programme/plans', { body: { ...fields, areaUnitId: v.areaUnitId, status: 'draft', targets: [] } });
    },
    onSuccess: (p) => {
      qc.invalidateQueries({ queryKey: ['plans'] });
      qc.setQueryData(['plan', p.id], p);
      onClose();
      if (!plan) nav(`/plans/${p.id}`);
    },
    onError: (e) => showError(e, form),
  });
  const year = thisYear();
  const initial = plan
    ? { ...plan, issuedOn: fromIsoDate(plan.issuedOn), legalBasis: plan.legalBasis.join('\n'), documentNumber: plan.documentNumber ?? '', note: plan.note ?? '' }
    : { periodFrom: year, periodTo: year + 4 };
  const required = [{ required: true, message: t('form.required') }];
  return (
    <Modal open={open} title={plan ? t('plan.editInfo') : t('plan.create')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} cancelText={t('common.cancel')}
      confirmLoading={save.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'plan-save' } as never} width={640}>
      <Form form={form} layout="vertical" preserve={false} initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="title" label={t('plan.title')} rules={required}><Input data-testid="plan-title" /></Form.Item>
        <Form.Item name="code" label={t('plan.code')} rules={required} extra={t('plan.codeHelp')}><Input data-testid="plan-code" /></Form.Item>
        <Form.Item name="issuingUnit" label={t('plan.issuingUnit')} rules={required}><Input data-testid="plan-issuing-unit" placeholder={t('plan.issuingUnitPh')} /></Form.Item>
        <Space wrap>
          <Form.Item name="documentNumber" label={t('plan.documentNumber')}><Input style={{ width: 220 }} /></Form.Item>
          <Form.Item name="issuedOn" label={t('plan.issuedOn')}><DatePicker format={DATE_FORMAT} /></Form.Item>
        </Space>
        {plan ? (
          <Form.Item label={t('plan.area')}><Typography.Text>{plan.areaUnit.name}</Typography.Text></Form.Item>
        ) : (
          <Form.Item name="areaUnitId" label={t('plan.area')} rules={required}><UnitTreeSelect data-testid="plan-area" /></Form.Item>
        )}
        <Space wrap>
          <Form.Item name="periodFrom" label={t('plan.periodFrom')} rules={required}><InputNumber min={2000} max={2100} data-testid="plan-from" /></Form.Item>
          <Form.Item name="periodTo" label={t('plan.periodTo')} rules={required}><InputNumber min={2000} max={2100} data-testid="plan-to" /></Form.Item>
        </Space>
        <Form.Item name="legalBasis" label={t('plan.legalBasis')} extra={t('plan.legalBasisHelp')}><Input.TextArea rows={3} /></Form.Item>
        <Form.Item name="note" label={t('plan.note')}><Input.TextArea rows={2} /></Form.Item>
      </Form>
    </Modal>
  );
}
