// Excel template and all-or-nothing import of growing areas and packing houses (the same approach as the registry
// import in modules/imports: exceljs, Vietnamese headers checked against the template, every row validated before one
// transaction writes them; any error → 422 IMPORT_INVALID listing row, column and message, nothing written).
import { randomUUID } from 'node:crypto';
import type ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, fromDbError, type FieldError } from '../../lib/errors.js';
import { recordAudit, recordAuditMany } from '../audit/service.js';
import type { Storage } from '../files/storage.js';
import { cellText, colLetter, loadWorkbook, parseImportDate } from '../../lib/excel.js';
import { normalizeForSearch } from '../../../shared/text.js';
import { findUnits } from '../geo/repository.js';
import { presentUnit } from '../geo/presenter.js';
import type { Unit } from '../geo/schema.js';
import { findProducersByRegistration } from '../producers/repository.js';
import { canChangePlaceOwner, canWritePlace } from './policy.js';
import { auditablePlace } from './presenter.js';
import { findPlacesByCodes, upsertGrowingAreas, upsertPackingHouses } from './repository.js';
import { verificationOnCreate } from './service.js';
import { MARKETS, ZGrowingAreaInput, ZPackingHouseInput, type GrowingAreaInput, type Market, type PackingHouseInput } from './schema.js';
import { growingAreas, packingHouses } from './tables.js';

export const SHEET_AREAS = 'Vùng trồng';
export const SHEET_HOUSES = 'Cơ sở đóng gói';
const SHEET_UNITS = 'Đơn vị hành chính';
const SHEET_MARKETS = 'Thị trường';
/** A generous bound per sheet (the upload size bounds the file; this bounds one import's work). */
const MAX_ROWS = 50_000;

type Columns = readonly (readonly [string, string])[];

/** Template columns: field → header (what officers see). A trailing * marks a required column. */
export const AREA_COLUMNS = [
  ['code', 'Mã số vùng trồng *'],
  ['crop', 'Cây trồng *'],
  ['areaHa', 'Diện tích (ha) *'],
  ['households', 'Số hộ'],
  ['owner', 'Chủ sở hữu (mã số đăng ký chủ thể hoặc tên) *'],
  ['unit', 'Xã/phường/thị trấn *'],
  ['latitude', 'Vĩ độ'],
  ['longitude', 'Kinh độ'],
  ['polygon', 'Vùng đa giác (GeoJSON)'],
  ['markets', 'Thị trường (Trung Quốc, Nhật Bản, Mỹ, EU, …)'],
  ['issuingAuthority', 'Cơ quan cấp mã'],
  ['issuedOn', 'Ngày cấp'],
  ['validTo', 'Có hiệu lực đến'],
] as const;

export const HOUSE_COLUMNS = [
  ['code', 'Mã số cơ sở đóng gói *'],
  ['name', 'Tên cơ sở *'],
  ['owner', 'Chủ sở hữu (mã số đăng ký chủ thể hoặc tên) *'],
  ['unit', 'Xã/phường/thị trấn *'],
  ['markets', 'Thị trường (Trung Quốc, Nhật Bản, Mỹ, EU, …)'],
  ['issuingAuthority', 'Cơ quan cấp mã'],
  ['issuedOn', 'Ngày cấp'],
  ['validTo', 'Có hiệu lực đến'],
] as const;

/** Vietnamese market names as officers write them (accent-insensitive), besides the codes themselves. */
export const MARKET_LABELS: Record<Market, string> = {
  cn: 'Trung Quốc', jp: 'Nhật Bản', us: 'Mỹ', eu: 'EU', au: 'Úc', kr: 'Hàn Quốc', domestic: 'Nội địa', other: 'Khác',
};
const MARKET_WORDS = new Map<string, Market>([
  ...MARKETS.map((m) => [m, m] as [string, Market]),
  ...Object.entries(MARKET_LABELS).map(([k, v]) => [normalizeForSearch(v), k as Market] as [string, Market]),
  ['hoa ky', 'us'], ['usa', 'us'], ['my', 'us'], ['trung quoc', 'cn'], ['china', 'cn'], ['nhat', 'jp'], ['japan', 'jp'],
  ['lien minh chau au', 'eu'], ['chau au', 'eu'], ['australia', 'au'], ['uc', 'au'], ['han quoc', 'kr'], ['korea', 'kr'],
  ['trong nuoc', 'domestic'], ['noi dia', 'domestic'], ['viet nam', 'domestic'], ['khac', 'other'],
]);

