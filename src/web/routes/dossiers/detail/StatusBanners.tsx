import { Alert, Card, Steps, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { fmtPoints } from '../../../components/scoring';
import { Stars } from '../../../components/Stars';
import { actorName, type Dossier, type DossierStatus } from '../../../contract';
import { fmtDateTime } from '../../../format';
import { useI18n } from '../../../i18n';
import { useVocab } from '../../../vocab';

const WORKFLOW: DossierStatus[] = ['draft', 'submitted', 'accepted', 'assigned', 'evaluated', 'recognised'];

function stepOf(s: DossierStatus): number {
  if (s === 'returned') return 1;
  if (s === 'forwarded' || s === 'not_recognised') return 5;
  const i = WORKFLOW.indexOf(s);
  return i < 0 ? 0 : i;
}

/** What the officer asked for when returning the dossier. */
export function AskedAlert({ dossier: d }: { dossier: Dossier }) {
  const { t } = useI18n();
  const lastReturn = [...d.events].reverse().find((e) => e.to === 'returned');
  if (d.status !== 'returned' || !lastReturn) return null;
  return (
    <Alert
      data-testid="dossier-asked"
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      title={t('dossier.askedOfYou')}
      description={
        <>
          {!!lastReturn.reasons?.length && (
            <ul style={{ margin: '4px 0', paddingLeft: 18 }} data-testid="dossier-asked-reasons">
              {lastReturn.reasons.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          )}
          {lastReturn.comment && <div style={{ whiteSpace: 'pre-wrap' }}>{lastReturn.comment}</div>}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {actorName(lastReturn.actor)} · {fmtDateTime(lastReturn.at)}
          </Typography.Text>
        </>
      }
    />
  );
}

/** Where the dossier is: the steps (wide screens) and a sentence. */
export function ProgressCard({ dossier: d, phone }: { dossier: Dossier; phone: boolean }) {
  const { label } = useI18n();
  const v = useVocab();
  return (
    <Card size="small" style={{ marginBottom: 12 }}>
      {/* Phones get the sentence only: six steps stacked would push what is asked below the fold. */}
      {!phone && (
        <Steps
          size="small"
          current={stepOf(d.status)}
          status={d.status === 'returned' || d.status === 'not_recognised' || d.status === 'withdrawn' ? 'error' : d.status === 'recognised' ? 'finish' : 'process'}
          titlePlacement="vertical"
          items={WORKFLOW.map((s, i) => ({
            title: i === 1 && d.status === 'returned' ? v.dossierStatus('returned') : i === 5 && (d.status === 'forwarded' || d.status === 'not_recognised') ? v.dossierStatus(d.status) : v.dossierStatus(s),
          }))}
        />
      )}
      <Typography.Paragraph style={{ margin: phone ? 0 : '8px 0 0' }} data-testid="dossier-where">
        {label('dossierStatusHelp', d.status)}
      </Typography.Paragraph>
    </Card>
  );
}

/** The council's result, with every level the dossier went through. */
export function ResultAlert({ dossier: d }: { dossier: Dossier }) {
  const { t, label, lang } = useI18n();
  if (!d.result) return null;
  return (
    <Alert
      data-testid="dossier-result"
      type={d.status === 'not_recognised' ? 'error' : d.status === 'recognised' || d.result.outcome === 'recognised' ? 'success' : 'info'}
      showIcon
      style={{ marginBottom: 12 }}
      title={
        <span>
          {d.result.outcome ? label('outcome', d.result.outcome) : t('dossier.result')} {d.result.finalStar ? <Stars value={d.result.finalStar} /> : null}
          {d.result.meanScore != null ? ` · ${t('dossier.meanScore', { n: fmtPoints(d.result.meanScore, lang, 2) })}` : ''}
        </span>
      }
      description={
        d.result.reasons?.length || d.levelResults.length > 1 ? (
          <>
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {(d.result.reasons ?? []).map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
            <LevelResults levels={d.levelResults} />
          </>
        ) : undefined
      }
    />
  );
}

/** Every council the dossier went through (commune pre-assessment, province, ministry), oldest first. */
function LevelResults({ levels }: { levels: Dossier['levelResults'] }) {
  const { t, label, lang } = useI18n();
  if (levels.length < 2) return null;
  return (
    <ol style={{ margin: '6px 0 0', paddingLeft: 18 }} data-testid="dossier-levels">
      {levels.map((l) => (
        <li key={l.roundId}>
          <b>{label('roundLevel', l.level)}</b> — <Link to={`/rounds/${l.roundId}`}>{l.roundName}</Link>: {label('outcome', l.outcome)}
          {l.finalStar ? <> · <Stars value={l.finalStar} /></> : null}
          {l.meanScore != null ? ` · ${t('dossier.meanScore', { n: fmtPoints(l.meanScore, lang, 2) })}` : ''}
        </li>
      ))}
    </ol>
  );
}
