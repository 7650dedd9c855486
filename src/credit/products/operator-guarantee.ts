/**
 * Operator-guaranteed loan (市场业主方担保): the market operator guarantees its tenants under
 * an active agreement. Amount within the agreement's per-merchant cap and remaining capacity;
 * term within the lease remaining; the guarantee lowers the loss given default, so the rate.
 */
import {
  instalmentCapacity,
  maxLoanForInstalment,
  purposeCap,
  salesShareCap,
  sizeFromCaps,
} from '../limits';
import { divRoundHalfUp } from '../money';
import { priceBps } from '../pricing';
import { commonRefusal, fitScore, refused, requestCaps } from './common';
import type { ProductEvaluation, ProductInput } from './product-context';

const PRODUCT = 'operator_guarantee';

export function evaluateOperatorGuarantee(input: ProductInput): ProductEvaluation {
  const { policy, context, survey, metrics, request } = input;
  const doc = policy.document;
  const rules = doc.products.operator_guarantee;
  const common = commonRefusal(input, rules);
  if (common) return refused(PRODUCT, common);

  const operator = context.operator ?? null;
  if (!operator) return refused(PRODUCT, 'OPERATOR_AGREEMENT_MISSING');
  if (operator.agreementStatus !== 'active')
    return refused(PRODUCT, 'OPERATOR_AGREEMENT_SUSPENDED');

  const lease = survey.leaseRemainingMonths ?? context.leaseRemainingMonths ?? null;
  if (lease === null) return refused(PRODUCT, 'LEASE_UNKNOWN');
  const otherTermLimit = Math.min(request.termMonths, rules.maxTermMonths, operator.maxTermMonths);
  const termMonths = Math.min(otherTermLimit, lease);
  if (termMonths < rules.minTermMonths) {
    return refused(PRODUCT, lease < otherTermLimit ? 'LEASE_TOO_SHORT' : 'TERM_TOO_SHORT');
  }

  const annualRateBps = priceBps(input.pd, rules, doc.pricing);
  const instalment = instalmentCapacity(metrics, doc.cashFlow.minDscr);
  const sizing = sizeFromCaps(
    [
      ...requestCaps(input),
      {
        name: 'repayment_capacity',
        amount: maxLoanForInstalment(instalment, annualRateBps, termMonths, rules.method),
        reason: 'REPAYMENT_CAPACITY_INSUFFICIENT',
      },
      purposeCap(request.purpose, survey, metrics, doc.limits),
      salesShareCap(survey, doc.limits),
      { name: 'product_cap', amount: rules.maxAmount, reason: 'LIMIT_BELOW_MINIMUM' },
      {
        name: 'operator_per_merchant_cap',
        amount: operator.perMerchantCap,
        reason: 'OPERATOR_CAPACITY_EXHAUSTED',
      },
      {
        name: 'operator_available',
        amount: operator.available,
        reason: 'OPERATOR_CAPACITY_EXHAUSTED',
      },
    ],
    request.purpose === 'store_expansion'
      ? Math.max(rules.minAmount, doc.limits.storeExpansion.minAmount)
      : rules.minAmount,
    doc.limits.roundDownToFen,
  );
  if (!sizing.ok) return refused(PRODUCT, sizing.reason);

  return {
    product: PRODUCT,
    eligible: true,
    reasons: [],
    offer: {
      product: PRODUCT,
      amount: sizing.amount,
      termMonths,
      annualRateBps,
      method: rules.method,
      bindingCap: sizing.binding,
      fit: fitScore(sizing.amount, termMonths / request.termMonths, input, rules.fitPurposes),
      guaranteeRequired: {
        kind: 'operator',
        depositRatioBps: operator.depositRatioBps,
        depositAmount: divRoundHalfUp(sizing.amount * operator.depositRatioBps, 10_000),
      },
    },
  };
}
