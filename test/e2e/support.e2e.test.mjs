// Journey (#11 item 5): a provincial officer records packaging support for HTX Hồng Xuân's lychee; the cooperative
// sees it among its own support; a viewer reads it but has no button to record one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ACCOUNTS, input, launch, pick, shot, signedInPage, waitOrProblem } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('officer records support; the producer sees it; a viewer only reads', async () => {
  const description = `Thiết kế bao bì vải thiều ${Date.now()}`;
  const page = await signedInPage(browser, ACCOUNTS.province);
  await page.goto('/support');
  await page.getByTestId('support-page').waitFor();
  await page.getByTestId('support-create').click();
  await pick(page, 'support-producer', 'Hồng Xuân', { search: 'Hong Xuan' });
  await pick(page, 'support-product', 'Vải thiều Lục Ngạn');
  await pick(page, 'support-type', 'Tem nhãn, bao bì');
  await page.getByTestId('support-description').fill(description);
  await input(page, 'support-amount').fill('15000000');
  await pick(page, 'support-status', 'Đã hoàn thành');
  await page.getByTestId('support-save').click();
  await waitOrProblem(page, page.getByRole('cell', { name: description }));
  await shot(page, 'support-officer');
  await page.context().close();

  const producer = await signedInPage(browser, ACCOUNTS.producer);
  await producer.goto('/support');
  await producer.getByRole('cell', { name: description }).waitFor();
  assert.equal(await producer.getByTestId('support-create').count(), 0);
  await producer.context().close();

  const viewer = await signedInPage(browser, ACCOUNTS.viewer);
  await viewer.goto('/support');
  await viewer.getByRole('cell', { name: description }).waitFor();
  assert.equal(await viewer.getByTestId('support-create').count(), 0);
  await viewer.context().close();
});
