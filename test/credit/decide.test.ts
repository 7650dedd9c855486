import {
  buildSchedule,
  compilePolicy,
  type DecisionContext,
  decide,
  type LoanRequest,
} from '../../src/credit';
import { activeOperator, goodSurvey, policyCopy } from './helpers';

const policy = compilePolicy(policyCopy());
const wcRequest: LoanRequest = {
  product: 'any',
  amount: 100_000_000,
  termMonths: 12,
  purpose: 'working_capital',
};
const withOperator: DecisionContext = { operator: activeOperator };

describe('decide: scorecard and outcome', () => {
  const d = decide(goodSurvey, wcRequest, policy, withOperator);

  it('scores each characteristic and sums them with the base points', () => {
    expect(d.points.map((p) => [p.characteristic, p.bin, p.points])).toEqual([
      ['tenure', '>= 120', 70],
      ['netMargin', '[0.1, 0.15)', 45],
      ['debtServiceCoverage', '>= 3', 50],
      ['cashConversionCycle', '< 30', 50],
      ['leverage', '< 0.05', 45],
      ['creditHistory', 'clean', 70],
      ['inventoryTurnover', '< 31', 40],
      ['annualSales', '[500000000, 3000000000)', 35],
      ['inventoryValue', '< 300000000', 30],
    ]);
    expect(d.score).toBe(230 + 435);
    expect(d.grade).toBe('A');
    expect(d.pd).toBeCloseTo(1 / (1 + 50 * 2 ** (65 / 20)), 6);
    expect(d.outcome).toBe('approve');
    expect(d.reasons).toEqual([]);
    expect(d.policyVersion).toBe(1);
  });

  it('offers the operator loan first for working capital, sized and priced, with its schedule', () => {
    const [first, ...rest] = d.offers;
    expect(first?.product).toBe('operator_guarantee');
    expect(first?.amount).toBe(100_000_000);
    expect(first?.bindingCap).toBe('requested');
    expect(first?.termMonths).toBe(12);
    // 250 + PD x 0.25 x 10000 + 150 + 100 = 505.26, within the floor 400 and cap 1200
    expect(first?.annualRateBps).toBe(Math.round(500 + d.pd * 2_500));
    expect(first?.annualRateBps).toBe(505);
    expect(first?.method).toBe('equal_instalment');
    const expected = buildSchedule({
      amount: 100_000_000,
      annualRateBps: 505,
      termMonths: 12,
      method: 'equal_instalment',
    });
    expect(first?.schedule).toEqual(expected.schedule);
    expect(first?.totalInterest).toBe(expected.totalInterest);
    expect(first?.guaranteeRequired).toEqual({
      kind: 'operator',
      depositRatioBps: 1000,
      depositAmount: 10_000_000,
    });
    expect(rest.map((o) => o.product)).toEqual(['credit_loan', 'credit_card']);
    const card = rest[1];
    expect(card?.schedule).toEqual([]);
    expect(card?.method).toBe('revolving');
    expect(card?.amount).toBe(50_000_000); // card cap 500k yuan
  });

  it('explains products not offered', () => {
    expect(d.productResults).toEqual([
      { product: 'operator_guarantee', eligible: true, reasons: [] },
      {
        product: 'joint_guarantee',
        eligible: false,
        reasons: [expect.objectContaining({ code: 'GUARANTEE_GROUP_MISSING', kind: 'product' })],
      },
      { product: 'credit_loan', eligible: true, reasons: [] },
      { product: 'credit_card', eligible: true, reasons: [] },
    ]);
  });
});

