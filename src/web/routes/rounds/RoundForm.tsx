import { App, Alert, Button, Card, DatePicker, Form, Input, InputNumber, Result, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type dayjs from 'dayjs';
import type { CriteriaSet } from '../../../server/modules/criteria/schema';
import type { CreateRound } from '../../../server/modules/evaluation/schema';
import type { ZRoundOptions } from '../../../server/modules/evaluation/options';
import type { z } from 'zod';
import type { ProductSummary } from '../../../server/modules/products/schema';
import { api, type Paged } from '../../api';
import { useMe } from '../../auth';
import { PageHeader } from '../../components/AppLayout';
import { useShowError } from '../../components/errors';
import { useDebounced } from '../../components/hooks';
import { UnitTreeSelect } from '../../components/pickers';
import { DATE_FORMAT, toIsoDate } from '../../format';
import { useI18n } from '../../i18n';
import { canManageRounds } from '../../permissions';
import { MEMBER_ROLES, ROUND_LEVELS, type Round } from './common';
import type { CouncilCandidate } from '../../../server/modules/evaluation/schema';

type RoundOptions = z.infer<typeof ZRoundOptions>;

type FormValues = Omit<CreateRound, 'startsOn' | 'endsOn' | 'quorumRatio'> & { startsOn?: dayjs.Dayjs | null; endsOn?: dayjs.Dayjs | null; quorumPercent: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Council members: the accounts that may sit on a council (officers organising the round can list them). */
function useCouncilCandidates() {
  const me = useMe();
  const users = useQuery({ queryKey: ['rounds', 'candidates'], queryFn: () => api<CouncilCandidate[]>('/api/rounds/candidates') });
  return useMemo(() => {
    const m = new Map<string, string>();
    for (const u of users.data ?? []) m.set(u.id, `${u.fullName} (${u.login})`);
    if (!m.has(me.id)) m.set(me.id, `${me.fullName} (${me.login})`);
    return { options: [...m].map(([value, label]) => ({ value, label })), loading: users.isLoading, fromAccounts: true };
  }, [me, users.data, users.isLoading]);
}

/** An account from the candidates, or a pasted account id (officers cannot list accounts). */
function MemberSelect(props: { value?: string; onChange?: (v: string) => void; options: { value: string; label: string }[]; loading: boolean; 'data-testid'?: string }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const options = useMemo(() => {
    const s = search.trim();
    const o = [...props.options];
    if (UUID.test(s) && !o.some((x) => x.value === s)) o.unshift({ value: s, label: t('round.accountId', { id: s }) });
    if (props.value && !o.some((x) => x.value === props.value)) o.unshift({ value: props.value, label: t('round.accountId', { id: props.value }) });
    return o;
  }, [props.options, props.value, search, t]);
  return (
    <Select
      data-testid={props['data-testid']}
      value={props.value}
      onChange={(v: string) => props.onChange?.(v)}
      showSearch={{ onSearch: setSearch, filterOption: (input, o) => String(o?.label ?? '').toLowerCase().includes(input.trim().toLowerCase()) || o?.value === input.trim() }}
      options={options}
      loading={props.loading}
      placeholder={t('round.memberPlaceholder')}
      notFoundContent={t('round.memberNotFound')}
    />
  );
}

export function ProductMultiSelect(props: { value?: string[]; onChange?: (v: string[]) => void }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const [known, setKnown] = useState<Record<string, string>>({});
  const { data, isFetching } = useQuery({
    queryKey: ['products', 'pick', q],
    queryFn: () => api<Paged<ProductSummary>>('/api/products', { query: { q, pageSize: 30, sort: 'name' } }),
    staleTime: 30_000,
  });
  const options = useMemo(() => {
    const opts = (data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${p.producer.legalName} · ${p.taxonomy.code}` }));
    for (const id of props.value ?? []) if (!opts.some((o) => o.value === id)) opts.push({ value: id, label: known[id] ?? id });
    return opts;
  }, [data, props.value, known]);
  return (
    <Select
      data-testid="round-products"
      mode="multiple"
      value={props.value}
      onChange={(v: string[]) => {
        const k = { ...known };
        for (const o of options) if (v.includes(o.value)) k[o.value] = o.label;
        setKnown(k);
        props.onChange?.(v);
      }}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      options={options}
      loading={isFetching}
      placeholder={t('round.productsPlaceholder')}
      notFoundContent={isFetching ? t('common.loading') : t('common.noData')}
      style={{ width: '100%' }}
    />
  );
}

export default function RoundForm() {
  const me = useMe();
  const { t, label } = useI18n();
  const nav = useNavigate();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<FormValues>();
  // Procedures and levels with what I may organise, from the server (the rules live there, as data).
  const options = useQuery({ queryKey: ['rounds', 'options'], queryFn: () => api<RoundOptions>('/api/rounds/options'), staleTime: 60_000 });
  const procedures = { data: options.data?.procedures, isLoading: options.isLoading };
  const sets = useQuery({ queryKey: ['criteria', 'sets'], queryFn: () => api<CriteriaSet[]>('/api/criteria/sets') });
  const candidates = useCouncilCandidates();
  const procCode = Form.useWatch('procedureCode', form);
  const levels = procedures.data?.find((p) => p.code === procCode)?.levels;
  const level = Form.useWatch('level', form);
  const levelChoice = levels?.find((l) => l.level === level);
  const inForce = procedures.data?.find((p) => p.inForceToday);
  useEffect(() => {
    if (inForce && !form.getFieldValue('procedureCode')) form.setFieldValue('procedureCode', inForce.code);
  }, [inForce, form]);
  // Start on a level I may organise (the ministry's officer: the central council).
  useEffect(() => {
    const current = levels?.find((l) => l.level === form.getFieldValue('level'));
    const firstAllowed = levels?.find((l) => l.allowed);
    if (levels && (!current || !current.allowed) && firstAllowed) form.setFieldValue('level', firstAllowed.level);
  }, [levels, form]);

  const create = useMutation({
    mutationFn: (v: CreateRound) => api<Round>('/api/rounds', { body: v }),
    onSuccess: (r) => {
      message.success(t('round.created'));
      nav(`/rounds/${r.id}`);
    },
    onError: (e) => showError(e, form),
  });

  if (!canManageRounds(me)) return <Result status="403" title={t('error.forbidden')} />;

  const onFinish = (v: FormValues) => {
    create.mutate({
      name: v.name,
      level: v.level,
      unitId: v.level === 'central' ? null : v.unitId,
      startsOn: toIsoDate(v.startsOn),
      endsOn: toIsoDate(v.endsOn),
      procedureCode: v.procedureCode,
      criteriaSetId: v.criteriaSetId,
      spreadThreshold: v.spreadThreshold,
      quorumRatio: v.quorumPercent / 100,
      minValidSheets: null,
      members: (v.members ?? []).map((m) => ({ userId: m.userId.trim(), role: m.role })),
      productIds: v.productIds ?? [],
    });
  };

  return (
    <>
      <PageHeader back="/rounds" title={t('round.create')} />
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{ level: 'province', spreadThreshold: 10, quorumPercent: 75, members: [{ role: 'chair' }, { role: 'member' }, { role: 'member' }], productIds: [] }}
        style={{ maxWidth: 900 }}
      >
        <Card size="small" title={t('round.section.general')} style={{ marginBottom: 16 }}>
          <Form.Item name="name" label={t('round.name')} rules={[{ required: true, message: t('form.required') }, { min: 3, message: t('form.tooShort') }]}>
            <Input data-testid="round-name" maxLength={200} />
          </Form.Item>
          <Space wrap size={16} style={{ width: '100%' }} styles={{ item: { minWidth: 260, flex: 1 } }}>
            <Form.Item name="procedureCode" label={t('round.procedure')} rules={[{ required: true, message: t('form.required') }]}>
              <Select
                data-testid="round-procedure"
                loading={procedures.isLoading}
                options={(procedures.data ?? []).map((p) => ({ value: p.code, label: `${p.name} (${p.period})${p.inForceToday ? ` — ${t('round.procedureInForce')}` : ''}` }))}
              />
            </Form.Item>
            <Form.Item name="level" label={t('round.level')} rules={[{ required: true, message: t('form.required') }]}>
              <Select
                data-testid="round-level"
                options={ROUND_LEVELS.map((l) => {
                  const o = levels?.find((x) => x.level === l);
                  const refused = !o ? t('round.levelNotInProcedure') : o.allowed ? null : o.reason;
                  return { value: l, label: refused ? `${label('roundLevel', l)} — ${refused}` : label('roundLevel', l), disabled: Boolean(refused), title: refused ?? undefined };
                })}
              />
            </Form.Item>
          </Space>
          {levelChoice && !levelChoice.allowed && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={levelChoice.reason} data-testid="round-level-refused" />}
          {level !== 'central' && (
            <Form.Item name="unitId" label={t('round.unit')} rules={[{ required: true, message: t('form.required') }]} extra={t('round.unitHelp')}>
              <UnitTreeSelect data-testid="round-unit" />
            </Form.Item>
          )}
          <Form.Item name="criteriaSetId" label={t('round.criteriaSet')} rules={[{ required: true, message: t('form.required') }]} extra={t('round.criteriaSetHelp')}>
            <Select
              data-testid="round-criteria-set"
              loading={sets.isLoading}
              options={(sets.data ?? []).filter((s) => s.status === 'published').map((s) => ({ value: s.id, label: `${s.name}${s.isDemo ? ` — ${t('common.demo')}` : ''}` }))}
            />
          </Form.Item>
          <Space wrap size={16}>
            <Form.Item name="startsOn" label={t('round.startsOn')}>
              <DatePicker format={DATE_FORMAT} />
            </Form.Item>
            <Form.Item name="endsOn" label={t('round.endsOn')}>
              <DatePicker format={DATE_FORMAT} />
            </Form.Item>
            <Form.Item name="spreadThreshold" label={t('round.spreadThreshold')} rules={[{ required: true, message: t('form.required') }]} tooltip={t('round.spreadThresholdHelp')}>
              <InputNumber data-testid="round-spread" min={0.5} max={100} step={0.5} suffix={t('round.pointsUnit')} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="quorumPercent" label={t('round.quorum')} rules={[{ required: true, message: t('form.required') }]} tooltip={t('round.quorumHelp')}>
              <InputNumber data-testid="round-quorum" min={1} max={100} suffix="%" style={{ width: 120 }} />
            </Form.Item>
          </Space>
        </Card>

        <Card size="small" title={t('round.section.council')} style={{ marginBottom: 16 }}>
          {!candidates.fromAccounts && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('round.membersHelpOfficer')} />}
          <Form.List
            name="members"
            rules={[
              {
                validator: async (_, ms: { role?: string }[] | undefined) => {
                  if ((ms ?? []).filter((m) => m?.role === 'chair').length !== 1) throw new Error(t('round.oneChair'));
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((f, i) => (
                  <div key={f.key} style={{ display: 'flex', gap: 8, alignItems: 'flex-start', flexWrap: 'wrap' }}>
                    <Form.Item
                      name={[f.name, 'userId']}
                      style={{ flex: '1 1 280px', marginBottom: 8 }}
                      rules={[
                        { required: true, message: t('form.required') },
                        { pattern: UUID, message: t('round.memberIdInvalid') },
                      ]}
                    >
                      <MemberSelect data-testid={`round-member-${i}`} options={candidates.options} loading={candidates.loading} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'role']} style={{ flex: '0 0 200px', marginBottom: 8 }} rules={[{ required: true, message: t('form.required') }]}>
                      <Select data-testid={`round-member-role-${i}`} options={MEMBER_ROLES.map((r) => ({ value: r, label: label('memberRole', r) }))} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                  </div>
                ))}
                <Form.ErrorList errors={errors} />
                <Button data-testid="round-member-add" type="dashed" icon={<PlusOutlined />} onClick={() => add({ role: 'member' })}>
                  {t('round.addMember')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>

        <Card size="small" title={t('round.section.products')} style={{ marginBottom: 16 }}>
          <Form.Item name="productIds" extra={t('round.productsHelp')} style={{ marginBottom: 0 }}>
            <ProductMultiSelect />
          </Form.Item>
        </Card>
        <Space>
          <Button data-testid="round-save" type="primary" htmlType="submit" loading={create.isPending}>
            {t('round.create')}
          </Button>
          <Button onClick={() => nav('/rounds')}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}
