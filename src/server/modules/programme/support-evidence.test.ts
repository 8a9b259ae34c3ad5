import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, call, makeProducer, makeProduct, signIn, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { expectProblem, multipart } from '../../../../test/helpers/http.js';
import { pdfOf } from '../../../../test/helpers/evidence.js';

let t: TestApp;
let province: Session;
let producerId = '';
let supportId = '';

const upload = (s: Session, id: string, fields: Record<string, string> = {}, file = pdfOf('Bien ban nghiem thu'), name = 'bien-ban-nghiem-thu.pdf'): Promise<LightMyRequestResponse> => {
  const body = multipart([
    ...Object.entries({ type: 'other', title: 'Biên bản nghiệm thu bao bì', issuer: 'Sở Công Thương', ...fields }).map(([k, v]) => ({ name: k, data: v })),
    { name: 'file', data: file, filename: name, contentType: 'application/pdf' },
  ]);
  return t.app.inject({ method: 'POST', url: `/api/support-activities/${id}/evidence`, payload: body.payload, headers: { ...body.headers, cookie: s.cookie, 'x-csrf-token': s.csrf } });
};

beforeAll(async () => {
  t = await buildTestApp();
  province = await signIn(t, 'province_officer');
  const producer = await makeProducer(t);
  producerId = producer.id;
  const product = await makeProduct(t, producerId);
  const res = await call(t, province, 'POST', '/api/support-activities', {
    producerId, productId: product.id, type: 'labels_packaging', description: 'Thiết kế bao bì', amountVnd: 20_000_000, fundingSource: 'district_budget', activityDate: '2026-04-01', status: 'done',
  });
  expect(res.statusCode, res.body).toBe(201);
  supportId = res.json().id;
});
afterAll(async () => t?.close());

