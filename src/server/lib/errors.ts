/** Every error the API can answer with: one code, one status, a Vietnamese and an English title. */
export const ERROR_CODES = {
  VALIDATION: { status: 400, vi: 'Dữ liệu không hợp lệ', en: 'Invalid input' },
  BAD_REQUEST: { status: 400, vi: 'Yêu cầu không hợp lệ', en: 'Bad request' },
  UNAUTHENTICATED: { status: 401, vi: 'Bạn cần đăng nhập', en: 'Authentication required' },
  INVALID_CREDENTIALS: { status: 401, vi: 'Tên đăng nhập hoặc mật khẩu không đúng', en: 'Wrong login or password' },
  REGISTRATION_PENDING: { status: 403, vi: 'Tài khoản đang chờ cán bộ xã/phường duyệt', en: 'The account is waiting for the commune officer’s approval' },
  WRONG_PASSWORD: { status: 403, vi: 'Mật khẩu hiện tại không đúng', en: 'Current password is wrong' },
  FORBIDDEN: { status: 403, vi: 'Bạn không có quyền thực hiện thao tác này', en: 'You are not allowed to do this' },
  CSRF: { status: 403, vi: 'Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF), hãy tải lại trang', en: 'Missing or wrong CSRF token; reload the page' },
  NOT_FOUND: { status: 404, vi: 'Không tìm thấy dữ liệu', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, vi: 'Không tìm thấy địa chỉ này', en: 'No such address' },
  DUPLICATE_REGISTRATION_NUMBER: { status: 409, vi: 'Mã số đăng ký đã được dùng cho chủ thể khác', en: 'Registration number already used' },
  DUPLICATE_PRODUCT_NAME: { status: 409, vi: 'Chủ thể đã có sản phẩm cùng tên', en: 'The producer already has a product with this name' },
  DUPLICATE_AREA_CODE: { status: 409, vi: 'Mã số vùng trồng đã tồn tại', en: 'Growing-area code already exists' },
  DUPLICATE_PACKING_HOUSE_CODE: { status: 409, vi: 'Mã số cơ sở đóng gói đã tồn tại', en: 'Packing-house code already exists' },
  DUPLICATE_LOGIN: { status: 409, vi: 'Tên đăng nhập đã tồn tại', en: 'Login already exists' },
  VERSION_CONFLICT: { status: 409, vi: 'Bản ghi vừa được người khác sửa; hãy tải lại rồi sửa tiếp', en: 'Someone else changed this record; reload and retry' },
  DUPLICATE_LOT_NUMBER: { status: 409, vi: 'Số lô hoặc mã sự kiện đã được dùng', en: 'Lot number or event id already used' },
  IN_USE: { status: 409, vi: 'Bản ghi đang được sử dụng, không thể xoá', en: 'Record is in use and cannot be deleted' },
  UNIT_NOT_VALID: { status: 422, vi: 'Đơn vị hành chính không tồn tại hoặc không phải cấp xã', en: 'Unknown administrative unit or not a commune-level unit' },
  TAXONOMY_NOT_LEAF: { status: 422, vi: 'Phải chọn nhóm/phân nhóm sản phẩm cuối cùng của bộ phân loại', en: 'Choose a leaf of the product taxonomy' },
  TRACE_INVALID: { status: 422, vi: 'Dữ liệu truy xuất không đúng quy tắc GS1 hoặc tham chiếu không tồn tại', en: 'Traceability data breaks a GS1 rule or refers to something unknown' },
  EPCIS_INVALID: { status: 422, vi: 'Tài liệu EPCIS có lỗi, chưa có sự kiện nào được ghi', en: 'The EPCIS document has errors; nothing was written' },
  IMPORT_INVALID: { status: 422, vi: 'Tệp Excel có lỗi, chưa có dòng nào được ghi', en: 'The Excel file has errors; nothing was written' },
  BOUNDARY_IMPORT_INVALID: { status: 422, vi: 'Tệp ranh giới GeoJSON có lỗi, chưa có ranh giới nào được ghi', en: 'The GeoJSON boundary file has errors; nothing was written' },
  CRITERIA_INVALID: { status: 422, vi: 'Bộ tiêu chí có lỗi, chưa thể ban hành', en: 'The criteria set has errors and cannot be published' },
  CRITERIA_PUBLISHED: { status: 409, vi: 'Bộ tiêu chí đã ban hành, không sửa được; hãy tạo bộ mới', en: 'The criteria set is published and immutable' },
  NO_SHEET_FOR_PRODUCT: { status: 422, vi: 'Bộ tiêu chí không có phiếu cho phân nhóm của sản phẩm', en: 'The criteria set has no sheet for the product’s subgroup' },
  ROUND_STATE: { status: 409, vi: 'Thao tác không phù hợp với trạng thái của đợt đánh giá', en: 'Not allowed in the round’s current state' },
  CONFLICT_OF_INTEREST: { status: 403, vi: 'Bạn đã khai báo xung đột lợi ích với sản phẩm này nên không chấm điểm', en: 'You declared a conflict of interest for this product' },
  SHEET_LOCKED: { status: 409, vi: 'Phiếu chấm đã nộp và bị khoá', en: 'The score sheet is submitted and locked' },
  SHEET_INCOMPLETE: { status: 422, vi: 'Phiếu chấm chưa trả lời hết các tiêu chí', en: 'The score sheet is incomplete' },
  QUORUM_NOT_MET: { status: 422, vi: 'Chưa đủ số thành viên chấm điểm theo quy định', en: 'Quorum not met' },
  SPREAD_NOT_DISCUSSED: { status: 422, vi: 'Có sản phẩm chênh lệch điểm vượt ngưỡng chưa được thảo luận', en: 'A product’s spread exceeds the threshold and was not discussed' },
  RECOGNITION_READ_ONLY: { status: 422, vi: 'Hạng sao và giấy chứng nhận chỉ thay đổi qua mô-đun Giấy chứng nhận', en: 'Stars and certificate fields change only through certificates' },
  PRODUCT_PHOTO_REQUIRED: { status: 422, vi: 'Sản phẩm chưa có ảnh: cần đăng ảnh sản phẩm trước khi phát hành tem', en: 'The product has no photo: add one before issuing stamps' },
  DOSSIER_INCOMPLETE: { status: 422, vi: 'Hồ sơ chưa đủ tài liệu', en: 'The dossier is missing required documents' },
  DOSSIER_STATE: { status: 409, vi: 'Thao tác không phù hợp với trạng thái hiện tại của hồ sơ', en: 'Not allowed in the dossier’s current state' },
  DOSSIER_OPEN_EXISTS: { status: 409, vi: 'Sản phẩm đã có một hồ sơ đang xử lý', en: 'The product already has a dossier in progress' },
  REGISTRATION_STATE: { status: 409, vi: 'Yêu cầu đăng ký đã được xử lý', en: 'The registration request was already decided' },
  CERTIFICATE_STATE: { status: 409, vi: 'Thao tác không phù hợp với trạng thái của giấy chứng nhận', en: 'Not allowed in the certificate’s current state' },
  CERTIFICATE_IMMUTABLE: { status: 409, vi: 'Giấy chứng nhận đã cấp không được sửa hay xoá', en: 'An issued certificate cannot be changed or deleted' },
  DUPLICATE_CERTIFICATE_NUMBER: { status: 409, vi: 'Số giấy chứng nhận đã tồn tại', en: 'Certificate number already exists' },
  PROCEDURE_NOT_IN_FORCE: { status: 422, vi: 'Quy trình đánh giá, phân hạng không có hiệu lực vào ngày này', en: 'The recognition procedure is not in force on that date' },
  LEVEL_NOT_IN_PROCEDURE: { status: 422, vi: 'Quy trình không có cấp đánh giá này', en: 'The procedure has no such evaluation level' },
  UNIT_NOT_FOR_LEVEL: { status: 422, vi: 'Đơn vị hành chính không đúng cấp hoặc không tồn tại vào ngày này', en: 'The administrative unit is not of this level or did not exist on that date' },
  OUTSIDE_AUTHORITY: { status: 403, vi: 'Ngoài thẩm quyền của bạn theo quy trình đánh giá, phân hạng', en: 'Outside your authority under the recognition procedure' },
  STAR_OUTSIDE_AUTHORITY: { status: 422, vi: 'Cấp này không có thẩm quyền công nhận hạng sao này', en: 'This level may not recognise this star' },
  PRE_ASSESSMENT_FAILED: { status: 422, vi: 'Báo cáo tiền đánh giá cấp xã không đạt: không chuyển hồ sơ lên tỉnh', en: 'The commune pre-assessment failed: the dossier cannot go to the province' },
  CONFLICT_TOO_LATE: { status: 409, vi: 'Không còn tự khai xung đột lợi ích được nữa', en: 'A conflict of interest can no longer be declared' },
  FIELD_NOT_EDITABLE: { status: 403, vi: 'Bạn không được sửa trường thông tin này', en: 'You may not change this field' },
  CRITERIA_DECISION_MISMATCH: { status: 422, vi: 'Bộ tiêu chí không khớp với quyết định ban hành', en: 'The criteria set does not match its decision' },
  NOT_RECOGNISED: { status: 422, vi: 'Kết quả đánh giá không đủ điều kiện công nhận ở cấp này', en: 'The result does not qualify for recognition at this level' },
  BUDGET_EXCEEDED: { status: 409, vi: 'Khoản này vượt kế hoạch vốn của nguồn; ghi lý do nếu vẫn tiếp tục', en: 'This goes over the source’s planned budget; give a reason to go on' },
  FILE_NAME_INVALID: { status: 400, vi: 'Tên tệp không hợp lệ', en: 'Invalid file name' },
  FILE_TOO_LARGE: { status: 413, vi: 'Tệp quá lớn', en: 'File too large' },
  UPLOAD_UNSAFE: { status: 422, vi: 'Tệp tải lên không an toàn (nén bất thường hoặc giải nén quá lớn), không được xử lý', en: 'Unsafe upload (abnormal compression or too large when unpacked); not processed' },
  UNSUPPORTED_FILE: { status: 415, vi: 'Định dạng tệp không được chấp nhận', en: 'File type not accepted' },
  WEAK_PASSWORD: { status: 422, vi: 'Mật khẩu chưa đủ mạnh', en: 'The password is too weak' },
  ACCOUNT_LOCKED: { status: 429, vi: 'Tài khoản tạm khoá do đăng nhập sai nhiều lần, vui lòng thử lại sau', en: 'Account temporarily locked after repeated failed sign-ins; try again later' },
  TOTP_REQUIRED: { status: 401, vi: 'Cần nhập mã xác thực 6 số từ ứng dụng xác thực', en: 'Enter the 6-digit code from your authenticator app' },
  TOTP_INVALID: { status: 401, vi: 'Mã xác thực không đúng hoặc đã hết hạn', en: 'Wrong or expired authentication code' },
  TOTP_STATE: { status: 409, vi: 'Thao tác không phù hợp với trạng thái xác thực hai bước của tài khoản', en: 'Not allowed in the account’s two-step verification state' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, vi: 'Bạn cần đổi mật khẩu trước khi tiếp tục', en: 'Change your password before continuing' },
  TOTP_ENROLMENT_REQUIRED: { status: 403, vi: 'Tài khoản quản trị cần bật xác thực hai bước trước khi tiếp tục', en: 'Administrators must set up two-step verification before continuing' },
  RATE_LIMITED: { status: 429, vi: 'Bạn thử quá nhiều lần, vui lòng đợi rồi thử lại', en: 'Too many attempts, try again later' },
  GTIN_INVALID: { status: 422, vi: 'Mã GTIN không dùng được cho sản phẩm này', en: 'This GTIN cannot be used for this product' },
  GTIN_TAKEN: { status: 409, vi: 'Mã GTIN hoặc mã doanh nghiệp GS1 đã thuộc về chủ thể khác', en: 'The GTIN or GS1 company prefix belongs to another producer' },
  PLACE_NOT_USABLE: { status: 422, vi: 'Lô hàng chỉ được ghi vùng trồng, cơ sở đóng gói của chủ thể hoặc đã liên kết được xác minh', en: 'A lot may cite only its producer’s own places or places linked by a verified contract' },
  VERIFICATION_STATE: { status: 409, vi: 'Bản ghi đã được xử lý xác minh', en: 'The record was already verified or rejected' },
  INTERNAL: { status: 500, vi: 'Lỗi hệ thống, vui lòng thử lại sau', en: 'Internal error, try again later' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;

  constructor(code: ErrorCode, opts: { detail?: string; errors?: FieldError[]; extra?: Record<string, unknown> } = {}) {
    super(opts.detail ?? ERROR_CODES[code].en);
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.detail = opts.detail;
    this.errors = opts.errors;
    this.extra = opts.extra;
  }
}

export const notFound = (detail?: string) => new AppError('NOT_FOUND', { detail });
export const forbidden = (detail?: string) => new AppError('FORBIDDEN', { detail });

/** Maps PostgreSQL constraint violations to typed errors, so the database stays the last line of defence. */
export function fromDbError(err: unknown): AppError | undefined {
  const e = err as { code?: string; constraint?: string; constraint_name?: string; cause?: unknown };
  const src = e?.code ? e : (e?.cause as typeof e | undefined);
  if (!src?.code) return undefined;
  const constraint = src.constraint ?? src.constraint_name ?? '';
  if (src.code === '23505') {
    if (constraint.includes('registration_number')) return new AppError('DUPLICATE_REGISTRATION_NUMBER');
    if (constraint.includes('products_producer_name')) return new AppError('DUPLICATE_PRODUCT_NAME');
    if (constraint.includes('users_login') || constraint.includes('registration_requests_pending_login')) return new AppError('DUPLICATE_LOGIN');
    if (constraint.includes('dossiers_open_per_product')) return new AppError('DOSSIER_OPEN_EXISTS');
    if (constraint.includes('certificates_active_per_product')) return new AppError('CERTIFICATE_STATE', { detail: 'Sản phẩm đã có một giấy chứng nhận còn hiệu lực' });
    if (constraint.includes('growing_areas_code')) return new AppError('DUPLICATE_AREA_CODE');
    if (constraint.includes('packing_houses_code')) return new AppError('DUPLICATE_PACKING_HOUSE_CODE');
    if (constraint.includes('certificates_number')) return new AppError('DUPLICATE_CERTIFICATE_NUMBER');
    if (constraint.includes('products_gtin')) return new AppError('GTIN_TAKEN', { detail: 'Mã GTIN đã được dùng cho một sản phẩm khác', errors: [{ path: 'gtin', message: 'Mã GTIN đã được dùng cho một sản phẩm khác' }] });
    if (constraint.includes('producer_gs1_prefixes_live')) return new AppError('GTIN_TAKEN', { detail: 'Mã doanh nghiệp GS1 này đã được một chủ thể khai báo', errors: [{ path: 'prefix', message: 'Mã doanh nghiệp GS1 đã được khai báo' }] });
    if (constraint.includes('growing_areas_gln') || constraint.includes('packing_houses_gln')) return new AppError('VALIDATION', { detail: 'Mã GLN đã được dùng cho địa điểm khác', errors: [{ path: 'gln', message: 'Mã GLN đã được dùng cho địa điểm khác' }] });
    if (constraint.includes('place_links_')) return new AppError('VALIDATION', { detail: 'Chủ thể đã có liên kết với địa điểm này' });
    return new AppError('VALIDATION', { detail: 'Giá trị bị trùng' });
  }
  if (src.code === '23503') return new AppError('IN_USE');
  if (src.code === 'P0001') {
    const msg = String((src as { message?: string }).message ?? '');
    if (msg.includes('published')) return new AppError('CRITERIA_PUBLISHED');
    if (msg.includes('score sheet is submitted')) return new AppError('SHEET_LOCKED');
    if (msg.includes('certificate') && (msg.includes('immutable') || msg.includes('cannot be deleted'))) return new AppError('CERTIFICATE_IMMUTABLE');
  }
  if (src.code === '23514' || src.code === '22P02' || src.code === '22007' || src.code === '22008') {
    return new AppError('VALIDATION', { detail: `Ràng buộc dữ liệu bị vi phạm (${constraint || src.code})` });
  }
  return undefined;
}
