import type ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { announceChange } from '../../lib/changes.js';
import { AppError, type FieldError } from '../../lib/errors.js';
import { recordAudit } from '../audit/service.js';
import type { Storage } from '../files/storage.js';
import { cellText, colLetter, loadWorkbook, parseImportDate } from '../../lib/excel.js';
import { normalizeForSearch } from '../../../shared/text.js';
import { findUnits } from '../geo/repository.js';
import { presentUnit } from '../geo/presenter.js';
import { canCreateProducer, canEditProducer } from '../producers/policy.js';
import * as producerRepo from '../producers/repository.js';
import { ZProducerInput, type ProducerInput } from '../producers/schema.js';
import * as producerService from '../producers/service.js';
import { canWriteProduct } from '../products/policy.js';
import { MARKETPLACES, ZProductInput, type ProductInput } from '../products/schema.js';
import * as productService from '../products/service.js';
import { listTaxonomies } from '../taxonomy/service.js';
import { certificateExpiry, formatViDate, todayInVietnam } from '../../../shared/certificate-dates.js';
import { canRecordLegacyCertificate } from '../certificates/policy.js';
import * as certificatesRepo from '../certificates/repository.js';
import { CERTIFICATE_NUMBER_RE } from '../certificates/schema.js';
import type { LegacyCertificate } from '../certificates/schema.js';
import { recordLegacyCertificatesTx } from '../certificates/service.js';
import { KIND_LABELS, LEVEL_LABELS, PRODUCER_COLUMNS, PRODUCT_COLUMNS, SHEET_PRODUCERS, SHEET_PRODUCTS, buildImportTemplate } from './template.js';

export interface ImportResult {
  producers: { created: number; updated: number; unchanged: number };
  products: { created: number; updated: number; unchanged: number };
  /** Paper certificates recorded from rows carrying a recognition (stars + decision). */
  certificates: { created: number };
}

const byLabel = (labels: Record<string, string>, extra: Record<string, string> = {}) => {
  const m = new Map<string, string>();
  for (const [k, v] of Object.entries(labels)) { m.set(normalizeForSearch(v), k); m.set(k, k); }
  for (const [k, v] of Object.entries(extra)) m.set(k, v);
  return (s: string) => m.get(normalizeForSearch(s));
};
const kindOf = byLabel(KIND_LABELS, { htx: 'cooperative', dn: 'enterprise', 'cong ty': 'enterprise', tht: 'cooperative_group', hkd: 'household', 'ho san xuat': 'household', 'ho san xuat kinh doanh': 'household' });
const levelOf = byLabel(LEVEL_LABELS);

const CERT_WORDS: Record<string, ProductInput['certifications'][number]['type']> = {
  vietgap: 'vietgap', globalgap: 'globalgap', 'huu co': 'organic', organic: 'organic', haccp: 'haccp',
  'iso 22000': 'iso22000', iso22000: 'iso22000', gmp: 'gmp',
};
const CHANNEL_WORDS: Record<string, ProductInput['channels'][number]['kind']> = {
  'sieu thi': 'supermarket', 'cua hang tien loi': 'convenience_store', 'diem ban ocop': 'ocop_point', 'diem ban hang ocop': 'ocop_point',
};

interface SheetRows { rows: { rowNo: number; cells: Record<string, string> }[] }

/** The recognition columns of a product row: together they describe one paper certificate. */
interface RowRecognition { star: number; decisionNumber: string; decisionDate: string; issuer: string; number?: string }
const RECOGNITION_CELLS = ['stars', 'recognitionYear', 'decisionNumber', 'decisionDate', 'certificateNumber', 'certificateIssuer', 'certificateExpiresOn'] as const;

/**
 * Reads a row's recognition columns. Blank → undefined (the product's recognition is left as it is). Otherwise the row
 * describes a paper certificate: stars, decision number and date and the issuing body are needed; the year and the
 * expiry, when given, must agree with the decision date (36 months). Recording certificates is a provincial decision.
 * Returns null (and pushes errors) when the row is wrong.
 */
