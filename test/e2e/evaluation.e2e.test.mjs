// Journey: a provincial council scores a demo product. Accounts and the round are set up through the API; the
// conflict of interest, scoring (phone and desktop, both modes), opening results, finalising and the minutes PDF
// go through the screens.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ACCOUNTS, launch, login, newPage, pick, RESULTS_DIR, shot, signedInPage } from './helpers.mjs';

const PRODUCT = 'Vải thiều Lục Ngạn';
const PASSWORD = 'ocop-council-2025';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A JSON call the way the app makes it (session cookie + CSRF token from /me). */
async function call(page, method, url, body) {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await fetch('/api/auth/me').then((r) => r.json());
      const r = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    { method, url, body },
  );
}

/** Picks the highest-scoring option of every criterion shown (list mode), by clicking it. */
async function chooseBestEverywhere(page) {
  const picks = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid^="crit-"][data-code]')].map((el) => {
      const opts = [...el.querySelectorAll('[data-testid^="opt-"]')];
      let best = opts[0];
      for (const o of opts) if (Number(o.dataset.points) > Number(best.dataset.points)) best = o;
      return best.dataset.testid;
    }),
  );
  for (const id of picks) await page.getByTestId(id).click();
  return picks.length;
}

async function waitSaved(page) {
  await page.locator('[data-testid="save-state"][data-status="saved"]').waitFor();
}

