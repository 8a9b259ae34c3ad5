// Issue #12, the dossier screen: the product sample is saved and survives a reload; leaving with unsaved edits asks
// first; "còn thiếu" sits right by "Nộp hồ sơ" on a phone, with "Rút hồ sơ" kept apart; every workflow button shown
// is one the server's allowedActions offers (a commune officer never sees a button the server would refuse).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ACCOUNTS, callApi, fillDate, input, launch, shot, signedInPage } from './helpers.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const WORKFLOW = ['submit', 'return', 'accept', 'preAssess', 'assign', 'withdraw'];

let browser;
let dossierId;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A draft dossier of the demo cooperative for a product that needs a sample (the first product free of one). */
async function draftDossier(page) {
  await page.goto('/dossiers');
  const { producerId } = (await callApi(page, 'GET', '/api/auth/me')).body;
  // A draft left by an earlier run that stopped half-way is taken again.
  for (const it of (await callApi(page, 'GET', '/api/dossiers?status=draft&pageSize=50')).body.items ?? []) {
    const d = (await callApi(page, 'GET', `/api/dossiers/${it.id}`)).body;
    if (d.sampleRequired && d.allowedActions.includes('edit')) return d;
  }
  const products = await callApi(page, 'GET', `/api/products?producerId=${producerId}&pageSize=200`);
  assert.equal(products.status, 200, JSON.stringify(products.body));
  for (const p of products.body.items) {
    const r = await callApi(page, 'POST', '/api/dossiers', { productId: p.id, kind: p.stars ? 'reevaluation' : 'first' });
    if (r.status !== 201) continue;
    if (r.body.sampleRequired) return r.body;
    await callApi(page, 'POST', `/api/dossiers/${r.body.id}/withdraw`, {});
  }
  throw new Error('no product of the demo cooperative can take a new dossier');
}

