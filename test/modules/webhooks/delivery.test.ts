/**
 * Issue #14 item 6: deliveries through a receiver that fails on purpose (500s, resets,
 * timeouts, a redirect) and then recovers: every event arrives, each signed, one object's in
 * order; a partner never receives another's; a delivery whose worker dies after claiming it is
 * delivered by another once the lease ends; after 24 hours of failures a delivery is dead, the
 * object's next one goes, and a redelivery sends it again.
 */
import { sql } from 'drizzle-orm';
import { verifyWebhook } from '../../../src/lib/webhook-signature';
import { fanOut } from '../../../src/modules/webhooks/fan-out';
import * as repo from '../../../src/modules/webhooks/repository';
import { deliveriesOfEvent } from '../../../src/modules/webhooks/repository';
import { RETRY_WINDOW_MS } from '../../../src/modules/webhooks/retry';
import { createWebhookWorker } from '../../../src/modules/webhooks/worker';
import { seedDemo } from '../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';
import { feedCaughtUp } from '../events/helpers';
import {
  accept,
  createMerchant,
  KAI,
  MJY,
  offerOf,
  referSurvey,
  strongSurvey,
  submitOk,
  twoOfferSurvey,
} from '../origination/applications/helpers';
import {
  ALL_TYPES,
  createEndpoint,
  drain,
  fakeClock,
  type Receiver,
  startReceiver,
  testWorker,
} from './helpers';

interface Ev {
  id: string;
  type: string;
  objectId: string;
}

