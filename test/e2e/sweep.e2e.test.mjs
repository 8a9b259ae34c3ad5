// The sweep (#12): every demo role, every page its menu offers and one detail page per list, on a phone (390×844)
// and a laptop (1366×800); the public pages on a phone. It fails on horizontal overflow, a raw i18n key or a UUID in
// visible text, a console or page error, a failed same-origin request, and a missing or duplicate page title, and
// lists every failure of the run in one message. The menu is read from the DOM, so a new page is swept without
// touching this file.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ACCOUNTS, BASE_URL, E2E_TIMEOUT_MS, launch, login } from './helpers.mjs';

const ROLES = {
  ...ACCOUNTS,
  central: ['bo.nnmt', 'ocop-bo-2025'],
};
const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1366, height: 800 },
];
const ORIGIN = new URL(BASE_URL).origin;

// The catalogue's namespaces ("history", "trace", …): a visible "history.action.recognition" is a missing label.
const catalogue = fs.readFileSync(path.resolve('src/shared/i18n/vi.ts'), 'utf8') + fs.readFileSync(path.resolve('src/shared/i18n/programme-screens.ts'), 'utf8');
const NAMESPACES = new Set([...catalogue.matchAll(/^\s*'([a-z][a-zA-Z0-9]*)\.[a-zA-Z0-9_.]+'\s*:/gm)].map((m) => m[1]));
// Words that end a file name, an address or a domain: "bien-ban.pdf", "htx@ocop.local", "ocop.gov.vn" are fine.
const NOT_KEYS = /\.(pdf|xlsx|xls|docx|doc|csv|json|jsonld|png|jpe?g|webp|svg|zip|txt|html?|com|vn|net|org|local|gov|edu|io|test|example)$/i;
const KEY_CANDIDATE = /(?<![\w@/.:-])[a-z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)+(?![\w@/-])/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Raw catalogue keys in a text: a known namespace, or two dots / an underscore / camelCase that no word has. */
export function rawKeys(text) {
  const out = new Set();
  for (const m of text.matchAll(KEY_CANDIDATE)) {
    const token = m[0].replace(/\.$/, '');
    if (!token.includes('.') || NOT_KEYS.test(token) || /^\d/.test(token)) continue;
    const parts = token.split('.');
    const known = NAMESPACES.has(parts[0]) && parts.length >= 2 && /^[a-zA-Z]/.test(parts[1] ?? '');
    const keyLike = parts.length >= 3 ? parts.every((p) => /^[a-z][a-zA-Z0-9_]*$/.test(p)) : /[_A-Z]/.test(parts.slice(1).join('')) && parts.every((p) => /^[a-z][a-zA-Z0-9_]*$/.test(p));
    if (known || keyLike) out.add(token);
  }
  return [...out];
}

let browser;
const failures = [];
const titles = new Map(); // "role/viewport" → Map(title → first path)

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A context whose page records console errors, page errors and failed same-origin requests. */
async function openContext(viewport, storageState) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    viewport: { width: viewport.width, height: viewport.height },
    ...(storageState ? { storageState } : {}),
  });
  context.setDefaultTimeout(E2E_TIMEOUT_MS);
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => {
    // A refused request is checked (with its expected exceptions) from the response itself.
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of/.test(m.text())) log.push(`console error: ${m.text().slice(0, 300)}`);
  });
  page.on('pageerror', (e) => log.push(`page error: ${String(e.message ?? e).slice(0, 300)}`));
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.origin !== ORIGIN || r.status() < 400) return;
    // Before signing in, the app asks who is signed in and is told "nobody".
    if (r.status() === 401 && u.pathname === '/api/auth/me' && !page.signedIn) return;
    log.push(`HTTP ${r.status()} ${r.request().method()} ${u.pathname}${u.search}`);
  });
  page.on('requestfailed', (r) => {
    const u = new URL(r.url());
    const why = r.failure()?.errorText ?? '';
    // A navigation cancels the previous page's requests: that is not a failure.
    if (u.origin === ORIGIN && !/ERR_ABORTED/.test(why)) log.push(`request failed: ${u.pathname} (${why})`);
  });
  page.log = log;
  page.inflight = new Set();
  page.on('request', (r) => page.inflight.add(r));
  page.on('requestfinished', (r) => page.inflight.delete(r));
  page.on('requestfailed', (r) => page.inflight.delete(r));
  return { context, page };
}

/**
 * Waits until the page has settled: no request of ours in flight for a moment, no spinner or skeleton. Bounded: a
 * slow page is still checked (and a page that never settles shows its spinner in the failure list's screenshot-free
 * text as whatever it shows).
 */
async function settle(page) {
  const deadline = Date.now() + 15_000;
  let quietSince = page.inflight.size === 0 ? Date.now() : 0;
  while (Date.now() < deadline) {
    await page.waitForTimeout(50);
    if (page.inflight.size > 0) quietSince = 0;
    else if (!quietSince) quietSince = Date.now();
    else if (Date.now() - quietSince >= 250) break;
  }
  await page
    .waitForFunction(() => !document.querySelector('.ant-spin-spinning, .ant-skeleton-active'), null, { timeout: Math.max(1000, deadline - Date.now()) })
    .catch(() => {});
  // antd measures fixed columns and ellipses after the first paint.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * Goes to `href` through a link of the app (client-side, no reload, as a click on it would): a link of the page, else
 * the menu's (the phone's drawer keeps its links in the page once opened), else the address bar.
 */
