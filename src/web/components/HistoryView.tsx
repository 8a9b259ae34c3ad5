import { Empty, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { fmtDate, fmtDateTime } from '../format';
import { useI18n } from '../i18n';
import type { MessageKey } from '../../shared/i18n/vi';

/** Audited field → catalogue key, so history reads "Nhãn hiệu: ∅ → …" rather than "brand". */
const FIELD_LABELS: Record<string, MessageKey> = {
  name: 'product.name',
  brand: 'product.brand',
  producerId: 'product.producer',
  taxonomyNodeId: 'product.taxonomy',
  registeredUnitId: 'product.unit',
  processingLevel: 'product.processingLevel',
  keyProduct: 'product.keyProduct',
  description: 'product.description',
  story: 'product.story',
  rawMaterialArea: 'product.rawMaterialArea',
  stars: 'product.stars',
  recognitionYear: 'product.recognitionYear',
  decisionNumber: 'product.decisionNumber',
  decisionDate: 'product.decisionDate',
  certificateNumber: 'product.certificateNumber',
  certificateIssuer: 'product.certificateIssuer',
  certificateExpiresOn: 'product.certificateExpiresOn',
  certifications: 'product.section.certifications',
  channels: 'product.section.channels',
  sources: 'common.sources',
  isDemo: 'common.demo',
  kind: 'producer.kind',
  legalName: 'producer.legalName',
  shortName: 'producer.shortName',
  registrationNumber: 'producer.registrationNumber',
  unitId: 'producer.unit',
  address: 'producer.address',
  representative: 'producer.representative',
  representativeTitle: 'producer.representativeTitle',
  phone: 'producer.phone',
  email: 'producer.email',
  website: 'producer.website',
  foundedYear: 'producer.foundedYear',
  memberCount: 'producer.memberCount',
  workerCount: 'producer.workerCount',
  craftVillage: 'producer.craftVillageNote',
  craftVillageId: 'producer.craftVillageRef',
  notes: 'producer.notes',
  effectiveStars: 'history.field.effectiveStars',
  expiredOn: 'history.field.expiredOn',
};

export interface HistoryEntry {
  id?: number;
  at: string;
  actor: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** Names of referenced records from the server, keyed "field:value". */
  names?: Record<string, string>;
}

const ENUM_FIELDS: Record<string, string> = { processingLevel: 'processingLevel', kind: 'producerKind', role: 'role' };

const IGNORED = new Set(['version', 'updatedAt', 'createdAt', 'id']);

/** A value as a person reads it: lists by their items' names, never JSON. */
function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '∅';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length ? v.map(show).join('; ') : '∅';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const named = o.name ?? o.title ?? o.number ?? o.label ?? o.code;
    if (named !== undefined && named !== null) return String(named);
    return Object.values(o).filter((x) => x !== null && x !== '' && typeof x !== 'object').map(String).join(', ') || '∅';
  }
  return '∅';
}

/** Fields whose value differs between before and after (every field for a creation). */
export function changedFields(e: HistoryEntry): { field: string; before: unknown; after: unknown }[] {
  const keys = new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})]);
  const out: { field: string; before: unknown; after: unknown }[] = [];
  for (const k of keys) {
    if (IGNORED.has(k)) continue;
    const b = e.before?.[k];
    const a = e.after?.[k];
    if (JSON.stringify(b ?? null) !== JSON.stringify(a ?? null)) out.push({ field: k, before: b, after: a });
  }
  return out;
}

/** Audit trail of one record: who changed what, before → after per field. */
export function HistoryView({ url }: { url: string }) {
  const { t } = useI18n();
  const { label } = useI18n();
  // An action this screen has no word for yet reads "Cập nhật", never its code.
  const actionLabel = (a: string) => {
    const k = `history.action.${a}` as MessageKey;
    const text = t(k);
    return text === k ? t('history.action.update') : text;
  };
  const fieldLabel = (f: string) => (FIELD_LABELS[f] ? t(FIELD_LABELS[f]) : f);
  const value = (e: HistoryEntry, field: string, v: unknown) => {
    const named = v !== null && v !== undefined ? e.names?.[`${field}:${String(v)}`] : undefined;
    if (named) return named;
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    if (typeof v === 'string' && ENUM_FIELDS[field]) return label(ENUM_FIELDS[field], v);
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return fmtDate(v);
    return show(v);
  };
  const { data, isLoading } = useQuery({ queryKey: ['history', url], queryFn: () => api<HistoryEntry[]>(url) });
  if (!isLoading && !data?.length) return <Empty description={t('history.empty')} />;
  return (
    <Table<HistoryEntry>
      data-testid="history-table"
      size="small"
      loading={isLoading}
      rowKey={(r) => String(r.id ?? r.at)}
      dataSource={data ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      scroll={{ x: true }}
      columns={[
        { title: t('history.at'), dataIndex: 'at', width: 150, render: fmtDateTime },
        { title: t('history.actor'), dataIndex: 'actor', width: 140 },
        { title: t('history.action'), dataIndex: 'action', width: 110, render: (a: string) => <Tag>{actionLabel(a)}</Tag> },
        {
          title: t('history.changes'),
          render: (_, e) => {
            // A photo added or removed: the picture's size in words, never its internal id.
            const photo = (e.after ?? e.before) as { photoId?: unknown; bytes?: unknown; width?: unknown; height?: unknown } | null;
            if ((e.action === 'add_photo' || e.action === 'remove_photo') && photo?.photoId) {
              return typeof photo.width === 'number' && typeof photo.height === 'number' && typeof photo.bytes === 'number'
                ? t('history.photoSize', { w: photo.width, h: photo.height, kb: Math.max(1, Math.round(photo.bytes / 1024)) })
                : t('history.photoOne');
            }
            const changes = changedFields(e);
            if (!changes.length) return <Typography.Text type="secondary">—</Typography.Text>;
            return (
              <div style={{ display: 'grid', gap: 2 }}>
                {changes.map((c) => (
                  <div key={c.field} style={{ wordBreak: 'break-word' }}>
                    <Typography.Text strong>{fieldLabel(c.field)}</Typography.Text>:{' '}
                    {e.before ? (
                      <>
                        <Typography.Text delete type="secondary">{value(e, c.field, c.before)}</Typography.Text> →{' '}
                      </>
                    ) : null}
                    <Typography.Text>{value(e, c.field, c.after)}</Typography.Text>
                  </div>
                ))}
              </div>
            );
          },
        },
      ]}
    />
  );
}
