/**
 * Shared helpers for the events tests. Not a test file: jest only runs *.test.ts.
 */
import { sql } from 'drizzle-orm';
import { bearer, type TestApp } from '../../helpers/test-app';

/**
 * Waits until every committed event is readable in the feed. The feed shows events of
 * transactions older than every transaction still running in the cluster; on a PostgreSQL
 * server shared with the other test files' workers that can lag a few milliseconds.
 */
export async function feedCaughtUp(t: TestApp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = (await t.testDb.database.db.execute(
      sql`select count(*)::int as n from events where tx_id >= pg_snapshot_xmin(pg_current_snapshot())`,
    )) as unknown as { rows: { n: number }[] };
    if (rows[0]?.n === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0]?.n} events still not in the feed`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Reads the whole feed with `key` (one that sees every event) and expects each event's data to
 * be exactly what the outbox stored: the feed encodes data through its type's shape
 * (src/modules/events/data-schemas.ts), which would drop a key it does not name. Returns the
 * types seen, for the caller to check its scenario covered them.
 */
export async function expectFeedAsStored(t: TestApp, key: string): Promise<string[]> {
  await feedCaughtUp(t);
  const { rows } = (await t.testDb.database.db.execute(
    sql`select id, type, data from events`,
  )) as unknown as { rows: { id: string; type: string; data: unknown }[] };
  const shown = new Map<string, unknown>();
  let after = '';
  for (;;) {
    const res = await t.http
      .get(`/v1/events?limit=200${after ? `&after=${after}` : ''}`)
      .set(bearer(key));
    expect(res.status).toBe(200);
    for (const e of res.body.data as { id: string; data: unknown }[]) shown.set(e.id, e.data);
    if (res.body.data.length < 200) break;
    after = res.body.nextCursor;
  }
  expect(shown.size).toBe(rows.length);
  for (const r of rows)
    expect({ id: r.id, data: shown.get(r.id) }).toEqual({ id: r.id, data: r.data });
  return [...new Set(rows.map((r) => r.type))].sort();
}
