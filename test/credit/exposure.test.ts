/**
 * Issue #12: every limit holds across everything the borrower already has (the ledger in
 * context.exposure), offers say what limited them, the card is held to what the merchant earns,
 * and an approve that does not offer the product it names says why.
 */
import {
  BINDING_LIMITS,
  buildSchedule,
  checkPolicy,
  compilePolicy,
  type DecisionContext,
  decide,
  type ExistingExposure,
  type LoanRequest,
  monthlyInstalmentOf,
  NO_EXPOSURE,
  outstandingPrincipal,
  type PolicyDocument,
  type Survey,
  validatePolicy,
} from '../../src/credit';
import type { PolicyTestCase } from '../../src/credit/policy-test-cases';
import { LIMIT_TEXTS, MODEL_REASON_CODES, PRODUCT_TEXTS } from '../../src/credit/reason-texts';
import { activeOperator, goodSurvey, policyCopy } from './helpers';
import { legacyFingerprint } from './legacy-golden';

const policy = compilePolicy(policyCopy());
const wcRequest: LoanRequest = {
  product: 'any',
  amount: 100_000_000,
  termMonths: 12,
  purpose: 'working_capital',
};

/** An exposure with the given parts; the rest zero. */
function exposure(
  parts: Partial<Omit<ExistingExposure, 'byProduct'>> & {
    byProduct?: Partial<ExistingExposure['byProduct']>;
  },
): ExistingExposure {
  return {
    total: parts.total ?? 0,
    byProduct: { ...NO_EXPOSURE.byProduct, ...parts.byProduct },
    monthlyInstalments: parts.monthlyInstalments ?? 0,
    contingent: parts.contingent ?? 0,
  };
}

const offerOf = (d: ReturnType<typeof decide>, product: string) =>
  d.offers.find((o) => o.product === product);
const reasonsOf = (d: ReturnType<typeof decide>, product: string) =>
  d.productResults.find((r) => r.product === product)?.reasons.map((r) => r.code);

/** goodSurvey earns 2.4M 元 a year: 200,000 元 a month, 160,000 元 of instalments at 1.25. */
const profit = 240_000_000;

