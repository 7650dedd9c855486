import {
  compilePolicy,
  type DecisionContext,
  decide,
  defaultPolicyDocument,
  type LoanRequest,
  type PolicyDocument,
  type Survey,
} from '../../../src/credit';
import { policies } from '../../../src/db/schema';
import { demoMerchant, seedDemo } from '../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';
import {
  type ApplicationBody,
  declineSurvey,
  KAI,
  MJY,
  paths,
  referSurvey,
  strongSurvey,
  submitOk,
} from '../origination/applications/helpers';

interface Result {
  policy: { id: string; version: number };
  against: { id: string; version: number };
  source: 'stored' | 'inline';
  count: number;
  outcomes: Record<'approve' | 'refer' | 'decline', { count: number; rate: number }>;
  scoreHistogram: {
    from: number;
    to: number;
    count: number;
    byOutcome: Record<'approve' | 'refer' | 'decline', number>;
  }[];
  cutoffCurve: {
    cutoff: number;
    approvedCount: number;
    approvalRate: number;
    expectedLoss: number;
  }[];
  gradeMix: Record<'A' | 'B' | 'C' | 'D' | 'E', number>;
  productMix: { product: string; count: number; amount: number }[];
  expectedLoss: number;
  swaps: Record<string, { count: number; sample: string[] }>;
  elapsedMs: number;
}

const SWAP_KINDS = [
  'approveToDecline',
  'approveToRefer',
  'referToApprove',
  'referToDecline',
  'declineToApprove',
  'declineToRefer',
];

const cloneDefault = (): PolicyDocument => structuredClone(defaultPolicyDocument);

/** The numbers of any answer must add up. */
function expectConsistent(r: Result) {
  const { approve, refer, decline } = r.outcomes;
  expect(approve.count + refer.count + decline.count).toBe(r.count);
  for (const o of [approve, refer, decline]) {
    expect(o.rate).toBeCloseTo(r.count === 0 ? 0 : o.count / r.count, 5);
  }
  expect(Object.values(r.gradeMix).reduce((a, b) => a + b, 0)).toBe(r.count);
  expect(r.scoreHistogram.reduce((a, b) => a + b.count, 0)).toBe(r.count);
  r.scoreHistogram.forEach((bin, i) => {
    expect(bin.to - bin.from).toBe(20);
    expect(bin.from % 20).toBe(0);
    if (i > 0) expect(bin.from).toBe(r.scoreHistogram[i - 1]?.to);
    expect(bin.byOutcome.approve + bin.byOutcome.refer + bin.byOutcome.decline).toBe(bin.count);
  });
  for (const o of ['approve', 'refer', 'decline'] as const) {
    expect(r.scoreHistogram.reduce((a, b) => a + b.byOutcome[o], 0)).toBe(r.outcomes[o].count);
  }
  // One point per bin; a higher cutoff approves no more and expects to lose no more.
  expect(r.cutoffCurve.map((p) => p.cutoff)).toEqual(r.scoreHistogram.map((b) => b.from));
  r.cutoffCurve.forEach((p, i) => {
    expect(p.approvalRate).toBeCloseTo(p.approvedCount / r.count, 5);
    expect(Number.isInteger(p.expectedLoss)).toBe(true);
    const next = r.cutoffCurve[i + 1];
    if (next) {
      expect(next.approvedCount).toBeLessThanOrEqual(p.approvedCount);
      expect(next.expectedLoss).toBeLessThanOrEqual(p.expectedLoss);
    }
  });
  // Each approved case with an offer counts once, under its first offer's product.
  expect(r.productMix.reduce((a, b) => a + b.count, 0)).toBeLessThanOrEqual(approve.count);
  expect(Object.keys(r.swaps).sort()).toEqual([...SWAP_KINDS].sort());
  expect(Number.isInteger(r.expectedLoss)).toBe(true);
  expect(Number.isInteger(r.elapsedMs)).toBe(true);
}

const totalSwaps = (r: Result) => Object.values(r.swaps).reduce((a, s) => a + s.count, 0);

