import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import type { Config } from '../../config.js';
import { assertExportable, EXPORT_CAP } from '../../lib/list-workbook.js';
import { rowsOf, type Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { isStaff } from '../../lib/actor.js';
import { announceChange } from '../../lib/changes.js';
import { AppError, forbidden, fromDbError, notFound } from '../../lib/errors.js';
import { certificateExpiry, daysBetween, EXPIRING_WINDOW_DAYS, formatViDate, todayInVietnam, addMonths } from '../../../shared/certificate-dates.js';
import { round2 } from '../../../shared/criteria.js';
import { REVOCATION_REASON_LABELS_VI } from '../../../shared/dossier.js';
import { emailNotifications } from '../../jobs/mailer.js';
import { recordAudit, recordAuditMany, type AuditWrite, type Writer } from '../audit/service.js';
import * as criteria from '../criteria/service.js';
import { assertPaperCertificate, authorityForDecision, unitTitle } from '../recognition/service.js';
import { hasLevelAuthority, LEVEL_NAMES_VI } from '../recognition/authority.js';
import type { RecognitionLevel } from '../criteria/tables.js';
import * as evaluation from '../evaluation/service.js';
import { canViewRound } from '../evaluation/policy.js';
import { findUnitById } from '../geo/service.js';
import { communeOfficerIdsCovering, producerUserIds, producerUserIdsMany, provinceOfficerIds } from '../notifications/recipients.js';
import { notify } from '../notifications/service.js';
import * as productsService from '../products/service.js';
import { canIssueCertificate, canReadCertificate, canRecordLegacyCertificate, canRevokeCertificate } from './policy.js';
import { auditableCertificate, certificateLink, presentCertificate } from './presenter.js';
import * as repo from './repository.js';
import type { CertificateListQuery, IssueCertificate, LegacyCertificate, RevokeCertificate } from './schema.js';
import type { CertificateRow } from './tables.js';

// ---------------------------------------------------------------- naming

export { unitTitle } from '../recognition/service.js';

/** The unit named by an authority written by hand: "UBND tỉnh Bắc Giang" → "tỉnh Bắc Giang". */
const unitNameOfAuthority = (authority: string) => authority.replace(/^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+/i, '').trim() || authority;

/** OCOP-<year of the decision>-<6-digit sequence>. */
async function generateNumber(tx: Db, decisionDate: string) {
  return `OCOP-${decisionDate.slice(0, 4)}-${String(await repo.nextSequence(tx)).padStart(6, '0')}`;
}

const RECOGNITION_KEYS = ['stars', 'recognitionYear', 'decisionNumber', 'decisionDate', 'certificateNumber', 'certificateIssuer', 'certificateExpiresOn'] as const;
type Recognition = { [K in (typeof RECOGNITION_KEYS)[number]]: string | number | null };
const NO_RECOGNITION: Recognition = { stars: null, recognitionYear: null, decisionNumber: null, decisionDate: null, certificateNumber: null, certificateIssuer: null, certificateExpiresOn: null };
const pickRecognition = (p: Record<string, unknown>) => Object.fromEntries(RECOGNITION_KEYS.map((k) => [k, p[k] ?? null]));

const recognitionOf = (c: Pick<CertificateRow, 'star' | 'decisionNumber' | 'decisionDate' | 'number' | 'issuingAuthority' | 'expiresOn'>): Recognition => ({
  stars: c.star, recognitionYear: Number(c.decisionDate.slice(0, 4)), decisionNumber: c.decisionNumber, decisionDate: c.decisionDate,
  certificateNumber: c.number, certificateIssuer: c.issuingAuthority, certificateExpiresOn: c.expiresOn,
});

/**
 * The registry's "current star and certificate" of a product: written only here, from the certificate that is in
 * force (or cleared on revocation), with an audit entry on the product so its history shows the progression.
 */
const SYSTEM_WRITER: Writer = { system: 'certificate-expiry' };

async function writeRecognition(tx: Db, writer: Writer, productId: string, r: Recognition, action: 'recognition' | 'recognition_revoked') {
  const before = await productsService.findProductRow(tx, productId);
  const after = await productsService.writeRecognitionFields(tx, productId, r as Parameters<typeof productsService.writeRecognitionFields>[2]);
  await recordAudit(tx, writer, action, 'product', productId, pickRecognition(before), pickRecognition(after));
}

// ---------------------------------------------------------------- recording one certificate

interface NewCertificate {
  star: number;
  score: number | null;
  decisionNumber: string;
  decisionDate: string;
  issuingAuthority: string;
  issuingUnitId: number | null;
  issuingUnitName: string;
  issuingLevel: RecognitionLevel | null;
  criteriaSetCode: string | null;
  procedureCode: string | null;
  roundId: string | null;
  dossierId: string | null;
  isLegacy: boolean;
  number?: string;
}

/**
 * Records a certificate for a (locked) product inside the caller's transaction. The newest decision becomes the
 * active certificate: the previous active one is superseded by it in the same statement (one active per product is
 * a unique index, and superseded_by must point at an existing row), the product's recognition fields follow, and
 * the producer's users are told. A paper certificate older than the product's latest is kept as history
 * (superseded by that latest one) and changes nothing in the registry.
 */
async function recordCertificate(tx: Db, writer: Writer, product: { id: string; producer_id: string; name: string }, n: NewCertificate, opts: { allowHistoric: boolean }) {
  const latest = await repo.findLatestOfProduct(tx, product.id);
  const historic = Boolean(latest && n.decisionDate < latest.decisionDate);
  if (historic && !opts.allowHistoric) {
    throw new AppError('VALIDATION', { errors: [{ path: 'decisionDate', message: `Sản phẩm đã có giấy chứng nhận theo quyết định mới hơn (số ${latest!.number}, ngày ${formatViDate(latest!.decisionDate)})` }] });
  }
  const id = randomUUID();
  const number = n.number ?? (await generateNumber(tx, n.decisionDate));
  const expiresOn = certificateExpiry(n.decisionDate);
  const issuedBy = 'system' in writer ? null : writer.id;
  const active = historic ? undefined : await repo.findActiveOfProduct(tx, product.id);
  const status = historic ? 'superseded' : 'active';
  const supersededBy = historic ? latest!.id : null;
  const values = sql`${id}::uuid, ${number}::text, ${product.id}::uuid, ${product.producer_id}::uuid, ${n.roundId}::uuid, ${n.dossierId}::uuid,
    ${n.star}::smallint, ${n.score}::numeric, ${n.decisionNumber}::text, ${n.decisionDate}::date, ${n.issuingAuthority}::text, ${n.issuingUnitId}::int,
    ${n.issuingUnitName}::text, ${n.criteriaSetCode}::text, ${n.procedureCode}::text, ${expiresOn}::date, ${status}::text, ${supersededBy}::uuid,
    ${n.isLegacy}::boolean, ${issuedBy}::uuid, ${n.issuingLevel}::text`;
  const columns = sql.raw(`id, number, product_id, producer_id, round_id, dossier_id, star, score, decision_number, decision_date, issuing_authority,
    issuing_unit_id, issuing_unit_name, criteria_set_code, procedure_code, expires_on, status, superseded_by, is_legacy, issued_by, issuing_level`);
  if (active) {
    // The update runs first (the insert reads its result), so the unique "one active" index never sees two; the
    // foreign key of superseded_by is checked at the end of the statement, when the new row exists.
    await tx.execute(sql`with old as (
        update certificates set status = 'superseded', superseded_by = ${id}::uuid where id = ${active.id}::uuid and status = 'active' returning id
      ) insert into certificates (${columns}) select ${values} where exists (select 1 from old)`);
  } else {
    await tx.execute(sql`insert into certificates (${columns}) values (${values})`);
  }
  const cert = await repo.findCertificateRow(tx, id);
  if (!cert) throw new AppError('CERTIFICATE_STATE', { detail: 'Giấy chứng nhận đang có hiệu lực của sản phẩm vừa thay đổi; hãy thử lại' });
  await recordAudit(tx, writer, n.isLegacy ? 'record_legacy' : 'issue', 'certificate', id, null, auditableCertificate({ ...cert, score: cert.score === null ? null : Number(cert.score) }));
  if (historic) return cert;
  if (active) await recordAudit(tx, writer, 'supersede', 'certificate', active.id, { status: 'active' }, { status: 'superseded', supersededBy: number });
  await writeRecognition(tx, writer, product.id, recognitionOf(cert), 'recognition');
  await notify(tx, await producerUserIds(tx, product.producer_id), {
    kind: 'certificate_issued',
    title: `Sản phẩm "${product.name}" được công nhận OCOP ${cert.star} sao`,
    body: `Giấy chứng nhận số ${cert.number} theo quyết định số ${cert.decisionNumber} ngày ${formatViDate(cert.decisionDate)} của ${cert.issuingAuthority}, có hiệu lực đến ngày ${formatViDate(cert.expiresOn)}.`
      + (active ? ` Thay thế giấy chứng nhận số ${active.number}.` : ''),
    link: certificateLink(id), entityType: 'certificate', entityId: id,
  });
  return cert;
}

async function lockProductOrThrow(tx: Db, productId: string) {
  const p = await repo.lockProduct(tx, productId);
  if (!p) throw notFound('Không tìm thấy sản phẩm');
  return p;
}

function assertNotFuture(decisionDate: string, today: string) {
  if (decisionDate > today) throw new AppError('VALIDATION', { errors: [{ path: 'decisionDate', message: 'Ngày quyết định không thể sau hôm nay' }] });
}

// ---------------------------------------------------------------- reads

export async function getCertificateJoined(db: Db, actor: Actor, id: string) {
  const j = await repo.findCertificateJoined(db, id);
  if (!j) throw notFound('Không tìm thấy giấy chứng nhận');
  if (!canReadCertificate(actor, { producerId: j.c.producerId, registeredUnitId: j.registeredUnitId })) throw forbidden();
  return j;
}

export async function getCertificate(db: Db, config: Config, actor: Actor, id: string) {
  return presentCertificate(await getCertificateJoined(db, actor, id), actor, todayInVietnam(), config.publicBaseUrl);
}

export async function listCertificates(db: Db, config: Config, actor: Actor, q: CertificateListQuery) {
  const today = todayInVietnam();
  const { rows, total } = await repo.findCertificates(db, {
    today, expiringWindowDays: EXPIRING_WINDOW_DAYS, status: q.status, productId: q.productId, producerId: q.producerId, q: q.q,
    expiringUntil: q.expiringWithinMonths ? addMonths(today, q.expiringWithinMonths) : undefined,
    onlyProducerId: actor.role === 'producer' ? (actor.producerId ?? '00000000-0000-0000-0000-000000000000') : undefined,
    onlyUnitIds: actor.role === 'commune_officer' ? [...actor.scopeUnitIds] : undefined,
  }, q.page, q.pageSize);
  return { items: rows.map((r) => presentCertificate(r, actor, today, config.publicBaseUrl)), total };
}

/** Every certificate of the filtered list (the same reading rules as the list), for the Excel export. */
export async function exportCertificates(db: Db, config: Config, actor: Actor, q: CertificateListQuery) {
  const { items, total } = await listCertificates(db, config, actor, { ...q, page: 1, pageSize: EXPORT_CAP });
  assertExportable(total, 'giấy chứng nhận');
  return items;
}

/** What a finalised round's page needs for an "issue certificate" button per product. */
export async function listRoundCertificates(db: Db, actor: Actor, roundId: string) {
  const round = await evaluation.findRound(db, roundId);
  if (!round) throw notFound('Không tìm thấy đợt đánh giá');
  const member = (await evaluation.findMembers(db, roundId)).find((m) => m.userId === actor.id);
  if (!canViewRound(actor, member, round) || !(isStaff(actor) || actor.role === 'central_officer' || member)) throw forbidden();
  const rows = await repo.findRoundCertificates(db, roundId);
  return rows.map((r) => {
    const result = (typeof r.result === 'string' ? JSON.parse(r.result) : r.result) as { outcome?: 'recognised'; finalStar?: number | null; meanScore?: number | null; issuingLevel?: string | null } | null;
    const level = (result?.outcome === 'recognised' ? result.issuingLevel ?? round.level : null) as RecognitionLevel | null;
    return {
      productId: r.product_id, productName: r.product_name, outcome: result?.outcome ?? null, finalStar: result?.finalStar ?? null,
      meanScore: result?.meanScore ?? null, certificate: r.certificate_id ? { id: r.certificate_id, number: r.certificate_number! } : null,
      issuingLevel: level,
      // A returned result's unit is the earlier round's and is checked on issue; here: authority at that level.
      mayIssue: Boolean(level && !r.certificate_id && canIssueCertificate(actor)
        && (level === round.level ? hasLevelAuthority(actor, level, round.unitId) : actor.role === 'admin' || (level === 'central' ? actor.role === 'central_officer' : actor.role === 'province_officer'))),
    };
  });
}

// ---------------------------------------------------------------- writes

/** What the recognition orchestrator tells the certificates module about the dossier behind a round result. */
export interface IssueContext {
  /** The unit of the round at `level` the product went through (a below-band result returns to it). */
  issuingUnitAt(level: string): Promise<number | null>;
  dossierId: string | null;
}

/**
 * Issues the certificate of a product recognised by a finalised round, inside the caller's transaction (the
 * recognition orchestrator then marks the dossier recognised). The issuing level is the round's own, or the level
 * the procedure returns a below-band result to; the star, the unit and the signer are judged by the procedure in
 * force on the decision date, and the issuer's name comes from that procedure's data (never typed by hand).
 */
export async function issueCertificateTx(tx: Db, actor: Actor, input: IssueCertificate, ctx: IssueContext) {
  if (!canIssueCertificate(actor)) throw forbidden('Chỉ cán bộ OCOP cấp tỉnh hoặc cấp Trung ương cấp giấy chứng nhận');
  const today = todayInVietnam();
  const round = await evaluation.findRound(tx, input.roundId);
  if (!round) throw notFound('Không tìm thấy đợt đánh giá');
  if (round.status !== 'finalised') throw new AppError('ROUND_STATE', { detail: 'Chỉ cấp giấy chứng nhận từ kết quả của đợt đánh giá đã hoàn tất' });
  const rp = await evaluation.findRoundProduct(tx, input.roundId, input.productId);
  if (!rp) throw notFound('Sản phẩm không thuộc đợt đánh giá này');
  const result = rp.result;
  if (!result || result.outcome !== 'recognised' || !result.finalStar) {
    throw new AppError('NOT_RECOGNISED', { detail: result?.reasons?.join('; ') || 'Sản phẩm chưa có kết quả công nhận' });
  }
  const product = await lockProductOrThrow(tx, input.productId);
  const already = await repo.findOfRoundProduct(tx, input.roundId, input.productId);
  if (already) throw new AppError('CERTIFICATE_STATE', { detail: `Đã cấp giấy chứng nhận số ${already.number} cho sản phẩm từ đợt đánh giá này` });
  assertNotFuture(input.decisionDate, today);
  const finalisedOn = round.finalisedAt ? todayInVietnam(round.finalisedAt) : null;
  if (finalisedOn && input.decisionDate < finalisedOn) {
    throw new AppError('VALIDATION', { errors: [{ path: 'decisionDate', message: `Ngày quyết định không thể trước ngày hoàn tất kết quả đánh giá (${formatViDate(finalisedOn)})` }] });
  }
  const level = (result.issuingLevel ?? round.level) as RecognitionLevel;
  // The unit whose authority signs: the round's, or the earlier round's at the level the result returns to.
  const unitId = level === round.level ? round.unitId : await ctx.issuingUnitAt(level);
  if (level !== 'central' && unitId === null) {
    throw new AppError('UNIT_NOT_FOR_LEVEL', { detail: `Không xác định được đơn vị ${LEVEL_NAMES_VI[level]} ra quyết định (sản phẩm không đến từ hồ sơ qua ${LEVEL_NAMES_VI[level]})` });
  }
  if (!hasLevelAuthority(actor, level, unitId)) {
    throw new AppError('OUTSIDE_AUTHORITY', { detail: level === 'central' ? 'Giấy chứng nhận cấp Trung ương do cán bộ cấp Trung ương (Bộ Nông nghiệp và Môi trường) cấp' : `Bạn không có thẩm quyền cấp giấy chứng nhận ${LEVEL_NAMES_VI[level]} cho đơn vị này` });
  }
  const auth = await authorityForDecision(tx, { level, unitId, star: result.finalStar, decisionDate: input.decisionDate });
  const set = await criteria.findSet(tx, round.criteriaSetId);
  return recordCertificate(tx, actor, product, {
    star: result.finalStar, score: result.meanScore === null ? null : round2(result.meanScore),
    decisionNumber: input.decisionNumber, decisionDate: input.decisionDate,
    issuingAuthority: auth.issuer, issuingUnitId: unitId, issuingUnitName: auth.unit ? unitTitle(auth.unit) : auth.issuer, issuingLevel: level,
    criteriaSetCode: set?.code ?? null, procedureCode: auth.procedure.code,
    roundId: round.id, dossierId: ctx.dossierId, isLegacy: false, number: input.number,
  }, { allowHistoric: false });
}

/**
 * Records a paper certificate inside the caller's transaction (API, Excel import, demo seed). Callers check who may
 * (`canRecordLegacyCertificate`). Returns the row and whether it became the product's active certificate.
 */
export async function recordLegacyCertificateTx(tx: Db, writer: Writer, input: LegacyCertificate) {
  const product = await lockProductOrThrow(tx, input.productId);
  assertNotFuture(input.decisionDate, todayInVietnam());
  // Judged by the procedure in force on the decision date: the issuing level must recognise the star (never < 3★).
  const judged = await assertPaperCertificate(tx, input);
  let issuingUnitName = unitNameOfAuthority(input.issuingAuthority);
  if (input.issuingUnitId) {
    const unit = await findUnitById(tx, input.issuingUnitId);
    if (!unit) throw new AppError('VALIDATION', { errors: [{ path: 'issuingUnitId', message: 'Không có đơn vị hành chính này' }] });
    issuingUnitName = unitTitle(unit);
  }
  return recordCertificate(tx, writer, product, {
    star: input.star, score: null, decisionNumber: input.decisionNumber, decisionDate: input.decisionDate, issuingAuthority: input.issuingAuthority,
    issuingUnitId: input.issuingUnitId ?? null, issuingUnitName, issuingLevel: judged.level, criteriaSetCode: null, procedureCode: judged.procedure.code, roundId: null, dossierId: null,
    isLegacy: true, number: input.number,
  }, { allowHistoric: true });
}

/**
 * Records many paper certificates inside the caller's transaction (Excel import), one per product at most; callers
 * check who may. Each input is judged like recordLegacyCertificateTx (the procedure in force on its decision date,
 * computed once per distinct star/date/issuer). Products without any certificate yet — every new product — get
 * theirs with set operations: one lock, one block of sequence numbers, multi-row inserts of the certificates and
 * audit entries, one UPDATE of the products' recognition fields. A product that has certificates already (a
 * re-evaluation, an older decision kept as history) goes through recordLegacyCertificateTx. Returns, per input,
 * null when recorded or the AppError that refused it (nothing of that input is written; the caller decides).
 */
export async function recordLegacyCertificatesTx(tx: Db, writer: Writer, inputs: LegacyCertificate[]): Promise<(AppError | null)[]> {
  const outcome: (AppError | null)[] = inputs.map(() => null);
  const today = todayInVietnam();
  const locked = new Map((await repo.lockProducts(tx, [...new Set(inputs.map((i) => i.productId))])).map((p) => [p.id, p]));
  const withCerts = await repo.productsWithCertificates(tx, [...locked.keys()]);
  const judged = new Map<string, Promise<Awaited<ReturnType<typeof assertPaperCertificate>>>>();
  const bulk: { i: number; input: LegacyCertificate; level: RecognitionLevel; procedureCode: string }[] = [];
  const seen = new Set<string>();
  for (const [i, input] of inputs.entries()) {
    if (!locked.has(input.productId)) { outcome[i] = notFound('Không tìm thấy sản phẩm'); continue; }
    if (withCerts.has(input.productId) || seen.has(input.productId) || input.issuingUnitId) {
      try {
        await recordLegacyCertificateTx(tx, writer, input);
        withCerts.add(input.productId);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        outcome[i] = err;
      }
      continue;
    }
    seen.add(input.productId);
    try {
      assertNotFuture(input.decisionDate, today);
      const key = `${input.star}|${input.decisionDate}|${input.issuingAuthority}|${input.issuingLevel ?? ''}`;
      if (!judged.has(key)) judged.set(key, assertPaperCertificate(tx, input));
      const j = await judged.get(key)!;
      bulk.push({ i, input, level: j.level, procedureCode: j.procedure.code });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      outcome[i] = err;
    }
  }
  if (!bulk.length) return outcome;
  const numbers = await repo.nextSequences(tx, bulk.filter((b) => !b.input.number).length);
  const issuedBy = 'system' in writer ? null : writer.id;
  const certs = await repo.insertCertificates(tx, bulk.map(({ input, level, procedureCode }) => ({
    number: input.number ?? `OCOP-${input.decisionDate.slice(0, 4)}-${String(numbers.shift()).padStart(6, '0')}`,
    productId: input.productId, producerId: locked.get(input.productId)!.producer_id, roundId: null, dossierId: null,
    star: input.star, score: null, decisionNumber: input.decisionNumber, decisionDate: input.decisionDate, issuingAuthority: input.issuingAuthority,
    issuingUnitId: null, issuingUnitName: unitNameOfAuthority(input.issuingAuthority), criteriaSetCode: null, procedureCode,
    expiresOn: certificateExpiry(input.decisionDate), status: 'active', supersededBy: null, isLegacy: true, issuedBy, issuingLevel: level,
  })));
  const before = new Map((await productsService.findProductRows(tx, certs.map((c) => c.productId))).map((p) => [p.id, p]));
  const after = new Map((await productsService.writeRecognitionFieldsMany(tx, certs.map((c) => ({ id: c.productId, ...recognitionOf(c) } as Parameters<typeof productsService.writeRecognitionFieldsMany>[1][number])))).map((p) => [p.id, p]));
  const audits: AuditWrite[] = [];
  for (const c of certs) {
    audits.push({ action: 'record_legacy', entityType: 'certificate', entityId: c.id, before: null, after: auditableCertificate({ ...c, score: c.score === null ? null : Number(c.score) }) });
    audits.push({ action: 'recognition', entityType: 'product', entityId: c.productId, before: pickRecognition(before.get(c.productId)!), after: pickRecognition(after.get(c.productId)!) });
  }
  await recordAuditMany(tx, writer, audits);
  const users = await producerUserIdsMany(tx, [...new Set(certs.map((c) => c.producerId))]);
  for (const c of certs) {
    const to = users.get(c.producerId);
    if (!to?.length) continue;
    await notify(tx, to, {
      kind: 'certificate_issued',
      title: `Sản phẩm "${locked.get(c.productId)!.name}" được công nhận OCOP ${c.star} sao`,
      body: `Giấy chứng nhận số ${c.number} theo quyết định số ${c.decisionNumber} ngày ${formatViDate(c.decisionDate)} của ${c.issuingAuthority}, có hiệu lực đến ngày ${formatViDate(c.expiresOn)}.`,
      link: certificateLink(c.id), entityType: 'certificate', entityId: c.id,
    });
  }
  return outcome;
}

export async function createLegacyCertificate(db: Db, config: Config, actor: Actor, input: LegacyCertificate) {
  if (!canRecordLegacyCertificate(actor)) throw forbidden('Chỉ cán bộ OCOP cấp tỉnh hoặc cấp Trung ương nhập giấy chứng nhận');
  try {
    const cert = await db.transaction((tx) => recordLegacyCertificateTx(tx, actor, input));
    announceChange({ products: [input.productId] });
    return getCertificate(db, config, actor, cert.id);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

/** Revokes an active certificate (also one past its expiry: "not re-evaluated" is a reason); the registry loses the star. */
export async function revokeCertificate(db: Db, config: Config, actor: Actor, id: string, input: RevokeCertificate) {
  if (!canRevokeCertificate(actor)) throw forbidden('Chỉ cán bộ OCOP cấp tỉnh thu hồi giấy chứng nhận');
  try {
    const productId = await db.transaction(async (tx) => {
      const row = await repo.findCertificateRow(tx, id);
      if (!row) throw notFound('Không tìm thấy giấy chứng nhận');
      const product = await lockProductOrThrow(tx, row.productId);
      const current = (await repo.findCertificateRow(tx, id))!;
      if (current.status !== 'active') {
        throw new AppError('CERTIFICATE_STATE', { detail: current.status === 'revoked' ? 'Giấy chứng nhận đã bị thu hồi' : 'Giấy chứng nhận đã được thay thế bởi giấy chứng nhận khác' });
      }
      const note = input.note ? input.note : null;
      await repo.markRevoked(tx, id, input.reason, note);
      await recordAudit(tx, actor, 'revoke', 'certificate', id, { status: 'active' }, { status: 'revoked', revokedReason: input.reason, revokedNote: note });
      await writeRecognition(tx, actor, product.id, NO_RECOGNITION, 'recognition_revoked');
      const reason = REVOCATION_REASON_LABELS_VI[input.reason] + (note ? `: ${note}` : '');
      await notify(tx, await producerUserIds(tx, product.producer_id), {
        kind: 'certificate_revoked',
        title: `Giấy chứng nhận OCOP số ${current.number} đã bị thu hồi`,
        body: `Sản phẩm "${product.name}" (${current.star} sao): giấy chứng nhận bị thu hồi ngày ${formatViDate(todayInVietnam())}. Lý do: ${reason}.`,
        link: certificateLink(id), entityType: 'certificate', entityId: id,
      });
      return product.id;
    });
    announceChange({ products: [productId] });
    return getCertificate(db, config, actor, id);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

// ---------------------------------------------------------------- expiries

/**
 * The daily expiry job: every active certificate whose validity ended before `today` is recorded once in
 * certificate_expiries (primary key = never twice, across runs and processes); the product's history records the
 * day its star lapsed (reads never count an expired certificate: the effective star is computed from the dates, and
 * the certificate's status "active" only means "not superseded or revoked"), and the producer and responsible
 * officers are told.
 */
export async function recordExpiries(db: Db, today: string = todayInVietnam(), opts: { pace?: () => Promise<void> } = {}) {
  const due = rowsOf<{ id: string; product_id: string; number: string; star: number; expires_on: string }>(await db.execute(sql`
    select c.id, c.product_id, c.number, c.star, c.expires_on::text as expires_on from certificates c
     where c.status = 'active' and c.expires_on < ${today}::date
       and not exists (select 1 from certificate_expiries e where e.certificate_id = c.id)
     order by c.expires_on limit 5000`));
  const recorded: string[] = [];
  for (const c of due) {
    await opts.pace?.();
    const productId = await db.transaction(async (tx) => {
      const inserted = rowsOf<{ certificate_id: string }>(await tx.execute(sql`insert into certificate_expiries (certificate_id, product_id, expired_on)
        values (${c.id}::uuid, ${c.product_id}::uuid, ${c.expires_on}::date) on conflict do nothing returning certificate_id`));
      if (!inserted.length) return null;
      const product = await lockProductOrThrow(tx, c.product_id);
      const row = await productsService.findProductRow(tx, c.product_id);
      // The registry keeps the certificate's fields (they say which star expired when); every read of "the star"
      // already uses the certificate in force (effective star). The product's history records the day it lapsed.
      if (row?.certificateNumber === c.number) {
        await recordAudit(tx, SYSTEM_WRITER, 'recognition_expired', 'product', c.product_id, { effectiveStars: c.star, certificateNumber: c.number }, { effectiveStars: null, expiredOn: c.expires_on });
      }
      await recordAudit(tx, SYSTEM_WRITER, 'expire', 'certificate', c.id, null, { expiredOn: c.expires_on });
      const recipients = [...new Set([...(await producerUserIds(tx, product.producer_id)), ...(row ? await communeOfficerIdsCovering(tx, row.registeredUnitId) : [])])];
      await notify(tx, recipients, {
        kind: 'certificate_expired',
        title: `Giấy chứng nhận OCOP số ${c.number} đã hết hiệu lực`,
        body: `Sản phẩm "${product.name}" (${c.star} sao): giấy chứng nhận hết hạn ngày ${formatViDate(c.expires_on)}; sản phẩm không còn được công nhận OCOP cho đến khi được đánh giá lại.`,
        link: certificateLink(c.id), entityType: 'certificate', entityId: c.id,
      });
      return c.product_id;
    });
    if (productId) recorded.push(productId);
  }
  if (recorded.length) announceChange({ products: recorded });
  return { today, expired: recorded.length };
}

// ---------------------------------------------------------------- reminders

export interface ReminderRun {
  today: string;
  /** Certificates that were due for a look (active, 0 ≤ days left ≤ the largest threshold). */
  due: number;
  /** Reminders that produced notifications (one per certificate and threshold, ever). */
  sent: { certificateId: string; thresholdDays: number; daysLeft: number; recipients: number }[];
  /** Looser thresholds crossed together with a tighter one: recorded, not announced. */
  skipped: { certificateId: string; thresholdDays: number }[];
  emailed: number;
}

/**
 * The daily reminder job. For each active certificate with 0 ≤ days left ≤ the largest threshold, the thresholds it
 * has crossed are recorded in certificate_reminders (primary key certificate × threshold, ON CONFLICT DO NOTHING):
 * a row that already exists was handled by an earlier run — on this process or another, before or after a restart —
 * so nothing is ever sent twice. Only the tightest crossed threshold is announced; looser ones crossed at the same
 * time (a certificate first seen 45 days before expiry has crossed 90 and 60) are stored with skipped = true.
 *
 * Recipients: the producer's active users, the commune officers whose units cover the product's registered unit
 * (assigned to it, to a unit above it, or to its successor) and — only when no commune officer covers it — the
 * province officers, so some officer is always warned without flooding the provincial office with every reminder.
 * E-mail goes out after the commit when SMTP is configured (notifications.emailed_at marks what was sent).
 */
export async function sendDueReminders(db: Db, config: Pick<Config, 'reminderDays' | 'smtpUrl' | 'mailFrom' | 'publicBaseUrl'>, today: string = todayInVietnam(), opts: { transport?: Transporter; pace?: () => Promise<void> } = {}): Promise<ReminderRun> {
  const thresholds = [...new Set(config.reminderDays)].filter((d) => d > 0).sort((a, b) => b - a);
  const run: ReminderRun = { today, due: 0, sent: [], skipped: [], emailed: 0 };
  if (!thresholds.length) return run;
  const due = await repo.findDueForReminders(db, today, thresholds[0]);
  run.due = due.length;
  const notificationIds: string[] = [];
  for (const d of due) {
    const daysLeft = daysBetween(today, d.c.expiresOn);
    const crossed = thresholds.filter((t) => daysLeft <= t);
    if (!crossed.length) continue;
    const tightest = crossed[crossed.length - 1];
    // Between items (each its own transaction): the job steps aside for requests in flight (jobs/index.ts).
    await opts.pace?.();
    await db.transaction(async (tx) => {
      const fresh = await repo.recordReminder(tx, d.c.id, tightest, false);
      for (const t of crossed.slice(0, -1)) if (await repo.recordReminder(tx, d.c.id, t, true)) run.skipped.push({ certificateId: d.c.id, thresholdDays: t });
      if (!fresh) return;
      const officers = await communeOfficerIdsCovering(tx, d.registeredUnitId);
      const recipients = [...await producerUserIds(tx, d.c.producerId), ...(officers.length ? officers : await provinceOfficerIds(tx))];
      const rows = await notify(tx, recipients, {
        kind: 'certificate_expiring',
        title: daysLeft === 0 ? `Giấy chứng nhận OCOP số ${d.c.number} hết hạn hôm nay` : `Giấy chứng nhận OCOP số ${d.c.number} sắp hết hạn (còn ${daysLeft} ngày)`,
        body: `Sản phẩm "${d.productName}" của ${d.producerName} (${d.c.star} sao), giấy chứng nhận có hiệu lực đến ngày ${formatViDate(d.c.expiresOn)}. `
          + 'Hãy nộp hồ sơ đánh giá lại trước khi hết hạn để giữ hạng sao.',
        link: certificateLink(d.c.id), entityType: 'certificate', entityId: d.c.id,
      });
      notificationIds.push(...rows.map((r) => r.id));
      run.sent.push({ certificateId: d.c.id, thresholdDays: tightest, daysLeft, recipients: rows.length });
    });
  }
  run.emailed = await emailNotifications(db, config, notificationIds, opts.transport);
  return run;
}

/**
 * Products that carry recognition fields from before this module existed (and no certificate at all) get a paper
 * certificate built from those fields, and their fields are re-read from it — so revocation, expiry and reminders
 * apply to them too. A one-off data migration tried at every start: set-based (one statement, whatever the count),
 * idempotent, no notifications; an audit entry marks it done. Expiry uses PostgreSQL's month arithmetic, which clamps to the month's end exactly
 * like certificateExpiry (29/02/2024 + 36 months = 28/02/2027).
 */
export async function backfillLegacyCertificates(db: Db, opts: { force?: boolean } = {}): Promise<number> {
  // Product writes can no longer set recognition fields, so once done it stays done: later starts only look for the
  // marker (an index probe) instead of scanning every product (~0.1 s at 20,000 products, more on PGlite).
  const done = await db.execute(sql`select 1 from audit_log where entity_type = 'certificate' and entity_id = 'backfill' limit 1`);
  if (!opts.force && rowsOf(done).length) return 0;
  return db.transaction(async (tx) => {
    const r = await tx.execute(sql`with pending as (
        select p.id, p.producer_id, p.stars, p.decision_number, p.decision_date, p.certificate_number, p.certificate_issuer,
          row_number() over (partition by p.certificate_number order by p.created_at, p.id) as dup
        from products p
        where p.stars is not null and p.decision_number is not null and p.decision_date is not null
          and not exists (select 1 from certificates c where c.product_id = p.id)
      ), numbered as (
        select t.*, case
          when t.certificate_number ~ '^[A-Za-z0-9./-]{3,60}$' and t.dup = 1 and not exists (select 1 from certificates c where c.number = t.certificate_number)
            then t.certificate_number
          else 'OCOP-' || extract(year from t.decision_date)::int || '-' || lpad(nextval('certificate_number_seq')::text, 6, '0') end as number
        from pending t
      ), ins as (
        insert into certificates (number, product_id, producer_id, star, decision_number, decision_date, issuing_authority, issuing_unit_name, expires_on, is_legacy)
        select n.number, n.id, n.producer_id, n.stars, n.decision_number, n.decision_date,
          coalesce(n.certificate_issuer, 'Không rõ (ghi nhận trước khi có mô-đun giấy chứng nhận)'),
          coalesce(nullif(regexp_replace(n.certificate_issuer, '^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)[[:space:]]+', '', 'i'), ''), 'Không rõ'),
          (n.decision_date + interval '36 months')::date, true
        from numbered n
        returning product_id, number, issuing_authority, decision_date, expires_on
      )
      update products p set recognition_year = extract(year from ins.decision_date)::int, certificate_number = ins.number,
        certificate_issuer = ins.issuing_authority, certificate_expires_on = ins.expires_on
      from ins where ins.product_id = p.id
      returning p.id`);
    const ids = rowsOf<{ id: string }>(r).map((x) => x.id);
    await recordAudit(tx, { system: 'backfill' }, 'backfill_legacy_certificates', 'certificate', 'backfill', null, { products: ids.length });
    return ids;
  }).then((ids) => {
    announceChange({ products: ids });
    return ids.length;
  });
}

/** Issued from a round scored on a demo criteria set (printed and shown as demo). */
export const isFromDemoCriteria = (db: Db, criteriaSetCode: string | null) => repo.isDemoCriteriaSet(db, criteriaSetCode);

// Reads other modules use (they never query this module's tables themselves).
export const findOfRoundProduct = repo.findOfRoundProduct;
export const findCertificateRow = repo.findCertificateRow;
export const findActiveOfProduct = repo.findActiveOfProduct;

/**
 * The numbers of the product's OCOP certificates in force on a calendar day (Vietnam date, YYYY-MM-DD): decided on
 * or before it, not expired, not revoked by then. For EPCIS certificationInfo (lots/epcis-export.ts).
 */
export async function certificateNumbersInForce(db: Db, productId: string, day: string): Promise<string[]> {
  const rows = rowsOf<{ number: string }>(await db.execute(sql`select number from certificates
    where product_id = ${productId} and decision_date <= ${day}::date and expires_on >= ${day}::date
      and not (status = 'revoked' and (revoked_at is null or (revoked_at at time zone 'Asia/Ho_Chi_Minh')::date <= ${day}::date))
    order by decision_date desc, number`));
  return rows.map((r) => r.number);
}