export interface ImportRowError extends FieldError {
  /** Sheet row number as Excel shows it (the header is row 1). */
  row: number;
  /** Column letter (A, B, …). */
  column: string;
}
export interface PlaceImportResult { created: number; updated: number; unchanged: number; errors: ImportRowError[] }

/** A number as typed in Vietnamese or English style ("12,5", "12.5", "1.234,5"); null = blank, NaN = not a number. */
function parseNumber(s: string): number | null {
  if (!s) return null;
  let t = s.replace(/\s/g, '');
  if (t.includes(',') && t.includes('.')) t = t.lastIndexOf(',') > t.lastIndexOf('.') ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  else if (t.includes(',')) t = t.replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
}

/** "Trung Quốc, Nhật Bản; eu" → ['cn', 'jp', 'eu'], or the words it did not understand. */
export function parseMarkets(s: string): { markets: Market[]; unknown: string[] } {
  const markets: Market[] = [];
  const unknown: string[] = [];
  for (const w of s.split(/[,;\n]/).map((x) => x.trim()).filter(Boolean)) {
    const m = MARKET_WORDS.get(normalizeForSearch(w).replace(/\.$/, ''));
    if (m) { if (!markets.includes(m)) markets.push(m); } else unknown.push(w);
  }
  return { markets, unknown };
}

/** Looks like a registration number / tax code (no spaces, digits): then it must name a registered producer. */
const REG_LIKE = /^[0-9][0-9A-Za-z-]{5,19}$/;

interface SheetRow { rowNo: number; cells: Record<string, string> }

function readSheet(ws: ExcelJS.Worksheet, name: string, cols: Columns, errors: ImportRowError[]): SheetRow[] {
  const header = cols.map((_, i) => normalizeForSearch(cellText(ws.getRow(1).getCell(i + 1).value)));
  cols.forEach(([, label], i) => {
    if (header[i] !== normalizeForSearch(label)) {
      errors.push({ path: `${name}!${colLetter(i + 1)}1`, row: 1, column: colLetter(i + 1), message: `Tiêu đề cột phải là "${label}" — hãy dùng mẫu của hệ thống` });
    }
  });
  const rows: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNo) => {
    if (rowNo === 1) return;
    const cells: Record<string, string> = {};
    cols.forEach(([key], i) => { cells[key] = cellText(row.getCell(i + 1).value); });
    if (Object.values(cells).some((v) => v !== '')) rows.push({ rowNo, cells });
  });
  if (rows.length > MAX_ROWS) errors.push({ path: name, row: 1, column: 'A', message: `Trang "${name}" có ${rows.length.toLocaleString('vi-VN')} dòng: tối đa ${MAX_ROWS.toLocaleString('vi-VN')} dòng mỗi lần nhập — hãy chia thành nhiều tệp` });
  return rows;
}

/** Same lookup as the registry import: unit key, GSO code, or name without its "xã/phường/thị trấn" prefix. */
async function unitResolver(db: Db, actor: Actor) {
  const today = new Date().toISOString().slice(0, 10);
  const all = (await findUnits(db, { level: 3 })).map(presentUnit);
  const current = all.filter((u) => (!u.validFrom || u.validFrom <= today) && (!u.validTo || u.validTo >= today));
  const stripPrefix = (s: string) => normalizeForSearch(s).replace(/^(xa|phuong|thi tran|tt|p)\.?\s+/, '');
  // Unit names normalised once, answers remembered per cell text: a 10,000-row sheet names a few communes.
  const unitNames = new Map(all.map((u) => [u.id, stripPrefix(u.name)]));
  const answers = new Map<string, number | string>();
  return (s: string): number | string => {
    if (!answers.has(s)) answers.set(s, resolveOnce(s));
    return answers.get(s)!;
  };
  function resolveOnce(s: string): number | string {
    const n = stripPrefix(s);
    const hit = (list: Unit[]) => list.filter((u) => u.key === s || (u.code && u.code === s) || unitNames.get(u.id) === n);
    const now = hit(current);
    if (now.length === 1) return now[0].id;
    // Since the national list several provinces share many names: the importer's own commune, when that decides.
    const mine = now.filter((u) => actor.scopeUnitIds.has(u.id));
    if (mine.length === 1) return mine[0].id;
    const any = now.length ? now : hit(all);
    if (any.length === 1) return any[0].id;
    if (any.length > 1) return `Tên "${s}" ứng với nhiều đơn vị (${any.map((u) => `${u.name} ${u.validFrom ?? '…'}–${u.validTo ?? 'nay'}${u.code ? ` mã ${u.code}` : ''}`).join('; ')}): ghi mã đơn vị`;
    return `Không có xã/phường/thị trấn "${s}" (xem trang "${SHEET_UNITS}")`;
  }
}

