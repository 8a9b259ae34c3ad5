import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { answersForTotal, demoSheet, makeRound, submitTotal } from '../../../../test/helpers/evaluation.js';
import { expectProblem } from '../../../../test/helpers/http.js';
import { DOSSIER_TRANSITIONS, DOSSIER_STATUSES, nextStatus, type DossierAction } from '../../../shared/dossier.js';
import { markDossierRecognised } from './service.js';

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => { await t?.close(); });

/**
 * Evidence rows for set-up (the evidence module's upload path has its own tests): the dossier module only links
 * and reads them.
 */
async function addEvidence(producerId: string, type: string, expiresOn: string | null = null) {
  const [row] = await t.dbh.query<{ id: string }>(
    `insert into evidence (producer_id, type, certification_type, title, storage_key, content_type, bytes, file_name, sha256, expires_on)
     values ($1, $2, $3, $4, 'evidence/00/00000000-0000-0000-0000-000000000000.pdf', 'application/pdf', 10, 'a.pdf', 'x', $5) returning id`,
    [producerId, type, type === 'certification' ? 'vietgap' : null, `Tài liệu ${type}`, expiresOn]);
  return row.id;
}

const FOOD_REQUIRED = ['business_registration', 'quality_declaration', 'food_safety_test', 'product_story', 'photo'];

interface World { producerId: string; productId: string; producer: Session; officer: Session; province: Session }

async function world(): Promise<World> {
  const p = await makeProducer(t);
  const product = await makeProduct(t, p.id);
  return {
    producerId: p.id, productId: product.id,
    producer: await signIn(t, 'producer', { producerId: p.id }),
    officer: await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] }),
    province: await signIn(t, 'province_officer'),
  };
}