describe('POST /v1/policies/:id/simulate', () => {
  let t: TestApp;
  const now = new Date('2026-11-26T09:30:00.000Z');
  let risk: string;
  let champion: { id: string; version: number };
  const submitted: ApplicationBody[] = [];
  let sameId: string;
  let strictId: string;
  let invalidId: string;
  let approveCutoff: number;

  const simulate = (id: string, body?: object, key = risk) => {
    const req = t.http.post(`/v1/policies/${id}/simulate`).set(bearer(key));
    return body === undefined ? req.send() : req.send(body);
  };

  async function insertDraft(id: string, version: number, document: Record<string, unknown>) {
    await t.testDb.database.db
      .insert(policies)
      .values({ id, version, status: 'draft', document, createdBy: 'test' });
  }

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemo(t);
    const officer = await t.issueKey('officer', { marketIds: [MJY, KAI] });
    risk = await t.issueKey('risk');
    const active = await t.http.get('/v1/policies/active').set(bearer(risk));
    champion = { id: active.body.id, version: active.body.version };

    // A handful of stored applications: approves, a refer, a decline, in both markets.
    const cases: [string, Survey, { product?: string; amount?: number }][] = [
      ['mer_demo_mjy01', strongSurvey(), { amount: 100_000_000 }],
      ['mer_demo_mjy02', strongSurvey(), { product: 'operator_guarantee', amount: 80_000_000 }],
      ['mer_demo_mjy03', referSurvey(), {}],
      ['mer_demo_kai03', declineSurvey(), {}],
      ['mer_demo_mjy01', demoMerchant('mjy-001').survey, {}],
      ['mer_demo_kai01', demoMerchant('kaien-001').survey, { amount: 20_000_000 }],
      ['mer_demo_kai05', demoMerchant('kaien-006').survey, { amount: 10_000_000 }],
    ];
    for (const [merchantId, survey, request] of cases) {
      submitted.push(await submitOk(t, officer, merchantId, survey, request));
    }
    const approved = submitted.filter((a) => a.decision.outcome === 'approve');
    expect(approved.length).toBeGreaterThanOrEqual(2);
    expect(submitted.some((a) => a.decision.outcome === 'refer')).toBe(true);
    expect(submitted.some((a) => a.decision.outcome === 'decline')).toBe(true);

    sameId = 'pol_test_same';
    await insertDraft(sameId, 101, { ...cloneDefault(), version: 101, name: 'identical clone' });

    // Stricter: the approve cutoff just above the best approved score, so every approve moves.
    approveCutoff = Math.max(...approved.map((a) => a.decision.score)) + 1;
    const strict = cloneDefault();
    strict.version = 102;
    strict.name = 'stricter approve cutoff';
    strict.outcomes.approveMinScore = approveCutoff;
    strictId = 'pol_test_strict';
    await insertDraft(strictId, 102, strict);

    const invalid = cloneDefault() as unknown as {
      version: number;
      grades: { A: number; B: number };
      products: { credit_card: { rateFloorBps: number; rateCapBps: number } };
    };
    invalid.version = 103;
    invalid.grades.B = invalid.grades.A + 5;
    invalid.products.credit_card.rateFloorBps = invalid.products.credit_card.rateCapBps + 1;
    invalidId = 'pol_test_invalid';
    await insertDraft(invalidId, 103, invalid);
  });
  afterAll(() => t.close());

  describe('over stored applications', () => {
    it('replays every stored application when there is no body; the champion reproduces itself', async () => {
      const res = await simulate(champion.id);
      expect(res.status).toBe(200);
      const r = res.body as Result;
      expectConsistent(r);
      expect(r.source).toBe('stored');
      expect(r.policy).toEqual(champion);
      expect(r.against).toEqual(champion);
      expect(r.count).toBe(submitted.length);
      for (const o of ['approve', 'refer', 'decline'] as const) {
        expect(r.outcomes[o].count).toBe(submitted.filter((a) => a.decision.outcome === o).length);
      }
      expect(totalSwaps(r)).toBe(0);
    });

    it('a draft identical to the champion has the same numbers and no swaps', async () => {
      const [mine, base] = await Promise.all([simulate(sameId, {}), simulate(champion.id, {})]);
      expect(mine.status).toBe(200);
      const r = mine.body as Result;
      expectConsistent(r);
      expect(r.policy).toEqual({ id: sameId, version: 101 });
      expect(r.against).toEqual(champion);
      expect(totalSwaps(r)).toBe(0);
      for (const k of SWAP_KINDS) expect(r.swaps[k]).toEqual({ count: 0, sample: [] });
      const { elapsedMs: _a, policy: _p, ...numbers } = r;
      const { elapsedMs: _b, policy: _q, ...baseNumbers } = base.body as Result;
      expect(numbers).toEqual(baseNumbers);
    });

    it('stored decisions agree with the simulation: grade mix and scores as production saw them', async () => {
      const r = (await simulate(sameId)).body as Result;
      for (const g of ['A', 'B', 'C', 'D', 'E'] as const) {
        expect(r.gradeMix[g]).toBe(submitted.filter((a) => a.decision.grade === g).length);
      }
      for (const a of submitted) {
        const bin = r.scoreHistogram.find(
          (b) => a.decision.score >= b.from && a.decision.score < b.to,
        );
        expect(bin?.count).toBeGreaterThan(0);
      }
      // Product mix: the first offer of each approved application, as offered in production.
      const approved = submitted.filter((a) => a.decision.outcome === 'approve');
      const firstOffers = approved.map((a) => a.offers[0]).filter((o) => o !== undefined);
      for (const m of r.productMix) {
        const mine = firstOffers.filter((o) => o.product === m.product);
        expect(m.count).toBe(mine.length);
        expect(m.amount).toBe(mine.reduce((s, o) => s + o.amount, 0));
      }
      expect(r.expectedLoss).toBeGreaterThan(0);
    });

    it("the cutoff curve at the champion's own cutoff (600, a bin edge) is what it approves and expects to lose", async () => {
      const r = (await simulate(sameId)).body as Result;
      const at600 = r.cutoffCurve.find((p) => p.cutoff === 600);
      expect(at600).toEqual({
        cutoff: 600,
        approvedCount: r.outcomes.approve.count,
        approvalRate: r.outcomes.approve.rate,
        expectedLoss: r.expectedLoss,
      });
      // The stricter draft approves nothing, yet its curve shows what 600 would approve: only the
      // cutoff differs between the two.
      const strict = (await simulate(strictId)).body as Result;
      expect(strict.outcomes.approve.count).toBe(0);
      expect(strict.cutoffCurve.find((p) => p.cutoff === 600)).toEqual(at600);
      // Lower cutoffs add the referred cases that a product can serve.
      const lowest = r.cutoffCurve[0];
      expect(lowest?.approvedCount).toBeGreaterThanOrEqual(r.outcomes.approve.count);
    });

    it('a stricter cutoff moves every approve to refer or decline; sample ids are the real applications', async () => {
      const res = await simulate(strictId, { sampleSize: 100 });
      expect(res.status).toBe(200);
      const r = res.body as Result;
      expectConsistent(r);
      const approvedIds = submitted
        .filter((a) => a.decision.outcome === 'approve')
        .map((a) => a.id);
      const moved = r.swaps.approveToRefer as { count: number; sample: string[] };
      const declined = r.swaps.approveToDecline as { count: number; sample: string[] };
      expect(moved.count + declined.count).toBe(approvedIds.length);
      expect(moved.count).toBeGreaterThan(0);
      expect([...moved.sample, ...declined.sample].sort()).toEqual([...approvedIds].sort());
      for (const id of moved.sample) {
        const one = await t.http.get(`/v1/applications/${id}`).set(bearer(t.adminKey));
        expect(one.status).toBe(200);
        expect(one.body.decision.outcome).toBe('approve');
        expect(one.body.decision.score).toBeLessThan(approveCutoff);
      }
      expect(r.outcomes.approve.count).toBe(0);
      expect(r.expectedLoss).toBe(0);
      expect(r.productMix.every((m) => m.count === 0 && m.amount === 0)).toBe(true);
      for (const k of ['referToApprove', 'referToDecline', 'declineToApprove', 'declineToRefer']) {
        expect(r.swaps[k]?.count).toBe(0);
      }
    });

    it('sampleSize caps each sample, not the count', async () => {
      const r = (await simulate(strictId, { sampleSize: 1 })).body as Result;
      const moved = r.swaps.approveToRefer as { count: number; sample: string[] };
      expect(moved.sample.length).toBe(Math.min(1, moved.count));
      expect(moved.sample[0]).toBe(
        submitted.find((a) => a.decision.outcome === 'approve' && moved.sample.includes(a.id))?.id,
      );
    });

    it('filters by market, product and creation time', async () => {
      const kai = (await simulate(sameId, { filter: { marketId: KAI } })).body as Result;
      expectConsistent(kai);
      expect(kai.count).toBe(submitted.filter((a) => a.marketId === KAI).length);

      const og = (await simulate(sameId, { filter: { product: 'operator_guarantee' } }))
        .body as Result;
      expect(og.count).toBe(1);

      const inWindow = await simulate(sameId, {
        filter: { since: '2026-11-26T09:30:00Z', until: '2026-11-26T09:30:00.001Z' },
      });
      expect(inWindow.status).toBe(200);
      expect(inWindow.body.count).toBe(submitted.length);

      const later = (await simulate(sameId, { filter: { since: '2026-11-27T00:00:00+08:00' } }))
        .body as Result;
      expectConsistent(later);
      expect(later.count).toBe(0);
      expect(later.scoreHistogram).toEqual([]);
      expect(later.outcomes.approve).toEqual({ count: 0, rate: 0 });
    });
  });

  describe('over an inline batch', () => {
    const operatorContext: DecisionContext = {
      operator: {
        agreementStatus: 'active',
        perMerchantCap: 200_000_000,
        available: 3_000_000_000,
        maxTermMonths: 24,
        depositRatioBps: 1_000,
      },
      leaseRemainingMonths: 36,
    };
    const batch: { survey: Survey; request: LoanRequest; context?: DecisionContext }[] = [
      {
        survey: strongSurvey(),
        request: {
          product: 'any',
          amount: 100_000_000,
          termMonths: 12,
          purpose: 'working_capital',
        },
        context: operatorContext,
      },
      {
        survey: { ...strongSurvey(), tenureMonths: 40, netMargin: 0.18 },
        request: {
          product: 'credit_card',
          amount: 30_000_000,
          termMonths: 12,
          purpose: 'short_term_turnover',
        },
      },
    ];

    it('expected loss is PD x LGD x amount of each first offer, summed and rounded to fen', async () => {
      const res = await simulate(sameId, { surveys: batch });
      expect(res.status).toBe(200);
      const r = res.body as Result;
      expectConsistent(r);
      expect(r.source).toBe('inline');
      expect(r.count).toBe(2);

      // By hand: decide each case, take its first offer, PD x the product's LGD x amount.
      const compiled = compilePolicy(cloneDefault());
      const lgd = defaultPolicyDocument.products;
      let expected = 0;
      let approvals = 0;
      for (const c of batch) {
        const d = decide(c.survey, c.request, compiled, c.context ?? { operator: null });
        const first = d.offers[0];
        if (d.outcome !== 'approve' || !first) continue;
        approvals++;
        expected += d.pd * lgd[first.product].lgd * first.amount;
      }
      expect(approvals).toBe(2);
      expect(r.outcomes.approve.count).toBe(2);
      expect(r.expectedLoss).toBe(Math.round(expected));
      expect(r.expectedLoss).toBeGreaterThan(0);
      // The first case has an operator agreement and asks for working capital; the second a card.
      const mix = Object.fromEntries(r.productMix.map((m) => [m.product, m.count]));
      expect(mix.credit_card).toBeGreaterThanOrEqual(1);
      expect(totalSwaps(r)).toBe(0);
    });

    it('takes what the borrower already holds in a case context (the exposure ledger)', async () => {
      const holding: DecisionContext = {
        ...operatorContext,
        exposure: {
          total: 300_000_000,
          byProduct: {
            operator_guarantee: 200_000_000,
            joint_guarantee: 0,
            credit_loan: 0,
            credit_card: 100_000_000,
          },
          monthlyInstalments: 0,
          contingent: 0,
        },
      };
      const first = batch[0] as (typeof batch)[number];
      const res = await simulate(sameId, { surveys: [{ ...first, context: holding }] });
      expect(res.status).toBe(200);
      const compiled = compilePolicy(cloneDefault());
      const expected = decide(first.survey, first.request, compiled, holding);
      // The operator's per-merchant cap is used up: no operator-guaranteed offer.
      expect(expected.offers.map((o) => o.product)).not.toContain('operator_guarantee');
      const r = res.body as Result;
      expect(r.outcomes[expected.outcome].count).toBe(1);
    });

    it('swap samples are batch indexes as strings', async () => {
      const res = await simulate(strictId, { surveys: batch, sampleSize: 5 });
      expect(res.status).toBe(200);
      const r = res.body as Result;
      const moved = [
        ...(r.swaps.approveToRefer?.sample ?? []),
        ...(r.swaps.approveToDecline?.sample ?? []),
      ];
      expect(moved.sort()).toEqual(['0', '1']);
    });

    it('validates each survey with the credit schemas', async () => {
      const bad = { ...strongSurvey(), receivables: strongSurvey().annualSales + 1, extra: 1 };
      const res = await simulate(sameId, {
        surveys: [batch[0], { survey: bad, request: batch[1]?.request }],
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toEqual(expect.arrayContaining(['body.surveys.1.survey.extra']));
    });

    it('takes at most 10,000 surveys', async () => {
      const one = batch[1];
      const res = await simulate(sameId, { surveys: Array.from({ length: 10_001 }, () => one) });
      expect(res.status).toBe(400);
      expect(paths(res.body)).toContain('body.surveys');
    });
  });

  describe('refuses', () => {
    it('a draft that does not validate: 422 POLICY_INVALID with every problem', async () => {
      const res = await simulate(invalidId, {});
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('POLICY_INVALID');
      expect(paths(res.body)).toEqual(['grades.B', 'products.credit_card.rateFloorBps']);
      for (const d of res.body.details) expect(typeof d.message).toBe('string');
    });

    it('filter and surveys together: 400 naming surveys', async () => {
      const res = await simulate(sameId, { filter: { marketId: MJY }, surveys: [batch0()] });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toEqual(['body.surveys']);
      expect(res.body.details[0].messageZh).toBeTruthy();
    });

    it('unknown fields, a bad sampleSize and an inverted window: 400', async () => {
      const res = await simulate(sameId, {
        sampleSize: 0,
        filter: { since: '2026-11-27T00:00:00Z', until: '2026-11-26T00:00:00Z' },
        extra: true,
      });
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(expect.arrayContaining(['body.extra', 'body.sampleSize']));
      const window = await simulate(sameId, {
        filter: { since: '2026-11-27T00:00:00Z', until: '2026-11-26T00:00:00Z' },
      });
      expect(window.status).toBe(400);
      expect(paths(window.body)).toEqual(['body.filter.until']);
    });

    it('an unknown policy: 404', async () => {
      const res = await simulate('pol_nope', {});
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });

    it('officers, partners and reviewers: 403; admins may simulate', async () => {
      const officer = await t.issueKey('officer', { marketIds: [MJY] });
      const partner = await t.issueKey('partner', { partnerId: 'ptn_sim' });
      const reviewer = await t.issueKey('reviewer');
      for (const key of [officer, partner, reviewer]) {
        const res = await simulate(sameId, {}, key);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      expect((await simulate(sameId, {}, t.adminKey)).status).toBe(200);
      expect((await t.http.post(`/v1/policies/${sameId}/simulate`).send({})).status).toBe(401);
    });
  });

  function batch0() {
    return {
      survey: strongSurvey(),
      request: { product: 'any', amount: 10_000_000, termMonths: 12, purpose: 'working_capital' },
    };
  }
});