async function go(page, href) {
  const before = await page.title();
  const clicked = await page.evaluate((href) => {
    for (const root of ['.ant-layout-content', '.ant-layout-sider', '.ant-drawer']) {
      const a = document.querySelector(`${root} a[href="${CSS.escape(href).replace(/\\\//g, '/')}"]`) ?? [...document.querySelectorAll(`${root} a[href]`)].find((x) => x.getAttribute('href') === href);
      if (a) {
        a.click();
        return true;
      }
    }
    return false;
  }, href);
  const there = (u) => u.pathname + u.search === href;
  // A busy machine may take a while to route; if the link did not get there, the address bar does.
  if (!clicked || !(await page.waitForURL(there, { timeout: 15_000 }).then(() => true, () => false))) await page.goto(href);
  // The address changes at once; the page (and its title) when the route's code has rendered.
  await page.waitForFunction((t) => document.title !== t, before, { timeout: 10_000 }).catch(() => {});
  await settle(page);
}

/** Everything wrong with the page as it stands now. */
async function inspect(page, where, key, failKey = key) {
  if (process.env.SWEEP_TRACE) console.log(`${((Date.now() - (page.t0 ??= Date.now())) / 1000).toFixed(1)}s ${failKey} ${where}`);
  const problems = [...page.log.splice(0)];
  const found = await page.evaluate(() => {
    const w = window.innerWidth;
    const doc = document.scrollingElement ?? document.documentElement;
    let overflow = null;
    if (doc.scrollWidth > w + 1) {
      // The widest element that sticks out and is not inside something that scrolls or clips it.
      const clipped = (el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const ox = getComputedStyle(p).overflowX;
          if (ox !== 'visible') return true;
        }
        return false;
      };
      let worst = null;
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right <= w + 1 || clipped(el)) continue;
        if (!worst || r.right > worst.right + 0.5 || (Math.abs(r.right - worst.right) <= 0.5 && el.contains(worst.el))) worst = { el, right: r.right };
      }
      const describe = (el) => {
        if (!el) return '?';
        const tid = el.closest('[data-testid]')?.getAttribute('data-testid');
        const cls = typeof el.className === 'string' ? el.className.split(/\s+/).filter(Boolean).slice(0, 3).join('.') : '';
        const text = (el.innerText ?? '').trim().replace(/\s+/g, ' ').slice(0, 60);
        return `<${el.tagName.toLowerCase()}${cls ? ` .${cls}` : ''}>${tid ? ` in [${tid}]` : ''} right edge ${Math.round(worst.right)} px${text ? ` "${text}"` : ''}`;
      };
      overflow = { scrollWidth: doc.scrollWidth, width: w, worst: describe(worst?.el) };
    }
    // Visible text: the page plus open popups and drawers, as a person reads it.
    return { overflow, text: document.body.innerText, title: document.title };
  });
  if (found.overflow) problems.push(`horizontal overflow: ${found.overflow.scrollWidth} px in ${found.overflow.width} px; widest: ${found.overflow.worst}`);
  const keys = rawKeys(found.text);
  if (keys.length) problems.push(`raw i18n keys: ${keys.slice(0, 8).join(', ')}`);
  const uuid = found.text.match(UUID);
  if (uuid) {
    const at = found.text.indexOf(uuid[0]);
    problems.push(`UUID in visible text: "…${found.text.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, ' ')}…"`);
  }
  // The back office names each page "<page> — OCOP Hub"; the server's public pages name what they show.
  const named = key?.startsWith('public') ? found.title.trim() !== '' && found.title.trim() !== 'OCOP Hub' : / — OCOP Hub$/.test(found.title) && found.title.trim() !== 'OCOP Hub';
  if (!named) problems.push(`page title "${found.title}" does not name the page`);
  if (key && !/ tab "/.test(where)) {
    const seen = titles.get(key) ?? new Map();
    titles.set(key, seen);
    const first = seen.get(found.title);
    if (first && first !== where) problems.push(`page title "${found.title}" is also the title of ${first}`);
    else seen.set(found.title, where);
  }
  for (const p of problems) failures.push(`${failKey ?? 'public'} ${where}: ${p}`);
  return found;
}