async function createDossier(w: World, kind = 'first', extra: Record<string, unknown> = {}) {
  const res = await call(t, w.producer, 'POST', '/api/dossiers', { productId: w.productId, kind, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Everything a food dossier needs: the five documents, the sample and a self-assessment. */
async function complete(w: World, dossierId: string) {
  for (const type of FOOD_REQUIRED) {
    const ev = await addEvidence(w.producerId, type);
    expect((await call(t, w.producer, 'POST', `/api/dossiers/${dossierId}/evidence`, { evidenceId: ev })).statusCode).toBe(200);
  }
  const d = (await call(t, w.producer, 'GET', `/api/dossiers/${dossierId}`)).json();
  const put = await call(t, w.producer, 'PUT', `/api/dossiers/${dossierId}`, {
    version: d.version, form: { productionCapacity: '20 tấn/năm', workers: 12 }, sample: { quantity: 5, unit: 'hộp', description: 'Hộp 500 g', deliveredOn: null }, targetStar: 4,
  });
  expect(put.statusCode, put.body).toBe(200);
  const { doc } = await demoSheet(t);
  const sa = await call(t, w.producer, 'PUT', `/api/products/${w.productId}/self-assessment`, { answers: answersForTotal(doc, 75), notes: {} });
  expect(sa.statusCode, sa.body).toBe(200);
}

async function preAssessAndAccept(w: World, id: string) {
  const items = Object.fromEntries(['local_material', 'local_labour', 'idea_origin', 'local_identity'].map((k) => [k, { met: true, note: 'Đạt' }]));
  const pre = await call(t, w.officer, 'PUT', `/api/dossiers/${id}/pre-assessment`, { items, formatChecked: true, conclusion: 'Hồ sơ hợp lệ, đề nghị tỉnh đánh giá' });
  expect(pre.statusCode, pre.body).toBe(200);
  const acc = await call(t, w.officer, 'POST', `/api/dossiers/${id}/accept`, {});
  expect(acc.statusCode, acc.body).toBe(200);
  return acc.json();
}

describe('dossiers: the workflow data', () => {
  it('every action has legal sources only; anything else is refused by nextStatus', () => {
    for (const [action, t0] of Object.entries(DOSSIER_TRANSITIONS)) {
      for (const s of DOSSIER_STATUSES) {
        expect(nextStatus(action as DossierAction, s)).toBe(t0.from.includes(s) ? t0.to : null);
      }
    }
    expect(nextStatus('accept', 'draft')).toBeNull();
    expect(nextStatus('recognise', 'assigned')).toBeNull();
  });
});

describe('dossiers: producer → commune → province', () => {
  it('a producer opens a draft for its product; the procedure in force (148+1489) makes the commune the intake unit', async () => {
    const w = await world();
    const d = await createDossier(w);
    expect(d.status).toBe('draft');
    expect(d.procedure).toMatchObject({ code: '148+1489', intake: 'commune' });
    expect(d.intakeUnit.id).toBe(await unitId(t, 'bn-p-chu'));
    expect(d.preAssessmentRequired).toBe(true);
    expect(d.sampleRequired).toBe(true);
    expect(d.checklist.filter((c: { required: boolean }) => c.required).map((c: { type: string }) => c.type).sort()).toEqual([...FOOD_REQUIRED].sort());
    expect(d.allowedActions).toEqual(expect.arrayContaining(['edit', 'submit', 'withdraw']));
    expect(d.events).toHaveLength(1);
    // Before any document is attached the producer already sees everything the submission will ask for.
    expect(d.missing.map((m: { type: string }) => m.type).sort()).toEqual([...FOOD_REQUIRED, 'sample', 'selfAssessment'].sort());
    // A second dossier in progress for the same product: refused by the database's partial unique index.
    expectProblem(await call(t, w.producer, 'POST', '/api/dossiers', { productId: w.productId, kind: 'first' }), 409, 'DOSSIER_OPEN_EXISTS');
  });

  it('a product registered under a commune that has since merged is received by today’s commune', async () => {
    const p = await makeProducer(t);
    const old = await makeProduct(t, p.id, { registeredUnitId: await unitId(t, 'ln-chu') }); // thị trấn Chũ, until 2024
    const producer = await signIn(t, 'producer', { producerId: p.id });
    const res = await call(t, producer, 'POST', '/api/dossiers', { productId: old.id, kind: 'first' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().intakeUnit.id).toBe(await unitId(t, 'bn-p-chu'));
    // …and phường Chũ's officer sees it (scope includes the units it replaced).
    const officer = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
    expect((await call(t, officer, 'GET', `/api/dossiers/${res.json().id}`)).statusCode).toBe(200);
  });

  it('submission is refused with the list of what is missing, expired evidence included', async () => {
    const w = await world();
    const d = await createDossier(w);
    const body = expectProblem(await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/submit`, {}), 422, 'DOSSIER_INCOMPLETE');
    expect(body.title).toBe('Hồ sơ chưa đủ tài liệu');
    expect(body.errors!.map((e) => e.path).sort()).toEqual([...FOOD_REQUIRED, 'sample', 'selfAssessment'].sort());
    expect(body.errors!.find((e) => e.path === 'food_safety_test')!.message).toContain('Phiếu kiểm nghiệm');

    const old = await addEvidence(w.producerId, 'food_safety_test', '2024-01-31');
    await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/evidence`, { evidenceId: old });
    const again = expectProblem(await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/submit`, {}), 422, 'DOSSIER_INCOMPLETE');
    expect(again.errors!.find((e) => e.path === 'food_safety_test')!.message).toContain('hết hạn');
    const view = (await call(t, w.producer, 'GET', `/api/dossiers/${d.id}`)).json();
    expect(view.missing.find((m: { type: string }) => m.type === 'food_safety_test').reason).toBe('expired');
    expect(view.linkedEvidence[0].expired).toBe(true);
    // Nothing moved.
    expect(view.status).toBe('draft');
    expect(view.events).toHaveLength(1);
  });

  it('submit → return with reasons → supplement → resubmit → pre-assessment → accept → assign → finalise → recognised', async () => {
    const w = await world();
    const d = await createDossier(w);
    await complete(w, d.id);
    // A bare POST (no body) is fine too: the comment is optional.
    expectProblem(await call(t, w.officer, 'POST', `/api/dossiers/${d.id}/accept`), 409, 'DOSSIER_STATE');
    const sub = await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/submit`, { comment: 'Kính gửi UBND phường' });
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json().status).toBe('submitted');
    expect(sub.json().allowedActions).toEqual(['withdraw']);

    // The commune officer is told, in the notifications centre.
    const notes = (await call(t, w.officer, 'GET', '/api/notifications')).json();
    expect(notes.items.some((n: { link: string }) => n.link === `/dossiers/${d.id}`)).toBe(true);

    // Editing after submission is refused; so are actions out of order.
    const cur = (await call(t, w.officer, 'GET', `/api/dossiers/${d.id}`)).json();
    expect(cur.allowedActions).toEqual(expect.arrayContaining(['return', 'preAssess']));
    // No "accept" before the commune's pre-assessment report: the server would refuse it.
    expect(cur.allowedActions).not.toContain('accept');
    expectProblem(await call(t, w.producer, 'PUT', `/api/dossiers/${d.id}`, { version: cur.version, form: {}, sample: null, targetStar: null }), 409, 'DOSSIER_STATE');
    expectProblem(await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/submit`, {}), 409, 'DOSSIER_STATE');
    expectProblem(await call(t, w.province, 'POST', `/api/dossiers/${d.id}/assign`, { roundId: '00000000-0000-4000-8000-000000000000' }), 409, 'DOSSIER_STATE');
    // Accepting without the commune's pre-assessment report is refused.
    expectProblem(await call(t, w.officer, 'POST', `/api/dossiers/${d.id}/accept`, {}), 409, 'DOSSIER_STATE');
    // The producer cannot return or accept its own dossier.
    expectProblem(await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/return`, { reasons: ['Thiếu ảnh'] }), 403, 'FORBIDDEN');
    expectProblem(await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/accept`, {}), 403, 'FORBIDDEN');
    // A return needs at least one reason.
    expectProblem(await call(t, w.officer, 'POST', `/api/dossiers/${d.id}/return`, { reasons: [] }), 400, 'VALIDATION');

    const ret = await call(t, w.officer, 'POST', `/api/dossiers/${d.id}/return`, { reasons: ['Ảnh nhãn sản phẩm chưa rõ', 'Bổ sung phiếu kiểm nghiệm năm 2026'], comment: 'Bổ sung trước 15/12' });
    expect(ret.statusCode, ret.body).toBe(200);
    const returned = (await call(t, w.producer, 'GET', `/api/dossiers/${d.id}`)).json();
    expect(returned.status).toBe('returned');
    const last = returned.events.at(-1);
    expect(last).toMatchObject({ from: 'submitted', to: 'returned', comment: 'Bổ sung trước 15/12' });
    expect(last.reasons).toEqual(['Ảnh nhãn sản phẩm chưa rõ', 'Bổ sung phiếu kiểm nghiệm năm 2026']);
    expect(returned.allowedActions).toEqual(expect.arrayContaining(['edit', 'submit']));
    const pn = (await call(t, w.producer, 'GET', '/api/notifications')).json();
    expect(pn.unread).toBeGreaterThan(0);
    expect(pn.items[0].body).toContain('Ảnh nhãn sản phẩm chưa rõ');

    // The producer supplements a photo and resubmits.
    const photo = await addEvidence(w.producerId, 'photo');
    expect((await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/evidence`, { evidenceId: photo })).statusCode).toBe(200);
    expect((await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/submit`, {})).json().status).toBe('submitted');
    // Nothing was received yet: no receipt.
    expectProblem(await call(t, w.producer, 'GET', `/api/dossiers/${d.id}/receipt.pdf`), 409, 'DOSSIER_STATE');

    const accepted = await preAssessAndAccept(w, d.id);
    expect(accepted.status).toBe('accepted');
    expect(accepted.preAssessment.items.local_material.met).toBe(true);
    // Withdrawing after acceptance is an illegal transition.
    expectProblem(await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/withdraw`, {}), 409, 'DOSSIER_STATE');

    // The receipt (giấy tiếp nhận): the receiving commune, the producer, every document received; the producer prints
    // it too; another producer may not.
    const receipt = await call(t, w.producer, 'GET', `/api/dossiers/${d.id}/receipt.pdf`);
    expect(receipt.statusCode, receipt.body).toBe(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
    const f = path.join(os.tmpdir(), `receipt-${process.pid}-${Date.now()}.pdf`);
    fs.writeFileSync(f, receipt.rawPayload);
    const text = execFileSync('/usr/bin/pdftotext', [f, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    fs.rmSync(f, { force: true });
    expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ');
    expect(text).toContain('UBND PHƯỜNG CHŨ');
    expect(text).toContain(accepted.producer.legalName);
    expect(text).toContain(accepted.product.name);
    expect(text).toContain(`Số: ${d.id.slice(0, 8).toUpperCase()}`);
    for (const e of accepted.linkedEvidence as { title: string }[]) expect(text).toContain(e.title);
    const strangerProducer = await signIn(t, 'producer', { producerId: (await makeProducer(t)).id });
    expectProblem(await call(t, strangerProducer, 'GET', `/api/dossiers/${d.id}/receipt.pdf`), 403, 'FORBIDDEN');

    // The province assigns it to a round; a commune officer may not.
    const chair = await signIn(t, 'council_member');
    const member = await signIn(t, 'council_member');
    const other = await makeProduct(t, (await makeProducer(t)).id);
    const roundId = await makeRound(t, w.province, { members: [{ s: chair, role: 'chair' }, { s: member, role: 'member' }], productIds: [other.id], quorumRatio: 1 });
    expectProblem(await call(t, w.officer, 'POST', `/api/dossiers/${d.id}/assign`, { roundId }), 403, 'FORBIDDEN');
    const asg = await call(t, w.province, 'POST', `/api/dossiers/${d.id}/assign`, { roundId });
    expect(asg.statusCode, asg.body).toBe(200);
    expect(asg.json()).toMatchObject({ status: 'assigned', round: { id: roundId } });
    const [rp] = await t.dbh.query('select 1 from round_products where round_id = $1 and product_id = $2', [roundId, w.productId]);
    expect(rp).toBeTruthy();

    // The council scores 72 → 4★ at province level under 148+1489: recognised, waiting for the decision.
    const { doc } = await demoSheet(t);
    for (const s of [chair, member]) {
      await submitTotal(t, s, roundId, w.productId, doc, 72);
      await submitTotal(t, s, roundId, other.id, doc, 40);
    }
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    const fin = await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, {});
    expect(fin.statusCode, fin.body).toBe(200);
    const evaluated = (await call(t, w.producer, 'GET', `/api/dossiers/${d.id}`)).json();
    expect(evaluated.status).toBe('evaluated');
    expect(evaluated.result).toMatchObject({ outcome: 'recognised', finalStar: 4 });
    expect(evaluated.events.at(-1).comment).toContain('72,00');

    // Issuing the certificate (certificates module) moves it to recognised; nothing else can.
    await t.dbh.db.transaction((tx) => markDossierRecognised(tx, { system: 'test' }, { roundId, productId: w.productId, certificateId: '00000000-0000-4000-8000-000000000000', certificateNumber: 'OCOP-TEST-1' }));
    const done = (await call(t, w.producer, 'GET', `/api/dossiers/${d.id}`)).json();
    expect(done.status).toBe('recognised');
    expect(done.events.map((e: { to: string }) => e.to)).toEqual(['draft', 'submitted', 'returned', 'submitted', 'accepted', 'assigned', 'evaluated', 'recognised']);
    for (const e of done.events) expect(e.actor).toBeTruthy();
  });

  it('a product that fails goes to not_recognised when the round is finalised', async () => {
    const w = await world();
    const d = await createDossier(w);
    await complete(w, d.id);
    await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/submit`, {});
    await preAssessAndAccept(w, d.id);
    const chair = await signIn(t, 'council_member');
    // A round still being set up (draft) takes dossiers; scoring opens afterwards.
    const roundId = await makeRound(t, w.province, { members: [{ s: chair, role: 'chair' }], productIds: [], quorumRatio: 1, open: false });
    expect((await call(t, w.province, 'POST', `/api/dossiers/${d.id}/assign`, { roundId })).statusCode).toBe(200);
    expect((await call(t, w.province, 'POST', `/api/rounds/${roundId}/open-scoring`)).statusCode).toBe(200);
    const { doc } = await demoSheet(t);
    await submitTotal(t, chair, roundId, w.productId, doc, 40);
    await call(t, chair, 'POST', `/api/rounds/${roundId}/open-results`);
    expect((await call(t, chair, 'POST', `/api/rounds/${roundId}/finalise`, {})).statusCode).toBe(200);
    const after = (await call(t, w.producer, 'GET', `/api/dossiers/${d.id}`)).json();
    expect(after.status).toBe('not_recognised');
    // A finished dossier no longer blocks a new one for the product.
    expect((await call(t, w.producer, 'POST', '/api/dossiers', { productId: w.productId, kind: 'first' })).statusCode).toBe(201);
  });
});

describe('dossiers: who may see and act', () => {
  it('producer A cannot see, edit, submit or open dossiers of producer B', async () => {
    const a = await world();
    const b = await world();
    const d = await createDossier(b);
    expectProblem(await call(t, a.producer, 'GET', `/api/dossiers/${d.id}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, a.producer, 'PUT', `/api/dossiers/${d.id}`, { version: 1, form: {}, sample: null, targetStar: null }), 403, 'FORBIDDEN');
    expectProblem(await call(t, a.producer, 'POST', `/api/dossiers/${d.id}/submit`, {}), 403, 'FORBIDDEN');
    expectProblem(await call(t, a.producer, 'POST', `/api/dossiers/${d.id}/withdraw`, {}), 403, 'FORBIDDEN');
    expectProblem(await call(t, a.producer, 'POST', '/api/dossiers', { productId: b.productId, kind: 'first' }), 403, 'FORBIDDEN');
    // A's list shows only A's dossiers.
    await createDossier(a);
    const list = (await call(t, a.producer, 'GET', '/api/dossiers')).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((x: { producer: { id: string } }) => x.producer.id === a.producerId)).toBe(true);
    // A document meets the requirement of its own type only.
    const photo = await addEvidence(a.producerId, 'photo');
    const myDossier = (await call(t, a.producer, 'GET', '/api/dossiers')).json().items[0];
    const wrong = expectProblem(await call(t, a.producer, 'POST', `/api/dossiers/${myDossier.id}/evidence`, { evidenceId: photo, requirement: 'food_safety_test' }), 400, 'VALIDATION');
    expect(wrong.errors![0].path).toBe('requirement');
    // Evidence of another producer cannot be linked.
    const foreign = await addEvidence(b.producerId, 'photo');
    const mine = (await call(t, a.producer, 'GET', '/api/dossiers')).json().items[0];
    expectProblem(await call(t, a.producer, 'POST', `/api/dossiers/${mine.id}/evidence`, { evidenceId: foreign }), 403, 'FORBIDDEN');
  });

  it('an officer of another commune, a council member and a viewer are refused', async () => {
    const w = await world();
    const d = await createDossier(w);
    await complete(w, d.id);
    await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/submit`, {});
    const council = await signIn(t, 'council_member');
    const viewer = await signIn(t, 'viewer');
    for (const s of [council, viewer]) {
      expectProblem(await call(t, s, 'GET', `/api/dossiers/${d.id}`), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'GET', '/api/dossiers'), 403, 'FORBIDDEN');
    }
    const otherUnit = (await t.dbh.query<{ key: string }>("select key from admin_units where type in ('commune','ward') and valid_to is null and key <> 'bn-p-chu' limit 1"))[0].key;
    const stranger = await signIn(t, 'commune_officer', { unitKeys: [otherUnit] });
    expectProblem(await call(t, stranger, 'GET', `/api/dossiers/${d.id}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, stranger, 'POST', `/api/dossiers/${d.id}/return`, { reasons: ['Không thuộc địa bàn'] }), 403, 'FORBIDDEN');
    expect((await call(t, stranger, 'GET', '/api/dossiers')).json().items.some((x: { id: string }) => x.id === d.id)).toBe(false);
    // The commune officer of the unit sees it in the list.
    expect((await call(t, w.officer, 'GET', '/api/dossiers?status=submitted')).json().items.some((x: { id: string }) => x.id === d.id)).toBe(true);

    // The Excel export follows the same rules: the officer's sheet has the dossier, the stranger's does not; readers
    // without the list are refused.
    const sheetProducts = async (s: Session, query = '') => {
      const res = await call(t, s, 'GET', `/api/dossiers/export.xlsx${query}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="ho-so-ocop-\d{4}-\d{2}-\d{2}\.xlsx"/);
      const { default: ExcelJS } = await import('exceljs');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      const rows: { product: string; status: string; missing: number }[] = [];
      ws.eachRow((row, n) => {
        if (n > 4 && typeof row.getCell(1).value === 'number') rows.push({ product: String(row.getCell(2).value), status: String(row.getCell(6).value), missing: Number(row.getCell(11).value) });
      });
      return rows;
    };
    const officerRows = await sheetProducts(w.officer, '?status=submitted');
    const listed = (await call(t, w.officer, 'GET', '/api/dossiers?status=submitted&pageSize=100')).json();
    expect(officerRows.map((r) => r.product)).toEqual(listed.items.map((x: { product: { name: string } }) => x.product.name));
    expect(officerRows.every((r) => r.status === 'Đã nộp, chờ tiếp nhận')).toBe(true);
    expect((await sheetProducts(stranger)).some((r) => r.product === d.product.name)).toBe(false);
    for (const s of [council, viewer]) expectProblem(await call(t, s, 'GET', '/api/dossiers/export.xlsx'), 403, 'FORBIDDEN');
    expectProblem(await call(t, null, 'GET', '/api/dossiers/export.xlsx'), 401, 'UNAUTHENTICATED');
  });
});

describe('dossiers: re-evaluation and upgrade start from the previous dossier', () => {
  async function activeCertificate(w: World, star: number) {
    const [c] = await t.dbh.query<{ id: string }>(
      `insert into certificates (number, product_id, producer_id, star, decision_number, decision_date, issuing_authority, issuing_unit_name, expires_on, is_legacy)
       values ($1, $2, $3, $4, '123/QĐ-UBND', '2023-12-20', 'UBND huyện Lục Ngạn', 'huyện Lục Ngạn', '2026-12-20', true) returning id`,
      [`T-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, w.productId, w.producerId, star]);
    return c.id;
  }

  it('first evaluation is refused while a certificate is active; re-evaluation copies form, sample and valid evidence links', async () => {
    const w = await world();
    const first = await createDossier(w);
    await complete(w, first.id);
    const expired = await addEvidence(w.producerId, 'certification', '2025-01-01');
    await call(t, w.producer, 'POST', `/api/dossiers/${first.id}/evidence`, { evidenceId: expired });
    await call(t, w.producer, 'POST', `/api/dossiers/${first.id}/withdraw`, { comment: 'Đã có giấy chứng nhận giấy' });
    const certId = await activeCertificate(w, 3);

    expectProblem(await call(t, w.producer, 'POST', '/api/dossiers', { productId: w.productId, kind: 'first' }), 400, 'VALIDATION');
    expectProblem(await call(t, w.producer, 'POST', '/api/dossiers', { productId: w.productId, kind: 'upgrade', targetStar: 3 }), 400, 'VALIDATION');
    // An upgrade dossier keeps asking for more than the current star when edited.
    const other = await world();
    await activeCertificate(other, 3);
    const up = (await call(t, other.producer, 'POST', '/api/dossiers', { productId: other.productId, kind: 'upgrade', targetStar: 4 })).json();
    expect(up.targetStar).toBe(4);
    expectProblem(await call(t, other.producer, 'PUT', `/api/dossiers/${up.id}`, { version: up.version, form: {}, sample: null, targetStar: 3 }), 400, 'VALIDATION');

    const re = await createDossier(w, 'reevaluation');
    expect(re.baseCertificate).toMatchObject({ id: certId, star: 3, expiresOn: '2026-12-20' });
    expect(re.form).toMatchObject({ productionCapacity: '20 tấn/năm', workers: 12 });
    expect(re.sample).toMatchObject({ quantity: 5, unit: 'hộp' });
    expect(re.linkedEvidence).toHaveLength(FOOD_REQUIRED.length);
    expect(re.linkedEvidence.some((e: { id: string }) => e.id === expired)).toBe(false);
    // A re-evaluation also asks for the three-year report.
    expect(re.missing.map((m: { type: string }) => m.type)).toEqual(['three_year_report']);
    // Its target star defaults to the current star and can be changed while editing.
    expect(re.targetStar).toBe(3);
    const put = await call(t, w.producer, 'PUT', `/api/dossiers/${re.id}`, { version: re.version, form: re.form, sample: re.sample, targetStar: 4 });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().targetStar).toBe(4);
  });
});

