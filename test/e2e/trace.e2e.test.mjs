// Traceability (#5): a producer records a harvest and a processing step, issues 100 QR stamps, opens one stamp's
// public page (journey + OCOP star), then deactivates the range and sees the page say so.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ACCOUNTS, callApi, fillDate, input, launch, pick, shot, signedInPage, waitOrProblem } from './helpers.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const PRODUCT = 'Vải thiều Lục Ngạn'; // Hồng Xuân's product, 5★ certificate valid until 2027
// The product's GTIN (#14: the GTIN belongs to the product, under Hồng Xuân's verified demo GS1 prefix 893999001);
// a lot may repeat it or leave it empty.
const GTIN = '8939990011012';
const BAD_GTIN = '8939990011013';

/** Creates a lot from the lot form (already open) and lands on its page. */
async function createLot(page, { lotNumber, gtin, producedOn, quantity }) {
  await page.getByTestId('lot-form').waitFor();
  await page.getByTestId('lot-number').fill(lotNumber);
  if (gtin) await page.getByTestId('lot-gtin').fill(gtin);
  await fillDate(page, 'lot-produced-on', producedOn);
  await input(page, 'lot-quantity').fill(String(quantity));
  await page.getByTestId('lot-save').click();
  await waitOrProblem(page, page.locator('[data-testid="lot-title"]').filter({ hasText: lotNumber }));
  return page.url().split('/').pop();
}

/** Opens the event form of `kind` on the current lot page. */
async function openEvent(page, kind) {
  await page.getByTestId('event-record').click();
  await page.getByTestId(`event-kind-${kind}`).click();
  await page.locator(`[data-testid="event-form"][data-kind="${kind}"]`).waitFor();
}