describe('decide: knock-outs and reasons', () => {
  it('declines on knock-outs whatever the score, knock-outs first in the reasons', () => {
    const d = decide(
      { ...goodSurvey, tenureMonths: 6, creditHistory: 'default' },
      wcRequest,
      policy,
      withOperator,
    );
    expect(d.outcome).toBe('decline');
    expect(d.knockouts).toEqual(['TENURE_UNDER_12_MONTHS', 'DEFAULT_IN_HISTORY']);
    expect(d.reasons.map((r) => [r.code, r.kind])).toEqual([
      ['TENURE_UNDER_12_MONTHS', 'knockout'],
      ['DEFAULT_IN_HISTORY', 'knockout'],
      ['TENURE_SHORT', 'characteristic'],
      ['CREDIT_HISTORY_WEAK', 'characteristic'],
    ]);
    expect(d.reasons[0]?.textZh).toBe('经营不足12个月');
    expect(d.offers).toEqual([]);
  });

  it('knocks out a loss-making business and one whose cash flow does not cover its debt', () => {
    expect(
      decide({ ...goodSurvey, netMargin: -0.02 }, wcRequest, policy, withOperator).knockouts,
    ).toContain('MARGIN_NOT_POSITIVE');
    const indebted = { ...goodSurvey, existingDebt: 500_000_000, monthlyDebtService: 30_000_000 };
    const d = decide(indebted, wcRequest, policy, withOperator);
    expect(d.metrics.dscr).toBeLessThan(1);
    expect(d.knockouts).toEqual(['DSCR_BELOW_1']);
  });

  it('refers a middling score with reasons ranked by points short of the maximum', () => {
    const middling = {
      ...goodSurvey,
      tenureMonths: 30,
      netMargin: 0.06,
      creditHistory: 'none' as const,
    };
    const d = decide(middling, wcRequest, policy, withOperator);
    expect(d.score).toBe(665 - 50 - 15 - 25);
    expect(d.outcome).toBe('refer');
    expect(d.offers).toEqual([]);
    // shortfalls: tenure 50, netMargin 35, creditHistory 25, annualSales 10
    expect(d.reasons.map((r) => r.code)).toEqual([
      'TENURE_SHORT',
      'MARGIN_LOW',
      'CREDIT_HISTORY_WEAK',
      'SALES_SMALL',
    ]);
    expect(d.reasons.every((r) => r.kind === 'characteristic' && r.textEn.length > 0)).toBe(true);
  });
});

