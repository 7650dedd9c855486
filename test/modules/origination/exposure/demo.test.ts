/**
 * The demo data holds its own caps (issue #12 found mer_demo_mjy01 holding 2,111,800 元 under a
 * 2,000,000 元 per-merchant cap): every demo merchant asks for its survey's request three times
 * and takes each first offer, and still holds no more than its operator, its products and the
 * policy allow.
 */
import { demoMerchants, demoOperators } from '../../../../src/db/demo-data';
import { sampleMerchants, seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import { type ApplicationBody, accept, applicationBody, submit } from '../applications/helpers';

describe('the demo data within its caps', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
  });
  afterAll(() => t.close());

  it('keeps every demo merchant within its caps after repeated applications and acceptances', async () => {
    const policy = (await t.http.get('/v1/policies/active').set(bearer(t.adminKey))).body.document;
    const perMerchantCap = Math.max(...demoOperators.map((o) => o.perMerchantCap));
    let accepted = 0;
    for (const m of demoMerchants) {
      const sample = sampleMerchants.find((s) => s.id === m.sampleId);
      if (!sample) throw new Error(`no sample ${m.sampleId}`);
      for (let i = 0; i < 3; i++) {
        const res = await submit(
          t,
          t.adminKey,
          applicationBody(m.id, sample.survey, sample.request ?? {}),
        );
        expect(res.status).toBe(201);
        const first = (res.body as ApplicationBody).offers[0];
        if (first) {
          expect((await accept(t, t.adminKey, first.id)).status).toBe(200);
          accepted++;
        }
      }
      const e = (await t.http.get(`/v1/merchants/${m.id}/exposure`).set(bearer(t.adminKey))).body;
      const held = (p: string) =>
        e.byProduct
          .filter((x: { product: string }) => x.product === p)
          .reduce((s: number, x: { open: number; taken: number }) => s + x.open + x.taken, 0);
      expect(held('operator_guarantee')).toBeLessThanOrEqual(perMerchantCap);
      for (const [product, rules] of Object.entries(
        policy.products as Record<string, { maxAmount: number }>,
      ))
        expect(held(product)).toBeLessThanOrEqual(rules.maxAmount);
      const profit = sample.survey.annualSales * sample.survey.netMargin;
      expect(e.totals.total).toBeLessThanOrEqual(
        policy.exposure.maxMultipleOfAnnualNetProfit * profit,
      );
    }
    // Real lending happened: most demo merchants took something.
    expect(accepted).toBeGreaterThan(demoMerchants.length / 2);
  });
});
