// Screenshots of each demo role's main screen at a phone's and a laptop's width, for the README (#12).
// usage: node scripts/screenshots.mjs [base URL]   (a running server with the demo data; default http://localhost:3000)
// Writes docs/screenshots/<role>-<screen>-<width>.png (the visible screen, not the whole page: small files).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = (process.argv[2] ?? process.env.E2E_BASE_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const OUT = path.resolve('docs/screenshots');
const SCREENS = [
  { role: 'admin', login: ['admin', 'ocop-admin-2025'], path: '/home', name: 'home' },
  { role: 'province', login: ['tinh', 'ocop-tinh-2025'], path: '/rounds', name: 'rounds' },
  { role: 'commune', login: ['xa.chu', 'ocop-xa-2025'], path: '/dossiers', name: 'dossiers' },
  { role: 'producer', login: ['htx.hongxuan', 'ocop-htx-2025'], path: '/products', name: 'products' },
  { role: 'council', login: ['hoidong', 'ocop-hoidong-2025'], path: '/rounds', name: 'rounds' },
  { role: 'viewer', login: ['xem', 'ocop-xem-2025'], path: '/certificates', name: 'certificates' },
  { role: 'central', login: ['bo.nnmt', 'ocop-bo-2025'], path: '/home', name: 'home' },
];
const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1366, height: 800 },
];

fs.mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  for (const s of SCREENS) {
    let state;
    for (const vp of WIDTHS) {
      const context = await browser.newContext({ baseURL: BASE, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', viewport: vp, ...(state ? { storageState: state } : {}) });
      const page = await context.newPage();
      if (!state) {
        await page.goto('/login');
        await page.getByTestId('login-username').fill(s.login[0]);
        await page.getByTestId('login-password').fill(s.login[1]);
        await page.getByTestId('login-submit').click();
        await page.waitForURL((u) => !u.pathname.startsWith('/login'));
        state = await context.storageState();
      }
      await page.goto(s.path);
      await page.waitForLoadState('networkidle').catch(() => {});
      await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning, .ant-skeleton-active'), null, { timeout: 15_000 }).catch(() => {});
      const file = path.join(OUT, `${s.role}-${s.name}-${vp.width}.png`);
      await page.screenshot({ path: file });
      console.log(`${path.relative(process.cwd(), file)}  ${(fs.statSync(file).size / 1024).toFixed(0)} KB  ${await page.title()}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
}
