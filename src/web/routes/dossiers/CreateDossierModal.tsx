import { Alert, Form, Modal, Radio, Select, Space, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { ProductSummary } from '../../../server/modules/products/schema';
import { DOSSIER_KINDS } from '../../../shared/dossier';
import { api, ApiError, type Paged } from '../../api';
import { useMe } from '../../auth';
import { useDebounced } from '../../components/hooks';
import type { Dossier, DossierKind } from '../../contract';
import { freshOnOpen } from '../../components/freshOnOpen';
import { useI18n } from '../../i18n';

interface Values {
  productId: string;
  kind: DossierKind;
  targetStar?: number;
}

/** Products the user may open a dossier for: a producer's own products, or a search over the registry for officers. */
function ProductPick({ value, onChange, fixed }: { value?: string; onChange?: (v: string) => void; fixed?: { id: string; name: string } }) {
  const me = useMe();
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const own = me.role === 'producer' && !!me.producerId;
  const { data, isFetching } = useQuery({
    queryKey: ['products', 'pick-dossier', own ? me.producerId : q],
    queryFn: () => api<Paged<ProductSummary>>('/api/products', { query: own ? { producerId: me.producerId, pageSize: 200 } : { q, pageSize: 30 } }),
    enabled: !fixed,
    staleTime: 30_000,
  });
  const options = useMemo(() => {
    if (fixed) return [{ value: fixed.id, label: fixed.name }];
    return (data?.items ?? []).map((p) => ({ value: p.id, label: own ? `${p.name} · ${p.taxonomy.code}` : `${p.name} · ${p.producer.legalName}` }));
  }, [data, fixed, own]);
  return (
    <Select
      data-testid="dossier-create-product"
      value={value}
      onChange={onChange}
      disabled={!!fixed}
      options={options}
      loading={isFetching}
      showSearch={own ? { filterOption: (input, o) => String(o?.label ?? '').toLowerCase().includes(input.toLowerCase()) } : { filterOption: false, onSearch: setSearch }}
      placeholder={t('dossier.create.productPlaceholder')}
      notFoundContent={isFetching ? t('common.loading') : own ? t('dossier.create.noProducts') : t('common.noData')}
      style={{ width: '100%' }}
    />
  );
}

function CreateDossierModalInner({ open, onClose, product }: { open: boolean; onClose: () => void; product?: { id: string; name: string; hasCertificate?: boolean } }) {
  const { t, label } = useI18n();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<ApiError | null>(null);
  useEffect(() => {
    if (open) setProblem(null);
  }, [open]);
  const nav = useNavigate();
  const qc = useQueryClient();
  const kind = Form.useWatch('kind', form);
  const m = useMutation({
    mutationFn: (v: Values) => api<Dossier>('/api/dossiers', { body: { productId: v.productId, kind: v.kind, ...(v.targetStar ? { targetStar: v.targetStar } : {}) } }),
    onSuccess: (d) => {
      qc.invalidateQueries({ queryKey: ['dossiers'] });
      onClose();
      nav(`/dossiers/${d.id}`);
    },
    onError: (e) => setProblem(e instanceof ApiError ? e : new ApiError({ title: t('error.unexpected'), status: 0, detail: String(e) })),
  });
  return (
    <Modal
      open={open}
      title={t('dossier.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('dossier.create.ok')}
      okButtonProps={{ 'data-testid': 'dossier-create-ok' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      {problem && <Alert data-testid="dossier-create-error" type="error" showIcon style={{ marginBottom: 12 }} title={problem.problem.title} description={problem.problem.detail !== problem.problem.title ? problem.problem.detail : undefined} />}
      <Form preserve={false}
        form={form}
        layout="vertical"
        initialValues={{ productId: product?.id, kind: product?.hasCertificate ? 'reevaluation' : 'first' }}
        onFinish={(v) => {
          setProblem(null);
          m.mutate(v);
        }}
      >
        <Form.Item name="productId" label={t('dossier.product')} rules={[{ required: true, message: t('form.required') }]}>
          <ProductPick fixed={product} />
        </Form.Item>
        <Form.Item name="kind" label={t('dossier.kind')} rules={[{ required: true, message: t('form.required') }]}>
          <Radio.Group data-testid="dossier-create-kind">
            <Space orientation="vertical">
              {DOSSIER_KINDS.map((k) => (
                <Radio key={k} value={k} data-testid={`dossier-kind-${k}`}>
                  {label('dossierKind', k)}
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    {label('dossierKindHelp', k)}
                  </Typography.Text>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        {kind === 'upgrade' && (
          <Form.Item name="targetStar" label={t('dossier.targetStar')}>
            <Select data-testid="dossier-create-target-star" allowClear options={[3, 4, 5].map((n) => ({ value: n, label: t('product.starsN', { n }) }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export const CreateDossierModal = freshOnOpen(CreateDossierModalInner, (p) => p.open);
