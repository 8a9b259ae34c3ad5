import { App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { UserAddOutlined, WarningOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { ZLateConflict, ZSubstitute } from '../../../server/modules/evaluation/schema';
import { api } from '../../api';
import { useShowError } from '../../components/errors';
import { useI18n } from '../../i18n';
import type { Round, RoundProduct } from './common';
import type { CouncilCandidate } from '../../../server/modules/evaluation/schema';

const CONFLICT_REASONS = ['same_producer', 'family', 'business_partner', 'other'] as const;

/**
 * The chair's council tools (shown only when the server lists them in the round's allowedActions): add a substitute
 * scoring member, and record a conflict of interest found after a member submitted (it voids that sheet).
 */
export function CouncilActions({ round, products }: { round: Round; products: RoundProduct[] }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<'substitute' | 'conflict' | null>(null);
  const can = (a: Round['allowedActions'][number]) => round.allowedActions.includes(a);
  if (!can('addSubstitute') && !can('recordConflict')) return null;
  return (
    <Space wrap>
      {can('addSubstitute') && (
        <Button data-testid="round-add-substitute" icon={<UserAddOutlined />} onClick={() => setOpen('substitute')}>
          {t('round.addSubstitute')}
        </Button>
      )}
      {can('recordConflict') && (
        <Button data-testid="round-record-conflict" icon={<WarningOutlined />} onClick={() => setOpen('conflict')}>
          {t('round.recordConflict')}
        </Button>
      )}
      <SubstituteModal open={open === 'substitute'} round={round} onClose={() => setOpen(null)} />
      <LateConflictModal open={open === 'conflict'} round={round} products={products} onClose={() => setOpen(null)} />
    </Space>
  );
}

function useRoundMutation<T>(round: Round, url: (v: T) => string, onDone: () => void) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { t } = useI18n();
  return useMutation({
    mutationFn: (v: T) => api<Round>(url(v), { body: v }),
    onSuccess: (r) => {
      qc.setQueryData(['rounds', round.id], r);
      qc.invalidateQueries({ queryKey: ['rounds'] });
      message.success(t('common.saved'));
      onDone();
    },
  });
}

function SubstituteModal({ open, round, onClose }: { open: boolean; round: Round; onClose: () => void }) {
  const { t } = useI18n();
  const showError = useShowError();
  const [form] = Form.useForm<z.input<typeof ZSubstitute>>();
  const candidates = useQuery({
    queryKey: ['rounds', 'candidates'],
    queryFn: () => api<CouncilCandidate[]>('/api/rounds/candidates'),
    enabled: open,
  });
  const m = useRoundMutation<z.input<typeof ZSubstitute>>(round, () => `/api/rounds/${round.id}/substitutes`, onClose);
  const inCouncil = new Set(round.members.map((x) => x.userId));
  return (
    <Modal open={open} title={t('round.addSubstitute')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={m.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'substitute-save' } as never}>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate({ ...v, replaces: v.replaces ?? null }, { onError: (e) => showError(e, form) })}>
        <Form.Item name="userId" label={t('round.substitute')} rules={[{ required: true, message: t('form.required') }]}>
          <Select
            data-testid="substitute-user"
            showSearch={{ filterOption: (input, o) => String(o?.label ?? '').toLowerCase().includes(input.toLowerCase()) }}
            loading={candidates.isLoading}
            options={(candidates.data ?? []).filter((u) => !inCouncil.has(u.id)).map((u) => ({ value: u.id, label: `${u.fullName} (${u.login})` }))}
          />
        </Form.Item>
        <Form.Item name="replaces" label={t('round.replaces')}>
          <Select allowClear options={round.members.map((x) => ({ value: x.userId, label: x.fullName }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('round.substituteReason')} rules={[{ required: true, min: 3, message: t('form.required') }]}>
          <Input.TextArea data-testid="substitute-reason" rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type LateConflictValues = z.input<typeof ZLateConflict> & { productId: string };

function LateConflictModal({ open, round, products, onClose }: { open: boolean; round: Round; products: RoundProduct[]; onClose: () => void }) {
  const { t, label } = useI18n();
  const showError = useShowError();
  const [form] = Form.useForm<LateConflictValues>();
  const m = useRoundMutation<LateConflictValues>(round, (v) => `/api/rounds/${round.id}/products/${v.productId}/late-conflict`, onClose);
  return (
    <Modal open={open} title={t('round.recordConflict')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={m.isPending} destroyOnHidden okButtonProps={{ danger: true, 'data-testid': 'late-conflict-save' } as never}>
      <p style={{ marginTop: 0 }}>{t('round.recordConflictHelp')}</p>
      <Form form={form} layout="vertical" initialValues={{ reason: 'family' }} onFinish={(v) => m.mutate(v, { onError: (e) => showError(e, form) })}>
        <Form.Item name="productId" label={t('round.product')} rules={[{ required: true, message: t('form.required') }]}>
          <Select options={products.map((p) => ({ value: p.productId, label: p.name }))} />
        </Form.Item>
        <Form.Item name="memberId" label={t('round.member')} rules={[{ required: true, message: t('form.required') }]}>
          <Select options={round.members.map((x) => ({ value: x.userId, label: `${x.fullName} · ${label('memberRole', x.role)}` }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('round.conflictReason')} rules={[{ required: true, message: t('form.required') }]}>
          <Select options={CONFLICT_REASONS.map((r) => ({ value: r, label: label('conflictReason', r) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('round.lateConflictNote')} rules={[{ required: true, min: 3, message: t('form.required') }]}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
