// Journey (#11 item 4): the province officer's home draws the plan's communes from the boundaries shipped with the app
// (no tiles, no network), hover shows a commune's figures, a click opens the records behind them, the same figures
// are there as a table; on a 390 px phone the map fits the width and a tap shows the figures.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import { ACCOUNTS, BASE_URL, launch, RESULTS_DIR, shot, signedInPage } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function openMap(opts = {}) {
  const page = await signedInPage(browser, ACCOUNTS.province, opts);
  // Nothing may leave the machine: a request to another origin fails the test.
  const origin = new URL(BASE_URL).origin;
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !/^(data|blob):/.test(r.url())) foreign.push(r.url()); });
  await page.goto('/home');
  const svg = page.getByTestId('commune-map-svg');
  await svg.waitFor();
  await svg.scrollIntoViewIfNeeded();
  return { page, svg, foreign };
}

test('province officer: the commune map renders, a hover shows the figures, a click opens the records', async () => {
  const { page, svg, foreign } = await openMap();
  const communes = svg.locator('path[data-unit-id]');
  const n = await communes.count();
  assert.ok(n > 0, 'the plan’s communes are drawn');
  assert.equal(n, 11, 'the 11 communes of the Lục Ngạn area in 2025');
  assert.ok(await svg.locator('path[data-context-unit-id]').count() > 0, 'neighbouring communes drawn for orientation');
  assert.ok(await svg.locator('[data-area-id]').count() > 0, 'the demo’s growing areas are drawn');
  assert.ok((await communes.first().getAttribute('d')).length > 50, 'a real outline');
  await page.getByTestId('map-legend').waitFor();

  // Hover phường Chũ (the demo's commune with the most recognised products): its figures in a tooltip.
  const chu = await page.evaluate(async () => {
    const plans = await fetch('/api/programme/plans').then((r) => r.json());
    const home = await fetch('/api/home').then((r) => r.json());
    const m = await fetch(`/api/programme/plans/${home.programme?.planId ?? plans[0].id}/map`).then((r) => r.json());
    return m.communes.slice().sort((a, b) => b.recognised - a.recognised)[0];
  });
  const target = svg.locator(`path[data-unit-id="${chu.unitId}"]`);
  await target.hover();
  const tip = page.getByTestId('map-tooltip');
  await tip.waitFor();
  const text = await tip.innerText();
  assert.match(text, new RegExp(chu.name));
  assert.match(text, new RegExp(`Sản phẩm OCOP được công nhận: ${chu.recognised}`));
  await page.getByTestId('commune-map').screenshot({ path: path.join(RESULTS_DIR, 'map-hover-1366.png') });

  // Click: the drill-down lists exactly that many records for the commune.
  await target.click();
  const modal = page.getByTestId('drill-down');
  await modal.waitFor();
  assert.match(await modal.getByTestId('drill-total').innerText(), new RegExp(`Tổng: ${chu.recognised} bản ghi`));
  await page.keyboard.press('Escape');
  await modal.waitFor({ state: 'detached' }).catch(() => {});

  // The accessible table: same communes, same numbers.
  await page.getByTestId('map-view-toggle').getByText('Bảng').click();
  const table = page.getByTestId('commune-map-table');
  await table.waitFor();
  assert.equal(await table.locator('tbody tr.ant-table-row').count(), 11);
  assert.match(await table.innerText(), new RegExp(chu.name));
  assert.deepEqual(foreign, [], 'no request leaves the server');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('390 px: the map fits the phone, a tap shows the figures and a button opens the records', async () => {
  const { page, svg } = await openMap({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const box = await svg.boundingBox();
  assert.ok(box.width <= 390 && box.width > 250, `map width ${box.width}`);
  const page390 = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(page390 <= 390, `no horizontal scroll (${page390})`);
  const commune = svg.locator('path[data-unit-id]').first();
  await commune.tap();
  const tip = page.getByTestId('map-tooltip');
  await tip.waitFor();
  assert.match(await tip.innerText(), /Sản phẩm OCOP được công nhận: \d+/);
  await shot(page, 'map-tap-390');
  await page.getByTestId('map-tooltip-open').tap();
  await page.getByTestId('drill-down').waitFor();
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
