import { and, eq, inArray } from 'drizzle-orm';
import { offers, operators } from '../../src/db/schema';
import { strongSurvey } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import { usingPostgres } from '../helpers/test-database';
import { seedRaceMarket } from './race-market';

/**
 * 200 parallel acceptances, round after round, against an operator whose small capacity is
 * fully held by open offers: each offer is accepted once, and use plus reservations never pass
 * capacity. PostgreSQL only (PGlite is one connection, so nothing races there).
 */
const describePg = usingPostgres ? describe : describe.skip;

const AMOUNT = 50_000_000; // 50万元 per merchant
const OFFERS_PER_ROUND = 8;
const MERCHANTS_PER_ROUND = 12; // more than the capacity serves: the last ones get no guarantee
const ROUNDS = 3;
const ACCEPTANCES = 200;

describePg('parallel acceptances against a small operator capacity (PostgreSQL)', () => {
  let t: TestApp;
  let officer: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { DATABASE_POOL_MAX: '20' } });
    await seedRaceMarket(t, {
      operatorId: 'opr_accept',
      marketId: 'mkt_accept',
      capacity: OFFERS_PER_ROUND * AMOUNT,
      perMerchantCap: AMOUNT,
      merchantPrefix: 'mer_accept_',
      count: ROUNDS * MERCHANTS_PER_ROUND,
      idSeries: '19820202',
    });
    officer = await t.issueKey('officer', { marketIds: ['mkt_accept'] });
  });
  afterAll(() => t.close());

  const operatorRow = async () => {
    const [row] = await t.testDb.database.db
      .select()
      .from(operators)
      .where(eq(operators.id, 'opr_accept'));
    if (!row) throw new Error('operator missing');
    return row;
  };

  /**
   * 200 requests on a pool of 20 connections: under CI's load some wait out the pool's 2 s and
   * get 503 with Retry-After, having written nothing. A client retries those with the same key,
   * so the test does too, and the outcome must still be one acceptance per offer.
   */
  let overloaded = 0;
  const acceptRetryingOverload = async (offerId: string, key: string) => {
    for (let attempt = 0; ; attempt++) {
      const res = await t.http
        .post(`/v1/offers/${offerId}/accept`)
        .set(bearer(officer))
        .set('idempotency-key', key);
      if (res.status !== 503 || attempt === 5) return res;
      expect(res.headers['retry-after']).toBeDefined();
      overloaded++;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  };
  afterAll(() => {
    if (overloaded > 0) console.log(`acceptance race: ${overloaded} answers were 503 and retried`);
  });

  it(`accepts each offer once under ${ACCEPTANCES} parallel acceptances, ${ROUNDS} rounds, never over capacity`, async () => {
    let accepted = 0;
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) {
        // New capacity for this round's offers, through the API, as the operator would grant it.
        const op = await operatorRow();
        const res = await t.http
          .patch('/v1/operators/opr_accept/guarantee-agreement')
          .set(bearer(t.adminKey))
          .send({ capacity: op.capacity + OFFERS_PER_ROUND * AMOUNT });
        expect(res.status).toBe(200);
      }
      const ids = Array.from(
        { length: MERCHANTS_PER_ROUND },
        (_, i) => `mer_accept_${round * MERCHANTS_PER_ROUND + i}`,
      );
      const submitted = await Promise.all(
        ids.map((merchantId) =>
          t.http
            .post('/v1/applications')
            .set(bearer(officer))
            .set('idempotency-key', `accept-${round}-${merchantId}`)
            .send({
              merchantId,
              survey: strongSurvey(),
              request: {
                product: 'operator_guarantee',
                amount: AMOUNT,
                termMonths: 12,
                purpose: 'working_capital',
              },
            }),
        ),
      );
      for (const r of submitted) expect(r.status).toBe(201);

      const open = await t.testDb.database.db
        .select()
        .from(offers)
        .where(
          and(
            eq(offers.operatorId, 'opr_accept'),
            eq(offers.status, 'offered'),
            inArray(offers.merchantId, ids),
          ),
        );
      // The capacity is small for real: it ran out before every merchant got a guarantee.
      expect(open.length).toBeGreaterThan(0);
      expect(open.length).toBeLessThanOrEqual(OFFERS_PER_ROUND);
      expect(open.length).toBeLessThan(MERCHANTS_PER_ROUND);
      const before = await operatorRow();
      expect(before.used + before.reserved).toBeLessThanOrEqual(before.capacity);

      const results = await Promise.all(
        Array.from({ length: ACCEPTANCES }, (_, i) =>
          acceptRetryingOverload(`${open[i % open.length]?.id}`, `accept-${round}-${i}`),
        ),
      );
      const wins = results.filter((r) => r.status === 200);
      expect(new Set(wins.map((r) => r.body.id)).size).toBe(open.length);
      expect(wins).toHaveLength(open.length);
      for (const r of results.filter((x) => x.status !== 200)) {
        expect(r.status).toBe(409);
        expect(r.body.code).toBe('INVALID_STATE');
      }

      const after = await operatorRow();
      const amount = open.reduce((s, o) => s + o.amount, 0);
      expect(after.used).toBe(before.used + amount);
      expect(after.reserved).toBe(before.reserved - amount);
      expect(after.used + after.reserved).toBeLessThanOrEqual(after.capacity);
      accepted += open.length;
    }
    const final = await operatorRow();
    const booked = await t.testDb.database.db
      .select()
      .from(offers)
      .where(and(eq(offers.operatorId, 'opr_accept'), eq(offers.status, 'accepted')));
    expect(booked).toHaveLength(accepted);
    expect(final.used).toBe(booked.reduce((s, o) => s + o.amount, 0));
  });
});
