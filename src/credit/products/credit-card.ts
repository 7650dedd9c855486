/**
 * Large-limit credit card (大额信用卡) for short-term turnover and rent: a revolving limit
 * sized as a multiple (by grade) of monthly sales or net cash flow, then held to what the
 * merchant earns: a multiple of the monthly net cash flow it has left after its debt service
 * (the survey's and the lender's instalments, at the house coverage) and a share of its annual
 * net profit. Capped by the product (net of the cards it holds) and the total exposure cap.
 */
import { type Cap, instalmentCapacity, salesShareCap, sizeFromCaps } from '../limits';
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
  // What the merchant earns bounds the limit (null: a policy version from before these caps).
  const earnings: Cap[] = [];
  if (rules.maxMultipleOfMonthlyNetCashFlow !== null) {
    const free = instalmentCapacity(
      metrics,
      doc.cashFlow.minDscr,
      input.exposure.monthlyInstalments,
    );
    earnings.push({
      name: 'net_cash_flow',
      limit: 'net_cash_flow',
      amount: Math.floor(free * rules.maxMultipleOfMonthlyNetCashFlow),
      reason: 'REPAYMENT_CAPACITY_INSUFFICIENT',
    });
  }
  if (rules.maxShareOfAnnualNetProfit !== null) {
    earnings.push({
      name: 'net_profit',
      limit: 'net_profit',
      amount: Math.floor(Math.max(0, metrics.annualNetProfit) * rules.maxShareOfAnnualNetProfit),
      reason: 'NET_PROFIT_INSUFFICIENT',
    });
  }
  const sizing = sizeFromCaps(
    [
      ...requestCaps(input),
      {
        name: 'card_sizing',
        limit: 'card_sizing',
        amount: Math.floor(basis * multiple),
        reason: 'LIMIT_BELOW_MINIMUM',
      },
      salesShareCap(survey, doc.limits),
      productCap(input, PRODUCT, rules.maxAmount),
      ...earnings,
      ...totalExposureCaps(input),
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
      ...limitsShown(sizing.binding, sizing.amount, input),
      // A revolving line has no term to match: it fits the term fully.
      fit: fitScore(sizing.amount, 1, input, rules.fitPurposes),
    },
  };
}
