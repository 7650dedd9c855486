/**
 * The exposure ledger's arithmetic (issue #12), pure: what a new application's offers add to its
 * borrower's row, and what a row means as of a date (taken loans at their outstanding principal
 * by their schedules). The SQL that keeps the rows is in repository.ts.
 */
import {
  chinaDate,
  type ExistingExposure,
  instalmentsDue,
  monthlyInstalmentOf,
  type OfferMethod,
  outstandingPrincipal,
  PRODUCTS,
  type Product,
} from '../../credit';
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

/** A taken loan as of `now`: what is still owed and what it costs a month, by its schedule. */
export function takenLoanNow(loan: TakenLoan, now: Date) {
  const item = { ...loan, method: loan.method as OfferMethod };
  // Instalments fallen due by now (src/credit due-dates.ts states the rule).
  const months = instalmentsDue(
    chinaDate(loan.acceptedAt ?? loan.updatedAt),
    chinaDate(now),
    loan.termMonths,
  );
  return {
    outstanding: outstandingPrincipal(item, months),
    instalment: monthlyInstalmentOf(item, months),
  };
}

export const outstandingOf = (loan: TakenLoan, now: Date) => takenLoanNow(loan, now).outstanding;

/**
 * What the model is told the borrower already has, as of `now`: the row's amounts, less what the
 * taken loans have been repaid by their schedules, their instalments as now due (an
 * equal-principal loan's fall, a repaid loan's are none). `takenLoans` are the borrower's taken
 * loans (read only when the row has any).
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
  let instalmentsFallen = 0;
  for (const loan of takenLoans) {
    if (loan.product === 'credit_card') continue;
    const current = takenLoanNow(loan, now);
    repaid += loan.amount - current.outstanding;
    byProduct[loan.product] -= loan.amount - current.outstanding;
    instalmentsFallen += loan.monthlyInstalment - current.instalment;
  }
  return {
    total: r.held + r.loans - repaid + r.cardLimits,
    byProduct,
    monthlyInstalments: r.heldInstalments + r.takenInstalments - instalmentsFallen,
    contingent: r.contingent,
  };
}

/** The version a decision is sized against: 0 while the borrower has no row. */
export const versionOf = (row: Pick<LedgerRow, 'version'> | null | undefined) => row?.version ?? 0;
