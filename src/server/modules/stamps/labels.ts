/**
 * Printable stamp labels: a PDF sheet in common sticker layouts and one label as SVG. Each label carries the QR code
 * of the stamp's URI (drawn as vectors, so it stays sharp at any printer resolution), the product name (Vietnamese,
 * Noto Sans embedded as a subset), the lot number, the serial and the short code in plain text.
 */
import { fileURLToPath } from 'node:url';
import type { LabelLayout } from './schema.js';
import type { LabelData } from './service.js';

const FONTS = {
  R: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Regular.ttf', import.meta.url)),
  B: fileURLToPath(new URL('../../../../assets/fonts/NotoSans-Bold.ttf', import.meta.url)),
};
const MM = 72 / 25.4;

type Layout = {
  /** Page size in mm. */
  page: [number, number];
  /** Label size in mm. */
  label: [number, number];
  cols: number;
  rows: number;
  /** Top-left corner of the first label and the pitch (label + gap), in mm. */
  left: number;
  top: number;
  pitchX: number;
  pitchY: number;
  /** Font sizes (pt): product name, the other lines. */
  nameSize: number;
  textSize: number;
};

/**
 * a4-65: 65 labels 38.1 × 21.2 mm (5 × 13, the common "L7651" sheet: 2.54 mm column gap, no row gap);
 * a4-24: 24 labels 64 × 33.9 mm (3 × 8, 2.5 mm column gap); roll-50x30: one 50 × 30 mm label per page (label printers).
 */
export const LAYOUTS: Record<LabelLayout, Layout> = {
  'a4-65': { page: [210, 297], label: [38.1, 21.2], cols: 5, rows: 13, left: 4.67, top: 10.7, pitchX: 40.64, pitchY: 21.2, nameSize: 5, textSize: 4.6 },
  'a4-24': { page: [210, 297], label: [64, 33.9], cols: 3, rows: 8, left: 6.5, top: 12.9, pitchX: 66.5, pitchY: 33.9, nameSize: 7.5, textSize: 6.5 },
  'roll-50x30': { page: [50, 30], label: [50, 30], cols: 1, rows: 1, left: 0, top: 0, pitchX: 50, pitchY: 30, nameSize: 7, textSize: 6 },
};

type QrModules = { size: number; data: Uint8Array };
type QrLib = { create: (text: string, o: { errorCorrectionLevel: string }) => { modules: QrModules }; toString: (text: string, o: object) => Promise<string> };

/** Dark modules as horizontal runs [x, y, length]: far fewer rectangles than one per module. */
function runs(m: QrModules): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let y = 0; y < m.size; y++) {
    let x = 0;
    while (x < m.size) {
      if (!m.data[y * m.size + x]) { x++; continue; }
      const start = x;
      while (x < m.size && m.data[y * m.size + x]) x++;
      out.push([start, y, x - start]);
    }
  }
  return out;
}

export async function buildLabelsPdf(labels: LabelData[], layoutName: LabelLayout, title: string): Promise<Buffer> {
  const [{ default: PDFDocument }, qrMod] = await Promise.all([import('pdfkit'), import('qrcode')]);
  const QR = (qrMod as unknown as { default: QrLib }).default;
  const L = LAYOUTS[layoutName];
  const doc = new PDFDocument({
    size: [L.page[0] * MM, L.page[1] * MM], margin: 0, autoFirstPage: false, font: FONTS.R, lang: 'vi-VN', displayTitle: true,
    info: { Title: title, Creator: 'OCOP Hub', Producer: 'OCOP Hub (pdfkit)' },
  });
  const chunks: Uint8Array[] = [];
  doc.on('data', (c: Uint8Array) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => { doc.on('end', () => resolve(Buffer.concat(chunks))); doc.on('error', reject); });

  const perPage = L.cols * L.rows;
  const [lw, lh] = [L.label[0] * MM, L.label[1] * MM];
  const pad = Math.min(1.5 * MM, lh * 0.07);
  const qrSide = lh - 2 * pad;
  const textX = pad + qrSide + pad;
  const textW = lw - textX - pad;
  labels.forEach((lab, i) => {
    if (i % perPage === 0) doc.addPage();
    const k = i % perPage;
    const x0 = (L.left + (k % L.cols) * L.pitchX) * MM;
    const y0 = (L.top + Math.floor(k / L.cols) * L.pitchY) * MM;
    // QR code (quiet zone: the label padding plus one module).
    const m = QR.create(lab.uri, { errorCorrectionLevel: 'M' }).modules;
    const cell = qrSide / (m.size + 2);
    const qx = x0 + pad + cell;
    const qy = y0 + pad + cell;
    for (const [x, y, n] of runs(m)) doc.rect(qx + x * cell, qy + y * cell, n * cell + 0.01, cell + 0.01);
    doc.fillColor('#000000').fill();
    // Text: product name (two lines at most), lot, serial, short code.
    let ty = y0 + pad;
    doc.font(FONTS.B).fontSize(L.nameSize).fillColor('#000000')
      .text(lab.productName, x0 + textX, ty, { width: textW, height: L.nameSize * 2.4, ellipsis: true, lineGap: -0.5 });
    ty = Math.max(doc.y, ty + L.nameSize * 1.2) + 0.5;
    doc.font(FONTS.R).fontSize(L.textSize);
    for (const line of [`Lô: ${lab.lotNumber}`, `Sê-ri: ${lab.serial}`, `Mã: ${lab.code}`]) {
      if (ty + L.textSize * 1.2 > y0 + lh) break;
      doc.text(line, x0 + textX, ty, { width: textW, lineBreak: false, ellipsis: true, height: L.textSize * 1.3 });
      ty += L.textSize * 1.25;
    }
  });
  doc.end();
  return done;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Words into at most two lines of about `max` characters; the rest is cut with an ellipsis. */
function twoLines(text: string, max: number): [string, string] {
  const lines = ['', ''];
  let k = 0;
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (k === 0 && lines[0] && (lines[0].length + 1 + w.length) > max) k = 1;
    lines[k] = lines[k] ? `${lines[k]} ${w}` : w;
  }
  const cut = (s: string) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
  return [cut(lines[0]), cut(lines[1])];
}

/** One 50 × 30 mm label as SVG (units: mm), with the URI also in <desc> for people and tools that read the file. */
export async function buildLabelSvg(lab: LabelData): Promise<string> {
  const QR = ((await import('qrcode')) as unknown as { default: QrLib }).default;
  const qr = (await QR.toString(lab.uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })).trim()
    .replace('<svg xmlns="http://www.w3.org/2000/svg" ', '<svg x="1" y="1" width="28" height="28" ');
  const [n1, n2] = twoLines(lab.productName, 18);
  const t = (y: number, s: string, bold = false, size = 2.6) =>
    `<text x="30" y="${y}" font-size="${size}"${bold ? ' font-weight="700"' : ''}>${esc(s)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="50mm" height="30mm" viewBox="0 0 50 30" font-family="'Noto Sans',Arial,sans-serif">`
    + `<title>${esc(`${lab.productName} — ${lab.lotNumber} — ${lab.serial}`)}</title><desc>${esc(lab.uri)}</desc>`
    + '<rect width="50" height="30" fill="#fff"/>'
    + qr
    + t(5, n1, true, 2.8) + (n2 ? t(8.4, n2, true, 2.8) : '')
    + t(14, `Lô: ${lab.lotNumber}`) + t(18, `Sê-ri: ${lab.serial}`) + t(22, `Mã: ${lab.code}`)
    + '</svg>';
}
