import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type DbHandle } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { loadDemoData } from './demo.js';
import { loadReferenceData } from './reference.js';

// Always a fresh embedded database: the demo only loads into an empty one.
let h: DbHandle;
beforeAll(async () => {
  h = await openPglite(null);
  await migrate(h);
  await loadReferenceData(h.db);
  expect(await loadDemoData(h.db)).toBe(true);
}, 120_000);
afterAll(async () => { await h?.close(); });

describe('Lục Ngạn demo data', () => {
  it('reproduces the plan’s end-2022 picture: 26 products of 11 producers, 10 × 3★ and 16 × 4★, groups 5/20/1', async () => {
    // Star and year at end-2022 come from each product's history (later recognitions were applied as updates).
    const rows = await h.query<{ name: string; code: string; kind: string; producer_id: string; first_year: number; star_2022: number }>(`
      with firsts as (
        select entity_id, (after->>'recognitionYear')::int as year, (after->>'stars')::int as stars, at
        from audit_log where entity_type = 'product' and after ? 'stars'
      ), latest2022 as (
        select distinct on (entity_id) entity_id, stars from firsts where year <= 2022 order by entity_id, at desc
      )
      select p.name, t.code, pr.kind, p.producer_id, l.stars as star_2022
      from products p join latest2022 l on l.entity_id = p.id::text
      join taxonomy_nodes t on t.id = p.taxonomy_node_id join producers pr on pr.id = p.producer_id`);
    expect(rows).toHaveLength(26);
    const count = <T extends string | number>(xs: T[]) => xs.reduce((m, x) => ({ ...m, [x]: (m[x as string] ?? 0) + 1 }), {} as Record<string, number>);
    expect(count(rows.map((r) => r.star_2022))).toEqual({ 3: 10, 4: 16 });
    const group = (code: string) => (code.startsWith('I.1') ? 'fresh' : code.startsWith('II') ? 'beverage' : 'processed');
    expect(count(rows.map((r) => group(r.code)))).toEqual({ fresh: 5, processed: 20, beverage: 1 });
    // The plan's breakdown: fresh 4 × 3★ + 1 × 4★ (the lychee proposed for 5★), processed 6 × 3★ + 14 × 4★, beverage 1 × 4★.
    expect(count(rows.map((r) => `${group(r.code)}:${r.star_2022}`))).toEqual({ 'fresh:3': 4, 'fresh:4': 1, 'processed:3': 6, 'processed:4': 14, 'beverage:4': 1 });
    const producers = new Map(rows.map((r) => [r.producer_id, r.kind]));
    expect(producers.size).toBe(11);
    expect(count([...producers.values()])).toEqual({ enterprise: 2, cooperative: 9 });
  });

  it('keeps the 13 sourced products, marks everything invented as demo, and creates the demo accounts', async () => {
    const [{ real, demo }] = await h.query<{ real: number; demo: number }>('select count(*) filter (where not is_demo)::int as real, count(*) filter (where is_demo)::int as demo from products');
    expect(real).toBe(13);
    expect(demo).toBeGreaterThan(0);
    const [vai] = await h.query<{ stars: number }>("select stars from products where name = 'Vải thiều Lục Ngạn'");
    expect(vai.stars).toBe(5);
    const logins = (await h.query<{ login: string }>('select login from users order by login')).map((u) => u.login);
    expect(logins).toEqual(['admin', 'hoidong', 'htx.hongxuan', 'tinh', 'xa.chu', 'xem']);
  });
});
