import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireActor } from '../../plugins/auth.js';
import { typed, ZUuidParams, type Deps } from '../../lib/http.js';
import { getHome } from './home.js';
import { getPlanMap, ZPlanMap, ZPlanMapQuery } from './map.js';
import {
  ZBudget, ZBudgetEntry, ZBudgetEntryInput, ZEvent, ZEventInput, ZEventListQuery, ZEventPage, ZEventUpdate, ZDrill, ZDrillQuery, ZHome, ZSupport, ZSupportInput, ZSupportListQuery, ZSupportPage, ZSupportUpdate, ZIndicatorDef, ZPanel, ZPanelQuery, ZPlan, ZPlanCopy, ZPlanInput, ZPlanSummary, ZPlanUpdate,
} from './schema.js';
import * as programme from './service.js';
import * as support from './support.js';
import * as budget from './budget.js';
import * as events from './events.js';
import { reportRoutes } from './report-routes.js';

export async function programmeRoutes(app: FastifyInstance, { db, config }: Deps) {
  const r = typed(app);
  const tags = ['programme'];

  r.get('/api/home', { schema: { tags, summary: 'The signed-in user’s first screen: their work and the programme summary (server decides per role)', response: { 200: ZHome } } }, async (req) =>
    getHome(db, config, requireActor(req)),
  );
  r.get('/api/programme/indicators', { schema: { tags, summary: 'Indicator definitions with their rules', response: { 200: z.array(ZIndicatorDef) } } }, async (req) => {
    const a = requireActor(req);
    if (a.role === 'producer') return [];
    return programme.listIndicators(a);
  });
  r.get('/api/programme/plans', { schema: { tags, summary: 'Programme plans', response: { 200: z.array(ZPlanSummary) } } }, async (req) =>
    programme.listPlans(db, requireActor(req)),
  );
  r.get('/api/programme/plans/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZPlan } } }, async (req) =>
    programme.getPlan(db, requireActor(req), req.params.id),
  );
  r.post('/api/programme/plans', { schema: { tags, summary: 'Create a plan with its targets (province officers)', body: ZPlanInput, response: { 201: ZPlan } } }, async (req, reply) => {
    const plan = await programme.createPlan(db, requireActor(req), req.body);
    reply.code(201);
    return plan;
  });
  r.put('/api/programme/plans/:id', { schema: { tags, summary: 'Edit a plan and replace its targets (send the version read)', params: ZUuidParams, body: ZPlanUpdate, response: { 200: ZPlan } } }, async (req) => {
    const { version, ...input } = req.body;
    return programme.updatePlan(db, requireActor(req), req.params.id, version, input);
  });
  r.post('/api/programme/plans/:id/copy', { schema: { tags, summary: 'A new draft plan from this one (targets copied, years shifted)', params: ZUuidParams, body: ZPlanCopy, response: { 201: ZPlan } } }, async (req, reply) => {
    const plan = await programme.copyPlan(db, requireActor(req), req.params.id, req.body);
    reply.code(201);
    return plan;
  });
  r.get('/api/programme/plans/:id/panel', { schema: { tags, summary: 'Actual vs target per indicator, by year and commune, projection and mark', params: ZUuidParams, querystring: ZPanelQuery, response: { 200: ZPanel } } }, async (req) =>
    programme.getPanel(db, requireActor(req), req.params.id, req.query),
  );
  r.get('/api/programme/plans/:id/indicators/:code', {
    schema: { tags, summary: 'The records behind one number (adds up to it)', params: ZUuidParams.extend({ code: z.string().regex(/^[a-z0-9_]{2,60}$/) }), querystring: ZDrillQuery, response: { 200: ZDrill } },
  }, async (req) => programme.drillDown(db, requireActor(req), req.params.id, req.params.code, req.query));
  r.get('/api/programme/plans/:id/map', {
    schema: { tags, summary: 'The commune map’s figures: recognised and key products per commune, growing areas (boundaries: GET /api/geo/boundaries)', params: ZUuidParams, querystring: ZPlanMapQuery, response: { 200: ZPlanMap } },
  }, async (req) => getPlanMap(db, requireActor(req), req.params.id, req.query));

  r.get('/api/support-activities', { schema: { tags, summary: 'Support activities (officers: their scope; producers: their own)', querystring: ZSupportListQuery, response: { 200: ZSupportPage } } }, async (req) =>
    support.listSupport(db, requireActor(req), req.query),
  );
  r.get('/api/support-activities/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZSupport } } }, async (req) =>
    support.getSupport(db, requireActor(req), req.params.id),
  );
  r.post('/api/support-activities', { schema: { tags, summary: 'Record a support activity for a producer or one of its products', body: ZSupportInput, response: { 201: ZSupport } } }, async (req, reply) => {
    const created = await support.createSupport(db, requireActor(req), req.body);
    reply.code(201);
    return created;
  });
  r.put('/api/support-activities/:id', { schema: { tags, params: ZUuidParams, body: ZSupportUpdate, response: { 200: ZSupport } } }, async (req) => {
    const { version, ...input } = req.body;
    return support.updateSupport(db, requireActor(req), req.params.id, version, input);
  });

  r.get('/api/programme/plans/:id/budget', { schema: { tags, summary: 'Planned vs committed vs disbursed by funding source and year, entries, balance', params: ZUuidParams, response: { 200: ZBudget } } }, async (req) =>
    budget.getBudget(db, requireActor(req), req.params.id),
  );
  r.post('/api/programme/plans/:id/budget-entries', {
    schema: { tags, summary: 'Record a commitment or disbursement; 409 BUDGET_EXCEEDED warns before overspending (send overrideReason to go on)', params: ZUuidParams, body: ZBudgetEntryInput, response: { 201: ZBudgetEntry } },
  }, async (req, reply) => {
    const created = await budget.addBudgetEntry(db, requireActor(req), req.params.id, req.body);
    reply.code(201);
    return created;
  });

  r.get('/api/programme-events', { schema: { tags, summary: 'Events (commune officers: their communes; producers: events they took part in)', querystring: ZEventListQuery, response: { 200: ZEventPage } } }, async (req) =>
    events.listEvents(db, requireActor(req), req.query),
  );
  r.get('/api/programme-events/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZEvent } } }, async (req) =>
    events.getEvent(db, requireActor(req), req.params.id),
  );
  r.post('/api/programme-events', { schema: { tags, summary: 'Record an event with its participants and outcomes', body: ZEventInput, response: { 201: ZEvent } } }, async (req, reply) => {
    const created = await events.createEvent(db, requireActor(req), req.body);
    reply.code(201);
    return created;
  });
  r.put('/api/programme-events/:id', { schema: { tags, params: ZUuidParams, body: ZEventUpdate, response: { 200: ZEvent } } }, async (req) => {
    const { version, ...input } = req.body;
    return events.updateEvent(db, requireActor(req), req.params.id, version, input);
  });

  await reportRoutes(app, db);
}
