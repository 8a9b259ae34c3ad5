import { Alert, Card, Col, Result, Row, Table, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { ZSelfAssessment } from '../../../server/modules/evaluation/schema';
import { DEFAULT_STAR_BANDS, scoreSheet, starOfScore, type Answers } from '../../../shared/criteria';
import { api, ApiError } from '../../api';
import { useShowError } from '../../components/errors';
import { PageSpinner } from '../../components/PageSpinner';
import { CriteriaScorer, DemoBanner, fmtPoints, SaveIndicator, ScoreSummary, ScorerModeSwitch, useAutosave, useScorerMode, type Notes } from '../../components/scoring';
import { Stars } from '../../components/Stars';
import { fmtDateTime } from '../../format';
import { useI18n } from '../../i18n';

type Self = z.infer<typeof ZSelfAssessment>;

/** A producer scores its own product with the criteria in force; the plan says what would move it up a star. */
export function SelfAssessment({ productId, editable }: { productId: string; editable: boolean }) {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const showError = useShowError();
  const key = ['products', productId, 'self-assessment'];
  const { data, isLoading, error } = useQuery({ queryKey: key, queryFn: () => api<Self>(`/api/products/${productId}/self-assessment`), staleTime: Infinity });
  const [answers, setAnswers] = useState<Answers>({});
  const [notes, setNotes] = useState<Notes>({});
  const [loaded, setLoaded] = useState(false);
  const [mode, setMode] = useScorerMode();

  useEffect(() => {
    if (data && !loaded) {
      setAnswers(data.answers);
      setNotes(data.notes);
      setLoaded(true);
    }
  }, [data, loaded]);

  const autosave = useAutosave<{ answers: Answers; notes: Notes }>(
    async (v) => {
      const saved = await api<Self>(`/api/products/${productId}/self-assessment`, { method: 'PUT', body: v });
      // Keep the local answers (the user may have changed more meanwhile); take the plan from the server.
      qc.setQueryData(key, saved);
    },
    1000,
    (e) => showError(e),
  );

  if (isLoading) return <PageSpinner />;
  if (error || !data) {
    return <Result status="info" title={error instanceof ApiError ? error.problem.title : t('error.notFound')} subTitle={error instanceof ApiError ? error.problem.detail : undefined} />;
  }

  // Running total and star locally; the plan from the last save.
  const local = scoreSheet(data.sheet.doc, answers);
  const localStar = starOfScore(local.total, DEFAULT_STAR_BANDS);
  const star = local.total === data.total ? data.star : localStar;

  return (
    <div data-testid="self-assessment">
      <DemoBanner show={data.sheet.isDemo} />
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap', marginBottom: 8 }}>
        <Typography.Text type="secondary">
          {data.sheet.setName} · {data.sheet.title}
        </Typography.Text>
        <ScorerModeSwitch mode={mode} onChange={setMode} />
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <ScoreSummary
            sticky
            doc={data.sheet.doc}
            answers={answers}
            star={star}
            title={t('self.title')}
            subtitle={data.updatedAt ? t('self.updatedAt', { at: fmtDateTime(data.updatedAt) }) : t('self.notStarted')}
            right={editable ? <SaveIndicator status={autosave.status} savedAt={autosave.savedAt} stored={!!data.updatedAt} /> : <Tag>{t('self.readOnly')}</Tag>}
          />
          {loaded && (
            <CriteriaScorer
              doc={data.sheet.doc}
              answers={answers}
              notes={notes}
              readOnly={!editable}
              mode={mode}
              onChange={(a, n) => {
                setAnswers(a);
                setNotes(n);
                autosave.schedule({ answers: a, notes: n });
              }}
            />
          )}
        </Col>
        <Col xs={24} lg={9}>
          <Card size="small" title={t('self.nextStar')} data-testid="self-plan" style={{ position: 'sticky', top: 76 }}>
            <div style={{ marginBottom: 8 }}>
              <Stars value={data.star} /> <b>{fmtPoints(data.total, lang)}</b> {t('self.points')}
              {autosave.status === 'dirty' || autosave.status === 'saving' ? <Tag style={{ marginInlineStart: 6 }}>{t('self.planUpdating')}</Tag> : null}
            </div>
            {data.nextStar === null ? (
              <Alert type="success" showIcon title={t('self.topStar')} />
            ) : (
              <>
                <Typography.Paragraph style={{ marginBottom: 8 }}>
                  {t('self.toNextStar', { star: data.nextStar, n: fmtPoints(data.pointsToNextStar ?? 0, lang) })}
                  {!data.reachable && (
                    <Tag color="orange" style={{ marginInlineStart: 6 }}>
                      {t('self.notReachable')}
                    </Tag>
                  )}
                </Typography.Paragraph>
                {data.missing.length > 0 && <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t('self.missingN', { n: data.missing.length })} />}
                <Table
                  size="small"
                  rowKey="code"
                  pagination={false}
                  dataSource={data.plan}
                  locale={{ emptyText: t('common.none') }}
                  columns={[
                    {
                      title: t('self.criterion'),
                      render: (_, g) => (
                        <>
                          <b>{g.code}</b> {g.title}
                          <div style={{ fontSize: 12, color: '#1f6f43' }}>→ {g.bestOption}</div>
                        </>
                      ),
                    },
                    {
                      title: t('self.points'),
                      width: 90,
                      render: (_, g) => (
                        <span style={{ whiteSpace: 'nowrap' }}>
                          {fmtPoints(g.current, lang)} → <b>{fmtPoints(g.best, lang)}</b>
                        </span>
                      ),
                    },
                  ]}
                />
              </>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