/** The workflow buttons on screen (data-action) against the server's allowedActions for the same user. */
async function assertButtonsMatchServer(page, id, who) {
  await page.goto(`/dossiers/${id}`);
  await page.getByTestId('dossier-title').waitFor();
  await page.getByTestId('dossier-where').waitFor();
  const d = (await callApi(page, 'GET', `/api/dossiers/${id}`)).body;
  const shown = await page.locator('[data-action]:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
  for (const a of shown) assert.ok(d.allowedActions.includes(a), `${who} sees "${a}" on a ${d.status} dossier; the server offers ${JSON.stringify(d.allowedActions)}`);
  for (const a of d.allowedActions.filter((x) => WORKFLOW.includes(x))) assert.ok(shown.includes(a), `${who}: the server offers "${a}" on a ${d.status} dossier but no button shows it`);
  const saves = await page.locator('[data-testid="dossier-save"]:visible, [data-testid="sample-save"]:visible').count();
  assert.equal(saves > 0, d.allowedActions.includes('edit'), `${who}: save buttons must show exactly when "edit" is offered (${d.status})`);
  return d;
}

test('a producer fills the sample section, saves it, reloads and finds it; leaving with unsaved edits asks first', async () => {
  const prod = await signedInPage(browser, ACCOUNTS.producer);
  const d = await draftDossier(prod);
  dossierId = d.id;
  await prod.goto(`/dossiers/${d.id}`);
  await prod.getByTestId('dossier-sample').waitFor();

  // Values of this run (a re-evaluation starts from the previous dossier's sample, maybe an earlier run's).
  const qty = String(10 + (Date.now() % 900));
  const desc = `Hũ thuỷ tinh 300 g, nhãn đủ thông tin (${Date.now().toString(36)})`;
  await input(prod, 'sample-quantity').fill(qty);
  await prod.getByTestId('sample-unit').fill('hũ');
  await fillDate(prod, 'sample-delivered-on', '12/06/2026');
  await prod.getByTestId('sample-description').fill(desc);
  await prod.getByTestId('dossier-unsaved').first().waitFor();

  // Leaving inside the app asks; "Ở lại" keeps the page and what was typed.
  await prod.getByRole('button', { name: /Quay lại/ }).click();
  await prod.getByTestId('unsaved-stay').click();
  assert.match(prod.url(), new RegExp(`/dossiers/${d.id}$`));
  assert.equal(await input(prod, 'sample-quantity').inputValue(), qty);

  // The sample section's own save.
  await prod.getByTestId('sample-save').click();
  await prod.getByText('Đã lưu').first().waitFor();
  await prod.getByTestId('dossier-unsaved').waitFor({ state: 'detached' });
  const saved = (await callApi(prod, 'GET', `/api/dossiers/${d.id}`)).body;
  assert.deepEqual(saved.sample, { quantity: Number(qty), unit: 'hũ', description: desc, deliveredOn: '2026-06-12' });

  await prod.reload();
  await prod.getByTestId('dossier-sample').waitFor();
  await prod.waitForFunction(() => document.querySelector('[data-testid="sample-description"]')?.value?.startsWith('Hũ thuỷ tinh'));
  assert.equal(await input(prod, 'sample-quantity').inputValue(), qty);
  assert.equal(await input(prod, 'sample-delivered-on').inputValue(), '12/06/2026');

  // A reload with unsaved edits: the browser's own prompt; going on discards them.
  await input(prod, 'sample-quantity').fill('9');
  await prod.getByTestId('dossier-unsaved').first().waitFor();
  const dialogs = [];
  prod.once('dialog', (dlg) => {
    dialogs.push(dlg.type());
    dlg.accept();
  });
  await prod.reload();
  assert.deepEqual(dialogs, ['beforeunload']);
  await prod.waitForFunction(() => document.querySelector('[data-testid="sample-description"]')?.value?.startsWith('Hũ thuỷ tinh'));
  assert.equal(await input(prod, 'sample-quantity').inputValue(), qty);

  // Nothing typed: leaving does not ask.
  await prod.getByRole('button', { name: /Quay lại/ }).click();
  await prod.waitForURL(/\/dossiers$/);
  await prod.context().close();
});

test('on a phone, what is missing sits by "Nộp hồ sơ"; "Rút hồ sơ" is apart and asks first', async () => {
  const prod = await signedInPage(browser, ACCOUNTS.producer, PHONE);
  await prod.goto(`/dossiers/${dossierId}`);
  const submit = prod.getByTestId('dossier-submit');
  const missing = prod.getByTestId('dossier-before-submit');
  await submit.waitFor();
  await missing.waitFor();
  const [s, m] = [await submit.boundingBox(), await missing.boundingBox()];
  assert.ok(s.y - (m.y + m.height) < 40 && s.y > m.y, `the missing list ends ${s.y - (m.y + m.height)} px above the button`);
  assert.ok(s.y + s.height < 844 * 1.5, 'the submit button is near the top of the page');
  const width = await prod.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width} px wide`);
  await shot(prod, 'dossier-screen-producer-390');
  const w = await prod.getByTestId('dossier-withdraw').boundingBox();
  assert.ok(w.y > s.y + s.height + 400, 'withdraw is well apart from submit');
  await prod.getByTestId('dossier-withdraw').click();
  await prod.getByTestId('withdraw-ok').waitFor();
  await prod.getByRole('button', { name: 'Huỷ' }).or(prod.getByRole('button', { name: 'Hủy' })).first().click();
  assert.equal((await callApi(prod, 'GET', `/api/dossiers/${dossierId}`)).body.status, 'draft');
  await prod.context().close();
});

test('every workflow button shown is one the server offers: producer and commune officer', async () => {
  const prod = await signedInPage(browser, ACCOUNTS.producer);
  await assertButtonsMatchServer(prod, dossierId, 'producer');
  await shot(prod, 'dossier-screen-producer-1366');
  await prod.context().close();

  for (const [opts, width] of [[{}, 1366], [PHONE, 390]]) {
    const xa = await signedInPage(browser, ACCOUNTS.commune, opts);
    await xa.goto('/dossiers');
    const list = await callApi(xa, 'GET', '/api/dossiers?pageSize=50');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    // One dossier per status the officer can see, ours included.
    const byStatus = new Map();
    for (const it of list.body.items) if (!byStatus.has(it.status)) byStatus.set(it.status, it.id);
    if (!list.body.items.some((x) => x.id === dossierId)) byStatus.set('ours', dossierId);
    for (const id of byStatus.values()) await assertButtonsMatchServer(xa, id, `commune officer @${width}`);
    // The screenshot shows what the officer acts on: a submitted dossier when there is one.
    await xa.goto(`/dossiers/${byStatus.get('submitted') ?? [...byStatus.values()][0]}`);
    await xa.getByTestId('dossier-where').waitFor();
    await shot(xa, `dossier-screen-commune-${width}`);
    await xa.context().close();
  }
});

test('clean up: the producer withdraws the test dossier (after confirming)', async () => {
  const prod = await signedInPage(browser, ACCOUNTS.producer);
  await prod.goto(`/dossiers/${dossierId}`);
  await prod.getByTestId('dossier-withdraw').click();
  await prod.getByTestId('withdraw-ok').click();
  await prod.locator('[data-testid="dossier-status"][data-status="withdrawn"]').first().waitFor();
  await prod.context().close();
});
