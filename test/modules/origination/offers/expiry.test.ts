import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import {
  accept,
  decline,
  events,
  MJY,
  OPR_MJY,
  offerOf,
  operator,
  runExpiry as runExpiryAt,
  submitOk,
  twoOfferSurvey,
} from '../applications/helpers';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('offer expiry', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T09:30:00.000Z');
  let officer: string;
  let validityDays: number;

  const getOffer = (id: string) => t.http.get(`/v1/offers/${id}`).set(bearer(officer));
  const getApp = (id: string) => t.http.get(`/v1/applications/${id}`).set(bearer(officer));
  const runExpiry = () => runExpiryAt(t, now);

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now, env: { OFFER_EXPIRY_INTERVAL_MS: '0' } });
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY] });
    const policy = await t.http.get('/v1/policies/active').set(bearer(t.adminKey));
    validityDays = policy.body.document.offerValidityDays;
    expect(validityDays).toBe(14);
  });
  afterAll(() => t.close());

  it('an offer can still be accepted just before it expires', async () => {
    const start = now;
    const app = await submitOk(t, officer, 'mer_demo_mjy01', twoOfferSurvey());
    const og = offerOf(app, 'operator_guarantee');
    expect(og.expiresAt).toBe(new Date(start.getTime() + validityDays * DAY_MS).toISOString());
    now = new Date(start.getTime() + validityDays * DAY_MS - 1000);
    const res = await accept(t, officer, og.id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('accepted');
  });

  it('an expired offer cannot be accepted (409 naming expired); it is marked expired and its capacity released', async () => {
    const start = now;
    const before = await operator(t, OPR_MJY);
    const app = await submitOk(t, officer, 'mer_demo_mjy02', twoOfferSurvey());
    const og = offerOf(app, 'operator_guarantee');
    const card = offerOf(app, 'credit_card');
    expect((await operator(t, OPR_MJY)).reserved).toBe(before.reserved + og.amount);

    now = new Date(start.getTime() + validityDays * DAY_MS + 1000);
    const res = await accept(t, officer, og.id).set('x-request-id', 'req-late-accept');
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('INVALID_STATE');
    expect(res.body.message).toContain('expired');
    expect((await getOffer(og.id)).body.status).toBe('expired');
    expect(await operator(t, OPR_MJY)).toEqual(before);
    // The expiry was recorded, under the request that found it.
    const trail = await events(t, officer, app.id);
    expect(trail.find((e) => e.entityId === og.id && e.action === 'offer.expired')?.requestId).toBe(
      'req-late-accept',
    );

    // Trying again: still 409, still expired, nothing released twice.
    const again = await accept(t, officer, og.id);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('expired');
    expect(await operator(t, OPR_MJY)).toEqual(before);

    // The card expired too; declining it late records expired, not declined.
    const late = await decline(t, officer, card.id);
    expect(late.status).toBe(200);
    expect(late.body.status).toBe('expired');
    expect((await getApp(app.id)).body.status).toBe('closed');
  });

  it('expireDueOffers expires every due offer, releases capacity, closes the application and audits it', async () => {
    const start = now;
    const before = await operator(t, OPR_MJY);
    const app = await submitOk(t, officer, 'mer_demo_mjy04', twoOfferSurvey());
    const fresh = await submitOk(t, officer, 'mer_demo_mjy05', twoOfferSurvey());
    expect(app.offers.length).toBeGreaterThanOrEqual(2);

    // Not due yet: nothing happens.
    now = new Date(start.getTime() + validityDays * DAY_MS - 1);
    expect(await runExpiry()).toBe(0);
    // A later application's offers are not yet due when the first ones are.
    now = new Date(start.getTime() + validityDays * DAY_MS + 1);
    const freshOg = offerOf(fresh, 'operator_guarantee');
    const expired = await runExpiry();
    expect(expired).toBe(app.offers.length + fresh.offers.length);
    for (const o of app.offers) expect((await getOffer(o.id)).body.status).toBe('expired');
    expect((await getApp(app.id)).body.status).toBe('closed');
    expect((await getOffer(freshOg.id)).body.status).toBe('expired');
    expect(await operator(t, OPR_MJY)).toEqual(before);

    const trail = await events(t, officer, app.id);
    const jobEvents = trail.filter((e) => e.requestId === 'req-expiry-job');
    expect(jobEvents.map((e) => e.action).sort()).toEqual(
      ['application.closed', ...app.offers.map(() => 'offer.expired')].sort(),
    );
    for (const e of jobEvents) expect(e.at).toBe(now.toISOString());

    // Run again: nothing left to do.
    expect(await runExpiry()).toBe(0);
  });

  it('does not touch accepted, declined or withdrawn offers', async () => {
    const start = now;
    const a = await submitOk(t, officer, 'mer_demo_mjy06', twoOfferSurvey());
    const og = offerOf(a, 'operator_guarantee');
    const card = offerOf(a, 'credit_card');
    expect((await accept(t, officer, og.id)).status).toBe(200);
    const capacity = await operator(t, OPR_MJY);
    now = new Date(start.getTime() + 30 * DAY_MS);
    expect(await runExpiry()).toBe(0);
    expect((await getOffer(og.id)).body.status).toBe('accepted');
    expect((await getOffer(card.id)).body.status).toBe('withdrawn');
    expect((await getApp(a.id)).body.status).toBe('accepted');
    expect(await operator(t, OPR_MJY)).toEqual(capacity);
  });
});