describe('old decisions replay unchanged', () => {
  it('a policy whose new caps are null decides a context without exposure exactly as before the ledger', () => {
    const doc = policyCopy();
    doc.exposure.maxMultipleOfAnnualNetProfit = null;
    doc.products.credit_card.maxMultipleOfMonthlyNetCashFlow = null;
    doc.products.credit_card.maxShareOfAnnualNetProfit = null;
    // Fingerprint of the model at 4891980 (before issue #12), bindingLimit and limitReason aside.
    expect(legacyFingerprint(compilePolicy(doc))).toEqual({
      count: 2459,
      sha256: '98822896bf86a2fd35bf99f1fa59918c494cbd15ee1f48733ec60b31f429b802',
    });
  });

  it('a context without exposure decides as one whose exposure is all zero', () => {
    const a = decide(goodSurvey, wcRequest, policy, { operator: activeOperator });
    const b = decide(goodSurvey, wcRequest, policy, {
      operator: activeOperator,
      exposure: NO_EXPOSURE,
    });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe('offers say what limited them', () => {
  it('shows bindingLimit after bindingCap and no reason when the request is met', () => {
    const d = decide(goodSurvey, wcRequest, policy, { operator: activeOperator });
    const first = d.offers[0];
    expect(first && Object.keys(first)).toEqual([
      'product',
      'amount',
      'termMonths',
      'annualRateBps',
      'method',
      'schedule',
      'totalInterest',
      'bindingCap',
      'bindingLimit',
      'limitReason',
      'fit',
      'guaranteeRequired',
    ]);
    expect(first).toMatchObject({ bindingCap: 'requested', bindingLimit: 'request' });
    expect(first?.limitReason).toBeNull();
    const card = offerOf(d, 'credit_card');
    expect(card && Object.keys(card)).toEqual([
      'product',
      'amount',
      'termMonths',
      'annualRateBps',
      'method',
      'schedule',
      'totalInterest',
      'bindingCap',
      'bindingLimit',
      'limitReason',
      'fit',
    ]);
    expect(card).toMatchObject({ amount: 50_000_000, bindingLimit: 'product_cap' });
    expect(card?.limitReason).toEqual({
      code: 'LIMITED_BY_PRODUCT_CAP',
      kind: 'product',
      textZh: '受产品额度上限限制（已扣除该产品现有授信）',
      textEn: 'Limited by the product cap, net of what the borrower holds of the product',
    });
  });

  it('maps each cap to the closed enum', () => {
    const cases: [DecisionContext, LoanRequest, string, string, string][] = [
      [
        { operator: activeOperator },
        { ...wcRequest, amount: 300_000_000 },
        'operator_guarantee',
        'working_capital_gap',
        'working_capital_gap',
      ],
      [
        { operator: { ...activeOperator, available: 40_000_000 } },
        wcRequest,
        'operator_guarantee',
        'operator_available',
        'operator_capacity',
      ],
      [
        { operator: activeOperator },
        { ...wcRequest, purpose: 'store_expansion', amount: 300_000_000, termMonths: 24 },
        'operator_guarantee',
        'store_expansion_max',
        'purpose_maximum',
      ],
      [
        { override: { outcome: 'approve', maxAmount: 30_000_000 }, operator: activeOperator },
        wcRequest,
        'operator_guarantee',
        'override_max',
        'review_maximum',
      ],
    ];
    for (const [context, request, product, cap, limit] of cases) {
      const o = offerOf(decide(goodSurvey, request, policy, context), product);
      expect([product, o?.bindingCap, o?.bindingLimit]).toEqual([product, cap, limit]);
      if (o && o.amount < request.amount) {
        expect(o.limitReason?.code).toBe(`LIMITED_BY_${limit.toUpperCase()}`);
      }
    }
  });

  it('names the reviewer maximum when a manual approval binds', () => {
    const weak = { ...goodSurvey, tenureMonths: 20, creditHistory: 'late_30' as const };
    const model = decide(weak, wcRequest, policy, { operator: activeOperator });
    expect(model.outcome).not.toBe('approve');
    const d = decide(weak, wcRequest, policy, {
      operator: activeOperator,
      override: { outcome: 'approve', maxAmount: 30_000_000 },
    });
    const o = offerOf(d, 'operator_guarantee');
    expect([o?.amount, o?.bindingLimit, o?.limitReason?.code]).toEqual([
      30_000_000,
      'review_maximum',
      'LIMITED_BY_REVIEW_MAXIMUM',
    ]);
  });

  it('gives every limit but the request a code and texts in both languages, reserved from policies', () => {
    for (const limit of BINDING_LIMITS) {
      if (limit === 'request') continue;
      const [zh, en] = LIMIT_TEXTS[limit];
      expect(zh).toMatch(/^受/);
      expect(en).toMatch(/^Limited /);
      expect(MODEL_REASON_CODES).toContain(`LIMITED_BY_${limit.toUpperCase()}`);
    }
    for (const code of [
      'TOTAL_EXPOSURE_EXCEEDED',
      'PRODUCT_CAP_REACHED',
      'OPERATOR_PER_MERCHANT_CAP_REACHED',
      'NET_PROFIT_INSUFFICIENT',
    ]) {
      expect(PRODUCT_TEXTS).toHaveProperty(code);
      expect(MODEL_REASON_CODES).toContain(code);
    }
    const doc = policyCopy();
    (doc.knockouts[0] as { code: string }).code = 'LIMITED_BY_TOTAL_EXPOSURE';
    const r = validatePolicy(doc);
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual([
      'duplicate reason code LIMITED_BY_TOTAL_EXPOSURE (also the model)',
    ]);
  });
});

describe('product caps count what the borrower holds', () => {
  const loanRequest: LoanRequest = { ...wcRequest, product: 'credit_loan' };

  it('nets the product cap of the product held', () => {
    const d = decide(goodSurvey, loanRequest, policy, {
      exposure: exposure({ total: 60_000_000, byProduct: { credit_loan: 60_000_000 } }),
    });
    const o = offerOf(d, 'credit_loan');
    expect([o?.amount, o?.bindingCap, o?.bindingLimit, o?.limitReason?.code]).toEqual([
      40_000_000,
      'product_cap',
      'product_cap',
      'LIMITED_BY_PRODUCT_CAP',
    ]);
  });

  it('refuses the product once its cap is reached, and says so', () => {
    const d = decide(goodSurvey, loanRequest, policy, {
      exposure: exposure({ total: 96_000_000, byProduct: { credit_loan: 96_000_000 } }),
    });
    expect(offerOf(d, 'credit_loan')).toBeUndefined();
    expect(reasonsOf(d, 'credit_loan')).toEqual(['PRODUCT_CAP_REACHED']);
    // The other products still serve the merchant; the approve says why the loan is not offered.
    expect(d.outcome).toBe('approve');
    expect(d.reasons.map((r) => [r.code, r.kind])).toEqual([['PRODUCT_CAP_REACHED', 'product']]);
  });

  it('nets the card cap of the cards held', () => {
    const cardRequest: LoanRequest = {
      product: 'credit_card',
      amount: 50_000_000,
      termMonths: 12,
      purpose: 'short_term_turnover',
    };
    const d = decide(goodSurvey, cardRequest, policy, {
      exposure: exposure({ total: 30_000_000, byProduct: { credit_card: 30_000_000 } }),
    });
    expect(offerOf(d, 'credit_card')).toMatchObject({
      amount: 20_000_000,
      bindingLimit: 'product_cap',
    });
  });

  it("nets the operator's per-merchant cap of the operator guarantees the borrower holds", () => {
    const operator = { ...activeOperator, perMerchantCap: 200_000_000 };
    const d = decide(goodSurvey, wcRequest, policy, {
      operator,
      exposure: exposure({ total: 150_000_000, byProduct: { operator_guarantee: 150_000_000 } }),
    });
    expect(offerOf(d, 'operator_guarantee')).toMatchObject({
      amount: 50_000_000,
      bindingCap: 'operator_per_merchant_cap',
      bindingLimit: 'operator_per_merchant_cap',
      limitReason: expect.objectContaining({ code: 'LIMITED_BY_OPERATOR_PER_MERCHANT_CAP' }),
    });
    const full = decide(goodSurvey, wcRequest, policy, {
      operator,
      exposure: exposure({ total: 200_000_000, byProduct: { operator_guarantee: 200_000_000 } }),
    });
    expect(reasonsOf(full, 'operator_guarantee')).toEqual(['OPERATOR_PER_MERCHANT_CAP_REACHED']);
    // With nothing held the cap refuses as before the ledger.
    const none = decide(goodSurvey, wcRequest, policy, {
      operator: { ...activeOperator, perMerchantCap: 1_000_000 },
    });
    expect(reasonsOf(none, 'operator_guarantee')).toEqual(['OPERATOR_CAPACITY_EXHAUSTED']);
  });

  it('nets the per-member cap of the joint-guarantee loans held', () => {
    const d = decide(goodSurvey, { ...wcRequest, product: 'joint_guarantee' }, policy, {
      guaranteeGroup: { id: 'grp_1', memberCount: 4 },
      exposure: exposure({ total: 95_000_000, byProduct: { joint_guarantee: 95_000_000 } }),
    });
    expect(offerOf(d, 'joint_guarantee')).toMatchObject({
      amount: 5_000_000,
      bindingLimit: 'per_member_cap',
    });
  });
});

describe('coverage counts the instalments the borrower already has', () => {
  it('sizes the loan on what the cash flow carries after them', () => {
    const request = { ...wcRequest, amount: 200_000_000, termMonths: 6 };
    const ledger = 10_000_000; // 100,000 元 a month already due to the lender
    const d = decide(goodSurvey, request, policy, {
      operator: activeOperator,
      exposure: exposure({ total: 50_000_000, monthlyInstalments: ledger }),
    });
    const o = offerOf(d, 'operator_guarantee');
    expect(o?.bindingLimit).toBe('repayment_capacity');
    expect(o?.limitReason?.code).toBe('LIMITED_BY_REPAYMENT_CAPACITY');
    const capacity = d.metrics.monthlyNetCashFlow / 1.25 - ledger;
    expect(o?.schedule[0]?.payment).toBeLessThanOrEqual(capacity);
    expect(o?.schedule[0]?.payment).toBeGreaterThan(capacity - 10_000);
    // The credit loan keeps its own, tighter coverage (1.5) after the same instalments.
    const loan = offerOf(d, 'credit_loan');
    expect(loan?.schedule[0]?.payment).toBeLessThanOrEqual(
      d.metrics.monthlyNetCashFlow / 1.5 - ledger,
    );
  });

  it('keeps the score and the metrics independent of the ledger', () => {
    const a = decide(goodSurvey, wcRequest, policy, {});
    const b = decide(goodSurvey, wcRequest, policy, {
      exposure: exposure({ total: 300_000_000, monthlyInstalments: 15_000_000 }),
    });
    expect([b.score, b.grade, b.pd, b.metrics, b.points]).toEqual([
      a.score,
      a.grade,
      a.pd,
      a.metrics,
      a.points,
    ]);
  });

  it('refuses every loan when the cash flow is spoken for', () => {
    const d = decide(goodSurvey, wcRequest, policy, {
      operator: activeOperator,
      exposure: exposure({ total: 100_000_000, monthlyInstalments: 16_000_000 }),
    });
    expect(reasonsOf(d, 'operator_guarantee')).toEqual(['REPAYMENT_CAPACITY_INSUFFICIENT']);
    expect(reasonsOf(d, 'credit_loan')).toEqual(['REPAYMENT_CAPACITY_INSUFFICIENT']);
    // The card is held to the cash flow left too: none is left.
    expect(reasonsOf(d, 'credit_card')).toEqual(['REPAYMENT_CAPACITY_INSUFFICIENT']);
    expect([d.outcome, d.reasons[0]?.code]).toEqual(['refer', 'NO_ELIGIBLE_PRODUCT']);
  });
});

describe('the total exposure cap', () => {
  it('gives a second application what is left under the cap', () => {
    // 2 x 2.4M 元 = 4.8M; 3.5M held and 2M guaranteed (weighted 0.5): 0.3M left.
    const d = decide(goodSurvey, wcRequest, policy, {
      operator: activeOperator,
      exposure: exposure({ total: 350_000_000, contingent: 200_000_000 }),
    });
    expect(2 * profit - 350_000_000 - 0.5 * 200_000_000).toBe(30_000_000);
    const o = d.offers[0];
    expect(o).toMatchObject({
      product: 'operator_guarantee',
      amount: 30_000_000,
      bindingCap: 'total_exposure',
      bindingLimit: 'total_exposure',
    });
    expect(o?.limitReason).toEqual({
      code: 'LIMITED_BY_TOTAL_EXPOSURE',
      kind: 'product',
      textZh: '受借款人授信总额上限限制（已扣除现有授信及或有负债）',
      textEn:
        "Limited by the borrower's total exposure cap, net of existing exposure and guarantees",
    });
    for (const offer of d.offers) expect(offer.amount).toBeLessThanOrEqual(30_000_000);
  });

  it('declines a borrower at its cap, with the reason: a review could not lift it', () => {
    const d = decide(goodSurvey, wcRequest, policy, {
      operator: activeOperator,
      exposure: exposure({ total: 470_000_000, contingent: 19_000_000 }),
    });
    expect(d.outcome).toBe('decline');
    expect(d.offers).toEqual([]);
    expect(d.knockouts).toEqual([]);
    expect(d.reasons[0]).toEqual({
      code: 'TOTAL_EXPOSURE_EXCEEDED',
      kind: 'product',
      textZh: '授信总额上限（年净利润的倍数）扣除现有授信及或有负债后，不足产品最低额度',
      textEn:
        'The total exposure cap (a multiple of annual net profit), net of existing exposure and guarantees, leaves less than the minimum',
    });
    // The grade is no judgement of the exposure: it stays.
    expect(d.grade).toBe('A');
    // With a little more room (100,000 元), what is left is offered.
    const room = decide(goodSurvey, wcRequest, policy, {
      operator: activeOperator,
      exposure: exposure({ total: 470_000_000, contingent: 0 }),
    });
    expect(room.outcome).toBe('approve');
    expect(room.offers.map((o) => [o.product, o.amount, o.bindingLimit])).toEqual([
      ['operator_guarantee', 10_000_000, 'total_exposure'],
      ['credit_loan', 10_000_000, 'total_exposure'],
      ['credit_card', 10_000_000, 'total_exposure'],
    ]);
  });

  it('counts guarantees for others at the policy weight', () => {
    const doc = policyCopy();
    doc.exposure.contingentWeight = 0.25;
    const light = compilePolicy(doc);
    const context = {
      operator: activeOperator,
      exposure: exposure({ total: 200_000_000, contingent: 400_000_000 }),
    };
    // 4.8M - 2M - 0.5 x 4M = 0.8M; at 0.25, 1.8M are left and the request is met.
    expect(decide(goodSurvey, wcRequest, policy, context).offers[0]).toMatchObject({
      amount: 80_000_000,
      bindingLimit: 'total_exposure',
    });
    expect(decide(goodSurvey, wcRequest, light, context).offers[0]).toMatchObject({
      amount: 100_000_000,
      bindingLimit: 'request',
    });
  });

  it('is no cap at all in a policy version that sets none (null)', () => {
    const doc = policyCopy();
    doc.exposure.maxMultipleOfAnnualNetProfit = null;
    const d = decide(goodSurvey, wcRequest, compilePolicy(doc), {
      operator: activeOperator,
      exposure: exposure({ total: 2_000_000_000, contingent: 2_000_000_000 }),
    });
    expect(d.offers[0]).toMatchObject({ amount: 100_000_000, bindingLimit: 'request' });
  });

  it('does not bind a first loan of the default policy: the cash flow binds long before', () => {
    // 2 x annual profit is 30 months of the instalment the cash flow carries at 1.25.
    const d = decide(goodSurvey, { ...wcRequest, amount: 300_000_000 }, policy, {
      operator: activeOperator,
      exposure: NO_EXPOSURE,
    });
    for (const o of d.offers) expect(o.bindingLimit).not.toBe('total_exposure');
  });
});

describe('the card is held to what the merchant earns', () => {
  const cardRequest: LoanRequest = {
    product: 'credit_card',
    amount: 50_000_000,
    termMonths: 12,
    purpose: 'short_term_turnover',
  };

  it('never 500,000 元 for a merchant earning 30,000 元 a year', () => {
    // 12M 元 of sales at 0.25%: the sales alone would size a large card.
    const thin: Survey = {
      ...goodSurvey,
      annualSales: 1_200_000_000,
      netMargin: 0.0025,
      inventoryValue: Math.round((1_200_000_000 * 0.9975 * 30) / 360),
    };
    const review = { override: { outcome: 'approve' as const } };
    const d = decide(thin, cardRequest, policy, review);
    expect(d.metrics.annualNetProfit).toBe(3_000_000);
    expect(offerOf(d, 'credit_card')).toBeUndefined();
    expect(reasonsOf(d, 'credit_card')).toEqual(['NET_PROFIT_INSUFFICIENT']);
    // Before these caps (null) the sales sized it at 300,000 元 (grade C: 0.3 x monthly sales).
    const doc = policyCopy();
    doc.products.credit_card.maxShareOfAnnualNetProfit = null;
    doc.products.credit_card.maxMultipleOfMonthlyNetCashFlow = null;
    doc.exposure.maxMultipleOfAnnualNetProfit = null;
    expect(
      offerOf(decide(thin, cardRequest, compilePolicy(doc), review), 'credit_card')?.amount,
    ).toBe(30_000_000);
  });

  it('limits the card to a quarter of annual net profit', () => {
    // 10M 元 of sales at 5%: 500k 元 of profit, a card of 125k 元 (the sales would give 417k).
    const lowMargin: Survey = {
      ...goodSurvey,
      annualSales: 1_000_000_000,
      netMargin: 0.05,
      inventoryValue: Math.round((1_000_000_000 * 0.95 * 30) / 360),
    };
    const d = decide(lowMargin, cardRequest, policy, { override: { outcome: 'approve' } });
    expect(offerOf(d, 'credit_card')).toMatchObject({
      amount: 12_500_000,
      bindingCap: 'net_profit',
      bindingLimit: 'net_profit',
      limitReason: expect.objectContaining({ code: 'LIMITED_BY_NET_PROFIT' }),
    });
  });

  it('limits the card to six months of the cash flow left after debt service', () => {
    // 160,000 元 a month at 1.25; 150,000 of it due to other lenders and the ledger: 10,000 left.
    const indebted = { ...goodSurvey, existingDebt: 100_000_000, monthlyDebtService: 10_000_000 };
    const d = decide(indebted, cardRequest, policy, {
      exposure: exposure({ total: 50_000_000, monthlyInstalments: 5_000_000 }),
    });
    expect(offerOf(d, 'credit_card')).toMatchObject({
      amount: 6_000_000,
      bindingLimit: 'net_cash_flow',
      limitReason: expect.objectContaining({ code: 'LIMITED_BY_NET_CASH_FLOW' }),
    });
    const card = offerOf(d, 'credit_card');
    if (!card) throw new Error('no card');
    // Drawn in full, its instalment still fits the cash flow left at the house coverage.
    expect(monthlyInstalmentOf(card)).toBeLessThanOrEqual(1_000_000);
  });
});

describe('an approve that does not offer the product it names says why', () => {
  const kaien: Survey = {
    ...goodSurvey,
    annualSales: 800_000_000,
    netMargin: 0.25,
    inventoryValue: 50_000_000,
    receivables: 0,
    payables: 16_666_667,
    customerAdvances: 66_666_667,
    ownFunds: 20_000_000,
  };

  it('a working-capital loan asked for without a gap: a card, with NO_WORKING_CAPITAL_GAP', () => {
    const request: LoanRequest = { ...wcRequest, product: 'credit_loan', amount: 30_000_000 };
    const d = decide(kaien, request, policy, {});
    expect(d.outcome).toBe('approve');
    expect(d.offers.map((o) => o.product)).toEqual(['credit_card']);
    expect(d.reasons).toEqual([
      {
        code: 'NO_WORKING_CAPITAL_GAP',
        kind: 'product',
        textZh: '测算无流动资金缺口',
        textEn: 'No working-capital gap',
      },
    ]);
    // Asking for any product, the card is simply the offer.
    expect(decide(kaien, { ...request, product: 'any' }, policy, {}).reasons).toEqual([]);
    // The operator loan is named and missing: its reason.
    const op = decide(kaien, { ...request, product: 'operator_guarantee' }, policy, {});
    expect(op.reasons.map((r) => r.code)).toEqual(['OPERATOR_AGREEMENT_MISSING']);
  });

  it('a manual approval keeps the data and scorecard reasons and adds the product one', () => {
    const weak = { ...kaien, tenureMonths: 20, creditHistory: 'late_30' as const };
    const request: LoanRequest = { ...wcRequest, product: 'credit_loan', amount: 30_000_000 };
    const d = decide(weak, request, policy, { override: { outcome: 'approve' } });
    expect(d.overridden).toBe(true);
    expect(d.reasons[0]?.code).toBe('GRADE_BELOW_PRODUCT_MINIMUM');
    expect(d.reasons.slice(1).every((r) => r.kind === 'characteristic')).toBe(true);
  });
});

describe('monthlyInstalmentOf and outstandingPrincipal', () => {
  const loan = {
    amount: 100_000_000,
    annualRateBps: 600,
    termMonths: 12,
    method: 'equal_instalment' as const,
  };
  const schedule = buildSchedule(loan).schedule;

  it('counts a loan at the payment its schedule has due next', () => {
    expect(monthlyInstalmentOf(loan)).toBe(schedule[0]?.payment);
    expect(monthlyInstalmentOf(loan, 5)).toBe(schedule[5]?.payment);
    expect(monthlyInstalmentOf(loan, 12)).toBe(0);
    const ep = { ...loan, method: 'equal_principal' as const };
    const eps = buildSchedule(ep).schedule;
    expect(monthlyInstalmentOf(ep)).toBe(eps[0]?.payment);
    expect(monthlyInstalmentOf(ep, 3)).toBe(eps[3]?.payment);
    expect(monthlyInstalmentOf(ep, 3)).toBeLessThan(monthlyInstalmentOf(ep));
    expect(monthlyInstalmentOf({ ...loan, amount: 0 })).toBe(0);
  });

  it('counts a card as its limit drawn in full and repaid by its review', () => {
    const card = {
      product: 'credit_card' as const,
      amount: 50_000_000,
      annualRateBps: 1_200,
      termMonths: 12,
      method: 'revolving' as const,
    };
    const asLoan = buildSchedule({ ...card, method: 'equal_instalment' }).schedule[0]?.payment;
    expect(monthlyInstalmentOf(card)).toBe(asLoan);
    expect(monthlyInstalmentOf(card)).toBe(4_442_439);
    // Between a twelfth of the limit and the 10% minimum payment of Chinese cards.
    expect(monthlyInstalmentOf(card) / card.amount).toBeGreaterThan(1 / 12);
    expect(monthlyInstalmentOf(card) / card.amount).toBeLessThan(0.1);
    // The limit stays whole while granted: no month makes it smaller.
    expect(monthlyInstalmentOf(card, 30)).toBe(monthlyInstalmentOf(card));
    expect(outstandingPrincipal(card, 30)).toBe(50_000_000);
  });

  it("gives a loan's principal still owed by its schedule", () => {
    expect(outstandingPrincipal(loan, 0)).toBe(100_000_000);
    let paid = 0;
    for (let m = 1; m <= 12; m++) {
      paid += schedule[m - 1]?.principal ?? 0;
      expect(outstandingPrincipal(loan, m)).toBe(100_000_000 - paid);
    }
    expect(outstandingPrincipal(loan, 12)).toBe(0);
    expect(outstandingPrincipal(loan, 40)).toBe(0);
    expect(outstandingPrincipal(loan, -3)).toBe(100_000_000);
    expect(outstandingPrincipal(loan, 2.7)).toBe(outstandingPrincipal(loan, 2));
  });
});

describe('the policy fields of issue #12', () => {
  it('requires each new field (null is a value, a missing key is a problem)', () => {
    const doc = policyCopy() as unknown as Record<string, unknown> & PolicyDocument;
    const card = doc.products.credit_card as Record<string, unknown>;
    delete card.maxMultipleOfMonthlyNetCashFlow;
    delete card.maxShareOfAnnualNetProfit;
    delete (doc.exposure as Record<string, unknown>).contingentWeight;
    const r = validatePolicy(doc);
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual([
      'exposure.contingentWeight',
      'products.credit_card.maxMultipleOfMonthlyNetCashFlow',
      'products.credit_card.maxShareOfAnnualNetProfit',
    ]);
    const noSection = policyCopy() as unknown as Record<string, unknown>;
    delete noSection.exposure;
    const r2 = validatePolicy(noSection);
    expect(r2.ok ? [] : r2.problems.map((p) => p.path)).toEqual(['exposure']);
  });

  it('keeps the contingent weight within [0, 1] and below what would shut a group member out', () => {
    const doc = policyCopy();
    doc.exposure.contingentWeight = 1.5;
    const r = validatePolicy(doc);
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual(['exposure.contingentWeight']);
    const shut = policyCopy();
    shut.exposure.contingentWeight = 0.7; // 0.7 x 3 = 2.1 >= 2
    const r2 = validatePolicy(shut);
    expect(r2.ok ? [] : r2.problems.map((p) => [p.path, p.messageZh.length > 0])).toEqual([
      ['exposure.contingentWeight', true],
    ]);
  });

  it("keeps the card's cash-flow multiple within what a fully drawn limit repays by its review", () => {
    const doc = policyCopy();
    doc.products.credit_card.maxMultipleOfMonthlyNetCashFlow = 11; // the factor is 10.9 at 18%
    const r = validatePolicy(doc);
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual([
      'products.credit_card.maxMultipleOfMonthlyNetCashFlow',
    ]);
    doc.products.credit_card.maxMultipleOfMonthlyNetCashFlow = 10.9;
    expect(validatePolicy(doc).ok).toBe(true);
  });

  it('lets a test case state an exposure and the first offer it expects limited by', () => {
    const doc = policyCopy();
    const cases = doc.testCases as PolicyTestCase[];
    const base = cases[0] as PolicyTestCase;
    cases.push({
      ...base,
      name: 'expects the wrong limit',
      context: { ...base.context, exposure: exposure({ total: 500_000_000 }) },
      expect: { bindingLimit: 'request' },
    });
    const r = checkPolicy(doc);
    expect(r.ok ? [] : r.problems.map((p) => [p.path, p.message])).toEqual([
      [
        `testCases[${cases.length - 1}].expect.bindingLimit`,
        'expects the wrong limit: expected the first offer limited by request, got total_exposure',
      ],
    ]);
  });
});

describe('lease_term: the lease shortened the term, and so the amount the cash flow repays', () => {
  const request: LoanRequest = {
    product: 'operator_guarantee',
    amount: 1_000_000_000,
    termMonths: 24,
    purpose: 'short_term_turnover',
  };
  // A thinner margin: what the cash flow repays binds before a month of sales does.
  const decideWithLease = (leaseRemainingMonths: number) =>
    decide({ ...goodSurvey, netMargin: 0.04, leaseRemainingMonths }, request, policy, {
      operator: { ...activeOperator, perMerchantCap: 2_000_000_000, available: 10_000_000_000 },
    }).offers.find((o) => o.product === 'operator_guarantee');

  it('names the lease when it cut the term below what repayment capacity would carry', () => {
    const short = decideWithLease(6);
    expect(short).toMatchObject({ termMonths: 6, bindingLimit: 'lease_term' });
    expect(short?.limitReason?.code).toBe('LIMITED_BY_LEASE_TERM');
    expect(short?.limitReason?.textZh).toMatch(/租期/);
  });

  it('names repayment capacity when the lease left the whole term', () => {
    const long = decideWithLease(60);
    expect(long).toMatchObject({ termMonths: 24, bindingLimit: 'repayment_capacity' });
    expect(long?.limitReason?.code).toBe('LIMITED_BY_REPAYMENT_CAPACITY');
    // The longer term lets the same cash flow repay more.
    expect(long?.amount).toBeGreaterThan(decideWithLease(6)?.amount ?? 0);
  });
});
