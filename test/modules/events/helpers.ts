/**
 * Shared helpers for the events tests. Not a test file: jest only runs *.test.ts.
 */
import { sql } from 'drizzle-orm';
import type { TestApp } from '../../helpers/test-app';

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
