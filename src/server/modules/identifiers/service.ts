/**
 * GS1 identifiers and who owns them (#14 item 2): a producer's GS1 company prefixes (declared with the GS1 Vietnam
 * membership certificate, verified by an officer) and the rules a product's GTIN must meet. The products module calls
 * `checkProductGtin` inside its transaction; nothing here reads the products table.
 */
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, fromDbError, notFound } from '../../lib/errors.js';
import { checkGtin, gtinCheckDigit, toGtin14 } from '../../../shared/gs1.js';
import { classifyCompanyPrefix, classifyGtin, gtin13View, prefixesOverlap, VERDICT_MESSAGE_VI } from '../../../shared/gs1-prefixes.js';
import { isActor, recordAudit, type Writer } from '../audit/service.js';
import { findEvidenceByIds } from '../evidence/service.js';
import { findProducerRow } from '../producers/service.js';
import { canDeclarePrefix, canReadPrefixes, canVerifyPrefix } from './policy.js';
import * as repo from './repository.js';
import type { Gs1Prefix, Gs1PrefixInput, VerificationInput, Warning } from './schema.js';
import type { Gs1PrefixRow } from './tables.js';

const PREFIX_NOT_FOUND = 'Không tìm thấy mã doanh nghiệp GS1';
const UNVERIFIED_VI = 'Mã doanh nghiệp GS1 chưa xác minh: cán bộ chưa đối chiếu giấy chứng nhận thành viên GS1 Việt Nam';

async function inTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(fn);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

function prefixWarnings(prefix: string, status: Gs1PrefixRow['status']): Warning[] {
  const out: Warning[] = [];
  const c = classifyCompanyPrefix(prefix);
  if (c.verdict === 'demo') out.push({ code: 'gs1_demo_prefix', message: c.message });
  if (c.verdict === 'foreign') out.push({ code: 'gs1_foreign_prefix', message: c.message });
  if (status === 'declared') out.push({ code: 'gs1_prefix_unverified', message: UNVERIFIED_VI });
  return out;
}

export function presentPrefix(r: Gs1PrefixRow): Gs1Prefix {
  return {
    id: r.id, producerId: r.producerId, prefix: r.prefix, status: r.status, evidenceId: r.evidenceId,
    verifiedAt: r.verifiedAt?.toISOString() ?? null, note: r.note, warnings: prefixWarnings(r.prefix, r.status), createdAt: r.createdAt.toISOString(),
  };
}

async function producerScope(db: Db, producerId: string) {
  const p = await findProducerRow(db, producerId);
  if (!p) throw notFound('Không tìm thấy chủ thể');
  return { producerId: p.id, producerUnitId: p.unitId };
}

export async function listPrefixesFor(db: Db, actor: Actor, producerId: string) {
  const scope = await producerScope(db, producerId);
  if (!canReadPrefixes(actor, scope)) throw forbidden();
  return {
    items: (await repo.findPrefixesOfProducer(db, producerId)).map(presentPrefix),
    canDeclare: canDeclarePrefix(actor, scope),
    canDecide: canVerifyPrefix(actor, scope),
  };
}

/**
 * A producer declares a prefix with its GS1 Vietnam certificate from the locker; it stays "declared" (usable, shown as
 * unverified) until an officer decides. An officer (or the seed) declaring on the producer's behalf verifies it at once.
 * Restricted-circulation, coupon and publication ranges are refused; a prefix overlapping another producer's live
 * claim is 409.
 */
