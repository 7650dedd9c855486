import fc from 'fast-check';
import {
  compilePolicy,
  computeMetrics,
  decide,
  defaultPolicyDocument,
  instalmentCapacity,
  type Metrics,
  type Survey,
  surveySchema,
} from '../../src/credit';
import { scoreApplicant } from '../../src/credit/scorecard';
import { contextArb, requestArb, surveyArb } from './arbitraries';
import { policyCopy } from './helpers';

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
