import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDiskStorage } from '../modules/files/storage.js';
import { openPglite, type DbHandle } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { daysBetween, todayInVietnam } from '../../shared/certificate-dates.js';
import { readSeed } from './reference.js';
import { DEMO_EXPIRING, loadDemoData } from './demo.js';
import { loadReferenceData } from './reference.js';

// Always a fresh embedded database: the demo only loads into an empty one.
let h: DbHandle;
let filesDir: string;
beforeAll(async () => {
  h = await openPglite(null);
  await migrate(h);
  await loadReferenceData(h.db);
  filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-demo-files-'));
  expect(await loadDemoData(h.db, { storage: new LocalDiskStorage(filesDir) })).toBe(true);
}, 120_000);
afterAll(async () => {
  await h?.close();
  if (filesDir) fs.rmSync(filesDir, { recursive: true, force: true });
});

describe('Lục Ngạn demo data', () => {
  it('reproduces the plan’s end-2022 picture: 26 products of 11 producers, 10 × 3★ and 16 × 4★, groups 5/20/1', async () => {
    // Star and year at end-2022 come from each product's history (each certificate wrote the product's recognition).
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
    expect(logins).toEqual(['admin', 'bo.nnmt', 'hoidong', 'htx.hongxuan', 'htx.vaivang', 'tinh', 'xa.chu', 'xem']);
  });

  it('records every recognition as a paper certificate: older ones superseded by newer, one active per product, stars from the active one', async () => {
    const seed = readSeed<{ products: { recognitions?: unknown[] }[] }>('demo/luc-ngan.json');
    const recognitions = seed.products.reduce((n, p) => n + (p.recognitions?.length ?? 0), 0);
    const [{ n, legacy, active, superseded }] = await h.query<{ n: number; legacy: number; active: number; superseded: number }>(`select count(*)::int as n,
      count(*) filter (where is_legacy)::int as legacy, count(*) filter (where status = 'active')::int as active,
      count(*) filter (where status = 'superseded')::int as superseded from certificates`);
    expect(n).toBe(recognitions + DEMO_EXPIRING.length);
    expect(legacy).toBe(n);
    const recognised = seed.products.filter((p) => p.recognitions?.length).length;
    expect(active).toBe(recognised);
    expect(superseded).toBe(n - recognised);
    // Every recognised product shows the star, number and expiry of its active certificate.
    const mismatched = await h.query(`select p.name from products p join certificates c on c.product_id = p.id and c.status = 'active'
      where p.stars is distinct from c.star or p.certificate_number is distinct from c.number or p.certificate_expires_on is distinct from c.expires_on
        or p.decision_date is distinct from c.decision_date`);
    expect(mismatched).toEqual([]);
    expect(await h.query('select name from products where stars is not null and not exists (select 1 from certificates c where c.product_id = products.id)')).toEqual([]);
    // Vải thiều Lục Ngạn: 4★ (2022) superseded by 5★ (2024), and its history shows the step.
    const vai = await h.query<{ star: number; status: string; decision_date: string; expires_on: string }>(`select c.star, c.status, c.decision_date::text, c.expires_on::text
      from certificates c join products p on p.id = c.product_id where p.name = 'Vải thiều Lục Ngạn' order by c.decision_date`);
    expect(vai).toEqual([
      { star: 4, status: 'superseded', decision_date: '2022-07-15', expires_on: '2025-07-15' },
      { star: 5, status: 'active', decision_date: '2024-07-15', expires_on: '2027-07-15' },
    ]);
    const steps = await h.query<{ stars: number }>(`select (a.after->>'stars')::int as stars from audit_log a join products p on a.entity_id = p.id::text
      where p.name = 'Vải thiều Lục Ngạn' and a.action = 'recognition' order by a.at, a.id`);
    expect(steps.map((x) => x.stars)).toEqual([4, 5]);
  });

  it('some certificates expire within 90 days of the day the demo is loaded (reminders and the expiring list have work)', async () => {
    const today = todayInVietnam();
    const rows = await h.query<{ number: string; expires_on: string }>("select number, expires_on::text from certificates where status = 'active' order by expires_on");
    const soon = rows.filter((r) => { const d = daysBetween(today, r.expires_on); return d >= 0 && d <= 90; });
    expect(soon.map((r) => r.number).sort()).toEqual(expect.arrayContaining(DEMO_EXPIRING.map((e) => expect.stringMatching(new RegExp(`^DEMO-GCN-\\d{4}-0${e.seq}$`)))));
    expect(soon.length).toBeGreaterThanOrEqual(3);
    // And the older ones did expire: the demo shows all three states.
    expect(rows.some((r) => daysBetween(today, r.expires_on) < 0)).toBe(true);
    expect(rows.some((r) => daysBetween(today, r.expires_on) > 90)).toBe(true);
  });

  it('holds dossiers made through the services: a draft that shows what is missing, a re-evaluation waiting at the commune', async () => {
    const rows = await h.query<{ name: string; kind: string; status: string; links: number; producer: string }>(`select p.name, d.kind, d.status,
      (select count(*)::int from dossier_evidence de where de.dossier_id = d.id) as links, pr.legal_name as producer
      from dossiers d join products p on p.id = d.product_id join producers pr on pr.id = d.producer_id order by d.created_at`);
    expect(rows.map((r) => [r.name, r.kind, r.status])).toEqual([
      ['Vải thiều sấy khô Hồng Xuân', 'first', 'draft'],
      ['Vải thiều sấy khô Vải Vàng', 'reevaluation', 'submitted'],
    ]);
    // The draft's food-safety report has expired: the locker flags it and submission would list it.
    const [expired] = await h.query<{ n: number }>("select count(*)::int as n from evidence where expires_on < current_date and type = 'food_safety_test'");
    expect(expired.n).toBe(1);
    // Every locker file exists in storage (sniffed and stored like an upload).
    const keys = await h.query<{ storage_key: string }>('select storage_key from evidence');
    expect(keys.length).toBe(13);
    for (const k of keys) expect(fs.existsSync(path.join(filesDir, k.storage_key))).toBe(true);
    // The commune officer of phường Chũ was told about the submission.
    const [note] = await h.query<{ n: number }>("select count(*)::int as n from notifications n join users u on u.id = n.user_id where u.login = 'xa.chu' and n.kind = 'dossier_submitted'");
    expect(note.n).toBe(1);
  });

  it('traces a lychee lot from two growing areas to a dried-lychee lot with QR stamps, one range deactivated', async () => {
    const lots = await h.query<{ lot_number: string; product: string; gtin: string | null; areas: string[] }>(`select l.lot_number, p.name as product, l.gtin,
      coalesce((select array_agg(g.code order by g.code) from lot_growing_areas la join growing_areas g on g.id = la.growing_area_id where la.lot_id = l.id), '{}') as areas
      from lots l join products p on p.id = l.product_id order by l.produced_on, l.lot_number`);
    expect(lots.map((l) => [l.product, l.areas])).toEqual([
      ['Vải thiều Lục Ngạn', ['DEMO-VT-HG-01', 'DEMO-VT-HG-02']],
      ['Vải thiều Lục Ngạn', ['DEMO-VT-HG-03']],
      ['Vải thiều sấy khô Vải Vàng', []],
    ]);
    // Lots take their product's GTIN, under the demo producers' verified GS1 Vietnam prefixes (893…); the lot made
    // before its product had a GTIN keeps none.
    expect(lots.map((l) => l.gtin)).toEqual(['08939990011012', null, '08939990021028']);
    const products = await h.query<{ gtin: string }>('select gtin from products where gtin is not null order by gtin');
    expect(products.map((p) => p.gtin)).toEqual(lots.filter((l) => l.gtin).map((l) => l.gtin).sort());
    const prefixes = await h.query<{ prefix: string; status: string }>('select prefix, status from producer_gs1_prefixes order by prefix');
    expect(prefixes).toEqual([{ prefix: '893999001', status: 'verified' }, { prefix: '893999002', status: 'verified' }]);
    const unverified = await h.query<{ n: number }>("select (select count(*) from growing_areas where verification_status <> 'verified') + (select count(*) from packing_houses where verification_status <> 'verified') as n");
    expect(Number(unverified[0].n)).toBe(0);
    // The dried lot came out of a transformation whose input is the fresh lot.
    const [link] = await h.query<{ input: string; output: string }>(`select li.lot_number as input, lo.lot_number as output
      from trace_events e join trace_event_lots i on i.event_id = e.id and i.role = 'input' join lots li on li.id = i.lot_id
      join trace_event_lots o on o.event_id = e.id and o.role = 'output' join lots lo on lo.id = o.lot_id where e.type = 'TransformationEvent'`);
    expect(link.input).toMatch(/^VT\d{2}-0612-A$/);
    expect(link.output).toMatch(/^VS\d{2}-0620$/);
    const kinds = await h.query<{ kind: string; n: number }>('select kind, count(*)::int as n from trace_events group by kind order by kind');
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toEqual({ harvest: 2, inspection: 1, packing: 1, processing: 1, receiving: 1, shipping: 2 });
    // No event lies in the future whatever day the demo is loaded.
    const [future] = await h.query<{ n: number }>('select count(*)::int as n from trace_events where event_time > now()');
    expect(future.n).toBe(0);
    const ranges = await h.query<{ n: number; status: string }>('select (last_serial - first_serial + 1)::int as n, status from stamp_ranges order by first_no');
    expect(ranges).toEqual([{ n: 200, status: 'active' }, { n: 100, status: 'active' }, { n: 50, status: 'active' }, { n: 20, status: 'inactive' }]);
  });
});

