import { App, Form, Modal, Radio, Select, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { useShowError } from '../../components/errors';
import { freshOnOpen } from '../../components/freshOnOpen';
import type { TraceEvent } from '../../contract';
import { useI18n } from '../../i18n';
import { fmtEventTime } from './common';

type Reason = 'incorrect_data' | 'did_not_occur';
interface FormValues { reason: Reason; correctiveEventId?: string }

/** An event of the journey as people name it: its kind and time. */
export const eventName = (e: TraceEvent, kindLabel: string) => `${kindLabel} · ${fmtEventTime(e.eventTime, e.eventTz)}`;

/**
 * Declares a recorded event wrong (EPCIS error declaration). Nothing is deleted: the journey keeps the event, struck
 * through, with the reason and the event that replaces it (another event of this lot, recorded first).
 */
function DeclareWrongInner({ target, events, onClose }: { target: TraceEvent | null; events: TraceEvent[]; onClose: () => void }) {
  const { t, label } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<FormValues>();
  const m = useMutation({
    mutationFn: (v: FormValues) => api<TraceEvent>(`/api/trace-events/${target!.id}/declare-wrong`, { body: { reason: v.reason, correctiveEventId: v.correctiveEventId ?? null } }),
    onSuccess: () => {
      message.success(t('trace.declare.done'));
      qc.invalidateQueries({ queryKey: ['lots'] });
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  const others = events.filter((e) => target && e.id !== target.id && e.corrections.length === 0);
  return (
    <Modal
      open={!!target}
      title={target ? t('trace.declare.title', { event: eventName(target, label('traceKind', target.kind)) }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('trace.declare.ok')}
      okButtonProps={{ danger: true, 'data-testid': 'declare-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('trace.declare.help')}</Typography.Paragraph>
      <Form<FormValues> form={form} layout="vertical" onFinish={(v) => m.mutate(v)} initialValues={{ reason: 'incorrect_data' }}>
        <Form.Item name="reason" label={t('trace.declare.reason')} rules={[{ required: true, message: t('form.required') }]}>
          <Radio.Group data-testid="declare-reason" options={(['incorrect_data', 'did_not_occur'] as const).map((r) => ({ value: r, label: label('correctionReason', r) }))} />
        </Form.Item>
        <Form.Item name="correctiveEventId" label={t('trace.declare.corrective')} extra={t('trace.declare.correctiveHelp')}>
          <Select
            data-testid="declare-corrective"
            allowClear
            placeholder={t('trace.declare.noCorrective')}
            options={others.map((e) => ({ value: e.id, label: `${eventName(e, label('traceKind', e.kind))} — ${e.summary}` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export const DeclareWrongModal = freshOnOpen(DeclareWrongInner, (p) => !!p.target);
