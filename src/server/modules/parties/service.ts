import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, fromDbError, notFound } from '../../lib/errors.js';
import { isActor, recordAudit, type Writer } from '../audit/service.js';
import { assertRegistrableUnit } from '../geo/service.js';
import { findProducerRow } from '../producers/service.js';
import { canReadParties, canWriteParties } from './policy.js';
import * as repo from './repository.js';
import type { Party, PartyInput, PartyListQuery } from './schema.js';
import type { PartyRow } from './tables.js';

const NOT_FOUND = 'Không tìm thấy đối tác';

export const presentParty = (r: PartyRow): Party => ({
  id: r.id, producerId: r.producerId, name: r.name, kind: r.kind, gln: r.gln, unitId: r.unitId, address: r.address,
  version: r.version, updatedAt: r.updatedAt.toISOString(),
});

/** Reads for other modules (EPCIS source/destination): never their own query on the table. */
export const findParty = repo.findParty;
export const findParties = repo.findParties;

async function inTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(fn);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

async function ownerOf(db: Db, producerId: string) {
  const p = await findProducerRow(db, producerId);
  if (!p) throw new AppError('VALIDATION', { errors: [{ path: 'producerId', message: 'Chủ thể không tồn tại' }] });
  return { producerId: p.id, producerUnitId: p.unitId };
}

export async function listPartiesFor(db: Db, actor: Actor, q: PartyListQuery) {
  const producerId = actor.role === 'producer' ? (actor.producerId ?? '00000000-0000-0000-0000-000000000000') : q.producerId;
  if (actor.role === 'producer' && q.producerId && q.producerId !== producerId) throw forbidden();
  const { items, total } = await repo.listParties(db, { producerId, kind: q.kind }, q.page, q.pageSize);
  return { items: items.map(presentParty), total, page: q.page, pageSize: q.pageSize };
}

export async function getPartyFor(db: Db, actor: Actor, id: string) {
  const r = await repo.findParty(db, id);
  if (!r || !canReadParties(actor, r)) throw notFound(NOT_FOUND);
  return presentParty(r);
}

/** Roles that keep party lists at all (the rest is decided per producer by canWriteParties). */
const WRITER_ROLES = new Set(['admin', 'province_officer', 'commune_officer', 'producer']);

export async function createParty(db: Db, writer: Writer, input: PartyInput) {
  if (isActor(writer) && !WRITER_ROLES.has(writer.role)) throw forbidden();
  return inTx(db, async (tx) => {
    const owner = await ownerOf(tx, input.producerId);
    if (isActor(writer) && !canWriteParties(writer, owner)) throw forbidden('Chủ thể chỉ được quản lý đối tác của chính mình');
    if (input.unitId) await assertRegistrableUnit(tx, input.unitId);
    const row = await repo.insertParty(tx, input);
    await recordAudit(tx, writer, 'create', 'party', row.id, null, { ...input });
    return presentParty(row);
  });
}

/** A party the writer may change: unknown or unreadable → 404 (nothing told), readable but not theirs → 403. */
async function writableParty(tx: Db, writer: Writer, id: string) {
  const before = await repo.findParty(tx, id);
  if (!before) throw notFound(NOT_FOUND);
  if (isActor(writer)) {
    if (!canReadParties(writer, before)) throw notFound(NOT_FOUND);
    if (!canWriteParties(writer, await ownerOf(tx, before.producerId))) throw forbidden();
  }
  return before;
}

export async function updateParty(db: Db, writer: Writer, id: string, version: number, input: PartyInput) {
  if (isActor(writer) && !WRITER_ROLES.has(writer.role)) throw forbidden();
  return inTx(db, async (tx) => {
    const before = await writableParty(tx, writer, id);
    if (isActor(writer) && input.producerId !== before.producerId) throw forbidden('Không chuyển đối tác sang chủ thể khác');
    if (before.version !== version) throw new AppError('VERSION_CONFLICT');
    if (input.unitId && input.unitId !== before.unitId) await assertRegistrableUnit(tx, input.unitId);
    const after = await repo.updateParty(tx, id, input);
    const { createdAt: _a, updatedAt: _b, version: _c, ...b } = before;
    const { createdAt: _d, updatedAt: _e, version: _f, ...a } = after;
    await recordAudit(tx, writer, 'update', 'party', id, b, a);
    return presentParty(after);
  });
}

export async function deleteParty(db: Db, writer: Writer, id: string) {
  if (isActor(writer) && !WRITER_ROLES.has(writer.role)) throw forbidden();
  return inTx(db, async (tx) => {
    const before = await writableParty(tx, writer, id);
    await repo.deleteParty(tx, id);
    await recordAudit(tx, writer, 'delete', 'party', id, { name: before.name, kind: before.kind, gln: before.gln }, null);
    return { ok: true as const };
  });
}
