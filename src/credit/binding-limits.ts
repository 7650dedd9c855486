/** A leaf module (no imports): reason texts and policy test cases read it without cycles. */
/**
 * What set an offer's amount (the smallest of its limits), a closed set partners can switch on:
 * the request itself, a reviewer's maximum, what the cash flow repays (over the term the lease
 * leaves, when the lease shortened it: lease_term), the working-capital gap,
 * the purpose's maximum, the share of sales, the product's cap (net of what the borrower holds of
 * it), the operator's per-merchant cap (net of its guarantees already given to the borrower) or
 * remaining capacity, the per-member cap of a group, the policy's total exposure cap (net of
 * everything the borrower holds), and for the card its sizing, net cash flow and net profit.
 */
export const BINDING_LIMITS = [
  'request',
  'review_maximum',
  'repayment_capacity',
  'lease_term',
  'working_capital_gap',
  'purpose_maximum',
  'share_of_sales',
  'product_cap',
  'operator_per_merchant_cap',
  'operator_capacity',
  'per_member_cap',
  'total_exposure',
  'card_sizing',
  'net_cash_flow',
  'net_profit',
] as const;
export type BindingLimit = (typeof BINDING_LIMITS)[number];
