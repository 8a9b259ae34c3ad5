import { App, Button, Card, Col, DatePicker, Form, Input, Row, Segmented, Select, Space, Statistic, Tag, Typography } from 'antd';
import { FileExcelOutlined, FilePdfOutlined, FileWordOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import type { ZPlanSummary } from '../../../server/modules/programme/schema';
import type { ProgrammeReport, ReportAssessment, ReportFormat } from '../../../server/modules/programme/report-schema';
import { api, ApiError, getCsrfToken, toQuery, type Problem } from '../../api';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { useIsPhone } from '../../components/hooks';
import { fmtDate, toIsoDate, thisYear } from '../../format';
import { useI18n } from '../../i18n';

type PlanSummary = z.infer<typeof ZPlanSummary>;
type Choice = { planId: string; kind: 'year' | 'range'; year: number; range: [Dayjs, Dayjs] | null; communeUnitId: number | null };
const EMPTY: ReportAssessment = { general: null, shortcomings: null, directions: null };
const draftKey = (c: Choice) => `ocop.report.draft.${c.planId}`;

/** The period and unit of the request, as the API reads them (query string or body). */
function periodOf(c: Choice): { year?: number; from?: string; to?: string; communeUnitId?: number } {
  const out = c.kind === 'year' ? { year: c.year } : c.range ? { from: toIsoDate(c.range[0])!, to: toIsoDate(c.range[1])! } : {};
  return c.communeUnitId ? { ...out, communeUnitId: c.communeUnitId } : out;
}

/** RFC 5987 name first (Vietnamese), then the ASCII fallback. */
function fileNameOf(disposition: string | null, fallback: string) {
  const star = disposition?.match(/filename\*=UTF-8''([^;]+)/i);
  if (star) return decodeURIComponent(star[1]);
  return disposition?.match(/filename="([^"]+)"/i)?.[1] ?? fallback;
}

