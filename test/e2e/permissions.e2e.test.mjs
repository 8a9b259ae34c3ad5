// Read-only roles see no write buttons, and a write the server refuses shows its Vietnamese message.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ACCOUNTS, launch, pick, shot, signedInPage } from './helpers.mjs';

const KIND_LABEL = { enterprise: 'Doanh nghiệp', cooperative: 'Hợp tác xã', cooperative_group: 'Tổ hợp tác', household: 'Hộ kinh doanh' };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a viewer sees the registry without create or edit buttons', async () => {
  const page = await signedInPage(browser, ACCOUNTS.viewer);
  await page.goto('/products');
  await page.getByTestId('product-table').locator('tbody tr.ant-table-row').first().waitFor();
  assert.equal(await page.getByTestId('product-create').count(), 0);
  assert.equal(await page.getByTestId('import-link').count(), 0);
  assert.equal(await page.getByTestId('nav-users').count(), 0);

  await page.getByTestId('product-row-link').first().click();
  await page.getByTestId('product-title').waitFor();
  assert.equal(await page.getByTestId('product-edit').count(), 0);

  await page.goto('/producers');
  await page.getByTestId('producer-table').locator('tbody tr.ant-table-row').first().waitFor();
  assert.equal(await page.getByTestId('producer-create').count(), 0);
  await shot(page, 'viewer-producers');
  await page.context().close();
});

test('a write refused by the server shows a Vietnamese error', async () => {
  const page = await signedInPage(browser, ACCOUNTS.viewer);
  await page.goto('/products');
  // The form is not offered to viewers, so send the write the way the app does (cookie + CSRF token from /me):
  // the server must refuse it, and the app shows its refusal when a viewer opens a form URL directly.
  const res = await page.evaluate(async () => {
    const me = await fetch('/api/auth/me').then((r) => r.json());
    const r = await fetch('/api/producers', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({ kind: 'cooperative', legalName: 'HTX thử quyền', registrationNumber: '0100109106', unitId: 1 }),
    });
    return { status: r.status, type: r.headers.get('content-type'), body: await r.json() };
  });
  assert.equal(res.status, 403);
  assert.match(res.type, /problem\+json/);
  assert.match(res.body.title, /không có quyền/i);

  await page.goto('/users');
  await page.getByText('Bạn không có quyền').first().waitFor();
  await page.context().close();
});

test('a commune officer registering a producer outside their commune sees the server refusal in Vietnamese', async () => {
  const page = await signedInPage(browser, ACCOUNTS.commune);
  await page.goto('/producers/new');
  await pick(page, 'producer-kind', 'Hộ kinh doanh');
  await page.getByTestId('producer-legal-name').fill('Hộ kinh doanh ngoài địa bàn');
  await page.getByTestId('producer-registration-number').fill('20A8000123');
  await pick(page, 'producer-unit', 'Tân Sơn', { search: 'Tan Son' });
  await page.getByTestId('producer-save').click();
  const note = page.locator('.ant-notification-notice');
  await note.waitFor();
  assert.match(await note.innerText(), /không có quyền/i);
  assert.match(page.url(), /\/producers\/new$/, 'stays on the form');
  await shot(page, 'refused-write-commune');
  await page.context().close();
});

test('the server refusal reaches the user as a Vietnamese notification', async () => {
  const page = await signedInPage(browser, ACCOUNTS.admin);
  await page.goto('/producers/new');
  // Duplicate registration number of a seeded producer → 409 with a Vietnamese message.
  const existing = await page.evaluate(async () => (await fetch('/api/producers?pageSize=1').then((r) => r.json())).items[0]);
  await pick(page, 'producer-kind', KIND_LABEL[existing.kind]);
  await page.getByTestId('producer-legal-name').fill('Chủ thể trùng mã số');
  await page.getByTestId('producer-registration-number').fill(existing.registrationNumber);
  await pick(page, 'producer-unit', 'Chũ', { search: 'Chu' });
  await page.getByTestId('producer-save').click();
  const note = page.locator('.ant-notification-notice');
  await note.waitFor();
  assert.match(await note.innerText(), /Mã số đăng ký đã được dùng/);
  await shot(page, 'refused-write');
  await page.context().close();
});
