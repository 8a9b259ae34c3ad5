// Journey (#11): every role lands on its home after login; officers and viewers see the programme panel and open
// the records behind a number (the list adds up to it); council members see their rounds; producers their own work.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ACCOUNTS, launch, login, newPage, shot } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function landOnHome(account, role) {
  const page = await newPage(browser);
  await login(page, account);
  await page.waitForURL(/\/home$/);
  const home = page.getByTestId('home');
  await home.waitFor();
  assert.equal(await home.getAttribute('data-role'), role);
  return page;
}

/** Clicks a number of the panel and checks the drill-down lists exactly that many records. */
async function drillAddsUp(page, testId) {
  const button = page.getByTestId(testId);
  await button.waitFor();
  const n = Number((await button.innerText()).replace(/\D/g, ''));
  await button.click();
  const modal = page.getByTestId('drill-down');
  await modal.waitFor();
  const total = await modal.getByTestId('drill-total').innerText();
  assert.match(total, new RegExp(`Tổng: ${n} bản ghi`));
  if (n > 0 && n <= 50) assert.equal(await modal.locator('tbody tr.ant-table-row').count(), n);
  return n;
}

async function closeModal(page) {
  await page.keyboard.press('Escape');
  await page.getByTestId('drill-down').waitFor({ state: 'detached' }).catch(() => {});
}

async function shots(page, name) {
  await shot(page, `home-${name}-1366`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('home').waitFor();
  await page.waitForTimeout(300);
  await shot(page, `home-${name}-390`);
  await page.setViewportSize({ width: 1366, height: 900 });
}

test('officer: work by step and age, expiring certificates, the panel and its records', async () => {
  const page = await landOnHome(ACCOUNTS.province, 'province_officer');
  await page.getByTestId('home-officer-dossiers').waitFor();
  await page.getByTestId('programme-panel').waitFor();
  const n = await drillAddsUp(page, 'actual-products_recognised');
  assert.ok(n > 0, 'the demo has recognised products in the plan’s area');
  await closeModal(page);
  // The expiring list adds up to its number too.
  const exp = page.getByTestId('home-expiring');
  const count = Number((await exp.innerText()).replace(/\D/g, ''));
  await exp.click();
  const list = page.getByTestId('home-list');
  await list.waitFor();
  assert.match(await list.getByTestId('list-total').innerText(), new RegExp(`Tổng: ${count} bản ghi`));
  await page.keyboard.press('Escape');
  await shots(page, 'officer');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('commune officer: the panel counts only their communes', async () => {
  const page = await landOnHome(ACCOUNTS.commune, 'commune_officer');
  await page.getByTestId('programme-panel').getByText('Chỉ tính các xã bạn phụ trách').waitFor();
  await drillAddsUp(page, 'actual-products_recognised');
  await closeModal(page);
  await shots(page, 'commune');
  await page.context().close();
});

test('council member: the rounds they sit on and the sheets left', async () => {
  const page = await landOnHome(ACCOUNTS.council, 'council_member');
  await page.getByTestId('home-council').waitFor();
  await page.getByTestId('home-sheets-left').waitFor();
  await page.getByTestId('programme-panel').waitFor();
  await shots(page, 'council');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('producer: own dossiers and certificates, no programme panel', async () => {
  const page = await landOnHome(ACCOUNTS.producer, 'producer');
  await page.getByTestId('home-producer-certificates').waitFor();
  await page.getByTestId('home-producer-dossiers').waitFor();
  assert.equal(await page.getByTestId('programme-panel').count(), 0);
  const certs = page.getByTestId('home-producer-certificates');
  assert.ok((await certs.locator('.ant-list-item').count()) > 0, 'HTX Hồng Xuân holds certificates');
  await shots(page, 'producer');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('viewer: the programme summary; a yearly number opens that year’s records', async () => {
  const page = await landOnHome(ACCOUNTS.viewer, 'viewer');
  await page.getByTestId('programme-panel').waitFor();
  assert.equal(await page.getByTestId('home-officer-dossiers').count(), 0);
  await drillAddsUp(page, 'actual-products_4star');
  await closeModal(page);
  // By commune: the first commune's first number.
  const cell = page.getByTestId('commune-table').locator('tbody tr.ant-table-row').first().locator('button').first();
  if (await cell.count()) {
    const n = Number((await cell.innerText()).replace(/\D/g, ''));
    await cell.click();
    const modal = page.getByTestId('drill-down');
    await modal.waitFor();
    assert.match(await modal.getByTestId('drill-total').innerText(), new RegExp(`Tổng: ${n} bản ghi`));
    await closeModal(page);
  }
  await shots(page, 'viewer');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
