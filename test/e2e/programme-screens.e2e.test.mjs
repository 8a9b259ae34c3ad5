// Journeys (#11): a provincial officer opens the Lục Ngạn plan, copies it into a new draft and edits a target of the
// copy; records a commitment that goes over the plan's budget and gives the reason; records an event with a
// participant and its outcomes; opens a support activity's documents and uploads one; looks at the craft villages.
// Every new screen is photographed at 1366 px and 390 px, and must not scroll sideways on a phone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ACCOUNTS, callApi, input, launch, pick, shot, signedInPage, tinyPdf, waitOrProblem } from './helpers.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const stamp = Date.now().toString(36);
let browser;
let copyPath = '';
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The same page on a phone: photographed, and nothing wider than the screen. */
async function phoneShot(path, name, ready) {
  const page = await signedInPage(browser, ACCOUNTS.province, PHONE);
  await page.goto(path);
  await ready(page).waitFor();
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await shot(page, `${name}-390`);
  assert.ok(overflow <= 1, `${name}: the page scrolls sideways on a phone by ${overflow} px`);
  assert.deepEqual(page.jsErrors, [], `${name}: no script errors`);
  await page.context().close();
}

test('the province opens the Lục Ngạn plan, copies it and edits a target of the copy', async () => {
  const page = await signedInPage(browser, ACCOUNTS.province);
  await page.goto('/plans');
  await page.getByTestId('plan-list').waitFor();
  await shot(page, 'plans-1366');
  await page.getByTestId('plan-link').filter({ hasText: 'Lục Ngạn' }).first().click();
  await page.getByTestId('plan-detail').waitFor();
  await page.getByTestId('target-row').first().waitFor();
  assert.ok((await page.getByTestId('target-row').count()) >= 15, 'the seeded plan shows its targets');
  await shot(page, 'plan-detail-1366');

  await page.getByTestId('plan-copy').click();
  await input(page, 'copy-code').fill(`luc-ngan-ocop-e2e-${stamp}`);
  await input(page, 'copy-title').fill(`Kế hoạch OCOP huyện Lục Ngạn 2026-2028 (e2e ${stamp})`);
  await shot(page, 'plan-copy-1366');
  await page.getByTestId('plan-copy-save').click();
  await waitOrProblem(page, page.getByTestId('plan-heading').filter({ hasText: `e2e ${stamp}` }));
  copyPath = new URL(page.url()).pathname;
  assert.match(copyPath, /^\/plans\/[0-9a-f-]{36}$/);
  assert.equal(await page.getByTestId('plan-status').count() + await page.getByTestId('plan-status-select').count() > 0, true);
  assert.match(await page.getByTestId('plan-status-select').innerText(), /Dự thảo/);

  // Edit the first target of the copy: the value changes in the list.
  const first = page.getByTestId('target-row').first();
  await first.getByTestId('target-edit').click();
  await input(page, 'target-min').fill('55');
  await input(page, 'target-max').fill('60');
  await shot(page, 'target-edit-1366');
  await page.getByTestId('target-save').click();
  await waitOrProblem(page, page.getByTestId('target-value').filter({ hasText: '55–60' }).first());
  // Add a target for one commune with the indicator picker.
  await page.getByTestId('target-add').click();
  await pick(page, 'target-indicator', 'Sản phẩm chủ lực của xã', { search: 'chủ lực' });
  await page.getByTestId('target-indicator').filter({ hasText: 'chủ lực' }).waitFor();
  await page.getByLabel('Một xã').check();
  // The commune picker appears once "Một xã" is chosen; on a loaded machine the first click can land while it opens.
  for (let i = 0; i < 3 && !(await page.getByTestId('target-commune').filter({ hasText: 'Chũ' }).count()); i++) {
    await pick(page, 'target-commune', 'Chũ');
    await page.waitForTimeout(300);
  }
  await page.getByTestId('target-commune').filter({ hasText: 'Chũ' }).waitFor();
  await input(page, 'target-min').fill('2');
  await page.getByTestId('target-save').click();
  await waitOrProblem(page, page.getByTestId('target-row').filter({ hasText: 'Chũ' }).first());
  await page.context().close();
  await phoneShot(copyPath, 'plan-detail', (p) => p.getByTestId('target-row').first());
});

