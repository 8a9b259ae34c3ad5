import { Alert, Button, Modal, Space, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, type Problem } from '../../api';
import { useShowError } from '../../components/errors';
import { freshOnOpen } from '../../components/freshOnOpen';
import { useI18n } from '../../i18n';
import type { PlaceKind } from './PlacesPage';
import { FileDrop, XLSX_ACCEPT } from '../../components/FileDrop';

interface ImportResult {
  created: number;
  updated: number;
  unchanged?: number;
  errors?: RowError[];
}
interface RowError {
  row?: number | null;
  column?: string | number | null;
  message: string;
  path?: string;
}

/**
 * Excel import of growing areas or packing houses: download the template, fill it, drop it here. All or nothing:
 * with any error nothing is written and each problem is listed by row and column.
 */
function PlaceImportInner({ kind, open, onClose }: { kind: PlaceKind; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const showError = useShowError();
  const [result, setResult] = useState<ImportResult | null>(null);
  const [problem, setProblem] = useState<{ title: string; detail?: string; errors: RowError[] } | null>(null);
  const [fileName, setFileName] = useState('');

  const upload = useMutation({
    mutationFn: (file: File) => {
      const fd = new FormData();
      fd.append('file', file);
      return api<ImportResult>(`/api/${kind}/import`, { form: fd });
    },
    onMutate: () => {
      setResult(null);
      setProblem(null);
    },
    onSuccess: (r) => {
      // The contract answers errors in the body too; with errors nothing was written.
      if (r.errors?.length) setProblem({ title: t('trace.import.failed'), errors: r.errors });
      else {
        setResult(r);
        qc.invalidateQueries({ queryKey: [kind] });
      }
    },
    onError: (e) => {
      const p = e instanceof ApiError ? (e.problem as Problem & { errors?: RowError[] }) : null;
      if (p?.errors?.length) setProblem({ title: p.title, detail: p.detail, errors: p.errors });
      else showError(e);
    },
  });

  return (
    <Modal open={open} onCancel={onClose} footer={<Button onClick={onClose}>{t('common.close')}</Button>} width={760} title={kind === 'growing-areas' ? t('trace.import.titleAreas') : t('trace.import.titleHouses')}>
      <Typography.Paragraph>{t('trace.import.intro')}</Typography.Paragraph>
      <Space style={{ marginBottom: 12 }}>
        <Button data-testid="place-import-template" icon={<DownloadOutlined />} href={`/api/${kind}/import-template`} download>
          {t('import.template')}
        </Button>
      </Space>
      <FileDrop
        testId="place-import-upload"
        accept={XLSX_ACCEPT}
        busy={upload.isPending}
        text={t('import.drop')}
        busyText={t('import.uploading', { name: fileName })}
        onFile={(file) => {
          setFileName(file.name);
          upload.mutate(file);
        }}
      />
      {result && (
        <div data-testid="place-import-result" style={{ marginTop: 16 }}>
          <Alert type="success" showIcon title={t('import.done', { name: fileName })} style={{ marginBottom: 8 }} />
          <Space size={32}>
            <Statistic title={t('import.created')} value={result.created} />
            <Statistic title={t('import.updated')} value={result.updated} />
            {result.unchanged !== undefined && <Statistic title={t('import.unchanged')} value={result.unchanged} />}
          </Space>
        </div>
      )}
      {problem && (
        <div data-testid="place-import-errors" style={{ marginTop: 16 }}>
          <Alert type="error" showIcon title={problem.title} description={problem.detail && problem.detail !== problem.title ? problem.detail : t('trace.import.nothingWritten')} style={{ marginBottom: 8 }} />
          <Table<RowError & { i: number }>
            size="small"
            rowKey="i"
            dataSource={problem.errors.map((e, i) => ({ ...e, i }))}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: t('import.row'), width: 70, render: (_, e) => e.row ?? '—' },
              { title: t('import.column'), width: 140, render: (_, e) => e.column ?? e.path ?? '—' },
              { title: t('import.message'), dataIndex: 'message' },
            ]}
          />
        </div>
      )}
    </Modal>
  );
}

export const PlaceImportModal = freshOnOpen(PlaceImportInner, (p) => p.open);
