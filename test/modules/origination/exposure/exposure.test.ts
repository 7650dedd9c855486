import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import {
  accept,
  createMerchant,
  decline,
  KAI,
  MJY,
  offerOf,
  strongSurvey,
  submitOk,
} from '../applications/helpers';

describe('GET /v1/merchants/:id/exposure', () => {
  let t: TestApp;
  const now = new Date('2026-11-26T09:30:00.000Z');
  const keys = {} as Record<
    'officer' | 'officerKai' | 'partnerA' | 'partnerB' | 'reviewer' | 'risk',
    string
  >;
  const exposure = (id: string, key = keys.officer) =>
    t.http.get(`/v1/merchants/${id}/exposure`).set(bearer(key));

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now, env: { OFFER_EXPIRY_INTERVAL_MS: '0' } });
    await seedDemo(t);
    keys.officer = await t.issueKey('officer', { marketIds: [MJY] });
    keys.officerKai = await t.issueKey('officer', { marketIds: [KAI] });
    keys.partnerA = await t.issueKey('partner', { partnerId: 'partner-a' });
    keys.partnerB = await t.issueKey('partner', { partnerId: 'partner-b' });
    keys.reviewer = await t.issueKey('reviewer');
    keys.risk = await t.issueKey('risk');
  });
  afterAll(() => t.close());

  it('holds an application by its largest open offer; nothing is taken yet', async () => {
    const app = await submitOk(t, keys.officer, 'mer_demo_mjy03', strongSurvey());
    const res = await exposure('mer_demo_mjy03');
    expect(res.status).toBe(200);
    const largest = Math.max(...app.offers.map((o: { amount: number }) => o.amount));
    expect(res.body).toMatchObject({
      merchantId: 'mer_demo_mjy03',
      asOf: now.toISOString(),
      loans: [],
      cardLimits: [],
      guaranteesGiven: [],
    });
    expect(res.body.openOffers.map((o: { offerId: string }) => o.offerId).sort()).toEqual(
      app.offers.map((o: { id: string }) => o.id).sort(),
    );
    expect(res.body.totals).toMatchObject({
      loans: 0,
      cardLimits: 0,
      guaranteesGiven: 0,
      openOffers: largest,
      outstanding: 0,
      total: largest,
    });
    const byProduct = Object.fromEntries(
      res.body.byProduct.map((p: { product: string; open: number }) => [p.product, p.open]),
    );
    for (const o of app.offers) expect(byProduct[o.product]).toBe(o.amount);
    expect(res.body.ledger.version).toBeGreaterThan(0);
  });

  it('counts an accepted loan, not its withdrawn sibling', async () => {
    const app = await submitOk(t, keys.officer, 'mer_demo_mjy01', strongSurvey());
    const og = offerOf(app, 'operator_guarantee');
    expect((await accept(t, keys.officer, og.id)).status).toBe(200);
    const res = await exposure('mer_demo_mjy01');
    expect(res.body.loans).toEqual([
      {
        offerId: og.id,
        applicationId: app.id,
        product: 'operator_guarantee',
        amount: og.amount,
        termMonths: og.termMonths,
        annualRateBps: og.annualRateBps,
        status: 'accepted',
        outstanding: og.amount,
        monthlyInstalment: (og.schedule[0] as unknown as { payment: number }).payment,
        acceptedAt: now.toISOString(),
        guarantor: { kind: 'operator', id: expect.any(String) },
      },
    ]);
    expect(res.body.cardLimits).toEqual([]);
    expect(res.body.openOffers).toEqual([]);
    expect(res.body.totals).toMatchObject({
      loans: og.amount,
      cardLimits: 0,
      guaranteesGiven: 0,
      openOffers: 0,
      outstanding: og.amount,
      total: og.amount,
    });
  });

  it('counts a card as a limit, and adds a second application to the first', async () => {
    const app = await submitOk(t, keys.officer, 'mer_demo_mjy02', strongSurvey());
    const card = offerOf(app, 'credit_card');
    expect((await accept(t, keys.officer, card.id)).status).toBe(200);
    const second = await submitOk(t, keys.officer, 'mer_demo_mjy02', strongSurvey(), {
      amount: 10_000_000,
    });
    const og = offerOf(second, 'operator_guarantee');
    expect((await accept(t, keys.officer, og.id)).status).toBe(200);
    const res = await exposure('mer_demo_mjy02');
    expect(res.body.cardLimits).toEqual([
      { offerId: card.id, limit: card.amount, status: 'accepted' },
    ]);
    expect(res.body.loans.map((l: { offerId: string }) => l.offerId)).toEqual([og.id]);
    expect(res.body.totals).toMatchObject({
      loans: og.amount,
      cardLimits: card.amount,
      guaranteesGiven: 0,
      total: og.amount + card.amount,
    });
  });

  it('does not count declined offers', async () => {
    const app = await submitOk(t, keys.officer, 'mer_demo_mjy04', strongSurvey());
    for (const o of app.offers) expect((await decline(t, keys.officer, o.id)).status).toBe(200);
    expect((await exposure('mer_demo_mjy04')).body.totals).toMatchObject({
      loans: 0,
      cardLimits: 0,
      guaranteesGiven: 0,
      openOffers: 0,
      total: 0,
    });
  });

  it('is visible by object: officer of its market, its partner, reviewer, risk; 404 otherwise', async () => {
    const partnerMerchant = await createMerchant(t, keys.partnerA, MJY);
    expect((await exposure(partnerMerchant, keys.partnerA)).status).toBe(200);
    expect((await exposure(partnerMerchant, keys.partnerB)).status).toBe(404);
    expect((await exposure('mer_demo_mjy01', keys.partnerA)).status).toBe(404);
    expect((await exposure('mer_demo_mjy01', keys.officerKai)).status).toBe(404);
    expect((await exposure('mer_demo_mjy01', keys.reviewer)).status).toBe(200);
    expect((await exposure('mer_demo_mjy01', keys.risk)).status).toBe(200);
    expect((await exposure('mer_nope', t.adminKey)).status).toBe(404);
    const hidden = await exposure('mer_demo_mjy01', keys.officerKai);
    const missing = await exposure('mer_nope', keys.officerKai);
    expect(hidden.body).toEqual(missing.body);
  });
});
