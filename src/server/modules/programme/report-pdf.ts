/**
 * The annual report as PDF: the same blocks as the Word file (report-layout.ts) laid out with pdfkit and the
 * vendored Noto Sans (full TTFs from assets/fonts, embedded as subsets, as the certificate and minutes PDFs do), so
 * every Vietnamese letter renders and pdftotext reads it back. A4 portrait; appendices on landscape pages.
 */
import { fileURLToPath } from 'node:url';
import { formatViDate } from '../../../shared/certificate-dates.js';
import { reportBlocks, type Block } from './report-layout.js';
import type { ProgrammeReport } from './report-schema.js';

type Doc = PDFKit.PDFDocument;
type FontKey = 'R' | 'B' | 'I';
const FONT_FILES: Record<FontKey, string> = {
  R: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Regular.ttf', import.meta.url)),
  B: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Bold.ttf', import.meta.url)),
  I: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Italic.ttf', import.meta.url)),
};
const MM = 72 / 25.4;
const PORTRAIT = { top: 20 * MM, bottom: 22 * MM, left: 30 * MM, right: 18 * MM };
const LANDSCAPE = { top: 18 * MM, bottom: 20 * MM, left: 18 * MM, right: 18 * MM };
const INK = '#000000';
const RULE = '#444444';
const HEAD_FILL = '#E8F1E4';
const BODY = 11;
const SMALL = 8.5;
const PAD = 3;

const font = (doc: Doc, k: FontKey, size: number) => doc.font(FONT_FILES[k]).fontSize(size);
const left = (doc: Doc) => doc.page.margins.left;
const width = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom;
/** The options of the section being written (a landscape appendix continues on landscape pages). */
const sectionOptions = new WeakMap<Doc, PDFKit.PDFDocumentOptions>();
const newPage = (doc: Doc, options?: PDFKit.PDFDocumentOptions) => {
  if (options) sectionOptions.set(doc, options);
  doc.addPage(sectionOptions.get(doc));
};
function ensureSpace(doc: Doc, h: number) {
  if (doc.y + h > bottom(doc) && doc.y > doc.page.margins.top + 1) {
    newPage(doc);
    return true;
  }
  return false;
}

function letterhead(doc: Doc, r: ProgrammeReport) {
  const x = left(doc);
  const w = width(doc);
  const y0 = doc.page.margins.top;
  const lw = w * 0.4;
  const rw = w * 0.6;
  font(doc, 'B', 10.5).text(r.scope.issuer.toUpperCase(), x, y0, { width: lw, align: 'center' });
  const lEnd = doc.y;
  font(doc, 'R', 10.5).text(`Số:        /BC-${r.scope.issuer.startsWith('UBND') ? 'UBND' : ''}`, x, lEnd + 8, { width: lw, align: 'center' });
  const leftEnd = doc.y;
  font(doc, 'B', 10.5).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', x + lw, y0, { width: rw, align: 'center' });
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  font(doc, 'B', 11).text(motto, x + lw, doc.y, { width: rw, align: 'center' });
  const mw = doc.widthOfString(motto);
  const uy = doc.y + 1;
  doc.moveTo(x + lw + (rw - mw) / 2, uy).lineTo(x + lw + (rw + mw) / 2, uy).lineWidth(0.7).strokeColor(INK).stroke();
  const [dd, mm, yy] = formatViDate(r.generatedOn).split('/');
  font(doc, 'I', 10.5).text(`${r.scope.place}, ngày ${dd} tháng ${mm} năm ${yy}`, x + lw, uy + 8, { width: rw, align: 'center' });
  doc.x = x;
  doc.y = Math.max(leftEnd, doc.y) + 10;
}

function title(doc: Doc, b: Extract<Block, { t: 'title' }>) {
  const x = left(doc);
  const w = width(doc);
  doc.moveDown(0.5);
  b.lines.forEach((l, i) => font(doc, 'B', i === 0 ? 14 : 12).text(l, x, doc.y, { width: w, align: 'center' }));
  if (b.sub) font(doc, 'I', 9.5).text(b.sub, x, doc.y + 2, { width: w, align: 'center' });
  const y = doc.y + 6;
  doc.moveTo(x + w / 2 - 40, y).lineTo(x + w / 2 + 40, y).lineWidth(0.6).strokeColor(INK).stroke();
  doc.x = x;
  doc.y = y + 10;
}

