/**
 * Issue #12: every cap holds across everything the borrower has, not per application. The
 * reproduction from the issue (two operator-guaranteed offers under one per-merchant cap) and
 * each kind of limit, through the API.
 */
import type { Survey } from '../../../../src/credit';
import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import {
  type ApplicationBody,
  accept,
  createMerchant,
  KAI,
  MJY,
  merchantBody,
  OPR_MJY,
  strongSurvey,
  submitOk,
} from '../applications/helpers';

const YUAN = 100;

describe('caps across the exposure ledger', () => {
  let t: TestApp;
  const now = new Date('2026-11-26T09:30:00.000Z');
  let officer: string;
  let officerKai: string;

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY] });
    officerKai = await t.issueKey('officer', { marketIds: [KAI] });
  });
  afterAll(() => t.close());

  const exposure = async (merchantId: string) => {
    const res = await t.http.get(`/v1/merchants/${merchantId}/exposure`).set(bearer(t.adminKey));
    expect(res.status).toBe(200);
    return res.body;
  };
  const held = (
    e: { byProduct: { product: string; open: number; taken: number }[] },
    p: string,
  ) => {
    const line = e.byProduct.find((x) => x.product === p);
    return (line?.open ?? 0) + (line?.taken ?? 0);
  };
  const og = (app: ApplicationBody) => app.offers.find((o) => o.product === 'operator_guarantee');

  it('reproduction: two applications never hold more than the operator per-merchant cap', async () => {
    const cap = 1_000_000 * YUAN;
    const patched = await t.http
      .patch(`/v1/operators/${OPR_MJY}/guarantee-agreement`)
      .set(bearer(t.adminKey))
      .send({ perMerchantCap: cap });
    expect(patched.status).toBe(200);
    const merchantId = await createMerchant(t, t.adminKey, MJY);
    const request = {
      product: 'operator_guarantee',
      amount: cap,
      termMonths: 12,
      purpose: 'store_expansion',
    };

    const first = await submitOk(t, officer, merchantId, strongSurvey(), request);
    expect(og(first)?.amount).toBe(cap);
    expect(og(first)).toMatchObject({ bindingLimit: 'request', limitReason: null });

    const second = await submitOk(t, officer, merchantId, strongSurvey(), request);
    // Nothing left under the operator's cap while the first offer is open.
    expect(og(second)).toBeUndefined();
    const refused = (
      second.decision as unknown as {
        productResults: {
          product: string;
          reasons: { code: string; textZh: string; textEn: string }[];
        }[];
      }
    ).productResults.find((p) => p.product === 'operator_guarantee');
    expect(refused?.reasons.map((r) => r.code)).toContain('OPERATOR_PER_MERCHANT_CAP_REACHED');
    for (const r of refused?.reasons ?? []) expect(r.textZh && r.textEn).toBeTruthy();

    // Both accepted: the merchant holds the cap, never twice it.
    expect((await accept(t, officer, og(first)?.id as string)).status).toBe(200);
    for (const o of second.offers.slice(0, 1))
      expect((await accept(t, officer, o.id)).status).toBe(200);
    expect(held(await exposure(merchantId), 'operator_guarantee')).toBe(cap);

    // Sized against what is left: a smaller request first, then the rest, with the reason.
    const other = await createMerchant(t, t.adminKey, MJY);
    const turnover = { ...request, purpose: 'short_term_turnover' };
    const part = await submitOk(t, officer, other, strongSurvey(), {
      ...turnover,
      amount: 600_000 * YUAN,
    });
    expect(og(part)?.amount).toBe(600_000 * YUAN);
    const rest = await submitOk(t, officer, other, strongSurvey(), turnover);
    expect(og(rest)).toMatchObject({
      amount: 400_000 * YUAN,
      bindingLimit: 'operator_per_merchant_cap',
      limitReason: { code: 'LIMITED_BY_OPERATOR_PER_MERCHANT_CAP', kind: 'product' },
    });
    expect(og(rest)?.limitReason?.textZh).toMatch(/业主方/);
    await t.http
      .patch(`/v1/operators/${OPR_MJY}/guarantee-agreement`)
      .set(bearer(t.adminKey))
      .send({ perMerchantCap: 2_000_000 * YUAN });
  });

  it('counts one person across markets: a second application in another market is sized against the first', async () => {
    const person = merchantBody(MJY);
    const inMjy = await createMerchant(t, t.adminKey, MJY, { idNumber: person.idNumber });
    const inKai = await createMerchant(t, t.adminKey, KAI, { idNumber: person.idNumber });
    const request = {
      product: 'credit_card',
      amount: 500_000 * YUAN,
      termMonths: 12,
      purpose: 'short_term_turnover',
    };
    const first = await submitOk(t, officer, inMjy, strongSurvey(), request);
    const card = first.offers.find((o) => o.product === 'credit_card');
    expect(card).toBeDefined();
    expect((await accept(t, officer, card?.id as string)).status).toBe(200);

    const second = await submitOk(t, officerKai, inKai, strongSurvey(), request);
    const again = second.offers.find((o) => o.product === 'credit_card');
    const policy = (await t.http.get('/v1/policies/active').set(bearer(t.adminKey))).body.document;
    // The card cap counts the card already granted in the other market.
    expect((card?.amount ?? 0) + (again?.amount ?? 0)).toBeLessThanOrEqual(
      policy.products.credit_card.maxAmount,
    );
    const seenFromKai = await exposure(inKai);
    expect(seenFromKai.cardLimits.map((c: { offerId: string }) => c.offerId)).toContain(card?.id);
  });

  it('counts the instalments of open offers in the coverage of the next application', async () => {
    const merchantId = await createMerchant(t, t.adminKey, MJY);
    const request = {
      product: 'operator_guarantee',
      amount: 3_000_000 * YUAN,
      termMonths: 6,
      purpose: 'store_expansion',
    };
    const first = await submitOk(t, officer, merchantId, strongSurvey(), request);
    expect(og(first)?.bindingLimit).toBe('repayment_capacity');
    // The first offer's instalment takes what the cash flow carries: nothing is left to lend.
    const second = await submitOk(t, officer, merchantId, strongSurvey(), request);
    expect(second.offers).toEqual([]);
    expect(second.decision.reasons.map((r) => r.code)).toContain('REPAYMENT_CAPACITY_INSUFFICIENT');
  });

  it('holds the total exposure cap: twice the annual net profit, guarantees given counted at half', async () => {
    // 400,000 元 a year of net profit (5M 元 of sales at 8%), stock as reported (45 days).
    const modest: Survey = {
      ...strongSurvey(),
      annualSales: 5_000_000 * YUAN,
      netMargin: 0.08,
      inventoryValue: 575_000 * YUAN,
      receivables: 200_000 * YUAN,
      payables: 130_000 * YUAN,
    };
    const cap = 2 * modest.annualSales * modest.netMargin;
    const members = [
      await createMerchant(t, t.adminKey, MJY),
      await createMerchant(t, t.adminKey, MJY),
      await createMerchant(t, t.adminKey, MJY),
    ];
    const group = await t.http
      .post('/v1/guarantee-groups')
      .set(bearer(officer))
      .send({ marketId: MJY, memberIds: members });
    expect(group.status).toBe(201);
    const joint = {
      product: 'joint_guarantee',
      amount: 600_000 * YUAN,
      termMonths: 12,
      purpose: 'short_term_turnover',
      guaranteeGroupId: group.body.id,
    };
    const [modestMember, ...others] = members as [string, string, string];
    for (const m of others) await submitOk(t, officer, m, strongSurvey(), joint);
    // Its own group loan is sized within what the partners' loans it guarantees leave.
    const own = await submitOk(t, officer, modestMember, modest, joint);
    expect(own.offers[0]).toMatchObject({
      bindingLimit: 'total_exposure',
      limitReason: { code: 'LIMITED_BY_TOTAL_EXPOSURE' },
    });
    const before = await exposure(modestMember);
    expect(before.totals.contingent).toBeGreaterThan(0);
    const counted = before.totals.total + 0.5 * before.totals.contingent;
    expect(counted).toBe(cap);

    // At its cap: a further loan is declined, saying why.
    const more = await submitOk(t, officer, modestMember, modest, {
      product: 'any',
      amount: 1_000_000 * YUAN,
      termMonths: 24,
      purpose: 'short_term_turnover',
    });
    expect(more.offers).toEqual([]);
    expect(more.decision.outcome).toBe('decline');
    expect(more.decision.reasons.map((r) => r.code)).toContain('TOTAL_EXPOSURE_EXCEEDED');
    const after = await exposure(modestMember);
    expect(after.totals.total + 0.5 * after.totals.contingent).toBeLessThanOrEqual(cap);
  });

  it('sizes the card from what the merchant earns, and says why a requested loan was not offered', async () => {
    const merchantId = await createMerchant(t, t.adminKey, MJY);
    // 30,000 元 a year of net profit: 600,000 元 of sales at 5%.
    const small: Survey = {
      ...strongSurvey(),
      annualSales: 600_000 * YUAN,
      netMargin: 0.05,
      inventoryValue: 71_250 * YUAN,
      receivables: 10_000 * YUAN,
      payables: 10_000 * YUAN,
    };
    const app = await submitOk(t, officer, merchantId, small, {
      product: 'credit_card',
      amount: 500_000 * YUAN,
      termMonths: 12,
      purpose: 'short_term_turnover',
    });
    // A quarter of 30,000 元 is below the card's minimum: no card, and the reason says why.
    expect(app.offers.filter((x) => x.product === 'credit_card')).toEqual([]);
    const card = (
      app.decision as unknown as {
        productResults: { product: string; reasons: { code: string }[] }[];
      }
    ).productResults.find((p) => p.product === 'credit_card');
    expect(card?.reasons.map((r) => r.code)).toEqual(['NET_PROFIT_INSUFFICIENT']);

    const wholesaler = await createMerchant(t, t.adminKey, MJY);
    // Suppliers fund the stock and more: no working-capital gap to lend against.
    const noGap: Survey = { ...strongSurvey(), payables: 4_000_000 * YUAN };
    const loan = await submitOk(t, officer, wholesaler, noGap, {
      product: 'credit_loan',
      amount: 500_000 * YUAN,
      termMonths: 12,
      purpose: 'working_capital',
    });
    if (
      loan.decision.outcome === 'approve' &&
      !loan.offers.some((o) => o.product === 'credit_loan')
    ) {
      expect(loan.decision.reasons.map((r) => r.code)).toContain('NO_WORKING_CAPITAL_GAP');
    } else {
      throw new Error(
        `expected an approve without the credit loan: ${JSON.stringify(loan.decision.reasons)}`,
      );
    }
  });
});
