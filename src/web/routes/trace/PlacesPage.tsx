import { App, Button, Col, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Radio, Row, Select, Space, Table, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, type Paged } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { freshOnOpen } from '../../components/freshOnOpen';
import { CommuneSelect, ProducerSelect, UnitTreeSelect } from '../../components/pickers';
import { MARKETS, type GeoLocation, type GrowingArea, type Market, type PackingHouse } from '../../contract';
import { DATE_FORMAT, fmtDate, fromIsoDate, toIsoDate } from '../../format';
import { useI18n } from '../../i18n';
import { canChangePlaceOwner, canCreatePlace, canEditPlace, canImportPlaces, canVerifyDeclarations } from '../../permissions';
import { VerificationTag, VerifyButtons } from './verification';
import { GeoSketch, MarketTags, ownerLabel, parsePolygon, ValidityTag } from './common';
import { PlaceImportModal } from './PlaceImportModal';

export type PlaceKind = 'growing-areas' | 'packing-houses';
type Place = GrowingArea | PackingHouse;
const isArea = (p: Place): p is GrowingArea => 'crop' in p;

export const GrowingAreasPage = () => <PlacesPage kind="growing-areas" />;
export const PackingHousesPage = () => <PlacesPage kind="packing-houses" />;

const PAGE_SIZE = 20;

