import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';

/** One entry of a zip (a .docx or .xlsx) as text. */
export function zipEntryText(zip: Buffer, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, file) => {
      if (err || !file) return reject(err ?? new Error('not a zip'));
      file.on('entry', (e: yauzl.Entry) => {
        if (e.fileName !== name) return file.readEntry();
        file.openReadStream(e, (err2, stream) => {
          if (err2 || !stream) return reject(err2 ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => { file.close(); resolve(Buffer.concat(chunks).toString('utf8')); });
          stream.on('error', reject);
        });
      });
      file.on('end', () => reject(new Error(`${name} not in the zip`)));
      file.readEntry();
    });
  });
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const textOf = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescape(m[1])).join('');

const rowsOf = (xml: string) => [...xml.matchAll(/<w:tr(?:\s[^>]*)?>([\s\S]*?)<\/w:tr>/g)].map((m) =>
  [...m[1].matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => [...c[1].matchAll(/<w:p(?:\s[^>]*)?>([\s\S]*?)<\/w:p>/g)].map((p) => textOf(p[1])).join('\n')));

/** The Word document read back: every paragraph's text, and every table as rows of cell texts (tables not nested). */
export async function readDocx(docx: Buffer) {
  const xml = await zipEntryText(docx, 'word/document.xml');
  const paragraphs = [...xml.matchAll(/<w:p(?:\s[^>]*)?>([\s\S]*?)<\/w:p>/g)].map((m) => textOf(m[1]));
  const tables = [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((m) => rowsOf(m[1]));
  return { xml, paragraphs, tables, text: paragraphs.join('\n') };
}

/** The body rows of the first table whose header row starts with these cells (from the n-th such table). */
export function tableWithHeader(tables: string[][][], header: string[], nth = 0) {
  const found = tables.filter((t) => t.length > 0 && header.every((h, i) => t[0][i] === h));
  return found[nth]?.slice(1) ?? null;
}

/** Text of a PDF through poppler's pdftotext (NFC). */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocop-pdf-'));
  try {
    const file = path.join(dir, 'r.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
