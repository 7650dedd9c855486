/**
 * decide(): the one entry point of the credit model. Pure and deterministic: the same
 * survey, request, policy and context give the same decision, byte for byte.
 *
 * Flow: metrics -> scorecard, knock-outs and data checks -> outcome -> products -> offers ->
 * reasons. A failed data check turns an approve into a refer: the officer rechecks the figures.
 * An approve that no product can serve becomes a refer (a reviewer may find a structure,
 * e.g. a guarantee group), carrying NO_ELIGIBLE_PRODUCT and the products' reasons; unless the
 * borrower is at its total exposure cap, when it is a decline (see below).
 * A manual override approves within every cap but never lifts a knock-out.
 *
 * The borrower's existing exposure (context.exposure, the lender's ledger) enters the sizing
 * only: product caps, the operator's per-merchant cap, coverage and the total exposure cap count
 * it. The metrics and the score read the survey alone: the score ranks the business, comparable
 * across applications and calibrated on outcomes, and the lender's own open offers (which may
 * never be taken) must not lower a merchant's grade or raise its price. A context without
 * exposure counts nothing, exactly as one whose exposure is all zero.
 */
import { dataCheckReasons } from './data-checks';
import type {
  Decision,
  DecisionContext,
  OfferProposal,
  ProductResult,
  Reason,
} from './decision-types';
import { exposureOf, totalExposureRoom } from './exposure';
import { computeMetrics } from './metrics';
import { floorTo } from './money';
import type { CompiledPolicy, Outcome } from './policy-compile';
import { evaluateCreditCard } from './products/credit-card';
import { evaluateCreditLoan } from './products/credit-loan';
import { evaluateJointGuarantee } from './products/joint-guarantee';
import { evaluateOperatorGuarantee } from './products/operator-guarantee';
import type { ProductEvaluation, ProductInput, ProvisionalOffer } from './products/product-context';
import { characteristicReasons, principalReasons, productReason } from './reasons';
import { buildSchedule, type ScheduleRow } from './schedule';
import { scoreApplicant } from './scorecard';
import type { LoanRequest, Survey } from './survey';

/** Fixed order, which also breaks ties of fit: guaranteed loans, the unsecured loan, the card. */
const EVALUATORS = [
  evaluateOperatorGuarantee,
  evaluateJointGuarantee,
  evaluateCreditLoan,
  evaluateCreditCard,
];

export function decide(
  survey: Survey,
  request: LoanRequest,
  policy: CompiledPolicy,
  context: DecisionContext,
): Decision {
  const metrics = computeMetrics(survey, policy.metricParams, request);
  const card = scoreApplicant(survey, metrics, policy);
  const knockouts = card.knockouts.map((k) => k.code);
  const knockoutReasons: Reason[] = card.knockouts.map((k) => ({
    code: k.code,
    kind: 'knockout',
    textZh: k.textZh,
    textEn: k.textEn,
  }));

  const dataReasons = dataCheckReasons(metrics, policy.metricParams);

  const override = context.override ?? null;
  const scored: Outcome = knockouts.length > 0 ? 'decline' : policy.outcomeOf(card.score);
  const modelOutcome: Outcome = scored === 'approve' && dataReasons.length > 0 ? 'refer' : scored;
  const overridden = override !== null && knockouts.length === 0 && modelOutcome !== 'approve';
  const approving = modelOutcome === 'approve' || overridden;

  const exposure = exposureOf(context);
  const room = totalExposureRoom(metrics.annualNetProfit, policy.document.exposure, exposure);
  const input: ProductInput = {
    survey,
    request,
    metrics,
    grade: card.grade,
    pd: card.pd,
    policy,
    context,
    overrideMaxAmount: override?.maxAmount ?? null,
    exposure,
    totalExposureRoom: room,
  };
  const evaluations = EVALUATORS.map((evaluate) => evaluate(input));
  const productResults: ProductResult[] = evaluations.map((e) => ({
    product: e.product,
    eligible: e.eligible,
    reasons: e.reasons,
  }));

  let outcome: Outcome = approving ? 'approve' : modelOutcome;
  let offers: OfferProposal[] = [];
  let reasons: Reason[];
  if (approving) {
    offers = rankOffers(evaluations, request).map(withSchedule);
    if (offers.length === 0 && atTotalCap(room, policy)) {
      // At its total exposure cap no product can be sized whatever a reviewer arranges (a group,
      // an agreement; a review never lifts a cap), so a referral would only queue the file:
      // decline at once with the reason, so that the merchant knows to repay, or to let an open
      // offer lapse, before asking again. The score and grade stay as they are: this is no
      // judgement of the business.
      outcome = 'decline';
      reasons = principalReasons(
        [productReason('TOTAL_EXPOSURE_EXCEEDED')],
        productReasonsFor(evaluations, request),
      );
    } else if (offers.length === 0) {
      outcome = 'refer';
      reasons = principalReasons(
        [productReason('NO_ELIGIBLE_PRODUCT')],
        productReasonsFor(evaluations, request),
        characteristicReasons(policy, card.points),
      );
    } else {
      // A clean approve needs no reasons, unless the product it names is not among the offers:
      // then it says why (e.g. a card instead of a working-capital loan: no gap). An overridden
      // approve also keeps what held the model back.
      const unserved = requestedProductReasons(evaluations, request, offers);
      reasons = overridden
        ? principalReasons(dataReasons, unserved, characteristicReasons(policy, card.points))
        : principalReasons(unserved);
    }
  } else {
    reasons = principalReasons(
      knockoutReasons,
      dataReasons,
      characteristicReasons(policy, card.points),
    );
  }

  return {
    outcome,
    score: card.score,
    grade: card.grade,
    pd: card.pd,
    reasons,
    knockouts,
    metrics,
    points: card.points,
    offers,
    productResults,
    overridden: overridden && outcome === 'approve',
    offerValidityDays: policy.document.offerValidityDays,
    policyVersion: policy.version,
  };
}

