/**
 * How every loan product is sized (operator-guaranteed, joint-guarantee, credit loan): the
 * instalment the cash flow carries at the product's coverage after the borrower's existing
 * instalments, turned into an amount over the term; the purpose's cap; a share of sales; the
 * product's cap net of what the borrower holds of it; the product's own caps; the total exposure
 * cap. The smallest binds (ties: the first listed). A product adds its gates before and its
 * guarantee after.
 */
import type { BindingLimit } from '../decision-types';
import { supportedLgd } from '../individual-guarantee';
import {
  type Cap,
  instalmentCapacity,
  maxLoanForInstalment,
  purposeCap,
  salesShareCap,
  sizeFromCaps,
} from '../limits';
import type { PolicyDocument } from '../policy-schema';
import { priceBps } from '../pricing';
import {
  fitScore,
  limitsShown,
  productCap,
  refused,
  requestCaps,
  totalExposureCaps,
} from './common';
import type { ProductEvaluation, ProductInput } from './product-context';

type LoanProduct = 'operator_guarantee' | 'joint_guarantee' | 'credit_loan';

export interface LoanSizing {
  product: LoanProduct;
  rules: PolicyDocument['products'][LoanProduct];
  termMonths: number;
  /** The coverage the instalment must keep: the house minimum, or the product's own. */
  minDscr: number;
  /** What the repayment cap is shown as when it binds (the lease, when it cut the term). */
  repaymentLimit: BindingLimit;
  /** The product's own caps, after its product cap. */
  ownCaps: Cap[];
}

export function sizeLoan(input: ProductInput, loan: LoanSizing): ProductEvaluation {
  const { policy, survey, metrics, request } = input;
  const doc = policy.document;
  const { product, rules, termMonths } = loan;
  // Individual guarantors support the loan: a lower LGD, so a lower price (issue #16).
  const lgd = supportedLgd(rules.lgd, doc, input.context, request.amount);
  const annualRateBps = priceBps(
    input.pd,
    lgd === rules.lgd ? rules : { ...rules, lgd },
    doc.pricing,
  );
  const instalment = instalmentCapacity(metrics, loan.minDscr, input.exposure.monthlyInstalments);
  const sizing = sizeFromCaps(
    [
      ...requestCaps(input),
      {
        name: 'repayment_capacity',
        limit: loan.repaymentLimit,
        amount: maxLoanForInstalment(instalment, annualRateBps, termMonths, rules.method),
        reason: 'REPAYMENT_CAPACITY_INSUFFICIENT',
      },
      purposeCap(request.purpose, survey, metrics, doc.limits),
      salesShareCap(survey, doc.limits),
      productCap(input, product, rules.maxAmount),
      ...loan.ownCaps,
      ...totalExposureCaps(input),
    ],
    request.purpose === 'store_expansion'
      ? Math.max(rules.minAmount, doc.limits.storeExpansion.minAmount)
      : rules.minAmount,
    doc.limits.roundDownToFen,
  );
  if (!sizing.ok) return refused(product, sizing.reason);
  return {
    product,
    eligible: true,
    reasons: [],
    offer: {
      product,
      amount: sizing.amount,
      termMonths,
      annualRateBps,
      method: rules.method,
      ...limitsShown(sizing.binding, sizing.amount, input),
      fit: fitScore(sizing.amount, termMonths / request.termMonths, input, rules.fitPurposes),
    },
  };
}
