import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, signIn, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { scalar } from '../../../../test/helpers/http.js';
import { loadReferenceData, seedDir } from '../../seed/reference.js';
import { loadNationalUnits, loadBoundarySeed } from './reference.js';
import { loadUnitsSeed } from './service.js';

let t: TestApp;
let viewer: Session;
beforeAll(async () => {
  t = await buildTestApp();
  viewer = await signIn(t, 'viewer');
});
afterAll(async () => { await t?.close(); });

type U = { id: number; key: string; code: string | null; name: string; type: string; level: number; parentId: number | null; validFrom: string | null; validTo: string | null };
/**
 * Units in force on the date that carry an official code: other test files add code-less units of their own to the
 * shared PostgreSQL database (hand-built areas), which are not part of the national list.
 */
const inForce = async (level: number, date = '2025-07-01'): Promise<U[]> =>
  ((await call(t, viewer, 'GET', `/api/geo/units?asOf=${date}&level=${level}`)).json() as U[]).filter((u) => u.code !== null);

describe('national units of 1/7/2025', () => {
  it('34 provinces and 3,321 communes are in force, with GSO codes and the 2025 types', async () => {
    const provinces = await inForce(1);
    expect(provinces).toHaveLength(34);
    expect(provinces.filter((p) => p.type === 'city').map((p) => p.name).sort((a, b) => a.localeCompare(b, 'vi')))
      .toEqual(['Cần Thơ', 'Đà Nẵng', 'Đồng Nai', 'Hà Nội', 'Hải Phòng', 'Hồ Chí Minh', 'Huế']);
    const communes = await inForce(3);
    expect(communes).toHaveLength(3321);
    expect(communes.every((c) => c.code !== null && /^\d{5}$/.test(c.code) && c.validTo === null && c.level === 3)).toBe(true);
    expect(new Set(communes.map((c) => c.code)).size).toBe(3321);
    const byType = (ty: string) => communes.filter((c) => c.type === ty).length;
    expect([byType('commune'), byType('ward'), byType('special_zone')]).toEqual([2611, 697, 13]);
    // Every commune sits directly under its province.
    const provinceIds = new Set(provinces.map((p) => p.id));
    expect(communes.every((c) => c.parentId !== null && provinceIds.has(c.parentId))).toBe(true);
    const hanoi = provinces.find((p) => p.code === '01')!;
    expect(communes.filter((c) => c.parentId === hanoi.id)).toHaveLength(126);
    expect(communes.find((c) => c.code === '00004')).toMatchObject({ name: 'Ba Đình', type: 'ward', parentId: hanoi.id, validFrom: '2025-07-01' });
    expect(communes.find((c) => c.name === 'Phú Quốc')).toMatchObject({ type: 'special_zone' });
  });

  it('tỉnh Bắc Ninh and the 11 successors of Lục Ngạn are matched by code, not duplicated', async () => {
    const bn = await unitId(t, 'bn2025');
    const provinces = await inForce(1);
    expect(provinces.filter((p) => p.code === '24').map((p) => p.id)).toEqual([bn]);
    const communes = await inForce(3);
    const ofBn = communes.filter((c) => c.parentId === bn);
    expect(ofBn).toHaveLength(99);
    const seeded = ['bn-p-chu', 'bn-p-phuong-son', 'bn-x-kien-lao', 'bn-x-nam-duong', 'bn-x-luc-ngan', 'bn-x-bien-dong', 'bn-x-deo-gia', 'bn-x-son-hai', 'bn-x-tan-son', 'bn-x-bien-son', 'bn-x-sa-ly'];
    expect(ofBn.filter((c) => seeded.includes(c.key)).map((c) => c.key).sort()).toEqual([...seeded].sort());
    expect(ofBn.filter((c) => c.key.startsWith('vn2025-'))).toHaveLength(88);
    expect(await scalar(t, `select count(*) from admin_units where code = '07525' and valid_from = '2025-07-01'`)).toBe(1);
  });

  it('the Lục Ngạn units before 2025 and their successions still resolve', async () => {
    // Old communes on an old date: still there, unchanged.
    const old: U[] = (await call(t, viewer, 'GET', '/api/geo/units?asOf=2023-01-01&level=3')).json();
    expect(old.map((u) => u.key)).toEqual(expect.arrayContaining(['ln-hong-giang', 'ln-chu', 'ln-giap-son']));
    expect(old.some((u) => u.key.startsWith('vn2025-'))).toBe(false);
    // phường Chũ: four predecessors; xã Lục Ngạn: its five.
    const chu = (await call(t, viewer, 'GET', `/api/geo/units/${await unitId(t, 'bn-p-chu')}`)).json();
    expect(chu.predecessors.map((p: U) => p.key).sort()).toEqual(['chu-p-chu', 'chu-p-hong-giang', 'chu-p-thanh-hai', 'chu-p-tru-huu']);
    expect(chu.parent.key).toBe('bn2025');
    const ln = (await call(t, viewer, 'GET', `/api/geo/units/${await unitId(t, 'bn-x-luc-ngan')}`)).json();
    expect(ln.predecessors.map((p: U) => p.key).sort()).toEqual(['ln-dong-coc', 'ln-giap-son', 'ln-tan-hoa', 'ln-tan-quang', 'ln-tt-phi-dien']);
    // Bắc Giang → Bắc Ninh still links the provinces; the province's children include the national communes.
    const bg = (await call(t, viewer, 'GET', `/api/geo/units/${await unitId(t, 'bg')}`)).json();
    expect(bg.successors.map((s: U) => s.key)).toEqual(['bn2025']);
    // A list filtered by today's phường Chũ still reaches what was registered under the units it replaced.
    const scope = await scalar(t, `with recursive edges(parent, child) as (select parent_id, id from admin_units where parent_id is not null
      union all select successor_id, predecessor_id from admin_unit_successions), s(id) as (select $1::int union select e.child from edges e join s on e.parent = s.id)
      select count(*) from s join admin_units u on u.id = s.id where u.key in ('ln-hong-giang', 'ln-chu', 'ln-nghia-ho')`, [await unitId(t, 'bn-p-chu')]);
    expect(scope).toBe(3);
  });

  // Counted among coded units only: other test files add code-less units to the shared PostgreSQL database meanwhile.
  const codedUnits = 'select count(*) from admin_units where code is not null';

  it('loading again is idempotent: the same file is skipped by checksum, a changed one adds nothing twice', async () => {
    const before = await scalar(t, codedUnits);
    const seedBoundaries = "select count(*) from unit_boundaries where source like 'seed:%'";
    const boundaries = await scalar(t, seedBoundaries);
    const started = Date.now();
    await loadReferenceData(t.dbh.db);
    const again = Date.now() - started;
    expect(await scalar(t, codedUnits)).toBe(before);
    expect(await scalar(t, seedBoundaries)).toBe(boundaries);
    expect(again).toBeLessThan(5000); // skipped files cost one query each (PGlite: tens of ms)
    const text = fs.readFileSync(path.join(seedDir, 'geo/vn-admin-units-2025.json'), 'utf8');
    expect(await loadNationalUnits(t.dbh.db, text)).toEqual({ skipped: true, added: 0 });
    // Under another name (another checksum record): every unit is found by code, nothing added.
    expect(await loadNationalUnits(t.dbh.db, `${text}\n`, `test/national-${process.pid}-${Date.now()}`)).toEqual({ skipped: false, added: 0 });
    expect(await scalar(t, codedUnits)).toBe(before);
    const provinces = fs.readFileSync(path.join(seedDir, 'geo/vn-provinces-2025.geojson'), 'utf8');
    expect(await loadBoundarySeed(t.dbh.db, provinces, 'geo/vn-provinces-2025.geojson', 1)).toEqual({ skipped: true, added: 0 });
  });

  it('a seed unit whose code and start date the national list already holds maps to that row', async () => {
    const before = await scalar(t, codedUnits);
    const key = `t-xuan-luong-${process.pid}`;
    // A later units.json naming xã Xuân Lương (Bắc Ninh, 07246) under its own key: no second row.
    const added = await loadUnitsSeed(t.dbh.db, {
      units: [{ key, code: '07246', codeStatus: 'official', name: 'Xuân Lương', type: 'commune', parent: 'bn2025', validFrom: '2025-07-01', validTo: null }],
      successions: [],
    });
    expect(added).toBe(0);
    expect(await scalar(t, codedUnits)).toBe(before);
    expect(await scalar(t, `select count(*) from admin_units where code = '07246'`)).toBe(1);
    expect(await scalar(t, 'select count(*) from admin_units where key = $1', [key])).toBe(0);
  });
});
