import { Alert, Button, Segmented, Space, Table, Typography } from 'antd';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import type { PlanMap } from '../../server/modules/programme/map';
import type { BoundaryGeometry } from '../../shared/geojson';
import { api, toQuery } from '../api';
import { useI18n } from '../i18n';
import { MapSvg, sameTarget, type MapArea, type MapCommune, type MapPointer, type MapTarget } from './MapSvg';

interface BoundaryCollection {
  type: 'FeatureCollection';
  features: { id: number; properties: { unitId: number; code: string | null; name: string; type: string }; geometry: BoundaryGeometry }[];
}
type Commune = PlanMap['communes'][number];
type Area = PlanMap['growingAreas'][number];
/** What the home page's drill-down takes: the records behind one number, for one commune. */
export type MapDrill = { code: string; communeUnitId: number; title: string };

const ZERO = '#eeeee6';
const GREENS = ['#c7e9c0', '#74c476', '#31a354', '#006d2c'];

/** Up to four classes over 1…max (one per value when max ≤ 4), darkest for the most products. */
export function choroplethClasses(max: number): { from: number; to: number; color: string }[] {
  if (max <= 0) return [];
  const step = Math.max(1, Math.ceil(max / 4));
  const out: { from: number; to: number }[] = [];
  for (let from = 1; from <= max; from += step) out.push({ from, to: Math.min(from + step - 1, max) });
  return out.map((c, i) => ({ ...c, color: GREENS[GREENS.length - out.length + i] }));
}

/** Stable (module level), so react-query keeps the combined result between renders while no query changed. */
const combineBoundaries = (results: { data?: BoundaryCollection; isLoading: boolean }[]) => ({
  features: results.flatMap((r) => r.data?.features ?? []),
  loading: results.some((r) => r.isLoading),
});

