import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ringSignedArea, type Ring } from '../../../shared/geojson.js';
import { BOUNDARY_LIMITS, jsonDepth, matchFeatures, padCode, parseBoundaryFile, unitNameKey, type CandidateUnit } from './boundary-file.js';

const seedGeo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../seed/geo');
const square = (x = 106.5, y = 21.3, d = 0.05) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
const feature = (properties: Record<string, unknown> | null, coordinates: unknown = square(), type = 'Polygon') => ({ type: 'Feature', properties, geometry: { type, coordinates } });
const fc = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

describe('bounded parsing', () => {
  it('measures nesting depth on the text, ignoring brackets inside strings', () => {
    expect(jsonDepth('{"a":[[1,2],[3]]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[[[[[["}')).toBe(1);
    expect(jsonDepth('{"a":"\\"[[["}')).toBe(1);
    expect(jsonDepth('['.repeat(100_000), 12)).toBe(13); // stops counting past the limit
  });

  it('refuses a deeply nested file before JSON.parse, and text that is not JSON or not UTF-8', () => {
    expect(parseBoundaryFile('['.repeat(50) + ']'.repeat(50)).errors[0].message).toMatch(/lồng quá sâu/);
    expect(parseBoundaryFile('{"type": "FeatureCollection", "features": [').errors[0].message).toMatch(/không phải JSON hợp lệ/);
    expect(parseBoundaryFile(Buffer.from([0xff, 0xfe, 0x00, 0x7b])).errors[0].message).toMatch(/UTF-8/);
    expect(parseBoundaryFile('   ').errors[0].message).toMatch(/rỗng/);
    expect(parseBoundaryFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])).errors[0].path).toBe('file');
  });

  it('refuses what is not a FeatureCollection of polygons, with one Vietnamese error per bad feature', () => {
    expect(parseBoundaryFile('{"type":"Topology"}').errors[0].message).toMatch(/FeatureCollection/);
    expect(parseBoundaryFile(fc()).errors[0].message).toMatch(/không có đối tượng/);
    const r = parseBoundaryFile(fc(
      feature({ code: '07525' }),
      feature({ code: '07612' }, [[106.5, 21.3]], 'Point'),
      feature({ code: '07552' }, [[[106.5, 21.3], [106.6, 21.3], [106.6, 21.4], [106.5, 21.3 + 0.0001]]]),
      feature({ code: '07603' }, [[[126.5, 21.3], [126.6, 21.3], [126.6, 21.4], [126.5, 21.3]]]),
      feature({ code: '07582' }, [[[106.5, 21.3], [106.6, 21.3]]]),
      { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[['a', 1], [1, 2], [2, 3], ['a', 1]]] } },
    ));
    expect(r.features.map((f) => f.code)).toEqual(['07525']); // the valid one, for matching; nothing is written with errors
    expect(r.errors.map((e) => e.path)).toEqual(['features.1.geometry.type', 'features.2.geometry.coordinates.0', 'features.3.geometry.coordinates.0.0', 'features.4.geometry.coordinates.0', 'features.5.geometry.coordinates.0.0']);
    expect(r.errors[0].message).toMatch(/^Đối tượng thứ 2: Ranh giới phải là GeoJSON Polygon hoặc MultiPolygon/);
    expect(r.errors[1].message).toMatch(/khép kín/);
    expect(r.errors[2].message).toMatch(/ngoài lãnh thổ Việt Nam/);
    expect(r.errors[3].message).toMatch(/ít nhất 4 điểm/);
    expect(r.errors[4].message).toMatch(/\[kinh độ, vĩ độ\]/);
  });

  it('caps the number of features', () => {
    const many = Array.from({ length: BOUNDARY_LIMITS.maxFeatures + 1 }, () => feature({}));
    expect(parseBoundaryFile(fc(...many)).errors[0].message).toMatch(/Tối đa 1000 đối tượng/);
  });

  it('reads code and name under common property spellings, a single Feature, numeric codes, and rewinds to RFC 7946', () => {
    const cw = [[...square()[0]].reverse()];
    const r = parseBoundaryFile(fc(feature({ MA_XA: 7525, TEN_XA: 'Phường Chũ' }, cw), feature({ ten: 'Kiên Lao' }), feature({ maXa: '07603' }, [square(), square(107)], 'MultiPolygon')));
    expect(r.errors).toEqual([]);
    expect(r.features.map((f) => [f.code, f.name])).toEqual([['7525', 'Phường Chũ'], [null, 'Kiên Lao'], ['07603', null]]);
    expect(ringSignedArea((r.features[0].geometry.coordinates as Ring[])[0])).toBeGreaterThan(0);
    expect(r.features[0].areaKm2).toBeGreaterThan(25);
    const one = parseBoundaryFile(JSON.stringify(feature({ code: '07525' })));
    expect(one.features).toHaveLength(1);
  });

  it('simplifies a dense boundary (20 m) and counts the points in and out', () => {
    const ring: number[][] = [];
    for (let i = 0; i <= 2000; i++) {
      const a = (i / 2000) * 2 * Math.PI;
      ring.push([106.55 + 0.05 * Math.cos(a), 21.35 + 0.05 * Math.sin(a)]);
    }
    ring[2000] = ring[0];
    const r = parseBoundaryFile(fc(feature({ code: '07525' }, [ring])));
    expect(r.features[0].pointsIn).toBe(2001);
    expect(r.features[0].pointsOut).toBeLessThan(200);
    expect(r.features[0].pointsOut).toBeGreaterThan(20);
  });

  it('reads the shipped files unchanged in number of features', () => {
    const communes = parseBoundaryFile(fs.readFileSync(path.join(seedGeo, 'bac-ninh-communes-2025.geojson')), { tolerance: 0 });
    expect(communes.errors).toEqual([]);
    expect(communes.features).toHaveLength(99);
    expect(communes.features.every((f) => /^\d{5}$/.test(f.code!))).toBe(true);
    const provinces = parseBoundaryFile(fs.readFileSync(path.join(seedGeo, 'vn-provinces-2025.geojson')), { tolerance: 0 });
    expect(provinces.errors).toEqual([]);
    expect(provinces.features).toHaveLength(34);
    // Khánh Hoà carries Trường Sa: far east of the mainland, inside the boundary box.
    expect(provinces.features.find((f) => f.code === '56')!.geometry.type).toBe('MultiPolygon');
  });
});

