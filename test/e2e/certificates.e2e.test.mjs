// Notifications bell (unread count, list, open, mark read) and the certificates list (expiring filter, PDF,
// paper certificate, revocation shown on the public page).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ACCOUNTS, BASE_URL, callApi, fillDate, input, launch, newPage, pick, RESULTS_DIR, shot, signedInPage, uniqueTaxCode, waitOrProblem } from './helpers.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});


test('notifications: a new account request lights the bell; the list opens it; mark read and mark all read', async () => {
  const page = await signedInPage(browser, ACCOUNTS.commune);
  await page.goto('/products');
  await page.getByTestId('notifications-count').waitFor();
  // Start from nothing unread.
  await callApi(page, 'POST', '/api/notifications/read-all', {});
  await page.reload();
  await page.locator('[data-testid="notifications-count"][data-count="0"]').waitFor();

  // Two producers of phường Chũ ask for accounts (anonymous requests).
  const units = await (await fetch(`${BASE_URL}/api/registrations/units`)).json();
  const chu = units.find((u) => u.name === 'Chũ');
  const n = String(Date.now()).slice(-6);
  for (const k of [1, 2]) {
    const r = await fetch(`${BASE_URL}/api/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'household', legalName: `Hộ kinh doanh Bánh gai ${n}-${k}`, registrationNumber: uniqueTaxCode(Date.now() * (k + 5)), unitId: chu.id,
        representative: 'Trần Văn Bình', phone: '0987654321', login: `banhgai.${n}.${k}`, password: 'banh-gai-chu-2025',
      }),
    });
    assert.equal(r.status, 202, await r.text());
  }
  // The count refreshes when the window regains focus (and every minute).
  await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
  await page.locator('[data-testid="notifications-count"][data-count="2"]').waitFor();

  await page.getByTestId('notifications-bell').click();
  const items = page.getByTestId('notification-item');
  await items.first().waitFor();
  assert.ok((await page.locator('[data-testid="notification-item"][data-unread="true"]').count()) >= 2);
  await shot(page, 'notifications-open', { fullPage: false });
  await page.locator('[data-testid="notification-item"][data-unread="true"]').first().getByTestId('notification-mark-read').click();
  await page.locator('[data-testid="notifications-count"][data-count="1"]').waitFor();
  // Opening one goes to its page (the account requests).
  await page.locator('[data-testid="notification-item"][data-unread="true"]').first().click();
  await page.waitForURL(/\/registrations$/);
  await page.locator('[data-testid="notifications-count"][data-count="0"]').waitFor();
  await page.locator('[data-testid="registration-row"]').filter({ hasText: `Bánh gai ${n}-1` }).waitFor();

  // Mark all read from the phone drawer after a new request.
  const phone = await newPage(browser, { ...PHONE, storageState: await page.context().storageState() });
  const r = await fetch(`${BASE_URL}/api/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'household', legalName: `Hộ kinh doanh Bánh gai ${n}-3`, registrationNumber: uniqueTaxCode(Date.now() * 11), unitId: chu.id,
      representative: 'Trần Văn Bình', phone: '0987654321', login: `banhgai.${n}.3`, password: 'banh-gai-chu-2025',
    }),
  });
  assert.equal(r.status, 202);
  await phone.goto('/products');
  await phone.locator('[data-testid="notifications-count"][data-count="1"]').waitFor();
  await phone.getByTestId('notifications-bell').click();
  await phone.getByTestId('notification-item').first().waitFor();
  await shot(phone, 'notifications-phone', { fullPage: false });
  await phone.getByTestId('notifications-read-all').click();
  await phone.locator('[data-testid="notifications-count"][data-count="0"]').waitFor();
  // The badge and the open list refresh separately: wait for the list to show every item read.
  await phone.locator('[data-testid="notification-item"][data-unread="true"]').first().waitFor({ state: 'detached' });
  assert.equal(await phone.locator('[data-testid="notification-item"][data-unread="true"]').count(), 0);
  assert.deepEqual(page.jsErrors.map(String), []);
  assert.deepEqual(phone.jsErrors.map(String), []);
  await page.context().close();
  await phone.context().close();
});

