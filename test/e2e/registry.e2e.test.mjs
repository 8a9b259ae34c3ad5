// Journey: an administrator registers a producer and its product, finds it by an unaccented search,
// and exports the filtered list to Excel.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { ACCOUNTS, input, launch, login, newPage, pick, RESULTS_DIR, shot, signedInPage, uniqueTaxCode } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('admin registers a producer and a product, finds it unaccented and exports it', async () => {
  const page = await newPage(browser);
  const n = String(Date.now()).slice(-6);
  const producerName = `HTX Đồi Thông ${n}`;
  const productName = `Mứt gừng Đồi Thông ${n}`;
  const taxCode = uniqueTaxCode();

  await login(page, ACCOUNTS.admin);
  await page.getByTestId('nav-products').waitFor();

  // Producer
  await page.getByTestId('nav-producers').click();
  await page.getByTestId('producer-create').click();
  await pick(page, 'producer-kind', 'Hợp tác xã');
  await page.getByTestId('producer-legal-name').fill(producerName);
  await page.getByTestId('producer-registration-number').fill(taxCode);
  await pick(page, 'producer-unit', 'Chũ', { search: 'Chu' });
  await page.getByTestId('producer-save').click();
  await page.waitForURL(/\/producers\/[0-9a-f-]{36}$/);
  await assert.doesNotReject(page.getByTestId('producer-title').filter({ hasText: producerName }).waitFor());
  const producerId = page.url().split('/').pop();

  // Product, started from the producer page so the producer is preselected
  await page.getByTestId('producer-add-product').click();
  await page.waitForURL(/\/products\/new\?producerId=/);
  await page.getByTestId('product-name').fill(productName);
  await pick(page, 'product-taxonomy', 'Chế biến từ rau, củ, quả, hạt', { search: 'rau, củ, quả, hạt' });
  await pick(page, 'product-unit', 'Chũ', { search: 'Chu' });
  await pick(page, 'product-processing-level', 'Chế biến sâu');
  // Stars are not set here: they come from certificates (issue #4).
  await page.getByTestId('product-save').click();
  await page.waitForURL(/\/products\/[0-9a-f-]{36}$/);
  await page.getByTestId('product-title').filter({ hasText: productName }).waitFor();
  await shot(page, 'product-detail');

  // Unaccented search finds it
  await page.goto('/products');
  await input(page, 'product-search').fill(`mut gung doi thong ${n}`);
  await input(page, 'product-search').press('Enter');
  await page.waitForURL(/q=mut/);
  const row = page.getByTestId('product-row-link').filter({ hasText: productName });
  await row.waitFor();
  // The previous page stays on screen while the search runs: wait until only the match is left.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="product-row-link"]').length === 1);
  await shot(page, 'products-list');

  // Export the filtered list and read the workbook back
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-excel').click()]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  const file = path.join(RESULTS_DIR, `export-${n}.xlsx`);
  await download.saveAs(file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const cells = [];
  wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => cells.push(String(c.text ?? c.value ?? '')))));
  assert.ok(cells.some((c) => c.includes(productName)), 'the product is in the exported workbook');
  assert.ok(cells.some((c) => c.includes(producerName)), 'its producer is in the exported workbook');

  // Photo upload (multipart with the CSRF header), then an edit whose before → after shows in the history
  await row.click();
  await page.getByTestId('product-title').waitFor();
  await page.getByRole('tab', { name: /^Ảnh/ }).click();
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c0392b' } }).png().toBuffer();
  await page.locator('.ant-upload input[type=file]').setInputFiles({ name: 'mut-gung.png', mimeType: 'image/png', buffer: png });
  await page.getByTestId('photo').first().waitFor();

  await page.getByTestId('product-edit').click();
  await input(page, 'product-name').waitFor();
  await page.locator('#brand, [id$="_brand"]').first().fill('Đồi Thông Xanh');
  await page.getByTestId('product-save').click();
  await page.waitForURL(/\/products\/[0-9a-f-]{36}$/);
  await page.getByRole('tab', { name: 'Lịch sử thay đổi' }).click();
  await page.getByTestId('history-table').getByText('Đồi Thông Xanh').first().waitFor();
  await shot(page, 'product-history');

  // Phone width: compact list instead of the table
  const phone = await newPage(browser, { storageState: await page.context().storageState(), viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.goto(`/products?q=${encodeURIComponent(`mut gung doi thong ${n}`)}`);
  await phone.getByTestId('product-list-compact').getByText(productName).waitFor();
  assert.equal(await phone.getByTestId('product-table').count(), 0, 'no wide table on phones');
  await shot(phone, 'products-list-phone');
  await phone.getByTestId('menu-toggle').click();
  await phone.getByTestId('nav-producers').waitFor();

  assert.deepEqual(page.jsErrors.map(String), []);
  assert.deepEqual(phone.jsErrors.map(String), []);
  await page.context().close();
  await phone.context().close();
  assert.ok(producerId);
});

test('Excel import: per-cell errors for a bad file, counts for a good one', async () => {
  const page = await signedInPage(browser, ACCOUNTS.admin);
  await page.goto('/import');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template').click()]);
  const template = path.join(RESULTS_DIR, 'template.xlsx');
  await download.saveAs(template);

  // A product row with an unknown producer, taxonomy code and unit: nothing is written, each cell is reported.
  const bad = new ExcelJS.Workbook();
  await bad.xlsx.readFile(template);
  bad.getWorksheet('Sản phẩm').getRow(2).values = ['0000000000', 'Sản phẩm lỗi', 'ZZZ', 'abc', 'Nơi không có'];
  const badFile = path.join(RESULTS_DIR, 'import-bad.xlsx');
  await bad.xlsx.writeFile(badFile);
  await page.locator('.ant-upload input[type=file]').setInputFiles(badFile);
  const errors = page.getByTestId('import-errors');
  await errors.waitFor();
  assert.ok((await errors.locator('tbody tr.ant-table-row').count()) >= 2);
  assert.match(await errors.innerText(), /Sản phẩm/);
  await shot(page, 'import-errors');

  // A valid producer and its product.
  const n = String(Date.now()).slice(-6);
  const good = new ExcelJS.Workbook();
  await good.xlsx.readFile(template);
  const tax = uniqueTaxCode(Date.now() * 3);
  good.getWorksheet('Chủ thể').getRow(2).values = [tax, `Tổ hợp tác Nhập Excel ${n}`, null, 'Tổ hợp tác', 'Chũ'];
  good.getWorksheet('Sản phẩm').getRow(2).values = [tax, `Vải sấy nhập ${n}`, 'I.3.c', 'Chế biến', 'Chũ'];
  const goodFile = path.join(RESULTS_DIR, 'import-good.xlsx');
  await good.xlsx.writeFile(goodFile);
  await page.locator('.ant-upload input[type=file]').setInputFiles(goodFile);
  const result = page.getByTestId('import-result');
  await result.waitFor();
  const rows = result.locator('tbody tr.ant-table-row');
  assert.match(await rows.nth(0).innerText(), /Chủ thể\s+1\s+0\s+0/);
  assert.match(await rows.nth(1).innerText(), /Sản phẩm\s+1\s+0\s+0/);
  await page.context().close();
});
