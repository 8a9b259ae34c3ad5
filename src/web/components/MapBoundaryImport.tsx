import { Alert, Card, Select, Space, Table, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { BoundaryImportResult } from '../../server/modules/geo/schema';
import { api, ApiError, type FieldProblem } from '../api';
import { useUnits } from '../data';
import { todayIso } from '../format';
import { useI18n } from '../i18n';
import { useShowError } from './errors';
import { FileDrop } from './FileDrop';

/**
 * A province's own commune boundaries for the maps (#11 item 4): pick the province, drop a GeoJSON file. All or
 * nothing; every feature that matches no commune (or is not a polygon) is listed with its reason.
 */
export function MapBoundaryImport() {
  const { t, label } = useI18n();
  const qc = useQueryClient();
  const showError = useShowError();
  const provinces = useUnits({ asOf: todayIso(), level: 1 });
  const [provinceId, setProvinceId] = useState<number | undefined>();
  const [result, setResult] = useState<BoundaryImportResult | null>(null);
  const [problem, setProblem] = useState<{ title: string; detail?: string; errors: FieldProblem[] } | null>(null);
  const options = useMemo(
    () => (provinces.data ?? []).map((p) => ({ value: p.id, label: `${label('unitType', p.type)} ${p.name}` })).sort((a, b) => a.label.localeCompare(b.label, 'vi')),
    [provinces.data, label],
  );
  const upload = useMutation({
    mutationFn: (file: File) => {
      const fd = new FormData();
      fd.append('file', file);
      return api<BoundaryImportResult>('/api/geo/boundaries/import', { form: fd, query: { provinceId } });
    },
    onMutate: () => { setResult(null); setProblem(null); },
    onSuccess: (r) => {
      setResult(r);
      qc.invalidateQueries({ queryKey: ['geo-boundaries'] });
      qc.invalidateQueries({ queryKey: ['programme-map'] });
    },
    onError: (e) => {
      const p = e instanceof ApiError ? e.problem : null;
      if (p?.errors?.length) setProblem({ title: p.title, detail: p.detail, errors: p.errors });
      else showError(e);
    },
  });
  return (
    <Card size="small" title={t('boundary.import.title')} style={{ marginBottom: 16 }} data-testid="boundary-import">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('boundary.import.hint')}</Typography.Text>
        <Select
          showSearch={{ filterOption: (input, o) => String(o?.label ?? '').toLowerCase().includes(input.toLowerCase()) }} style={{ width: '100%', maxWidth: 360 }}
          placeholder={t('boundary.import.province')} options={options} value={provinceId} onChange={setProvinceId} loading={provinces.isLoading} data-testid="boundary-import-province"
        />
        {provinceId !== undefined && (
          <FileDrop
            testId="boundary-import-upload" accept=".geojson,.json,application/geo+json,application/json" busy={upload.isPending}
            text={t('boundary.import.drop')} busyText={t('boundary.import.busy')} onFile={(f) => upload.mutate(f)}
          />
        )}
        {result && (
          <Alert
            type="success" showIcon data-testid="boundary-import-result"
            title={t('boundary.import.done', { n: result.imported, points: result.pointsOut.toLocaleString('vi-VN'), pointsIn: result.pointsIn.toLocaleString('vi-VN') })}
            description={result.communesNotInFile.length ? t('boundary.import.missing', { n: result.communesNotInFile.length }) : undefined}
          />
        )}
        {problem && (
          <div data-testid="boundary-import-errors">
            <Alert type="error" showIcon title={problem.title} description={problem.detail && problem.detail !== problem.title ? problem.detail : undefined} style={{ marginBottom: 8 }} />
            <Table<FieldProblem & { i: number }>
              size="small" rowKey="i" dataSource={problem.errors.map((e, i) => ({ ...e, i }))} pagination={{ pageSize: 20, hideOnSinglePage: true }}
              columns={[{ title: t('import.message'), dataIndex: 'message' }]}
            />
          </div>
        )}
      </Space>
    </Card>
  );
}
