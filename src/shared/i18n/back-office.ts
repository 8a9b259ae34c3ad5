/**
 * UI text added by the back-office sweep (#12): page titles, exports, the dossier receipt, history labels. Spread into
 * vi.ts and en.ts (its own file so parallel work on the catalogues does not collide).
 */
export const backOfficeVi = {
  'page.login': 'Đăng nhập',
  'page.register': 'Đăng ký tài khoản chủ thể',
  'page.notFound': 'Không tìm thấy trang',
  'page.plan': 'Kế hoạch OCOP',
  'page.product': 'Thông tin sản phẩm',
  'page.productNew': 'Thêm sản phẩm',
  'page.productEdit': 'Sửa sản phẩm',
  'page.producer': 'Thông tin chủ thể',
  'page.producerNew': 'Thêm chủ thể',
  'page.producerEdit': 'Sửa chủ thể',
  'page.dossier': 'Hồ sơ đánh giá',
  'page.lot': 'Thông tin lô hàng',
  'page.lotNew': 'Thêm lô hàng',
  'page.lotEdit': 'Sửa lô hàng',
  'page.criteriaSet': 'Bộ tiêu chí đánh giá',
  'page.criteriaSheet': 'Phiếu tiêu chí',
  'page.roundNew': 'Tạo đợt đánh giá',
  'page.round': 'Đợt đánh giá, phân hạng',
  'page.scoring': 'Chấm điểm sản phẩm',
} as const;

export const backOfficeEn: Record<keyof typeof backOfficeVi, string> = {
  'page.login': 'Sign in',
  'page.register': 'Producer account request',
  'page.notFound': 'Page not found',
  'page.plan': 'OCOP plan',
  'page.product': 'Product',
  'page.productNew': 'New product',
  'page.productEdit': 'Edit product',
  'page.producer': 'Producer',
  'page.producerNew': 'New producer',
  'page.producerEdit': 'Edit producer',
  'page.dossier': 'Evaluation dossier',
  'page.lot': 'Lot',
  'page.lotNew': 'New lot',
  'page.lotEdit': 'Edit lot',
  'page.criteriaSet': 'Criteria set',
  'page.criteriaSheet': 'Criteria sheet',
  'page.roundNew': 'New evaluation round',
  'page.round': 'Evaluation round',
  'page.scoring': 'Score a product',
};
