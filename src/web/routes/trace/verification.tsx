import { App, Button, Form, Input, Modal, Popconfirm, Space, Tag } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { useShowError } from '../../components/errors';
import { useI18n } from '../../i18n';

export type VerificationStatus = 'declared' | 'verified' | 'rejected';

/** "Đã xác minh" / "Do cơ sở tự khai" / "Bị từ chối" — what a declared code or prefix is worth. */
export function VerificationTag({ status, note }: { status: VerificationStatus; note?: string | null }) {
  const { t } = useI18n();
  const color = status === 'verified' ? 'green' : status === 'declared' ? 'gold' : 'red';
  return <Tag color={color} title={note ?? undefined} data-testid="verification-tag" data-status={status}>{t(`verification.${status}`)}</Tag>;
}

/**
 * Verify / reject buttons for officers (the server decides the scope and answers 403 otherwise). `url` is the
 * verification endpoint (POST {decision, note}); `what` names the record in the confirmation ("mã số VN-BG-01").
 */
export function VerifyButtons({ url, what, onDone }: { url: string; what: string; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useShowError();
  const [rejecting, setRejecting] = useState(false);
  const [form] = Form.useForm<{ note: string }>();
  const decide = useMutation({
    mutationFn: (body: { decision: 'verified' | 'rejected'; note?: string | null }) => api(url, { body }),
    onSuccess: () => {
      message.success(t('verification.done'));
      setRejecting(false);
      onDone();
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Space size={4}>
      <Popconfirm title={t('verification.confirmVerify', { what })} onConfirm={() => decide.mutate({ decision: 'verified' })} okText={t('verification.verify')} cancelText={t('common.cancel')}>
        <Button size="small" data-testid="verify" icon={<CheckOutlined />} loading={decide.isPending}>{t('verification.verify')}</Button>
      </Popconfirm>
      <Button size="small" danger data-testid="reject" icon={<CloseOutlined />} onClick={() => setRejecting(true)}>{t('verification.reject')}</Button>
      <Modal open={rejecting} title={t('verification.rejectTitle', { what })} onCancel={() => setRejecting(false)} okText={t('verification.reject')}
        okButtonProps={{ danger: true, loading: decide.isPending }} onOk={() => form.submit()} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => decide.mutate({ decision: 'rejected', note: v.note })}>
          <Form.Item name="note" label={t('verification.rejectReason')} rules={[{ required: true, message: t('form.required') }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
