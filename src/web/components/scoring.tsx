import { Alert, Button, Collapse, Input, Progress, Segmented, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, LeftOutlined, RightOutlined } from '@ant-design/icons';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { nodeMax, scoreSheet, type Answers, type CriteriaNode, type CriteriaSheetDoc } from '../../shared/criteria';
import { fmtDateTime } from '../format';
import { useI18n, type Lang } from '../i18n';
import { useIsPhone } from './hooks';
import { Stars } from './Stars';

/** Points with the language's decimal mark: 100,00 (vi) / 100.00 (en); `digits` fixed, else up to 2. */
export function fmtPoints(v: number | null | undefined, lang: Lang, digits?: number): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US', { minimumFractionDigits: digits ?? 0, maximumFractionDigits: digits ?? 2 });
}

export type Notes = Record<string, string>;

/** A leaf criterion with where it sits (part, section) and its position in the sheet. */
export interface LeafRef {
  node: CriteriaNode;
  path: CriteriaNode[];
  index: number;
}

export function leafRefs(doc: CriteriaSheetDoc): LeafRef[] {
  const out: LeafRef[] = [];
  const walk = (n: CriteriaNode, path: CriteriaNode[]) => {
    if (!n.children?.length) {
      if (path.length) out.push({ node: n, path, index: out.length });
      return;
    }
    n.children.forEach((c) => walk(c, [...path, n]));
  };
  doc.parts.forEach((p) => walk(p, []));
  return out;
}

// ------------------------------------------------------------------ autosave

export type SaveStatus = 'clean' | 'dirty' | 'saving' | 'saved' | 'error';

/**
 * Debounced saving: `schedule(v)` keeps the latest value and saves it `delay` ms after the last change;
 * `flush()` saves now (and waits for a save in flight) — call it before submitting or leaving.
 */
