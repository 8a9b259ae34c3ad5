import { App, Button, Card, Descriptions, Dropdown, Empty, Popconfirm, Result, Space, Tag, Timeline, Typography } from 'antd';
import { DeleteOutlined, DownOutlined, DownloadOutlined, EditOutlined, EnvironmentOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { PageSpinner } from '../../components/PageSpinner';
import { TRACE_EVENT_KINDS, type Lot, type TraceEvent, type TraceEventKind } from '../../contract';
import { fmtDate, fmtDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { canWriteLot } from '../../permissions';
import { fmtEventTime } from './common';
import { DeclareWrongModal, eventName } from './DeclareWrongModal';
import { EventModal } from './EventModal';
import { fmtQuantity } from './LotList';
import { StampsCard } from './StampsCard';

const KIND_COLOR: Record<string, string> = { harvest: 'green', processing: 'purple', packing: 'blue', shipping: 'orange', receiving: 'cyan', inspection: 'gold' };

/** A lot: its facts, its journey (its events and those of the lots it was made from), events to record, stamps. */
export default function LotDetail() {
  const { id = '' } = useParams();
  const me = useMe();
  const { t, label } = useI18n();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [recording, setRecording] = useState<TraceEventKind | null>(null);
  const [declaring, setDeclaring] = useState<TraceEvent | null>(null);
  const { data: lot, isLoading, error } = useQuery({ queryKey: ['lots', id], queryFn: () => api<Lot>(`/api/lots/${id}`) });
  const events = useQuery({ queryKey: ['lots', id, 'events'], queryFn: () => api<TraceEvent[]>(`/api/lots/${id}/events`), enabled: !!lot });
  const del = useMutation({
    mutationFn: () => api(`/api/lots/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      message.success(t('trace.lot.deleted'));
      qc.invalidateQueries({ queryKey: ['lots'] });
      nav('/lots');
    },
    onError: (e) => showError(e),
  });

  if (isLoading) return <PageSpinner />;
  if (error || !lot) return <Result status={error instanceof ApiError && error.status === 403 ? '403' : '404'} title={error instanceof ApiError ? error.problem.title : t('error.notFound')} subTitle={error instanceof ApiError ? error.problem.detail : undefined} />;
  const writable = canWriteLot(me, lot.producer.id);

  return (
    <>
      <PageHeader
        back="/lots"
        title={
          <span data-testid="lot-title">
            {t('trace.lot.titleN', { lot: lot.lotNumber })} <Typography.Text type="secondary" style={{ fontSize: 16, fontWeight: 400 }}>· {lot.product.name}</Typography.Text>
          </span>
        }
        extra={
          <>
            <Button data-testid="lot-epcis" icon={<DownloadOutlined />} href={`/api/lots/${lot.id}/epcis`} download={`epcis-${lot.lotNumber}.jsonld`}>
              {t('trace.lot.epcisExport')}
            </Button>
            {writable && (
              <Button data-testid="lot-edit" icon={<EditOutlined />} onClick={() => nav(`/lots/${lot.id}/edit`)}>
                {t('common.edit')}
              </Button>
            )}
            {writable && lot.eventCount === 0 && (
              <Popconfirm title={t('trace.lot.confirmDelete', { lot: lot.lotNumber })} onConfirm={() => del.mutate()} okText={t('common.delete')} cancelText={t('common.cancel')}>
                <Button danger data-testid="lot-delete" icon={<DeleteOutlined />} aria-label={t('common.delete')} />
              </Popconfirm>
            )}
          </>
        }
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card size="small" title={t('trace.lot.facts')}>
          <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" bordered>
            <Descriptions.Item label={t('trace.lot.product')}>
              <Link to={`/products/${lot.product.id}`}>{lot.product.name}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('trace.lot.producer')}>
              <Link to={`/producers/${lot.producer.id}`}>{lot.producer.name}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('trace.lot.gtin')}>{lot.gtin ? <code>{lot.gtin}</code> : <Typography.Text type="secondary">{t('trace.lot.noGtin')}</Typography.Text>}</Descriptions.Item>
            <Descriptions.Item label={t('trace.lot.producedOn')}>{fmtDate(lot.producedOn)}</Descriptions.Item>
            <Descriptions.Item label={t('trace.lot.bestBefore')}>{fmtDate(lot.bestBefore)}</Descriptions.Item>
            <Descriptions.Item label={t('trace.lot.quantity')}>{fmtQuantity(lot.quantity, lot.quantityUnit, label)}</Descriptions.Item>
            <Descriptions.Item label={t('nav.growingAreas')}>{lot.growingAreas.length ? lot.growingAreas.map((a) => <Tag key={a.id}>{a.code} · {a.crop}</Tag>) : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('nav.packingHouses')}>{lot.packingHouse ? `${lot.packingHouse.code} · ${lot.packingHouse.name}` : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('common.updatedAt')}>{fmtDateTime(lot.updatedAt)}</Descriptions.Item>
            {lot.notes && (
              <Descriptions.Item label={t('trace.lot.notes')} span={3}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{lot.notes}</span>
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>

        <Card
          size="small"
          title={t('trace.lot.journey')}
          data-testid="lot-journey"
          extra={
            writable && (
              <Dropdown
                trigger={['click']}
                menu={{
                  items: TRACE_EVENT_KINDS.map((k) => ({ key: k, label: <span data-testid={`event-kind-${k}`}>{label('traceKind', k)}</span> })),
                  onClick: ({ key }) => setRecording(key as TraceEventKind),
                }}
              >
                <Button data-testid="event-record" type="primary" icon={<PlusOutlined />}>
                  {t('trace.event.record')} <DownOutlined />
                </Button>
              </Dropdown>
            )
          }
        >
          {events.isLoading ? (
            <PageSpinner />
          ) : !events.data?.length ? (
            <Empty description={t('trace.event.none')} />
          ) : (
            <Timeline
              style={{ marginTop: 8 }}
              items={events.data.map((e) => ({
                color: KIND_COLOR[e.kind] ?? 'gray',
                content: <EventItem e={e} lotId={lot.id} all={events.data} onDeclare={canWriteLot(me, lot.producer.id) ? setDeclaring : undefined} />,
              }))}
            />
          )}
        </Card>

        <StampsCard lot={lot} writable={writable} />
      </Space>
      <EventModal lot={lot} kind={recording} onClose={() => setRecording(null)} />
      <DeclareWrongModal target={declaring} events={events.data ?? []} onClose={() => setDeclaring(null)} />
    </>
  );
}

function EventItem({ e, lotId, all, onDeclare }: { e: TraceEvent; lotId: string; all: TraceEvent[]; onDeclare?: (e: TraceEvent) => void }) {
  const { t, label } = useI18n();
  const d = e.details ?? {};
  const own = e.lots.some((l) => l.lotId === lotId);
  const lines: ReactNode[] = [];
  if (d.readPointLabel) lines.push(<span key="rp" data-testid="event-read-point"><EnvironmentOutlined /> {t('trace.event.readPoint')}: {d.readPointLabel}</span>);
  else if (d.place) lines.push(<span key="place"><EnvironmentOutlined /> {d.place}</span>);
  if (d.bizLocationLabel && d.bizLocationLabel !== d.readPointLabel) lines.push(<span key="bl">{t('trace.event.bizLocation')}: {d.bizLocationLabel}</span>);
  if (d.productionDate) lines.push(<span key="pd">{t('trace.event.productionDate')}: {fmtDate(d.productionDate)}</span>);
  if (d.bestBefore) lines.push(<span key="bb">{t('trace.event.bestBefore')}: {fmtDate(d.bestBefore)}</span>);
  // The place line already names the growing area when the event happened there: say it once.
  const placeText = d.readPointLabel ?? d.place;
  if (d.growingAreaCodes?.length && !d.growingAreaCodes.every((c) => placeText?.includes(c))) lines.push(<span key="areas">{t('nav.growingAreas')}: {d.growingAreaCodes.join(', ')}</span>);
  if (d.transaction) lines.push(<span key="tx">{label('transactionType', d.transaction.type)}: {d.transaction.id}</span>);
  if (d.source || d.destination) lines.push(<span key="sd">{d.source ?? '—'} → {d.destination ?? '—'}</span>);
  for (const dir of ['source', 'destination'] as const) {
    const parties = (d.parties ?? []).filter((p) => p.direction === dir && p.type !== 'location');
    if (parties.length) {
      lines.push(<span key={`parties-${dir}`}>{t(dir === 'source' ? 'trace.event.from' : 'trace.event.to')}: {parties.map((p) => `${label('sourceDestType', p.type)} ${p.label}`).join(', ')}</span>);
    }
  }
  if (d.parentId) lines.push(<span key="parent">{t('trace.event.parentId')}: {d.parentId}</span>);
  if (d.inspector) lines.push(<span key="insp">{t('trace.event.inspector')}: {d.inspector}</span>);
  const roleMark: Record<string, string> = { input: '⤵', output: '⤴', child: '▣', subject: '' };
  const corrected = e.corrections.length > 0;
  return (
    <div data-testid="journey-event" data-kind={e.kind} data-corrected={corrected ? 'true' : undefined} style={{ paddingBottom: 4, opacity: corrected ? 0.75 : 1 }}>
      <Space size={6} wrap>
        <Tag color={KIND_COLOR[e.kind] ?? 'default'} style={{ marginRight: 0 }}>
          {label('traceKind', e.kind)}
        </Tag>
        {corrected ? <b><s>{e.summary}</s></b> : <b>{e.summary}</b>}
        {corrected && <Tag color="red" data-testid="event-corrected">{t('trace.event.corrected')}</Tag>}
        {e.corrects.length > 0 && <Tag color="geekblue" data-testid="event-corrects">{t('trace.event.corrects')}</Tag>}
        {d.result && <Tag color={d.result === 'conformant' ? 'green' : 'red'}>{label('inspectionResult', d.result)}</Tag>}
        {!own && <Tag>{t('trace.event.upstream')}</Tag>}
        {e.source !== 'form' && <Tag color="blue">{label('eventSource', e.source)}</Tag>}
      </Space>
      <div style={{ fontSize: 12, color: '#666', marginTop: 2 }}>
        🕒 {fmtEventTime(e.eventTime, e.eventTz)}
        {e.bizStep && <span style={{ marginLeft: 8 }}>· {label('bizStep', e.bizStep.replace(/^.*[/:]/, '').replace(/^BizStep-/, ''))}</span>}
      </div>
      {lines.length > 0 && (
        <div style={{ fontSize: 13, marginTop: 2 }}>
          {lines.map((l, i) => (
            <span key={i}>
              {i > 0 && ' · '}
              {l}
            </span>
          ))}
        </div>
      )}
      {e.lots.length > 0 && (
        <div style={{ marginTop: 4 }}>
          {e.lots.map((l, i) => (
            <Tag key={`${l.lotId}-${l.role}-${i}`} data-role={l.role} style={{ marginBottom: 2, whiteSpace: 'normal', maxWidth: '100%' }}>
              {roleMark[l.role] ?? ''} {label('lotRole', l.role)}:{' '}
              {l.lotId === lotId ? <b>{l.lotNumber}</b> : <Link to={`/lots/${l.lotId}`}>{l.lotNumber}</Link>} · {l.productName}
              {l.quantity != null ? ` · ${l.quantity.toLocaleString('vi-VN')} ${l.uom ? label('quantityUnit', l.uom) : ''}` : ''}
            </Tag>
          ))}
        </div>
      )}
      {d.certifications && d.certifications.length > 0 && (
        <div style={{ fontSize: 13, marginTop: 2 }} data-testid="event-certifications">
          {t('trace.event.certifications')}:{' '}
          {d.certifications.map((c, i) => (
            <span key={c.uri}>
              {i > 0 && ', '}
              {c.kind === 'ocop' ? <a href={c.uri} target="_blank" rel="noreferrer">{t('trace.event.ocopCertificate', { number: c.label })}</a>
                : c.kind === 'standard' ? <>{label('certificationType', c.label.split(' ')[0])} {c.label.split(' ').slice(1).join(' ')}</>
                : <a href={c.uri} target="_blank" rel="noreferrer">{c.label}</a>}
            </span>
          ))}
        </div>
      )}
      {d.sensors && d.sensors.length > 0 && (
        <div style={{ fontSize: 13, marginTop: 2 }} data-testid="event-sensors">
          {t('trace.event.sensors')}:{' '}
          {d.sensors.map((r, i) => (
            <Tag key={i} color={r.exception ? 'red' : undefined} style={{ marginBottom: 2 }}>
              {label('sensorType', r.type)}{' '}
              {[r.value, r.meanValue, r.minValue, r.maxValue].find((v) => v !== null)?.toLocaleString('vi-VN') ?? r.stringValue ?? (r.booleanValue === null ? '' : String(r.booleanValue))}
              {r.uom ? ` ${label('sensorUom', r.uom)}` : ''}
              {r.time ? ` · ${fmtDateTime(r.time)}` : ''}
              {r.exception ? ` · ${t('trace.event.sensorAlarm')}` : ''}
            </Tag>
          ))}
        </div>
      )}
      {corrected && (
        <div style={{ fontSize: 13, marginTop: 2, color: '#a8071a' }} data-testid="event-correction">
          {e.corrections.map((c, i) => (
            <div key={i}>
              {t('trace.event.correctedDetail', { date: fmtDateTime(c.declarationTime), reason: label('correctionReason', c.reason) })}
              {c.correctiveEventIds.length > 0 && (
                <> {t('trace.event.correctedBy')} {c.correctiveEventIds.map((id) => {
                  // The replacing event by its kind and time when it is on this journey; else its EPCIS eventID.
                  const r = all.find((x) => x.eventId === id);
                  return r ? eventName(r, label('traceKind', r.kind)) : id;
                }).join(', ')}</>
              )}
            </div>
          ))}
        </div>
      )}
      {d.note && <div style={{ fontSize: 13, fontStyle: 'italic', marginTop: 2 }}>{d.note}</div>}
      {onDeclare && own && !corrected && (
        <Button size="small" type="link" danger data-testid="event-declare-wrong" onClick={() => onDeclare(e)} style={{ paddingInline: 0 }}>
          {t('trace.declare.button')}
        </Button>
      )}
    </div>
  );
}
