import { App, Alert, Button, Checkbox, Empty, Form, Input, Select, Space, Table, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ProductLinksOut } from '../../../server/modules/product-links/schema';
import { CONFIGURABLE_LINK_TYPES, LINK_LANGS } from '../../../shared/link-types';
import { isHttpUrl, safeHref } from '../../../shared/url';
import { api } from '../../api';
import { useShowError } from '../../components/errors';
import { PageSpinner } from '../../components/PageSpinner';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../../shared/i18n/vi';

type Row = ProductLinksOut['links'][number];

/**
 * The links a product's GS1 Digital Link resolves to (docs/resolver.md): the producer and officers in scope add
 * pages by link type and language; the traceability page stays the default link. Whether the caller may edit comes
 * from the server (canEdit).
 */
export function ProductLinks({ productId }: { productId: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ links: Row[] }>();
  const { data, isLoading } = useQuery({ queryKey: ['product-links', productId], queryFn: () => api<ProductLinksOut>(`/api/products/${productId}/links`) });
  useEffect(() => {
    if (data) form.setFieldsValue({ links: data.links });
  }, [data, form]);
  const save = useMutation({
    mutationFn: (links: Row[]) => api<ProductLinksOut>(`/api/products/${productId}/links`, { method: 'PUT', body: { links } }),
    onSuccess: (out) => {
      message.success(t('links.saved'));
      qc.setQueryData(['product-links', productId], out);
    },
    onError: (e) => showError(e, form),
  });
  if (isLoading || !data) return <PageSpinner />;

  const typeLabel = (type: string) => t(`links.type.${type}` as MessageKey);
  const typeOptions = CONFIGURABLE_LINK_TYPES.map((v) => ({ value: v, label: `${typeLabel(v)} (${v})` }));
  const langOptions = LINK_LANGS.map((v) => ({ value: v, label: t(`links.lang.${v}` as MessageKey) }));
  const dl = data.digitalLink;

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="product-links">
      <Typography.Paragraph type="secondary">{t('links.intro')}</Typography.Paragraph>
      {dl ? (
        <Typography.Paragraph>
          {t('links.digitalLink')}: <Typography.Text copyable code>{dl}</Typography.Text>{' '}
          <a href={safeHref(`${dl}?linkType=all`)} target="_blank" rel="noreferrer">{t('links.linkset')}</a>
        </Typography.Paragraph>
      ) : <Alert type="info" showIcon message={t('links.noGtin')} />}
      {!data.canEdit ? (
        <Table<Row>
          rowKey={(r) => `${r.linkType}|${r.lang}`}
          size="small"
          pagination={false}
          dataSource={data.links}
          locale={{ emptyText: <Empty description={t('links.empty')} /> }}
          columns={[
            { title: t('links.type'), dataIndex: 'linkType', render: (v: string) => typeLabel(v) },
            { title: t('links.lang'), dataIndex: 'lang', render: (v: string) => t(`links.lang.${v}` as MessageKey) },
            { title: t('links.title'), dataIndex: 'title' },
            { title: t('links.href'), dataIndex: 'href', render: (v: string) => (safeHref(v) ? <a href={safeHref(v)} target="_blank" rel="noreferrer">{v}</a> : v) },
            { title: t('links.default'), dataIndex: 'isDefault', render: (v: boolean) => (v ? '✓' : '') },
          ]}
        />
      ) : (
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate((v.links ?? []).map((l) => ({ ...l, isDefault: !!l.isDefault })))}>
          <Form.List name="links">
            {(fields, { add, remove }) => (
              <>
                {fields.length === 0 && <Empty description={t('links.empty')} />}
                {fields.map((f) => (
                  <Space key={f.key} wrap align="start" data-testid="product-link-row">
                    <Form.Item name={[f.name, 'linkType']} label={t('links.type')} rules={[{ required: true, message: t('links.required') }]} style={{ minWidth: 260 }}>
                      <Select options={typeOptions} showSearch optionFilterProp="label" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'lang']} label={t('links.lang')} rules={[{ required: true, message: t('links.required') }]} style={{ minWidth: 120 }}>
                      <Select options={langOptions} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'title']} label={t('links.title')} rules={[{ required: true, message: t('links.required') }]} style={{ minWidth: 200 }}>
                      <Input maxLength={200} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'href']} label={t('links.href')} style={{ minWidth: 280 }}
                      rules={[{ required: true, message: t('links.required') }, { validator: (_r, v) => (!v || isHttpUrl(v) ? Promise.resolve() : Promise.reject(new Error(t('links.hrefInvalid')))) }]}>
                      <Input placeholder="https://" maxLength={2000} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'isDefault']} label=" " valuePropName="checked">
                      <Checkbox>{t('links.default')}</Checkbox>
                    </Form.Item>
                    <Form.Item label=" ">
                      <Button icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => remove(f.name)} />
                    </Form.Item>
                  </Space>
                ))}
                <Space>
                  <Button icon={<PlusOutlined />} onClick={() => add({ linkType: 'gs1:pip', lang: 'vi', title: '', href: '', isDefault: false })} data-testid="product-link-add">{t('links.add')}</Button>
                  <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="product-links-save">{t('links.save')}</Button>
                </Space>
              </>
            )}
          </Form.List>
        </Form>
      )}
    </Space>
  );
}
