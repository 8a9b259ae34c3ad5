/**
 * The annual report as a Word document (docx), in the shape of an administrative report (Nghị định 30/2020/NĐ-CP
 * layout: Times New Roman 13–14, A4, issuer and national motto side by side, centred title, Roman-numbered parts,
 * recipients and signature); appendices on landscape pages. Officials edit it in Word, so every table is a real
 * Word table and the assessment placeholders are plain paragraphs they overwrite.
 */
import {
  AlignmentType, BorderStyle, Document, Footer, Packer, PageNumber, PageOrientation, Paragraph, ShadingType, Table, TableCell, TableLayoutType, TableRow,
  TextRun, VerticalAlignTable, WidthType, type ISectionOptions,
} from 'docx';
import { formatViDate } from '../../../shared/certificate-dates.js';
import { reportBlocks, type Align, type Block } from './report-layout.js';
import type { ProgrammeReport } from './report-schema.js';

const FONT = 'Times New Roman';
const BODY = 26; // half-points: 13 pt
const SMALL = 22; // 11 pt in tables
const A4 = { width: 11906, height: 16838 };
const PORTRAIT_MARGIN = { top: 1134, bottom: 1134, left: 1701, right: 1134 };
const LANDSCAPE_MARGIN = { top: 1134, bottom: 1134, left: 1134, right: 1134 };
const PORTRAIT_WIDTH = A4.width - PORTRAIT_MARGIN.left - PORTRAIT_MARGIN.right;
const LANDSCAPE_WIDTH = A4.height - LANDSCAPE_MARGIN.left - LANDSCAPE_MARGIN.right;
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };
const ALIGN: Record<Align, (typeof AlignmentType)[keyof typeof AlignmentType]> = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT };

/** Characters XML 1.0 cannot carry (Word refuses the file): officers' text may be pasted from anywhere. */
// eslint-disable-next-line no-control-regex -- the control characters XML 1.0 forbids are exactly what this removes
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const run = (text: string, o: { bold?: boolean; italics?: boolean; size?: number; underline?: boolean } = {}) =>
  new TextRun({ text: text.replace(XML_INVALID, ''), font: FONT, size: o.size ?? BODY, bold: o.bold, italics: o.italics, underline: o.underline ? {} : undefined });
const centred = (text: string, o: { bold?: boolean; italics?: boolean; size?: number; underline?: boolean; after?: number } = {}) =>
  new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: o.after ?? 0 }, children: [run(text, o)] });

function letterhead(r: ProgrammeReport) {
  const date = formatViDate(r.generatedOn).split('/');
  const cell = (children: Paragraph[], pct: number) => new TableCell({ children, borders: NO_BORDERS, width: { size: pct, type: WidthType.PERCENTAGE } });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE }, borders: NO_BORDERS, layout: TableLayoutType.FIXED, columnWidths: [Math.round(PORTRAIT_WIDTH * 0.4), Math.round(PORTRAIT_WIDTH * 0.6)],
    rows: [new TableRow({
      children: [
        cell([centred(r.scope.issuer.toUpperCase(), { bold: true, size: 24, underline: true, after: 120 }), centred(`Số:        /BC-${r.scope.issuer.startsWith('UBND') ? 'UBND' : ''}`, { size: 24 })], 40),
        cell([
          centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: 24 }),
          centred('Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true, after: 120 }),
          centred(`${r.scope.place}, ngày ${date[0]} tháng ${date[1]} năm ${date[2]}`, { italics: true }),
        ], 60),
      ],
    })],
  });
}

