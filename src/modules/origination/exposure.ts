/**
 * The exposure ledger's arithmetic (issue #12), pure: what a new application's offers add to its
 * borrower's row, and what a row means as of a date (taken loans at their outstanding principal
 * by their schedules). The SQL that keeps the rows is in repository.ts.
 */
import {
  buildSchedule,
  type ExistingExposure,
  type OfferProposal,
  PRODUCTS,
  type Product,
} from '../../credit';
import { monthsBetween } from './decision-context';
import type { LedgerAmounts, LedgerRow, OfferInsert, OfferRow } from './repository';

export const EMPTY_LEDGER: LedgerAmounts = {
  held: 0,
  heldInstalments: 0,
  loans: 0,
  cardLimits: 0,
  takenInstalments: 0,
  operatorGuarantee: 0,
  jointGuarantee: 0,
  creditLoan: 0,
  creditCard: 0,
  contingent: 0,
};

/** The ledger column of each product's amounts. */
export const PRODUCT_COLUMN = {
  operator_guarantee: 'operatorGuarantee',
  joint_guarantee: 'jointGuarantee',
  credit_loan: 'creditLoan',
  credit_card: 'creditCard',
} as const satisfies Record<Product, keyof LedgerAmounts>;

/**
 * What one application's new offers add to its borrower's row: the largest of them is held
 * (only one can be taken; accepting it withdraws the rest), and each counts for its product.
 */
export function ledgerDeltaOf(
  offers: Pick<OfferInsert, 'product' | 'amount' | 'monthlyInstalment'>[],
) {
  const delta = { ...EMPTY_LEDGER };
  for (const o of offers) {
    delta.held = Math.max(delta.held, o.amount);
    delta.heldInstalments = Math.max(delta.heldInstalments, o.monthlyInstalment ?? 0);
    delta[PRODUCT_COLUMN[o.product]] += o.amount;
  }
  return delta;
}

/** A taken loan as the ledger reads it to know what is still outstanding. */
export type TakenLoan = Pick<
  OfferRow,
  | 'product'
  | 'amount'
  | 'annualRateBps'
  | 'termMonths'
  | 'method'
  | 'monthlyInstalment'
  | 'acceptedAt'
  | 'updatedAt'
>;

/** A taken loan's principal still owed at `now`, by its schedule from the day it was accepted. */
export function outstandingOf(loan: TakenLoan, now: Date): number {
  if (loan.product === 'credit_card' || loan.method === 'revolving') return loan.amount;
  const since = loan.acceptedAt ?? loan.updatedAt;
  return outstandingPrincipal(
    {
      amount: loan.amount,
      annualRateBps: loan.annualRateBps,
      termMonths: loan.termMonths,
      method: loan.method as 'equal_instalment' | 'equal_principal',
    },
    monthsBetween(since, now),
  );
}

/**
 * What the model is told the borrower already has, as of `now`: the row's amounts, less what the
 * taken loans have been repaid by their schedules (a loan fully repaid no longer costs its
 * instalment). `takenLoans` are the borrower's taken loans (read only when the row has any).
 */
export function existingExposure(
  row: LedgerAmounts | null | undefined,
  takenLoans: TakenLoan[],
  now: Date,
): ExistingExposure {
  const r = row ?? EMPTY_LEDGER;
  const byProduct = Object.fromEntries(PRODUCTS.map((p) => [p, r[PRODUCT_COLUMN[p]]])) as Record<
    Product,
    number
  >;
  let repaid = 0;
  let instalmentsEnded = 0;
  for (const loan of takenLoans) {
    if (loan.product === 'credit_card') continue;
    const outstanding = outstandingOf(loan, now);
    repaid += loan.amount - outstanding;
    byProduct[loan.product] -= loan.amount - outstanding;
    if (outstanding === 0) instalmentsEnded += loan.monthlyInstalment;
  }
  return {
    total: r.held + r.loans - repaid + r.cardLimits,
    byProduct,
    monthlyInstalments: r.heldInstalments + r.takenInstalments - instalmentsEnded,
    contingent: r.contingent,
  };
}

/** The version a decision is sized against: 0 while the borrower has no row. */
export const versionOf = (row: Pick<LedgerRow, 'version'> | null | undefined) => row?.version ?? 0;

/** An offer's monthly cost as the ledger counts it: a loan's highest instalment. */
export function monthlyInstalmentOf(
  o: Pick<OfferProposal, 'product' | 'amount' | 'annualRateBps' | 'schedule'>,
): number {
  // TODO(#12 credit): the card's payment on a fully drawn limit comes from src/credit.
  if (o.product === 'credit_card') return Math.ceil((o.amount * o.annualRateBps) / 120_000);
  let highest = 0;
  for (const row of o.schedule) highest = Math.max(highest, row.payment);
  return highest;
}

function outstandingPrincipal(
  terms: {
    amount: number;
    annualRateBps: number;
    termMonths: number;
    method: 'equal_instalment' | 'equal_principal';
  },
  monthsElapsed: number,
): number {
  if (monthsElapsed <= 0) return terms.amount;
  if (monthsElapsed >= terms.termMonths) return 0;
  return buildSchedule(terms).schedule[monthsElapsed - 1]?.balance ?? 0;
}
