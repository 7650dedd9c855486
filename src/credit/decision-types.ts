/** The shapes decide() reads and returns. */
import { BINDING_LIMITS, type BindingLimit } from './binding-limits';
import type { Grade } from './grades';
import type { Metrics } from './metrics';
import type { Outcome, PointsLine } from './policy-compile';
import type { ScheduleRow } from './schedule';
import type { Product } from './survey';

/** `data`: figures of the survey that disagree with each other (the officer rechecks). */
export type ReasonKind = 'knockout' | 'data' | 'characteristic' | 'product';

export interface Reason {
  /** Stable SCREAMING_SNAKE code, e.g. TENURE_SHORT. */
  code: string;
  kind: ReasonKind;
  textZh: string;
  textEn: string;
}

/** What the service knows beyond the survey; the model never reads a clock or a database. */
export interface DecisionContext {
  /** The agreement of the operator of the merchant's market; null if it has none. */
  operator?: {
    agreementStatus: 'active' | 'suspended';
    /** Fen: the most the operator guarantees for one merchant. */
    perMerchantCap: number;
    /** Fen: the agreement's remaining capacity (reserving it is the service's job). */
    available: number;
    maxTermMonths: number;
    depositRatioBps: number;
  } | null;
  /** The guarantee group the request names, when the merchant is a member. */
  guaranteeGroup?: { id: string; memberCount: number } | null;
  /** From the merchant record when the survey lacks it. */
  leaseRemainingMonths?: number | null;
  /** Manual review approval: offers as for approve, within all caps, at most maxAmount. */
  override?: { outcome: 'approve'; maxAmount?: number } | null;
  /**
   * What the borrower (the person, by identity, across markets and partners) already has with
   * the lender as of the request's clock, from the exposure ledger. Absent (or null) in
   * decisions stored before the ledger existed: then nothing is counted.
   */
  exposure?: ExistingExposure | null;
  /**
   * Individual guarantors (保证人, issue #16) the application names, each with the amount (fen)
   * it guarantees; absent in decisions before them: no support counted.
   */
  guarantors?: { merchantId: string; amount: number }[] | null;
}

/** A borrower's exposure before this decision, in fen. */
export interface ExistingExposure {
  /**
   * Everything it owes or may owe: each application's largest open offer (only one of an
   * application's offers can be taken), taken loans' outstanding principal by their schedules,
   * card limits granted.
   */
  total: number;
  /** The same per product: that product's open offers and taken loans or card limits. */
  byProduct: Record<Product, number>;
  /** Monthly instalments of the same open offers (largest per application) and taken loans. */
  monthlyInstalments: number;
  /** Contingent liabilities: what it guarantees for others (joint-guarantee partners' loans). */
  contingent: number;
}

/**
 * What set an offer's amount: BINDING_LIMITS (a leaf module, so that reason texts and policy test
 * cases read it without an import cycle) lists the closed set and says what each means.
 */
export { BINDING_LIMITS, type BindingLimit };

export type OfferMethod = 'equal_instalment' | 'equal_principal' | 'revolving';

export type GuaranteeRequirement =
  | { kind: 'operator'; depositRatioBps: number; depositAmount: number }
  | { kind: 'joint'; groupId: string; memberCount: number; contingentLiabilityMultiple: number };

export interface OfferProposal {
  product: Product;
  /** Fen; the card's limit for credit_card. */
  amount: number;
  termMonths: number;
  annualRateBps: number;
  method: OfferMethod;
  /** Empty for the card. */
  schedule: ScheduleRow[];
  totalInterest: number;
  /** Which cap set the amount, e.g. requested, repayment_capacity, working_capital_gap. */
  bindingCap: string;
  /** The same as a closed enum (BINDING_LIMITS), the public contract. */
  bindingLimit: BindingLimit;
  /**
   * Why the amount is below the request (LIMITED_BY_<LIMIT>, kind product); null when the
   * request is met. Always present: a stored offer keeps one shape (keys in this order).
   */
  limitReason: Reason | null;
  /** Higher fits the request better; offers are sorted by it (requested product first). */
  fit: number;
  guaranteeRequired?: GuaranteeRequirement;
}

export interface ProductResult {
  product: Product;
  eligible: boolean;
  reasons: Reason[];
}

export interface Decision {
  outcome: Outcome;
  score: number;
  grade: Grade;
  /** Probability of default implied by the score, 6 decimals. */
  pd: number;
  /** At most four: knock-outs, then data checks, then the rest. Empty for a clean approve. */
  reasons: Reason[];
  knockouts: string[];
  metrics: Metrics;
  points: PointsLine[];
  offers: OfferProposal[];
  productResults: ProductResult[];
  /** True when a manual review approval shaped the offers. */
  overridden: boolean;
  offerValidityDays: number;
  policyVersion: number;
}
