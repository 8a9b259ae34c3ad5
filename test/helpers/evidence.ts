import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { LocalDiskStorage } from '../../src/server/modules/files/storage.js';
import { createEvidence } from '../../src/server/modules/evidence/service.js';
import type { EvidenceFieldsInput } from '../../src/server/modules/evidence/schema.js';
import { call, unitId, type Session, type TestApp } from './app.js';
import { multipart, pngOf, type Part } from './http.js';

// ------------------------------------------------------------------ sample files (real formats, tiny)

/** A small valid PDF (one empty page). */
export function pdfOf(text = 'OCOP'): Buffer {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>`,
  ];
  const stream = `BT /F1 12 Tf 20 100 Td (${text}) Tj ET`;
  objs.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export const pngFile = () => pngOf(20, 20);

/** A real .xlsx written by exceljs. */
export async function xlsxOf(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Báo cáo').addRow(['Năm', 'Doanh thu']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A zip archive with stored (uncompressed) entries. */
export function zipOf(entries: { name: string; data: string | Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6); local.writeUInt16LE(0, 8);
    local.writeUInt32LE(0, 10); local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26); local.writeUInt16LE(0, 28);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10); central.writeUInt32LE(0, 12); central.writeUInt32LE(crc, 16); central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24); central.writeUInt16LE(name.length, 28); central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A minimal but well-formed .docx (content types, relationships, one paragraph). */
export function docxOf(text = 'Câu chuyện sản phẩm'): Buffer {
  return zipOf([
    {
      name: '[Content_Types].xml',
      data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    },
    {
      name: '_rels/.rels',
      data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    },
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
    },
  ]);
}

/** Bytes of a Windows executable ("MZ" header). */
export const exeBytes = () => Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(2048, 0x41)]);

// ------------------------------------------------------------------ factories

const SYSTEM = { system: 'test' };

/** Evidence straight through the service (system writer), stored in the test app's files directory. */
export async function makeEvidence(
  t: TestApp, producerId: string, over: Partial<EvidenceFieldsInput> = {}, file?: { fileName: string; data: Buffer },
) {
  return createEvidence(t.dbh.db, new LocalDiskStorage(t.filesDir), SYSTEM, producerId,
    { type: 'business_registration', title: 'Giấy chứng nhận đăng ký kinh doanh', ...over } as EvidenceFieldsInput,
    file ?? { fileName: 'dang-ky-kinh-doanh.pdf', data: pdfOf() });
}

/** Uploads through the HTTP route (multipart: fields first, then the file part). */
export function uploadEvidence(
  t: TestApp, s: Session | null, producerId: string, file: { data: Buffer; fileName: string; contentType?: string },
  fields: Record<string, string> = { type: 'business_registration', title: 'Giấy đăng ký kinh doanh' },
) {
  const parts: Part[] = Object.entries(fields).map(([name, data]) => ({ name, data }));
  parts.push({ name: 'file', data: file.data, filename: file.fileName, contentType: file.contentType ?? 'application/octet-stream' });
  const { payload, headers } = multipart(parts);
  return call(t, s, 'POST', `/api/producers/${producerId}/evidence`, payload, headers);
}

/**
 * A dossier row written with SQL (for tests of other modules that need a dossier in a given status), with the
 * evidence linked. Procedure 148+1489, intake at the product's commune (Chũ by default).
 */
export async function insertDossierRow(
  t: TestApp,
  o: { productId: string; producerId: string; status?: string; evidenceIds?: string[]; roundId?: string | null; kind?: string },
) {
  const [d] = await t.dbh.query<{ id: string }>(
    `insert into dossiers (product_id, producer_id, kind, procedure_code, intake_unit_id, status, round_id, submitted_at)
     values ($1, $2, $3, '148+1489', $4, $5, $6, case when $5 = 'draft' then null else now() end) returning id`,
    [o.productId, o.producerId, o.kind ?? 'first', await unitId(t, 'bn-p-chu'), o.status ?? 'draft', o.roundId ?? null],
  );
  for (const e of o.evidenceIds ?? []) {
    await t.dbh.query(`insert into dossier_evidence (dossier_id, evidence_id, requirement) values ($1, $2, 'business_registration')`, [d.id, e]);
  }
  return d.id;
}

/** Every file under a directory (relative paths, sorted): "nothing stored" checks compare before and after. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}
