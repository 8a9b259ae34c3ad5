import crypto from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, fromDbError, notFound } from '../../lib/errors.js';
import { todayInVietnam } from '../../../shared/certificate-dates.js';
import { isActor, recordAudit, type Writer } from '../audit/service.js';
import type { Storage } from '../files/storage.js';
import { findProducerRow } from '../producers/repository.js';
import { cleanFileName, sniffEvidenceFile } from './files.js';
import { canListEvidence, canReadEvidence, canWriteEvidence } from './policy.js';
import { auditableEvidence, presentEvidence } from './presenter.js';
import * as repo from './repository.js';
import { metaErrors, ZEvidenceFields, type EvidenceFieldsInput, type EvidenceUpdate, type EvidenceUsage } from './schema.js';
import type { EvidenceRow } from './tables.js';

export { isEvidenceExpired } from './presenter.js';

// ------------------------------------------------------------------ for other modules (dossiers)

/** Evidence rows by id (any producer; the caller checks ownership and access). Unknown ids are simply absent. */
export async function findEvidenceByIds(db: Db, ids: string[]): Promise<EvidenceRow[]> {
  return repo.findEvidenceRowsByIds(db, [...new Set(ids)]);
}

/** All evidence rows of a producer's locker, by type then newest first. */
export async function findEvidenceOfProducer(db: Db, producerId: string): Promise<EvidenceRow[]> {
  return repo.findEvidenceRowsOfProducer(db, producerId);
}

// ------------------------------------------------------------------ helpers

const forbidden = (policy: { name: string }) => new AppError('FORBIDDEN', { extra: { policy: policy.name } });

async function producerOf(db: Db, producerId: string) {
  const p = await findProducerRow(db, producerId);
  if (!p) throw notFound('Không tìm thấy chủ thể');
  return { producerId: p.id, producerUnitId: p.unitId };
}

async function getRow(db: Db, id: string) {
  const row = await repo.findEvidenceRow(db, id);
  if (!row) throw notFound('Không tìm thấy tài liệu');
  return row;
}

/** Checks the read policy; the round membership query runs only when the cheaper rules did not already allow. */
async function assertRead(db: Db, actor: Actor, row: EvidenceRow) {
  const owner = await producerOf(db, row.producerId);
  if (canWriteEvidence(actor, owner)) return;
  const inMyRound = (await repo.findInRoundsOf(db, [row.id], actor.id)).has(row.id);
  if (!canReadEvidence(actor, { ...owner, inMyRound })) throw forbidden(canReadEvidence);
}

async function assertWrite(db: Db, writer: Writer, producerId: string) {
  const owner = await producerOf(db, producerId);
  if (isActor(writer) && !canWriteEvidence(writer, owner)) throw forbidden(canWriteEvidence);
}

function groupUsage(rows: repo.UsageRow[]) {
  const by = new Map<string, EvidenceUsage[]>();
  for (const u of rows) {
    const list = by.get(u.evidenceId) ?? [];
    list.push({ dossierId: u.dossierId, productName: u.productName, status: u.status as EvidenceUsage['status'] });
    by.set(u.evidenceId, list);
  }
  return by;
}

async function present(db: Db, rows: EvidenceRow[]) {
  const usage = groupUsage(await repo.findUsage(db, rows.map((r) => r.id)));
  const today = todayInVietnam();
  return rows.map((r) => presentEvidence(r, usage.get(r.id) ?? [], today));
}

// ------------------------------------------------------------------ API

/** A producer's locker: everything for its users and officers in scope; council members only what their rounds use. */
export async function listEvidenceFor(db: Db, actor: Actor, producerId: string) {
  const owner = await producerOf(db, producerId);
  if (!canListEvidence(actor, owner)) throw forbidden(canListEvidence);
  let rows = await repo.findEvidenceRowsOfProducer(db, producerId);
  if (!canWriteEvidence(actor, owner)) {
    const mine = await repo.findInRoundsOf(db, rows.map((r) => r.id), actor.id);
    rows = rows.filter((r) => canReadEvidence(actor, { ...owner, inMyRound: mine.has(r.id) }));
  }
  return present(db, rows);
}

export async function getEvidenceFor(db: Db, actor: Actor, id: string) {
  const row = await getRow(db, id);
  await assertRead(db, actor, row);
  return (await present(db, [row]))[0];
}

export interface EvidenceFile {
  /** The client's file name, as sent (checked and cleaned here). */
  fileName: string | undefined;
  data: Buffer;
}

/**
 * Checks the writer, the fields, the name and the bytes before anything is stored; stores the file under a generated
 * key, then the row in a transaction; if the row cannot be written the file is removed again.
 */
