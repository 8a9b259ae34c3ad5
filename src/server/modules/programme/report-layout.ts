/**
 * The annual report as a sequence of blocks (headings, paragraphs, tables) in the structure officials use, written
 * once and laid out twice: report-docx.ts (Word) and report-pdf.ts. Every sentence is built from the report's
 * numbers; the officer's own text goes into the assessment part, or a placeholder says what belongs there.
 */
import { formatViDate } from '../../../shared/certificate-dates.js';
import { fmtMillion, fmtNum, KIND_VI } from './report.js';
import type { ProgrammeReport } from './report-schema.js';

export type Align = 'left' | 'center' | 'right';
export interface Column { header: string; width: number; align?: Align }
export interface Row { cells: string[]; bold?: boolean }
export type Block =
  | { t: 'letterhead' }
  | { t: 'title'; lines: string[]; sub: string | null }
  | { t: 'h1' | 'h2'; text: string }
  | { t: 'p'; text: string; italic?: boolean; placeholder?: boolean }
  | { t: 'table'; caption: string | null; cols: Column[]; rows: Row[]; note?: string | null }
  | { t: 'closing'; recipients: string[]; signer: string[] }
  | { t: 'section'; landscape: boolean };

const d = formatViDate;
const n = (x: number) => fmtNum(x);
const vnd = fmtMillion;

/** Headings, in the order and wording of a programme report; tests look for these. */
export const HEADINGS = {
  results: 'I. KẾT QUẢ THỰC HIỆN',
  byStar: '1. Kết quả đánh giá, phân hạng sản phẩm OCOP',
  byGroup: '2. Kết quả theo ngành, nhóm sản phẩm',
  byCommune: '3. Kết quả theo đơn vị hành chính cấp xã',
  producers: '4. Chủ thể OCOP',
  support: '5. Hỗ trợ chủ thể, sản phẩm',
  events: '6. Xúc tiến thương mại, tuyên truyền, đào tạo',
  budget: '7. Kinh phí thực hiện',
  targets: '8. Kết quả thực hiện các chỉ tiêu của kế hoạch',
  assessment: 'II. ĐÁNH GIÁ CHUNG',
  general: '1. Kết quả đạt được',
  shortcomings: '2. Tồn tại, hạn chế và nguyên nhân',
  appendix01: 'PHỤ LỤC 01',
  appendix02: 'PHỤ LỤC 02',
  appendix03: 'PHỤ LỤC 03',
} as const;
export const directionsHeading = (r: ProgrammeReport) => `III. PHƯƠNG HƯỚNG, NHIỆM VỤ ${r.period.nextLabel}`;

/** The officer's text as paragraphs, without control characters (pasted text; neither Word nor the PDF font has them). */
const officerText = (text: string | null, placeholder: string): Block[] =>
  // eslint-disable-next-line no-control-regex -- control characters a PDF font cannot draw are removed on purpose
  text ? text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').split(/\r?\n+/).map((l) => l.trim()).filter(Boolean).map((l): Block => ({ t: 'p', text: l })) : [{ t: 'p', text: placeholder, placeholder: true, italic: true }];

export function budgetTable(r: ProgrammeReport, caption: string | null): Block {
  const year = r.period.year;
  const cols: Column[] = [
    { header: 'Nguồn vốn', width: 3.2 }, { header: 'Kế hoạch giai đoạn', width: 1.4, align: 'right' },
    ...(year !== null ? [{ header: `Kế hoạch năm ${year}`, width: 1.3, align: 'right' as const }] : []),
    { header: 'Cam kết trong kỳ', width: 1.3, align: 'right' }, { header: 'Giải ngân trong kỳ', width: 1.3, align: 'right' },
    { header: `Lũy kế giải ngân đến ${d(r.period.asOf)}`, width: 1.5, align: 'right' }, { header: 'Còn lại (kế hoạch - cam kết)', width: 1.5, align: 'right' },
  ];
  return {
    t: 'table', caption, cols, note: ['Đơn vị: triệu đồng.', r.budget.note].filter(Boolean).join(' '),
    rows: r.budget.rows.map((b) => ({
      bold: b.fundingSource === null,
      cells: [b.label, vnd(b.plannedVnd), ...(year !== null ? [vnd(b.plannedYearVnd)] : []), vnd(b.committedInPeriodVnd), vnd(b.disbursedInPeriodVnd), vnd(b.disbursedToDateVnd), vnd(b.balanceVnd)],
    })),
  };
}