function readRecognition(
  cells: Record<string, string>, dates: Record<string, string | null>, at: (k: string) => string, actor: Actor, errors: FieldError[],
  seenNumbers: Map<string, number>, rowNo: number, today: string,
): RowRecognition | undefined | null {
  if (RECOGNITION_CELLS.every((k) => cells[k] === '')) return undefined;
  const before = errors.length;
  if (!canRecordLegacyCertificate(actor)) {
    errors.push({ path: at('stars'), message: 'Chỉ cán bộ OCOP cấp tỉnh nhập hạng sao và giấy chứng nhận' });
    return null;
  }
  const star = intOrNull(cells.stars);
  if (star === null || !Number.isInteger(star) || star < 3 || star > 5) errors.push({ path: at('stars'), message: 'Hạng sao: ghi 3, 4 hoặc 5 (chỉ sản phẩm từ 3 sao trở lên được công nhận và cấp giấy chứng nhận)' });
  for (const [k, label] of [['decisionNumber', 'Số quyết định'], ['decisionDate', 'Ngày quyết định'], ['certificateIssuer', 'Cơ quan cấp']] as const) {
    if (!cells[k]) errors.push({ path: at(k), message: `${label}: cần có để lập giấy chứng nhận (cùng hạng sao, số và ngày quyết định, cơ quan cấp)` });
  }
  const decisionDate = dates.decisionDate;
  if (decisionDate) {
    if (decisionDate > today) errors.push({ path: at('decisionDate'), message: 'Ngày quyết định không thể sau hôm nay' });
    const year = intOrNull(cells.recognitionYear);
    if (year !== null && year !== Number(decisionDate.slice(0, 4))) errors.push({ path: at('recognitionYear'), message: `Năm công nhận phải là năm của ngày quyết định (${decisionDate.slice(0, 4)})` });
    const expiry = certificateExpiry(decisionDate);
    if (dates.certificateExpiresOn && dates.certificateExpiresOn !== expiry) {
      errors.push({ path: at('certificateExpiresOn'), message: `Ngày hết hạn phải là 36 tháng sau ngày quyết định: ${formatViDate(expiry)}` });
    }
  }
  const number = cells.certificateNumber || undefined;
  if (number) {
    if (!CERTIFICATE_NUMBER_RE.test(number)) errors.push({ path: at('certificateNumber'), message: 'Số giấy chứng nhận: 3–60 ký tự gồm chữ, số và . / -' });
    else if (seenNumbers.has(number)) errors.push({ path: at('certificateNumber'), message: `Số giấy chứng nhận trùng với dòng ${seenNumbers.get(number)}` });
    else seenNumbers.set(number, rowNo);
  }
  if (errors.length > before) return null;
  return { star: star!, decisionNumber: cells.decisionNumber, decisionDate: decisionDate!, issuer: cells.certificateIssuer, number };
}

function readSheet(wb: ExcelJS.Workbook, name: string, cols: readonly (readonly [string, string])[], errors: FieldError[]): SheetRows | undefined {
  const ws = wb.getWorksheet(name);
  if (!ws) return undefined;
  const header = cols.map((_, i) => normalizeForSearch(cellText(ws.getRow(1).getCell(i + 1).value)));
  cols.forEach(([, label], i) => {
    if (header[i] !== normalizeForSearch(label)) {
      errors.push({ path: `${name}!${colLetter(i + 1)}1`, message: `Tiêu đề cột phải là "${label}" — hãy dùng mẫu của hệ thống` });
    }
  });
  const rows: SheetRows['rows'] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNo) => {
    if (rowNo === 1) return;
    const cells: Record<string, string> = {};
    cols.forEach(([key], i) => { cells[key] = cellText(row.getCell(i + 1).value); });
    if (Object.values(cells).some((v) => v !== '')) rows.push({ rowNo, cells });
  });
  if (rows.length > MAX_IMPORT_ROWS) errors.push({ path: name, message: `Trang "${name}" có ${rows.length.toLocaleString('vi-VN')} dòng: tối đa ${MAX_IMPORT_ROWS.toLocaleString('vi-VN')} dòng mỗi trang trong một lần nhập — hãy chia thành nhiều tệp` });
  return { rows };
}

