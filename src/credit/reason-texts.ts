/**
 * The model's own reason codes and their texts (Chinese, English): product and group outcomes,
 * what limited an offer, and data checks. Scorecard and knock-out texts live in the policy
 * document. Kept apart from reasons.ts so that policy validation can read the codes without the
 * compiler's types.
 */
import { BINDING_LIMITS, type BindingLimit } from './binding-limits';

export const PRODUCT_TEXTS = {
  PRODUCT_DISABLED: ['该产品暂未开放', 'The product is not offered'],
  GRADE_BELOW_PRODUCT_MINIMUM: ['信用等级未达产品要求', 'Risk grade below the product minimum'],
  PURPOSE_NOT_SUPPORTED: ['该产品不支持此贷款用途', 'The product does not fund this purpose'],
  TERM_TOO_SHORT: ['可用期限短于产品最短期限', 'Available term below the product minimum'],
  OPERATOR_AGREEMENT_MISSING: [
    '所在市场业主方未签署担保协议',
    'No guarantee agreement with the market operator',
  ],
  OPERATOR_AGREEMENT_SUSPENDED: [
    '市场业主方担保协议已暂停',
    "The market operator's guarantee agreement is suspended",
  ],
  OPERATOR_CAPACITY_EXHAUSTED: [
    '业主方担保额度不足',
    "The operator's guarantee capacity is used up",
  ],
  LEASE_UNKNOWN: ['缺少剩余租期信息', 'Lease remaining is unknown'],
  LEASE_TOO_SHORT: ['剩余租期过短', 'Too little lease remaining'],
  GUARANTEE_GROUP_MISSING: ['未加入联保小组', 'Not a member of a guarantee group'],
  GROUP_SIZE_OUT_OF_RANGE: ['联保小组人数不符合要求', 'Guarantee group size out of range'],
  REPAYMENT_CAPACITY_INSUFFICIENT: [
    '还款能力不足以支持最低贷款额',
    'Repayment capacity below the minimum loan',
  ],
  NO_WORKING_CAPITAL_GAP: ['测算无流动资金缺口', 'No working-capital gap'],
  LIMIT_BELOW_MINIMUM: ['可贷额度低于产品最低额度', 'The limit falls below the product minimum'],
  CARD_NOT_SIZED: ['当前等级不核定信用卡额度', 'No card limit for this grade'],
  NO_ELIGIBLE_PRODUCT: [
    '暂无符合条件的产品，转人工审查',
    'No product fits; referred for manual review',
  ],
  GROUP_MEMBER_BELOW_MIN_GRADE: [
    '联保成员信用等级未达要求',
    'A group member is below the minimum grade',
  ],
  GROUP_MEMBER_DECLINED: ['联保成员未通过审批', 'A group member was declined'],
  GROUP_MEMBER_NO_LOAN: [
    '联保成员无可发放的联保贷款（转人工审核或无流动资金缺口）',
    'A group member has no joint-guarantee loan to take (referred, or no working-capital gap)',
  ],
  GROUP_MARKETS_MIXED: ['联保成员不在同一市场', 'Group members are not in one market'],
  CONTINGENT_LIABILITY_EXCEEDED: [
    '成员或有负债超过其年净利润上限',
    "A member's contingent liability exceeds its profit multiple",
  ],
  TOTAL_EXPOSURE_EXCEEDED: [
    '授信总额上限（年净利润的倍数）扣除现有授信及或有负债后，不足产品最低额度',
    'The total exposure cap (a multiple of annual net profit), net of existing exposure and guarantees, leaves less than the minimum',
  ],
  PRODUCT_CAP_REACHED: [
    '借款人在该产品项下的现有授信已达产品额度上限',
    'What the borrower already holds of this product reaches the product cap',
  ],
  OPERATOR_PER_MERCHANT_CAP_REACHED: [
    '业主方为该借款人提供的担保已达单户担保上限',
    "The operator's guarantees for this borrower reach its per-merchant cap",
  ],
  NET_PROFIT_INSUFFICIENT: [
    '年净利润不足以核定最低信用卡额度',
    'Annual net profit too low for the minimum card limit',
  ],
} as const satisfies Record<string, readonly [string, string]>;

export type ProductReasonCode = keyof typeof PRODUCT_TEXTS;

/**
 * Why an offer is below the request: LIMITED_BY_<BINDING LIMIT>, one per limit that can bind
 * below it (the request itself never does). Shown with the offer as its `limitReason`.
 */
export const LIMIT_TEXTS = {
  review_maximum: ['受审查人核定的最高额度限制', "Limited by the reviewer's maximum"],
  repayment_capacity: [
    '受还款能力限制（按最低偿债覆盖率测算，已计入现有还款额）',
    'Limited by repayment capacity at the minimum debt-service coverage, existing instalments included',
  ],
  lease_term: [
    '受剩余租期限制（期限缩短至租期内，按还款能力测算）',
    'Limited by the lease remaining: repayment capacity over the shorter term it leaves',
  ],
  working_capital_gap: ['受测算的流动资金缺口限制', 'Limited by the assessed working-capital gap'],
  purpose_maximum: ['受该贷款用途的额度上限限制', 'Limited by the maximum for the loan purpose'],
  share_of_sales: ['受年销售收入比例上限限制', 'Limited to a share of annual sales'],
  product_cap: [
    '受产品额度上限限制（已扣除该产品现有授信）',
    'Limited by the product cap, net of what the borrower holds of the product',
  ],
  operator_per_merchant_cap: [
    '受业主方单户担保上限限制（已扣除现有担保）',
    "Limited by the operator's per-merchant cap, net of its guarantees for the borrower",
  ],
  operator_capacity: ['受业主方剩余担保额度限制', "Limited by the operator's remaining capacity"],
  per_member_cap: [
    '受联保成员单户上限限制（已扣除现有联保贷款）',
    'Limited by the per-member cap of the group, net of joint-guarantee loans held',
  ],
  total_exposure: [
    '受借款人授信总额上限限制（已扣除现有授信及或有负债）',
    "Limited by the borrower's total exposure cap, net of existing exposure and guarantees",
  ],
  card_sizing: ['受信用卡核额标准限制', "Limited by the card's sizing on sales"],
  net_cash_flow: [
    '受偿债后月净现金流限制',
    'Limited by the monthly net cash flow left after debt service',
  ],
  net_profit: ['受年净利润限制', 'Limited by annual net profit'],
} as const satisfies Record<Exclude<BindingLimit, 'request'>, readonly [string, string]>;

/** LIMITED_BY_REPAYMENT_CAPACITY for repayment_capacity. */
export function limitReasonCode(limit: BindingLimit): string {
  return `LIMITED_BY_${limit.toUpperCase()}`;
}

/** Data checks: figures of one survey that disagree with each other (see data-checks.ts). */
export const DATA_TEXTS = {
  INCONSISTENT_INVENTORY: [
    '存货余额与申报的存货周转天数不符，需信贷员实地复核',
    'The stock balance and the reported inventory turnover disagree; the officer rechecks at the stall',
  ],
} as const satisfies Record<string, readonly [string, string]>;

export type DataCheckCode = keyof typeof DATA_TEXTS;

/** Codes the model itself gives: a policy's own reason codes must not reuse them. */
export const MODEL_REASON_CODES: readonly string[] = [
  ...Object.keys(PRODUCT_TEXTS),
  ...Object.keys(DATA_TEXTS),
  ...BINDING_LIMITS.filter((l) => l !== 'request').map(limitReasonCode),
];
