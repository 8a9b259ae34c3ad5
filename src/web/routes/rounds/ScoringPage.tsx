import { App, Button, Form, Input, Modal, Result, Select, Space, Tag, Typography } from 'antd';
import { DownloadOutlined, SendOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { z } from 'zod';
import type { ZMySheet } from '../../../server/modules/evaluation/schema';
import type { Answers } from '../../../shared/criteria';
import { api, ApiError } from '../../api';
import { useShowError } from '../../components/errors';
import { PageSpinner } from '../../components/PageSpinner';
import { CriteriaScorer, DemoBanner, MissingAlert, SaveIndicator, ScoreSummary, ScorerModeSwitch, useAutosave, useScorerMode, type Notes } from '../../components/scoring';
import { useI18n } from '../../i18n';
import { CONFLICT_REASONS } from './common';

type MySheet = z.infer<typeof ZMySheet>;

export default function ScoringPage() {
  const { id = '', productId = '' } = useParams();
  const { t } = useI18n();
  const qc = useQueryClient();
  const nav = useNavigate();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const key = ['rounds', id, 'my-sheet', productId];
  const url = `/api/rounds/${id}/products/${productId}/my-sheet`;
  const { data, isLoading, error } = useQuery({ queryKey: key, queryFn: () => api<MySheet>(url), staleTime: Infinity });
  const [answers, setAnswers] = useState<Answers>({});
  const [notes, setNotes] = useState<Notes>({});
  const [missing, setMissing] = useState<string[]>([]);
  const [mode, setMode] = useScorerMode();
  const [conflictOpen, setConflictOpen] = useState(false);
  const [loadedId, setLoadedId] = useState<string | null>(null);

  // Local copy of the answers once loaded (and again after a submit or a reopen).
  const stamp = data ? `${data.id}:${data.status}:${data.version}` : null;
  useEffect(() => {
    if (data && stamp !== loadedId) {
      setAnswers(data.answers);
      setNotes(data.notes);
      setLoadedId(stamp);
    }
  }, [data, stamp, loadedId]);

  const autosave = useAutosave<{ answers: Answers; notes: Notes }>(
    async (v) => {
      const saved = await api<MySheet>(url, { method: 'PUT', body: v });
      qc.setQueryData(key, (old: MySheet | undefined) => (old ? { ...old, id: saved.id, status: saved.status, version: saved.version, total: saved.total, partTotals: saved.partTotals, missing: saved.missing } : saved));
      setLoadedId(`${saved.id}:${saved.status}:${saved.version}`);
    },
    1000,
    (e) => showError(e),
  );

  const submit = useMutation({
    mutationFn: async () => {
      autosave.cancel();
      await autosave.flush().catch(() => undefined);
      return api<MySheet>(`${url}/submit`, { body: { answers, notes } });
    },
    onSuccess: (saved) => {
      setMissing([]);
      qc.setQueryData(key, saved);
      qc.invalidateQueries({ queryKey: ['rounds', id, 'products'] });
      autosave.setStatus('saved');
      autosave.setSavedAt(new Date().toISOString());
      message.success(t('score.submitted'));
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'SHEET_INCOMPLETE') {
        const codes = (e.problem.errors ?? []).map((x) => x.path.replace(/^answers\./, ''));
        setMissing(codes);
        window.scrollTo({ top: 0, behavior: 'smooth' });
      }
      showError(e);
    },
  });

  if (isLoading) return <PageSpinner />;
  if (error instanceof ApiError && error.code === 'CONFLICT_OF_INTEREST') {
    return (
      <Result
        data-testid="conflict-result"
        status="warning"
        title={t('score.conflictDeclared')}
        subTitle={error.problem.title}
        extra={
          <Link to={`/rounds/${id}`}>
            <Button type="primary">{t('round.backToRound')}</Button>
          </Link>
        }
      />
    );
  }
  if (error || !data) return <Result status={error instanceof ApiError && error.status === 403 ? '403' : '404'} title={error instanceof ApiError ? error.problem.title : t('error.notFound')} subTitle={error instanceof ApiError ? error.problem.detail : undefined} />;

  const submitted = data.status === 'submitted';
  const roundOpen = data.roundStatus === 'scoring' || (data.roundStatus === 'results_open' && data.status === 'draft');
  const readOnly = submitted || !roundOpen;
  const ready = loadedId === stamp;

  const onChange = (a: Answers, n: Notes) => {
    setAnswers(a);
    setNotes(n);
    if (missing.length) setMissing((m) => m.filter((c) => a[c] === undefined));
    autosave.schedule({ answers: a, notes: n });
  };

  const confirmSubmit = () => {
    modal.confirm({
      title: t('score.submitConfirmTitle'),
      content: t('score.submitConfirm'),
      okText: t('score.submit'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'submit-confirm' } as never,
      onOk: () => submit.mutateAsync().catch(() => undefined),
    });
  };

  return (
    <div style={{ maxWidth: 860, margin: '0 auto' }}>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 8, flexWrap: 'wrap' }}>
        <Button type="link" style={{ padding: 0 }} onClick={() => nav(`/rounds/${id}`)}>
          ← {t('round.backToRound')}
        </Button>
        <div style={{ flex: 1 }} />
        <ScorerModeSwitch mode={mode} onChange={setMode} />
      </div>
      <ScoreSummary
        sticky
        doc={data.sheet.doc}
        answers={answers}
        title={<span data-testid="scoring-product">{data.product.name}</span>}
        subtitle={`${data.product.producerName} · ${data.sheet.title}`}
        right={
          submitted ? (
            <Tag color="green" data-testid="sheet-submitted" style={{ marginInlineEnd: 0 }}>
              {t('score.statusSubmitted')}
            </Tag>
          ) : readOnly ? (
            <Tag>{t('score.closed')}</Tag>
          ) : (
            <SaveIndicator status={autosave.status} savedAt={autosave.savedAt} stored={!!data.id} />
          )
        }
      />
      <DemoBanner show={data.sheet.isDemo} compact />
      <MissingAlert codes={missing} />
      {ready && <CriteriaScorer doc={data.sheet.doc} answers={answers} notes={notes} readOnly={readOnly} missing={missing} onChange={onChange} mode={mode} />}
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 16, marginBottom: 24 }}>
        {!readOnly && (
          <Button data-testid="sheet-submit" type="primary" size="large" icon={<SendOutlined />} loading={submit.isPending} onClick={confirmSubmit}>
            {t('score.submit')}
          </Button>
        )}
        {data.id && (
          <a href={`/api/score-sheets/${data.id}/pdf`} download data-testid="sheet-pdf">
            <Button size="large" icon={<DownloadOutlined />}>
              {t('score.pdf')}
            </Button>
          </a>
        )}
        {data.roundStatus !== 'finalised' && !submitted && (
          <Button data-testid="conflict-declare" size="large" danger icon={<StopOutlined />} onClick={() => setConflictOpen(true)}>
            {t('conflict.declare')}
          </Button>
        )}
      </div>
      <ConflictModal
        open={conflictOpen}
        roundId={id}
        productId={productId}
        productName={data.product.name}
        onClose={() => setConflictOpen(false)}
        onDone={() => {
          autosave.cancel();
          nav(`/rounds/${id}`);
        }}
      />
    </div>
  );
}

export function ConflictModal({ open, roundId, productId, productName, onClose, onDone }: { open: boolean; roundId: string; productId: string; productName: string; onClose: () => void; onDone: () => void }) {
  const { t, label } = useI18n();
  const [form] = Form.useForm<{ reason: string; note?: string }>();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const m = useMutation({
    mutationFn: (v: { reason: string; note?: string }) => api(`/api/rounds/${roundId}/products/${productId}/conflict`, { body: { reason: v.reason, note: v.note?.trim() || null } }),
    onSuccess: () => {
      message.success(t('conflict.declared'));
      qc.invalidateQueries({ queryKey: ['rounds', roundId] });
      onClose();
      onDone();
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Modal
      open={open}
      title={t('conflict.title', { name: productName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('conflict.declare')}
      okButtonProps={{ danger: true, 'data-testid': 'conflict-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('conflict.help')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        <Form.Item name="reason" label={t('conflict.reason')} rules={[{ required: true, message: t('form.required') }]}>
          <Select data-testid="conflict-reason" options={CONFLICT_REASONS.map((r) => ({ value: r, label: label('conflictReason', r) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('conflict.note')}>
          <Input.TextArea data-testid="conflict-note" maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
      <Space />
    </Modal>
  );
}
