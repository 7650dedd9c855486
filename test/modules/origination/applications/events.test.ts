import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import {
  type ApplicationBody,
  type AuditEvent,
  accept,
  applicationBody,
  events,
  keyIdOf,
  MJY,
  offerOf,
  referSurvey,
  strongSurvey,
  submit,
} from './helpers';

describe('GET /v1/applications/:id/events (audit trail)', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T09:30:00.000Z');
  let officer: string;
  let officerId: string;
  let reviewer: string;
  let reviewerId: string;

  const actions = (evs: AuditEvent[]) => evs.map((e) => `${e.entityType}:${e.action}`);

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY] });
    reviewer = await t.issueKey('reviewer');
    officerId = await keyIdOf(t, officer);
    reviewerId = await keyIdOf(t, reviewer);
  });
  afterAll(() => t.close());

  it('records submission, decision and each offer with who, when and the request id', async () => {
    const res = await submit(
      t,
      officer,
      applicationBody('mer_demo_mjy01', strongSurvey()),
      undefined,
      { 'x-request-id': 'req-submit-0001' },
    );
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('req-submit-0001');
    const app = res.body as ApplicationBody;

    const evs = await events(t, officer, app.id);
    // Events of one request share one instant, and are listed in the order they were written.
    expect(actions(evs)).toEqual([
      'application:application.submitted',
      'application:application.approved',
      ...app.offers.map(() => 'offer:offer.offered'),
    ]);
    expect(
      evs
        .filter((e) => e.entityType === 'offer')
        .map((e) => e.entityId)
        .sort(),
    ).toEqual(app.offers.map((o) => o.id).sort());
    for (const e of evs) {
      expect(e.requestId).toBe('req-submit-0001');
      expect(e.actorKeyId).toBe(officerId);
      expect(e.actorRole).toBe('officer');
      expect(e.at).toBe(now.toISOString());
      expect(e.id).toMatch(/^evt_/);
    }
    const decided = evs.find((e) => e.action === 'application.approved');
    expect(decided?.data).toMatchObject({
      decisionId: app.decision.id,
      outcome: 'approve',
      score: app.decision.score,
      policyVersion: app.decision.policyVersion,
    });
  });

  it('lists the events of every submission in the order they were written', async () => {
    for (const merchant of [
      'mer_demo_mjy05',
      'mer_demo_mjy06',
      'mer_demo_mjy07',
      'mer_demo_mjy08',
    ]) {
      const res = await submit(t, officer, applicationBody(merchant, strongSurvey()));
      if (res.status !== 201) continue;
      const app = res.body as ApplicationBody;
      expect(actions(await events(t, officer, app.id))).toEqual([
        'application:application.submitted',
        `application:application.${app.status}`,
        ...app.offers.map(() => 'offer:offer.offered'),
      ]);
    }
  });

  it('appends acceptance and withdrawal events, oldest first, leaving the earlier ones as they were', async () => {
    const app = (await submit(t, officer, applicationBody('mer_demo_mjy02', strongSurvey())))
      .body as ApplicationBody;
    expect(app.offers.length).toBeGreaterThanOrEqual(2);
    const before = await events(t, officer, app.id);

    now = new Date(now.getTime() + 60 * 60 * 1000);
    const chosen = offerOf(app, 'operator_guarantee');
    const res = await accept(t, officer, chosen.id).set('x-request-id', 'req-accept-0001');
    expect(res.status).toBe(200);

    const after = await events(t, officer, app.id);
    expect(
      after
        .slice(0, before.length)
        .map((e) => e.id)
        .sort(),
    ).toEqual(before.map((e) => e.id).sort());
    for (const e of before) expect(after.find((a) => a.id === e.id)).toEqual(e);
    const added = after.slice(before.length);
    expect(actions(added).sort()).toEqual(
      [
        'offer:offer.accepted',
        ...app.offers.filter((o) => o.id !== chosen.id).map(() => 'offer:offer.withdrawn'),
        'application:application.accepted',
      ].sort(),
    );
    for (const e of added) {
      expect(e.requestId).toBe('req-accept-0001');
      expect(e.at).toBe(now.toISOString());
      expect(e.actorKeyId).toBe(officerId);
    }
    const times = after.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
  });

  it('records a review with the reviewer, its note and its request id', async () => {
    const app = (await submit(t, officer, applicationBody('mer_demo_mjy03', referSurvey())))
      .body as ApplicationBody;
    expect(app.status).toBe('referred');
    expect(actions(await events(t, officer, app.id)).sort()).toEqual([
      'application:application.referred',
      'application:application.submitted',
    ]);

    now = new Date(now.getTime() + 60 * 60 * 1000);
    const review = await t.http
      .post(`/v1/applications/${app.id}/review`)
      .set(bearer(reviewer))
      .set('x-request-id', 'req-review-0001')
      .send({ action: 'decline', note: 'stock too slow for the debt' });
    expect(review.status).toBe(200);
    const evs = await events(t, reviewer, app.id);
    const last = evs[evs.length - 1];
    expect(last).toMatchObject({
      entityType: 'application',
      entityId: app.id,
      action: 'application.review_decline',
      actorKeyId: reviewerId,
      actorRole: 'reviewer',
      requestId: 'req-review-0001',
      data: { note: 'stock too slow for the debt', status: 'declined' },
    });
  });

  it('generates a request id when none is sent and stores the one it answered with', async () => {
    const res = await submit(t, officer, applicationBody('mer_demo_mjy04', strongSurvey()));
    expect(res.status).toBe(201);
    const rid = res.headers['x-request-id'];
    expect(typeof rid).toBe('string');
    expect(rid?.length).toBeGreaterThan(0);
    const evs = await events(t, officer, res.body.id);
    for (const e of evs) expect(e.requestId).toBe(rid);
  });

  it('answers 404 for an unknown application', async () => {
    const res = await t.http.get('/v1/applications/app_nope/events').set(bearer(t.adminKey));
    expect(res.status).toBe(404);
  });
});
