/**
 * Printable documents of an evaluation round: the council's minutes (PDF), one member's score sheet (PDF) and
 * the result table (.xlsx). Pure renderers: every figure comes in already computed by the service.
 *
 * PDFs are A4 portrait with Noto Sans embedded (subset) from assets/fonts — full TTFs, so every Vietnamese
 * letter and tone mark renders. pdfkit and exceljs are loaded on first use (start-up cost otherwise).
 */
import { fileURLToPath } from 'node:url';
import { starOfScore } from '../../../shared/criteria.js';

// ───────────────────────────── input shapes ─────────────────────────────

export type CouncilRole = 'chair' | 'vice_chair' | 'member' | 'secretary';
export type MemberScoreStatus = 'submitted' | 'draft' | 'conflict' | 'missing';
export type ProductOutcome = 'recognised' | 'forwarded' | 'not_recognised' | 'pending';

export interface RoundReportData {
  round: {
    name: string;
    levelLabel: string;
    unitName: string;
    /** 'YYYY-MM-DD' or ISO timestamp. */
    startsOn: string | null;
    endsOn: string | null;
    procedureName: string;
    criteriaDecision: string;
    spreadThreshold: number;
    /** 0..1, e.g. 2/3. */
    quorumRatio: number;
    finalisedAt: string | null;
  };
  council: { name: string; role: CouncilRole; roleLabel: string }[];
  products: {
    name: string;
    producerName: string;
    subgroup: string;
    memberScores: { memberName: string; total: number | null; status: MemberScoreStatus }[];
    /** Unrounded; printed with 2 decimals and a decimal comma. */
    meanScore: number | null;
    starByScore: number | null;
    mandatoryCap: number | null;
    finalStar: number | null;
    outcome: ProductOutcome;
    outcomeLabel: string;
    reasons: string[];
    spreadFlag: boolean;
    quorumMet: boolean;
  }[];
  /** ISO timestamp. */
  generatedAt: string;
}

export interface ScoreSheetData {
  round: { name: string; levelLabel: string; unitName: string; criteriaDecision: string };
  product: { name: string; producerName: string; subgroup: string };
  member: { name: string; roleLabel: string };
  parts: {
    code: string;
    title: string;
    max: number;
    score: number;
    items: { code: string; title: string; depth: number; max: number; chosen: string | null; points: number | null; note: string | null }[];
  }[];
  total: number;
  submittedAt: string | null;
  isDemoSheet: boolean;
  /**
   * Optional: star class of `total` under the round's own bands. When absent the default OCOP bands
   * (shared/criteria DEFAULT_STAR_BANDS) are used for the "Xếp hạng theo điểm" line.
   */
  starByScore?: number | null;
}

// ───────────────────────────── formatting ─────────────────────────────

const VN_OFFSET_MS = 7 * 3600_000; // Asia/Ho_Chi_Minh, no DST
const pad2 = (n: number) => String(n).padStart(2, '0');

/** Parts of a date in Vietnam time; a bare 'YYYY-MM-DD' is taken as that calendar day. */
function dateParts(s: string | null | undefined): { d: string; m: string; y: string; hh: string; mi: string } | null {
  if (!s) return null;
  const bare = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (bare) return { y: bare[1], m: bare[2], d: bare[3], hh: '00', mi: '00' };
  const t = Date.parse(s);
  if (Number.isNaN(t)) return null;
  const v = new Date(t + VN_OFFSET_MS);
  return { d: pad2(v.getUTCDate()), m: pad2(v.getUTCMonth() + 1), y: String(v.getUTCFullYear()), hh: pad2(v.getUTCHours()), mi: pad2(v.getUTCMinutes()) };
}

/** dd/mm/yyyy (Vietnam time), '' for null; an unparseable string is returned as is. */
export function fmtDate(s: string | null | undefined): string {
  const p = dateParts(s);
  return p ? `${p.d}/${p.m}/${p.y}` : (s ?? '');
}

function fmtDateTime(s: string | null | undefined): string {
  const p = dateParts(s);
  return p ? `${p.hh}:${p.mi} ${p.d}/${p.m}/${p.y}` : (s ?? '');
}

/** "ngày 05 tháng 06 năm 2025" — the form used above signatures. */
function longDate(s: string | null | undefined): string {
  const p = dateParts(s);
  return p ? `ngày ${p.d} tháng ${p.m} năm ${p.y}` : 'ngày … tháng … năm ……';
}

/** Fixed decimals with a Vietnamese decimal comma: 72.345 → "72,35"; null → "". */
export function fmtScore(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  // Round half away from zero on the decimal value (toFixed alone turns 72.345 into 72.34).
  const f = 10 ** digits;
  const r = Math.sign(n) * Math.round(Math.abs(n) * f + 1e-9) / f;
  return r.toFixed(digits).replace('.', ',');
}