test('producer: harvest → processing → 100 stamps → the public scan page shows the journey and the star; a deactivated range says so', async () => {
  const page = await signedInPage(browser, ACCOUNTS.producer);
  const suffix = String(Date.now()).slice(-6);
  const freshLot = `VT-${suffix}`;
  const sortedLot = `VTL-${suffix}`;

  // The product page lists its lots and starts a new one.
  await page.goto('/products');
  const products = await callApi(page, 'GET', `/api/products?q=${encodeURIComponent(PRODUCT)}`);
  const product = products.body.items.find((p) => p.name === PRODUCT);
  assert.ok(product, `${PRODUCT} is one of the demo producer's products`);
  await page.goto(`/products/${product.id}`);
  await page.getByTestId('product-lots').waitFor();
  await page.getByTestId('product-lot-create').click();
  await page.waitForURL(/\/lots\/new\?productId=/);

  // Lot 1: fresh lychee. The GTIN's check digit is checked while typing.
  await page.getByTestId('lot-gtin').fill(BAD_GTIN);
  await page.locator('.ant-form-item-explain-error').filter({ hasText: 'số kiểm tra' }).waitFor();
  await shot(page, 'trace-lot-gtin-check');
  await page.getByTestId('lot-gtin').fill('');
  const freshId = await createLot(page, { lotNumber: freshLot, gtin: GTIN, producedOn: '10/06/2026', quantity: 1200 });

  // Harvest at 07:30 Vietnam time.
  await openEvent(page, 'harvest');
  await fillDate(page, 'event-time', '10/06/2026 07:30');
  await page.getByTestId('event-note').fill('Thu hái buổi sáng, vườn đồi');
  await shot(page, 'trace-harvest-form', { fullPage: false });
  await page.getByTestId('event-save').click();
  await waitOrProblem(page, page.locator('[data-testid="journey-event"][data-kind="harvest"]'));
  assert.match(await page.getByTestId('lot-journey').innerText(), /10\/06\/2026 07:30 \(UTC\+07:00\)/);

  // Lot 2: the sorted, graded lot made from lot 1 (processing: lot 1 in, this lot out).
  await page.goto(`/lots/new?productId=${product.id}`);
  const sortedId = await createLot(page, { lotNumber: sortedLot, gtin: GTIN, producedOn: '11/06/2026', quantity: 1000 });
  await openEvent(page, 'processing');
  await fillDate(page, 'event-time', '11/06/2026 14:00');
  await pick(page, 'event-input-lot-0', freshLot, { search: freshLot });
  await input(page, 'event-input-quantity-0').fill('1000');
  await shot(page, 'trace-processing-form', { fullPage: false });
  await page.getByTestId('event-save').click();
  await waitOrProblem(page, page.locator('[data-testid="journey-event"][data-kind="processing"]'));
  // The journey goes upstream: the harvest of the input lot shows on the output lot's page.
  await page.locator('[data-testid="journey-event"][data-kind="harvest"]').waitFor();
  const processing = page.locator('[data-testid="journey-event"][data-kind="processing"]');
  assert.match(await processing.innerText(), new RegExp(freshLot));
  // CBV terms are shown in officials' words, never raw ("commissioning" → "Tạo lô").
  const journeyText = await page.getByTestId('lot-journey').innerText();
  assert.doesNotMatch(journeyText, /commissioning/);
  assert.match(journeyText, /Tạo lô/);
  assert.ok(freshId !== sortedId);

  // 100 stamps for the output lot.
  await page.getByTestId('stamp-issue').click();
  await input(page, 'stamp-count').fill('100');
  await page.getByTestId('stamp-issue-ok').click();
  await waitOrProblem(page, page.getByTestId('stamp-range'));
  const row = page.getByTestId('stamp-range').first();
  // Serials are unique per GTIN across lots: the range continues after the product's earlier lots' stamps.
  const [, first, last] = /(\d+)\s*–\s*(\d+)/.exec(await row.innerText()) ?? [];
  assert.equal(Number(last) - Number(first), 99);
  await page.getByTestId('stamp-sample-link').waitFor();
  await shot(page, 'trace-lot-page');

  // The first stamp's URI, opened from the UI link in the same browser.
  const [scan] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('stamp-sample-link').click()]);
  await scan.waitForLoadState();
  const uri = new URL(scan.url());
  assert.match(uri.pathname, new RegExp(`^/01/0${GTIN}/10/${sortedLot}/21/${first}$`));
  const text = await scan.locator('body').innerText();
  assert.match(text, /Tem hợp lệ/);
  assert.match(text, new RegExp(PRODUCT));
  assert.match(text, /5 sao/);
  assert.match(text, /★★★★★/);
  assert.match(text, /Thu hoạch/);
  assert.match(text, /Chế biến/);
  assert.match(text, /còn hiệu lực/);
  await shot(scan, 'trace-scan-page');
  await scan.close();

  // Deactivate the range (a reason is required) and scan again: the page says so.
  await page.getByTestId('stamp-deactivate').click();
  await page.getByTestId('stamp-status-ok').click();
  await page.locator('.ant-modal .ant-form-item-explain-error').waitFor();
  await page.getByTestId('stamp-reason').fill('Tem in lỗi, đã huỷ cả cuộn');
  await page.locator('.ant-modal .ant-form-item-explain-error').waitFor({ state: 'detached' });
  await page.getByTestId('stamp-status-ok').click();
  await waitOrProblem(page, page.locator('[data-testid="stamp-range"][data-status="inactive"]'));
  const again = await page.context().newPage();
  await again.goto(uri.pathname);
  const text2 = await again.locator('body').innerText();
  assert.match(text2, /TEM ĐÃ BỊ VÔ HIỆU HOÁ/);
  assert.match(text2, /Tem in lỗi/);
  await shot(again, 'trace-scan-deactivated');
  await again.close();
  assert.deepEqual(page.jsErrors, []);
});

test('places: an officer registers a growing area with a pasted polygon; a viewer reads lots but cannot record', async () => {
  const page = await signedInPage(browser, ACCOUNTS.province);
  const code = `VN-BG-E2E-${String(Date.now()).slice(-5)}`;
  await page.goto('/trace/growing-areas');
  await page.getByTestId('place-create').click();
  await page.getByTestId('place-code').fill(code);
  await page.getByTestId('place-crop').fill('Vải thiều');
  await input(page, 'place-area').fill('12,5');
  await pick(page, 'place-owner', 'Hồng Xuân', { search: 'Hồng Xuân' });
  await pick(page, 'place-unit', 'Chũ', { search: 'Chũ' });
  await pick(page, 'place-markets', 'Nhật Bản');
  await page.keyboard.press('Escape');
  await page.getByText('Vùng (GeoJSON)').click();
  await page.getByTestId('place-polygon').fill('{"type":"Polygon","coordinates":[[[106.650,21.380],[106.656,21.381],[106.657,21.386],[106.651,21.387],[106.650,21.380]]]}');
  await page.locator('.ant-modal [data-testid="geo-sketch"][data-kind="polygon"]').waitFor();
  await shot(page, 'trace-growing-area-form', { fullPage: false });
  await page.getByTestId('place-save').click();
  await waitOrProblem(page, page.locator(`[data-testid="place-row"][data-code="${code}"]`));
  await shot(page, 'trace-growing-areas');

  const viewer = await signedInPage(browser, ACCOUNTS.viewer);
  await viewer.goto('/lots');
  await viewer.getByTestId('lot-table').waitFor();
  assert.equal(await viewer.getByTestId('lot-create').count(), 0);
  await viewer.getByTestId('lot-row').first().locator('a').first().click();
  await viewer.getByTestId('lot-journey').waitFor();
  assert.equal(await viewer.getByTestId('event-record').count(), 0);
  assert.equal(await viewer.getByTestId('stamp-issue').count(), 0);
});