test('council: conflict, scoring on a phone and one criterion at a time, results, finalise, minutes', async () => {
  const n = String(Date.now()).slice(-6);

  // --- Administrator: three council member accounts
  const admin = await signedInPage(browser, ACCOUNTS.admin);
  await admin.goto('/products');
  const people = [
    { login: `ct.${n}`, fullName: `Chủ tịch Nguyễn Văn An ${n}` },
    { login: `tv2.${n}`, fullName: `Thành viên Trần Thị Bình ${n}` },
    { login: `tv3.${n}`, fullName: `Thành viên Lê Văn Cường ${n}` },
  ];
  for (const p of people) {
    const r = await call(admin, 'POST', '/api/users', { ...p, password: PASSWORD, role: 'council_member' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    p.id = r.body.id;
  }
  await admin.context().close();

  // --- Province officer: the round (API), then opens scoring on its page (UI)
  const officer = await signedInPage(browser, ACCOUNTS.province);
  await officer.goto('/rounds');
  const products = await call(officer, 'GET', `/api/products?q=${encodeURIComponent('vai thieu luc ngan')}&pageSize=50`);
  const product = products.body.items.find((p) => p.name === PRODUCT && p.taxonomy.code === 'I.1.a');
  assert.ok(product, 'the demo product of subgroup I.1.a exists');
  const sets = await call(officer, 'GET', '/api/criteria/sets');
  const set = sets.body.find((s) => s.code === '148-demo');
  assert.equal(set.status, 'published');
  const units = await call(officer, 'GET', '/api/geo/units?level=1');
  const unit = (Array.isArray(units.body) ? units.body : units.body.items).find((u) => u.name === 'Bắc Ninh');
  const roundName = `Đợt đánh giá cấp tỉnh e2e ${n}`;
  const created = await call(officer, 'POST', '/api/rounds', {
    name: roundName,
    level: 'province',
    unitId: unit.id,
    procedureCode: '148+1489',
    criteriaSetId: set.id,
    spreadThreshold: 10,
    // Two valid sheets of three members: more than half (the conflicted member stays counted); the round sets it.
    quorumRatio: 0.5,
    minValidSheets: 2,
    members: [
      { userId: people[0].id, role: 'chair' },
      { userId: people[1].id, role: 'member' },
      { userId: people[2].id, role: 'member' },
    ],
    productIds: [product.id],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const roundId = created.body.id;

  await officer.goto('/rounds');
  await officer.getByTestId('round-row-link').filter({ hasText: roundName }).click();
  await officer.getByTestId('round-title').filter({ hasText: roundName }).waitFor();
  await officer.getByTestId('demo-banner').waitFor();
  await officer.getByTestId('round-open-scoring').click();
  await officer.locator('[data-testid="round-status"][data-status="scoring"]').first().waitFor();
  await officer.context().close();

  // --- Member 3 declares a conflict of interest from the scoring screen
  const m3 = await newPage(browser);
  await login(m3, [people[2].login, PASSWORD]);
  await m3.goto(`/rounds/${roundId}`);
  await m3.getByTestId('my-product-score').click();
  await m3.getByTestId('scoring-product').filter({ hasText: PRODUCT }).waitFor();
  await m3.getByTestId('conflict-declare').click();
  await pick(m3, 'conflict-reason', 'Quan hệ gia đình');
  await m3.getByTestId('conflict-note').fill('Anh ruột của giám đốc HTX');
  await m3.getByTestId('conflict-ok').click();
  await m3.waitForURL(new RegExp(`/rounds/${roundId}$`));
  await m3.getByTestId('my-products').getByText('Xung đột lợi ích — không chấm').waitFor();
  await m3.goto(`/rounds/${roundId}/products/${product.id}/score`);
  await m3.getByTestId('conflict-result').getByText('Xung đột lợi ích — không chấm').waitFor();
  assert.deepEqual(m3.jsErrors.map(String), []);
  await m3.context().close();

  // --- Chair scores on a phone (list mode): best option everywhere → 100
  const chair = await newPage(browser, PHONE);
  await login(chair, [people[0].login, PASSWORD]);
  await chair.goto(`/rounds/${roundId}`);
  await chair.getByTestId('my-product-score').click();
  await chair.getByTestId('scoring-product').filter({ hasText: PRODUCT }).waitFor();
  await chair.getByTestId('demo-banner').waitFor();
  await chair.getByTestId('scorer-mode').getByText('Danh sách').click();
  await chair.getByTestId('scorer-list').waitFor();
  const count = await chooseBestEverywhere(chair);
  assert.ok(count >= 20, `criteria shown: ${count}`);
  await chair.getByTestId('note-open-A1.1').click();
  await chair.getByTestId('note-A1.1').fill('Vùng trồng VietGAP 100% trong tỉnh');
  await waitSaved(chair);
  assert.match(await chair.getByTestId('save-state').innerText(), /Đã lưu lúc \d\d:\d\d/);
  assert.equal((await chair.getByTestId('score-total').innerText()).trim(), '100');
  assert.match(await chair.getByTestId('part-total-A').innerText(), /A: 40\/40/);
  // Phone layout: nothing wider than the screen.
  const overflow = await chair.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `horizontal overflow ${overflow}px`);
  await chair.evaluate(() => window.scrollTo(0, 0));
  await shot(chair, 'scoring-phone', { fullPage: false });
  await chair.getByTestId('sheet-submit').click();
  await chair.getByTestId('submit-confirm').click();
  await chair.getByTestId('sheet-submitted').waitFor();
  assert.equal(await chair.getByTestId('sheet-submit').count(), 0, 'read-only after submit');
  assert.ok(await chair.getByTestId('opt-A1.1-0').isDisabled());
  await shot(chair, 'scoring-phone-submitted', { fullPage: false });
  const chairState = await chair.context().storageState();
  assert.deepEqual(chair.jsErrors.map(String), []);
  await chair.context().close();

  // --- Member 2 scores one criterion at a time; an early submit lists the missing criteria
  const m2 = await newPage(browser);
  await login(m2, [people[1].login, PASSWORD]);
  await m2.goto(`/rounds/${roundId}`);
  await m2.getByTestId('my-product-score').click();
  await m2.getByTestId('scoring-product').waitFor();
  await m2.getByTestId('scorer-mode').getByText('Từng tiêu chí').click();
  await m2.getByTestId('scorer-single').waitFor();
  const bestInView = async () => {
    const id = await m2.evaluate(() => {
      const opts = [...document.querySelectorAll('[data-testid="scorer-single"] [data-testid^="opt-"]')];
      let best = opts[0];
      for (const o of opts) if (Number(o.dataset.points) > Number(best.dataset.points)) best = o;
      return best.dataset.testid;
    });
    await m2.getByTestId(id).click();
  };
  await bestInView();
  await m2.getByTestId('sheet-submit').click();
  await m2.getByTestId('submit-confirm').click();
  await m2.getByTestId('missing-alert').waitFor();
  assert.match(await m2.getByTestId('missing-alert').innerText(), /A1\.2/);
  for (let i = 1; i < count; i++) {
    await m2.getByTestId('crit-next').click();
    await bestInView();
  }
  assert.ok(await m2.getByTestId('crit-next').isDisabled(), 'at the last criterion');
  await waitSaved(m2);
  assert.equal((await m2.getByTestId('score-total').innerText()).trim(), '100');
  await shot(m2, 'scoring-single');
  await m2.getByTestId('sheet-submit').click();
  await m2.getByTestId('submit-confirm').click();
  await m2.getByTestId('sheet-submitted').waitFor();
  assert.deepEqual(m2.jsErrors.map(String), []);
  await m2.context().close();

  // --- Chair (desktop): progress, open results, finalise; expected result and the minutes
  const desk = await newPage(browser, { storageState: chairState });
  await desk.goto(`/rounds/${roundId}`);
  await desk.getByTestId('round-progress').filter({ hasText: '2/2' }).waitFor();
  assert.match(await desk.getByTestId('round-progress').innerText(), /1 xung đột/);
  await desk.getByTestId('round-open-results').click();
  await desk.getByTestId('confirm-ok').click();
  await desk.getByTestId('result-mean').first().waitFor();
  await desk.getByTestId('member-scores').waitFor();
  assert.equal(await desk.getByTestId('member-reopen').count(), 2, 'the chair may reopen each submitted sheet');
  await desk.getByTestId('round-finalise').click();
  await desk.getByTestId('finalise-ok').click();
  await desk.locator('[data-testid="round-status"][data-status="finalised"]').first().waitFor();
  assert.equal((await desk.getByTestId('result-mean').innerText()).trim(), '100,00');
  assert.equal(await desk.getByTestId('result-star').getAttribute('data-star'), '5');
  assert.equal(await desk.getByTestId('result-outcome').getAttribute('data-outcome'), 'forwarded');
  assert.match(await desk.getByTestId('result-outcome').innerText(), /Chuyển cấp trên → Trung ương/);
  assert.equal(await desk.getByTestId('member-reopen').count(), 0, 'no reopening once finalised');
  await shot(desk, 'round-chair-overview');

  const [download] = await Promise.all([desk.waitForEvent('download'), desk.getByTestId('round-minutes').click()]);
  assert.match(download.suggestedFilename(), /\.pdf$/);
  const file = path.join(RESULTS_DIR, `bien-ban-${n}.pdf`);
  await download.saveAs(file);
  assert.equal(fs.readFileSync(file).subarray(0, 4).toString('latin1'), '%PDF');
  let pdftotext = true;
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  } catch {
    pdftotext = false;
  }
  if (pdftotext) {
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.ok(text.includes(PRODUCT), 'the minutes name the product');
    assert.ok(text.includes('100,00'), 'the minutes carry the mean score');
  }
  assert.deepEqual(desk.jsErrors.map(String), []);
  await desk.context().close();
});

test('criteria sets: demo banner, validator report of the draft set and the sheet tree', async () => {
  const page = await signedInPage(browser, ACCOUNTS.province);
  await page.goto('/criteria');
  await page.getByTestId('set-row-link').filter({ hasText: 'DEMO' }).click();
  await page.getByTestId('demo-banner').getByText('Dữ liệu mẫu (demo)').waitFor();
  await page.getByTestId('sheet-row-link').first().click();
  await page.getByTestId('sheet-tree').waitFor();
  await page.getByTestId('demo-banner').waitFor();
  await page.getByTestId('node-A1.1').waitFor();
  await shot(page, 'criteria-sheet');

  // The QĐ 1048 draft: its part A does not add up; publishing lists the errors.
  await page.goto('/criteria');
  await page.getByTestId('set-row-link').filter({ hasText: '1048' }).click();
  await page.getByTestId('set-title').waitFor();
  await page.locator('[data-testid="issue-list"] [data-severity="error"]').first().waitFor();
  await page.getByTestId('set-publish').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await page.getByTestId('publish-errors').waitFor();
  assert.match(await page.getByTestId('publish-errors').innerText(), /lỗi/);
  await shot(page, 'criteria-publish-errors');
  assert.deepEqual(page.jsErrors.map(String), []);
  await page.context().close();
});

test('a producer self-assesses its product and sees what would raise its star', async () => {
  const page = await signedInPage(browser, ACCOUNTS.producer);
  await page.goto(`/products?q=${encodeURIComponent('vai thieu luc ngan')}`);
  await page.getByTestId('product-row-link').filter({ hasText: PRODUCT }).first().click();
  await page.getByTestId('product-title').waitFor();
  await page.getByTestId('self-assessment-open').click();
  await page.getByTestId('self-assessment').waitFor();
  await page.getByTestId('demo-banner').waitFor();
  await page.getByTestId('scorer-mode').getByText('Danh sách').click();
  // The lowest option everywhere, then the plan lists improvements.
  const ids = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="self-assessment"] [data-testid^="crit-"][data-code]')].map((el) => {
      const opts = [...el.querySelectorAll('[data-testid^="opt-"]')];
      let low = opts[0];
      for (const o of opts) if (Number(o.dataset.points) < Number(low.dataset.points)) low = o;
      return low.dataset.testid;
    }),
  );
  for (const id of ids) await page.getByTestId(id).click();
  await waitSaved(page);
  await page.getByTestId('self-plan').getByText('Để lên hạng sao tiếp theo').waitFor();
  await page.getByTestId('self-plan').locator('tbody tr.ant-table-row').first().waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'self-assessment', { fullPage: false });
  assert.deepEqual(page.jsErrors.map(String), []);
  await page.context().close();
});