describe('recognition across levels (#10)', () => {
  async function acceptedDossier() {
    const w = await world();
    const d = await createDossier(w);
    await complete(w, d.id);
    expect((await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/submit`, {})).statusCode).toBe(200);
    await preAssessAndAccept(w, d.id);
    return { w, d };
  }
  async function scoreAndFinalise(officer: Session, level: 'province' | 'central', w: World, dossierId: string, total: number) {
    const council = await Promise.all([signIn(t, 'council_member'), signIn(t, 'council_member'), signIn(t, 'council_member')]);
    const roundId = await makeRound(t, officer, { level, members: council.map((s, i) => ({ s, role: i === 0 ? 'chair' as const : 'member' as const })), productIds: [], minValidSheets: null, open: false });
    const asg = await call(t, officer, 'POST', `/api/dossiers/${dossierId}/assign`, { roundId });
    expect(asg.statusCode, asg.body).toBe(200);
    expect((await call(t, officer, 'POST', `/api/rounds/${roundId}/open-scoring`)).statusCode).toBe(200);
    const { doc } = await demoSheet(t);
    for (const s of council) await submitTotal(t, s, roundId, w.productId, doc, total);
    expect((await call(t, council[0], 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    const fin = await call(t, council[0], 'POST', `/api/rounds/${roundId}/finalise`, {});
    expect(fin.statusCode, fin.body).toBe(200);
    return roundId;
  }
  const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

  it('a commune pre-assessment that fails any local criterion stops the dossier at the commune', async () => {
    const w = await world();
    const d = await createDossier(w);
    await complete(w, d.id);
    await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/submit`, {});
    const items = Object.fromEntries(['local_material', 'local_labour', 'idea_origin', 'local_identity'].map((k) => [k, { met: false, note: 'Nguyên liệu nhập từ tỉnh khác' }]));
    expect((await call(t, w.officer, 'PUT', `/api/dossiers/${d.id}/pre-assessment`, { items, formatChecked: true, conclusion: 'Không đạt tiền đánh giá' })).statusCode).toBe(200);
    const refused = expectProblem(await call(t, w.officer, 'POST', `/api/dossiers/${d.id}/accept`, {}), 422, 'PRE_ASSESSMENT_FAILED');
    expect(refused.errors).toHaveLength(4);
    expect(refused.errors![0].message).toContain('Nguyên liệu nhập từ tỉnh khác');
    expect((await call(t, w.officer, 'GET', `/api/dossiers/${d.id}`)).json().status).toBe('submitted');
    // The commune returns it with the findings as reasons.
    const ret = await call(t, w.officer, 'POST', `/api/dossiers/${d.id}/return`, { reasons: refused.errors!.map((e) => e.message) });
    expect(ret.statusCode, ret.body).toBe(200);
    // One criterion met is not enough either.
    await call(t, w.producer, 'POST', `/api/dossiers/${d.id}/submit`, {});
    const three = { ...items, local_material: { met: true, note: '' }, local_labour: { met: true, note: '' }, idea_origin: { met: true, note: '' } };
    await call(t, w.officer, 'PUT', `/api/dossiers/${d.id}/pre-assessment`, { items: three, formatChecked: true, conclusion: 'Chưa đạt bản sắc địa phương' });
    expect(expectProblem(await call(t, w.officer, 'POST', `/api/dossiers/${d.id}/accept`, {}), 422, 'PRE_ASSESSMENT_FAILED').errors!.map((e) => e.path)).toEqual(['preAssessment.items.local_identity']);
  });

  it('≥ 90 at the province → forwarded to the ministry, whose officer takes it into a central round and issues 5★ in the ministry’s name', async () => {
    const { w, d } = await acceptedDossier();
    const central = await signIn(t, 'central_officer');
    const provinceRound = await scoreAndFinalise(w.province, 'province', w, d.id, 94);
    const fwd = (await call(t, w.province, 'GET', `/api/dossiers/${d.id}`)).json();
    expect(fwd).toMatchObject({ status: 'forwarded', result: { outcome: 'forwarded', forwardTo: 'central' } });
    expect(fwd.levelResults).toMatchObject([{ roundId: provinceRound, level: 'province', outcome: 'forwarded', forwardTo: 'central' }]);
    // Forwarded is not an end: it still counts as the product's dossier in progress.
    expectProblem(await call(t, w.producer, 'POST', '/api/dossiers', { productId: w.productId, kind: 'first' }), 409, 'DOSSIER_OPEN_EXISTS');

    // The ministry's intake lists it (and sees it); the province officer cannot assign it to the central council.
    const list = (await call(t, central, 'GET', '/api/dossiers', undefined)).json();
    expect(list.items.map((x: { id: string }) => x.id)).toContain(d.id);
    expect((await call(t, central, 'GET', `/api/dossiers/${d.id}`)).json().allowedActions).toContain('assign');
    const notified = (await call(t, central, 'GET', '/api/notifications')).json();
    expect(notified.items.some((n: { kind: string; link: string }) => n.kind === 'dossier_forwarded' && n.link === `/dossiers/${d.id}`)).toBe(true);
    expect((await call(t, w.province, 'GET', `/api/dossiers/${d.id}`)).json().allowedActions).not.toContain('assign');
    // A province round is the wrong level for it.
    const council = await Promise.all([signIn(t, 'council_member'), signIn(t, 'council_member'), signIn(t, 'council_member')]);
    const wrong = await makeRound(t, w.province, { members: council.map((s, i) => ({ s, role: i === 0 ? 'chair' as const : 'member' as const })), productIds: [], open: false });
    expect(expectProblem(await call(t, central, 'POST', `/api/dossiers/${d.id}/assign`, { roundId: wrong }), 400, 'VALIDATION').errors![0].message).toMatch(/Trung ương/);
    expectProblem(await call(t, w.province, 'POST', `/api/dossiers/${d.id}/assign`, { roundId: wrong }), 403, 'FORBIDDEN');

    const centralRound = await scoreAndFinalise(central, 'central', w, d.id, 92);
    const ev = (await call(t, central, 'GET', `/api/dossiers/${d.id}`)).json();
    expect(ev).toMatchObject({ status: 'evaluated', result: { outcome: 'recognised', finalStar: 5, issuingLevel: 'central' } });
    expect(ev.levelResults.map((l: { level: string }) => l.level)).toEqual(['province', 'central']);
    // The timeline shows both councils.
    expect(ev.events.map((e: { to: string }) => e.to)).toEqual(['draft', 'submitted', 'accepted', 'assigned', 'forwarded', 'assigned', 'evaluated']);
    expect(ev.events.find((e: { to: string }) => e.to === 'forwarded').comment).toMatch(/cấp tỉnh.*Trung ương/);

    // Only the ministry issues 5★.
    expectProblem(await call(t, w.province, 'POST', '/api/certificates', { roundId: centralRound, productId: w.productId, decisionNumber: '15/QĐ-BNNMT', decisionDate: today() }), 403, 'OUTSIDE_AUTHORITY');
    const cert = await call(t, central, 'POST', '/api/certificates', { roundId: centralRound, productId: w.productId, decisionNumber: '15/QĐ-BNNMT', decisionDate: today() });
    expect(cert.statusCode, cert.body).toBe(201);
    expect(cert.json()).toMatchObject({ star: 5, issuingAuthority: 'Bộ Nông nghiệp và Môi trường' });
    expect((await call(t, w.producer, 'GET', `/api/dossiers/${d.id}`)).json().status).toBe('recognised');
    const page = await t.app.inject({ method: 'GET', url: `/xac-thuc/${cert.json().number}` });
    expect(page.body).toContain('Bộ Nông nghiệp và Môi trường');
  });

  it('a central council scoring below 5★ returns the result to the province, which recognises 4★ in its own name', async () => {
    const { w, d } = await acceptedDossier();
    await scoreAndFinalise(w.province, 'province', w, d.id, 91);
    const central = await signIn(t, 'central_officer');
    const centralRound = await scoreAndFinalise(central, 'central', w, d.id, 85);
    const ev = (await call(t, w.province, 'GET', `/api/dossiers/${d.id}`)).json();
    expect(ev).toMatchObject({ status: 'evaluated', result: { outcome: 'recognised', finalStar: 4, issuingLevel: 'province' } });
    expect(ev.events.at(-1).comment).toMatch(/cấp tỉnh/);
    // The ministry may not sign a 4★; the province does, for its own unit.
    expectProblem(await call(t, central, 'POST', '/api/certificates', { roundId: centralRound, productId: w.productId, decisionNumber: '9/QĐ', decisionDate: today() }), 403, 'OUTSIDE_AUTHORITY');
    const cert = await call(t, w.province, 'POST', '/api/certificates', { roundId: centralRound, productId: w.productId, decisionNumber: '88/QĐ-UBND', decisionDate: today() });
    expect(cert.statusCode, cert.body).toBe(201);
    expect(cert.json()).toMatchObject({ star: 4, issuingAuthority: 'UBND tỉnh Bắc Ninh', issuingUnitName: 'tỉnh Bắc Ninh' });
  });
});