export function useAutosave<T>(save: (v: T) => Promise<unknown>, delay = 1000, onError?: (e: unknown) => void) {
  const [status, setStatus] = useState<SaveStatus>('clean');
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const pending = useRef<{ v: T } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inflight = useRef<Promise<void> | null>(null);
  const saveRef = useRef(save);
  const errRef = useRef(onError);
  saveRef.current = save;
  errRef.current = onError;

  const run = useCallback(async (): Promise<void> => {
    clearTimeout(timer.current);
    while (inflight.current) await inflight.current;
    const next = pending.current;
    if (!next) return;
    pending.current = null;
    setStatus('saving');
    const p = (async () => {
      try {
        await saveRef.current(next.v);
        if (pending.current) setStatus('dirty');
        else {
          setStatus('saved');
          setSavedAt(new Date().toISOString());
        }
      } catch (e) {
        pending.current ??= next;
        setStatus('error');
        errRef.current?.(e);
        throw e;
      }
    })();
    inflight.current = p.then(
      () => undefined,
      () => undefined,
    );
    try {
      await p;
    } finally {
      inflight.current = null;
    }
  }, []);

  const schedule = useCallback(
    (v: T) => {
      pending.current = { v };
      setStatus('dirty');
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void run().catch(() => undefined), delay);
    },
    [delay, run],
  );

  /** Drops what was not saved yet (e.g. the sheet was submitted with those answers anyway). */
  const cancel = useCallback(() => {
    clearTimeout(timer.current);
    pending.current = null;
  }, []);

  useEffect(() => () => clearTimeout(timer.current), []);
  // Leaving the page with unsaved answers: the browser asks first.
  useEffect(() => {
    const h = (e: BeforeUnloadEvent) => {
      if (pending.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', h);
    return () => window.removeEventListener('beforeunload', h);
  }, []);

  return { status, savedAt, schedule, flush: run, cancel, setSavedAt, setStatus };
}

export function SaveIndicator({ status, savedAt, stored }: { status: SaveStatus; savedAt: string | null; stored?: boolean }) {
  const { t } = useI18n();
  const text =
    status === 'saving'
      ? t('score.saving')
      : status === 'dirty'
        ? t('score.unsaved')
        : status === 'error'
          ? t('score.saveFailed')
          : savedAt
            ? t('score.savedAt', { at: fmtDateTime(savedAt).slice(11) || fmtDateTime(savedAt) })
            : stored
              ? t('common.saved')
              : t('score.notSavedYet');
  const color = status === 'error' ? 'red' : status === 'saving' ? 'blue' : status === 'dirty' ? 'orange' : savedAt || stored ? 'green' : 'default';
  return (
    <Tag data-testid="save-state" data-status={status} color={color} style={{ marginInlineEnd: 0 }}>
      {text}
    </Tag>
  );
}

// ------------------------------------------------------------------ summary header

export function ScoreSummary({
  doc,
  answers,
  title,
  subtitle,
  star,
  right,
  sticky,
}: {
  doc: CriteriaSheetDoc;
  answers: Answers;
  title: ReactNode;
  subtitle?: ReactNode;
  star?: number | null;
  right?: ReactNode;
  sticky?: boolean;
}) {
  const { t, lang } = useI18n();
  const s = useMemo(() => scoreSheet(doc, answers), [doc, answers]);
  const total = doc.parts.reduce((x, p) => x + nodeMax(p), 0);
  const answered = s.missing.length;
  const count = Object.keys(s.byCriterion).length;
  return (
    <div
      data-testid="score-summary"
      style={{
        position: sticky ? 'sticky' : undefined,
        top: sticky ? 64 : undefined,
        zIndex: 5,
        background: '#fff',
        border: '1px solid #e6e6e6',
        borderRadius: 8,
        padding: '8px 12px',
        marginBottom: 12,
        boxShadow: sticky ? '0 2px 6px rgba(0,0,0,0.06)' : undefined,
      }}
    >
      <div style={{ display: 'flex', alignItems: 'flex-start', gap: 8, flexWrap: 'wrap' }}>
        <div style={{ flex: '1 1 180px', minWidth: 0 }}>
          <Typography.Text strong style={{ fontSize: 16, display: 'block' }} ellipsis>
            {title}
          </Typography.Text>
          {subtitle && (
            <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }} ellipsis>
              {subtitle}
            </Typography.Text>
          )}
        </div>
        <div style={{ textAlign: 'right' }}>
          <span data-testid="score-total" style={{ fontSize: 22, fontWeight: 700, color: '#1f6f43' }}>
            {fmtPoints(s.total, lang)}
          </span>
          <span style={{ color: '#888' }}> / {fmtPoints(total, lang)}</span>
          {star !== undefined && (
            <div>
              <Stars value={star} />
            </div>
          )}
        </div>
      </div>
      <div style={{ display: 'flex', alignItems: 'center', gap: 6, flexWrap: 'wrap', marginTop: 4 }}>
        {doc.parts.map((p) => (
          <Tag key={p.code} data-testid={`part-total-${p.code}`} style={{ marginInlineEnd: 0 }} title={p.title}>
            {p.code}: <b>{fmtPoints(s.parts[p.code] ?? 0, lang)}</b>/{fmtPoints(nodeMax(p), lang)}
          </Tag>
        ))}
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="score-progress">
          {t('score.answeredN', { n: count - answered, total: count })}
        </Typography.Text>
        <div style={{ flex: 1 }} />
        {right}
      </div>
    </div>
  );
}

// ------------------------------------------------------------------ criteria

interface CriterionProps {
  leaf: LeafRef;
  value: number | undefined;
  note: string;
  readOnly?: boolean;
  missing?: boolean;
  showPath?: boolean;
  onPick: (code: string, idx: number) => void;
  onNote: (code: string, note: string) => void;
}

