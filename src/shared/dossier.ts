/** Dossier workflow and evidence vocabulary shared by server and web. The rules of who may act live in policies. */

export const EVIDENCE_TYPES = [
  'business_registration', 'quality_declaration', 'food_safety_test', 'certification', 'trademark',
  'environment_plan', 'product_story', 'photo', 'three_year_report', 'gs1_membership', 'other',
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

export const EVIDENCE_TYPE_LABELS_VI: Record<EvidenceType, string> = {
  business_registration: 'Giấy đăng ký kinh doanh / thành lập',
  quality_declaration: 'Tiêu chuẩn sản phẩm và bản công bố chất lượng',
  food_safety_test: 'Phiếu kiểm nghiệm an toàn thực phẩm',
  certification: 'Chứng nhận (VietGAP, GlobalGAP, hữu cơ, HACCP, ISO 22000, GMP)',
  trademark: 'Nhãn hiệu / nhãn hiệu tập thể / chỉ dẫn địa lý',
  environment_plan: 'Kế hoạch / cam kết bảo vệ môi trường',
  product_story: 'Câu chuyện sản phẩm',
  photo: 'Ảnh sản phẩm, bao bì, nhãn',
  three_year_report: 'Báo cáo tình hình 3 năm (đánh giá lại)',
  gs1_membership: 'Giấy chứng nhận thành viên GS1 Việt Nam (mã doanh nghiệp GS1)',
  other: 'Tài liệu khác',
};

export const CERTIFICATION_TYPES = ['vietgap', 'globalgap', 'organic', 'haccp', 'iso22000', 'gmp', 'other'] as const;

export const DOSSIER_KINDS = ['first', 'reevaluation', 'upgrade'] as const;
export type DossierKind = (typeof DOSSIER_KINDS)[number];

export const DOSSIER_STATUSES = [
  'draft', 'submitted', 'returned', 'accepted', 'assigned', 'evaluated', 'recognised', 'forwarded', 'not_recognised', 'withdrawn',
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/** Statuses in which the dossier is still in progress (one such dossier per product). */
export const OPEN_DOSSIER_STATUSES: readonly DossierStatus[] = ['draft', 'submitted', 'returned', 'accepted', 'assigned', 'evaluated', 'forwarded'];

export type DossierAction = 'submit' | 'return' | 'accept' | 'assign' | 'evaluate' | 'recognise' | 'forward' | 'reject' | 'withdraw';

/** The workflow as data: action → allowed source statuses → target. Anything not listed is an illegal transition. */
export const DOSSIER_TRANSITIONS: Record<DossierAction, { from: readonly DossierStatus[]; to: DossierStatus }> = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  return: { from: ['submitted'], to: 'returned' },
  accept: { from: ['submitted'], to: 'accepted' },
  // A forwarded dossier is assigned again, by the receiving level, to a round of that level.
  assign: { from: ['accepted', 'forwarded'], to: 'assigned' },
  evaluate: { from: ['assigned'], to: 'evaluated' },
  recognise: { from: ['evaluated'], to: 'recognised' },
  forward: { from: ['assigned'], to: 'forwarded' },
  reject: { from: ['assigned', 'evaluated'], to: 'not_recognised' },
  withdraw: { from: ['draft', 'submitted', 'returned'], to: 'withdrawn' },
};

export function nextStatus(action: DossierAction, from: DossierStatus): DossierStatus | null {
  const t = DOSSIER_TRANSITIONS[action];
  return t.from.includes(from) ? t.to : null;
}

export const DOSSIER_STATUS_LABELS_VI: Record<DossierStatus, string> = {
  draft: 'Đang soạn',
  submitted: 'Đã nộp, chờ tiếp nhận',
  returned: 'Trả lại để bổ sung',
  accepted: 'Đã tiếp nhận',
  assigned: 'Đã đưa vào đợt đánh giá',
  evaluated: 'Đã chấm, chờ quyết định công nhận',
  recognised: 'Đã công nhận',
  forwarded: 'Đã chuyển cấp trên, chờ hội đồng cấp trên',
  not_recognised: 'Không đạt',
  withdrawn: 'Đã rút',
};

/** The four local criteria of the commune pre-assessment report (QĐ 148 amended by QĐ 1489). */
export const PRE_ASSESSMENT_ITEMS = ['local_material', 'local_labour', 'idea_origin', 'local_identity'] as const;
export type PreAssessmentItem = (typeof PRE_ASSESSMENT_ITEMS)[number];
export const PRE_ASSESSMENT_LABELS_VI: Record<PreAssessmentItem, string> = {
  local_material: 'Nguyên liệu địa phương',
  local_labour: 'Lao động địa phương',
  idea_origin: 'Nguồn gốc ý tưởng sản phẩm',
  local_identity: 'Bản sắc địa phương',
};

export const REVOCATION_REASONS = ['not_reevaluated', 'failed_mandatory', 'inspection_violation', 'producer_request', 'other'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];
export const REVOCATION_REASON_LABELS_VI: Record<RevocationReason, string> = {
  not_reevaluated: 'Không đánh giá lại khi hết hạn',
  failed_mandatory: 'Không đạt tiêu chí bắt buộc khi đánh giá lại',
  inspection_violation: 'Vi phạm phát hiện qua thanh tra, kiểm tra',
  producer_request: 'Theo đề nghị của chủ thể',
  other: 'Lý do khác',
};
