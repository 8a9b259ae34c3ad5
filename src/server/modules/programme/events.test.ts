import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, makeProducer, makeProduct, signIn, unique, unitId, type Session, type TestApp } from '../../../../test/helpers/app.js';

let t: TestApp;
let province: Session;
let chu = 0;
let producerId = '';
let productId = '';
const event = (over: Record<string, unknown> = {}) => ({
  type: 'awareness', title: `Hội nghị tuyên truyền OCOP ${unique()}`, startsOn: '2026-04-10', endsOn: '2026-04-10', place: 'Nhà văn hoá', organiser: 'UBND phường Chũ',
  unitId: chu, costVnd: 5_000_000, fundingSource: 'district_budget', attendance: 120, status: 'held', participants: [{ producerId, productId }], ...over,
});

beforeAll(async () => {
  t = await buildTestApp();
  province = await signIn(t, 'province_officer');
  chu = await unitId(t, 'bn-p-chu');
  producerId = (await makeProducer(t)).id;
  productId = (await makeProduct(t, producerId)).id;
});
afterAll(async () => t?.close());

describe('events', () => {
  it('an officer records an event with participants and outcomes; edits need the version', async () => {
    const res = await call(t, province, 'POST', '/api/programme-events', event({ type: 'fair', salesVnd: 250_000_000, contractsSigned: 3, followUp: 'Kết nối siêu thị' }));
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({ type: 'fair', salesVnd: 250_000_000, contractsSigned: 3, attendance: 120, participants: [{ producerId, productId }], unit: { id: chu } });
    const { id, version, unit, canEdit, participants, ...rest } = e;
    const body = { ...rest, unitId: unit.id, participants: participants.map((p: { producerId: string; productId: string | null }) => ({ producerId: p.producerId, productId: p.productId })) };
    const ok = await call(t, province, 'PUT', `/api/programme-events/${id}`, { ...body, version, attendance: 150 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().attendance).toBe(150);
    expect((await call(t, province, 'PUT', `/api/programme-events/${id}`, { ...body, version })).statusCode).toBe(409);
    void canEdit;
  });

  it('refuses an end before the start and a product of another producer', async () => {
    expect((await call(t, province, 'POST', '/api/programme-events', event({ endsOn: '2026-04-09' }))).statusCode).toBe(400);
    const other = await makeProducer(t);
    const bad = await call(t, province, 'POST', '/api/programme-events', event({ participants: [{ producerId: other.id, productId }] }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('participants.0.productId');
  });

  it('events count toward the plan: awareness sessions held in the period, by the units of the area', async () => {
    const plan = await call(t, province, 'POST', '/api/programme/plans', {
      code: unique('e').toLowerCase(), title: 'Kế hoạch phường Chũ', issuingUnit: 'UBND phường Chũ', areaUnitId: chu, periodFrom: 2026, periodTo: 2026,
      targets: [{ indicator: 'awareness_sessions', valueMin: 2, unit: 'count' }, { indicator: 'events_held', valueMin: 1, unit: 'count' }],
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const before = (await call(t, province, 'GET', `/api/programme/plans/${plan.json().id}/indicators/awareness_sessions?asOf=2026-12-31`)).json().value;
    await call(t, province, 'POST', '/api/programme-events', event());
    await call(t, province, 'POST', '/api/programme-events', event({ status: 'planned', startsOn: '2026-11-01', endsOn: '2026-11-01' }));
    await call(t, province, 'POST', '/api/programme-events', event({ startsOn: '2025-12-01', endsOn: '2025-12-01' }));
    const d = (await call(t, province, 'GET', `/api/programme/plans/${plan.json().id}/indicators/awareness_sessions?asOf=2026-12-31`)).json();
    expect(d.value).toBe(before + 1);
    expect(d.records.length).toBe(d.value);
    expect(d.records.every((r: { kind: string; date: string }) => r.kind === 'event' && r.date >= '2026-01-01')).toBe(true);
  });

  it('commune officers write and read events of their communes; producers see the events they took part in; viewers only read', async () => {
    const mine = await signIn(t, 'commune_officer', { unitKeys: ['bn-p-chu'] });
    const created = await call(t, mine, 'POST', '/api/programme-events', event({ type: 'training' }));
    expect(created.statusCode, created.body).toBe(201);
    const elsewhere = await signIn(t, 'commune_officer', { unitKeys: ['bn-x-sa-ly'] });
    expect((await call(t, elsewhere, 'POST', '/api/programme-events', event())).statusCode).toBe(403);
    expect((await call(t, elsewhere, 'GET', `/api/programme-events/${created.json().id}`)).statusCode).toBe(403);
    expect((await call(t, elsewhere, 'GET', '/api/programme-events?type=training')).json().items.map((e: { id: string }) => e.id)).not.toContain(created.json().id);
    const viewer = await signIn(t, 'viewer');
    expect((await call(t, viewer, 'POST', '/api/programme-events', event())).statusCode).toBe(403);
    expect((await call(t, viewer, 'GET', `/api/programme-events/${created.json().id}`)).statusCode).toBe(200);
    const participant = await signIn(t, 'producer', { producerId });
    expect((await call(t, participant, 'GET', `/api/programme-events/${created.json().id}`)).statusCode).toBe(200);
    expect((await call(t, participant, 'POST', '/api/programme-events', event())).statusCode).toBe(403);
    const outsider = await signIn(t, 'producer', { producerId: (await makeProducer(t)).id });
    expect((await call(t, outsider, 'GET', `/api/programme-events/${created.json().id}`)).statusCode).toBe(403);
    expect((await call(t, outsider, 'GET', '/api/programme-events')).json().items).toEqual([]);
  });
});
