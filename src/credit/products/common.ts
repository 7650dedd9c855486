/** Checks and caps shared by the products: availability, grade, purpose, request, fit. */
import { gradeAtLeast } from '../grades';
import type { Cap } from '../limits';
import type { ProductReasonCode } from '../reason-texts';
import { productReason } from '../reasons';
import type { Product, Purpose } from '../survey';
import type { ProductEvaluation, ProductInput } from './product-context';

interface CommonProductRules {
  enabled: boolean;
  minGrade: ProductInput['grade'];
  purposes: Purpose[];
}

/** The first gate a product's rules close, or null when all are open. */
export function commonRefusal(
  input: ProductInput,
  rules: CommonProductRules,
): ProductReasonCode | null {
  if (!rules.enabled) return 'PRODUCT_DISABLED';
  if (!gradeAtLeast(input.grade, rules.minGrade)) return 'GRADE_BELOW_PRODUCT_MINIMUM';
  if (!rules.purposes.includes(input.request.purpose)) return 'PURPOSE_NOT_SUPPORTED';
  return null;
}

export function refused(product: Product, code: ProductReasonCode): ProductEvaluation {
  return { product, eligible: false, reasons: [productReason(code)], offer: null };
}

/** Caps that bind every product: the request itself and a manual reviewer's maximum. */
export function requestCaps(input: ProductInput): Cap[] {
  const caps: Cap[] = [
    { name: 'requested', amount: input.request.amount, reason: 'LIMIT_BELOW_MINIMUM' },
  ];
  if (input.overrideMaxAmount !== null) {
    caps.push({
      name: 'override_max',
      amount: input.overrideMaxAmount,
      reason: 'LIMIT_BELOW_MINIMUM',
    });
  }
  return caps;
}

/**
 * How well an offer fits the request, 0..1000: mostly the share of the amount covered,
 * then whether the product is designed for the purpose, then the share of the term.
 */
export function fitScore(
  amount: number,
  termShare: number,
  input: ProductInput,
  fitPurposes: Purpose[],
): number {
  const coverage = Math.min(1, amount / input.request.amount);
  const purposeFit = fitPurposes.includes(input.request.purpose) ? 1 : 0;
  return Math.round(600 * coverage + 250 * purposeFit + 150 * Math.min(1, termShare));
}
