/**
 * Operator-guaranteed loan (市场业主方担保): the market operator guarantees its tenants under
 * an active agreement. Amount within the agreement's per-merchant cap (net of the operator
 * guarantees the borrower already holds) and remaining capacity; term within the lease
 * remaining; the guarantee lowers the loss given default, so the rate.
 */

import { heldOf } from '../exposure';
import { divRoundHalfUp } from '../money';
import { commonRefusal, netCap, refused } from './common';
import { sizeLoan } from './loan-sizing';
import type { ProductEvaluation, ProductInput } from './product-context';

const PRODUCT = 'operator_guarantee';

export function evaluateOperatorGuarantee(input: ProductInput): ProductEvaluation {
  const { policy, context, survey, request } = input;
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

  const sized = sizeLoan(input, {
    product: PRODUCT,
    rules,
    termMonths,
    minDscr: doc.cashFlow.minDscr,
    // What the cash flow repays over the term left; when the lease cut that term short, the
    // lease is what holds the amount back.
    repaymentLimit: lease < otherTermLimit ? 'lease_term' : 'repayment_capacity',
    ownCaps: [
      // The operator guarantees a borrower up to its cap in all: what it already guarantees counts.
      netCap(
        'operator_per_merchant_cap',
        'operator_per_merchant_cap',
        operator.perMerchantCap,
        heldOf(input.exposure, PRODUCT),
        'OPERATOR_CAPACITY_EXHAUSTED',
        'OPERATOR_PER_MERCHANT_CAP_REACHED',
      ),
      {
        name: 'operator_available',
        limit: 'operator_capacity',
        amount: operator.available,
        reason: 'OPERATOR_CAPACITY_EXHAUSTED',
      },
    ],
  });
  if (!sized.eligible) return sized;
  return {
    ...sized,
    offer: {
      ...sized.offer,
      guaranteeRequired: {
        kind: 'operator',
        depositRatioBps: operator.depositRatioBps,
        depositAmount: divRoundHalfUp(sized.offer.amount * operator.depositRatioBps, 10_000),
      },
    },
  };
}
