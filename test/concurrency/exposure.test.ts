import request from 'supertest';
import { buildApp } from '../../src/app';
import { connect, type Database } from '../../src/db/connect';
import { exposureLedger, merchants } from '../../src/db/schema';
import { ledgerFromOffers } from '../../src/modules/origination/repository';
import { strongSurvey } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import { usingPostgres } from '../helpers/test-database';
import { seedRaceMarket } from './race-market';

/**
 * Issue #12 under real concurrency (PostgreSQL; PGlite is one connection): 50 parallel
 * applications of one merchant and then 50 parallel acceptances of its offers, half through a
 * second service instance on the same database, never take the merchant over a cap; its ledger
 * row equals its offers afterwards.
 */
const describePg = usingPostgres ? describe : describe.skip;

const PER_MERCHANT = 100_000_000; // 100万元: the operator's per-merchant cap
const PARALLEL = 50;

describePg('the exposure ledger under concurrency (PostgreSQL, two instances)', () => {
  let t: TestApp;
  let secondDb: Database;
  let second: Awaited<ReturnType<typeof buildApp>>;
  let officer: string;
  let merchantId: string;
  let productCaps: Record<string, number>;

  beforeAll(async () => {
    t = await createTestApp({ env: { DATABASE_POOL_MAX: '20' } });
    [merchantId] = (await seedRaceMarket(t, {
      operatorId: 'opr_exposure',
      marketId: 'mkt_exposure',
      capacity: 100 * PER_MERCHANT,
      perMerchantCap: PER_MERCHANT,
      merchantPrefix: 'mer_exposure_',
      count: 1,
      idSeries: '19830303',
    })) as [string];
    officer = await t.issueKey('officer', { marketIds: ['mkt_exposure'] });
    secondDb = await connect({ url: t.testDb.url as string, poolMax: 20 });
    second = await buildApp({ config: t.config, database: secondDb });
    await second.ready();
    const policy = await t.http.get('/v1/policies/active').set(bearer(t.adminKey));
    productCaps = Object.fromEntries(
      Object.entries(policy.body.document.products as Record<string, { maxAmount: number }>).map(
        ([p, rules]) => [p, rules.maxAmount],
      ),
    );
  }, 60_000);
  afterAll(async () => {
    await second.close();
    await secondDb.close();
    await t.close();
  });

  const instance = (i: number) => (i % 2 === 0 ? t.http : request(second.server));

  async function exposureNow() {
    const res = await t.http.get(`/v1/merchants/${merchantId}/exposure`).set(bearer(t.adminKey));
    expect(res.status).toBe(200);
    return res.body as {
      byProduct: { product: string; open: number; taken: number }[];
      totals: { total: number; openOffers: number; outstanding: number; cardLimits: number };
    };
  }

  async function expectWithinCaps() {
    const e = await exposureNow();
    for (const p of e.byProduct) {
      expect(p.open + p.taken).toBeLessThanOrEqual(productCaps[p.product] as number);
      if (p.product === 'operator_guarantee')
        expect(p.open + p.taken).toBeLessThanOrEqual(PER_MERCHANT);
    }
    const db = t.testDb.database.db;
    const [m] = await db.select().from(merchants);
    const rows = await db.select().from(exposureLedger);
    const expected = await ledgerFromOffers(db, [m?.idNumberDigest as string]);
    const row = rows.find((r) => r.borrower === m?.idNumberDigest);
    const { borrower: _b, version: _v, updatedAt: _u, ...amounts } = row ?? {};
    expect(amounts).toEqual(expected.get(m?.idNumberDigest as string));
    return e;
  }

  it(`never passes a cap under ${PARALLEL} parallel applications of one merchant`, async () => {
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        instance(i)
          .post('/v1/applications')
          .set(bearer(officer))
          .set('idempotency-key', `exposure-${i}`)
          .send({
            merchantId,
            survey: strongSurvey(),
            request: {
              product: 'any',
              amount: PER_MERCHANT,
              termMonths: 12,
              purpose: 'working_capital',
            },
          }),
      ),
    );
    expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    const offered = results.flatMap((r) => r.body.offers as { amount: number }[]);
    // Contended for real: the first applications used what the merchant may carry.
    expect(offered.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.body.offers.length === 0).length).toBeGreaterThan(0);
    const e = await expectWithinCaps();
    if (process.env.EXPOSURE_FIGURES)
      console.info('applications', {
        attempts: PARALLEL,
        offers: offered.length,
        totals: e.totals,
      });
  }, 120_000);

  it(`never passes a cap under ${PARALLEL} parallel acceptances across two instances`, async () => {
    const open = (await exposureNow()) as unknown as { openOffers: { offerId: string }[] };
    const res = await t.http.get(`/v1/merchants/${merchantId}/exposure`).set(bearer(t.adminKey));
    const ids = (res.body.openOffers as { offerId: string }[]).map((o) => o.offerId);
    expect(ids.length).toBe(open.openOffers.length);
    // Every open offer twice, and as many attempts as PARALLEL at least.
    const attempts = Array.from(
      { length: Math.max(PARALLEL, ids.length * 2) },
      (_, i) => ids[i % ids.length] as string,
    );
    const results = await Promise.all(
      attempts.map((id, i) =>
        instance(i)
          .post(`/v1/offers/${id}/accept`)
          .set(bearer(officer))
          .set('idempotency-key', `exposure-accept-${i}`),
      ),
    );
    for (const r of results) if (![200, 409].includes(r.status)) console.log(r.status, r.body);
    for (const r of results) expect([200, 409]).toContain(r.status);
    const accepted = results.filter((r) => r.status === 200);
    const e = await expectWithinCaps();
    expect(e.totals.openOffers).toBe(0);
    if (process.env.EXPOSURE_FIGURES)
      console.info('acceptances', {
        attempts: attempts.length,
        accepted: accepted.length,
        totals: e.totals,
      });
  }, 120_000);
});