/** Up to 2 decimals, trailing zeros dropped: 20 → "20", 1.5 → "1,5". */
function fmtNum(n: number | null | undefined): string {
  const s = fmtScore(n);
  return s.includes(',') ? s.replace(/,?0+$/, '') : s;
}

const fmtStar = (n: number | null | undefined) => (n === null || n === undefined ? '' : `${n} sao`);

// ───────────────────────────── PDF plumbing ─────────────────────────────

type Doc = PDFKit.PDFDocument;
type FontKey = 'R' | 'B' | 'I';

const FONT_FILES: Record<FontKey, string> = {
  R: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Regular.ttf', import.meta.url)),
  B: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Bold.ttf', import.meta.url)),
  I: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Italic.ttf', import.meta.url)),
};

const PAGE = { margin: 50, footer: 28 } as const;
const INK = '#000000';
const MUTED = '#555555';
const RULE = '#444444';
const HEAD_FILL = '#E8F1E4';
const PART_FILL = '#F2F2F2';
const WARN = '#B00020';

async function newDoc(info: { title: string; subject: string; created: string | null }): Promise<Doc> {
  const { default: PDFDocument } = await import('pdfkit');
  const created = info.created && !Number.isNaN(Date.parse(info.created)) ? new Date(info.created) : new Date();
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'portrait',
    margins: { top: PAGE.margin, bottom: PAGE.margin + PAGE.footer / 2, left: PAGE.margin + 5, right: PAGE.margin },
    bufferPages: true,
    font: FONT_FILES.R,
    lang: 'vi-VN',
    displayTitle: true,
    info: { Title: info.title, Author: 'OCOP Hub', Subject: info.subject, Creator: 'OCOP Hub', Producer: 'OCOP Hub (pdfkit)', CreationDate: created, ModDate: created },
  });
  doc.fillColor(INK).strokeColor(RULE).lineWidth(0.6);
  return doc;
}

