/**
 * Joint-guarantee loan (联保贷款): 3-5 merchants of one market guarantee each other. Here the
 * merchant's own part: group membership and size, grade, per-member cap. Whether the whole
 * group stands (every member's grade, contingent liabilities) is resolveGuaranteeGroup's job.
 */
import {
  instalmentCapacity,
  maxLoanForInstalment,
  purposeCap,
  salesShareCap,
  sizeFromCaps,
} from '../limits';
import { priceBps } from '../pricing';
import { commonRefusal, fitScore, refused, requestCaps } from './common';
import type { ProductEvaluation, ProductInput } from './product-context';

const PRODUCT = 'joint_guarantee';

export function evaluateJointGuarantee(input: ProductInput): ProductEvaluation {
  const { policy, context, survey, metrics, request } = input;
  const doc = policy.document;
  const rules = doc.products.joint_guarantee;
  const common = commonRefusal(input, rules);
  if (common) return refused(PRODUCT, common);

  const group = context.guaranteeGroup ?? null;
  if (!group) return refused(PRODUCT, 'GUARANTEE_GROUP_MISSING');
  if (group.memberCount < rules.minGroupSize || group.memberCount > rules.maxGroupSize) {
    return refused(PRODUCT, 'GROUP_SIZE_OUT_OF_RANGE');
  }

  const termMonths = Math.min(request.termMonths, rules.maxTermMonths);
  if (termMonths < rules.minTermMonths) return refused(PRODUCT, 'TERM_TOO_SHORT');

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
      { name: 'per_member_cap', amount: rules.perMemberCap, reason: 'LIMIT_BELOW_MINIMUM' },
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
        kind: 'joint',
        groupId: group.id,
        memberCount: group.memberCount,
        contingentLiabilityMultiple: rules.contingentLiabilityMultiple,
      },
    },
  };
}
