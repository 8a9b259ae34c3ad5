import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { typed, ZUuidParams, type Deps } from '../../lib/http.js';
import { requireActor } from '../../plugins/auth.js';
import { registerResolver } from '../../public/resolver.js';
import { registerScanPages } from '../../public/scan.js';
import { buildLabelSvg, buildLabelsPdf } from './labels.js';
import { openScanClient, rawTransaction } from './resolve.js';
import { createScanResolver } from './scan-cache.js';
import { createScanLimiter } from './scan-limit.js';
import { createScanLog } from './scan-log.js';
import {
  ZDismissFlag, ZFlagListQuery, ZIssueStamps, ZLabelsQuery, ZLotIdParams, ZRangeStatus, ZReportListQuery, ZReportStatus, ZScanReport,
  ZScanReportPage, ZScanStats, ZScanStatsQuery, ZSerialParams, ZStampFlag, ZStampFlagPage, ZStampRange, ZStampStatus,
} from './schema.js';
import * as stamps from './service.js';
import { asciiFileName } from '../../../shared/text.js';
import { notifyDueFlags } from './alerts.js';

const fileSafe = (s: string) => asciiFileName(s, { fallback: 'lo' });

/** QR stamp ranges, labels, scan statistics, flags and reports, and the public scan pages (issue #5). */
export async function stampsRoutes(app: FastifyInstance, { db, config, storage }: Deps) {
  const r = typed(app);
  const tags = ['stamps'];

  r.get('/api/lots/:lotId/stamp-ranges', { schema: { tags, summary: 'Stamp ranges of a lot, with exceptions (lost/inactive stamps) and scan counts', params: ZLotIdParams, response: { 200: z.array(ZStampRange) } } }, async (req) =>
    stamps.listStampRanges(db, config, requireActor(req), req.params.lotId));

  r.post('/api/lots/:lotId/stamp-ranges', { schema: { tags, summary: 'Issue N stamps (serials continue after the lot’s last; platform-wide numbers for short codes)', params: ZLotIdParams, body: ZIssueStamps, response: { 201: ZStampRange } } }, async (req, reply) => {
    const created = await stamps.issueStamps(db, config, requireActor(req), req.params.lotId, req.body.count);
    reply.code(201);
    return created;
  });

  r.post('/api/stamp-ranges/:id/status', { schema: { tags, summary: 'Activate or deactivate a whole range (deactivating needs a reason)', params: ZUuidParams, body: ZRangeStatus, response: { 200: ZStampRange } } }, async (req) =>
    stamps.setRangeStatus(db, config, requireActor(req), req.params.id, req.body));

  r.post('/api/stamp-ranges/:id/stamps/:serial/status', { schema: { tags, summary: 'One stamp: lost, inactive (needs a reason) or active again', params: ZSerialParams, body: ZStampStatus, response: { 200: ZStampRange } } }, async (req) =>
    stamps.setStampStatus(db, config, requireActor(req), req.params.id, req.params.serial, req.body));

  r.get('/api/stamp-ranges/:id/labels.pdf', { schema: { tags, summary: 'Printable label sheet (a4-65, a4-24, roll-50x30); at most 5 000 labels per file (from/to)', params: ZUuidParams, querystring: ZLabelsQuery } }, async (req, reply) => {
    const { lot, labels } = await stamps.labelsOf(db, config, requireActor(req), req.params.id, req.query);
    const pdf = await buildLabelsPdf(labels, req.query.layout, `Tem truy xuất — ${lot.productName} — lô ${lot.lotNumber}`);
    const file = `tem-${fileSafe(lot.lotNumber)}-${labels[0].serial}-${labels[labels.length - 1].serial}-${req.query.layout}.pdf`;
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${file}"`).header('cache-control', 'private, no-cache').send(pdf);
  });

  r.get('/api/stamp-ranges/:id/labels/:serial.svg', { schema: { tags, summary: 'One label as SVG (50 × 30 mm)', params: ZSerialParams } }, async (req, reply) => {
    const { labels } = await stamps.labelsOf(db, config, requireActor(req), req.params.id, { from: req.params.serial, to: req.params.serial });
    return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'private, no-cache')
      .header('content-disposition', `inline; filename="tem-${labels[0].serial}.svg"`).send(await buildLabelSvg(labels[0]));
  });

  r.get('/api/stamp-flags', { schema: { tags, summary: 'Flagged stamps (too many scans, deactivated/lost stamps scanned, unknown serials/lots) in my scope', querystring: ZFlagListQuery, response: { 200: ZStampFlagPage } } }, async (req) =>
    stamps.listFlags(db, requireActor(req), req.query));

  r.post('/api/stamp-flags/:id/dismiss', { schema: { tags, summary: 'Dismiss a flag with a note (officers in scope)', params: ZUuidParams, body: ZDismissFlag, response: { 200: ZStampFlag } } }, async (req) =>
    stamps.dismissFlag(db, requireActor(req), req.params.id, req.body.note));

  r.get('/api/scan-reports', { schema: { tags, summary: 'Problems reported from scan pages, in my scope', querystring: ZReportListQuery, response: { 200: ZScanReportPage } } }, async (req) =>
    stamps.listReports(db, requireActor(req), req.query));

  r.post('/api/scan-reports/:id/status', { schema: { tags, summary: 'Mark a report reviewed or closed (officers in scope)', params: ZUuidParams, body: ZReportStatus, response: { 200: ZScanReport } } }, async (req) =>
    stamps.setReportStatus(db, requireActor(req), req.params.id, req.body));

  r.get('/api/scan-stats', { schema: { tags, summary: 'Scans per day (Vietnam calendar), per product and per the product’s registered unit', querystring: ZScanStatsQuery, response: { 200: ZScanStats } } }, async (req) =>
    stamps.getScanStats(db, requireActor(req), req.query));

  // Public, server-rendered: the resolver of stamp URIs and short codes, photos for it, the report form.
  // The scan path reads through its own connections (PostgreSQL: a small pool with generic plans) and the in-process
  // cache (SCAN_CACHE_LOTS lots; 0 = every scan runs the one-statement resolver).
  const scanClient = openScanClient(db);
  const resolver = createScanResolver(scanClient.client, { maxLots: config.scanCacheLots });
  const scanLog = createScanLog(rawTransaction(db), app.log, { afterFlags: () => notifyDueFlags(db, config.scanAlertMinScans) });
  app.addHook('onClose', async () => {
    resolver.close();
    await scanLog.close();
    await scanClient.close();
  });
  const limiter = createScanLimiter();
  await registerScanPages(app, { db, storage, scanLog, resolver, scanClient: scanClient.client, publicBaseUrl: config.publicBaseUrl, publicHttps: config.publicHttps, limiter });
  // The GS1 resolver (/01/…, compressed links, /.well-known/gs1resolver) answers Digital Links through the scan pages.
  await registerResolver(app, { scanLog, resolver, scanClient: scanClient.client, publicBaseUrl: config.publicBaseUrl, publicHttps: config.publicHttps, limiter });
}