/** Waits until the phone's menu drawer (and its mask) has gone. */
async function drawerClosed(page) {
  const close = page.locator('.ant-drawer-close').filter({ visible: true }).first();
  if (await close.count()) await close.click({ timeout: 3000 }).catch(() => {});
  await page.waitForFunction(() => ![...document.querySelectorAll('.ant-drawer-mask, .ant-drawer-content-wrapper, .ant-drawer-section')].some((e) => e.getBoundingClientRect().width > 0 && getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden'), null, { timeout: 5000 }).catch(() => {});
}

/** Opens every closed group of the menu. */
async function expandMenu(page, menuRoot) {
  for (let i = 0; i < 10; i++) {
    const closed = page.locator(`${menuRoot} .ant-menu-submenu:not(.ant-menu-submenu-open) > .ant-menu-submenu-title`);
    if ((await closed.count()) === 0) break;
    await closed.first().click();
    await page.waitForTimeout(300);
  }
}

/** The menu's links as the role sees them (groups opened; on a phone through the drawer). */
async function menuLinks(page, viewport) {
  let menuRoot = '.ant-layout-sider .ant-menu';
  if (viewport.name === 'phone') {
    await page.getByTestId('menu-toggle').click();
    menuRoot = '.ant-drawer-open .ant-menu';
    await page.locator(menuRoot).waitFor();
  }
  await expandMenu(page, menuRoot);
  const hrefs = await page.locator(`${menuRoot} a[href]`).evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
  if (viewport.name === 'phone') {
    await page.keyboard.press('Escape');
    await drawerClosed(page);
  }
  return [...new Set(hrefs)];
}

/** The first link of a list page to one of its records ("/products" → "/products/<id>"), if the list has one. */
async function firstDetailLink(page, listPath) {
  return page.evaluate((listPath) => {
    const content = document.querySelector('.ant-layout-content') ?? document.body;
    for (const a of content.querySelectorAll('a[href]')) {
      const u = new URL(a.href, location.href);
      if (u.origin !== location.origin) continue;
      const p = u.pathname;
      if (p.startsWith(`${listPath}/`) && !/\/(new|edit)$/.test(p)) return p + u.search;
    }
    return null;
  }, listPath);
}

/** Each tab of a detail page (history, documents, …) as the user opens it. */
async function sweepTabs(page, where, key) {
  const tabs = page.locator('.ant-layout-content .ant-tabs-tab:not(.ant-tabs-tab-active):not(.ant-tabs-tab-disabled)');
  const names = await tabs.allInnerTexts();
  for (const name of names) {
    const tab = page.locator('.ant-layout-content .ant-tabs-tab').filter({ hasText: name }).first();
    if (!(await tab.isVisible())) continue; // in the overflow menu of a narrow tab bar
    await tab.click();
    await settle(page);
    await inspect(page, `${where} tab "${name.trim()}"`, null, key);
  }
}

const sessions = new Map();
const publicTargets = { scan: null, certificate: null };

for (const [role, account] of Object.entries(ROLES)) {
  test(`sweep: ${role} (${account[0]}) at 390×844 and 1366×800`, { timeout: 10 * 60_000 }, async () => {
    for (const viewport of VIEWPORTS) {
      const key = `${role}@${viewport.width}`;
      const { context, page } = await openContext(viewport, sessions.get(role));
      try {
        if (!sessions.has(role)) {
          await page.goto('/login');
          await settle(page);
          await inspect(page, '/login', `anonymous@${viewport.width}`);
          await login(page, account);
          sessions.set(role, await context.storageState());
        }
        page.signedIn = true;
        await page.goto('/home');
        await settle(page);
        const links = await menuLinks(page, viewport);
        assert.ok(links.length >= 3, `${key}: the menu offers ${links.length} pages`);
        for (const href of links) {
          await go(page, href);
          await inspect(page, href, key);
          let detail = await firstDetailLink(page, href);
          if (!detail) {
            // A list still rendering on a busy machine: one more look.
            await page.waitForTimeout(700);
            await settle(page);
            detail = await firstDetailLink(page, href);
          }
          if (detail) {
            await go(page, detail);
            await inspect(page, `${href}/… (${detail})`, key);
            await sweepTabs(page, `${href}/…`, key);
            if (href === '/lots' && !publicTargets.scan) {
              publicTargets.scan = await page.getByTestId('stamp-sample-link').first().getAttribute('href', { timeout: 2000 }).catch(() => null);
            }
          }
        }
        if (!publicTargets.certificate) {
          const number = await page.evaluate(async () => {
            const r = await fetch('/api/certificates?pageSize=1');
            if (!r.ok) return null;
            const body = await r.json();
            return (body.items ?? body)[0]?.number ?? null;
          });
          if (number) publicTargets.certificate = number;
        }
      } finally {
        await context.close();
      }
    }
  });
}

test('sweep: public pages at 390×844', { timeout: 2 * 60_000 }, async () => {
  const targets = ['/', '/dang-ky'];
  if (publicTargets.scan) targets.push(publicTargets.scan);
  else failures.push('public: no stamp link found on a lot page to sweep a scan page');
  if (publicTargets.certificate) targets.push(`/xac-thuc/${encodeURIComponent(publicTargets.certificate)}`);
  else failures.push('public: no certificate number found to sweep /xac-thuc');
  const { context, page } = await openContext(VIEWPORTS[0]);
  try {
    for (const href of targets) {
      await page.goto(href);
      await settle(page);
      await inspect(page, href, 'public@390');
    }
  } finally {
    await context.close();
  }
});

test('sweep: no failures', () => {
  assert.equal(failures.length, 0, `${failures.length} problems found by the sweep:\n${failures.join('\n')}`);
});
