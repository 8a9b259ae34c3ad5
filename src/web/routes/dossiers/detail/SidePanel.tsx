import { Alert, Button, Card, Empty, List, Space, Tag, Timeline, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { PRE_ASSESSMENT_ITEMS } from '../../../../shared/dossier';
import { useMe } from '../../../auth';
import { fmtPoints } from '../../../components/scoring';
import { Stars } from '../../../components/Stars';
import { actorName, type Dossier, type DossierEvent, type DossierStatus } from '../../../contract';
import { fmtDateTime } from '../../../format';
import { useI18n } from '../../../i18n';
import { canViewSelfAssessment } from '../../../permissions';
import { useVocab } from '../../../vocab';
import { offers } from './WorkflowActions';

const EVENT_COLOR: Partial<Record<DossierStatus, string>> = { returned: 'orange', recognised: 'green', not_recognised: 'red', withdrawn: 'gray', accepted: 'green', forwarded: 'blue' };

/** The producer's self-assessment behind the dossier. */
export function SelfAssessmentCard({ dossier: d }: { dossier: Dossier }) {
  const { t, lang } = useI18n();
  const me = useMe();
  return (
    <Card size="small" title={t('dossier.section.self')} data-testid="dossier-self">
      {d.selfAssessment && d.selfAssessment.updatedAt ? (
        <Space wrap>
          <span>
            <Stars value={d.selfAssessment.star} /> <b>{fmtPoints(d.selfAssessment.total, lang)}</b> {t('self.points')}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('self.updatedAt', { at: fmtDateTime(d.selfAssessment.updatedAt) })}
          </Typography.Text>
        </Space>
      ) : (
        <Alert type="warning" showIcon title={t('dossier.self.none')} />
      )}
      {canViewSelfAssessment(me, d.producer.id) && (
        <div style={{ marginTop: 8 }}>
          <Link to={`/products/${d.product.id}?tab=self`} data-testid="dossier-self-link">
            {t('dossier.self.open')}
          </Link>
        </div>
      )}
    </Card>
  );
}

/** The commune's pre-assessment report on the four local criteria (148 + 1489). */
export function PreAssessmentCard({ dossier: d, onPreAssess }: { dossier: Dossier; onPreAssess: () => void }) {
  const { t } = useI18n();
  const v = useVocab();
  if (!d.preAssessmentRequired) return null;
  return (
    <Card
      size="small"
      title={t('dossier.section.pre')}
      data-testid="dossier-pre"
      extra={
        offers(d, 'preAssess') && (
          <Button size="small" onClick={() => onPreAssess()}>
            {d.preAssessment ? t('common.edit') : t('dossier.pre.write')}
          </Button>
        )
      }
    >
      {d.preAssessment ? (
        <>
          <List
            size="small"
            dataSource={[...PRE_ASSESSMENT_ITEMS]}
            renderItem={(k) => {
              const it = d.preAssessment!.items[k];
              return (
                <List.Item>
                  <span>
                    {it?.met ? <Tag color="green">{t('dossier.pre.met')}</Tag> : <Tag color="red">{t('dossier.pre.notMet')}</Tag>} {v.preAssessment(k)}
                    {it?.note && <div style={{ fontSize: 12, color: '#666' }}>{it.note}</div>}
                  </span>
                </List.Item>
              );
            }}
          />
          <div style={{ marginTop: 8 }}>
            {d.preAssessment.formatChecked ? <Tag color="green">{t('dossier.pre.formatOk')}</Tag> : <Tag color="orange">{t('dossier.pre.formatNotChecked')}</Tag>}
          </div>
          <Typography.Paragraph style={{ marginTop: 8, whiteSpace: 'pre-wrap' }}>
            <b>{t('dossier.pre.conclusion')}:</b> {d.preAssessment.conclusion}
          </Typography.Paragraph>
        </>
      ) : (
        <Typography.Text type="secondary">{t('dossier.pre.none')}</Typography.Text>
      )}
    </Card>
  );
}

/** Every move of the dossier, oldest first. */
export function TimelineCard({ dossier: d }: { dossier: Dossier }) {
  const { t } = useI18n();
  const v = useVocab();
  const events = [...d.events].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <Card size="small" title={t('dossier.section.timeline')} data-testid="dossier-timeline">
      {events.length === 0 ? <Empty description={t('common.none')} /> : <Timeline items={events.map((e) => timelineItem(e, v.dossierStatus, t))} />}
    </Card>
  );
}


function timelineItem(e: DossierEvent, statusLabel: (s: string) => string, t: ReturnType<typeof useI18n>['t']) {
  return {
    key: String(e.id),
    color: EVENT_COLOR[e.to] ?? 'blue',
    content: (
      <div data-testid="timeline-event" data-to={e.to}>
        <div>
          {e.from ? (
            <>
              <Typography.Text type="secondary">{statusLabel(e.from)}</Typography.Text> → <b>{statusLabel(e.to)}</b>
            </>
          ) : (
            <b>{t('dossier.event.created', { status: statusLabel(e.to) })}</b>
          )}
        </div>
        <div style={{ fontSize: 12, color: '#666' }}>
          {actorName(e.actor)} · {fmtDateTime(e.at)}
        </div>
        {!!e.reasons?.length && (
          <ul style={{ margin: '2px 0', paddingLeft: 18, fontSize: 13 }}>
            {e.reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        )}
        {e.comment && <div style={{ fontSize: 13, whiteSpace: 'pre-wrap' }}>“{e.comment}”</div>}
      </div>
    ),
  };
}