function table(b: Extract<Block, { t: 'table' }>, width: number): (Paragraph | Table)[] {
  const total = b.cols.reduce((a, c) => a + c.width, 0);
  const widths = b.cols.map((c) => Math.floor((c.width / total) * width));
  const cell = (text: string, i: number, o: { bold?: boolean; header?: boolean }) => new TableCell({
    verticalAlign: VerticalAlignTable.CENTER,
    width: { size: widths[i], type: WidthType.DXA },
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    shading: o.header ? { type: ShadingType.CLEAR, color: 'auto', fill: 'E8F1E4' } : undefined,
    children: text.split('\n').map((line) => new Paragraph({ alignment: o.header ? AlignmentType.CENTER : ALIGN[b.cols[i].align ?? 'left'], children: [run(line, { bold: o.bold || o.header, size: SMALL })] })),
  });
  const out: (Paragraph | Table)[] = [];
  if (b.caption) out.push(new Paragraph({ spacing: { before: 120, after: 60 }, children: [run(b.caption, { bold: true, italics: true, size: 24 })] }));
  out.push(new Table({
    width: { size: width, type: WidthType.DXA }, layout: TableLayoutType.FIXED, columnWidths: widths,
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: b.cols.map((c, i) => cell(c.header, i, { header: true })) }),
      ...b.rows.map((r) => new TableRow({ cantSplit: true, children: r.cells.map((t, i) => cell(t, i, { bold: r.bold })) })),
    ],
  }));
  if (b.note) out.push(new Paragraph({ spacing: { before: 60, after: 120 }, children: [run(b.note, { italics: true, size: SMALL })] }));
  else out.push(new Paragraph({ spacing: { after: 60 }, children: [] }));
  return out;
}

function closing(b: Extract<Block, { t: 'closing' }>) {
  const cell = (children: Paragraph[]) => new TableCell({ children, borders: NO_BORDERS, width: { size: 50, type: WidthType.PERCENTAGE } });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE }, borders: NO_BORDERS, layout: TableLayoutType.FIXED, columnWidths: [Math.round(PORTRAIT_WIDTH / 2), Math.round(PORTRAIT_WIDTH / 2)],
    rows: [new TableRow({
      children: [
        cell(b.recipients.map((l, i) => new Paragraph({ children: [run(l, { bold: i === 0, italics: i === 0, size: i === 0 ? 24 : 22 })] }))),
        cell([centred(b.signer[0], { bold: true }), centred(b.signer[1], { italics: true, size: 22 })]),
      ],
    })],
  });
}

const footer = () => new Footer({
  children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: 20 })] })],
});

export async function renderReportDocx(r: ProgrammeReport): Promise<Buffer> {
  const sections: ISectionOptions[] = [];
  let children: (Paragraph | Table)[] = [];
  let landscape = false;
  const flush = () => {
    sections.push({
      properties: { page: { size: { ...A4, orientation: landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT }, margin: landscape ? LANDSCAPE_MARGIN : PORTRAIT_MARGIN } },
      footers: { default: footer() },
      children,
    });
    children = [];
  };
  for (const b of reportBlocks(r)) {
    const width = landscape ? LANDSCAPE_WIDTH : PORTRAIT_WIDTH;
    switch (b.t) {
      case 'letterhead': children.push(letterhead(r)); break;
      case 'title':
        children.push(new Paragraph({ spacing: { before: 240 }, children: [] }));
        b.lines.forEach((l, i) => children.push(centred(l, { bold: true, size: i === 0 ? 28 : BODY })));
        if (b.sub) children.push(centred(b.sub, { italics: true, size: 22 }));
        children.push(centred('—————', { after: 120 }));
        break;
      case 'h1': children.push(new Paragraph({ spacing: { before: 200, after: 100 }, keepNext: true, children: [run(b.text, { bold: true })] })); break;
      case 'h2': children.push(new Paragraph({ spacing: { before: 120, after: 80 }, indent: { firstLine: 567 }, keepNext: true, children: [run(b.text, { bold: true })] })); break;
      case 'p':
        children.push(new Paragraph({
          alignment: AlignmentType.JUSTIFIED, spacing: { after: 100, line: 300 }, indent: { firstLine: 567 },
          children: [run(b.text, { italics: b.italic })],
        }));
        break;
      case 'table': children.push(...table(b, width)); break;
      case 'closing': children.push(new Paragraph({ spacing: { after: 120 }, children: [] }), closing(b)); break;
      case 'section': flush(); landscape = b.landscape; break;
    }
  }
  flush();
  const doc = new Document({
    creator: 'OCOP Hub', title: `Báo cáo ${r.title}`, description: `Báo cáo chương trình OCOP: ${r.scope.name}, số liệu đến ${formatViDate(r.period.asOf)}`,
    styles: { default: { document: { run: { font: FONT, size: BODY } } } },
    sections,
  });
  return Packer.toBuffer(doc);
}