function table(doc: Doc, b: Extract<Block, { t: 'table' }>) {
  const x = left(doc);
  const total = b.cols.reduce((a, c) => a + c.width, 0);
  const widths = b.cols.map((c) => (c.width / total) * width(doc));
  const xs = widths.map((_, i) => x + widths.slice(0, i).reduce((a, w) => a + w, 0));
  const measure = (cells: string[], k: FontKey) => {
    font(doc, k, SMALL);
    return Math.max(...cells.map((t, i) => doc.heightOfString(t || ' ', { width: widths[i] - 2 * PAD }))) + 2 * PAD;
  };
  const draw = (cells: string[], k: FontKey, h: number, header: boolean) => {
    const y = doc.y;
    if (header) doc.save().rect(x, y, widths.reduce((a, w) => a + w, 0), h).fill(HEAD_FILL).restore();
    cells.forEach((t, i) => {
      doc.rect(xs[i], y, widths[i], h).lineWidth(0.5).strokeColor(RULE).stroke();
      font(doc, k, SMALL).fillColor(INK).text(t, xs[i] + PAD, y + PAD, { width: widths[i] - 2 * PAD, align: header ? 'center' : b.cols[i].align ?? 'left' });
    });
    doc.x = x;
    doc.y = y + h;
  };
  const headers = b.cols.map((c) => c.header);
  const hh = measure(headers, 'B');
  if (b.caption) {
    ensureSpace(doc, 16 + hh + 20);
    font(doc, 'B', 10).text(b.caption, x, doc.y, { width: width(doc) });
    doc.moveDown(0.2);
  }
  ensureSpace(doc, hh + 20);
  draw(headers, 'B', hh, true);
  for (const r of b.rows) {
    const k: FontKey = r.bold ? 'B' : 'R';
    const h = measure(r.cells, k);
    if (ensureSpace(doc, h)) draw(headers, 'B', hh, true);
    draw(r.cells, k, h, false);
  }
  if (b.note) {
    doc.moveDown(0.2);
    font(doc, 'I', 8.5).text(b.note, x, doc.y, { width: width(doc) });
  }
  doc.moveDown(0.6);
}

function closing(doc: Doc, b: Extract<Block, { t: 'closing' }>) {
  ensureSpace(doc, 110);
  doc.moveDown(0.6);
  const x = left(doc);
  const w = width(doc) / 2;
  const y0 = doc.y;
  b.recipients.forEach((l, i) => font(doc, i === 0 ? 'B' : 'R', i === 0 ? 10 : 9.5).text(l, x, i === 0 ? y0 : doc.y, { width: w }));
  const leftEnd = doc.y;
  font(doc, 'B', 11).text(b.signer[0], x + w, y0, { width: w, align: 'center' });
  font(doc, 'I', 9.5).text(b.signer[1], x + w, doc.y, { width: w, align: 'center' });
  doc.x = x;
  doc.y = Math.max(leftEnd, doc.y + 60);
}

function footers(doc: Doc, label: string) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing below the margin must not add a page
    const y = doc.page.height - 14 * MM;
    font(doc, 'R', 8).fillColor('#555555').text(label, left(doc), y, { width: width(doc) * 0.75, lineBreak: false, ellipsis: true, height: 10 });
    doc.text(`Trang ${i - range.start + 1}/${range.count}`, left(doc) + width(doc) * 0.75, y, { width: width(doc) * 0.25, align: 'right', lineBreak: false });
    doc.fillColor(INK);
    doc.page.margins.bottom = saved;
  }
}

export async function renderReportPdf(r: ProgrammeReport): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const created = new Date(`${r.generatedOn}T00:00:00+07:00`);
  const doc = new PDFDocument({
    size: 'A4', layout: 'portrait', margins: PORTRAIT, bufferPages: true, font: FONT_FILES.R, lang: 'vi-VN', displayTitle: true,
    info: { Title: `Báo cáo ${r.title}`, Author: r.scope.issuer, Subject: `Chương trình OCOP: ${r.scope.name}`, Creator: 'OCOP Hub', Producer: 'OCOP Hub (pdfkit)', CreationDate: created, ModDate: created },
  });
  const out = new Promise<Buffer>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    doc.on('data', (c: Uint8Array) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.fillColor(INK).strokeColor(RULE);
  for (const b of reportBlocks(r)) {
    const x = left(doc);
    switch (b.t) {
      case 'letterhead': letterhead(doc, r); break;
      case 'title': title(doc, b); break;
      case 'h1': ensureSpace(doc, 60); doc.moveDown(0.4); font(doc, 'B', 11.5).text(b.text, x, doc.y, { width: width(doc) }); doc.moveDown(0.25); break;
      case 'h2': ensureSpace(doc, 50); doc.moveDown(0.2); font(doc, 'B', BODY).text(b.text, x + 20, doc.y, { width: width(doc) - 20 }); doc.moveDown(0.2); break;
      case 'p': font(doc, b.italic ? 'I' : 'R', BODY).fillColor(b.placeholder ? '#555555' : INK).text(b.text, x, doc.y, { width: width(doc), align: 'justify', indent: 20, paragraphGap: 4 }).fillColor(INK); break;
      case 'table': table(doc, b); break;
      case 'closing': closing(doc, b); break;
      case 'section': newPage(doc, { size: 'A4', layout: b.landscape ? 'landscape' : 'portrait', margins: b.landscape ? LANDSCAPE : PORTRAIT }); break;
    }
  }
  footers(doc, `Báo cáo ${r.title} — ${r.scope.name}`);
  doc.end();
  return out;
}
