/**
 * The 200 synthetic merchants of the survey through the default policy: aggregates that the
 * survey's figures make sensible. Every merchant is a tenant of a market with an active
 * operator agreement; merchants with no request in the survey ask for a turnover line.
 */
import { compilePolicy, type Decision, type DecisionContext, decide } from '../../src/credit';
import { activeOperator, policyCopy } from './helpers';
import { defaultRequest, sampleMerchants } from './sample';

const policy = compilePolicy(policyCopy());
const context: DecisionContext = { operator: activeOperator };
const decided = sampleMerchants.map((m) => ({
  m,
  d: decide(m.survey, m.request ?? defaultRequest, policy, context) as Decision,
}));
const byId = new Map(decided.map((x) => [x.m.id, x.d]));
const of = (market: string) => decided.filter((x) => x.m.market === market);

describe('the survey sample through the default policy', () => {
  it('holds 100 merchants per market', () => {
    expect(of('majiayan')).toHaveLength(100);
    expect(of('kaien')).toHaveLength(100);
  });

  it('approves or refers most Majiayan working-capital requests', () => {
    const requests = of('majiayan').filter((x) => x.m.request?.purpose === 'working_capital');
    expect(requests.length).toBe(89);
    const approveOrRefer = requests.filter((x) => x.d.outcome !== 'decline').length;
    expect(approveOrRefer / requests.length).toBeGreaterThanOrEqual(0.85);
    const approved = requests.filter((x) => x.d.outcome === 'approve');
    expect(approved.length / requests.length).toBeGreaterThanOrEqual(0.6);
    // Their offers lead with a loan, not the card, when a loan fits: the request is for working capital.
    const withLoan = approved.filter((x) =>
      x.d.offers.some((o) => o.product === 'operator_guarantee'),
    );
    expect(withLoan.length).toBeGreaterThanOrEqual(approved.length - 3);
    for (const x of withLoan) expect(x.d.offers[0]?.product).toBe('operator_guarantee');
  });

  it("scores Kai'en's high-margin furniture shops well", () => {
    const kaien = of('kaien').filter((x) => x.d.knockouts.length === 0);
    const majiayan = of('majiayan').filter((x) => x.d.knockouts.length === 0);
    const mean = (xs: typeof kaien) => xs.reduce((s, x) => s + x.d.score, 0) / xs.length;
    expect(mean(kaien)).toBeGreaterThan(mean(majiayan));
    expect(
      kaien.filter((x) => x.d.outcome === 'approve').length / kaien.length,
    ).toBeGreaterThanOrEqual(0.9);
    for (const x of kaien) {
      const margin = x.d.points.find((p) => p.characteristic === 'netMargin');
      expect(margin?.points).toBe(margin?.maxPoints);
    }
  });

  it('fires knock-outs exactly on the synthetic cases that should trigger them', () => {
    const shortTenure = sampleMerchants.filter((m) => m.survey.tenureMonths < 12).map((m) => m.id);
    expect(shortTenure.length).toBeGreaterThan(0);
    for (const id of shortTenure)
      expect(byId.get(id)?.knockouts).toContain('TENURE_UNDER_12_MONTHS');
    // Version 2 of the sample has no merchant whose cash flow fails to cover its debt service.
    expect(decided.filter((x) => x.d.metrics.dscr < 1)).toEqual([]);
    const knockedOut = decided.filter((x) => x.d.knockouts.length > 0).map((x) => x.m.id);
    expect(knockedOut.sort()).toEqual(shortTenure.sort());
    for (const id of knockedOut) expect(byId.get(id)?.outcome).toBe('decline');
  });

  it('keeps serious delinquency out of automatic approval', () => {
    const late90 = decided.filter((x) => x.m.survey.creditHistory === 'late_90_plus');
    expect(late90.length).toBe(2);
    for (const x of late90) expect(x.d.outcome).not.toBe('approve');
  });

  it("sizes Kai'en store expansion within the survey's 500k-2M range", () => {
    const expansions = of('kaien').filter((x) => x.m.request?.purpose === 'store_expansion');
    expect(expansions.length).toBe(9);
    for (const x of expansions) {
      for (const o of x.d.offers) {
        expect(o.amount).toBeGreaterThanOrEqual(50_000_000);
        expect(o.amount).toBeLessThanOrEqual(200_000_000);
      }
    }
    expect(expansions.filter((x) => x.d.offers.length > 0).length).toBeGreaterThanOrEqual(6);
  });

  it('outside any agreement or group, serves strong merchants with the credit loan, store expansion included', () => {
    const alone = sampleMerchants.map((m) => ({
      m,
      d: decide(m.survey, m.request ?? defaultRequest, policy, {}),
    }));
    const expansions = alone.filter((x) => x.m.request?.purpose === 'store_expansion');
    const served = expansions.filter((x) => x.d.offers[0]?.product === 'credit_loan');
    expect(served.length).toBeGreaterThanOrEqual(5);
    for (const x of served) expect(['A', 'B']).toContain(x.d.grade);
    const strongWorkingCapital = alone.filter(
      (x) => x.m.request?.purpose === 'working_capital' && ['A', 'B'].includes(x.d.grade),
    );
    expect(strongWorkingCapital.length).toBeGreaterThan(0);
    for (const x of strongWorkingCapital) {
      if (x.d.outcome === 'approve') expect(x.d.offers[0]?.product).toBe('credit_loan');
    }
  });

  it('gives every declined or referred merchant between one and four reasons', () => {
    for (const { d } of decided) {
      if (d.outcome === 'approve') expect(d.reasons).toEqual([]);
      else {
        expect(d.reasons.length).toBeGreaterThanOrEqual(1);
        expect(d.reasons.length).toBeLessThanOrEqual(4);
      }
    }
  });
});
