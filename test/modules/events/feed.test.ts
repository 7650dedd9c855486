/**
 * Issue #14 item 5: the transactional outbox and GET /v1/events. Each change writes its event
 * once, in its own transaction (a refused command writes none); the feed pages forward by cursor,
 * per object in order, scoped like every other read, and carries no personal data.
 */
import { sql } from 'drizzle-orm';
import type { Principal } from '../../../src/lib/principal';
import { type EventType, listEventHeads, listEvents } from '../../../src/modules/events/repository';
import { seedDemo } from '../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';
import {
  type ApplicationBody,
  accept,
  createMerchant,
  decline,
  KAI,
  MJY,
  merchantBody,
  offerOf,
  referSurvey,
  runExpiry,
  strongSurvey,
  submitOk,
  twoOfferSurvey,
} from '../origination/applications/helpers';
import { expectFeedAsStored, feedCaughtUp } from './helpers';

interface Ev {
  id: string;
  type: string;
  objectType: string;
  objectId: string;
  data: Record<string, unknown>;
}

const ADMIN_FEED: Principal = {
  keyId: 'test_feed',
  role: 'admin',
  name: 'test feed',
  owner: 'test',
  marketIds: [],
  partnerId: null,
};

describe('events: the transactional outbox', () => {
  let t: TestApp;
  let officerMjy: string;
  let officerKai: string;
  let partnerA: string;
  let partnerB: string;
  let reviewer: string;

  const feed = async (key: string, query = '') => {
    await feedCaughtUp(t);
    const all: Ev[] = [];
    let after = '';
    for (;;) {
      const res = await t.http
        .get(`/v1/events?limit=3${after ? `&after=${after}` : ''}${query}`)
        .set(bearer(key));
      expect(res.status).toBe(200);
      all.push(...res.body.data);
      if (res.body.data.length < 3) return all;
      after = res.body.nextCursor;
    }
  };
  const ofObject = (evs: Ev[], id: string) =>
    evs.filter((e) => e.objectId === id).map((e) => e.type);

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    officerMjy = await t.issueKey('officer', { marketIds: [MJY] });
    officerKai = await t.issueKey('officer', { marketIds: [KAI] });
    partnerA = await t.issueKey('partner', { partnerId: 'partner-a' });
    partnerB = await t.issueKey('partner', { partnerId: 'partner-b' });
    reviewer = await t.issueKey('reviewer');
  });
  afterAll(() => t.close());

  it('a decision, an acceptance and its withdrawn sibling each write one event; a refused acceptance writes none', async () => {
    const merchant = await createMerchant(t, partnerA, MJY);
    const app = await submitOk(t, partnerA, merchant, twoOfferSurvey());
    expect(app.offers.length).toBeGreaterThan(1);
    const chosen = offerOf(app, 'operator_guarantee');
    const other = app.offers.find((o) => o.id !== chosen.id);
    expect((await accept(t, partnerA, chosen.id)).status).toBe(200);
    // Refused with 409 (already accepted): no second offer.accepted, no other event.
    const before = await feed(t.adminKey);
    expect((await accept(t, partnerA, chosen.id)).status).toBe(409);
    expect((await decline(t, partnerA, chosen.id)).status).toBe(409);
    const evs = await feed(t.adminKey);
    expect(evs.length).toBe(before.length);

    expect(ofObject(evs, app.id)).toEqual(['application.decided']);
    expect(ofObject(evs, chosen.id)).toEqual(['offer.accepted']);
    expect(ofObject(evs, other?.id ?? '')).toEqual(['offer.withdrawn']);
    const decided = evs.find((e) => e.objectId === app.id);
    expect(decided?.data).toMatchObject({
      applicationId: app.id,
      merchantId: merchant,
      status: 'approved',
      outcome: 'approve',
    });
    expect((decided?.data.offers as unknown[] | undefined)?.length).toBe(app.offers.length);
    // Per object in order: the application's decision before its offer's acceptance.
    const ids = evs.map((e) => e.objectId);
    expect(ids.indexOf(app.id)).toBeLessThan(ids.indexOf(chosen.id));
  });

  it('referred, then reviewed; declined; expired: one event each', async () => {
    const m1 = await createMerchant(t, officerMjy, MJY);
    const referred = await submitOk(t, officerMjy, m1, referSurvey());
    expect(referred.status).toBe('referred');
    const review = await t.http
      .post(`/v1/applications/${referred.id}/review`)
      .set(bearer(reviewer))
      .send({ action: 'decline', note: 'thin history' });
    expect(review.status).toBe(200);

    const m2 = await createMerchant(t, officerMjy, MJY);
    const app2 = await submitOk(t, officerMjy, m2, strongSurvey());
    const declinedOffer = app2.offers[0];
    expect((await decline(t, officerMjy, declinedOffer?.id ?? '')).status).toBe(200);

    const m3 = await createMerchant(t, officerMjy, MJY);
    const app3: ApplicationBody = await submitOk(t, officerMjy, m3, strongSurvey());
    await runExpiry(t, new Date(Date.now() + 400 * 24 * 3600 * 1000));

    const evs = await feed(t.adminKey);
    expect(ofObject(evs, referred.id)).toEqual(['application.referred', 'application.reviewed']);
    expect(ofObject(evs, declinedOffer?.id ?? '')).toEqual(['offer.declined']);
    for (const o of app3.offers) expect(ofObject(evs, o.id)).toEqual(['offer.expired']);
    const reviewed = evs.find((e) => e.type === 'application.reviewed');
    expect(reviewed?.data).toMatchObject({ status: 'declined', outcome: 'decline' });
  });

  it('pages forward with the cursor and filters by type', async () => {
    const all = await feed(t.adminKey);
    const res = await t.http.get('/v1/events?limit=200').set(bearer(t.adminKey));
    expect(res.body.data.map((e: Ev) => e.id)).toEqual(all.map((e) => e.id));
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    // Polling again from the last cursor finds nothing new, and keeps the cursor.
    const again = await t.http
      .get(`/v1/events?after=${res.body.nextCursor}`)
      .set(bearer(t.adminKey));
    expect(again.body.data).toEqual([]);
    expect(again.body.nextCursor).toBe(res.body.nextCursor);
    const accepted = await feed(t.adminKey, '&type=offer.accepted');
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.every((e) => e.type === 'offer.accepted')).toBe(true);
    const bad = await t.http.get('/v1/events?after=nonsense').set(bearer(t.adminKey));
    expect(bad.status).toBe(400);
  });

  it("the webhook fan-out's read gives the feed's events in its order, without their snapshots", async () => {
    await feedCaughtUp(t);
    const whole = { visibleTo: ADMIN_FEED };
    const full = await listEvents(t.appDatabase.db, whole, 1000, null);
    const heads = await listEventHeads(t.appDatabase.db, whole, 1000, null);
    expect(full.length).toBeGreaterThan(5);
    expect(heads).toEqual(full.map(({ data: _snapshot, ...head }) => head));
    for (const head of heads) expect(head).not.toHaveProperty('data');
    // From a cursor, and filtered, as the feed.
    const after = { txId: full[2]?.txId ?? '', seq: full[2]?.seq ?? 0 };
    const typed = { ...whole, types: [full[full.length - 1]?.type as EventType] };
    const ofType = await listEvents(t.appDatabase.db, typed, 1000, after);
    expect(ofType.length).toBeGreaterThan(0);
    expect((await listEventHeads(t.appDatabase.db, typed, 1000, after)).map((e) => e.id)).toEqual(
      ofType.map((e) => e.id),
    );
  });

  it('scopes the feed: a partner sees its own tenant, an officer its markets', async () => {
    const mB = await createMerchant(t, partnerB, KAI);
    const appB = await submitOk(t, partnerB, mB, strongSurvey());
    const a = await feed(partnerA);
    const b = await feed(partnerB);
    expect(a.length).toBeGreaterThan(0);
    expect(b.map((e) => e.objectId)).toContain(appB.id);
    expect(a.map((e) => e.objectId)).not.toContain(appB.id);
    const aIds = new Set(a.map((e) => e.id));
    expect(b.some((e) => aIds.has(e.id))).toBe(false);

    const kai = await feed(officerKai);
    expect(kai.map((e) => e.objectId)).toContain(appB.id);
    const mjy = await feed(officerMjy);
    expect(mjy.map((e) => e.objectId)).not.toContain(appB.id);
    expect(mjy.length + kai.length).toBe((await feed(t.adminKey)).length);
  });

  it('stores no personal data in events', async () => {
    const body = merchantBody(MJY);
    const res = await t.http.post('/v1/merchants').set(bearer(partnerA)).send(body);
    expect(res.status).toBe(201);
    await submitOk(t, partnerA, res.body.id, strongSurvey());
    const { rows } = (await t.testDb.database.db.execute(
      sql`select data::text as d from events`,
    )) as unknown as { rows: { d: string }[] };
    const stored = rows.map((r) => r.d).join('\n');
    expect(stored).not.toContain(body.idNumber);
    expect(stored).not.toContain(body.phone);
    expect(stored).not.toContain(body.name);
  });

  it("shows each event's data as stored, for every type the scenarios above wrote", async () => {
    expect(await expectFeedAsStored(t, t.adminKey)).toEqual([
      'application.decided',
      'application.referred',
      'application.reviewed',
      'offer.accepted',
      'offer.declined',
      'offer.expired',
      'offer.withdrawn',
    ]);
  });
});
