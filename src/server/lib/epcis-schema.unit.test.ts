import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateEpcis } from './epcis-schema.js';

const SCHEMA = fileURLToPath(new URL('../../../assets/epcis/EPCIS-JSON-Schema.json', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../../test/fixtures/gs1/epcis-examples/', import.meta.url));

describe('vendored EPCIS 2.0 JSON schema', () => {
  it('is GS1 EPCIS-JSON-Schema.json from github.com/gs1/EPCIS (commit 2b888bef, with bizRules)', () => {
    const text = fs.readFileSync(SCHEMA, 'utf8');
    expect(createHash('sha256').update(text).digest('hex')).toBe('ed3228d7867198b4a5be9748fe77f473457c6ed98224fab28a950b4ce634a041');
    expect(text).toContain('"bizRules"');
    expect(JSON.parse(text).$id).toBe('https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json');
  });

  const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.jsonld'));
  it('GS1 example documents are all present', () => expect(files.length).toBe(47));
  for (const f of files) {
    it(`accepts GS1 example ${f}`, () => {
      const r = validateEpcis(JSON.parse(fs.readFileSync(`${EXAMPLES}${f}`, 'utf8')));
      expect(r).toEqual({ ok: true });
    });
  }

  it('still refuses a broken event (the schema is not vacuous)', () => {
    const r = validateEpcis({ '@context': 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2025-01-01T00:00:00Z', epcisBody: { eventList: [{ type: 'ObjectEvent', action: 'OBSERVE' }] } });
    expect(r.ok).toBe(false);
  });
});
