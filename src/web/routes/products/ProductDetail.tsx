import { Alert, App, Button, Card, Descriptions, Empty, Image, Popconfirm, Result, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { DeleteOutlined, EditOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { Product } from '../../../server/modules/products/schema';
import { api, ApiError, getCsrfToken } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { HistoryView } from '../../components/HistoryView';
import { PageSpinner } from '../../components/PageSpinner';
import { Stars } from '../../components/Stars';
import { fmtDate, fmtDateTime, todayIso } from '../../format';
import { useI18n } from '../../i18n';
import { canEditProduct, canSelfAssess, canViewSelfAssessment } from '../../permissions';
import { ProductLots } from '../trace/ProductLots';
import { ProductDossiers } from './ProductDossiers';
import { ProductLinks } from './ProductLinks';
import { SelfAssessment } from './SelfAssessment';
import { safeHref } from '../../../shared/url';

export default function ProductDetail() {
  const { id = '' } = useParams();
  const me = useMe();
  const { t, label } = useI18n();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [params, setParams] = useSearchParams();
  const { data: p, isLoading, error } = useQuery({ queryKey: ['products', id], queryFn: () => api<Product>(`/api/products/${id}`) });

  const delPhoto = useMutation({
    mutationFn: (photoId: string) => api(`/api/products/${id}/photos/${photoId}`, { method: 'DELETE' }),
    onSuccess: () => {
      message.success(t('photo.deleted'));
      qc.invalidateQueries({ queryKey: ['products'] });
    },
    onError: (e) => showError(e),
  });

  if (isLoading) return <PageSpinner />;
  if (error || !p) return <Result status={error instanceof ApiError && error.status === 403 ? '403' : '404'} title={error instanceof ApiError ? error.problem.title : t('error.notFound')} subTitle={error instanceof ApiError ? error.problem.detail : undefined} />;

  const editable = canEditProduct(me, p.producer.id);
  const r = p.recognition;

  return (
    <>
      <PageHeader
        back="/products"
        title={
          <span data-testid="product-title">
            {p.name} <Stars value={p.stars} expired={p.expiredStars} />
          </span>
        }
        extra={
          <>
            {canSelfAssess(me, p.producer.id) && (
              <Button data-testid="self-assessment-open" onClick={() => setParams({ tab: 'self' })}>
                {t('self.tab')}
              </Button>
            )}
            {editable && (
              <Button data-testid="product-edit" type="primary" icon={<EditOutlined />} onClick={() => nav(`/products/${p.id}/edit`)}>
                {t('common.edit')}
              </Button>
            )}
          </>
        }
      />
      <Tabs
        activeKey={params.get('tab') ?? 'info'}
        onChange={(k) => setParams(k === 'info' ? {} : { tab: k }, { replace: true })}
        items={[
          {
            key: 'info',
            label: t('common.info'),
            children: (
              <Space orientation="vertical" size={16} style={{ width: '100%' }}>
                <Card size="small" title={t('product.section.general')}>
                  <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small" bordered>
                    <Descriptions.Item label={t('product.name')}>{p.name}</Descriptions.Item>
                    <Descriptions.Item label={t('product.brand')}>{p.brand ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('product.gtin')}>
                      {p.gtin ? (
                        <span data-testid="product-gtin">
                          {p.gtin}
                          {p.gtinInfo?.prefixStatus === 'declared' && <Tag color="gold" style={{ marginInlineStart: 8 }}>{t('gs1.prefix.unverified')}</Tag>}
                          {(p.gtinInfo?.warnings ?? []).filter((w) => w.code !== 'gs1_prefix_unverified').map((w) => (
                            <Alert key={w.code} type="warning" showIcon style={{ marginTop: 4 }} message={t(`gs1.warning.${w.code}` as never) || w.message} />
                          ))}
                        </span>
                      ) : '—'}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('product.producer')}>
                      <Link to={`/producers/${p.producer.id}`}>{p.producer.legalName}</Link> · {label('producerKind', p.producer.kind)}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('product.unit')}>
                      {label('unitType', p.unit.type)} {p.unit.name} {p.unit.code ? `(${p.unit.code})` : ''}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('product.taxonomy')}>
                      <span title={p.taxonomy.path}>
                        {p.taxonomy.code} {p.taxonomy.name}
                      </span>
                      <div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {p.taxonomy.path} (QĐ {p.taxonomy.version})
                        </Typography.Text>
                      </div>
                    </Descriptions.Item>
                    <Descriptions.Item label={t('product.processingLevel')}>{label('processingLevel', p.processingLevel)}</Descriptions.Item>
                    <Descriptions.Item label={t('product.keyProduct')}>{p.keyProduct ? t('common.yes') : t('common.no')}</Descriptions.Item>
                    <Descriptions.Item label={t('common.updatedAt')}>{fmtDateTime(p.updatedAt)}</Descriptions.Item>
                    <Descriptions.Item label={t('product.rawMaterialArea')} span={2}>{p.rawMaterialArea ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('product.description')} span={2}>
                      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{p.description ?? '—'}</Typography.Paragraph>
                    </Descriptions.Item>
                    <Descriptions.Item label={t('product.story')} span={2}>
                      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{p.story ?? '—'}</Typography.Paragraph>
                    </Descriptions.Item>
                    {p.sources.length > 0 && (
                      <Descriptions.Item label={t('common.sources')} span={2}>
                        {p.sources.map((s) => (
                          <div key={s}>
                            <a href={s} target="_blank" rel="noreferrer">
                              {s}
                            </a>
                          </div>
                        ))}
                      </Descriptions.Item>
                    )}
                  </Descriptions>
                </Card>

                <Card size="small" title={t('product.section.recognition')}>
                  <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
                    <Descriptions.Item label={t('product.stars')}>
                      <Stars value={r.stars} />
                    </Descriptions.Item>
                    <Descriptions.Item label={t('product.recognitionYear')}>{r.recognitionYear ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('product.decisionNumber')}>{r.decisionNumber ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('product.decisionDate')}>{fmtDate(r.decisionDate)}</Descriptions.Item>
                    <Descriptions.Item label={t('product.certificateNumber')}>{r.certificateNumber ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('product.certificateIssuer')}>{r.certificateIssuer ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('product.certificateExpiresOn')}>
                      {fmtDate(r.certificateExpiresOn)}{' '}
                      {r.certificateExpiresOn && r.certificateExpiresOn < todayIso() && <Tag color="red">{t('common.expired')}</Tag>}
                    </Descriptions.Item>
                  </Descriptions>
                </Card>

                <ProductDossiers product={p} />

                <ProductLots product={p} />

                <Card size="small" title={t('product.section.certifications')}>
                  <Table
                    data-testid="certifications-table"
                    size="small"
                    rowKey="id"
                    pagination={false}
                    dataSource={p.certifications}
                    scroll={{ x: true }}
                    locale={{ emptyText: t('common.none') }}
                    columns={[
                      { title: t('cert.type'), dataIndex: 'type', render: (v: string) => label('certificationType', v) },
                      { title: t('cert.name'), dataIndex: 'name', render: (v) => v ?? '—' },
                      { title: t('cert.issuer'), dataIndex: 'issuer', render: (v) => v ?? '—' },
                      { title: t('cert.number'), dataIndex: 'number', render: (v) => v ?? '—' },
                      { title: t('cert.validFrom'), dataIndex: 'validFrom', render: fmtDate },
                      {
                        title: t('cert.validTo'),
                        dataIndex: 'validTo',
                        render: (v: string | null, c) => (
                          <>
                            {fmtDate(v)} {c.expired ? <Tag color="red" data-testid="cert-expired">{t('common.expired')}</Tag> : v ? <Tag color="green">{t('common.valid')}</Tag> : null}
                          </>
                        ),
                      },
                    ]}
                  />
                </Card>

                <Card size="small" title={t('product.section.channels')}>
                  <Table
                    size="small"
                    rowKey="id"
                    pagination={false}
                    dataSource={p.channels}
                    locale={{ emptyText: t('common.none') }}
                    columns={[
                      { title: t('channel.kind'), dataIndex: 'kind', render: (v: string) => label('channelKind', v) },
                      { title: t('channel.name'), dataIndex: 'name', render: (v) => v || '—' },
                      {
                        title: t('channel.url'),
                        dataIndex: 'url',
                        render: (v: string | null) =>
                          safeHref(v) ? (
                            <a href={safeHref(v)} target="_blank" rel="noreferrer">
                              {v}
                            </a>
                          ) : (
                            v || '—'
                          ),
                      },
                    ]}
                  />
                </Card>
              </Space>
            ),
          },
          {
            key: 'photos',
            label: `${t('product.section.photos')} (${p.photos.length})`,
            children: (
              <Card size="small">
                {editable && (
                  <Upload
                    data-testid="photo-upload"
                    name="file"
                    accept="image/jpeg,image/png,image/webp"
                    action={`/api/products/${p.id}/photos`}
                    headers={{ 'x-csrf-token': getCsrfToken() ?? '' }}
                    withCredentials
                    multiple
                    showUploadList={false}
                    beforeUpload={(f) => {
                      const ok = ['image/jpeg', 'image/png', 'image/webp'].includes(f.type);
                      if (!ok) message.error(t('photo.badType'));
                      return ok || Upload.LIST_IGNORE;
                    }}
                    onChange={(info) => {
                      if (info.file.status === 'done') {
                        message.success(t('photo.uploaded'));
                        qc.invalidateQueries({ queryKey: ['products'] });
                      } else if (info.file.status === 'error') {
                        const resp = info.file.response as { detail?: string; title?: string } | undefined;
                        message.error(resp?.detail ?? resp?.title ?? t('photo.uploadFailed'));
                      }
                    }}
                  >
                    <Button icon={<UploadOutlined />} style={{ marginBottom: 16 }}>
                      {t('photo.upload')}
                    </Button>
                  </Upload>
                )}
                {p.photos.length === 0 ? (
                  <Empty description={t('photo.none')} />
                ) : (
                  <Image.PreviewGroup>
                    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
                      {p.photos.map((ph) => (
                        <div key={ph.id} data-testid="photo" style={{ width: 160 }}>
                          <Image src={ph.thumbnailUrl} preview={{ src: ph.url }} width={160} height={160} style={{ objectFit: 'cover', borderRadius: 6 }} alt={ph.caption ?? p.name} />
                          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {ph.width}×{ph.height} · {Math.round(ph.bytes / 1024)} KB
                            </Typography.Text>
                            {editable && (
                              <Popconfirm title={t('photo.confirmDelete')} onConfirm={() => delPhoto.mutate(ph.id)} okText={t('common.delete')} cancelText={t('common.cancel')}>
                                <Button data-testid="photo-delete" size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                              </Popconfirm>
                            )}
                          </div>
                        </div>
                      ))}
                    </div>
                  </Image.PreviewGroup>
                )}
              </Card>
            ),
          },
          ...(canViewSelfAssessment(me, p.producer.id)
            ? [{ key: 'self', label: <span data-testid="self-assessment-tab">{t('self.tab')}</span>, children: <SelfAssessment productId={p.id} editable={canSelfAssess(me, p.producer.id)} /> }]
            : []),
          { key: 'links', label: t('links.tab'), children: <ProductLinks productId={p.id} /> },
          {
            key: 'history',
            label: t('history.tab'),
            children: <HistoryView url={`/api/products/${p.id}/history`} />,
          },
        ]}
      />
    </>
  );
}
