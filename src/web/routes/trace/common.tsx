import { Select, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import type { ProductSummary } from '../../../server/modules/products/schema';
import { api, type Paged } from '../../api';
import { useDebounced } from '../../components/hooks';
import type { GeoLocation, GrowingArea, Lot, Market, PackingHouse } from '../../contract';
import { todayIso } from '../../format';
import { useI18n } from '../../i18n';
import { normalizeForSearch } from '../../../shared/text';

// ─── Time: events are recorded in Vietnam time and sent with the +07:00 offset ─────────────────────────────────

export const VN_OFFSET = '+07:00';
const VN_MINUTES = 7 * 60;

/** Now as a picker value whose wall clock is Vietnam's, whatever the browser's time zone. */
export function vnNow(): dayjs.Dayjs {
  const d = new Date();
  return dayjs(new Date(d.getTime() + (VN_MINUTES + d.getTimezoneOffset()) * 60_000));
}

/** A picker value read as Vietnam wall-clock time → ISO date-time with offset (2025-06-10T07:30:00+07:00). */
export const toVnIso = (d: dayjs.Dayjs) => `${d.format('YYYY-MM-DDTHH:mm')}:00${VN_OFFSET}`;

function offsetMinutes(tz: string): number | null {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (!m) return tz === 'Z' ? 0 : null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** An event's time on its own clock: "10/06/2025 07:30 (UTC+07:00)". */
export function fmtEventTime(iso: string, tz?: string | null): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const zone = tz ?? /([+-]\d{2}:\d{2}|Z)$/.exec(iso)?.[1] ?? VN_OFFSET;
  const off = offsetMinutes(zone) ?? VN_MINUTES;
  const d = new Date(ms + off * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const label = zone === 'Z' ? '+00:00' : zone;
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} (UTC${label})`;
}

// ─── Small displays ─────────────────────────────────────────────────────────────────────────────────────────────

export function MarketTags({ markets }: { markets: Market[] }) {
  const { label } = useI18n();
  if (!markets.length) return <>—</>;
  return (
    <>
      {markets.map((m) => (
        <Tag key={m} style={{ marginBottom: 2 }}>
          {label('market', m)}
        </Tag>
      ))}
    </>
  );
}

/** Valid / expired tag of a place's code (validTo through that day). */
export function ValidityTag({ validTo }: { validTo: string | null }) {
  const { t } = useI18n();
  if (!validTo) return null;
  return validTo < todayIso() ? <Tag color="red">{t('common.expired')}</Tag> : <Tag color="green">{t('common.valid')}</Tag>;
}

export const ownerLabel = (o: { producerName: string | null; name: string | null }) => o.producerName ?? o.name ?? '—';

// ─── Sketch of a GPS point or polygon (inline SVG; the machine is offline, no map tiles) ───────────────────────

const VN = { minLng: 102, maxLng: 110, minLat: 8, maxLat: 24 };

/**
 * A point is drawn inside Vietnam's bounding box (a swapped lat/lng lands outside and shows it); a polygon is
 * fitted to the frame with its width in metres, so a typo in one vertex shows as a spike.
 */
export function GeoSketch({ location, size = 160 }: { location: GeoLocation | null | undefined; size?: number }) {
  const { t } = useI18n();
  const pad = 10;
  const frame = { stroke: '#d9d9d9', fill: '#fafafa' };
  if (!location) {
    return (
      <svg width={size} height={size} role="img" aria-label={t('trace.geo.none')} data-testid="geo-sketch" data-kind="none">
        <rect x={0.5} y={0.5} width={size - 1} height={size - 1} rx={6} {...frame} />
        <text x={size / 2} y={size / 2} textAnchor="middle" fontSize={11} fill="#999">
          {t('trace.geo.none')}
        </text>
      </svg>
    );
  }
  if (location.type === 'Point') {
    const [lng, lat] = location.coordinates;
    // Vietnam's box is 8° wide, 16° tall: keep the aspect.
    const h = size - 2 * pad;
    const w = h / 2;
    const x0 = (size - w) / 2;
    const x = x0 + ((lng - VN.minLng) / (VN.maxLng - VN.minLng)) * w;
    const y = pad + ((VN.maxLat - lat) / (VN.maxLat - VN.minLat)) * h;
    const inside = lng >= VN.minLng && lng <= VN.maxLng && lat >= VN.minLat && lat <= VN.maxLat;
    return (
      <svg width={size} height={size} role="img" aria-label={`${lat}, ${lng}`} data-testid="geo-sketch" data-kind="point">
        <rect x={0.5} y={0.5} width={size - 1} height={size - 1} rx={6} {...frame} />
        <rect x={x0} y={pad} width={w} height={h} fill="#e6f4ea" stroke="#95c9a5" strokeDasharray="3 2" />
        <text x={x0 + w + 4} y={pad + 10} fontSize={9} fill="#888">
          {t('trace.geo.vnBox')}
        </text>
        {inside && (
          <>
            <line x1={x0} x2={x0 + w} y1={y} y2={y} stroke="#b7d7c0" />
            <line x1={x} x2={x} y1={pad} y2={pad + h} stroke="#b7d7c0" />
            <circle cx={x} cy={y} r={4} fill="#1f6f43" />
          </>
        )}
        {size >= 100 && (
          <text x={size / 2} y={size - 2} textAnchor="middle" fontSize={9} fill={inside ? '#555' : '#cf1322'}>
            {inside ? `${lat.toFixed(5)}, ${lng.toFixed(5)}` : t('trace.geo.outside')}
          </text>
        )}
      </svg>
    );
  }
  const rings = location.coordinates;
  const all = rings.flat();
  const lngs = all.map((p) => p[0]);
  const lats = all.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos(((minY + maxY) / 2) * (Math.PI / 180));
  const spanX = Math.max((maxX - minX) * k, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const small = size < 100;
  const pd = small ? 6 : pad;
  const foot = small ? 0 : 12;
  const scale = (size - 2 * pd - foot) / Math.max(spanX, spanY);
  const ox = (size - spanX * scale) / 2;
  const oy = (size - foot - spanY * scale) / 2;
  const d = rings
    .map((r) => r.map(([lng, lat], i) => `${i ? 'L' : 'M'}${(ox + (lng - minX) * k * scale).toFixed(1)},${(oy + (maxY - lat) * scale).toFixed(1)}`).join(' ') + ' Z')
    .join(' ');
  const widthM = Math.round(spanX * 111_320);
  return (
    <svg width={size} height={size} role="img" aria-label={t('trace.geo.polygon')} data-testid="geo-sketch" data-kind="polygon">
      <rect x={0.5} y={0.5} width={size - 1} height={size - 1} rx={6} {...frame} />
      <path d={d} fill="rgba(31,111,67,0.25)" stroke="#1f6f43" strokeWidth={1.5} fillRule="evenodd" />
      {!small && (
        <text x={size / 2} y={size - 3} textAnchor="middle" fontSize={9} fill="#555">
          {t('trace.geo.width', { m: widthM.toLocaleString('vi-VN') })}
        </text>
      )}
    </svg>
  );
}

/** Reads a pasted GeoJSON Polygon (a geometry, a Feature or the first Feature of a collection). */
export function parsePolygon(text: string): { ok: true; value: GeoLocation } | { ok: false; error: 'json' | 'type' } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, error: 'json' };
  }
  const o = v as { type?: string; geometry?: unknown; features?: { geometry?: unknown }[]; coordinates?: unknown };
  const geom = (o?.type === 'Feature' ? o.geometry : o?.type === 'FeatureCollection' ? o.features?.[0]?.geometry : o) as { type?: string; coordinates?: unknown } | undefined;
  if (geom?.type === 'Polygon' && Array.isArray(geom.coordinates)) return { ok: true, value: { type: 'Polygon', coordinates: geom.coordinates as [number, number][][] } };
  if (geom?.type === 'Point' && Array.isArray(geom.coordinates)) return { ok: true, value: { type: 'Point', coordinates: geom.coordinates as [number, number] } };
  return { ok: false, error: 'type' };
}

// ─── Pickers ────────────────────────────────────────────────────────────────────────────────────────────────────


interface PickerProps<V> {
  value?: V;
  onChange?: (v: V) => void;
  'data-testid'?: string;
  disabled?: boolean;
  placeholder?: string;
  style?: React.CSSProperties;
  allowClear?: boolean;
}

/** A server-searched picker keeping the labels of values already chosen (they may not be on the current page). */
function useSearchOptions<T extends { id: string }>(key: string, url: string, extra: Record<string, string | undefined>, toLabel: (x: T) => string) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const [known, setKnown] = useState<Record<string, string>>({});
  const { data, isFetching } = useQuery({
    queryKey: [key, 'pick', q, extra],
    queryFn: () => api<Paged<T>>(url, { query: { q, pageSize: 30, ...extra } }),
    staleTime: 30_000,
  });
  const options = useMemo(() => (data?.items ?? []).map((x) => ({ value: x.id, label: toLabel(x) })), [data, toLabel]);
  return { options, isFetching, setSearch, known, remember: (ids: string[]) => setKnown((k) => ({ ...k, ...Object.fromEntries(options.filter((o) => ids.includes(o.value)).map((o) => [o.value, o.label])) })) };
}

const withKnown = (options: { value: string; label: string }[], values: string[], known: Record<string, string>, initial?: Record<string, string>) => {
  const out = [...options];
  for (const v of values) if (!out.some((o) => o.value === v)) out.unshift({ value: v, label: known[v] ?? initial?.[v] ?? '…' });
  return out;
};

const areaLabel = (a: GrowingArea) => `${a.code} · ${a.crop} · ${a.owner.producerName ?? a.owner.name ?? ''}`;
export function GrowingAreaSelect(props: PickerProps<string[]> & { producerId?: string; initial?: Record<string, string>; single?: boolean }) {
  const { t } = useI18n();
  const s = useSearchOptions<GrowingArea>('growing-areas', '/api/growing-areas', { producerId: props.producerId }, areaLabel);
  const value = props.value ?? [];
  // `single`: one area (the value stays a list of at most one, so the form field keeps one shape).
  return (
    <Select
      mode={props.single ? undefined : 'multiple'}
      data-testid={props['data-testid']}
      value={props.single ? value[0] : value}
      onChange={(v: string[] | string | undefined) => {
        const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
        s.remember(list);
        props.onChange?.(list);
      }}
      allowClear={props.single}
      showSearch={{ filterOption: false, onSearch: s.setSearch }}
      options={withKnown(s.options, value, s.known, props.initial)}
      loading={s.isFetching}
      disabled={props.disabled}
      placeholder={props.placeholder ?? t('trace.growingArea.pick')}
      notFoundContent={s.isFetching ? t('common.loading') : t('common.noData')}
      style={props.style ?? { width: '100%' }}
    />
  );
}

export function PackingHouseSelect(props: PickerProps<string | null> & { initialLabel?: string; producerId?: string }) {
  const { t } = useI18n();
  const s = useSearchOptions<PackingHouse>('packing-houses', '/api/packing-houses', { producerId: props.producerId }, (h) => `${h.code} · ${h.name}`);
  const value = props.value ?? undefined;
  return (
    <Select
      data-testid={props['data-testid']}
      value={value}
      onChange={(v: string | undefined) => {
        if (v) s.remember([v]);
        props.onChange?.(v ?? null);
      }}
      allowClear
      showSearch={{ filterOption: false, onSearch: s.setSearch }}
      options={withKnown(s.options, value ? [value] : [], s.known, value && props.initialLabel ? { [value]: props.initialLabel } : undefined)}
      loading={s.isFetching}
      disabled={props.disabled}
      placeholder={props.placeholder ?? t('trace.packingHouse.pick')}
      notFoundContent={s.isFetching ? t('common.loading') : t('common.noData')}
      style={props.style ?? { width: '100%' }}
    />
  );
}

/** Products to trace: a producer user picks among its own. */
export function ProductSelect(props: PickerProps<string | undefined> & { producerId?: string; initialLabel?: string }) {
  const { t } = useI18n();
  const s = useSearchOptions<ProductSummary>('products', '/api/products', { producerId: props.producerId, sort: 'name' }, (p) => `${p.name} · ${p.producer.legalName}`);
  const value = props.value ?? undefined;
  const { data: current } = useQuery({
    queryKey: ['products', value],
    queryFn: () => api<{ id: string; name: string; producer: { legalName: string } }>(`/api/products/${value}`),
    enabled: !!value && !props.initialLabel && !s.options.some((o) => o.value === value) && !s.known[value],
    staleTime: 60_000,
  });
  const initial = value ? { [value]: props.initialLabel ?? (current ? `${current.name} · ${current.producer.legalName}` : '…') } : undefined;
  return (
    <Select
      data-testid={props['data-testid']}
      value={value}
      onChange={(v: string | undefined) => {
        if (v) s.remember([v]);
        props.onChange?.(v ?? undefined);
      }}
      allowClear={props.allowClear}
      showSearch={{ filterOption: false, onSearch: s.setSearch }}
      options={withKnown(s.options, value ? [value] : [], s.known, initial)}
      loading={s.isFetching}
      disabled={props.disabled}
      placeholder={props.placeholder ?? t('trace.product.pick')}
      notFoundContent={s.isFetching ? t('common.loading') : t('common.noData')}
      style={props.style ?? { width: '100%' }}
      popupMatchSelectWidth={false}
    />
  );
}

export function LotSelect(props: PickerProps<string | undefined> & { exclude?: string[]; onLot?: (l: Lot | undefined) => void }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const { data, isFetching } = useQuery({
    queryKey: ['lots', 'pick', q],
    queryFn: () => api<Paged<Lot>>('/api/lots', { query: { q, pageSize: 30 } }),
    staleTime: 15_000,
  });
  const items = (data?.items ?? []).filter((l) => !props.exclude?.includes(l.id));
  const [known, setKnown] = useState<Record<string, string>>({});
  const options = items.map((l) => ({ value: l.id, label: `${l.lotNumber} · ${l.product.name}` }));
  if (props.value && !options.some((o) => o.value === props.value)) options.unshift({ value: props.value, label: known[props.value] ?? '…' });
  return (
    <Select
      data-testid={props['data-testid']}
      value={props.value}
      onChange={(v: string | undefined) => {
        const lot = items.find((l) => l.id === v);
        if (lot) setKnown((k) => ({ ...k, [lot.id]: `${lot.lotNumber} · ${lot.product.name}` }));
        props.onChange?.(v);
        props.onLot?.(lot);
      }}
      allowClear={props.allowClear}
      showSearch={{ filterOption: (input, o) => normalizeForSearch(String(o?.label ?? '')).includes(normalizeForSearch(input)), onSearch: setSearch }}
      options={options}
      loading={isFetching}
      disabled={props.disabled}
      placeholder={props.placeholder ?? t('trace.lot.pick')}
      notFoundContent={isFetching ? t('common.loading') : t('common.noData')}
      style={props.style ?? { width: '100%' }}
      popupMatchSelectWidth={false}
    />
  );
}