describe('decide: limits', () => {
  it('caps a working-capital loan by the gap and names the binding cap', () => {
    const d = decide(goodSurvey, { ...wcRequest, amount: 300_000_000 }, policy, withOperator);
    const offer = d.offers.find((o) => o.product === 'operator_guarantee');
    expect(offer?.amount).toBeLessThanOrEqual(d.metrics.workingCapitalGap);
    expect(['working_capital_gap', 'repayment_capacity']).toContain(offer?.bindingCap);
    expect((offer?.amount ?? 1) % 10_000).toBe(0);
  });

  it('keeps the first instalment within cash flow / min DSCR less existing debt service', () => {
    const indebted = { ...goodSurvey, existingDebt: 20_000_000, monthlyDebtService: 10_000_000 };
    const d = decide(
      indebted,
      { ...wcRequest, amount: 250_000_000, termMonths: 6 },
      policy,
      withOperator,
    );
    const offer = d.offers.find((o) => o.product === 'operator_guarantee');
    expect(offer?.bindingCap).toBe('repayment_capacity');
    const capacity = d.metrics.monthlyNetCashFlow / 1.25 - 10_000_000;
    expect(offer?.schedule[0]?.payment).toBeLessThanOrEqual(capacity);
    expect(offer?.schedule[0]?.payment).toBeGreaterThan(capacity - 10_000); // rounding to 100 yuan
  });

  it('bounds the term by the lease and the operator agreement, and refuses a suspended one', () => {
    const short = decide(
      { ...goodSurvey, leaseRemainingMonths: 8 },
      wcRequest,
      policy,
      withOperator,
    );
    expect(short.offers.find((o) => o.product === 'operator_guarantee')?.termMonths).toBe(8);
    const noLease = decide({ ...goodSurvey, leaseRemainingMonths: undefined }, wcRequest, policy, {
      ...withOperator,
      leaseRemainingMonths: 2,
    });
    expect(noLease.productResults[0]?.reasons.map((r) => r.code)).toEqual(['LEASE_TOO_SHORT']);
    const suspended = decide(goodSurvey, wcRequest, policy, {
      operator: { ...activeOperator, agreementStatus: 'suspended' },
    });
    expect(suspended.productResults[0]?.reasons.map((r) => r.code)).toEqual([
      'OPERATOR_AGREEMENT_SUSPENDED',
    ]);
  });

  it('respects the operator per-merchant cap and remaining capacity', () => {
    const d = decide(goodSurvey, wcRequest, policy, {
      operator: { ...activeOperator, perMerchantCap: 60_000_000, available: 40_000_000 },
    });
    const offer = d.offers.find((o) => o.product === 'operator_guarantee');
    expect(offer?.amount).toBe(40_000_000);
    expect(offer?.bindingCap).toBe('operator_available');
    const none = decide(goodSurvey, wcRequest, policy, {
      operator: { ...activeOperator, available: 0 },
    });
    expect(none.productResults[0]?.reasons.map((r) => r.code)).toEqual([
      'OPERATOR_CAPACITY_EXHAUSTED',
    ]);
  });

  it('caps store expansion at the policy range', () => {
    const d = decide(
      goodSurvey,
      {
        product: 'operator_guarantee',
        amount: 500_000_000,
        termMonths: 24,
        purpose: 'store_expansion',
      },
      policy,
      withOperator,
    );
    expect(d.offers[0]?.product).toBe('operator_guarantee');
    expect(d.offers[0]?.amount).toBeLessThanOrEqual(200_000_000);
    expect(d.productResults[3]?.reasons.map((r) => r.code)).toEqual(['PURPOSE_NOT_SUPPORTED']);
  });
});

describe('decide: products and ordering', () => {
  const group = { guaranteeGroup: { id: 'grp_1', memberCount: 4 } };

  it('offers a joint-guarantee loan within the per-member cap when the merchant is in a group', () => {
    const d = decide(goodSurvey, { ...wcRequest, amount: 150_000_000 }, policy, group);
    const joint = d.offers.find((o) => o.product === 'joint_guarantee');
    expect(joint?.amount).toBeLessThanOrEqual(100_000_000);
    expect(joint?.method).toBe('equal_principal');
    expect(joint?.guaranteeRequired).toEqual({
      kind: 'joint',
      groupId: 'grp_1',
      memberCount: 4,
      contingentLiabilityMultiple: 3,
    });
    const big = decide(goodSurvey, wcRequest, policy, {
      guaranteeGroup: { id: 'g', memberCount: 6 },
    });
    expect(big.productResults[1]?.reasons.map((r) => r.code)).toEqual(['GROUP_SIZE_OUT_OF_RANGE']);
  });

  it('puts the requested product first, then orders by fit', () => {
    const d = decide(goodSurvey, { ...wcRequest, product: 'credit_card' }, policy, {
      ...withOperator,
      ...group,
    });
    expect(d.offers.map((o) => o.product)[0]).toBe('credit_card');
    const any = decide(
      goodSurvey,
      { ...wcRequest, purpose: 'short_term_turnover', amount: 20_000_000 },
      policy,
      { ...withOperator, ...group },
    );
    expect(any.offers[0]?.product).toBe('credit_card');
    const fits = any.offers.map((o) => o.fit);
    expect([...fits].sort((a, b) => b - a)).toEqual(fits);
  });

  it('turns an approve with no eligible product into a refer with product reasons', () => {
    // Grade C (625): approved, but below the credit loan's grade B; no operator, no group.
    const gradeC = { ...goodSurvey, tenureMonths: 40, netMargin: 0.06 };
    const d = decide(gradeC, { ...wcRequest, purpose: 'store_expansion' }, policy, {});
    expect([d.score, d.grade]).toEqual([625, 'C']);
    expect(d.outcome).toBe('refer');
    expect(d.offers).toEqual([]);
    expect(d.reasons.map((r) => r.code)).toEqual([
      'NO_ELIGIBLE_PRODUCT',
      'OPERATOR_AGREEMENT_MISSING',
      'GUARANTEE_GROUP_MISSING',
      'GRADE_BELOW_PRODUCT_MINIMUM',
    ]);
    expect(d.reasons.every((r) => r.kind === 'product')).toBe(true);
  });

  it('applies a manual approval within all caps and the reviewer maximum, but not over a knock-out', () => {
    const middling = {
      ...goodSurvey,
      tenureMonths: 30,
      netMargin: 0.06,
      creditHistory: 'none' as const,
    };
    const d = decide(middling, wcRequest, policy, {
      ...withOperator,
      override: { outcome: 'approve', maxAmount: 33_333_333 },
    });
    expect(d.outcome).toBe('approve');
    expect(d.overridden).toBe(true);
    expect(d.offers.length).toBeGreaterThan(0);
    for (const o of d.offers) expect(o.amount).toBeLessThanOrEqual(33_333_333);
    expect(d.reasons[0]?.code).toBe('TENURE_SHORT');
    const ko = decide({ ...middling, tenureMonths: 3 }, wcRequest, policy, {
      ...withOperator,
      override: { outcome: 'approve' },
    });
    expect(ko.outcome).toBe('decline');
    expect(ko.offers).toEqual([]);
  });
});

