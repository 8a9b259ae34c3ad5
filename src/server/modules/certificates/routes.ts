import { issueCertificate } from '../recognition/orchestrate.js';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { todayInVietnam } from '../../../shared/certificate-dates.js';
import { REVOCATION_REASON_LABELS_VI, type RevocationReason } from '../../../shared/dossier.js';
import { typed, ZUuidParams, type Deps } from '../../lib/http.js';
import { requireActor } from '../../plugins/auth.js';
import { registerVerificationPages } from '../../public/verify.js';
import { buildCertificatePdf } from './documents.js';
import { buildCertificateWorkbook } from './excel.js';
import { verifyUrl } from './presenter.js';
import { ZCertificate, ZCertificateListQuery, ZCertificatePage, ZIssueCertificate, ZLegacyCertificate, ZRevokeCertificate, ZRoundCertificateRow } from './schema.js';
import * as certificates from './service.js';

export async function certificatesRoutes(app: FastifyInstance, { db, config }: Deps) {
  const r = typed(app);
  const tags = ['certificates'];

  r.get('/api/certificates', { schema: { tags, summary: 'Certificates I may read; status is the effective one (expiring/expired follow the calendar)', querystring: ZCertificateListQuery, response: { 200: ZCertificatePage } } }, async (req) =>
    certificates.listCertificates(db, config, requireActor(req), req.query));

  // The list as filtered on screen, as an Excel sheet (officers keep their follow-up in Excel); same reading rules.
  r.get('/api/certificates/export.xlsx', { schema: { tags, summary: 'The (filtered) certificates list as an Excel workbook', querystring: ZCertificateListQuery } }, async (req, reply) => {
    const a = requireActor(req);
    const items = await certificates.exportCertificates(db, config, a, req.query);
    const { page: _page, pageSize: _size, ...filters } = req.query;
    const filtered = Object.values(filters).some((v) => v !== undefined);
    const buf = await buildCertificateWorkbook(items, {
      title: 'DANH SÁCH GIẤY CHỨNG NHẬN SẢN PHẨM OCOP',
      filterText: filtered ? 'Danh sách đã lọc theo điều kiện tìm kiếm' : 'Toàn bộ giấy chứng nhận người xuất được xem',
      generatedBy: a.fullName,
    });
    const name = `giay-chung-nhan-ocop-${todayInVietnam()}.xlsx`;
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(buf);
  });

  r.post('/api/certificates', { schema: { tags, summary: 'Issue from a finalised round result (supersedes the active certificate, writes the product’s recognition)', body: ZIssueCertificate, response: { 201: ZCertificate } } }, async (req, reply) => {
    const created = await issueCertificate(db, config, requireActor(req), req.body);
    reply.code(201);
    return created;
  });

  r.post('/api/certificates/legacy', { schema: { tags, summary: 'Record a certificate issued on paper before the system', body: ZLegacyCertificate, response: { 201: ZCertificate } } }, async (req, reply) => {
    const created = await certificates.createLegacyCertificate(db, config, requireActor(req), req.body);
    reply.code(201);
    return created;
  });

  r.get('/api/certificates/:id', { schema: { tags, params: ZUuidParams, response: { 200: ZCertificate } } }, async (req) =>
    certificates.getCertificate(db, config, requireActor(req), req.params.id));

  r.post('/api/certificates/:id/revoke', { schema: { tags, summary: 'Revoke (reason from the list; "other" needs a note)', params: ZUuidParams, body: ZRevokeCertificate, response: { 200: ZCertificate } } }, async (req) =>
    certificates.revokeCertificate(db, config, requireActor(req), req.params.id, req.body));

  r.get('/api/certificates/:id/pdf', { schema: { tags, summary: 'The printable certificate (A4 landscape) with a QR code to the verification page', params: ZUuidParams } }, async (req, reply) => {
    const j = await certificates.getCertificateJoined(db, requireActor(req), req.params.id);
    const c = j.c;
    const pdf = await buildCertificatePdf({
      number: c.number, productName: j.productName, producerName: j.producerName, star: c.star, score: c.score === null ? null : Number(c.score),
      decisionNumber: c.decisionNumber, decisionDate: c.decisionDate, issuingAuthority: c.issuingAuthority, issuingUnitName: c.issuingUnitName,
      expiresOn: c.expiresOn, criteriaSetCode: c.criteriaSetCode, procedureCode: c.procedureCode, isLegacy: c.isLegacy,
      verifyUrl: verifyUrl(config.publicBaseUrl, c.number),
      revoked: c.status === 'revoked' && c.revokedAt
        ? { on: todayInVietnam(c.revokedAt), reason: c.revokedReason === 'other' && c.revokedNote ? c.revokedNote : REVOCATION_REASON_LABELS_VI[c.revokedReason as RevocationReason] }
        : null,
      fromDemoCriteria: await certificates.isFromDemoCriteria(db, c.criteriaSetCode),
    });
    const file = `giay-chung-nhan-${c.number.replace(/[^A-Za-z0-9-]+/g, '-')}.pdf`;
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${file}"`).header('cache-control', 'private, no-cache').send(pdf);
  });

  r.get('/api/rounds/:id/certificates', { schema: { tags, summary: 'Products of a round with outcome and the certificate issued from it', params: ZUuidParams, response: { 200: z.array(ZRoundCertificateRow) } } }, async (req) =>
    certificates.listRoundCertificates(db, requireActor(req), req.params.id));

  // Public, server-rendered: GET /xac-thuc/:number and GET /xac-thuc?so=…
  registerVerificationPages(app, db);
}
