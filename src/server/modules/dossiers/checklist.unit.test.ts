import { describe, expect, it } from 'vitest';
import { computeChecklist } from './presenter.js';
import { requiredEvidenceTypes, sampleRequired, sectorOf } from './requirements.js';

const ev = (id: string, type: string, expires_on: string | null = null, requirement = type) => ({ id, type, title: id, expires_on, requirement });

describe('dossier checklist', () => {
  it('requires per sector and kind: food needs test reports, tourism needs neither tests nor samples, re-evaluation adds the 3-year report', () => {
    expect(sectorOf('I.1.a')).toBe('I');
    expect(requiredEvidenceTypes('I', 'first')).toEqual(['business_registration', 'quality_declaration', 'food_safety_test', 'product_story', 'photo']);
    expect(requiredEvidenceTypes('VI', 'first')).toEqual(['business_registration', 'product_story', 'photo']);
    expect(requiredEvidenceTypes('IV', 'reevaluation')).toEqual(['business_registration', 'quality_declaration', 'product_story', 'photo', 'three_year_report']);
    expect(sampleRequired('I')).toBe(true);
    expect(sampleRequired('VI')).toBe(false);
  });

  it('a requirement is met by unexpired linked evidence; expired evidence is reported as expired, not as missing', () => {
    const today = '2026-11-28';
    const { checklist, missing } = computeChecklist(['photo', 'food_safety_test', 'business_registration'], [
      ev('p1', 'photo'),
      ev('t-old', 'food_safety_test', '2026-11-27'),
      ev('c1', 'certification', '2027-01-01'),
    ], today);
    expect(missing).toEqual([
      { type: 'food_safety_test', label: 'Phiếu kiểm nghiệm an toàn thực phẩm', reason: 'expired' },
      { type: 'business_registration', label: 'Giấy đăng ký kinh doanh / thành lập', reason: 'missing' },
    ]);
    // Expiring today is still valid; optional documents are listed after the required ones.
    expect(computeChecklist(['food_safety_test'], [ev('t', 'food_safety_test', today)], today).missing).toEqual([]);
    expect(checklist.map((c) => [c.type, c.required, c.satisfied])).toEqual([
      ['photo', true, true], ['food_safety_test', true, false], ['business_registration', true, false], ['certification', false, true],
    ]);
  });
});
