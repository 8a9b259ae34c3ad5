import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMonths, certificateExpiry, daysBetween, todayInVietnam } from '../../../shared/certificate-dates.js';
import { openPglite, openPostgres, type DbHandle } from '../../db/client.js';
import { startJobs } from '../../jobs/index.js';
import { buildTestApp, call, makeProducer, makeProduct, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { finalisedRound, issueBody, recordLegacy } from '../../../../test/helpers/certificates.js';
import { demoSheet, roundBody, submitTotal } from '../../../../test/helpers/evaluation.js';
import { expectProblem, scalar } from '../../../../test/helpers/http.js';
import { backfillLegacyCertificates, recordExpiries, sendDueReminders } from './service.js';

let t: TestApp;
let officer: Session;
let today: string;
beforeAll(async () => {
  t = await buildTestApp();
  officer = await signIn(t, 'province_officer');
  today = todayInVietnam();
});
afterAll(async () => { await t?.close(); });

const plusDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** A decision date whose certificate expires `days` days from today (or close: month ends clamp). */
const decidedForExpiryIn = (days: number) => addMonths(plusDays(today, days), -36);
const newProduct = async (over: Parameters<typeof makeProduct>[2] = {}) => makeProduct(t, (await makeProducer(t)).id, over);
const get = async (s: Session, id: string) => {
  const res = await call(t, s, 'GET', `/api/certificates/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const product = async (id: string) => (await call(t, officer, 'GET', `/api/products/${id}`)).json();
const activeCount = (productId: string) => scalar(t, "select count(*) from certificates where product_id = $1 and status = 'active'", [productId]);

describe('certificates: issuing from a finalised round', () => {
  it('issues the certificate of a recognised product: number, authority of the round unit, star and score, versions, expiry; supersedes the previous one and writes the registry', async () => {
    const p = await newProduct();
    const producerUser = await signIn(t, 'producer', { producerId: p.producer.id });
    const old = await recordLegacy(t, p.id, { star: 3, decisionDate: '2024-08-12', number: unique('GCN-').slice(0, 40) });
    expect((await product(p.id)).stars).toBe(3);
    const { roundId } = await finalisedRound(t, officer, [{ id: p.id, total: 80 }]);

    const body = issueBody(roundId, p.id);
    const res = await call(t, officer, 'POST', '/api/certificates', body);
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c.number).toMatch(new RegExp(`^OCOP-${body.decisionDate.slice(0, 4)}-\\d{6}$`));
    expect(c).toMatchObject({
      product: { id: p.id, name: p.name }, producer: { id: p.producer.id }, star: 4, score: 80, decisionNumber: body.decisionNumber,
      decisionDate: body.decisionDate, validFrom: body.decisionDate, expiresOn: certificateExpiry(body.decisionDate),
      issuingAuthority: 'UBND tỉnh Bắc Ninh', issuingUnitName: 'tỉnh Bắc Ninh', criteriaSetCode: '148-demo', procedureCode: '148+1489',
      storedStatus: 'active', status: 'active', isLegacy: false, supersededBy: null, revokedReason: null,
      verifyUrl: `http://localhost:3000/xac-thuc/${c.number}`, pdfUrl: `/api/certificates/${c.id}/pdf`,
    });
    expect(c.daysLeft).toBe(daysBetween(today, c.expiresOn));

    // The previous certificate is superseded by the new one; one active per product.
    expect(await get(officer, old.id)).toMatchObject({ storedStatus: 'superseded', status: 'superseded', supersededBy: { id: c.id, number: c.number } });
    expect(await activeCount(p.id)).toBe(1);

    // The registry follows the certificate; the product history shows 3★ → 4★.
    expect((await product(p.id)).recognition).toEqual({
      stars: 4, recognitionYear: Number(body.decisionDate.slice(0, 4)), decisionNumber: body.decisionNumber, decisionDate: body.decisionDate,
      certificateNumber: c.number, certificateIssuer: 'UBND tỉnh Bắc Ninh', certificateExpiresOn: c.expiresOn,
    });
    const hist = (await call(t, officer, 'GET', `/api/products/${p.id}/history`)).json();
    expect(hist[0]).toMatchObject({ action: 'recognition', actor: officer.login, before: { stars: 3 }, after: { stars: 4, certificateNumber: c.number } });

    // The producer is told; the round page knows the certificate; the audit trail has issue + supersede.
    const notes = (await call(t, producerUser, 'GET', '/api/notifications')).json();
    expect(notes.items[0]).toMatchObject({ kind: 'certificate_issued', link: `/certificates/${c.id}` });
    expect(notes.items[0].title).toContain('4 sao');
    const rows = (await call(t, officer, 'GET', `/api/rounds/${roundId}/certificates`)).json();
    expect(rows).toEqual([{ productId: p.id, productName: p.name, outcome: 'recognised', finalStar: 4, meanScore: 80, certificate: { id: c.id, number: c.number }, issuingLevel: 'province', mayIssue: false }]);
    expect(await scalar(t, "select count(*) from audit_log where entity_type = 'certificate' and entity_id = $1 and action = 'issue'", [c.id])).toBe(1);
    expect(await scalar(t, "select count(*) from audit_log where entity_type = 'certificate' and entity_id = $1 and action = 'supersede'", [old.id])).toBe(1);

    // Once per round and product.
    expectProblem(await call(t, officer, 'POST', '/api/certificates', issueBody(roundId, p.id)), 409, 'CERTIFICATE_STATE');
  });

  it('takes a given number; the issuer is the procedure\'s, never typed by hand; a number already used → 409', async () => {
    const [a, b] = [await newProduct(), await newProduct()];
    const { roundId } = await finalisedRound(t, officer, [{ id: a.id, total: 60 }, { id: b.id, total: 60 }]);
    const number = unique('QN-').slice(0, 40);
    const res = await call(t, officer, 'POST', '/api/certificates', issueBody(roundId, a.id, { number, issuingAuthority: 'UBND tỉnh Bắc Ninh giả' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ number, star: 3, score: 60, issuingAuthority: 'UBND tỉnh Bắc Ninh', issuingUnitName: 'tỉnh Bắc Ninh' });
    expectProblem(await call(t, officer, 'POST', '/api/certificates', issueBody(roundId, b.id, { number })), 409, 'DUPLICATE_CERTIFICATE_NUMBER');
    expect(await activeCount(b.id)).toBe(0);
    const bad = expectProblem(await call(t, officer, 'POST', '/api/certificates', issueBody(roundId, b.id, { number: 'số có dấu' })), 400, 'VALIDATION');
    expect(bad.errors!.map((e) => e.path)).toEqual(['body.number']);
  });

  it('refuses: round not finalised, outcome not recognised (too low, or forwarded), product not in the round, a future or pre-finalisation decision date', async () => {
    const [open, low, high, outside] = await Promise.all([newProduct(), newProduct(), newProduct(), newProduct()]);
    const pending = await finalisedRound(t, officer, [{ id: open.id, total: 80 }], { finalise: false });
    expectProblem(await call(t, officer, 'POST', '/api/certificates', issueBody(pending.roundId, open.id)), 409, 'ROUND_STATE');

    const { roundId } = await finalisedRound(t, officer, [{ id: low.id, total: 40 }, { id: high.id, total: 95 }]);
    const lowRes = expectProblem(await call(t, officer, 'POST', '/api/certificates', issueBody(roundId, low.id)), 422, 'NOT_RECOGNISED');
    expect(lowRes.detail).toMatch(/Dưới 3★/);
    const fwd = expectProblem(await call(t, officer, 'POST', '/api/certificates', issueBody(roundId, high.id)), 422, 'NOT_RECOGNISED');
    expect(fwd.detail).toMatch(/chuyển lên cấp trên/);
    expectProblem(await call(t, officer, 'POST', '/api/certificates', issueBody(roundId, outside.id)), 404, 'NOT_FOUND');

    const ok = await newProduct();
    const r2 = await finalisedRound(t, officer, [{ id: ok.id, total: 80 }]);
    const future = expectProblem(await call(t, officer, 'POST', '/api/certificates', issueBody(r2.roundId, ok.id, { decisionDate: plusDays(today, 2) })), 400, 'VALIDATION');
    expect(future.errors![0].path).toBe('decisionDate');
    const early = expectProblem(await call(t, officer, 'POST', '/api/certificates', issueBody(r2.roundId, ok.id, { decisionDate: plusDays(today, -3) })), 400, 'VALIDATION');
    expect(early.errors![0].message).toMatch(/trước ngày hoàn tất/);
    for (const id of [open.id, low.id, high.id, outside.id, ok.id]) expect(await activeCount(id)).toBe(0);
  });

  it('only province-wide officers issue: commune officer, council member, viewer and producer → 403', async () => {
    const p = await newProduct();
    const { roundId, chair } = await finalisedRound(t, officer, [{ id: p.id, total: 80 }]);
    const refused = [await signIn(t, 'commune_officer'), chair, await signIn(t, 'viewer'), await signIn(t, 'producer', { producerId: p.producer.id })];
    for (const s of refused) expectProblem(await call(t, s, 'POST', '/api/certificates', issueBody(roundId, p.id)), 403, 'FORBIDDEN');
    expectProblem(await call(t, null, 'POST', '/api/certificates', issueBody(roundId, p.id)), 401, 'UNAUTHENTICATED');
    expect(await activeCount(p.id)).toBe(0);
    const admin = await signIn(t, 'admin');
    expect((await call(t, admin, 'POST', '/api/certificates', issueBody(roundId, p.id))).statusCode).toBe(201);
  });
});

