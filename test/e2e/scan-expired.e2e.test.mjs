// The truthful scan page (#14): a shopper scans, on a phone, the stamp of a lot past its best-before date and sees
// the warning first — above the stamp's own banner and the product card, with no green "Tem hợp lệ" anywhere.
// The demo's lot VT<yy>-0614-B (fresh lychee, best before 28/06 of the demo season) is past its date once the season
// is over; if the demo's lot is still good (a run in the season itself), the test makes an expired lot through the
// API as the producer and issues stamps for it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ACCOUNTS, BASE_URL, callApi, launch, newPage, shot, signedInPage } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Vietnam's today as YYYY-MM-DD. */
const todayVn = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

test('a shopper scans an expired lot’s stamp on a phone: the warning comes first, nothing green', async () => {
  const producer = await signedInPage(browser, ACCOUNTS.producer);
  await producer.goto('/lots');
  const lots = await callApi(producer, 'GET', '/api/lots?q=0614-B');
  assert.equal(lots.status, 200, JSON.stringify(lots.body));
  let lot = lots.body.items.find((l) => /^VT\d\d-0614-B$/.test(l.lotNumber) && l.bestBefore && l.bestBefore < todayVn());
  if (!lot) {
    // Not expired yet (or not there): an expired lot of the same product, through the API.
    const base = lots.body.items[0];
    const created = await callApi(producer, 'POST', '/api/lots', {
      productId: base.productId, lotNumber: `HH-${String(Date.now()).slice(-6)}`, gtin: null, producedOn: '2025-01-10', quantity: 100,
      quantityUnit: 'KGM', bestBefore: '2025-02-10', growingAreaIds: [], packingHouseId: null, notes: null,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const issued = await callApi(producer, 'POST', `/api/lots/${created.body.id}/stamp-ranges`, { count: 5 });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    lot = created.body;
  }
  const ranges = await callApi(producer, 'GET', `/api/lots/${lot.id}/stamp-ranges`);
  assert.equal(ranges.status, 200, JSON.stringify(ranges.body));
  const uri = new URL(ranges.body[0].sampleUri);
  await producer.context().close();

  // The shopper: a phone, no account.
  const phone = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const res = await phone.goto(`${BASE_URL}${uri.pathname}`);
  assert.equal(res.status(), 200);
  const warning = phone.locator('.s.bad[role="alert"]').first();
  await warning.waitFor();
  assert.match(await warning.innerText(), /SẢN PHẨM ĐÃ HẾT HẠN SỬ DỤNG/);
  // First on the page, and in the first screen of the phone.
  const banners = await phone.locator('main > .s').allInnerTexts();
  assert.match(banners[0], /HẾT HẠN SỬ DỤNG/);
  const box = await warning.boundingBox();
  assert.ok(box && box.y + box.height <= 844, `the warning is in the first screen (${JSON.stringify(box)})`);
  const cardBox = await phone.locator('.card').first().boundingBox();
  assert.ok(cardBox.y > box.y, 'the product card comes after the warning');
  // Nothing green: no "Tem hợp lệ", no ok banner; the stamp is only said to be genuine.
  const body = await phone.locator('body').innerText();
  assert.doesNotMatch(body, /Tem hợp lệ/);
  assert.equal(await phone.locator('.s.ok').count(), 0);
  assert.match(body, /Tem do OCOP Hub phát hành/);
  // The page's other truths: the product photo, the scan count, Vietnamese steps only.
  assert.equal(await phone.locator('.card img').count(), 1);
  assert.match(body, /(lần đầu tiên tem này được quét|đã được quét \d+ lần)/);
  assert.doesNotMatch(body, /commissioning|inspecting|receiving|conformant/);
  await shot(phone, 'scan-expired-phone');
  await phone.context().close();
});
