import { geoMercator, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import { useMemo, useRef } from 'react';
import { rewind, type BoundaryGeometry } from '../../shared/geojson';

/**
 * The map itself: commune boundaries projected with d3-geo (Mercator fitted to the plan's communes) into an SVG as wide
 * as its container — no tiles, no network. Communes outside the plan are drawn pale around it for orientation and do
 * not react. Stored boundaries follow RFC 7946; d3 reads rings on the sphere the other way round, so each geometry is
 * rewound before drawing (otherwise a commune fills the world).
 */
export interface MapCommune { unitId: number; name: string; geometry: BoundaryGeometry }
export interface MapArea { id: string; geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'Polygon'; coordinates: [number, number][][] } }
export type MapTarget = { kind: 'commune'; unitId: number } | { kind: 'area'; id: string };
export interface MapPointer { target: MapTarget; x: number; y: number; via: 'mouse' | 'touch' | 'pen' | 'keyboard' }

const PAD = 12;

export const sameTarget = (a: MapTarget | null, b: MapTarget | null) =>
  a !== null && b !== null && (a.kind === 'commune' && b.kind === 'commune' ? a.unitId === b.unitId : a.kind === 'area' && b.kind === 'area' && a.id === b.id);
const feature = (g: GeoPermissibleObjects) => g;