describe('certificates: who may recognise which star (judged by the procedure in force on the decision date)', () => {
  // Paper certificates: [star, decision date, authority, expected code or null when allowed].
  const cases: [number, string, string, string | null][] = [
    [3, '2021-06-01', 'UBND tỉnh Bắc Giang', null], // QĐ 1048: the province certifies 3★–4★
    [3, '2021-06-01', 'UBND huyện Lục Ngạn', 'STAR_OUTSIDE_AUTHORITY'], // QĐ 1048: the district only forwards
    [3, '2024-08-12', 'UBND huyện Lục Ngạn', null], // QĐ 148: the district recognises 3★
    [3, '2024-08-12', 'UBND tỉnh Bắc Giang', 'STAR_OUTSIDE_AUTHORITY'], // QĐ 148: the province recognises 4★ only
    [4, '2024-08-12', 'UBND tỉnh Bắc Giang', null],
    [4, '2024-08-12', 'UBND huyện Lục Ngạn', 'STAR_OUTSIDE_AUTHORITY'],
    [5, '2024-07-15', 'Bộ Nông nghiệp và Phát triển nông thôn', null], // QĐ 148: 5★ by the centre
    [5, '2024-07-15', 'UBND tỉnh Bắc Giang', 'STAR_OUTSIDE_AUTHORITY'],
    [3, '2025-09-01', 'UBND tỉnh Bắc Ninh', null], // QĐ 148 + 1489: the province recognises 3★ and 4★
    [3, '2025-09-01', 'UBND huyện Lục Ngạn', 'STAR_OUTSIDE_AUTHORITY'], // no district level any more
    [5, '2025-09-01', 'UBND tỉnh Bắc Ninh', 'STAR_OUTSIDE_AUTHORITY'], // 5★ only by the ministry
    [5, '2025-09-01', 'Bộ Nông nghiệp và Môi trường', null],
    [4, '2017-01-01', 'UBND tỉnh Bắc Giang', 'PROCEDURE_NOT_IN_FORCE'], // before the programme
  ];
  for (const [star, date, authority, code] of cases) {
    it(`${star}★ on ${date} by "${authority}" → ${code ?? 'recorded'}`, async () => {
      const p = await newProduct();
      const res = await call(t, officer, 'POST', '/api/certificates/legacy', { productId: p.id, star, decisionNumber: unique('QĐ-').slice(0, 30), decisionDate: date, issuingAuthority: authority });
      if (code === null) {
        expect(res.statusCode, res.body).toBe(201);
        expect(res.json()).toMatchObject({ star, issuingAuthority: authority });
      } else {
        const body = expectProblem(res, code === 'PROCEDURE_NOT_IN_FORCE' ? 422 : 422, code);
        expect(body.detail).toBeTruthy();
        expect(await activeCount(p.id)).toBe(0);
      }
    });
  }

  it('1★ and 2★ are never recorded; a unit of the wrong level or one that no longer existed is refused', async () => {
    const p = await newProduct();
    for (const star of [1, 2]) {
      const b = expectProblem(await call(t, officer, 'POST', '/api/certificates/legacy', { productId: p.id, star, decisionNumber: '1/QĐ', decisionDate: '2024-01-10', issuingAuthority: 'UBND tỉnh Bắc Giang' }), 400, 'VALIDATION');
      expect(b.errors!.map((e) => e.path)).toEqual(['body.star']);
    }
    // The district named by its unit after it was abolished (30/6/2025).
    expectProblem(await call(t, officer, 'POST', '/api/certificates/legacy', {
      productId: p.id, star: 3, decisionNumber: '2/QĐ', decisionDate: '2025-07-03', issuingAuthority: 'UBND huyện Lục Ngạn', issuingUnitId: await unitId(t, 'ln'),
    }), 422, 'UNIT_NOT_FOR_LEVEL');
    // A ward's unit for a province-level authority.
    expectProblem(await call(t, officer, 'POST', '/api/certificates/legacy', {
      productId: p.id, star: 4, decisionNumber: '3/QĐ', decisionDate: '2025-09-01', issuingAuthority: 'UBND tỉnh Bắc Ninh', issuingLevel: 'province', issuingUnitId: await unitId(t, 'bn-p-chu'),
    }), 422, 'UNIT_NOT_FOR_LEVEL');
    expect(await activeCount(p.id)).toBe(0);
  });

  it('a province officer cannot issue a 5★ certificate; a central officer can, in the ministry\'s name', async () => {
    const p = await newProduct();
    // A central round is the ministry's: the province officer may not even create one.
    const council = await Promise.all([signIn(t, 'council_member'), signIn(t, 'council_member'), signIn(t, 'council_member')]);
    const central = await signIn(t, 'central_officer');
    const body = await roundBody(t, { level: 'central', members: council.map((s, i) => ({ s, role: i === 0 ? 'chair' as const : 'member' as const })), productIds: [p.id], minValidSheets: null });
    expectProblem(await call(t, officer, 'POST', '/api/rounds', body), 403, 'OUTSIDE_AUTHORITY');
    const created = await call(t, central, 'POST', '/api/rounds', body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ level: 'central', unit: { id: null } });
    const roundId = created.json().id;
    expect((await call(t, central, 'POST', `/api/rounds/${roundId}/open-scoring`)).statusCode).toBe(200);
    const { doc } = await demoSheet(t);
    for (const s of council) await submitTotal(t, s, roundId, p.id, doc, 94);
    expect((await call(t, council[0], 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    expect((await call(t, council[0], 'POST', `/api/rounds/${roundId}/finalise`, {})).statusCode).toBe(200);
    expectProblem(await call(t, officer, 'POST', '/api/certificates', issueBody(roundId, p.id)), 403, 'OUTSIDE_AUTHORITY');
    const res = await call(t, central, 'POST', '/api/certificates', issueBody(roundId, p.id));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ star: 5, issuingAuthority: 'Bộ Nông nghiệp và Môi trường', procedureCode: '148+1489' });
    const [row] = await t.dbh.query<{ issuing_level: string }>('select issuing_level from certificates where id = $1', [res.json().id]);
    expect(row.issuing_level).toBe('central');
  });

  it('a district round of QĐ 148 (held in its time) cannot issue a certificate today in the abolished district\'s name', async () => {
    const p = await newProduct();
    const council = await Promise.all([signIn(t, 'council_member'), signIn(t, 'council_member'), signIn(t, 'council_member')]);
    const roundId = (await call(t, officer, 'POST', '/api/rounds', await roundBody(t, {
      procedureCode: '148', level: 'district', unitKey: 'ln', startsOn: '2025-03-01', members: council.map((s, i) => ({ s, role: i === 0 ? 'chair' as const : 'member' as const })), productIds: [p.id], minValidSheets: null,
    }))).json().id;
    expect((await call(t, officer, 'POST', `/api/rounds/${roundId}/open-scoring`)).statusCode).toBe(200);
    const { doc } = await demoSheet(t);
    for (const s of council) await submitTotal(t, s, roundId, p.id, doc, 60);
    expect((await call(t, council[0], 'POST', `/api/rounds/${roundId}/open-results`)).statusCode).toBe(200);
    expect((await call(t, council[0], 'POST', `/api/rounds/${roundId}/finalise`, {})).statusCode).toBe(200);
    // The council's 3★ stands in its minutes, but since 06/7/2025 there is no district level to sign it.
    const refused = expectProblem(await call(t, officer, 'POST', '/api/certificates', issueBody(roundId, p.id)), 422, 'STAR_OUTSIDE_AUTHORITY');
    expect(refused.detail).toMatch(/1489.*không có cấp huyện/);
    expect(await activeCount(p.id)).toBe(0);
  });

  it('rounds: the procedure must be in force on the start date, the unit of the level and existing then, the creator with authority', async () => {
    const council = await Promise.all([signIn(t, 'council_member'), signIn(t, 'council_member'), signIn(t, 'council_member')]);
    const p = await newProduct();
    const base = { members: council.map((s, i) => ({ s, role: i === 0 ? 'chair' as const : 'member' as const })), productIds: [p.id] };
    // QĐ 148 original ended on 05/7/2025: a round starting today under it is refused.
    expectProblem(await call(t, officer, 'POST', '/api/rounds', await roundBody(t, { ...base, procedureCode: '148', level: 'district', unitKey: 'ln' })), 422, 'PROCEDURE_NOT_IN_FORCE');
    // In its time, a district round on a district is fine; on a ward (or a province) it is not.
    expect((await call(t, officer, 'POST', '/api/rounds', await roundBody(t, { ...base, procedureCode: '148', level: 'district', unitKey: 'ln', startsOn: '2024-09-01' }))).statusCode).toBe(201);
    expectProblem(await call(t, officer, 'POST', '/api/rounds', await roundBody(t, { ...base, procedureCode: '148', level: 'district', unitKey: 'ln-chu', startsOn: '2024-09-01' })), 422, 'UNIT_NOT_FOR_LEVEL');
    // Huyện Lục Ngạn no longer exists on 01/7/2025, though QĐ 148 is still in force until 05/7.
    expectProblem(await call(t, officer, 'POST', '/api/rounds', await roundBody(t, { ...base, procedureCode: '148', level: 'district', unitKey: 'ln', startsOn: '2025-07-02' })), 422, 'UNIT_NOT_FOR_LEVEL');
    // Under 148 + 1489 the commune pre-assesses: no scoring round at commune level.
    expectProblem(await call(t, officer, 'POST', '/api/rounds', await roundBody(t, { ...base, level: 'commune', unitKey: 'bn-p-chu' })), 422, 'LEVEL_NOT_IN_PROCEDURE');
    // A province round on the old province (abolished 30/6/2025) today.
    expectProblem(await call(t, officer, 'POST', '/api/rounds', await roundBody(t, { ...base, unitKey: 'bg' })), 422, 'UNIT_NOT_FOR_LEVEL');
    // A central officer does not organise provincial rounds.
    expectProblem(await call(t, await signIn(t, 'central_officer'), 'POST', '/api/rounds', await roundBody(t, base)), 403, 'OUTSIDE_AUTHORITY');
  });
});

