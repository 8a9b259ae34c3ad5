// Journey (#10): recognition across levels. The commune pre-assesses HTX Vải Vàng's re-evaluation dossier (demo),
// a province round scores it ≥ 90 and forwards it; the province officer's form refuses a central round; a central
// (ministry) officer creates the central round through the form, takes the forwarded dossier into it from the
// dossier page, and — after the central council's result — issues the 5★ certificate in the Ministry's name on
// the round page; the public verification page shows it, on a phone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ACCOUNTS, answersFor, callApi, launch, newPage, pick, shot, signedInPage, waitOrProblem } from './helpers.mjs';

const PASSWORD = 'Hoi-dong-OCOP-2026!';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A council of three scores a product with `total` and the chair finalises (API: scoring has its own journeys). */
async function councilScores(people, roundId, productId, total) {
  const pages = [];
  for (const p of people) {
    const page = await signedInPage(browser, [p.login, PASSWORD]);
    await page.goto('/products');
    pages.push(page);
  }
  for (const page of pages) {
    const sheet = await callApi(page, 'GET', `/api/rounds/${roundId}/products/${productId}/my-sheet`);
    assert.equal(sheet.status, 200, JSON.stringify(sheet.body));
    const res = await callApi(page, 'POST', `/api/rounds/${roundId}/products/${productId}/my-sheet/submit`, { answers: answersFor(sheet.body.sheet.doc, total).answers, notes: {} });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
  for (const [url, body] of [[`/api/rounds/${roundId}/open-results`, {}], [`/api/rounds/${roundId}/finalise`, { discussionNotes: {} }]]) {
    const r = await callApi(pages[0], 'POST', url, body);
    assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`);
  }
  for (const page of pages) await page.context().close();
}

test('a product forwarded by the province is scored by the central council and recognised 5★ in the Ministry’s name', async () => {
  const n = String(Date.now()).slice(-6);

  // --- Administrator: a ministry officer and two councils
  const admin = await signedInPage(browser, ACCOUNTS.admin);
  await admin.goto('/products');
  const central = { login: `bo.${n}`, fullName: `Chuyên viên Bộ NN&MT ${n}`, role: 'central_officer' };
  const provinceCouncil = [0, 1, 2].map((i) => ({ login: `hdt${i}.${n}`, fullName: `Hội đồng tỉnh ${i + 1} · ${n}`, role: 'council_member' }));
  const centralCouncil = [0, 1, 2].map((i) => ({ login: `hdtw${i}.${n}`, fullName: `Hội đồng Trung ương ${i + 1} · ${n}`, role: 'council_member' }));
  for (const u of [central, ...provinceCouncil, ...centralCouncil]) {
    const r = await callApi(admin, 'POST', '/api/users', { ...u, password: PASSWORD });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    u.id = r.body.id;
  }
  await admin.context().close();

  // --- The province officer's form offers no central round: the level is refused with the rule
  const tinh = await signedInPage(browser, ACCOUNTS.province);
  await tinh.goto('/rounds/new');
  await tinh.getByTestId('round-level').click();
  const centralOption = tinh.locator('.ant-select-item-option').filter({ visible: true }).filter({ hasText: 'Trung ương' }).first();
  await centralOption.waitFor();
  assert.match(await centralOption.getAttribute('class'), /ant-select-item-option-disabled/);
  assert.match(await centralOption.innerText(), /Chỉ cán bộ cấp Trung ương/);
  await shot(tinh, 'recognition-01-province-cannot-create-central-round');
  await tinh.keyboard.press('Escape');
  // And the server says the same if asked directly.
  const sets = (await callApi(tinh, 'GET', '/api/criteria/sets')).body;
  const setId = sets.find((s) => s.code === '148-demo').id;
  const refused = await callApi(tinh, 'POST', '/api/rounds', {
    name: `Thử cấp Trung ương ${n}`, level: 'central', unitId: null, procedureCode: '148+1489', criteriaSetId: setId,
    members: centralCouncil.map((p, i) => ({ userId: p.id, role: i === 0 ? 'chair' : 'member' })), productIds: [],
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, 'OUTSIDE_AUTHORITY');

  // --- The commune pre-assesses and accepts HTX Vải Vàng's re-evaluation dossier (demo, waiting at phường Chũ)
  const xa = await signedInPage(browser, ACCOUNTS.commune);
  await xa.goto('/dossiers');
  const list = await callApi(xa, 'GET', '/api/dossiers?status=submitted');
  const dossier = list.body.items.find((d) => d.kind === 'reevaluation' && d.producer.legalName.includes('Vải Vàng'));
  assert.ok(dossier, 'the demo re-evaluation dossier of HTX Vải Vàng is waiting at the commune');
  const items = Object.fromEntries(['local_material', 'local_labour', 'idea_origin', 'local_identity'].map((k) => [k, { met: true, note: 'Đạt' }]));
  const pre = await callApi(xa, 'PUT', `/api/dossiers/${dossier.id}/pre-assessment`, { items, formatChecked: true, conclusion: 'Đạt 4 nội dung tiền đánh giá; đề nghị tỉnh đánh giá' });
  assert.equal(pre.status, 200, JSON.stringify(pre.body));
  const acc = await callApi(xa, 'POST', `/api/dossiers/${dossier.id}/accept`, {});
  assert.equal(acc.status, 200, JSON.stringify(acc.body));
  await xa.context().close();

  // --- The province round scores it 100: forwarded to the Ministry
  const units = (await callApi(tinh, 'GET', '/api/geo/units?level=1')).body;
  const bacNinh = (Array.isArray(units) ? units : units.items).find((u) => u.name === 'Bắc Ninh');
  const pr = await callApi(tinh, 'POST', '/api/rounds', {
    name: `Đợt tỉnh Bắc Ninh ${n}`, level: 'province', unitId: bacNinh.id, procedureCode: '148+1489', criteriaSetId: setId,
    members: provinceCouncil.map((p, i) => ({ userId: p.id, role: i === 0 ? 'chair' : 'member' })), productIds: [],
  });
  assert.equal(pr.status, 201, JSON.stringify(pr.body));
  assert.equal((await callApi(tinh, 'POST', `/api/dossiers/${dossier.id}/assign`, { roundId: pr.body.id })).status, 200);
  assert.equal((await callApi(tinh, 'POST', `/api/rounds/${pr.body.id}/open-scoring`, {})).status, 200);
  await councilScores(provinceCouncil, pr.body.id, dossier.product.id, 100);
  const forwarded = await callApi(tinh, 'GET', `/api/dossiers/${dossier.id}`);
  assert.equal(forwarded.body.status, 'forwarded', JSON.stringify(forwarded.body.result));
  assert.equal(forwarded.body.result.forwardTo, 'central');
  await tinh.context().close();

  // --- The ministry's officer: central round through the form (no unit), then the dossier from its page
  const bo = await signedInPage(browser, [central.login, PASSWORD]);
  await bo.goto('/rounds/new');
  const roundName = `Hội đồng Trung ương ${n}`;
  await bo.getByTestId('round-name').fill(roundName);
  await pick(bo, 'round-level', 'Trung ương');
  assert.equal(await bo.getByTestId('round-unit').count(), 0, 'the central council has no administrative unit');
  await pick(bo, 'round-criteria-set', 'DEMO');
  for (const [i, p] of centralCouncil.entries()) await pick(bo, `round-member-${i}`, p.fullName, { search: `${i + 1} · ${n}` });
  await shot(bo, 'recognition-02-central-round-form');
  await bo.getByTestId('round-save').click();
  await bo.waitForURL(/\/rounds\/[0-9a-f-]{36}$/);
  const centralRoundId = bo.url().split('/').pop();

  await bo.goto(`/dossiers/${dossier.id}`);
  await bo.locator('[data-testid="dossier-status"][data-status="forwarded"]').first().waitFor();
  await Promise.all([bo.waitForResponse((r) => new URL(r.url()).pathname === '/api/rounds'), bo.getByTestId('dossier-assign').click()]);
  await pick(bo, 'assign-round', roundName, { search: n });
  await bo.getByTestId('assign-ok').click();
  await bo.locator('[data-testid="dossier-status"][data-status="assigned"]').first().waitFor();
  await bo.goto(`/rounds/${centralRoundId}`);
  await bo.getByTestId('round-open-scoring').click();
  await bo.locator('[data-testid="round-status"][data-status="scoring"]').first().waitFor();

  // --- The central council scores 100 (5★); the ministry's officer issues the certificate on the round page
  await councilScores(centralCouncil, centralRoundId, dossier.product.id, 100);
  await bo.goto(`/rounds/${centralRoundId}`);
  const row = bo.locator('[data-testid="round-certificate-row"]').filter({ hasText: dossier.product.name });
  await row.waitFor();
  await row.getByTestId('issue-decision-number').fill(`${n}/QĐ-BNNMT`);
  await row.getByTestId('issue-submit').click();
  await waitOrProblem(bo, row.getByTestId('round-certificate-issued'));
  const number = (await row.getByTestId('round-certificate-issued').innerText()).match(/Đã cấp: (\S+)/)[1];
  await shot(bo, 'recognition-03-central-certificate-issued');
  const cert = await callApi(bo, 'GET', `/api/certificates?q=${encodeURIComponent(number)}`);
  assert.equal(cert.body.items[0].star, 5);
  assert.equal(cert.body.items[0].issuingAuthority, 'Bộ Nông nghiệp và Môi trường');
  await bo.goto(`/dossiers/${dossier.id}`);
  await bo.locator('[data-testid="dossier-status"][data-status="recognised"]').first().waitFor();
  await bo.getByTestId('dossier-levels').waitFor();
  assert.match(await bo.getByTestId('dossier-levels').innerText(), /Cấp tỉnh[\s\S]*Trung ương/);
  await shot(bo, 'recognition-04-dossier-every-level');
  assert.deepEqual(bo.jsErrors.map(String), []);
  await bo.context().close();

  // --- A shopper checks it on a phone: the public page shows the Ministry and 5 stars
  const phone = await newPage(browser, PHONE);
  const res = await phone.goto(`/xac-thuc/${encodeURIComponent(number)}`);
  assert.equal(res.status(), 200);
  const text = await phone.locator('body').innerText();
  assert.match(text, /Bộ Nông nghiệp và Môi trường/);
  assert.match(text, /5 sao/);
  await shot(phone, 'recognition-05-verification-phone');
  await phone.context().close();
});
