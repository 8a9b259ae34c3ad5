import { Alert, App, Button, Card, Typography } from 'antd';
import { CheckOutlined, FileSearchOutlined, PrinterOutlined, RollbackOutlined, SendOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, type FieldProblem } from '../../../api';
import { useShowError } from '../../../components/errors';
import { useIsPhone } from '../../../components/hooks';
import type { Dossier } from '../../../contract';
import { useI18n } from '../../../i18n';
import { useDossierRefresh } from '../modals';
import type { DossierDraft } from './useDossierDraft';

export type DossierModal = 'return' | 'preAssess' | 'assign' | 'accept' | 'withdraw';
type Action = Dossier['allowedActions'][number];

/** Every workflow button is the server's offer: shown only when `allowedActions` lists it. */
export const offers = (d: Dossier, a: Action) => d.allowedActions.includes(a);

/** The officers' steps (pre-assessment, accept, return, assign) for the page header. */
export function OfficerActions({ dossier: d, open }: { dossier: Dossier; open: (m: DossierModal) => void }) {
  const { t } = useI18n();
  return (
    <>
      {offers(d, 'preAssess') && (
        <Button data-testid="dossier-pre-assess" data-action="preAssess" icon={<FileSearchOutlined />} onClick={() => open('preAssess')}>
          {t('dossier.action.preAssess')}
        </Button>
      )}
      {offers(d, 'accept') && (
        <Button data-testid="dossier-accept" data-action="accept" type="primary" icon={<CheckOutlined />} onClick={() => open('accept')}>
          {t('dossier.action.accept')}
        </Button>
      )}
      {offers(d, 'return') && (
        <Button data-testid="dossier-return" data-action="return" icon={<RollbackOutlined />} onClick={() => open('return')}>
          {t('dossier.action.return')}
        </Button>
      )}
      {offers(d, 'assign') && (
        <Button data-testid="dossier-assign" data-action="assign" type="primary" icon={<CheckOutlined />} onClick={() => open('assign')}>
          {t('dossier.action.assign')}
        </Button>
      )}
      {/* Once accepted, the receipt (giấy tiếp nhận) prints for the producer and the officer alike. */}
      {d.events.some((e) => e.to === 'accepted') && (
        <Button data-testid="dossier-receipt" icon={<PrinterOutlined />} href={`/api/dossiers/${d.id}/receipt.pdf`} target="_blank" rel="noopener">
          {t('dossier.receipt')}
        </Button>
      )}
    </>
  );
}

/**
 * "Nộp hồ sơ" with what is still missing right above it (on a phone too), and the refusal's list when the server
 * says no. Unsaved edits are saved first.
 */
export function SubmitPanel({ dossier: d, draft }: { dossier: Dossier; draft: DossierDraft }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const showError = useShowError();
  const refresh = useDossierRefresh(d.id);
  const phone = useIsPhone();
  const [refused, setRefused] = useState<{ title: string; items: FieldProblem[]; detail?: string } | null>(null);
  const submit = useMutation({
    mutationFn: async () => {
      if (draft.dirty) await draft.save.mutateAsync();
      return api<Dossier>(`/api/dossiers/${d.id}/submit`, { body: {} });
    },
    onSuccess: (r) => {
      setRefused(null);
      message.success(t('dossier.submittedMsg'));
      refresh(r);
    },
    onError: (e) => {
      if (e && typeof e === 'object' && 'errorFields' in e) return; // the form shows what to fix
      if (e instanceof ApiError && (e.status === 422 || e.code === 'DOSSIER_INCOMPLETE')) {
        setRefused({ title: e.problem.title, items: e.problem.errors ?? [], detail: e.problem.detail });
        qc.invalidateQueries({ queryKey: ['dossiers', d.id] });
        return;
      }
      showError(e, draft.form);
    },
  });
  if (!offers(d, 'submit')) return null;
  const missingNow = d.missing ?? [];
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="dossier-submit-panel">
      {refused ? (
        <Alert
          data-testid="submit-missing"
          type="error"
          showIcon
          closable={{ onClose: () => setRefused(null) }}
          style={{ marginBottom: 8 }}
          title={t('dossier.submitRefused')}
          description={
            <>
              <div>{refused.detail && refused.detail !== refused.title ? refused.detail : refused.title}</div>
              <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                {refused.items.map((x, i) => (
                  <li key={i} data-testid="submit-missing-item" data-path={x.path}>
                    {x.message}
                  </li>
                ))}
              </ul>
            </>
          }
        />
      ) : (
        missingNow.length > 0 && (
          <div data-testid="dossier-before-submit" style={{ marginBottom: 8 }}>
            <Typography.Text strong type="warning">
              {t('dossier.beforeSubmit', { n: missingNow.length })}
            </Typography.Text>
            <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
              {missingNow.map((m) => (
                <li key={m.type + m.reason}>
                  {m.label}
                  {m.reason === 'expired' ? ` (${t('common.expired').toLowerCase()})` : ''}
                </li>
              ))}
            </ul>
          </div>
        )
      )}
      <Button data-testid="dossier-submit" data-action="submit" type="primary" block={phone} icon={<SendOutlined />} loading={submit.isPending} onClick={() => submit.mutate()}>
        {d.status === 'returned' ? t('dossier.action.resubmit') : t('dossier.action.submit')}
      </Button>
    </Card>
  );
}

/** Withdrawing ends the dossier: kept apart from "Nộp hồ sơ", explained, and confirmed in a dialog. */
export function WithdrawCard({ dossier: d, open }: { dossier: Dossier; open: (m: DossierModal) => void }) {
  const { t } = useI18n();
  if (!offers(d, 'withdraw')) return null;
  return (
    <Card size="small" title={t('dossier.withdraw.section')} data-testid="dossier-withdraw-card">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('dossier.withdraw.help')}
      </Typography.Paragraph>
      <Button data-testid="dossier-withdraw" data-action="withdraw" danger icon={<StopOutlined />} onClick={() => open('withdraw')}>
        {t('dossier.action.withdraw')}
      </Button>
    </Card>
  );
}
