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

/** What the model is told beyond the survey: the operator's agreement, the group, the lease. */
export function decisionContext(input: {
  operator: OperatorRow | null;
  leaseEndsOn: string | null;
  group: { id: string; memberCount: number } | null;
  now: Date;
  override?: DecisionContext['override'];
  exposure: ExistingExposure;
  /** Individual guarantors (issue #16); absent or empty: none named. */
  guarantors?: { merchantId: string; amount: number }[];
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
    // Only when named: decisions without guarantors store the context they always did.
    ...(input.guarantors?.length ? { guarantors: input.guarantors } : {}),
  };
}