describe('certificates: paper (legacy) certificates', () => {
  it('a province officer records one; an older one recorded afterwards is kept as history, superseded by the newer', async () => {
    const p = await newProduct();
    const res = await call(t, officer, 'POST', '/api/certificates/legacy', {
      productId: p.id, star: 4, decisionNumber: '1234/QĐ-UBND', decisionDate: '2024-02-29', issuingAuthority: 'UBND tỉnh Bắc Giang', issuingUnitId: await unitId(t, 'bg'),
    });
    expect(res.statusCode, res.body).toBe(201);
    const newer = res.json();
    expect(newer).toMatchObject({ isLegacy: true, star: 4, expiresOn: '2027-02-28', issuingUnitName: 'tỉnh Bắc Giang', score: null, criteriaSetCode: null, storedStatus: 'active' });
    expect(newer.number).toMatch(/^OCOP-2024-\d{6}$/);

    const older = await call(t, officer, 'POST', '/api/certificates/legacy', {
      productId: p.id, star: 3, decisionNumber: '77/QĐ-UBND', decisionDate: '2021-01-31', issuingAuthority: 'UBND tỉnh Bắc Giang', number: unique('CU-').slice(0, 40),
    });
    expect(older.statusCode, older.body).toBe(201);
    expect(older.json()).toMatchObject({ storedStatus: 'superseded', supersededBy: { id: newer.id }, expiresOn: '2024-01-31', issuingUnitName: 'tỉnh Bắc Giang' });
    expect((await product(p.id)).recognition).toMatchObject({ stars: 4, certificateNumber: newer.number, decisionDate: '2024-02-29', certificateExpiresOn: '2027-02-28' });
    expect(await activeCount(p.id)).toBe(1);
  });

  it('commune officers and producers cannot record paper certificates (403); bad input → 400', async () => {
    const p = await newProduct();
    const body = { productId: p.id, star: 4, decisionNumber: '1/QĐ', decisionDate: '2024-01-10', issuingAuthority: 'UBND tỉnh Bắc Giang' };
    for (const s of [await signIn(t, 'commune_officer'), await signIn(t, 'producer', { producerId: p.producer.id }), await signIn(t, 'council_member')]) {
      expectProblem(await call(t, s, 'POST', '/api/certificates/legacy', body), 403, 'FORBIDDEN');
    }
    const bad = expectProblem(await call(t, officer, 'POST', '/api/certificates/legacy', { ...body, star: 6, decisionDate: '10/01/2024', issuingAuthority: '' }), 400, 'VALIDATION');
    expect(bad.errors!.map((e) => e.path).sort()).toEqual(['body.decisionDate', 'body.issuingAuthority', 'body.star']);
    expectProblem(await call(t, officer, 'POST', '/api/certificates/legacy', { ...body, productId: '00000000-0000-4000-8000-000000000000' }), 404, 'NOT_FOUND');
    expect(await activeCount(p.id)).toBe(0);
  });
});

