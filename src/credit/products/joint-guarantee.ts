/**
 * Joint-guarantee loan (联保贷款): 3-5 merchants of one market guarantee each other. Here the
 * merchant's own part: group membership and size, grade, per-member cap (like the product cap,
 * net of the joint-guarantee loans the borrower already holds). Whether the whole group stands
 * (every member's grade, contingent liabilities) is resolveGuaranteeGroup's job.
 */

import { heldOf } from '../exposure';
import { commonRefusal, netCap, refused } from './common';
import { sizeLoan } from './loan-sizing';
import type { ProductEvaluation, ProductInput } from './product-context';

const PRODUCT = 'joint_guarantee';

export function evaluateJointGuarantee(input: ProductInput): ProductEvaluation {
  const { policy, context, request } = input;
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

  const sized = sizeLoan(input, {
    product: PRODUCT,
    rules,
    termMonths,
    minDscr: doc.cashFlow.minDscr,
    repaymentLimit: 'repayment_capacity',
    ownCaps: [
      netCap(
        'per_member_cap',
        'per_member_cap',
        rules.perMemberCap,
        heldOf(input.exposure, PRODUCT),
        'LIMIT_BELOW_MINIMUM',
        'PRODUCT_CAP_REACHED',
      ),
    ],
  });
  if (!sized.eligible) return sized;
  return {
    ...sized,
    offer: {
      ...sized.offer,
      guaranteeRequired: {
        kind: 'joint',
        groupId: group.id,
        memberCount: group.memberCount,
        contingentLiabilityMultiple: rules.contingentLiabilityMultiple,
      },
    },
  };
}
