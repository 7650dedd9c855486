/**
 * How much a merchant can borrow: the instalment its cash flow carries at the policy's
 * minimum coverage (after its debt service and the instalments it already has with the lender),
 * turned into an amount at the offer rate, then capped by purpose, by a share of sales, by the
 * product (net of what the borrower holds of it) and by the policy's total exposure cap. The
 * smallest cap binds and is named in the offer (bindingCap, and bindingLimit as a closed enum).
 */
import type { BindingLimit } from './decision-types';
import type { Metrics } from './metrics';
import { annuityPresentValue, floorTo, monthlyRate } from './money';
import type { PolicyDocument } from './policy-schema';
import type { ProductReasonCode } from './reason-texts';
import type { ScheduleMethod } from './schedule';
import type { Purpose, Survey } from './survey';

export interface Cap {
  /** Shown as the offer's bindingCap when it binds. */
  name: string;
  /** The offer's bindingLimit when it binds (several names share one, e.g. purpose maximums). */
  limit: BindingLimit;
  amount: number;
  /** Why the product is not offered when this cap leaves less than its minimum. */
  reason: ProductReasonCode;
}

/**
 * Monthly instalment the cash flow carries: net cash flow / min DSCR - the survey's debt
 * service - the instalments the borrower already has with the lender (the ledger's).
 */
export function instalmentCapacity(
  metrics: Metrics,
  minDscr: number,
  existingInstalments = 0,
): number {
  return Math.max(
    0,
    Math.floor(
      metrics.monthlyNetCashFlow / minDscr -
        metrics.monthlyDebtService -
        Math.max(0, existingInstalments),
    ),
  );
}

/**
 * The largest amount whose highest instalment stays within `instalment`: the annuity's
 * present value, or for equal principal the amount whose first payment (principal share
 * plus a month's interest on all of it) fits.
 */
export function maxLoanForInstalment(
  instalment: number,
  annualRateBps: number,
  termMonths: number,
  method: ScheduleMethod,
): number {
  if (instalment <= 0) return 0;
  if (method === 'equal_instalment') {
    return Math.floor(annuityPresentValue(instalment, annualRateBps, termMonths));
  }
  return Math.floor(instalment / (1 / termMonths + monthlyRate(annualRateBps)));
}

/** The cap the purpose puts on a loan: the gap it fills. */
export function purposeCap(
  purpose: Purpose,
  survey: Survey,
  metrics: Metrics,
  limits: PolicyDocument['limits'],
): Cap {
  switch (purpose) {
    case 'working_capital':
      return {
        name: 'working_capital_gap',
        limit: 'working_capital_gap',
        amount: metrics.workingCapitalGap,
        reason: 'NO_WORKING_CAPITAL_GAP',
      };
    case 'store_expansion':
      return {
        name: 'store_expansion_max',
        limit: 'purpose_maximum',
        amount: limits.storeExpansion.maxAmount,
        reason: 'LIMIT_BELOW_MINIMUM',
      };
    case 'short_term_turnover':
      return {
        name: 'short_term_turnover',
        limit: 'purpose_maximum',
        amount: Math.floor((survey.annualSales / 12) * limits.shortTermTurnover.monthsOfSales),
        reason: 'LIMIT_BELOW_MINIMUM',
      };
  }
}

export function salesShareCap(survey: Survey, limits: PolicyDocument['limits']): Cap {
  return {
    name: 'sales_share',
    limit: 'share_of_sales',
    amount: Math.floor(survey.annualSales * limits.maxShareOfAnnualSales),
    reason: 'LIMIT_BELOW_MINIMUM',
  };
}

export type Sizing =
  | { ok: true; amount: number; binding: Cap }
  | { ok: false; reason: ProductReasonCode };

/**
 * The smallest cap, rounded down to the policy's step; refused when below the minimum.
 * The requested amount is one of the caps, so an offer never exceeds the request.
 */
export function sizeFromCaps(caps: Cap[], minAmount: number, step: number): Sizing {
  let binding = caps[0];
  for (const c of caps) if (binding === undefined || c.amount < binding.amount) binding = c;
  if (!binding) throw new Error('no caps');
  // Round down in steps unless the binding cap is already exact (e.g. the request itself).
  const amount = binding.name === 'requested' ? binding.amount : floorTo(binding.amount, step);
  if (amount <= 0 || amount < minAmount) return { ok: false, reason: binding.reason };
  return { ok: true, amount, binding };
}
