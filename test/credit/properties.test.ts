import fc from 'fast-check';
import {
  BINDING_LIMITS,
  compilePolicy,
  computeMetrics,
  type DecisionContext,
  decide,
  defaultPolicyDocument,
  type ExistingExposure,
  instalmentCapacity,
  type Metrics,
  monthlyInstalmentOf,
  NO_EXPOSURE,
  PRODUCTS,
  type Survey,
  surveySchema,
} from '../../src/credit';
import { scoreApplicant } from '../../src/credit/scorecard';
import {
  contextArb,
  exposureArb,
  ledgerFor,
  ledgerSharesArb,
  legacyContextArb,
  requestArb,
  surveyArb,
} from './arbitraries';
import { policyCopy } from './helpers';
import { defaultRequest, sampleMerchants } from './sample';

const policy = compilePolicy(policyCopy());
const doc = policy.document;

describe('properties of the default policy', () => {
  it('generates only valid surveys (guards the other properties)', () => {
    fc.assert(fc.property(surveyArb, (s) => surveySchema.safeParse(s).success));
  });

  it('a better value of one characteristic never lowers the score', () => {
    const numeric = doc.scorecard.characteristics.flatMap((c) =>
      c.kind === 'numeric' && c.direction !== 'none' ? [c] : [],
    );
    expect(numeric.length).toBeGreaterThanOrEqual(8);
    const pick = fc.constantFrom(...numeric);
    fc.assert(
      fc.property(
        surveyArb,
        pick,
        fc.double({ min: 0, max: 1e10, noNaN: true }),
        (survey, c, delta) => {
          const metrics = computeMetrics(survey, policy.metricParams);
          const step = c.direction === 'higher_is_better' ? delta : -delta;
          const better = (obj: Survey | Metrics) => {
            const copy = { ...obj } as Record<string, unknown>;
            if (c.field in copy) copy[c.field] = (copy[c.field] as number) + step;
            return copy;
          };
          const before = scoreApplicant(survey, metrics, policy).score;
          const after = scoreApplicant(
            better(survey) as unknown as Survey,
            better(metrics) as unknown as Metrics,
            policy,
          ).score;
          expect(after).toBeGreaterThanOrEqual(before);
        },
      ),
    );
  });

  it('a longer tenure or a cleaner credit history never lowers the decided score', () => {
    const order: Survey['creditHistory'][] = [
      'default',
      'late_90_plus',
      'late_30',
      'none',
      'clean',
    ];
    fc.assert(
      fc.property(
        surveyArb,
        requestArb,
        fc.integer({ min: 0, max: 300 }),
        (survey, request, more) => {
          const base = decide(survey, request, policy, {}).score;
          const longer = { ...survey, tenureMonths: Math.min(600, survey.tenureMonths + more) };
          expect(decide(longer, request, policy, {}).score).toBeGreaterThanOrEqual(base);
          const next = order[order.indexOf(survey.creditHistory) + 1];
          if (next) {
            expect(
              decide({ ...survey, creditHistory: next }, request, policy, {}).score,
            ).toBeGreaterThanOrEqual(base);
          }
        },
      ),
    );
  });

  it('more funding from buyers or suppliers never lowers the score nor raises the gap', () => {
    fc.assert(
      fc.property(
        surveyArb,
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.constantFrom('customerAdvances' as const, 'payables' as const),
        (survey, more, field) => {
          const funded = { ...survey, [field]: (survey[field] ?? 0) + more };
          // The survey's own bounds: advances within sales.
          fc.pre(surveySchema.safeParse(funded).success);
          const before = computeMetrics(survey, policy.metricParams);
          const after = computeMetrics(funded, policy.metricParams);
          expect(after.workingCapitalGap).toBeLessThanOrEqual(before.workingCapitalGap);
          expect(scoreApplicant(funded, after, policy).score).toBeGreaterThanOrEqual(
            scoreApplicant(survey, before, policy).score,
          );
        },
      ),
    );
  });

  it('finds no need when the cash cycle is not positive, and never a negative gap', () => {
    fc.assert(
      fc.property(surveyArb, (survey) => {
        const m = computeMetrics(survey, policy.metricParams);
        expect(m.workingCapitalGap).toBeGreaterThanOrEqual(0);
        expect(m.workingCapitalGap).toBeLessThanOrEqual(m.workingCapitalNeed);
        if (m.cashConversionCycleDays <= 0) expect(m.workingCapitalNeed).toBe(0);
      }),
    );
  });

  it('no offer exceeds its caps, its request, or the instalment the cash flow carries', () => {
    const seen = { offers: 0, operator: 0, joint: 0, loan: 0, card: 0 };
    fc.assert(
      fc.property(surveyArb, requestArb, contextArb, (survey, request, context) => {
        const d = decide(survey, request, policy, context);
        if (d.outcome !== 'approve') expect(d.offers).toEqual([]);
        if (d.knockouts.length > 0) expect(d.outcome).toBe('decline');
        expect(d.reasons.length).toBeLessThanOrEqual(4);
        const capacity = instalmentCapacity(d.metrics, doc.cashFlow.minDscr);
        const salesCap = survey.annualSales * doc.limits.maxShareOfAnnualSales;
        for (const o of d.offers) {
          seen.offers++;
          if (o.product === 'operator_guarantee') seen.operator++;
          if (o.product === 'joint_guarantee') seen.joint++;
          if (o.product === 'credit_loan') seen.loan++;
          if (o.product === 'credit_card') seen.card++;
          const rules = doc.products[o.product];
          expect(Number.isSafeInteger(o.amount) && o.amount > 0).toBe(true);
          expect(o.amount).toBeLessThanOrEqual(request.amount);
          expect(o.amount).toBeLessThanOrEqual(rules.maxAmount);
          expect(o.amount).toBeGreaterThanOrEqual(rules.minAmount);
          expect(o.amount).toBeLessThanOrEqual(salesCap);
          expect(o.annualRateBps).toBeGreaterThanOrEqual(rules.rateFloorBps);
          expect(o.annualRateBps).toBeLessThanOrEqual(rules.rateCapBps);
          expect(Number.isInteger(o.annualRateBps)).toBe(true);
          if (context.override?.maxAmount !== undefined) {
            expect(o.amount).toBeLessThanOrEqual(context.override.maxAmount);
          }
          if (o.product !== 'credit_card') {
            expect(o.termMonths).toBeLessThanOrEqual(request.termMonths);
            expect(o.schedule.reduce((s, r) => s + r.principal, 0)).toBe(o.amount);
            expect(o.schedule[0]?.payment).toBeLessThanOrEqual(capacity);
            if (request.purpose === 'working_capital') {
              expect(o.amount).toBeLessThanOrEqual(d.metrics.workingCapitalGap);
            }
            if (request.purpose === 'store_expansion') {
              expect(o.amount).toBeLessThanOrEqual(doc.limits.storeExpansion.maxAmount);
            }
          }
          if (o.product === 'operator_guarantee') {
            const op = context.operator;
            expect(op?.agreementStatus).toBe('active');
            expect(o.amount).toBeLessThanOrEqual(op?.perMerchantCap ?? 0);
            expect(o.amount).toBeLessThanOrEqual(op?.available ?? 0);
            expect(o.termMonths).toBeLessThanOrEqual(op?.maxTermMonths ?? 0);
            const lease = survey.leaseRemainingMonths ?? context.leaseRemainingMonths ?? 0;
            expect(o.termMonths).toBeLessThanOrEqual(lease);
          }
          if (o.product === 'joint_guarantee') {
            expect(o.amount).toBeLessThanOrEqual(doc.products.joint_guarantee.perMemberCap);
            const size = context.guaranteeGroup?.memberCount ?? 0;
            expect(size >= 3 && size <= 5).toBe(true);
          }
          if (o.product === 'credit_loan') {
            const loan = doc.products.credit_loan;
            expect(['A', 'B']).toContain(d.grade);
            expect(o.guaranteeRequired).toBeUndefined();
            const tighter = instalmentCapacity(d.metrics, loan.minDscr);
            expect(o.schedule[0]?.payment).toBeLessThanOrEqual(tighter);
            expect(o.amount).toBeLessThanOrEqual(loan.maxAmount);
          }
          if (o.product === 'credit_card') {
            expect(o.amount).toBeLessThanOrEqual(50_000_000);
            expect(o.schedule).toEqual([]);
          }
        }
      }),
      { numRuns: 1000 },
    );
    // The property must have met real offers of every product, or it proved nothing.
    expect(seen.operator).toBeGreaterThan(0);
    expect(seen.joint).toBeGreaterThan(0);
    expect(seen.loan).toBeGreaterThan(0);
    expect(seen.card).toBeGreaterThan(0);
  });

  it('same input, same bytes', () => {
    const fresh = compilePolicy(structuredClone(defaultPolicyDocument));
    fc.assert(
      fc.property(surveyArb, requestArb, contextArb, (survey, request, context) => {
        const a = JSON.stringify(decide(survey, request, policy, context));
        const b = JSON.stringify(
          decide(
            structuredClone(survey),
            structuredClone(request),
            fresh,
            structuredClone(context),
          ),
        );
        expect(b).toBe(a);
        expect(a).not.toMatch(/NaN|Infinity|null,"bin"/);
      }),
    );
  });
});

