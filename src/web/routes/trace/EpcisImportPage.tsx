import { Alert, Button, Card, DatePicker, Result, Space, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, ApiError, toQuery } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import type { EpcisImportError } from '../../contract';
import { DATE_FORMAT, toIsoDate, todayDay } from '../../format';
import { useI18n } from '../../i18n';
import { canImportEpcis } from '../../permissions';
import { FileDrop } from '../../components/FileDrop';
import type { EpcisImportResult } from '../../../server/modules/lots/schema';

/**
 * EPCIS 2.0 exchange with partner systems: import a JSON-LD document (all or nothing; each bad event listed with its
 * index, eventID and path) and export the events of a date range.
 */
export default function EpcisImportPage() {
  const me = useMe();
  const { t } = useI18n();
  const qc = useQueryClient();
  const showError = useShowError();
  const [fileName, setFileName] = useState('');
  const [result, setResult] = useState<EpcisImportResult | null>(null);
  const [problem, setProblem] = useState<{ title: string; detail?: string; errors: EpcisImportError[] } | null>(null);
  const [range, setRange] = useState<[dayjs.Dayjs, dayjs.Dayjs]>([todayDay().subtract(30, 'day'), todayDay()]);

  const upload = useMutation({
    mutationFn: async (file: File) => {
      const text = await file.text();
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        throw new ApiError({ title: t('trace.epcis.notJson'), status: 0, errors: [] });
      }
      return api<EpcisImportResult>('/api/epcis/import', { body: doc });
    },
    onMutate: () => {
      setResult(null);
      setProblem(null);
    },
    onSuccess: (r) => {
      setResult(r);
      qc.invalidateQueries({ queryKey: ['lots'] });
    },
    onError: (e) => {
      if (e instanceof ApiError && (e.problem.errors?.length || e.problem.status === 0)) {
        const errors = (e.problem.errors ?? []) as unknown as (EpcisImportError & { path: string })[];
        setProblem({ title: e.problem.title, detail: e.problem.detail, errors });
      } else showError(e);
    },
  });

  if (!canImportEpcis(me)) return <Result status="403" title={t('error.forbidden')} />;
  const exportUrl = `/api/epcis/events${toQuery({ from: toIsoDate(range[0]), to: toIsoDate(range[1]) })}`;

  return (
    <>
      <PageHeader title={t('nav.epcisImport')} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Typography.Paragraph>{t('trace.epcis.intro')}</Typography.Paragraph>
        <FileDrop
          testId="epcis-upload"
          accept=".json,.jsonld,application/json,application/ld+json"
          busy={upload.isPending}
          text={t('trace.epcis.drop')}
          busyText={t('import.uploading', { name: fileName })}
          onFile={(file) => {
            setFileName(file.name);
            upload.mutate(file);
          }}
        />
      </Card>
      {result && (
        <Card size="small" data-testid="epcis-result" style={{ marginBottom: 16 }}>
          <Alert type="success" showIcon title={t('import.done', { name: fileName })} style={{ marginBottom: 8 }} />
          <Space size={32}>
            <Statistic title={t('trace.epcis.imported')} value={result.imported} />
            <Statistic title={t('trace.epcis.skipped')} value={result.skipped} />
            <Statistic title={t('trace.epcis.corrected')} value={result.corrected} />
          </Space>
        </Card>
      )}
      {problem && (
        <Card size="small" data-testid="epcis-errors" style={{ marginBottom: 16 }}>
          <Alert type="error" showIcon title={problem.title} description={problem.detail && problem.detail !== problem.title ? problem.detail : t('trace.epcis.nothingWritten')} style={{ marginBottom: 8 }} />
          {problem.errors.length > 0 && (
            <Table<EpcisImportError & { i: number }>
              size="small"
              rowKey="i"
              dataSource={problem.errors.map((e, i) => ({ ...e, i }))}
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              scroll={{ x: true }}
              columns={[
                { title: t('trace.epcis.index'), width: 80, render: (_, e) => (typeof e.index === 'number' ? e.index + 1 : '—') },
                { title: 'eventID', width: 260, render: (_, e) => (e.eventId ? <code style={{ fontSize: 12 }}>{e.eventId}</code> : '—') },
                { title: t('trace.epcis.path'), width: 220, render: (_, e) => <code style={{ fontSize: 12 }}>{e.path || '—'}</code> },
                { title: t('import.message'), dataIndex: 'message' },
              ]}
            />
          )}
        </Card>
      )}
      <Card size="small" title={t('trace.epcis.exportTitle')}>
        <Space wrap>
          <DatePicker.RangePicker format={DATE_FORMAT} allowClear={false} value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
          <Button data-testid="epcis-export" icon={<DownloadOutlined />} href={exportUrl} download>
            {t('trace.epcis.export')}
          </Button>
        </Space>
      </Card>
    </>
  );
}
