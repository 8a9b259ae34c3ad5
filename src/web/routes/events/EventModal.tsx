import { Col, DatePicker, Divider, Form, Input, InputNumber, Modal, Row, Select, TreeSelect } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type dayjs from 'dayjs';
import { useMemo } from 'react';
import type { z } from 'zod';
import { EVENT_STATUSES, EVENT_TYPES, FUNDING_SOURCES, type EventInput, type ZEvent } from '../../../server/modules/programme/schema';
import { normalizeForSearch } from '../../../shared/text';
import { api } from '../../api';
import { buildTree, useUnits } from '../../data';
import { useShowError } from '../../components/errors';
import { DATE_FORMAT, fromIsoDate, todayIso } from '../../format';
import { useI18n } from '../../i18n';
import { vndInput } from '../programme/common';
import { ParticipantsField, type ParticipantValue } from './ParticipantsField';

export type ProgrammeEvent = z.infer<typeof ZEvent>;
interface Values extends Omit<EventInput, 'startsOn' | 'endsOn' | 'participants'> { dates: [dayjs.Dayjs, dayjs.Dayjs]; participants: ParticipantValue[] }

/** Units valid today as a tree; an event held by a unit that has since been merged keeps showing it. */
function EventUnitSelect({ value, onChange, current, disabled }: { value?: number; onChange?: (v: number) => void; current?: { id: number; name: string }; disabled?: boolean }) {
  const { t, label } = useI18n();
  const { data } = useUnits({ asOf: todayIso() });
  const tree = useMemo(() => {
    const items = buildTree(data ?? [], (u) => ({ title: `${label('unitType', u.type)} ${u.name}` }));
    return current && !(data ?? []).some((u) => u.id === current.id) ? [{ value: current.id, key: current.id, title: current.name }, ...items] : items;
  }, [data, label, current]);
  const filterTreeNode = (input: string, node: { title?: unknown }) => normalizeForSearch(String(node.title ?? '')).includes(normalizeForSearch(input));
  return <TreeSelect value={value} onChange={onChange} treeData={tree} showSearch={{ filterTreeNode }} disabled={disabled} placeholder={t('event.unitPh')} popupMatchSelectWidth={false} data-testid="event-unit" style={{ width: '100%' }} />;
}

/** Records an event or edits it (outcomes after it was held); read-only for those the server does not let edit. */
export function EventModal({ event, onClose }: { event: ProgrammeEvent | null; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();
  const showError = useShowError();
  const readOnly = event !== null && !event.canEdit;
  const save = useMutation({
    mutationFn: ({ dates, participants, ...v }: Values) => {
      const body: EventInput = {
        ...v, startsOn: dates[0].format('YYYY-MM-DD'), endsOn: dates[1].format('YYYY-MM-DD'), place: v.place || null, organiser: v.organiser || null, followUp: v.followUp || null,
        participants: participants.filter((p) => p.producerId).map((p) => ({ producerId: p.producerId!, productId: p.productId ?? null })),
      };
      return event ? api<ProgrammeEvent>(`/api/programme-events/${event.id}`, { method: 'PUT', body: { ...body, version: event.version } }) : api<ProgrammeEvent>('/api/programme-events', { body });
    },
    onSuccess: () => { qc.invalidateQueries({ queryKey: ['events'] }); onClose(); },
    onError: (e) => showError(e, form),
  });
  const initial = event
    ? { ...event, unitId: event.unit.id, dates: [fromIsoDate(event.startsOn), fromIsoDate(event.endsOn)], participants: event.participants.map((p) => ({ producerId: p.producerId, productId: p.productId, producerName: p.producerName })) }
    : { type: 'fair', status: 'planned', costVnd: 0, participants: [] };
  const required = [{ required: true, message: t('form.required') }];
  const title = event ? (readOnly ? event.title : t('event.edit')) : t('event.create');
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => (readOnly ? onClose() : form.submit())} okText={readOnly ? t('common.close') : t('common.save')} cancelText={t('common.cancel')}
      confirmLoading={save.isPending} destroyOnHidden width={760} okButtonProps={{ 'data-testid': 'event-save' } as never} cancelButtonProps={{ style: readOnly ? { display: 'none' } : undefined }}>
      <Form form={form} layout="vertical" preserve={false} initialValues={initial as never} onFinish={(v) => save.mutate(v)} disabled={readOnly}>
        <Form.Item name="title" label={t('event.title')} rules={required}><Input data-testid="event-title" /></Form.Item>
        <Row gutter={12}>
          <Col xs={24} md={8}><Form.Item name="type" label={t('event.type')} rules={required}><Select data-testid="event-type" options={EVENT_TYPES.map((v) => ({ value: v, label: t(`event.type.${v}`) }))} /></Form.Item></Col>
          <Col xs={24} md={10}><Form.Item name="dates" label={t('event.dates')} rules={required}><DatePicker.RangePicker format={DATE_FORMAT} data-testid="event-dates" style={{ width: '100%' }} /></Form.Item></Col>
          <Col xs={24} md={6}><Form.Item name="status" label={t('event.status')}><Select data-testid="event-status" options={EVENT_STATUSES.map((v) => ({ value: v, label: t(`event.status.${v}`) }))} /></Form.Item></Col>
          <Col xs={24}><Form.Item name="unitId" label={t('event.unit')} rules={required}><EventUnitSelect current={event?.unit} disabled={readOnly} /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="place" label={t('event.place')}><Input data-testid="event-place" /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="organiser" label={t('event.organiser')}><Input /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="costVnd" label={t('event.cost')}><InputNumber min={0} step={1_000_000} style={{ width: '100%' }} data-testid="event-cost" {...vndInput} /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="fundingSource" label={t('event.source')}><Select allowClear options={FUNDING_SOURCES.map((v) => ({ value: v, label: t(`funding.${v}`) }))} /></Form.Item></Col>
        </Row>
        <Divider titlePlacement="start" plain>{t('event.participants')}</Divider>
        <ParticipantsField form={form} disabled={readOnly} />
        <Divider titlePlacement="start" plain>{t('event.outcomes')}</Divider>
        <Row gutter={12}>
          <Col xs={12} md={6}><Form.Item name="attendance" label={t('event.attendance')}><InputNumber min={0} style={{ width: '100%' }} data-testid="event-attendance" /></Form.Item></Col>
          <Col xs={12} md={6}><Form.Item name="contractsSigned" label={t('event.contracts')}><InputNumber min={0} style={{ width: '100%' }} data-testid="event-contracts" /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="salesVnd" label={t('event.sales')}><InputNumber min={0} step={1_000_000} style={{ width: '100%' }} data-testid="event-sales" {...vndInput} /></Form.Item></Col>
        </Row>
        <Form.Item name="followUp" label={t('event.followUp')}><Input.TextArea rows={2} data-testid="event-follow-up" /></Form.Item>
      </Form>
    </Modal>
  );
}
