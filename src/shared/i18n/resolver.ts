/**
 * Strings of the GS1 resolver's own pages (GTIN level, fallbacks, data attributes, errors) and of its links,
 * Vietnamese first. The serial and lot pages are the scan page's (i18n/scan.ts).
 */
import type { ScanLang } from './scan.js';

const vi = {
  productTitle: 'Thông tin sản phẩm',
  productDetail: 'Địa chỉ này dẫn đến sản phẩm (mã GTIN), không đến một lô hay một tem cụ thể. Muốn kiểm tra tem, hãy quét mã QR trên tem của sản phẩm.',
  unknownGtinTitle: 'Không tìm thấy sản phẩm có mã này',
  unknownGtinDetail: 'Mã GTIN đúng định dạng nhưng chưa có sản phẩm nào khai báo mã này trên OCOP Hub.',
  unknownLotFallback: (lot: string) => `Không tìm thấy lô hàng "${lot}" của sản phẩm này — có thể là hàng giả. Dưới đây là thông tin chung của sản phẩm mang mã GTIN này.`,
  unknownSerialFallback: (serial: string) => `Không tìm thấy tem số "${serial}" trong lô này — có thể là hàng giả. Thông tin dưới đây là của lô hàng, không xác nhận tem bạn đang cầm.`,
  unknownSerialNoLot: (serial: string) => `Không tìm thấy tem số "${serial}" của sản phẩm này — có thể là hàng giả. Dưới đây là thông tin chung của sản phẩm.`,
  warningTitle: 'Cảnh báo',
  invalidTitle: 'Mã không hợp lệ',
  invalidCheckDigit: 'Mã GTIN sai số kiểm tra: có thể mã bị in hoặc gõ sai. Hãy kiểm tra lại từng chữ số.',
  invalidLink: 'Địa chỉ không đúng cú pháp GS1 Digital Link.',
  attrsTitle: 'Thông tin kèm theo mã',
  attrInvalid: 'không hợp lệ — không dựa vào thông tin này',
  attrIgnored: (ai: string) => `AI ${ai}: OCOP Hub chưa đọc loại thông tin này — bỏ qua.`,
  attrMalformed: (ai: string) => `AI ${ai}: giá trị không đúng định dạng của GS1 — bỏ qua.`,
  attrPathOnly: (ai: string) => `AI ${ai} là mã định danh, phải nằm trong đường dẫn (/${ai}/…), không nằm sau dấu "?" — bỏ qua.`,
  expired: (label: string, date: string) => `${label}: ${date} — SẢN PHẨM ĐÃ QUÁ HẠN theo mã trên bao bì.`,
  invalidAttrPage: 'Mã trên bao bì chứa thông tin sai định dạng, nên không thể xác nhận sản phẩm từ địa chỉ này.',
  withoutData: 'Xem thông tin tem, bỏ phần thông tin sai',
  producer: 'Nhà sản xuất',
  address: 'Địa chỉ',
  brand: 'Nhãn hiệu',
  product: 'Sản phẩm',
  gtin: 'Mã sản phẩm (GTIN)',
  ocop: 'Sản phẩm OCOP',
  noCert: 'Chưa được công nhận OCOP',
  certValid: (until: string) => `Giấy chứng nhận còn hiệu lực đến ${until}`,
  certExpired: 'Giấy chứng nhận không còn hiệu lực',
  certNumber: 'Giấy chứng nhận số',
  stars: (n: number) => `${n} sao`,
  linksTitle: 'Thông tin thêm',
  noLinks: 'Chưa có liên kết nào.',
  // Titles of the platform's own links.
  scanPage: 'Trang truy xuất nguồn gốc',
  productPage: 'Thông tin sản phẩm',
  certificatePage: 'Xác thực giấy chứng nhận OCOP',
  journey: 'Hành trình của lô hàng',
  reportPage: 'Báo cáo vấn đề về sản phẩm',
};
type Strings = typeof vi;

const en: Strings = {
  productTitle: 'Product information',
  productDetail: 'This address leads to the product (its GTIN), not to a lot or a stamp. To check a stamp, scan the QR code on the product’s stamp.',
  unknownGtinTitle: 'No product found with this code',
  unknownGtinDetail: 'The GTIN is well formed, but no product on OCOP Hub declares it.',
  unknownLotFallback: (lot: string) => `Lot "${lot}" of this product was not found — this may be a counterfeit. Below is the general information of the product with this GTIN.`,
  unknownSerialFallback: (serial: string) => `Stamp no. "${serial}" was not found in this lot — this may be a counterfeit. The information below is the lot’s; it does not confirm the stamp you hold.`,
  unknownSerialNoLot: (serial: string) => `Stamp no. "${serial}" of this product was not found — this may be a counterfeit. Below is the general information of the product.`,
  warningTitle: 'Warning',
  invalidTitle: 'Invalid code',
  invalidCheckDigit: 'The GTIN’s check digit is wrong: the code may be misprinted or mistyped. Check each digit.',
  invalidLink: 'The address is not valid GS1 Digital Link syntax.',
  attrsTitle: 'Data carried by the code',
  attrInvalid: 'invalid — do not rely on it',
  attrIgnored: (ai: string) => `AI ${ai}: OCOP Hub does not read this kind of data yet — ignored.`,
  attrMalformed: (ai: string) => `AI ${ai}: the value does not have GS1’s format — ignored.`,
  attrPathOnly: (ai: string) => `AI ${ai} is an identifier and belongs in the path (/${ai}/…), not after "?" — ignored.`,
  expired: (label: string, date: string) => `${label}: ${date} — THE PRODUCT IS PAST ITS DATE according to the code on the pack.`,
  invalidAttrPage: 'The code on the pack carries malformed data, so the product cannot be confirmed from this address.',
  withoutData: 'See the stamp’s information without the malformed data',
  producer: 'Producer',
  address: 'Address',
  brand: 'Brand',
  product: 'Product',
  gtin: 'Product code (GTIN)',
  ocop: 'OCOP product',
  noCert: 'Not OCOP-recognised',
  certValid: (until: string) => `Certificate valid until ${until}`,
  certExpired: 'Certificate no longer valid',
  certNumber: 'Certificate no.',
  stars: (n: number) => `${n} star${n === 1 ? '' : 's'}`,
  linksTitle: 'More information',
  noLinks: 'No links yet.',
  scanPage: 'Traceability page',
  productPage: 'Product information',
  certificatePage: 'Verify the OCOP certificate',
  journey: 'Journey of the lot',
  reportPage: 'Report a problem with the product',
};

/** Names of the data attributes the resolver shows, by AI (310n: net weight in kg with n decimals). */
export const ATTRIBUTE_NAMES: Record<ScanLang, Record<string, string>> = {
  vi: { '11': 'Ngày sản xuất', '13': 'Ngày đóng gói', '15': 'Hạn dùng tốt nhất', '16': 'Hạn bán', '17': 'Hạn sử dụng', '30': 'Số lượng', '37': 'Số lượng', '422': 'Nước xuất xứ', '7006': 'Ngày cấp đông đầu tiên', '7007': 'Ngày thu hoạch', '310': 'Khối lượng tịnh', '723': 'Tham chiếu chứng nhận' },
  en: { '11': 'Production date', '13': 'Packaging date', '15': 'Best before', '16': 'Sell by', '17': 'Expiry date', '30': 'Count', '37': 'Count', '422': 'Country of origin', '7006': 'First freeze date', '7007': 'Harvest date', '310': 'Net weight', '723': 'Certification reference' },
};

export const RESOLVER_TEXT: Record<ScanLang, Strings> = { vi, en };
export type ResolverStrings = Strings;