describe('certificates: one active per product, immutable once issued', () => {
  it('the database refuses a second active certificate and any change but the status move', async () => {
    const p = await newProduct();
    const c = await recordLegacy(t, p.id, { decisionDate: '2024-03-01' });
    const cols = 'number, product_id, producer_id, star, decision_number, decision_date, issuing_authority, issuing_unit_name, expires_on';
    await expect(t.dbh.query(`insert into certificates (${cols}) values ($1, $2, $3, 4, 'x', '2024-04-01', 'UBND', 'tỉnh', '2027-04-01')`, [unique('DUP-').slice(0, 40), p.id, p.producer.id]))
      .rejects.toThrow(/certificates_active_per_product_uq|duplicate key/);
    await expect(t.dbh.query('update certificates set star = 5 where id = $1', [c.id])).rejects.toThrow(/immutable/);
    await expect(t.dbh.query("update certificates set expires_on = '2030-01-01' where id = $1", [c.id])).rejects.toThrow(/immutable/);
    await expect(t.dbh.query('delete from certificates where id = $1', [c.id])).rejects.toThrow(/cannot be deleted/);
    // Revoked is final: no way back to active.
    expect((await call(t, officer, 'POST', `/api/certificates/${c.id}/revoke`, { reason: 'producer_request' })).statusCode).toBe(200);
    await expect(t.dbh.query("update certificates set status = 'active', revoked_reason = null, revoked_at = null where id = $1", [c.id])).rejects.toThrow(/status revoked is final/);
    expect(await scalar(t, 'select star from certificates where id = $1', [c.id])).toBe(4);
  });

  it('the API has no way to edit a certificate, and product writes cannot change the recognition it wrote', async () => {
    const p = await newProduct();
    const c = await recordLegacy(t, p.id, { decisionDate: '2024-03-01' });
    expectProblem(await call(t, officer, 'PUT', `/api/certificates/${c.id}`, { star: 5 }), 404, 'ROUTE_NOT_FOUND');
    expectProblem(await call(t, officer, 'DELETE', `/api/certificates/${c.id}`), 404, 'ROUTE_NOT_FOUND');
    const full = await product(p.id);
    const edit = {
      producerId: full.producer.id, name: full.name, taxonomyNodeId: full.taxonomy.id, registeredUnitId: full.unit.id, processingLevel: full.processingLevel,
      brand: full.brand, description: full.description, story: full.story, rawMaterialArea: full.rawMaterialArea, keyProduct: full.keyProduct,
      isDemo: false, sources: [], certifications: [], channels: [], version: full.version, recognition: { ...full.recognition, stars: 5 },
    };
    const res = expectProblem(await call(t, officer, 'PUT', `/api/products/${p.id}`, edit), 422, 'RECOGNITION_READ_ONLY');
    expect(res.errors).toEqual([{ path: 'body.recognition.stars', message: expect.stringContaining('Giấy chứng nhận') }]);
    expect((await get(officer, c.id)).star).toBe(4);
  });
});

describe('certificates: revocation', () => {
  it('revokes with a reason from the list: status revoked, the registry loses the star, the producer is told', async () => {
    const p = await newProduct();
    const producerUser = await signIn(t, 'producer', { producerId: p.producer.id });
    const c = await recordLegacy(t, p.id, { star: 4, decisionDate: '2024-06-01' });
    const res = await call(t, officer, 'POST', `/api/certificates/${c.id}/revoke`, { reason: 'inspection_violation' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ storedStatus: 'revoked', status: 'revoked', revokedReason: 'inspection_violation', revokedNote: null });
    expect(Date.parse(res.json().revokedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await product(p.id)).recognition).toEqual({ stars: null, recognitionYear: null, decisionNumber: null, decisionDate: null, certificateNumber: null, certificateIssuer: null, certificateExpiresOn: null });
    const hist = (await call(t, officer, 'GET', `/api/products/${p.id}/history`)).json();
    expect(hist[0]).toMatchObject({ action: 'recognition_revoked', before: { stars: 4 }, after: { stars: null } });
    const note = (await call(t, producerUser, 'GET', '/api/notifications')).json().items[0];
    expect(note).toMatchObject({ kind: 'certificate_revoked' });
    expect(note.body).toContain('Vi phạm phát hiện qua thanh tra, kiểm tra');
    expectProblem(await call(t, officer, 'POST', `/api/certificates/${c.id}/revoke`, { reason: 'other', note: 'lần hai' }), 409, 'CERTIFICATE_STATE');
  });

  it('"other" needs a note; an unknown reason is refused; a superseded certificate cannot be revoked', async () => {
    const p = await newProduct();
    const first = await recordLegacy(t, p.id, { decisionDate: '2021-05-01' });
    const second = await recordLegacy(t, p.id, { decisionDate: '2024-05-01' });
    const noNote = expectProblem(await call(t, officer, 'POST', `/api/certificates/${second.id}/revoke`, { reason: 'other' }), 400, 'VALIDATION');
    expect(noNote.errors).toEqual([{ path: 'body.note', message: 'Lý do khác: cần ghi rõ lý do thu hồi' }]);
    expectProblem(await call(t, officer, 'POST', `/api/certificates/${second.id}/revoke`, { reason: 'other', note: '   ' }), 400, 'VALIDATION');
    expectProblem(await call(t, officer, 'POST', `/api/certificates/${second.id}/revoke`, { reason: 'expired' }), 400, 'VALIDATION');
    expectProblem(await call(t, officer, 'POST', `/api/certificates/${first.id}/revoke`, { reason: 'producer_request' }), 409, 'CERTIFICATE_STATE');
    const ok = await call(t, officer, 'POST', `/api/certificates/${second.id}/revoke`, { reason: 'other', note: 'Chủ thể giải thể' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ revokedReason: 'other', revokedNote: 'Chủ thể giải thể' });
  });

  it('commune officer, council member, viewer and producer cannot revoke (403)', async () => {
    const p = await newProduct();
    const c = await recordLegacy(t, p.id);
    for (const s of [await signIn(t, 'commune_officer'), await signIn(t, 'council_member'), await signIn(t, 'viewer'), await signIn(t, 'producer', { producerId: p.producer.id })]) {
      expectProblem(await call(t, s, 'POST', `/api/certificates/${c.id}/revoke`, { reason: 'producer_request' }), 403, 'FORBIDDEN');
    }
    expect((await get(officer, c.id)).storedStatus).toBe('active');
  });
});

