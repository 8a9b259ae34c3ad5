// Journey of issue #4: a producer registers at /dang-ky, the commune officer approves, the producer fills a dossier,
// is told what is missing, attaches it, submits; the officer returns it with a reason, the producer supplements and
// resubmits; the officer writes the pre-assessment and accepts; the province assigns it to a round; the council part
// (one chair) goes through the API; the officer issues the certificate on the round page; its QR page verifies.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { ACCOUNTS, answersFor, callApi, fillDate, input, launch, login, newPage, pick, shot, signedInPage, tinyPdf, uniqueTaxCode, waitOrProblem } from './helpers.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const PASSWORD = 'mat-ong-chu-2025';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Uploads through the evidence modal that is open (type preset or chosen before). */
async function uploadInModal(page, { title, number, issuer, issuedOn, expiresOn, file }) {
  if (title !== undefined) await page.getByTestId('evidence-title').fill(title);
  if (issuer) await page.getByTestId('evidence-issuer').fill(issuer);
  if (number) await page.getByTestId('evidence-number').fill(number);
  if (issuedOn) await fillDate(page, 'evidence-issued-on', issuedOn);
  if (expiresOn) await fillDate(page, 'evidence-expires-on', expiresOn);
  await page.locator('[data-testid="evidence-file"] input[type=file]').setInputFiles(file);
  await page.getByTestId('evidence-upload-ok').click();
}

const checklistRow = (page, type) => page.locator(`[data-testid="checklist-row"][data-type="${type}"]`);

