/**
 * Reason texts for product and group outcomes (scorecard and knock-out texts live in the
 * policy document), and the ranking of a decision's principal reasons.
 */
import type { Reason } from './decision-types';
import type { CompiledPolicy, PointsLine } from './policy-compile';

export const MAX_REASONS = 4;

const PRODUCT_TEXTS = {
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
const DATA_TEXTS = {
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

const dataReasonCache = new Map<string, Reason>();

/** A data-check reason; instances are shared and must not be mutated. */
export function dataReason(code: DataCheckCode): Reason {
  let r = dataReasonCache.get(code);
  if (!r) {
    const [textZh, textEn] = DATA_TEXTS[code];
    r = Object.freeze({ code, kind: 'data' as const, textZh, textEn });
    dataReasonCache.set(code, r);
  }
  return r;
}

const productReasonCache = new Map<string, Reason>();

/** A product reason; instances are shared and must not be mutated. */
export function productReason(code: ProductReasonCode): Reason {
  let r = productReasonCache.get(code);
  if (!r) {
    const [textZh, textEn] = PRODUCT_TEXTS[code];
    r = Object.freeze({ code, kind: 'product' as const, textZh, textEn });
    productReasonCache.set(code, r);
  }
  return r;
}

/** Characteristics short of their best points, largest shortfall first (policy order on ties). */
export function characteristicReasons(policy: CompiledPolicy, points: PointsLine[]): Reason[] {
  const short: { i: number; gap: number }[] = [];
  points.forEach((p, i) => {
    const gap = p.maxPoints - p.points;
    if (gap > 0) short.push({ i, gap });
  });
  short.sort((a, b) => b.gap - a.gap || a.i - b.i);
  return short.slice(0, MAX_REASONS).map(({ i }) => {
    const c = policy.characteristics[i];
    if (!c) throw new Error('points and characteristics out of step');
    return { code: c.reasonCode, kind: 'characteristic', textZh: c.textZh, textEn: c.textEn };
  });
}

/** Knock-outs first, then the rest in the given order, without repeats, at most four. */
export function principalReasons(...groups: Reason[][]): Reason[] {
  const out: Reason[] = [];
  const seen = new Set<string>();
  for (const group of groups) {
    for (const r of group) {
      if (out.length === MAX_REASONS) return out;
      if (seen.has(r.code)) continue;
      seen.add(r.code);
      out.push({ code: r.code, kind: r.kind, textZh: r.textZh, textEn: r.textEn });
    }
  }
  return out;
}
