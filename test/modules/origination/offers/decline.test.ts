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
  submitOk,
  twoOfferSurvey,
} from '../applications/helpers';

describe('POST /v1/offers/:id/decline', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T09:30:00.000Z');
  let officer: string;

  const getOffer = (id: string) => t.http.get(`/v1/offers/${id}`).set(bearer(officer));
  const getApp = (id: string) => t.http.get(`/v1/applications/${id}`).set(bearer(officer));

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now, env: { OFFER_EXPIRY_INTERVAL_MS: '0' } });
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY] });
  });
  afterAll(() => t.close());

  it('releases the reservation; the application closes once every offer is declined', async () => {
    const before = await operator(t, OPR_MJY);
    const app = await submitOk(t, officer, 'mer_demo_mjy01', twoOfferSurvey());
    const og = offerOf(app, 'operator_guarantee');
    const card = offerOf(app, 'credit_card');

    now = new Date(now.getTime() + 60_000);
    const res = await decline(t, officer, og.id).set('x-request-id', 'req-decline-og');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: og.id, status: 'declined' });
    expect(await operator(t, OPR_MJY)).toEqual(before);
    // The card is still open: the application stays approved.
    expect((await getOffer(card.id)).body.status).toBe('offered');
    expect((await getApp(app.id)).body.status).toBe('approved');

    now = new Date(now.getTime() + 60_000);
    const second = await decline(t, officer, card.id).set('x-request-id', 'req-decline-card');
    expect(second.status).toBe(200);
    expect((await getApp(app.id)).body.status).toBe('closed');

    const trail = await events(t, officer, app.id);
    const byRequest = (rid: string) =>
      trail
        .filter((e) => e.requestId === rid)
        .map((e) => `${e.entityId === app.id ? 'app' : e.entityId}:${e.action}`)
        .sort();
    expect(byRequest('req-decline-og')).toEqual([`${og.id}:offer.declined`]);
    expect(byRequest('req-decline-card')).toEqual(
      ['app:application.closed', `${card.id}:offer.declined`].sort(),
    );
  });

  it('a declined offer cannot be accepted or declined again (409 naming declined)', async () => {
    const app = await submitOk(t, officer, 'mer_demo_mjy02', twoOfferSurvey());
    const og = offerOf(app, 'operator_guarantee');
    expect((await decline(t, officer, og.id)).status).toBe(200);
    const capacity = await operator(t, OPR_MJY);
    for (const res of [await decline(t, officer, og.id), await accept(t, officer, og.id)]) {
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_STATE');
      expect(res.body.message).toContain('declined');
      expect(res.body.details).toEqual([{ path: 'status', message: 'declined' }]);
    }
    // Releasing twice would have given capacity back twice.
    expect(await operator(t, OPR_MJY)).toEqual(capacity);
  });

  it('after one offer is declined the other can still be accepted; the declined one stays declined', async () => {
    const app = await submitOk(t, officer, 'mer_demo_mjy04', twoOfferSurvey());
    const og = offerOf(app, 'operator_guarantee');
    const card = offerOf(app, 'credit_card');
    expect((await decline(t, officer, card.id)).status).toBe(200);
    const res = await accept(t, officer, og.id);
    expect(res.status).toBe(200);
    const got = await getApp(app.id);
    expect(got.body.status).toBe('accepted');
    const statuses = Object.fromEntries(
      got.body.offers.map((o: { id: string; status: string }) => [o.id, o.status]),
    );
    expect(statuses).toEqual({ [og.id]: 'accepted', [card.id]: 'declined' });
  });

  it('takes an optional Idempotency-Key and replays with it', async () => {
    const app = await submitOk(t, officer, 'mer_demo_mjy05', twoOfferSurvey());
    const card = offerOf(app, 'credit_card');
    const send = () =>
      t.http
        .post(`/v1/offers/${card.id}/decline`)
        .set(bearer(officer))
        .set('idempotency-key', 'dec-1')
        .send();
    const first = await send();
    expect(first.status).toBe(200);
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('refuses a body (no status or amount can ride along)', async () => {
    const app = await submitOk(t, officer, 'mer_demo_mjy06', twoOfferSurvey());
    const card = offerOf(app, 'credit_card');
    const res = await t.http
      .post(`/v1/offers/${card.id}/decline`)
      .set(bearer(officer))
      .send({ status: 'accepted' });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(['body.status']);
    expect((await getOffer(card.id)).body.status).toBe('offered');
  });

  it('answers 404 for an unknown offer', async () => {
    expect((await decline(t, officer, 'off_nope')).status).toBe(404);
  });
});
