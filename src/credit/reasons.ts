/**
 * Reason texts for product and group outcomes (scorecard and knock-out texts live in the
 * policy document), and the ranking of a decision's principal reasons.
 */
import type { BindingLimit, Reason } from './decision-types';
import type { CompiledPolicy, PointsLine } from './policy-compile';
import {
  DATA_TEXTS,
  type DataCheckCode,
  LIMIT_TEXTS,
  limitReasonCode,
  PRODUCT_TEXTS,
  type ProductReasonCode,
} from './reason-texts';

export const MAX_REASONS = 4;

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

const limitReasonCache = new Map<string, Reason>();

/**
 * Why an offer is below the request: LIMITED_BY_<LIMIT>, kind product; null for the request
 * itself (nothing held the offer back). Instances are shared and must not be mutated.
 */
export function limitReason(limit: BindingLimit): Reason | null {
  if (limit === 'request') return null;
  let r = limitReasonCache.get(limit);
  if (!r) {
    const [textZh, textEn] = LIMIT_TEXTS[limit];
    r = Object.freeze({ code: limitReasonCode(limit), kind: 'product' as const, textZh, textEn });
    limitReasonCache.set(limit, r);
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
