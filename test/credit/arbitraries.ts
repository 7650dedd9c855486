/** fast-check generators of valid surveys, requests and contexts. */
import fc from 'fast-check';
import type { DecisionContext, ExistingExposure, LoanRequest, Survey } from '../../src/credit';

export const surveyArb: fc.Arbitrary<Survey> = fc
  .record({
    businessForm: fc.constantFrom('individual' as const, 'enterprise' as const),
    businessModel: fc.constantFrom('distributor' as const, 'manufacturer_outlet' as const),
    tenureMonths: fc.integer({ min: 0, max: 600 }),
    storeCount: fc.integer({ min: 1, max: 5 }),
    annualSales: fc.integer({ min: 0, max: 8_000_000_000 }),
    netMargin: fc.integer({ min: -200, max: 600 }).map((x) => x / 1000),
    // Mostly stock that agrees with the turnover (as the survey sample's), sometimes not.
    stockFactor: fc.oneof(
      { weight: 4, arbitrary: fc.constant(1) },
      { weight: 1, arbitrary: fc.double({ min: 0, max: 3, noNaN: true }) },
    ),
    inventoryTurnoverDays: fc.integer({ min: 0, max: 180 }),
    receivableShare: fc.double({ min: 0, max: 1, noNaN: true }),
    payables: fc.integer({ min: 0, max: 2_000_000_000 }),
    existingDebt: fc.integer({ min: 0, max: 2_000_000_000 }),
    debtServiceShare: fc.double({ min: 0, max: 0.1, noNaN: true }),
    ownFunds: fc.option(fc.integer({ min: 0, max: 1_000_000_000 }), { nil: undefined }),
    advanceShare: fc.option(fc.double({ min: 0, max: 0.3, noNaN: true }), { nil: undefined }),
    prepaymentShare: fc.option(fc.double({ min: 0, max: 0.3, noNaN: true }), { nil: undefined }),
    creditHistory: fc.constantFrom(
      'none',
      'clean',
      'late_30',
      'late_90_plus',
      'default',
    ) as fc.Arbitrary<Survey['creditHistory']>,
    leaseRemainingMonths: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
  })
  .map((r) => {
    const survey: Survey = {
      businessForm: r.businessForm,
      businessModel: r.businessModel,
      tenureMonths: r.tenureMonths,
      storeCount: r.storeCount,
      annualSales: r.annualSales,
      netMargin: r.netMargin,
      inventoryValue: Math.floor(
        ((r.annualSales * (1 - r.netMargin) * r.inventoryTurnoverDays) / 360) * r.stockFactor,
      ),
      inventoryTurnoverDays: r.inventoryTurnoverDays,
      receivables: Math.floor(r.annualSales * r.receivableShare),
      payables: r.payables,
      existingDebt: r.existingDebt,
      monthlyDebtService:
        r.existingDebt === 0
          ? 0
          : Math.min(r.annualSales, Math.floor(r.existingDebt * r.debtServiceShare)),
      creditHistory: r.creditHistory,
    };
    if (r.ownFunds !== undefined) survey.ownFunds = r.ownFunds;
    if (r.advanceShare !== undefined) {
      survey.customerAdvances = Math.floor(r.annualSales * r.advanceShare);
    }
    if (r.prepaymentShare !== undefined) {
      survey.supplierPrepayments = Math.floor(r.annualSales * r.prepaymentShare);
    }
    if (r.leaseRemainingMonths !== undefined) survey.leaseRemainingMonths = r.leaseRemainingMonths;
    return survey;
  });

export const requestArb: fc.Arbitrary<LoanRequest> = fc.record({
  product: fc.constantFrom(
    'operator_guarantee',
    'joint_guarantee',
    'credit_loan',
    'credit_card',
    'any',
  ) as fc.Arbitrary<LoanRequest['product']>,
  amount: fc.integer({ min: 1, max: 1_000_000_000 }),
  termMonths: fc.integer({ min: 1, max: 60 }),
  purpose: fc.constantFrom(
    'working_capital',
    'store_expansion',
    'short_term_turnover',
  ) as fc.Arbitrary<LoanRequest['purpose']>,
});

