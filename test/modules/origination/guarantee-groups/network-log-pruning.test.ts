/**
 * The guarantee network's change log is kept to each market's latest NETWORK_CHANGES_KEPT
 * changes by the offer-expiry job (ADR 0011): the oldest go, the newest stay, per market.
 */
import { sql } from 'drizzle-orm';
import { NETWORK_CHANGES_KEPT } from '../../../../src/modules/origination/network-cache';
import { createTestApp, type TestApp } from '../../../helpers/test-app';

describe('guarantee network change log pruning', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { OFFER_EXPIRY_INTERVAL_MS: '100' } });
  });
  afterAll(() => t.close());

  it("the offer-expiry job keeps each market's latest changes", async () => {
    const db = t.testDb.database.db;
    // Market a: 5 more changes than are kept (versions 1..kept+5); market b: 3.
    const n = NETWORK_CHANGES_KEPT + 5;
    await db.execute(sql`insert into guarantee_network_versions (market_id, version, previous_version)
      values ('mkt_prune_a', ${n}, ${n - 1}), ('mkt_prune_b', 3, 2)`);
    await db.execute(sql`insert into guarantee_network_changes (market_id, version,
        previous_version, added, removed)
      select 'mkt_prune_a', v, v - 1, '[]'::jsonb, '[]'::jsonb from generate_series(1, ${n}) v
      union all
      select 'mkt_prune_b', v, v - 1, '[]'::jsonb, '[]'::jsonb from generate_series(1, 3) v`);
    const left = async () =>
      (
        (await db.execute(sql`select market_id, count(*)::int as n, min(version)::int as oldest,
          max(version)::int as newest from guarantee_network_changes
          where market_id like 'mkt_prune_%' group by market_id order by market_id`)) as unknown as {
          rows: { market_id: string; n: number; oldest: number; newest: number }[];
        }
      ).rows;
    const deadline = Date.now() + 10_000;
    while ((await left())[0]?.n !== NETWORK_CHANGES_KEPT && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await left()).toEqual([
      { market_id: 'mkt_prune_a', n: NETWORK_CHANGES_KEPT, oldest: 6, newest: n },
      { market_id: 'mkt_prune_b', n: 3, oldest: 1, newest: 3 },
    ]);
  });
});