const Criterion = memo(function Criterion({ leaf, value, note, readOnly, missing, showPath, onPick, onNote }: CriterionProps) {
  const { t, lang } = useI18n();
  const n = leaf.node;
  const [noteOpen, setNoteOpen] = useState(!!note);
  const max = nodeMax(n);
  return (
    <div
      data-testid={`crit-${n.code}`}
      data-code={n.code}
      id={`crit-${n.code}`}
      style={{ border: `1px solid ${missing ? '#ff7875' : '#eee'}`, borderRadius: 8, padding: 10, marginBottom: 10, background: '#fff' }}
    >
      {showPath && (
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
          {leaf.path.map((p) => `${p.code}. ${p.title}`).join(' › ')}
        </Typography.Text>
      )}
      <div style={{ display: 'flex', gap: 8, alignItems: 'baseline', marginBottom: 6 }}>
        <Typography.Text strong style={{ flex: 1 }}>
          {value !== undefined && <CheckCircleFilled style={{ color: '#1f6f43', marginInlineEnd: 6 }} />}
          {n.code}. {n.title}
          {n.mandatoryFromStar ? (
            <Tag color="purple" style={{ marginInlineStart: 6 }}>
              {t('criteria.mandatoryFrom', { n: n.mandatoryFromStar })}
            </Tag>
          ) : null}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap', fontSize: 12 }}>
          {t('criteria.maxN', { n: fmtPoints(max, lang) })}
        </Typography.Text>
      </div>
      <div role="radiogroup" aria-label={`${n.code} ${n.title}`} style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
        {(n.options ?? []).map((o, i) => {
          const checked = value === i;
          return (
            <button
              key={i}
              type="button"
              role="radio"
              aria-checked={checked}
              disabled={readOnly}
              data-testid={`opt-${n.code}-${i}`}
              data-points={o.points}
              onClick={() => !readOnly && onPick(n.code, i)}
              style={{
                display: 'flex',
                alignItems: 'center',
                gap: 10,
                width: '100%',
                minHeight: 44,
                padding: '8px 10px',
                textAlign: 'left',
                font: 'inherit',
                borderRadius: 8,
                cursor: readOnly ? 'default' : 'pointer',
                border: `2px solid ${checked ? '#1f6f43' : '#d9d9d9'}`,
                background: checked ? '#e3f1e8' : readOnly ? '#fafafa' : '#fff',
                color: 'inherit',
              }}
            >
              <span
                aria-hidden
                style={{
                  flex: '0 0 18px',
                  height: 18,
                  borderRadius: '50%',
                  border: `2px solid ${checked ? '#1f6f43' : '#bbb'}`,
                  boxShadow: checked ? 'inset 0 0 0 3px #fff' : undefined,
                  background: checked ? '#1f6f43' : '#fff',
                }}
              />
              <span style={{ flex: 1 }}>
                {o.label}
                {o.disqualifies && (
                  <Tag color="red" style={{ marginInlineStart: 6 }}>
                    {t('criteria.disqualifies')}
                  </Tag>
                )}
              </span>
              <b style={{ whiteSpace: 'nowrap', color: checked ? '#1f6f43' : '#555' }}>{t('criteria.pointsN', { n: fmtPoints(o.points, lang) })}</b>
            </button>
          );
        })}
      </div>
      {readOnly ? (
        note ? (
          <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0', whiteSpace: 'pre-wrap' }}>
            {t('score.evidence')}: {note}
          </Typography.Paragraph>
        ) : null
      ) : noteOpen ? (
        <Input.TextArea
          data-testid={`note-${n.code}`}
          style={{ marginTop: 6 }}
          value={note}
          maxLength={2000}
          autoSize={{ minRows: 1, maxRows: 5 }}
          placeholder={t('score.evidencePlaceholder')}
          onChange={(e) => onNote(n.code, e.target.value)}
        />
      ) : (
        <Button type="link" size="small" style={{ padding: 0, marginTop: 4 }} onClick={() => setNoteOpen(true)} data-testid={`note-open-${n.code}`}>
          + {t('score.addEvidence')}
        </Button>
      )}
    </div>
  );
});

export type ScorerMode = 'list' | 'single';

