import { gtinCheckDigit } from '../../src/shared/gs1.js';
import { declarePrefix } from '../../src/server/modules/identifiers/service.js';
import { setProductGtin } from '../../src/server/modules/products/service.js';
import type { TestApp } from './app.js';

const SYSTEM = { system: 'test' };
let seq = 0;

/** A GTIN from its body without the check digit (12 digits → GTIN-13, 13 → GTIN-14): adds the GS1 check digit. */
export function withCheckDigit(body: string): string {
  const d = gtinCheckDigit(body);
  if (!d.ok) throw new Error(d.message);
  return `${body}${d.value}`;
}

let gtinSeq = 0;
/**
 * A GTIN-14 starting with `lead` that no other test is likely to use: serials are counted per GTIN (migration 0017)
 * and PostgreSQL runs share one database between test files, so each lot that needs serials from 1 takes its own.
 */
export function freshGtin14(lead: string): string {
  const rest = 13 - lead.length;
  const n = (Math.floor(Math.random() * 10 ** rest) + gtinSeq++) % 10 ** rest;
  return withCheckDigit(`${lead}${String(n).padStart(rest, '0')}`);
}

/** A fresh 10-digit GS1 Vietnam company prefix (893 + 7 digits), unique per call in this process. */
export function uniquePrefix(): string {
  const n = (Date.now() * 7 + process.pid * 131 + seq++ * 7919) % 1e7;
  return `893${String(n).padStart(7, '0')}`;
}

/**
 * Gives a producer a verified GS1 company prefix (as an officer would) and the product a GTIN under it, through the
 * services. Returns the GTIN-13 and its GTIN-14 form.
 */
export async function giveGtin(t: TestApp, producerId: string, productId: string, item = '01') {
  const prefix = uniquePrefix();
  await declarePrefix(t.dbh.db, SYSTEM, producerId, { prefix, evidenceId: null, note: null });
  const gtin13 = withCheckDigit(`${prefix}${item}`);
  await setProductGtin(t.dbh.db, SYSTEM, productId, gtin13);
  return { prefix, gtin13, gtin14: `0${gtin13}` };
}
