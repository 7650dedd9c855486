import { eq } from 'drizzle-orm';
import { guaranteeNetworkVersions, offers, operators } from '../../src/db/schema';
import { edgesImplied, storedEdges } from '../../src/modules/origination/edges-repository';
import { strongSurvey } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import { usingPostgres } from '../helpers/test-database';
import { seedRaceMarket } from './race-market';

/**
 * Races that only a real PostgreSQL can show (PGlite is one connection). Skipped without
 * DATABASE_URL; CI runs the suite on PostgreSQL too.
 */
const describePg = usingPostgres ? describe : describe.skip;

const PER_MERCHANT = 100_000_000; // 100万元
const CAPACITY = 5 * PER_MERCHANT;

describePg('concurrency on PostgreSQL', () => {
  let t: TestApp;
  let officer: string;
  const merchantIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { DATABASE_POOL_MAX: '20' } });
    const ids = await seedRaceMarket(t, {
      operatorId: 'opr_race',
      marketId: 'mkt_race',
      capacity: CAPACITY,
      perMerchantCap: PER_MERCHANT,
      merchantPrefix: 'mer_race_',
      count: 60,
      idSeries: '19800101',
    });
    merchantIds.push(...ids);
    officer = await t.issueKey('officer', { marketIds: ['mkt_race'] });
  });
  afterAll(() => t.close());

  const submit = (merchantId: string, key: string) =>
    t.http
      .post('/v1/applications')
      .set(bearer(officer))
      .set('idempotency-key', key)
      .send({
        merchantId,
        survey: strongSurvey(),
        request: {
          product: 'operator_guarantee',
          amount: PER_MERCHANT,
          termMonths: 12,
          purpose: 'working_capital',
        },
      });

  const operatorRow = async () => {
    const [row] = await t.testDb.database.db
      .select()
      .from(operators)
      .where(eq(operators.id, 'opr_race'));
    if (!row) throw new Error('operator missing');
    return row;
  };

  it('never oversubscribes operator capacity under 60 parallel submissions', async () => {
    const results = await Promise.all(merchantIds.map((id, i) => submit(id, `race-${i}`)));
    expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    const guaranteed = results
      .flatMap((r) => r.body.offers)
      .filter((o: { product: string }) => o.product === 'operator_guarantee');
    const op = await operatorRow();
    expect(op.used + op.reserved).toBeLessThanOrEqual(op.capacity);
    expect(op.reserved).toBe(
      guaranteed.reduce((s: number, o: { amount: number }) => s + o.amount, 0),
    );
    // Contended for real: the capacity ran out, and the rest got other products or none.
    expect(op.reserved).toBeGreaterThan(CAPACITY - PER_MERCHANT);
    expect(guaranteed.length).toBeLessThan(merchantIds.length);
  });

  it('accepts each offer once under parallel double acceptances, and use never passes capacity', async () => {
    const open = await t.testDb.database.db
      .select()
      .from(offers)
      .where(eq(offers.product, 'operator_guarantee'));
    const attempts = open.flatMap((o) => [o.id, o.id]);
    const results = await Promise.all(
      attempts.map((id, i) =>
        t.http
          .post(`/v1/offers/${id}/accept`)
          .set(bearer(officer))
          .set('idempotency-key', `acc-${i}`),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(open.length);
    for (const r of results.filter((x) => x.status !== 200))
      expect(r.body.code).toBe('INVALID_STATE');
    const op = await operatorRow();
    expect(op.used + op.reserved).toBeLessThanOrEqual(op.capacity);
    expect(op.used).toBe(open.reduce((s, o) => s + o.amount, 0));
  });

  it('creates exactly one application from 100 parallel submissions with one idempotency key', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, () => submit('mer_race_59', 'same-key')),
    );
    const created = results.filter((r) => r.status === 201);
    const ids = new Set(created.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    for (const r of results) expect([201, 409]).toContain(r.status);
    const list = await t.http.get('/v1/applications?limit=200').set(bearer(officer));
    expect(
      list.body.data.filter((a: { merchantId: string }) => a.merchantId === 'mer_race_59'),
    ).toHaveLength(2);
  });

  it('lets a shared member into only as many groups as the policy allows (2), formed in parallel', async () => {
    // Four groups sharing mer_race_2 and nothing else: no circle, so only the count limits them.
    const groups = [3, 5, 7, 9].map((i) => ['mer_race_2', `mer_race_${i}`, `mer_race_${i + 1}`]);
    const results = await Promise.all(
      groups.map((memberIds) =>
        t.http
          .post('/v1/guarantee-groups')
          .set(bearer(officer))
          .send({ marketId: 'mkt_race', memberIds }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('MERCHANT_GROUP_LIMIT_REACHED');
    }
  });

  it("forms groups in parallel, each renewing the market's network version after its ledger locks, without deadlock", async () => {
    // Eight disjoint groups and four chained through one shared member each (mer_race_40..):
    // every formation locks its members' ledger rows, then the market's version row (ADR 0011).
    const m = (i: number) => `mer_race_${i}`;
    const groups = [
      ...Array.from({ length: 8 }, (_, g) => [m(12 + 3 * g), m(13 + 3 * g), m(14 + 3 * g)]),
      [m(40), m(41), m(42)],
      [m(42), m(43), m(44)],
      [m(44), m(45), m(46)],
      [m(46), m(47), m(48)],
    ];
    const before = await t.testDb.database.db.select().from(guaranteeNetworkVersions);
    const results = await Promise.all(
      groups.map((memberIds) =>
        t.http
          .post('/v1/guarantee-groups')
          .set(bearer(officer))
          .send({ marketId: 'mkt_race', memberIds }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(groups.map(() => 201));
    const after = await t.testDb.database.db.select().from(guaranteeNetworkVersions);
    const version = (rows: typeof after) => rows.find((r) => r.marketId === 'mkt_race')?.version;
    expect(version(after)).toBeDefined();
    expect(version(after)).not.toBe(version(before));
    expect(await storedEdges(t.testDb.database.db)).toEqual(
      await edgesImplied(t.testDb.database.db),
    );
  });
});
