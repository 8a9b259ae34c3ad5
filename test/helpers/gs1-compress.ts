/**
 * A minimal GS1 Digital Link compressor for tests (no optimisation codes): AIs in the given order, each value per the
 * standard's encoding rules. Checked against GS1's own vectors in src/shared/gs1-compression.test.ts, then used to
 * make compressed links for data the tests create.
 */
import { AI_VALUE_FORMAT } from '../../src/shared/gs1-compression-tables.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const bin = (v: bigint | number, width: number) => BigInt(v).toString(2).padStart(width, '0');
const lengthBits = (max: number) => Math.ceil(Math.log(max) / Math.log(2) + 0.01);
const valueBits = (digits: number) => Math.ceil((digits * Math.log(10)) / Math.log(2) + 0.01);

function chars(value: string): string {
  if (/^\d+$/.test(value)) return bin(0, 3) + '<len>' + bin(BigInt(value), valueBits(value.length));
  const [enc, width, alpha] = /^[0-9a-f]+$/.test(value) ? [1, 4, '0123456789abcdef'] : /^[0-9A-F]+$/.test(value) ? [2, 4, '0123456789ABCDEF']
    : /^[A-Za-z0-9_-]+$/.test(value) ? [3, 6, B64] : [4, 7, null];
  return bin(enc, 3) + '<len>' + [...value].map((c) => bin(alpha ? alpha.indexOf(c) : c.charCodeAt(0), width)).join('');
}

export function compressForTest(ais: [string, string][]): string {
  let bits = '';
  for (const [ai, value] of ais) {
    bits += [...ai].map((d) => bin(Number(d), 4)).join('');
    let rest = value;
    for (const part of AI_VALUE_FORMAT[ai].split(' ')) {
      const m = /^([NX])(\.\.)?(\d+)$/.exec(part)!;
      const n = Number(m[3]);
      if (m[1] === 'N' && !m[2]) {
        bits += bin(BigInt(rest.slice(0, n)), valueBits(n));
        rest = rest.slice(n);
      } else if (m[1] === 'N') {
        bits += bin(rest.length, lengthBits(n)) + bin(rest ? BigInt(rest) : 0n, valueBits(rest.length));
        rest = '';
      } else {
        bits += chars(rest).replace('<len>', m[2] ? bin(rest.length, lengthBits(n)) : '');
        rest = '';
      }
    }
  }
  bits = bits.padEnd(Math.ceil(bits.length / 6) * 6, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 6) out += B64[parseInt(bits.slice(i, i + 6), 2)];
  return out;
}