type Kind = 'area' | 'house';
const SPEC = {
  area: { sheet: SHEET_AREAS, cols: AREA_COLUMNS as Columns, noun: 'vùng trồng' },
  house: { sheet: SHEET_HOUSES, cols: HOUSE_COLUMNS as Columns, noun: 'cơ sở đóng gói' },
} as const;

/** The business fields of a stored place, shaped like the import input, to tell unchanged rows apart. */
function sameAsStored(input: Record<string, unknown>, row: Record<string, unknown>) {
  return Object.keys(input).every((k) => stableStringify(input[k]) === stableStringify(row[k]));
}

/** JSON with object keys sorted (jsonb hands keys back in its own order). */
function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** Progress of a running import (the import-runs screen), and where the workbook is kept. */
export interface PlaceImportOptions {
  storage?: Storage;
  fileName?: string;
  runId?: string;
  onProgress?: (p: { phase: 'reading' | 'checking' | 'writing' | 'done'; done: number; total: number }) => void;
}

/**
 * Parses and validates every row of the sheet (lookups once per workbook), then creates or updates the places
 * (keyed by code) with multi-row upserts and their audit entries in multi-row inserts, in one transaction — or
 * writes nothing and answers 422 with every error found.
 */
export async function importPlaces(db: Db, actor: Actor, kind: Kind, file: Buffer, opts: PlaceImportOptions = {}): Promise<PlaceImportResult> {
  const progress = (p: Parameters<NonNullable<PlaceImportOptions['onProgress']>>[0]) => opts.onProgress?.(p);
  progress({ phase: 'reading', done: 0, total: 0 });
  const { sheet, cols, noun } = SPEC[kind];
  const wb = await loadWorkbook(file);
  const ws = wb.getWorksheet(sheet);
  if (!ws) throw new AppError('IMPORT_INVALID', { errors: [{ path: 'file', row: 0, column: '', message: `Không có trang "${sheet}" — hãy dùng mẫu của hệ thống` } as ImportRowError] });
  const errors: ImportRowError[] = [];
  const rows = readSheet(ws, sheet, cols, errors);
  if (errors.length) throw invalid(errors);

  const resolveUnit = await unitResolver(db, actor);
  const regLike = [...new Set(rows.map((r) => r.cells.owner.toUpperCase()).filter((o) => REG_LIKE.test(o)))];
  const producerByReg = new Map((await findProducersByRegistration(db, regLike)).map((p) => [p.registrationNumber.toUpperCase(), p.id]));
  progress({ phase: 'checking', done: 0, total: rows.length });
  const table = kind === 'area' ? growingAreas : packingHouses;
  const codes = [...new Set(rows.map((r) => r.cells.code.trim().toUpperCase()).filter(Boolean))];
  type Stored = Record<string, unknown> & { id: string; code: string; version: number; unitId: number; ownerProducerId: string | null; ownerName: string | null };
  const existing = new Map((await findPlacesByCodes(db, table, codes)).map((r) => [r.code, r as unknown as Stored]));

  const at = (rowNo: number, key: string) => {
    const i = cols.findIndex(([k]) => k === key);
    const column = colLetter((i < 0 ? 0 : i) + 1);
    return { path: `${sheet}!${column}${rowNo}`, row: rowNo, column };
  };
  const label = (key: string) => (cols.find(([k]) => k === key)?.[1] ?? key).replace(' *', '').replace(/ \(.*\)$/, '');
  const push = (rowNo: number, key: string, message: string) => errors.push({ ...at(rowNo, key), message: `${label(key)}: ${message}` });

  const parsedRows: { rowNo: number; input: GrowingAreaInput | PackingHouseInput }[] = [];
  const seenCode = new Map<string, number>();
  for (const { rowNo, cells } of rows) {
    const before = errors.length;
    const code = cells.code.trim().toUpperCase();
    if (code && seenCode.has(code)) push(rowNo, 'code', `mã ${code} trùng với dòng ${seenCode.get(code)}`);
    else if (code) seenCode.set(code, rowNo);

    // Owner: a registration number of a registered producer, or a name.
    let ownerProducerId: string | null = null;
    let ownerName: string | null = null;
    const owner = cells.owner;
    if (owner && REG_LIKE.test(owner)) {
      const id = producerByReg.get(owner.toUpperCase());
      if (id) ownerProducerId = id;
      else push(rowNo, 'owner', `không có chủ thể mã số "${owner}" trong hệ thống (ghi đúng mã số đăng ký/MST, hoặc ghi tên chủ sở hữu)`);
    } else if (owner) ownerName = owner;

    const unit = cells.unit ? resolveUnit(cells.unit) : 'Thiếu xã/phường/thị trấn';
    if (typeof unit === 'string') errors.push({ ...at(rowNo, 'unit'), message: unit });

    const { markets, unknown } = parseMarkets(cells.markets);
    if (unknown.length) {
      push(rowNo, 'markets', `không hiểu "${unknown.join('", "')}" (ghi ${Object.values(MARKET_LABELS).join(', ')} hoặc mã ${MARKETS.join('/')}, cách nhau bởi dấu phẩy)`);
    }
    const dates: Record<string, string | null> = {};
    for (const k of ['issuedOn', 'validTo'] as const) {
      const d = parseImportDate(cells[k]);
      if (d === undefined) push(rowNo, k, `ngày "${cells[k]}" không hợp lệ (dd/mm/yyyy)`);
      else dates[k] = d;
    }
    const common = {
      code, ownerProducerId, ownerName, unitId: typeof unit === 'number' ? unit : 1, markets,
      issuingAuthority: cells.issuingAuthority || null, issuedOn: dates.issuedOn ?? null, validTo: dates.validTo ?? null,
    };

    let parsed: z.ZodSafeParseResult<GrowingAreaInput | PackingHouseInput>;
    const keyOf: Record<string, string> = { unitId: 'unit', ownerProducerId: 'owner', ownerName: 'owner' };
    if (kind === 'area') {
      const areaHa = parseNumber(cells.areaHa);
      if (Number.isNaN(areaHa)) push(rowNo, 'areaHa', `"${cells.areaHa}" không phải là số`);
      if (areaHa === null) push(rowNo, 'areaHa', 'chưa nhập');
      const households = parseNumber(cells.households);
      if (households !== null && (Number.isNaN(households) || !Number.isInteger(households))) push(rowNo, 'households', `"${cells.households}" không phải là số nguyên`);
      const lat = parseNumber(cells.latitude);
      const lng = parseNumber(cells.longitude);
      if (Number.isNaN(lat)) push(rowNo, 'latitude', `"${cells.latitude}" không phải là số`);
      if (Number.isNaN(lng)) push(rowNo, 'longitude', `"${cells.longitude}" không phải là số`);
      let location: unknown = null;
      if (cells.polygon) {
        if (lat !== null || lng !== null) push(rowNo, 'polygon', 'ghi vĩ độ/kinh độ (một điểm) hoặc vùng đa giác, không ghi cả hai');
        try {
          const g = JSON.parse(cells.polygon) as Record<string, unknown>;
          location = g && g.type === 'Feature' ? g.geometry : g;
          keyOf.location = 'polygon';
        } catch {
          push(rowNo, 'polygon', 'không đọc được GeoJSON (ví dụ {"type":"Polygon","coordinates":[[[106.52,21.37],[106.53,21.37],[106.53,21.38],[106.52,21.37]]]})');
        }
      } else if ((lat === null) !== (lng === null)) {
        push(rowNo, lat === null ? 'latitude' : 'longitude', 'cần cả vĩ độ và kinh độ');
      } else if (lat !== null && lng !== null && !Number.isNaN(lat) && !Number.isNaN(lng)) {
        location = { type: 'Point', coordinates: [lng, lat] };
        keyOf.location = 'latitude';
      }
      parsed = ZGrowingAreaInput.safeParse({
        ...common, crop: cells.crop, areaHa: areaHa ?? 0, households: households ?? null, location,
      });
      Object.assign(keyOf, { areaHa: 'areaHa', households: 'households' });
    } else {
      parsed = ZPackingHouseInput.safeParse({ ...common, name: cells.name });
    }
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const field = String(i.path[0] ?? 'code');
        const key = keyOf[field] ?? field;
        // Issues on fields already reported above (or caused by their placeholders) are not repeated.
        if (errors.slice(before).some((e) => e.column === at(rowNo, key).column)) continue;
        if (field === 'unitId' && typeof unit === 'string') continue;
        push(rowNo, cols.some(([k]) => k === key) ? key : 'code', i.message);
      }
    }
    if (errors.length > before || !parsed.success) continue;

    // Permissions, row by row: the place as it is (when it exists) and as the row makes it.
    const input = parsed.data;
    const stored = existing.get(input.code);
    if (stored && !canWritePlace(actor, stored)) {
      push(rowNo, 'code', `${noun} ${input.code} thuộc đơn vị ngoài phạm vi bạn phụ trách, bạn không được sửa`);
      continue;
    }
    if (!canWritePlace(actor, input)) {
      errors.push({ ...at(rowNo, 'unit'), message: `${label('unit')}: đơn vị hành chính nằm ngoài phạm vi bạn phụ trách` });
      continue;
    }
    parsedRows.push({ rowNo, input });
  }
  if (errors.length) throw invalid(errors);

  const result: PlaceImportResult = { created: 0, updated: 0, unchanged: 0, errors: [] };
  progress({ phase: 'writing', done: 0, total: rows.length });
  // Rows that change nothing are left alone; an owner change is an officer's (canChangePlaceOwner), as in the service.
  const writes: { input: GrowingAreaInput | PackingHouseInput; stored?: Stored }[] = [];
  for (const { rowNo, input } of parsedRows) {
    const stored = existing.get(input.code);
    if (!stored) { writes.push({ input }); result.created++; continue; }
    const compare = kind === 'area' ? { ...input, areaHa: (input as GrowingAreaInput).areaHa.toFixed(2) } : input;
    if (sameAsStored(compare, stored)) { result.unchanged++; continue; }
    if ((stored.ownerProducerId !== input.ownerProducerId || stored.ownerName !== input.ownerName) && !canChangePlaceOwner(actor)) {
      errors.push({ ...at(rowNo, 'owner'), message: `${label('owner')}: chỉ cán bộ được đổi chủ sở hữu` });
      continue;
    }
    writes.push({ input, stored });
    result.updated++;
  }
  if (errors.length) throw invalid(errors);
  const workbookKey = opts.storage ? await opts.storage.put('imports', 'xlsx', file) : null;
  try {
    await db.transaction(async (tx) => {
      // Imports are officers' (canImportPlaces): what they load is verified, as when an officer creates a place.
      const verified = verificationOnCreate(actor);
      const values = writes.map(({ input, stored }) => ({ ...input, ...verified, version: stored?.version ?? 1 }));
      const rowsWritten = kind === 'area'
        ? await upsertGrowingAreas(tx, values.map((v) => ({ ...(v as GrowingAreaInput & { version: number }), areaHa: (v as GrowingAreaInput).areaHa.toFixed(2) })))
        : await upsertPackingHouses(tx, values as (PackingHouseInput & { version: number })[]);
      if (rowsWritten.length !== writes.length) throw new AppError('VERSION_CONFLICT', { detail: `Có ${noun} vừa được người khác sửa trong lúc nhập; hãy nhập lại tệp` });
      const entity = kind === 'area' ? 'growing_area' : 'packing_house';
      const before = new Map(writes.filter((w) => w.stored).map((w) => [w.stored!.id, w.stored!]));
      await recordAuditMany(tx, actor, rowsWritten.map((r) => {
        const b = before.get(r.id);
        return { action: b ? 'update' : 'create', entityType: entity, entityId: r.id, before: b ? auditablePlace(b as never) : null, after: auditablePlace(r) };
      }));
      await recordAudit(tx, actor, 'import', 'import', opts.runId ?? randomUUID(), null, {
        kind: kind === 'area' ? 'growing_areas' : 'packing_houses', rows: rows.length, workbook: workbookKey, fileName: opts.fileName ?? null,
        created: result.created, updated: result.updated, unchanged: result.unchanged,
      });
    }).catch((err: unknown) => { throw fromDbError(err) ?? err; });
  } catch (err) {
    if (workbookKey) await opts.storage!.delete(workbookKey).catch(() => undefined);
    throw err;
  }
  progress({ phase: 'done', done: rows.length, total: rows.length });
  return result;
}

