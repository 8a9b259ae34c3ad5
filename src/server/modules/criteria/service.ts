import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../db/client.js';
import { AppError, fromDbError, notFound, type FieldError } from '../../lib/errors.js';
import { loadWorkbook } from '../../lib/excel.js';
import { validateSheet, type CriteriaNode, type CriteriaSheetDoc, type StarBands } from '../../../shared/criteria.js';
import { sheetFromTranscription, bandsFromTranscription, type TranscribedSheet } from '../../../shared/criteria-import.js';
import { recordAudit, type Writer } from '../audit/service.js';
import * as taxonomyRepo from '../taxonomy/repository.js';
import { presentProcedure, presentSet, presentSheet, presentSheetSummary } from './presenter.js';
import * as repo from './repository.js';
import type { CreateSet, PutSheet } from './schema.js';
import type { ProcedureDoc } from './tables.js';

async function codesByNode(db: Db) {
  return new Map((await taxonomyRepo.findAllNodes(db)).map((n) => [n.id, n.code]));
}

export async function listSets(db: Db) {
  const sets = await repo.findSets(db);
  const sheets = await repo.findSheetsOfSets(db, sets.map((s) => s.id));
  const codes = await codesByNode(db);
  return sets.map((set) => presentSet(set, sheets.filter((sh) => sh.setId === set.id).map((sh) => presentSheetSummary(sh, set, codes.get(sh.taxonomyNodeId) ?? '?'))));
}

export async function getSetRow(db: Db, id: number) {
  const set = await repo.findSet(db, id);
  if (!set) throw notFound('Không tìm thấy bộ tiêu chí');
  return set;
}

export async function getSet(db: Db, id: number) {
  const set = await getSetRow(db, id);
  const sheets = await repo.findSheetsOfSets(db, [id]);
  const codes = await codesByNode(db);
  return presentSet(set, sheets.map((sh) => presentSheetSummary(sh, set, codes.get(sh.taxonomyNodeId) ?? '?')));
}

export async function getSheet(db: Db, id: number) {
  const sheet = await repo.findSheet(db, id);
  if (!sheet) throw notFound('Không tìm thấy phiếu tiêu chí');
  const set = await getSetRow(db, sheet.setId);
  const node = await taxonomyRepo.findNodeById(db, sheet.taxonomyNodeId);
  return presentSheet(sheet, set, node?.code ?? '?');
}

export async function createSet(db: Db, writer: Writer, input: CreateSet) {
  try {
    return await db.transaction(async (tx) => {
      if (!(await taxonomyRepo.findVersion(tx, input.taxonomyVersion))) {
        throw new AppError('VALIDATION', { errors: [{ path: 'taxonomyVersion', message: 'Không có bộ phân loại này' }] });
      }
      const sum = Object.values(input.partMaxima).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 100) > 1e-9) throw new AppError('VALIDATION', { errors: [{ path: 'partMaxima', message: `Tổng điểm tối đa các phần là ${sum}, phải bằng 100` }] });
      const set = await repo.insertSet(tx, { ...input, status: 'draft' });
      await recordAudit(tx, writer, 'create', 'criteria_set', String(set.id), null, { ...input });
      return presentSet(set, []);
    });
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