export const legacyContextArb: fc.Arbitrary<DecisionContext> = fc.record({
  operator: fc.option(
    fc.record({
      agreementStatus: fc.constantFrom('active' as const, 'suspended' as const),
      perMerchantCap: fc.integer({ min: 0, max: 500_000_000 }),
      available: fc.integer({ min: 0, max: 1_000_000_000 }),
      maxTermMonths: fc.integer({ min: 1, max: 60 }),
      depositRatioBps: fc.integer({ min: 0, max: 3_000 }),
    }),
    { nil: null },
  ),
  guaranteeGroup: fc.option(
    fc.record({ id: fc.constant('grp_x'), memberCount: fc.integer({ min: 1, max: 7 }) }),
    { nil: null },
  ),
  leaseRemainingMonths: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
  override: fc.option(
    fc.record({
      outcome: fc.constant('approve' as const),
      maxAmount: fc.option(fc.integer({ min: 0, max: 500_000_000 }), { nil: undefined }),
    }),
    { nil: null },
  ),
});

const fenUpTo = (max: number) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max }) },
  );

/** Any ledger: empty, small, or far beyond what a merchant could carry. */
export const exposureArb: fc.Arbitrary<ExistingExposure> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constant({
      total: 0,
      byProduct: { operator_guarantee: 0, joint_guarantee: 0, credit_loan: 0, credit_card: 0 },
      monthlyInstalments: 0,
      contingent: 0,
    }),
  },
  ...[20_000_000, 500_000_000, 3_000_000_000].map((scale) => ({
    weight: 2,
    arbitrary: fc.record({
      total: fenUpTo(scale),
      byProduct: fc.record({
        operator_guarantee: fenUpTo(scale),
        joint_guarantee: fenUpTo(scale),
        credit_loan: fenUpTo(scale),
        credit_card: fenUpTo(scale),
      }),
      monthlyInstalments: fenUpTo(scale / 20),
      contingent: fenUpTo(scale),
    }),
  })),
);

/** A context as production gives it: with or without the ledger. */
export const contextArb: fc.Arbitrary<DecisionContext> = fc
  .tuple(legacyContextArb, fc.option(exposureArb, { nil: undefined, freq: 3 }))
  .map(([context, exposure]) => (exposure === undefined ? context : { ...context, exposure }));

/**
 * A ledger in proportion to the merchant and its request, so that the caps net of it bind often:
 * the room the total cap leaves as a share of the request, guarantees as a share of annual net
 * profit, instalments as a share of what the cash flow carries, holdings as shares of each
 * product's cap. Mapped onto a case by `ledgerFor`.
 */
/** A share in hundredths, evenly spread (fc.double spreads over floats, mostly tiny ones). */
const share = (max: number) =>
  fc.noBias(fc.integer({ min: 0, max: Math.round(max * 100) })).map((x) => x / 100);
export const ledgerSharesArb = fc.record({
  room: share(1.5),
  contingent: share(2),
  instalments: share(1.1),
  byProduct: fc.tuple(share(1.1), share(1.1), share(1.1), share(1.1)),
});
export type LedgerShares = typeof ledgerSharesArb extends fc.Arbitrary<infer T> ? T : never;

export function ledgerFor(
  shares: LedgerShares,
  c: {
    annualNetProfit: number;
    requestAmount: number;
    totalMultiple: number;
    contingentWeight: number;
    maxAmounts: readonly [number, number, number, number];
  },
): ExistingExposure {
  const profit = Math.max(0, c.annualNetProfit);
  const [op, joint, loan, card] = shares.byProduct;
  const contingent = Math.floor(shares.contingent * profit);
  const cap = c.totalMultiple * profit - c.contingentWeight * contingent;
  return {
    total: Math.max(0, Math.floor(cap - shares.room * c.requestAmount)),
    byProduct: {
      operator_guarantee: Math.floor(op * c.maxAmounts[0]),
      joint_guarantee: Math.floor(joint * c.maxAmounts[1]),
      credit_loan: Math.floor(loan * c.maxAmounts[2]),
      credit_card: Math.floor(card * c.maxAmounts[3]),
    },
    monthlyInstalments: Math.floor((shares.instalments * profit) / 12 / 1.25),
    contingent,
  };
}
