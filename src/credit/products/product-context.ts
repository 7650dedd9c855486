/** What every product's eligibility and sizing reads, and what it returns. */
import type { DecisionContext, ExistingExposure, OfferProposal, Reason } from '../decision-types';
import type { Grade } from '../grades';
import type { Metrics } from '../metrics';
import type { CompiledPolicy } from '../policy-compile';
import type { LoanRequest, Product, Survey } from '../survey';

export interface ProductInput {
  survey: Survey;
  request: LoanRequest;
  metrics: Metrics;
  grade: Grade;
  pd: number;
  policy: CompiledPolicy;
  context: DecisionContext;
  /** An upper bound from a manual review approval, if any. */
  overrideMaxAmount: number | null;
  /** The context's exposure, all zero when it has none (nothing is counted). */
  exposure: ExistingExposure;
  /** Fen the policy's total exposure cap leaves the borrower; null when the policy has none. */
  totalExposureRoom: number | null;
}

/** An offer before its schedule is built (schedules only for offers actually made). */
export type ProvisionalOffer = Omit<OfferProposal, 'schedule' | 'totalInterest'>;

export type ProductEvaluation =
  | { product: Product; eligible: true; reasons: Reason[]; offer: ProvisionalOffer }
  | { product: Product; eligible: false; reasons: Reason[]; offer: null };