test('partners: a producer adds a supermarket on a phone, ships a lot to it from its packing house; the journey names it', async () => {
  const n = String(Date.now()).slice(-6);
  const partner = `Siêu thị Xanh ${n}`;
  const phone = await signedInPage(browser, ACCOUNTS.producer, { ...PHONE });
  await phone.goto('/trace/parties');
  await phone.getByTestId('party-create').click();
  await phone.getByTestId('party-name').fill(partner);
  await pick(phone, 'party-kind', 'Cửa hàng, siêu thị');
  await phone.getByTestId('party-address').fill('12 Trần Phú, Hà Đông, Hà Nội');
  await shot(phone, 'trace-partner-form-390', { fullPage: false });
  await phone.getByTestId('party-save').click();
  await waitOrProblem(phone, phone.locator('[data-testid="party-row"]').filter({ hasText: partner }));
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `horizontal overflow ${overflow}px`);
  await shot(phone, 'trace-partners-390');
  // A GLN with a wrong check digit is refused with the reason, under the field.
  await phone.getByTestId('party-create').click();
  await phone.getByTestId('party-name').fill(`Công ty ${n}`);
  await phone.getByTestId('party-gln').fill('8934567000018');
  await phone.getByTestId('party-save').click();
  await phone.locator('.ant-modal .ant-form-item-explain-error').filter({ hasText: /kiểm tra|GLN/ }).waitFor();
  await phone.context().close();

  // On the desktop: a lot of the demo product, shipped to the supermarket from the producer's packing house.
  const page = await signedInPage(browser, ACCOUNTS.producer);
  await page.goto('/lots');
  const product = (await callApi(page, 'GET', `/api/products?q=${encodeURIComponent(PRODUCT)}`)).body.items.find((p) => p.name === PRODUCT);
  const lot = await callApi(page, 'POST', '/api/lots', {
    productId: product.id, lotNumber: `VTS-${n}`, gtin: GTIN, producedOn: '2026-06-12', quantity: 300, quantityUnit: 'KGM',
    bestBefore: null, growingAreaIds: [], packingHouseId: null, notes: null,
  });
  assert.equal(lot.status, 201, JSON.stringify(lot.body));
  const houses = (await callApi(page, 'GET', '/api/packing-houses?pageSize=5')).body.items;
  await page.goto(`/lots/${lot.body.id}`);
  await openEvent(page, 'shipping');
  await fillDate(page, 'event-time', '13/06/2026 06:00');
  await pick(page, 'event-to-party', partner, { search: n });
  if (houses.length) await pick(page, 'event-place-house', houses[0].code, { search: houses[0].code });
  await shot(page, 'trace-shipping-to-partner-form', { fullPage: false });
  await page.getByTestId('event-save').click();
  const shipped = page.locator('[data-testid="journey-event"][data-kind="shipping"]');
  await waitOrProblem(page, shipped);
  assert.match(await shipped.innerText(), new RegExp(`Bên nhận: .*${partner}`));
  if (houses.length) assert.match(await shipped.innerText(), new RegExp(houses[0].code));
  await shot(page, 'trace-shipped-to-partner');

  // The quantity was wrong: the right shipment is recorded, then the first one declared wrong, replaced by it.
  await openEvent(page, 'shipping');
  await fillDate(page, 'event-time', '13/06/2026 06:00');
  await input(page, 'event-quantity').fill('250');
  await pick(page, 'event-to-party', partner, { search: n });
  await page.getByTestId('event-save').click();
  await waitOrProblem(page, page.locator('[data-testid="journey-event"][data-kind="shipping"]').nth(1));
  await shipped.first().getByTestId('event-declare-wrong').click();
  await pick(page, 'declare-corrective', '(250 kg)');
  await shot(page, 'trace-declare-wrong-form', { fullPage: false });
  await page.getByTestId('declare-ok').click();
  const corrected = page.locator('[data-testid="journey-event"][data-corrected="true"]');
  await waitOrProblem(page, corrected);
  assert.match(await corrected.getByTestId('event-correction').innerText(), /Số liệu khai sai.*Xuất hàng · 13\/06\/2026 06:00/s);
  await page.locator('[data-testid="event-corrects"]').waitFor();
  await shot(page, 'trace-declared-wrong');
  assert.deepEqual(page.jsErrors.map(String), []);
  await page.context().close();
});
