import { Alert, Button, Card, Progress, Result, Space, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type FieldProblem, type Problem } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { useI18n } from '../../i18n';
import { canImport } from '../../permissions';
import { FileDrop, XLSX_ACCEPT } from '../../components/FileDrop';

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}
interface ImportResult {
  producers: Counts;
  products: Counts;
}
type ImportError = FieldProblem & { sheet?: string; row?: number; column?: number | string };
/** A background import (POST /api/import/runs → 202, then GET /api/import/runs/:id until it has finished). */
interface ImportRun {
  id: string;
  status: 'running' | 'done' | 'failed';
  phase: 'reading' | 'checking' | 'writing' | 'done' | null;
  total: number;
  done: number;
  result: ImportResult | null;
  errors: ImportError[];
  errorCount: number;
}

/** "Sản phẩm!C5" or "Sản phẩm!R5C3" → sheet, row 5, column C; other shapes pass through. */
function locate(e: ImportError) {
  const p = e.path ?? '';
  const rc = /^(.*)!R(\d+)C(\d+)$/.exec(p);
  if (rc) return { sheet: rc[1], row: Number(rc[2]), column: colName(Number(rc[3])) };
  const a1 = /^(.*)!([A-Z]{1,3})(\d+)$/.exec(p);
  if (a1) return { sheet: a1[1], row: Number(a1[3]), column: a1[2] };
  const sheetOnly = /^(.*)!$/.exec(p);
  if (sheetOnly) return { sheet: sheetOnly[1], row: undefined, column: undefined };
  if (!e.sheet && !e.row && p) return { sheet: p === 'file' ? '' : p, row: undefined, column: undefined };
  return { sheet: e.sheet ?? '', row: e.row, column: typeof e.column === 'number' ? colName(e.column) : e.column };
}
function colName(n: number) {
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export default function ImportPage() {
  const me = useMe();
  const { t } = useI18n();
  const qc = useQueryClient();
  const showError = useShowError();
  const [runId, setRunId] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);

  const upload = useMutation({
    mutationFn: (file: File) => {
      const fd = new FormData();
      fd.append('file', file);
      return api<ImportRun>('/api/import/runs?kind=registry', { form: fd });
    },
    onMutate: () => setRunId(null),
    onSuccess: (r) => setRunId(r.id),
    onError: (e) => showError(e),
  });
  // Polled once a second while the server works; stops when the run has finished.
  const run = useQuery({
    queryKey: ['import-run', runId],
    queryFn: () => api<ImportRun>(`/api/import/runs/${runId}`),
    enabled: Boolean(runId),
    refetchInterval: (q) => (q.state.data?.status === 'done' || q.state.data?.status === 'failed' ? false : 1000),
  });
  const status = run.data?.status;
  useEffect(() => {
    if (status !== 'done') return;
    qc.invalidateQueries({ queryKey: ['products'] });
    qc.invalidateQueries({ queryKey: ['producers'] });
  }, [status, qc]);
  const running = upload.isPending || (Boolean(runId) && (!run.data || status === 'running'));
  const result = status === 'done' ? run.data!.result : null;
  const problem: Problem | null = status === 'failed'
    ? {
        title: t('import.failed'),
        status: 422,
        detail: run.data!.errorCount > run.data!.errors.length ? t('import.moreErrors', { shown: run.data!.errors.length, total: run.data!.errorCount }) : undefined,
        errors: run.data!.errors,
      }
    : null;
  const percent = run.data?.total ? Math.floor((100 * run.data.done) / run.data.total) : 0;

  if (!canImport(me)) return <Result status="403" title={t('error.forbidden')} />;

  return (
    <>
      <PageHeader back="/products" title={t('import.title')} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Typography.Paragraph>{t('import.intro')}</Typography.Paragraph>
        <Space wrap>
          <Button data-testid="import-template" icon={<DownloadOutlined />} href="/api/import/template.xlsx" download>
            {t('import.template')}
          </Button>
        </Space>
      </Card>
      <Card size="small" style={{ marginBottom: 16 }}>
        <FileDrop
          testId="import-upload"
          accept={XLSX_ACCEPT}
          busy={running}
          text={t('import.drop')}
          busyText={t('import.uploading', { name: fileName ?? '' })}
          hint={t('import.hint')}
          onFile={(file) => {
            setFileName(file.name);
            upload.mutate(file);
          }}
        />
      </Card>
      {running && runId && (
        <Card size="small" data-testid="import-progress" style={{ marginBottom: 16 }}>
          <Typography.Text>{t(`import.phase.${run.data?.phase ?? 'reading'}`, { name: fileName ?? '', total: run.data?.total ?? 0 })}</Typography.Text>
          <Progress percent={percent} status="active" />
        </Card>
      )}
      {result && (
        <Card size="small" data-testid="import-result" title={t('import.done', { name: fileName ?? '' })}>
          <Table
            size="small"
            pagination={false}
            rowKey="what"
            dataSource={[
              { what: t('nav.producers'), ...result.producers },
              { what: t('nav.products'), ...result.products },
            ]}
            columns={[
              { title: '', dataIndex: 'what' },
              { title: t('import.created'), dataIndex: 'created', render: (n: number) => <Statistic value={n} styles={{ content: { fontSize: 20 } }} /> },
              { title: t('import.updated'), dataIndex: 'updated', render: (n: number) => <Statistic value={n} styles={{ content: { fontSize: 20 } }} /> },
              { title: t('import.unchanged'), dataIndex: 'unchanged', render: (n: number) => <Statistic value={n} styles={{ content: { fontSize: 20 } }} /> },
            ]}
          />
          <div style={{ marginTop: 12 }}>
            <Link to="/products">{t('nav.products')} →</Link>
          </div>
        </Card>
      )}
      {problem && (
        <Card size="small" data-testid="import-errors">
          <Alert type="error" showIcon title={problem.title} description={problem.detail !== problem.title ? problem.detail : undefined} style={{ marginBottom: 12 }} />
          <Table<ImportError & { i: number }>
            size="small"
            rowKey="i"
            dataSource={(problem.errors ?? []).map((e, i) => ({ ...e, i }))}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: true }}
            columns={[
              { title: t('import.sheet'), width: 140, render: (_, e) => locate(e).sheet || '—' },
              { title: t('import.row'), width: 70, render: (_, e) => locate(e).row ?? '—' },
              { title: t('import.column'), width: 80, render: (_, e) => locate(e).column ?? '—' },
              { title: t('import.message'), dataIndex: 'message' },
            ]}
          />
        </Card>
      )}
    </>
  );
}