describe('certificates: who reads what', () => {
  it('a producer reads its own certificates only; producer B cannot read A’s', async () => {
    const pa = await newProduct();
    const pb = await newProduct();
    const [ca, cb] = [await recordLegacy(t, pa.id), await recordLegacy(t, pb.id)];
    const userA = await signIn(t, 'producer', { producerId: pa.producer.id });
    const userB = await signIn(t, 'producer', { producerId: pb.producer.id });
    expect((await get(userA, ca.id)).number).toBe(ca.number);
    expectProblem(await call(t, userB, 'GET', `/api/certificates/${ca.id}`), 403, 'FORBIDDEN');
    expectProblem(await call(t, userB, 'GET', `/api/certificates/${ca.id}/pdf`), 403, 'FORBIDDEN');
    const list = (await call(t, userB, 'GET', '/api/certificates?pageSize=200')).json();
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([cb.id]);
    expect((await call(t, userB, 'GET', `/api/certificates?producerId=${pa.producer.id}`)).json().total).toBe(0);
    expectProblem(await call(t, null, 'GET', '/api/certificates'), 401, 'UNAUTHENTICATED');
  });

  it('a commune officer reads certificates of products registered in its communes; viewers and council members read all', async () => {
    const inside = await newProduct({ registeredUnitId: await unitId(t, 'ln-hong-giang') });
    const outside = await newProduct({ registeredUnitId: await unitId(t, 'bn-x-luc-ngan') });
    const [ci, co] = [await recordLegacy(t, inside.id), await recordLegacy(t, outside.id)];
    const commune = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
    expect((await get(commune, ci.id)).id).toBe(ci.id);
    expectProblem(await call(t, commune, 'GET', `/api/certificates/${co.id}`), 403, 'FORBIDDEN');
    expect((await call(t, commune, 'GET', `/api/certificates?producerId=${outside.producer.id}`)).json().total).toBe(0);
    expect((await call(t, commune, 'GET', `/api/certificates?producerId=${inside.producer.id}`)).json().total).toBe(1);
    for (const s of [await signIn(t, 'viewer'), await signIn(t, 'council_member')]) {
      expect((await get(s, co.id)).id).toBe(co.id);
      expect((await call(t, s, 'GET', `/api/certificates?productId=${outside.id}`)).json().total).toBe(1);
    }
  });

  it('the Excel export holds the rows of the filtered list as the reader may see them (producer: its own only)', async () => {
    const pa = await newProduct();
    const pb = await newProduct();
    const [ca, cb] = [await recordLegacy(t, pa.id), await recordLegacy(t, pb.id)];
    const rowsOf = async (s: Session | null, query: string) => {
      const res = await call(t, s, 'GET', `/api/certificates/export.xlsx${query}`);
      if (res.statusCode !== 200) return res;
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="giay-chung-nhan-ocop-\d{4}-\d{2}-\d{2}\.xlsx"/);
      const { default: ExcelJS } = await import('exceljs');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      expect(ws.getRow(4).getCell(2).value).toBe('Số giấy chứng nhận');
      const numbers: string[] = [];
      ws.eachRow((row, n) => { if (n > 4 && typeof row.getCell(1).value === 'number') numbers.push(String(row.getCell(2).value)); });
      return numbers;
    };
    // The officer's export of one producer's list: exactly that list's certificates, with their status in words.
    const listed = (await call(t, officer, 'GET', `/api/certificates?producerId=${pa.producer.id}&pageSize=200`)).json();
    expect(await rowsOf(officer, `?producerId=${pa.producer.id}`)).toEqual(listed.items.map((c: { number: string }) => c.number));
    expect(listed.items.map((c: { id: string }) => c.id)).toContain(ca.id);
    // Producer B asks for everything: only its own certificate comes out.
    const userB = await signIn(t, 'producer', { producerId: pb.producer.id });
    expect(await rowsOf(userB, '')).toEqual([cb.number]);
    expect(await rowsOf(userB, `?producerId=${pa.producer.id}`)).toEqual([]);
    expectProblem((await rowsOf(null, '')) as never, 401, 'UNAUTHENTICATED');
    expectProblem((await rowsOf(officer, '?expiringWithinMonths=99')) as never, 400, 'VALIDATION');
  });

  it('lists by effective status and by "expiring within N months", with the re-evaluation dossier for staff', async () => {
    const producer = await makeProducer(t);
    const mk = async (decisionDate: string) => {
      const p = await makeProduct(t, producer.id);
      return recordLegacy(t, p.id, { decisionDate });
    };
    const active = await mk(decidedForExpiryIn(400));
    const expiring = await mk(decidedForExpiryIn(45));
    const later = await mk(decidedForExpiryIn(150));
    const expired = await mk(decidedForExpiryIn(-10));
    const q = async (s: Session, qs: string) => (await call(t, s, 'GET', `/api/certificates?producerId=${producer.id}&${qs}`)).json();
    const ids = (r: { items: { id: string }[] }) => r.items.map((i) => i.id);
    expect(ids(await q(officer, 'status=active'))).toEqual([active.id, later.id]); // latest decision first
    expect(ids(await q(officer, 'status=expiring'))).toEqual([expiring.id]);
    expect(ids(await q(officer, 'status=expired'))).toEqual([expired.id]);
    expect(ids(await q(officer, 'expiringWithinMonths=6'))).toEqual([expiring.id, later.id]);
    const exp = (await q(officer, 'status=expiring')).items[0];
    expect(exp).toMatchObject({ status: 'expiring', storedStatus: 'active', reevaluationDossier: null });
    expect(exp.daysLeft).toBeGreaterThanOrEqual(42);
    expect(exp.daysLeft).toBeLessThanOrEqual(45);

    // A re-evaluation dossier for the expiring certificate's product (read-only join on the dossiers table).
    const [{ id: dossierId }] = await t.dbh.query<{ id: string }>(`insert into dossiers (product_id, producer_id, kind, procedure_code, intake_unit_id, base_certificate_id, status)
      values ($1, $2, 'reevaluation', '148+1489', $3, $4, 'submitted') returning id`, [expiring.productId, producer.id, await unitId(t, 'bn-p-chu'), expiring.id]);
    expect((await q(officer, 'status=expiring')).items[0].reevaluationDossier).toEqual({ id: dossierId, status: 'submitted' });
    const viewer = await signIn(t, 'viewer');
    expect((await q(viewer, 'status=expiring')).items[0].reevaluationDossier).toBeNull();
    const own = await signIn(t, 'producer', { producerId: producer.id });
    expect((await q(own, 'status=expiring')).items[0].reevaluationDossier).toEqual({ id: dossierId, status: 'submitted' });
    const byName = await call(t, officer, 'GET', `/api/certificates?q=${encodeURIComponent(expiring.number.toLowerCase())}`);
    expect(byName.json().items.map((i: { id: string }) => i.id)).toEqual([expiring.id]);
  });
});

