import { eq } from 'drizzle-orm';
import { outcomes } from '../../../src/db/schema';
import { seedDemo } from '../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';
import { events, freshKey, paths } from '../origination/applications/helpers';
import {
  apply,
  type Loan,
  loan,
  movableClock,
  recordOk,
  recordOutcome,
  takeFirstOffer,
} from './helpers';

describe('POST /v1/outcomes', () => {
  let t: TestApp;
  const time = movableClock('2026-03-10T09:00:00.000Z');
  let risk: string;
  let officer: string;
  let reviewer: string;
  let partner: string;
  let booked: Loan;
  /** An approved application whose offers are still open. */
  let open: { offerId: string };
  /** The offer withdrawn when its sibling was accepted. */
  let withdrawnOfferId: string;

  beforeAll(async () => {
    t = await createTestApp({ clock: time.clock });
    await seedDemo(t);
    risk = await t.issueKey('risk');
    officer = await t.issueKey('officer', { marketIds: ['mkt_demo_majiayan'] });
    reviewer = await t.issueKey('reviewer');
    partner = await t.issueKey('partner', { partnerId: 'ptn_test' });

    const app = await apply(t, 'b635');
    // The operator loan, the credit loan and the card: the first is booked, the others withdrawn.
    expect(app.offers.length).toBeGreaterThanOrEqual(2);
    booked = await takeFirstOffer(t, app);
    withdrawnOfferId = (app.offers[1] as { id: string }).id;
    open = { offerId: ((await apply(t, 'b645')).offers[0] as { id: string }).id };
    time.set('2026-06-10T12:00:00.000Z');
  });
  afterAll(() => t.close());

  it('records an outcome: 201 with the record, decision and application from the offer', async () => {
    const res = await recordOutcome(t, risk, {
      offerId: booked.offerId,
      status: 'current',
      asOf: '2026-04-10',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^out_/),
      offerId: booked.offerId,
      applicationId: booked.applicationId,
      decisionId: booked.decisionId,
      status: 'current',
      asOf: '2026-04-10',
      createdAt: '2026-06-10T12:00:00.000Z',
    });
    const trail = await events(t, t.adminKey, booked.applicationId);
    const recorded = trail.filter((e) => e.action === 'outcome.recorded');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      entityType: 'offer',
      entityId: booked.offerId,
      actorRole: 'risk',
      data: {
        outcomeId: res.body.id,
        status: 'current',
        asOf: '2026-04-10',
        decisionId: booked.decisionId,
        applicationId: booked.applicationId,
      },
    });
  });

  it('the same offer, date and status again: 200 with the stored record, nothing new', async () => {
    const first = await recordOutcome(t, risk, {
      offerId: booked.offerId,
      status: 'late_30',
      asOf: '2026-05-10',
    });
    expect(first.status).toBe(201);
    time.set('2026-06-10T13:00:00.000Z');
    const again = await recordOutcome(t, t.adminKey, {
      offerId: booked.offerId,
      status: 'late_30',
      asOf: '2026-05-10',
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const rows = await t.testDb.database.db
      .select()
      .from(outcomes)
      .where(eq(outcomes.offerId, booked.offerId));
    expect(rows.map((r) => r.asOf).sort()).toEqual(['2026-04-10', '2026-05-10']);
    const trail = await events(t, t.adminKey, booked.applicationId);
    expect(trail.filter((e) => e.action === 'outcome.recorded')).toHaveLength(2);
  });

  it('the same offer and date with another status: 409 OUTCOME_CONFLICT naming the stored one', async () => {
    const res = await recordOutcome(t, risk, {
      offerId: booked.offerId,
      status: 'late_90',
      asOf: '2026-05-10',
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'OUTCOME_CONFLICT', statusCode: 409 });
    expect(res.body.message).toContain('late_30');
    expect(res.body.messageZh).toBeDefined();
    expect(paths(res.body)).toEqual(['body.status']);
  });

  it('another date for the same offer is another record', async () => {
    const res = await recordOutcome(t, risk, {
      offerId: booked.offerId,
      status: 'late_90',
      asOf: '2026-06-10',
    });
    expect(res.status).toBe(201);
    expect(res.body.asOf).toBe('2026-06-10');
  });

  it('replays an Idempotency-Key: same answer, header set', async () => {
    const body = { offerId: booked.offerId, status: 'default', asOf: '2026-06-01' };
    const key = freshKey('out');
    const first = await recordOutcome(t, risk, body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const again = await recordOutcome(t, risk, body, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await recordOutcome(
      t,
      risk,
      { ...body, asOf: '2026-06-02' },
      {
        'idempotency-key': key,
      },
    );
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('concurrent recordings of one offer and date: one 201, the other the stored record or 409', async () => {
    const same = { offerId: booked.offerId, status: 'repaid', asOf: '2026-06-05' };
    const both = await Promise.all([recordOutcome(t, risk, same), recordOutcome(t, risk, same)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(both[0]?.body).toEqual(both[1]?.body);

    const racing = await Promise.all([
      recordOutcome(t, risk, { offerId: booked.offerId, status: 'current', asOf: '2026-06-06' }),
      recordOutcome(t, risk, { offerId: booked.offerId, status: 'default', asOf: '2026-06-06' }),
    ]);
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  describe('the offer must be a loan', () => {
    it('unknown offer: 404', async () => {
      const res = await recordOutcome(t, risk, {
        offerId: 'off_nope',
        status: 'current',
        asOf: '2026-04-10',
      });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });

    it('an offer still open: 409 INVALID_STATE naming its status', async () => {
      const res = await recordOutcome(t, risk, {
        offerId: open.offerId,
        status: 'current',
        asOf: '2026-04-10',
      });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_STATE');
      expect(res.body.message).toContain('offered');
      expect(res.body.details).toEqual([{ path: 'status', message: 'offered' }]);
    });

    it('a withdrawn offer: 409 INVALID_STATE naming its status', async () => {
      const res = await recordOutcome(t, risk, {
        offerId: withdrawnOfferId,
        status: 'current',
        asOf: '2026-04-10',
      });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_STATE');
      expect(res.body.details).toEqual([{ path: 'status', message: 'withdrawn' }]);
    });
  });

  describe('asOf', () => {
    it('not in the future (by the service clock, UTC)', async () => {
      const res = await recordOutcome(t, risk, {
        offerId: booked.offerId,
        status: 'current',
        asOf: '2026-06-11',
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toEqual(['body.asOf']);
      expect(res.body.details[0].message).toContain('2026-06-10');
      expect(res.body.details[0].messageZh).toBeDefined();
    });

    it('today is fine', async () => {
      const res = await recordOutcome(t, risk, {
        offerId: booked.offerId,
        status: 'current',
        asOf: '2026-06-10',
      });
      // Already recorded as late_90 today: the date was accepted, the status conflicts.
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('OUTCOME_CONFLICT');
    });

    it('not before the offer was made', async () => {
      const before = await recordOutcome(t, risk, {
        offerId: booked.offerId,
        status: 'current',
        asOf: '2026-03-09',
      });
      expect(before.status).toBe(400);
      expect(paths(before.body)).toEqual(['body.asOf']);
      expect(before.body.details[0].message).toContain('2026-03-10');
      const sameDay = await recordOutcome(t, risk, {
        offerId: booked.offerId,
        status: 'current',
        asOf: '2026-03-10',
      });
      expect(sameDay.status).toBe(201);
    });

    it.each([
      ['2026/04/10'],
      ['2026-02-30'],
      ['2026-4-1'],
      ['2026-04-10T00:00:00Z'],
      [''],
      [20260410],
    ])('a malformed date %p: 400 naming body.asOf', async (asOf) => {
      const res = await recordOutcome(t, risk, {
        offerId: booked.offerId,
        status: 'current',
        asOf,
      });
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(['body.asOf']);
    });
  });

  describe('bad input', () => {
    it('an unknown status, a missing offer, an unknown field', async () => {
      const res = await recordOutcome(t, risk, { status: 'late_60', asOf: '2026-04-10', x: 1 });
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(['body.offerId', 'body.status', 'body.x']);
      for (const d of res.body.details) expect(d.messageZh).toBeDefined();
    });

    it('not JSON: 415', async () => {
      const res = await t.http
        .post('/v1/outcomes')
        .set(bearer(risk))
        .set('content-type', 'text/plain')
        .send('offerId=x');
      expect(res.status).toBe(415);
    });
  });

  describe('roles', () => {
    it.each([
      ['officer', () => officer],
      ['reviewer', () => reviewer],
      ['partner', () => partner],
    ])('%s: 403', async (_role, key) => {
      const res = await recordOutcome(t, key(), {
        offerId: booked.offerId,
        status: 'current',
        asOf: '2026-04-11',
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('no key: 401', async () => {
      const res = await t.http
        .post('/v1/outcomes')
        .send({ offerId: booked.offerId, status: 'current', asOf: '2026-04-11' });
      expect(res.status).toBe(401);
    });

    it('admin (a loan-servicing integration) records', async () => {
      const other = await (async () => {
        time.set('2026-06-10T14:00:00.000Z');
        return loan(t, 'c620');
      })();
      const body = await recordOk(t, t.adminKey, other.offerId, 'current', '2026-06-10');
      expect(body.decisionId).toBe(other.decisionId);
    });
  });
});