/** The criteria of a sheet as large choices: the council member's scoring screen and a producer's self-assessment. */
export function CriteriaScorer({
  doc,
  answers,
  notes,
  readOnly,
  missing,
  onChange,
  mode,
}: {
  doc: CriteriaSheetDoc;
  answers: Answers;
  notes: Notes;
  readOnly?: boolean;
  /** Criteria to highlight (after a refused submit). */
  missing?: string[];
  onChange?: (answers: Answers, notes: Notes) => void;
  mode: ScorerMode;
}) {
  const { t, lang } = useI18n();
  const refs = useMemo(() => leafRefs(doc), [doc]);
  const state = useRef({ answers, notes });
  state.current = { answers, notes };
  const missingSet = useMemo(() => new Set(missing ?? []), [missing]);
  const [index, setIndex] = useState(0);
  const onPick = useCallback(
    (code: string, idx: number) => {
      onChange?.({ ...state.current.answers, [code]: idx }, state.current.notes);
    },
    [onChange],
  );
  const onNote = useCallback(
    (code: string, note: string) => {
      onChange?.(state.current.answers, { ...state.current.notes, [code]: note });
    },
    [onChange],
  );

  if (mode === 'single') {
    const i = Math.min(index, refs.length - 1);
    const leaf = refs[i];
    const nextMissing = refs.findIndex((r, k) => k > i && answers[r.node.code] === undefined);
    return (
      <div data-testid="scorer-single">
        <Progress percent={Math.round(((i + 1) / refs.length) * 100)} showInfo={false} size="small" />
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 6 }}>
          {t('score.criterionNofM', { n: i + 1, m: refs.length })}
        </Typography.Text>
        <Criterion
          key={leaf.node.code}
          leaf={leaf}
          value={answers[leaf.node.code]}
          note={notes[leaf.node.code] ?? ''}
          readOnly={readOnly}
          missing={missingSet.has(leaf.node.code)}
          showPath
          onPick={(code, idx) => {
            onPick(code, idx);
          }}
          onNote={onNote}
        />
        <div style={{ display: 'flex', gap: 8, justifyContent: 'space-between', position: 'sticky', bottom: 0, background: '#f5f5f5', padding: '8px 0' }}>
          <Button size="large" icon={<LeftOutlined />} disabled={i === 0} onClick={() => setIndex(i - 1)} data-testid="crit-prev">
            {t('score.prev')}
          </Button>
          {!readOnly && nextMissing > i + 1 && (
            <Button size="large" type="text" onClick={() => setIndex(nextMissing)} data-testid="crit-next-missing">
              {t('score.nextMissing')}
            </Button>
          )}
          <Button size="large" type="primary" disabled={i >= refs.length - 1} onClick={() => setIndex(i + 1)} data-testid="crit-next">
            {t('score.next')} <RightOutlined />
          </Button>
        </div>
      </div>
    );
  }

  const byPart = doc.parts.map((p) => ({ part: p, refs: refs.filter((r) => r.path[0] === p) }));
  return (
    <Collapse
      data-testid="scorer-list"
      defaultActiveKey={doc.parts.map((p) => p.code)}
      items={byPart.map(({ part, refs: rs }) => {
        const s = scoreSheet({ parts: [part] }, answers);
        return {
          key: part.code,
          label: (
            <span>
              <b>
                {part.code}. {part.title}
              </b>{' '}
              <Typography.Text type="secondary">
                ({fmtPoints(s.parts[part.code], lang)}/{fmtPoints(nodeMax(part), lang)})
              </Typography.Text>
            </span>
          ),
          styles: { body: { padding: 8, background: '#fafafa' } },
          children: <SectionList part={part} refs={rs} answers={answers} notes={notes} readOnly={readOnly} missingSet={missingSet} onPick={onPick} onNote={onNote} />,
        };
      })}
    />
  );
}

