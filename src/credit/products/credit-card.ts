/**
 * Large-limit credit card (大额信用卡) for short-term turnover and rent: a revolving limit
 * sized as a multiple (by grade) of monthly sales or net cash flow, capped by the product.
 */
import { salesShareCap, sizeFromCaps } from '../limits';
import { priceBps } from '../pricing';
import { commonRefusal, fitScore, refused, requestCaps } from './common';
import type { ProductEvaluation, ProductInput } from './product-context';

const PRODUCT = 'credit_card';

export function evaluateCreditCard(input: ProductInput): ProductEvaluation {
  const { policy, survey, metrics, grade } = input;
  const doc = policy.document;
  const rules = doc.products.credit_card;
  const common = commonRefusal(input, rules);
  if (common) return refused(PRODUCT, common);

  const multiple = rules.multiplesByGrade[grade];
  if (multiple <= 0) return refused(PRODUCT, 'CARD_NOT_SIZED');
  const basis =
    rules.sizingBasis === 'monthly_sales' ? metrics.monthlySales : metrics.monthlyNetCashFlow;
  const sizing = sizeFromCaps(
    [
      ...requestCaps(input),
      { name: 'card_sizing', amount: Math.floor(basis * multiple), reason: 'LIMIT_BELOW_MINIMUM' },
      salesShareCap(survey, doc.limits),
      { name: 'product_cap', amount: rules.maxAmount, reason: 'LIMIT_BELOW_MINIMUM' },
    ],
    rules.minAmount,
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
      termMonths: rules.termMonths,
      annualRateBps: priceBps(input.pd, rules, doc.pricing),
      method: 'revolving',
      bindingCap: sizing.binding,
      // A revolving line has no term to match: it fits the term fully.
      fit: fitScore(sizing.amount, 1, input, rules.fitPurposes),
    },
  };
}
