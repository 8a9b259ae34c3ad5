import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decompressSegment, uncompressedPathOf } from './gs1-compression.js';
import { compressForTest } from '../../test/helpers/gs1-compress.js';
import { parseDigitalLink } from './gs1.js';

type Vector = { compressed: string; uncompressed: string };
const vectors = JSON.parse(readFileSync(new URL('../../test/fixtures/gs1/compression-vectors.json', import.meta.url), 'utf8')) as { published: Vector[]; generated: Vector[] };
const dlVectors = JSON.parse(readFileSync(new URL('../../test/fixtures/gs1/digital-link-vectors.json', import.meta.url), 'utf8')) as { valid: string[]; invalid: string[] };

/** Splits `https://host/SEGMENT` and decompresses the segment into `https://host/<uncompressed path>`. */
function decompress(uri: string) {
  const m = /^(https?:\/\/[^/]+)\/([^/?]+)$/.exec(uri)!;
  const d = decompressSegment(m[2]);
  if (!d.ok) return d;
  const p = uncompressedPathOf(d.value);
  return p.ok ? { ok: true as const, value: m[1] + p.value } : p;
}

/** Same link: path equal, query as a set of pairs (the standard does not fix the order of data attributes). */
function sameLink(a: string, b: string) {
  const [pa, qa = ''] = a.split('?');
  const [pb, qb = ''] = b.split('?');
  expect(pa).toBe(pb);
  expect(new Set(qa.split('&').filter(Boolean))).toEqual(new Set(qb.split('&').filter(Boolean)));
}

describe('GS1 Digital Link decompression (GS1 vectors)', () => {
  it.each(vectors.published)('published: $compressed', ({ compressed, uncompressed }) => {
    const r = decompress(compressed);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (r.ok) sameLink(r.value, uncompressed);
  });
  it.each(vectors.generated)('reference implementation: $uncompressed', ({ compressed, uncompressed }) => {
    const r = decompress(compressed);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (r.ok) sameLink(r.value, uncompressed);
  });
  it('the tests\' compressor reproduces GS1\'s vectors made without optimisation codes', () => {
    expect(compressForTest([['01', '09520123456788']])).toBe('ARFRJydaKA');
    expect(compressForTest([['01', '09520123456788'], ['10', 'ABC123'], ['15', '270101'], ['3103', '001250']])).toBe('ARFRJydaKCCNV4JGKoPipiBgCcQ');
    expect(compressForTest([['01', '09780345418913']])).toBe(vectors.published[1].compressed.split('/').pop());
  });
  it('refuses what is not a compressed link', () => {
    expect(decompressSegment('xac-thuc').ok).toBe(false); // too short
    expect(decompressSegment('abc/def12345').ok).toBe(false);
    expect(decompressSegment('ZZZZZZZZZZZZ').ok).toBe(false); // 0x65… → no optimisation 65? (65 is a numeric prefix not in table P)
    expect(decompressSegment('ARFRJydaK').ok).toBe(false); // truncated GTIN
    expect(decompressSegment('A'.repeat(401)).ok).toBe(false);
  });
  it('non-GS1 pairs (linkType) come out as query parameters', () => {
    const r = decompress(vectors.published[0].compressed);
    expect(r.ok && r.value).toContain('linkType=test');
  });
});

describe('GS1 Digital Link validity vectors (gs1/digital-link.js)', () => {
  it.each(dlVectors.valid)('valid: %s', (u) => expect(parseDigitalLink(u).ok).toBe(true));
  it.each(dlVectors.invalid)('invalid: %s', (u) => expect(parseDigitalLink(u).ok).toBe(false));
});
