/**
 * Checks and caps shared by the products: availability, grade, purpose, request, the caps that
 * count the borrower's existing exposure, what set the amount, fit.
 */
import type { BindingLimit, Reason } from '../decision-types';
import { heldOf } from '../exposure';
import { gradeAtLeast } from '../grades';
import type { Cap } from '../limits';
import type { ProductReasonCode } from '../reason-texts';
import { limitReason, productReason } from '../reasons';
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
    {
      name: 'requested',
      limit: 'request',
      amount: input.request.amount,
      reason: 'LIMIT_BELOW_MINIMUM',
    },
  ];
  if (input.overrideMaxAmount !== null) {
    caps.push({
      name: 'override_max',
      limit: 'review_maximum',
      amount: input.overrideMaxAmount,
      reason: 'LIMIT_BELOW_MINIMUM',
    });
  }
  return caps;
}

/**
 * A cap net of what the borrower already holds under it (at least 0). Where the holding leaves
 * less than the minimum, `reachedReason` says so; with nothing held, the cap refuses as it always
 * has (`reason`), so a decision without a ledger reads as before.
 */
export function netCap(
  name: string,
  limit: BindingLimit,
  cap: number,
  held: number,
  reason: ProductReasonCode,
  reachedReason: ProductReasonCode,
): Cap {
  return {
    name,
    limit,
    amount: Math.max(0, cap - held),
    reason: held > 0 ? reachedReason : reason,
  };
}

/** The product's cap net of what the borrower holds of that product (open offers, loans, limits). */
export function productCap(input: ProductInput, product: Product, maxAmount: number): Cap {
  const held = heldOf(input.exposure, product);
  return netCap(
    'product_cap',
    'product_cap',
    maxAmount,
    held,
    'LIMIT_BELOW_MINIMUM',
    'PRODUCT_CAP_REACHED',
  );
}

/** The policy's total exposure cap net of everything the borrower holds; none when unset. */
export function totalExposureCaps(input: ProductInput): Cap[] {
  if (input.totalExposureRoom === null) return [];
  return [
    {
      name: 'total_exposure',
      limit: 'total_exposure',
      amount: input.totalExposureRoom,
      reason: 'TOTAL_EXPOSURE_EXCEEDED',
    },
  ];
}

/** What set an offer's amount, as the offer shows it; the reason only when below the request. */
export function limitsShown(
  binding: Cap,
  amount: number,
  input: ProductInput,
): { bindingCap: string; bindingLimit: BindingLimit; limitReason: Reason | null } {
  return {
    bindingCap: binding.name,
    bindingLimit: binding.limit,
    limitReason: amount < input.request.amount ? limitReason(binding.limit) : null,
  };
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
