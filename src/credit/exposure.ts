/**
 * The borrower's existing exposure (the ledger the service keeps) as the model reads it, and the
 * two figures the service needs to fill that ledger from offers and loans: the monthly instalment
 * an offer or loan counts for, and a loan's outstanding principal after some months. Pure: the
 * service says how many months have elapsed; the model reads no clock.
 */
import type { ExistingExposure, OfferMethod, OfferProposal } from './decision-types';
import { annuityPayment, roundHalfUp } from './money';
import type { PolicyDocument } from './policy-schema';
import { buildSchedule, type ScheduleMethod } from './schedule';
import type { Product } from './survey';

/** Nothing held: what a context without `exposure` (a decision before the ledger) counts. */
export const NO_EXPOSURE: ExistingExposure = Object.freeze({
  total: 0,
  byProduct: Object.freeze({
    operator_guarantee: 0,
    joint_guarantee: 0,
    credit_loan: 0,
    credit_card: 0,
  }),
  monthlyInstalments: 0,
  contingent: 0,
});

/** The context's exposure, or nothing when it has none. */
export function exposureOf(context: { exposure?: ExistingExposure | null }): ExistingExposure {
  return context.exposure ?? NO_EXPOSURE;
}

/** What the borrower holds of one product (0 when the ledger does not name it). */
export function heldOf(exposure: ExistingExposure, product: Product): number {
  return Math.max(0, exposure.byProduct[product] ?? 0);
}

/**
 * What the policy's total exposure cap leaves: multiple x annual net profit - (total + weight x
 * contingent), at least 0, in fen; null when the policy sets no total cap (a version published
 * before the ledger).
 */
export function totalExposureRoom(
  annualNetProfit: number,
  rules: PolicyDocument['exposure'],
  exposure: ExistingExposure,
): number | null {
  const multiple = rules.maxMultipleOfAnnualNetProfit;
  if (multiple === null) return null;
  const cap = multiple * Math.max(0, annualNetProfit);
  const used =
    Math.max(0, exposure.total) + rules.contingentWeight * Math.max(0, exposure.contingent);
  return Math.max(0, Math.floor(cap - used));
}

/** An offer or a loan as the ledger holds it (the fields of an OfferProposal). */
export interface LedgerItem {
  product?: Product;
  /** Fen: the loan's amount, or the card's limit. */
  amount: number;
  annualRateBps: number;
  /** The loan's term; for a card, the months until its limit is reviewed. */
  termMonths: number;
  method: OfferMethod;
}

/**
 * The monthly instalment an offer or a loan counts for in other decisions' coverage, in fen:
 * for a loan, the first payment its schedule (buildSchedule) has due after `monthsElapsed` months
 * (the level payment of an equal-instalment loan, the largest remaining one of an equal-principal
 * loan), 0 once repaid. A card (revolving) counts as if its limit were drawn in full and repaid in
 * equal instalments by its review (termMonths) at its rate, whatever is drawn: about a twelfth
 * of the limit plus interest, near the 10% minimum payment of Chinese cards. The limit stays
 * whole while granted, so its instalment does not fall with time.
 */
export function monthlyInstalmentOf(item: LedgerItem, monthsElapsed = 0): number {
  if (item.amount <= 0) return 0;
  if (item.method === 'revolving' || item.product === 'credit_card') {
    return roundHalfUp(annuityPayment(item.amount, item.annualRateBps, item.termMonths));
  }
  const elapsed = Math.max(0, Math.floor(monthsElapsed));
  if (elapsed >= item.termMonths) return 0;
  return scheduleOf(item, item.method)[elapsed]?.payment ?? 0;
}

/**
 * The same for an offer just proposed, whose schedule decide() has built already (the hot path
 * builds it once): its first payment, or the card's.
 */
export function offerInstalment(offer: OfferProposal): number {
  if (offer.method === 'revolving' || offer.product === 'credit_card')
    return monthlyInstalmentOf(offer);
  return offer.schedule[0]?.payment ?? 0;
}

/**
 * Principal still owed after `monthsElapsed` months, by the loan's schedule: the amount less the
 * principal of the instalments due within those months. A card's limit counts whole while it is
 * granted (it can be drawn in full at any time).
 */
export function outstandingPrincipal(item: LedgerItem, monthsElapsed: number): number {
  if (item.amount <= 0) return 0;
  if (item.method === 'revolving' || item.product === 'credit_card') return item.amount;
  const elapsed = Math.max(0, Math.floor(monthsElapsed));
  if (elapsed === 0) return item.amount;
  if (elapsed >= item.termMonths) return 0;
  return scheduleOf(item, item.method)[elapsed - 1]?.balance ?? 0;
}

/** A loan's schedule from its terms. */
function scheduleOf(item: LedgerItem, method: ScheduleMethod) {
  return buildSchedule({
    amount: item.amount,
    annualRateBps: item.annualRateBps,
    termMonths: item.termMonths,
    method,
  }).schedule;
}
