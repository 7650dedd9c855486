/**
 * Issue #14 item 5 under real concurrency (PostgreSQL; PGlite has one connection): two workers
 * with their own connection pools fan out and deliver from one database at once. The receiver
 * watches what is in flight: never one event twice at once, never two events of one object at
 * once, each object's events in order, each event acknowledged exactly once (no worker died, so
 * no lease ran out), and one delivery per event whichever worker fanned it out.
 */
import { sql } from 'drizzle-orm';
import { connect, type Database } from '../../../src/db/connect';
import { createTestApp, type TestApp } from '../../helpers/test-app';
import { usingPostgres } from '../../helpers/test-database';
import {
  createEndpoint,
  drain,
  fakeClock,
  type Receiver,
  startReceiver,
  testWorker,
} from './helpers';

const describePg = usingPostgres ? describe : describe.skip;

const OBJECTS = 10;
const EVENTS_PER_OBJECT = 4;

describePg('two webhook workers at once (PostgreSQL)', () => {
  let t: TestApp;
  let pools: Database[];
  let receiver: Receiver;

  beforeAll(async () => {
    t = await createTestApp({ env: { WEBHOOK_TIMEOUT_MS: '2000' } });
    pools = await Promise.all([1, 2].map(() => connect({ url: t.testDb.url, poolMax: 3 })));
  });
  afterAll(async () => {
    await receiver?.close();
    await Promise.all(pools.map((p) => p.close()));
    await t.close();
  });

  it('never sends one delivery twice at once, and keeps each object in order', async () => {
    const clock = fakeClock();
    receiver = await startReceiver(clock.ms);
    const partner = await t.issueKey('partner', { partnerId: 'partner-a' });
    await createEndpoint(t, partner, receiver.url, ['offer.accepted']);

    const inFlight = new Set<string>();
    const objectsInFlight = new Set<string>();
    const violations: string[] = [];
    let n = 0;
    receiver.onRequest = async (eventId) => {
      const objectId = eventId.replace(/_\d+$/, '');
      if (inFlight.has(eventId)) violations.push(`${eventId} twice at once`);
      if (objectsInFlight.has(objectId)) violations.push(`${objectId} twice at once`);
      inFlight.add(eventId);
      objectsInFlight.add(objectId);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight.delete(eventId);
      objectsInFlight.delete(objectId);
    };
    // Every third request fails: retries run concurrently with first attempts.
    receiver.plan = Array.from({ length: 200 }, () => (++n % 3 === 0 ? '500' : 'ok'));

    // Event k of every object in one transaction, as commands write them.
    for (let k = 0; k < EVENTS_PER_OBJECT; k++) {
      await t.testDb.database.db.transaction(async (tx) => {
        for (let o = 0; o < OBJECTS; o++) {
          const id = `evt_obj${o}_${k}`;
          await tx.execute(sql`insert into events (id, type, object_type, object_id, data, partner_id, market_id)
            values (${id}, 'offer.accepted', 'offer', ${`evt_obj${o}`}, '{}', 'partner-a', null)`);
        }
      });
    }

    const workers = pools.map((p) => testWorker(t, clock.now, { db: p.db, batchSize: 3 }));
    const both = {
      runOnce: async () => {
        const [a, b] = await Promise.all(workers.map((w) => w.runOnce()));
        return {
          fannedOut: (a?.fannedOut ?? 0) + (b?.fannedOut ?? 0),
          claimed: (a?.claimed ?? 0) + (b?.claimed ?? 0),
          outcomes: [...(a?.outcomes ?? []), ...(b?.outcomes ?? [])],
        };
      },
      start: () => {},
      stop: async () => {},
    };
    await drain(t, both, clock);

    expect(violations).toEqual([]);
    const ok = receiver.ok().map((r) => r.eventId);
    expect(ok).toHaveLength(OBJECTS * EVENTS_PER_OBJECT);
    expect(new Set(ok).size).toBe(ok.length);
    for (let o = 0; o < OBJECTS; o++) {
      const mine = ok.filter((id) => id.startsWith(`evt_obj${o}_`));
      expect(mine).toEqual(Array.from({ length: EVENTS_PER_OBJECT }, (_, k) => `evt_obj${o}_${k}`));
    }
    const { rows } = (await t.testDb.database.db.execute(
      sql`select status, count(*)::int as n from webhook_deliveries group by status`,
    )) as unknown as { rows: { status: string; n: number }[] };
    expect(rows).toEqual([{ status: 'delivered', n: OBJECTS * EVENTS_PER_OBJECT }]);
    expect(receiver.all.length).toBeGreaterThan(ok.length);
  });
});
