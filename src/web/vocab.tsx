import { Tag } from 'antd';
import { useMemo } from 'react';
import { dossierStatusLabel, evidenceTypeLabel, preAssessmentLabel, revocationReasonLabel } from '../shared/i18n/vocab';
import type { CertificateStatus, DossierStatus } from './contract';
import { useI18n } from './i18n';

/** The dossier/certificate vocabulary bound to the current UI language. */
export function useVocab() {
  const { lang } = useI18n();
  return useMemo(
    () => ({
      evidenceType: (v: string | null | undefined) => evidenceTypeLabel(lang, v),
      dossierStatus: (v: string | null | undefined) => dossierStatusLabel(lang, v),
      preAssessment: (v: string | null | undefined) => preAssessmentLabel(lang, v),
      revocationReason: (v: string | null | undefined) => revocationReasonLabel(lang, v),
    }),
    [lang],
  );
}

const DOSSIER_COLOR: Record<DossierStatus, string> = {
  draft: 'default',
  submitted: 'blue',
  returned: 'orange',
  accepted: 'cyan',
  assigned: 'geekblue',
  evaluated: 'purple',
  recognised: 'green',
  forwarded: 'lime',
  not_recognised: 'red',
  withdrawn: 'default',
};

export function DossierStatusTag({ status }: { status: DossierStatus }) {
  const v = useVocab();
  return (
    <Tag color={DOSSIER_COLOR[status] ?? 'default'} data-testid="dossier-status" data-status={status} style={{ whiteSpace: 'normal' }}>
      {v.dossierStatus(status)}
    </Tag>
  );
}

const CERT_COLOR: Record<CertificateStatus, string> = { active: 'green', expiring: 'orange', expired: 'red', superseded: 'default', revoked: 'red' };

export function CertificateStatusTag({ status, daysLeft }: { status: CertificateStatus; daysLeft?: number }) {
  const { label, t } = useI18n();
  return (
    <Tag color={CERT_COLOR[status] ?? 'default'} data-testid="certificate-status" data-status={status}>
      {label('certificateStatus', status)}
      {status === 'expiring' && daysLeft !== undefined ? ` · ${t('certificate.daysLeftN', { n: daysLeft })}` : ''}
    </Tag>
  );
}