export async function declarePrefix(db: Db, writer: Writer, producerId: string, input: Gs1PrefixInput) {
  return inTx(db, async (tx) => {
    const scope = await producerScope(tx, producerId);
    const byProducer = isActor(writer) && writer.role === 'producer';
    if (isActor(writer) && !canDeclarePrefix(writer, scope)) throw forbidden('Chủ thể chỉ được khai báo mã doanh nghiệp GS1 của chính mình');
    const c = classifyCompanyPrefix(input.prefix);
    if (c.severity === 'refuse') throw new AppError('GTIN_INVALID', { detail: c.message, errors: [{ path: 'prefix', message: c.message }] });
    if (byProducer && !input.evidenceId) {
      throw new AppError('VALIDATION', { detail: 'Cần đính kèm giấy chứng nhận thành viên GS1 Việt Nam (từ kho tài liệu)', errors: [{ path: 'evidenceId', message: 'Chưa chọn giấy chứng nhận thành viên GS1' }] });
    }
    if (input.evidenceId) {
      const [ev] = await findEvidenceByIds(tx, [input.evidenceId]);
      if (!ev || ev.producerId !== producerId) throw new AppError('VALIDATION', { errors: [{ path: 'evidenceId', message: 'Tài liệu không có trong kho tài liệu của chủ thể' }] });
      if (ev.type !== 'gs1_membership') {
        throw new AppError('VALIDATION', { errors: [{ path: 'evidenceId', message: 'Tài liệu đính kèm phải là giấy chứng nhận thành viên GS1 Việt Nam (loại tài liệu "Giấy chứng nhận thành viên GS1 Việt Nam")' }] });
      }
    }
    const overlapping = await repo.findLiveOverlapping(tx, input.prefix);
    const other = overlapping.find((o) => o.producerId !== producerId);
    if (other) {
      throw new AppError('GTIN_TAKEN', { detail: `Mã doanh nghiệp GS1 ${input.prefix} trùng hoặc chồng lấn với mã ${other.prefix} đã được một chủ thể khác khai báo`, errors: [{ path: 'prefix', message: 'Mã đã thuộc chủ thể khác' }] });
    }
    if (overlapping.some((o) => o.prefix === input.prefix)) {
      throw new AppError('VALIDATION', { detail: 'Chủ thể đã khai báo mã này', errors: [{ path: 'prefix', message: 'Đã khai báo' }] });
    }
    const verifyNow = !byProducer;
    const row = await repo.insertPrefix(tx, {
      producerId, prefix: input.prefix, evidenceId: input.evidenceId, note: input.note,
      status: verifyNow ? 'verified' : 'declared', verifiedAt: verifyNow ? new Date() : null, verifiedBy: verifyNow && isActor(writer) ? writer.id : null,
      createdBy: isActor(writer) ? writer.id : null,
    });
    await recordAudit(tx, writer, 'create', 'gs1_prefix', row.id, null, { producerId, prefix: row.prefix, status: row.status, evidenceId: row.evidenceId });
    return presentPrefix(row);
  });
}

export async function decidePrefix(db: Db, actor: Actor, id: string, input: VerificationInput) {
  return inTx(db, async (tx) => {
    const before = await repo.findPrefixRow(tx, id);
    if (!before) throw notFound(PREFIX_NOT_FOUND);
    const scope = await producerScope(tx, before.producerId);
    if (!canReadPrefixes(actor, scope)) throw notFound(PREFIX_NOT_FOUND);
    if (!canVerifyPrefix(actor, scope)) throw forbidden('Chỉ cán bộ phụ trách chủ thể được xác minh mã doanh nghiệp GS1');
    const after = await repo.decidePrefix(tx, id, input.decision, actor.id, input.note);
    if (!after) throw new AppError('VERIFICATION_STATE', { detail: 'Mã doanh nghiệp GS1 đã được xác minh hoặc từ chối trước đó' });
    await recordAudit(tx, actor, input.decision === 'verified' ? 'verify' : 'reject', 'gs1_prefix', id, { status: before.status }, { status: after.status, note: after.note });
    return presentPrefix(after);
  });
}

