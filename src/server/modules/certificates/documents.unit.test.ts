import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCertificatePdf, type CertificatePdfData } from './documents.js';

const base: CertificatePdfData = {
  number: 'OCOP-2026-000123', productName: 'Mật ong hoa vải Lục Ngạn', producerName: 'Hợp tác xã Dịch vụ nông nghiệp Hằng Hiếu',
  star: 4, score: 82.35, decisionNumber: '1234/QĐ-UBND', decisionDate: '2026-08-31', issuingAuthority: 'UBND tỉnh Bắc Ninh',
  issuingUnitName: 'tỉnh Bắc Ninh', expiresOn: '2029-08-31', criteriaSetCode: '148-demo', procedureCode: '148+1489', isLegacy: false,
  verifyUrl: 'https://ocop.example.vn/xac-thuc/OCOP-2026-000123', revoked: null,
};

function text(pdf: Buffer, layout = true) {
  const f = path.join(os.tmpdir(), `cert-unit-${process.pid}-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(f, pdf);
  try {
    return execFileSync('/usr/bin/pdftotext', [...(layout ? ['-layout'] : []), f, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(f, { force: true });
  }
}

describe('certificate PDF', () => {
  it('is an A4 landscape page in Vietnamese with the product, number, star, score, decision, validity and the QR address', async () => {
    const pdf = await buildCertificatePdf(base);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const info = execFileSync('/usr/bin/pdfinfo', ['-'], { input: pdf, encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+1/);
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
    const t = text(pdf);
    for (const s of [
      'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'GIẤY CHỨNG NHẬN SẢN PHẨM OCOP', 'Mật ong hoa vải Lục Ngạn',
      'Hợp tác xã Dịch vụ nông nghiệp Hằng Hiếu', 'Số: OCOP-2026-000123', 'Đạt hạng 4 sao — 82,35/100 điểm', 'Quyết định số 1234/QĐ-UBND',
      'ngày 31 tháng 08 năm 2026', 'từ ngày 31/08/2026 đến ngày 31/08/2029', 'UBND TỈNH BẮC NINH', 'https://ocop.example.vn/xac-thuc/OCOP-2026-000123',
    ]) expect(t).toContain(s);
    expect(t).not.toContain('THU HỒI');
  });

  it('stamps a revoked certificate ĐÃ THU HỒI with the date and reason; a paper one says so', async () => {
    const t = text(await buildCertificatePdf({ ...base, isLegacy: true, score: null, revoked: { on: '2026-11-28', reason: 'Vi phạm phát hiện qua thanh tra, kiểm tra' } }));
    expect(t).toContain('ĐÃ THU HỒI ngày 28/11/2026 — Vi phạm phát hiện qua thanh tra, kiểm tra');
    expect(t).not.toContain('/100 điểm');
    expect(t).toContain('giấy chứng nhận đã cấp trên giấy');
  });

  it('marks a certificate issued from a demo criteria set as demo content', async () => {
    expect(text(await buildCertificatePdf({ ...base, fromDemoCriteria: true }))).toContain('DỮ LIỆU MẪU (DEMO)');
    expect(text(await buildCertificatePdf(base))).not.toContain('DỮ LIỆU MẪU');
  });

  it('fits a long product name', async () => {
    const long = 'Trà hoa vàng Ba Chẽ sấy lạnh túi lọc hộp quà tặng cao cấp 20 gói × 2 g, đặc sản vùng núi đá vôi Quảng Ninh';
    const t = text(await buildCertificatePdf({ ...base, productName: long }), false);
    expect(t.replace(/\s+/g, ' ')).toContain(long);
  });
});
