import { Tag } from 'antd';
import type { z } from 'zod';
import type { Round, ZRoundProduct } from '../../../server/modules/evaluation/schema';
import { useI18n } from '../../i18n';

export type { Round };
export type RoundProduct = z.infer<typeof ZRoundProduct>;
export type RoundStatus = Round['status'];
export type MemberRole = Round['members'][number]['role'];
export type RoundLevel = Round['level'];
export type Outcome = NonNullable<RoundProduct['result']>['outcome'];

/** Same lists as the server's schema (kept here so the bundle does not carry zod). */
export const ROUND_LEVELS: RoundLevel[] = ['commune', 'district', 'province', 'central'];
export const MEMBER_ROLES: MemberRole[] = ['chair', 'vice_chair', 'member', 'secretary', 'advisor'];
export const SCORING_ROLES: MemberRole[] = ['chair', 'vice_chair', 'member'];
export const CONFLICT_REASONS = ['same_producer', 'family', 'business_partner', 'other'] as const;
export const ROUND_STEPS: RoundStatus[] = ['draft', 'scoring', 'results_open', 'finalised'];

const STATUS_COLOR: Record<RoundStatus, string> = { draft: 'default', scoring: 'blue', results_open: 'orange', finalised: 'green' };
export function RoundStatusTag({ status }: { status: RoundStatus }) {
  const { label } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="round-status" data-status={status}>
      {label('roundStatus', status)}
    </Tag>
  );
}

const MY_COLOR: Record<string, string> = { none: 'default', draft: 'gold', submitted: 'green', conflict: 'red', not_scoring: 'default' };
export function MyStatusTag({ status }: { status: string }) {
  const { label } = useI18n();
  return (
    <Tag color={MY_COLOR[status] ?? 'default'} data-testid="my-status" data-status={status}>
      {label('myStatus', status)}
    </Tag>
  );
}

const OUTCOME_COLOR: Record<Outcome, string> = { recognised: 'green', forwarded: 'blue', not_recognised: 'red' };
export function OutcomeTag({ result }: { result: NonNullable<RoundProduct['result']> }) {
  const { label, t } = useI18n();
  return (
    <Tag color={OUTCOME_COLOR[result.outcome]} data-testid="result-outcome" data-outcome={result.outcome}>
      {label('outcome', result.outcome)}
      {result.outcome === 'forwarded' && result.forwardTo ? ` → ${label('roundLevel', result.forwardTo)}` : ''}
      {result.outcome === 'recognised' && result.finalStar ? ` ${t('product.starsN', { n: result.finalStar })}` : ''}
    </Tag>
  );
}
