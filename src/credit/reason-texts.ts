/**
 * The model's own reason codes and their texts (Chinese, English): product and group outcomes
 * and data checks. Scorecard and knock-out texts live in the policy document. Kept apart from
 * reasons.ts so that policy validation can read the codes without the compiler's types.
 */
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
  GROUP_MARKETS_MIXED: ['联保成员不在同一市场', 'Group members are not in one market'],
  CONTINGENT_LIABILITY_EXCEEDED: [
    '成员或有负债超过其年净利润上限',
    "A member's contingent liability exceeds its profit multiple",
  ],
} as const satisfies Record<string, readonly [string, string]>;

export type ProductReasonCode = keyof typeof PRODUCT_TEXTS;

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
];
