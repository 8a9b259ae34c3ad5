import type { Db } from '../../db/client.js';
import { AppError, notFound } from '../../lib/errors.js';
import { normalizeForSearch } from '../../../shared/text.js';
import { recordAudit, type Writer } from '../audit/service.js';
import * as repo from './repository.js';
import { presentUnit } from './presenter.js';
import { checksumOf } from './reference.js';
import { LEVEL_OF_TYPE, type CreateUnit } from './schema.js';

export async function listUnits(db: Db, f: repo.UnitFilter) {
  return (await repo.findUnits(db, f)).map(presentUnit);
}

export async function getUnit(db: Db, id: number) {
  const u = await repo.findUnitById(db, id);
  if (!u) throw notFound('Không tìm thấy đơn vị hành chính');
  return u;
}

export async function getUnitDetail(db: Db, id: number) {
  const u = await getUnit(db, id);
  const links = await repo.findSuccessions(db, id);
  const otherIds = links.map((l) => (l.successorId === id ? l.predecessorId : l.successorId));
  const parentIds = u.parentId ? [u.parentId] : [];
  const related = await repo.findUnits(db, { ids: [...otherIds, ...parentIds] });
  const byId = new Map(related.map((r) => [r.id, r]));
  const children = await repo.findUnits(db, { parentId: id });
  const side = (dir: 'pred' | 'succ') =>
    links
      .filter((l) => (dir === 'pred' ? l.successorId === id : l.predecessorId === id))
      .map((l) => ({
        ...presentUnit(byId.get(dir === 'pred' ? l.predecessorId : l.successorId)!),
        effectiveOn: l.effectiveOn,
        kind: l.kind,
      }));
  return {
    ...presentUnit(u),
    parent: u.parentId ? presentUnit(byId.get(u.parentId)!) : null,
    predecessors: side('pred'),
    successors: side('succ'),
    children: children.map(presentUnit),
  };
}

/** Units in which registry records may be placed: commune level (xã, phường, thị trấn). */
export async function assertRegistrableUnit(db: Db, unitId: number) {
  const u = await repo.findUnitById(db, unitId);
  if (!u || u.level !== 3) throw new AppError('UNIT_NOT_VALID', { errors: [{ path: 'unitId', message: 'Chọn một xã, phường hoặc thị trấn' }] });
  return u;
}

export const findUnitScope = repo.findUnitScope;

/** Adds a unit (e.g. after a reorganisation) and links the units it replaces, ending them the day before. */
export async function createUnit(db: Db, writer: Writer, input: CreateUnit) {
  return db.transaction(async (tx) => {
    const level = LEVEL_OF_TYPE[input.type];
    if (input.parentId) {
      const parent = await repo.findUnitById(tx, input.parentId);
      if (!parent || parent.level >= level) {
        throw new AppError('VALIDATION', { errors: [{ path: 'parentId', message: 'Đơn vị cấp trên không hợp lệ' }] });
      }
    } else if (level > 1 && input.type !== 'commune' && input.type !== 'ward') {
      throw new AppError('VALIDATION', { errors: [{ path: 'parentId', message: 'Cần chọn đơn vị cấp trên' }] });
    }
    const unit = await repo.insertUnit(tx, {
      key: input.key,
      code: input.code,
      codeStatus: input.code ? (input.codeStatus === 'none' ? 'official' : input.codeStatus) : 'none',
      name: input.name,
      type: input.type,
      level,
      parentId: input.parentId,
      validFrom: input.validFrom,
      validTo: input.validTo,
      note: input.note,
      source: input.source,
    });
    await recordAudit(tx, writer, 'create', 'admin_unit', String(unit.id), null, presentUnit(unit));
    for (const p of input.predecessors) {
      const pred = await repo.findUnitById(tx, p.unitId);
      if (!pred) throw new AppError('VALIDATION', { errors: [{ path: 'predecessors', message: `Không có đơn vị ${p.unitId}` }] });
      if (!input.validFrom) {
        throw new AppError('VALIDATION', { errors: [{ path: 'validFrom', message: 'Cần ngày hiệu lực khi thay thế đơn vị cũ' }] });
      }
      const dayBefore = new Date(`${input.validFrom}T00:00:00Z`);
      dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
      const end = dayBefore.toISOString().slice(0, 10);
      if (!pred.validTo || pred.validTo > end) {
        const ended = await repo.updateUnit(tx, pred.id, { validTo: end });
        await recordAudit(tx, writer, 'update', 'admin_unit', String(pred.id), presentUnit(pred), presentUnit(ended));
      }
      await repo.insertSuccession(tx, { predecessorId: pred.id, successorId: unit.id, effectiveOn: input.validFrom, kind: p.kind });
    }
    return presentUnit(unit);
  });
}

export interface UnitsSeed {
  units: {
    key: string; code: string | null; codeStatus: 'official' | 'inferred' | 'none'; name: string;
    type: keyof typeof LEVEL_OF_TYPE; parent: string | null; validFrom: string | null; validTo: string | null;
    note?: string | null; source?: string | null;
  }[];
  successions: { from: string; to: string; effective: string; kind: string; note?: string | null }[];
}

