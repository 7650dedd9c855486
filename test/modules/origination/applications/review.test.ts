import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import {
  type ApplicationBody,
  accept,
  KAI,
  keyIdOf,
  MJY,
  OPR_MJY,
  operator,
  paths,
  referSurvey,
  strongSurvey,
  submitOk,
} from './helpers';

describe('manual review (审贷分离)', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T09:30:00.000Z');
  const keys = {} as Record<
    'officer' | 'officerKai' | 'partner' | 'reviewer' | 'reviewer2' | 'risk' | 'admin2',
    string
  >;

  const review = (key: string, id: string, body: unknown, headers: Record<string, string> = {}) =>
    t.http
      .post(`/v1/applications/${id}/review`)
      .set(bearer(key))
      .set(headers)
      .send(body as object);
  const referred = (merchantId = 'mer_demo_mjy03', key = keys.officer) =>
    submitOk(t, key, merchantId, referSurvey(), { amount: 50_000_000 });
  const tick = () => {
    now = new Date(now.getTime() + 60_000);
  };

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemo(t);
    keys.officer = await t.issueKey('officer', { marketIds: [MJY] });
    keys.officerKai = await t.issueKey('officer', { marketIds: [KAI] });
    keys.partner = await t.issueKey('partner', { partnerId: 'partner-a' });
    keys.reviewer = await t.issueKey('reviewer');
    keys.reviewer2 = await t.issueKey('reviewer');
    keys.risk = await t.issueKey('risk');
    keys.admin2 = await t.issueKey('admin');
  });
  afterAll(() => t.close());

  describe('GET /v1/reviews', () => {
    it('lists referred applications only, newest first', async () => {
      const a = await referred('mer_demo_mjy03');
      tick();
      const b = await referred('mer_demo_mjy04');
      tick();
      await submitOk(t, keys.officer, 'mer_demo_mjy01', strongSurvey());
      const res = await t.http.get('/v1/reviews').set(bearer(keys.reviewer));
      expect(res.status).toBe(200);
      const ids = res.body.data.map((x: { id: string }) => x.id);
      expect(ids).toEqual([b.id, a.id]);
      for (const x of res.body.data) {
        expect(x.status).toBe('referred');
        expect(x.outcome).toBe('refer');
      }
      const mine = await t.http.get(`/v1/reviews?marketId=${KAI}`).set(bearer(keys.reviewer));
      expect(mine.status).toBe(200);
      expect(mine.body.data).toEqual([]);
    });

    it.each([['officer'], ['partner'], ['risk']] as const)(
      'is closed to %s (403)',
      async (role) => {
        const res = await t.http.get('/v1/reviews').set(bearer(keys[role]));
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      },
    );
  });

  describe('approve', () => {
    it('produces offers as the model would, keeps the policy version, reserves capacity, leaves the queue', async () => {
      const app = await referred();
      tick();
      const before = await operator(t, OPR_MJY);
      const res = await review(keys.reviewer, app.id, {
        action: 'approve',
        note: 'long tenure, landlord vouches',
      });
      expect(res.status).toBe(200);
      const reviewed = res.body as ApplicationBody;
      expect(reviewed.status).toBe('approved');
      expect(reviewed.decision).toMatchObject({
        outcome: 'approve',
        source: 'review',
        note: 'long tenure, landlord vouches',
        policyVersion: app.decision.policyVersion,
        policyId: app.decision.policyId,
      });
      expect(reviewed.decision.id).not.toBe(app.decision.id);
      expect(reviewed.offers.length).toBeGreaterThan(0);
      for (const o of reviewed.offers) {
        expect(o.status).toBe('offered');
        expect(o.amount).toBeLessThanOrEqual(50_000_000);
        expect(o.amount).toBeGreaterThan(0);
      }
      const og = reviewed.offers.find((o) => o.product === 'operator_guarantee');
      const after = await operator(t, OPR_MJY);
      expect(after.reserved - before.reserved).toBe(og?.amount ?? 0);

      // GET answers the review decision, and the queue no longer holds it.
      const got = await t.http.get(`/v1/applications/${app.id}`).set(bearer(keys.officer));
      expect(got.body.decision.id).toBe(reviewed.decision.id);
      const queue = await t.http.get('/v1/reviews').set(bearer(keys.reviewer));
      expect(queue.body.data.map((x: { id: string }) => x.id)).not.toContain(app.id);

      // The offers work like any other.
      const taken = await accept(t, keys.officer, reviewed.offers[0]?.id as string);
      expect(taken.status).toBe(200);
      expect(taken.body.status).toBe('accepted');
    });

    it('caps every offer at the amount the reviewer names', async () => {
      const app = await referred('mer_demo_mjy05');
      const res = await review(keys.reviewer, app.id, {
        action: 'approve',
        note: 'approve a smaller loan',
        amount: 12_345_600,
      });
      expect(res.status).toBe(200);
      expect(res.body.offers.length).toBeGreaterThan(0);
      for (const o of res.body.offers) expect(o.amount).toBeLessThanOrEqual(12_345_600);
    });

    it('an approval no product can back (amount under every minimum) declines, and says so', async () => {
      const app = await referred('mer_demo_mjy06');
      const before = await operator(t, OPR_MJY);
      const res = await review(keys.reviewer, app.id, {
        action: 'approve',
        note: 'only a token amount',
        amount: 100,
      });
      expect(res.status).toBe(200);
      expect(res.body.offers).toEqual([]);
      expect(res.body.status).toBe('declined');
      // The decision the client reads agrees with the application's status.
      expect(res.body.decision.outcome).toBe('decline');
      expect(await operator(t, OPR_MJY)).toEqual(before);
    });
  });

  describe('decline', () => {
    it('declines with the note, no offers, nothing reserved; a second review is 409 naming the state', async () => {
      const app = await referred('mer_demo_mjy02');
      const before = await operator(t, OPR_MJY);
      const res = await review(keys.reviewer, app.id, {
        action: 'decline',
        note: 'stock turns too slowly',
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('declined');
      expect(res.body.decision).toMatchObject({
        outcome: 'decline',
        source: 'review',
        note: 'stock turns too slowly',
      });
      expect(res.body.offers).toEqual([]);
      expect(await operator(t, OPR_MJY)).toEqual(before);

      for (const action of ['approve', 'decline']) {
        const again = await review(keys.reviewer2, app.id, { action, note: 'second look' });
        expect(again.status).toBe(409);
        expect(again.body.code).toBe('INVALID_STATE');
        expect(again.body.message).toContain('declined');
      }
    });
  });

  it('refuses to review an application that was not referred (409 INVALID_STATE naming it)', async () => {
    const approved = await submitOk(t, keys.officer, 'mer_demo_mjy01', strongSurvey());
    expect(approved.status).toBe('approved');
    const res = await review(keys.reviewer, approved.id, { action: 'approve', note: 'again' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('INVALID_STATE');
    expect(res.body.message).toContain('approved');
  });

  describe('审贷分离: who may review', () => {
    it('the key that submitted an application may not review it (403); another admin may', async () => {
      const app = await submitOk(t, t.adminKey, 'mer_demo_mjy03', referSurvey());
      expect(app.status).toBe('referred');
      const own = await review(t.adminKey, app.id, { action: 'approve', note: 'my own' });
      expect(own.status).toBe(403);
      expect(own.body.code).toBe('FORBIDDEN');
      const still = await t.http.get(`/v1/applications/${app.id}`).set(bearer(t.adminKey));
      expect(still.body.status).toBe('referred');

      const other = await review(keys.admin2, app.id, { action: 'decline', note: 'independent' });
      expect(other.status).toBe(200);
      const evs = await t.http.get(`/v1/applications/${app.id}/events`).set(bearer(keys.risk));
      const last = evs.body.data.find(
        (e: { action: string }) => e.action === 'application.review_decline',
      );
      expect(last.actorKeyId).toBe(await keyIdOf(t, keys.admin2));
    });

    it.each([['officer'], ['partner'], ['risk']] as const)(
      'a %s key may not review (403)',
      async (role) => {
        const app = await referred();
        const res = await review(keys[role], app.id, { action: 'approve', note: 'x' });
        expect(res.status).toBe(403);
        const still = await t.http.get(`/v1/applications/${app.id}`).set(bearer(keys.reviewer));
        expect(still.body.status).toBe('referred');
      },
    );

    it('answers 404 for an unknown application', async () => {
      const res = await review(keys.reviewer, 'app_nope', { action: 'decline', note: 'x' });
      expect(res.status).toBe(404);
    });
  });

  describe('bad input', () => {
    let id: string;
    beforeAll(async () => {
      id = (await referred()).id;
    });
    afterAll(async () => {
      // None of the refused reviews changed anything.
      const res = await t.http.get(`/v1/applications/${id}`).set(bearer(keys.reviewer));
      expect(res.body.status).toBe('referred');
    });

    it.each([
      [{ action: 'approve' }, 'body.note'],
      [{ action: 'approve', note: '' }, 'body.note'],
      [{ action: 'approve', note: '   ' }, 'body.note'],
      [{ action: 'approve', note: 42 }, 'body.note'],
      [{ action: 'approve', note: 'x'.repeat(2001) }, 'body.note'],
      [{ note: 'fine' }, 'body.action'],
      [{ action: 'refer', note: 'fine' }, 'body.action'],
      [{ action: 'approve', note: 'fine', amount: '100000' }, 'body.amount'],
      [{ action: 'approve', note: 'fine', amount: 0 }, 'body.amount'],
      [{ action: 'approve', note: 'fine', amount: 10.5 }, 'body.amount'],
      [{ action: 'approve', note: 'fine', status: 'approved' }, 'body.status'],
      [{ action: 'approve', note: 'fine', score: 700 }, 'body.score'],
      [{ action: 'approve', note: 'fine', annualRateBps: 300 }, 'body.annualRateBps'],
    ])('refuses %j (400 naming %s)', async (body, path) => {
      const res = await review(keys.reviewer, id, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toContain(path);
    });
  });

  it('replays a review sent again with the same Idempotency-Key', async () => {
    const app = await referred();
    const body = { action: 'decline', note: 'replayed' };
    const first = await review(keys.reviewer, app.id, body, { 'idempotency-key': 'rev-1' });
    expect(first.status).toBe(200);
    const again = await review(keys.reviewer, app.id, body, { 'idempotency-key': 'rev-1' });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await review(
      keys.reviewer,
      app.id,
      { ...body, note: 'changed' },
      { 'idempotency-key': 'rev-1' },
    );
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
