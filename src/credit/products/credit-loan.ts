/**
 * Credit loan (信用类贷款): the survey's second recommendation, an unsecured loan judged
 * mainly on the merchant's operating data. No guarantor stands behind it, so the policy sets a
 * tighter grade minimum, a tighter coverage (its own minDscr, at least the house one), a lower
 * cap than the guaranteed loans, and a loss given default without a guarantee's discount.
 * Sized like the other loans: repayment capacity at that coverage (after the instalments the
 * borrower already has), the purpose (the working-capital gap, the store-expansion range), a share
 * of sales, the product cap net of credit loans held, the total exposure cap.
 */
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
  productCap,
  refused,
  requestCaps,
  totalExposureCaps,
} from './common';
import type { ProductEvaluation, ProductInput } from './product-context';

const PRODUCT = 'credit_loan';

export function evaluateCreditLoan(input: ProductInput): ProductEvaluation {
  const { policy, survey, metrics, request } = input;
  const doc = policy.document;
  const rules = doc.products.credit_loan;
  const common = commonRefusal(input, rules);
  if (common) return refused(PRODUCT, common);

  const termMonths = Math.min(request.termMonths, rules.maxTermMonths);
  if (termMonths < rules.minTermMonths) return refused(PRODUCT, 'TERM_TOO_SHORT');

  const annualRateBps = priceBps(input.pd, rules, doc.pricing);
  // Validation keeps the product's coverage at least the house minimum; max() guards anyway.
  const instalment = instalmentCapacity(
    metrics,
    Math.max(rules.minDscr, doc.cashFlow.minDscr),
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
    },
  };
}