test('producer self-service dossier: register, approve, submit with a gap, return, resubmit, accept, round, certificate, QR page', async () => {
  const n = String(Date.now()).slice(-6);
  const producerName = `HTX Mật ong Chũ ${n}`;
  const productName = `Mứt vải Chũ ${n}`;
  const loginName = `matong.${n}`;
  const taxCode = uniqueTaxCode();

  // --- 1. Registration at /dang-ky, reached from the login page; a bad registration number is shown on its field
  const pubPhone = await newPage(browser, PHONE);
  await pubPhone.goto('/dang-ky');
  await pubPhone.getByTestId('register-title').waitFor();
  assert.ok((await pubPhone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 1, 'the form fits a phone');
  await shot(pubPhone, 'dossier-00-register-phone', { fullPage: false });
  await pubPhone.context().close();
  const pub = await newPage(browser);
  await pub.goto('/login');
  await pub.getByTestId('login-register-link').click();
  await pub.waitForURL(/\/dang-ky$/);
  await pub.getByTestId('register-title').waitFor();
  await pick(pub, 'register-kind', 'Hợp tác xã');
  await pub.getByTestId('register-legal-name').fill(producerName);
  await pub.getByTestId('register-registration-number').fill('0101');
  await pick(pub, 'register-unit', 'Chũ', { search: 'chu' });
  await pub.getByTestId('register-address').fill('Tổ dân phố Trần Phú, phường Chũ, Bắc Ninh');
  await pub.getByTestId('register-representative').fill('Nguyễn Thị Hoa');
  await pub.getByTestId('register-phone').fill('0912 345 678');
  await pub.getByTestId('register-email').fill(`hoa.${n}@example.vn`);
  await pub.getByTestId('register-login').fill(loginName);
  await pub.getByTestId('register-password').fill(PASSWORD);
  await pub.getByTestId('register-confirm').fill(PASSWORD);
  await pub.getByTestId('register-note').fill('Mứt vải, mật ong hoa vải');
  await pub.getByTestId('register-submit').click();
  await pub.getByTestId('register-error').waitFor();
  await pub.locator('.ant-form-item-explain-error').filter({ hasText: /Mã số thuế/ }).waitFor();
  await shot(pub, 'dossier-01-register-field-error');
  await pub.getByTestId('register-registration-number').fill(taxCode);
  await pub.getByTestId('register-submit').click();
  await pub.getByTestId('register-done').waitFor();
  assert.match(await pub.getByTestId('register-done').innerText(), /Yêu cầu đã gửi, cán bộ xã sẽ xác minh/);
  await shot(pub, 'dossier-02-register-done');
  assert.deepEqual(pub.jsErrors.map(String), []);
  await pub.context().close();

  // --- 2. The commune officer of phường Chũ approves the request
  const xa = await signedInPage(browser, ACCOUNTS.commune);
  await xa.goto('/products');
  await xa.getByTestId('nav-registrations').click();
  const reqRow = xa.locator(`[data-testid="registration-row"][data-login="${loginName}"]`);
  await reqRow.waitFor();
  await shot(xa, 'dossier-03-registrations');
  await reqRow.getByTestId('registration-approve').click();
  await xa.getByTestId('registration-approve-ok').click();
  await reqRow.waitFor({ state: 'detached' });

  // --- 3. The producer signs in, finds its locker in the menu, uploads two documents (one refused first)
  const prod = await newPage(browser);
  await login(prod, [loginName, PASSWORD]);
  await prod.getByTestId('nav-evidence').click();
  await prod.getByTestId('evidence-page-title').filter({ hasText: producerName }).waitFor();
  await prod.getByTestId('evidence-upload').click();
  await pick(prod, 'evidence-type', 'Giấy đăng ký kinh doanh');
  // A renamed executable is refused by content, and the reason is shown in Vietnamese.
  await uploadInModal(prod, {
    title: 'Giấy chứng nhận đăng ký HTX',
    file: { name: 'dang-ky.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(512, 7)]) },
  });
  await prod.getByTestId('evidence-upload-error').waitFor();
  await shot(prod, 'dossier-04-upload-refused');
  await prod.locator('[data-testid="evidence-file"] input[type=file]').setInputFiles({ name: 'dang-ky-htx.pdf', mimeType: 'application/pdf', buffer: tinyPdf('Giay chung nhan dang ky HTX') });
  await prod.getByTestId('evidence-number').fill(taxCode);
  await prod.getByTestId('evidence-issuer').fill('Phòng Tài chính – Kế hoạch');
  await fillDate(prod, 'evidence-issued-on', '15/03/2021');
  await prod.getByTestId('evidence-upload-ok').click();
  await prod.getByTestId('evidence-row-title').filter({ hasText: 'Giấy chứng nhận đăng ký HTX' }).waitFor();
  await prod.getByTestId('evidence-upload').click();
  await pick(prod, 'evidence-type', 'Câu chuyện sản phẩm');
  await uploadInModal(prod, { title: 'Câu chuyện mứt vải Chũ', file: { name: 'cau-chuyen.pdf', mimeType: 'application/pdf', buffer: tinyPdf('Cau chuyen san pham') } });
  await prod.getByTestId('evidence-row-title').filter({ hasText: 'Câu chuyện mứt vải Chũ' }).waitFor();
  await shot(prod, 'dossier-05-locker');

  // --- 4. A product (under phường Chũ, subgroup I.3.c which has a criteria sheet) and its self-assessment
  await prod.goto('/products/new');
  await prod.getByTestId('product-name').fill(productName);
  await pick(prod, 'product-taxonomy', 'Chế biến từ rau, củ, quả, hạt', { search: 'rau, củ, quả, hạt' });
  await pick(prod, 'product-unit', 'Chũ', { search: 'Chu' });
  await pick(prod, 'product-processing-level', 'Chế biến');
  await prod.getByTestId('product-save').click();
  await prod.waitForURL(/\/products\/[0-9a-f-]{36}$/);
  const productId = prod.url().split('/').pop();
  const self = await callApi(prod, 'GET', `/api/products/${productId}/self-assessment`);
  assert.equal(self.status, 200, JSON.stringify(self.body));
  const saved = await callApi(prod, 'PUT', `/api/products/${productId}/self-assessment`, { answers: answersFor(self.body.sheet.doc, 80).answers, notes: {} });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));

  // --- 5. "Tạo hồ sơ" from the product page; form, sample, documents from the locker and a new upload
  await prod.reload();
  await prod.getByTestId('product-dossiers').waitFor();
  await prod.getByTestId('product-dossier-create').click();
  await prod.getByTestId('dossier-create-ok').click();
  await prod.waitForURL(/\/dossiers\/[0-9a-f-]{36}$/);
  const dossierUrl = new URL(prod.url()).pathname;
  await prod.locator('[data-testid="dossier-status"][data-status="draft"]').first().waitFor();
  assert.match(await prod.getByTestId('dossier-intake').innerText(), /Chũ/);
  await prod.getByTestId('form-production-capacity').fill('3 tấn/tháng');
  await prod.getByTestId('form-annual-output').fill('30 tấn (2025)');
  await input(prod, 'form-market').fill('Bắc Ninh, Hà Nội, điểm bán OCOP');
  await prod.getByTestId('form-raw-material').fill('Vải thiều Lục Ngạn của 25 hộ thành viên');
  await input(prod, 'form-workers').fill('18');
  await input(prod, 'form-local-workers').fill('16');
  await prod.getByTestId('form-contact-person').fill('Nguyễn Thị Hoa');
  await prod.getByTestId('form-contact-phone').fill('0912345678');
  await prod.getByTestId('form-product-description').fill('Mứt vải sấy dẻo, không chất bảo quản, hộp 250 g.');
  await input(prod, 'sample-quantity').fill('6');
  await prod.getByTestId('sample-unit').fill('hộp');
  await fillDate(prod, 'sample-delivered-on', '10/06/2026');
  await prod.getByTestId('dossier-save').click();
  await prod.locator('.ant-message').getByText('Đã lưu', { exact: true }).first().waitFor();

  for (const type of ['business_registration', 'product_story']) {
    await checklistRow(prod, type).getByTestId('checklist-attach').click();
    await prod.getByTestId('attach-item').first().waitFor();
    await prod.getByTestId('attach-pick').first().click();
    await checklistRow(prod, type).locator('[data-testid="checklist-status"][data-status="ok"]').waitFor();
  }
  for (const [type, title] of [
    ['quality_declaration', 'Bản tự công bố sản phẩm mứt vải'],
    ['photo', 'Ảnh hộp mứt vải 250 g'],
  ]) {
    await checklistRow(prod, type).getByTestId('checklist-upload').click();
    const file =
      type === 'photo'
        ? { name: 'hop-mut-vai.png', mimeType: 'image/png', buffer: await sharp({ create: { width: 120, height: 90, channels: 3, background: '#b5342c' } }).png().toBuffer() }
        : { name: 'tu-cong-bo.pdf', mimeType: 'application/pdf', buffer: tinyPdf('Ban tu cong bo san pham') };
    await uploadInModal(prod, { title, file });
    await checklistRow(prod, type).locator('[data-testid="checklist-status"][data-status="ok"]').waitFor();
  }

  // Submit with the food-safety test report missing: refused, with the list of what is missing.
  await prod.getByTestId('dossier-submit').click();
  const missing = prod.getByTestId('submit-missing');
  await missing.waitFor();
  const missingText = await missing.innerText();
  assert.match(missingText, /Phiếu kiểm nghiệm an toàn thực phẩm/);
  assert.equal(await prod.getByTestId('submit-missing-item').count(), 1, missingText);
  await shot(prod, 'dossier-06-submit-missing');

  await checklistRow(prod, 'food_safety_test').getByTestId('checklist-upload').click();
  await uploadInModal(prod, {
    title: 'Phiếu kết quả thử nghiệm số KN-0421',
    number: 'KN-0421',
    issuer: 'Trung tâm Kiểm nghiệm Bắc Ninh',
    issuedOn: '02/05/2026',
    expiresOn: '02/05/2027',
    file: { name: 'kiem-nghiem.pdf', mimeType: 'application/pdf', buffer: tinyPdf('Phieu ket qua thu nghiem') },
  });
  await checklistRow(prod, 'food_safety_test').locator('[data-testid="checklist-status"][data-status="ok"]').waitFor();
  // Each document went into the locker with the type of the checklist row it was uploaded from.
  const producerId = (await callApi(prod, 'GET', '/api/auth/me')).body.producerId;
  const locker = await callApi(prod, 'GET', `/api/producers/${producerId}/evidence`);
  assert.deepEqual(
    Object.fromEntries(locker.body.map((e) => [e.title, e.type])),
    {
      'Giấy chứng nhận đăng ký HTX': 'business_registration',
      'Câu chuyện mứt vải Chũ': 'product_story',
      'Bản tự công bố sản phẩm mứt vải': 'quality_declaration',
      'Ảnh hộp mứt vải 250 g': 'photo',
      'Phiếu kết quả thử nghiệm số KN-0421': 'food_safety_test',
    },
  );
  assert.equal(locker.body.find((e) => e.title === 'Câu chuyện mứt vải Chũ').number, null, 'no metadata carried over from the previous upload');
  await prod.getByTestId('dossier-submit').click();
  await prod.locator('[data-testid="dossier-status"][data-status="submitted"]').first().waitFor();
  assert.equal(await prod.getByTestId('submit-missing').count(), 0);
  await shot(prod, 'dossier-07-submitted');

  // --- 6. The commune officer returns it with a reason
  await xa.goto('/dossiers');
  await xa.getByTestId('dossier-row-link').filter({ hasText: productName }).click();
  await xa.locator('[data-testid="dossier-status"][data-status="submitted"]').first().waitFor();
  await xa.getByTestId('dossier-return').click();
  await xa.getByTestId('return-reason-0').fill('Bổ sung kế hoạch phát triển sản phẩm trong phiếu đăng ký');
  await xa.getByTestId('return-add-reason').click();
  await xa.getByTestId('return-reason-1').fill('Ảnh sản phẩm cần thấy rõ nhãn hàng hoá');
  await xa.getByTestId('return-comment').fill('Nộp lại trước ngày 30/6.');
  await xa.getByTestId('return-ok').click();
  await xa.locator('[data-testid="dossier-status"][data-status="returned"]').first().waitFor();

  // --- 7. The producer sees what is asked (and a notification), supplements and resubmits
  await prod.goto('/products');
  await prod.getByTestId('notifications-bell').click();
  await prod.getByTestId('notification-item').filter({ hasText: 'cần bổ sung' }).first().click();
  await prod.waitForURL((u) => u.pathname === dossierUrl);
  const asked = prod.getByTestId('dossier-asked');
  await asked.waitFor();
  assert.match(await asked.innerText(), /Bổ sung kế hoạch phát triển sản phẩm/);
  assert.match(await asked.innerText(), /nhãn hàng hoá/);
  await shot(prod, 'dossier-08-returned');
  // The same on a phone: nothing wider than the screen, the request on top.
  const prodPhone = await newPage(browser, { ...PHONE, storageState: await prod.context().storageState() });
  await prodPhone.goto(dossierUrl);
  await prodPhone.getByTestId('dossier-asked').waitFor();
  const overflow = await prodPhone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `horizontal overflow ${overflow}px`);
  await shot(prodPhone, 'dossier-08-returned-phone', { fullPage: false });
  await prodPhone.context().close();
  await prod.getByTestId('form-development-plan').fill('Năm 2026 mở rộng vùng nguyên liệu lên 20 ha, thêm dòng mứt vải ít đường.');
  await checklistRow(prod, 'photo').getByTestId('checklist-upload').click();
  await uploadInModal(prod, {
    title: 'Ảnh nhãn hàng hoá mứt vải',
    file: { name: 'nhan.png', mimeType: 'image/png', buffer: await sharp({ create: { width: 160, height: 120, channels: 3, background: '#e0b43a' } }).png().toBuffer() },
  });
  await prod.getByTestId('linked-row').filter({ hasText: 'Ảnh nhãn hàng hoá mứt vải' }).waitFor();
  await prod.getByTestId('dossier-submit').click(); // saves the form first
  await prod.locator('[data-testid="dossier-status"][data-status="submitted"]').first().waitFor();
  assert.deepEqual(prod.jsErrors.map(String), []);

  // --- 8. The commune officer writes the pre-assessment report and accepts
  await xa.reload();
  await xa.locator('[data-testid="dossier-status"][data-status="submitted"]').first().waitFor();
  await xa.getByTestId('dossier-pre-assess').click();
  for (const k of ['local_material', 'local_labour', 'idea_origin', 'local_identity']) await xa.getByTestId(`pre-${k}-met`).click();
  await xa.getByTestId('pre-local_material-note').fill('Vải thiều Lục Ngạn, 100% trong tỉnh');
  await xa.getByTestId('pre-format-checked').check();
  await xa.getByTestId('pre-conclusion').fill('Hồ sơ hợp lệ, đạt 4/4 nội dung; đề nghị tiếp nhận và chuyển cấp tỉnh.');
  await xa.getByTestId('pre-ok').click();
  await xa.getByTestId('dossier-pre').getByText('Hồ sơ hợp lệ, đạt 4/4 nội dung').waitFor();
  await xa.getByTestId('dossier-accept').click();
  await xa.getByTestId('accept-ok').click();
  await xa.locator('[data-testid="dossier-status"][data-status="accepted"]').first().waitFor();
  await shot(xa, 'dossier-09-accepted');
  assert.deepEqual(xa.jsErrors.map(String), []);
  await xa.context().close();

  // --- 9. The province: a round (API), the dossier assigned through its page
  const tinh = await signedInPage(browser, ACCOUNTS.province);
  await tinh.goto('/products');
  const me = await callApi(tinh, 'GET', '/api/auth/me');
  const sets = await callApi(tinh, 'GET', '/api/criteria/sets');
  const set = sets.body.find((s) => s.code === '148-demo');
  const units = await callApi(tinh, 'GET', '/api/geo/units?level=1');
  const unit = (Array.isArray(units.body) ? units.body : units.body.items).find((u) => u.name.includes('Bắc Ninh')) ?? (Array.isArray(units.body) ? units.body : units.body.items)[0];
  const roundName = `Đợt đánh giá tỉnh Bắc Ninh e2e ${n}`;
  const created = await callApi(tinh, 'POST', '/api/rounds', {
    name: roundName, level: 'province', unitId: unit.id, procedureCode: '148+1489', criteriaSetId: set.id, spreadThreshold: 10, quorumRatio: 0.75,
    // A one-person council for the journey: the round sets its own minimum of valid sheets (the procedure's is 3).
    members: [{ userId: me.body.id, role: 'chair' }], minValidSheets: 1,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const roundId = created.body.id;
  await tinh.goto(dossierUrl);
  await Promise.all([tinh.waitForResponse((r) => new URL(r.url()).pathname === '/api/rounds'), tinh.getByTestId('dossier-assign').click()]);
  await pick(tinh, 'assign-round', roundName, { search: n });
  await tinh.getByTestId('assign-ok').click();
  await tinh.locator('[data-testid="dossier-status"][data-status="assigned"]').first().waitFor();

  // --- 10. The council (one chair) scores and finalises through the API
  for (const [method, url, body] of [
    ['POST', `/api/rounds/${roundId}/open-scoring`, {}],
    ['POST', `/api/rounds/${roundId}/products/${productId}/my-sheet/submit`, null],
    ['POST', `/api/rounds/${roundId}/open-results`, {}],
    ['POST', `/api/rounds/${roundId}/finalise`, { discussionNotes: {} }],
  ]) {
    let payload = body;
    if (payload === null) {
      const sheet = await callApi(tinh, 'GET', `/api/rounds/${roundId}/products/${productId}/my-sheet`);
      assert.equal(sheet.status, 200, JSON.stringify(sheet.body));
      payload = { answers: answersFor(sheet.body.sheet.doc, 80).answers, notes: {} };
    }
    const r = await callApi(tinh, method, url, payload);
    assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`);
  }
  const d = await callApi(tinh, 'GET', `/api${dossierUrl}`);
  assert.equal(d.body.status, 'evaluated', JSON.stringify(d.body.result));

  // --- 11. The certificate, issued on the round page
  await tinh.goto(`/rounds/${roundId}`);
  const certRow = tinh.locator('[data-testid="round-certificate-row"]').filter({ hasText: productName });
  await certRow.waitFor();
  await certRow.getByTestId('issue-decision-number').fill(`${n}/QĐ-UBND`);
  // The decision date defaults to today (it cannot precede the round's finalisation).
  // The issuing body is the procedure's (UBND tỉnh Bắc Ninh), never typed.
  await certRow.getByTestId('issue-level').waitFor();
  await certRow.getByTestId('issue-submit').click();
  await waitOrProblem(tinh, certRow.getByTestId('round-certificate-issued'));
  const certNumber = (await certRow.getByTestId('round-certificate-issued').innerText()).match(/Đã cấp: (\S+)/)[1];
  await shot(tinh, 'dossier-10-certificate-issued');
  await tinh.goto(dossierUrl);
  await tinh.locator('[data-testid="dossier-status"][data-status="recognised"]').first().waitFor();
  await shot(tinh, 'dossier-11-recognised');
  assert.deepEqual(tinh.jsErrors.map(String), []);
  await tinh.context().close();

  // --- 12. The producer sees the certificate on its product; the QR page verifies it (no login, phone)
  await prod.goto(`/products/${productId}`);
  await prod.getByTestId('product-certificate-number').filter({ hasText: certNumber }).waitFor();
  await shot(prod, 'dossier-12-product-certificate');
  await prod.context().close();
  const qr = await newPage(browser, PHONE);
  const res = await qr.goto(`/xac-thuc/${encodeURIComponent(certNumber)}`);
  assert.equal(res.status(), 200);
  const body = await qr.locator('body').innerText();
  assert.ok(body.includes(productName), 'the page names the product');
  assert.ok(body.includes(producerName), 'the page names the producer');
  assert.match(body, /Còn hiệu lực/);
  await shot(qr, 'dossier-13-verify-phone');
  await qr.context().close();
});
