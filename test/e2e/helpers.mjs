// Shared helpers for the browser journeys (plain node:test + playwright-core, no build step).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://localhost:3000').replace(/\/$/, '');
/**
 * How long one step may take. CI shares 2 cores between the server, PGlite, Chromium and the runner, so a step that
 * takes 2 s alone can take 15 s there; 30 s still fails a hung step quickly.
 */
export const E2E_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 30_000);
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
  context.setDefaultTimeout(E2E_TIMEOUT_MS);
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
  const multiple = await root.evaluate((el) => el.classList.contains('ant-select-multiple') || !!el.querySelector('.ant-select-multiple')).catch(() => false);
  const chosen = () => root.locator('.ant-select-selection-item').count();
  const before = multiple ? await chosen() : 0;
  await root.click();
  if (search !== undefined) await page.keyboard.type(search);
  const openPopups = page.locator('.ant-select-dropdown').filter({ visible: true });
  // On a loaded machine a click can land while the popup is still animating in, or on an option the search results
  // are about to replace, and select nothing: the popup then stays open over the form (and the field empty). A single
  // choice has taken when its popup closes, a multiple one when the chosen items change; else choose again.
  for (let attempt = 0; attempt < 4; attempt++) {
    // Closed popups stay in the DOM: only look at the visible one.
    const option = page
      .locator('.ant-select-item-option, .ant-select-tree-treenode:not(.ant-select-tree-treenode-disabled) .ant-select-tree-node-content-wrapper')
      .filter({ visible: true })
      .filter({ hasText: optionText })
      .first();
    await option.click();
    for (let i = 0; i < 12; i++) {
      if (multiple ? (await chosen()) !== before : (await openPopups.count()) === 0) return;
      await page.waitForTimeout(150);
    }
  }
  throw new Error(`pick ${testId}: "${optionText}" did not take`);
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

/** A JSON call the way the app makes it, from a signed-in page (session cookie + CSRF token from /me). */
export async function callApi(page, method, url, body) {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await fetch('/api/auth/me').then((r) => r.json());
      const r = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    { method, url, body },
  );
}

/** A small valid one-page PDF (correct xref offsets) whose page shows `text` (ASCII). */
export function tinyPdf(text = 'OCOP Hub e2e') {
  const safe = text.replace(/[()\\]/g, '');
  const stream = `BT /F1 18 Tf 72 720 Td (${safe}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Criteria of a sheet document (parts → sections → criteria at any depth), each with its options' points. */
export function sheetCriteria(doc) {
  const out = [];
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node.options)) {
      out.push({ code: node.code, mandatoryFromStar: node.mandatoryFromStar ?? null, points: node.options.map((o) => (Array.isArray(o) ? Number(o[1]) : Number(o.points))) });
    }
    for (const k of ['parts', 'sections', 'criteria', 'children']) if (Array.isArray(node[k])) node[k].forEach(walk);
  };
  walk(doc);
  return out;
}

/**
 * Answers (option index per criterion) whose total is at most `target`: best everywhere, then criteria that are not
 * mandatory drop to their lowest option until the total fits.
 */
export function answersFor(doc, target) {
  const crits = sheetCriteria(doc);
  const best = (c) => c.points.indexOf(Math.max(...c.points));
  const low = (c) => c.points.indexOf(Math.min(...c.points));
  const answers = Object.fromEntries(crits.map((c) => [c.code, best(c)]));
  let total = crits.reduce((s, c) => s + Math.max(...c.points), 0);
  for (const c of crits) {
    if (total <= target) break;
    if (c.mandatoryFromStar) continue;
    total -= Math.max(...c.points) - Math.min(...c.points);
    answers[c.code] = low(c);
  }
  return { answers, total };
}

/** Fills an antd DatePicker (dd/mm/yyyy) found by its test id, and checks the picker took the date. */
export async function fillDate(page, testId, ddmmyyyy) {
  const el = input(page, testId);
  // The typed text shows at once, but the picker only keeps it once it has parsed it: check after leaving the field.
  for (let attempt = 0; attempt < 3; attempt++) {
    await el.click();
    await el.fill(ddmmyyyy);
    await el.press('Enter');
    await el.press('Tab');
    await page.waitForTimeout(100);
    if ((await el.inputValue()) === ddmmyyyy) return;
  }
  throw new Error(`date picker ${testId}: "${await el.inputValue()}" instead of "${ddmmyyyy}"`);
}

/**
 * Waits for `locator`, or fails at once with the text of the error notification the app shows for a refused
 * request (instead of a bare timeout).
 */
export async function waitOrProblem(page, locator, timeout = E2E_TIMEOUT_MS, watchFields = true) {
  const problem = page.locator('.ant-notification-notice').filter({ has: page.locator('[data-testid="error-detail"]') }).first();
  // A refusal the form shows under its fields (or a field the browser left invalid) would otherwise be a bare timeout.
  const fieldError = page.locator('.ant-modal .ant-form-item-explain-error').first();
  const which = await Promise.race([
    locator.waitFor({ timeout }).then(() => 'ok'),
    problem.waitFor({ timeout }).then(() => 'problem'),
    ...(watchFields ? [fieldError.waitFor({ timeout }).then(() => 'field')] : []),
  ]);
  if (which === 'problem') throw new Error(`the server refused: ${await problem.innerText()}`);
  if (which === 'field') {
    // An error of an earlier attempt may still be fading out (antd animates it away once the field is fixed): only
    // an error that stays is the form's answer; otherwise wait for the real outcome.
    // Fading takes longer on a loaded machine: an error still there after 4 s is the answer.
    let text = null;
    for (let i = 0; i < 20; i++) {
      await page.waitForTimeout(200);
      text = (await fieldError.count()) ? await fieldError.innerText({ timeout: 1000 }).catch(() => null) : null;
      if (!text) break;
    }
    if (text) {
      const label = await page.locator('.ant-modal .ant-form-item-has-error .ant-form-item-label').first().innerText({ timeout: 1000 }).catch(() => '?');
      throw new Error(`the form shows an error at "${label}": ${text}`);
    }
    await waitOrProblem(page, locator, timeout, false);
  }
}
