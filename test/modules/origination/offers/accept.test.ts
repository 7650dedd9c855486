import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import {
  accept,
  createMerchant,
  decline,
  events,
  MJY,
  OPR_MJY,
  offerOf,
  operator,
  paths,
  submitOk,
  twoOfferSurvey,
} from '../applications/helpers';

describe('POST /v1/offers/:id/accept', () => {
  let t: TestApp;
  const now = new Date('2026-11-26T09:30:00.000Z');
  let officer: string;
  let reviewer: string;
  let risk: string;

  const getOffer = (id: string, key = officer) => t.http.get(`/v1/offers/${id}`).set(bearer(key));
  const getApp = (id: string) => t.http.get(`/v1/applications/${id}`).set(bearer(officer));

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now, env: { OFFER_EXPIRY_INTERVAL_MS: '0' } });
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY] });
    reviewer = await t.issueKey('reviewer');
    risk = await t.issueKey('risk');
  });
  afterAll(() => t.close());

  it('turns the reservation into use and withdraws the other offers', async () => {
    const before = await operator(t, OPR_MJY);
    const app = await submitOk(t, officer, 'mer_demo_mjy01', twoOfferSurvey());
    const og = offerOf(app, 'operator_guarantee');
    const card = offerOf(app, 'credit_card');
    const reservedNow = await operator(t, OPR_MJY);
    expect(reservedNow.reserved - before.reserved).toBe(og.amount);

    const res = await accept(t, officer, og.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: og.id, status: 'accepted', amount: og.amount });
    expect(res.headers['idempotent-replayed']).toBeUndefined();

    const after = await operator(t, OPR_MJY);
    expect(after.used - before.used).toBe(og.amount);
    expect(after.reserved).toBe(before.reserved);
    expect(after.available).toBe(before.available - og.amount);

    expect((await getOffer(card.id)).body.status).toBe('withdrawn');
    const got = await getApp(app.id);
    expect(got.body.status).toBe('accepted');
    expect(
      Object.fromEntries(
        got.body.offers.map((o: { id: string; status: string }) => [o.id, o.status]),
      ),
    ).toEqual({ [og.id]: 'accepted', [card.id]: 'withdrawn' });
  });

  it('accepting the card releases the operator-guaranteed offer it withdraws', async () => {
    const before = await operator(t, OPR_MJY);
    const app = await submitOk(t, officer, 'mer_demo_mjy02', twoOfferSurvey());
    const og = offerOf(app, 'operator_guarantee');
    const card = offerOf(app, 'credit_card');

    const res = await accept(t, officer, card.id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('accepted');
    expect((await getOffer(og.id)).body.status).toBe('withdrawn');
    // The card never used guarantee capacity; the withdrawn offer gave its reservation back.
    expect(await operator(t, OPR_MJY)).toEqual(before);
  });

  it('refuses a second acceptance, and acceptance or decline of a withdrawn offer (409 naming the state)', async () => {
    const app = await submitOk(t, officer, 'mer_demo_mjy04', twoOfferSurvey());
    const og = offerOf(app, 'operator_guarantee');
    const card = offerOf(app, 'credit_card');
    expect((await accept(t, officer, og.id)).status).toBe(200);
    const capacity = await operator(t, OPR_MJY);

    const twice = await accept(t, officer, og.id);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('INVALID_STATE');
    expect(twice.body.message).toContain('accepted');

    const withdrawn = await accept(t, officer, card.id);
    expect(withdrawn.status).toBe(409);
    expect(withdrawn.body.code).toBe('INVALID_STATE');
    expect(withdrawn.body.message).toContain('withdrawn');

    const declineAccepted = await decline(t, officer, og.id);
    expect(declineAccepted.status).toBe(409);
    expect(declineAccepted.body.message).toContain('accepted');
    const declineWithdrawn = await decline(t, officer, card.id);
    expect(declineWithdrawn.status).toBe(409);
    expect(declineWithdrawn.body.message).toContain('withdrawn');

    // Nothing moved.
    expect(await operator(t, OPR_MJY)).toEqual(capacity);
    expect((await getOffer(og.id)).body.status).toBe('accepted');
    expect((await getApp(app.id)).body.status).toBe('accepted');
  });

  describe('Idempotency-Key', () => {
    it('replays an acceptance sent again with the same key, without a second change', async () => {
      const app = await submitOk(t, officer, 'mer_demo_mjy05', twoOfferSurvey());
      const og = offerOf(app, 'operator_guarantee');
      const first = await accept(t, officer, og.id, 'acc-replay-1');
      expect(first.status).toBe(200);
      const capacity = await operator(t, OPR_MJY);
      const trail = await events(t, officer, app.id);

      const again = await accept(t, officer, og.id, 'acc-replay-1');
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await operator(t, OPR_MJY)).toEqual(capacity);
      expect(await events(t, officer, app.id)).toHaveLength(trail.length);
    });

    it('refuses the same key on another offer (422 IDEMPOTENCY_KEY_REUSED) and leaves it open', async () => {
      const a = await submitOk(t, officer, 'mer_demo_mjy06', twoOfferSurvey());
      const b = await submitOk(t, officer, 'mer_demo_mjy03', twoOfferSurvey());
      expect((await accept(t, officer, offerOf(a, 'credit_card').id, 'acc-reuse-1')).status).toBe(
        200,
      );
      const other = offerOf(b, 'credit_card');
      const res = await accept(t, officer, other.id, 'acc-reuse-1');
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await getOffer(other.id)).body.status).toBe('offered');
    });

    it('requires the header (400 naming it) and changes nothing without it', async () => {
      const app = await submitOk(t, officer, 'mer_demo_mjy01', twoOfferSurvey(), {
        product: 'credit_card',
      });
      const card = offerOf(app, 'credit_card');
      const res = await t.http.post(`/v1/offers/${card.id}/accept`).set(bearer(officer)).send();
      expect(res.status).toBe(400);
      expect(paths(res.body)).toContain('headers.idempotency-key');
      expect((await getOffer(card.id)).body.status).toBe('offered');
    });
  });

  it('cannot be steered by a body: status, amount or rate sent along are refused', async () => {
    const app = await submitOk(t, officer, 'mer_demo_mjy02', twoOfferSurvey());
    const og = offerOf(app, 'operator_guarantee');
    const res = await t.http
      .post(`/v1/offers/${og.id}/accept`)
      .set(bearer(officer))
      .set('idempotency-key', 'acc-body-1')
      .send({ status: 'booked', amount: 1, annualRateBps: 1 });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(['body.amount', 'body.annualRateBps', 'body.status']);
    const offer = (await getOffer(og.id)).body;
    expect(offer).toMatchObject({
      status: 'offered',
      amount: og.amount,
      annualRateBps: og.annualRateBps,
    });
  });

  it.each([['reviewer'], ['risk']])(
    'a %s key may read an offer but not accept it (403)',
    async (role) => {
      const key = role === 'reviewer' ? reviewer : risk;
      // A merchant of its own: open card offers of earlier tests count against its card cap.
      const merchantId = await createMerchant(t, t.adminKey, MJY);
      const app = await submitOk(t, officer, merchantId, twoOfferSurvey(), {
        product: 'credit_card',
      });
      const card = offerOf(app, 'credit_card');
      expect((await getOffer(card.id, key)).status).toBe(200);
      const res = await accept(t, key, card.id);
      expect(res.status).toBe(403);
      const dec = await decline(t, key, card.id);
      expect(dec.status).toBe(403);
      expect((await getOffer(card.id)).body.status).toBe('offered');
    },
  );

  it('answers 404 for an unknown offer', async () => {
    expect((await accept(t, officer, 'off_nope')).status).toBe(404);
    expect((await getOffer('off_nope')).status).toBe(404);
  });
});