describe('certificates: backfill of recognitions recorded before certificates existed', () => {
  it('gives such products a paper certificate (their number when usable, else a generated one), re-reads their fields from it, once', async () => {
    const [p1, p2] = [await newProduct(), await newProduct()];
    const number = unique('CU-').slice(0, 40);
    const set = `update products set stars = $2, recognition_year = 2022, decision_number = $3, decision_date = $4, certificate_number = $5,
      certificate_issuer = $6, certificate_expires_on = '2025-02-27' where id = $1`;
    await t.dbh.query(set, [p1.id, 4, '55/QĐ-UBND', '2022-02-28', number, 'UBND tỉnh Bắc Giang']);
    await t.dbh.query(set, [p2.id, 3, '56/QĐ-UBND', '2022-03-15', 'Số 12 (bản giấy)', null]);
    expect(await backfillLegacyCertificates(t.dbh.db, { force: true })).toBeGreaterThanOrEqual(2);
    const rows = await t.dbh.query<{ product_id: string; number: string; star: number; status: string; is_legacy: boolean; expires_on: string; issuing_authority: string; issuing_unit_name: string }>(
      'select product_id, number, star, status, is_legacy, expires_on::text, issuing_authority, issuing_unit_name from certificates where product_id = any($1::uuid[]) order by decision_date', [[p1.id, p2.id]]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ product_id: p1.id, number, star: 4, status: 'active', is_legacy: true, expires_on: '2025-02-28', issuing_authority: 'UBND tỉnh Bắc Giang', issuing_unit_name: 'tỉnh Bắc Giang' });
    expect(rows[1]).toMatchObject({ product_id: p2.id, star: 3, status: 'active', expires_on: '2025-03-15', issuing_unit_name: 'Không rõ' });
    expect(rows[1].number).toMatch(/^OCOP-2022-\d{6}$/);
    expect((await product(p1.id)).recognition).toMatchObject({ stars: 4, certificateNumber: number, certificateExpiresOn: '2025-02-28' });
    expect((await product(p2.id)).recognition).toMatchObject({ stars: 3, certificateNumber: rows[1].number, certificateExpiresOn: '2025-03-15' });
    await backfillLegacyCertificates(t.dbh.db, { force: true });
    expect(await scalar(t, 'select count(*) from certificates where product_id = any($1::uuid[])', [[p1.id, p2.id]])).toBe(2);
    // Marked done: a plain (boot-time) call does not scan again.
    await t.dbh.query(set, [(await newProduct()).id, 4, '57/QĐ-UBND', '2022-04-01', null, null]);
    expect(await backfillLegacyCertificates(t.dbh.db)).toBe(0);
    // Revocation now applies to them like to any other.
    expect((await call(t, officer, 'POST', `/api/certificates/${(await call(t, officer, 'GET', `/api/certificates?productId=${p2.id}`)).json().items[0].id}/revoke`, { reason: 'not_reevaluated' })).statusCode).toBe(200);
    expect((await product(p2.id)).stars).toBeNull();
  });
});

