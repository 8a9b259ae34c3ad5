import { App, Button, Card, Empty, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { FilePdfOutlined, LinkOutlined, PictureOutlined, PlusOutlined, QrcodeOutlined, StopOutlined, CheckCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { useShowError } from '../../components/errors';
import { freshOnOpen } from '../../components/freshOnOpen';
import { LABEL_LAYOUTS, type LabelLayout, type Lot, type StampRange } from '../../contract';
import { fmtDateTime } from '../../format';
import { useI18n } from '../../i18n';

/**
 * The public URI printed in the QR code carries the platform's public base URL; opened from the back office it
 * goes to this same server (relative path), as the certificate verification links do.
 */
export function localPath(uri: string): string {
  try {
    const u = new URL(uri, window.location.origin);
    return u.pathname + u.search;
  } catch {
    return uri;
  }
}

const big = (v: number | string) => BigInt(String(v));

/** QR stamps of a lot: ranges issued, label sheets, activation, lost serials, a test scan of the first stamp. */
export function StampsCard({ lot, writable }: { lot: Lot; writable: boolean }) {
  const { t, label } = useI18n();
  const [issuing, setIssuing] = useState(false);
  const [statusOf, setStatusOf] = useState<StampRange | null>(null);
  const [lostOf, setLostOf] = useState<StampRange | null>(null);
  const [layout, setLayout] = useState<LabelLayout>('a4-65');
  const { data, isLoading } = useQuery({ queryKey: ['lots', lot.id, 'stamp-ranges'], queryFn: () => api<StampRange[]>(`/api/lots/${lot.id}/stamp-ranges`) });
  const ranges = data ?? [];
  const first = ranges[0];

  return (
    <Card
      size="small"
      data-testid="stamps-card"
      title={
        <span>
          <QrcodeOutlined /> {t('trace.stamp.title')}
        </span>
      }
      extra={
        writable && (
          <Button data-testid="stamp-issue" type="primary" icon={<PlusOutlined />} onClick={() => setIssuing(true)}>
            {t('trace.stamp.issue')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {lot.gtin ? t('trace.stamp.introGtin') : t('trace.stamp.introShort')}
      </Typography.Paragraph>
      {first && (
        <Typography.Paragraph data-testid="stamp-sample">
          {t('trace.stamp.sample')}:{' '}
          <a data-testid="stamp-sample-link" href={localPath(first.sampleUri)} target="_blank" rel="noreferrer" title={first.sampleUri}>
            <LinkOutlined /> {t('trace.stamp.openSample')}
          </a>{' '}
          <Typography.Text code copyable={{ text: first.sampleUri }} style={{ fontSize: 12 }}>
            {first.sampleUri}
          </Typography.Text>
        </Typography.Paragraph>
      )}
      {ranges.length > 0 && (
        <Space style={{ marginBottom: 8 }}>
          <span>{t('trace.stamp.layout')}:</span>
          <Select<LabelLayout> data-testid="stamp-layout" value={layout} onChange={setLayout} style={{ width: 260 }} options={LABEL_LAYOUTS.map((l) => ({ value: l, label: label('labelLayout', l) }))} />
        </Space>
      )}
      <Table<StampRange>
        data-testid="stamp-ranges"
        size="small"
        rowKey="id"
        loading={isLoading}
        pagination={false}
        dataSource={ranges}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('trace.stamp.none')} /> }}
        onRow={(r) => ({ 'data-testid': 'stamp-range', 'data-status': r.status }) as never}
        columns={[
          { title: t('trace.stamp.serials'), render: (_, r) => <b>{String(r.firstSerial)} – {String(r.lastSerial)}</b> },
          { title: t('trace.stamp.count'), dataIndex: 'count', width: 90, align: 'right', render: (n: number) => n.toLocaleString('vi-VN') },
          {
            title: t('trace.stamp.status'),
            width: 220,
            render: (_, r) => (
              <>
                <Tag color={r.status === 'active' ? 'green' : 'red'} data-testid="stamp-range-status">
                  {label('stampStatus', r.status)}
                </Tag>
                {r.statusReason && <div style={{ fontSize: 12 }}>{r.statusReason}</div>}
                {r.exceptions.length > 0 && (
                  <Tooltip title={r.exceptions.map((x) => `${String(x.serial)}: ${label('stampStatus', x.status)}${x.reason ? ` (${x.reason})` : ''}`).join('; ')}>
                    <Tag icon={<WarningOutlined />} color="orange" data-testid="stamp-exceptions">
                      {t('trace.stamp.exceptionsN', { n: r.exceptions.length })}
                    </Tag>
                  </Tooltip>
                )}
              </>
            ),
          },
          { title: t('trace.stamp.scans'), dataIndex: 'scanCount', width: 90, align: 'right' },
          { title: t('trace.stamp.issuedAt'), width: 150, render: (_, r) => fmtDateTime(r.issuedAt) },
          {
            title: '',
            width: 420,
            render: (_, r) => (
              <Space size={4} wrap>
                <Button size="small" data-testid="stamp-pdf" icon={<FilePdfOutlined />} href={`/api/stamp-ranges/${r.id}/labels.pdf?layout=${layout}`} target="_blank">
                  {t('trace.stamp.printPdf')}
                </Button>
                <Button size="small" data-testid="stamp-svg" icon={<PictureOutlined />} href={`/api/stamp-ranges/${r.id}/labels/${String(r.firstSerial)}.svg`} target="_blank">
                  SVG
                </Button>
                {writable && (
                  <>
                    <Button
                      size="small"
                      data-testid={r.status === 'active' ? 'stamp-deactivate' : 'stamp-activate'}
                      danger={r.status === 'active'}
                      icon={r.status === 'active' ? <StopOutlined /> : <CheckCircleOutlined />}
                      onClick={() => setStatusOf(r)}
                    >
                      {r.status === 'active' ? t('trace.stamp.deactivate') : t('trace.stamp.activate')}
                    </Button>
                    <Button size="small" data-testid="stamp-lost" onClick={() => setLostOf(r)}>
                      {t('trace.stamp.markLost')}
                    </Button>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      <IssueModal lot={lot} open={issuing} onClose={() => setIssuing(false)} />
      <RangeStatusModal lotId={lot.id} range={statusOf} onClose={() => setStatusOf(null)} />
      <LostModal lotId={lot.id} range={lostOf} onClose={() => setLostOf(null)} />
    </Card>
  );
}

function IssueModalInner({ lot, open, onClose }: { lot: Lot; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<{ count: number }>();
  const m = useMutation({
    mutationFn: (v: { count: number }) => api<StampRange>(`/api/lots/${lot.id}/stamp-ranges`, { body: { count: v.count } }),
    onSuccess: (r) => {
      message.success(t('trace.stamp.issued', { n: r.count.toLocaleString('vi-VN'), first: String(r.firstSerial), last: String(r.lastSerial) }));
      qc.invalidateQueries({ queryKey: ['lots', lot.id] });
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Modal open={open} title={t('trace.stamp.issueTitle', { lot: lot.lotNumber })} onCancel={onClose} onOk={() => form.submit()} okText={t('trace.stamp.issue')} okButtonProps={{ 'data-testid': 'stamp-issue-ok' } as never} cancelText={t('common.cancel')} confirmLoading={m.isPending} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('trace.stamp.issueHelp')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ count: 100 }} onFinish={(v) => m.mutate(v)}>
        <Form.Item name="count" label={t('trace.stamp.count')} rules={[{ required: true, message: t('form.required') }]}>
          <InputNumber data-testid="stamp-count" min={1} max={100000} precision={0} style={{ width: 200 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
const IssueModal = freshOnOpen(IssueModalInner, (p) => p.open);

function RangeStatusModalInner({ lotId, range, onClose }: { lotId: string; range: StampRange | null; onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<{ reason?: string }>();
  const to = range?.status === 'active' ? 'inactive' : 'active';
  const m = useMutation({
    mutationFn: (v: { reason?: string }) => api<StampRange>(`/api/stamp-ranges/${range!.id}/status`, { body: { status: to, ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) } }),
    onSuccess: () => {
      message.success(to === 'inactive' ? t('trace.stamp.deactivated') : t('trace.stamp.activated'));
      qc.invalidateQueries({ queryKey: ['lots', lotId] });
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Modal
      open={!!range}
      title={range ? t(to === 'inactive' ? 'trace.stamp.deactivateTitle' : 'trace.stamp.activateTitle', { first: String(range.firstSerial), last: String(range.lastSerial) }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={to === 'inactive' ? t('trace.stamp.deactivate') : t('trace.stamp.activate')}
      okButtonProps={{ danger: to === 'inactive', 'data-testid': 'stamp-status-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      {to === 'inactive' && <Typography.Paragraph type="secondary">{t('trace.stamp.deactivateHelp')}</Typography.Paragraph>}
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        <Form.Item name="reason" label={t('trace.stamp.reason')} rules={to === 'inactive' ? [{ required: true, whitespace: true, message: t('trace.stamp.reasonRequired') }] : []}>
          <Input.TextArea data-testid="stamp-reason" autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
const RangeStatusModal = freshOnOpen(RangeStatusModalInner, (p) => !!p.range);

function LostModalInner({ lotId, range, onClose }: { lotId: string; range: StampRange | null; onClose: () => void }) {
  const { t, label } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<{ serial: string; status: 'lost' | 'inactive' | 'active'; reason?: string }>();
  const m = useMutation({
    mutationFn: (v: { serial: string; status: 'lost' | 'inactive' | 'active'; reason?: string }) =>
      api<StampRange>(`/api/stamp-ranges/${range!.id}/stamps/${v.serial.trim()}/status`, { body: { status: v.status, ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) } }),
    onSuccess: (_, v) => {
      message.success(t('trace.stamp.serialUpdated', { serial: v.serial.trim() }));
      qc.invalidateQueries({ queryKey: ['lots', lotId] });
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  const inRange = (s: string) => {
    if (!range || !/^[1-9]\d*$/.test(s)) return false;
    const n = big(s);
    return n >= big(range.firstSerial) && n <= big(range.lastSerial);
  };
  return (
    <Modal
      open={!!range}
      title={range ? t('trace.stamp.lostTitle', { first: String(range.firstSerial), last: String(range.lastSerial) }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'stamp-lost-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ status: 'lost' }} onFinish={(v) => m.mutate(v)}>
        <Form.Item
          name="serial"
          label={t('trace.stamp.serial')}
          rules={[{ required: true, message: t('form.required') }, { validator: (_, v: string) => (!v || inRange(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('trace.stamp.serialOutside')))) }]}
        >
          <Input data-testid="stamp-serial" inputMode="numeric" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="status" label={t('trace.stamp.status')}>
          <Select style={{ width: 240 }} options={(['lost', 'inactive', 'active'] as const).map((s) => ({ value: s, label: label('stampStatus', s) }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('trace.stamp.reason')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
const LostModal = freshOnOpen(LostModalInner, (p) => !!p.range);