describe('decide: data checks', () => {
  // 600M of stock is 123 days of goodSurvey's cost of sales, against 30 days reported.
  const overstocked = { ...goodSurvey, inventoryValue: 600_000_000 };

  it('refers a survey whose stock balance and reported turnover disagree, in Chinese and English', () => {
    expect(decide(goodSurvey, wcRequest, policy, withOperator).outcome).toBe('approve');
    const d = decide(overstocked, wcRequest, policy, withOperator);
    expect(d.metrics.inventoryDaysDifference).toBeGreaterThan(15);
    expect(d.outcome).toBe('refer');
    expect(d.offers).toEqual([]);
    expect(d.reasons[0]).toEqual({
      code: 'INCONSISTENT_INVENTORY',
      kind: 'data',
      textZh: expect.stringContaining('实地复核'),
      textEn: expect.stringContaining('rechecks at the stall'),
    });
  });

  it('scores the slower turnover the balance implies', () => {
    const d = decide(overstocked, wcRequest, policy, withOperator);
    const turnover = d.points.find((p) => p.characteristic === 'inventoryTurnover');
    expect(turnover?.value).toBe(d.metrics.stockDays);
    expect(turnover?.points).toBe(10);
  });

  it('reads the tolerance from the policy', () => {
    const lenient = policyCopy();
    lenient.dataChecks.inventoryDaysTolerance = 100;
    const d = decide(overstocked, wcRequest, compilePolicy(lenient), withOperator);
    expect(d.reasons.map((r) => r.code)).not.toContain('INCONSISTENT_INVENTORY');
    const strict = policyCopy();
    strict.dataChecks.inventoryDaysTolerance = 5;
    const s = decide(goodSurvey, wcRequest, compilePolicy(strict), withOperator); // 10.9 days off
    expect(s.outcome).toBe('refer');
    expect(s.reasons[0]?.code).toBe('INCONSISTENT_INVENTORY');
  });

  it('keeps knock-outs first in a decline, and lets a reviewer who rechecked approve', () => {
    const ko = decide({ ...overstocked, tenureMonths: 6 }, wcRequest, policy, withOperator);
    expect(ko.outcome).toBe('decline');
    expect(ko.reasons.map((r) => r.code).slice(0, 2)).toEqual([
      'TENURE_UNDER_12_MONTHS',
      'INCONSISTENT_INVENTORY',
    ]);
    const reviewed = decide(overstocked, wcRequest, policy, {
      ...withOperator,
      override: { outcome: 'approve' },
    });
    expect(reviewed.outcome).toBe('approve');
    expect(reviewed.overridden).toBe(true);
    expect(reviewed.reasons[0]?.code).toBe('INCONSISTENT_INVENTORY');
    for (const o of reviewed.offers) {
      if (o.product !== 'credit_card') {
        expect(o.amount).toBeLessThanOrEqual(reviewed.metrics.workingCapitalGap);
      }
    }
  });
});