export async function createEvidence(
  db: Db, storage: Storage, writer: Writer, producerId: string, fieldsIn: EvidenceFieldsInput, file: EvidenceFile,
  /** Runs in the same transaction once the row exists (e.g. the programme links it to a support activity). */
  inTx?: (tx: Db, row: EvidenceRow) => Promise<void>,
) {
  await assertWrite(db, writer, producerId);
  const parsed = ZEvidenceFields.safeParse(fieldsIn);
  if (!parsed.success) {
    throw new AppError('VALIDATION', { errors: parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'fields', message: i.message })) });
  }
  const fields = parsed.data;
  const fileName = cleanFileName(file.fileName);
  const kind = await sniffEvidenceFile(file.data, fileName);
  const sha256 = crypto.createHash('sha256').update(file.data).digest('hex');
  const storageKey = await storage.put('evidence', kind.ext, file.data);
  let row: EvidenceRow;
  try {
    row = await db.transaction(async (tx) => {
      const r = await repo.insertEvidence(tx, {
        producerId,
        type: fields.type,
        certificationType: fields.certificationType,
        title: fields.title,
        issuer: fields.issuer,
        number: fields.number,
        issuedOn: fields.issuedOn,
        expiresOn: fields.expiresOn,
        storageKey,
        contentType: kind.contentType,
        bytes: file.data.length,
        fileName,
        sha256,
        uploadedBy: isActor(writer) ? writer.id : null,
      });
      await recordAudit(tx, writer, 'create', 'evidence', r.id, null, auditableEvidence(r));
      if (inTx) await inTx(tx, r);
      return r;
    });
  } catch (err) {
    // Nothing half-written: a file without its row is removed again.
    await storage.delete(storageKey).catch(() => undefined);
    throw fromDbError(err) ?? err;
  }
  return (await present(db, [row]))[0];
}

export async function updateEvidenceFor(db: Db, actor: Actor, id: string, input: EvidenceUpdate) {
  try {
    const updated = await db.transaction(async (tx) => {
      const before = await getRow(tx, id);
      await assertWrite(tx, actor, before.producerId);
      const errors = metaErrors(before.type, input);
      if (errors.length) throw new AppError('VALIDATION', { errors });
      if (before.version !== input.version) throw new AppError('VERSION_CONFLICT');
      const after = await repo.updateEvidence(tx, id, input.version, {
        title: input.title,
        issuer: input.issuer,
        number: input.number,
        issuedOn: input.issuedOn,
        expiresOn: input.expiresOn,
        certificationType: input.certificationType,
      });
      if (!after) throw new AppError('VERSION_CONFLICT');
      await recordAudit(tx, actor, 'update', 'evidence', id, auditableEvidence(before), auditableEvidence(after));
      return after;
    });
    return (await present(db, [updated]))[0];
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

/**
 * Refused while any dossier that is no longer a draft uses the evidence (what was submitted stays as submitted);
 * otherwise unlinks it from draft dossiers and deletes the row, then the file once the transaction committed.
 */
export async function deleteEvidenceFor(db: Db, storage: Storage, actor: Actor, id: string) {
  const row = await getRow(db, id);
  await assertWrite(db, actor, row.producerId);
  try {
    await db.transaction(async (tx) => {
      const linked = await repo.lockLinkedDossiers(tx, id);
      if (linked.some((d) => d.status !== 'draft')) {
        throw new AppError('IN_USE', { detail: 'Tài liệu đang dùng trong hồ sơ đã nộp hoặc đã xử lý nên không xoá được; có thể tải lên bản mới' });
      }
      await repo.deleteLinksOf(tx, id);
      if (!(await repo.deleteEvidenceRow(tx, id))) throw notFound('Không tìm thấy tài liệu');
      await recordAudit(tx, actor, 'delete', 'evidence', id, { ...auditableEvidence(row), unlinkedDrafts: linked.map((d) => d.id) }, null);
    });
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
  await storage.delete(row.storageKey).catch(() => undefined);
}

/** The stored bytes, for users allowed to read the evidence. */
/**
 * A download of a producer's business document. Reads by anyone other than the producer's own users are audited
 * (who, when, which document): officers and council members see these files in confidence (#13).
 */
export async function readEvidenceFile(db: Db, storage: Storage, actor: Actor, id: string) {
  const row = await getRow(db, id);
  await assertRead(db, actor, row);
  return readFileOf(db, storage, actor, row);
}

/**
 * For a module that decided access by its own policy (support activities: the supported producer and the officers
 * responsible for the activity): the same download, audited the same way.
 */
export async function readEvidenceFileAuthorisedBy(db: Db, storage: Storage, actor: Actor, id: string) {
  return readFileOf(db, storage, actor, await getRow(db, id));
}

async function readFileOf(db: Db, storage: Storage, actor: Actor, row: EvidenceRow) {
  const data = await storage.get(row.storageKey).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw notFound('Tệp không còn trên máy chủ');
    throw err;
  });
  if (!(actor.role === 'producer' && actor.producerId === row.producerId)) {
    await recordAudit(db, actor, 'read_file', 'evidence', row.id, null, { producerId: row.producerId, type: row.type, title: row.title, fileName: row.fileName });
  }
  return { data, contentType: row.contentType, fileName: row.fileName };
}
