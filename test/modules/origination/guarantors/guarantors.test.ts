/**
 * Individual guarantors (保证人, issue #16): an application names other merchants of its market,
 * each with its consent and the amount it guarantees. Checked field by field; counted in each
 * guarantor's exposure (contingent) and in the guarantee network while the loan is live.
 */
import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import {
  accept,
  applicationBody,
  createMerchant,
  decline,
  KAI,
  MJY,
  paths,
  strongSurvey,
  submit,
} from '../applications/helpers';

describe('individual guarantors (保证人)', () => {
  let t: TestApp;
  let officer: string;
  const now = new Date('2026-11-26T09:30:00.000Z');

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY] });
  });
  afterAll(() => t.close());

  const guarantor = (merchantId: string, amount = 10_000_000, extra = {}) => ({
    merchantId,
    amount,
    consentRef: 'consent-form-0042',
    consentedAt: '2026-11-25T08:00:00Z',
    ...extra,
  });
  const apply = (merchantId: string, guarantors: unknown[], request = {}) =>
    submit(t, t.adminKey, {
      ...applicationBody(merchantId, strongSurvey(), {
        product: 'operator_guarantee',
        amount: 30_000_000,
        ...request,
      }),
      guarantors,
    });
  const exposure = async (merchantId: string) =>
    (await t.http.get(`/v1/merchants/${merchantId}/exposure`).set(bearer(officer))).body;
  const byGuarantor = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    String(a.guarantor_id) < String(b.guarantor_id) ? -1 : 1;
  const edges = async (applicationId: string) =>
    (
      (await t.testDb.database.db.execute(
        `select guarantor_id, borrower_merchant_id, source, amount_fen::int as amount from guarantee_edges where application_id = '${applicationId}'`,
      )) as unknown as { rows: Record<string, unknown>[] }
    ).rows.sort(byGuarantor);

  describe('validation: a 4xx naming the field', () => {
    let applicant: string;
    let other: string;
    beforeAll(async () => {
      applicant = await createMerchant(t, t.adminKey, MJY);
      other = await createMerchant(t, t.adminKey, MJY);
    });

    it.each([
      ['the applicant itself', () => [guarantor(applicant)], 'body.guarantors.0.merchantId'],
      [
        'a guarantor named twice',
        () => [guarantor(other), guarantor(other)],
        'body.guarantors.1.merchantId',
      ],
      [
        'an amount above the request',
        () => [guarantor(other, 30_000_001)],
        'body.guarantors.0.amount',
      ],
      ['an amount of 0', () => [guarantor(other, 0)], 'body.guarantors.0.amount'],
      [
        'consent dated in the future',
        () => [guarantor(other, 1_000, { consentedAt: '2026-12-01T00:00:00Z' })],
        'body.guarantors.0.consentedAt',
      ],
      [
        'no consent reference',
        () => [{ merchantId: other, amount: 1_000, consentedAt: '2026-11-25T08:00:00Z' }],
        'body.guarantors.0.consentRef',
      ],
    ])('refuses %s (400)', async (_name, list, path) => {
      const res = await apply(applicant, list());
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toContain(path);
    });

    it('refuses more guarantors than the policy allows (3)', async () => {
      const four: string[] = [];
      for (let i = 0; i < 4; i++) four.push(await createMerchant(t, t.adminKey, MJY));
      const res = await apply(
        applicant,
        four.map((id) => guarantor(id)),
      );
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(['body.guarantors']);
    });

    it('refuses a merchant of another market (422) and an unknown one (404)', async () => {
      const kai = await createMerchant(t, t.adminKey, KAI);
      const res = await apply(applicant, [guarantor(kai)]);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('GUARANTOR_OTHER_MARKET');
      expect(res.body.messageZh).toContain('同一市场');
      expect(paths(res.body)).toEqual(['body.guarantors.0.merchantId']);
      const unknown = await apply(applicant, [guarantor('mer_nobody')]);
      expect(unknown.status).toBe(404);
      expect(paths(unknown.body)).toEqual(['body.guarantors.0.merchantId']);
    });

    it("refuses guarantors on a group member's loan (its group guarantees it)", async () => {
      const res = await apply(applicant, [guarantor(other)], {
        product: 'joint_guarantee',
        guaranteeGroupId: 'grp_x',
      });
      expect(res.status).toBe(400);
      expect(paths(res.body)).toContain('body.guarantors');
    });
  });

  it("counts in the guarantor's exposure and the network while the loan is live", async () => {
    const applicant = await createMerchant(t, t.adminKey, MJY);
    const g1 = await createMerchant(t, t.adminKey, MJY);
    const g2 = await createMerchant(t, t.adminKey, MJY);
    const res = await apply(applicant, [guarantor(g1, 10_000_000), guarantor(g2, 30_000_000)]);
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('approved');
    const offer = res.body.offers.find(
      (o: { product: string }) => o.product === 'operator_guarantee',
    );
    const largest = Math.max(...res.body.offers.map((o: { amount: number }) => o.amount));

    const seen = await exposure(g1);
    expect(seen.individualGuaranteesGiven).toEqual([
      expect.objectContaining({
        applicationId: res.body.id,
        borrowerMerchantId: applicant,
        amount: Math.min(10_000_000, largest),
        status: 'offered',
        consentedAt: '2026-11-25T08:00:00.000Z',
      }),
    ]);
    expect(seen.totals.individualGuaranteesGiven).toBe(Math.min(10_000_000, largest));
    expect(seen.totals.contingent).toBe(Math.min(10_000_000, largest));
    expect((await exposure(g2)).totals.contingent).toBe(Math.min(30_000_000, largest));
    expect(await edges(res.body.id)).toEqual(
      [
        {
          guarantor_id: g1,
          borrower_merchant_id: applicant,
          source: 'individual',
          amount: Math.min(10_000_000, largest),
        },
        {
          guarantor_id: g2,
          borrower_merchant_id: applicant,
          source: 'individual',
          amount: Math.min(30_000_000, largest),
        },
      ].sort(byGuarantor),
    );

    // Taken: the guarantees now count the loan taken, and the operator's edge appears.
    expect((await accept(t, officer, offer.id)).status).toBe(200);
    expect((await exposure(g2)).totals.contingent).toBe(Math.min(30_000_000, offer.amount));
    const taken = await edges(res.body.id);
    expect(taken.map((e) => e.source).sort()).toEqual(['individual', 'individual', 'operator']);
    expect(taken.find((e) => e.source === 'operator')?.amount).toBe(offer.amount);
  });

  it('ends with the loan: a declined offer leaves the guarantor nothing', async () => {
    const applicant = await createMerchant(t, t.adminKey, MJY);
    const g = await createMerchant(t, t.adminKey, MJY);
    const res = await apply(applicant, [guarantor(g, 5_000_000)]);
    expect(res.status).toBe(201);
    for (const o of res.body.offers) expect((await decline(t, officer, o.id)).status).toBe(200);
    expect((await exposure(g)).totals.contingent).toBe(0);
    expect((await exposure(g)).individualGuaranteesGiven).toEqual([]);
    expect(await edges(res.body.id)).toEqual([]);
  });

  it('lowers the price of the guaranteed loan', async () => {
    const survey = { ...strongSurvey(), tenureMonths: 40 };
    const body = (merchantId: string) =>
      applicationBody(merchantId, survey, { product: 'operator_guarantee', amount: 30_000_000 });
    const plain = await submit(t, t.adminKey, body(await createMerchant(t, t.adminKey, MJY)));
    const backed = await submit(t, t.adminKey, {
      ...body(await createMerchant(t, t.adminKey, MJY)),
      guarantors: [guarantor(await createMerchant(t, t.adminKey, MJY), 30_000_000)],
    });
    const rate = (r: typeof plain) =>
      r.body.offers.find((o: { product: string }) => o.product === 'operator_guarantee')
        ?.annualRateBps;
    expect(plain.status).toBe(201);
    expect(backed.status).toBe(201);
    expect(rate(backed)).toBeLessThan(rate(plain));
  });
});