test('a commitment over the plan warns with the figures; the officer gives the reason and it is recorded', async () => {
  assert.ok(copyPath, 'the copy exists');
  const page = await signedInPage(browser, ACCOUNTS.province);
  await page.goto(`${copyPath}?tab=budget`);
  await page.getByTestId('budget').waitFor();
  await page.getByTestId('budget-add').click();
  await input(page, 'budget-amount').fill('3000000000');
  await page.getByTestId('budget-description').fill(`Hỗ trợ thiết kế bao bì ${stamp}`);
  await page.getByTestId('budget-save').click();
  await waitOrProblem(page, page.getByTestId('budget-exceeded'));
  assert.match(await page.getByTestId('budget-exceeded').innerText(), /2\.110 triệu đồng/);
  await shot(page, 'budget-exceeded-1366');
  await page.getByTestId('budget-reason').fill('UBND tỉnh bổ sung vốn theo quyết định điều chỉnh');
  await page.getByTestId('budget-override').click();
  await waitOrProblem(page, page.getByTestId('entry-override').filter({ hasText: 'bổ sung vốn' }).first());
  assert.match(await page.getByTestId('budget-summary').innerText(), /đã cam kết 3\.000/);
  await shot(page, 'budget-1366');
  await page.context().close();
  await phoneShot(`${copyPath}?tab=budget`, 'budget', (p) => p.getByTestId('budget-entry').first());
});

test('the province records an event with a participant and its outcomes', async () => {
  const title = `Hội chợ vải thiều Lục Ngạn ${stamp}`;
  const page = await signedInPage(browser, ACCOUNTS.province);
  await page.goto('/events');
  await page.getByTestId('events-page').waitFor();
  await page.getByTestId('event-create').click();
  await page.getByTestId('event-title').fill(title);
  await pick(page, 'event-type', 'Hội chợ');
  // antd puts the test id on the range's first input: both inputs are in its picker.
  const range = page.locator('.ant-picker-range:has([data-testid="event-dates"]) input');
  await range.first().click();
  await range.first().fill('20/06/2026');
  await range.last().fill('22/06/2026');
  await range.last().press('Enter');
  await pick(page, 'event-status', 'Đã tổ chức');
  await pick(page, 'event-unit', 'Chũ', { search: 'Chu' });
  await page.getByTestId('event-place').fill('Quảng trường trung tâm phường Chũ');
  await page.getByTestId('participant-add').click();
  await pick(page, 'participant-producer', 'Hồng Xuân', { search: 'Hong Xuan' });
  await input(page, 'event-attendance').fill('500');
  await input(page, 'event-sales').fill('120000000');
  await input(page, 'event-contracts').fill('3');
  await page.getByTestId('event-follow-up').fill('Kết nối 2 siêu thị ở Hà Nội');
  await shot(page, 'event-form-1366');
  await page.getByTestId('event-save').click();
  const row = page.getByTestId('event-row').filter({ hasText: title });
  await waitOrProblem(page, row);
  assert.match(await row.innerText(), /500 người dự/);
  await shot(page, 'events-1366');
  await page.context().close();
  await phoneShot('/events', 'events', (p) => p.getByTestId('event-row').first());
});

test('documents of a support activity; craft villages; screens at both widths', async () => {
  const page = await signedInPage(browser, ACCOUNTS.province);
  await page.goto('/support');
  await page.getByTestId('support-page').waitFor();
  // A support activity for HTX Hồng Xuân, recorded the way the support screen does.
  const producers = await callApi(page, 'GET', '/api/producers?q=Hong%20Xuan');
  const description = `Thiết kế nhãn vải thiều ${stamp}`;
  const created = await callApi(page, 'POST', '/api/support-activities', {
    producerId: producers.body.items[0].id, productId: null, type: 'labels_packaging', description, amountVnd: 15_000_000, fundingSource: 'district_budget', activityDate: '2026-05-04', status: 'done',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await page.reload();
  await page.getByText(description).waitFor();
  await page.locator('tr', { hasText: description }).getByTestId('support-docs').click();
  await page.getByTestId('support-evidence').waitFor();
  await page.getByTestId('support-evidence-upload').click();
  await pick(page, 'evidence-type', 'Tài liệu khác');
  await page.locator('[data-testid="evidence-file"] input[type=file]').setInputFiles({ name: 'bien-ban-nghiem-thu.pdf', mimeType: 'application/pdf', buffer: tinyPdf('Bien ban nghiem thu') });
  await page.getByTestId('evidence-upload-ok').click();
  await waitOrProblem(page, page.getByTestId('support-evidence-item').filter({ hasText: 'bien-ban-nghiem-thu' }).first());
  // The download is the file itself.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('support-evidence-download').first().click()]);
  assert.equal(download.suggestedFilename(), 'bien-ban-nghiem-thu.pdf');
  await shot(page, 'support-evidence-1366');
  await page.goto('/craft-villages');
  await page.getByTestId('village-row').first().waitFor();
  assert.match(await page.getByTestId('villages-page').innerText(), /mỳ Chũ/);
  await shot(page, 'craft-villages-1366');
  await page.context().close();
  await phoneShot('/plans', 'plans', (p) => p.getByTestId('plan-card').first());
  await phoneShot('/craft-villages', 'craft-villages', (p) => p.getByTestId('village-row').first());
  await phoneShot('/support', 'support', (p) => p.getByTestId('support-page'));
});