test('a provincial officer sets up a round through the form, choosing council members from the candidates', async () => {
  const n = String(Date.now()).slice(-6);
  const admin = await signedInPage(browser, ACCOUNTS.admin);
  await admin.goto('/products');
  const chairName = `Chủ tịch Phạm Thị Lan ${n}`;
  const created = await call(admin, 'POST', '/api/users', { login: `ctf.${n}`, password: PASSWORD, fullName: chairName, role: 'council_member' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await admin.context().close();

  const page = await signedInPage(browser, ACCOUNTS.province);
  await page.goto('/rounds/new');
  await page.getByTestId('round-name').fill(`Đợt thử biểu mẫu ${n}`);
  await pick(page, 'round-procedure', '1489');
  await pick(page, 'round-unit', 'Bắc Ninh', { search: 'bac ninh' });
  await pick(page, 'round-criteria-set', 'DEMO');
  await pick(page, 'round-member-0', chairName, { search: `Lan ${n}` });
  await pick(page, 'round-member-1', 'Cán bộ OCOP tỉnh', { search: 'tinh' });
  await pick(page, 'round-member-2', 'Thành viên Hội đồng', { search: 'hoidong' });
  await pick(page, 'round-products', PRODUCT, { search: 'vai thieu luc ngan' });
  await page.keyboard.press('Escape');
  await shot(page, 'round-form-filled');
  await page.getByTestId('round-save').click();
  await page.waitForURL(/\/rounds\/[0-9a-f-]{36}$/);
  await page.getByText(`Đợt thử biểu mẫu ${n}`).first().waitFor();
  await page.getByText(chairName).first().waitFor();
  await page.getByText(PRODUCT).first().waitFor();
  await shot(page, 'round-created-from-form');
  await page.context().close();
});
