import { Button, Card, Result, Space, Tag, Tree, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { z } from 'zod';
import type { ZCriteriaSheet } from '../../../server/modules/criteria/schema';
import { nodeMax, type CriteriaNode } from '../../../shared/criteria';
import { api, ApiError } from '../../api';
import { PageHeader } from '../../components/AppLayout';
import { PageSpinner } from '../../components/PageSpinner';
import { DemoBanner, fmtPoints } from '../../components/scoring';
import { useI18n } from '../../i18n';
import { IssueList } from './CriteriaSetDetail';

type Sheet = z.infer<typeof ZCriteriaSheet>;
interface TNode {
  key: string;
  title: React.ReactNode;
  children?: TNode[];
  selectable?: boolean;
}

export default function CriteriaSheetView() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { data: s, isLoading, error } = useQuery({ queryKey: ['criteria', 'sheets', id], queryFn: () => api<Sheet>(`/api/criteria/sheets/${id}`) });

  const { tree, keys } = useMemo(() => {
    const issuesBy = new Map<string, Sheet['issues']>();
    for (const i of s?.issues ?? []) issuesBy.set(i.code, [...(issuesBy.get(i.code) ?? []), i]);
    const keys: string[] = [];
    const build = (n: CriteriaNode, depth: number): TNode => {
      const key = `${depth}:${n.code}`;
      const leaf = !n.children?.length;
      if (!leaf) keys.push(key);
      const issues = issuesBy.get(n.code) ?? [];
      const worst = issues.some((i) => i.severity === 'error') ? 'error' : issues.length ? 'warning' : null;
      const title = (
        <div data-testid={`node-${n.code}`} style={{ padding: '2px 0' }}>
          <span style={{ fontWeight: depth < 2 ? 600 : 500, color: worst === 'error' ? '#cf1322' : worst === 'warning' ? '#d46b08' : undefined }}>
            {n.code}. {n.title}
          </span>{' '}
          <Tag style={{ marginInlineStart: 4 }}>{t('criteria.maxN', { n: fmtPoints(nodeMax(n), lang) })}</Tag>
          {n.mandatoryFromStar ? <Tag color="purple">{t('criteria.mandatoryFrom', { n: n.mandatoryFromStar })}</Tag> : null}
          {issues.map((i, k) => (
            <div key={k} style={{ color: i.severity === 'error' ? '#cf1322' : '#d46b08', fontSize: 12 }}>
              ⚠ {i.message}
            </div>
          ))}
          {leaf && (
            <ol start={0} style={{ margin: '2px 0 4px', paddingLeft: 20, fontSize: 13, color: '#555' }}>
              {(n.options ?? []).map((o, k) => (
                <li key={k} style={{ listStyle: 'none' }}>
                  <Tag color={o.points === nodeMax(n) ? 'green' : undefined} style={{ minWidth: 44, textAlign: 'center' }}>
                    {fmtPoints(o.points, lang)}
                  </Tag>
                  {o.label}
                  {o.disqualifies && <Tag color="red">{t('criteria.disqualifies')}</Tag>}
                </li>
              ))}
            </ol>
          )}
        </div>
      );
      return { key, title, selectable: false, children: leaf ? undefined : n.children!.map((c) => build(c, depth + 1)) };
    };
    const tree = (s?.doc.parts ?? []).map((p) => build(p, 0));
    return { tree, keys };
  }, [s, t, lang]);

  if (isLoading) return <PageSpinner />;
  if (error || !s) return <Result status={error instanceof ApiError && error.status === 403 ? '403' : '404'} title={error instanceof ApiError ? error.problem.title : t('error.notFound')} />;
  const total = s.doc.parts.reduce((x, p) => x + nodeMax(p), 0);

  return (
    <>
      <PageHeader
        back={`/criteria/${s.setId}`}
        title={
          <span data-testid="sheet-title-view">
            {s.taxonomyCode} · {s.title} {s.isDemo && <Tag color="orange">{t('criteria.demoTag')}</Tag>}
          </span>
        }
        extra={
          <a href={`/api/criteria/template.xlsx?sheetId=${s.id}`} download>
            <Button icon={<DownloadOutlined />}>{t('criteria.downloadAsExcel')}</Button>
          </a>
        }
      />
      <DemoBanner show={s.isDemo} note={s.note} />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          {s.doc.parts.map((p) => (
            <Tag key={p.code} color="blue">
              {t('criteria.partN', { p: p.code })}: {fmtPoints(nodeMax(p), lang)}
            </Tag>
          ))}
          <Typography.Text strong>
            {t('criteria.totalN', { n: fmtPoints(total, lang) })} · {t('criteria.criteriaCountN', { n: s.criteriaCount })}
          </Typography.Text>
          <Link to={`/criteria/${s.setId}`}>{t('criteria.backToSet')}</Link>
        </Space>
        <div style={{ marginTop: 8 }}>
          <Typography.Text strong>{t('criteria.report')}: </Typography.Text>
          <IssueList issues={s.issues} />
        </div>
      </Card>
      <Card size="small">
        <Tree data-testid="sheet-tree" treeData={tree} defaultExpandedKeys={keys} blockNode showLine selectable={false} />
      </Card>
    </>
  );
}