test('certificates: a paper certificate expiring soon is on the officers’ list; PDF; revoked, the public page says so', async () => {
  const page = await signedInPage(browser, ACCOUNTS.province);
  await page.goto('/products');
  const n = String(Date.now()).slice(-6);
  // A product of a demo producer (API), then its paper certificate through the product page.
  const some = (await callApi(page, 'GET', '/api/products?pageSize=1')).body.items[0];
  const productName = `Chè Lục Ngạn e2e ${n}`;
  const created = await callApi(page, 'POST', '/api/products', {
    producerId: some.producer.id, name: productName, taxonomyNodeId: some.taxonomy.id, registeredUnitId: some.unit.id, processingLevel: 'processed',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  // Decided 35 months ago: it expires within the next 3 months.
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 35);
  d.setUTCDate(10);
  const ddmmyyyy = `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
  const number = `GCN-E2E-${n}`;

  await page.goto(`/products/${created.body.id}`);
  await page.getByTestId('product-legacy-certificate').click();
  // 4★ by the province: within its authority under QĐ 148 and under 148 + 1489 alike (3★ was the district's until 2025).
  await pick(page, 'legacy-star', '★★★★');
  await page.getByTestId('legacy-decision-number').fill(`${n}/QĐ-UBND`);
  await fillDate(page, 'legacy-decision-date', ddmmyyyy);
  await page.getByTestId('legacy-authority').fill('UBND tỉnh Bắc Giang');
  await page.getByTestId('legacy-number').fill(number);
  await page.getByTestId('legacy-ok').click();
  await waitOrProblem(page, page.getByTestId('product-certificate-number').filter({ hasText: number }));
  assert.equal(await page.getByTestId('product-certificate').getByTestId('certificate-status').getAttribute('data-status'), 'expiring');

  // The officers' default list: expiring within 3 months, with the re-evaluation dossier column.
  await page.goto('/certificates');
  const row = page.locator(`[data-testid="certificate-row"][data-number="${number}"]`);
  await row.waitFor();
  assert.equal(await input(page, 'certificate-filter-months').inputValue(), '3');
  assert.match(await row.innerText(), /Sắp hết hạn/);
  assert.match(await row.innerText(), /Chưa có hồ sơ/);
  await shot(page, 'certificates-expiring');

  const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('certificate-pdf').click()]);
  const file = path.join(RESULTS_DIR, `giay-chung-nhan-${n}.pdf`);
  await download.saveAs(file);
  assert.equal(fs.readFileSync(file).subarray(0, 4).toString('latin1'), '%PDF');

  await row.getByTestId('certificate-revoke').click();
  await pick(page, 'revoke-reason', 'Vi phạm phát hiện qua thanh tra');
  await page.getByTestId('revoke-note').fill('Biên bản kiểm tra số 12/BB-QLTT');
  await page.getByTestId('revoke-ok').click();
  // No longer "expiring": search it among all certificates.
  await row.waitFor({ state: 'detached' });
  await page.getByTestId('certificate-filter-all').click();
  await input(page, 'certificate-search').fill(number);
  await input(page, 'certificate-search').press('Enter');
  await page.locator(`[data-testid="certificate-row"][data-number="${number}"] [data-testid="certificate-status"][data-status="revoked"]`).waitFor();
  await shot(page, 'certificates-revoked');

  const phone = await newPage(browser, { ...PHONE, storageState: await page.context().storageState() });
  await phone.goto(`/certificates?months=all&q=${number}`);
  await phone.getByTestId('certificate-list-compact').getByText(number).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `horizontal overflow ${overflow}px`);
  await shot(phone, 'certificates-phone', { fullPage: false });

  const pub = await newPage(browser, PHONE);
  const res = await pub.goto(`/xac-thuc/${number}`);
  assert.equal(res.status(), 200);
  const text = await pub.locator('body').innerText();
  assert.ok(text.includes(productName));
  assert.match(text, /THU HỒI/i);
  await shot(pub, 'certificate-verify-revoked');
  assert.deepEqual(page.jsErrors.map(String), []);
  for (const p of [page, phone, pub]) await p.context().close();
});