describe('decide: the credit loan (信用类贷款)', () => {
  const loan = policy.document.products.credit_loan;

  it('serves a strong merchant outside any operator agreement or group, for working capital', () => {
    const d = decide(goodSurvey, wcRequest, policy, {});
    expect(d.outcome).toBe('approve');
    expect(d.offers.map((o) => o.product)).toEqual(['credit_loan', 'credit_card']);
    const offer = d.offers[0];
    expect(offer?.guaranteeRequired).toBeUndefined();
    expect(offer?.method).toBe('equal_instalment');
    expect(offer?.amount).toBeLessThanOrEqual(
      Math.min(loan.maxAmount, d.metrics.workingCapitalGap),
    );
  });

  it('serves a store expansion there within the survey range and its own lower cap', () => {
    const d = decide(
      goodSurvey,
      { product: 'any', amount: 150_000_000, termMonths: 24, purpose: 'store_expansion' },
      policy,
      {},
    );
    expect(d.outcome).toBe('approve');
    const offer = d.offers[0];
    expect(offer?.product).toBe('credit_loan');
    expect(offer?.amount).toBe(loan.maxAmount);
    expect(offer?.bindingCap).toBe('product_cap');
    expect(loan.maxAmount).toBeLessThan(policy.document.products.joint_guarantee.maxAmount);
    expect(offer?.amount).toBeGreaterThanOrEqual(policy.document.limits.storeExpansion.minAmount);
  });

  it('asks a tighter grade than the guaranteed loans', () => {
    const gradeC = { ...goodSurvey, tenureMonths: 40, netMargin: 0.06 };
    const d = decide(gradeC, wcRequest, policy, withOperator);
    expect(d.offers.map((o) => o.product)).toEqual(['operator_guarantee', 'credit_card']);
    expect(d.productResults[2]).toEqual({
      product: 'credit_loan',
      eligible: false,
      reasons: [expect.objectContaining({ code: 'GRADE_BELOW_PRODUCT_MINIMUM' })],
    });
  });

  it('keeps a tighter coverage: the first instalment within cash flow / its minDscr', () => {
    const indebted = { ...goodSurvey, existingDebt: 20_000_000, monthlyDebtService: 8_000_000 };
    const request = { ...wcRequest, amount: 250_000_000, termMonths: 6 };
    const d = decide(indebted, request, policy, withOperator);
    const unsecured = d.offers.find((o) => o.product === 'credit_loan');
    const guaranteed = d.offers.find((o) => o.product === 'operator_guarantee');
    expect(unsecured?.bindingCap).toBe('repayment_capacity');
    const capacity = d.metrics.monthlyNetCashFlow / loan.minDscr - 8_000_000;
    expect(unsecured?.schedule[0]?.payment).toBeLessThanOrEqual(capacity);
    expect(unsecured?.amount).toBeLessThan(guaranteed?.amount ?? 0);
  });

  it('is priced without the guarantee: a higher loss given default, so a higher rate', () => {
    const d = decide(goodSurvey, wcRequest, policy, withOperator);
    const rate = (p: string) => d.offers.find((o) => o.product === p)?.annualRateBps ?? 0;
    expect(loan.lgd).toBeGreaterThan(policy.document.products.operator_guarantee.lgd);
    expect(rate('credit_loan')).toBeGreaterThan(rate('operator_guarantee'));
  });
});
