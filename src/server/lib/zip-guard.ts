/**
 * Zip bombs: .xlsx and .docx are zip files, and a few hundred KB of deflate can inflate to gigabytes (a 477 KB
 * workbook holding one 450 MB shared string took the server from 577 MB to 2.4 GB). Every zip-based upload goes
 * through `assertSafeZip` BEFORE any parser (exceljs, file-type) sees it:
 *
 * 1. the central directory is read with yauzl (streaming, one entry at a time): entry count, declared total
 *    uncompressed size and each large entry's compression ratio are checked against the limits;
 * 2. then every entry is actually inflated and its bytes counted, with yauzl's `validateEntrySizes` on, so a header
 *    that lies about an entry's size fails ("too many bytes in the stream") instead of winning; the running total
 *    is capped too. Nothing inflated is kept: memory stays at one inflate window per entry.
 *
 * Both checks are needed: (1) refuses cheaply and with a precise message; (2) is what makes (1) trustworthy.
 */
import yauzl from 'yauzl';
import { AppError } from './errors.js';

export interface ZipLimits {
  /** Entries in the central directory (a real workbook has a few dozen). */
  maxEntries: number;
  /** Sum of all entries' uncompressed sizes, declared and actual. */
  maxTotalBytes: number;
  /** Uncompressed ÷ compressed, checked for entries larger than `ratioMinBytes` (XML compresses ~5–30:1). */
  maxRatio: number;
  ratioMinBytes: number;
}

export const ZIP_LIMITS: ZipLimits = { maxEntries: 2000, maxTotalBytes: 50 * 1024 * 1024, maxRatio: 100, ratioMinBytes: 1024 * 1024 };

const MB = (n: number) => (n / (1024 * 1024)).toLocaleString('vi-VN', { maximumFractionDigits: 1 });

const unsafe = (detail: string) => new AppError('UPLOAD_UNSAFE', { detail, errors: [{ path: 'file', message: detail }] });

/** Throws UPLOAD_UNSAFE (422) for a zip over the limits, UNSUPPORTED_FILE (415, `brokenDetail`) for one that is not a zip. */
export async function assertSafeZip(data: Buffer, opts: { limits?: Partial<ZipLimits>; brokenDetail?: string } = {}): Promise<{ entries: number; totalBytes: number }> {
  const lim = { ...ZIP_LIMITS, ...opts.limits };
  const broken = () => new AppError('UNSUPPORTED_FILE', { detail: opts.brokenDetail ?? 'Tệp nén (.xlsx/.docx) bị hỏng hoặc không đọc được' });
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true }, (err, z) => (err || !z ? reject(broken()) : resolve(z)));
  });
  try {
    if (zip.entryCount > lim.maxEntries) throw unsafe(`Tệp nén có ${zip.entryCount.toLocaleString('vi-VN')} mục, vượt quá giới hạn ${lim.maxEntries.toLocaleString('vi-VN')} mục`);
    // Pass 1: the central directory's word.
    const entries: yauzl.Entry[] = [];
    let declared = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (e: yauzl.Entry) => {
        declared += e.uncompressedSize;
        if (declared > lim.maxTotalBytes) return reject(unsafe(`Nội dung giải nén vượt quá giới hạn ${MB(lim.maxTotalBytes)} MB`));
        if (e.uncompressedSize > lim.ratioMinBytes && e.uncompressedSize / Math.max(1, e.compressedSize) > lim.maxRatio) {
          return reject(unsafe(`Tỉ lệ nén bất thường (${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize)).toLocaleString('vi-VN')}:1, tối đa ${lim.maxRatio}:1): tệp có dấu hiệu "bom nén"`));
        }
        entries.push(e);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', () => reject(broken()));
      zip.readEntry();
    });
    // Pass 2: the bytes' word. yauzl errors when an entry inflates to more (or less) than its header said.
    let actual = 0;
    for (const e of entries) {
      if (e.fileName.endsWith('/')) continue;
      await new Promise<void>((resolve, reject) => {
        zip.openReadStream(e, (err, stream) => {
          if (err || !stream) return reject(err && /encrypt|compression method/i.test(err.message) ? broken() : unsafe('Kích thước khai báo trong tệp nén không khớp nội dung'));
          stream.on('data', (chunk: Buffer) => {
            actual += chunk.length;
            if (actual > lim.maxTotalBytes) {
              stream.destroy();
              reject(unsafe(`Nội dung giải nén vượt quá giới hạn ${MB(lim.maxTotalBytes)} MB`));
            }
          });
          stream.on('error', (e2: Error) => reject(/too many bytes|too few bytes|expected/i.test(e2.message)
            ? unsafe('Kích thước khai báo trong tệp nén không khớp nội dung') : broken()));
          stream.on('end', () => resolve());
        });
      });
    }
    return { entries: entries.length, totalBytes: actual };
  } finally {
    zip.close();
  }
}

/** Local file header signature "PK\x03\x04": the bytes start like a zip. */
export const looksLikeZip = (b: Buffer) => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;