describe('matching features to units', () => {
  const units: CandidateUnit[] = [
    { id: 1, code: '07525', name: 'Chũ', type: 'ward', provinceName: 'Bắc Ninh' },
    { id: 2, code: '07552', name: 'Kiên Lao', type: 'commune', provinceName: 'Bắc Ninh' },
    { id: 3, code: '07531', name: 'Tân Sơn', type: 'commune', provinceName: 'Bắc Ninh' },
    { id: 4, code: '08566', name: 'Tân Sơn', type: 'commune', provinceName: 'Phú Thọ' },
  ];
  const parsed = (...fs: unknown[]) => parseBoundaryFile(fc(...fs)).features;

  it('names without prefix, accents or case; codes padded', () => {
    expect(unitNameKey('Phường Chũ')).toBe('chu');
    expect(unitNameKey('XÃ KIÊN LAO')).toBe('kien lao');
    expect(unitNameKey('Đặc khu Phú Quốc')).toBe('phu quoc');
    expect(padCode('7525', 5)).toBe('07525');
    expect(padCode('1', 2)).toBe('01');
  });

  it('matches by code first, else by name', () => {
    const m = matchFeatures(parsed(feature({ code: 7525, name: 'tên khác' }), feature({ name: 'Xã Kiên Lao' })), units, { codeWidth: 5, where: 'tỉnh Bắc Ninh' });
    expect(m.errors).toEqual([]);
    expect(m.matches.map((x) => x.unit.id)).toEqual([1, 2]);
  });

  it('an unknown code, an unknown or ambiguous name, a feature without either, a duplicate: all errors, nothing matched', () => {
    const m = matchFeatures(parsed(
      feature({ code: '99999', name: 'Chũ' }), feature({ name: 'Không Có' }), feature({ name: 'Tân Sơn' }), feature({ dien_tich: 3 }),
      feature({ code: '07552' }), feature({ name: 'Kiên Lao' }), feature({ code: '07525' }),
    ), units, { codeWidth: 5, where: 'tỉnh Bắc Ninh' });
    expect(m.matches).toEqual([]);
    expect(m.errors.map((e) => e.path)).toEqual(['features.0', 'features.1', 'features.2', 'features.3', 'features.5']);
    expect(m.errors[0].message).toBe('Đối tượng thứ 1 ("Chũ", mã 99999): mã không khớp đơn vị nào của tỉnh Bắc Ninh');
    expect(m.errors[1].message).toMatch(/tên không khớp đơn vị nào của tỉnh Bắc Ninh/);
    expect(m.errors[2].message).toMatch(/tên trùng 2 đơn vị \(mã 07531, mã 08566\)/);
    expect(m.errors[3].message).toMatch(/không có mã/);
    expect(m.errors[4].message).toMatch(/trùng đơn vị với đối tượng thứ 5/);
  });

  it('a unit outside the officer’s scope is refused', () => {
    const m = matchFeatures(parsed(feature({ code: '07525' }), feature({ code: '07552' })), units, { codeWidth: 5, where: 'tỉnh Bắc Ninh', inScope: (id) => id === 1 });
    expect(m.errors).toEqual([{ path: 'features.1', message: 'Đối tượng thứ 2 (mã 07552): Kiên Lao nằm ngoài địa bàn bạn phụ trách' }]);
  });
});
