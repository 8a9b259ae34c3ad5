// Administrative units over time, and account management.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ACCOUNTS, input, launch, newPage, pick, shot, signedInPage } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('units as of a date: the abolished district exists on 1/1/2024 and its detail shows when it ended', async () => {
  const page = await signedInPage(browser, ACCOUNTS.admin);
  await page.goto('/units');
  const tree = page.getByTestId('units-tree');
  await tree.getByText('Tỉnh Bắc Ninh').waitFor();
  assert.equal(await tree.getByText('Huyện Lục Ngạn').count(), 0, 'no district level today');

  const date = input(page, 'units-as-of');
  await date.click();
  await date.fill('01/01/2024');
  await date.press('Enter');
  await tree.getByText('Tỉnh Bắc Giang').waitFor();
  await tree.getByText('Huyện Lục Ngạn').waitFor();

  await tree.getByText('Huyện Lục Ngạn').click();
  const detail = page.getByTestId('unit-detail');
  await detail.waitFor();
  assert.match(await detail.innerText(), /30\/06\/2025/);
  assert.match(await detail.innerText(), /Thị xã Chũ/, 'successor listed');
  await shot(page, 'units-as-of-2024');
  await page.context().close();
});

test('an administrator creates an account, and the new user can sign in', async () => {
  const page = await signedInPage(browser, ACCOUNTS.admin);
  const login = `xem.${Date.now().toString(36)}`;
  await page.goto('/users');
  await page.getByTestId('user-create').click();
  await input(page, 'user-login').fill(login);
  await input(page, 'user-password').fill('mat-khau-thu-2025');
  await input(page, 'user-fullname').fill('Người xem thử');
  await pick(page, 'user-role', 'Người xem');
  await page.getByRole('dialog').getByRole('button', { name: 'Lưu' }).click();
  await page.getByTestId('users-table').getByText(login).waitFor();
  await page.context().close();

  const fresh = await newPage(browser);
  await fresh.goto('/login');
  await input(fresh, 'login-username').fill(login);
  await input(fresh, 'login-password').fill('mat-khau-thu-2025');
  await fresh.getByTestId('login-submit').click();
  // Every role lands on its home after signing in.
  await fresh.waitForURL(/\/home/);
  await fresh.goto('/products');
  // English switch is remembered and re-labels the app
  await fresh.getByTestId('lang-switch').getByText('EN').click();
  await fresh.getByRole('heading', { name: 'Products' }).waitFor();
  await fresh.reload();
  await fresh.getByRole('heading', { name: 'Products' }).waitFor();
  await fresh.context().close();
});
