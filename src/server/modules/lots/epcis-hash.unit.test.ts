import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalGs1Uri, epcUrnToDigitalLink } from '../../../shared/gs1.js';
import { eventHashId, hashTime, preHashString } from './epcis-hash.js';

const DIR = fileURLToPath(new URL('../../../../test/fixtures/gs1/hash-vectors/', import.meta.url));

/**
 * Vectors left out, with the reason: the two "IgnoreFields" documents use the reference generator's own
 * document-level `ignoreFields` option (not part of CBV 2.0), and the published pre-hash of "AllGS1Keys" is garbled
 * (its .prehashes file interleaves two lines), so its hash cannot be reproduced from the standard's rules.
 */
const SKIPPED = new Set(['epcisDocHavingEventWithIgnoreFields', 'epcisQueryDocHavingEventWithIgnoreFields', 'epcisDocWithAllGS1Keys']);

type Doc = { '@context'?: unknown; epcisBody?: { eventList?: Record<string, unknown>[]; queryResults?: { resultsBody?: { eventList?: Record<string, unknown>[] } } } };
const vectors = fs.readdirSync(DIR).filter((f) => f.endsWith('.jsonld')).map((f) => f.replace(/\.jsonld$/, '')).filter((b) => !SKIPPED.has(b));

describe('CBV 2.0 event hash IDs against the published vectors', () => {
  it('there are vectors to check', () => expect(vectors.length).toBeGreaterThanOrEqual(18));
  for (const name of vectors) {
    it(name, () => {
      const doc = JSON.parse(fs.readFileSync(`${DIR}${name}.jsonld`, 'utf8')) as Doc;
      const events = doc.epcisBody?.eventList ?? doc.epcisBody?.queryResults?.resultsBody?.eventList ?? [];
      const hashes = fs.readFileSync(`${DIR}${name}.hashes`, 'utf8').trim().split('\n');
      expect(events.length).toBe(hashes.length);
      events.forEach((ev, i) => expect(eventHashId(ev, doc['@context'])).toBe(hashes[i]));
    });
  }
});

describe('hash details', () => {
  it('writes the pre-hash string of the reference example exactly as published', () => {
    const doc = JSON.parse(fs.readFileSync(`${DIR}ReferenceEventHashAlgorithm.jsonld`, 'utf8')) as Doc;
    const pre = fs.readFileSync(`${DIR}ReferenceEventHashAlgorithm.prehashes`, 'utf8').trim();
    expect(preHashString(doc.epcisBody!.eventList![0], doc['@context'])).toBe(pre);
  });
  it('times are UTC with milliseconds, rounded half up', () => {
    expect(hashTime('2023-02-02T11:04:03.1415Z')).toBe('2023-02-02T11:04:03.142Z');
    expect(hashTime('2020-03-04T11:00:30+01:00')).toBe('2020-03-04T10:00:30.000Z');
  });
  it('the same event in URN and Digital Link form, with keys in another order, hashes the same', () => {
    const a = { type: 'ObjectEvent', eventTime: '2025-06-10T07:30:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE', bizStep: 'shipping', quantityList: [{ epcClass: 'urn:epc:class:lgtin:8930000.012345.L1', quantity: 5, uom: 'KGM' }] };
    const b = { quantityList: [{ uom: 'KGM', quantity: 5, epcClass: 'https://truyxuat.example.vn/01/08930000123459/10/L1' }], bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping', action: 'OBSERVE', eventTimeZoneOffset: '+07:00', eventTime: '2025-06-10T00:30:00.000Z', type: 'ObjectEvent', eventID: 'urn:uuid:x', recordTime: '2025-06-11T00:00:00Z' };
    expect(eventHashId(a)).toBe(eventHashId(b));
    expect(eventHashId(a)).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    expect(eventHashId({ ...a, bizStep: 'receiving' })).not.toBe(eventHashId(a));
  });
  it('an error declaration does not change the identity of the event it corrects', () => {
    const a = { type: 'ObjectEvent', eventTime: '2025-06-10T07:30:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE', epcList: ['urn:epc:id:sscc:8930000.0000000017'] };
    expect(eventHashId({ ...a, errorDeclaration: { declarationTime: '2025-06-11T00:00:00Z', reason: 'incorrect_data' } })).toBe(eventHashId(a));
  });
});

describe('EPC URN ↔ Digital Link', () => {
  it('lgtin, sgtin, sscc, sgln and pgln URNs become canonical Digital Links', () => {
    expect(epcUrnToDigitalLink('urn:epc:class:lgtin:8930000.012345.L%2F1')).toBe('https://id.gs1.org/01/08930000123459/10/L%2F1');
    expect(epcUrnToDigitalLink('urn:epc:id:sgtin:0614141.107346.2017')).toBe('https://id.gs1.org/01/10614141073464/21/2017');
    expect(epcUrnToDigitalLink('urn:epc:id:sscc:4012345.0000000333')).toBe('https://id.gs1.org/00/040123450000003338');
    expect(epcUrnToDigitalLink('urn:epc:id:sgln:4012345.00011.987')).toBe('https://id.gs1.org/414/4012345000115/254/987');
    expect(epcUrnToDigitalLink('urn:epc:id:sgln:4012345.00011.0')).toBe('https://id.gs1.org/414/4012345000115');
    expect(epcUrnToDigitalLink('urn:epc:id:pgln:4012345.00000')).toBe('https://id.gs1.org/417/4012345000009');
    expect(epcUrnToDigitalLink('urn:epc:class:lgtin:8930000.01234.L1')).toBeNull(); // 12 digits: not a GTIN
    expect(epcUrnToDigitalLink('urn:uuid:1')).toBeNull();
  });
  it('Digital Links on any domain, GTIN-13 or short names, reduce to the same key', () => {
    const k = 'https://id.gs1.org/01/08930000123459/10/L1';
    expect(canonicalGs1Uri('https://truyxuat.example.vn/dl/01/8930000123459/10/L1?17=261231')).toBe(k);
    expect(canonicalGs1Uri('https://example.com/gtin/08930000123459/lot/L1')).toBe(k);
    expect(canonicalGs1Uri('urn:epc:class:lgtin:8930000.012345.L1')).toBe(k);
    expect(canonicalGs1Uri('https://example.com/about')).toBeNull();
  });
});