/** Requested product first; then by fit, then by the fixed product order. */
function rankOffers(evaluations: ProductEvaluation[], request: LoanRequest): ProvisionalOffer[] {
  const ranked: RankedOffer[] = [];
  for (let order = 0; order < evaluations.length; order++) {
    const e = evaluations[order] as ProductEvaluation;
    if (e.eligible) {
      const requested = e.offer.product === request.product ? 1 : 0;
      ranked.push({ offer: e.offer, requested, order });
    }
  }
  if (ranked.length > 1) ranked.sort(byFit);
  const out: ProvisionalOffer[] = [];
  for (const r of ranked) out.push(r.offer);
  return out;
}

interface RankedOffer {
  offer: ProvisionalOffer;
  requested: number;
  order: number;
}

function byFit(a: RankedOffer, b: RankedOffer): number {
  return b.requested - a.requested || b.offer.fit - a.offer.fit || a.order - b.order;
}

/**
 * True when what the total exposure cap leaves, in the policy's round figures, is below every
 * enabled product's minimum: nothing can be offered until the borrower's exposure falls.
 */
function atTotalCap(room: number | null, policy: CompiledPolicy): boolean {
  if (room === null) return false;
  const doc = policy.document;
  const available = floorTo(room, doc.limits.roundDownToFen);
  const minimums = Object.values(doc.products)
    .filter((p) => p.enabled)
    .map((p) => p.minAmount);
  return minimums.length > 0 && available < Math.min(...minimums);
}

/** Why the product the request names is not offered; none for `any` or when it is offered. */
function requestedProductReasons(
  evaluations: ProductEvaluation[],
  request: LoanRequest,
  offers: OfferProposal[],
): Reason[] {
  if (request.product === 'any') return [];
  if (offers.some((o) => o.product === request.product)) return [];
  return evaluations.find((e) => e.product === request.product)?.reasons ?? [];
}

/** The requested product's reasons first (or every product's, for `any`). */
function productReasonsFor(evaluations: ProductEvaluation[], request: LoanRequest): Reason[] {
  const first = evaluations.filter((e) => e.product === request.product);
  const rest = evaluations.filter((e) => e.product !== request.product);
  return [...first, ...rest].flatMap((e) => e.reasons);
}

function withSchedule(offer: ProvisionalOffer): OfferProposal {
  let schedule: ScheduleRow[] = [];
  let totalInterest = 0;
  if (offer.method !== 'revolving') {
    const built = buildSchedule({
      amount: offer.amount,
      annualRateBps: offer.annualRateBps,
      termMonths: offer.termMonths,
      method: offer.method,
    });
    schedule = built.schedule;
    totalInterest = built.totalInterest;
  }
  // Built field by field (not spread): one stable shape, cheaper on the hot path.
  const out: OfferProposal = {
    product: offer.product,
    amount: offer.amount,
    termMonths: offer.termMonths,
    annualRateBps: offer.annualRateBps,
    method: offer.method,
    schedule,
    totalInterest,
    bindingCap: offer.bindingCap,
    bindingLimit: offer.bindingLimit,
    limitReason: offer.limitReason,
    fit: offer.fit,
  };
  if (offer.guaranteeRequired) out.guaranteeRequired = offer.guaranteeRequired;
  return out;
}
