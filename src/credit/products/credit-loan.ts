/**
 * Credit loan (信用类贷款): the survey's second recommendation, an unsecured loan judged
 * mainly on the merchant's operating data. No guarantor stands behind it, so the policy sets a
 * tighter grade minimum, a tighter coverage (its own minDscr, at least the house one), a lower
 * cap than the guaranteed loans, and a loss given default without a guarantee's discount.
 * Sized like the other loans: repayment capacity at that coverage (after the instalments the
 * borrower already has), the purpose (the working-capital gap, the store-expansion range), a share
 * of sales, the product cap net of credit loans held, the total exposure cap.
 */
import { commonRefusal, refused } from './common';
import { sizeLoan } from './loan-sizing';
import type { ProductEvaluation, ProductInput } from './product-context';

const PRODUCT = 'credit_loan';

export function evaluateCreditLoan(input: ProductInput): ProductEvaluation {
  const doc = input.policy.document;
  const rules = doc.products.credit_loan;
  const common = commonRefusal(input, rules);
  if (common) return refused(PRODUCT, common);

  const termMonths = Math.min(input.request.termMonths, rules.maxTermMonths);
  if (termMonths < rules.minTermMonths) return refused(PRODUCT, 'TERM_TOO_SHORT');
  return sizeLoan(input, {
    product: PRODUCT,
    rules,
    termMonths,
    // Validation keeps the product's coverage at least the house minimum; max() guards anyway.
    minDscr: Math.max(rules.minDscr, doc.cashFlow.minDscr),
    repaymentLimit: 'repayment_capacity',
    ownCaps: [],
  });
}
