/**
 * What a stored decision keeps of decide()'s answer: everything but the offers' repayment
 * schedules, which the offers' own terms rebuild exactly (buildSchedule is a pure function of
 * amount, rate, term and method). A schedule is most of a decision's bytes and every byte is
 * written to the WAL on the hot path (issue #11). What a merchant accepted is frozen with the
 * offer when it is accepted, so a later change of the schedule code never alters it.
 */
import type { Decision, OfferProposal } from './decision-types';
import { buildSchedule, type ScheduleRow } from './schedule';

/** A proposal as stored: its schedule only when a decision stored before issue #11 kept it. */
export type StoredOfferProposal = Omit<OfferProposal, 'schedule'> & { schedule?: ScheduleRow[] };

export type StoredDecision = Omit<Decision, 'offers'> & { offers: StoredOfferProposal[] };

export function storedDecision(decision: Decision): StoredDecision {
  return {
    ...decision,
    offers: decision.offers.map(({ schedule: _rebuilt, ...kept }) => kept),
  };
}

/** The decision as decide() answered it: each offer's schedule rebuilt from its terms. */
export function restoredDecision(stored: StoredDecision): Decision {
  return { ...stored, offers: stored.offers.map(restoredProposal) };
}

function restoredProposal(o: StoredOfferProposal): OfferProposal {
  // Keys in decide()'s order (withSchedule in decide.ts): one shape, stored or fresh.
  const out: OfferProposal = {
    product: o.product,
    amount: o.amount,
    termMonths: o.termMonths,
    annualRateBps: o.annualRateBps,
    method: o.method,
    schedule: o.schedule ?? proposalSchedule(o),
    totalInterest: o.totalInterest,
    bindingCap: o.bindingCap,
    bindingLimit: o.bindingLimit,
    limitReason: o.limitReason,
    fit: o.fit,
  };
  if (o.guaranteeRequired) out.guaranteeRequired = o.guaranteeRequired;
  return out;
}

/** The schedule of an offer's terms: none for the card (revolving). */
export function proposalSchedule(terms: {
  amount: number;
  termMonths: number;
  annualRateBps: number;
  method: OfferProposal['method'];
}): ScheduleRow[] {
  if (terms.method === 'revolving') return [];
  return buildSchedule({
    amount: terms.amount,
    annualRateBps: terms.annualRateBps,
    termMonths: terms.termMonths,
    method: terms.method,
  }).schedule;
}