/**
 * The README's facts, checked against what they describe (#17: the README had drifted — a port, a demo count, the
 * Node version, links outside the repository). A number or link changed in one place and not the other fails here.
 */
describe('the README says what is true', () => {
  const root = path.resolve(import.meta.dirname, '../../..');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

  it('the demo: products, producers and the accounts table match the loaded demo', async () => {
    const m = /The demo holds (\d+) products of (\d+) producers/.exec(readme);
    expect(m, 'README names the demo size').not.toBeNull();
    const [{ products, producers }] = await h.query<{ products: number; producers: number }>(
      'select (select count(*)::int from products) as products, (select count(*)::int from producers) as producers');
    expect([Number(m![1]), Number(m![2])]).toEqual([products, producers]);
    const accounts = [...readme.matchAll(/^\| [^|]+ \| `([a-z.]+)` \| `(ocop-[a-z]+-2025)` \|$/gm)].map((x) => x[1]).sort();
    const logins = (await h.query<{ login: string }>('select login from users order by login')).map((u) => u.login);
    expect(accounts).toEqual(logins);
  });

  it('CI: the PostgreSQL port and the Node version are the ones the scripts and package.json use', () => {
    const ci = fs.readFileSync(path.join(root, '.ci/run'), 'utf8');
    const port = /PGPORT=(\d+)/.exec(ci)![1];
    expect(readme).toMatch(new RegExp(`starts PostgreSQL on 127\\.0\\.0\\.1:${port}`));
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    const needs = /Needs Node\.js (\d+\.\d+) or newer/.exec(readme)![1];
    expect(pkg.engines.node).toBe(`>=${needs}`);
  });

  it('every relative link points at a file of the repository (never outside it)', () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((x) => x[1]).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      const target = path.resolve(root, l);
      expect(target.startsWith(root + path.sep), `${l} stays inside the repository`).toBe(true);
      expect(fs.existsSync(target), `${l} exists`).toBe(true);
    }
  });
});
