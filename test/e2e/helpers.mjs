// Shared helpers for the browser journeys (plain node:test + playwright-core, no build step).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://localhost:3000').replace(/\/$/, '');
export const RESULTS_DIR = path.resolve(process.env.E2E_RESULTS_DIR ?? 'test-results');
fs.mkdirSync(RESULTS_DIR, { recursive: true });

export const ACCOUNTS = {
  admin: ['admin', 'ocop-admin-2025'],
  province: ['tinh', 'ocop-tinh-2025'],
  commune: ['xa.chu', 'ocop-xa-2025'],
  producer: ['htx.hongxuan', 'ocop-htx-2025'],
  council: ['hoidong', 'ocop-hoidong-2025'],
  viewer: ['xem', 'ocop-xem-2025'],
};

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh browser context (own cookies) in Vietnamese, ready for downloads. */
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    acceptDownloads: true,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    viewport: { width: 1366, height: 900 },
    ...opts,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.jsErrors = errors;
  return page;
}

const sessions = new Map();

/**
 * A page already signed in as `account`. Signs in through the login screen once per spec file and reuses the
 * cookie afterwards (the server rate-limits logins per account, as it should).
 */
export async function signedInPage(browser, account, opts = {}) {
  const key = account[0];
  if (!sessions.has(key)) {
    const page = await newPage(browser);
    await login(page, account);
    sessions.set(key, await page.context().storageState());
    await page.context().close();
  }
  return newPage(browser, { ...opts, storageState: sessions.get(key) });
}

export async function login(page, [user, password]) {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(user);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export const shot = (page, name, opts = {}) => page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), fullPage: true, ...opts });

/** Opens the antd Select/TreeSelect of a form field (by test id), optionally types, then picks the option. */
export async function pick(page, testId, optionText, { search } = {}) {
  const root = page.getByTestId(testId);
  await root.click();
  if (search !== undefined) await page.keyboard.type(search);
  // Closed popups stay in the DOM: only look at the visible one.
  const option = page
    .locator('.ant-select-item-option, .ant-select-tree-treenode:not(.ant-select-tree-treenode-disabled) .ant-select-tree-node-content-wrapper')
    .filter({ visible: true })
    .filter({ hasText: optionText })
    .first();
  await option.click();
}

/** The text input of an antd Input/Input.Search whose wrapper or input carries the test id. */
export function input(page, testId) {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

/** A valid 10-digit Vietnamese tax code, unique enough per run (time-based). */
export function uniqueTaxCode(seed = Date.now()) {
  for (let k = 0; k < 100; k++) {
    const nine = String((Math.floor(seed / 7) + k * 7919) % 1_000_000_000).padStart(9, '0');
    const d = nine.split('').map(Number);
    const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
    const c = 10 - (w.reduce((s, x, i) => s + x * d[i], 0) % 11);
    if (c < 10) return nine + c;
  }
  throw new Error('no tax code');
}