export function targetsTable(r: ProgrammeReport, caption: string | null): Block {
  const year = r.targets.yearColumn;
  const cols: Column[] = [
    { header: 'STT', width: 0.5, align: 'center' }, { header: 'Chỉ tiêu', width: 4 }, { header: 'Đơn vị', width: 1 },
    { header: 'Mục tiêu kế hoạch', width: 1.2, align: 'center' },
    ...(year !== null ? [{ header: `Mục tiêu năm ${year}`, width: 1.1, align: 'center' as const }] : []),
    { header: `Thực hiện ${r.period.label}`, width: 1.2, align: 'right' },
    { header: `Lũy kế đến ${d(r.targets.asOf)}`, width: 1.2, align: 'right' },
    { header: 'Dự báo cuối kỳ', width: 1, align: 'right' }, { header: 'Đánh giá', width: 1.6 },
  ];
  return {
    t: 'table', caption, cols,
    note: 'Chỉ tiêu trạng thái (số sản phẩm, hạng sao, chủ thể, tỷ lệ) tính tại ngày cuối của kỳ; chỉ tiêu cộng dồn (phát triển mới, đánh giá lại, nâng hạng, hỗ trợ, sự kiện, kinh phí) đếm trong kỳ, cột lũy kế đếm từ đầu giai đoạn kế hoạch.',
    rows: r.targets.rows.map((x) => ({
      cells: [String(x.no), x.label ? `${x.name}\n(${x.label})` : x.name, x.unitWord, x.targetText, ...(year !== null ? [x.yearTargetText ?? ''] : []),
        x.inPeriod === null ? '—' : x.kind === 'per_commune' ? x.actualText : fmtNum(x.inPeriod), x.actualText, x.projection === null ? '—' : fmtNum(x.projection), x.markText + (x.note ? ` (${x.note})` : '')],
    })),
  };
}

export function productsTable(r: ProgrammeReport, caption: string | null): Block {
  return {
    t: 'table', caption,
    cols: [
      { header: 'STT', width: 0.5, align: 'center' }, { header: 'Tên sản phẩm', width: 2.6 }, { header: 'Chủ thể', width: 2.4 }, { header: 'Xã, phường', width: 1.4 },
      { header: 'Ngành, nhóm', width: 1.5 }, { header: 'Hạng sao', width: 0.7, align: 'center' }, { header: 'Số giấy chứng nhận', width: 1.5 },
      { header: 'Ngày quyết định', width: 1, align: 'center' }, { header: 'Hết hạn', width: 1, align: 'center' }, { header: 'Trong kỳ', width: 1.1 },
    ],
    rows: r.products.map((p) => ({
      cells: [String(p.no), p.name, p.producerName, p.communeName, p.group, `${p.star} sao`, p.certificateNumber, d(p.decisionDate), d(p.expiresOn), p.decidedInPeriod ? KIND_VI[p.decidedInPeriod] : ''],
    })),
  };
}

