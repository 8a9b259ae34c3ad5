import { describe, expect, it } from 'vitest';
import { approxAreaKm2, bboxOf, countPositions, prepareBoundary, rewind, ringSignedArea, roundGeometry, simplifyRing, type BoundaryGeometry, type Ring } from './geojson';

// A 0.1° square near Lục Ngạn, counter-clockwise (RFC 7946), with a clockwise hole.
const ccw: Ring = [[106.5, 21.3], [106.6, 21.3], [106.6, 21.4], [106.5, 21.4], [106.5, 21.3]];
const hole: Ring = [[106.52, 21.32], [106.52, 21.34], [106.54, 21.34], [106.54, 21.32], [106.52, 21.32]];
const square: BoundaryGeometry = { type: 'Polygon', coordinates: [ccw, hole] };

describe('winding', () => {
  it('signed area is positive counter-clockwise', () => {
    expect(ringSignedArea(ccw)).toBeGreaterThan(0);
    expect(ringSignedArea([...ccw].reverse())).toBeLessThan(0);
    expect(ringSignedArea(hole)).toBeLessThan(0);
  });

  it('rewinds to d3 (exterior clockwise, holes counter-clockwise) and back to RFC 7946', () => {
    const d3 = rewind(square, 'd3');
    const [ext, h] = (d3 as { coordinates: Ring[] }).coordinates;
    expect(ringSignedArea(ext)).toBeLessThan(0);
    expect(ringSignedArea(h)).toBeGreaterThan(0);
    expect(rewind(d3, 'rfc7946')).toEqual(square);
    // Already right: unchanged.
    expect(rewind(square, 'rfc7946')).toEqual(square);
  });

  it('rewinds every polygon of a MultiPolygon', () => {
    const multi: BoundaryGeometry = { type: 'MultiPolygon', coordinates: [[[...ccw].reverse()], [ccw]] };
    const out = rewind(multi, 'rfc7946') as { coordinates: Ring[][] };
    expect(out.coordinates.every((p) => ringSignedArea(p[0]) > 0)).toBe(true);
  });
});

describe('simplification and rounding', () => {
  it('Douglas–Peucker drops points within the tolerance and keeps the ring closed', () => {
    // 200 points along the square's edges, a little noise below the tolerance.
    const ring: Ring = [];
    for (let i = 0; i < 50; i++) ring.push([106.5 + i * 0.002, 21.3 + (i % 2) * 0.00001]);
    for (let i = 0; i < 50; i++) ring.push([106.6, 21.3 + i * 0.002]);
    for (let i = 0; i < 50; i++) ring.push([106.6 - i * 0.002, 21.4]);
    for (let i = 0; i < 50; i++) ring.push([106.5, 21.4 - i * 0.002]);
    ring.push(ring[0]);
    const out = simplifyRing(ring, 0.0002);
    expect(out.length).toBeLessThanOrEqual(6);
    expect(out.length).toBeGreaterThanOrEqual(5);
    expect(out[0]).toEqual(out[out.length - 1]);
  });

  it('never collapses a ring below 4 positions', () => {
    const tiny: Ring = [[106.5, 21.3], [106.50001, 21.3], [106.50001, 21.30001], [106.5, 21.3]];
    expect(simplifyRing(tiny, 1)).toEqual(tiny);
  });

  it('rounding removes the duplicates it creates and keeps closure', () => {
    const g: BoundaryGeometry = { type: 'Polygon', coordinates: [[[106.500001, 21.3], [106.500002, 21.3], [106.6, 21.3], [106.6, 21.4], [106.5, 21.4], [106.500001, 21.3]]] };
    const r = roundGeometry(g, 5) as { coordinates: Ring[] };
    expect(r.coordinates[0]).toEqual([[106.5, 21.3], [106.6, 21.3], [106.6, 21.4], [106.5, 21.4], [106.5, 21.3]]);
  });

  it('prepareBoundary stores RFC 7946 winding whatever the input', () => {
    const cw: BoundaryGeometry = { type: 'Polygon', coordinates: [[...ccw].reverse()] };
    const out = prepareBoundary(cw, 0) as { coordinates: Ring[] };
    expect(ringSignedArea(out.coordinates[0])).toBeGreaterThan(0);
  });
});

describe('measures', () => {
  it('bbox, positions and an approximate area (0.1° × 0.1° at 21.35°N ≈ 115 km², minus the hole)', () => {
    expect(bboxOf(square)).toEqual([106.5, 21.3, 106.6, 21.4]);
    expect(countPositions(square)).toBe(10);
    const outer = 0.01 * 111.32 * 111.32 * Math.cos((21.34 * Math.PI) / 180);
    expect(approxAreaKm2(square)).toBeGreaterThan(outer * 0.95 * 0.96);
    expect(approxAreaKm2(square)).toBeLessThan(outer * 1.01);
  });
});