describe('properties of the default policy across the ledger (issue #12)', () => {
  const total = doc.exposure;
  const multiple = total.maxMultipleOfAnnualNetProfit;
  if (multiple === null) throw new Error('the default policy has a total exposure cap');

  it('no offer exceeds a cap net of what the borrower holds, nor the cash flow after its instalments', () => {
    const seen: Record<string, number> & {
      offers: number;
      limited: number;
      declinedAtCap: number;
    } = { offers: 0, limited: 0, declinedAtCap: 0 };
    const maxAmounts = [
      doc.products.operator_guarantee.maxAmount,
      doc.products.joint_guarantee.maxAmount,
      doc.products.credit_loan.maxAmount,
      doc.products.credit_card.maxAmount,
    ] as const;
    // Half the cases with any ledger; half a sample merchant (most are approved) asking for any
    // product, with a ledger in proportion to what it earns.
    const sampled = fc
      .tuple(
        fc.constantFrom(...sampleMerchants),
        requestArb,
        fc.noBias(fc.integer({ min: 1_000_000, max: 300_000_000 })),
        legacyContextArb,
        ledgerSharesArb,
      )
      .map(([m, anyRequest, amount, context, shares]) => {
        const request = { ...(m.request ?? defaultRequest), product: anyRequest.product, amount };
        const profit = computeMetrics(m.survey, policy.metricParams).annualNetProfit;
        const exposure = ledgerFor(shares, {
          annualNetProfit: profit,
          // Room of at most 1.5 x 1M 元: below most product caps, so that it binds often.
          requestAmount: 100_000_000,
          totalMultiple: multiple,
          contingentWeight: total.contingentWeight,
          maxAmounts,
        });
        const operator = context.operator
          ? { ...context.operator, agreementStatus: 'active' as const }
          : null;
        return [m.survey, request, { ...context, operator, exposure }] as const;
      });
    const cases = fc.oneof(fc.tuple(surveyArb, requestArb, contextArb), sampled);
    fc.assert(
      fc.property(cases, ([survey, request, context]) => {
        const d = decide(survey, request, policy, context);
        const e: ExistingExposure = context.exposure ?? NO_EXPOSURE;
        const room =
          multiple * d.metrics.annualNetProfit - e.total - total.contingentWeight * e.contingent;
        if (d.outcome === 'decline' && d.knockouts.length === 0) {
          // Declined with no knock-out: only the score, or the total cap with its reason.
          if (d.reasons[0]?.code === 'TOTAL_EXPOSURE_EXCEEDED') {
            seen.declinedAtCap++;
            expect(room).toBeLessThan(
              Math.min(...PRODUCTS.map((p) => doc.products[p].minAmount)) +
                doc.limits.roundDownToFen,
            );
          }
        }
        for (const o of d.offers) {
          seen.offers++;
          const rules = doc.products[o.product];
          const held = e.byProduct[o.product];
          expect(BINDING_LIMITS).toContain(o.bindingLimit);
          expect(o.amount).toBeLessThanOrEqual(rules.maxAmount - held);
          expect(o.amount).toBeLessThanOrEqual(room);
          if (o.product === 'operator_guarantee') {
            expect(o.amount).toBeLessThanOrEqual((context.operator?.perMerchantCap ?? 0) - held);
          }
          if (o.product === 'joint_guarantee') {
            expect(o.amount).toBeLessThanOrEqual(doc.products.joint_guarantee.perMemberCap - held);
          }
          // Instalment (a card's as drawn in full) + the ledger's + the survey's within coverage.
          const minDscr =
            o.product === 'credit_loan' ? doc.products.credit_loan.minDscr : doc.cashFlow.minDscr;
          expect(
            monthlyInstalmentOf(o) + e.monthlyInstalments + survey.monthlyDebtService,
          ).toBeLessThanOrEqual(d.metrics.monthlyNetCashFlow / minDscr);
          // The reason is there exactly when the request is not met, and names the limit.
          expect(o.limitReason === null).toBe(o.amount === request.amount);
          expect(o.amount).toBeLessThanOrEqual(request.amount);
          if (o.limitReason !== null) {
            seen.limited++;
            expect(o.limitReason).toMatchObject({
              code: `LIMITED_BY_${o.bindingLimit.toUpperCase()}`,
              kind: 'product',
            });
            expect(o.limitReason.textZh).toMatch(/^受/);
          } else {
            expect(o.bindingLimit).toBe('request');
          }
          const key = `${o.product}:${o.bindingLimit}`;
          seen[key] = (seen[key] ?? 0) + 1;
        }
      }),
      { numRuns: 3000 },
    );
    // It must have met offers bound by each cap that counts the ledger, or it proved nothing.
    expect(seen.offers).toBeGreaterThan(200);
    expect(seen.limited).toBeGreaterThan(0);
    expect(seen.declinedAtCap).toBeGreaterThan(0);
    for (const key of [
      'operator_guarantee:total_exposure',
      'operator_guarantee:product_cap',
      'operator_guarantee:operator_per_merchant_cap',
      'operator_guarantee:repayment_capacity',
      'joint_guarantee:total_exposure',
      'joint_guarantee:per_member_cap',
      'credit_loan:total_exposure',
      'credit_loan:product_cap',
      'credit_loan:repayment_capacity',
      'credit_card:total_exposure',
      'credit_card:product_cap',
      'credit_card:net_cash_flow',
      'credit_card:net_profit',
    ]) {
      expect([key, (seen[key] ?? 0) > 0]).toEqual([key, true]);
    }
  });

  it('a context without exposure decides exactly as one whose exposure is all zero', () => {
    fc.assert(
      fc.property(surveyArb, requestArb, legacyContextArb, (survey, request, context) => {
        const without: DecisionContext = { ...context };
        delete without.exposure;
        const a = JSON.stringify(decide(survey, request, policy, without));
        const b = JSON.stringify(
          decide(survey, request, policy, { ...context, exposure: NO_EXPOSURE }),
        );
        const c = JSON.stringify(decide(survey, request, policy, { ...context, exposure: null }));
        expect(b).toBe(a);
        expect(c).toBe(a);
      }),
    );
  });

  it('more exposure never gives a larger offer of any product', () => {
    fc.assert(
      fc.property(
        surveyArb,
        requestArb,
        legacyContextArb,
        exposureArb,
        exposureArb,
        (survey, request, context, e, more) => {
          const larger: ExistingExposure = {
            total: e.total + more.total,
            byProduct: {
              operator_guarantee:
                e.byProduct.operator_guarantee + more.byProduct.operator_guarantee,
              joint_guarantee: e.byProduct.joint_guarantee + more.byProduct.joint_guarantee,
              credit_loan: e.byProduct.credit_loan + more.byProduct.credit_loan,
              credit_card: e.byProduct.credit_card + more.byProduct.credit_card,
            },
            monthlyInstalments: e.monthlyInstalments + more.monthlyInstalments,
            contingent: e.contingent + more.contingent,
          };
          const less = decide(survey, request, policy, { ...context, exposure: e });
          const most = decide(survey, request, policy, { ...context, exposure: larger });
          expect(most.score).toBe(less.score);
          for (const o of most.offers) {
            const before = less.offers.find((x) => x.product === o.product);
            expect(before).toBeDefined();
            expect(o.amount).toBeLessThanOrEqual(before?.amount ?? 0);
          }
        },
      ),
    );
  });
});