/** POSTs the request (the officer's text may be long) and saves the answer as a file through a temporary link. */
async function downloadReport(planId: string, format: ReportFormat, body: unknown, lang: string) {
  const res = await fetch(`/api/programme/plans/${planId}/report/${format}`, {
    method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', accept: '*/*', 'accept-language': lang, ...(getCsrfToken() ? { 'x-csrf-token': getCsrfToken()! } : {}) },
  });
  if (!res.ok) {
    const p = (await res.json().catch(() => ({}))) as Partial<Problem>;
    throw new ApiError({ ...p, title: p.title ?? `${res.status} ${res.statusText}`, status: p.status ?? res.status });
  }
  const name = fileNameOf(res.headers.get('content-disposition'), `bao-cao.${format}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return name;
}

function Preview({ r }: { r: ProgrammeReport }) {
  const { t } = useI18n();
  const res = r.results;
  const tot = r.budget.rows[r.budget.rows.length - 1];
  const items: { key: string; title: string; value: number | string; extra?: string }[] = [
    { key: 'recognised', title: t('report.recognised'), value: res.current.total, extra: t('report.stars', { a: res.current.star3, b: res.current.star4, c: res.current.star5 }) },
    { key: 'decided', title: t('report.decided'), value: res.newByStar.total + res.reevaluatedByStar.total + res.upgradedByStar.total, extra: t('report.decidedDetail', { a: res.newByStar.total, b: res.reevaluatedByStar.total, c: res.upgradedByStar.total }) },
    { key: 'producers', title: t('report.producers'), value: res.producers },
    { key: 'supported', title: t('report.supported'), value: r.support.productsSupported },
    { key: 'events', title: t('report.events'), value: r.events.awarenessSessions + r.events.eventsHeld },
    { key: 'disbursed', title: t('report.disbursed'), value: (tot.disbursedInPeriodVnd / 1_000_000).toLocaleString('vi-VN', { maximumFractionDigits: 3 }) },
    { key: 'targets', title: t('report.targetsOnTrack'), value: `${r.targets.onTrack}/${r.targets.measured}` },
  ];
  return (
    <Card
      data-testid="report-preview" size="small"
      title={<Typography.Text strong style={{ whiteSpace: 'normal' }}>{r.title}</Typography.Text>}
    >
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Space wrap size={[8, 4]}>
          <Tag color="green" data-testid="report-scope" style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>{r.scope.name}</Tag>
          <Typography.Text type="secondary">{t('programme.asOf', { n: fmtDate(r.period.asOf) })}</Typography.Text>
        </Space>
        <Row gutter={[12, 12]}>
          {items.map((x) => (
            <Col xs={12} md={8} xl={6} key={x.key}>
              <Statistic title={x.title} value={x.value} data-testid={`report-stat-${x.key}`} valueStyle={{ fontSize: 22 }} />
              {x.extra && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{x.extra}</Typography.Text>}
            </Col>
          ))}
        </Row>
      </Space>
    </Card>
  );
}

export default function ReportPage() {
  const { t, lang } = useI18n();
  const phone = useIsPhone();
  const showError = useShowError();
  const { message } = App.useApp();
  const plans = useQuery({ queryKey: ['programme-plans'], queryFn: () => api<PlanSummary[]>('/api/programme/plans') });
  const [choice, setChoice] = useState<Choice | null>(null);
  const [text, setText] = useState<ReportAssessment>(EMPTY);
  const [busy, setBusy] = useState<ReportFormat | null>(null);
  // The range's ends as picked, before both are there.
  const [from, setFrom] = useState<Dayjs | null>(null);
  const [to, setTo] = useState<Dayjs | null>(null);

  // The plan in force this year by default (else the latest), and its year that contains today.
  useEffect(() => {
    if (choice || !plans.data?.length) return;
    const y = thisYear();
    const p = plans.data.find((x) => x.status === 'in_force' && x.periodFrom <= y && x.periodTo >= y)
      ?? [...plans.data].filter((x) => x.status !== 'draft').sort((a, b) => b.periodTo - a.periodTo)[0] ?? plans.data[0];
    setChoice({ planId: p.id, kind: 'year', year: Math.min(Math.max(y, p.periodFrom), p.periodTo), range: null, communeUnitId: null });
  }, [plans.data, choice]);

  // The officer's text is a draft kept in this browser per plan (never on the server).
  useEffect(() => {
    if (!choice) return;
    try {
      setText({ ...EMPTY, ...JSON.parse(localStorage.getItem(draftKey(choice)) ?? '{}') });
    } catch {
      setText(EMPTY);
    }
  }, [choice?.planId]); // eslint-disable-line react-hooks/exhaustive-deps
  const saveText = (patch: Partial<ReportAssessment>) => {
    const next = { ...text, ...patch };
    setText(next);
    try {
      if (choice) localStorage.setItem(draftKey(choice), JSON.stringify(next));
    } catch {
      /* storage blocked */
    }
  };

  const plan = plans.data?.find((p) => p.id === choice?.planId);
  const period = choice ? periodOf(choice) : null;
  const ready = !!choice && (choice.kind === 'year' || !!choice.range);
  const preview = useQuery({
    queryKey: ['programme-report', choice?.planId, period],
    enabled: ready,
    placeholderData: keepPreviousData,
    queryFn: () => api<ProgrammeReport>(`/api/programme/plans/${choice!.planId}/report${toQuery(period!)}`),
  });
  useEffect(() => {
    if (preview.error) showError(preview.error);
  }, [preview.error]); // eslint-disable-line react-hooks/exhaustive-deps

  const years = useMemo(() => {
    if (!plan) return [];
    const last = Math.min(plan.periodTo, thisYear());
    return Array.from({ length: Math.max(0, last - plan.periodFrom + 1) }, (_, i) => last - i);
  }, [plan]);

  if (plans.data && plans.data.length === 0) return <Card>{t('report.noPlan')}</Card>;
  if (!choice || !plan) return <Card loading />;

  // The communes of a period are those of its last day (they change with reorganisations): a new period starts unnarrowed.
  const update = (patch: Partial<Choice>) => setChoice({ ...choice, ...('communeUnitId' in patch ? {} : { communeUnitId: null }), ...patch });
  const download = async (format: ReportFormat) => {
    setBusy(format);
    try {
      const name = await downloadReport(choice.planId, format, { ...period, assessment: text }, lang);
      message.success(t('report.downloaded', { n: name }));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };
  const r = preview.data;
  const field = (key: keyof ReportAssessment, label: string) => (
    <Form.Item label={label} style={{ marginBottom: 12 }}>
      <Input.TextArea
        data-testid={`report-${key}`} value={text[key] ?? ''} maxLength={20_000} autoSize={{ minRows: 3, maxRows: 12 }}
        onChange={(e) => saveText({ [key]: e.target.value || null })}
      />
    </Form.Item>
  );

  return (
    <div data-testid="report-page">
      <PageHeader title={t('report.title')} />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card size="small">
          <Form layout="vertical">
            <Form.Item label={t('programme.plan')} style={{ marginBottom: 12 }}>
              <Select
                data-testid="report-plan" value={choice.planId} style={{ width: '100%' }} popupMatchSelectWidth={phone ? false : undefined}
                onChange={(planId) => {
                  const p = plans.data!.find((x) => x.id === planId)!;
                  setChoice({ planId, kind: 'year', year: Math.min(Math.max(thisYear(), p.periodFrom), p.periodTo), range: null, communeUnitId: null });
                  setFrom(null);
                  setTo(null);
                }}
                options={plans.data!.map((x) => ({ value: x.id, label: `${x.title} (${x.periodFrom}–${x.periodTo})` }))}
              />
            </Form.Item>
            <Row gutter={12}>
              <Col xs={24} md={12} lg={8}>
                <Form.Item label={t('report.period')} style={{ marginBottom: 12 }}>
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Segmented<'year' | 'range'>
                      data-testid="report-period-kind" value={choice.kind} onChange={(kind) => update({ kind })}
                      options={[{ value: 'year', label: t('report.periodKind.year') }, { value: 'range', label: t('report.periodKind.range') }]}
                    />
                    {choice.kind === 'year' ? (
                      <Select data-testid="report-year" value={choice.year} onChange={(year) => update({ year })} style={{ width: 140 }}
                        options={years.map((y) => ({ value: y, label: String(y) }))} />
                    ) : (
                      // Two single pickers, not a RangePicker: its two-month popup does not fit a phone.
                      <Space wrap>
                        <DatePicker
                          data-testid="report-from" format="DD/MM/YYYY" value={from} placeholder={t('report.from')} allowClear={false}
                          onChange={(v) => { setFrom(v); update({ range: v && to && !v.isAfter(to) ? [v, to] : null }); }}
                        />
                        <DatePicker
                          data-testid="report-to" format="DD/MM/YYYY" value={to} placeholder={t('report.to')} allowClear={false}
                          disabledDate={(d) => !!from && d.isBefore(from, 'day')}
                          onChange={(v) => { setTo(v); update({ range: from && v && !from.isAfter(v) ? [from, v] : null }); }}
                        />
                      </Space>
                    )}
                  </Space>
                </Form.Item>
              </Col>
              <Col xs={24} md={12} lg={8}>
                <Form.Item label={t('report.commune')} style={{ marginBottom: 12 }}>
                  <Select
                    data-testid="report-commune" allowClear showSearch optionFilterProp="label" value={choice.communeUnitId ?? undefined} style={{ width: '100%' }}
                    placeholder={r?.scope.kind === 'communes' ? t('report.myCommunes') : t('report.wholeArea')}
                    onChange={(v) => update({ communeUnitId: v ?? null })}
                    options={(r?.communeOptions ?? []).map((c) => ({ value: c.id, label: c.fullName }))}
                  />
                </Form.Item>
              </Col>
            </Row>
          </Form>
        </Card>

        {!ready ? <Card size="small">{t('report.rangeRequired')}</Card> : r ? <Preview r={r} /> : <Card loading />}

        <Card size="small" title={<span style={{ whiteSpace: 'normal' }}>{t('report.assessment')}</span>}>
          <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>{t('report.assessmentHelp')}</Typography.Paragraph>
          <Form layout="vertical">
            {field('general', t('report.general'))}
            {field('shortcomings', t('report.shortcomings'))}
            {field('directions', t('report.directions'))}
          </Form>
          <Space wrap style={{ width: '100%' }} direction={phone ? 'vertical' : 'horizontal'}>
            <Button type="primary" icon={<FileWordOutlined />} block={phone} loading={busy === 'docx'} disabled={!ready || !!busy} data-testid="report-download-docx" onClick={() => download('docx')}>
              {t('report.download.docx')}
            </Button>
            <Button icon={<FilePdfOutlined />} block={phone} loading={busy === 'pdf'} disabled={!ready || !!busy} data-testid="report-download-pdf" onClick={() => download('pdf')}>
              {t('report.download.pdf')}
            </Button>
            <Button icon={<FileExcelOutlined />} block={phone} loading={busy === 'xlsx'} disabled={!ready || !!busy} data-testid="report-download-xlsx" onClick={() => download('xlsx')}>
              {t('report.download.xlsx')}
            </Button>
          </Space>
        </Card>
      </Space>
    </div>
  );
}