/** A GTIN as typed (8, 12, 13 or 14 digits) → GTIN-14, or a 422 that says what is wrong (the check digit it expects). */
export function normaliseGtin(input: string, path = 'gtin'): string {
  const g = checkGtin(input);
  if (!g.ok) {
    let message = g.message;
    if (g.code === 'gtin_check_digit') {
      const body = input.slice(0, -1);
      const d = gtinCheckDigit(body);
      const digit = d.ok ? d.value : '?';
      message = `Mã GTIN sai số kiểm tra: chữ số cuối phải là ${digit} (mã đúng: ${body}${digit}), không phải ${input.slice(-1)}`;
    }
    throw new AppError('GTIN_INVALID', { detail: message, errors: [{ path, message }] });
  }
  return (toGtin14(g.value) as { ok: true; value: string }).value;
}

export type GtinCheck = { gtin: string; prefix: string | null; prefixStatus: 'declared' | 'verified' | null; warnings: Warning[] };

/**
 * What a GTIN on a product of `producerId` must meet: a valid check digit; not a restricted-circulation, coupon or
 * publication number (422); allocated under a live (declared or verified) prefix of the same producer (422), and
 * not under another producer's prefix (409). Warnings: GS1 demo prefix 952, a foreign GS1 prefix, an unverified prefix.
 */
export async function checkProductGtin(db: Db, producerId: string, input: string): Promise<GtinCheck> {
  const gtin = normaliseGtin(input);
  const c = classifyGtin(gtin);
  if (c.severity === 'refuse') throw new AppError('GTIN_INVALID', { detail: c.message, errors: [{ path: 'gtin', message: c.message }] });
  const g13 = gtin13View(gtin);
  const claims = g13 ? await repo.findLiveClaimsOfGtin(db, g13) : [];
  const others = claims.filter((x) => x.producerId !== producerId);
  if (others.length) {
    throw new AppError('GTIN_TAKEN', {
      detail: `Mã GTIN ${gtin} thuộc mã doanh nghiệp GS1 ${others[0].prefix} của một chủ thể khác: không được dùng cho sản phẩm của chủ thể này`,
      errors: [{ path: 'gtin', message: 'GTIN thuộc mã doanh nghiệp GS1 của chủ thể khác' }],
    });
  }
  const own = claims.filter((x) => x.producerId === producerId).sort((a, b) => (a.status === 'verified' ? -1 : 0) - (b.status === 'verified' ? -1 : 0))[0];
  if (!own) {
    throw new AppError('GTIN_INVALID', {
      detail: `Mã GTIN ${gtin} không thuộc mã doanh nghiệp GS1 nào chủ thể đã khai báo: hãy khai báo mã doanh nghiệp GS1 (kèm giấy chứng nhận thành viên GS1 Việt Nam) trước`,
      errors: [{ path: 'gtin', message: 'GTIN không thuộc mã doanh nghiệp GS1 của chủ thể' }],
    });
  }
  const warnings: Warning[] = [];
  if (c.verdict === 'demo') warnings.push({ code: 'gs1_demo_prefix', message: VERDICT_MESSAGE_VI.demo });
  if (c.verdict === 'foreign') warnings.push({ code: 'gs1_foreign_prefix', message: VERDICT_MESSAGE_VI.foreign });
  if (own.status === 'declared') warnings.push({ code: 'gs1_prefix_unverified', message: UNVERIFIED_VI });
  return { gtin, prefix: own.prefix, prefixStatus: own.status as 'declared' | 'verified', warnings };
}

/** The same facts for showing a stored GTIN (never throws: the GTIN may predate the rules, e.g. migrated from lots). */
export async function describeGtin(db: Db, producerId: string, gtin: string): Promise<GtinCheck> {
  try {
    return await checkProductGtin(db, producerId, gtin);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { gtin, prefix: null, prefixStatus: null, warnings: [{ code: err.code === 'GTIN_TAKEN' ? 'gs1_prefix_other_producer' : 'gs1_prefix_missing', message: err.detail ?? err.message }] };
  }
}

export { prefixesOverlap };
