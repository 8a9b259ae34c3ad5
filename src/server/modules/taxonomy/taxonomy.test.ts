import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, signIn, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem } from '../../../../test/helpers/http.js';

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => { await t?.close(); });

type Node = { id: number; version: string; code: string; name: string; level: string; parentId: number | null; isLeaf: boolean; mapsTo: { id: number; version: string; code: string }[] };
type Version = { code: string; decision: string; effectiveFrom: string | null; nodes: Node[] };

describe('taxonomy', () => {
  it('lists QĐ 1048 and QĐ 148 with their trees; leaves are exactly the nodes without children', async () => {
    const s = await signIn(t, 'viewer');
    const res = await call(t, s, 'GET', '/api/taxonomy');
    expect(res.statusCode).toBe(200);
    const versions: Version[] = res.json();
    expect(versions.map((v) => v.code)).toEqual(['1048', '148']);
    const v148 = versions[1];
    const byCode = new Map(v148.nodes.map((n) => [n.code, n]));
    expect(byCode.get('I')).toMatchObject({ name: 'Thực phẩm', level: 'sector', parentId: null, isLeaf: false });
    expect(byCode.get('I.1')).toMatchObject({ name: 'Thực phẩm tươi sống', level: 'group', parentId: byCode.get('I')!.id, isLeaf: false });
    expect(byCode.get('I.1.a')).toMatchObject({ name: 'Rau, củ, quả, hạt tươi', level: 'subgroup', parentId: byCode.get('I.1')!.id, isLeaf: true });
    const parents = new Set(v148.nodes.map((n) => n.parentId).filter(Boolean));
    for (const n of v148.nodes) {
      expect(n.version).toBe('148');
      expect(n.isLeaf).toBe(!parents.has(n.id));
      expect(n.mapsTo).toEqual([]);
    }
  });

  it('nodes of QĐ 1048 map to leaves of QĐ 148', async () => {
    const s = await signIn(t, 'producer', { producerId: (await makeProducer(t)).id });
    const versions: Version[] = (await call(t, s, 'GET', '/api/taxonomy')).json();
    const leaves148 = new Map(versions[1].nodes.filter((n) => n.isLeaf).map((n) => [n.id, n]));
    const mapped = versions[0].nodes.filter((n) => n.mapsTo.length > 0);
    expect(mapped.length).toBeGreaterThan(0);
    for (const n of mapped) {
      for (const m of n.mapsTo) {
        expect(m.version).toBe('148');
        expect(leaves148.get(m.id)?.code).toBe(m.code);
      }
    }
  });

  it('anonymous → 401', async () => {
    expectProblem(await call(t, null, 'GET', '/api/taxonomy'), 401, 'UNAUTHENTICATED');
  });
});