describe('webhook deliveries', () => {
  let t: TestApp;
  let partnerA: string;
  let partnerB: string;
  let reviewer: string;
  const receivers: Receiver[] = [];

  const receiver = async (clock: ReturnType<typeof fakeClock>) => {
    const r = await startReceiver(clock.ms);
    receivers.push(r);
    return r;
  };
  /** The partner's whole feed, oldest first. */
  const feed = async (key: string): Promise<Ev[]> => {
    await feedCaughtUp(t);
    const res = await t.http.get('/v1/events?limit=200').set(bearer(key));
    expect(res.status).toBe(200);
    return res.body.data;
  };
  /** The deliveries of an event (to one endpoint, if given), oldest first. */
  const deliveries = async (eventId: string, endpointId?: string) =>
    (await deliveriesOfEvent(t.testDb.database.db, eventId)).filter(
      (d) => !endpointId || d.endpointId === endpointId,
    );
  const status = async (eventId: string, endpointId?: string) =>
    (await deliveries(eventId, endpointId)).map((d) => d.status);

  beforeAll(async () => {
    t = await createTestApp({ env: { WEBHOOK_TIMEOUT_MS: '1000' } });
    await seedDemo(t);
    partnerA = await t.issueKey('partner', { partnerId: 'partner-a' });
    partnerB = await t.issueKey('partner', { partnerId: 'partner-b' });
    reviewer = await t.issueKey('reviewer');
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await t.close();
  });

  it('every event arrives through failures, signed, in order per object, to its own partner only', async () => {
    const clock = fakeClock();
    const rA = await receiver(clock);
    const rB = await receiver(clock);
    const a = await createEndpoint(t, partnerA, rA.url, ALL_TYPES);
    const b = await createEndpoint(t, partnerB, rB.url, ALL_TYPES);
    rA.plan = ['500', 'reset', 'timeout', 'redirect', '500', 'reset', 'timeout', '500'];
    rB.plan = ['reset', '500'];

    // Partner A: a decision, an acceptance (with its withdrawn sibling), a referral and its review.
    const m1 = await createMerchant(t, partnerA, MJY);
    const app1 = await submitOk(t, partnerA, m1, twoOfferSurvey());
    expect((await accept(t, partnerA, offerOf(app1, 'operator_guarantee').id)).status).toBe(200);
    const m2 = await createMerchant(t, partnerA, MJY);
    const referred = await submitOk(t, partnerA, m2, referSurvey());
    expect(referred.status).toBe('referred');
    const review = await t.http
      .post(`/v1/applications/${referred.id}/review`)
      .set(bearer(reviewer))
      .send({ action: 'approve', note: 'stall visited' });
    expect(review.status).toBe(200);
    // Partner B: one decision.
    const m3 = await createMerchant(t, partnerB, KAI);
    await submitOk(t, partnerB, m3, strongSurvey());

    await drain(t, testWorker(t, clock.now), clock);

    const expectedA = await feed(partnerA);
    const expectedB = await feed(partnerB);
    expect(expectedA.length).toBeGreaterThanOrEqual(5);
    // Every event arrived (at least once), and nothing else.
    expect(new Set(rA.ok().map((r) => r.eventId))).toEqual(new Set(expectedA.map((e) => e.id)));
    expect(new Set(rB.ok().map((r) => r.eventId))).toEqual(new Set(expectedB.map((e) => e.id)));
    const idsB = new Set(expectedB.map((e) => e.id));
    expect(rA.all.some((r) => idsB.has(r.eventId))).toBe(false);
    // Each request signed with its endpoint's secret; the body is the event as the feed shows it.
    for (const [r, secret] of [
      ...rA.all.map((x) => [x, a.secret] as const),
      ...rB.all.map((x) => [x, b.secret] as const),
    ]) {
      expect(verifyWebhook(secret, r.signature, r.body, r.at)).toBe(true);
      expect(
        verifyWebhook(b.secret === secret ? a.secret : b.secret, r.signature, r.body, r.at),
      ).toBe(false);
      expect(JSON.parse(r.body).id).toBe(r.eventId);
    }
    const shown = expectedA.find((e) => e.type === 'offer.accepted');
    const sent = rA.ok().find((r) => r.eventId === shown?.id);
    expect(JSON.parse(sent?.body ?? '{}')).toEqual(shown);
    // One object's events arrive in feed order (referred before reviewed), whatever failed.
    const firstOk = (id: string) =>
      rA.all.findIndex((r) => r.eventId === id && r.behaviour === 'ok');
    const ofReferred = expectedA.filter((e) => e.objectId === referred.id);
    expect(ofReferred.map((e) => e.type)).toEqual(['application.referred', 'application.reviewed']);
    const [referredEv, reviewedEv] = ofReferred;
    expect(firstOk(referredEv?.id ?? '')).toBeLessThan(
      rA.all.findIndex((r) => r.eventId === reviewedEv?.id),
    );
    // Attempts are recorded: the failures with their status or error, bounded.
    const { rows } = (await t.testDb.database.db.execute(
      sql`select attempts, attempt_log, status from webhook_deliveries where endpoint_id = ${a.id}`,
    )) as unknown as {
      rows: {
        attempts: number;
        attempt_log: { statusCode: number | null; error: string | null }[];
        status: string;
      }[];
    };
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    const log = rows.flatMap((r) => r.attempt_log);
    // Each request the receiver saw was recorded (a send that timed out before arriving, too).
    expect(log.length).toBeGreaterThanOrEqual(rA.all.length);
    expect(log.map((l) => l.error)).toEqual(
      expect.arrayContaining(['HTTP 500', 'HTTP 302', 'no answer within 1000 ms', null]),
    );
    expect(log.some((l) => l.error !== null && /fetch failed: \w+/i.test(l.error))).toBe(true);
  });

  it('a worker that dies after claiming loses nothing: the lease ends and another delivers', async () => {
    const clock = fakeClock();
    const r = await receiver(clock);
    const partnerC = await t.issueKey('partner', { partnerId: 'partner-c' });
    await createEndpoint(t, partnerC, r.url, ['application.decided']);
    const m = await createMerchant(t, partnerC, MJY);
    const app = await submitOk(t, partnerC, m, strongSurvey());
    await feedCaughtUp(t);
    const db = t.testDb.database.db;
    const leaseMs = 30_000;
    // The dying worker fans out and claims, then neither sends nor records anything.
    await fanOut(db, clock.now(), 200);
    const claimed = await repo.claimDue(
      db,
      clock.now(),
      new Date(clock.ms() + leaseMs),
      'dead-worker',
      50,
    );
    expect(claimed).toHaveLength(1);
    const survivor = testWorker(t, clock.now, { leaseMs });
    // Within the lease another worker leaves it alone.
    clock.advance(leaseMs - 1);
    expect((await survivor.runOnce()).claimed).toBe(0);
    expect(r.all).toHaveLength(0);
    // After it, the other worker delivers it.
    clock.advance(2);
    expect((await survivor.runOnce()).outcomes).toEqual(['delivered']);
    const decided = (await feed(partnerC)).find((e) => e.objectId === app.id);
    expect(r.ok().map((x) => x.eventId)).toEqual([decided?.id]);
    // The dying worker, were it to come back, could record nothing: the lease is not its own.
    const late = await repo.recordAttempt(db, claimed[0] ?? '', 'dead-worker', {
      status: 'dead',
      attempts: 9,
      firstAttemptAt: clock.now(),
      nextAttemptAt: clock.now(),
      attemptLog: [],
      deliveredAt: null,
    });
    expect(late).toBe(false);
    expect(await status(decided?.id ?? '')).toEqual(['delivered']);
  });

  it("dead-letters after 24 hours of failures, then sends the object's next event; redelivery sends it again", async () => {
    const clock = fakeClock();
    const r = await receiver(clock);
    r.fallback = '500';
    const e = await createEndpoint(t, partnerA, r.url, [
      'application.referred',
      'application.reviewed',
    ]);
    const m = await createMerchant(t, partnerA, MJY);
    const referred = await submitOk(t, partnerA, m, referSurvey());
    const review = await t.http
      .post(`/v1/applications/${referred.id}/review`)
      .set(bearer(reviewer))
      .send({ action: 'decline', note: 'thin history' });
    expect(review.status).toBe(200);
    const [referredEv, reviewedEv] = (await feed(partnerA)).filter(
      (x) => x.objectId === referred.id,
    );
    const worker = testWorker(t, clock.now);
    const start = clock.ms();
    await drain(t, worker, clock);

    const [dead] = await deliveries(referredEv?.id ?? '', e.id);
    expect(dead?.status).toBe('dead');
    expect(dead?.attempts).toBeGreaterThan(6);
    expect(dead?.attemptLog.length).toBe(10);
    const firstAt = dead?.firstAttemptAt?.getTime() ?? 0;
    const lastAt = new Date(dead?.attemptLog.at(-1)?.at ?? 0).getTime();
    expect(lastAt - firstAt).toBeGreaterThanOrEqual(RETRY_WINDOW_MS);
    // The first retries come within seconds: 1 s, 4 s, 16 s, 64 s (jitter at its middle here).
    const times = r.all.filter((x) => x.eventId === referredEv?.id).map((x) => x.at);
    const gaps = times.slice(1, 5).map((at, i) => at - (times[i] ?? 0));
    expect(gaps).toHaveLength(4);
    gaps.forEach((gap, i) => {
      expect(Math.abs(gap - ([1, 4, 16, 64][i] ?? 0))).toBeLessThanOrEqual(1);
    });
    // The reviewed event waited for the referred one to be dead, then was tried (and died too).
    const requests = r.all.map((x) => x.eventId);
    expect(requests.indexOf(reviewedEv?.id ?? '')).toBeGreaterThan(
      requests.lastIndexOf(referredEv?.id ?? ''),
    );
    expect(await status(reviewedEv?.id ?? '', e.id)).toEqual(['dead']);
    expect(clock.ms() - start).toBeGreaterThanOrEqual(2 * RETRY_WINDOW_MS);

    // The partner sees its dead letters with their last attempts; another partner sees nothing.
    const deadList = await t.http
      .get(`/v1/webhook-endpoints/${e.id}/deliveries?status=dead`)
      .set(bearer(partnerA));
    expect(deadList.status).toBe(200);
    expect(deadList.body.data.map((d: { eventId: string }) => d.eventId).sort()).toEqual(
      [referredEv?.id, reviewedEv?.id].sort(),
    );
    expect(deadList.body.data[0]).toMatchObject({ status: 'dead', nextAttemptAt: null });
    expect(deadList.body.data[0].lastAttempts).toHaveLength(10);
    expect(deadList.body.data[0].lastAttempts[9]).toMatchObject({
      statusCode: 500,
      error: 'HTTP 500',
    });
    expect(
      (await t.http.get(`/v1/webhook-endpoints/${e.id}/deliveries`).set(bearer(partnerB))).status,
    ).toBe(404);
    expect(
      (
        await t.http
          .get(`/v1/webhook-endpoints/${e.id}/deliveries?status=lost`)
          .set(bearer(partnerA))
      ).status,
    ).toBe(400);

    // Redelivery: scoped (404 for another partner or an unknown event), then sent again.
    expect(
      (await t.http.post(`/v1/events/${referredEv?.id}/redeliver`).set(bearer(partnerB))).status,
    ).toBe(404);
    expect((await t.http.post('/v1/events/evt_nope/redeliver').set(bearer(partnerA))).status).toBe(
      404,
    );
    expect(
      (await t.http.post(`/v1/events/${referredEv?.id}/redeliver`).set(bearer(reviewer))).status,
    ).toBe(403);
    const again = await t.http.post(`/v1/events/${referredEv?.id}/redeliver`).set(bearer(partnerA));
    expect(again.status).toBe(202);
    const mine = again.body.deliveries.filter((d: { endpointId: string }) => d.endpointId === e.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ eventId: referredEv?.id, status: 'pending' });
    r.fallback = 'ok';
    await drain(t, worker, clock);
    expect(r.ok().map((x) => x.eventId)).toContain(referredEv?.id);
    expect(await status(referredEv?.id ?? '', e.id)).toEqual(['dead', 'delivered']);
  });

  it('a deleted endpoint receives nothing more: its pending deliveries are cancelled', async () => {
    const clock = fakeClock();
    const r = await receiver(clock);
    r.fallback = '500';
    const e = await createEndpoint(t, partnerA, r.url, ['application.decided']);
    const m = await createMerchant(t, partnerA, MJY);
    await submitOk(t, partnerA, m, strongSurvey());
    const worker = testWorker(t, clock.now);
    await feedCaughtUp(t);
    await worker.runOnce();
    expect(r.all.length).toBe(1);
    expect(
      (await t.http.delete(`/v1/webhook-endpoints/${e.id}`).set(bearer(partnerA))).status,
    ).toBe(200);
    await drain(t, worker, clock);
    expect(r.all.length).toBe(1);
    const { rows } = (await t.testDb.database.db.execute(
      sql`select status from webhook_deliveries where endpoint_id = ${e.id}`,
    )) as unknown as { rows: { status: string }[] };
    expect(rows.map((x) => x.status)).toEqual(['cancelled']);
  });

  it('start() delivers in the background until stop(), which ends the loop', async () => {
    const r = await receiver(fakeClock());
    const partnerD = await t.issueKey('partner', { partnerId: 'partner-d' });
    await createEndpoint(t, partnerD, r.url, ['application.decided']);
    const worker = createWebhookWorker({
      db: t.testDb.database.db,
      config: { ...t.config, WEBHOOK_POLL_INTERVAL_MS: 20 },
      log: { info: () => {}, warn: () => {} },
    });
    worker.start();
    try {
      const m = await createMerchant(t, partnerD, KAI);
      await submitOk(t, partnerD, m, strongSurvey());
      const deadline = Date.now() + 10_000;
      while (r.ok().length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(r.ok()).toHaveLength(1);
    } finally {
      await worker.stop();
    }
    // Stopped: a new event is not delivered.
    const m2 = await createMerchant(t, partnerD, KAI);
    await submitOk(t, partnerD, m2, strongSurvey());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(r.all).toHaveLength(1);
  });
});