function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.floor(el.getBoundingClientRect().width));
    const ro = new ResizeObserver((entries) => setWidth(Math.floor(entries[0].contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return { ref, width };
}

function Swatch({ color, border = '#bbb' }: { color: string; border?: string }) {
  return <span aria-hidden style={{ display: 'inline-block', width: 14, height: 14, background: color, border: `1px solid ${border}`, borderRadius: 2, verticalAlign: 'middle', marginInlineEnd: 4 }} />;
}

/**
 * The programme panel's commune map (#11 item 4): recognised products per commune as a choropleth, key products as
 * numbered stars, growing areas as points and outlines; hover (or tap) for the figures, click (or tap again, or Enter)
 * for the records behind them. The same figures as a table for screen readers and small screens.
 */
export function CommuneMap({ planId, asOf, onOpen }: { planId: string; asOf?: string; onOpen: (d: MapDrill) => void }) {
  const { t, label } = useI18n();
  const { ref, width } = useWidth();
  const [view, setView] = useState<'map' | 'table'>('map');
  const [hover, setHover] = useState<MapPointer | null>(null);
  const [pinned, setPinned] = useState<MapPointer | null>(null);
  const q = useQuery({ queryKey: ['programme-map', planId, asOf], queryFn: () => api<PlanMap>(`/api/programme/plans/${planId}/map${toQuery({ asOf })}`) });
  const m = q.data;
  const boundaries = useQueries({
    queries: (m?.provinces ?? []).map((p) => ({
      queryKey: ['geo-boundaries', 'parent', p.unitId],
      queryFn: () => api<BoundaryCollection>(`/api/geo/boundaries?parentId=${p.unitId}`),
      staleTime: 30 * 60_000,
    })),
    combine: combineBoundaries,
  });
  const loadingBoundaries = boundaries.loading;

  const model = useMemo(() => {
    if (!m) return null;
    const byId = new Map(m.communes.map((c) => [c.unitId, c]));
    const communes: MapCommune[] = boundaries.features.map((f) => ({ unitId: f.properties.unitId, name: f.properties.name, geometry: f.geometry }));
    const drawn = new Set(communes.map((c) => c.unitId));
    const focusIds = new Set(m.communes.filter((c) => drawn.has(c.unitId)).map((c) => c.unitId));
    const classes = choroplethClasses(Math.max(0, ...m.communes.map((c) => c.recognised)));
    const fillOf = (unitId: number) => {
      const v = byId.get(unitId)?.recognised ?? 0;
      return v <= 0 ? ZERO : classes.find((c) => v >= c.from && v <= c.to)?.color ?? GREENS[3];
    };
    const areas: MapArea[] = m.growingAreas.filter((a) => a.location).map((a) => ({ id: a.id, geometry: a.location as MapArea['geometry'] }));
    const areaById = new Map(m.growingAreas.map((a) => [a.id, a]));
    return {
      byId, communes, focusIds, classes, fillOf, areas, areaById,
      keyCounts: new Map(m.communes.map((c) => [c.unitId, c.keyProducts])),
      missing: m.communes.filter((c) => !drawn.has(c.unitId)),
    };
  }, [m, boundaries.features]);

  const communeTitle = (c: Commune) => `${label('unitType', c.type)} ${c.name}`;
  const open = (c: Commune) => {
    setPinned(null);
    onOpen({ code: m!.indicators.recognised.code, communeUnitId: c.unitId, title: `${communeTitle(c)} — ${m!.indicators.recognised.name}` });
  };
  const labelOf = (target: MapTarget) => {
    if (target.kind === 'commune') {
      const c = model?.byId.get(target.unitId);
      return c ? `${communeTitle(c)}: ${t('map.tip.recognised', { n: c.recognised })}; ${t('map.tip.key', { n: c.keyProducts })}; ${t('map.tip.areas', { n: c.growingAreas })}` : '';
    }
    const a = model?.areaById.get(target.id);
    return a ? `${t('map.legend.area')} ${a.code}: ${t('map.area.line', { crop: a.crop, ha: a.areaHa.toLocaleString('vi-VN') })}` : '';
  };
  const onActivate = (p: MapPointer) => {
    if (p.target.kind === 'area') { setPinned(sameTarget(pinned?.target ?? null, p.target) ? null : p); return; }
    const c = model?.byId.get(p.target.unitId);
    if (!c) return;
    // On touch the first tap shows the figures (there is no hover); the second one opens the records.
    if ((p.via === 'touch' || p.via === 'pen') && !sameTarget(pinned?.target ?? null, p.target)) { setPinned(p); return; }
    open(c);
  };

  const shown = hover ?? pinned;
  const tooltip = (() => {
    if (!shown || !model) return null;
    const touch = pinned !== null && shown === pinned;
    let body: React.ReactNode = null;
    if (shown.target.kind === 'commune') {
      const c = model.byId.get(shown.target.unitId);
      if (!c) return null;
      body = (
        <>
          <Typography.Text strong>{communeTitle(c)}</Typography.Text>
          <div>{t('map.tip.recognised', { n: c.recognised })}</div>
          <div>{t('map.tip.key', { n: c.keyProducts })}{c.keyProductNames.length > 0 && `: ${c.keyProductNames.slice(0, 3).join(', ')}${c.keyProductNames.length > 3 ? '…' : ''}`}</div>
          <div>{t('map.tip.areas', { n: c.growingAreas })}</div>
          {touch ? (
            <Space size={4} wrap style={{ marginTop: 4 }}>
              <Button size="small" type="primary" onClick={() => open(c)} data-testid="map-tooltip-open">{t('map.tip.open')}</Button>
              <Link to={`/products?unitId=${c.unitId}`}>{t('map.tip.products')}</Link>
            </Space>
          ) : <Typography.Text type="secondary" style={{ fontSize: 11 }}>{t('map.tip.clickHint')}</Typography.Text>}
        </>
      );
    } else {
      const a: Area | undefined = model.areaById.get(shown.target.id);
      if (!a) return null;
      const commune = a.communeUnitId !== null ? model.byId.get(a.communeUnitId) : undefined;
      body = (
        <>
          <Typography.Text strong>{t('map.legend.area')} {a.code}</Typography.Text>
          <div>{t('map.area.line', { crop: a.crop, ha: a.areaHa.toLocaleString('vi-VN') })}{a.households !== null ? ` · ${t('map.area.households', { n: a.households })}` : ''}</div>
          {a.ownerName && <div>{t('map.area.owner', { n: a.ownerName })}</div>}
          <div>{t('map.area.unit', { n: commune ? communeTitle(commune) : a.unitName })}</div>
        </>
      );
    }
    const box = { background: '#fff', border: '1px solid #d9d9d9', borderRadius: 6, padding: '6px 10px', fontSize: 13 };
    // A tap's figures go under the map (a floating box would hide the commune on a phone); hover and focus float.
    if (touch) return <div role="status" data-testid="map-tooltip" style={{ ...box, marginTop: 8 }}>{body}</div>;
    const w = 240;
    const left = Math.max(4, Math.min(shown.x + 12, width - w - 4));
    const top = Math.max(4, shown.y + 14);
    return (
      <div role="tooltip" data-testid="map-tooltip" style={{ ...box, position: 'absolute', left, top, width: w, maxWidth: 'calc(100% - 8px)', boxShadow: '0 4px 12px rgba(0,0,0,.15)', zIndex: 5, pointerEvents: 'none' }}>
        {body}
      </div>
    );
  })();

  const table = m && (
    <Table<Commune>
      size="small" rowKey="unitId" dataSource={m.communes} pagination={m.communes.length > 50 ? { pageSize: 50 } : false} scroll={{ x: true }} data-testid="commune-map-table"
      columns={[
        { title: t('map.col.commune'), key: 'name', render: (_: unknown, c) => <Link to={`/products?unitId=${c.unitId}`}>{communeTitle(c)}</Link> },
        {
          title: m.indicators.recognised.name, dataIndex: 'recognised', align: 'right',
          render: (v: number, c) => (v > 0 ? <Button type="link" size="small" style={{ padding: 0 }} onClick={() => open(c)}>{v}</Button> : v),
        },
        { title: m.indicators.keyProducts.name, key: 'key', render: (_: unknown, c) => (c.keyProducts ? `${c.keyProducts}: ${c.keyProductNames.join(', ')}` : 0) },
        { title: t('map.col.areas'), dataIndex: 'growingAreas', align: 'right' },
      ]}
    />
  );

  const noBoundaries = Boolean(m && model && !loadingBoundaries && model.focusIds.size === 0 && m.communes.length > 0);
  const effectiveView = noBoundaries ? 'table' : view;
  return (
    <section data-testid="commune-map" aria-labelledby="commune-map-title">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={5} style={{ margin: 0 }} id="commune-map-title">{t('map.title')}</Typography.Title>
        <Segmented
          size="small" value={effectiveView} onChange={(v) => { setView(v as 'map' | 'table'); setPinned(null); setHover(null); }} data-testid="map-view-toggle" disabled={noBoundaries}
          options={[{ value: 'map', label: t('map.view.map') }, { value: 'table', label: t('map.view.table') }]}
        />
      </Space>
      {noBoundaries && <Alert type="info" showIcon title={t('map.noBoundaries')} style={{ marginBottom: 8 }} />}
      <div
        ref={ref} style={{ position: 'relative', width: '100%', display: effectiveView === 'map' ? 'block' : 'none' }}
        onPointerDown={(e) => { if (!(e.target as Element).closest('[data-unit-id],[data-area-id],[data-testid="map-tooltip"]')) setPinned(null); }}
      >
        {(q.isLoading || loadingBoundaries || !model || width === 0) ? <div style={{ height: 240 }} aria-busy /> : (
          <MapSvg
            width={width} communes={model.communes} focusIds={model.focusIds} fillOf={model.fillOf} keyCounts={model.keyCounts} areas={model.areas}
            selected={(hover ?? pinned)?.target ?? null} labelOf={labelOf} title={t('map.aria', { n: model.focusIds.size })}
            onPoint={setHover} onActivate={onActivate}
          />
        )}
        {effectiveView === 'map' && shown !== pinned && tooltip}
      </div>
      {effectiveView === 'map' && shown === pinned && tooltip}
      {effectiveView === 'map' && model && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px', marginTop: 8, fontSize: 12 }} data-testid="map-legend">
          <span><b>{m!.indicators.recognised.name}:</b></span>
          <span><Swatch color={ZERO} />0</span>
          {model.classes.map((c) => <span key={c.from}><Swatch color={c.color} />{c.from === c.to ? c.from : `${c.from}–${c.to}`}</span>)}
          <span><Swatch color="#fbfbfb" border="#d0d7de" />{t('map.legend.outside')}</span>
          <span>
            <svg width={16} height={16} viewBox="-10 -10 20 20" aria-hidden style={{ verticalAlign: 'middle', marginInlineEnd: 4 }}><path d="M0,-10 L2.9,-4 L9.5,-3.1 L4.7,1.5 L5.9,8.1 L0,5 L-5.9,8.1 L-4.7,1.5 L-9.5,-3.1 L-2.9,-4 Z" fill="#faad14" stroke="#ad6800" /></svg>
            {t('map.legend.key')}
          </span>
          <span><svg width={12} height={12} aria-hidden style={{ verticalAlign: 'middle', marginInlineEnd: 4 }}><circle cx={6} cy={6} r={5} fill="#1677ff" stroke="#fff" /></svg>{t('map.legend.areaPoint')}</span>
          <span><Swatch color="rgba(22,119,255,.3)" border="#0958d9" />{t('map.legend.areaPolygon')}</span>
        </div>
      )}
      {effectiveView === 'map' && model && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 0' }}>
          {t('map.hint')}
          {model.missing.length > 0 && !noBoundaries && ` ${t('map.missingBoundaries', { n: model.missing.length })}`}
          {m!.growingAreasTruncated && ` ${t('map.areasTruncated', { n: m!.growingAreas.length })}`}
        </Typography.Paragraph>
      )}
      {effectiveView === 'table' && table}
    </section>
  );
}