export function reportBlocks(r: ProgrammeReport): Block[] {
  const b: Block[] = [];
  const res = r.results;
  const scope = r.scope.kind === 'communes' ? `các xã, phường được phân công (${r.scope.name})` : r.scope.name;
  const running = r.period.asOf < r.period.to;
  const afterPlan = r.targets.asOf >= `${r.plan.periodTo}-12-31`;

  b.push({ t: 'letterhead' });
  b.push({ t: 'title', lines: ['BÁO CÁO', r.title], sub: `Phạm vi: ${scope}. Số liệu tính đến ngày ${d(r.period.asOf)}, tổng hợp tự động từ cơ sở dữ liệu OCOP ngày ${d(r.generatedOn)}.` });
  const basis = [r.plan.documentNumber ? `số ${r.plan.documentNumber}` : null, r.plan.issuedOn ? `ngày ${d(r.plan.issuedOn)}` : null].filter(Boolean).join(' ');
  const by = r.plan.issuingUnit === r.scope.issuer ? '' : ` của ${r.plan.issuingUnit}`;
  b.push({ t: 'p', text: `Thực hiện ${r.plan.title}${basis ? ` (${basis})` : ''}${by}, ${r.scope.issuer} báo cáo kết quả thực hiện Chương trình OCOP ${r.period.label} như sau:` });

  // I.1
  b.push({ t: 'h1', text: HEADINGS.results }, { t: 'h2', text: HEADINGS.byStar });
  const decided = res.newByStar.total + res.reevaluatedByStar.total + res.upgradedByStar.total;
  b.push({ t: 'p', text: `Trong ${r.period.label}${running ? ` (đến ngày ${d(r.period.asOf)})` : ''}, ${scope} có ${n(res.newByStar.total)} sản phẩm được công nhận mới, ${n(res.reevaluatedByStar.total)} sản phẩm được đánh giá lại và ${n(res.upgradedByStar.total)} sản phẩm được nâng hạng sao (${n(decided)} giấy chứng nhận được cấp trong kỳ).` });
  const delta = res.current.total - res.baseline.total;
  const deltaText = delta > 0 ? `tăng ${n(delta)} sản phẩm` : delta < 0 ? `giảm ${n(-delta)} sản phẩm` : 'không thay đổi';
  b.push({ t: 'p', text: `Tính đến ngày ${d(r.period.asOf)}, ${scope} có ${n(res.current.total)} sản phẩm OCOP còn hiệu lực (${deltaText} so với ngày ${d(r.period.baselineDate)}), gồm ${n(res.current.star3)} sản phẩm 3 sao, ${n(res.current.star4)} sản phẩm 4 sao và ${n(res.current.star5)} sản phẩm 5 sao, của ${n(res.producers)} chủ thể.` });
  const starRow = (label: string, s: typeof res.current, bold = false): Row => ({ bold, cells: [label, n(s.star3), n(s.star4), n(s.star5), n(s.total)] });
  b.push({
    t: 'table', caption: 'Bảng 1. Sản phẩm OCOP theo hạng sao',
    cols: [{ header: 'Nội dung', width: 4 }, { header: '3 sao', width: 1, align: 'right' }, { header: '4 sao', width: 1, align: 'right' }, { header: '5 sao', width: 1, align: 'right' }, { header: 'Tổng', width: 1, align: 'right' }],
    rows: [
      starRow(`Còn hiệu lực ngày ${d(r.period.baselineDate)}`, res.baseline),
      starRow('Công nhận mới trong kỳ', res.newByStar), starRow('Đánh giá lại trong kỳ', res.reevaluatedByStar), starRow('Nâng hạng sao trong kỳ', res.upgradedByStar),
      starRow(`Còn hiệu lực ngày ${d(r.period.asOf)}`, res.current, true),
    ],
    note: 'Sản phẩm còn hiệu lực: giấy chứng nhận trong thời hạn (36 tháng), chưa bị thu hồi hoặc thay thế vào ngày xét. Giấy chứng nhận đã bị thu hồi không được tính là công nhận trong kỳ.',
  });

  // I.2
  b.push({ t: 'h2', text: HEADINGS.byGroup });
  if (!r.byGroup.length) b.push({ t: 'p', text: 'Không có sản phẩm OCOP còn hiệu lực vào ngày cuối kỳ.' });
  else {
    const top = [...r.byGroup].sort((a, c) => c.total - a.total)[0];
    b.push({ t: 'p', text: `Sản phẩm OCOP còn hiệu lực thuộc ${n(r.byGroup.length)} ngành sản phẩm; nhiều nhất là ngành ${top.name} với ${n(top.total)} sản phẩm.` });
    b.push({
      t: 'table', caption: 'Bảng 2. Sản phẩm OCOP còn hiệu lực theo ngành, nhóm sản phẩm',
      cols: [{ header: 'Ngành sản phẩm', width: 3.6 }, { header: '3 sao', width: 0.9, align: 'right' }, { header: '4 sao', width: 0.9, align: 'right' }, { header: '5 sao', width: 0.9, align: 'right' }, { header: 'Tổng', width: 0.9, align: 'right' }, { header: 'Được công nhận trong kỳ', width: 1.4, align: 'right' }],
      rows: [
        ...r.byGroup.map((g) => ({ cells: [g.name, n(g.star3), n(g.star4), n(g.star5), n(g.total), n(g.decidedInPeriod)] })),
        { bold: true, cells: ['Tổng cộng', n(res.current.star3), n(res.current.star4), n(res.current.star5), n(res.current.total), n(r.byGroup.reduce((a, g) => a + g.decidedInPeriod, 0))] },
      ],
    });
  }

  // I.3
  b.push({ t: 'h2', text: HEADINGS.byCommune });
  b.push({ t: 'p', text: `Theo đơn vị hành chính cấp xã tại ngày ${d(r.period.asOf)}; sản phẩm đăng ký tại đơn vị cũ được tính cho đơn vị mới sau sắp xếp.` });
  const sumC = (k: 'recognised' | 'star3' | 'star4' | 'star5' | 'newInPeriod' | 'keyProducts' | 'supported') => n(r.byCommune.reduce((a, c) => a + c[k], 0));
  b.push({
    t: 'table', caption: 'Bảng 3. Sản phẩm OCOP theo xã, phường',
    cols: [{ header: 'Xã, phường', width: 2.6 }, { header: 'Còn hiệu lực', width: 1, align: 'right' }, { header: '3 sao', width: 0.8, align: 'right' }, { header: '4 sao', width: 0.8, align: 'right' }, { header: '5 sao', width: 0.8, align: 'right' }, { header: 'Mới trong kỳ', width: 1, align: 'right' }, { header: 'Sản phẩm chủ lực', width: 1, align: 'right' }, { header: 'Được hỗ trợ trong kỳ', width: 1.1, align: 'right' }],
    rows: [
      ...r.byCommune.map((c) => ({ cells: [c.unit.fullName, n(c.recognised), n(c.star3), n(c.star4), n(c.star5), n(c.newInPeriod), n(c.keyProducts), n(c.supported)] })),
      ...(r.byCommune.length > 1 ? [{ bold: true, cells: ['Tổng cộng', sumC('recognised'), sumC('star3'), sumC('star4'), sumC('star5'), sumC('newInPeriod'), sumC('keyProducts'), sumC('supported')] }] : []),
    ],
  });

  // I.4
  b.push({ t: 'h2', text: HEADINGS.producers });
  b.push({ t: 'p', text: `${scope[0].toUpperCase()}${scope.slice(1)} có ${n(res.producers)} chủ thể có sản phẩm OCOP còn hiệu lực tại ngày ${d(r.period.asOf)}; ${n(res.producersNew)} chủ thể có sản phẩm được công nhận mới trong kỳ.` });
  for (const s of res.shares) b.push({ t: 'p', text: `- ${s.name}: ${fmtNum(s.value)} % (${n(s.numerator)}/${n(s.denominator)} sản phẩm).` });

  // I.5
  b.push({ t: 'h2', text: HEADINGS.support });
  const sp = r.support;
  if (!sp.activities) b.push({ t: 'p', text: 'Trong kỳ chưa có hoạt động hỗ trợ nào được ghi nhận là đã hoàn thành.' });
  else {
    b.push({ t: 'p', text: `Trong kỳ đã hoàn thành ${n(sp.activities)} hoạt động hỗ trợ, ${n(sp.productsSupported)} sản phẩm được hỗ trợ nâng cấp, hoàn thiện; kinh phí ${vnd(sp.amountVnd)} triệu đồng.` });
    b.push({
      t: 'table', caption: 'Bảng 4. Hoạt động hỗ trợ đã hoàn thành theo nội dung',
      cols: [{ header: 'Nội dung hỗ trợ', width: 3.6 }, { header: 'Số hoạt động', width: 1, align: 'right' }, { header: 'Số sản phẩm', width: 1, align: 'right' }, { header: 'Kinh phí (triệu đồng)', width: 1.4, align: 'right' }],
      rows: [
        ...sp.byType.map((x) => ({ cells: [x.label, n(x.activities), n(x.products), vnd(x.amountVnd)] })),
        { bold: true, cells: ['Tổng cộng', n(sp.activities), n(sp.productsSupported), vnd(sp.amountVnd)] },
      ],
      note: 'Tổng số sản phẩm không cộng theo nội dung: một sản phẩm có thể được hỗ trợ nhiều nội dung.',
    });
  }

  // I.6
  b.push({ t: 'h2', text: HEADINGS.events });
  const e = r.events;
  if (!e.list.length) b.push({ t: 'p', text: 'Trong kỳ chưa có sự kiện nào được ghi nhận là đã tổ chức.' });
  else {
    b.push({ t: 'p', text: `Trong kỳ đã tổ chức ${n(e.awarenessSessions)} cuộc tuyên truyền, nâng cao nhận thức và ${n(e.eventsHeld)} sự kiện xúc tiến thương mại, đào tạo; ${n(e.attendance)} lượt người tham dự; doanh thu tại sự kiện ${vnd(e.salesVnd)} triệu đồng; ${n(e.contractsSigned)} hợp đồng, thỏa thuận được ký kết.` });
    b.push({
      t: 'table', caption: 'Bảng 5. Sự kiện đã tổ chức trong kỳ',
      cols: [{ header: 'Sự kiện', width: 3 }, { header: 'Loại', width: 1.6 }, { header: 'Thời gian', width: 1.2, align: 'center' }, { header: 'Đơn vị, địa điểm', width: 1.8 }, { header: 'Tham dự', width: 0.8, align: 'right' }, { header: 'Doanh thu (triệu đồng)', width: 1.1, align: 'right' }, { header: 'Hợp đồng', width: 0.8, align: 'right' }],
      rows: e.list.map((x) => ({
        cells: [x.title, x.typeLabel, x.startsOn === x.endsOn ? d(x.startsOn) : `${d(x.startsOn)}–${d(x.endsOn)}`, [x.unitName, x.place].filter(Boolean).join('; '),
          x.attendance === null ? '—' : n(x.attendance), x.salesVnd === null ? '—' : vnd(x.salesVnd), x.contractsSigned === null ? '—' : n(x.contractsSigned)],
      })),
    });
  }

  // I.7
  b.push({ t: 'h2', text: HEADINGS.budget });
  const tot = r.budget.rows[r.budget.rows.length - 1];
  b.push({ t: 'p', text: `${tot.plannedVnd !== null ? `Tổng kinh phí kế hoạch ${vnd(tot.plannedVnd)} triệu đồng. ` : ''}Trong kỳ đã cam kết ${vnd(tot.committedInPeriodVnd)} triệu đồng, giải ngân ${vnd(tot.disbursedInPeriodVnd)} triệu đồng; lũy kế giải ngân đến ngày ${d(r.period.asOf)} là ${vnd(tot.disbursedToDateVnd)} triệu đồng. Chi tiết tại Phụ lục 03.` });
  b.push(budgetTable(r, 'Bảng 6. Kinh phí theo nguồn vốn'));

  // I.8
  b.push({ t: 'h2', text: HEADINGS.targets });
  b.push({ t: 'p', text: `Đối chiếu với các chỉ tiêu của ${r.plan.title.replace(/^Kế hoạch/, 'kế hoạch')} đến ngày ${d(r.targets.asOf)}: ${n(r.targets.onTrack)}/${n(r.targets.measured)} chỉ tiêu đo được ${afterPlan ? 'đạt mục tiêu' : 'đúng hướng theo dự báo cuối kỳ'}${r.scope.kind === 'commune' ? ' (báo cáo cấp xã: số của xã, mục tiêu của cả địa bàn)' : ''}. Chi tiết tại Phụ lục 02.` });

  // II, III
  b.push({ t: 'h1', text: HEADINGS.assessment }, { t: 'h2', text: HEADINGS.general });
  b.push(...officerText(r.assessment.general, '(Cán bộ phụ trách bổ sung đánh giá chung về kết quả đạt được.)'));
  b.push({ t: 'h2', text: HEADINGS.shortcomings });
  b.push(...officerText(r.assessment.shortcomings, '(Cán bộ phụ trách bổ sung những tồn tại, hạn chế và nguyên nhân.)'));
  b.push({ t: 'h1', text: directionsHeading(r) });
  b.push(...officerText(r.assessment.directions, '(Cán bộ phụ trách bổ sung phương hướng, nhiệm vụ và giải pháp trong thời gian tới.)'));
  b.push({ t: 'p', text: `Trên đây là báo cáo kết quả thực hiện Chương trình OCOP ${r.period.label} của ${r.scope.issuer}./.` });
  b.push({ t: 'closing', recipients: ['Nơi nhận:', '- Như trên;', '- Lưu: VT.'], signer: [`TM. ${r.scope.issuer.toUpperCase()}`, '(Ký, ghi rõ họ tên, đóng dấu)'] });

  // Appendices
  const attached = `(Kèm theo Báo cáo kết quả thực hiện Chương trình OCOP ${r.period.label} của ${r.scope.issuer})`;
  b.push({ t: 'section', landscape: true });
  b.push({ t: 'title', lines: [HEADINGS.appendix01, `DANH SÁCH SẢN PHẨM OCOP CÒN HIỆU LỰC ĐẾN NGÀY ${d(r.period.asOf)}`], sub: attached });
  if (r.products.length) b.push(productsTable(r, null));
  else b.push({ t: 'p', text: 'Không có sản phẩm OCOP còn hiệu lực.' });
  b.push({ t: 'section', landscape: true });
  b.push({ t: 'title', lines: [HEADINGS.appendix02, 'KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA KẾ HOẠCH'], sub: attached });
  b.push(targetsTable(r, null));
  b.push({ t: 'section', landscape: true });
  b.push({ t: 'title', lines: [HEADINGS.appendix03, 'KINH PHÍ THỰC HIỆN THEO NGUỒN VỐN'], sub: attached });
  b.push(budgetTable(r, null));
  if (r.budget.entries.length) {
    b.push({
      t: 'table', caption: 'Các khoản cam kết, giải ngân trong kỳ',
      cols: [{ header: 'Ngày', width: 1, align: 'center' }, { header: 'Loại', width: 1 }, { header: 'Nguồn vốn', width: 2.4 }, { header: 'Nội dung', width: 4 }, { header: 'Số tiền (triệu đồng)', width: 1.3, align: 'right' }],
      rows: r.budget.entries.map((x) => ({ cells: [d(x.entryDate), x.kindLabel, x.sourceLabel, x.description, vnd(x.amountVnd)] })),
    });
  }
  return b;
}