const nullIfBlank = (s: string) => (s === '' ? null : s);
const intOrNull = (s: string) => (s === '' ? null : /^\d+$/.test(s.replace(/[.,\s]/g, '')) ? Number(s.replace(/[.,\s]/g, '')) : NaN);

/** JSON with object keys sorted, so equal values compare equal whatever order they were built in. */
function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k] ?? null)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** Same product data, ignoring the order of certifications and channels. */
function sameProduct(a: ProductInput, b: ProductInput) {
  const canon = (p: ProductInput) => ({
    ...p,
    certifications: p.certifications.map(stableStringify).sort(),
    channels: p.channels.map(stableStringify).sort(),
  });
  return stableStringify(canon(a)) === stableStringify(canon(b));
}

/** Where a running import is, for the progress bar: rows checked or written out of all rows of the workbook. */
export interface ImportProgress { phase: 'reading' | 'checking' | 'writing' | 'done'; done: number; total: number }

export interface ImportOptions {
  /** Where the uploaded workbook is kept (the import's audit entry names it); none = not kept. */
  storage?: Storage;
  fileName?: string;
  /** The import run this is (its id becomes the audit entry's entity id). */
  runId?: string;
  onProgress?: (p: ImportProgress) => void;
}

/** A generous bound per sheet: the upload size bounds the file, this bounds the work of one import. */
export const MAX_IMPORT_ROWS = 50_000;

/**
 * Parses and validates the whole workbook in memory (every lookup done once per workbook), then writes everything
 * with set operations in one transaction — or nothing, answering 422 IMPORT_INVALID with every row and column.
 */