export function MapSvg(props: {
  width: number;
  communes: MapCommune[];
  /** The plan's communes: coloured, focusable, clickable; the view is fitted to them. */
  focusIds: Set<number>;
  fillOf: (unitId: number) => string;
  keyCounts: Map<number, number>;
  areas: MapArea[];
  selected: MapTarget | null;
  labelOf: (t: MapTarget) => string;
  title: string;
  onPoint: (p: MapPointer | null) => void;
  onActivate: (p: MapPointer) => void;
}) {
  const { width, communes, focusIds } = props;
  const svgRef = useRef<SVGSVGElement>(null);
  const lastPointer = useRef<MapPointer['via']>('mouse');

  const drawn = useMemo(() => {
    const rewound = communes.map((c) => ({ ...c, d3: rewind(c.geometry, 'd3') }));
    const focus = rewound.filter((c) => focusIds.has(c.unitId));
    const fitTo = { type: 'FeatureCollection' as const, features: (focus.length ? focus : rewound).map((c) => ({ type: 'Feature' as const, properties: {}, geometry: c.d3 })) };
    const w = Math.max(200, width);
    const projection = geoMercator();
    projection.fitWidth(w - 2 * PAD, fitTo);
    const [[, y0], [, y1]] = geoPath(projection).bounds(fitTo);
    // Tall areas are fitted into a bounded height (a phone keeps the table in reach); wide ones take their height.
    const h = Math.round(Math.min(Math.max(y1 - y0 + 2 * PAD, 240), Math.max(320, Math.min(560, w * 1.15))));
    projection.fitExtent([[PAD, PAD], [w - PAD, h - PAD]], fitTo);
    const path = geoPath(projection);
    return {
      w, h,
      communes: rewound.map((c) => ({ unitId: c.unitId, name: c.name, d: path(feature(c.d3)) ?? '', centroid: path.centroid(feature(c.d3)) })),
      project: (lngLat: [number, number]) => projection(lngLat),
      path,
    };
  }, [communes, focusIds, width]);

  const areas = useMemo(() => props.areas.map((a) => {
    if (a.geometry.type === 'Point') {
      const p = drawn.project(a.geometry.coordinates);
      return { id: a.id, point: p, d: null as string | null };
    }
    const g = rewind({ type: 'Polygon', coordinates: a.geometry.coordinates }, 'd3');
    return { id: a.id, point: drawn.path.centroid(feature(g)), d: drawn.path(feature(g)) };
  }), [props.areas, drawn]);

  const at = (e: React.PointerEvent | React.MouseEvent) => {
    const r = svgRef.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const isSel = (t: MapTarget) => sameTarget(props.selected, t);
  const handlers = (target: MapTarget, centre: [number, number]) => ({
    tabIndex: 0,
    role: 'button',
    'aria-label': props.labelOf(target),
    onPointerDown: (e: React.PointerEvent) => { lastPointer.current = e.pointerType as MapPointer['via']; },
    onPointerMove: (e: React.PointerEvent) => { if (e.pointerType === 'mouse') props.onPoint({ target, ...at(e), via: 'mouse' }); },
    onPointerLeave: (e: React.PointerEvent) => { if (e.pointerType === 'mouse') props.onPoint(null); },
    onClick: (e: React.MouseEvent) => props.onActivate({ target, ...at(e), via: lastPointer.current === 'touch' || lastPointer.current === 'pen' ? lastPointer.current : 'mouse' }),
    // Only a keyboard focus shows the figures: a tap also focuses, and then the tap's own handling decides.
    onFocus: (e: React.FocusEvent<SVGElement>) => { if (e.currentTarget.matches(':focus-visible')) props.onPoint({ target, x: centre[0], y: centre[1], via: 'keyboard' }); },
    onBlur: () => props.onPoint(null),
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        props.onActivate({ target, x: centre[0], y: centre[1], via: 'keyboard' });
      }
    },
  });

  const focusPaths = drawn.communes.filter((c) => focusIds.has(c.unitId));
  return (
    <svg
      ref={svgRef} width={drawn.w} height={drawn.h} viewBox={`0 0 ${drawn.w} ${drawn.h}`} role="group" aria-label={props.title}
      data-testid="commune-map-svg" style={{ display: 'block', maxWidth: '100%', height: 'auto', background: '#f4f8fb', borderRadius: 6, touchAction: 'manipulation', WebkitTapHighlightColor: 'transparent' }}
      onPointerLeave={(e) => { if (e.pointerType === 'mouse') props.onPoint(null); }}
    >
      <title>{props.title}</title>
      <g aria-hidden>
        {drawn.communes.filter((c) => !focusIds.has(c.unitId)).map((c) => (
          <path key={c.unitId} d={c.d} fill="#fbfbfb" stroke="#d0d7de" strokeWidth={0.6} data-context-unit-id={c.unitId} />
        ))}
      </g>
      <g>
        {focusPaths.map((c) => {
          const t: MapTarget = { kind: 'commune', unitId: c.unitId };
          return (
            <path
              key={c.unitId} d={c.d} fill={props.fillOf(c.unitId)} stroke={isSel(t) ? '#0b3d2e' : '#ffffff'} strokeWidth={isSel(t) ? 2.5 : 1.2}
              strokeLinejoin="round" data-unit-id={c.unitId} className="map-commune" style={{ cursor: 'pointer', outline: 'none' }}
              {...handlers(t, c.centroid as [number, number])}
            />
          );
        })}
      </g>
      {/* Selected commune outline on top, so neighbours do not hide it. */}
      {focusPaths.filter((c) => isSel({ kind: 'commune', unitId: c.unitId })).map((c) => (
        <path key={`sel-${c.unitId}`} d={c.d} fill="none" stroke="#0b3d2e" strokeWidth={2.5} pointerEvents="none" aria-hidden />
      ))}
      <g>
        {areas.map((a) => {
          const t: MapTarget = { kind: 'area', id: a.id };
          const sel = isSel(t);
          if (a.d) return <path key={a.id} d={a.d} fill="#1677ff" fillOpacity={0.3} stroke="#0958d9" strokeWidth={sel ? 2.5 : 1.5} data-area-id={a.id} style={{ cursor: 'pointer' }} {...handlers(t, a.point as [number, number])} />;
          if (!a.point) return null;
          return <circle key={a.id} cx={a.point[0]} cy={a.point[1]} r={sel ? 7 : 5.5} fill="#1677ff" stroke="#fff" strokeWidth={1.5} data-area-id={a.id} style={{ cursor: 'pointer' }} {...handlers(t, a.point as [number, number])} />;
        })}
      </g>
      {drawn.w >= 560 && (
        <g pointerEvents="none" aria-hidden fontSize={11} fill="#1f2d26" textAnchor="middle" style={{ paintOrder: 'stroke', stroke: '#ffffff', strokeWidth: 3, strokeLinejoin: 'round' }}>
          {focusPaths.filter((c) => Number.isFinite(c.centroid[0])).map((c) => (
            <text key={c.unitId} x={c.centroid[0].toFixed(1)} y={(c.centroid[1] + ((props.keyCounts.get(c.unitId) ?? 0) > 0 ? 20 : 4)).toFixed(1)}>{c.name}</text>
          ))}
        </g>
      )}
      <g pointerEvents="none" aria-hidden>
        {focusPaths.filter((c) => (props.keyCounts.get(c.unitId) ?? 0) > 0 && Number.isFinite(c.centroid[0])).map((c) => (
          <g key={c.unitId} transform={`translate(${c.centroid[0].toFixed(1)},${(c.centroid[1] - 2).toFixed(1)})`} data-key-marker={c.unitId}>
            <path d="M0,-10 L2.9,-4 L9.5,-3.1 L4.7,1.5 L5.9,8.1 L0,5 L-5.9,8.1 L-4.7,1.5 L-9.5,-3.1 L-2.9,-4 Z" fill="#faad14" stroke="#ad6800" strokeWidth={0.8} />
            <text y={4} textAnchor="middle" fontSize={9} fontWeight={700} fill="#3d2600">{props.keyCounts.get(c.unitId)}</text>
          </g>
        ))}
      </g>
    </svg>
  );
}
