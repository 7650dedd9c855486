/**
 * Joint-guarantee loan (联保贷款): 3-5 merchants of one market guarantee each other. Here the
 * merchant's own part: group membership and size, grade, per-member cap (like the product cap,
 * net of the joint-guarantee loans the borrower already holds). Whether the whole group stands
 * (every member's grade, contingent liabilities) is resolveGuaranteeGroup's job.
 */

import { heldOf } from '../exposure';
import {
  instalmentCapacity,
  maxLoanForInstalment,
  purposeCap,
  salesShareCap,
  sizeFromCaps,
} from '../limits';
import { priceBps } from '../pricing';
import {
  commonRefusal,
  fitScore,
  limitsShown,
  netCap,
  productCap,
  refused,
  requestCaps,
  totalExposureCaps,
} from './common';
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
  const instalment = instalmentCapacity(
    metrics,
    doc.cashFlow.minDscr,
    input.exposure.monthlyInstalments,
  );
  const sizing = sizeFromCaps(
    [
      ...requestCaps(input),
      {
        name: 'repayment_capacity',
        limit: 'repayment_capacity',
        amount: maxLoanForInstalment(instalment, annualRateBps, termMonths, rules.method),
        reason: 'REPAYMENT_CAPACITY_INSUFFICIENT',
      },
      purposeCap(request.purpose, survey, metrics, doc.limits),
      salesShareCap(survey, doc.limits),
      productCap(input, PRODUCT, rules.maxAmount),
      netCap(
        'per_member_cap',
        'per_member_cap',
        rules.perMemberCap,
        heldOf(input.exposure, PRODUCT),
        'LIMIT_BELOW_MINIMUM',
        'PRODUCT_CAP_REACHED',
      ),
      ...totalExposureCaps(input),
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
      ...limitsShown(sizing.binding, sizing.amount, input),
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
