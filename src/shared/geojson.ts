/**
 * Boundary geometry helpers shared by the server (loading and importing boundaries) and the web app (drawing them with
 * d3-geo). Plain lng/lat arrays, no projection here.
 *
 * Winding: RFC 7946 (what we store and serve) wants exterior rings counter-clockwise and holes clockwise in lng/lat;
 * d3-geo reads polygons on the sphere and wants the opposite (exterior clockwise), otherwise a commune is drawn as the
 * whole globe minus the commune. `rewind` converts between the two.
 */
export type Position = [number, number];
export type Ring = Position[];
export type PolygonCoords = Ring[];
export type BoundaryGeometry =
  | { type: 'Polygon'; coordinates: PolygonCoords }
  | { type: 'MultiPolygon'; coordinates: PolygonCoords[] };

export const polygonsOf = (g: BoundaryGeometry): PolygonCoords[] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const withPolygons = (g: BoundaryGeometry, polys: PolygonCoords[]): BoundaryGeometry =>
  g.type === 'Polygon' ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };

/** Twice the planar signed area in degrees² (shoelace): positive when the ring runs counter-clockwise. */
export function ringSignedArea(ring: Ring): number {
  let s = 0;
  for (let i = 0, n = ring.length; i < n - 1; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s;
}

/** Exterior rings counter-clockwise (`rfc7946`) or clockwise (`d3`), holes the other way round. */
export function rewind(g: BoundaryGeometry, convention: 'rfc7946' | 'd3'): BoundaryGeometry {
  const exteriorCcw = convention === 'rfc7946';
  return withPolygons(g, polygonsOf(g).map((poly) => poly.map((ring, i) => {
    const ccw = ringSignedArea(ring) > 0;
    const wantCcw = i === 0 ? exteriorCcw : !exteriorCcw;
    return ccw === wantCcw ? ring : [...ring].reverse();
  })));
}

export function countPositions(g: BoundaryGeometry): number {
  let n = 0;
  for (const poly of polygonsOf(g)) for (const ring of poly) n += ring.length;
  return n;
}

/** [minLng, minLat, maxLng, maxLat] */
export function bboxOf(g: BoundaryGeometry): [number, number, number, number] {
  let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
  for (const poly of polygonsOf(g)) for (const [x, y] of poly[0] ?? []) {
    if (x < a) a = x;
    if (y < b) b = y;
    if (x > c) c = x;
    if (y > d) d = y;
  }
  return [a, b, c, d];
}

/** Approximate area in km² (planar in degrees, scaled by the cosine of each polygon's latitude): good to a few %. */
export function approxAreaKm2(g: BoundaryGeometry): number {
  const KM_PER_DEG = 111.32;
  let total = 0;
  for (const poly of polygonsOf(g)) {
    const lat = poly[0].reduce((s, p) => s + p[1], 0) / poly[0].length;
    const k = KM_PER_DEG * KM_PER_DEG * Math.cos((lat * Math.PI) / 180);
    total += poly.reduce((s, ring, i) => s + (i === 0 ? 1 : -1) * Math.abs(ringSignedArea(ring)) / 2, 0) * k;
  }
  return Math.round(total * 100) / 100;
}

/** Squared distance from p to the segment a–b (planar degrees: fine at commune scale). */
function segDist2(p: Position, a: Position, b: Position): number {
  let x = a[0], y = a[1];
  const dx = b[0] - x, dy = b[1] - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((p[0] - x) * dx + (p[1] - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) { x = b[0]; y = b[1]; } else if (t > 0) { x += dx * t; y += dy * t; }
  }
  return (p[0] - x) ** 2 + (p[1] - y) ** 2;
}

/**
 * Douglas–Peucker on a closed ring (iterative, no recursion on large rings). Keeps the ring closed and at least 4
 * positions; a ring that would collapse is returned unchanged.
 */
export function simplifyRing(ring: Ring, tolerance: number): Ring {
  const n = ring.length;
  if (n <= 4 || tolerance <= 0) return ring;
  // Split the closed ring at its first point and the point farthest from it, so both halves are open polylines.
  let far = 1, farD = -1;
  for (let i = 1; i < n - 1; i++) {
    const d = (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2;
    if (d > farD) { farD = d; far = i; }
  }
  const keep = new Uint8Array(n);
  keep[0] = keep[far] = keep[n - 1] = 1;
  const tol2 = tolerance * tolerance;
  const stack: [number, number][] = [[0, far], [far, n - 1]];
  while (stack.length) {
    const [s, e] = stack.pop()!;
    let idx = -1, max = tol2;
    for (let i = s + 1; i < e; i++) {
      const d = segDist2(ring[i], ring[s], ring[e]);
      if (d > max) { max = d; idx = i; }
    }
    if (idx >= 0) {
      keep[idx] = 1;
      stack.push([s, idx], [idx, e]);
    }
  }
  const out = ring.filter((_, i) => keep[i] === 1);
  return out.length >= 4 ? out : ring;
}

/** Rounds to `decimals` (5 ≈ 1 m), drops repeated positions the rounding creates, keeps rings closed. */
export function roundGeometry(g: BoundaryGeometry, decimals: number): BoundaryGeometry {
  const f = 10 ** decimals;
  const r = (v: number) => Math.round(v * f) / f;
  return withPolygons(g, polygonsOf(g).map((poly) => poly.map((ring) => {
    const out: Ring = [];
    for (const p of ring) {
      const q: Position = [r(p[0]), r(p[1])];
      const last = out[out.length - 1];
      if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
    }
    const first = out[0];
    const last = out[out.length - 1];
    if (first && (first[0] !== last[0] || first[1] !== last[1])) out.push([first[0], first[1]]);
    return out.length >= 4 ? out : ring.map((p) => [r(p[0]), r(p[1])] as Position);
  })));
}

/** What every stored boundary goes through: positions rounded, simplified (when `tolerance` > 0), RFC 7946 winding. */
export function prepareBoundary(g: BoundaryGeometry, tolerance: number, decimals = 5): BoundaryGeometry {
  const simplified = tolerance > 0
    ? withPolygons(g, polygonsOf(g).map((poly) => poly.map((ring) => simplifyRing(ring, tolerance))))
    : g;
  return rewind(roundGeometry(simplified, decimals), 'rfc7946');
}
