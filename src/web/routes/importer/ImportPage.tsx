import { Alert, Button, Card, Result, Space, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, type FieldProblem, type Problem } from '../../api';
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
  const [result, setResult] = useState<ImportResult | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);

  const upload = useMutation({
    mutationFn: (file: File) => {
      const fd = new FormData();
      fd.append('file', file);
      return api<ImportResult>('/api/import/registry', { form: fd });
    },
    onMutate: () => {
      setResult(null);
      setProblem(null);
    },
    onSuccess: (r) => {
      setResult(r);
      qc.invalidateQueries({ queryKey: ['products'] });
      qc.invalidateQueries({ queryKey: ['producers'] });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.problem.errors?.length) setProblem(e.problem);
      else showError(e);
    },
  });

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
          busy={upload.isPending}
          text={t('import.drop')}
          busyText={t('import.uploading', { name: fileName ?? '' })}
          hint={t('import.hint')}
          onFile={(file) => {
            setFileName(file.name);
            upload.mutate(file);
          }}
        />
      </Card>
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