function SectionList({
  part,
  refs,
  answers,
  notes,
  readOnly,
  missingSet,
  onPick,
  onNote,
}: {
  part: CriteriaNode;
  refs: LeafRef[];
  answers: Answers;
  notes: Notes;
  readOnly?: boolean;
  missingSet: Set<string>;
  onPick: (code: string, idx: number) => void;
  onNote: (code: string, note: string) => void;
}) {
  const { lang } = useI18n();
  const sections = (part.children ?? []).filter((c) => c.children?.length);
  const direct = refs.filter((r) => r.path.length === 1);
  const [closed, setClosed] = useState<Record<string, boolean>>({});
  const crit = (r: LeafRef) => (
    <Criterion
      key={r.node.code}
      leaf={r}
      value={answers[r.node.code]}
      note={notes[r.node.code] ?? ''}
      readOnly={readOnly}
      missing={missingSet.has(r.node.code)}
      onPick={onPick}
      onNote={onNote}
    />
  );
  return (
    <>
      {direct.map(crit)}
      {sections.map((sec) => {
        const rs = refs.filter((r) => r.path.includes(sec));
        const got = rs.reduce((s, r) => s + (answers[r.node.code] !== undefined ? (r.node.options?.[answers[r.node.code]]?.points ?? 0) : 0), 0);
        const done = rs.every((r) => answers[r.node.code] !== undefined);
        const isClosed = closed[sec.code];
        return (
          <div key={sec.code} data-testid={`section-${sec.code}`} style={{ marginBottom: 8 }}>
            <button
              type="button"
              onClick={() => setClosed((c) => ({ ...c, [sec.code]: !c[sec.code] }))}
              aria-expanded={!isClosed}
              style={{ display: 'flex', width: '100%', gap: 8, alignItems: 'center', background: 'none', border: 0, padding: '6px 2px', cursor: 'pointer', font: 'inherit', textAlign: 'left' }}
            >
              <span style={{ color: '#888', width: 12 }}>{isClosed ? '▸' : '▾'}</span>
              <Typography.Text strong style={{ flex: 1 }}>
                {sec.code}. {sec.title}
              </Typography.Text>
              {done && <CheckCircleFilled style={{ color: '#1f6f43' }} />}
              <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                {fmtPoints(got, lang)}/{fmtPoints(nodeMax(sec), lang)}
              </Typography.Text>
            </button>
            {!isClosed && rs.map(crit)}
          </div>
        );
      })}
    </>
  );
}

/** Mode switch shared by the scoring and self-assessment screens (remembered per device). */
export function useScorerMode(): [ScorerMode, (m: ScorerMode) => void] {
  const [mode, setMode] = useState<ScorerMode>(() => {
    try {
      return localStorage.getItem('ocop.scorerMode') === 'single' ? 'single' : 'list';
    } catch {
      return 'list';
    }
  });
  const set = (m: ScorerMode) => {
    setMode(m);
    try {
      localStorage.setItem('ocop.scorerMode', m);
    } catch {
      /* ignore */
    }
  };
  return [mode, set];
}

export function ScorerModeSwitch({ mode, onChange }: { mode: ScorerMode; onChange: (m: ScorerMode) => void }) {
  const { t } = useI18n();
  return (
    <Segmented<ScorerMode>
      data-testid="scorer-mode"
      value={mode}
      onChange={onChange}
      options={[
        { value: 'list', label: t('score.modeList') },
        { value: 'single', label: t('score.modeSingle') },
      ]}
    />
  );
}

export function DemoBanner({ show, note, compact }: { show: boolean; note?: string | null; compact?: boolean }) {
  const { t } = useI18n();
  const phone = useIsPhone();
  if (!show) return null;
  // On a phone while scoring, one line: the criteria need the room.
  if (compact && phone) return <Alert data-testid="demo-banner" type="warning" showIcon style={{ marginBottom: 12 }} title={<span title={note ?? t('criteria.demoBannerHelp')}>{t('criteria.demoBanner')} — {t('criteria.demoShort')}</span>} />;
  return <Alert data-testid="demo-banner" type="warning" showIcon style={{ marginBottom: 12 }} title={t('criteria.demoBanner')} description={note ?? t('criteria.demoBannerHelp')} />;
}

export function MissingAlert({ codes }: { codes: string[] }) {
  const { t } = useI18n();
  if (!codes.length) return null;
  return (
    <Alert
      data-testid="missing-alert"
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      title={t('score.missingN', { n: codes.length })}
      description={
        <Space wrap size={4}>
          {codes.map((c) => (
            <Tag key={c} color="red" style={{ cursor: 'pointer' }} onClick={() => document.getElementById(`crit-${c}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' })}>
              {c}
            </Tag>
          ))}
        </Space>
      }
    />
  );
}