describe('evidence files of a support activity', () => {
  it('an officer uploads a document: it goes into the producer’s locker, linked to the activity, in one write', async () => {
    const res = await upload(province, supportId);
    expect(res.statusCode, res.body).toBe(201);
    const list = res.json();
    expect(list.canUpload).toBe(true);
    expect(list.items).toHaveLength(1);
    const e = list.items[0];
    expect(e).toMatchObject({ type: 'other', title: 'Biên bản nghiệm thu bao bì', fileName: 'bien-ban-nghiem-thu.pdf', contentType: 'application/pdf' });
    expect(e.downloadUrl).toBe(`/api/support-activities/${supportId}/evidence/${e.id}/file`);
    // The same document is in the producer's locker (a link, not a copy).
    const locker = (await call(t, province, 'GET', `/api/producers/${producerId}/evidence`)).json();
    expect(locker.map((x: { id: string }) => x.id)).toContain(e.id);
    const file = await call(t, province, 'GET', e.downloadUrl);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment/);
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const audit = await t.dbh.query<{ action: string }>('select action from audit_log where entity_type = $1 and entity_id = $2', ['support_activity', supportId]);
    expect(audit.map((a) => a.action)).toContain('link_evidence');
  });

  it('refuses a bad file or missing title before anything is stored', async () => {
    const before = (await call(t, province, 'GET', `/api/support-activities/${supportId}/evidence`)).json().items.length;
    expectProblem(await upload(province, supportId, {}, Buffer.from('MZ not a pdf'), 'x.pdf'), 415, 'UNSUPPORTED_FILE');
    expectProblem(await upload(province, supportId, { title: '' }), 400, 'VALIDATION');
    expect((await call(t, province, 'GET', `/api/support-activities/${supportId}/evidence`)).json().items).toHaveLength(before);
  });

  it('links a document already in the producer’s locker (not another producer’s); unlinking keeps it in the locker', async () => {
    const own = await signIn(t, 'producer', { producerId });
    const body = multipart([{ name: 'type', data: 'photo' }, { name: 'title', data: 'Ảnh bao bì mới' }, { name: 'file', data: pdfOf('anh'), filename: 'anh.pdf', contentType: 'application/pdf' }]);
    const up = await t.app.inject({ method: 'POST', url: `/api/producers/${producerId}/evidence`, payload: body.payload, headers: { ...body.headers, cookie: own.cookie, 'x-csrf-token': own.csrf } });
    expect(up.statusCode, up.body).toBe(201);
    const evidenceId = up.json().id;
    const linked = await call(t, province, 'POST', `/api/support-activities/${supportId}/evidence/${evidenceId}`);
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().items.map((x: { id: string }) => x.id)).toContain(evidenceId);
    // A linked document cannot be deleted from the locker while the activity uses it.
    expectProblem(await call(t, own, 'DELETE', `/api/evidence/${evidenceId}`), 409, 'IN_USE');
    // Another producer's document is refused.
    const stranger = await makeProducer(t);
    const theirs = multipart([{ name: 'type', data: 'other' }, { name: 'title', data: 'Khác' }, { name: 'file', data: pdfOf('x'), filename: 'x.pdf', contentType: 'application/pdf' }]);
    const theirId = (await t.app.inject({ method: 'POST', url: `/api/producers/${stranger.id}/evidence`, payload: theirs.payload, headers: { ...theirs.headers, cookie: province.cookie, 'x-csrf-token': province.csrf } })).json().id;
    expectProblem(await call(t, province, 'POST', `/api/support-activities/${supportId}/evidence/${theirId}`), 400, 'VALIDATION');
    const unlinked = await call(t, province, 'DELETE', `/api/support-activities/${supportId}/evidence/${evidenceId}`);
    expect(unlinked.statusCode, unlinked.body).toBe(200);
    expect(unlinked.json().items.map((x: { id: string }) => x.id)).not.toContain(evidenceId);
    expect((await call(t, own, 'GET', `/api/evidence/${evidenceId}`)).statusCode).toBe(200);
    expectProblem(await call(t, province, 'DELETE', `/api/support-activities/${supportId}/evidence/${evidenceId}`), 404, 'NOT_FOUND');
  });

  it('the supported producer lists and downloads; another producer, viewers and council members are refused', async () => {
    const items = (await call(t, province, 'GET', `/api/support-activities/${supportId}/evidence`)).json().items;
    const url = items[0].downloadUrl;
    const own = await signIn(t, 'producer', { producerId });
    const mine = await call(t, own, 'GET', `/api/support-activities/${supportId}/evidence`);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toMatchObject({ canUpload: false });
    // The support list tells the screens who may open the documents (the same policy).
    expect((await call(t, own, 'GET', `/api/support-activities/${supportId}`)).json()).toMatchObject({ canSeeEvidence: true, canEdit: false });
    expect((await call(t, await signIn(t, 'viewer'), 'GET', `/api/support-activities/${supportId}`)).json()).toMatchObject({ canSeeEvidence: false });
    expect((await call(t, province, 'GET', `/api/support-activities/${supportId}`)).json()).toMatchObject({ canSeeEvidence: true, canEdit: true });
    expect((await call(t, own, 'GET', url)).statusCode).toBe(200);
    expectProblem(await upload(own, supportId), 403, 'FORBIDDEN');
    // Linking and unlinking are the officers' too: the producer (and a viewer) are refused, nothing changes.
    const linkedId = items[0].id;
    for (const s of [own, await signIn(t, 'viewer')]) {
      expectProblem(await call(t, s, 'DELETE', `/api/support-activities/${supportId}/evidence/${linkedId}`), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'POST', `/api/support-activities/${supportId}/evidence/${linkedId}`), 403, 'FORBIDDEN');
    }
    expect((await call(t, province, 'GET', `/api/support-activities/${supportId}/evidence`)).json().items.map((x: { id: string }) => x.id)).toContain(linkedId);
    const other = await signIn(t, 'producer', { producerId: (await makeProducer(t)).id });
    for (const s of [other, await signIn(t, 'viewer'), await signIn(t, 'council_member'), await signIn(t, 'central_officer')]) {
      expectProblem(await call(t, s, 'GET', `/api/support-activities/${supportId}/evidence`), 403, 'FORBIDDEN');
      expectProblem(await call(t, s, 'GET', url), 403, 'FORBIDDEN');
      expectProblem(await upload(s, supportId), 403, 'FORBIDDEN');
    }
    // A commune officer outside the activity's commune neither reads nor writes; one inside does both.
    const elsewhere = await signIn(t, 'commune_officer', { unitKeys: ['bn-x-sa-ly'] });
    expectProblem(await call(t, elsewhere, 'GET', url), 403, 'FORBIDDEN');
    expectProblem(await upload(elsewhere, supportId), 403, 'FORBIDDEN');
    const inside = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
    expect((await call(t, inside, 'GET', url)).statusCode).toBe(200);
    expect((await upload(inside, supportId, { title: 'Hoá đơn' })).statusCode).toBe(201);
    // A document not linked to this activity is not reachable through it.
    expectProblem(await call(t, province, 'GET', `/api/support-activities/${supportId}/evidence/${crypto.randomUUID()}/file`), 404, 'NOT_FOUND');
  });
});