function invalid(errors: ImportRowError[]) {
  return new AppError('IMPORT_INVALID', { errors: errors.slice(0, 500), extra: { errorCount: errors.length } });
}

/** The .xlsx template: instructions, the data sheet with drop-downs, current communes, markets. */
export async function placesTemplate(db: Db, kind: Kind): Promise<Buffer> {
  const { sheet, cols, noun } = SPEC[kind];
  const today = new Date().toISOString().slice(0, 10);
  const units = (await findUnits(db, { level: 3, asOf: today })).map(presentUnit);
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OCOP Hub';
  const guide = wb.addWorksheet('Hướng dẫn');
  guide.columns = [{ width: 120 }];
  const lines = [
    `MẪU NHẬP ${noun.toUpperCase()} (MÃ SỐ ${kind === 'area' ? 'VÙNG TRỒNG' : 'CƠ SỞ ĐÓNG GÓI'})`,
    '',
    `1. Nhập dữ liệu ở trang "${sheet}", mỗi dòng một ${noun}. Không đổi tên trang, không đổi dòng tiêu đề. Cột có dấu * là bắt buộc.`,
    `2. Mỗi dòng được nhận diện theo mã số: mã chưa có thì tạo mới, mã đã có thì cập nhật theo đúng nội dung của dòng (ô để trống = xoá giá trị cũ). Mã chỉ gồm chữ cái không dấu, chữ số và dấu gạch ngang, ví dụ VN-BGLN-0123.`,
    '3. Chủ sở hữu: ghi mã số đăng ký/MST của chủ thể đã có trong hệ thống (để liên kết), hoặc ghi tên chủ sở hữu nếu chưa đăng ký.',
    `4. Xã/phường/thị trấn: ghi đúng tên hoặc mã đơn vị trong trang "${SHEET_UNITS}".`,
    ...(kind === 'area'
      ? ['5. Vị trí: ghi vĩ độ và kinh độ của một điểm (ví dụ 21,38 và 106,55), hoặc dán vùng đa giác dạng GeoJSON vào cột "Vùng đa giác", toạ độ theo thứ tự [kinh độ, vĩ độ], điểm cuối trùng điểm đầu.']
      : ['5. Tên cơ sở là tên ghi trên giấy chứng nhận mã số cơ sở đóng gói.']),
    `6. Thị trường: ghi một hoặc nhiều, cách nhau bởi dấu phẩy — ${Object.values(MARKET_LABELS).join(', ')} (hoặc mã ${MARKETS.join(', ')}); xem trang "${SHEET_MARKETS}".`,
    '7. Ngày ghi dd/mm/yyyy (hoặc định dạng ngày của Excel).',
    '8. Cán bộ xã chỉ nhập được địa điểm thuộc xã mình phụ trách; cán bộ tỉnh nhập được toàn tỉnh.',
    '9. Nếu tệp có lỗi, hệ thống báo lỗi theo từng dòng/cột và KHÔNG ghi dòng nào cho tới khi sửa hết lỗi.',
  ];
  lines.forEach((t, i) => {
    const row = guide.addRow([t]);
    row.alignment = { wrapText: true };
    if (i === 0) row.font = { bold: true, size: 14 };
  });

  const ws = wb.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map(([key, header]) => ({ key, header, width: Math.max(14, Math.min(40, header.length + 4)) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).alignment = { wrapText: true, vertical: 'middle' };

  const us = wb.addWorksheet(SHEET_UNITS);
  us.columns = [{ header: 'Tên', key: 'name', width: 30 }, { header: 'Mã', key: 'code', width: 10 }, { header: 'Loại', key: 'type', width: 12 }];
  us.getRow(1).font = { bold: true };
  for (const u of units) us.addRow({ name: u.name, code: u.code ?? '', type: u.type });

  const ms = wb.addWorksheet(SHEET_MARKETS);
  ms.columns = [{ header: 'Thị trường', key: 'label', width: 20 }, { header: 'Mã', key: 'code', width: 10 }];
  ms.getRow(1).font = { bold: true };
  for (const m of MARKETS) ms.addRow({ label: MARKET_LABELS[m], code: m });

  // Drop-downs: the unit list (from its sheet) and the markets — the market list is a suggestion only (no error
  // message), since a cell may hold several markets separated by commas.
  const col = (key: string) => cols.findIndex(([k]) => k === key) + 1;
  const marketList = `"${Object.values(MARKET_LABELS).join(',')}"`;
  const unitRange = `'${SHEET_UNITS}'!$A$2:$A$${Math.max(2, units.length + 1)}`;
  for (let r = 2; r <= 1000; r++) {
    ws.getCell(r, col('markets')).dataValidation = { type: 'list', allowBlank: true, showErrorMessage: false, formulae: [marketList] };
    ws.getCell(r, col('unit')).dataValidation = { type: 'list', allowBlank: true, showErrorMessage: false, formulae: [unitRange] };
    for (const k of ['issuedOn', 'validTo']) ws.getCell(r, col(k)).numFmt = 'dd/mm/yyyy';
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