/**
 * Loads reference units idempotently (by key); existing rows are left alone. A unit whose official code and start
 * date are already in the database (e.g. added by the national 2025 list) is that unit: its key maps to the row.
 */
export async function loadUnitsSeed(db: Db, seed: UnitsSeed): Promise<number> {
  return db.transaction(async (tx) => {
    const idByKey = new Map<string, number>();
    const idByCode = new Map<string, number>();
    for (const r of await repo.findUnits(tx, {})) {
      idByKey.set(r.key, r.id);
      if (r.code) idByCode.set(`${r.code}|${r.validFrom ?? ''}|${r.level}`, r.id);
    }
    let added = 0;
    // Parents first: seeds list them first, but sort by level to be safe.
    const ordered = [...seed.units].sort((a, b) => LEVEL_OF_TYPE[a.type] - LEVEL_OF_TYPE[b.type]);
    for (const u of ordered) {
      if (idByKey.has(u.key)) continue;
      const sameCode = u.code ? idByCode.get(`${u.code}|${u.validFrom ?? ''}|${LEVEL_OF_TYPE[u.type]}`) : undefined;
      if (sameCode) {
        idByKey.set(u.key, sameCode);
        continue;
      }
      const parentId = u.parent ? idByKey.get(u.parent) : null;
      if (u.parent && !parentId) throw new Error(`units seed: parent ${u.parent} of ${u.key} not found`);
      const row = await repo.insertUnit(tx, {
        key: u.key,
        code: u.code,
        codeStatus: u.code ? u.codeStatus : 'none',
        name: u.name,
        type: u.type,
        level: LEVEL_OF_TYPE[u.type],
        parentId: parentId ?? null,
        validFrom: u.validFrom,
        validTo: u.validTo,
        note: u.note ?? null,
        source: u.source ?? null,
      });
      idByKey.set(u.key, row.id);
      added++;
    }
    const existing = new Set((await repo.findAllSuccessions(tx)).map((s) => `${s.predecessorId}>${s.successorId}`));
    for (const s of seed.successions) {
      const from = idByKey.get(s.from);
      const to = idByKey.get(s.to);
      if (!from || !to) throw new Error(`units seed: succession ${s.from} → ${s.to} names an unknown unit`);
      if (existing.has(`${from}>${to}`)) continue;
      await repo.insertSuccession(tx, { predecessorId: from, successorId: to, effectiveOn: s.effective, kind: s.kind, note: s.note ?? null });
    }
    return added;
  });
}

/**
 * Resolves a unit by name valid on a date (the demo seed names units as officers do). Since the national list, a
 * name can belong to communes of several provinces: an ambiguous name resolves to nothing rather than to any of them.
 */
export async function findUnitByNameOn(db: Db, name: string, asOf: string) {
  const want = normalizeForSearch(name).replace(/^(xa|phuong|thi tran|tt\.?|p\.)\s+/, '');
  const rows = await repo.findUnits(db, { asOf, level: 3 });
  const hits = rows.filter((r) => normalizeForSearch(r.name).replace(/^(xa|phuong|thi tran)\s+/, '') === want);
  return hits.length === 1 ? hits[0] : undefined;
}

/** units.json by checksum: skipped (one query) while the file is unchanged. */
export async function loadUnitsSeedText(db: Db, text: string, name = 'geo/units.json'): Promise<number> {
  const checksum = checksumOf(text);
  if ((await repo.findReferenceLoad(db, name))?.checksum === checksum) return 0;
  const seed = JSON.parse(text) as UnitsSeed;
  const added = await loadUnitsSeed(db, seed);
  await repo.recordReferenceLoad(db, name, checksum, seed.units.length);
  return added;
}

/** One unit by id (undefined when unknown): for other modules, which never read geo's tables themselves. */
export const findUnitById = repo.findUnitById;

/** One unit by its stable key (undefined when unknown): for seeds of other modules. */
export const findUnitByKey = repo.findUnitByKey;

const TYPE_LABEL: Record<string, string> = {
  province: 'Tỉnh', city: 'Thành phố', district: 'Huyện', town: 'Thị xã', commune: 'Xã', ward: 'Phường', township: 'Thị trấn', special_zone: 'Đặc khu',
};

/** "Phường Chũ — Bắc Ninh"-style names (the unit with its type, then its province) by id: labels for histories. */
export async function unitDisplayNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const id of ids) {
    const u = await repo.findUnitById(db, id);
    if (!u) continue;
    let top = u;
    for (let i = 0; i < 4 && top.parentId; i++) {
      const p = await repo.findUnitById(db, top.parentId);
      if (!p) break;
      top = p;
    }
    const own = `${TYPE_LABEL[u.type] ?? ''} ${u.name}`.trim();
    out.set(id, top.id === u.id ? own : `${own} — ${top.name}`);
  }
  return out;
}
