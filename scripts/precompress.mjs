// After `vite build`: writes .br and .gz next to every text file of dist/web larger than 1 KB, so the server sends the
// back office compressed without compressing it again at every request (@fastify/static `preCompressed`).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist/web');
const TEXT = /\.(js|mjs|css|html|svg|json|txt|map|webmanifest)$/;

export function precompress(dir = dist) {
  let files = 0;
  let raw = 0;
  let br = 0;
  let gz = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { walk(p); continue; }
      if (!TEXT.test(e.name)) continue;
      const data = fs.readFileSync(p);
      if (data.length < 1024) continue;
      const b = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
      const g = zlib.gzipSync(data, { level: 9 });
      fs.writeFileSync(`${p}.br`, b);
      fs.writeFileSync(`${p}.gz`, g);
      files++; raw += data.length; br += b.length; gz += g.length;
    }
  };
  walk(dir);
  return { files, raw, br, gz };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = precompress();
  const kb = (n) => `${Math.round(n / 1024)} KB`;
  console.log(`precompressed ${r.files} files: ${kb(r.raw)} → br ${kb(r.br)}, gzip ${kb(r.gz)}`);
}