describe('certificates: the PDF', () => {
  it('A4 landscape with the product, number and QR link; a revoked one is stamped ĐÃ THU HỒI', async () => {
    const p = await newProduct({ name: `Mật ong hoa vải Lục Ngạn ${unique()}` });
    const c = await recordLegacy(t, p.id, { decisionDate: '2024-06-01' });
    const res = await call(t, officer, 'GET', `/api/certificates/${c.id}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const text = pdfText(res.rawPayload);
    expect(text).toContain(p.name);
    expect(text).toContain(c.number);
    expect(text).not.toContain('ĐÃ THU HỒI');
    await call(t, officer, 'POST', `/api/certificates/${c.id}/revoke`, { reason: 'producer_request' });
    expect(pdfText((await call(t, officer, 'GET', `/api/certificates/${c.id}/pdf`)).rawPayload)).toContain('ĐÃ THU HỒI');
  });
});

function pdfText(pdf: Buffer) {
  const f = path.join(os.tmpdir(), `cert-${process.pid}-${Date.now()}.pdf`);
  fs.writeFileSync(f, pdf);
  try {
    return execFileSync('/usr/bin/pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(f, { force: true });
  }
}

describe('public verification page /xac-thuc', () => {
  const page = (n: string) => t.app.inject({ method: 'GET', url: `/xac-thuc/${encodeURIComponent(n)}`, headers: { accept: 'text/html' } });
  const checkHtml = (res: Awaited<ReturnType<typeof page>>) => {
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toMatch(/^<!doctype html><html lang="vi">/);
    expect(res.body).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(res.body).not.toMatch(/<script/i);
    expect(res.body).not.toContain('id="root"'); // not the back office's index.html
    expect(Buffer.byteLength(res.body)).toBeLessThan(30 * 1024);
  };

  it('an active certificate: product, producer, star, decision and dates, "Còn hiệu lực"; cached 60 s; only whitelisted fields', async () => {
    const p = await newProduct();
    const c = await recordLegacy(t, p.id, { star: 4, decisionDate: decidedForExpiryIn(500), decisionNumber: '321/QĐ-UBND' });
    const res = await page(c.number);
    expect(res.statusCode).toBe(200);
    checkHtml(res);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.body).toContain('Còn hiệu lực');
    for (const s of [c.number, p.name, p.producer.legalName, '4 sao', '★★★★☆', '321/QĐ-UBND', 'UBND tỉnh Bắc Giang']) expect(res.body).toContain(s.replace(/&/g, '&amp;'));
    const [y, m, d] = c.expiresOn.split('-');
    expect(res.body).toContain(`${d}/${m}/${y}`);
    expect(res.body).not.toContain(c.id);
    expect(res.body).not.toContain(p.id);
    // Lower-case input finds the printed upper-case number.
    expect((await page(c.number.toLowerCase())).statusCode).toBe(200);
  });

  it('a certificate issued from a round scored on the demo criteria set says it is demo, on the page and in the PDF', async () => {
    const p = await newProduct();
    const { roundId } = await finalisedRound(t, officer, [{ id: p.id, total: 80 }]);
    const issued = await call(t, officer, 'POST', '/api/certificates', issueBody(roundId, p.id));
    expect(issued.statusCode, issued.body).toBe(201);
    const res = await page(issued.json().number);
    checkHtml(res);
    expect(res.body).toContain('DỮ LIỆU MẪU (DEMO)');
    expect(res.body).toContain('không có giá trị công nhận');
    const pdf = await call(t, officer, 'GET', `/api/certificates/${issued.json().id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // A paper certificate (no criteria set) is not marked.
    const paper = await recordLegacy(t, (await newProduct()).id, { decisionDate: decidedForExpiryIn(400) });
    expect((await page(paper.number)).body).not.toContain('DỮ LIỆU MẪU');
  });

  it('expiring, expired, revoked and superseded certificates say so plainly', async () => {
    const soon = await recordLegacy(t, (await newProduct()).id, { decisionDate: decidedForExpiryIn(20) });
    const soonRes = await page(soon.number);
    checkHtml(soonRes);
    expect(soonRes.body).toContain('Sắp hết hạn');
    expect(soonRes.body).toMatch(/Còn \d+ ngày/);

    const old = await recordLegacy(t, (await newProduct()).id, { decisionDate: '2020-12-15' });
    const oldRes = await page(old.number);
    checkHtml(oldRes);
    expect(oldRes.body).toContain('ĐÃ HẾT HẠN ngày 15/12/2023');

    const revoked = await recordLegacy(t, (await newProduct()).id, { decisionDate: '2024-01-10' });
    await call(t, officer, 'POST', `/api/certificates/${revoked.id}/revoke`, { reason: 'failed_mandatory' });
    const revRes = await page(revoked.number);
    checkHtml(revRes);
    const [y, m, d] = today.split('-');
    expect(revRes.body).toContain(`ĐÃ BỊ THU HỒI ngày ${d}/${m}/${y} — lý do: Không đạt tiêu chí bắt buộc khi đánh giá lại`);

    const p = await newProduct();
    const first = await recordLegacy(t, p.id, { decisionDate: '2022-01-10' });
    const second = await recordLegacy(t, p.id, { decisionDate: '2024-01-10' });
    const supRes = await page(first.number);
    checkHtml(supRes);
    expect(supRes.body).toContain(`Đã được thay thế bởi giấy chứng nhận số <a href="/xac-thuc/${second.number}">${second.number}</a>`);
  });

  it('an unknown number → 404 HTML page (not the SPA, not JSON); the lookup form redirects to the number', async () => {
    const res = await page('OCOP-1999-000000');
    expect(res.statusCode).toBe(404);
    checkHtml(res);
    expect(res.body).toContain('Không tìm thấy giấy chứng nhận số OCOP-1999-000000');
    const junk = await page('<script>alert(1)</script>');
    expect(junk.statusCode).toBe(404);
    checkHtml(junk);
    expect(junk.body).toContain('&lt;script&gt;');
    const form = await t.app.inject({ method: 'GET', url: '/xac-thuc', headers: { accept: 'text/html' } });
    expect(form.statusCode).toBe(200);
    checkHtml(form);
    expect(form.body).toContain('<form method="get" action="/xac-thuc">');
    const lookup = await t.app.inject({ method: 'GET', url: '/xac-thuc?so=%20OCOP-2024-000001%20' });
    expect(lookup.statusCode).toBe(303);
    expect(lookup.headers.location).toBe('/xac-thuc/OCOP-2024-000001');
  });
});

// ---------------------------------------------------------------- reminders

describe('certificates: expiry (the effective star)', () => {
  it('an expired certificate leaves the product without a star in the registry at once; the daily job records it once and tells the producer', async () => {
    const p = await newProduct();
    const producerUser = await signIn(t, 'producer', { producerId: p.producer.id });
    const viewer = await signIn(t, 'viewer');
    // Expired yesterday: the 36 months ended.
    const c = await recordLegacy(t, p.id, { star: 4, decisionDate: decidedForExpiryIn(-1) });
    const read = (await call(t, viewer, 'GET', `/api/products/${p.id}`)).json();
    expect(read.stars).toBeNull();
    expect(read.expiredStars).toBe(4);
    expect(read.recognition.certificateNumber).toBe(c.number); // history stays
    expect((await call(t, viewer, 'GET', `/api/products?q=${encodeURIComponent(p.name)}&stars=4`)).json().items).toEqual([]);
    expect((await call(t, viewer, 'GET', `/api/certificates/${c.id}`)).json().status).toBe('expired');

    const run1 = await recordExpiries(t.dbh.db, today);
    expect(run1.expired).toBeGreaterThanOrEqual(1);
    expect(await scalar(t, 'select count(*) from certificate_expiries where certificate_id = $1', [c.id])).toBe(1);
    // The registry keeps which certificate lapsed; no read counts it.
    expect(await scalar(t, 'select count(*) from products where id = $1 and certificate_number = $2', [p.id, c.number])).toBe(1);
    expect((await call(t, viewer, 'GET', `/api/products/${p.id}`)).json()).toMatchObject({ stars: null, expiredStars: 4 });
    const notes = (await call(t, producerUser, 'GET', '/api/notifications')).json();
    expect(notes.items.some((n: { kind: string; entityId: string }) => n.kind === 'certificate_expired')).toBe(true);
    const hist = (await call(t, viewer, 'GET', `/api/products/${p.id}/history`)).json();
    expect(hist[0]).toMatchObject({ action: 'recognition_expired', before: { effectiveStars: 4, certificateNumber: c.number }, after: { effectiveStars: null } });
    // Never twice.
    await recordExpiries(t.dbh.db, today);
    expect(await scalar(t, "select count(*) from notifications where kind = 'certificate_expired' and entity_id = $1", [c.id])).toBeGreaterThanOrEqual(1);
    const before = await scalar(t, "select count(*) from notifications where kind = 'certificate_expired' and entity_id = $1", [c.id]);
    await recordExpiries(t.dbh.db, today);
    expect(await scalar(t, "select count(*) from notifications where kind = 'certificate_expired' and entity_id = $1", [c.id])).toBe(before);
    // A certificate still in force is untouched.
    const q = await newProduct();
    await recordLegacy(t, q.id, { star: 4, decisionDate: decidedForExpiryIn(10) });
    await recordExpiries(t.dbh.db, today);
    expect((await call(t, viewer, 'GET', `/api/products/${q.id}`)).json().stars).toBe(4);
  });
});

describe('certificates: expiry reminders', () => {
  const config = () => ({ reminderDays: [90, 60, 30], smtpUrl: undefined, mailFrom: 'OCOP Hub <no-reply@ocop-hub.local>', publicBaseUrl: 'http://localhost:3000' });
  const mine = <T extends { certificateId: string }>(xs: T[], ids: string[]) => xs.filter((x) => ids.includes(x.certificateId));

  it('sends each threshold once, the tightest only when several are crossed together, across a restart; e-mail when SMTP is set', async () => {
    const producer = await makeProducer(t);
    const producerUser = await signIn(t, 'producer', { producerId: producer.id });
    await t.dbh.query('update users set email = $1 where id = $2', [`${producerUser.login}@example.vn`, producerUser.userId]);
    const communeOfficer = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
    const mk = async (days: number, extra: { revoke?: boolean } = {}) => {
      const p = await makeProduct(t, producer.id);
      const c = await recordLegacy(t, p.id, { decisionDate: decidedForExpiryIn(days) });
      if (extra.revoke) await call(t, officer, 'POST', `/api/certificates/${c.id}/revoke`, { reason: 'producer_request' });
      return { ...c, daysLeft: daysBetween(today, c.expiresOn) };
    };
    const c45 = await mk(45);
    const c20 = await mk(20);
    const c100 = await mk(100);
    const cExpired = await mk(-5);
    const cRevoked = await mk(10, { revoke: true });
    const ids = [c45, c20, c100, cExpired, cRevoked].map((c) => c.id);
    expect(c45.daysLeft).toBeGreaterThan(30);
    expect(c45.daysLeft).toBeLessThanOrEqual(60);
    expect(c20.daysLeft).toBeLessThanOrEqual(30);

    const mails: { to: string; subject: string }[] = [];
    const transport = { sendMail: async (m: { to: string; subject: string }) => { mails.push(m); return {}; } } as unknown as Transporter;
    const run1 = await sendDueReminders(t.dbh.db, config(), today, { transport });
    expect(mine(run1.sent, ids).map((s) => [s.certificateId, s.thresholdDays]).sort()).toEqual([[c45.id, 60], [c20.id, 30]].sort());
    expect(mine(run1.skipped, ids).map((s) => [s.certificateId, s.thresholdDays]).sort()).toEqual([[c45.id, 90], [c20.id, 90], [c20.id, 60]].sort());
    const stored = await t.dbh.query<{ certificate_id: string; threshold_days: number; skipped: boolean }>(
      'select certificate_id, threshold_days, skipped from certificate_reminders where certificate_id = any($1::uuid[]) order by certificate_id, threshold_days', [ids]);
    expect(stored).toHaveLength(5);
    expect(stored.filter((r) => !r.skipped).map((r) => r.threshold_days).sort()).toEqual([30, 60]);

    // Producer and the commune officer of phường Chũ (the products' unit) are told, in-app; the producer by e-mail too.
    const prodNotes = (await call(t, producerUser, 'GET', '/api/notifications')).json().items.filter((n: { kind: string }) => n.kind === 'certificate_expiring');
    expect(prodNotes).toHaveLength(2);
    expect(prodNotes.map((n: { link: string }) => n.link).sort()).toEqual([`/certificates/${c45.id}`, `/certificates/${c20.id}`].sort());
    expect(prodNotes.find((n: { link: string }) => n.link === `/certificates/${c20.id}`).title).toContain(`còn ${c20.daysLeft} ngày`);
    const offNotes = (await call(t, communeOfficer, 'GET', '/api/notifications')).json().items.filter((n: { kind: string; link: string }) => n.kind === 'certificate_expiring' && ids.some((id) => n.link.endsWith(id)));
    expect(offNotes).toHaveLength(2);
    expect(mails.filter((m) => m.to === `${producerUser.login}@example.vn`)).toHaveLength(2);
    expect(await scalar(t, "select count(*) from notifications where user_id = $1 and kind = 'certificate_expiring' and emailed_at is not null", [producerUser.userId])).toBe(2);

    // Again the same day: nothing new.
    const run2 = await sendDueReminders(t.dbh.db, config(), today, { transport });
    expect(mine(run2.sent, ids)).toEqual([]);
    expect(mine(run2.skipped, ids)).toEqual([]);

    // A restart: a new database handle on the same data (PGlite: the data directory reopened; PostgreSQL: a new pool).
    const reopened = await reopen(t.dbh);
    try {
      const run3 = await sendDueReminders(reopened.db, config(), today);
      expect(mine(run3.sent, ids)).toEqual([]);
      // Some days later the 45-day certificate crosses 30 (and the 100-day one 90): exactly those reminders.
      const later = plusDays(today, c45.daysLeft - 29);
      const run4 = await sendDueReminders(reopened.db, config(), later);
      expect(mine(run4.sent, ids).map((s) => [s.certificateId, s.thresholdDays]).sort()).toEqual([[c45.id, 30], [c100.id, 90]].sort());
      expect(mine((await sendDueReminders(reopened.db, config(), later)).sent, ids)).toEqual([]);
    } finally {
      await reopened.close();
    }
    // Run 4 wrote through the other handle; PGlite's reopened copy is a separate database, PostgreSQL's is the same.
    expect(await scalar(t, "select count(*) from notifications where user_id = $1 and kind = 'certificate_expiring'", [producerUser.userId])).toBe(process.env.TEST_DATABASE_URL ? 4 : 2);
  });

  it('a product no commune officer covers: the province officers are warned instead', async () => {
    const admin = await signIn(t, 'admin');
    const unit = await call(t, admin, 'POST', '/api/geo/units', { key: unique('k').toLowerCase(), name: `Xã Không Cán Bộ ${unique()}`, type: 'commune' });
    expect(unit.statusCode, unit.body).toBe(201);
    const producer = await makeProducer(t);
    const p = await makeProduct(t, producer.id, { registeredUnitId: unit.json().id });
    const c = await recordLegacy(t, p.id, { decisionDate: decidedForExpiryIn(25) });
    const province = await signIn(t, 'province_officer');
    const run = await sendDueReminders(t.dbh.db, config(), today);
    expect(mine(run.sent, [c.id])).toHaveLength(1);
    const notes = (await call(t, province, 'GET', '/api/notifications')).json().items;
    expect(notes.some((n: { link: string }) => n.link === `/certificates/${c.id}`)).toBe(true);
  });

  it('the pg-boss job runs the reminders once at start (on this engine), and stops gracefully', async () => {
    const p = await newProduct();
    const c = await recordLegacy(t, p.id, { decisionDate: decidedForExpiryIn(15) });
    const url = process.env.TEST_DATABASE_URL;
    const runs: string[][] = [];
    const jobs = await startJobs({
      config: { ...(await import('../../config.js')).loadConfig({ NODE_ENV: 'test' }), databaseUrl: url || undefined },
      dbh: t.dbh, log: { info: () => undefined, error: () => undefined }, pollingIntervalSeconds: 0.5,
      onReminderRun: (run) => runs.push(run.sent.map((s) => s.certificateId)),
    });
    try {
      const deadline = Date.now() + 30_000;
      while (!runs.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(runs.length).toBeGreaterThan(0);
      expect(runs.flat()).toContain(c.id);
      const schedules = await jobs.boss.getSchedules();
      expect(schedules.find((s) => s.name === 'certificate-reminders')).toMatchObject({ cron: '0 7 * * *', options: expect.objectContaining({ tz: 'Asia/Ho_Chi_Minh' }) });
    } finally {
      await jobs.stop();
    }
    expect(await scalar(t, 'select count(*) from certificate_reminders where certificate_id = $1 and not skipped', [c.id])).toBe(1);
  }, 60_000);
});

/** A second handle on the same database, as after a restart. */
async function reopen(h: DbHandle): Promise<DbHandle> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return openPostgres(url, 2);
  void inject;
  return openPglite(null, await h.dump!());
}