/** Adds or replaces the sheet of one taxonomy leaf in a draft set (the database refuses it for a published set). */
export async function putSheet(db: Db, writer: Writer, setId: number, input: PutSheet) {
  try {
    return await db.transaction(async (tx) => {
      const set = await getSetRow(tx, setId);
      if (set.status === 'published') throw new AppError('CRITERIA_PUBLISHED');
      const node = await taxonomyRepo.findNodeById(tx, input.taxonomyNodeId);
      if (!node || !node.isLeaf || node.version !== set.taxonomyVersion) {
        throw new AppError('TAXONOMY_NOT_LEAF', { errors: [{ path: 'taxonomyNodeId', message: `Chọn một phân nhóm cuối của bộ phân loại ${set.taxonomyVersion}` }] });
      }
      const before = await repo.findSheetFor(tx, setId, node.id);
      const sheet = await repo.upsertSheet(tx, { setId, taxonomyNodeId: node.id, title: input.title, doc: input.doc as CriteriaSheetDoc, isDemo: input.isDemo, note: input.note });
      await recordAudit(tx, writer, before ? 'update' : 'create', 'criteria_sheet', String(sheet.id), before ? { title: before.title, doc: before.doc } : null, { title: sheet.title, doc: sheet.doc });
      return presentSheet(sheet, set, node.code);
    });
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

export async function deleteSheet(db: Db, writer: Writer, sheetId: number) {
  try {
    await db.transaction(async (tx) => {
      const sheet = await repo.findSheet(tx, sheetId);
      if (!sheet) throw notFound('Không tìm thấy phiếu tiêu chí');
      await repo.deleteSheet(tx, sheetId);
      await recordAudit(tx, writer, 'delete', 'criteria_sheet', String(sheetId), { title: sheet.title }, null);
    });
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

interface DecisionStructure { decision: string; partMaxima: Record<string, number>; starBands: StarBands }
const SEED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../seed');
const DECISIONS: DecisionStructure[] = (JSON.parse(fs.readFileSync(path.join(SEED_DIR, 'criteria/decisions.json'), 'utf8')) as { decisions: DecisionStructure[] }).decisions;

const decisionKey = (d: string) => d.normalize('NFC').replace(/^(QĐ|Quyết định)\s*(số)?\s*/i, '').replace(/\s+/g, '').toLowerCase();

/**
 * A set is checked against its decision (seed/criteria/decisions.json) before it may be published: the same part
 * maxima and star bands; bands ordered, contiguous (1★…5★), starting at 0 and all below 100, so that every score
 * from 0 to 100 falls in exactly one band.
 */
export function checkAgainstDecision(set: { decision: string; partMaxima: Record<string, number>; starBands: StarBands }): FieldError[] {
  const errors: FieldError[] = [];
  const bands = set.starBands;
  const ordered = bands.every((b, i) => i === 0 || (b.min > bands[i - 1].min && b.star === bands[i - 1].star + 1));
  if (!bands.length || bands[0].min !== 0 || bands[0].star !== 1 || !ordered || bands.some((b) => b.min >= 100)) {
    errors.push({ path: 'starBands', message: `Các mức sao phải bắt đầu từ 1★ ở 0 điểm, tăng dần liên tiếp (mỗi mức một sao, điểm tăng) và dưới 100: ${bands.map((b) => `${b.star}★ từ ${b.min}`).join(', ')}` });
  }
  const d = DECISIONS.find((x) => decisionKey(x.decision) === decisionKey(set.decision));
  if (!d) {
    errors.push({ path: 'decision', message: `Chưa có dữ liệu cấu trúc của quyết định "${set.decision}" (điểm các phần, mức sao): không ban hành được bộ tiêu chí theo quyết định này` });
    return errors;
  }
  const parts = [...new Set([...Object.keys(d.partMaxima), ...Object.keys(set.partMaxima)])].sort();
  const wrong = parts.filter((p) => d.partMaxima[p] !== set.partMaxima[p]);
  if (wrong.length) {
    const fmt = (m: Record<string, number>) => parts.map((p) => `${p}${m[p] ?? 0}`).join('/');
    errors.push({ path: 'partMaxima', message: `Điểm tối đa các phần ${fmt(set.partMaxima)} khác quyết định ${d.decision} (${fmt(d.partMaxima)})` });
  }
  const sameBands = d.starBands.length === bands.length && d.starBands.every((b, i) => b.star === bands[i].star && b.min === bands[i].min);
  if (!sameBands) errors.push({ path: 'starBands', message: `Mức sao khác quyết định ${d.decision}: ${d.starBands.map((b) => `${b.star}★ từ ${b.min}`).join(', ')}` });
  return errors;
}

/** Publishing validates the set against its decision and every sheet; any error (by sheet and criterion code) keeps the set a draft. */
export async function publishSet(db: Db, writer: Writer, setId: number) {
  try {
    return await db.transaction(async (tx) => {
      const set = await getSetRow(tx, setId);
      if (set.status === 'published') throw new AppError('CRITERIA_PUBLISHED');
      const sheets = await repo.findSheetsOfSets(tx, [setId]);
      const codes = await codesByNode(tx);
      const errors: FieldError[] = [];
      if (!sheets.length) errors.push({ path: 'sheets', message: 'Bộ tiêu chí chưa có phiếu nào' });
      const structural = checkAgainstDecision(set);
      if (structural.length) throw new AppError('CRITERIA_DECISION_MISMATCH', { detail: structural.map((e) => e.message).join('; '), errors: structural });
      for (const sh of sheets) {
        for (const i of validateSheet(sh.doc, set.partMaxima)) {
          if (i.severity === 'error') errors.push({ path: `${codes.get(sh.taxonomyNodeId)}:${i.code}`, message: `${sh.title} — ${i.code}: ${i.message}` });
        }
      }
      if (errors.length) throw new AppError('CRITERIA_INVALID', { errors });
      const published = await repo.publishSet(tx, setId);
      await recordAudit(tx, writer, 'publish', 'criteria_set', String(setId), { status: 'draft' }, { status: 'published' });
      return published;
    }).then(() => getSet(db, setId));
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}

export async function listProcedures(db: Db) {
  return (await repo.findProcedures(db)).map(presentProcedure);
}
export async function getProcedure(db: Db, code: string) {
  const p = await repo.findProcedure(db, code);
  if (!p) throw notFound('Không tìm thấy quy trình');
  return p;
}
export const findSheetFor = repo.findSheetFor;
export const findSheetsByIds = repo.findSheetsByIds;

// ---------------------------------------------------------------- Excel transcription of a sheet

export const SHEET_TEMPLATE_COLUMNS = ['Mã', 'Nội dung (tiêu chí hoặc phương án)', 'Điểm tối đa', 'Điểm phương án', 'Bắt buộc từ hạng sao'] as const;

/** Parent of a criterion code: A1.2.3 → A1.2 → A1 → A. */
export function parentCode(code: string): string | null {
  if (code.includes('.')) return code.slice(0, code.lastIndexOf('.'));
  const m = /^([A-Z])\d+$/.exec(code);
  return m ? m[1] : null;
}

/**
 * Reads the app's Excel template: one row per part/section/criterion (with its code) followed by its answer
 * options (rows without a code, with points). Reports problems by row; returns the sheet document.
 */
export async function parseSheetWorkbook(file: Buffer): Promise<{ doc: CriteriaSheetDoc; errors: FieldError[] }> {
  const wb = await loadWorkbook(file, 'Cần tệp Excel .xlsx theo mẫu phiếu tiêu chí'); // zip-bomb checks first
  const ws = wb.getWorksheet('Tiêu chí') ?? wb.worksheets[0];
  const errors: FieldError[] = [];
  const nodes = new Map<string, CriteriaNode>();
  const parts: CriteriaNode[] = [];
  let current: CriteriaNode | undefined;
  const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' && v && 'result' in v ? String((v as { result: unknown }).result ?? '') : typeof v === 'object' && v && 'richText' in v ? (v as { richText: { text: string }[] }).richText.map((r) => r.text).join('') : String(v)).trim();
  const num = (s: string) => (s === '' ? undefined : Number(s.replace(',', '.')));
  ws?.eachRow((row, rowNo) => {
    if (rowNo === 1) return;
    const [code, title, maxS, ptsS, mandS] = [1, 2, 3, 4, 5].map((c) => text(row.getCell(c).value));
    if (!code && !title) return;
    if (code) {
      const max = num(maxS);
      if (max !== undefined && !Number.isFinite(max)) errors.push({ path: `Tiêu chí!C${rowNo}`, message: `Điểm tối đa "${maxS}" không phải số` });
      const mand = num(mandS);
      const node: CriteriaNode = { code, title: title || code, ...(max !== undefined && Number.isFinite(max) ? { max } : {}), ...(mand ? { mandatoryFromStar: mand } : {}) };
      if (nodes.has(code)) errors.push({ path: `Tiêu chí!A${rowNo}`, message: `Mã ${code} bị trùng` });
      nodes.set(code, node);
      const pc = parentCode(code);
      if (!pc) parts.push(node);
      else {
        const parent = nodes.get(pc);
        if (!parent) errors.push({ path: `Tiêu chí!A${rowNo}`, message: `Chưa có mục cha ${pc} ở các dòng trên` });
        else (parent.children ??= []).push(node);
      }
      current = node;
      return;
    }
    const pts = num(ptsS);
    if (!current) errors.push({ path: `Tiêu chí!B${rowNo}`, message: 'Phương án đứng trước mọi tiêu chí' });
    else if (pts === undefined || !Number.isFinite(pts)) errors.push({ path: `Tiêu chí!D${rowNo}`, message: `Phương án "${title}" thiếu điểm` });
    else (current.options ??= []).push({ label: title, points: pts });
  });
  if (!parts.length) errors.push({ path: 'Tiêu chí', message: 'Không đọc được tiêu chí nào' });
  return { doc: { parts }, errors };
}

export async function buildSheetTemplate(doc?: CriteriaSheetDoc) {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  const ws = wb.addWorksheet('Tiêu chí', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [{ width: 10 }, { width: 80 }, { width: 12 }, { width: 14 }, { width: 18 }];
  ws.addRow([...SHEET_TEMPLATE_COLUMNS]).font = { bold: true };
  const walk = (n: CriteriaNode) => {
    const r = ws.addRow([n.code, n.title, n.max ?? null, null, n.mandatoryFromStar ?? null]);
    r.font = { bold: !n.options?.length };
    for (const o of n.options ?? []) ws.addRow([null, o.label, null, o.points, null]);
    n.children?.forEach(walk);
  };
  (doc ?? { parts: [{ code: 'A', title: 'Sản phẩm và sức mạnh cộng đồng', max: 40, children: [{ code: 'A1', title: 'Tổ chức sản xuất', max: 3, children: [{ code: 'A1.1', title: 'Nguồn nguyên liệu', max: 3, options: [{ label: 'Dưới 50% nguyên liệu địa phương', points: 1 }, { label: 'Từ 50% đến dưới 75%', points: 2 }, { label: 'Từ 75% trở lên', points: 3 }] }] }] }] }).parts.forEach(walk);
  const help = wb.addWorksheet('Hướng dẫn');
  help.columns = [{ width: 110 }];
  [
    'MẪU NHẬP PHIẾU TIÊU CHÍ',
    'Mỗi phần (A, B, C), mục (A1), tiêu chí (A1.1, A1.1.1 …) một dòng có mã; mã cha suy ra từ mã (A1.2 thuộc A1, A1 thuộc A).',
    'Ngay dưới mỗi tiêu chí là các dòng phương án: để trống cột Mã, ghi nội dung và điểm phương án.',
    'Cột "Bắt buộc từ hạng sao": tiêu chí phải đạt điểm > 0 để sản phẩm được xếp từ hạng sao đó trở lên.',
    'Hệ thống kiểm tra: điểm phương án ≤ điểm tối đa; tổng mục con = điểm tối đa mục cha; tổng các phần = 100.',
  ].forEach((t, i) => { const r = help.addRow([t]); if (i === 0) r.font = { bold: true, size: 14 }; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------- seed

export interface CriteriaSetSeed {
  code: string; name: string; decision: string; signedOn: string | null; effectiveFrom: string | null; taxonomyVersion: string;
  partMaxima: Record<string, number>; isDemo: boolean; note: string; publish: boolean; sheets: string[];
}

/** Loads a set and its sheets once (by code); publishes it when asked and valid. */
export async function loadCriteriaSetSeed(db: Db, seed: CriteriaSetSeed, readSheet: (file: string) => TranscribedSheet & { taxonomyCode: string; note?: string; isDemo?: boolean }) {
  if (await repo.findSetByCode(db, seed.code)) return false;
  const writer = { system: 'reference-data' };
  const first = readSheet(seed.sheets[0]);
  const set = await createSet(db, writer, {
    code: seed.code, name: seed.name, decision: seed.decision, signedOn: seed.signedOn, effectiveFrom: seed.effectiveFrom,
    taxonomyVersion: seed.taxonomyVersion, partMaxima: seed.partMaxima, starBands: bandsFromTranscription(first) ?? [
      { star: 1, min: 0 }, { star: 2, min: 30 }, { star: 3, min: 50 }, { star: 4, min: 70 }, { star: 5, min: 90 },
    ], isDemo: seed.isDemo, note: seed.note,
  });
  for (const file of seed.sheets) {
    const raw = readSheet(file);
    const node = await taxonomyRepo.findNodeByCode(db, seed.taxonomyVersion, raw.taxonomyCode);
    if (!node) throw new Error(`criteria seed ${file}: no ${seed.taxonomyVersion} leaf ${raw.taxonomyCode}`);
    await putSheet(db, writer, set.id, { taxonomyNodeId: node.id, title: raw.subgroup ?? node.name, doc: sheetFromTranscription(raw), isDemo: Boolean(raw.isDemo ?? seed.isDemo), note: raw.note ?? null });
  }
  if (seed.publish) await publishSet(db, writer, set.id);
  return true;
}

type ProcedureSeed = { code: string; name: string; decision: string; effectiveFrom: string | null; effectiveTo: string | null; note?: string } & ProcedureDoc;

/** Procedure versions are reference data: the seed file is the transcription of the decisions, applied at every start. */
export async function loadProceduresSeed(db: Db, seed: { versions: ProcedureSeed[] }) {
  for (const v of seed.versions) {
    await repo.upsertProcedure(db, {
      code: v.code, name: v.name, decision: v.decision, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo, note: v.note ?? null,
      doc: { levels: v.levels, intake: v.intake, council: v.council, belowBand: v.belowBand, preAssessmentMustPass: v.preAssessmentMustPass },
    });
  }
}

// Reads other modules use (they never query this module's tables themselves).
export const findSet = repo.findSet;
export const findSheet = repo.findSheet;
export const findSheetsOfSets = repo.findSheetsOfSets;
export const findProcedure = repo.findProcedure;
export const findProcedures = repo.findProcedures;
