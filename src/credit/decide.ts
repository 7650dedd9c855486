/**
 * decide(): the one entry point of the credit model. Pure and deterministic: the same
 * survey, request, policy and context give the same decision, byte for byte.
 *
 * Flow: metrics -> scorecard, knock-outs and data checks -> outcome -> products -> offers ->
 * reasons. A failed data check turns an approve into a refer: the officer rechecks the figures.
 * An approve that no product can serve becomes a refer (a reviewer may find a structure,
 * e.g. a guarantee group), carrying NO_ELIGIBLE_PRODUCT and the products' reasons.
 * A manual override approves within every cap but never lifts a knock-out.
 */

import { dataCheckReasons } from './data-checks';
import type {
  Decision,
  DecisionContext,
  OfferProposal,
  ProductResult,
  Reason,
} from './decision-types';
import { computeMetrics } from './metrics';
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

  const input: ProductInput = {
    survey,
    request,
    metrics,
    grade: card.grade,
    pd: card.pd,
    policy,
    context,
    overrideMaxAmount: override?.maxAmount ?? null,
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
    if (offers.length === 0) {
      outcome = 'refer';
      reasons = principalReasons(
        [productReason('NO_ELIGIBLE_PRODUCT')],
        productReasonsFor(evaluations, request),
        characteristicReasons(policy, card.points),
      );
    } else {
      // A clean approve needs no reasons; an overridden one keeps what held the model back.
      reasons = overridden
        ? principalReasons(dataReasons, characteristicReasons(policy, card.points))
        : [];
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
    fit: offer.fit,
  };
  if (offer.guaranteeRequired) out.guaranteeRequired = offer.guaranteeRequired;
  return out;
}
