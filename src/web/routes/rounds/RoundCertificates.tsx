import { Alert, App, Button, Card, Col, DatePicker, Empty, Form, Input, List, Row, Space, Tag, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router-dom';
import { certificateExpiry, formatViDate } from '../../../shared/certificate-dates';
import { api, ApiError } from '../../api';
import { useShowError } from '../../components/errors';
import { fmtPoints } from '../../components/scoring';
import { Stars } from '../../components/Stars';
import { itemsOf, type Certificate, type RoundCertificateRow } from '../../contract';
import { DATE_FORMAT, toIsoDate } from '../../format';
import { useI18n } from '../../i18n';
import { CertificateLinks } from '../certificates/CertificateList';

interface IssueValues {
  decisionNumber: string;
  decisionDate: Dayjs;
  number?: string;
}

/** "Cấp giấy chứng nhận": after finalisation, one form per recognised product of the round. */
export function RoundCertificates({ roundId, finalisedAt }: { roundId: string; finalisedAt: string | null }) {
  const { t, label, lang } = useI18n();
  const { data, isLoading, error } = useQuery({
    queryKey: ['rounds', roundId, 'certificates'],
    queryFn: async () => itemsOf(await api<RoundCertificateRow[] | { items: RoundCertificateRow[] }>(`/api/rounds/${roundId}/certificates`)),
  });
  const rows = data ?? [];
  const recognised = rows.filter((r) => r.outcome === 'recognised');
  return (
    <Card size="small" title={<span data-testid="round-certificates-title"><SafetyCertificateOutlined /> {t('certificate.issueSection')}</span>} style={{ marginBottom: 16 }} data-testid="round-certificates">
      {error ? (
        <Alert type="info" showIcon title={error instanceof ApiError ? error.problem.title : t('error.unexpected')} description={error instanceof ApiError ? error.problem.detail : undefined} />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('certificate.issueHelp')}</Typography.Paragraph>
          <List
            loading={isLoading}
            dataSource={rows}
            locale={{ emptyText: <Empty description={t('round.noProducts')} /> }}
            renderItem={(r) => (
              <List.Item data-testid="round-certificate-row" data-product={r.productName} style={{ display: 'block' }}>
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
                  <Link to={`/products/${r.productId}`}>
                    <b>{r.productName}</b>
                  </Link>
                  {r.outcome && <Tag color={r.outcome === 'recognised' ? 'green' : r.outcome === 'forwarded' ? 'blue' : 'red'}>{label('outcome', r.outcome)}</Tag>}
                  {r.finalStar ? <Stars value={r.finalStar} /> : null}
                  {r.meanScore != null && <Typography.Text type="secondary">{t('dossier.meanScore', { n: fmtPoints(r.meanScore, lang, 2) })}</Typography.Text>}
                </div>
                {r.certificate ? (
                  <Space wrap style={{ marginTop: 8 }} data-testid="round-certificate-issued">
                    <Tag color="green" icon={<SafetyCertificateOutlined />}>
                      {t('certificate.issuedNumber', { number: r.certificate.number })}
                    </Tag>
                    <CertificateLinks c={{ number: r.certificate.number, pdfUrl: `/api/certificates/${r.certificate.id}/pdf`, verifyUrl: `/xac-thuc/${encodeURIComponent(r.certificate.number)}` }} />
                  </Space>
                ) : r.outcome === 'recognised' && r.mayIssue ? (
                  <IssueForm roundId={roundId} row={r} finalisedAt={finalisedAt} />
                ) : r.outcome === 'recognised' && r.issuingLevel ? (
                  <Alert style={{ marginTop: 8 }} type="info" showIcon data-testid="issue-not-mine" title={t('certificate.issuedByLevel', { level: label('roundLevel', r.issuingLevel).toLowerCase() })} />
                ) : null}
              </List.Item>
            )}
          />
          {!isLoading && rows.length > 0 && recognised.length === 0 && <Alert type="info" showIcon title={t('certificate.noneRecognised')} />}
        </>
      )}
    </Card>
  );
}

function IssueForm({ roundId, row, finalisedAt }: { roundId: string; row: RoundCertificateRow; finalisedAt: string | null }) {
  const { t, label } = useI18n();
  const [form] = Form.useForm<IssueValues>();
  const date = Form.useWatch('decisionDate', form);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const m = useMutation({
    mutationFn: (v: IssueValues) =>
      api<Certificate>('/api/certificates', {
        body: {
          roundId,
          productId: row.productId,
          decisionNumber: v.decisionNumber.trim(),
          decisionDate: toIsoDate(v.decisionDate),
          ...(v.number?.trim() ? { number: v.number.trim() } : {}),
        },
      }),
    onSuccess: (c) => {
      message.success(t('certificate.issued', { number: c.number }));
      qc.invalidateQueries({ queryKey: ['rounds', roundId, 'certificates'] });
      qc.invalidateQueries({ queryKey: ['certificates'] });
      qc.invalidateQueries({ queryKey: ['products'] });
      qc.invalidateQueries({ queryKey: ['dossiers'] });
    },
    onError: (e) => showError(e, form),
  });
  const iso = toIsoDate(date);
  return (
    <Form form={form} layout="vertical" initialValues={{ decisionDate: dayjs() }} onFinish={(v) => m.mutate(v)} style={{ marginTop: 8, background: '#fafafa', padding: '8px 12px', borderRadius: 6 }} data-testid="issue-form">
      <Row gutter={12} align="bottom">
        <Col xs={24} sm={12} lg={5}>
          <Form.Item name="decisionNumber" label={t('certificate.decisionNumber')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
            <Input data-testid="issue-decision-number" maxLength={100} placeholder="123/QĐ-UBND" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={5}>
          <Form.Item name="decisionDate" label={t('certificate.decisionDate')} rules={[{ required: true, message: t('form.required') }]} extra={iso ? t('certificate.validUntil', { date: formatViDate(certificateExpiry(iso)) }) : undefined}>
            <DatePicker
              data-testid="issue-decision-date"
              format={DATE_FORMAT}
              style={{ width: '100%' }}
              // The decision follows the council: not before the round was finalised.
              disabledDate={(d) => !!finalisedAt && d.isBefore(dayjs(finalisedAt), 'day')}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={7}>
          <Form.Item label={t('certificate.issuingAuthority')} extra={t('certificate.issuerFromProcedure')}>
            <Typography.Text data-testid="issue-level">{row.issuingLevel ? t('certificate.issuerOfLevel', { level: label('roundLevel', row.issuingLevel).toLowerCase() }) : '—'}</Typography.Text>
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={4}>
          <Form.Item name="number" label={t('certificate.numberOptional')}>
            <Input data-testid="issue-number" maxLength={60} placeholder={t('certificate.numberAuto')} />
          </Form.Item>
        </Col>
        <Col xs={24} lg={3}>
          <Form.Item>
            <Button data-testid="issue-submit" type="primary" htmlType="submit" loading={m.isPending} block icon={<SafetyCertificateOutlined />}>
              {t('certificate.issue')}
            </Button>
          </Form.Item>
        </Col>
      </Row>
    </Form>
  );
}
