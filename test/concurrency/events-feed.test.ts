import { Client } from 'pg';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { usingPostgres } from '../helpers/test-database';
import { feedCaughtUp } from '../modules/events/helpers';

/**
 * Issue #14 (ADR 0009) under real concurrency (PostgreSQL): a transaction that drew the smaller
 * seq but commits later is never passed by a poller's cursor. Two raw connections write events
 * as the commands do; the feed is read through the API between the commits.
 */
const describePg = usingPostgres ? describe : describe.skip;

describePg('the events feed never passes a late commit (PostgreSQL)', () => {
  let t: TestApp;
  let a: Client;
  let b: Client;
  const insert = (c: Client, id: string) =>
    c.query(
      `insert into events (id, type, object_type, object_id, data, partner_id, market_id)
       values ($1, 'policy.published', 'policy', $1, jsonb_build_object('policyId', $1::text, 'version', 1), null, null)`,
      [id],
    );
  const page = async (after: string | null) => {
    const res = await t.http
      .get(`/v1/events?limit=200${after ? `&after=${after}` : ''}`)
      .set('authorization', `Bearer ${t.adminKey}`);
    expect(res.status).toBe(200);
    return res.body as { data: { id: string }[]; nextCursor: string | null };
  };

  beforeAll(async () => {
    t = await createTestApp();
    a = new Client({ connectionString: t.testDb.url });
    b = new Client({ connectionString: t.testDb.url });
    await Promise.all([a.connect(), b.connect()]);
  });
  afterAll(async () => {
    await Promise.all([a.end(), b.end()]);
    await t.close();
  });

  it('an event committed after a later one is read after it, never skipped', async () => {
    await feedCaughtUp(t);
    const start = (await page(null)).nextCursor;
    await a.query('begin');
    await insert(a, 'evt_early_seq');
    await b.query('begin');
    await insert(b, 'evt_late_seq');
    await b.query('commit');
    // b's event has the larger seq and is committed, but a (older, smaller seq) still runs.
    const during = await page(start);
    expect(during.data.map((e) => e.id)).not.toContain('evt_late_seq');
    expect(during.data.map((e) => e.id)).not.toContain('evt_early_seq');
    await a.query('commit');
    await feedCaughtUp(t);
    const after = await page(during.nextCursor);
    const ids = after.data.map((e) => e.id);
    expect(ids.filter((id) => id.startsWith('evt_') && id.endsWith('_seq'))).toEqual([
      'evt_early_seq',
      'evt_late_seq',
    ]);
  });
});