export async function importRegistry(db: Db, actor: Actor, file: Buffer, opts: ImportOptions = {}): Promise<ImportResult> {
  const progress = (p: ImportProgress) => opts.onProgress?.(p);
  progress({ phase: 'reading', done: 0, total: 0 });
  const wb = await loadWorkbook(file);
  const errors: FieldError[] = [];
  const producerSheet = readSheet(wb, SHEET_PRODUCERS, PRODUCER_COLUMNS, errors);
  const productSheet = readSheet(wb, SHEET_PRODUCTS, PRODUCT_COLUMNS, errors);
  if (!producerSheet && !productSheet) {
    throw new AppError('IMPORT_INVALID', { errors: [{ path: 'file', message: `Không có trang "${SHEET_PRODUCERS}" hoặc "${SHEET_PRODUCTS}" — hãy dùng mẫu của hệ thống` }] });
  }
  if (errors.length) throw new AppError('IMPORT_INVALID', { errors });
  const total = (producerSheet?.rows.length ?? 0) + (productSheet?.rows.length ?? 0);
  progress({ phase: 'checking', done: 0, total });

  // Reference data for lookups, loaded once.
  const today = new Date().toISOString().slice(0, 10);
  const allUnits = (await findUnits(db, { level: 3 })).map(presentUnit);
  const current = allUnits.filter((u) => (!u.validFrom || u.validFrom <= today) && (!u.validTo || u.validTo >= today));
  const stripPrefix = (s: string) => normalizeForSearch(s).replace(/^(xa|phuong|thi tran|tt|p)\.?\s+/, '');
  // Unit names normalised once, answers remembered per cell text: a 10,000-row sheet names a few communes.
  const unitNames = new Map(allUnits.map((u) => [u.id, stripPrefix(u.name)]));
  const unitAnswers = new Map<string, number | string>();
  const resolveUnit = (s: string): number | string => {
    if (!unitAnswers.has(s)) unitAnswers.set(s, resolveUnitOnce(s));
    return unitAnswers.get(s)!;
  };
  const resolveUnitOnce = (s: string): number | string => {
    const n = stripPrefix(s);
    const hit = (list: typeof allUnits) => list.filter((u) => u.key === s || (u.code && u.code === s) || unitNames.get(u.id) === n);
    const now = hit(current);
    if (now.length === 1) return now[0].id;
    // Since the national list several provinces share many names: the importer's own commune, when that decides.
    const mine = now.filter((u) => actor.scopeUnitIds.has(u.id));
    if (mine.length === 1) return mine[0].id;
    const any = now.length ? now : hit(allUnits);
    if (any.length === 1) return any[0].id;
    if (any.length > 1) return `Tên "${s}" ứng với nhiều đơn vị (${any.map((u) => `${u.name} ${u.validFrom ?? '…'}–${u.validTo ?? 'nay'}${u.code ? ` mã ${u.code}` : ''}`).join('; ')}): ghi mã đơn vị`;
    return `Không có xã/phường/thị trấn "${s}"`;
  };
  const tax148 = (await listTaxonomies(db)).find((v) => v.code === '148');
  const leafByCode = new Map((tax148?.nodes ?? []).filter((n) => n.isLeaf).map((n) => [n.code.toUpperCase(), n.id]));

  const cell = (sheet: string, cols: readonly (readonly [string, string])[], rowNo: number, key: string) =>
    `${sheet}!${colLetter(cols.findIndex(([k]) => k === key) + 1)}${rowNo}`;
  const zodErrors = (sheet: string, cols: readonly (readonly [string, string])[], rowNo: number, err: z.ZodError, keyMap: Record<string, string> = {}) => {
    for (const i of err.issues) {
      const field = String(i.path[0] ?? '');
      const key = keyMap[field] ?? field;
      const label = cols.find(([k]) => k === key)?.[1] ?? field;
      errors.push({ path: cell(sheet, cols, rowNo, cols.some(([k]) => k === key) ? key : cols[0][0]), message: `${label.replace(' *', '')}: ${i.message}` });
    }
  };

  // ---- producers
  const producerInputs: { rowNo: number; input: ProducerInput }[] = [];
  const seenReg = new Map<string, number>();
  for (const { rowNo, cells } of producerSheet?.rows ?? []) {
    const at = (k: string) => cell(SHEET_PRODUCERS, PRODUCER_COLUMNS, rowNo, k);
    const kind = kindOf(cells.kind);
    if (!kind) errors.push({ path: at('kind'), message: `Loại hình "${cells.kind}" không hợp lệ (Doanh nghiệp, Hợp tác xã, Tổ hợp tác, Hộ kinh doanh)` });
    const unit = cells.unit ? resolveUnit(cells.unit) : 'Thiếu xã/phường/thị trấn';
    if (typeof unit === 'string') errors.push({ path: at('unit'), message: unit });
    const reg = cells.registrationNumber.toUpperCase();
    if (seenReg.has(reg)) errors.push({ path: at('registrationNumber'), message: `Mã số trùng với dòng ${seenReg.get(reg)}` });
    seenReg.set(reg, rowNo);
    if (!kind || typeof unit === 'string') continue;
    const parsed = ZProducerInput.safeParse({
      kind, legalName: cells.legalName, shortName: nullIfBlank(cells.shortName), registrationNumber: reg, unitId: unit,
      address: nullIfBlank(cells.address), representative: nullIfBlank(cells.representative), representativeTitle: nullIfBlank(cells.representativeTitle),
      phone: nullIfBlank(cells.phone), email: nullIfBlank(cells.email), foundedYear: intOrNull(cells.foundedYear),
      memberCount: intOrNull(cells.memberCount), workerCount: intOrNull(cells.workerCount), craftVillage: nullIfBlank(cells.craftVillage), notes: nullIfBlank(cells.notes),
    });
    if (!parsed.success) { zodErrors(SHEET_PRODUCERS, PRODUCER_COLUMNS, rowNo, parsed.error, { unitId: 'unit' }); continue; }
    producerInputs.push({ rowNo, input: parsed.data });
  }
  const existingProducers = new Map((await producerRepo.findProducersByRegistration(db, [...seenReg.keys(), ...(productSheet?.rows ?? []).map((r) => r.cells.producerRegistrationNumber.toUpperCase())])).map((p) => [p.registrationNumber, p]));
  for (const { rowNo, input } of producerInputs) {
    const existing = existingProducers.get(input.registrationNumber);
    const allowed = existing ? canEditProducer(actor, existing) && canCreateProducer(actor, input.unitId) : canCreateProducer(actor, input.unitId);
    if (!allowed) errors.push({ path: cell(SHEET_PRODUCERS, PRODUCER_COLUMNS, rowNo, 'unit'), message: 'Chủ thể nằm ngoài phạm vi bạn phụ trách' });
  }

  // ---- products
  const productInputs: {
    rowNo: number; regNo: string; input: Omit<ProductInput, 'producerId'>; certTypes?: ProductInput['certifications']; channels?: ProductInput['channels'];
    recognition?: RowRecognition;
  }[] = [];
  const seenCertNumbers = new Map<string, number>();
  const seenProduct = new Map<string, number>();
  for (const { rowNo, cells } of productSheet?.rows ?? []) {
    const at = (k: string) => cell(SHEET_PRODUCTS, PRODUCT_COLUMNS, rowNo, k);
    const regNo = cells.producerRegistrationNumber.toUpperCase();
    if (!regNo) errors.push({ path: at('producerRegistrationNumber'), message: 'Thiếu mã số đăng ký chủ thể' });
    else if (!seenReg.has(regNo) && !existingProducers.has(regNo)) errors.push({ path: at('producerRegistrationNumber'), message: `Chưa có chủ thể mã số ${regNo} (trong hệ thống hoặc trang "${SHEET_PRODUCERS}")` });
    const pkey = `${regNo}|${normalizeForSearch(cells.name)}`;
    if (seenProduct.has(pkey)) errors.push({ path: at('name'), message: `Sản phẩm trùng với dòng ${seenProduct.get(pkey)}` });
    seenProduct.set(pkey, rowNo);
    const taxonomyNodeId = leafByCode.get(cells.taxonomyCode.toUpperCase());
    if (!taxonomyNodeId) errors.push({ path: at('taxonomyCode'), message: `Mã phân nhóm "${cells.taxonomyCode}" không có trong QĐ 148 (xem trang "Phân nhóm")` });
    const level = levelOf(cells.processingLevel);
    if (!level) errors.push({ path: at('processingLevel'), message: `Mức độ chế biến "${cells.processingLevel}" không hợp lệ (Tươi sống, Sơ chế, Chế biến, Chế biến sâu)` });
    const unit = cells.unit ? resolveUnit(cells.unit) : 'Thiếu xã/phường/thị trấn';
    if (typeof unit === 'string') errors.push({ path: at('unit'), message: unit });
    const key = normalizeForSearch(cells.keyProduct);
    if (key && !['co', 'khong', 'x', 'yes', 'no'].includes(key)) errors.push({ path: at('keyProduct'), message: 'Ghi "Có" hoặc "Không"' });
    const dates: Record<string, string | null> = {};
    for (const k of ['decisionDate', 'certificateExpiresOn'] as const) {
      const d = parseImportDate(cells[k]);
      if (d === undefined) errors.push({ path: at(k), message: `Ngày "${cells[k]}" không hợp lệ (dd/mm/yyyy)` });
      else dates[k] = d;
    }
    const certs = cells.certifications
      ? cells.certifications.split(/[,;]/).map((s) => s.trim()).filter(Boolean).map((s) => {
          const t = CERT_WORDS[normalizeForSearch(s)];
          return t ? { type: t, name: null } : { type: 'other' as const, name: s };
        })
      : undefined;
    const channels = cells.channels
      ? cells.channels.split(/[,;]/).map((s) => s.trim()).filter(Boolean).map((s) => {
          const kind = CHANNEL_WORDS[normalizeForSearch(s)];
          if (kind) return { kind, name: '', url: null };
          const market = MARKETPLACES.find((m) => normalizeForSearch(m) === normalizeForSearch(s));
          return market ? { kind: 'marketplace' as const, name: market, url: null } : { kind: 'other' as const, name: s, url: null };
        })
      : undefined;
    const recognition = Object.keys(dates).length === 2 ? readRecognition(cells, dates, at, actor, errors, seenCertNumbers, rowNo, todayInVietnam()) : undefined;
    if (!taxonomyNodeId || !level || typeof unit === 'string' || Object.keys(dates).length < 2 || recognition === null) continue;
    const parsed = ZProductInput.safeParse({
      producerId: '00000000-0000-4000-8000-000000000000',
      name: cells.name, taxonomyNodeId, registeredUnitId: unit, processingLevel: level,
      brand: nullIfBlank(cells.brand), description: nullIfBlank(cells.description), rawMaterialArea: nullIfBlank(cells.rawMaterialArea),
      keyProduct: key === 'co' || key === 'x' || key === 'yes',
      certifications: (certs ?? []).map((c) => ({ ...c, issuer: null, number: null, validFrom: null, validTo: null })),
      channels: channels ?? [],
    });
    if (!parsed.success) {
      zodErrors(SHEET_PRODUCTS, PRODUCT_COLUMNS, rowNo, parsed.error, { registeredUnitId: 'unit', taxonomyNodeId: 'taxonomyCode' });
      continue;
    }
    const { producerId: _p, ...input } = parsed.data;
    if (!canWriteProduct(actor, { producerId: existingProducers.get(regNo)?.id ?? '', registeredUnitId: unit })) {
      errors.push({ path: at('unit'), message: 'Sản phẩm nằm ngoài phạm vi bạn phụ trách' });
      continue;
    }
    productInputs.push({ rowNo, regNo, input, certTypes: certs ? parsed.data.certifications : undefined, channels: channels ? parsed.data.channels : undefined, recognition });
  }
  // Certificate numbers already used (by a certificate that is not this row's own, which a re-import finds again).
  const taken = new Map((await certificatesRepo.findNumbersTaken(db, [...seenCertNumbers.keys()])).map((c) => [c.number, c.productId]));
  if (errors.length) throw new AppError('IMPORT_INVALID', { errors: errors.slice(0, 500), extra: { errorCount: errors.length } });

  // ---- write, all or nothing: set operations per table, one transaction
  progress({ phase: 'writing', done: 0, total });
  const result: ImportResult = { producers: { created: 0, updated: 0, unchanged: 0 }, products: { created: 0, updated: 0, unchanged: 0 }, certificates: { created: 0 } };
  const workbookKey = opts.storage ? await opts.storage.put('imports', 'xlsx', file) : null;
  let changedProducts: string[] = [];
  try {
    await db.transaction(async (tx) => {
      // Producers: unchanged rows are left alone, the others go in multi-row upserts.
      const idByReg = new Map([...existingProducers.values()].map((p) => [p.registrationNumber, p.id]));
      const producerWrites: { input: ProducerInput; existing?: (typeof existingProducers extends Map<string, infer P> ? P : never) }[] = [];
      for (const { input } of producerInputs) {
        const existing = existingProducers.get(input.registrationNumber);
        if (!existing) { producerWrites.push({ input }); result.producers.created++; continue; }
        // Fields the template does not carry keep their stored values.
        const merged: ProducerInput = { ...input, website: existing.website, isDemo: existing.isDemo, sources: existing.sources ?? [] };
        const same = (Object.keys(merged) as (keyof ProducerInput)[]).every((k) => JSON.stringify(merged[k] ?? null) === JSON.stringify((existing as Record<string, unknown>)[k] ?? null));
        if (same) { result.producers.unchanged++; continue; }
        producerWrites.push({ input: merged, existing });
        result.producers.updated++;
      }
      for (const r of await producerService.upsertProducersTx(tx, actor, producerWrites)) idByReg.set(r.registrationNumber, r.id);
      progress({ phase: 'writing', done: producerInputs.length, total });

      // Products: the stored ones (only producers that existed can have any) read in one pass, compared in memory.
      const pairs = productInputs.map((row) => ({ producerId: idByReg.get(row.regNo)!, name: row.input.name }));
      const lookups = [...productInputs.keys()].filter((n) => existingProducers.has(productInputs[n].regNo));
      const found = await productService.findStoredProducts(tx, lookups.map((n) => pairs[n]));
      const storedAt = new Map([...found].map(([k, v]) => [lookups[k], v]));
      const productWrites: { input: ProductInput; stored?: productService.StoredProduct }[] = [];
      const rowState: { changed: boolean; write?: ProductInput; stored?: productService.StoredProduct }[] = [];
      for (const [n, row] of productInputs.entries()) {
        const producerId = pairs[n].producerId;
        const stored = storedAt.get(n);
        if (!stored) {
          const input: ProductInput = { ...row.input, producerId };
          productWrites.push({ input });
          rowState.push({ changed: true, write: input });
          continue;
        }
        const cur = stored.row;
        const storedCerts = stored.certifications.map(({ type, name, issuer, number, validFrom, validTo }) => ({ type: type as ProductInput['certifications'][number]['type'], name, issuer, number, validFrom, validTo }));
        const storedChannels = stored.channels.map(({ kind, name, url }) => ({ kind: kind as ProductInput['channels'][number]['kind'], name, url }));
        const keepCert = (types: ProductInput['certifications']) => types.map((c) => storedCerts.find((o) => o.type === c.type && (c.type !== 'other' || o.name === c.name)) ?? c);
        const merged: ProductInput = {
          ...row.input,
          producerId,
          story: cur.story,
          isDemo: cur.isDemo,
          sources: cur.sources ?? [],
          certifications: row.certTypes ? keepCert(row.certTypes) : storedCerts,
          channels: row.channels ? row.channels.map((c) => storedChannels.find((o) => o.kind === c.kind && o.name === c.name) ?? c) : storedChannels,
        };
        const now: ProductInput = {
          producerId, name: cur.name, taxonomyNodeId: cur.taxonomyNodeId, registeredUnitId: cur.registeredUnitId, processingLevel: cur.processingLevel as ProductInput['processingLevel'],
          brand: cur.brand, description: cur.description, story: cur.story, rawMaterialArea: cur.rawMaterialArea, keyProduct: cur.keyProduct,
          isDemo: cur.isDemo, sources: cur.sources ?? [], certifications: storedCerts, channels: storedChannels,
        };
        const changed = !sameProduct(merged, now);
        if (changed) productWrites.push({ input: merged, stored });
        rowState.push({ changed, write: changed ? merged : undefined, stored });
      }
      const writtenIds = await productService.writeProductsTx(tx, actor, productWrites);
      const idOf = new Map(productWrites.map((w, n) => [w.input, writtenIds[n]]));
      changedProducts = productWrites.filter((w) => w.stored).map((w) => w.stored!.row.id);
      progress({ phase: 'writing', done: producerInputs.length + Math.round(productInputs.length / 2), total });

      // Recognitions → paper certificates (certificates service, in bulk), unless the product already has a
      // certificate of that decision (a re-import).
      const certRows: { n: number; input: LegacyCertificate }[] = [];
      for (const [n, row] of productInputs.entries()) {
        const r = row.recognition;
        if (!r) continue;
        const state = rowState[n];
        const productId = state.write ? idOf.get(state.write)! : state.stored!.row.id;
        const at = (k: string) => cell(SHEET_PRODUCTS, PRODUCT_COLUMNS, row.rowNo, k);
        if (state.stored) {
          const same = await certificatesRepo.findOfProductByDecision(tx, productId, r.decisionNumber, r.decisionDate);
          if (same) {
            if (same.star !== r.star) errors.push({ path: at('stars'), message: `Quyết định ${r.decisionNumber} đã được ghi với hạng ${same.star} sao (giấy chứng nhận số ${same.number})` });
            continue;
          }
        }
        if (r.number && taken.has(r.number)) {
          errors.push({ path: at('certificateNumber'), message: `Số giấy chứng nhận ${r.number} đã được dùng` });
          continue;
        }
        certRows.push({ n, input: { productId, star: r.star, decisionNumber: r.decisionNumber, decisionDate: r.decisionDate, issuingAuthority: r.issuer, number: r.number } });
      }
      const outcomes = await recordLegacyCertificatesTx(tx, actor, certRows.map((c) => c.input));
      const recognised = new Set<number>();
      for (const [k, err] of outcomes.entries()) {
        const { n } = certRows[k];
        if (!err) { recognised.add(n); result.certificates.created++; continue; }
        // Who may recognise which star on that date (recognition rules): reported on the row, nothing written.
        if (['STAR_OUTSIDE_AUTHORITY', 'PROCEDURE_NOT_IN_FORCE', 'UNIT_NOT_FOR_LEVEL', 'VALIDATION'].includes(err.code)) {
          const at = (key: string) => cell(SHEET_PRODUCTS, PRODUCT_COLUMNS, productInputs[n].rowNo, key);
          errors.push({ path: at(err.code === 'VALIDATION' ? 'certificateIssuer' : 'stars'), message: err.detail ?? err.errors?.map((e) => e.message).join('; ') ?? err.message });
          continue;
        }
        throw err;
      }
      for (const [n, state] of rowState.entries()) {
        if (!state.stored) result.products.created++;
        else if (state.changed || recognised.has(n)) result.products.updated++;
        else result.products.unchanged++;
      }
      if (errors.length) throw new AppError('IMPORT_INVALID', { errors: errors.slice(0, 500), extra: { errorCount: errors.length } });
      // The import itself: one entry with the row counts and the stored workbook.
      await recordAudit(tx, actor, 'import', 'import', opts.runId ?? randomUUID(), null, {
        kind: 'registry', rows: total, workbook: workbookKey, fileName: opts.fileName ?? null, ...result,
      });
    });
  } catch (err) {
    if (workbookKey) await opts.storage!.delete(workbookKey).catch(() => undefined);
    throw err;
  }
  announceChange({ products: changedProducts }); // the scan pages' cache (name, brand, standards)
  progress({ phase: 'done', done: total, total });
  return result;
}

export async function importTemplate(db: Db) {
  const today = new Date().toISOString().slice(0, 10);
  const units = (await findUnits(db, { level: 3, asOf: today })).map(presentUnit);
  const tax = (await listTaxonomies(db)).find((v) => v.code === '148');
  const byId = new Map((tax?.nodes ?? []).map((n) => [n.id, n]));
  const pathOf = (id: number | null): string[] => (id ? [...pathOf(byId.get(id)!.parentId), byId.get(id)!.name] : []);
  const leaves = (tax?.nodes ?? []).filter((n) => n.isLeaf).map((n) => ({ code: n.code, path: pathOf(n.id).join(' › ') }));
  return buildImportTemplate(units, leaves);
}