function finish(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    doc.on('data', (c: Uint8Array) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

const left = (doc: Doc) => doc.page.margins.left;
const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom;

function font(doc: Doc, k: FontKey, size: number) {
  return doc.font(FONT_FILES[k]).fontSize(size);
}

/** Starts a new page when fewer than h points remain. */
function ensureSpace(doc: Doc, h: number): boolean {
  if (doc.y + h <= bottom(doc) || doc.y <= doc.page.margins.top + 1) return false; // fits, or already at the top
  doc.addPage();
  return true;
}

/** "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc", centred, bold, motto underlined. */
function nationalHeader(doc: Doc) {
  const x = left(doc);
  const w = contentWidth(doc);
  font(doc, 'B', 12).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', x, doc.page.margins.top, { width: w, align: 'center' });
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  font(doc, 'B', 12.5).text(motto, x, doc.y, { width: w, align: 'center' });
  const uw = doc.widthOfString(motto);
  const uy = doc.y + 1;
  doc.moveTo(x + (w - uw) / 2, uy).lineTo(x + (w + uw) / 2, uy).lineWidth(0.8).strokeColor(INK).stroke();
  doc.lineWidth(0.6).strokeColor(RULE);
  doc.y = uy + 8;
}

function title(doc: Doc, lines: string[], sub?: string) {
  const x = left(doc);
  const w = contentWidth(doc);
  doc.moveDown(0.6);
  for (const [i, l] of lines.entries()) font(doc, 'B', i === 0 ? 14 : 12.5).text(l, x, doc.y, { width: w, align: 'center' });
  if (sub) font(doc, 'I', 10.5).text(sub, x, doc.y + 2, { width: w, align: 'center' });
  doc.moveDown(0.8);
}

function heading(doc: Doc, text: string) {
  ensureSpace(doc, 48);
  font(doc, 'R', 10.5).moveDown(0.6);
  font(doc, 'B', 11).fillColor(INK).text(text, left(doc), doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
}

/** "Label: value" paragraph with the label bold. */
function fact(doc: Doc, label: string, value: string, size = 10.5) {
  const x = left(doc);
  const w = contentWidth(doc);
  ensureSpace(doc, size * 1.6);
  font(doc, 'B', size).text(`${label}: `, x, doc.y, { width: w, continued: true });
  font(doc, 'R', size).text(value || '—', { width: w });
  doc.moveDown(0.15);
}

function notice(doc: Doc, text: string) {
  const x = left(doc);
  const w = contentWidth(doc);
  font(doc, 'B', 11);
  const h = doc.heightOfString(text, { width: w - 16 }) + 10;
  ensureSpace(doc, h + 6);
  const y = doc.y;
  doc.save().lineWidth(1.2).strokeColor(WARN).rect(x, y, w, h).stroke().restore();
  doc.fillColor(WARN).text(text, x + 8, y + 5, { width: w - 16, align: 'center' }).fillColor(INK);
  doc.y = y + h + 8;
}

// ── tables ──

interface Column { header: string; width: number; align?: 'left' | 'center' | 'right' }
interface Cell {
  text: string;
  span?: number;
  font?: FontKey;
  size?: number;
  color?: string;
  align?: 'left' | 'center' | 'right';
  indent?: number;
}
interface RowStyle { fill?: string; font?: FontKey; size?: number }

const CELL_PAD_X = 3.5;
const CELL_PAD_Y = 3;

class Table {
  private readonly x: number;
  constructor(private readonly doc: Doc, private readonly cols: Column[], private readonly base: { size: number; headerSize: number }) {
    this.x = left(doc);
  }

  private layout(cells: Cell[], style: RowStyle) {
    let col = 0;
    return cells.map((c) => {
      const span = c.span ?? 1;
      const x = this.x + this.cols.slice(0, col).reduce((s, k) => s + k.width, 0);
      const w = this.cols.slice(col, col + span).reduce((s, k) => s + k.width, 0);
      const align = c.align ?? this.cols[col]?.align ?? 'left';
      col += span;
      return { c, x, w, align, f: c.font ?? style.font ?? 'R', size: c.size ?? style.size ?? this.base.size };
    });
  }

  private measure(cells: Cell[], style: RowStyle): number {
    let h = 0;
    for (const l of this.layout(cells, style)) {
      font(this.doc, l.f, l.size);
      const tw = l.w - 2 * CELL_PAD_X - (l.c.indent ?? 0);
      h = Math.max(h, l.c.text ? this.doc.heightOfString(l.c.text, { width: tw }) : l.size);
    }
    return h + 2 * CELL_PAD_Y;
  }

  private draw(cells: Cell[], style: RowStyle, h: number) {
    const doc = this.doc;
    const y = doc.y;
    const laid = this.layout(cells, style);
    if (style.fill) {
      const totalW = this.cols.reduce((s, k) => s + k.width, 0);
      doc.save().rect(this.x, y, totalW, h).fill(style.fill).restore();
    }
    for (const l of laid) {
      doc.rect(l.x, y, l.w, h).strokeColor(RULE).lineWidth(0.5).stroke();
      if (!l.c.text) continue;
      font(doc, l.f, l.size).fillColor(l.c.color ?? INK);
      const indent = l.c.indent ?? 0;
      doc.text(l.c.text, l.x + CELL_PAD_X + indent, y + CELL_PAD_Y, { width: l.w - 2 * CELL_PAD_X - indent, align: l.align });
    }
    doc.fillColor(INK);
    doc.x = this.x;
    doc.y = y + h;
  }

  private pendingHeader = true;

  private headerRow() {
    const cells = this.cols.map((c) => ({ text: c.header, align: 'center' as const }));
    const style = { fill: HEAD_FILL, font: 'B' as const, size: this.base.headerSize };
    return { cells, style, h: this.measure(cells, style) };
  }

  /** Starts the table: its header is drawn with the first rows, so it is never left alone at a page foot. */
  header() {
    this.pendingHeader = true;
  }

  /** Draws rows that must stay together (a product and its notes); a page break repeats the header. */
  rows(group: { cells: Cell[]; style?: RowStyle }[]) {
    const head = this.headerRow();
    const hs = group.map((r) => this.measure(r.cells, r.style ?? {}));
    const total = hs.reduce((s, h) => s + h, 0);
    if (ensureSpace(this.doc, total + (this.pendingHeader ? head.h : 0))) this.pendingHeader = true;
    group.forEach((r, i) => {
      if (i > 0 && ensureSpace(this.doc, hs[i])) this.pendingHeader = true; // a group taller than a page
      if (this.pendingHeader) {
        ensureSpace(this.doc, head.h + hs[i]);
        this.draw(head.cells, head.style, head.h);
        this.pendingHeader = false;
      }
      this.draw(r.cells, r.style ?? {}, hs[i]);
    });
  }
}

const SIGNATURE_HEIGHT = 100;

/** Signature columns side by side: title, "(Ký, ghi rõ họ tên)", space, name. */
function signatures(doc: Doc, blocks: { title: string; name: string; dateLine?: string }[], opts: { align?: 'spread' | 'right' } = {}) {
  const w = contentWidth(doc);
  const colW = opts.align === 'right' ? w / 2 : w / blocks.length;
  const height = (blocks.some((b) => b.dateLine) ? 14 : 0) + SIGNATURE_HEIGHT;
  ensureSpace(doc, height + 12);
  doc.moveDown(0.8);
  const y0 = doc.y;
  let yEnd = y0;
  blocks.forEach((b, i) => {
    const x = opts.align === 'right' ? left(doc) + w / 2 : left(doc) + i * colW;
    let y = y0;
    if (b.dateLine) {
      font(doc, 'I', 10).text(b.dateLine, x, y, { width: colW, align: 'center' });
      y = doc.y + 2;
    }
    font(doc, 'B', 11).text(b.title, x, y, { width: colW, align: 'center' });
    font(doc, 'I', 9.5).fillColor(MUTED).text('(Ký, ghi rõ họ tên)', x, doc.y, { width: colW, align: 'center' }).fillColor(INK);
    y = doc.y + 56;
    font(doc, 'B', 11).text(b.name, x, y, { width: colW, align: 'center' });
    yEnd = Math.max(yEnd, doc.y);
  });
  doc.x = left(doc);
  doc.y = yEnd;
}

/** "Trang i/n" and a short label on every page (needs bufferPages). */
function footers(doc: Doc, label: string, extra?: string) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing below the margin must not add a page
    const y = doc.page.height - PAGE.margin + 2;
    const x = left(doc);
    const w = contentWidth(doc);
    doc.moveTo(x, y - 4).lineTo(x + w, y - 4).lineWidth(0.4).strokeColor('#999999').stroke();
    font(doc, 'R', 8).fillColor(MUTED).text(label, x, y, { width: w * 0.7, lineBreak: false, ellipsis: true, height: 10 });
    doc.text(`Trang ${i - range.start + 1}/${range.count}`, x + w * 0.7, y, { width: w * 0.3, align: 'right', lineBreak: false });
    if (extra) font(doc, 'B', 8).fillColor(WARN).text(extra, x, y + 10, { width: w, align: 'center', lineBreak: false });
    doc.fillColor(INK).strokeColor(RULE).lineWidth(0.6);
    doc.page.margins.bottom = savedBottom;
  }
}

// ───────────────────────────── minutes ─────────────────────────────

type ReportProduct = RoundReportData['products'][number];

const STATUS_CODE: Record<Exclude<MemberScoreStatus, 'submitted'>, string> = { draft: 'N', conflict: 'LI', missing: '–' };
const STATUS_TEXT: Record<Exclude<MemberScoreStatus, 'submitted'>, string> = {
  draft: 'Phiếu nháp',
  conflict: 'Không chấm (xung đột lợi ích)',
  missing: 'Chưa chấm',
};

/** Scoring members in council order (then any name met only in the scores, in order of appearance). */
function scoringMembers(d: RoundReportData): string[] {
  const seen = new Set<string>();
  for (const p of d.products) for (const s of p.memberScores) seen.add(s.memberName);
  const ordered = d.council.map((c) => c.name).filter((n) => seen.has(n));
  for (const n of seen) if (!ordered.includes(n)) ordered.push(n);
  return ordered;
}

function memberCell(p: ReportProduct, member: string): { text: string; value: number | null; status: MemberScoreStatus | null } {
  const s = p.memberScores.find((m) => m.memberName === member);
  if (!s) return { text: '', value: null, status: null };
  if (s.status === 'submitted') return { text: fmtScore(s.total), value: s.total, status: s.status };
  return { text: STATUS_CODE[s.status], value: null, status: s.status };
}

/** Flags and reasons as printed under a product; flags are skipped when a reason already says so. */
function productNotes(p: ReportProduct, spreadThreshold: number): string[] {
  const notes: string[] = [];
  const said = p.reasons.join(' ').toLocaleLowerCase('vi');
  if (p.spreadFlag && !said.includes('chênh lệch')) notes.push(`Chênh lệch điểm giữa các thành viên vượt ngưỡng ${fmtNum(spreadThreshold)} điểm`);
  if (!p.quorumMet && !said.includes('tối thiểu') && !said.includes('số phiếu')) notes.push('Chưa đủ số phiếu chấm tối thiểu');
  if (p.mandatoryCap !== null && p.starByScore !== null && p.mandatoryCap < p.starByScore && !said.includes('bắt buộc')) {
    notes.push(`Theo điểm đạt ${fmtStar(p.starByScore)}, giới hạn ${fmtStar(p.mandatoryCap)} do tiêu chí bắt buộc`);
  }
  return [...notes, ...p.reasons];
}

const fmtPercent = (r: number) => `${fmtNum(r * 100)}%`;

/** Columns of the results table for the minutes; member columns when they fit, else a sheet count. */
function resultColumns(doc: Doc, members: string[]) {
  const W = contentWidth(doc);
  const fixed = { stt: 24, mean: 40, star: 34, outcome: 64 };
  const memberW = 31;
  const minNames = 170;
  const rest = W - fixed.stt - fixed.mean - fixed.star - fixed.outcome;
  const perMember = members.length > 0 && rest - members.length * memberW >= minNames;
  const scoreCols: Column[] = perMember
    ? members.map((_, i) => ({ header: `TV${i + 1}`, width: memberW, align: 'center' }))
    : [{ header: 'Số phiếu', width: 38, align: 'center' }];
  const names = rest - scoreCols.reduce((s, c) => s + c.width, 0);
  const cols: Column[] = [
    { header: 'STT', width: fixed.stt, align: 'center' },
    { header: 'Sản phẩm', width: Math.round(names * 0.56) },
    { header: 'Chủ thể', width: names - Math.round(names * 0.56) },
    ...scoreCols,
    { header: 'Điểm TB', width: fixed.mean, align: 'center' },
    { header: 'Hạng sao', width: fixed.star, align: 'center' },
    { header: 'Kết quả', width: fixed.outcome, align: 'center' },
  ];
  return { cols, perMember };
}

export async function buildMinutesPdf(d: RoundReportData): Promise<Buffer> {
  const doc = await newDoc({ title: `Biên bản họp Hội đồng đánh giá, phân hạng sản phẩm OCOP — ${d.round.name}`, subject: `${d.round.levelLabel} — ${d.round.unitName}`, created: d.generatedAt });
  const x = left(doc);
  const W = contentWidth(doc);

  nationalHeader(doc);
  font(doc, 'I', 10.5).text(`${d.round.unitName ? `${d.round.unitName}, ` : ''}${longDate(d.round.finalisedAt ?? d.generatedAt)}`, x, doc.y, { width: W, align: 'right' });
  title(doc, ['BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ,', 'PHÂN HẠNG SẢN PHẨM OCOP', d.round.levelLabel.toLocaleUpperCase('vi')], d.round.name);
  if (!d.round.finalisedAt) notice(doc, 'DỰ THẢO — kết quả đợt đánh giá chưa được chốt');

  heading(doc, 'I. THÔNG TIN ĐỢT ĐÁNH GIÁ');
  fact(doc, 'Đợt đánh giá', d.round.name);
  fact(doc, 'Cấp đánh giá', d.round.levelLabel);
  fact(doc, 'Đơn vị tổ chức', d.round.unitName);
  const period = d.round.startsOn || d.round.endsOn ? `từ ${fmtDate(d.round.startsOn) || '…'} đến ${fmtDate(d.round.endsOn) || '…'}` : 'chưa xác định';
  fact(doc, 'Thời gian', period);
  fact(doc, 'Căn cứ quy trình', d.round.procedureName);
  fact(doc, 'Bộ tiêu chí áp dụng', d.round.criteriaDecision);
  fact(doc, 'Ngưỡng chênh lệch điểm giữa các thành viên', `${fmtNum(d.round.spreadThreshold)} điểm`);
  fact(doc, 'Tỷ lệ phiếu chấm tối thiểu', `${fmtPercent(d.round.quorumRatio)} số thành viên chấm điểm`);
  fact(doc, 'Ngày chốt kết quả', d.round.finalisedAt ? fmtDate(d.round.finalisedAt) : 'chưa chốt');

  heading(doc, `II. THÀNH PHẦN HỘI ĐỒNG (${d.council.length} thành viên)`);
  const ct = new Table(doc, [
    { header: 'STT', width: 30, align: 'center' },
    { header: 'Họ và tên', width: Math.round((W - 30) * 0.55) },
    { header: 'Chức danh trong Hội đồng', width: W - 30 - Math.round((W - 30) * 0.55) },
  ], { size: 10, headerSize: 10 });
  ct.header();
  d.council.forEach((c, i) => ct.rows([{ cells: [{ text: String(i + 1) }, { text: c.name }, { text: c.roleLabel }] }]));

  heading(doc, 'III. KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG');
  const members = scoringMembers(d);
  const { cols, perMember } = resultColumns(doc, members);
  font(doc, 'R', 8.5).fillColor(MUTED);
  const legend: string[] = [];
  if (perMember) legend.push(members.map((m, i) => `TV${i + 1}: ${m}`).join('; ') + '.');
  else legend.push('Số phiếu: số phiếu đã nộp / số thành viên chấm (không kể thành viên tránh chấm do xung đột lợi ích); điểm từng thành viên ghi dưới mỗi sản phẩm.');
  legend.push(`Ký hiệu: ${STATUS_CODE.draft} = phiếu nháp, chưa nộp; ${STATUS_CODE.conflict} = không chấm do xung đột lợi ích; ${STATUS_CODE.missing} = chưa chấm. Điểm TB: điểm trung bình các phiếu đã nộp.`);
  for (const l of legend) doc.text(l, x, doc.y, { width: W });
  doc.fillColor(INK).moveDown(0.4);

  const rt = new Table(doc, cols, { size: 8.5, headerSize: 8.5 });
  rt.header();
  if (!d.products.length) rt.rows([{ cells: [{ text: 'Chưa có sản phẩm nào trong đợt đánh giá.', span: cols.length, font: 'I', align: 'center' }] }]);
  d.products.forEach((p, i) => {
    const scoreCells: Cell[] = perMember
      ? members.map((m) => {
          const c = memberCell(p, m);
          return { text: c.text, color: c.status && c.status !== 'submitted' ? MUTED : INK };
        })
      : [{ text: (() => {
          const eligible = p.memberScores.filter((s) => s.status !== 'conflict');
          return `${eligible.filter((s) => s.status === 'submitted').length}/${eligible.length}`;
        })() }];
    const main: Cell[] = [
      { text: String(i + 1) },
      { text: p.name, font: 'B' },
      { text: p.producerName },
      ...scoreCells,
      { text: fmtScore(p.meanScore) || '—', font: 'B' },
      { text: fmtStar(p.finalStar) || '—' },
      { text: p.outcomeLabel, font: p.outcome === 'recognised' ? 'B' : 'R' },
    ];
    // Subgroup, per-member scores (count mode) and notes go in a smaller full-width row under the product.
    const notes = productNotes(p, d.round.spreadThreshold);
    const detail: string[] = [];
    if (p.subgroup) detail.push(`Phân nhóm: ${p.subgroup}`);
    if (!perMember && p.memberScores.length) {
      detail.push('Điểm thành viên: ' + p.memberScores.map((s) => `${s.memberName} ${s.status === 'submitted' ? fmtScore(s.total) : STATUS_TEXT[s.status].toLocaleLowerCase('vi')}`).join('; '));
    }
    if (notes.length) detail.push(`Ghi chú: ${notes.join('; ')}`);
    const group: { cells: Cell[]; style?: RowStyle }[] = [{ cells: main }];
    if (detail.length) group.push({ cells: [{ text: '' }, { text: detail.join('\n'), span: cols.length - 1, font: 'I', size: 7.5, color: '#333333' }] });
    rt.rows(group);
  });

  ensureSpace(doc, 90 + SIGNATURE_HEIGHT); // conclusion and signatures stay together
  heading(doc, 'IV. KẾT LUẬN');
  const byOutcome = new Map<ProductOutcome, { label: string; n: number }>();
  for (const p of d.products) {
    const e = byOutcome.get(p.outcome) ?? { label: p.outcomeLabel, n: 0 };
    e.n++;
    byOutcome.set(p.outcome, e);
  }
  const order: ProductOutcome[] = ['recognised', 'forwarded', 'not_recognised', 'pending'];
  const parts = order.filter((o) => byOutcome.has(o)).map((o) => `${byOutcome.get(o)!.label}: ${byOutcome.get(o)!.n}`);
  font(doc, 'R', 10.5).text(`Hội đồng đã đánh giá, phân hạng ${d.products.length} sản phẩm${parts.length ? `; trong đó ${parts.join('; ')}` : ''}.`, x, doc.y, { width: W });
  const stars = new Map<number, number>();
  for (const p of d.products) if (p.outcome === 'recognised' && p.finalStar !== null) stars.set(p.finalStar, (stars.get(p.finalStar) ?? 0) + 1);
  if (stars.size) {
    const s = [...stars.entries()].sort((a, b) => b[0] - a[0]).map(([k, n]) => `${k} sao: ${n}`).join('; ');
    doc.text(`Sản phẩm được công nhận theo hạng sao — ${s}.`, x, doc.y + 2, { width: W });
  }
  font(doc, 'I', 9.5).fillColor(MUTED).text(`Biên bản được lập lúc ${fmtDateTime(d.generatedAt)} từ dữ liệu OCOP Hub.`, x, doc.y + 4, { width: W }).fillColor(INK);

  const name = (role: CouncilRole) => d.council.find((c) => c.role === role)?.name ?? '';
  signatures(doc, [
    { title: 'THƯ KÝ HỘI ĐỒNG', name: name('secretary') },
    { title: 'CHỦ TỊCH HỘI ĐỒNG', name: name('chair') },
  ]);

  footers(doc, `Biên bản họp Hội đồng — ${d.round.name}`, d.round.finalisedAt ? undefined : 'DỰ THẢO');
  return finish(doc);
}

// ───────────────────────────── score sheet ─────────────────────────────

export const DEMO_SHEET_NOTICE = 'Phiếu mẫu (demo) — chưa phải bộ tiêu chí chính thức';

export async function buildScoreSheetPdf(d: ScoreSheetData): Promise<Buffer> {
  const doc = await newDoc({ title: `Phiếu đánh giá, chấm điểm sản phẩm OCOP — ${d.product.name} — ${d.member.name}`, subject: d.round.name, created: d.submittedAt });
  const x = left(doc);
  const W = contentWidth(doc);

  nationalHeader(doc);
  title(doc, ['PHIẾU ĐÁNH GIÁ, CHẤM ĐIỂM SẢN PHẨM OCOP', d.round.levelLabel.toLocaleUpperCase('vi')], d.round.name);
  if (d.isDemoSheet) notice(doc, DEMO_SHEET_NOTICE);

  fact(doc, 'Đơn vị tổ chức', d.round.unitName, 10);
  fact(doc, 'Bộ tiêu chí', d.round.criteriaDecision, 10);
  fact(doc, 'Tên sản phẩm', d.product.name, 10);
  fact(doc, 'Chủ thể', d.product.producerName, 10);
  fact(doc, 'Phân nhóm', d.product.subgroup, 10);
  fact(doc, 'Thành viên chấm', `${d.member.name} (${d.member.roleLabel})`, 10);
  doc.moveDown(0.4);

  const t = new Table(doc, [
    { header: 'Mã', width: 44 },
    { header: 'Tiêu chí', width: 176 },
    { header: 'Điểm tối đa', width: 40, align: 'center' },
    { header: 'Nội dung lựa chọn', width: W - 44 - 176 - 40 - 46 },
    { header: 'Điểm', width: 46, align: 'center' },
  ], { size: 8.5, headerSize: 8.5 });
  t.header();
  let maxTotal = 0;
  for (const part of d.parts) {
    maxTotal += part.max;
    t.rows([{ cells: [{ text: part.code }, { text: part.title }, { text: fmtNum(part.max) }, { text: '' }, { text: '' }], style: { fill: PART_FILL, font: 'B', size: 9 } }]);
    const minDepth = Math.min(...part.items.map((i) => i.depth));
    part.items.forEach((it, k) => {
      const next = part.items[k + 1];
      const isGroup = !!next && next.depth > it.depth && it.chosen === null && it.points === null;
      const indent = Math.min(6, Math.max(0, it.depth - minDepth)) * 9;
      const chosen: Cell = isGroup
        ? { text: '' }
        : it.chosen === null
          ? { text: '(chưa chọn)', font: 'I', color: MUTED }
          : { text: it.note ? `${it.chosen}\nGhi chú: ${it.note}` : it.chosen };
      if (!isGroup && it.chosen !== null && it.note) chosen.size = 8;
      t.rows([{
        cells: [
          { text: it.code, font: isGroup ? 'B' : 'R' },
          { text: it.title, indent, font: isGroup ? 'B' : 'R' },
          { text: fmtNum(it.max) },
          chosen,
          { text: isGroup ? '' : fmtScore(it.points) },
        ],
      }]);
    });
    t.rows([{ cells: [{ text: `Cộng phần ${part.code}`, span: 2 }, { text: fmtNum(part.max) }, { text: '' }, { text: fmtScore(part.score) }], style: { font: 'B', size: 9 } }]);
  }
  t.rows([{ cells: [{ text: 'TỔNG ĐIỂM', span: 2 }, { text: fmtNum(maxTotal) }, { text: '' }, { text: fmtScore(d.total) }], style: { fill: HEAD_FILL, font: 'B', size: 10 } }]);

  doc.moveDown(0.6);
  const star = d.starByScore ?? starOfScore(d.total);
  ensureSpace(doc, 60 + SIGNATURE_HEIGHT + 14); // the star line and the signature stay together
  font(doc, 'B', 10.5).text('Xếp hạng theo điểm: ', x, doc.y, { width: W, continued: true });
  font(doc, 'R', 10.5).text(`${fmtStar(star)} (tổng điểm ${fmtScore(d.total)}/${fmtNum(maxTotal)})`);
  font(doc, 'I', 9).fillColor(MUTED).text('Hạng sao chính thức do Hội đồng quyết định trên điểm trung bình của các thành viên và các tiêu chí bắt buộc.', x, doc.y + 2, { width: W }).fillColor(INK);
  font(doc, 'R', 10).text(d.submittedAt ? `Phiếu đã nộp lúc ${fmtDateTime(d.submittedAt)}.` : 'Phiếu chưa nộp (bản nháp).', x, doc.y + 4, { width: W });

  signatures(doc, [{ title: 'THÀNH VIÊN HỘI ĐỒNG', name: d.member.name, dateLine: d.submittedAt ? longDate(d.submittedAt) : undefined }], { align: 'right' });

  footers(doc, `Phiếu chấm — ${d.product.name} — ${d.member.name}`, d.isDemoSheet ? DEMO_SHEET_NOTICE : undefined);
  return finish(doc);
}

// ───────────────────────────── workbook ─────────────────────────────

export const RESULTS_SHEET_NAME = 'Kết quả';

export async function buildResultsWorkbook(d: RoundReportData): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OCOP Hub';
  wb.title = `Kết quả đánh giá, phân hạng sản phẩm OCOP — ${d.round.name}`;
  const created = Date.parse(d.generatedAt);
  wb.created = Number.isNaN(created) ? new Date() : new Date(created);

  const members = scoringMembers(d);
  const headers = [
    'STT', 'Tên sản phẩm', 'Chủ thể', 'Phân nhóm',
    ...members,
    'Điểm trung bình', 'Hạng sao theo điểm', 'Giới hạn do tiêu chí bắt buộc', 'Hạng sao', 'Kết quả', 'Ghi chú',
  ];
  const n = headers.length;
  const HEADER_ROW = 4;
  const ws = wb.addWorksheet(RESULTS_SHEET_NAME, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}` },
    views: [{ state: 'frozen', xSplit: 2, ySplit: HEADER_ROW }],
  });
  ws.columns = [
    { width: 6 }, { width: 34 }, { width: 32 }, { width: 24 },
    ...members.map(() => ({ width: 13 })),
    { width: 12 }, { width: 12 }, { width: 14 }, { width: 10 }, { width: 20 }, { width: 50 },
  ];
  const border = { top: { style: 'thin' as const }, bottom: { style: 'thin' as const }, left: { style: 'thin' as const }, right: { style: 'thin' as const } };

  ws.mergeCells(1, 1, 1, n);
  const t = ws.getCell(1, 1);
  t.value = `KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP — ${d.round.name}`;
  t.font = { bold: true, size: 14 };
  t.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  ws.getRow(1).height = 24;
  ws.mergeCells(2, 1, 2, n);
  const s = ws.getCell(2, 1);
  const period = d.round.startsOn || d.round.endsOn ? `; thời gian: ${fmtDate(d.round.startsOn) || '…'} – ${fmtDate(d.round.endsOn) || '…'}` : '';
  s.value = `${d.round.levelLabel} — ${d.round.unitName}${period}; bộ tiêu chí: ${d.round.criteriaDecision}; ${d.round.finalisedAt ? `chốt ngày ${fmtDate(d.round.finalisedAt)}` : 'chưa chốt (dự thảo)'}`;
  s.font = { italic: true };
  s.alignment = { horizontal: 'center', wrapText: true };

  const header = ws.getRow(HEADER_ROW);
  header.values = headers;
  header.font = { bold: true };
  header.height = 32;
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F1E4' } };
    c.border = border;
  });

  const meanCol = 5 + members.length;
  d.products.forEach((p, i) => {
    const memberValues = members.map((m) => {
      const sc = p.memberScores.find((x) => x.memberName === m);
      if (!sc) return null;
      return sc.status === 'submitted' && sc.total !== null ? sc.total : STATUS_TEXT[sc.status === 'submitted' ? 'missing' : sc.status];
    });
    const row = ws.addRow([
      i + 1, p.name, p.producerName, p.subgroup,
      ...memberValues,
      p.meanScore ?? null,
      p.starByScore ?? null,
      p.mandatoryCap ?? null,
      p.finalStar ?? null,
      p.outcomeLabel,
      productNotes(p, d.round.spreadThreshold).join('; '),
    ]);
    row.alignment = { vertical: 'top', wrapText: true };
    for (let c = 1; c <= n; c++) {
      const cell = row.getCell(c);
      cell.border = border;
      if (c === 1 || (c >= 5 && c < n - 1)) cell.alignment = { vertical: 'top', horizontal: 'center', wrapText: true };
      if (c >= 5 && c <= meanCol && typeof cell.value === 'number') cell.numFmt = '0.00';
    }
    row.getCell(meanCol).font = { bold: true };
  });

  const foot = ws.addRow([]);
  foot.getCell(2).value = `Tổng số: ${d.products.length} sản phẩm — lập lúc ${fmtDateTime(d.generatedAt)} từ OCOP Hub`;
  foot.getCell(2).font = { italic: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
