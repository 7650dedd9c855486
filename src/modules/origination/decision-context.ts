import type { DecisionContext, ExistingExposure } from '../../credit';
import type { OperatorRow } from './repository';

/** Whole months from `now` until a lease ends (0 once it has ended). */
export function monthsUntil(now: Date, endsOn: string | null): number | null {
  if (!endsOn) return null;
  const [y, m, d] = endsOn.split('-').map(Number) as [number, number, number];
  let months = (y - now.getUTCFullYear()) * 12 + (m - 1 - now.getUTCMonth());
  if (d < now.getUTCDate()) months -= 1;
  return Math.max(0, months);
}

/**
 * Whole months from `since` to `now`: the instalments of a schedule that started at `since` and
 * falls due on the same day of each following month, due by `now`.
 */
export function monthsBetween(since: Date, now: Date): number {
  let months =
    (now.getUTCFullYear() - since.getUTCFullYear()) * 12 +
    (now.getUTCMonth() - since.getUTCMonth());
  if (now.getUTCDate() < since.getUTCDate()) months -= 1;
  return Math.max(0, months);
}

/** What the model is told beyond the survey: the operator's agreement, the group, the lease. */
export function decisionContext(input: {
  operator: OperatorRow | null;
  leaseEndsOn: string | null;
  group: { id: string; memberCount: number } | null;
  now: Date;
  override?: DecisionContext['override'];
  exposure: ExistingExposure;
}): DecisionContext {
  const { operator } = input;
  return {
    operator: operator
      ? {
          agreementStatus: operator.agreementStatus,
          perMerchantCap: operator.perMerchantCap,
          available: Math.max(0, operator.capacity - operator.used - operator.reserved),
          maxTermMonths: operator.maxTermMonths,
          depositRatioBps: operator.depositRatioBps,
        }
      : null,
    guaranteeGroup: input.group,
    leaseRemainingMonths: monthsUntil(input.now, input.leaseEndsOn),
    override: input.override ?? null,
    exposure: input.exposure,
  };
}