/** Growing areas (mã số vùng trồng) or packing houses: search, filters in the address bar, create/edit in a modal. */
function PlacesPage({ kind }: { kind: PlaceKind }) {
  const me = useMe();
  const { t, label } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [sp, setSp] = useSearchParams();
  const area = kind === 'growing-areas';
  const filters = {
    q: sp.get('q') ?? '',
    unitId: sp.get('unitId') ? Number(sp.get('unitId')) : undefined,
    market: (sp.get('market') ?? undefined) as Market | undefined,
    producerId: sp.get('producerId') ?? undefined,
    page: Number(sp.get('page') ?? 1),
  };
  const [search, setSearch] = useState(filters.q);
  const [editing, setEditing] = useState<Place | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const set = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in patch)) next.delete('page');
    setSp(next, { replace: true });
  };

  const { data, isLoading, isPlaceholderData } = useQuery({
    queryKey: [kind, 'list', filters],
    queryFn: () => api<Paged<Place>>(`/api/${kind}`, { query: { ...filters, pageSize: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
  });
  const del = useMutation({
    mutationFn: (id: string) => api(`/api/${kind}/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      message.success(t('trace.place.deleted'));
      qc.invalidateQueries({ queryKey: [kind] });
    },
    onError: (e) => showError(e),
  });

  const title = area ? t('nav.growingAreas') : t('nav.packingHouses');
  return (
    <>
      <PageHeader
        title={title}
        extra={
          <>
            {canImportPlaces(me) && (
              <Button data-testid="place-import" icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                {t('trace.import.button')}
              </Button>
            )}
            {canCreatePlace(me) && (
              <Button data-testid="place-create" type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                {area ? t('trace.growingArea.create') : t('trace.packingHouse.create')}
              </Button>
            )}
          </>
        }
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {area ? t('trace.growingArea.intro') : t('trace.packingHouse.intro')}
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          data-testid="place-search"
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) => set({ q: v.trim() || undefined })}
          placeholder={area ? t('trace.place.searchPlaceholder') : t('trace.packingHouse.searchPlaceholder')}
          style={{ width: 280, maxWidth: '100%' }}
        />
        <UnitTreeSelect data-testid="place-filter-unit" value={filters.unitId} onChange={(v) => set({ unitId: v })} style={{ width: 220 }} />
        <Select<Market>
          data-testid="place-filter-market"
          allowClear
          value={filters.market}
          onChange={(v) => set({ market: v })}
          placeholder={t('trace.place.market')}
          style={{ width: 170 }}
          options={MARKETS.map((m) => ({ value: m, label: label('market', m) }))}
        />
        {me.role !== 'producer' && <ProducerSelect data-testid="place-filter-owner" allowClear value={filters.producerId} onChange={(v) => set({ producerId: v })} style={{ width: 280 }} />}
        <Typography.Text type="secondary">{t('common.totalN', { n: data?.total ?? 0 })}</Typography.Text>
      </Space>
      <Table<Place>
        data-testid="place-table"
        rowKey="id"
        size="small"
        loading={isLoading || isPlaceholderData}
        dataSource={data?.items ?? []}
        scroll={{ x: 1000 }}
        onRow={(p) => ({ 'data-testid': 'place-row', 'data-code': p.code }) as never}
        pagination={data && data.total > PAGE_SIZE ? { current: filters.page, pageSize: PAGE_SIZE, total: data.total, showSizeChanger: false, onChange: (p) => set({ page: p }) } : false}
        columns={[
          { title: t('trace.place.code'), dataIndex: 'code', width: 170, render: (c: string) => <b>{c}</b> },
          area
            ? { title: t('trace.growingArea.crop'), width: 200, render: (_, p) => (isArea(p) ? `${p.crop} · ${p.areaHa.toLocaleString('vi-VN')} ha${p.households != null ? ` · ${t('trace.growingArea.householdsN', { n: p.households })}` : ''}` : '') }
            : { title: t('trace.packingHouse.name'), width: 260, render: (_, p) => (isArea(p) ? '' : p.name) },
          { title: t('trace.place.owner'), width: 260, render: (_, p) => ownerLabel(p.owner) },
          { title: t('trace.place.unit'), width: 160, render: (_, p) => `${label('unitType', p.unit.type)} ${p.unit.name}` },
          { title: t('trace.place.markets'), width: 200, render: (_, p) => <MarketTags markets={p.markets} /> },
          {
            title: t('trace.place.validity'),
            width: 190,
            render: (_, p) => (
              p.issuedOn || p.validTo ? (
                <>
                  {fmtDate(p.issuedOn)} → {fmtDate(p.validTo)} <ValidityTag validTo={p.validTo} />
                </>
              ) : (
                '—'
              )
            ),
          },
          {
            title: t('trace.place.verification'),
            width: 220,
            render: (_, p) => (
              <Space size={4} wrap>
                <VerificationTag status={p.verificationStatus} note={p.verificationNote} />
                {canVerifyDeclarations(me) && p.verificationStatus !== 'verified' && (
                  <VerifyButtons url={`/api/${kind}/${p.id}/verification`} what={p.code} onDone={() => qc.invalidateQueries({ queryKey: [kind] })} />
                )}
                <Typography.Link href={p.publicPath} target="_blank" rel="noopener" data-testid="place-public">{t('trace.place.publicPage')}</Typography.Link>
              </Space>
            ),
          },
          ...(area ? [{ title: t('trace.geo.title'), width: 70, render: (_: unknown, p: Place) => (isArea(p) ? <GeoSketch location={p.location} size={56} /> : null) }] : []),
          {
            title: '',
            width: 90,
            fixed: 'right',
            render: (_, p) =>
              canEditPlace(me, p.owner.producerId) ? (
                <Space size={4}>
                  <Button size="small" data-testid="place-edit" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => setEditing(p)} />
                  <Popconfirm title={t('trace.place.confirmDelete', { code: p.code })} onConfirm={() => del.mutate(p.id)} okText={t('common.delete')} cancelText={t('common.cancel')}>
                    <Button size="small" danger data-testid="place-delete" icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                  </Popconfirm>
                </Space>
              ) : null,
          },
        ]}
      />
      <PlaceModal kind={kind} target={editing} onClose={() => setEditing(null)} />
      <PlaceImportModal kind={kind} open={importing} onClose={() => setImporting(false)} />
    </>
  );
}

interface FormValues {
  code: string;
  name?: string;
  crop?: string;
  areaHa?: number;
  households?: number | null;
  ownerProducerId?: string | null;
  ownerName?: string | null;
  unitId: number;
  markets: Market[];
  issuingAuthority?: string | null;
  gln?: string | null;
  issuedOn?: dayjs.Dayjs | null;
  validTo?: dayjs.Dayjs | null;
  geoMode: 'none' | 'point' | 'polygon';
  lat?: number | null;
  lng?: number | null;
  polygon?: string;
}

function initialValues(p: Place | null, producerId: string | null): Partial<FormValues> {
  if (!p) return { markets: [], geoMode: 'none', ownerProducerId: producerId };
  const loc = isArea(p) ? p.location : null;
  return {
    code: p.code,
    ...(isArea(p) ? { crop: p.crop, areaHa: p.areaHa, households: p.households } : { name: p.name }),
    ownerProducerId: p.owner.producerId,
    ownerName: p.owner.name,
    unitId: p.unit.id,
    markets: p.markets,
    issuingAuthority: p.issuingAuthority,
    gln: p.gln,
    issuedOn: fromIsoDate(p.issuedOn),
    validTo: fromIsoDate(p.validTo),
    geoMode: loc ? (loc.type === 'Point' ? 'point' : 'polygon') : 'none',
    lat: loc?.type === 'Point' ? loc.coordinates[1] : null,
    lng: loc?.type === 'Point' ? loc.coordinates[0] : null,
    polygon: loc?.type === 'Polygon' ? JSON.stringify(loc) : undefined,
  };
}

/** The location the form describes (null when none or not yet readable). */
function locationOf(v: Partial<FormValues>): GeoLocation | null {
  if (v.geoMode === 'point' && typeof v.lat === 'number' && typeof v.lng === 'number') return { type: 'Point', coordinates: [v.lng, v.lat] };
  if (v.geoMode === 'polygon' && v.polygon?.trim()) {
    const r = parsePolygon(v.polygon);
    return r.ok ? r.value : null;
  }
  return null;
}

function PlaceModalInner({ kind, target, onClose }: { kind: PlaceKind; target: Place | 'new' | null; onClose: () => void }) {
  const me = useMe();
  const { t, label } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const area = kind === 'growing-areas';
  const place = target && target !== 'new' ? target : null;
  const [form] = Form.useForm<FormValues>();
  const watched = Form.useWatch([], form) as Partial<FormValues> | undefined;
  const geoMode = Form.useWatch('geoMode', form);
  const ownerFixed = !canChangePlaceOwner(me);

  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const clean = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);
      const body = {
        code: v.code.trim().toUpperCase(),
        ...(area ? { crop: v.crop?.trim() ?? '', areaHa: v.areaHa, households: v.households ?? null, location: locationOf(v) } : { name: v.name?.trim() ?? '' }),
        ownerProducerId: v.ownerProducerId ?? null,
        ownerName: v.ownerProducerId ? null : clean(v.ownerName),
        unitId: v.unitId,
        markets: v.markets ?? [],
        issuingAuthority: clean(v.issuingAuthority),
        gln: clean(v.gln),
        issuedOn: toIsoDate(v.issuedOn),
        validTo: toIsoDate(v.validTo),
      };
      return place ? api<Place>(`/api/${kind}/${place.id}`, { method: 'PUT', body: { ...body, version: place.version } }) : api<Place>(`/api/${kind}`, { body });
    },
    onSuccess: (p) => {
      message.success(t('trace.place.saved', { code: p.code }));
      qc.invalidateQueries({ queryKey: [kind] });
      onClose();
    },
    onError: (e) => showError(e, form),
  });

  const req = [{ required: true, message: t('form.required') }];
  const title = place ? t('trace.place.editTitle', { code: place.code }) : area ? t('trace.growingArea.create') : t('trace.packingHouse.create');
  return (
    <Modal
      open={!!target}
      title={title}
      width={820}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'place-save' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form<FormValues> form={form} layout="vertical" initialValues={initialValues(place, me.role === 'producer' ? me.producerId : null)} onFinish={(v) => save.mutate(v)} data-testid="place-form">
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="code" label={area ? t('trace.growingArea.code') : t('trace.packingHouse.code')} rules={[...req, { pattern: /^[A-Za-z0-9-]{3,40}$/, message: t('trace.place.codeInvalid') }]} extra={t('trace.place.codeHelp')}>
              <Input data-testid="place-code" maxLength={40} style={{ textTransform: 'uppercase' }} />
            </Form.Item>
          </Col>
          {area ? (
            <>
              <Col xs={24} md={6}>
                <Form.Item name="crop" label={t('trace.growingArea.crop')} rules={req}>
                  <Input data-testid="place-crop" maxLength={120} placeholder={t('trace.growingArea.cropPlaceholder')} />
                </Form.Item>
              </Col>
              <Col xs={12} md={5}>
                <Form.Item name="areaHa" label={t('trace.growingArea.areaHa')} rules={req}>
                  <InputNumber data-testid="place-area" min={0.01} step={0.1} decimalSeparator="," style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} md={5}>
                <Form.Item name="households" label={t('trace.growingArea.households')}>
                  <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </>
          ) : (
            <Col xs={24} md={16}>
              <Form.Item name="name" label={t('trace.packingHouse.name')} rules={req}>
                <Input data-testid="place-name" maxLength={300} />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} md={12}>
            <Form.Item name="ownerProducerId" label={t('trace.place.ownerProducer')} extra={ownerFixed ? t('trace.place.ownerFixed') : t('trace.place.ownerHelp')}>
              <ProducerSelect data-testid="place-owner" allowClear disabled={ownerFixed} initialLabel={place?.owner.producerName ?? undefined} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="ownerName" label={t('trace.place.ownerName')} dependencies={['ownerProducerId']}>
              <Input maxLength={300} disabled={!!watched?.ownerProducerId || ownerFixed} placeholder={t('trace.place.ownerNamePlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="unitId" label={t('trace.place.unit')} rules={req} extra={t('unit.currentOnly')}>
              <CommuneSelect data-testid="place-unit" current={place ? { id: place.unit.id, label: `${label('unitType', place.unit.type)} ${place.unit.name}` } : undefined} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="markets" label={t('trace.place.markets')}>
              <Select<Market[]> data-testid="place-markets" mode="multiple" allowClear options={MARKETS.map((m) => ({ value: m, label: label('market', m) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="issuingAuthority" label={t('trace.place.issuingAuthority')}>
              <Input maxLength={300} placeholder={t('trace.place.issuingAuthorityPlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="gln" label={t('trace.place.gln')} extra={t('trace.place.glnHelp')} rules={[{ pattern: /^\s*(\d{13})?\s*$/, message: t('trace.place.glnHelp') }]}>
              <Input data-testid="place-gln" maxLength={13} inputMode="numeric" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="issuedOn" label={t('trace.place.issuedOn')}>
              <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
              name="validTo"
              label={t('trace.place.validTo')}
              dependencies={['issuedOn']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, v: dayjs.Dayjs | null) => {
                    const from = getFieldValue('issuedOn') as dayjs.Dayjs | null;
                    return v && from && v.isBefore(from, 'day') ? Promise.reject(new Error(t('trace.place.validToBeforeIssued'))) : Promise.resolve();
                  },
                }),
              ]}
            >
              <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        {area && (
          <Row gutter={16}>
            <Col xs={24} md={16}>
              <Form.Item name="geoMode" label={t('trace.geo.title')}>
                <Radio.Group
                  data-testid="place-geo-mode"
                  optionType="button"
                  options={[
                    { value: 'none', label: t('trace.geo.modeNone') },
                    { value: 'point', label: t('trace.geo.modePoint') },
                    { value: 'polygon', label: t('trace.geo.modePolygon') },
                  ]}
                />
              </Form.Item>
              {geoMode === 'point' && (
                <Row gutter={8}>
                  <Col span={12}>
                    <Form.Item name="lat" label={t('trace.geo.lat')} rules={[...req, { type: 'number', min: 8, max: 24, message: t('trace.geo.latRange') }]}>
                      <InputNumber data-testid="place-lat" step={0.0001} style={{ width: '100%' }} placeholder="21.3876" />
                    </Form.Item>
                  </Col>
                  <Col span={12}>
                    <Form.Item name="lng" label={t('trace.geo.lng')} rules={[...req, { type: 'number', min: 102, max: 110, message: t('trace.geo.lngRange') }]}>
                      <InputNumber data-testid="place-lng" step={0.0001} style={{ width: '100%' }} placeholder="106.6543" />
                    </Form.Item>
                  </Col>
                </Row>
              )}
              {geoMode === 'polygon' && (
                <Form.Item
                  name="polygon"
                  label={t('trace.geo.geojson')}
                  extra={t('trace.geo.geojsonHelp')}
                  rules={[
                    ...req,
                    {
                      validator: (_, v: string) => {
                        if (!v?.trim()) return Promise.resolve();
                        const r = parsePolygon(v);
                        if (!r.ok) return Promise.reject(new Error(r.error === 'json' ? t('trace.geo.badJson') : t('trace.geo.notPolygon')));
                        return Promise.resolve();
                      },
                    },
                  ]}
                >
                  <Input.TextArea data-testid="place-polygon" autoSize={{ minRows: 3, maxRows: 8 }} style={{ fontFamily: 'monospace', fontSize: 12 }} placeholder='{"type":"Polygon","coordinates":[[[106.65,21.38],[106.66,21.38],[106.66,21.39],[106.65,21.38]]]}' />
                </Form.Item>
              )}
            </Col>
            <Col xs={24} md={8} style={{ display: 'flex', justifyContent: 'center', alignItems: 'flex-start' }}>
              <GeoSketch location={watched ? locationOf(watched) : null} size={170} />
            </Col>
          </Row>
        )}
      </Form>
    </Modal>
  );
}

const PlaceModal = freshOnOpen(PlaceModalInner, (p) => !!p.target);
